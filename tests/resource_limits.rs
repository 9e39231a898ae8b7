//! Hostile inputs stay within the limits: no input may exhaust memory or the stack. A counting
//! allocator measures the heap while each input is analysed. One test function, so that no
//! other test allocates at the same time.

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};

use samlscope::analysis::{analyze, Input, InputData, Limits};
use samlscope::config::Config;
use samlscope::rules::Selection;

struct Counting;
static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = CURRENT.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

const MIB: usize = 1 << 20;

/// Analyses `input`; returns the findings' rules and messages, and the heap growth at peak.
fn measure(input: Input) -> (Vec<(String, String)>, usize) {
    let base = CURRENT.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let analysis =
        analyze(vec![input], &Config::default(), &Selection::default(), Limits::default());
    let peak = PEAK.load(Ordering::Relaxed) - base;
    let findings =
        analysis.findings.iter().map(|f| (f.rule.to_string(), f.message.clone())).collect();
    (findings, peak)
}

fn b64(data: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(data)
}

/// A raw DEFLATE stream of `blocks` MiB of zeros: one sync-flushed block repeated, about
/// 1 KiB of input per MiB of output.
fn deflate_bomb(blocks: usize) -> Vec<u8> {
    let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(&vec![0u8; MIB]).unwrap();
    enc.flush().unwrap();
    let first = enc.get_ref().clone();
    enc.write_all(&vec![0u8; MIB]).unwrap();
    enc.flush().unwrap();
    let repeat = enc.get_ref()[first.len()..].to_vec();
    let mut out = first;
    for _ in 1..blocks {
        out.extend_from_slice(&repeat);
    }
    out.extend_from_slice(&[0x03, 0x00]); // an empty final fixed-Huffman block
    out
}

fn rule_fired(findings: &[(String, String)], rule: &str, words: &str) -> bool {
    findings.iter().any(|(r, m)| r == rule && m.contains(words))
}

#[test]
fn hostile_inputs_stay_within_limits() {
    // A DEFLATE bomb: ~1 MB that inflates to over 1 GB is refused at 16 MiB.
    let bomb = deflate_bomb(1100);
    assert!(bomb.len() < 2 * MIB, "bomb is {} bytes", bomb.len());
    let (findings, peak) = measure(Input::bytes("bomb", b64(&bomb).into_bytes()));
    assert!(rule_fired(&findings, "input-error", "exceeds the 16 MiB limit"), "{findings:?}");
    assert!(peak < 64 * MIB, "bomb peak heap {} MiB", peak / MIB);

    // Many payloads that each stay under 16 MiB: twenty 15 MB AuthnRequests from 300 KB of
    // form body. The input's decoded total stops at 32 MiB, so memory does not scale with them.
    let body: Vec<String> = (0..20)
        .map(|i| {
            let xml = format!(
                "<samlp:AuthnRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" ID=\"_{i}\" Version=\"2.0\" IssueInstant=\"2026-11-20T15:04:04Z\"><x>{}</x></samlp:AuthnRequest>",
                "a".repeat(15 * MIB)
            );
            let mut enc =
                flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
            enc.write_all(xml.as_bytes()).unwrap();
            let value = b64(&enc.finish().unwrap());
            format!("SAMLRequest={}", value.replace('+', "%2B").replace('/', "%2F").replace('=', "%3D"))
        })
        .collect();
    let body = body.join("&");
    assert!(body.len() < 600_000, "{} bytes", body.len());
    let (findings, peak) = measure(Input::bytes("many-bombs", body.into_bytes()));
    assert!(
        rule_fired(&findings, "input-error", "of decoded SAML messages (limit)"),
        "{findings:?}"
    );
    assert!(peak < 256 * MIB, "many-bombs peak heap {} MiB", peak / MIB);

    // Billion laughs and an external entity: refused, nothing expanded or fetched.
    let laughs = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">{}]><lolz>&lol9;</lolz>",
        (1..10)
            .map(|i| format!("<!ENTITY lol{i} \"{}\">", format!("&lol{};", i - 1).repeat(10)))
            .collect::<String>()
    );
    let (findings, peak) = measure(Input::bytes("laughs", laughs.into_bytes()));
    assert!(rule_fired(&findings, "input-error", "DOCTYPE refused"), "{findings:?}");
    assert!(peak < MIB, "laughs peak heap {} KiB", peak / 1024);
    let xxe = "<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><r>&x;</r>";
    let (findings, _) = measure(Input::bytes("xxe", xxe.as_bytes().to_vec()));
    assert!(rule_fired(&findings, "input-error", "DOCTYPE refused"), "{findings:?}");

    // 100,000 nested elements: the depth limit answers, the stack is untouched.
    let deep = format!("{}{}", "<a>".repeat(100_000), "</a>".repeat(100_000));
    let (findings, _) = measure(Input::bytes("deep", deep.into_bytes()));
    assert!(rule_fired(&findings, "input-error", "nested deeper than 256"), "{findings:?}");

    // A 100 MB attribute value: refused by size before any parsing.
    let mut huge =
        b"<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" ID=\"".to_vec();
    huge.resize(huge.len() + 100 * MIB, b'x');
    huge.extend_from_slice(b"\"/>");
    let input_size = huge.len();
    let (findings, peak) = measure(Input::bytes("huge-attr", huge));
    assert!(rule_fired(&findings, "input-error", "exceeds the 16 MiB limit"), "{findings:?}");
    assert!(peak < input_size / 10, "attribute peak heap {} MiB", peak / MIB);

    // A HAR with a 1 GB base64 body, memory-mapped as the CLI does: skipped unread.
    let dir = std::env::temp_dir().join(format!("samlscope-limits-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("huge-body.har");
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        f.write_all(br#"{"log":{"version":"1.2","entries":[{"startedDateTime":"2026-11-20T15:04:05Z","request":{"method":"GET","url":"https://a/x.png"},"response":{"status":200,"content":{"size":1,"mimeType":"text/html","encoding":"base64","text":""#).unwrap();
        let chunk = "QUJD".repeat(MIB / 4);
        for _ in 0..1024 {
            f.write_all(chunk.as_bytes()).unwrap();
        }
        f.write_all(br#""}}}]}}"#).unwrap();
    }
    let file = std::fs::File::open(&path).unwrap();
    let map = unsafe { memmap2::Mmap::map(&file) }.unwrap();
    // `redact` streams the same file: the body is dropped unread.
    let base = CURRENT.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let summary = samlscope::redact::redact(&map, &mut std::io::sink(), false).unwrap();
    let redact_peak = PEAK.load(Ordering::Relaxed) - base;
    assert_eq!(summary.counts.get("oversized values removed"), Some(&1), "{summary}");
    assert!(redact_peak < 16 * MIB, "redact peak heap {} MiB", redact_peak / MIB);
    let (findings, peak) =
        measure(Input { name: "huge-body.har".into(), data: InputData::Mapped(map) });
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        rule_fired(&findings, "input-error", "exceeds the 64 MiB entry body limit"),
        "{findings:?}"
    );
    assert!(peak < 64 * MIB, "HAR peak heap {} MiB", peak / MIB);

    // Inputs that were quadratic before (found in review): each must finish promptly; a
    // regression shows as a test that takes minutes.
    let ids: String = (0..20_000).map(|i| format!("<saml:Assertion ID=\"_{}\"/>", i / 2)).collect();
    let dup_ids = format!("<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\">{ids}</samlp:Response>");
    let (findings, _) = measure(Input::bytes("dup-ids", dup_ids.into_bytes()));
    assert!(
        findings.iter().any(|(r, _)| r == "signature-wrapping" || r == "unsigned"),
        "{findings:?}"
    );
    let decls: String = (0..250).map(|i| format!(" xmlns:p{i}=\"urn:p{i}\"")).collect();
    let sig = "<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/TR/2001/REC-xml-c14n-20010315\"/><ds:SignatureMethod Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#rsa-sha256\"/><ds:Reference URI=\"\"><ds:Transforms><ds:Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/></ds:Transforms><ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/><ds:DigestValue>AAAA</ds:DigestValue></ds:Reference></ds:SignedInfo><ds:SignatureValue>AAAA</ds:SignatureValue></ds:Signature>";
    let wide_ns = format!("<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\"{decls}>{sig}{}</samlp:Response>", "<x/>".repeat(5000));
    let (findings, _) = measure(Input::bytes("wide-ns", wide_ns.into_bytes()));
    assert!(findings.iter().any(|(r, _)| r == "signature-invalid"), "{findings:?}");
    let many_sigs = format!("<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" ID=\"_r\">{}{}</samlp:Response>", "<x/>".repeat(20_000), sig.replace("URI=\"\"", "URI=\"#_r\"").repeat(2000));
    let (findings, _) = measure(Input::bytes("many-signatures", many_sigs.into_bytes()));
    assert!(!findings.is_empty());
    let attrs: String = (0..100_000).map(|i| format!(" a{i}=\"x\"")).collect();
    let (findings, _) =
        measure(Input::bytes("many-attributes", format!("<r{attrs}/>").into_bytes()));
    assert!(rule_fired(&findings, "input-error", "attributes on one element"), "{findings:?}");
    let inputs = format!("<html><body>{}", "<input>".repeat(200_000));
    let (findings, _) = measure(Input::bytes("many-inputs", inputs.into_bytes()));
    assert!(rule_fired(&findings, "input-error", "tags, more than the"), "{findings:?}");

    // Pathological encodings stay linear: 8 MB of escapes, whitespace and padding.
    for (name, text) in [
        ("percent", "%41".repeat(8 * MIB / 3)),
        ("spaces", format!("SAMLResponse={}", " ".repeat(8 * MIB))),
        ("padding", "=".repeat(8 * MIB)),
        ("newlines", "A\n".repeat(4 * MIB)),
    ] {
        let (findings, peak) = measure(Input::bytes(name, text.into_bytes()));
        assert!(!findings.is_empty(), "{name}");
        assert!(peak < 64 * MIB, "{name} peak heap {} MiB", peak / MIB);
    }
}

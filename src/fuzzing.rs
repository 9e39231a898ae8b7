//! Entry points of the cargo-fuzz targets (`fuzz/`), also replayed over every committed seed
//! and past crash by `tests/fuzz_replay.rs`. Each asserts an invariant, not only "no crash".
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;

use crate::analysis::{analyze, Input, Limits};
use crate::config::Config;
use crate::dsig::{load_certificates, verify_document};
use crate::input::{decode_value, extract, extract_json_slice, InputLimits};
use crate::report::{html, json, markdown, table};
use crate::rules::Selection;
use crate::saml::read_message;
use crate::xml::c14n::{canonicalize, C14n, C14nMethod, Subset};
use crate::xml::{parse, XmlLimits};

const CERT: &[u8] = include_bytes!("../corpus/signed/keys/idp.pem");

/// Every decoding layer; and Redirect encoding (DEFLATE, base64, URL) decodes back exactly.
pub fn decode_payload(data: &[u8]) {
    let _ = extract("fuzz", data, InputLimits::default());
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = decode_value(text, None, InputLimits::default());
    }
    if data.is_empty() || data.len() > 1 << 16 {
        return;
    }
    let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(data).unwrap();
    let deflated = enc.finish().unwrap();
    let trimmed = deflated.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&deflated).trim_ascii();
    if trimmed.first() == Some(&b'<') {
        return; // indistinguishable from base64 of raw XML, by design
    }
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD.encode(&deflated);
    let value: String = b64.bytes().map(|b| format!("%{b:02X}")).collect();
    let decoded = decode_value(&value, None, InputLimits::default()).expect("own encoding decodes");
    assert_eq!(&*decoded.xml, data, "Redirect encoding did not round-trip");
}

/// The XML tree; canonicalisation is idempotent: c14n(parse(c14n(doc))) == c14n(doc); and a
/// document parses to the same tree whatever the thread parsed before (the parser keeps names
/// and namespace URIs between documents).
pub fn xml_tree(data: &[u8]) {
    let Ok(doc) = parse(data, XmlLimits::default()) else { return };
    for method in [C14nMethod::Inclusive10, C14nMethod::Inclusive11, C14nMethod::Exclusive] {
        for with_comments in [false, true] {
            let c = C14n::new(method, with_comments);
            let once = canonicalize(&doc, Subset::Document, None, &c);
            let again = parse(&once, XmlLimits::default())
                .unwrap_or_else(|e| panic!("canonical output does not parse ({method:?}): {e}"));
            let twice = canonicalize(&again, Subset::Document, None, &c);
            assert_eq!(once, twice, "c14n not idempotent ({method:?}, comments {with_comments})");
        }
    }
    let later = parse(data, XmlLimits::default()).expect("parsed once, parses again");
    assert_eq!(tree_of(&doc), tree_of(&later), "the tree depends on earlier parses");
}

/// Everything a reader of `doc` can see, node by node, with every name, URI and value read
/// out: where the parser stored each string may differ between parses, what it reads may not.
fn tree_of(doc: &crate::xml::Document) -> String {
    use std::fmt::Write;
    let mut out = format!("root {} top {:?}\n", doc.root, doc.top_level);
    for id in 0..doc.len() {
        let kids: Vec<_> = doc.children(id).collect();
        let _ = write!(
            out,
            "{id} parent {:?} span {:?} children {kids:?} ",
            doc.parent(id),
            doc.span(id)
        );
        let _ = match doc.kind(id) {
            Some(crate::xml::NodeKind::Element(e)) => {
                let attrs: Vec<_> = e
                    .attrs()
                    .map(|a| (a.qname(), a.prefix(), a.local(), a.ns(), a.value()))
                    .collect();
                let decls: Vec<_> = e.ns_decls().collect();
                writeln!(
                    out,
                    "element {:?} {:?} {:?} {:?} attrs {attrs:?} decls {decls:?}",
                    e.qname(),
                    e.prefix(),
                    e.local(),
                    e.ns()
                )
            }
            other => writeln!(out, "{other:?} split {:?}", doc.text_split(id)),
        };
    }
    out
}

/// The SAML model over any tree.
pub fn saml_model(data: &[u8]) {
    if let Ok(doc) = parse(data, XmlLimits::default()) {
        let m = read_message(&doc);
        assert!(m.signature_elements.iter().all(|s| *s < doc.len()));
    }
}

/// Signature verification with a fixed configured key; verdicts are deterministic.
pub fn dsig_verify(data: &[u8]) {
    let Ok(doc) = parse(data, XmlLimits::default()) else { return };
    let certs = load_certificates(CERT).unwrap();
    let m = read_message(&doc);
    let first = verify_document(&doc, &m.signature_elements, &certs);
    let second = verify_document(&doc, &m.signature_elements, &certs);
    assert_eq!(first, second, "verification is not deterministic");
    assert_eq!(first.len(), m.signature_elements.len());
}

/// HAR ingestion: the skimming reading (bodies left out from 4 KiB, and from any length), the
/// serde_json one-pass reading and the entry-by-entry reading agree whenever both read the
/// file cleanly (the serde_json readings are stricter: they refuse invalid escapes, control
/// characters and invalid UTF-8 even in the parts of a file that samlscope skips).
pub fn har(data: &[u8]) {
    let limits = InputLimits::default();
    let robust = crate::input::extract_json_slice_robust("fuzz.har", data, limits);
    for fast in [
        extract_json_slice("fuzz.har", data, limits),
        crate::input::extract_json_slice_skimmed("fuzz.har", data, limits, 0),
        crate::input::extract_json_slice_serde("fuzz.har", data, limits),
    ] {
        if fast.problems.is_empty() && robust.problems.is_empty() {
            assert_eq!(fast, robust, "fast and robust HAR readings differ");
        }
    }
}

/// SAML-tracer ingestion, with the fuzzed bytes as the requests array's content.
pub fn saml_tracer(data: &[u8]) {
    let mut doc = b"{\"requests\":[".to_vec();
    doc.extend_from_slice(data);
    doc.extend_from_slice(b"],\"timestamp\":\"2026-11-20T15:04:41Z\"}");
    har(&doc);
}

/// The whole pipeline through every renderer (the HTML report makes no markup of capture text), with the IdP and SP certificates and the SP key
/// configured (so signatures, Redirect signatures and decryption all run); the analysis is
/// deterministic.
pub fn analyze_all(data: &[u8]) {
    let config = keyed_config();
    let run = || {
        let a = analyze(
            vec![Input::bytes("fuzz", data.to_vec())],
            &config,
            &Selection::default(),
            Limits::default(),
        );
        let _ = table::render(&a, Some(100), false);
        let _ = markdown::render(&a);
        let page = html::render(&a);
        // Capture text is escaped: the only markup that opens a script or a style is ours.
        for tag in ["<script", "<style"] {
            assert_eq!(page.matches(tag).count(), 1, "{tag} from the capture in the HTML report");
        }
        json::render(&a)
    };
    assert_eq!(run(), run(), "analysis is not deterministic");
}

const SP_KEY: &[u8] = include_bytes!("../corpus/encrypted/keys/sp.key");
const SP_CERT: &[u8] = include_bytes!("../corpus/encrypted/keys/sp.pem");

/// Decryption with a fixed SP key. An input that names XML Encryption is analysed as it is;
/// any other input is the plaintext of an EncryptedAssertion built around it (AES-GCM,
/// RSA-OAEP to the SP certificate), so the fuzzer reaches the splice of arbitrary plaintext.
/// The analysis is deterministic, and a decrypted document always parses again.
pub fn decrypt(data: &[u8]) {
    let names_xmlenc = data.windows(9).any(|w| w == b"Encrypted");
    let input = if names_xmlenc {
        data.to_vec()
    } else {
        use base64::Engine;
        let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
        let (wrapped, cipher) = crate::xmlenc::cipher::encrypt_for_tests(SP_CERT, data).unwrap();
        format!(
            r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r"><saml:Issuer>https://idp.example.com</saml:Issuer><saml:EncryptedAssertion><xenc:EncryptedData xmlns:xenc="http://www.w3.org/2001/04/xmlenc#" Type="http://www.w3.org/2001/04/xmlenc#Element"><xenc:EncryptionMethod Algorithm="http://www.w3.org/2009/xmlenc11#aes128-gcm"/><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><xenc:EncryptedKey><xenc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p"/><xenc:CipherData><xenc:CipherValue>{}</xenc:CipherValue></xenc:CipherData></xenc:EncryptedKey></ds:KeyInfo><xenc:CipherData><xenc:CipherValue>{}</xenc:CipherValue></xenc:CipherData></xenc:EncryptedData></saml:EncryptedAssertion></samlp:Response>"#,
            b64(&wrapped),
            b64(&cipher)
        )
        .into_bytes()
    };
    let config = keyed_config();
    let run = || {
        let a = analyze(
            vec![Input::bytes("fuzz", input.clone())],
            &config,
            &Selection::default(),
            Limits::default(),
        );
        for m in &a.messages {
            if m.decryptions.iter().any(|d| d.outcome.is_ok()) {
                let doc = parse(&m.captured.xml, XmlLimits::default())
                    .unwrap_or_else(|e| panic!("a decrypted document does not parse: {e}"));
                assert!(m.decryptions.iter().filter_map(|d| d.element).all(|e| e < doc.len()));
            }
        }
        json::render(&a)
    };
    assert_eq!(run(), run(), "decryption is not deterministic");
}

/// `redact`: on any bytes it never panics, and what it writes is JSON that redacts again; the
/// fuzzed bytes, used as a secret in every place a capture carries one (cookie, Authorization,
/// password field, JSON secret, hidden input beside an auto-post form), never reach the output.
pub fn redact(data: &[u8]) {
    let mut out = Vec::new();
    if crate::redact::redact(data, &mut out, false).is_ok() {
        serde_json::from_slice::<serde_json::Value>(&out).expect("redacted output is JSON");
        crate::redact::redact(&out, &mut std::io::sink(), true).expect("the output redacts again");
    }
    let alnum: String = String::from_utf8_lossy(data)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(64)
        .collect();
    if alnum.len() < 8 {
        return;
    }
    let secret = format!("S3cr{alnum}");
    let page = format!("<html><body><form method=post action=https://sp/acs><input type=hidden name=SAMLResponse value=PHI+PC9yPg==><input type=hidden name=csrf value={secret}></form></body></html>");
    let har = serde_json::json!({"log": {"version": "1.2", "entries": [{
        "startedDateTime": "2026-11-20T15:04:05Z",
        "request": {"method": "POST", "url": format!("https://idp/login?token={secret}"),
            "headers": [{"name": "Cookie", "value": format!("session={secret}")},
                        {"name": "Authorization", "value": format!("Bearer {secret}")}],
            "cookies": [{"name": "session", "value": secret}],
            "postData": {"mimeType": "application/x-www-form-urlencoded",
                         "text": format!("user=ada&password={secret}"),
                         "params": [{"name": "password", "value": secret}]}},
        "response": {"status": 200, "headers": [{"name": "Set-Cookie", "value": format!("sid={secret}; Path=/")}],
            "content": {"mimeType": "text/html", "text": page}},
        "_webSocketMessages": [{"type": "send", "data": secret}]
    }, {
        "startedDateTime": "2026-11-20T15:04:06Z",
        "request": {"method": "POST", "url": "https://idp/api",
            "postData": {"mimeType": "application/json", "text": format!("{{\"client_secret\":\"{secret}\"}}")}},
        "response": {"status": 200, "content": {"mimeType": "application/json", "text": format!("{{\"t\":\"{secret}\"}}")}}
    }]}});
    let input = serde_json::to_vec(&har).unwrap();
    let mut out = Vec::new();
    crate::redact::redact(&input, &mut out, false).unwrap();
    let text = String::from_utf8_lossy(&out);
    assert!(!text.contains(&secret), "a secret survived redaction: {text}");
}

/// The setup the fuzz targets run with: the IdP and SP certificates and the SP key, so that
/// signatures, Redirect signatures and decryption all run.
fn keyed_config() -> Config {
    Config {
        certs: load_certificates(CERT).unwrap(),
        sp_certs: load_certificates(SP_CERT).unwrap(),
        sp_keys: vec![crate::xmlenc::load_private_key(SP_KEY, None, "sp.key").unwrap()],
        ..Config::default()
    }
}

/// A fuzz entry point.
pub type Target = fn(&[u8]);

/// Every entry point by the name of its fuzz target.
pub const TARGETS: &[(&str, Target)] = &[
    ("decode_payload", decode_payload),
    ("xml_tree", xml_tree),
    ("saml_model", saml_model),
    ("dsig_verify", dsig_verify),
    ("har", har),
    ("saml_tracer", saml_tracer),
    ("analyze", analyze_all),
    ("decrypt", decrypt),
    ("redact", redact),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// The parser's name table starts over when full, here in the middle of a document, which
    /// then stores some names twice: the tree read back is still the one a fresh parse gives
    /// (the `xml_tree` crash in fuzz/regressions/xml_tree/names-stored-apart-on-a-later-parse).
    #[test]
    fn a_name_table_that_starts_over_midway_changes_nothing_a_reader_sees() {
        let names: String = (0..500).map(|i| format!("<n{i}/>")).collect();
        let doc = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/corpus/signed/salesforce-response.xml"
        ))
        .unwrap();
        let fresh = std::thread::spawn({
            let doc = doc.clone();
            move || tree_of(&parse(&doc, XmlLimits::default()).unwrap())
        })
        .join()
        .unwrap();
        parse(format!("<r>{names}</r>").as_bytes(), XmlLimits::default()).unwrap();
        let midway = parse(&doc, XmlLimits::default()).unwrap();
        assert_eq!(tree_of(&midway), fresh);
        xml_tree(&doc);
    }
}

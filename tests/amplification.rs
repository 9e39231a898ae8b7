//! Every known amplification shape costs time proportional to its size: each shape is analysed
//! and rendered at size n and 10 n in the same run, and the ratio of the two times must stay
//! near 10 (a quadratic stage would give 100). Ratios, not absolute times: the machine's speed
//! cancels out.

use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use samlscope::analysis::{analyze, Analysis, Input, Limits};
use samlscope::config::Config;
use samlscope::dsig::load_certificates;
use samlscope::report::{html, json, markdown, table};
use samlscope::rules::Selection;

const SIGNED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/signed");
const RESPONSE_OPEN: &str = r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r" Version="2.0"><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>"#;

/// The genuine signed assertion of the corpus, as text.
fn signed_assertion() -> String {
    let xml =
        std::fs::read_to_string(Path::new(SIGNED).join("salesforce-assertion-signed.xml")).unwrap();
    let start = xml.find("<saml:Assertion").unwrap();
    let end = xml.rfind("</saml:Assertion>").unwrap() + "</saml:Assertion>".len();
    xml[start..end].to_string()
}

fn b64(data: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(data)
}

fn deflate(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn response(body: &str) -> String {
    format!("{RESPONSE_OPEN}{body}</samlp:Response>")
}

/// Makes an input of size `n`.
type Generator = Box<dyn Fn(usize) -> Vec<u8>>;

/// The shapes, each a generator of an input of size `n`.
fn shapes() -> Vec<(&'static str, Generator)> {
    let genuine = signed_assertion();
    let g2 = genuine.clone();
    let g3 = genuine.clone();
    vec![
        (
            "a NameID split by n comments, in a Redirect URL",
            Box::new(|n| {
                let name = "a<!---->".repeat(n);
                let xml = response(&format!("<saml:Assertion ID=\"_a\"><saml:Subject><saml:NameID>{name}</saml:NameID></saml:Subject></saml:Assertion>"));
                format!(
                    "https://sp/acs?SAMLResponse={}",
                    b64(&deflate(xml.as_bytes()))
                        .replace('+', "%2B")
                        .replace('/', "%2F")
                        .replace('=', "%3D")
                )
                .into_bytes()
            }),
        ),
        (
            "n assertions sharing one ID next to the signed one",
            Box::new(move |n| {
                let evil =
                    "<saml:Assertion ID=\"_asrt1e2d3c4b5a6f7e8d9c0b1a2f3e4d5c6b\"/>".repeat(n);
                response(&format!("{evil}{genuine}")).into_bytes()
            }),
        ),
        (
            "n pairs of duplicated IDs",
            Box::new(|n| {
                let body: String = (0..n)
                    .map(|i| {
                        format!("<saml:Assertion ID=\"_d{i}\"/><saml:Assertion ID=\"_d{i}\"/>")
                    })
                    .collect();
                response(&body).into_bytes()
            }),
        ),
        (
            "n assertions, each with a split NameID and a CDATA-split value",
            Box::new(move |n| {
                let one = "<saml:Assertion ID=\"_x\"><saml:Subject><saml:NameID>a<!---->b&#46;c</saml:NameID></saml:Subject><saml:AttributeStatement><saml:Attribute Name=\"roles\"><saml:AttributeValue>agent<![CDATA[x]]>y</saml:AttributeValue></saml:Attribute></saml:AttributeStatement></saml:Assertion>";
                response(&format!("{g2}{}", one.repeat(n))).into_bytes()
            }),
        ),
        (
            "n signatures referencing the signed assertion",
            Box::new(move |n| {
                let sig_start = g3.find("<ds:Signature").unwrap();
                let sig_end = g3.find("</ds:Signature>").unwrap() + "</ds:Signature>".len();
                let sig = &g3[sig_start..sig_end];
                response(&format!("{}{g3}", sig.repeat(n))).into_bytes()
            }),
        ),
        (
            "a form body with SAMLResponse n times",
            Box::new(|n| {
                let value = b64(response("").as_bytes()).replace('+', "%2B").replace('=', "%3D");
                let params: Vec<String> = (0..n).map(|_| format!("SAMLResponse={value}")).collect();
                params.join("&").into_bytes()
            }),
        ),
        (
            "a HAR of n entries, each posting a distinct Response",
            Box::new(|n| {
                let entries: Vec<String> = (0..n)
                    .map(|i| {
                        let xml = response("").replace("ID=\"_r\"", &format!("ID=\"_r{i}\" InResponseTo=\"_q{i}\""));
                        format!(
                            r#"{{"startedDateTime":"2026-11-20T15:04:05Z","request":{{"method":"POST","url":"https://sp{}.example/acs","postData":{{"mimeType":"application/x-www-form-urlencoded","params":[{{"name":"SAMLResponse","value":"{}"}}]}}}},"response":{{"status":200,"headers":[],"content":{{"size":0,"mimeType":"text/html"}}}}}}"#,
                            i % 7,
                            b64(xml.as_bytes())
                        )
                    })
                    .collect();
                format!(r#"{{"log":{{"version":"1.2","entries":[{}]}}}}"#, entries.join(","))
                    .into_bytes()
            }),
        ),
        (
            "n empty signatures side by side",
            Box::new(|n| {
                let sig = "<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"/>";
                response(&sig.repeat(n)).into_bytes()
            }),
        ),
        (
            "an HTML page whose attribute holds n ampersands",
            Box::new(|n| {
                format!("<html><body><form action=\"https://sp/acs\"><input name=\"RelayState\" value=\"{}\"><input name=\"SAMLResponse\" value=\"{}\"></form></body></html>", "&".repeat(n), b64(response("").as_bytes())).into_bytes()
            }),
        ),
        (
            "an assertion with n SubjectConfirmations",
            Box::new(|n| {
                let c = "<saml:SubjectConfirmation Method=\"urn:oasis:names:tc:SAML:2.0:cm:bearer\"><saml:SubjectConfirmationData InResponseTo=\"_x\" Recipient=\"https://other/acs\" NotOnOrAfter=\"2020-01-01T00:00:00Z\"/></saml:SubjectConfirmation>";
                response(&format!("<saml:Assertion ID=\"_a\"><saml:Subject><saml:NameID>u</saml:NameID>{}</saml:Subject></saml:Assertion>", c.repeat(n))).into_bytes()
            }),
        ),
        (
            "n assertions and n signatures in one Response",
            Box::new(|n| {
                let body = "<saml:Assertion/>".repeat(n)
                    + &"<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"/>".repeat(n);
                response(&body).into_bytes()
            }),
        ),
        (
            "an HTML page with n unclosed formatting elements",
            Box::new(|n| {
                let b: String = (0..n).map(|i| format!("<b id=\"{i}\">")).collect();
                format!("<html><body><p>{b}{}<form action=\"https://sp/acs\"><input name=\"SAMLResponse\" value=\"{}\"></form></body></html>", "<p>x</p>".repeat(n), b64(response("").as_bytes())).into_bytes()
            }),
        ),
        (
            "an exclusive-c14n PrefixList of n prefixes over n elements",
            Box::new(|n| {
                let list: Vec<String> = (0..n).map(|i| format!("p{i}")).collect();
                let sig = format!("<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/><ds:SignatureMethod Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#rsa-sha256\"/><ds:Reference URI=\"#_r\"><ds:Transforms><ds:Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/><ds:Transform Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"><ec:InclusiveNamespaces xmlns:ec=\"http://www.w3.org/2001/10/xml-exc-c14n#\" PrefixList=\"{}\"/></ds:Transform></ds:Transforms><ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/><ds:DigestValue>AAAA</ds:DigestValue></ds:Reference></ds:SignedInfo><ds:SignatureValue>AAAA</ds:SignatureValue></ds:Signature>", list.join(" "));
                response(&format!("{sig}{}", "<x/>".repeat(n))).into_bytes()
            }),
        ),
        (
            "one signature with n References",
            Box::new(|n| {
                let reference = "<ds:Reference URI=\"#_r\"><ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/><ds:DigestValue>AAAA</ds:DigestValue></ds:Reference>";
                let sig = format!("<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/><ds:SignatureMethod Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#rsa-sha256\"/>{}</ds:SignedInfo><ds:SignatureValue>AAAA</ds:SignatureValue></ds:Signature>", reference.repeat(n));
                response(&format!("{sig}{}", "<x>filler text</x>".repeat(n))).into_bytes()
            }),
        ),
        (
            "n fields inside n nested disabled fieldsets with legends",
            Box::new(|n| {
                let open = "<fieldset disabled><legend>".repeat(n);
                let close = "</legend></fieldset>".repeat(n);
                let fields = "<input type=\"hidden\" name=\"RelayState\" value=\"r\">".repeat(n);
                format!("<html><body><form action=\"https://sp/acs\">{open}{fields}{close}<input name=\"SAMLResponse\" value=\"{}\"></form></body></html>", b64(response("").as_bytes())).into_bytes()
            }),
        ),
        (
            "ten EncryptedAssertions of n/1000 EncryptedKeys, KeyNames and RetrievalMethods",
            Box::new(|n| {
                let k = (n / 1000).max(1);
                let ek = "<xenc:EncryptedKey Id=\"k\"><xenc:EncryptionMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p\"/><xenc:CipherData><xenc:CipherValue>AAAA</xenc:CipherValue></xenc:CipherData><xenc:CarriedKeyName>n</xenc:CarriedKeyName></xenc:EncryptedKey>".repeat(k);
                let refs = "<ds:RetrievalMethod URI=\"#k\"/><ds:KeyName>n</ds:KeyName>".repeat(k);
                let ea = format!("<saml:EncryptedAssertion><xenc:EncryptedData xmlns:xenc=\"http://www.w3.org/2001/04/xmlenc#\"><xenc:EncryptionMethod Algorithm=\"http://www.w3.org/2009/xmlenc11#aes128-gcm\"/><ds:KeyInfo xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\">{refs}</ds:KeyInfo><xenc:CipherData><xenc:CipherValue>AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA</xenc:CipherValue></xenc:CipherData></xenc:EncryptedData>{ek}</saml:EncryptedAssertion>");
                let body = ea
                    .replace(
                        "<xenc:EncryptedKey",
                        "<xenc:EncryptedKey xmlns:xenc=\"http://www.w3.org/2001/04/xmlenc#\"",
                    )
                    .repeat(10); // past the per-message limit; 10 n stays under the node limit
                response(&body).into_bytes()
            }),
        ),
        (
            "an assertion with n attributes of n/10 values",
            Box::new(|n| {
                let attrs: String = (0..n)
                    .map(|i| format!("<saml:Attribute Name=\"a{}\"><saml:AttributeValue>v</saml:AttributeValue></saml:Attribute>", i % 50))
                    .collect();
                response(&format!("<saml:Assertion ID=\"_a\"><saml:Subject><saml:NameID>u</saml:NameID></saml:Subject><saml:AttributeStatement>{attrs}</saml:AttributeStatement></saml:Assertion>")).into_bytes()
            }),
        ),
    ]
}

/// The cheapest of three runs of the whole pipeline and every renderer.
fn cost(input: &[u8], config: &Config) -> Duration {
    (0..3)
        .map(|_| {
            let start = Instant::now();
            let a = analyze(
                vec![Input::bytes("amplification", input.to_vec())],
                config,
                &Selection::default(),
                Limits::default(),
            );
            let _ = table::render(&a, Some(100), false);
            let _ = markdown::render(&a);
            let _ = json::render(&a);
            let _ = html::render(&a);
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

#[test]
fn every_amplification_shape_costs_linear_time() {
    let cert = std::fs::read(Path::new(SIGNED).join("keys/idp.pem")).unwrap();
    let sp_key = std::fs::read(Path::new(SIGNED).join("../encrypted/keys/sp.key")).unwrap();
    let config = Config {
        certs: load_certificates(&cert).unwrap(),
        sp_keys: vec![samlscope::xmlenc::load_private_key(&sp_key, None, "sp.key").unwrap()],
        ..Config::default()
    };
    let mut failures = Vec::new();
    for (name, make) in shapes() {
        // Grow n until the small size takes long enough to time reliably.
        let mut n = 200;
        let mut small = cost(&make(n), &config);
        while small < Duration::from_millis(30) && n < 1_000_000 {
            n *= 2;
            small = cost(&make(n), &config);
        }
        let large = cost(&make(10 * n), &config);
        let ratio = large.as_secs_f64() / small.as_secs_f64().max(1e-6);
        eprintln!("{name}: n={n} {small:?}, 10n {large:?}, ratio {ratio:.1}");
        // Linear gives ~10; quadratic ~100. 25 leaves room for caches and allocators.
        if ratio > 25.0 {
            failures.push(format!("{name}: 10x the size took {ratio:.1}x the time"));
        }
    }
    assert!(failures.is_empty(), "super-linear shapes:\n{}", failures.join("\n"));
}

/// Every report renders in time linear in the number of messages: each renderer is timed
/// alone on analyses of n and 100 n messages that all have findings (a hundredfold, so that a
/// mildly quadratic renderer stands out: linear gives ~100, quadratic ~10,000). (The shapes above time
/// analysis and rendering together; at the sizes a debug build reaches there, a renderer
/// that scans every finding for each message hides behind the messages' own cost.)
#[test]
fn every_report_renders_in_linear_time() {
    let analysis_of = |n: usize| {
        let params: Vec<String> = (0..n)
            .map(|i| {
                let xml = response("").replace("ID=\"_r\"", &format!("ID=\"_r{i}\""));
                let value = b64(xml.as_bytes()).replace('+', "%2B").replace('=', "%3D");
                format!("SAMLResponse={value}")
            })
            .collect();
        let input = Input::bytes("render", params.join("&").into_bytes());
        analyze(vec![input], &Config::default(), &Selection::default(), Limits::default())
    };
    let n = 100;
    let (small, large) = (analysis_of(n), analysis_of(100 * n));
    assert_eq!(large.messages.len(), 100 * n);
    assert!(large.findings.iter().filter(|f| f.message_index.is_some()).count() >= 100 * n);
    type Renderer = fn(&Analysis) -> String;
    let renderers: [(&str, Renderer); 4] = [
        ("table", |a| table::render(a, Some(100), false)),
        ("markdown", markdown::render),
        ("json", json::render),
        ("html", html::render),
    ];
    let mut failures = Vec::new();
    for (name, render) in renderers {
        let time = |a: &Analysis| {
            (0..3)
                .map(|_| {
                    let start = Instant::now();
                    std::hint::black_box(render(a));
                    start.elapsed()
                })
                .min()
                .unwrap_or_default()
        };
        let (t_small, t_large) = (time(&small), time(&large));
        let ratio = t_large.as_secs_f64() / t_small.as_secs_f64().max(1e-6);
        eprintln!(
            "{name}: {n} messages {t_small:?}, {} messages {t_large:?}, ratio {ratio:.1}",
            100 * n
        );
        if ratio > 160.0 {
            failures.push(format!("{name}: 100x the messages took {ratio:.1}x the time"));
        }
    }
    assert!(failures.is_empty(), "super-linear renderers:\n{}", failures.join("\n"));
}

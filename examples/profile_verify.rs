//! Profiling aid: verifies the Salesforce-shaped response N times (`perf record` target).
use samlscope::dsig::{load_certificates, verify_document};
use samlscope::saml::read_message;
use samlscope::xml::{parse, XmlLimits};

fn main() {
    let doc_bytes = include_bytes!("../corpus/signed/salesforce-response.xml");
    let certs = load_certificates(include_bytes!("../corpus/signed/keys/idp.pem")).expect("cert");
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(20_000);
    let parse_each = std::env::args().nth(2).is_some();
    let doc = parse(doc_bytes, XmlLimits::default()).expect("parse");
    let msg = read_message(&doc);
    for _ in 0..n {
        if parse_each {
            std::hint::black_box(parse(doc_bytes, XmlLimits::default()).expect("parse"));
        } else {
            std::hint::black_box(verify_document(&doc, &msg.signature_elements, &certs));
        }
    }
}

//! Parse, model and verify the doubly signed Salesforce-shaped response 20,000 times and print
//! the time per response: a steady loop for a profiler, e.g.
//! `perf record -g target/x86_64-unknown-linux-gnu/release/examples/verify_loop` (BENCHMARKS.md).

use samlscope::dsig::{load_certificates, verify_document};
use samlscope::saml::read_message;
use samlscope::xml::{parse, XmlLimits};

const RESPONSE: &[u8] = include_bytes!("../corpus/signed/salesforce-response.xml");
const CERT: &[u8] = include_bytes!("../corpus/signed/keys/idp.pem");
const ROUNDS: u32 = 20_000;

fn main() -> Result<(), String> {
    let certs = load_certificates(CERT)?;
    let start = std::time::Instant::now();
    for _ in 0..ROUNDS {
        let doc = parse(RESPONSE, XmlLimits::default()).map_err(|e| e.to_string())?;
        let msg = read_message(&doc);
        std::hint::black_box(verify_document(&doc, &msg.signature_elements, &certs));
    }
    let per = start.elapsed().as_secs_f64() * 1e6 / f64::from(ROUNDS);
    println!("{per:.1} µs per response (parse, model, two signatures)");
    Ok(())
}

//! Signature verification throughput, in-process, one core: a Salesforce-shaped response
//! (both Response and Assertion signed, exc-c14n with PrefixList, rsa-sha256, RSA-2048) parsed,
//! modelled and verified, side by side with openssl's raw RSA-2048 verify (the ceiling).
//! Run: `cargo bench --bench verify`. Not a test: it prints figures and ratios.

use std::time::{Duration, Instant};

use openssl::hash::MessageDigest;
use openssl::pkey::PKey;
use openssl::rsa::Rsa;
use openssl::sign::{Signer, Verifier};
use samlscope::dsig::{load_certificates, verify_document, Status};
use samlscope::saml::read_message;
use samlscope::xml::{parse, XmlLimits};

const RESPONSE: &[u8] = include_bytes!("../corpus/signed/salesforce-response.xml");
const CERT: &[u8] = include_bytes!("../corpus/signed/keys/idp.pem");

/// Runs `f` repeatedly for about `budget`, returning calls per second (median of 5 rounds).
fn rate(budget: Duration, mut f: impl FnMut()) -> f64 {
    let mut rounds = Vec::new();
    for _ in 0..5 {
        let start = Instant::now();
        let mut n = 0u64;
        while start.elapsed() < budget / 5 {
            for _ in 0..50 {
                f();
            }
            n += 50;
        }
        rounds.push(n as f64 / start.elapsed().as_secs_f64());
    }
    rounds.sort_by(f64::total_cmp);
    rounds[2]
}

fn main() {
    let certs = load_certificates(CERT).expect("certificate");
    let verify_once = || {
        let doc = parse(RESPONSE, XmlLimits::default()).expect("parse");
        let msg = read_message(&doc);
        let verdicts = verify_document(&doc, &msg.signature_elements, &certs);
        assert!(verdicts.iter().all(|v| v.status == Status::Valid));
        assert_eq!(verdicts.len(), 2);
    };
    verify_once();
    let ours = rate(Duration::from_secs(3), verify_once);

    let key = PKey::from_rsa(Rsa::generate(2048).expect("rsa")).expect("pkey");
    let data = vec![7u8; 700];
    let mut signer = Signer::new(MessageDigest::sha256(), &key).expect("signer");
    signer.update(&data).expect("update");
    let sig = signer.sign_to_vec().expect("sign");
    let raw = rate(Duration::from_secs(3), || {
        let mut v = Verifier::new(MessageDigest::sha256(), &key).expect("verifier");
        v.update(&data).expect("update");
        assert!(v.verify(&sig).expect("verify"));
    });
    let parse_only = rate(Duration::from_secs(1), || {
        std::hint::black_box(parse(RESPONSE, XmlLimits::default()).expect("parse"));
    });
    let doc = parse(RESPONSE, XmlLimits::default()).expect("parse");
    let msg = read_message(&doc);
    let verify_only = rate(Duration::from_secs(1), || {
        std::hint::black_box(verify_document(&doc, &msg.signature_elements, &certs));
    });
    let model_only = rate(Duration::from_secs(1), || {
        std::hint::black_box(read_message(&doc));
    });
    let shapes_only = rate(Duration::from_secs(1), || {
        for s in &msg.signature_elements {
            std::hint::black_box(samlscope::dsig::read_signature(&doc, *s).ok());
        }
    });
    println!("model only                         {model_only:>10.0} /s");
    println!("signature shapes only              {shapes_only:>10.0} /s");
    println!("parse only                         {parse_only:>10.0} /s");
    println!("verify only (parsed document)      {verify_only:>10.0} /s");
    println!("response size                      {} bytes, 2 signatures", RESPONSE.len());
    println!(
        "samlscope parse+model+verify       {ours:>10.0} responses/s ({:.0} signatures/s)",
        ours * 2.0
    );
    println!("openssl RSA-2048 verify alone      {raw:>10.0} verifies/s");
    println!("ratio (responses/s ÷ raw RSA/s)    {:>10.2}  (2 RSA operations per response: ceiling 0.50)", ours / raw);
    println!("signatures/s ÷ raw RSA/s           {:>10.2}", ours * 2.0 / raw);
}

//! Profiling aid: what loading one certificate costs, step by step, on a cold OpenSSL.
use openssl::hash::{hash, MessageDigest};
use openssl::x509::X509;
use std::time::Instant;

fn main() {
    samlscope::dsig::crypto::init_without_config();
    let pem = std::fs::read("corpus/signed/keys/idp.pem").unwrap();
    let t = Instant::now();
    let x = X509::stack_from_pem(&pem).unwrap().remove(0);
    let parse = t.elapsed();
    let t = Instant::now();
    let der = x.to_der().unwrap();
    let to_der = t.elapsed();
    let t = Instant::now();
    let key = x.public_key().unwrap();
    let pk = t.elapsed();
    let t = Instant::now();
    let _ = key.bits();
    let bits = t.elapsed();
    let t = Instant::now();
    let _ = hash(MessageDigest::sha256(), &der).unwrap();
    let h = t.elapsed();
    let t = Instant::now();
    let _ = key.public_key_to_der().unwrap();
    let spki = t.elapsed();
    let t = Instant::now();
    let _ = X509::from_der(&der).unwrap();
    let reparse = t.elapsed();
    println!("parse {parse:?} to_der {to_der:?} public_key {pk:?} bits {bits:?} sha256 {h:?} spki_der {spki:?} reparse {reparse:?}");
}

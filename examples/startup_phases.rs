//! Profiling aid: what each start-up phase of a one-payload `analyze` costs in-process
//! (openssl initialisation, certificate loading, parsing, the first verification).
use std::time::Instant;

fn main() {
    let t = Instant::now();
    if std::env::args().nth(1).as_deref() == Some("noconfig") {
        samlscope::dsig::crypto::init_without_config();
    }
    openssl::init();
    let init = t.elapsed();
    let pem = std::fs::read("corpus/signed/keys/idp.pem").unwrap();
    let t = Instant::now();
    let certs = samlscope::dsig::load_certificates(&pem).unwrap();
    let load = t.elapsed();
    let xml = std::fs::read("corpus/signed/salesforce-response.xml").unwrap();
    let config = samlscope::config::Config { certs, ..Default::default() };
    let t = Instant::now();
    let a = samlscope::analysis::analyze(
        vec![samlscope::analysis::Input::bytes("x", xml.clone())],
        &config,
        &Default::default(),
        Default::default(),
    );
    let first = t.elapsed();
    let t = Instant::now();
    let _ = samlscope::analysis::analyze(
        vec![samlscope::analysis::Input::bytes("x", xml)],
        &config,
        &Default::default(),
        Default::default(),
    );
    let second = t.elapsed();
    let t = Instant::now();
    let _ = samlscope::report::json::render(&a);
    let json = t.elapsed();
    println!("init {init:?} load-cert {load:?} first-analyze {first:?} second-analyze {second:?} json {json:?}");
}

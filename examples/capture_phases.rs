//! Profiling aid: what each stage of analysing one large capture costs in-process, best of
//! several rounds: extraction (serial), the whole analysis (extraction, parsing and
//! verification on all cores, rules) and the JSON report. BENCHMARKS.md:
//! `cargo run --release --example capture_phases -- target/bench/scaling-1000.har`.
use std::time::{Duration, Instant};

use samlscope::analysis::{analyze, extract_input, Input, Limits};

fn main() {
    let path = std::env::args().nth(1).expect("usage: capture_phases CAPTURE.har");
    let bytes = std::fs::read(&path).expect("readable capture");
    let pem = std::fs::read("corpus/signed/keys/idp.pem").expect("corpus certificate");
    let certs = samlscope::dsig::load_certificates(&pem).expect("a certificate");
    let config = samlscope::config::Config { certs, ..Default::default() };
    let best = |f: &mut dyn FnMut()| {
        (0..7)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed()
            })
            .min()
            .unwrap_or(Duration::ZERO)
    };
    let input = || Input::bytes(path.clone(), bytes.clone());
    let extract = best(&mut || {
        std::hint::black_box(extract_input(input(), Limits::default().input));
    });
    let whole = best(&mut || {
        std::hint::black_box(analyze(
            vec![input()],
            &config,
            &Default::default(),
            Limits::default(),
        ));
    });
    let analysis = analyze(vec![input()], &config, &Default::default(), Limits::default());
    let json = best(&mut || {
        std::hint::black_box(samlscope::report::json::render(&analysis));
    });
    let n = analysis.messages.len();
    println!(
        "{n} messages: extraction {extract:.1?}, analysis in all {whole:.1?}, JSON report {json:.1?}"
    );
}

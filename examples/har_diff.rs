//! Debugging aid: prints where the one-pass and entry-by-entry HAR readings of a file differ.
use samlscope::input::{extract_json_slice, extract_json_slice_robust, InputLimits};

fn main() {
    let path = std::env::args().nth(1).expect("a file");
    let data = std::fs::read(path).expect("read");
    let a = extract_json_slice("f", &data, InputLimits::default());
    let b = extract_json_slice_robust("f", &data, InputLimits::default());
    println!("messages {} vs {}", a.messages.len(), b.messages.len());
    println!("problems {:?}\n  vs {:?}", a.problems, b.problems);
    println!("steps {} vs {}", a.steps.len(), b.steps.len());
    for (x, y) in a.steps.iter().zip(&b.steps) {
        if x != y {
            println!("step {x:?}\n  vs {y:?}");
        }
    }
    println!("evidence {:?}\n  vs {:?}", a.evidence, b.evidence);
}

//! Batch mode (`analyze --format jsonl`): one self-contained JSON report per input, in input
//! order whatever the number of jobs, each valid against the published schema.

#[allow(dead_code)]
mod common;

use assert_cmd::Command;
use serde_json::Value;

fn batch(jobs: &str) -> (Vec<Value>, i32) {
    let out = Command::cargo_bin("samlscope")
        .unwrap()
        .current_dir(common::ROOT)
        .args([
            "analyze",
            "--format",
            "jsonl",
            "--jobs",
            jobs,
            "corpus/redirect",
            "corpus/flex/healthy-enhanced.response.xml",
        ])
        .args(["--sp-cert", "corpus/encrypted/keys/sp.pem", "--cert", "corpus/signed/keys/idp.pem"])
        .output()
        .unwrap();
    let lines = String::from_utf8(out.stdout).unwrap();
    (lines.lines().map(|l| serde_json::from_str(l).unwrap()).collect(), out.status.code().unwrap())
}

#[test]
fn one_report_per_input_in_order_whatever_the_jobs() {
    let (one, code) = batch("1");
    let (two, code2) = batch("2");
    assert_eq!(one, two, "the output depends on the number of jobs");
    assert_eq!((code, code2), (1, 1), "some inputs have errors");
    let mut files: Vec<String> = std::fs::read_dir(format!("{}/corpus/redirect", common::ROOT))
        .unwrap()
        .map(|e| format!("corpus/redirect/{}", e.unwrap().file_name().to_string_lossy()))
        .collect();
    files.sort();
    files.push("corpus/flex/healthy-enhanced.response.xml".into());
    let inputs: Vec<&str> = one.iter().map(|r| r["input"].as_str().unwrap()).collect();
    assert_eq!(inputs, files);
    for r in &one {
        assert!(
            common::schema_errors(r).is_none(),
            "{}: {:?}",
            r["input"],
            common::schema_errors(r)
        );
    }
    let valid =
        one.iter().find(|r| r["input"] == "corpus/redirect/authnrequest-rsa-sha256.url").unwrap();
    assert_eq!(valid["messages"][0]["signatures"][0]["status"], "valid");
}

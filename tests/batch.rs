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

/// One capture of many messages (every Flex corpus form body, one HAR entry each) is parsed,
/// verified and checked by the rules on several threads: every format of its report is the
/// same byte for byte whatever the number of jobs.
#[test]
fn a_large_capture_reports_the_same_whatever_the_jobs() {
    let dir = format!("{}/corpus/flex", common::ROOT);
    let mut bodies: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".response.txt"))
        .map(|p| std::fs::read_to_string(p).unwrap().trim().to_string())
        .collect();
    bodies.sort();
    assert!(bodies.len() >= 16, "too few messages to run in parallel: {}", bodies.len());
    let entries: Vec<Value> = bodies
        .iter()
        .enumerate()
        .map(|(i, body)| {
            serde_json::json!({
                "startedDateTime": format!("2026-11-20T15:04:{:02}.000Z", i),
                "request": {
                    "method": "POST",
                    "url": "https://login.flex.us1.twilio.com/login/callback?connection=JQ0123456789abcdef0123456789abcdef",
                    "headers": [],
                    "postData": {"mimeType": "application/x-www-form-urlencoded", "text": body}
                },
                "response": {"status": 302, "headers": [], "content": {"size": 0, "mimeType": "text/html"}}
            })
        })
        .collect();
    let har = serde_json::json!({"log": {"version": "1.2", "entries": entries}});
    let path = std::env::temp_dir().join(format!("samlscope-jobs-{}.har", std::process::id()));
    std::fs::write(&path, serde_json::to_vec(&har).unwrap()).unwrap();
    let run = |format: &str, jobs: &str| {
        let out = Command::cargo_bin("samlscope")
            .unwrap()
            .current_dir(common::ROOT)
            .args(["analyze", path.to_str().unwrap(), "--format", format, "--jobs", jobs])
            .args(["--cert", "corpus/signed/keys/idp.pem", "--sp", "flex"])
            .args(["--at", "2026-11-20T15:04:30Z", "--width", "100"])
            .output()
            .unwrap();
        (out.stdout, out.status.code())
    };
    for format in ["json", "table", "markdown", "html"] {
        let one = run(format, "1");
        for jobs in ["2", "3"] {
            assert!(one == run(format, jobs), "{format} differs between 1 and {jobs} jobs");
        }
        assert_eq!(one.1, Some(1), "{format}: the corpus has error findings");
    }
    let report: Value = serde_json::from_slice(&run("json", "2").0).unwrap();
    // Two of the bodies carry the same message, which the report lists once.
    assert_eq!(report["messages"].as_array().unwrap().len(), bodies.len() - 1);
    // Findings on many messages, so that their order across threads is put to the test.
    let on: std::collections::BTreeSet<u64> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["message_index"].as_u64())
        .collect();
    assert!(on.len() >= 10, "findings on only {} messages", on.len());
    let _ = std::fs::remove_file(path);
}

//! Every case of corpus/har/cases.tsv (browser HAR and SAML-tracer exports of Flex +
//! Salesforce logins) run through the real binary: the exact set of rules that fire and the
//! exit status. See corpus/har/README.md.

use std::collections::BTreeSet;

use assert_cmd::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

#[test]
fn every_capture_yields_its_exact_findings() {
    let tsv = std::fs::read_to_string(format!("{ROOT}/corpus/har/cases.tsv")).unwrap();
    let mut lines = tsv.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let col = |n: &str| header.iter().position(|h| *h == n).unwrap();
    let mut failures = Vec::new();
    let mut fired_somewhere = BTreeSet::new();
    let mut cases = 0;
    for line in lines.filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = line.split('\t').collect();
        let (name, inputs, args, rules, exit) =
            (f[col("name")], f[col("inputs")], f[col("args")], f[col("rules")], f[col("exit")]);
        let mut cmd = Command::cargo_bin("samlscope").unwrap();
        cmd.current_dir(ROOT).arg("analyze").arg("--format").arg("json");
        cmd.args(inputs.split_whitespace().map(|i| format!("corpus/har/{i}")));
        cmd.args(args.split_whitespace().filter(|a| *a != "-"));
        let out = cmd.output().unwrap();
        let report: serde_json::Value =
            serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{name}: {e}"));
        let got: BTreeSet<String> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["rule"].as_str().unwrap().to_string())
            .collect();
        let want: BTreeSet<String> = rules
            .split(',')
            .map(str::trim)
            .filter(|r| *r != "-" && !r.is_empty())
            .map(String::from)
            .collect();
        let code = out.status.code().unwrap_or(-1).to_string();
        if got != want || code != exit {
            failures.push(format!("{name}: rules {got:?} exit {code}; want {want:?} exit {exit}"));
        }
        fired_somewhere.extend(got);
        cases += 1;
    }
    assert!(cases >= 15, "only {cases} cases");
    assert!(failures.is_empty(), "{} cases disagree:\n{}", failures.len(), failures.join("\n"));
    for rule in [
        "capture-incomplete",
        "profile-access-denied",
        "request-signature-required",
        "idp-error",
        "no-saml-messages",
    ] {
        assert!(fired_somewhere.contains(rule), "no corpus/har case fires {rule}");
    }
}

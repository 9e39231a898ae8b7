//! Every case of corpus/flex/cases.tsv (one per rule, plus healthy traces) run through the real
//! binary: the exact set of rules that fire and the exit status. See corpus/flex/README.md.

use std::collections::BTreeSet;

use assert_cmd::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

#[test]
fn every_rule_fires_on_its_case_and_healthy_traces_are_silent() {
    let tsv = std::fs::read_to_string(format!("{ROOT}/corpus/flex/cases.tsv")).unwrap();
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
        cmd.args(inputs.split_whitespace().map(|i| format!("corpus/flex/{i}")));
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
    assert!(cases >= 30, "only {cases} cases");
    assert!(failures.is_empty(), "{} cases disagree:\n{}", failures.len(), failures.join("\n"));
    // Every Flex and protocol rule has a case that fires it.
    for rule in samlscope::rules::RULES {
        // Input rules: corpus/inputs goldens; XSW and comment injection: corpus/signed;
        // capture evidence: corpus/har (tests/har_corpus.rs).
        let covered_elsewhere = [
            "input-error",
            "no-saml-messages",
            "signature-wrapping",
            "comment-injection",
            "capture-incomplete",
            "profile-access-denied",
            "request-signature-required",
            "idp-error",
        ];
        if !covered_elsewhere.contains(&rule.name) {
            assert!(fired_somewhere.contains(rule.name), "no corpus/flex case fires {}", rule.name);
        }
    }
}

//! Shared by the corpus tests: runs every case of a `cases.tsv` through the real binary.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use assert_cmd::Command;

/// The repository root.
pub const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The setup the HAR corpus (corpus/har/cases.tsv) is analysed with.
#[allow(dead_code)]
pub const HAR_SETUP: [&str; 8] = [
    "--cert",
    "corpus/signed/keys/idp.pem",
    "--flex-connection",
    "JQ0123456789abcdef0123456789abcdef",
    "--idp-issuer",
    "https://acme.my.salesforce.com",
    "--sso-url",
    "https://acme.my.salesforce.com/idp/endpoint/HttpRedirect",
];

/// What running a cases file showed.
pub struct Outcome {
    /// How many cases ran.
    pub cases: usize,
    /// One line per case whose rules or exit status differ from the file.
    pub failures: Vec<String>,
    /// Every rule that fired in some case.
    pub fired: BTreeSet<String>,
}

/// Runs `analyze --format json` for each row of `DIR/cases.tsv` (columns `name`, `inputs`
/// relative to DIR, `args` relative to the root, `rules` exact set or `-`, `exit`).
pub fn run_cases(dir: &str) -> Outcome {
    let tsv = std::fs::read_to_string(format!("{ROOT}/{dir}/cases.tsv")).unwrap();
    let mut lines = tsv.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let col = |n: &str| header.iter().position(|h| *h == n).unwrap();
    let mut outcome = Outcome { cases: 0, failures: Vec::new(), fired: BTreeSet::new() };
    for line in lines.filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = line.split('\t').collect();
        let (name, inputs, args) = (f[col("name")], f[col("inputs")], f[col("args")]);
        let (rules, exit) = (f[col("rules")], f[col("exit")]);
        let mut cmd = Command::cargo_bin("samlscope").unwrap();
        cmd.current_dir(ROOT).arg("analyze").arg("--format").arg("json");
        cmd.args(inputs.split_whitespace().map(|i| format!("{dir}/{i}")));
        cmd.args(args.split_whitespace().filter(|a| *a != "-"));
        let out = cmd.output().unwrap();
        let report: serde_json::Value =
            serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{name}: {e}"));
        if let Some(errors) = schema_errors(&report) {
            outcome
                .failures
                .push(format!("{name}: report breaks schema/report.schema.json: {errors}"));
        }
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
            outcome
                .failures
                .push(format!("{name}: rules {got:?} exit {code}; want {want:?} exit {exit}"));
        }
        outcome.fired.extend(got);
        outcome.cases += 1;
    }
    outcome
}

/// Runs `dir`'s cases like [`run_cases`] and fails the test unless there are at least
/// `min_cases` and every one agrees with the file; returns the outcome for further checks.
pub fn assert_cases(dir: &str, min_cases: usize) -> Outcome {
    let o = run_cases(dir);
    assert!(o.cases >= min_cases, "{dir}: only {} cases", o.cases);
    assert!(
        o.failures.is_empty(),
        "{dir}: {} cases disagree:\n{}",
        o.failures.len(),
        o.failures.join("\n")
    );
    o
}

/// Checks a JSON report against the published contract; `None` when it conforms.
pub fn schema_errors(report: &serde_json::Value) -> Option<String> {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    let validator = VALIDATOR.get_or_init(|| {
        let text = std::fs::read_to_string(format!("{ROOT}/schema/report.schema.json")).unwrap();
        let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
        jsonschema::validator_for(&schema).expect("schema/report.schema.json is a valid schema")
    });
    let errors: Vec<String> =
        validator.iter_errors(report).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    (!errors.is_empty()).then(|| errors.join("; "))
}

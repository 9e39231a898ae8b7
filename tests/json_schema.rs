//! The JSON report contract: every golden JSON output conforms to `schema/report.schema.json`,
//! and the schema rejects reports that break it. (Corpus runs validate their reports too.)

#[allow(dead_code)] // shares the corpus runner with the corpus tests
mod common;

use common::{schema_errors, ROOT};

#[test]
fn golden_json_reports_conform_to_the_schema() {
    let mut checked = 0;
    for entry in std::fs::read_dir(format!("{ROOT}/tests/cmd")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("stdout") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let Ok(report) = serde_json::from_str::<serde_json::Value>(&text) else { continue };
        if report.get("verdict").is_none() {
            continue; // JSON but not a report, e.g. `rules --format json`
        }
        if let Some(errors) = schema_errors(&report) {
            panic!("{}: {errors}", path.display());
        }
        checked += 1;
    }
    assert!(checked >= 4, "only {checked} golden JSON reports found");
}

#[test]
fn schema_rejects_a_report_that_breaks_the_contract() {
    let text =
        std::fs::read_to_string(format!("{ROOT}/tests/cmd/analyze-tampered-json.stdout")).unwrap();
    let good: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(schema_errors(&good), None);

    let mut unknown_verdict = good.clone();
    unknown_verdict["verdict"] = "maybe".into();
    assert!(schema_errors(&unknown_verdict).is_some());

    let mut missing_rule = good.clone();
    missing_rule["findings"][0].as_object_mut().unwrap().remove("rule");
    assert!(schema_errors(&missing_rule).is_some());

    let mut extra_key = good;
    extra_key["surprise"] = true.into();
    assert!(schema_errors(&extra_key).is_some());
}

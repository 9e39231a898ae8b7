//! `samlscope diff GOOD BAD`: each broken variant of the Flex corpus against the healthy trace
//! it was made from names exactly the difference that was introduced (values that always
//! differ — IDs, instants, signature values — never show); each broken HAR against the healthy
//! capture links every new finding to a difference.

#[allow(dead_code)]
mod common;

use std::collections::BTreeSet;

use assert_cmd::Command;
use serde_json::Value;

/// Each variant of corpus/flex and the facts that differ from the healthy trace.
const FLEX: &[(&str, &[&str])] = &[
    (
        "attribute-namespaced.response.txt",
        &[
            "attribute http://schemas.microsoft.com/ws/2008/06/identity/claims/role",
            "attribute roles",
        ],
    ),
    ("audience-legacy.response.txt", &["audience"]),
    ("audience-other-connection.response.txt", &["audience"]),
    (
        "cert-expired.response.xml",
        &["Assertion signing certificate", "Response signing certificate", "signed"],
    ),
    (
        "cert-mismatch.response.xml",
        &["Assertion signing certificate", "Response signing certificate", "signed"],
    ),
    ("destination-no-connection.response.txt", &["destination"]),
    ("email-missing.response.txt", &["attribute email"]),
    ("encrypted-assertion.response.txt", &["assertion", "signed"]),
    ("full-name-missing.response.txt", &["attribute full_name"]),
    ("healthy-enhanced.response.txt", &[]),
    ("healthy-enhanced.response.xml", &[]),
    ("healthy-idp-initiated.response.txt", &["InResponseTo", "relay state"]),
    ("healthy-legacy.response.txt", &["audience", "destination", "recipient"]),
    ("multi-problem.response.txt", &["attribute full_name", "attribute roles", "audience"]),
    ("nameid-format-email.response.txt", &["NameID format"]),
    ("nameid-missing.response.txt", &["NameID"]),
    ("recipient-other-connection.response.txt", &["recipient"]),
    ("relay-state-dropped.response.txt", &["relay state"]),
    ("roles-missing.response.txt", &["attribute roles"]),
    ("roles-multi-in-one.response.txt", &["attribute roles"]),
    ("roles-multi-values.response.txt", &["attribute roles"]),
    ("roles-quoted.response.txt", &["attribute roles"]),
    ("roles-typographic.response.txt", &["attribute roles"]),
    ("roles-unknown.response.txt", &["attribute roles"]),
    ("signature-invalid.response.xml", &["NameID", "signed"]),
    ("sso-config-mixed.response.txt", &["destination", "recipient"]),
    ("status-error.response.txt", &["assertion", "signed", "status"]),
    ("unsigned.response.xml", &["signed"]),
    ("weak-algorithm.response.xml", &["Assertion signature method", "Response signature method"]),
];

fn diff(good: &str, bad: &str, extra: &[&str]) -> (Value, i32) {
    let out = Command::cargo_bin("samlscope")
        .unwrap()
        .current_dir(common::ROOT)
        .args(["diff", good, bad, "--format", "json"])
        .args(common::HAR_SETUP)
        .args(extra)
        .output()
        .unwrap();
    (serde_json::from_slice(&out.stdout).unwrap(), out.status.code().unwrap())
}

#[test]
fn each_flex_variant_names_the_one_difference_introduced() {
    let mut failures = Vec::new();
    for (variant, want) in FLEX {
        let good = if variant.ends_with(".xml") {
            "corpus/flex/healthy-enhanced.response.xml"
        } else {
            "corpus/flex/healthy-enhanced.response.txt"
        };
        let (d, code) =
            diff(good, &format!("corpus/flex/{variant}"), &["--at", "2026-11-20T15:04:30Z"]);
        let got: BTreeSet<&str> = d["differences"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["fact"].as_str().unwrap())
            .collect();
        let want: BTreeSet<&str> = want.iter().copied().collect();
        if got != want {
            failures.push(format!("{variant}: {got:?}, want {want:?}"));
        }
        let expected_code =
            if want.is_empty() && d["new_findings"].as_array().unwrap().is_empty() { 0 } else { 1 };
        if code != expected_code {
            failures.push(format!("{variant}: exit {code}, want {expected_code}"));
        }
        // Every new finding is explained by a difference, and those come first.
        for rule in d["new_findings"].as_array().unwrap() {
            let linked = d["differences"]
                .as_array()
                .unwrap()
                .iter()
                .any(|x| x["explains"].as_array().unwrap().contains(rule));
            if !linked {
                failures.push(format!("{variant}: {rule} is linked to no difference"));
            }
        }
        let explains: Vec<bool> = d["differences"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| !x["explains"].as_array().unwrap().is_empty())
            .collect();
        if explains.windows(2).any(|w| !w[0] && w[1]) {
            failures.push(format!("{variant}: an unlinked difference comes before a linked one"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn each_broken_capture_links_its_findings_to_differences() {
    let captures = [
        "audience-mismatch.har",
        "idp-error.har",
        "in-response-to-mismatch.har",
        "multi-problem.har",
        "no-preserve-log.har",
        "no-saml.har",
        "profile-access-denied.har",
        "relay-state-dropped.har",
        "request-signature-required.har",
        "roles-invalid.har",
        "bodies-stripped-firefox.har",
    ];
    for bad in captures {
        let (d, code) = diff("corpus/har/success-chrome.har", &format!("corpus/har/{bad}"), &[]);
        assert_eq!(code, 1, "{bad}");
        let new = d["new_findings"].as_array().unwrap();
        assert!(!new.is_empty(), "{bad}: no new finding");
        for rule in new {
            let linked = d["differences"]
                .as_array()
                .unwrap()
                .iter()
                .any(|x| x["explains"].as_array().unwrap().contains(rule));
            assert!(linked, "{bad}: {rule} is linked to no difference: {d}");
        }
    }
    let (d, code) = diff("corpus/har/success-chrome.har", "corpus/har/success-firefox.har", &[]);
    assert_eq!(
        (code, d["differences"].as_array().unwrap().len()),
        (0, 0),
        "two healthy browsers: {d}"
    );
}

#[test]
fn a_cookie_the_browser_stopped_sending_is_a_difference() {
    let bytes = std::fs::read(format!("{}/corpus/har/success-chrome.har", common::ROOT)).unwrap();
    let har: Value =
        serde_json::from_slice(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes)).unwrap();
    let with_cookie = |names: &[&str]| {
        let mut h = har.clone();
        for e in h["log"]["entries"].as_array_mut().unwrap() {
            if e["request"]["method"] == "POST" {
                e["request"]["cookies"] =
                    names.iter().map(|n| serde_json::json!({"name": n, "value": "v"})).collect();
            }
        }
        h
    };
    let dir = std::env::temp_dir().join(format!("samlscope-diff-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (good, bad) = (dir.join("good.har"), dir.join("bad.har"));
    std::fs::write(&good, with_cookie(&["did", "auth0_compat"]).to_string()).unwrap();
    std::fs::write(&bad, with_cookie(&["did"]).to_string()).unwrap();
    let (d, code) = diff(good.to_str().unwrap(), bad.to_str().unwrap(), &[]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(code, 1);
    let diffs = d["differences"].as_array().unwrap();
    assert_eq!(diffs.len(), 1, "{d}");
    assert!(diffs[0]["good"].as_str().unwrap().contains("cookies: auth0_compat did"), "{d}");
    assert!(diffs[0]["bad"].as_str().unwrap().contains("cookies: did)"), "{d}");
}

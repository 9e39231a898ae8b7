//! Responses shaped like each IdP's real output (corpus/idp, see its README): a healthy one for
//! a generic service provider reports nothing and names neither Salesforce nor Flex; the same
//! IdP's output for Twilio Flex fires the Flex rules with fixes that name that IdP's console.

mod common;

use assert_cmd::Command;

#[test]
fn every_idp_case_yields_its_exact_findings() {
    common::assert_cases("corpus/idp", 18);
}

/// The console each IdP's fixes must name.
fn console(idp: &str) -> &'static str {
    match idp {
        "okta" => "Okta Admin Console",
        "entra" => "Microsoft Entra admin center",
        "adfs" => "AD FS Management",
        "google" => "Google Admin console",
        "onelogin" => "OneLogin Administration",
        "pingfederate" => "PingFederate administrative console",
        "keycloak" => "Keycloak Admin Console",
        "shibboleth" => "Shibboleth IdP",
        "auth0" => "Auth0 Dashboard",
        other => panic!("no console for {other}"),
    }
}

#[test]
fn fixes_name_the_idp_in_the_trace_and_nothing_else() {
    let tsv = std::fs::read_to_string(format!("{}/corpus/idp/cases.tsv", common::ROOT)).unwrap();
    let mut lines = tsv.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let col = |n: &str| header.iter().position(|h| *h == n).unwrap();
    let mut problems = Vec::new();
    for line in lines.filter(|l| !l.is_empty()) {
        let f: Vec<&str> = line.split('\t').collect();
        let (name, idp) = (f[col("name")], f[col("idp")]);
        let out = Command::cargo_bin("samlscope")
            .unwrap()
            .current_dir(common::ROOT)
            .args(["analyze", "--format", "json", &format!("corpus/idp/{}", f[col("inputs")])])
            .args(f[col("args")].split_whitespace())
            .output()
            .unwrap();
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        if report["profile"]["idp"] != idp {
            problems.push(format!("{name}: profile {}", report["profile"]));
        }
        for finding in report["findings"].as_array().unwrap() {
            let text = format!("{} {}", finding["message"], finding["fix"]);
            if text.contains("Salesforce") {
                problems.push(format!("{name}: names Salesforce: {text}"));
            }
            if name.ends_with("-flex") && !text.contains(console(idp)) {
                problems.push(format!("{name}: fix does not name {}: {text}", console(idp)));
            }
            if name.ends_with("-generic") && (text.contains("Flex") || text.contains("Twilio")) {
                problems.push(format!("{name}: names Flex: {text}"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

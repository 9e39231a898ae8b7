//! Redirect-binding signatures (corpus/redirect, signed with the openssl command line over the
//! exact query octets) and a POST AuthnRequest signed by xmlsec1: verified with the SP
//! certificate (or the IdP's, for what the IdP sends); a changed query fails, and a re-encoded
//! one is named as such.

mod common;

use assert_cmd::Command;
use serde_json::Value;

const DIR: &str = "corpus/redirect";

#[test]
fn every_redirect_case_yields_its_exact_findings() {
    common::assert_cases(DIR, 14);
}

#[test]
fn every_case_gets_its_signature_verdict_and_reencodings_are_named() {
    let tsv = std::fs::read_to_string(format!("{}/{DIR}/cases.tsv", common::ROOT)).unwrap();
    for line in tsv.lines().skip(1).filter(|l| !l.is_empty()) {
        let f: Vec<&str> = line.split('\t').collect();
        let (name, input, args, want) = (f[0], f[1], f[2], f[5]);
        let out = Command::cargo_bin("samlscope")
            .unwrap()
            .current_dir(common::ROOT)
            .args(["analyze", "--format", "json", &format!("{DIR}/{input}")])
            .args(args.split_whitespace())
            .output()
            .unwrap();
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        let sigs = report["messages"][0]["signatures"].as_array().unwrap();
        let sig = sigs.last().unwrap_or_else(|| panic!("{name}: no signature"));
        assert_eq!(sig["status"], want, "{name}: {sig}");
        let reason = sig["reason"].as_str().unwrap_or_default();
        if input.ends_with(".url") {
            assert_eq!(sig["covers"], "query string", "{name}");
        }
        assert_eq!(
            reason.contains("re-encoded after it was signed"),
            name.starts_with("reencoded"),
            "{name}: {reason}"
        );
        if want == "not-checked" {
            let verdict = report["verdict"].as_str().unwrap();
            assert_eq!(verdict, "not-checked", "{name}");
        }
    }
}

#[test]
fn the_verdict_line_names_the_flag_for_an_unchecked_redirect_signature() {
    let out = Command::cargo_bin("samlscope")
        .unwrap()
        .current_dir(common::ROOT)
        .args(["analyze", "corpus/redirect/authnrequest-rsa-sha256.url"])
        .output()
        .unwrap();
    let text =
        String::from_utf8(out.stdout).unwrap().split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        text.contains("the Redirect binding's signature (give --sp-cert or --sp-metadata)"),
        "{text}"
    );
}

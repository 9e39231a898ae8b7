//! Encrypted assertions (corpus/encrypted, made by xmlsec1 and by the openssl command line):
//! with the SP key each layout and algorithm pair decrypts, the inner user, attributes and
//! signature verdict are reported and every rule runs on them; a wrong key names both
//! fingerprints; tampering and unsupported algorithms are said in words.

mod common;

use assert_cmd::Command;
use serde_json::Value;

const DIR: &str = "corpus/encrypted";

#[test]
fn every_encrypted_case_yields_its_exact_findings() {
    let o = common::assert_cases(DIR, 28);
    for rule in
        ["encrypted-assertion", "decryption-failed", "encryption-key-mismatch", "weak-encryption"]
    {
        assert!(o.fired.contains(rule), "no case fires {rule}");
    }
}

fn analyze(args: &[&str]) -> (Value, i32) {
    let out = Command::cargo_bin("samlscope")
        .unwrap()
        .current_dir(common::ROOT)
        .args(["analyze", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    (serde_json::from_slice(&out.stdout).unwrap(), out.status.code().unwrap())
}

/// The assertion a service provider reads, from a JSON report.
fn consumed(report: &Value) -> Value {
    report["messages"][0]["assertions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["consumed"] == true)
        .cloned()
        .unwrap_or(Value::Null)
}

#[test]
fn decrypted_assertions_show_their_user_attributes_and_signature() {
    let tsv = std::fs::read_to_string(format!("{}/{DIR}/cases.tsv", common::ROOT)).unwrap();
    let mut checked = 0;
    for line in tsv.lines().skip(1).filter(|l| !l.is_empty()) {
        let f: Vec<&str> = line.split('\t').collect();
        let (name, input, args, name_id) = (f[0], f[1], f[2], f[5]);
        if name_id == "-" {
            continue;
        }
        let path = format!("{DIR}/{input}");
        let mut all = vec![path.as_str()];
        all.extend(args.split_whitespace());
        let (report, _) = analyze(&all);
        let a = consumed(&report);
        assert_eq!(a["name_id"], name_id, "{name}");
        assert_eq!(
            (a["encrypted"].clone(), a["decrypted"].clone()),
            (true.into(), true.into()),
            "{name}"
        );
        assert!(a["encryption"]["key"].as_str().unwrap().ends_with(".key"), "{name}");
        if !name.starts_with("decoy") {
            assert!(a["attributes"]["email"][0].as_str().is_some(), "{name}: attributes");
        }
        let layers = report["messages"][0]["layers"].as_array().unwrap();
        assert!(
            layers.last().unwrap().as_str().unwrap().starts_with("XML decryption ("),
            "{name}: decryption is a decoding layer"
        );
        let want = match name {
            "forged-encrypted-only" => "uncovered",
            "inner-signature-other-cert" => "broken",
            _ => "verified",
        };
        assert_eq!(a["trust"], want, "{name}");
        checked += 1;
    }
    assert!(checked >= 19, "{checked}");
}

#[test]
fn a_wrong_key_names_both_fingerprints() {
    // Computed here with openssl directly, not through samlscope's own code.
    let read = |p: &str| std::fs::read(format!("{}/{p}", common::ROOT)).unwrap();
    let hex = |d: &[u8]| d.iter().map(|b| format!("{b:02x}")).collect::<String>();
    let sha256 = |der: &[u8]| hex(&openssl::sha::sha256(der));
    let cert = openssl::x509::X509::from_pem(&read("corpus/encrypted/keys/sp-old.pem")).unwrap();
    let idp_holds = sha256(&cert.to_der().unwrap());
    let key =
        openssl::pkey::PKey::private_key_from_pem(&read("corpus/encrypted/keys/sp.key")).unwrap();
    let ours = sha256(&key.public_key_to_der().unwrap());
    let (report, code) =
        analyze(&["corpus/encrypted/wrong-key.xml", "--sp-key", "corpus/encrypted/keys/sp.key"]);
    assert_eq!(code, 1);
    let f = &report["findings"][0];
    assert_eq!(f["rule"], "encryption-key-mismatch");
    assert!(f["observed"].as_str().unwrap().contains(&idp_holds), "{f}");
    assert!(f["expected"].as_str().unwrap().contains(&ours), "{f}");
}

#[test]
fn an_encrypted_sp_key_opens_with_the_password_from_the_environment() {
    let run = |password: Option<&str>| {
        let mut cmd = Command::cargo_bin("samlscope").unwrap();
        cmd.current_dir(common::ROOT).env_remove("SP_KEY_PASSWORD").args([
            "analyze",
            "--format",
            "json",
            "corpus/encrypted/xmlsec-oaep-aes128-gcm.xml",
            "--sp-key",
            "corpus/encrypted/keys/sp-encrypted.key",
            "--sp-key-password-env",
            "SP_KEY_PASSWORD",
        ]);
        if let Some(p) = password {
            cmd.env("SP_KEY_PASSWORD", p);
        }
        cmd.output().unwrap()
    };
    let ok = run(Some("correct horse battery staple"));
    let report: Value = serde_json::from_slice(&ok.stdout).unwrap();
    assert_eq!(consumed(&report)["name_id"], "ada@example.com");
    let wrong = run(Some("wrong"));
    assert_eq!(wrong.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("does not open with this password"));
    let unset = run(None);
    assert_eq!(unset.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unset.stderr).contains("SP_KEY_PASSWORD is not set"));
}

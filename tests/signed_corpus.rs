//! Every file of corpus/signed (made with xmlsec1, see its README) gets the per-signature status
//! and the exact findings recorded in manifest.tsv: samlscope agrees with xmlsec1 on every file,
//! and flags signature-wrapping where xmlsec1 says OK to an attack.

use std::collections::BTreeSet;
use std::path::Path;

use samlscope::analysis::{analyze, Input, Limits};
use samlscope::config::Config;
use samlscope::dsig::load_certificates;
use samlscope::rules::Selection;
use samlscope::saml::time::Instant;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/signed");

struct Row {
    file: String,
    expect: String,
    findings: String,
    trusted_cert: String,
}

fn manifest() -> Vec<Row> {
    let text = std::fs::read_to_string(Path::new(DIR).join("manifest.tsv")).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (file, expect, findings, cert) =
        (col("file"), col("expect"), col("findings"), col("trusted_cert"));
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            Row {
                file: f[file].into(),
                expect: f[expect].into(),
                findings: f[findings].into(),
                trusted_cert: f[cert].into(),
            }
        })
        .collect()
}

fn check(row: &Row) -> Result<(), String> {
    let cert = std::fs::read(Path::new(DIR).join("keys").join(&row.trusted_cert)).unwrap();
    let config = Config {
        certs: load_certificates(&cert).unwrap(),
        at: Some(Instant::parse("2026-11-20T15:04:05Z").unwrap()),
        skew: 180_000_000,
        ..Config::default()
    };
    let bytes = std::fs::read(Path::new(DIR).join(&row.file)).unwrap();
    let input = Input::bytes(row.file.clone(), bytes);
    let analysis = analyze(vec![input], &config, &Selection::default(), Limits::default());
    let m = analysis.messages.first().ok_or("no message")?;
    let doc = m.doc.as_ref().ok_or_else(|| format!("not parsed: {:?}", m.xml_error))?;
    let got: Vec<String> = m
        .verdicts
        .iter()
        .map(|v| {
            let parent = v
                .parent
                .and_then(|p| doc.element(p))
                .map(|e| e.local().to_string())
                .unwrap_or_default();
            format!("{parent}:{}", v.status.as_str())
        })
        .collect();
    let got = if got.is_empty() { "-".to_string() } else { got.join(";") };
    let findings: BTreeSet<&str> = analysis.findings.iter().map(|f| f.rule).collect();
    let want: BTreeSet<&str> =
        row.findings.split(',').map(str::trim).filter(|s| *s != "-" && !s.is_empty()).collect();
    // The manifest numbers same-named parents (`Assertion#2`); the parent's name is what counts.
    let expect: String = row
        .expect
        .split(';')
        .map(|part| match part.split_once(':') {
            Some((label, status)) => {
                format!("{}:{status}", label.split('#').next().unwrap_or(label))
            }
            None => part.to_string(),
        })
        .collect::<Vec<_>>()
        .join(";");
    if got != expect || findings != want {
        let reasons: Vec<String> = m.verdicts.iter().filter_map(|v| v.reason.clone()).collect();
        return Err(format!(
            "{}: signatures {got} (want {}), findings {findings:?} (want {want:?}); reasons {reasons:?}",
            row.file, row.expect
        ));
    }
    Ok(())
}

#[test]
fn samlscope_agrees_with_xmlsec1_on_every_generated_file() {
    let rows = manifest();
    assert!(rows.len() >= 70, "manifest has {} rows", rows.len());
    let failures: Vec<String> = rows.iter().filter_map(|r| check(r).err()).collect();
    assert!(
        failures.is_empty(),
        "{} of {} files disagree:\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n")
    );
}

#[test]
fn an_algorithm_samlscope_lacks_is_unsupported_never_valid_or_invalid() {
    let xml = std::fs::read_to_string(Path::new(DIR).join("salesforce-response.xml")).unwrap();
    let cases = [
        (
            "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
            "http://example.org/sig#quantum",
            "unsupported SignatureMethod",
        ),
        (
            "http://www.w3.org/2001/04/xmlenc#sha256",
            "http://example.org/digest#md4",
            "unsupported DigestMethod",
        ),
        (
            "http://www.w3.org/2000/09/xmldsig#enveloped-signature",
            "http://www.w3.org/TR/1999/REC-xpath-19991116",
            "unsupported Transform",
        ),
    ];
    let cert = std::fs::read(Path::new(DIR).join("keys/idp.pem")).unwrap();
    let config = Config { certs: load_certificates(&cert).unwrap(), ..Config::default() };
    for (from, to, reason) in cases {
        let changed = xml.replacen(from, to, 1);
        assert_ne!(changed, xml, "{from} not in the corpus file");
        let analysis = analyze(
            vec![Input::bytes("t", changed.into_bytes())],
            &config,
            &Selection::default(),
            Limits::default(),
        );
        let v = &analysis.messages[0].verdicts[0];
        assert_eq!(v.status.as_str(), "unsupported", "{to}");
        assert!(v.reason.as_deref().unwrap_or_default().starts_with(reason), "{:?}", v.reason);
        // A signature nobody can check must not let the response through.
        assert!(
            analysis.findings.iter().any(|f| f.rule == "signature-invalid"),
            "{to}: {:?}",
            analysis.findings
        );
    }
}

/// Attacks found in review: each must be caught, with the right diagnosis.
#[test]
fn review_attacks_are_caught() {
    let read = |f: &str| std::fs::read_to_string(Path::new(DIR).join(f)).unwrap();
    let cert = std::fs::read(Path::new(DIR).join("keys/idp.pem")).unwrap();
    let with_cert = Config { certs: load_certificates(&cert).unwrap(), ..Config::default() };
    let rules = |xml: String, config: &Config| -> Vec<&'static str> {
        let a = analyze(
            vec![Input::bytes("t", xml.into_bytes())],
            config,
            &Selection::default(),
            Limits::default(),
        );
        a.findings.iter().map(|f| f.rule).collect()
    };
    // Forged NameID, digests switched to an unsupported algorithm.
    let forged = read("salesforce-response.xml")
        .replace("ada@acme.com</saml:NameID>", "admin@evil.example</saml:NameID>")
        .replace(
            "http://www.w3.org/2001/04/xmlenc#sha256",
            "http://www.w3.org/2001/04/xmldsig-more#md5",
        );
    assert!(rules(forged, &with_cert).contains(&"signature-invalid"));
    // KeyInfo removed and the value broken, no certificate given: not "unverified-key".
    let xml = read("salesforce-assertion-signed.xml");
    let start = xml.find("<ds:KeyInfo").unwrap();
    let end = xml.find("</ds:KeyInfo>").unwrap() + "</ds:KeyInfo>".len();
    let sv = xml.find("<ds:SignatureValue>").unwrap() + "<ds:SignatureValue>".len();
    let sv_end = xml.find("</ds:SignatureValue>").unwrap();
    let stripped = format!("{}AAAA{}{}", &xml[..sv], &xml[sv_end..start], &xml[end..]);
    let a = analyze(
        vec![Input::bytes("t", stripped.into_bytes())],
        &Config::default(),
        &Selection::default(),
        Limits::default(),
    );
    // Nothing proves or disproves it: "not checked", no error, and the assertion is not
    // shown as trusted.
    assert_eq!(a.messages[0].verdicts[0].status.as_str(), "not-checked");
    assert!(!a.findings.iter().any(|f| f.rule == "signature-invalid"), "{:?}", a.findings);
    assert_eq!(a.messages[0].trust.coverage, [samlscope::trust::Coverage::NotChecked]);
    // An EncryptedAssertion placed before the signed Assertion is wrapping, not a setting.
    let enc = "<saml:EncryptedAssertion xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\"><xenc:EncryptedData xmlns:xenc=\"http://www.w3.org/2001/04/xmlenc#\"/></saml:EncryptedAssertion>";
    let xml = read("salesforce-assertion-signed.xml");
    let at = xml.find("<saml:Assertion").unwrap();
    let wrapped = format!("{}{enc}{}", &xml[..at], &xml[at..]);
    let found = rules(wrapped, &with_cert);
    assert!(
        found.contains(&"signature-wrapping") && !found.contains(&"encrypted-assertion"),
        "{found:?}"
    );
}

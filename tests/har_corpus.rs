//! Every case of corpus/har/cases.tsv (browser HAR and SAML-tracer exports of Flex +
//! Salesforce logins) run through the real binary: the exact set of rules that fire and the
//! exit status. See corpus/har/README.md.

mod common;

#[test]
fn every_capture_yields_its_exact_findings() {
    let o = common::assert_cases("corpus/har", 15);
    for rule in [
        "capture-incomplete",
        "profile-access-denied",
        "request-signature-required",
        "idp-error",
        "no-saml-messages",
    ] {
        assert!(o.fired.contains(rule), "no corpus/har case fires {rule}");
    }
}

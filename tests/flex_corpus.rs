//! Every case of corpus/flex/cases.tsv (one per rule, plus healthy traces) run through the real
//! binary: the exact set of rules that fire and the exit status. See corpus/flex/README.md.

mod common;

#[test]
fn every_rule_fires_on_its_case_and_healthy_traces_are_silent() {
    let o = common::assert_cases("corpus/flex", 30);
    // Every rule has a case that fires it here, except those whose cases live elsewhere:
    // input rules in corpus/inputs goldens, XSW, comment injection and where assertions sit in
    // corpus/signed, capture evidence in corpus/har (tests/har_corpus.rs), decryption in
    // corpus/encrypted (tests/encrypted_corpus.rs).
    let covered_elsewhere = [
        "input-error",
        "no-saml-messages",
        "parameter-repeated",
        "signature-wrapping",
        "comment-injection",
        "message-unknown",
        "assertion-unexpected",
        "assertion-missing",
        "assertion-lookalike",
        "multiple-assertions",
        "keyinfo-mismatch",
        "algorithm-nonstandard",
        "capture-incomplete",
        "profile-access-denied",
        "request-signature-required",
        "idp-error",
        "decryption-failed",
        "encryption-key-mismatch",
        "weak-encryption",
    ];
    for rule in samlscope::rules::RULES.iter().map(|r| r.name) {
        if !covered_elsewhere.contains(&rule) {
            assert!(o.fired.contains(rule), "no corpus/flex case fires {rule}");
        }
    }
}

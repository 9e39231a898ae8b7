//! The one list of every rule: name, severity, summary, documentation, what it needs, and its
//! check. `samlscope rules` and `samlscope explain` print this table.

use super::{
    assertions, capture, encryption, flex, input, protocol, signature, Context, Finding, Need,
    Rule, Severity,
};

use super::Scope::{Any, Flex};
use crate::profile::{Idp, IdpSetting};
use Severity::{Error, Warning};

/// The IdP setting a rule's fix changes, if it is one: `explain` shows where it is at every IdP.
pub fn idp_setting(rule: &str) -> Option<IdpSetting> {
    use IdpSetting::*;
    Some(match rule {
        "audience-mismatch" | "sso-config-mixed" => SpEntityId,
        "destination-mismatch" | "recipient-mismatch" | "acs-url-mismatch" => AcsUrl,
        "unsigned" => SigningScope,
        "cert-mismatch" | "cert-expired" | "signature-invalid" | "keyinfo-mismatch" => {
            SigningCertificate
        }
        "weak-algorithm" | "algorithm-nonstandard" => SignatureAlgorithm,
        "encrypted-assertion" | "encryption-key-mismatch" | "weak-encryption" => Encryption,
        "nameid-missing" | "nameid-format" => NameId,
        "roles-missing"
        | "roles-invalid"
        | "full-name-missing"
        | "email-missing"
        | "attribute-namespaced" => Attributes,
        "profile-access-denied" => UserAccess,
        "request-signature-required" => RequestSignature,
        "idp-error" | "status-error" => Logs,
        "relay-state-dropped" => StartUrl,
        _ => return None,
    })
}

/// The Flex attribute a rule is about.
fn flex_attribute(rule: &str) -> Option<&'static str> {
    match rule {
        "roles-missing" | "roles-invalid" => Some("roles"),
        "full-name-missing" => Some("full_name"),
        "email-missing" => Some("email"),
        _ => None,
    }
}

/// `explain RULE`: the documentation, then where the fix's setting is at each IdP (or at
/// `only`), with the vendor page that shows it.
pub fn explain(rule: &Rule, only: Option<Idp>) -> String {
    let mut out =
        format!("# {} ({})\n\n{}\n\n{}", rule.name, rule.severity.as_str(), rule.summary, rule.doc);
    if rule.scope == super::Scope::Flex {
        out.push_str("\nRuns only under the Flex service-provider profile (a Flex flag, a Flex trace, or --sp flex).\n");
    }
    let Some(setting) = idp_setting(rule.name) else { return out };
    out.push_str("\n## Where, by IdP\n");
    let idps: Vec<Idp> = match only {
        Some(i) => vec![i],
        None => Idp::ALL.to_vec(),
    };
    for i in idps {
        let (place, doc) = crate::profile::idp::setting(i, setting);
        out.push_str(&format!(
            "- {}: {}\n",
            i.name(),
            place.replace("{app}", "the service provider's application")
        ));
        if let Some(attr) = flex_attribute(rule.name) {
            let value = crate::profile::idp::flex_attribute_value(i, attr);
            out.push_str(&format!("  {attr} = {value}\n"));
        }
        if !doc.is_empty() {
            out.push_str(&format!("  ({doc})\n"));
        }
    }
    out
}

/// Looks a rule up by name, in any case.
pub fn find_rule(name: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.name.eq_ignore_ascii_case(name.trim()))
}

/// The rule name closest to a mistyped `name`, when one is close enough to be meant.
pub fn suggest_rule(name: &str) -> Option<&'static str> {
    let name = name.trim().to_ascii_lowercase();
    RULES
        .iter()
        .map(|r| (strsim::damerau_levenshtein(&name, r.name), r.name))
        .filter(|(d, _)| *d <= 3)
        .min()
        .map(|(_, n)| n)
}

/// `unknown rule "x"` with a hint naming the closest rule, or `samlscope rules`.
pub fn unknown_rule(name: &str) -> String {
    match suggest_rule(name) {
        Some(s) => {
            format!("unknown rule {name:?}\nhint: did you mean {s}? `samlscope rules` lists them")
        }
        None => format!("unknown rule {name:?}\nhint: `samlscope rules` lists them"),
    }
}

fn expired(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    protocol::validity_window(ctx, out, true);
}

fn not_yet_valid(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    protocol::validity_window(ctx, out, false);
}

macro_rules! rules {
    ($( $name:literal, $sev:expr, $needs:expr, $scope:expr, $check:path, $summary:literal,
        what: $what:literal, why: $why:literal, fix: $fix:literal, example: $example:literal; )*) => {
        /// Every rule, in report order.
        pub static RULES: &[Rule] = &[$(Rule {
            name: $name,
            severity: $sev,
            summary: $summary,
            doc: concat!("## What it checks\n", $what, "\n\n## Why it breaks the login\n", $why,
                         "\n\n## How to fix it\n", $fix, "\n\n## Example\n", $example, "\n"),
            needs: $needs,
            scope: $scope,
            check: $check,
        }),*];
    };
}

rules! {
    "input-error", Error, None, Any, input::input_error, "an input or payload could not be decoded",
        what: "Every decoding layer — URL decoding, base64, DEFLATE, XML — of every input. The finding names the layer and the position that failed (base64 offset, XML line:column). A DOCTYPE is always refused.",
        why: "A payload that cannot be decoded cannot be checked; a service provider rejects it the same way.",
        fix: "Capture the login again and export the whole value (a HAR with content, or the full SAMLResponse). Copying from a log often truncates or re-encodes it.",
        example: "`input-error: SAMLResponse: base64: invalid character '*' at offset 812`";
    "no-saml-messages", Error, None, Any, input::no_saml_messages, "the inputs contain no SAML message",
        what: "That at least one SAMLRequest or SAMLResponse was found in the inputs.",
        why: "Without the messages nothing can be diagnosed. In a HAR this usually means \"Preserve log\" was off, so the POST back to Flex was lost when the page changed.",
        fix: "In the browser's developer tools, Network tab, tick \"Preserve log\", reproduce the login, then export the HAR with content.",
        example: "A HAR of the Flex page only, without the Salesforce hop or the POST to the ACS URL.";
    "capture-incomplete", Error, None, Any, capture::capture_incomplete, "the capture left out the bodies that carry the SAML messages",
        what: "HAR entries whose request or response bodies were not exported (Firefox's \"bodies are not included\" comment, a POST to the ACS without a body).",
        why: "The SAMLResponse travels in a POST body; without it nothing can be checked.",
        fix: "Export the HAR again with content (Chrome: \"Export HAR (with sensitive data)\"; Firefox: enable response bodies in the network settings).",
        example: "`\"postData\": {\"text\": \"\", \"comment\": \"Request bodies are not included.\"}`";
    "profile-access-denied", Error, None, Any, capture::profile_access_denied, "Salesforce refused the user: no profile access to the app",
        what: "The page Salesforce returned for the AuthnRequest instead of an auto-post form, for \"User does not have access to this service provider\".",
        why: "Only users whose profile lists the Twilio Flex connected app may use it (guide: Assign profile access to Flex).",
        fix: "Salesforce Setup → Profiles → the user's profile → Connected App Access: select Twilio Flex.",
        example: "`Error: User does not have access to this service provider`";
    "request-signature-required", Error, None, Any, capture::request_signature_required, "Salesforce wants a signed AuthnRequest",
        what: "An IdP error page that complains about a missing or invalid request signature.",
        why: "Flex does not sign AuthnRequests; the guide requires \"Verify request signatures\" to be off.",
        fix: "In Salesforce, connected app Twilio Flex → Web App Settings: clear \"Verify request signatures\".",
        example: "An error page mentioning the SAML request signature.";
    "idp-error", Error, None, Any, capture::idp_error, "the IdP returned an error page instead of a response",
        what: "Any other page the IdP returned for the AuthnRequest instead of an auto-post form: its status, title and visible error text.",
        why: "Without a SAMLResponse there is no login.",
        fix: "Read the message; Salesforce Setup → Identity Provider Event Log gives the reason.",
        example: "HTTP 500 `Error: Unable to process your request`";
    "unsigned", Error, None, Any, signature::unsigned, "neither the Response nor its Assertion is signed",
        what: "That a signature on the Response or on the Assertion a service provider consumes exists (SAML profiles §4.1.3.5).",
        why: "Flex rejects unsigned assertions: anyone could have written them.",
        fix: "In Salesforce, enable the Identity Provider with a certificate and select it as the connected app's IdP Certificate.",
        example: "A Response with a bare `<saml:Assertion>` and no `<ds:Signature>` anywhere.";
    "signature-invalid", Error, None, Any, signature::signature_invalid, "a signature does not verify, or cannot be checked",
        what: "XML-DSig core validation of each signature: the Reference digest over the canonicalised element, then the SignatureValue over the canonical SignedInfo with the configured certificate. A signature that cannot be checked (an unsupported algorithm or transform, no key at all) is reported too: a service provider must reject it.",
        why: "A service provider rejects a response whose signature fails; the content was changed after signing or the key is not the configured one.",
        fix: "If the digest differs, something modified the response in transit: capture it again unmodified. If the value does not verify, paste the IdP's current certificate in Flex.",
        example: "`the digest of #_asrt1 (/samlp:Response/saml:Assertion) differs: the signed content was changed`";
    "cert-mismatch", Error, Some(Need::Cert), Any, signature::cert_mismatch, "signed with another certificate than the configured one",
        what: "Whether a signature that fails with the configured certificate verifies with the certificate embedded in its KeyInfo.",
        why: "Flex trusts only the certificate pasted in its SSO settings; Salesforce signs with the certificate selected on the connected app. When they differ every login fails.",
        fix: "In Twilio Console → Flex → Users and access → Single sign-on (SSO) → X.509 Certificate, paste the certificate selected as IdP Certificate of the connected app Twilio Flex in Salesforce.",
        example: "The admin regenerated the Salesforce certificate but kept the old one in Flex.";
    "algorithm-nonstandard", Warning, None, Any, signature::algorithm_nonstandard, "a signature names an algorithm with a non-standard URI",
        what: "SignatureMethod and DigestMethod URIs that no specification defines but signers emit, such as SHA-256 named http://www.w3.org/2001/04/xmldsig-more#sha256 or RSA-SHA256 named http://www.w3.org/2000/09/xmldsig#rsa-sha256. samlscope verifies them as the algorithm they name.",
        why: "Lenient libraries accept them; strict ones (and xmlsec1) reject the signature as unsupported, so the login works with some service providers and not others.",
        fix: "Have the IdP (or its signing library) use the standard URIs of XML-DSig 1.1 and RFC 6931.",
        example: "`<ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#sha256\"/>`";
    "keyinfo-mismatch", Warning, None, Any, signature::keyinfo_mismatch, "the KeyInfo certificate is not the one that verifies",
        what: "When a configured certificate verifies a signature: whether the certificate in the signature's KeyInfo is that same certificate and can be read.",
        why: "Service providers that take the key from KeyInfo, or check it against their configured certificate, reject the response; others accept it. A certificate rotation half done looks like this.",
        fix: "Make the IdP sign with, and publish in KeyInfo, the certificate the service provider trusts.",
        example: "Signed with the configured key, KeyInfo carrying last year's certificate.";
    "cert-expired", Warning, Some(Need::At), Any, signature::cert_expired, "the signing certificate was not valid at capture time",
        what: "The validity period of the certificate that verified a signature, at the capture time (or --at).",
        why: "Many service providers refuse expired signing certificates; it also means rotation is overdue.",
        fix: "Create a new self-signed certificate in Salesforce (key size 2048), select it on the connected app, and paste it in Flex.",
        example: "A certificate valid 2023-01-01 to 2024-01-01 signing a response in 2026.";
    "weak-algorithm", Warning, None, Any, signature::weak_algorithm, "a signature uses SHA-1 or a key under 2048 bits",
        what: "SignatureMethod and DigestMethod of every signature, the Redirect binding's SigAlg, and the size of the key that verified each signature (RSA under 2048 bits is weak).",
        why: "SHA-1 is broken for collision resistance; service providers increasingly refuse it.",
        fix: "Sign with RSA-SHA256 and a SHA-256 digest (Salesforce's default).",
        example: "`SignatureMethod Algorithm=\"http://www.w3.org/2000/09/xmldsig#rsa-sha1\"`";
    "signature-wrapping", Error, None, Any, signature::signature_wrapping, "the signed element is not the one a service provider reads",
        what: "That the element a valid signature covers is the Response or the Assertion a consumer reads; duplicate IDs; References resolving outside the signed element; signed elements hidden in Extensions, Advice, ds:Object or ds:Signature; more than one assertion.",
        why: "XML Signature Wrapping (Somorovsky et al., 2012) keeps a valid signature over the original assertion while the consumer reads an attacker's.",
        fix: "Reject the response. It did not come unmodified from a correct IdP.",
        example: "An evil Assertion placed before the original signed one, which moved into the evil one's Advice.";
    "comment-injection", Error, None, Any, signature::comment_injection, "markup splits the text of NameID or an attribute",
        what: "Comments and processing instructions inside NameID and AttributeValue elements, CDATA sections that split them (the first piece differs from the whole), and entity or character references that split a NameID (a warning: most readers merge those).",
        why: "The signature covers the whole text, while libraries that read the first text node (or keep CDATA as its own node, or stop at a reference) see a different user (CVE-2017-11428 family).",
        fix: "Reject the response.",
        example: "`<saml:NameID>admin@acme.com<!---->.evil.com</saml:NameID>`";
    "message-unknown", Error, None, Any, assertions::message_unknown, "the document element is not a SAML 2.0 message",
        what: "The message element, after any SOAP envelope, ArtifactResponse or WS-Trust wrapper: a SAML 2.0 Response, AuthnRequest, LogoutRequest, LogoutResponse, ArtifactResponse, Assertion or EncryptedAssertion. Anything else (a SAML 1.x Response, a foreign root) is reported, and nothing inside it is shown.",
        why: "A service provider refuses a message it does not expect. Content under an unknown element is not checked: showing it would make a forgery look like a login.",
        fix: "Give samlscope the SAMLResponse or SAMLRequest value itself; a SAML 1.x message needs a SAML 1.x service provider.",
        example: "`<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:1.0:protocol\">` (a SAML 1.x Response).";
    "assertion-unexpected", Error, None, Any, assertions::assertion_unexpected, "an assertion sits in a message that never carries one",
        what: "saml:Assertion and saml:EncryptedAssertion elements inside an AuthnRequest, a logout message, an ArtifactResponse without a Response, or an unknown document element.",
        why: "Only a Response (or an assertion on its own) delivers a login (SAML core §3). An assertion elsewhere was added on the way; samlscope does not show it as if it were a login.",
        fix: "Do not trust the message; capture it again from the IdP.",
        example: "A LogoutResponse carrying a signed saml:Assertion.";
    "assertion-missing", Error, None, Any, assertions::assertion_missing, "a successful Response carries no assertion",
        what: "A Response whose status is Success (or missing) without a saml:Assertion or saml:EncryptedAssertion child in the SAML 2.0 assertion namespace.",
        why: "Without an assertion there is no user to log in (SAML profiles §4.1.4.2); the service provider rejects the response.",
        fix: "The IdP must send a signed saml:Assertion in the Response.",
        example: "`<samlp:Response><samlp:Status><samlp:StatusCode Value=\"…:Success\"/></samlp:Status></samlp:Response>`";
    "assertion-lookalike", Warning, None, Any, assertions::assertion_lookalike, "an Assertion in a namespace that only resembles SAML's",
        what: "Elements named Assertion (any case) whose namespace mentions SAML or assertion but is not urn:oasis:names:tc:SAML:2.0:assertion (SAML 1.x, another case, an extra suffix), placed before the real assertion or instead of it.",
        why: "Readers that select elements by local name read the look-alike, while the signature check reads the real one.",
        fix: "Treat the response as suspect; a service provider must select assertions by namespace and name.",
        example: "`<x:Assertion xmlns:x=\"urn:oasis:names:tc:SAML:2.0:assertion:\">` before the signed `<saml:Assertion>`.";
    "multiple-assertions", Warning, None, Any, assertions::multiple_assertions, "several signed assertions in one message",
        what: "Assertions besides the one a service provider consumes, each covered by an intact signature (assertions nested in the consumed assertion's Advice do not count).",
        why: "The SAML profiles allow several assertions, but many service providers accept exactly one and reject the response, or read another one than expected.",
        fix: "Configure the IdP to send one assertion per response.",
        example: "A Response with two signed saml:Assertion children.";
    "parameter-repeated", Error, None, Any, input::parameter_repeated, "a SAML parameter is sent more than once",
        what: "SAMLResponse, SAMLRequest, RelayState, SigAlg or Signature appearing twice in one form body, URL or auto-post form. Every value is analysed.",
        why: "Service providers disagree on which value they read (the first, the last, or both), so a checker and the application can read different messages (HTTP parameter pollution).",
        fix: "Reject the request; a correct IdP or SP sends each parameter once.",
        example: "`SAMLResponse=PHNhbWw…&SAMLResponse=PHNhbWw…`";
    "audience-mismatch", Error, Some(Need::EntityId), Any, protocol::audience_mismatch, "the assertion's Audience is not the Flex entity ID",
        what: "Conditions/AudienceRestriction/Audience against the entity ID (--entity-id, or derived from --flex-connection / --flex-account).",
        why: "Flex rejects assertions issued for another service provider.",
        fix: "In Salesforce, connected app Twilio Flex → Web App Settings → Entity Id: enhanced `urn:flex:JQ…` from Flex's \"Set up your identity provider\" page; legacy `https://iam.twilio.com/v1/Accounts/AC…/saml2/metadata`.",
        example: "Audience `https://iam.twilio.com/v1/Accounts/AC…/saml2/metadata` while Flex uses the enhanced configuration.";
    "destination-mismatch", Error, Some(Need::AcsUrl), Any, protocol::destination_mismatch, "the Response's Destination is not the Flex ACS URL",
        what: "Response/@Destination against the ACS URL.",
        why: "Flex rejects a Response addressed to another endpoint (SAML bindings §3.5.5.2).",
        fix: "In Salesforce, connected app Twilio Flex → Web App Settings → ACS URL: enhanced `https://login.flex.us1.twilio.com/login/callback?connection=JQ…`; legacy `https://iam.twilio.com/v1/Accounts/AC…/saml2`.",
        example: "Destination without the `?connection=JQ…` query.";
    "recipient-mismatch", Error, Some(Need::AcsUrl), Any, protocol::recipient_mismatch, "the bearer Recipient is not the Flex ACS URL",
        what: "SubjectConfirmationData/@Recipient of bearer confirmations against the ACS URL, full URL with query.",
        why: "SAML profiles §4.1.4.2: the consumer must reject a Recipient that is not its ACS URL.",
        fix: "In Salesforce, connected app Twilio Flex → Web App Settings → ACS URL.",
        example: "Recipient for another connection ID.";
    "issuer-mismatch", Error, Some(Need::IdpIssuer), Any, protocol::issuer_mismatch, "the Issuer is not the one configured in Flex",
        what: "Response/Issuer and Assertion/Issuer against --idp-issuer, explaining a trailing slash or my.salesforce.com versus salesforce.com.",
        why: "Flex compares the Issuer exactly with its \"Identity Provider Issuer\" setting.",
        fix: "In Twilio Console → Flex → Users and access → Single sign-on (SSO) → Identity Provider Issuer: the exact Issuer of the connected app in Salesforce.",
        example: "`https://acme.my.salesforce.com` sent, `https://acme.my.salesforce.com/` configured.";
    "sso-url-mismatch", Error, Some(Need::SsoUrl), Any, protocol::sso_url_mismatch, "the AuthnRequest goes to another IdP endpoint",
        what: "AuthnRequest/@Destination (or the URL it was sent to) against --sso-url.",
        why: "Salesforce serves the Redirect binding at /idp/endpoint/HttpRedirect; another endpoint fails or shows an error page.",
        fix: "In Twilio Console → Flex → Single sign-on (SSO) → SSO URL: `https://<subdomain>.salesforce.com/idp/endpoint/HttpRedirect`.",
        example: "SSO URL ending in /HttpPost.";
    "sso-config-mixed", Error, None, Flex, protocol::sso_config_mixed, "enhanced and legacy Flex values are mixed",
        what: "Whether the Audience and the Destination/Recipient come from the same Flex SSO configuration type.",
        why: "The entity ID and the ACS URL must both be enhanced or both legacy; mixing them fails either the audience or the destination check.",
        fix: "Copy both Entity Id and ACS URL from the same Flex page.",
        example: "Entity Id `urn:flex:JQ…` with ACS URL `https://iam.twilio.com/v1/Accounts/AC…/saml2`.";
    "in-response-to-mismatch", Error, None, Any, protocol::in_response_to_mismatch, "the Response answers another AuthnRequest",
        what: "Response/@InResponseTo and SubjectConfirmationData/@InResponseTo against the AuthnRequest IDs in the same capture. IdP-initiated responses carry none and pass.",
        why: "Flex rejects a response to a request it did not send in this session.",
        fix: "Start again from the Flex login link in one tab; avoid back-button replays.",
        example: "InResponseTo=\"_old\" while the capture's AuthnRequest has ID \"_new\".";
    "acs-url-mismatch", Error, None, Any, protocol::acs_url_mismatch, "the requested ACS URL is not the configured one or not where the Response went",
        what: "AuthnRequest/@AssertionConsumerServiceURL against the configured ACS URL (--acs-url or a Flex flag), and against where the IdP sent the Response that answers the request (the URL it was posted to in the capture, else its Destination).",
        why: "An IdP that ignores the requested ACS URL posts the Response to its own configured one; a service provider that asks for an ACS URL it does not serve never sees the Response.",
        fix: "Make the IdP's ACS URL setting and the service provider's SSO configuration name the same URL.",
        example: "AuthnRequest asks for https://iam.twilio.com/v1/Accounts/AC…/saml2, the Response goes to https://login.flex.us1.twilio.com/login/callback?connection=JQ…";
    "relay-state-dropped", Warning, None, Any, protocol::relay_state_dropped, "the IdP did not return the RelayState",
        what: "That the Response carries the RelayState of the AuthnRequest it answers.",
        why: "Flex uses RelayState to finish the login where it started.",
        fix: "Start logins from the Flex login link; keep Start URL as https://flex.twilio.com/agent-desktop.",
        example: "AuthnRequest with RelayState=abc, Response POST without RelayState.";
    "assertion-expired", Error, Some(Need::At), Any, expired, "the assertion had expired when it was used",
        what: "Conditions/@NotOnOrAfter and SubjectConfirmationData/@NotOnOrAfter against the capture time (or --at) minus the allowed skew (--skew, default 3m).",
        why: "Assertions live for minutes; Flex rejects expired ones.",
        fix: "Synchronise the IdP's and the checker's clocks; replay nothing.",
        example: "NotOnOrAfter 15:09:05Z, used at 15:20:00Z.";
    "assertion-not-yet-valid", Error, Some(Need::At), Any, not_yet_valid, "the assertion was used before its NotBefore",
        what: "Conditions/@NotBefore and SubjectConfirmationData/@NotBefore against the capture time plus the skew.",
        why: "A clock ahead at the IdP makes assertions valid only in the future.",
        fix: "Synchronise the IdP's clock (NTP).",
        example: "NotBefore 15:10:00Z, used at 15:04:05Z.";
    "status-error", Error, None, Any, protocol::status_error, "the IdP answered with an error status",
        what: "Response/Status/StatusCode (both levels) and StatusMessage.",
        why: "A non-Success status carries no usable assertion.",
        fix: "Read the status words; in Salesforce check profile access to the connected app and the Identity Provider Event Log.",
        example: "`Responder / RequestDenied`.";
    "encrypted-assertion", Error, None, Any, encryption::encrypted_assertion, "the assertion is encrypted",
        what: "EncryptedAssertion elements in the Response. Under the Flex profile an error, decrypted or not; under another service provider a note when no --sp-key was given to read it.",
        why: "Flex has no key to decrypt them; the guide requires \"Encrypt SAML Response\" off. Other service providers decrypt with their own key, and samlscope checks the content only when given it (--sp-key).",
        fix: "In Salesforce, connected app Twilio Flex → Web App Settings: clear \"Encrypt SAML Response\".",
        example: "`<saml:EncryptedAssertion><xenc:EncryptedData …>`";
    "decryption-failed", Error, Some(Need::SpKey), Any, encryption::decryption_failed, "the encrypted assertion does not decrypt",
        what: "With --sp-key: that each EncryptedAssertion decrypts (XML Encryption 1.1: RSA-OAEP or RSA 1.5 key transport, AES-CBC, AES-GCM or Triple-DES content), and that the plaintext is well-formed XML in the assertion's place. Names the unsupported algorithm, or the integrity failure (GCM tag, CBC padding).",
        why: "An assertion that does not decrypt cannot be used: the service provider rejects the login. A GCM tag or padding failure means the ciphertext was altered on the way.",
        fix: "Capture the login again; if it persists, have the IdP encrypt with RSA-OAEP and AES-GCM.",
        example: "`the AES-GCM authentication tag does not match: the ciphertext was altered`";
    "encryption-key-mismatch", Error, Some(Need::SpKey), Any, encryption::encryption_key_mismatch, "the IdP encrypts to another certificate than the SP key's",
        what: "With --sp-key: whether the key decrypts the EncryptedKey; when not, the certificate (or key name) the EncryptedKey's KeyInfo names, with its SHA-256 and its public key's SHA-256, against the public key SHA-256 of every --sp-key.",
        why: "The IdP encrypts the content key to the certificate it holds for the service provider; after a key rollover on one side only, the service provider cannot decrypt and rejects the login.",
        fix: "At the IdP, replace the service provider's encryption certificate by the certificate of its current key (or decrypt with the key of the certificate the IdP holds).",
        example: "The IdP encrypts to `CN=sp-2025` (public key sha256 9f…), the key given belongs to 41….";
    "weak-encryption", Warning, None, Any, encryption::weak_encryption, "the assertion is encrypted with deprecated algorithms",
        what: "EncryptedKey with rsa-1_5 key transport, EncryptedData with tripledes-cbc.",
        why: "RSA PKCS#1 v1.5 key transport is open to padding-oracle attacks (XML Encryption 1.1 §5.5.1 deprecates it); Triple-DES is retired (NIST SP 800-131A).",
        fix: "At the IdP, choose RSA-OAEP key transport and AES-GCM content encryption.",
        example: "`<xenc:EncryptionMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#rsa-1_5\"/>`";
    "nameid-missing", Error, None, Any, protocol::nameid_missing, "the assertion names no user",
        what: "Subject/NameID of the consumed assertion, present and non-empty.",
        why: "Flex identifies the user by NameID.",
        fix: "In Salesforce, connected app Twilio Flex → Web App Settings → Subject Type: Username.",
        example: "`<saml:Subject>` without a NameID.";
    "nameid-format", Warning, None, Flex, protocol::nameid_format, "the NameID format is not unspecified",
        what: "NameID/@Format against urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified.",
        why: "The Flex guide sets the unspecified format; another format may map the user differently.",
        fix: "In Salesforce, connected app Twilio Flex → Web App Settings → Name ID Format: urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified.",
        example: "`Format=\"urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress\"`";
    "roles-missing", Error, None, Flex, flex::roles_missing, "the roles attribute is missing",
        what: "An attribute named exactly `roles` in the consumed assertion of a Flex login.",
        why: "Flex gives users their roles from it; without it the login is refused.",
        fix: "In Salesforce, connected app Twilio Flex → Custom Attributes → New: Key roles, Value \"agent\".",
        example: "Attributes userId, username, email only.";
    "roles-invalid", Error, None, Flex, flex::roles_invalid, "the roles attribute is empty, quoted or unknown",
        what: "Each value of `roles`: not empty, no literal quote characters (straight or typographic), and each comma-separated name one of agent, supervisor, admin. Several values and \"agent, supervisor\" in one value are both valid.",
        why: "Flex knows only these role names; a value like `\"agent\"` with quotes matches none.",
        fix: "In Salesforce, connected app Twilio Flex → Custom Attributes → roles: Value \"agent\" (the formula's quotes make a literal; the sent value has none).",
        example: "`<saml:AttributeValue>“agent”</saml:AttributeValue>`";
    "full-name-missing", Warning, None, Flex, flex::full_name_missing, "the full_name attribute is missing or empty",
        what: "An attribute named exactly `full_name` with a non-empty value.",
        why: "Flex shows the agent's name from it; without it the agent appears nameless.",
        fix: "In Salesforce, connected app Twilio Flex → Custom Attributes → New: Key full_name, Value $User.FirstName + \" \" + $User.LastName.",
        example: "No full_name attribute.";
    "email-missing", Warning, None, Flex, flex::email_missing, "the email attribute is missing or empty",
        what: "An attribute named exactly `email` with a non-empty value.",
        why: "Flex uses it for the worker's contact address.",
        fix: "In Salesforce, connected app Twilio Flex → Custom Attributes → New: Key email, Value $User.Email.",
        example: "No email attribute.";
    "attribute-namespaced", Error, None, Flex, flex::attribute_namespaced, "a required attribute is sent under a claim URI",
        what: "Attributes such as `http://schemas.microsoft.com/ws/2008/06/identity/claims/role` standing in for `roles`, `full_name` or `email`.",
        why: "Flex reads the plain names only.",
        fix: "In Salesforce, connected app Twilio Flex → Custom Attributes: use the plain Key (roles, full_name, email).",
        example: "`Name=\"http://schemas.microsoft.com/ws/2008/06/identity/claims/role\"`";
}

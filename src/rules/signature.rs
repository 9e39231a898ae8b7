//! Signature rules. Each reads the verdicts of `dsig` (what a signature covers and why it
//! failed), never the mere presence of `<ds:Signature>`.

use std::collections::BTreeMap;

use super::{Context, Finding, Severity};
use crate::analysis::{sent_by_sp, AnalyzedMessage};
use crate::dsig::algorithms::{short_name, DSA_SHA1, ECDSA_SHA1, RSA_SHA1, SHA1};
use crate::dsig::{Certificate, KeySource, Status, Verdict};
use crate::profile::{Fix, IdpSetting, SpSetting};
use crate::saml::names::ASSERTION;
use crate::saml::MessageKind;
use crate::trust::{covers_content, Places};
use crate::xml::{Document, NodeId, NodeKind};

/// The SP must trust the certificate the IdP signs with.
fn fix_sp_certificate() -> Fix {
    Fix::Sp(SpSetting::IdpCertificate, "paste the certificate {idp} signs with now (download it where the IdP's signing certificate is chosen)".into())
}

/// `signature-wrapping`: what a consumer reads is not what an intact signature covers.
pub fn signature_wrapping(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for m in ctx.analysis.messages.iter().filter(|m| m.is_wrapped()) {
        let nameid =
            m.consumed_assertion().and_then(|a| a.name_id.as_ref()).map(|n| n.value.clone());
        let signs: Vec<String> = m.trust.wrapping.iter().map(ToString::to_string).collect();
        out.push(
            Finding::new("signature-wrapping", Some(m.index), "the signed content is not what a service provider reads: XML Signature Wrapping")
                .observed(nameid.map(|n| format!("a consumer would log in as {n:?}")).unwrap_or_default())
                .evidence(signs.join("; "))
                .fix("Reject this response. If it came from your IdP unmodified, report it; a service provider that accepts it is vulnerable."),
        );
    }
}

/// `unsigned`: no signature sits on the consumed assertion or on anything that encloses it.
pub fn unsigned(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for m in ctx.analysis.messages.iter().filter(|m| !m.is_wrapped()) {
        let (Some(doc), Some(c)) = (&m.doc, m.trust.consumed) else { continue };
        // An encrypted assertion carries its signature inside the ciphertext.
        if doc.is(c, ASSERTION, "EncryptedAssertion") {
            continue;
        }
        // Signatures placed on it or on what encloses it. One that failed to resolve is a
        // signature-invalid case; one over something else than SAML content (a ds:Object)
        // covers nothing a service provider reads, whatever its status.
        let placed: Vec<&Verdict> =
            m.verdicts.iter().filter(|v| v.parent.is_some_and(|p| doc.is_within(c, p))).collect();
        if placed.iter().any(|v| v.covered.is_none() || covers_content(doc, v)) {
            continue;
        }
        let what = if m.kind() == MessageKind::Response {
            "neither the Response nor its Assertion is signed"
        } else {
            "the assertion is not signed"
        };
        let message = match placed.first().and_then(|v| v.covered) {
            Some(other) => format!(
                "{what}: its signature ({}) covers only {}, nothing a service provider reads",
                placed[0].status.as_str(),
                doc.path(other)
            ),
            None => what.to_string(),
        };
        out.push(Finding::new("unsigned", Some(m.index), message).evidence(doc.path(c)).remedy(
            Fix::Idp(IdpSetting::SigningScope, "sign the Response and the Assertion".into()),
        ));
    }
}

/// `signature-invalid`: a signature is present but does not verify, or cannot be checked
/// (an unsupported algorithm, no key): a service provider must reject both.
pub fn signature_invalid(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for m in &ctx.analysis.messages {
        redirect_signature_invalid(m, out);
        let Some(doc) = &m.doc else { continue };
        if m.is_wrapped() {
            continue;
        }
        // One finding per kind of failure, naming every signature that fails that way.
        // The three kinds of failure, each with its fix.
        let mut by_kind: BTreeMap<u8, (String, Fix, Places)> = BTreeMap::new();
        let failed = m.verdicts.iter().filter(|v| !v.cert_mismatch);
        for v in failed.filter(|v| matches!(v.status, Status::Invalid | Status::Unsupported)) {
            let reason = v.reason.clone().unwrap_or_default();
            let embedded_is_configured = v
                .embedded
                .as_ref()
                .is_some_and(|e| ctx.config.certs.iter().any(|c| c.sha256 == e.sha256));
            let (kind, message, fix) = if v.status == Status::Unsupported {
                (
                    0,
                    format!("signature cannot be verified: {reason}"),
                    Fix::Idp(IdpSetting::SignatureAlgorithm, "sign with RSA-SHA256, a SHA-256 digest and exclusive c14n; a signature nobody can check proves nothing".into()),
                )
            } else if reason.contains("configured certificate") && !embedded_is_configured {
                let by_sp = m.message.as_ref().is_some_and(|x| sent_by_sp(ctx.config, x));
                let fix = if by_sp {
                    Fix::Text("Give the certificate the service provider signs with now (--sp-cert or --sp-metadata).".into())
                } else {
                    fix_sp_certificate()
                };
                (1, format!("signature does not verify: {reason}"), fix)
            } else {
                (
                    2,
                    format!("signature does not verify: {reason}"),
                    Fix::Text("The signed content or the signature was changed after signing (by a proxy, a copy/paste or an attacker), or the signature is malformed: capture the response again, unmodified.".into()),
                )
            };
            by_kind
                .entry(kind)
                .or_insert_with(|| (message, fix, Places::default()))
                .2
                .push(v.signature);
        }
        for (message, fix, sigs) in by_kind.into_values() {
            let message = match sigs.count {
                1 => message,
                n => format!(
                    "{message} (and {} more signature{})",
                    n - 1,
                    if n == 2 { "" } else { "s" }
                ),
            };
            out.push(
                Finding::new("signature-invalid", Some(m.index), message)
                    .evidence(sigs.describe(doc))
                    .remedy(fix),
            );
        }
    }
}

/// `signature-invalid` for the HTTP-Redirect binding's `Signature` query parameter.
fn redirect_signature_invalid(m: &AnalyzedMessage, out: &mut Vec<Finding>) {
    let Some(r) = &m.redirect else { return };
    let reason = r.reason.clone().unwrap_or_default();
    let (message, fix) = match r.status {
        Status::Unsupported => (
            format!("the Redirect binding's signature cannot be verified: {reason}"),
            "Have the sender sign with RSA-SHA256 (SigAlg http://www.w3.org/2001/04/xmldsig-more#rsa-sha256).".to_string(),
        ),
        Status::Invalid if r.reencoded.is_some() => (
            "the Redirect binding's signature does not verify over the query as captured: it was re-encoded after signing".to_string(),
            "Find what rewrites the URL between the sender and the receiver (a proxy, a URL rewriter, a link copied from a log or an e-mail) and pass the query through byte for byte; capture the login again.".to_string(),
        ),
        Status::Invalid => (
            format!("the Redirect binding's signature does not verify: {reason}"),
            "Give the certificate the sender signs with (--sp-cert or --sp-metadata for the service provider's requests, --cert for the IdP's messages); if it is the right one, the URL changed after signing: capture it again, unmodified.".to_string(),
        ),
        _ => return,
    };
    let mut f = Finding::new("signature-invalid", Some(m.index), message)
        .evidence(
            "SAMLRequest/SAMLResponse, RelayState and SigAlg query parameters, signed by Signature",
        )
        .fix(fix);
    if let Some(how) = r.reencoded {
        f = f.values(
            "the query as captured",
            format!("the query as signed: the same values written with {how}"),
        );
    } else {
        f = f.observed(r.sig_alg.clone());
    }
    out.push(f);
}

/// `cert-mismatch`: the signature verifies with the embedded certificate, not the configured one.
pub fn cert_mismatch(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let describe = |certs: &[Certificate]| -> Vec<String> {
        certs.iter().map(|c| format!("{} (sha256 {})", c.subject, c.sha256)).collect()
    };
    for m in &ctx.analysis.messages {
        let Some(doc) = &m.doc else { continue };
        let by_sp = m.message.as_ref().is_some_and(|x| sent_by_sp(ctx.config, x));
        let (configured, message, fix) = if by_sp {
            (
                describe(&ctx.config.sp_certs),
                "the message is signed with another certificate than the service provider's given with --sp-cert",
                Fix::Text("Give the certificate the service provider signs with now (--sp-cert or --sp-metadata); if the IdP verifies requests, give it that certificate too.".into()),
            )
        } else {
            (
                describe(&ctx.config.certs),
                "the response is signed with another certificate than the one configured in Flex",
                fix_sp_certificate(),
            )
        };
        if configured.is_empty() {
            continue;
        }
        let mismatched: Vec<_> = m.verdicts.iter().filter(|v| v.cert_mismatch).collect();
        let Some(first) = mismatched.first() else { continue };
        let embedded = first
            .embedded
            .as_ref()
            .map(|c| format!("{} (sha256 {})", c.subject, c.sha256))
            .unwrap_or_default();
        let paths: Vec<String> = mismatched.iter().map(|v| doc.path(v.signature)).collect();
        out.push(
            Finding::new("cert-mismatch", Some(m.index), message)
                .values(embedded, configured.join("; "))
                .evidence(paths.join(", "))
                .remedy(fix),
        );
    }
}

/// `algorithm-nonstandard`: an algorithm named by a URI no specification defines.
pub fn algorithm_nonstandard(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for m in &ctx.analysis.messages {
        let Some(doc) = &m.doc else { continue };
        let mut uris: Vec<&str> = Vec::new();
        let mut places = Places::default();
        for v in m.verdicts.iter().filter(|v| !v.nonstandard.is_empty()) {
            places.push(v.signature);
            for u in &v.nonstandard {
                if !uris.contains(&u.as_str()) {
                    uris.push(u);
                }
            }
        }
        if uris.is_empty() {
            continue;
        }
        out.push(
            Finding::new("algorithm-nonstandard", Some(m.index), format!("the signature names an algorithm with a URI no specification defines ({}): samlscope verifies it as the libraries that accept it do, strict verifiers reject it as unsupported", uris.join(", ")))
                .values(uris.join(", "), "the URIs of XML-DSig 1.1 and RFC 6931 (e.g. http://www.w3.org/2001/04/xmlenc#sha256, http://www.w3.org/2001/04/xmldsig-more#rsa-sha256)")
                .evidence(places.describe(doc))
                .remedy(Fix::Idp(IdpSetting::SignatureAlgorithm, "choose the standard RSA-SHA256 and SHA-256 (or update the IdP's signing library)".into())),
        );
    }
}

/// `keyinfo-mismatch`: a configured certificate verifies the signature, but its KeyInfo
/// carries another certificate (or one that cannot be read).
pub fn keyinfo_mismatch(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for m in &ctx.analysis.messages {
        let Some(doc) = &m.doc else { continue };
        let mut places = Places::default();
        let mut seen: Vec<String> = Vec::new();
        let mut configured = String::new();
        for v in m.verdicts.iter().filter(|v| v.embedded_differs) {
            places.push(v.signature);
            if let Some((c, _)) = &v.verified_by {
                configured = format!("{} (sha256 {})", c.subject, c.sha256);
            }
            let e = v
                .embedded
                .as_ref()
                .map(|c| format!("{} (sha256 {})", c.subject, c.sha256))
                .unwrap_or_else(|| "a certificate that cannot be read".into());
            if !seen.contains(&e) {
                seen.push(e);
            }
        }
        if places.count == 0 {
            continue;
        }
        out.push(
            Finding::new("keyinfo-mismatch", Some(m.index), "the signature verifies with the configured certificate, but its KeyInfo carries another one: service providers that take the key from KeyInfo, or compare it, reject the response")
                .values(seen.join("; "), configured)
                .evidence(places.describe(doc))
                .remedy(Fix::Idp(IdpSetting::SigningCertificate, "make the IdP put its current signing certificate in KeyInfo (the same one the service provider trusts)".into())),
        );
    }
}

/// `cert-expired`: the certificate that verified a signature was not valid at capture time.
pub fn cert_expired(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for m in &ctx.analysis.messages {
        let (Some(doc), Some(now)) = (&m.doc, m.evaluation_time(ctx.config)) else { continue };
        // One finding per certificate, naming every signature it made.
        let mut by_cert: BTreeMap<&str, (&Certificate, KeySource, Places)> = BTreeMap::new();
        for v in &m.verdicts {
            let Some((cert, source)) = &v.verified_by else { continue };
            let expired = cert.not_after.is_some_and(|t| t < now);
            let early = cert.not_before.is_some_and(|t| t > now);
            if expired || early {
                by_cert
                    .entry(cert.sha256.as_str())
                    .or_insert((cert, *source, Places::default()))
                    .2
                    .push(v.signature);
            }
        }
        for (cert, source, sigs) in by_cert.into_values() {
            let which = if source == KeySource::Configured { "configured" } else { "embedded" };
            let window = format!(
                "valid {} to {}",
                cert.not_before.map(|t| t.to_string()).unwrap_or_default(),
                cert.not_after.map(|t| t.to_string()).unwrap_or_default()
            );
            out.push(
                Finding::new("cert-expired", Some(m.index), format!("the {which} signing certificate {} was not valid at {now}", cert.subject))
                    .values(window, format!("valid at {now}"))
                    .evidence(sigs.describe(doc))
                    .remedy(Fix::Idp(IdpSetting::SigningCertificate, "create a new signing certificate (RSA 2048 or more) and make it the active one, then give it to the service provider".into())),
            );
        }
    }
}

/// `weak-algorithm`: SHA-1 digests or signatures (XML or the Redirect binding's SigAlg), and
/// signing keys under 2048 bits; one finding per message and kind of weakness.
pub fn weak_algorithm(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for m in &ctx.analysis.messages {
        let mut weak: Vec<&str> = Vec::new();
        let mut sigs = Places::default();
        let mut keys: Vec<String> = Vec::new();
        let mut key_sigs = Places::default();
        for v in &m.verdicts {
            let found: Vec<&str> = [v.signature_method.as_deref(), v.digest_method.as_deref()]
                .into_iter()
                .flatten()
                .filter(|u| is_sha1(u))
                .collect();
            if !found.is_empty() {
                sigs.push(v.signature);
            }
            for u in found {
                if !weak.contains(&u) {
                    weak.push(u);
                }
            }
            if let Some((cert, _)) = v.verified_by.as_ref().filter(|(c, _)| c.weak_key) {
                key_sigs.push(v.signature);
                let k = format!("{} ({})", cert.key_description, cert.subject);
                if !keys.contains(&k) {
                    keys.push(k);
                }
            }
        }
        let evidence =
            |places: &Places| m.doc.as_ref().map(|d| places.describe(d)).unwrap_or_default();
        if !weak.is_empty() {
            let names: Vec<&str> = weak.iter().map(|u| short_name(u)).collect();
            out.push(
                Finding::new(
                    "weak-algorithm",
                    Some(m.index),
                    format!("the signature uses SHA-1 ({})", names.join(", ")),
                )
                .values(weak.join(", "), "rsa-sha256 with a sha256 digest")
                .evidence(evidence(&sigs))
                .remedy(Fix::Idp(
                    IdpSetting::SignatureAlgorithm,
                    "sign with RSA-SHA256 and a SHA-256 digest".into(),
                )),
            );
        }
        if !keys.is_empty() {
            out.push(
                Finding::new("weak-algorithm", Some(m.index), format!("the signing key is too small: {}", keys.join(", ")))
                    .values(keys.join(", "), "RSA 2048 bits or more, or an EC key")
                    .evidence(evidence(&key_sigs))
                    .remedy(Fix::Idp(IdpSetting::SigningCertificate, "create a signing certificate with an RSA key of 2048 bits or more, make it active, then give it to the service provider".into())),
            );
        }
        if let Some(alg) = m.captured.sig_alg.as_deref().filter(|a| is_sha1(a)) {
            out.push(
                Finding::new("weak-algorithm", Some(m.index), format!("the Redirect binding's signature uses SHA-1 ({})", short_name(alg)))
                    .values(alg, "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256")
                    .evidence("SigAlg query parameter")
                    .fix("Have the sender of this message (the service provider, for an AuthnRequest) sign with RSA-SHA256."),
            );
        }
    }
}

/// SHA-1 as a signature or digest method.
fn is_sha1(uri: &str) -> bool {
    matches!(uri, RSA_SHA1 | ECDSA_SHA1 | SHA1 | DSA_SHA1)
}

/// How markup splits a signed value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Split {
    /// A comment or processing instruction between text nodes.
    Markup,
    /// A CDATA section: DOM readers without coalescing keep it as a separate node.
    Cdata,
    /// An entity or character reference: streaming readers may stop at it.
    Reference,
}

impl Split {
    fn what(self) -> &'static str {
        match self {
            Split::Markup => "a comment or processing instruction",
            Split::Cdata => "a CDATA section",
            Split::Reference => "an entity or character reference",
        }
    }

    fn first_reader(self) -> &'static str {
        match self {
            Split::Markup => "readers that take the first text node",
            Split::Cdata => "readers that keep CDATA as its own node (DOM without coalescing)",
            Split::Reference => "streaming readers that stop at a reference",
        }
    }
}

/// `comment-injection`: markup splits the text of NameID or an attribute value, so a reader
/// that takes the first piece and the signature (which covers all of it) disagree
/// (CVE-2017-11428 family). One finding per message and kind of split.
pub fn comment_injection(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for m in &ctx.analysis.messages {
        let (Some(doc), Some(msg)) = (&m.doc, &m.message) else { continue };
        let mut found: BTreeMap<Split, (Places, String, String)> = BTreeMap::new();
        // The message's Issuer, then each assertion's Issuer, Audiences, NameID and values:
        // every text a service provider compares or reads as the user.
        if let Some(t) = doc.child(msg.element, ASSERTION, "Issuer") {
            if let Some((split, first)) = split_of(doc, t, false) {
                found
                    .entry(split)
                    .or_insert_with(|| (Places::default(), first, doc.text(t)))
                    .0
                    .push(t);
            }
        }
        for a in &msg.assertions {
            let issuer = doc.child(a.element, ASSERTION, "Issuer").map(|i| (i, false));
            let audiences = doc
                .child(a.element, ASSERTION, "Conditions")
                .into_iter()
                .flat_map(|c| doc.children_named(c, ASSERTION, "AudienceRestriction"))
                .flat_map(|r| doc.children_named(r, ASSERTION, "Audience"))
                .map(|x| (x, false));
            let nameid = a.name_id.iter().map(|n| (n.element, true));
            let values =
                a.attributes.iter().flat_map(|at| at.value_elements.iter().map(|v| (*v, false)));
            for (t, is_nameid) in issuer.into_iter().chain(audiences).chain(nameid).chain(values) {
                let Some((split, first)) = split_of(doc, t, is_nameid) else { continue };
                let entry =
                    found.entry(split).or_insert_with(|| (Places::default(), first, doc.text(t)));
                entry.0.push(t);
            }
        }
        for (split, (places, first, whole)) in found {
            let mut f = Finding::new(
                "comment-injection",
                Some(m.index),
                format!("{} splits a signed value: {} see {first:?}, the signature and XPath string() see {whole:?}", split.what(), split.first_reader()),
            )
            .values(format!("first piece {first:?}, whole text {whole:?}"), "one piece of text")
            .evidence(places.describe(doc));
            f = if split == Split::Reference {
                f.severity = Severity::Warning;
                f.fix("Most libraries merge references, but a service provider that stops at one reads another user: check what yours reads. An IdP rarely needs a reference inside a NameID.")
            } else {
                f.fix("Reject this response: the value was crafted to be read differently by the signature check and the application (CVE-2017-11428 family).")
            };
            out.push(f);
        }
    }
}

/// The kind of split of element `el`'s text and the first piece a naive reader sees, when
/// that piece differs from the whole. References count only in a NameID: in attribute values
/// they are common and readers merge them.
fn split_of(doc: &Document, el: NodeId, is_nameid: bool) -> Option<(Split, String)> {
    let kids = doc.children(el);
    let texts = || {
        kids.clone().filter_map(|k| match doc.kind(k) {
            Some(NodeKind::Text(s)) => Some((k, s)),
            _ => None,
        })
    };
    if is_split_by_markup(doc, el) {
        return Some((
            Split::Markup,
            texts().next().map(|(_, s)| s.to_string()).unwrap_or_default(),
        ));
    }
    let (node, text) = texts().next()?;
    let split = doc.text_split(node)?;
    let kind = if split.cdata {
        Split::Cdata
    } else if split.reference && is_nameid {
        Split::Reference
    } else {
        return None;
    };
    let first = text.get(..split.first_len).unwrap_or(text);
    (first.trim() != text.trim()).then(|| (kind, first.to_string()))
}

/// Whether a comment or PI sits among the text of element `el` (CVE-2017-11428 shape).
pub fn is_split_by_markup(doc: &Document, el: NodeId) -> bool {
    let kids = doc.children(el);
    let splitter = kids
        .clone()
        .any(|k| matches!(doc.kind(k), Some(NodeKind::Comment(_) | NodeKind::Pi { .. })));
    splitter && kids.clone().any(|k| matches!(doc.kind(k), Some(NodeKind::Text(_))))
}

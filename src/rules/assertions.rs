//! Rules on where assertions are: a message samlscope cannot read, an assertion where none
//! belongs, none where one must be, look-alikes, and several signed ones. They read the trust
//! view ([`crate::trust`]), computed the same way for every document element.

use super::{Context, Finding};
use crate::saml::names::{SAML1_ASSERTION, SAML1_PROTOCOL, STATUS_SUCCESS};
use crate::saml::MessageKind;

/// `message-unknown`: the document element is not a SAML 2.0 message samlscope reads.
pub fn message_unknown(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for m in ctx.analysis.messages.iter().filter(|m| m.kind() == MessageKind::Unknown) {
        let (Some(doc), Some(msg)) = (&m.doc, &m.message) else { continue };
        let saml1 = [SAML1_PROTOCOL, SAML1_ASSERTION]
            .iter()
            .any(|ns| msg.name.starts_with(&format!("{{{ns}}}")));
        let metadata = ["EntityDescriptor", "EntitiesDescriptor"]
            .iter()
            .any(|l| msg.name == format!("{{urn:oasis:names:tc:SAML:2.0:metadata}}{l}"));
        if metadata {
            out.push(
                Finding::new("message-unknown", Some(m.index), "this is SAML metadata, not a message: nothing to diagnose in it")
                    .values(msg.name.clone(), "a SAML 2.0 message")
                    .evidence(doc.path(msg.element))
                    .fix("Give the IdP's metadata with --idp-metadata (it supplies the certificate, the issuer and the SSO URL), and the capture or the SAMLResponse as the input."),
            );
            continue;
        }
        let message = if saml1 {
            "a SAML 1.x message: samlscope reads SAML 2.0, so nothing in it was checked or is shown"
        } else {
            "the document element is not a SAML 2.0 message samlscope reads: nothing in it was checked or is shown"
        };
        out.push(
            Finding::new("message-unknown", Some(m.index), message)
                .values(msg.name.clone(), "a SAML 2.0 Response, AuthnRequest, logout message or Assertion")
                .evidence(doc.path(msg.element))
                .fix("Give samlscope the SAMLResponse or SAMLRequest value itself. A service provider must refuse a message it does not expect: an unknown wrapper around SAML content is a way to smuggle it past a checker."),
        );
    }
}

/// `assertion-unexpected`: an assertion inside a message that never carries one.
pub fn assertion_unexpected(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for m in ctx.analysis.messages.iter().filter(|m| m.trust.unexpected.count > 0) {
        let (Some(doc), Some(msg)) = (&m.doc, &m.message) else { continue };
        let n = m.trust.unexpected.count;
        let what = if m.kind() == MessageKind::Unknown {
            "an element samlscope does not read".to_string()
        } else {
            format!("a {:?}", m.kind())
        };
        out.push(
            Finding::new(
                "assertion-unexpected",
                Some(m.index),
                format!("{what} carries {n} assertion{}: no service provider logs a user in from it, and samlscope shows none of it", if n == 1 { "" } else { "s" }),
            )
            .observed(msg.name.clone())
            .evidence(m.trust.unexpected.describe(doc))
            .fix("Do not trust this message: only a Response (or an assertion on its own) delivers a login. Something added the assertion on the way."),
        );
    }
}

/// `assertion-missing`: a successful Response without any SAML 2.0 assertion.
pub fn assertion_missing(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for m in ctx.analysis.messages.iter().filter(|m| m.kind() == MessageKind::Response) {
        let Some(msg) = &m.message else { continue };
        let success = msg.status.as_ref().is_none_or(|s| s.code.as_deref() == Some(STATUS_SUCCESS));
        if !success || !msg.assertions.is_empty() || !msg.encrypted_assertions.is_empty() {
            continue;
        }
        let also = if m.trust.lookalikes.count > 0 {
            " (only an element named Assertion in another namespace)"
        } else {
            ""
        };
        out.push(
            Finding::new("assertion-missing", Some(m.index), format!("the Response reports success but carries no SAML 2.0 assertion{also}: there is no user to log in"))
                .values("no saml:Assertion child", "one saml:Assertion (urn:oasis:names:tc:SAML:2.0:assertion)")
                .evidence("Response")
                .fix("The IdP must put a signed saml:Assertion in the Response (SAML profiles §4.1.4.2); a success without one is broken or forged."),
        );
    }
}

/// `assertion-lookalike`: an `Assertion` in a namespace that only resembles SAML 2.0's,
/// before the real assertion or instead of it.
pub fn assertion_lookalike(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for m in ctx.analysis.messages.iter().filter(|m| m.trust.lookalikes.count > 0) {
        let Some(doc) = &m.doc else { continue };
        let places = &m.trust.lookalikes;
        let ns = places
            .first
            .first()
            .and_then(|n| doc.element(*n))
            .and_then(|e| e.ns())
            .unwrap_or_default();
        let position = if m.trust.consumed.is_some() { "precedes" } else { "stands instead of" };
        out.push(
            Finding::new("assertion-lookalike", Some(m.index), format!("an element named Assertion outside the SAML 2.0 namespace {position} the SAML 2.0 assertion: readers that select by local name read it"))
                .values(ns, "urn:oasis:names:tc:SAML:2.0:assertion")
                .evidence(places.describe(doc))
                .fix("A service provider must read only urn:oasis:names:tc:SAML:2.0:assertion elements. An IdP has no reason to send this: treat the response as suspect."),
        );
    }
}

/// `multiple-assertions`: several assertions, each covered by an intact signature.
pub fn multiple_assertions(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for m in ctx.analysis.messages.iter().filter(|m| !m.is_wrapped()) {
        let others = &m.trust.other_signed;
        let (Some(doc), true) = (&m.doc, others.count > 0) else { continue };
        out.push(
            Finding::new("multiple-assertions", Some(m.index), format!("the message carries {} signed assertions: legal, but many service providers accept only one", others.count + 1))
                .values(format!("{} assertions", others.count + 1), "one assertion")
                .evidence(others.describe(doc))
                .fix("Configure the IdP to send one assertion per response; a service provider that accepts one may read another than expected."),
        );
    }
}

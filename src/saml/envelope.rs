//! Where the SAML message is: the document element, or inside the wrappers SAML travels in
//! (a SOAP envelope for the SOAP and ECP bindings, an `ArtifactResponse`, a WS-Federation
//! `RequestSecurityTokenResponse`). Each wrapper peeled is recorded, like a decoding layer.

use serde::Serialize;

use super::names::{ASSERTION, DSIG, PROTOCOL, SOAP11, SOAP12, WSTRUST_13, WSTRUST_2005};
use crate::xml::{Document, NodeId};

/// A wrapper around the SAML message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Wrapper {
    /// `soap:Envelope/soap:Body` (SOAP 1.1 or 1.2).
    SoapEnvelope,
    /// `samlp:ArtifactResponse` carrying the message (SAML core §3.5.2).
    ArtifactResponse,
    /// WS-Trust `RequestSecurityTokenResponse(Collection)/RequestedSecurityToken` (the
    /// WS-Federation `wresult`).
    WsTrustResponse,
}

impl Wrapper {
    /// The layer's name in reports.
    pub fn label(self) -> &'static str {
        match self {
            Wrapper::SoapEnvelope => "SOAP envelope",
            Wrapper::ArtifactResponse => "ArtifactResponse",
            Wrapper::WsTrustResponse => "WS-Trust RequestSecurityTokenResponse",
        }
    }
}

/// Wrappers nest a few levels at most (SOAP → ArtifactResponse → Response).
const MAX_WRAPPERS: usize = 4;

/// The element that is the message, and the wrappers peeled to reach it, outermost first.
/// An empty wrapper (a SOAP Body with nothing in it) stops at the wrapper itself.
pub fn locate_message(doc: &Document) -> (NodeId, Vec<Wrapper>) {
    let mut el = doc.root;
    let mut wrappers = Vec::new();
    while wrappers.len() < MAX_WRAPPERS {
        let Some((wrapper, inner)) = peel(doc, el) else { break };
        let Some(inner) = inner else { break };
        wrappers.push(wrapper);
        el = inner;
    }
    (el, wrappers)
}

/// The content of wrapper `el`, if `el` is one.
fn peel(doc: &Document, el: NodeId) -> Option<(Wrapper, Option<NodeId>)> {
    let e = doc.element(el)?;
    let first = |parent: NodeId| doc.child_elements(parent).next();
    let soap = [SOAP11, SOAP12].into_iter().find(|ns| e.is(ns, "Envelope"));
    if let Some(ns) = soap {
        let body = doc.child(el, ns, "Body");
        return Some((Wrapper::SoapEnvelope, body.and_then(first)));
    }
    if e.is(PROTOCOL, "ArtifactResponse") {
        // Issuer?, Signature?, Extensions?, Status, then the message (SAML core §3.5.2).
        let inner = doc.child_elements(el).find(|c| {
            !(doc.is(*c, ASSERTION, "Issuer")
                || doc.is(*c, DSIG, "Signature")
                || doc.is(*c, PROTOCOL, "Extensions")
                || doc.is(*c, PROTOCOL, "Status"))
        });
        return Some((Wrapper::ArtifactResponse, inner));
    }
    let trust = [WSTRUST_2005, WSTRUST_13].into_iter().find(|ns| e.ns() == Some(*ns))?;
    let inner = match e.local() {
        "RequestSecurityTokenResponseCollection" => {
            doc.child(el, trust, "RequestSecurityTokenResponse")
        }
        "RequestSecurityTokenResponse" => {
            doc.child(el, trust, "RequestedSecurityToken").and_then(first)
        }
        _ => return None,
    };
    Some((Wrapper::WsTrustResponse, inner))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml::{parse, XmlLimits};

    fn located(xml: &str) -> (String, Vec<Wrapper>) {
        let doc = parse(xml.as_bytes(), XmlLimits::default()).unwrap();
        let (el, wrappers) = locate_message(&doc);
        (doc.element(el).unwrap().local().to_string(), wrappers)
    }

    #[test]
    fn peels_every_wrapper() {
        let p = "xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\"";
        let cases: Vec<(String, &str, Vec<Wrapper>)> = vec![
            (format!("<samlp:Response {p}/>"), "Response", vec![]),
            (format!("<saml:Assertion {p}/>"), "Assertion", vec![]),
            (
                format!("<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Header/><s:Body><samlp:ArtifactResponse {p}><saml:Issuer>i</saml:Issuer><samlp:Status/><samlp:Response/></samlp:ArtifactResponse></s:Body></s:Envelope>"),
                "Response",
                vec![Wrapper::SoapEnvelope, Wrapper::ArtifactResponse],
            ),
            (
                format!("<t:RequestSecurityTokenResponseCollection xmlns:t=\"http://docs.oasis-open.org/ws-sx/ws-trust/200512\"><t:RequestSecurityTokenResponse><t:Lifetime/><t:RequestedSecurityToken><saml:Assertion {p}/></t:RequestedSecurityToken></t:RequestSecurityTokenResponse></t:RequestSecurityTokenResponseCollection>"),
                "Assertion",
                vec![Wrapper::WsTrustResponse, Wrapper::WsTrustResponse],
            ),
            (
                "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Body/></s:Envelope>".into(),
                "Envelope",
                vec![],
            ),
            (format!("<samlp:ArtifactResponse {p}><samlp:Status/></samlp:ArtifactResponse>"), "ArtifactResponse", vec![]),
        ];
        for (xml, want, wrappers) in cases {
            assert_eq!(located(&xml), (want.to_string(), wrappers), "{xml}");
        }
    }
}

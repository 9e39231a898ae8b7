//! The typed SAML 2.0 model, read tolerantly from a parsed [`Document`]: anything missing is
//! `None`, anything unknown is ignored but still in the tree (SAML core §2, §3).

pub mod envelope;
pub mod names;
pub mod time;

use serde::Serialize;

use crate::xml::{Document, NodeId};
use names::{ASSERTION, DSIG, PROTOCOL, XENC};

/// The kind of SAML message (the document element, or what its wrappers carry).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum MessageKind {
    /// `samlp:AuthnRequest` (SAML core §3.4.1).
    AuthnRequest,
    /// `samlp:Response` (SAML core §3.3.3).
    Response,
    /// `samlp:LogoutRequest` (SAML core §3.7.1).
    LogoutRequest,
    /// `samlp:LogoutResponse` (SAML core §3.7.2).
    LogoutResponse,
    /// `samlp:ArtifactResponse` that carries no message (SAML core §3.5.2).
    ArtifactResponse,
    /// A bare `saml:Assertion` (pasted alone, or a WS-Federation token).
    Assertion,
    /// A bare `saml:EncryptedAssertion`.
    EncryptedAssertion,
    /// Anything else: a document element samlscope does not read.
    Unknown,
}

impl MessageKind {
    /// Whether a message of this kind may carry assertions (a Response, or the assertion
    /// itself): an assertion anywhere else is never consumed by a service provider.
    pub fn carries_assertions(self) -> bool {
        matches!(
            self,
            MessageKind::Response | MessageKind::Assertion | MessageKind::EncryptedAssertion
        )
    }
}

/// A protocol message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// The kind.
    pub kind: MessageKind,
    /// The message element: the document element, or what the wrappers carry.
    pub element: NodeId,
    /// The wrappers around it, outermost first.
    pub wrappers: Vec<envelope::Wrapper>,
    /// The message element's expanded name, `{namespace}local`.
    pub name: String,
    /// `ID`.
    pub id: Option<String>,
    /// `IssueInstant`.
    pub issue_instant: Option<String>,
    /// `Destination`.
    pub destination: Option<String>,
    /// `InResponseTo`.
    pub in_response_to: Option<String>,
    /// The message's own `Issuer`.
    pub issuer: Option<String>,
    /// `Status` of a response.
    pub status: Option<Status>,
    /// AuthnRequest details.
    pub request: Option<AuthnRequest>,
    /// Direct child assertions, in document order.
    pub assertions: Vec<Assertion>,
    /// Direct child encrypted assertions.
    pub encrypted_assertions: Vec<EncryptedAssertion>,
    /// Assertion children past [`MAX_ASSERTIONS`], counted but not read.
    pub unread_assertions: usize,
    /// Every `ds:Signature` element anywhere in the document, in document order.
    pub signature_elements: Vec<NodeId>,
}

/// `samlp:Status`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Status {
    /// Top-level `StatusCode/@Value`.
    pub code: Option<String>,
    /// The nested `StatusCode/@Value`, if any.
    pub second_code: Option<String>,
    /// `StatusMessage`.
    pub message: Option<String>,
}

/// The parts of an AuthnRequest that matter for diagnosis (SAML core §3.4.1).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AuthnRequest {
    /// `AssertionConsumerServiceURL`.
    pub acs_url: Option<String>,
    /// `ProtocolBinding`.
    pub protocol_binding: Option<String>,
    /// `NameIDPolicy/@Format`.
    pub name_id_policy_format: Option<String>,
    /// `NameIDPolicy/@AllowCreate`.
    pub name_id_policy_allow_create: Option<bool>,
    /// `RequestedAuthnContext`: `Comparison` and the class or declaration references.
    pub requested_authn_context: Option<RequestedAuthnContext>,
    /// `ForceAuthn`.
    pub force_authn: Option<bool>,
    /// `IsPassive`.
    pub is_passive: Option<bool>,
}

/// `samlp:RequestedAuthnContext` (SAML core §3.3.2.2.1).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct RequestedAuthnContext {
    /// `Comparison` (exact when absent).
    pub comparison: Option<String>,
    /// `AuthnContextClassRef` and `AuthnContextDeclRef` values, in order.
    pub refs: Vec<String>,
}

/// `saml:Assertion` (SAML core §2.3.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assertion {
    /// The element.
    pub element: NodeId,
    /// `ID`.
    pub id: Option<String>,
    /// `IssueInstant`.
    pub issue_instant: Option<String>,
    /// `Issuer`.
    pub issuer: Option<String>,
    /// `Subject/NameID`.
    pub name_id: Option<NameId>,
    /// `Subject/SubjectConfirmation`s.
    pub confirmations: Vec<SubjectConfirmation>,
    /// `Conditions`.
    pub conditions: Option<Conditions>,
    /// `AuthnStatement`s.
    pub authn_statements: Vec<AuthnStatement>,
    /// Attributes of every `AttributeStatement`, in document order.
    pub attributes: Vec<Attribute>,
}

/// `saml:NameID`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameId {
    /// The element.
    pub element: NodeId,
    /// The text value (what an XPath `string()` reader sees).
    pub value: String,
    /// `Format`.
    pub format: Option<String>,
}

/// `saml:SubjectConfirmation` and its data.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SubjectConfirmation {
    /// `Method`.
    pub method: Option<String>,
    /// `SubjectConfirmationData/@Recipient`.
    pub recipient: Option<String>,
    /// `SubjectConfirmationData/@NotBefore`.
    pub not_before: Option<String>,
    /// `SubjectConfirmationData/@NotOnOrAfter`.
    pub not_on_or_after: Option<String>,
    /// `SubjectConfirmationData/@InResponseTo`.
    pub in_response_to: Option<String>,
}

/// `saml:Conditions`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Conditions {
    /// `NotBefore`.
    pub not_before: Option<String>,
    /// `NotOnOrAfter`.
    pub not_on_or_after: Option<String>,
    /// Every `AudienceRestriction/Audience`.
    pub audiences: Vec<String>,
}

/// `saml:AuthnStatement`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AuthnStatement {
    /// `AuthnInstant`.
    pub authn_instant: Option<String>,
    /// `SessionIndex`.
    pub session_index: Option<String>,
    /// `SessionNotOnOrAfter`.
    pub session_not_on_or_after: Option<String>,
    /// `AuthnContext/AuthnContextClassRef`.
    pub context_class: Option<String>,
}

/// `saml:Attribute` with every value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    /// The element.
    pub element: NodeId,
    /// `Name`.
    pub name: String,
    /// `NameFormat`.
    pub name_format: Option<String>,
    /// `FriendlyName`.
    pub friendly_name: Option<String>,
    /// Each `AttributeValue`'s text, in order.
    pub values: Vec<String>,
    /// Each `AttributeValue` element, parallel to `values`.
    pub value_elements: Vec<NodeId>,
}

/// `saml:EncryptedAssertion`: present, with its algorithms; never decrypted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncryptedAssertion {
    /// The element.
    pub element: NodeId,
    /// `xenc:EncryptedData/xenc:EncryptionMethod/@Algorithm`.
    pub data_algorithm: Option<String>,
    /// The key transport algorithm of the `xenc:EncryptedKey`.
    pub key_algorithm: Option<String>,
}

/// Most assertions read from one message: SAML messages carry one or two, and every one read
/// costs memory and report space. The trust analysis still sees every one of them.
pub const MAX_ASSERTIONS: usize = 64;

/// Most SubjectConfirmations read per assertion: an IdP sends one or two, and each is checked
/// (recipient, validity, InResponseTo) and may become evidence.
pub const MAX_CONFIRMATIONS: usize = 16;

/// Reads the SAML message of a document: the document element, or what its wrappers carry.
pub fn read_message(doc: &Document) -> Message {
    let (el, wrappers) = envelope::locate_message(doc);
    let (kind, name) = match doc.element(el) {
        Some(e) => {
            let kind = match (e.ns(), e.local()) {
                (Some(PROTOCOL), "AuthnRequest") => MessageKind::AuthnRequest,
                (Some(PROTOCOL), "Response") => MessageKind::Response,
                (Some(PROTOCOL), "LogoutRequest") => MessageKind::LogoutRequest,
                (Some(PROTOCOL), "LogoutResponse") => MessageKind::LogoutResponse,
                (Some(PROTOCOL), "ArtifactResponse") => MessageKind::ArtifactResponse,
                (Some(ASSERTION), "Assertion") => MessageKind::Assertion,
                (Some(ASSERTION), "EncryptedAssertion") => MessageKind::EncryptedAssertion,
                _ => MessageKind::Unknown,
            };
            (kind, format!("{{{}}}{}", e.ns().unwrap_or_default(), e.local()))
        }
        None => (MessageKind::Unknown, String::new()),
    };
    // Nothing of an element samlscope does not read is shown (`message-unknown` says so).
    let known = kind != MessageKind::Unknown;
    let attr = |n: &str| doc.attr(el, n).filter(|_| known).map(str::to_string);
    let request = (kind == MessageKind::AuthnRequest).then(|| {
        let policy = doc.child(el, PROTOCOL, "NameIDPolicy");
        let policy_attr = |n: &str| policy.and_then(|p| doc.attr(p, n)).map(str::to_string);
        AuthnRequest {
            acs_url: attr("AssertionConsumerServiceURL"),
            protocol_binding: attr("ProtocolBinding"),
            name_id_policy_format: policy_attr("Format"),
            name_id_policy_allow_create: policy_attr("AllowCreate").map(|v| xs_boolean(&v)),
            requested_authn_context: doc.child(el, PROTOCOL, "RequestedAuthnContext").map(|r| {
                RequestedAuthnContext {
                    comparison: doc.attr(r, "Comparison").map(str::to_string),
                    refs: doc
                        .child_elements(r)
                        .filter(|c| {
                            doc.is(*c, ASSERTION, "AuthnContextClassRef")
                                || doc.is(*c, ASSERTION, "AuthnContextDeclRef")
                        })
                        .filter_map(|c| doc.trimmed_text(c))
                        .collect(),
                }
            }),
            force_authn: attr("ForceAuthn").map(|v| xs_boolean(&v)),
            is_passive: attr("IsPassive").map(|v| xs_boolean(&v)),
        }
    });
    // Only the kinds that carry assertions show them: an assertion inside an AuthnRequest, a
    // LogoutResponse or an unknown root is never read as a login (rules report it).
    let (assertions, encrypted_assertions) = match kind {
        MessageKind::Assertion => (vec![read_assertion(doc, el)], Vec::new()),
        MessageKind::EncryptedAssertion => (Vec::new(), vec![read_encrypted(doc, el)]),
        MessageKind::Response => (
            doc.children_named(el, ASSERTION, "Assertion")
                .take(MAX_ASSERTIONS)
                .map(|a| read_assertion(doc, a))
                .collect(),
            doc.children_named(el, ASSERTION, "EncryptedAssertion")
                .take(MAX_ASSERTIONS)
                .map(|e| read_encrypted(doc, e))
                .collect(),
        ),
        _ => (Vec::new(), Vec::new()),
    };
    let unread_assertions = if kind == MessageKind::Response {
        let all = doc.child_elements(el).filter(|c| {
            doc.is(*c, ASSERTION, "Assertion") || doc.is(*c, ASSERTION, "EncryptedAssertion")
        });
        all.count().saturating_sub(assertions.len() + encrypted_assertions.len())
    } else {
        0
    };
    Message {
        kind,
        element: el,
        unread_assertions,
        wrappers,
        name,
        id: attr("ID"),
        issue_instant: attr("IssueInstant"),
        destination: attr("Destination"),
        in_response_to: attr("InResponseTo"),
        issuer: doc
            .child(el, ASSERTION, "Issuer")
            .filter(|_| known)
            .and_then(|i| doc.trimmed_text(i)),
        status: doc.child(el, PROTOCOL, "Status").filter(|_| known).map(|s| read_status(doc, s)),
        request,
        assertions,
        encrypted_assertions,
        signature_elements: doc
            .descendants(doc.root)
            .filter(|n| doc.is(*n, DSIG, "Signature"))
            .collect(),
    }
}

fn xs_boolean(v: &str) -> bool {
    matches!(v.trim(), "true" | "1")
}

fn read_status(doc: &Document, status: NodeId) -> Status {
    let code = doc.child(status, PROTOCOL, "StatusCode");
    let second = code.and_then(|c| doc.child(c, PROTOCOL, "StatusCode"));
    let value = |n: Option<NodeId>| n.and_then(|n| doc.attr(n, "Value")).map(str::to_string);
    Status {
        code: value(code),
        second_code: value(second),
        message: doc.child(status, PROTOCOL, "StatusMessage").and_then(|m| doc.trimmed_text(m)),
    }
}

/// Reads one `saml:Assertion` element.
pub fn read_assertion(doc: &Document, a: NodeId) -> Assertion {
    let subject = doc.child(a, ASSERTION, "Subject");
    let name_id = subject.and_then(|s| doc.child(s, ASSERTION, "NameID")).map(|n| NameId {
        element: n,
        value: doc.text(n).trim().to_string(),
        format: doc.attr(n, "Format").map(str::to_string),
    });
    let confirmations = subject
        .map(|s| {
            doc.children_named(s, ASSERTION, "SubjectConfirmation")
                .take(MAX_CONFIRMATIONS)
                .map(|c| {
                    let data = doc.child(c, ASSERTION, "SubjectConfirmationData");
                    let d = |n: &str| data.and_then(|x| doc.attr(x, n)).map(str::to_string);
                    SubjectConfirmation {
                        method: doc.attr(c, "Method").map(str::to_string),
                        recipient: d("Recipient"),
                        not_before: d("NotBefore"),
                        not_on_or_after: d("NotOnOrAfter"),
                        in_response_to: d("InResponseTo"),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let conditions = doc.child(a, ASSERTION, "Conditions").map(|c| Conditions {
        not_before: doc.attr(c, "NotBefore").map(str::to_string),
        not_on_or_after: doc.attr(c, "NotOnOrAfter").map(str::to_string),
        audiences: doc
            .children_named(c, ASSERTION, "AudienceRestriction")
            .flat_map(|r| doc.children_named(r, ASSERTION, "Audience").collect::<Vec<_>>())
            .filter_map(|x| doc.trimmed_text(x))
            .collect(),
    });
    let authn_statements = doc
        .children_named(a, ASSERTION, "AuthnStatement")
        .map(|s| AuthnStatement {
            authn_instant: doc.attr(s, "AuthnInstant").map(str::to_string),
            session_index: doc.attr(s, "SessionIndex").map(str::to_string),
            session_not_on_or_after: doc.attr(s, "SessionNotOnOrAfter").map(str::to_string),
            context_class: doc
                .child(s, ASSERTION, "AuthnContext")
                .and_then(|c| doc.child(c, ASSERTION, "AuthnContextClassRef"))
                .and_then(|r| doc.trimmed_text(r)),
        })
        .collect();
    let attributes = merge_attributes(
        doc.children_named(a, ASSERTION, "AttributeStatement")
            .flat_map(|s| doc.children_named(s, ASSERTION, "Attribute"))
            .map(|at| {
                let value_elements: Vec<NodeId> =
                    doc.children_named(at, ASSERTION, "AttributeValue").collect();
                Attribute {
                    element: at,
                    name: doc.attr(at, "Name").unwrap_or_default().to_string(),
                    name_format: doc.attr(at, "NameFormat").map(str::to_string),
                    friendly_name: doc.attr(at, "FriendlyName").map(str::to_string),
                    values: value_elements.iter().map(|v| doc.text(*v)).collect(),
                    value_elements,
                }
            }),
    );
    Assertion {
        element: a,
        id: doc.attr(a, "ID").map(str::to_string),
        issue_instant: doc.attr(a, "IssueInstant").map(str::to_string),
        issuer: doc.child(a, ASSERTION, "Issuer").and_then(|i| doc.trimmed_text(i)),
        name_id,
        confirmations,
        conditions,
        authn_statements,
        attributes,
    }
}

/// Same-name attributes as one, values in document order (Keycloak and others send one
/// `saml:Attribute` per value; SAML core §2.7.3.1 lets a consumer treat them as one). The first
/// occurrence keeps its element, NameFormat and FriendlyName.
fn merge_attributes(all: impl Iterator<Item = Attribute>) -> Vec<Attribute> {
    /// Names looked up by a scan up to this many, by an index past it: an assertion carries a
    /// handful, and a hostile one with thousands still costs linear time.
    const SCANNED: usize = 16;
    let mut out: Vec<Attribute> = Vec::new();
    let mut by_name: Option<std::collections::HashMap<String, usize>> = None;
    for at in all {
        let seen = match &by_name {
            Some(index) => index.get(&at.name).copied(),
            None => out.iter().position(|x| x.name == at.name),
        };
        match seen {
            Some(i) => {
                if let Some(first) = out.get_mut(i) {
                    first.values.extend(at.values);
                    first.value_elements.extend(at.value_elements);
                    first.friendly_name = first.friendly_name.take().or(at.friendly_name);
                }
            }
            None => {
                if let Some(index) = &mut by_name {
                    index.insert(at.name.clone(), out.len());
                }
                out.push(at);
                if by_name.is_none() && out.len() > SCANNED {
                    by_name =
                        Some(out.iter().enumerate().map(|(i, a)| (a.name.clone(), i)).collect());
                }
            }
        }
    }
    out
}

fn read_encrypted(doc: &Document, e: NodeId) -> EncryptedAssertion {
    let data = doc.child(e, XENC, "EncryptedData");
    let method = |parent: Option<NodeId>| {
        parent
            .and_then(|p| doc.child(p, XENC, "EncryptionMethod"))
            .and_then(|m| doc.attr(m, "Algorithm"))
            .map(str::to_string)
    };
    let key = doc.descendants(e).find(|n| doc.is(*n, XENC, "EncryptedKey"));
    EncryptedAssertion { element: e, data_algorithm: method(data), key_algorithm: method(key) }
}

impl Assertion {
    /// The values of the attribute named exactly `name`.
    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml::{parse, XmlLimits};

    const RESPONSE: &str = r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r" InResponseTo="_q" Destination="https://sp/acs" IssueInstant="2026-11-20T15:04:05Z">
  <saml:Issuer>https://idp</saml:Issuer>
  <samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Responder"><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:RequestDenied"/></samlp:StatusCode><samlp:StatusMessage> no access </samlp:StatusMessage></samlp:Status>
  <saml:Assertion ID="_a" IssueInstant="2026-11-20T15:04:05Z"><saml:Issuer>https://idp</saml:Issuer>
    <saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified">ada@acme.com</saml:NameID>
      <saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData Recipient="https://sp/acs" NotOnOrAfter="2026-11-20T15:09:05Z" InResponseTo="_q"/></saml:SubjectConfirmation></saml:Subject>
    <saml:Conditions NotBefore="2026-11-20T15:03:35Z" NotOnOrAfter="2026-11-20T15:09:05Z"><saml:AudienceRestriction><saml:Audience>urn:flex:JQ1</saml:Audience></saml:AudienceRestriction><saml:Unknown/></saml:Conditions>
    <saml:AuthnStatement AuthnInstant="2026-11-20T15:04:05Z"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:unspecified</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>
    <saml:AttributeStatement><saml:Attribute Name="roles"><saml:AttributeValue>agent</saml:AttributeValue><saml:AttributeValue>admin</saml:AttributeValue></saml:Attribute></saml:AttributeStatement>
  </saml:Assertion>
</samlp:Response>"#;

    #[test]
    fn reads_a_response() {
        let doc = parse(RESPONSE.as_bytes(), XmlLimits::default()).unwrap();
        let m = read_message(&doc);
        assert_eq!(m.kind, MessageKind::Response);
        assert_eq!(m.id.as_deref(), Some("_r"));
        assert_eq!(m.issuer.as_deref(), Some("https://idp"));
        let s = m.status.unwrap();
        assert!(s.code.unwrap().ends_with("Responder"));
        assert!(s.second_code.unwrap().ends_with("RequestDenied"));
        assert_eq!(s.message.as_deref(), Some("no access"));
        let a = &m.assertions[0];
        assert_eq!(a.name_id.as_ref().unwrap().value, "ada@acme.com");
        assert_eq!(a.confirmations[0].recipient.as_deref(), Some("https://sp/acs"));
        assert_eq!(a.conditions.as_ref().unwrap().audiences, vec!["urn:flex:JQ1"]);
        assert_eq!(a.attribute("roles").unwrap().values, vec!["agent", "admin"]);
        assert_eq!(a.authn_statements.len(), 1);
    }

    /// Attributes of the same name are merged into the first, in order, whether their names
    /// are looked up by a scan (few) or by an index (many).
    #[test]
    fn merges_attributes_of_the_same_name() {
        for distinct in [3, 40] {
            let mut xml = String::from(
                r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"><saml:Assertion><saml:AttributeStatement>"#,
            );
            for round in 0..3 {
                for n in 0..distinct {
                    xml.push_str(&format!(
                        r#"<saml:Attribute Name="a{n}"><saml:AttributeValue>v{round}</saml:AttributeValue></saml:Attribute>"#
                    ));
                }
            }
            xml.push_str("</saml:AttributeStatement></saml:Assertion></samlp:Response>");
            let doc = parse(xml.as_bytes(), XmlLimits::default()).unwrap();
            let attributes = &read_message(&doc).assertions[0].attributes;
            let names: Vec<String> = (0..distinct).map(|n| format!("a{n}")).collect();
            assert_eq!(attributes.iter().map(|a| a.name.clone()).collect::<Vec<_>>(), names);
            for a in attributes {
                assert_eq!(a.values, ["v0", "v1", "v2"], "{distinct} names: {}", a.name);
                assert_eq!(a.value_elements.len(), 3);
            }
        }
    }

    #[test]
    fn reads_logout_messages() {
        let cases: &[(&str, MessageKind)] = &[
            ("<samlp:LogoutRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"_l\" Destination=\"https://idp/slo\"><saml:Issuer>urn:flex:JQ1</saml:Issuer><saml:NameID>ada</saml:NameID></samlp:LogoutRequest>", MessageKind::LogoutRequest),
            ("<samlp:LogoutResponse xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"_l\" Destination=\"https://idp/slo\" InResponseTo=\"_q\"><saml:Issuer>urn:flex:JQ1</saml:Issuer><samlp:Status><samlp:StatusCode Value=\"urn:oasis:names:tc:SAML:2.0:status:Success\"/></samlp:Status></samlp:LogoutResponse>", MessageKind::LogoutResponse),
        ];
        for (xml, kind) in cases {
            let doc = parse(xml.as_bytes(), XmlLimits::default()).unwrap();
            let m = read_message(&doc);
            assert_eq!(m.kind, *kind);
            assert_eq!(
                (m.id.as_deref(), m.destination.as_deref()),
                (Some("_l"), Some("https://idp/slo"))
            );
            assert_eq!(m.issuer.as_deref(), Some("urn:flex:JQ1"));
        }
    }

    #[test]
    fn tolerates_missing_everything() {
        let doc = parse(b"<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\"><saml:Assertion xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\"/></samlp:Response>", XmlLimits::default()).unwrap();
        let m = read_message(&doc);
        assert_eq!(m.id, None);
        assert_eq!(m.status, None);
        assert_eq!(m.assertions[0].name_id, None);
        let doc = parse(b"<foo/>", XmlLimits::default()).unwrap();
        assert_eq!(read_message(&doc).kind, MessageKind::Unknown);
    }
}

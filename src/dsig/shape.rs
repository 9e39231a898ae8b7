//! Reading a `ds:Signature` element's structure, with the shape checks of goxmldsig: exactly one
//! SignedInfo and one SignatureValue, each algorithm present (XML-DSig §4).

use crate::saml::names::DSIG;
use crate::xml::{Document, NodeId};

const EXC_NS: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";

/// The parts of a `ds:Signature`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureShape {
    /// The `ds:SignedInfo` element.
    pub signed_info: NodeId,
    /// CanonicalizationMethod URI.
    pub c14n: String,
    /// InclusiveNamespaces PrefixList of the CanonicalizationMethod.
    pub c14n_prefixes: Vec<String>,
    /// SignatureMethod URI.
    pub signature_method: String,
    /// The References, in order.
    pub references: Vec<ReferenceShape>,
    /// SignatureValue text, whitespace removed.
    pub signature_value: String,
    /// Each `ds:X509Certificate` element in KeyInfo (read only when a failure needs it).
    pub embedded_certificates: Vec<NodeId>,
}

/// One `ds:Reference`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferenceShape {
    /// `URI`, `None` when absent.
    pub uri: Option<String>,
    /// Each Transform: algorithm URI and InclusiveNamespaces PrefixList.
    pub transforms: Vec<(String, Vec<String>)>,
    /// DigestMethod URI.
    pub digest_method: String,
    /// DigestValue text, whitespace removed.
    pub digest_value: String,
}

/// Reads the structure of the `ds:Signature` at `sig`, or says what is malformed.
pub fn read_signature(doc: &Document, sig: NodeId) -> Result<SignatureShape, String> {
    let signed_info = exactly_one(doc, sig, "SignedInfo")?;
    let value = exactly_one(doc, sig, "SignatureValue")?;
    let c14n_el = exactly_one(doc, signed_info, "CanonicalizationMethod")?;
    let method_el = exactly_one(doc, signed_info, "SignatureMethod")?;
    let references = doc
        .children_named(signed_info, DSIG, "Reference")
        .map(|r| read_reference(doc, r))
        .collect::<Result<Vec<_>, _>>()?;
    if references.is_empty() {
        return Err("SignedInfo has no Reference".into());
    }
    let embedded_certificates = doc
        .child(sig, DSIG, "KeyInfo")
        .map(|k| doc.descendants(k).filter(|n| doc.is(*n, DSIG, "X509Certificate")).collect())
        .unwrap_or_default();
    Ok(SignatureShape {
        signed_info,
        c14n: algorithm(doc, c14n_el)?,
        c14n_prefixes: prefix_list(doc, c14n_el),
        signature_method: algorithm(doc, method_el)?,
        references,
        signature_value: compact(&doc.text(value)),
        embedded_certificates,
    })
}

fn read_reference(doc: &Document, r: NodeId) -> Result<ReferenceShape, String> {
    let transforms = match doc.child(r, DSIG, "Transforms") {
        Some(t) => doc
            .children_named(t, DSIG, "Transform")
            .map(|x| Ok((algorithm(doc, x)?, prefix_list(doc, x))))
            .collect::<Result<Vec<_>, String>>()?,
        None => Vec::new(),
    };
    Ok(ReferenceShape {
        uri: doc.attr(r, "URI").map(str::to_string),
        transforms,
        digest_method: algorithm(doc, exactly_one(doc, r, "DigestMethod")?)?,
        digest_value: compact(&doc.text(exactly_one(doc, r, "DigestValue")?)),
    })
}

fn exactly_one(doc: &Document, parent: NodeId, local: &str) -> Result<NodeId, String> {
    let mut found = doc.children_named(parent, DSIG, local);
    match (found.next(), found.next()) {
        (Some(one), None) => Ok(one),
        (None, _) => Err(format!("no ds:{local}")),
        (Some(_), Some(_)) => {
            let many = 2 + found.count();
            Err(format!("{many} ds:{local} elements where exactly one is allowed"))
        }
    }
}

fn algorithm(doc: &Document, el: NodeId) -> Result<String, String> {
    doc.attr(el, "Algorithm").map(|a| a.trim().to_string()).ok_or_else(|| {
        let name = doc.element(el).map(|e| e.local().to_string()).unwrap_or_default();
        format!("ds:{name} has no Algorithm")
    })
}

fn prefix_list(doc: &Document, el: NodeId) -> Vec<String> {
    doc.child(el, EXC_NS, "InclusiveNamespaces")
        .and_then(|i| doc.attr(i, "PrefixList"))
        .map(|p| p.split_ascii_whitespace().map(str::to_string).collect())
        .unwrap_or_default()
}

/// The text with every ASCII whitespace run removed (base64 in XML is often wrapped).
pub(crate) fn compact(s: &str) -> String {
    // Sized once: collecting the pieces grew the string line by line.
    let mut out = String::with_capacity(s.len());
    s.split_ascii_whitespace().for_each(|piece| out.push_str(piece));
    out
}

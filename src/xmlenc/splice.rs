//! Puts decrypted assertions where their EncryptedAssertion was (SAML core §2.3.4), so the
//! decrypted message is read, verified and judged exactly like a clear one, and maps the nodes
//! of the encrypted document to the decrypted one (signatures outside the EncryptedAssertion
//! are verified over the bytes that were signed: the ciphertext).

use std::ops::Range;

use crate::xml::{parse, Document, NodeId, NodeKind, XmlLimits};

/// One EncryptedAssertion replaced by its plaintext.
#[derive(Debug, Clone)]
struct Region {
    /// The EncryptedAssertion's subtree in the encrypted document (node ids).
    old: Range<NodeId>,
    /// The EncryptedAssertion's bytes in the encrypted document.
    old_bytes: Range<usize>,
    /// The plaintext's bytes in the decrypted document.
    new_bytes: Range<usize>,
}

/// The decrypted document's bytes and how its nodes relate to the encrypted one's.
#[derive(Debug, Clone)]
pub struct Splice {
    /// The document with each decrypted EncryptedAssertion replaced by its plaintext.
    pub xml: Vec<u8>,
    regions: Vec<Region>,
}

/// The plaintext without what may precede the element in a serialisation: a BOM, an XML
/// declaration, whitespace.
pub fn trim_plaintext(p: &[u8]) -> &[u8] {
    let p = p.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(p);
    let p = p.trim_ascii();
    if p.starts_with(b"<?xml") {
        if let Some(end) = p.windows(2).position(|w| w == b"?>") {
            return p[end + 2..].trim_ascii();
        }
    }
    p
}

/// Checks that `plaintext` is well-formed content in the place of `ea`: balanced, with the
/// namespace declarations in scope there, within `limits`. Spliced content that closes
/// elements it did not open would rearrange the signed document around it.
pub fn check_in_context(
    doc: &Document,
    ea: NodeId,
    plaintext: &[u8],
    limits: XmlLimits,
) -> Result<(), String> {
    // Text at either end would merge with the text around the EncryptedAssertion and shift
    // every node after it.
    if !plaintext.starts_with(b"<") || !plaintext.ends_with(b">") {
        return Err("the plaintext does not begin and end with markup".into());
    }
    let parent = doc.parent(ea);
    let decls = parent.map(|p| doc.in_scope_namespaces(p)).unwrap_or_default();
    let mut wrapper = String::from("<samlscope-context");
    for (p, uri) in &decls {
        let uri = uri.replace('&', "&amp;").replace('<', "&lt;").replace('"', "&quot;");
        match p {
            Some(p) => wrapper.push_str(&format!(" xmlns:{p}=\"{uri}\"")),
            None => wrapper.push_str(&format!(" xmlns=\"{uri}\"")),
        }
    }
    wrapper.push('>');
    let mut bytes = wrapper.into_bytes();
    let offset = bytes.len();
    bytes.extend_from_slice(plaintext);
    bytes.extend_from_slice(b"</samlscope-context>");
    let depth = doc.ancestors(ea).count();
    let limits = XmlLimits { max_depth: limits.max_depth.saturating_sub(depth), ..limits };
    let d = parse(&bytes, limits).map_err(|e| {
        let at = e.offset.saturating_sub(offset);
        let what =
            if e.message.starts_with("invalid UTF-8") { "invalid UTF-8" } else { &e.message };
        format!("{what} at byte {at} of the plaintext")
    })?;
    if !d.child_elements(d.root).any(|_| true) {
        return Err("the plaintext holds no element".into());
    }
    if d.descendants(d.root).any(|n| matches!(d.kind(n), Some(NodeKind::Pi { .. }))) {
        return Err("the plaintext holds a processing instruction".into());
    }
    Ok(())
}

/// Replaces each EncryptedAssertion of `items` (node, checked plaintext) in `xml`, the bytes
/// `doc` was parsed from.
pub fn splice(doc: &Document, xml: &[u8], items: &[(NodeId, &[u8])]) -> Result<Splice, String> {
    if !crate::xml::spans_are_raw(xml) {
        return Err(
            "an ISO-8859-1 document: samlscope decrypts assertions in UTF-8 documents only".into(),
        );
    }
    let mut items = items.to_vec();
    items.sort_by_key(|(n, _)| *n);
    let mut out = Vec::with_capacity(xml.len());
    let mut regions = Vec::new();
    let mut at = 0;
    for (ea, plaintext) in items {
        let span = doc.span(ea).ok_or("no such node")?;
        let markup = xml.get(span.clone()).ok_or("the element's bytes are not in the document")?;
        if span.start < at || !markup.starts_with(b"<") || !markup.ends_with(b">") {
            return Err("the EncryptedAssertion's bytes cannot be located (an ISO-8859-1 or nested document)".into());
        }
        out.extend_from_slice(&xml[at..span.start]);
        let start = out.len();
        out.extend_from_slice(plaintext);
        regions.push(Region {
            old: ea..ea + doc.descendants(ea).len(),
            old_bytes: span.clone(),
            new_bytes: start..out.len(),
        });
        at = span.end;
    }
    out.extend_from_slice(&xml[at..]);
    Ok(Splice { xml: out, regions })
}

impl Splice {
    /// The node of the decrypted document `new` that stands for node `old` of the encrypted
    /// document: the same node outside the replaced regions, the first element of the
    /// plaintext for any node inside one.
    ///
    /// The mapped node is checked to start at the byte where the old one does, shifted by the
    /// plaintexts before it; when it does not, there is no mapping (fail safe: a signature
    /// whose nodes cannot be mapped is dropped, never attached to another element).
    pub fn map(&self, old_doc: &Document, new: &Document, old: NodeId) -> Option<NodeId> {
        let mut shift: isize = 0;
        let mut byte_shift: isize = 0;
        for r in &self.regions {
            let first = first_node_at(new, r.new_bytes.start);
            let count = first_node_at(new, r.new_bytes.end) - first;
            if old < r.old.start {
                break;
            }
            if old < r.old.end {
                return (first..first + count).find(|n| new.element(*n).is_some());
            }
            shift += count as isize - r.old.len() as isize;
            byte_shift += r.new_bytes.len() as isize - r.old_bytes.len() as isize;
        }
        let id = old.checked_add_signed(shift)?;
        let want = old_doc.span(old)?.start.checked_add_signed(byte_shift)?;
        (new.span(id)?.start == want).then_some(id)
    }

    /// Whether node `old` of the encrypted document was inside a replaced EncryptedAssertion.
    pub fn replaced(&self, old: NodeId) -> bool {
        self.regions.iter().any(|r| r.old.contains(&old))
    }

    /// The elements the plaintexts became, in document order.
    pub fn decrypted_elements(&self, new: &Document) -> Vec<Option<NodeId>> {
        self.regions
            .iter()
            .map(|r| {
                let (a, b) =
                    (first_node_at(new, r.new_bytes.start), first_node_at(new, r.new_bytes.end));
                (a..b).find(|n| new.element(*n).is_some() && new.parent(*n).is_none_or(|p| p < a))
            })
            .collect()
    }

    /// Whether node `n` of the decrypted document lies inside a plaintext.
    pub fn is_decrypted(&self, new: &Document, n: NodeId) -> bool {
        let Some(span) = new.span(n) else { return false };
        self.regions.iter().any(|r| r.new_bytes.contains(&span.start))
    }
}

/// The first node whose markup starts at or after `offset` (nodes are in document order).
fn first_node_at(doc: &Document, offset: usize) -> NodeId {
    doc.nodes_before(offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"<p:Response xmlns:p="urn:p" xmlns:a="urn:a"><a:Issuer>i</a:Issuer><a:EncryptedAssertion><x/></a:EncryptedAssertion><a:After/></p:Response>"#;

    fn ea(doc: &Document) -> NodeId {
        doc.descendants(doc.root).find(|n| doc.is(*n, "urn:a", "EncryptedAssertion")).unwrap()
    }

    #[test]
    fn plaintext_must_be_balanced_in_place() {
        let doc = parse(DOC.as_bytes(), XmlLimits::default()).unwrap();
        let ea = ea(&doc);
        let check = |p: &str| check_in_context(&doc, ea, p.as_bytes(), XmlLimits::default());
        assert!(
            check("<a:Assertion ID=\"x\"><a:Subject/></a:Assertion>").is_ok(),
            "ancestor prefixes are in scope"
        );
        assert!(
            check("<a:Assertion/></a:EncryptedAssertion><a:Assertion/>").is_err(),
            "closes the element it replaces"
        );
        assert!(check("<a:Assertion>").is_err(), "unclosed");
        assert!(check("<b:Assertion/>").is_err(), "unbound prefix");
        assert!(check("<?pi x?><a:Assertion/>").is_err());
        assert!(check("text only").is_err());
        assert!(check("<a:Assertion/>x").is_err(), "trailing text merges with what follows");
        assert!(check("x<a:Assertion/>").is_err(), "leading text merges with what precedes");
    }

    #[test]
    fn nodes_after_the_plaintext_keep_their_identity() {
        let doc = parse(DOC.as_bytes(), XmlLimits::default()).unwrap();
        let ea = ea(&doc);
        let plain = b"<a:Assertion ID=\"x\"><a:Subject>s</a:Subject><a:More/></a:Assertion>";
        let s = splice(&doc, DOC.as_bytes(), &[(ea, plain.as_slice())]).unwrap();
        let new = parse(&s.xml, XmlLimits::default()).unwrap();
        let after_old = doc.descendants(doc.root).find(|n| doc.is(*n, "urn:a", "After")).unwrap();
        let after_new = s.map(&doc, &new, after_old).unwrap();
        assert!(new.is(after_new, "urn:a", "After"));
        assert_eq!(s.map(&doc, &new, doc.root), Some(new.root));
        let decrypted = s.decrypted_elements(&new)[0].unwrap();
        assert!(new.is(decrypted, "urn:a", "Assertion"));
        assert_eq!(s.map(&doc, &new, ea), Some(decrypted));
        assert!(s.replaced(ea) && !s.replaced(after_old));
        assert!(s.is_decrypted(&new, decrypted) && !s.is_decrypted(&new, after_new));
    }

    #[test]
    fn declarations_and_whitespace_are_trimmed() {
        assert_eq!(trim_plaintext(b"\xEF\xBB\xBF<?xml version=\"1.0\"?>\n <a/> \n"), b"<a/>");
    }
}

//! The XML layer: a namespace-aware arena tree over quick-xml, with byte spans, the XML 1.0
//! normalisations a conforming parser must apply, and canonicalisation (`c14n`).
//!
//! The tree is built once per decoded payload and never mutated; signature verification and the
//! SAML model read it by [`NodeId`].

pub mod c14n;
mod parse;
mod uri;

use std::ops::Range;

pub use parse::{parse, spans_are_raw, XmlError};

/// The namespace bound to the `xml` prefix (Namespaces in XML 1.0 §3).
pub const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// Index of a node of a [`Document`], in document order.
pub type NodeId = usize;

/// Limits that keep hostile documents from exhausting the stack or memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct XmlLimits {
    /// Maximum element nesting depth.
    pub max_depth: usize,
    /// Maximum number of nodes (elements, text runs, comments, PIs).
    pub max_nodes: usize,
    /// Maximum attributes on one element (duplicate checks are quadratic in it).
    pub max_attributes: usize,
    /// Maximum namespace declarations in scope at once (prefix lookups scan them).
    pub max_namespaces: usize,
}

impl Default for XmlLimits {
    fn default() -> Self {
        XmlLimits { max_depth: 256, max_nodes: 500_000, max_attributes: 256, max_namespaces: 1024 }
    }
}

/// A parsed document: every node in document order, plus the top-level nodes.
///
/// Nodes are small and fixed-size: elements, attributes and namespace declarations are in
/// lists of their own, and every string (text, comments, PIs, names, namespace URIs, attribute
/// values) in one string, so a document costs a handful of allocations rather than one or more
/// per node, and holds no pointer to share or count ([`Document::kind`] reads a node, and
/// [`Element`] and [`Attribute`] borrow from it).
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// All nodes, in document order.
    nodes: Vec<Node>,
    /// The elements, in document order.
    elements: Vec<StoredElement>,
    /// Every element's attributes, element after element.
    attributes: Vec<StoredAttribute>,
    /// Every element's namespace declarations, element after element.
    declarations: Vec<(Option<Str>, Str)>,
    /// The characters of every text node, comment, PI, name, namespace URI and attribute
    /// value, one after the other (a name or URI once per document, mostly).
    chars: String,
    /// Top-level nodes in order: comments, PIs and the document element.
    pub top_level: Vec<NodeId>,
    /// The document element.
    pub root: NodeId,
    /// Text nodes made of more than one lexical piece (text, CDATA sections, references),
    /// by node: readers that do not merge them see only the first piece.
    pub split_texts: Vec<TextSplit>,
}

/// The children of a node, from [`Document::children`].
#[derive(Debug, Clone)]
pub struct Children<'a> {
    nodes: &'a [Node],
    next: NodeId,
    end: NodeId,
}

impl Iterator for Children<'_> {
    type Item = NodeId;

    fn next(&mut self) -> Option<NodeId> {
        let child = self.next;
        if child >= self.end {
            return None;
        }
        // A corrupt end could only stop the walk early, never loop: ends grow.
        self.next = self.nodes.get(child).map_or(self.end, |n| (n.end as usize).max(child + 1));
        Some(child)
    }
}

/// A text node that the source writes as several pieces (`a<![CDATA[b]]>`, `a&amp;b`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextSplit {
    /// The text node.
    pub node: NodeId,
    /// Length in bytes of the first piece, within the node's text.
    pub first_len: usize,
    /// A CDATA section is one of the pieces.
    pub cdata: bool,
    /// An entity or character reference is one of the pieces.
    pub reference: bool,
}

/// No parent: a top-level node.
const NO_PARENT: u32 = u32::MAX;

/// One node of the tree, 36 bytes: offsets are 32-bit, as documents stay far below 4 GiB
/// ([`parse`] refuses larger ones).
#[derive(Debug, Clone, Copy)]
struct Node {
    /// The parent element, [`NO_PARENT`] for top-level nodes.
    parent: u32,
    /// One past the last node of this node's subtree: nodes are in document order, so the
    /// subtree is the nodes from this one up to there, and the first child follows its parent.
    end: u32,
    /// Byte range of the node's markup in the decoded document.
    span: (u32, u32),
    /// What the node is.
    kind: Stored,
}

const _: () = assert!(std::mem::size_of::<Node>() == 36);

/// What a node is, as stored: an index into [`Document::elements`] or ranges of
/// [`Document::chars`].
#[derive(Debug, Clone, Copy)]
enum Stored {
    Element(u32),
    Text(u32, u32),
    Comment(u32, u32),
    Pi { target: (u32, u32), data: (u32, u32) },
}

/// A string of the document (a name, a namespace URI, an attribute value): a range of
/// [`Document::chars`]. Equal ranges are equal strings; equal strings usually share a range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Str(u32, u32);

/// An element's or attribute's name as stored: the qualified name as written, in one piece,
/// the local name (its end) and the resolved namespace URI.
#[derive(Debug, Clone, Copy)]
struct Named {
    name: Str,
    local: Str,
    ns: Option<Str>,
}

impl Named {
    fn prefix(self, doc: &Document) -> Option<&str> {
        prefix_of(self.name, self.local).map(|p| doc.str(p))
    }
}

/// An element as stored: its name, and ranges of [`Document::attributes`] and
/// [`Document::declarations`]. No pointer in it, so a tree is dropped with its lists.
#[derive(Debug, Clone, Copy)]
struct StoredElement {
    named: Named,
    attrs: (u32, u32),
    ns_decls: (u32, u32),
}

/// An attribute as stored.
#[derive(Debug, Clone, Copy)]
struct StoredAttribute {
    named: Named,
    value: Str,
}

/// The prefix of a qualified name whose local name is `local`: what comes before the colon.
fn prefix_of(name: Str, local: Str) -> Option<Str> {
    (name.0 < local.0).then(|| Str(name.0, local.0 - 1))
}

/// What a node is, borrowed from its document.
#[derive(Debug, Clone, Copy)]
pub enum NodeKind<'a> {
    /// An element.
    Element(Element<'a>),
    /// Character data: adjacent text, references and CDATA merged, line ends normalised.
    Text(&'a str),
    /// A comment's text, as written.
    Comment(&'a str),
    /// A processing instruction.
    Pi {
        /// The PI target.
        target: &'a str,
        /// Everything after the target and the whitespace that follows it.
        data: &'a str,
    },
}

/// An element of a document: its resolved name, attributes and the namespace declarations
/// written on it.
#[derive(Clone, Copy)]
pub struct Element<'a> {
    doc: &'a Document,
    stored: &'a StoredElement,
}

/// An attribute with its resolved namespace and its normalised value.
#[derive(Clone, Copy)]
pub struct Attribute<'a> {
    doc: &'a Document,
    stored: &'a StoredAttribute,
}

/// The name accessors [`Element`] and [`Attribute`] share.
macro_rules! name_accessors {
    () => {
        /// The qualified name as written (`prefix:local` or `local`).
        pub fn qname(self) -> &'a str {
            self.doc.str(self.stored.named.name)
        }

        /// The prefix as written, if any.
        pub fn prefix(self) -> Option<&'a str> {
            self.stored.named.prefix(self.doc)
        }

        /// The local name.
        pub fn local(self) -> &'a str {
            self.doc.str(self.stored.named.local)
        }

        /// The resolved namespace URI: `None` for no namespace (always for an unprefixed
        /// attribute).
        pub fn ns(self) -> Option<&'a str> {
            self.stored.named.ns.map(|n| self.doc.str(n))
        }
    };
}

impl<'a> Element<'a> {
    name_accessors!();

    /// Attributes other than namespace declarations, in document order.
    pub fn attrs(self) -> impl ExactSizeIterator<Item = Attribute<'a>> + Clone + 'a {
        let (start, end) = self.stored.attrs;
        let doc = self.doc;
        let stored = doc.attributes.get(start as usize..end as usize).unwrap_or_default();
        stored.iter().map(move |stored| Attribute { doc, stored })
    }

    /// Namespace declarations written on this element (`None` prefix = default namespace),
    /// in document order.
    pub fn ns_decls(
        self,
    ) -> impl ExactSizeIterator<Item = (Option<&'a str>, &'a str)> + Clone + 'a {
        let (start, end) = self.stored.ns_decls;
        let doc = self.doc;
        let stored = doc.declarations.get(start as usize..end as usize).unwrap_or_default();
        stored.iter().map(move |(p, uri)| (p.map(|p| doc.str(p)), doc.str(*uri)))
    }

    /// Whether the element declares any namespace.
    pub fn declares_namespaces(self) -> bool {
        self.stored.ns_decls.0 != self.stored.ns_decls.1
    }

    /// The value of the unqualified attribute `local`.
    pub fn attr(self, local: &str) -> Option<&'a str> {
        self.attrs()
            .find(|a| a.stored.named.ns.is_none() && a.local() == local)
            .map(Attribute::value)
    }

    /// True when the element has namespace `ns` and local name `local`.
    pub fn is(self, ns: &str, local: &str) -> bool {
        self.local() == local && self.ns() == Some(ns)
    }
}

impl std::fmt::Debug for Element<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Element({{{}}}{})", self.ns().unwrap_or_default(), self.qname())
    }
}

impl<'a> Attribute<'a> {
    name_accessors!();

    /// The value after attribute-value normalisation (XML 1.0 §3.3.3).
    pub fn value(self) -> &'a str {
        self.doc.str(self.stored.value)
    }
}

impl std::fmt::Debug for Attribute<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Attribute({}={:?})", self.qname(), self.value())
    }
}

impl Document {
    /// The number of nodes.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether the document has no node (only [`Document::default`]).
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// The string `s` stands for.
    fn str(&self, s: Str) -> &str {
        self.chars.get(s.0 as usize..s.1 as usize).unwrap_or_default()
    }

    /// What node `id` is.
    pub fn kind(&self, id: NodeId) -> Option<NodeKind<'_>> {
        let chars = |(start, end): (u32, u32)| self.chars.get(start as usize..end as usize);
        Some(match self.nodes.get(id)?.kind {
            Stored::Element(e) => NodeKind::Element(self.element_at(e)?),
            Stored::Text(start, end) => NodeKind::Text(chars((start, end))?),
            Stored::Comment(start, end) => NodeKind::Comment(chars((start, end))?),
            Stored::Pi { target, data } => {
                NodeKind::Pi { target: chars(target)?, data: chars(data)? }
            }
        })
    }

    /// The byte range of node `id`'s markup in the decoded document.
    pub fn span(&self, id: NodeId) -> Option<Range<usize>> {
        let (start, end) = self.nodes.get(id)?.span;
        Some(start as usize..end as usize)
    }

    /// The number of nodes whose markup starts before byte `offset`: nodes are in document
    /// order, so the first node at or after `offset` is this one.
    pub fn nodes_before(&self, offset: usize) -> NodeId {
        self.nodes.partition_point(|n| (n.span.0 as usize) < offset)
    }

    /// The element at `id`, if that node is an element.
    pub fn element(&self, id: NodeId) -> Option<Element<'_>> {
        match self.nodes.get(id)?.kind {
            Stored::Element(e) => self.element_at(e),
            _ => None,
        }
    }

    fn element_at(&self, index: u32) -> Option<Element<'_>> {
        Some(Element { doc: self, stored: self.elements.get(index as usize)? })
    }

    /// The children of `id` that are elements.
    pub fn child_elements(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        self.children(id).filter(|c| self.element(*c).is_some())
    }

    /// All child nodes of `id`, in document order: each child's subtree ends where the next
    /// child starts.
    pub fn children(&self, id: NodeId) -> Children<'_> {
        let end = self.nodes.get(id).map_or(id, |n| n.end as usize);
        Children { nodes: &self.nodes, next: id + 1, end }
    }

    /// The first child element of `id` named `{ns}local`.
    pub fn child(&self, id: NodeId, ns: &str, local: &str) -> Option<NodeId> {
        self.children_named(id, ns, local).next()
    }

    /// Every child element of `id` named `{ns}local`.
    pub fn children_named<'a>(
        &'a self,
        id: NodeId,
        ns: &'a str,
        local: &'a str,
    ) -> impl Iterator<Item = NodeId> + 'a {
        self.child_elements(id).filter(move |c| self.is(*c, ns, local))
    }

    /// True when `id` is an element named `{ns}local`.
    pub fn is(&self, id: NodeId, ns: &str, local: &str) -> bool {
        self.element(id).is_some_and(|e| e.is(ns, local))
    }

    /// The unqualified attribute `local` of element `id`.
    pub fn attr(&self, id: NodeId, local: &str) -> Option<&str> {
        self.element(id).and_then(|e| e.attr(local))
    }

    /// The parent element of `id`.
    pub fn parent(&self, id: NodeId) -> Option<NodeId> {
        self.nodes.get(id).map(|n| n.parent).filter(|p| *p != NO_PARENT).map(|p| p as NodeId)
    }

    /// The ancestors of `id`, nearest first.
    pub fn ancestors(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        std::iter::successors(self.parent(id), move |p| self.parent(*p))
    }

    /// `id` and every node below it, in document order: nodes are stored in that order, so a
    /// subtree is a run of node ids.
    pub fn descendants(&self, id: NodeId) -> Range<NodeId> {
        match self.nodes.get(id) {
            Some(node) => id..node.end as usize,
            None => id..id,
        }
    }

    /// The concatenated text of every text node below `id` (XPath `string()`).
    pub fn text(&self, id: NodeId) -> String {
        let mut s = String::new();
        for n in self.descendants(id) {
            if let Some(NodeKind::Text(t)) = self.kind(n) {
                s.push_str(t);
            }
        }
        s
    }

    /// The text of `id` with surrounding whitespace trimmed, `None` when empty.
    pub fn trimmed_text(&self, id: NodeId) -> Option<String> {
        let t = self.text(id);
        let t = t.trim();
        (!t.is_empty()).then(|| t.to_string())
    }

    /// The namespaces in scope at element `id`, nearest declaration winning, sorted by prefix
    /// (default namespace first). An undeclared default (`xmlns=""`) appears with an empty URI.
    pub fn in_scope_namespaces(&self, id: NodeId) -> Vec<(Option<String>, String)> {
        let mut seen: Vec<(Option<String>, String)> = Vec::new();
        for n in std::iter::once(id).chain(self.ancestors(id)) {
            if let Some(e) = self.element(n) {
                for (p, uri) in e.ns_decls() {
                    if !seen.iter().any(|(q, _)| q.as_deref() == p) {
                        seen.push((p.map(str::to_string), uri.to_string()));
                    }
                }
            }
        }
        seen.sort();
        seen
    }

    /// How text node `id` was split in the source, if it was.
    pub fn text_split(&self, id: NodeId) -> Option<&TextSplit> {
        let i = self.split_texts.binary_search_by_key(&id, |s| s.node).ok()?;
        self.split_texts.get(i)
    }

    /// Whether `ancestor` is `id` itself or one of its ancestors.
    pub fn is_within(&self, id: NodeId, ancestor: NodeId) -> bool {
        id == ancestor || self.ancestors(id).any(|a| a == ancestor)
    }

    /// A short path such as `/samlp:Response/saml:Assertion[2]` naming element `id`.
    pub fn path(&self, id: NodeId) -> String {
        let mut parts = Vec::new();
        for n in std::iter::once(id).chain(self.ancestors(id)) {
            let Some(e) = self.element(n) else { continue };
            let siblings: Vec<NodeId> = match self.parent(n) {
                Some(p) => self
                    .child_elements(p)
                    .filter(|s| {
                        self.element(*s).is_some_and(|x| x.local() == e.local() && x.ns() == e.ns())
                    })
                    .collect(),
                None => vec![n],
            };
            let name = e.qname().to_string();
            if siblings.len() > 1 {
                let pos = siblings.iter().position(|s| *s == n).unwrap_or(0) + 1;
                parts.push(format!("{name}[{pos}]"));
            } else {
                parts.push(name);
            }
        }
        parts.reverse();
        format!("/{}", parts.join("/"))
    }
}

/// Line and column (both 1-based, column in bytes) of byte `offset` in `text`.
pub fn line_col(text: &[u8], offset: usize) -> (usize, usize) {
    let upto = &text[..offset.min(text.len())];
    let line = upto.iter().filter(|b| **b == b'\n').count() + 1;
    let col = upto.iter().rev().take_while(|b| **b != b'\n').count() + 1;
    (line, col)
}

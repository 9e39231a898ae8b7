//! Canonical XML: inclusive 1.0 (W3C REC xml-c14n-20010315), inclusive 1.1 (xml-c14n11) and
//! exclusive 1.0 (xml-exc-c14n), each with or without comments, over a whole document or over
//! the subtree of one element minus one excluded subtree (the enveloped signature).
//!
//! The walk is iterative, so depth is bounded by memory only.

use std::cmp::Ordering;

use super::{Attribute, Document, Element, NodeId, NodeKind, XML_NS};

/// The canonicalisation algorithms XML-DSig names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum C14nMethod {
    /// Canonical XML 1.0.
    Inclusive10,
    /// Canonical XML 1.1.
    Inclusive11,
    /// Exclusive XML Canonicalization 1.0.
    Exclusive,
}

/// A complete canonicalisation setting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct C14n {
    /// Which algorithm.
    pub method: C14nMethod,
    /// Whether comments are kept.
    pub with_comments: bool,
    /// Exclusive c14n's InclusiveNamespaces PrefixList (`#default` for the default namespace).
    pub inclusive_prefixes: Vec<String>,
    /// How `&` is written in a namespace declaration's URI.
    pub ns_ampersand: NsAmpersand,
}

/// How `&` in a namespace URI is written. The c14n text treats namespace nodes like attributes
/// (`&amp;`), as Apache Santuario, .NET and goxmldsig do; libxml2 (xmlsec1, lxml, signxml,
/// Nokogiri, xmlseclibs) keeps the parser's internal `&#38;`. Signers of both families exist, so
/// a digest that fails is retried with the other form to say which one was used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NsAmpersand {
    /// `&amp;`, as the recommendation reads.
    #[default]
    Entity,
    /// `&#38;`, as libxml2 writes it.
    CharRef,
}

impl C14n {
    /// A setting without a PrefixList.
    pub fn new(method: C14nMethod, with_comments: bool) -> Self {
        C14n {
            method,
            with_comments,
            inclusive_prefixes: Vec::new(),
            ns_ampersand: NsAmpersand::Entity,
        }
    }
}

/// What to canonicalise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subset {
    /// The whole document, with comments and PIs outside the document element.
    Document,
    /// The subtree rooted at this element (a document subset whose apex is the element).
    Element(NodeId),
}

enum Step {
    Enter(NodeId),
    Exit(NodeId, usize),
}

/// Canonicalises `subset` of `doc`, leaving out the subtree at `exclude`.
pub fn canonicalize(
    doc: &Document,
    subset: Subset,
    exclude: Option<NodeId>,
    c14n: &C14n,
) -> Vec<u8> {
    Canonicalizer::new(doc).canonicalize(subset, exclude, c14n)
}

/// Canonicalises subsets of one document in turn (a signature's Reference, then its
/// SignedInfo), keeping its working lists from one call to the next.
pub struct Canonicalizer<'a> {
    doc: &'a Document,
    lists: Lists<'a>,
}

impl<'a> Canonicalizer<'a> {
    /// A canonicalizer for `doc`.
    pub fn new(doc: &'a Document) -> Self {
        Canonicalizer { doc, lists: Lists::default() }
    }

    /// [`canonicalize`] with this canonicalizer's lists.
    pub fn canonicalize(
        &mut self,
        subset: Subset,
        exclude: Option<NodeId>,
        c14n: &C14n,
    ) -> Vec<u8> {
        let mut lists = std::mem::take(&mut self.lists);
        // About the size of the input it renders: one allocation, seldom grown.
        let piece = std::mem::replace(
            &mut lists.out,
            Vec::with_capacity(rendered_size(self.doc, subset) + 256),
        );
        let mut w = Writer::new(self.doc, c14n, exclude, lists, None);
        w.run(subset);
        let mut lists = w.l;
        let out = std::mem::replace(&mut lists.out, piece);
        self.lists = lists;
        out
    }

    /// Canonicalises like [`canonicalize`], handing the octets to `sink` in pieces of a few
    /// KiB as they are written: a digest then needs no buffer the size of the document, and
    /// hashes bytes that are still in cache.
    pub fn canonicalize_to(
        &mut self,
        subset: Subset,
        exclude: Option<NodeId>,
        c14n: &C14n,
        sink: &mut dyn FnMut(&[u8]),
    ) {
        let mut lists = std::mem::take(&mut self.lists);
        lists.out.reserve((rendered_size(self.doc, subset) + 256).min(PIECE + 1024));
        let mut w = Writer::new(self.doc, c14n, exclude, lists, Some(sink));
        w.run(subset);
        w.flush();
        self.lists = w.l;
    }
}

/// How many octets [`Canonicalizer::canonicalize_to`] gathers before handing them on (a node's text may
/// make a piece longer).
const PIECE: usize = 8 * 1024;

/// The length of the markup `subset` spans: about what its canonical form takes.
fn rendered_size(doc: &Document, subset: Subset) -> usize {
    match subset {
        Subset::Element(id) => doc.span(id).map_or(0, |s| s.len()),
        Subset::Document => {
            doc.top_level.iter().filter_map(|n| doc.span(*n)).map(|s| s.end).max().unwrap_or(0)
        }
    }
}

/// Where [`Canonicalizer::canonicalize_to`] hands its pieces.
type Sink<'a> = &'a mut dyn FnMut(&[u8]);

/// A namespace binding: prefix (`None` = default) and URI, borrowed from the document.
type Binding<'a> = (Option<&'a str>, &'a str);

/// A writer's working lists, all empty between two canonicalisations.
#[derive(Default)]
struct Lists<'a> {
    /// The octets written and not yet handed on.
    out: Vec<u8>,
    /// Namespace declarations rendered by output ancestors, innermost last.
    rendered: Vec<Binding<'a>>,
    /// The in-scope namespaces of the open elements' scopes, one run per scope, innermost
    /// last: a stack, so its memory is reused from element to element.
    bindings: Vec<Binding<'a>>,
    /// Where each scope's run starts in `bindings` (it ends where the next one starts).
    scopes: Vec<usize>,
    /// For each open element, its index in `scopes` (shared with the parent when the element
    /// declares nothing).
    open: Vec<usize>,
    /// The walk's steps to come.
    stack: Vec<Step>,
    scratch: Scratch<'a>,
}

/// One canonicalisation: the document (`'a`), the setting and the sink (`'c`).
struct Writer<'a, 'c> {
    doc: &'a Document,
    c14n: &'c C14n,
    exclude: Option<NodeId>,
    /// Exclusive c14n's PrefixList, sorted and deduplicated (`None` = `#default`).
    listed: Vec<Option<&'c str>>,
    /// Where finished pieces of the output go; `None` keeps everything in `l.out`.
    sink: Option<Sink<'c>>,
    l: Lists<'a>,
}

impl<'a, 'c> Writer<'a, 'c> {
    fn new(
        doc: &'a Document,
        c14n: &'c C14n,
        exclude: Option<NodeId>,
        mut lists: Lists<'a>,
        sink: Option<Sink<'c>>,
    ) -> Self {
        let mut listed: Vec<Option<&str>> = c14n
            .inclusive_prefixes
            .iter()
            .map(|p| if p == "#default" { None } else { Some(p.as_str()) })
            .collect();
        listed.sort_unstable();
        listed.dedup();
        let Lists { out, rendered, bindings, scopes, open, stack, .. } = &mut lists;
        out.clear();
        rendered.clear();
        bindings.clear();
        scopes.clear();
        open.clear();
        stack.clear();
        Writer { doc, c14n, exclude, listed, sink, l: lists }
    }

    fn run(&mut self, subset: Subset) {
        let doc = self.doc;
        match subset {
            Subset::Element(id) => self.walk(id, true),
            Subset::Document => {
                let root_pos = doc.top_level.iter().position(|n| *n == doc.root).unwrap_or(0);
                for (i, n) in doc.top_level.iter().enumerate() {
                    if !self.is_output(*n) {
                        continue;
                    }
                    if i > root_pos {
                        self.l.out.push(b'\n');
                    }
                    self.walk(*n, false);
                    if i < root_pos {
                        self.l.out.push(b'\n');
                    }
                }
            }
        }
    }

    /// Hands what `out` holds to the sink, if there is one.
    fn flush(&mut self) {
        if let Some(sink) = self.sink.as_mut() {
            sink(&self.l.out);
            self.l.out.clear();
        }
    }

    fn is_output(&self, id: NodeId) -> bool {
        self.doc.kind(id).is_some_and(|kind| self.shows(id, kind))
    }

    /// Whether node `id`, of `kind`, is output: not the excluded subtree, and not a comment
    /// unless comments are kept.
    fn shows(&self, id: NodeId, kind: NodeKind<'_>) -> bool {
        Some(id) != self.exclude
            && (self.c14n.with_comments || !matches!(kind, NodeKind::Comment(_)))
    }

    fn walk(&mut self, start: NodeId, apex: bool) {
        let doc = self.doc;
        let mut stack = std::mem::take(&mut self.l.stack);
        stack.push(Step::Enter(start));
        while let Some(step) = stack.pop() {
            if self.l.out.len() >= PIECE {
                self.flush();
            }
            match step {
                Step::Enter(id) => {
                    let Some(kind) = doc.kind(id) else { continue };
                    // The node the walk starts from was chosen by the caller.
                    if id != start && !self.shows(id, kind) {
                        continue;
                    }
                    match kind {
                        NodeKind::Element(e) => {
                            let mark = self.l.rendered.len();
                            self.push_scope(id, e);
                            self.start_tag(id, e, apex && id == start);
                            stack.push(Step::Exit(id, mark));
                            // Children in reverse, so that the first is taken next.
                            let at = stack.len();
                            stack.extend(doc.children(id).map(Step::Enter));
                            stack[at..].reverse();
                        }
                        NodeKind::Text(t) => escape_text(&mut self.l.out, t),
                        NodeKind::Comment(c) => {
                            self.l.out.extend_from_slice(b"<!--");
                            self.l.out.extend_from_slice(c.as_bytes());
                            self.l.out.extend_from_slice(b"-->");
                        }
                        NodeKind::Pi { target, data } => {
                            self.l.out.extend_from_slice(b"<?");
                            self.l.out.extend_from_slice(target.as_bytes());
                            if !data.is_empty() {
                                self.l.out.push(b' ');
                                self.l.out.extend_from_slice(data.as_bytes());
                            }
                            self.l.out.extend_from_slice(b"?>");
                        }
                    }
                }
                Step::Exit(id, mark) => {
                    self.l.rendered.truncate(mark);
                    if let Some(i) = self.l.open.pop() {
                        if self.l.open.last() != Some(&i) {
                            self.l.bindings.truncate(self.l.scopes[i]);
                            self.l.scopes.truncate(i);
                        }
                    }
                    if let Some(e) = doc.element(id) {
                        self.l.out.extend_from_slice(b"</");
                        self.l.out.extend_from_slice(e.qname().as_bytes());
                        self.l.out.push(b'>');
                    }
                }
            }
        }
        self.l.stack = stack;
    }

    /// Computes the element's in-scope namespaces from its parent's (or, at the apex, from
    /// the ancestors'), without re-walking the ancestors for every element.
    fn push_scope(&mut self, id: NodeId, e: Element<'a>) {
        let parent = self.l.open.last().copied();
        if let (Some(p), true) = (parent, !e.declares_namespaces()) {
            self.l.open.push(p);
            return;
        }
        let start = self.l.bindings.len();
        match parent {
            Some(p) => self.l.bindings.extend_from_within(self.l.scopes[p]..start),
            None => {
                for n in std::iter::once(id).chain(self.doc.ancestors(id)) {
                    if let Some(x) = self.doc.element(n) {
                        for (p, uri) in x.ns_decls() {
                            if !self.l.bindings[start..].iter().any(|(q, _)| same(*q, p)) {
                                self.l.bindings.push((p, uri));
                            }
                        }
                    }
                }
                self.l.open.push(self.l.scopes.len());
                self.l.scopes.push(start);
                return;
            }
        }
        for (p, uri) in e.ns_decls() {
            match self.l.bindings[start..].iter_mut().find(|(q, _)| same(*q, p)) {
                Some(slot) => slot.1 = uri,
                None => self.l.bindings.push((p, uri)),
            }
        }
        self.l.open.push(self.l.scopes.len());
        self.l.scopes.push(start);
    }

    /// The in-scope namespaces of the innermost open element.
    fn in_scope(&self) -> Option<&[Binding<'a>]> {
        let i = *self.l.open.last()?;
        let start = *self.l.scopes.get(i)?;
        let end = self.l.scopes.get(i + 1).copied().unwrap_or(self.l.bindings.len());
        self.l.bindings.get(start..end)
    }

    fn rendered_uri(&self, prefix: Option<&str>) -> &'a str {
        self.l.rendered.iter().rev().find(|(p, _)| same(*p, prefix)).map_or("", |(_, u)| u)
    }

    /// The namespace declarations this element must render (c14n §2.3, exc-c14n §3), sorted
    /// by prefix with the default namespace first. Only candidates are compared with what
    /// ancestors rendered, so the cost per element does not grow with the bindings in scope:
    /// exclusive c14n looks at the visibly utilised and listed prefixes; inclusive c14n at
    /// every binding on the apex, then at each element's own declarations (an output parent
    /// has rendered all of its in-scope namespaces).
    fn namespaces_to_render(&self, e: Element<'a>, scratch: &mut Scratch<'a>) {
        let Scratch { prefixes, candidates, decls, .. } = scratch;
        decls.clear();
        candidates.clear();
        let Some(in_scope) = self.in_scope() else {
            return;
        };
        let lookup = |p: Option<&'a str>| -> Binding<'a> {
            in_scope.iter().find(|(q, _)| same(*q, p)).copied().unwrap_or((p, ""))
        };
        if self.c14n.method == C14nMethod::Exclusive {
            prefixes.clear();
            let used =
                std::iter::once(e.prefix()).chain(e.attrs().filter_map(|a| a.prefix().map(Some)));
            let is_listed =
                |p: Option<&str>| self.listed.binary_search_by(|l| prefix_order(*l, p)).is_ok();
            // An element that declares nothing shares its output parent's bindings, and the
            // listed prefixes were settled at the first element with these bindings: each is
            // rendered above with the URI it has here. Only its other prefixes can need one.
            let shares_scope = !e.declares_namespaces() && self.l.open.len() > 1;
            if shares_scope {
                prefixes.extend(used.filter(|p| !is_listed(*p)));
            } else {
                prefixes.extend(used);
            }
            // Listed prefixes count only when in scope (exc-c14n §3). Walk the bindings in
            // scope and look each up in the sorted list: a PrefixList of thousands of names
            // costs a lookup per binding, not a scan per name.
            if !self.listed.is_empty() && !shares_scope {
                prefixes.extend(in_scope.iter().map(|(q, _)| *q).filter(|q| is_listed(*q)));
            }
            if prefixes.len() > 1 {
                prefixes.sort_unstable_by(|a, b| prefix_order(*a, *b));
                prefixes.dedup_by(|a, b| same(*a, *b));
            }
            candidates.extend(prefixes.iter().map(|p| lookup(*p)));
        } else if self.l.open.len() == 1 {
            candidates.extend_from_slice(in_scope);
        } else {
            candidates.extend(e.ns_decls());
        }
        for &(p, uri) in candidates.iter() {
            if p == Some("xml") {
                continue;
            }
            let already = self.rendered_uri(p);
            // Bindings usually come from the same declaration: compare addresses first.
            if !std::ptr::eq(already, uri) && already != uri {
                decls.push((p, uri));
            }
        }
        // Prefixes are unique here: their order is the order.
        decls.sort_unstable_by(|a, b| prefix_order(a.0, b.0));
    }

    fn start_tag(&mut self, id: NodeId, e: Element<'a>, apex: bool) {
        // The scratch lists are reused from element to element: no allocation per tag.
        let mut scratch = std::mem::take(&mut self.l.scratch);
        self.namespaces_to_render(e, &mut scratch);
        self.l.out.push(b'<');
        self.l.out.extend_from_slice(e.qname().as_bytes());
        for (p, uri) in &scratch.decls {
            match p {
                Some(p) => {
                    self.l.out.extend_from_slice(b" xmlns:");
                    self.l.out.extend_from_slice(p.as_bytes());
                }
                None => self.l.out.extend_from_slice(b" xmlns"),
            }
            self.l.out.extend_from_slice(b"=\"");
            match self.c14n.ns_ampersand {
                NsAmpersand::Entity => escape_attr(&mut self.l.out, uri),
                NsAmpersand::CharRef => escape_with(&mut self.l.out, uri, |b| match b {
                    b'&' => Some(&b"&#38;"[..]),
                    _ => attr_escape(b),
                }),
            }
            self.l.out.push(b'"');
        }
        self.l.rendered.extend_from_slice(&scratch.decls);
        let own = e.attrs().map(|a| (a.ns().unwrap_or(""), a.local(), a.qname(), a.value()));
        if !apex {
            scratch.attrs.clear();
            scratch.attrs.extend(own);
            write_attributes(&mut self.l.out, &mut scratch.attrs);
            self.l.scratch = scratch;
            return;
        }
        self.l.scratch = scratch;
        let mut attrs: Vec<Attr<'_>> = own.collect();
        let base = (apex && self.c14n.method == C14nMethod::Inclusive11)
            .then(|| fixed_up_base(self.doc, id))
            .flatten();
        if apex {
            for a in inherited_xml_attributes(self.doc, self.c14n.method, id) {
                if !attrs.iter().any(|(ns, l, _, _)| *ns == XML_NS && *l == a.local()) {
                    attrs.push((XML_NS, a.local(), a.qname(), a.value()));
                }
            }
            if self.c14n.method == C14nMethod::Inclusive11 {
                attrs.retain(|(ns, l, _, _)| !(*ns == XML_NS && *l == "base"));
                if let Some(b) = &base {
                    attrs.push((XML_NS, "base", "xml:base", b.as_str()));
                }
            }
        }
        write_attributes(&mut self.l.out, &mut attrs);
    }
}

/// An attribute to render: (namespace URI, local name, qualified name, value).
type Attr<'a> = (&'a str, &'a str, &'a str, &'a str);

/// The attributes in canonical order (unprefixed first, then by namespace URI and local
/// name), and the end of the start tag.
fn write_attributes(out: &mut Vec<u8>, attrs: &mut [Attr<'_>]) {
    if attrs.len() > 1 {
        attrs.sort_unstable_by(|a, b| {
            // Attributes mostly share their namespace (none, most often): settle that
            // without comparing bytes.
            let ns = if std::ptr::eq(a.0, b.0) { Ordering::Equal } else { byte_order(a.0, b.0) };
            ns.then_with(|| byte_order(a.1, b.1))
        });
    }
    for (_, _, qname, value) in attrs.iter() {
        out.push(b' ');
        out.extend_from_slice(qname.as_bytes());
        out.extend_from_slice(b"=\"");
        escape_attr(out, value);
        out.push(b'"');
    }
    out.push(b'>');
}

/// Lists a writer reuses from element to element.
#[derive(Default)]
struct Scratch<'a> {
    prefixes: Vec<Option<&'a str>>,
    candidates: Vec<Binding<'a>>,
    decls: Vec<Binding<'a>>,
    attrs: Vec<Attr<'a>>,
}

/// Byte order, looking at the first bytes before calling `memcmp`: names and prefixes mostly
/// differ there, and the call costs more than the comparison.
fn byte_order(a: &str, b: &str) -> Ordering {
    a.as_bytes().first().cmp(&b.as_bytes().first()).then_with(|| a.cmp(b))
}

/// Prefix order: the default namespace (`None`) first, then [`byte_order`].
fn prefix_order(a: Option<&str>, b: Option<&str>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => byte_order(a, b),
        _ => a.is_some().cmp(&b.is_some()),
    }
}

/// Whether two prefixes are the same: a document mostly writes a string once, so the
/// addresses usually settle it.
fn same(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => std::ptr::eq(a, b) || a == b,
        _ => a.is_none() && b.is_none(),
    }
}

/// The apex's `xml:base` under c14n 1.1 (§2.4 "xml:base fixup"): its own value, or the nearest
/// omitted ancestor's, resolved against the values of the omitted ancestors above it, as
/// libxml2 does it (a base whose next-to-last character is `.` gets a `/`, so that `..` goes up).
fn fixed_up_base(doc: &Document, id: NodeId) -> Option<String> {
    let base_of = |n: NodeId| {
        doc.element(n)?
            .attrs()
            .find(|a| a.ns() == Some(XML_NS) && a.local() == "base")
            .map(|a| a.value())
    };
    let (holder, value) =
        std::iter::once(id).chain(doc.ancestors(id)).find_map(|n| Some((n, base_of(n)?)))?;
    let mut res = value.to_string();
    for a in doc.ancestors(holder) {
        if let Some(b) = base_of(a) {
            let mut b = b.to_string();
            if b.len() > 1 && b.as_bytes().get(b.len() - 2) == Some(&b'.') {
                b.push('/');
            }
            res = super::uri::resolve(&res, &b);
        }
    }
    (!res.is_empty()).then_some(res)
}

/// Inclusive c14n copies `xml:*` attributes of omitted ancestors onto the apex (c14n 1.0 §2.4);
/// 1.1 restricts that to `xml:lang` and `xml:space`, `xml:base` being fixed up separately
/// ([`fixed_up_base`]). Exclusive c14n inherits nothing (exc-c14n §3).
fn inherited_xml_attributes(doc: &Document, method: C14nMethod, id: NodeId) -> Vec<Attribute<'_>> {
    let mut out: Vec<Attribute<'_>> = Vec::new();
    if method == C14nMethod::Exclusive {
        return out;
    }
    for a in doc.ancestors(id) {
        let Some(e) = doc.element(a) else { continue };
        for attr in e.attrs().filter(|x| x.ns() == Some(XML_NS)) {
            let allowed =
                method == C14nMethod::Inclusive10 || matches!(attr.local(), "lang" | "space");
            if allowed && !out.iter().any(|a| a.local() == attr.local()) {
                out.push(attr);
            }
        }
    }
    out
}

fn escape_text(out: &mut Vec<u8>, s: &str) {
    escape_with(out, s, |b| match b {
        b'&' => Some(&b"&amp;"[..]),
        b'<' => Some(&b"&lt;"[..]),
        b'>' => Some(&b"&gt;"[..]),
        b'\r' => Some(&b"&#xD;"[..]),
        _ => None,
    });
}

fn escape_attr(out: &mut Vec<u8>, s: &str) {
    escape_with(out, s, |b| match b {
        b'&' => Some(&b"&amp;"[..]),
        _ => attr_escape(b),
    });
}

/// The escapes of attribute values other than `&` (c14n §2.2).
fn attr_escape(b: u8) -> Option<&'static [u8]> {
    match b {
        b'<' => Some(&b"&lt;"[..]),
        b'"' => Some(&b"&quot;"[..]),
        b'\t' => Some(&b"&#x9;"[..]),
        b'\n' => Some(&b"&#xA;"[..]),
        b'\r' => Some(&b"&#xD;"[..]),
        _ => None,
    }
}

/// Copies `s`, replacing the bytes `map` names; runs without special bytes are copied whole.
fn escape_with(out: &mut Vec<u8>, s: &str, map: impl Fn(u8) -> Option<&'static [u8]>) {
    let bytes = s.as_bytes();
    // Most values and text have nothing to escape: a pass without branches (vector code) says
    // so, and they are copied whole.
    if !bytes.iter().fold(false, |any, &b| any | map(b).is_some()) {
        out.extend_from_slice(bytes);
        return;
    }
    let mut from = 0;
    for (i, b) in bytes.iter().enumerate() {
        if let Some(rep) = map(*b) {
            out.extend_from_slice(&bytes[from..i]);
            out.extend_from_slice(rep);
            from = i + 1;
        }
    }
    out.extend_from_slice(&bytes[from..]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml::{parse, XmlLimits};

    fn c14n_of(src: &str, id: Option<&str>, c: C14n) -> String {
        let doc = parse(src.as_bytes(), XmlLimits::default()).unwrap();
        let subset = match id {
            Some(id) => {
                Subset::Element((0..doc.len()).find(|n| doc.attr(*n, "ID") == Some(id)).unwrap())
            }
            None => Subset::Document,
        };
        String::from_utf8(canonicalize(&doc, subset, None, &c)).unwrap()
    }

    /// Elements that declare nothing below a PrefixList's first element: a listed prefix is
    /// declared once, each other prefix where it is first used. Expected octets from libxml2
    /// (lxml's `exclusive=True, inclusive_ns_prefixes=...`).
    #[test]
    fn listed_prefixes_are_settled_once_for_the_elements_below() {
        let src = r#"<r xmlns:a="urn:a" xmlns:b="urn:b" xmlns:c="urn:c"><x ID="x"><y><a:z b:at="1"><c:w/><a:v/></a:z></y><a:q/></x></r>"#;
        let with = |listed: &[&str]| {
            let mut c = C14n::new(C14nMethod::Exclusive, false);
            c.inclusive_prefixes = listed.iter().map(|p| p.to_string()).collect();
            c14n_of(src, Some("x"), c)
        };
        assert_eq!(
            with(&["a"]),
            r#"<x xmlns:a="urn:a" ID="x"><y><a:z xmlns:b="urn:b" b:at="1"><c:w xmlns:c="urn:c"></c:w><a:v></a:v></a:z></y><a:q></a:q></x>"#
        );
        assert_eq!(
            with(&["a", "c"]),
            r#"<x xmlns:a="urn:a" xmlns:c="urn:c" ID="x"><y><a:z xmlns:b="urn:b" b:at="1"><c:w></c:w><a:v></a:v></a:z></y><a:q></a:q></x>"#
        );
        assert_eq!(
            with(&["b", "#default"]),
            r#"<x xmlns:b="urn:b" ID="x"><y><a:z xmlns:a="urn:a" b:at="1"><c:w xmlns:c="urn:c"></c:w><a:v></a:v></a:z></y><a:q xmlns:a="urn:a"></a:q></x>"#
        );
    }

    /// Handed on in pieces, the canonical form is the same octets, in pieces of about
    /// [`PIECE`], whatever the subset and the algorithm.
    #[test]
    fn pieces_make_the_same_octets() {
        let items: String = (0..2000)
            .map(|i| {
                format!(r#"<a:item xmlns:b="urn:b" n="{i}" b:m="&amp;{i}">text {i} &lt;</a:item>"#)
            })
            .collect();
        let src = format!(r#"<?pi x?><a:root xmlns:a="urn:a" ID="r"><!-- c -->{items}</a:root>"#);
        let doc = parse(src.as_bytes(), XmlLimits::default()).unwrap();
        for method in [C14nMethod::Inclusive10, C14nMethod::Inclusive11, C14nMethod::Exclusive] {
            for subset in [Subset::Document, Subset::Element(doc.root)] {
                let c = C14n::new(method, true);
                let whole = canonicalize(&doc, subset, None, &c);
                let mut pieces: Vec<Vec<u8>> = Vec::new();
                Canonicalizer::new(&doc)
                    .canonicalize_to(subset, None, &c, &mut |p| pieces.push(p.to_vec()));
                assert!(whole.len() > 10 * PIECE);
                assert!(pieces.len() > 10);
                assert!(pieces.iter().all(|p| p.len() < PIECE + 200));
                assert_eq!(pieces.concat(), whole);
            }
        }
    }

    #[test]
    fn exclusive_example_from_the_recommendation() {
        // exc-c14n §2.2: inclusive c14n drags n0 into the subset, exclusive does not.
        let src = r#"<n0:local xmlns:n0="foo:bar" xmlns:n3="ftp://example.org"><n1:elem2 xmlns:n1="http://example.net" xml:lang="en" ID="x"><n3:stuff xmlns:n3="ftp://example.org"/></n1:elem2></n0:local>"#;
        let inc = c14n_of(src, Some("x"), C14n::new(C14nMethod::Inclusive10, false));
        assert_eq!(
            inc,
            r#"<n1:elem2 xmlns:n0="foo:bar" xmlns:n1="http://example.net" xmlns:n3="ftp://example.org" ID="x" xml:lang="en"><n3:stuff></n3:stuff></n1:elem2>"#
        );
        let exc = c14n_of(src, Some("x"), C14n::new(C14nMethod::Exclusive, false));
        assert_eq!(
            exc,
            r#"<n1:elem2 xmlns:n1="http://example.net" ID="x" xml:lang="en"><n3:stuff xmlns:n3="ftp://example.org"></n3:stuff></n1:elem2>"#
        );
    }

    #[test]
    fn document_level_comments_and_pis() {
        let src = "<?xml version=\"1.0\"?>\n\n<?xml-stylesheet href=\"doc.xsl\"\n   type=\"text/xsl\"   ?>\n\n<doc>Hello, world!<!-- Comment 1 --></doc>\n\n<?pi-without-data     ?>\n\n<!-- Comment 2 -->\n\n<!-- Comment 3 -->";
        let without = c14n_of(src, None, C14n::new(C14nMethod::Inclusive10, false));
        assert_eq!(
            without,
            "<?xml-stylesheet href=\"doc.xsl\"\n   type=\"text/xsl\"   ?>\n<doc>Hello, world!</doc>\n<?pi-without-data?>"
        );
        let with = c14n_of(src, None, C14n::new(C14nMethod::Inclusive10, true));
        assert!(with.ends_with("<doc>Hello, world!<!-- Comment 1 --></doc>\n<?pi-without-data?>\n<!-- Comment 2 -->\n<!-- Comment 3 -->"));
    }

    #[test]
    fn attributes_sorted_and_escaped() {
        let src = "<e xmlns:b=\"urn:b\" xmlns:a=\"urn:a\" z=\"1\" b:y=\"2\" a:x=\"3\" q=\"&lt;&quot;&#xA;&#9;&#xD;'\">&#xD;&gt;</e>";
        let out = c14n_of(src, None, C14n::new(C14nMethod::Inclusive10, false));
        assert_eq!(
            out,
            "<e xmlns:a=\"urn:a\" xmlns:b=\"urn:b\" q=\"&lt;&quot;&#xA;&#x9;&#xD;'\" z=\"1\" a:x=\"3\" b:y=\"2\">&#xD;&gt;</e>"
        );
    }

    #[test]
    fn default_namespace_reset() {
        let src = r#"<a xmlns="urn:a"><b xmlns=""><c/></b></a>"#;
        for m in [C14nMethod::Inclusive10, C14nMethod::Exclusive] {
            let out = c14n_of(src, None, C14n::new(m, false));
            assert_eq!(out, r#"<a xmlns="urn:a"><b xmlns=""><c></c></b></a>"#, "{m:?}");
        }
        let top = r#"<b xmlns=""><c/></b>"#;
        assert_eq!(c14n_of(top, None, C14n::new(C14nMethod::Inclusive10, false)), "<b><c></c></b>");
    }

    #[test]
    fn prefix_list_treats_listed_prefixes_inclusively() {
        let src = r#"<r xmlns:xs="urn:xs" xmlns:u="urn:unused"><a ID="x"><v>1</v></a></r>"#;
        let mut c = C14n::new(C14nMethod::Exclusive, false);
        c.inclusive_prefixes = vec!["xs".into(), "missing".into()];
        assert_eq!(c14n_of(src, Some("x"), c), r#"<a xmlns:xs="urn:xs" ID="x"><v>1</v></a>"#);
    }

    #[test]
    fn inclusive_11_inherits_only_lang_and_space() {
        let src = r#"<r xml:lang="en" xml:space="preserve" xml:id="i"><a ID="x"/></r>"#;
        let c10 = c14n_of(src, Some("x"), C14n::new(C14nMethod::Inclusive10, false));
        assert_eq!(c10, r#"<a ID="x" xml:id="i" xml:lang="en" xml:space="preserve"></a>"#);
        let c11 = c14n_of(src, Some("x"), C14n::new(C14nMethod::Inclusive11, false));
        assert_eq!(c11, r#"<a ID="x" xml:lang="en" xml:space="preserve"></a>"#);
    }
}

//! A message's XML, indented and highlighted: the element each intact signature covers is
//! shaded, the assertion a service provider reads is outlined, comments stand out. When the
//! read assertion is not in a shaded region, XML Signature Wrapping shows as "signed here,
//! read there".

use std::collections::BTreeMap;

use maud::{html, Markup};

use crate::analysis::AnalyzedMessage;
use crate::report::pretty::shown_children;
use crate::xml::{Document, NodeId, NodeKind};

use super::{clip, t};

/// Nodes drawn per message; the rest are counted.
const MAX_NODES: usize = 4_000;
/// Characters shown of one text or attribute value (certificates and signature values are long).
const MAX_VALUE: usize = 160;

/// What to mark on the elements of one document.
struct Marks {
    /// Covered element → the numbers (1-based) of the intact signatures covering it.
    signed: BTreeMap<NodeId, Vec<usize>>,
    /// `ds:Signature` element → (number, status).
    signatures: BTreeMap<NodeId, (usize, &'static str)>,
    /// The assertion (or message) a service provider reads.
    consumed: Option<NodeId>,
}

/// The legend above the XML.
pub fn legend() -> Markup {
    html! {
        p.legend {
            span.key.signed { "signed" } " covered by an intact signature · "
            span.key.consumed { "read" } " what a service provider reads · "
            span.key.comment { "<!-- -->" } " a comment (a reader that stops at it reads less than was signed)"
        }
    }
}

/// The document of `m`, drawn.
pub fn render(m: &AnalyzedMessage, doc: &Document) -> Markup {
    let mut marks = Marks { signed: BTreeMap::new(), signatures: BTreeMap::new(), consumed: None };
    for (i, v) in m.verdicts.iter().enumerate() {
        marks.signatures.insert(v.signature, (i + 1, v.status.as_str()));
        if let (true, Some(c)) = (v.intact(), v.covered) {
            marks.signed.entry(c).or_default().push(i + 1);
        }
    }
    marks.consumed = m.trust.consumed;
    let mut budget = MAX_NODES;
    let body = html! {
        div.xml role="group" aria-label="Decoded XML" {
            @for n in &doc.top_level { (node(doc, *n, &marks, &mut budget)) }
        }
    };
    let hidden = doc.nodes.len().saturating_sub(MAX_NODES);
    html! {
        (body)
        @if budget == 0 && hidden > 0 {
            p.more { "… and about " (hidden) " more nodes, not drawn (limit " (MAX_NODES) ")." }
        }
    }
}

fn node(doc: &Document, id: NodeId, marks: &Marks, budget: &mut usize) -> Markup {
    if *budget == 0 {
        return html! {};
    }
    *budget -= 1;
    let Some(n) = doc.nodes.get(id) else { return html! {} };
    match &n.kind {
        NodeKind::Element(e) => {
            let qname = e.qname();
            let (kids, text_only) = shown_children(doc, id);
            let signed_by = marks.signed.get(&id);
            let consumed = marks.consumed == Some(id);
            let mut class = String::from("el");
            if signed_by.is_some() {
                class.push_str(" signed");
            }
            if consumed {
                class.push_str(" consumed");
            }
            let signature = marks.signatures.get(&id);
            if signature.is_some() {
                class.push_str(" signature");
            }
            let start = html! {
                span.p { "<" } span.tag { (t(&qname)) }
                @for (p, uri) in &e.ns_decls {
                    " " span.attr { "xmlns" @if let Some(p) = p { ":" (t(p)) } }
                    "=" span.val { "\"" (t(&clip(uri, MAX_VALUE))) "\"" }
                }
                @for a in &e.attrs {
                    " " span.attr { (t(&a.qname())) } "=" span.val { "\"" (t(&clip(&a.value, MAX_VALUE))) "\"" }
                }
            };
            html! {
                div class=(class) {
                    @if let Some(sigs) = signed_by {
                        span.badge.signed { "signed by signature " (numbers(sigs)) }
                    }
                    @if consumed {
                        span.badge.consumed { "read by a service provider" }
                    }
                    @if let Some((n, status)) = signature {
                        span.badge.sig { "signature " (n) ": " (status) }
                    }
                    @if kids.is_empty() {
                        div.line { (start) span.p { "/>" } }
                    } @else if text_only {
                        div.line {
                            (start) span.p { ">" }
                            span.text { (t(&clip(&doc.text(id), MAX_VALUE))) }
                            span.p { "</" } span.tag { (t(&qname)) } span.p { ">" }
                        }
                    } @else {
                        div.line { (start) span.p { ">" } }
                        @for k in kids { (node(doc, k, marks, budget)) }
                        div.line { span.p { "</" } span.tag { (t(&qname)) } span.p { ">" } }
                    }
                }
            }
        }
        NodeKind::Text(s) => html! { div.line.text { (t(&clip(s.trim(), MAX_VALUE))) } },
        NodeKind::Comment(c) => {
            html! { div.line { span.comment { "<!--" (t(&clip(c, MAX_VALUE))) "-->" } } }
        }
        NodeKind::Pi { target, data } => {
            html! { div.line.pi { "<?" (t(target)) " " (t(&clip(data, MAX_VALUE))) "?>" } }
        }
    }
}

/// `1`, `1 and 2`.
fn numbers(n: &[usize]) -> String {
    let words: Vec<String> = n.iter().map(usize::to_string).collect();
    words.join(" and ")
}

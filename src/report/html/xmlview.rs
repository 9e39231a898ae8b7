//! A message's XML, indented and highlighted: the element each intact signature covers is
//! shaded, the assertion a service provider reads is outlined, comments stand out. When the
//! read assertion is not in a shaded region, XML Signature Wrapping shows as "signed here,
//! read there".

use std::collections::{BTreeMap, BTreeSet};

use maud::{html, Markup};

use crate::analysis::AnalyzedMessage;
use crate::dsig::Status;
use crate::report::one_line;
use crate::report::pretty::shown_children;
use crate::xml::{Document, NodeId, NodeKind};

use super::{clip, t};

/// Units drawn per message (an element, an attribute, a text, a comment each count one); the
/// rest are counted, except what must show (below).
const MAX_UNITS: usize = 4_000;
/// Units drawn inside each element that must show (the read assertion, each signed element),
/// however much of the budget came before it: padding a document cannot hide them.
const MUST_UNITS: usize = 600;
/// Characters shown of one text or attribute value (certificates and signature values are long).
const MAX_VALUE: usize = 160;
/// Characters shown of one element or attribute name.
const MAX_NAME: usize = 64;

/// What to mark on the elements of one document.
struct Marks {
    /// Covered element → (signature number, proven) for each intact signature covering it;
    /// proven = verified with the configured certificate.
    covered: BTreeMap<NodeId, Vec<(usize, bool)>>,
    /// `ds:Signature` element → (number, status).
    signatures: BTreeMap<NodeId, (usize, Status)>,
    /// The assertion (or message) a service provider reads.
    consumed: Option<NodeId>,
    /// The elements above marked ones, and the marked ones: always drawn.
    must: BTreeSet<NodeId>,
}

/// The legend above the XML.
pub fn legend() -> Markup {
    html! {
        p.legend {
            span.key.signed { "signed" } " covered by a signature your certificate verifies · "
            span.key.intact { "intact" } " covered by an intact signature whose key is not yours (or not checked) · "
            span.key.consumed { "read" } " what a service provider reads · "
            span.key.comment { "<!-- -->" } " a comment (a reader that stops at it reads less than was signed) · "
            "line breaks inside values show as " code { "\\u{a}" }
        }
    }
}

/// The document of `m`, drawn.
pub fn render(m: &AnalyzedMessage, doc: &Document) -> Markup {
    let mut marks = Marks {
        covered: BTreeMap::new(),
        signatures: BTreeMap::new(),
        consumed: m.trust.consumed,
        must: BTreeSet::new(),
    };
    for (i, v) in m.verdicts.iter().enumerate() {
        marks.signatures.insert(v.signature, (i + 1, v.status));
        if let (true, Some(c)) = (v.intact(), v.covered) {
            marks.covered.entry(c).or_default().push((i + 1, v.status == Status::Valid));
        }
    }
    let marked: Vec<NodeId> = marks
        .covered
        .keys()
        .chain(marks.signatures.keys())
        .chain(marks.consumed.iter())
        .copied()
        .collect();
    for n in marked {
        let mut at = Some(n);
        while let Some(id) = at {
            if !marks.must.insert(id) {
                break;
            }
            at = doc.parent(id);
        }
    }
    let mut budget = MAX_UNITS;
    html! {
        div.xml role="group" aria-label="Decoded XML" {
            (children(doc, &doc.top_level, &marks, &mut budget))
        }
    }
}

/// `ids` drawn in order; those past the budget that need not show are counted on one line.
fn children(doc: &Document, ids: &[NodeId], marks: &Marks, budget: &mut usize) -> Markup {
    let mut out = maud::PreEscaped(String::new());
    let mut skipped = 0usize;
    let more = |n: usize| html! { div.line.more { "… " (n) " nodes not drawn (limit)" } };
    for id in ids {
        if *budget == 0 && !marks.must.contains(id) {
            skipped += 1;
            continue;
        }
        if skipped > 0 {
            out.0.push_str(&more(std::mem::take(&mut skipped)).0);
        }
        out.0.push_str(&node(doc, *id, marks, budget).0);
    }
    if skipped > 0 {
        out.0.push_str(&more(skipped).0);
    }
    out
}

fn node(doc: &Document, id: NodeId, marks: &Marks, budget: &mut usize) -> Markup {
    *budget = budget.saturating_sub(1);
    let Some(n) = doc.nodes.get(id) else { return html! {} };
    let value = |s: &str| t(&one_line(&clip(s, MAX_VALUE)));
    let name = |s: &str| t(&one_line(&clip(s, MAX_NAME)));
    match &n.kind {
        NodeKind::Element(e) => {
            let qname = name(&e.qname());
            let (kids, text_only) = shown_children(doc, id);
            let covered = marks.covered.get(&id);
            let proven: Vec<usize> =
                covered.into_iter().flatten().filter(|(_, p)| *p).map(|(n, _)| *n).collect();
            let unproven: Vec<usize> =
                covered.into_iter().flatten().filter(|(_, p)| !*p).map(|(n, _)| *n).collect();
            let consumed = marks.consumed == Some(id);
            let signature = marks.signatures.get(&id);
            let mut class = String::from("el");
            for (on, c) in [
                (!proven.is_empty(), " signed"),
                (proven.is_empty() && !unproven.is_empty(), " intact"),
                (consumed, " consumed"),
                (signature.is_some(), " signature"),
            ] {
                if on {
                    class.push_str(c);
                }
            }
            // The read assertion and each signed element keep room for their content.
            let must_show = consumed || covered.is_some();
            let mut own = MUST_UNITS;
            let budget: &mut usize =
                if must_show && *budget < MUST_UNITS { &mut own } else { budget };
            let attrs = e.ns_decls.len() + e.attrs.len();
            let shown_attrs = attrs.min(*budget);
            *budget -= shown_attrs;
            let mut decls = e.ns_decls.iter().take(shown_attrs);
            let start = html! {
                span.p { "<" } span.tag { (qname) }
                @for (p, uri) in decls.by_ref() {
                    " " span.attr { "xmlns" @if let Some(p) = p { ":" (name(p)) } }
                    "=" span.val { "\"" (value(uri)) "\"" }
                }
                @for a in e.attrs.iter().take(shown_attrs.saturating_sub(e.ns_decls.len())) {
                    " " span.attr { (name(&a.qname())) } "=" span.val { "\"" (value(&a.value)) "\"" }
                }
                @if shown_attrs < attrs {
                    " " span.more { "… " (attrs - shown_attrs) " attributes not drawn" }
                }
            };
            html! {
                div class=(class) {
                    @if !proven.is_empty() {
                        span.badge.signed { "signed by signature " (numbers(&proven)) }
                    }
                    @if !unproven.is_empty() {
                        span.badge.intact { "intact under signature " (numbers(&unproven)) ", but not by your certificate: origin not proven" }
                    }
                    @if consumed {
                        span.badge.consumed { "read by a service provider" }
                    }
                    @if let Some((n, status)) = signature {
                        span class=(format!("badge sig {}", status.as_str())) { "signature " (n) ": " (status.as_str()) }
                    }
                    @if kids.is_empty() {
                        div.line { (start) span.p { "/>" } }
                    } @else if text_only {
                        div.line {
                            (start) span.p { ">" }
                            span.text { (value(&doc.text(id))) }
                            span.p { "</" } span.tag { (qname) } span.p { ">" }
                        }
                    } @else {
                        div.line { (start) span.p { ">" } }
                        (children(doc, &kids, marks, budget))
                        div.line { span.p { "</" } span.tag { (qname) } span.p { ">" } }
                    }
                }
            }
        }
        NodeKind::Text(s) => html! { div.line.text { (value(s.trim())) } },
        NodeKind::Comment(c) => html! { div.line { span.comment { "<!--" (value(c)) "-->" } } },
        NodeKind::Pi { target, data } => {
            html! { div.line.pi { "<?" (name(target)) " " (value(data)) "?>" } }
        }
    }
}

/// `1`, `1 and 2`.
fn numbers(n: &[usize]) -> String {
    let words: Vec<String> = n.iter().map(usize::to_string).collect();
    words.join(" and ")
}

//! A message's XML, indented and highlighted: the element each intact signature covers is
//! shaded, the assertion a service provider reads is outlined, comments stand out. When the
//! read assertion is not in a shaded region, XML Signature Wrapping shows as "signed here,
//! read there".

use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet};

use maud::{html, Markup};

use crate::analysis::AnalyzedMessage;
use crate::dsig::{Status, Verdict};
use crate::report::one_line;
use crate::report::pretty::shown_children;
use crate::trust::{self, Coverage};
use crate::xml::{Document, NodeId, NodeKind};

use super::{clip, t};

/// Units drawn per message (an element, an attribute, a text, a comment each count one); the
/// rest are counted, except what must show (below).
const MAX_UNITS: usize = 4_000;
/// Units drawn inside the elements that must show (the read assertion, each signed element)
/// however much of the budget came before them, all of them together: padding a document
/// cannot hide them, and a flood of them cannot grow the page.
const MUST_UNITS: usize = 1_200;
/// Bytes of markup per view past which only what must show is drawn.
pub const MAX_VIEW_BYTES: usize = 1 << 20;
/// Characters shown of one text or attribute value (certificates and signature values are long).
const MAX_VALUE: usize = 160;
/// Characters shown of one element or attribute name.
const MAX_NAME: usize = 64;

/// How an element is covered, for shading.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Cover {
    /// Not inside anything covered (no shading of its own).
    None,
    /// Covered by a signature the configured certificate verifies.
    Signed,
    /// Covered only by intact signatures whose key is not the configured one.
    Intact,
    /// Inside covered content but not covered: a signature's own element, which the
    /// enveloped-signature transform takes out of what it signs.
    Excluded,
}

/// What to mark on the elements of one document.
struct Marks<'a> {
    /// The intact signatures whose coverage is shaded.
    shaded: &'a [Verdict],
    /// Covered element → (signature number, proven, the signature element) for each intact
    /// signature covering it; proven = verified with the configured certificate.
    covered: BTreeMap<NodeId, Vec<(usize, bool, NodeId)>>,
    /// `ds:Signature` element → (number, status), for the verified ones.
    signatures: BTreeMap<NodeId, (usize, Status)>,
    /// The assertion (or message) a service provider reads.
    consumed: Option<NodeId>,
    /// The elements above marked ones, and the marked ones: always drawn.
    must: BTreeSet<NodeId>,
    /// Units left for elements that must show, once the budget is spent.
    must_pool: Cell<usize>,
    /// Bytes of markup drawn so far.
    bytes: Cell<usize>,
}

/// The legend above the XML.
pub fn legend() -> Markup {
    html! {
        p.legend {
            span.key.signed { "signed" } " covered by a signature your certificate verifies · "
            span.key.intact { "intact" } " covered by an intact signature whose key is not yours (or not checked) · "
            span.key.excluded { "not covered" } " a signature's own element: nothing inside it is signed by it · "
            span.key.consumed { "read" } " what a service provider reads · "
            span.key.comment { "<!-- -->" } " a comment (a reader that stops at it reads less than was signed) · "
            "line breaks inside values show as " code { "\\u{a}" }
        }
    }
}

/// The document of `m`, drawn; the bytes of markup it took.
pub fn render(m: &AnalyzedMessage, doc: &Document) -> (Markup, usize) {
    let intact: Vec<Verdict> = m
        .verdicts
        .iter()
        .take(crate::dsig::MAX_SIGNATURES)
        .filter(|v| v.intact())
        .cloned()
        .collect();
    let mut marks = Marks {
        shaded: &intact,
        covered: BTreeMap::new(),
        signatures: BTreeMap::new(),
        consumed: m.trust.consumed,
        must: BTreeSet::new(),
        must_pool: Cell::new(MUST_UNITS),
        bytes: Cell::new(0),
    };
    // Only verified signatures are marked: past the limit, a flood of them means nothing.
    for (i, v) in m.verdicts.iter().enumerate().take(crate::dsig::MAX_SIGNATURES) {
        marks.signatures.insert(v.signature, (i + 1, v.status));
        if let (true, Some(c)) = (v.intact(), v.covered) {
            marks.covered.entry(c).or_default().push((
                i + 1,
                v.status == Status::Valid,
                v.signature,
            ));
        }
    }
    let mut marked: Vec<NodeId> = marks
        .covered
        .keys()
        .chain(marks.signatures.keys())
        .chain(marks.consumed.iter())
        .copied()
        .collect();
    // Inside the read assertion, what a service provider reads first: its Issuer, Subject
    // (with the NameID) and Conditions, so padding inside a forged assertion cannot hide them.
    if let Some(a) = marks.consumed {
        for c in doc.children(a) {
            let local = doc.element(c).map(|e| e.local());
            if matches!(local, Some("Issuer" | "Subject" | "Conditions")) {
                marked.push(c);
                marked.extend(doc.children(c).filter(|n| {
                    doc.element(*n).is_some_and(|e| matches!(e.local(), "NameID" | "EncryptedID"))
                }));
            }
        }
    }
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
    let view = html! {
        div.xml role="group" aria-label="Decoded XML" {
            (children(doc, &doc.top_level, &marks, &mut budget, Around { cover: Cover::None, set: 0 }))
        }
    };
    (view, marks.bytes.get())
}

/// `ids` drawn in order; those past the budget that need not show are counted on one line.
fn children(
    doc: &Document,
    ids: &[NodeId],
    marks: &Marks<'_>,
    budget: &mut usize,
    around: Around,
) -> Markup {
    let mut out = maud::PreEscaped(String::new());
    let mut skipped = 0usize;
    let more = |n: usize| html! { div.line.more { "… " (n) " nodes not drawn (limit)" } };
    for id in ids {
        let spent = *budget == 0 || marks.bytes.get() >= MAX_VIEW_BYTES;
        if spent && !marks.must.contains(id) {
            skipped += 1;
            continue;
        }
        if skipped > 0 {
            out.0.push_str(&more(std::mem::take(&mut skipped)).0);
        }
        out.0.push_str(&node(doc, *id, marks, budget, around).0);
    }
    if skipped > 0 {
        out.0.push_str(&more(skipped).0);
    }
    out
}

/// How an element is shaded, and which intact signatures cover it (a bit each).
#[derive(Clone, Copy)]
struct Around {
    cover: Cover,
    set: u64,
}

/// How `id` is covered, given how its parent was: its coverage by the intact signatures (the
/// same reading as the trust verdicts, one step down from the parent's), or "excluded" for
/// what a signature removes from the content around it.
fn cover_of(id: NodeId, marks: &Marks<'_>, parent: Around) -> Around {
    let set = trust::covering(marks.shaded, parent.set, id);
    let cover = match trust::coverage_of(marks.shaded, set) {
        Coverage::Verified => Cover::Signed,
        Coverage::IntegrityOnly | Coverage::OtherKey => Cover::Intact,
        Coverage::NotChecked | Coverage::Broken | Coverage::Uncovered => match parent.cover {
            Cover::None => Cover::None,
            _ => Cover::Excluded,
        },
    };
    Around { cover, set }
}

fn node(
    doc: &Document,
    id: NodeId,
    marks: &Marks<'_>,
    budget: &mut usize,
    around: Around,
) -> Markup {
    *budget = budget.saturating_sub(1);
    let Some(kind) = doc.kind(id) else { return html! {} };
    let value = |s: &str| t(&one_line(&clip(s, MAX_VALUE)));
    let name = |s: &str| t(&one_line(&clip(s, MAX_NAME)));
    let drawn = |m: Markup| {
        marks.bytes.set(marks.bytes.get() + m.0.len());
        m
    };
    match kind {
        NodeKind::Element(e) => {
            let qname = name(e.qname());
            let (kids, text_only) = shown_children(doc, id);
            let covered = marks.covered.get(&id);
            let proven: Vec<usize> =
                covered.into_iter().flatten().filter(|(_, p, _)| *p).map(|(n, _, _)| *n).collect();
            let unproven: Vec<usize> =
                covered.into_iter().flatten().filter(|(_, p, _)| !*p).map(|(n, _, _)| *n).collect();
            let consumed = marks.consumed == Some(id);
            let signature = marks.signatures.get(&id);
            let inner = cover_of(id, marks, around);
            let cover = inner.cover;
            let mut class = String::from("el");
            if cover != around.cover {
                class.push_str(match cover {
                    Cover::Signed => " signed",
                    Cover::Intact => " intact",
                    Cover::Excluded => " excluded",
                    Cover::None => "",
                });
            }
            for (on, c) in [(consumed, " consumed"), (signature.is_some(), " signature")] {
                if on {
                    class.push_str(c);
                }
            }
            // The read assertion and each signed element keep room for their content, from a
            // pool shared by all of them.
            let must_show = consumed || covered.is_some();
            let mut own;
            let budget: &mut usize = if must_show && *budget < MUST_UNITS {
                own = marks.must_pool.get().min(MUST_UNITS);
                marks.must_pool.set(marks.must_pool.get() - own);
                &mut own
            } else {
                budget
            };
            let attrs = e.ns_decls().len() + e.attrs().len();
            let shown_attrs = attrs.min(*budget);
            *budget -= shown_attrs;
            let start = html! {
                span.p { "<" } span.tag { (qname) }
                @for (p, uri) in e.ns_decls().take(shown_attrs) {
                    " " span.attr { "xmlns" @if let Some(p) = p { ":" (name(p)) } }
                    "=" span.val { "\"" (value(uri)) "\"" }
                }
                @for a in e.attrs().take(shown_attrs.saturating_sub(e.ns_decls().len())) {
                    " " span.attr { (name(a.qname())) } "=" span.val { "\"" (value(a.value())) "\"" }
                }
                @if shown_attrs < attrs {
                    " " span.more { "… " (attrs - shown_attrs) " attributes not drawn" }
                }
            };
            let head = drawn(html! {
                @if !proven.is_empty() {
                    span.badge.signed { "signed by signature " (numbers(&proven)) }
                }
                @if !unproven.is_empty() {
                    span.badge.intact { "intact under signature " (numbers(&unproven)) ", but not by your certificate: origin not proven" }
                }
                @if cover == Cover::Excluded {
                    span.badge.excluded { "not covered: a signature does not sign itself; nothing inside it is signed by it" }
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
                }
            });
            html! {
                div class=(class) {
                    (head)
                    @if !kids.is_empty() && !text_only {
                        (children(doc, &kids, marks, budget, inner))
                        div.line { span.p { "</" } span.tag { (qname) } span.p { ">" } }
                    }
                }
            }
        }
        NodeKind::Text(s) => drawn(html! { div.line.text { (value(s.trim())) } }),
        NodeKind::Comment(c) => {
            drawn(html! { div.line { span.comment { "<!--" (value(c)) "-->" } } })
        }
        NodeKind::Pi { target, data } => {
            drawn(html! { div.line.pi { "<?" (name(target)) " " (value(data)) "?>" } })
        }
    }
}

/// `1`, `1 and 2`.
fn numbers(n: &[usize]) -> String {
    let words: Vec<String> = n.iter().map(usize::to_string).collect();
    words.join(" and ")
}

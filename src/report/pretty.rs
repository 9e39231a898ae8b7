//! Pretty-printing a parsed document for `samlscope decode`: two-space indentation, text kept
//! inline, values re-escaped. For reading only: it changes the bytes a signature covers.

use crate::xml::{Document, NodeId, NodeKind};

/// Renders `doc` indented.
pub fn pretty_print(doc: &Document) -> String {
    let mut out = String::new();
    for n in &doc.top_level {
        write_node(doc, *n, 0, &mut out);
    }
    out
}

fn write_node(doc: &Document, id: NodeId, depth: usize, out: &mut String) {
    let indent = "  ".repeat(depth);
    let Some(kind) = doc.kind(id) else { return };
    match kind {
        NodeKind::Element(e) => {
            out.push_str(&indent);
            out.push('<');
            out.push_str(e.qname());
            for (p, uri) in e.ns_decls() {
                match p {
                    Some(p) => out.push_str(&format!(" xmlns:{p}=\"{}\"", escape(uri, true))),
                    None => out.push_str(&format!(" xmlns=\"{}\"", escape(uri, true))),
                }
            }
            for a in e.attrs() {
                out.push_str(&format!(" {}=\"{}\"", a.qname(), escape(a.value(), true)));
            }
            let (kids, text_only) = shown_children(doc, id);
            if kids.is_empty() {
                out.push_str("/>\n");
            } else if text_only {
                out.push('>');
                out.push_str(&escape(&doc.text(id), false));
                out.push_str(&format!("</{}>\n", e.qname()));
            } else {
                out.push_str(">\n");
                for k in kids {
                    write_node(doc, k, depth + 1, out);
                }
                out.push_str(&format!("{indent}</{}>\n", e.qname()));
            }
        }
        NodeKind::Text(t) => out.push_str(&format!("{indent}{}\n", escape(t.trim(), false))),
        NodeKind::Comment(c) => out.push_str(&format!("{indent}<!--{c}-->\n")),
        NodeKind::Pi { target, data } => out.push_str(&format!("{indent}<?{target} {data}?>\n")),
    }
}

/// The children of `id` worth showing when indenting (whitespace-only text dropped), and
/// whether they are one text node (printed inline).
pub fn shown_children(doc: &Document, id: NodeId) -> (Vec<NodeId>, bool) {
    let kids: Vec<NodeId> = doc
        .children(id)
        .filter(|c| !matches!(doc.kind(*c), Some(NodeKind::Text(t)) if t.trim().is_empty()))
        .collect();
    let text_only = kids.len() == 1 && matches!(doc.kind(kids[0]), Some(NodeKind::Text(_)));
    (kids, text_only)
}

fn escape(s: &str, attr: bool) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' if !attr => o.push_str("&gt;"),
            '"' if attr => o.push_str("&quot;"),
            '\r' => o.push_str("&#xD;"),
            '\n' if attr => o.push_str("&#xA;"),
            '\t' if attr => o.push_str("&#x9;"),
            c => o.push(c),
        }
    }
    o
}

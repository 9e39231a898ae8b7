//! Input and capture rules: what could not be decoded, and captures without SAML.

use super::{Context, Finding};

/// `input-error`: an input, a layer of a payload, or its XML could not be decoded.
pub fn input_error(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for p in &ctx.analysis.problems {
        out.push(
            Finding::new("input-error", None, format!("{}: {}", p.source.input, p.message))
                .evidence(where_found(&p.source))
                .fix("Export the capture again (HAR with content, or the full SAMLResponse value) and check it was not truncated or edited."),
        );
    }
    for m in &ctx.analysis.messages {
        if let Some(e) = &m.xml_error {
            let layers = m.captured.layers.join(" → ");
            out.push(
                Finding::new("input-error", Some(m.index), format!("decoded payload is not usable XML: {e}"))
                    .evidence(format!("{} (after {layers})", where_found(&m.captured.source)))
                    .fix(if e.message.contains("DOCTYPE") {
                        "A SAML message never carries a DOCTYPE; a sender that adds one is broken or hostile. Do not accept this message."
                    } else {
                        "The payload was damaged in transit or by copying: capture it again."
                    }),
            );
        }
    }
}

/// `no-saml-messages`: nothing in the inputs is a SAML message.
pub fn no_saml_messages(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    if !ctx.analysis.messages.is_empty() || !ctx.analysis.problems.is_empty() {
        return;
    }
    out.push(
        Finding::new("no-saml-messages", None, "the inputs contain no SAMLRequest or SAMLResponse")
            .fix("Capture the whole login: open the browser's developer tools, tick \"Preserve log\" in the Network tab, log in, then export the HAR."),
    );
}

fn where_found(s: &crate::input::Source) -> String {
    let mut parts = vec![format!("input {}", s.input)];
    if let Some(e) = s.entry {
        parts.push(format!("entry {e}"));
    }
    if let Some(u) = &s.url {
        parts.push(u.clone());
    }
    parts.join(", ")
}

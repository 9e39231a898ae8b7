//! Input and capture rules: what could not be decoded, and captures without SAML.

use super::{where_found, Context, Finding, Severity};
use crate::saml::MessageKind;

/// `input-error`: an input, a layer of a payload, or its XML could not be decoded.
pub fn input_error(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for p in &ctx.analysis.problems {
        let f = Finding::new("input-error", None, format!("{}: {}", p.source.input, p.message))
            .evidence(where_found(&p.source))
            .fix("Export the capture again (HAR with content, or the full SAMLResponse value) and check it was not truncated or edited.");
        out.push(if p.unrelated { f.severity(Severity::Warning) } else { f });
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

/// `no-saml-messages`: no SAML message, or in a capture no response and no IdP page.
pub fn no_saml_messages(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let a = ctx.analysis;
    if !a.problems.is_empty() || !a.evidence.is_empty() {
        return; // input-error, capture-incomplete or the IdP rules say it precisely
    }
    let fix = "Capture the whole login: open the browser's developer tools, tick \"Preserve log\" in the Network tab, log in, then export the HAR with content.";
    if a.messages.is_empty() {
        out.push(
            Finding::new(
                "no-saml-messages",
                None,
                "the inputs contain no SAMLRequest or SAMLResponse",
            )
            .fix(fix),
        );
        return;
    }
    let capture = !a.steps.is_empty();
    let responded = a.messages.iter().any(|m| m.kind() == MessageKind::Response);
    if capture && !responded {
        let hop = a.messages.iter().find(|m| m.kind() == MessageKind::AuthnRequest);
        let mut f = Finding::new(
            "no-saml-messages",
            None,
            "the capture shows the AuthnRequest going to the IdP but no SAMLResponse coming back: \"Preserve log\" was off, or the login was not finished",
        )
        .fix(fix);
        if let Some(m) = hop {
            f = f.evidence(where_found(&m.captured.source));
        }
        out.push(f);
    }
}

/// `parameter-repeated`: a form body, URL or HTML form sends a binding parameter twice.
pub fn parameter_repeated(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for m in &ctx.analysis.messages {
        for r in &m.captured.repeated {
            if let Some((named, read)) = r.unread {
                out.push(
                    Finding::new("parameter-repeated", Some(m.index), format!("the request names a SAML message parameter {named} times, but samlscope read only {read} value{}: a browser or a server (case-insensitive names, other separators, markup read differently) may read another message", if read == 1 { "" } else { "s" }))
                        .values(format!("{named} mentions"), format!("{read} (each parameter once)"))
                        .evidence(where_found(&r.source))
                        .fix("Reject the request: a correct IdP or service provider sends one SAML message, named once; look for the other mentions in the captured page or body."),
                );
                continue;
            }
            let said: Vec<String> =
                r.params.iter().map(|(p, n)| format!("{p} {n} times")).collect();
            out.push(
                Finding::new("parameter-repeated", Some(m.index), format!("the request sends {}: service providers disagree on which value they read (the first, the last, or both); every value is analysed here", said.join(", ")))
                    .values(said.join(", "), "each parameter once")
                    .evidence(where_found(&r.source))
                    .fix("Reject the request: a correct IdP or service provider sends each SAML parameter once; a repeated one smuggles a second message past whoever reads the other."),
            );
        }
    }
}

//! The HTML report: one self-contained page with the verdict and the fixes, the login as a
//! sequence diagram, the validity windows on a time axis, and each message's XML with what
//! its signatures cover and what a service provider reads.
//!
//! Everything in a capture is attacker-controlled. Every value goes through maud, which
//! escapes it, and through [`printable`], which makes control and bidi characters visible;
//! capture values never become URLs, styles or script. Styles and the one script are static
//! and allowed by hash in a Content-Security-Policy that forbids every request.

mod diagram;
mod validity;
mod xmlview;

use base64::Engine as _;
use maud::{html, Markup, PreEscaped, DOCTYPE};

use crate::analysis::{Analysis, AnalyzedMessage};
use crate::rules::Severity;

use super::{
    certificate_lines, findings_by_message, message_facts, message_title, printable, profile_line,
    triage_lines, verdict_parts, Summary, Verdict,
};

const STYLE: &str = include_str!("report.css");
const SCRIPT: &str = include_str!("report.js");
/// Messages whose XML is drawn; a capture with more is a batch of logins, better read by
/// `decode` (the page stays small enough to open).
const MAX_XML_VIEWS: usize = 50;
/// Markup of XML views per page, past which later messages show only their facts.
const MAX_PAGE_XML_BYTES: usize = 8 << 20;

/// Renders `analysis` as one HTML page.
pub fn render(analysis: &Analysis) -> String {
    let parts = verdict_parts(analysis);
    let summary = Summary::of(analysis);
    let csp = format!(
        "default-src 'none'; style-src '{}'; script-src '{}'; img-src data:; base-uri 'none'; form-action 'none'",
        csp_hash(STYLE),
        csp_hash(SCRIPT)
    );
    let verdict_class = match parts.verdict {
        Verdict::Fails => "verdict fails",
        Verdict::NotChecked => "verdict unchecked",
        Verdict::Ok => "verdict ok",
    };
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta http-equiv="Content-Security-Policy" content=(csp);
                meta name="referrer" content="no-referrer";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="color-scheme" content="light dark";
                title { "samlscope: " (parts.headline) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                a.skip href="#findings" { "Skip to the findings" }
                header {
                    h1 { "SAML login diagnosis" }
                    div class=(verdict_class) role="status" {
                        p.headline { (parts.headline) "." }
                        // The rule's own summary, never capture text: the banner is the report's voice.
                        @if let Some((rule, _)) = &parts.first {
                            p.first {
                                "First: " a href="#f1" { code { (rule) } }
                                @if let Some(r) = crate::rules::find_rule(rule) { " — " (r.summary) }
                            }
                        }
                        @if !parts.not_checked.is_empty() {
                            p.not-checked { "Not checked: " (parts.not_checked.join("; ")) "." }
                        }
                    }
                    p.summary { (summary.line()) ". " (t(&profile_line(analysis))) "." }
                    @let triage = triage_lines(analysis);
                    @if !triage.is_empty() {
                        ul.triage { @for l in &triage { li { (t(&one_spaced(l))) } } }
                    }
                    nav aria-label="Sections" {
                        a href="#findings" { "What to change" }
                        a href="#sequence" { "The login" }
                        a href="#validity" { "Validity" }
                        a href="#messages" { "Messages" }
                    }
                }
                main {
                    (findings(analysis))
                    (diagram::render(analysis))
                    (validity::render(analysis))
                    (messages(analysis))
                }
                footer { "samlscope " (env!("CARGO_PKG_VERSION")) " · this page makes no request and runs no code from the capture" }
                script { (PreEscaped(SCRIPT)) }
            }
        }
    };
    page.into_string()
}

/// `sha256-…` of a static style or script, for the Content-Security-Policy.
fn csp_hash(text: &str) -> String {
    let digest = crate::dsig::crypto::sha256(text.as_bytes());
    format!("sha256-{}", base64::engine::general_purpose::STANDARD.encode(digest))
}

/// Text from a capture, made visible: control characters and bidi overrides as escapes.
fn t(s: &str) -> String {
    printable(s).into_owned()
}

/// A value compared with another (Observed, Expected): every space other than U+0020 and
/// a space at either end shown as an escape, so two values that differ never look the same.
fn exact(s: &str) -> String {
    let shown = t(s);
    let last = shown.chars().count().saturating_sub(1);
    crate::report::escaped(&shown, |i, c| c.is_whitespace() && (c != ' ' || i == 0 || i == last))
        .into_owned()
}

/// `s` with every run of white space (any Unicode space, line breaks) as one space: capture
/// text quoted in the verdict cannot lay out lines of its own there.
fn one_spaced(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// At most `max` characters of `s`, saying how many were left out.
fn clip(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}… ({} characters)", &s[..i], s.chars().count()),
        None => s.to_string(),
    }
}

/// At most `max` characters of `s`, ending in `…` when cut (for labels in a drawing; the
/// whole text is in its tooltip or in the sections below).
fn ellipsis(s: &str, max: usize) -> String {
    match s.char_indices().nth(max.saturating_sub(1)) {
        Some((i, _)) if s.chars().count() > max => format!("{}…", &s[..i]),
        _ => s.to_string(),
    }
}

/// The CSS class and word of a severity.
fn severity(s: Severity) -> (&'static str, &'static str) {
    match s {
        Severity::Error => ("error", "Error"),
        Severity::Warning => ("warning", "Warning"),
        Severity::Info => ("info", "Info"),
    }
}

/// The anchor of message `index` (0-based).
fn message_anchor(index: usize) -> String {
    format!("#m{}", index + 1)
}

/// The anchor of finding `index` (0-based).
fn finding_anchor(index: usize) -> String {
    format!("#f{}", index + 1)
}

fn findings(analysis: &Analysis) -> Markup {
    let skipped: Vec<String> =
        analysis.skipped.iter().map(|s| format!("{} ({})", s.rule, s.needs)).collect();
    html! {
        section #findings aria-labelledby="findings-h" {
            h2 #findings-h { "What to change" }
            @if analysis.findings.is_empty() {
                p { "No finding." }
            }
            ol.findings {
                @for (i, f) in analysis.findings.iter().enumerate() {
                    @let (class, word) = severity(f.severity);
                    li class=(format!("finding {class}")) id=(&finding_anchor(i)[1..]) data-rule=(f.rule) {
                        p.head {
                            span.sev { (word) } " "
                            code.rule { (f.rule) }
                            @if let Some(m) = f.message_index {
                                " on " a href=(message_anchor(m)) { "message " (m + 1) }
                            }
                        }
                        p.what { (t(&one_spaced(&f.message))) }
                        dl {
                            @if let Some(o) = &f.observed {
                                dt { "Observed" } dd { code { (exact(o)) } }
                            }
                            @if let Some(e) = &f.expected {
                                dt { "Expected" } dd { code data-copy="the expected value" { (exact(e)) } }
                            }
                            @if !f.evidence.is_empty() {
                                dt { "Where" } dd { (t(&f.evidence)) }
                            }
                            @if !f.fix.is_empty() {
                                dt { "Fix" } dd.fix { (t(&f.fix)) }
                            }
                        }
                    }
                }
            }
            @if !skipped.is_empty() && !analysis.messages.is_empty() {
                p.skipped { "Not checked for lack of configuration: " (t(&skipped.join(", "))) "." }
            }
            @for p in &analysis.problems {
                p.problem { "Could not read part of " (t(&p.source.input)) ": " (t(&p.message)) }
            }
        }
    }
}

fn messages(analysis: &Analysis) -> Markup {
    let page_left = std::cell::Cell::new(MAX_PAGE_XML_BYTES);
    let by_message = findings_by_message(analysis);
    html! {
        section #messages aria-labelledby="messages-h" {
            h2 #messages-h { "Messages" }
            @if analysis.messages.is_empty() {
                p { "No SAML message was found." }
            }
            @for (m, mine) in analysis.messages.iter().zip(&by_message) {
                @let with_xml = m.index < MAX_XML_VIEWS && page_left.get() > 0;
                @let failing = mine.iter().any(|f| f.severity == Severity::Error);
                (message(m, failing, with_xml, &page_left))
            }
            @if analysis.messages.len() > MAX_XML_VIEWS || page_left.get() == 0 {
                p.more { "The XML of later messages is not drawn (limit: " (MAX_XML_VIEWS) " messages, " (MAX_PAGE_XML_BYTES >> 20) " MiB of markup): " code { "samlscope decode" } " prints it." }
            }
            @let certs = certificate_lines(&analysis.certificates);
            @if !certs.is_empty() {
                h3 { "Configured certificates" }
                ul.certs {
                    @for (line, c) in certs.iter().zip(&analysis.certificates) {
                        li { (t(line)) " " code data-copy="the SHA-256 fingerprint" { (c.sha256) } }
                    }
                }
            }
        }
    }
}

fn message(
    m: &AnalyzedMessage,
    failing: bool,
    with_xml: bool,
    page_left: &std::cell::Cell<usize>,
) -> Markup {
    let xml = match (&m.doc, with_xml) {
        (Some(doc), true) => {
            let (view, bytes) = xmlview::render(m, doc);
            page_left.set(page_left.get().saturating_sub(bytes.max(1)));
            Some(view)
        }
        _ => None,
    };
    let anchor = message_anchor(m.index);
    html! {
        article.message id=(&anchor[1..]) {
            h3 { (t(&message_title(m))) }
            table.facts {
                @for (label, value) in message_facts(m) {
                    tr { th scope="row" { (label) } td { (t(&value)) } }
                }
            }
            @if let Some(view) = xml {
                details.xml open[failing || m.is_wrapped()] {
                    summary { "Decoded XML: what the signatures cover and what a service provider reads" }
                    (xmlview::legend())
                    (view)
                }
            } @else if let (true, Some(e)) = (with_xml, &m.xml_error) {
                p.problem { "Decoded, but not usable XML: " (t(&e.to_string())) }
                details.xml open {
                    summary { "The decoded bytes" }
                    pre { (t(&clip(&String::from_utf8_lossy(&m.captured.xml), 20_000))) }
                }
            }
        }
    }
}

//! The Markdown report, written to read as a support-ticket answer: verdict, findings with
//! fixes, then the details of each message.

use crate::analysis::Analysis;
use crate::rules::Severity;

use super::{
    certificate_lines, message_facts, message_title, printable, profile_line, timeline,
    triage_lines, verdict, Summary,
};

/// Renders `analysis` as Markdown.
pub fn render(analysis: &Analysis) -> String {
    let summary = Summary::of(analysis);
    let mut out = String::from("# SAML login diagnosis (samlscope)\n\n");
    let line = verdict(analysis).1;
    out.push_str(&format!("**{line}** {}.\n\n{}.\n\n", summary.line(), profile_line(analysis)));
    let triage = triage_lines(analysis);
    for l in &triage {
        out.push_str(&format!("- {}\n", escape(l)));
    }
    if !triage.is_empty() {
        out.push('\n');
    }
    if !analysis.findings.is_empty() {
        out.push_str("## What to change\n\n");
        for (i, f) in analysis.findings.iter().enumerate() {
            let sev = match f.severity {
                Severity::Error => "Error",
                Severity::Warning => "Warning",
                Severity::Info => "Info",
            };
            let on = f.message_index.map(|m| format!(" (message {})", m + 1)).unwrap_or_default();
            out.push_str(&format!(
                "{}. **{sev}** `{}`{on}: {}\n",
                i + 1,
                f.rule,
                escape(&f.message)
            ));
            if let Some(o) = &f.observed {
                out.push_str(&format!("   - Observed: `{}`\n", code(o)));
            }
            if let Some(e) = &f.expected {
                out.push_str(&format!("   - Expected: `{}`\n", code(e)));
            }
            if !f.evidence.is_empty() {
                out.push_str(&format!("   - Where: {}\n", escape(&f.evidence)));
            }
            if !f.fix.is_empty() {
                out.push_str(&format!("   - Fix: {}\n", escape(&f.fix)));
            }
        }
        out.push('\n');
    }
    if !analysis.skipped.is_empty() && !analysis.messages.is_empty() {
        let list: Vec<String> =
            analysis.skipped.iter().map(|s| format!("`{}` ({})", s.rule, s.needs)).collect();
        out.push_str(&format!("Not checked for lack of configuration: {}.\n\n", list.join(", ")));
    }
    let steps = timeline(analysis);
    if !steps.is_empty() {
        out.push_str(
            "## Timeline\n\n| entry | time | request | status | SAML |\n|---|---|---|---|---|\n",
        );
        for r in steps {
            let saml = [r.display, r.note].into_iter().flatten().collect::<Vec<_>>().join("; ");
            out.push_str(&format!(
                "| {} | {} | {} {} | {} | {} |\n",
                r.entry.map(|e| (e + 1).to_string()).unwrap_or_default(),
                cell(&r.time.unwrap_or_default()),
                cell(&r.method),
                cell(r.url.split("://").nth(1).unwrap_or(&r.url)),
                r.status.map(|s| s.to_string()).unwrap_or_default(),
                escape(&saml).replace('|', "\\|")
            ));
        }
        out.push('\n');
    }
    out.push_str("## Details\n");
    for line in certificate_lines(&analysis.certificates) {
        out.push_str(&format!("\nConfigured certificate: {}\n", escape(&line)));
    }
    for m in &analysis.messages {
        out.push_str(&format!("\n### {}\n\n| | |\n|---|---|\n", message_title(m)));
        for (label, value) in message_facts(m) {
            out.push_str(&format!("| {label} | {} |\n", escape(&value).replace('|', "\\|")));
        }
    }
    // A ticket is often read in a terminal first: capture text must not drive it.
    printable(&out).into_owned()
}

/// A table cell from capture text: one line, no `|`, no tags.
fn cell(s: &str) -> String {
    escape(s).replace('|', "\\|")
}

fn escape(s: &str) -> String {
    s.replace('<', "&lt;").replace('>', "&gt;").replace('\n', " ")
}

fn code(s: &str) -> String {
    s.replace('`', "'").replace('\n', " ")
}

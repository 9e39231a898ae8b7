//! The table report for people: the findings (those of the inputs, then per message), the
//! login timeline, each message's facts, and what was skipped.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell, Color, ContentArrangement, Table};

use crate::analysis::Analysis;
use crate::rules::{Finding, Severity};

use super::{
    certificate_lines, message_facts, message_title, profile_line, timeline, triage_lines, verdict,
    Summary,
};

/// Renders `analysis` at `width` columns (`None`: the terminal's width); `color` adds severity
/// colours. What to change comes
/// first (findings grouped per message), then the timeline, then each message's details.
pub fn render(analysis: &Analysis, width: Option<u16>, color: bool) -> String {
    let mut out = format!(
        "{}\nsamlscope {} — {}\n",
        verdict(analysis).1,
        env!("CARGO_PKG_VERSION"),
        Summary::of(analysis).line()
    );
    out.push_str(&profile_line(analysis));
    out.push('\n');
    for line in triage_lines(analysis) {
        out.push_str(&line);
        out.push('\n');
    }
    let general: Vec<&Finding> =
        analysis.findings.iter().filter(|f| f.message_index.is_none()).collect();
    if !general.is_empty() {
        out.push_str("\nFindings · inputs and capture\n");
        out.push_str(&findings_table(&general, width, color));
    }
    for m in &analysis.messages {
        let mine: Vec<&Finding> =
            analysis.findings.iter().filter(|f| f.message_index == Some(m.index)).collect();
        if !mine.is_empty() {
            out.push_str(&format!("\nFindings · {}\n", message_title(m)));
            out.push_str(&findings_table(&mine, width, color));
        }
    }
    let steps = timeline(analysis);
    if !steps.is_empty() {
        out.push_str("\nTimeline\n");
        let mut t = new_table(width);
        t.set_header(vec!["entry", "time", "request", "status", "SAML"]);
        for r in steps {
            let saml = [r.display.clone(), r.note.clone()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join("\n");
            t.add_row(vec![
                Cell::new(r.entry.map(|e| (e + 1).to_string()).unwrap_or_default()),
                Cell::new(r.time.unwrap_or_default()),
                Cell::new(format!("{} {}", r.method, r.url.split("://").nth(1).unwrap_or(&r.url))),
                Cell::new(r.status.map(|s| s.to_string()).unwrap_or_default()),
                Cell::new(saml),
            ]);
        }
        out.push_str(&t.to_string());
        out.push('\n');
    }
    // The long certificate lines come after what to change.
    let certs = certificate_lines(&analysis.certificates);
    if !certs.is_empty() {
        out.push('\n');
    }
    for line in certs {
        out.push_str(&format!("Configured certificate: {line}\n"));
    }
    for m in &analysis.messages {
        out.push_str(&format!("\n{}\n", message_title(m)));
        let mut facts = new_table(width);
        for (label, value) in message_facts(m) {
            facts.add_row(vec![Cell::new(label), Cell::new(value)]);
        }
        out.push_str(&facts.to_string());
        out.push('\n');
    }
    // With no message there was nothing to check: the skipped list would be noise.
    if !analysis.skipped.is_empty() && !analysis.messages.is_empty() {
        let mut by_flag: Vec<(&str, Vec<&str>)> = Vec::new();
        for s in &analysis.skipped {
            match by_flag.iter_mut().find(|(f, _)| *f == s.needs) {
                Some((_, rules)) => rules.push(s.rule),
                None => by_flag.push((s.needs, vec![s.rule])),
            }
        }
        out.push_str("\nSkipped (give the flag to enable):\n");
        for (flag, rules) in by_flag {
            out.push_str(&format!("  {flag}: {}\n", rules.join(", ")));
        }
    }
    out
}

fn new_table(width: Option<u16>) -> Table {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Dynamic);
    // Without a width comfy-table asks the terminal.
    if let Some(w) = width {
        t.set_width(w);
    }
    t
}

fn findings_table(findings: &[&Finding], width: Option<u16>, color: bool) -> String {
    let mut t = new_table(width);
    t.set_header(vec!["severity", "rule", "finding"]);
    for f in findings {
        let mut text = f.message.clone();
        if let Some(o) = &f.observed {
            text.push_str(&format!("\nobserved: {o}"));
        }
        if let Some(e) = &f.expected {
            text.push_str(&format!("\nexpected: {e}"));
        }
        if !f.evidence.is_empty() {
            text.push_str(&format!("\nwhere: {}", f.evidence));
        }
        if !f.fix.is_empty() {
            text.push_str(&format!("\nfix: {}", f.fix));
        }
        let mut sev = Cell::new(f.severity.as_str());
        if color {
            sev = sev.fg(match f.severity {
                Severity::Error => Color::Red,
                Severity::Warning => Color::Yellow,
                Severity::Info => Color::Blue,
            });
        }
        t.add_row(vec![sev, Cell::new(f.rule), Cell::new(text)]);
    }
    format!("{t}\n")
}

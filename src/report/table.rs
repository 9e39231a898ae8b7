//! The table report for people: the findings (those of the inputs, then per message), the
//! login timeline, each message's facts, and what was skipped.

use comfy_table::Table;
use unicode_width::UnicodeWidthStr;

use crate::analysis::Analysis;
use crate::rules::Finding;

use super::{
    certificate_lines, findings_by_message, message_facts, message_title, one_line, printable,
    profile_line, timeline, triage_lines, verdict, Summary,
};

/// Renders `analysis` at `width` columns (`None`: the terminal's width); `color` adds severity
/// colours. What to change comes
/// first (findings grouped per message), then the timeline, then each message's details.
pub fn render(analysis: &Analysis, width: Option<u16>, color: bool) -> String {
    let out = layout(analysis, width);
    // Capture text is made inert first; only then does the report add its own colours.
    let out = printable(&out).into_owned();
    if !color {
        return out;
    }
    out.split_inclusive('\n')
        .map(|line| {
            for (sev, code) in [("error[", "31"), ("warning[", "33"), ("info[", "34")] {
                if let Some(rest) = line.strip_prefix(sev) {
                    return format!("\x1b[1;{code}m{}\x1b[0m[{rest}", &sev[..sev.len() - 1]);
                }
            }
            line.to_string()
        })
        .collect()
}

fn layout(analysis: &Analysis, width: Option<u16>) -> String {
    let cols = usize::from(width.or_else(|| Table::new().width()).unwrap_or(100));
    let mut out = wrap(&verdict(analysis).1, "", 2, cols);
    out.push_str(&format!(
        "samlscope {} — {}\n",
        env!("CARGO_PKG_VERSION"),
        Summary::of(analysis).line()
    ));
    out.push_str(&wrap(&profile_line(analysis), "", 2, cols));
    for line in triage_lines(analysis) {
        out.push_str(&wrap(&line, "", 2, cols));
    }
    let general: Vec<&Finding> =
        analysis.findings.iter().filter(|f| f.message_index.is_none()).collect();
    if !general.is_empty() {
        out.push_str("\nFindings · inputs and capture\n");
        out.push_str(&findings_blocks(&general, cols));
    }
    for (m, mine) in analysis.messages.iter().zip(findings_by_message(analysis)) {
        if !mine.is_empty() {
            out.push_str(&format!("\nFindings · {}\n", message_title(m)));
            out.push_str(&findings_blocks(&mine, cols));
        }
    }
    let steps = timeline(analysis);
    if !steps.is_empty() {
        out.push_str("\nTimeline\n");
        // One line per HTTP exchange, the time and the URL whole; what it carried below.
        for r in steps {
            let entry = r.entry.map(|e| (e + 1).to_string()).unwrap_or_default();
            let status = r.status.map(|s| s.to_string()).unwrap_or_else(|| "-".into());
            let time = one_line(&r.time.unwrap_or_else(|| "(no time)".into()));
            let row = format!("{time}  {status:>3}  {} {}", one_line(&r.method), one_line(&r.url));
            out.push_str(&wrap(&row, &format!("{entry:>4}  "), 6, cols));
            for text in [r.display, r.note].into_iter().flatten() {
                out.push_str(&wrap(&text, "      ", 6, cols));
            }
        }
    }
    // The long certificate lines come after what to change.
    let certs = certificate_lines(&analysis.certificates);
    if !certs.is_empty() {
        out.push('\n');
    }
    for line in certs {
        out.push_str(&wrap(&line, "Configured certificate: ", 2, cols));
    }
    for m in &analysis.messages {
        out.push_str(&format!("\n{}\n", message_title(m)));
        let facts = message_facts(m);
        let label_width = facts.iter().map(|(l, _)| l.len()).max().unwrap_or(0);
        for (label, value) in facts {
            if label == "Attribute" {
                // `name = value` is copied as a whole: never wrapped (a long one overflows).
                out.push_str(&format!("  {label:<label_width$}  {}\n", one_line(&value)));
                continue;
            }
            out.push_str(&wrap(
                &value,
                &format!("  {label:<label_width$}  "),
                label_width + 4,
                cols,
            ));
        }
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
            out.push_str(&wrap(&rules.join(", "), &format!("  {flag}: "), 4, cols));
        }
    }
    out
}

/// One block per finding, compiler-style: `severity[rule]: message`, then the observed and
/// expected values, where, and the fix, each wrapped only at spaces under its label.
fn findings_blocks(findings: &[&Finding], cols: usize) -> String {
    let mut out = String::new();
    for (i, f) in findings.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let head = format!("{}[{}]: ", f.severity.as_str(), f.rule);
        out.push_str(&wrap(&f.message, &head, 2, cols));
        let rows = [
            ("observed", f.observed.as_deref()),
            ("expected", f.expected.as_deref()),
            ("where", Some(f.evidence.as_str()).filter(|e| !e.is_empty())),
            ("fix", Some(f.fix.as_str()).filter(|e| !e.is_empty())),
        ];
        for (label, value) in rows {
            if let Some(v) = value {
                out.push_str(&wrap(v, &format!("  {label:<8}  "), 12, cols));
            }
        }
    }
    out
}

/// Wraps `text` to `cols` terminal columns at spaces only: `first` starts the first line,
/// later lines are indented by `indent`. A word longer than a line (a URL, an ID, a
/// fingerprint) keeps its own line whole; `name = value` and `a + " " + b` stay together;
/// runs of spaces are kept. Each line of `text` is wrapped apart.
fn wrap(text: &str, first: &str, indent: usize, cols: usize) -> String {
    // Capture text is made inert before it is measured: an escape is as wide as it prints.
    let text = printable(text).replace('\t', "\\t");
    let pad = " ".repeat(indent);
    let mut out = String::new();
    let mut prefix = first.to_string();
    for line in text.split('\n') {
        let mut cur = prefix.clone();
        // The line's width, kept as words are added: measuring `cur` again per word would be
        // quadratic in a long line.
        let mut used = cur.width();
        let mut empty = true;
        for word in glue_words(line) {
            let w = word.width();
            if empty {
                cur.push_str(&word);
                used += w;
            } else if used + 1 + w <= cols {
                cur.push(' ');
                cur.push_str(&word);
                used += 1 + w;
            } else {
                out.push_str(cur.trim_end());
                out.push('\n');
                cur = format!("{pad}{word}");
                used = indent + w;
            }
            empty = false;
        }
        out.push_str(cur.trim_end());
        out.push('\n');
        prefix.clone_from(&pad);
    }
    out
}

/// The unbreakable words of `line`: `=` and `+` join their neighbours (an attribute's
/// `name (friendly) = value`, a formula's `a + " " + b`), a `·` or `→` separator ends the
/// line it is on, and extra spaces stay with the word before them.
fn glue_words(line: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut join_next = false;
    for w in line.split(' ') {
        let Some(last) = words.last_mut() else {
            if !w.is_empty() {
                words.push(w.to_string());
            }
            continue;
        };
        if w.is_empty() {
            last.push(' ');
            continue;
        }
        let operator = w == "=" || w == "+";
        if operator || join_next || w == "·" || w == "→" {
            last.push(' ');
            last.push_str(w);
            join_next = operator || (join_next && w.chars().all(|c| c == '"'));
        } else {
            words.push(w.to_string());
        }
        // `name (friendly) = value`: the friendly name belongs to the name before it.
        if w == "=" && words.len() > 1 && words[words.len() - 1].starts_with('(') {
            let tail = words.pop().unwrap_or_default();
            if let Some(name) = words.last_mut() {
                name.push(' ');
                name.push_str(&tail);
            }
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn wraps_at_spaces_and_never_inside_a_value() {
        let url = "https://login.flex.us1.twilio.com/login/callback?connection=JQ0123456789abcdef";
        let got = wrap(&format!("set it to {url} now"), "fix: ", 5, 30);
        assert_eq!(got, format!("fix: set it to\n     {url}\n     now\n"));
        assert_eq!(wrap("full_name = Ada Lovelace", "", 2, 12), "full_name = Ada\n  Lovelace\n");
        assert_eq!(wrap("a\nb", "x: ", 3, 80), "x: a\n   b\n");
        assert_eq!(wrap("token=abc  def", "", 2, 80), "token=abc  def\n");
        assert_eq!(
            wrap("urn:oid:0.9.2342.19200300.100.1.3 (mail) = ada@acme.com", "", 2, 20),
            "urn:oid:0.9.2342.19200300.100.1.3 (mail) = ada@acme.com\n"
        );
        let formula = r#"add full_name = $User.FirstName + " " + $User.LastName"#;
        assert_eq!(wrap(formula, "", 2, 20), format!("add\n  {}\n", &formula[4..]));
        // Display columns, not characters; escapes count as wide as they print.
        assert_eq!(wrap("漢字漢字 漢字", "", 0, 9), "漢字漢字\n漢字\n");
        assert_eq!(wrap("a\u{1b} b", "", 0, 7), "a\\u{1b}\nb\n");
    }
}

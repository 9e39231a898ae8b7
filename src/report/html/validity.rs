//! Validity windows on a time axis: each window of the consumed assertion (Conditions,
//! SubjectConfirmationData) with the allowed skew at its ends and the instant it was checked
//! at as a line; the certificates' validity on a second axis.

use maud::{html, Markup};

use crate::analysis::Analysis;
use crate::saml::time::{human_duration, Instant};

use super::t;

/// One bar: a label and the two bounds (absent = open).
struct Bar {
    label: String,
    from: Option<i64>,
    to: Option<i64>,
}

/// What is drawn on one axis.
struct Chart<'a> {
    title: String,
    bars: Vec<Bar>,
    /// The instant the bars are judged at, and what it is.
    now: Option<(i64, &'a str)>,
    /// Allowed skew at each end, microseconds.
    skew: i64,
    /// Whether bounds are shown as dates (certificates) or times of day (assertions).
    dates: bool,
}

/// Charts drawn at most (one per message with an assertion, plus the certificates').
const MAX_CHARTS: usize = 50;
/// Certificates drawn at most.
const MAX_CERTS: usize = 6;
const LEFT: f64 = 230.0;
const RIGHT: f64 = 880.0;
const ROW: f64 = 46.0;

/// The validity section.
pub fn render(analysis: &Analysis) -> Markup {
    let mut charts = Vec::new();
    let mut first_now = None;
    for m in &analysis.messages {
        let bars: Vec<Bar> = m
            .validity_windows()
            .iter()
            .map(|w| Bar {
                label: w.path.to_string(),
                from: w.not_before.and_then(|s| Instant::parse(s).ok()).map(|i| i.0),
                to: w.not_on_or_after.and_then(|s| Instant::parse(s).ok()).map(|i| i.0),
            })
            .filter(|b| b.from.is_some() || b.to.is_some())
            .collect();
        let captured = m.captured.source.time.as_deref().and_then(|s| Instant::parse(s).ok());
        let now = match (captured, analysis.at) {
            (Some(c), _) => Some((c.0, "captured")),
            (None, Some(at)) => Some((at.0, "--at")),
            _ => None,
        };
        first_now = first_now.or(now);
        if !bars.is_empty() {
            charts.push(Chart {
                title: format!("Message {} · the assertion's validity", m.index + 1),
                bars,
                now,
                skew: analysis.skew,
                dates: false,
            });
        }
    }
    let mut certs: Vec<&crate::dsig::Certificate> = analysis.certificates.iter().collect();
    for v in analysis.messages.iter().flat_map(|m| &m.verdicts) {
        certs.extend(v.verified_by.as_ref().map(|(c, _)| c));
        certs.extend(v.embedded.as_ref());
    }
    let mut seen = std::collections::BTreeSet::new();
    certs.retain(|c| seen.insert(c.sha256.clone()));
    let cert_bars: Vec<Bar> = certs
        .iter()
        .take(MAX_CERTS)
        .map(|c| Bar {
            label: c.subject.clone(),
            from: c.not_before.map(|i| i.0),
            to: c.not_after.map(|i| i.0),
        })
        .filter(|b| b.from.is_some() || b.to.is_some())
        .collect();
    if !cert_bars.is_empty() {
        charts.push(Chart {
            title: "The certificates' validity".into(),
            bars: cert_bars,
            now: first_now,
            skew: 0,
            dates: true,
        });
    }
    html! {
        section #validity aria-labelledby="validity-h" {
            h2 #validity-h { "Validity windows" }
            @if charts.is_empty() {
                p { "No validity window to draw: no assertion with Conditions or SubjectConfirmationData, and no certificate." }
            }
            @for c in charts.iter().take(MAX_CHARTS) { (chart(c)) }
            @if charts.len() > MAX_CHARTS {
                p.more { "… and " (charts.len() - MAX_CHARTS) " more charts, not drawn (limit " (MAX_CHARTS) ")." }
            }
        }
    }
}

/// Where a label at `x` hangs so that it stays inside the drawing: from its start near the left
/// edge, from its end near the right one, centred between.
fn anchor(x: f64) -> &'static str {
    if x > RIGHT - 180.0 {
        "end"
    } else if x < LEFT + 60.0 {
        "start"
    } else {
        "middle"
    }
}

fn chart(c: &Chart<'_>) -> Markup {
    let mut points: Vec<i64> = c.bars.iter().flat_map(|b| [b.from, b.to]).flatten().collect();
    points.extend(c.now.map(|(n, _)| n));
    let lo = points.iter().min().copied().unwrap_or(0).saturating_sub(c.skew);
    let hi = points.iter().max().copied().unwrap_or(0).saturating_add(c.skew);
    let pad = ((hi as f64 - lo as f64) * 0.08).max(30e6);
    let (lo, hi) = (lo as f64 - pad, hi as f64 + pad);
    let x = |v: i64| LEFT + (v as f64 - lo) / (hi - lo) * (RIGHT - LEFT);
    let height = 34.0 + ROW * c.bars.len() as f64 + 20.0;
    // Times of day when every point is on one date; dates (certificates) or date and time
    // otherwise, so windows years apart never read as minutes apart.
    let same_day = {
        let days: std::collections::BTreeSet<String> =
            points.iter().map(|p| Instant(*p).to_string().chars().take(10).collect()).collect();
        days.len() <= 1
    };
    let stamp = |v: i64| {
        let s = Instant(v).to_string();
        let short = match (c.dates, same_day) {
            (true, _) => s.get(..10),
            (false, true) => s.get(11..19),
            (false, false) => None,
        };
        short
            .filter(|p| !p.contains('T'))
            .map(str::to_string)
            .unwrap_or_else(|| s.replacen('T', " ", 1))
    };
    let inside = |b: &Bar, now: i64| {
        b.from.is_none_or(|f| now.saturating_add(c.skew) >= f)
            && b.to.is_none_or(|to| now < to.saturating_add(c.skew))
    };
    let summary: Vec<String> = c
        .bars
        .iter()
        .map(|b| {
            let bound = |v: Option<i64>| v.map(|v| Instant(v).to_string()).unwrap_or("open".into());
            let verdict = match c.now {
                Some((n, _)) if inside(b, n) => "; the check time is inside",
                Some(_) => "; the check time is OUTSIDE",
                None => "",
            };
            format!("{}: {} to {}{verdict}", b.label, bound(b.from), bound(b.to))
        })
        .collect();
    let skew_note = if c.skew > 0 {
        format!(", allowed skew {} at each end", human_duration(c.skew))
    } else {
        String::new()
    };
    html! {
        figure.validity {
            figcaption {
                (t(&c.title))
                @match c.now {
                    Some((n, what)) => { " · checked at " (Instant(n).to_string()) " (" (what) ")" (skew_note) }
                    None => { " · no capture time: give --at to judge it" }
                }
            }
            svg viewBox=(format!("0 0 900 {height}")) role="img" aria-label=(t(&summary.join(". "))) {
                title { (t(&summary.join(". "))) }
                @for (i, b) in c.bars.iter().enumerate() {
                    @let y = 34.0 + ROW * i as f64;
                    @let x0 = b.from.map_or(LEFT, x);
                    @let x1 = b.to.map_or(RIGHT, x);
                    @let ok = c.now.is_none_or(|(n, _)| inside(b, n));
                    g class=(if ok { "bar ok" } else { "bar bad" }) {
                        text.label x="8" y=(y + 15.0) { (t(&super::ellipsis(&b.label, 32))) }
                        @if c.skew > 0 {
                            @if let Some(f) = b.from {
                                rect.skew x=(x(f.saturating_sub(c.skew))) y=(y + 4.0) width=(x(f) - x(f.saturating_sub(c.skew))) height="14" {}
                            }
                            @if let Some(to) = b.to {
                                rect.skew x=(x(to)) y=(y + 4.0) width=(x(to.saturating_add(c.skew)) - x(to)) height="14" {}
                            }
                        }
                        rect.span x=(x0) y=(y + 4.0) width=((x1 - x0).max(1.0)) height="14" rx="3" {}
                        // The start above the bar, the end below it: they never run together.
                        @if let Some(f) = b.from {
                            text.tick x=(x0) y=(y + 1.0) text-anchor=(anchor(x0)) { "from " (stamp(f)) }
                        }
                        @if let Some(to) = b.to {
                            text.tick x=(x1) y=(y + 31.0) text-anchor="end" { "until " (stamp(to)) }
                        }
                    }
                }
                @if let Some((n, what)) = c.now {
                    g.now {
                        line x1=(x(n)) x2=(x(n)) y1="14" y2=(height - 8.0) {}
                        text x=(x(n)) y="12" text-anchor=(anchor(x(n))) { (what) " " (stamp(n)) }
                    }
                }
            }
        }
    }
}

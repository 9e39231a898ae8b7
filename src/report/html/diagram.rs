//! The login as a sequence diagram (SVG): lanes for the browser, the service provider and the
//! IdP, one arrow per hop that matters in capture order, the SAML messages on their arrows,
//! the hop where it went wrong in the error colour with its findings, and a gap where the
//! capture lost the rest of the login.

use std::collections::{BTreeMap, BTreeSet};

use maud::{html, Markup};

use crate::analysis::Analysis;
use crate::input::Binding;
use crate::report::{timeline, TimelineRow};
use crate::rules::Severity;
use crate::saml::time::Instant;
use crate::saml::MessageKind;

use super::{ellipsis, finding_anchor, message_anchor, t};

/// Messages and findings named beside one arrow at most, one a line (the sections below list
/// them all).
const MAX_LABELS: usize = 4;
/// Hops drawn at most; the rest are counted.
const MAX_HOPS: usize = 200;
/// Height of one line of text beside an arrow.
const LINE: f64 = 14.0;
const TOP: f64 = 56.0;
const LANE_GAP: f64 = 220.0;
const FIRST_LANE: f64 = 70.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Lane {
    Browser,
    Sp,
    Idp,
    Other,
}

/// The host of a URL, lowercase.
fn host(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split(['/', '?', '#']).next().unwrap_or_default().to_ascii_lowercase()
}

/// Which hosts are the service provider's and which the IdP's, from the messages themselves:
/// where requests were sent and where responses were posted.
fn lanes_by_host(analysis: &Analysis) -> (BTreeSet<String>, BTreeSet<String>) {
    let (mut sp, mut idp) = (BTreeSet::new(), BTreeSet::new());
    for m in &analysis.messages {
        let Some(x) = &m.message else { continue };
        let url = m.captured.source.url.as_deref();
        let from_idp = matches!(
            x.kind,
            MessageKind::Response | MessageKind::Assertion | MessageKind::EncryptedAssertion
        );
        let (to, from) = if from_idp { (&mut sp, &mut idp) } else { (&mut idp, &mut sp) };
        to.extend(x.destination.as_deref().map(host));
        if let Some(r) = &x.request {
            from.extend(r.acs_url.as_deref().map(host));
        }
        if !from_idp {
            // A request travels to the IdP: the URL it was captured on is the IdP's.
            to.extend(url.map(host));
        }
        for a in &x.assertions {
            sp.extend(a.confirmations.iter().filter_map(|c| c.recipient.as_deref()).map(host));
        }
    }
    sp.remove("");
    idp.remove("");
    // A host on both sides (one server for both): the side its messages were posted to wins.
    for h in &sp {
        idp.remove(h);
    }
    (sp, idp)
}

/// One arrow.
struct Hop {
    row: TimelineRow,
    lane: Lane,
    /// Findings (index, severity) attached to this hop.
    findings: Vec<(usize, Severity)>,
    /// Seconds since the first hop.
    offset: Option<f64>,
}

/// Hops from the messages alone, for inputs that are not captures (a pasted payload).
fn hops_from_messages(analysis: &Analysis) -> Vec<TimelineRow> {
    analysis
        .messages
        .iter()
        .map(|m| {
            let method = match m.captured.binding {
                Binding::Redirect => "GET",
                Binding::Post => "POST",
                Binding::Unknown => "to",
            };
            let url = m
                .message
                .as_ref()
                .and_then(|x| x.destination.clone())
                .or_else(|| m.captured.source.url.clone())
                .unwrap_or_default();
            TimelineRow {
                entry: None,
                time: m.captured.source.time.clone(),
                method: method.to_string(),
                url,
                status: None,
                message: None,
                display: Some(format!("#{} {:?}", m.index + 1, m.kind())),
                message_indices: vec![m.index],
                note: None,
                source: m.captured.source.clone(),
                failed: false,
            }
        })
        .collect()
}

/// The sequence diagram section.
pub fn render(analysis: &Analysis) -> Markup {
    let mut rows = timeline(analysis);
    let from_capture = !rows.is_empty();
    if !from_capture {
        rows = hops_from_messages(analysis);
    }
    let (sp_hosts, idp_hosts) = lanes_by_host(analysis);
    let mut by_message: BTreeMap<usize, Vec<(usize, Severity)>> = BTreeMap::new();
    for (i, f) in analysis.findings.iter().enumerate() {
        if let Some(m) = f.message_index {
            by_message.entry(m).or_default().push((i, f.severity));
        }
    }
    let t0 = rows.iter().find_map(|r| r.time.as_deref().and_then(|s| Instant::parse(s).ok()));
    let total = rows.len();
    let hops: Vec<Hop> = rows
        .into_iter()
        .take(MAX_HOPS)
        .map(|row| {
            let h = host(&row.url);
            let lane = if sp_hosts.contains(&h) {
                Lane::Sp
            } else if idp_hosts.contains(&h) {
                Lane::Idp
            } else {
                Lane::Other
            };
            let mut findings: Vec<(usize, Severity)> = row
                .message_indices
                .iter()
                .flat_map(|m| by_message.get(m))
                .flatten()
                .copied()
                .collect();
            if row.entry.is_some() {
                // Findings about the hop itself (an IdP error page, a rejected response) name
                // it in their evidence.
                let here = crate::rules::where_found(&row.source);
                findings.extend(
                    analysis
                        .findings
                        .iter()
                        .enumerate()
                        .filter(|(_, f)| f.message_index.is_none() && f.evidence.starts_with(&here))
                        .map(|(i, f)| (i, f.severity)),
                );
            }
            let offset = match (t0, row.time.as_deref().and_then(|s| Instant::parse(s).ok())) {
                (Some(a), Some(b)) => Some(a.micros_until(b) as f64 / 1e6),
                _ => None,
            };
            Hop { row, lane, findings, offset }
        })
        .collect();
    let mut lanes: Vec<Lane> = vec![Lane::Browser, Lane::Sp, Lane::Idp];
    if hops.iter().any(|h| h.lane == Lane::Other) {
        lanes.push(Lane::Other);
    }
    let x_of = |lane: Lane| {
        let i = lanes.iter().position(|l| *l == lane).unwrap_or(0);
        FIRST_LANE + LANE_GAP * i as f64
    };
    let notes_x = x_of(*lanes.last().unwrap_or(&Lane::Idp)) + 40.0;
    let lost = from_capture && analysis.findings.iter().any(|f| f.rule == "no-saml-messages");
    // Each hop is as tall as the lines beside it: messages, note, findings.
    let mut ys = Vec::with_capacity(hops.len());
    let mut y = TOP + 30.0;
    for h in &hops {
        ys.push(y);
        let lines = h.row.message_indices.len().min(MAX_LABELS)
            + usize::from(h.row.note.is_some())
            + h.findings.len().min(MAX_LABELS)
            + usize::from(h.findings.len() > MAX_LABELS);
        y += 26.0 + LINE * lines.max(2) as f64;
    }
    let bottom = y - 20.0;
    let height = bottom + if lost { 60.0 } else { 10.0 };
    let width = notes_x + 330.0;
    let p = &analysis.profile;
    let sp_name = match p.sp {
        crate::profile::Sp::Flex => "Service provider (Twilio Flex)",
        crate::profile::Sp::Generic => "Service provider",
    };
    let idp_name = format!("IdP ({})", p.idp.name());
    let lane_label = |lane: Lane| -> (String, Option<String>) {
        match lane {
            Lane::Browser => ("Browser".into(), None),
            Lane::Sp => (sp_name.into(), sp_hosts.iter().next().cloned()),
            Lane::Idp => (idp_name.clone(), idp_hosts.iter().next().cloned()),
            Lane::Other => ("Other hosts".into(), None),
        }
    };
    html! {
        section #sequence aria-labelledby="sequence-h" {
            h2 #sequence-h { "The login" }
            @if hops.is_empty() {
                p { "Nothing to draw: no request and no SAML message was found." }
            } @else {
                p.caption {
                    @if from_capture {
                        "Each arrow is a request of the capture that carries SAML, fails, or redirects between the SAML hosts (" (hops.len()) " of " (analysis.steps.len()) " requests), in capture order."
                    } @else {
                        "Not a capture: each arrow is a SAML message, sent where its Destination says."
                    }
                }
                div.diagram {
                    svg.sequence viewBox=(format!("0 0 {width} {height}")) width=(width) role="img" aria-labelledby="sequence-title" {
                        title #sequence-title { "Sequence diagram of the login: " (hops.len()) " hops" }
                        defs {
                            marker #arrow viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse" {
                                path d="M 0 0 L 10 5 L 0 10 z" {}
                            }
                        }
                        @for lane in &lanes {
                            @let (name, h) = lane_label(*lane);
                            g.lane {
                                text.lane-name x=(x_of(*lane)) y="18" text-anchor="middle" { (t(&name)) }
                                @if let Some(h) = h {
                                    text.lane-host x=(x_of(*lane)) y="34" text-anchor="middle" { (t(&ellipsis(&h, 24))) }
                                }
                                line x1=(x_of(*lane)) x2=(x_of(*lane)) y1="42" y2=(height - 6.0) {}
                            }
                        }
                        @for (h, y) in hops.iter().zip(&ys) {
                            (hop(h, *y, x_of(Lane::Browser), x_of(h.lane), notes_x, analysis))
                        }
                        @if lost {
                            @let y = bottom + 10.0;
                            g.gap {
                                path d=(format!("M 20 {y} l 20 10 l 20 -10 l 20 10 l 20 -10 L {} {y}", notes_x - 20.0)) {}
                                text x=(notes_x) y=(y + 6.0) { "the capture ends here: no SAMLResponse came back" }
                                text x=(notes_x) y=(y + 24.0) { "(\"Preserve log\" off, or the login not finished)" }
                            }
                        }
                    }
                }
                @if total > MAX_HOPS {
                    p.more { "… and " (total - MAX_HOPS) " more hops, not drawn (limit " (MAX_HOPS) "); the table and JSON list them all." }
                }
            }
        }
    }
}

fn hop(h: &Hop, y: f64, from: f64, to: f64, notes_x: f64, analysis: &Analysis) -> Markup {
    let error = h.row.failed
        || h.row.status.is_some_and(|s| s >= 400)
        || h.findings.iter().any(|(_, s)| *s == Severity::Error);
    let class = if error { "hop error" } else { "hop" };
    // Characters of the request line that fit above the arrow (at most 9.5 px each: bold
    // wide letters and CJK included, so the label never runs past its arrow).
    let fits = (((to - from - 12.0) / 9.5) as usize).max(16);
    let target = h.row.url.split_once("://").map_or(h.row.url.as_str(), |(_, r)| r);
    let target = target.split(['?', '#']).next().unwrap_or_default();
    let request = format!("{} {}", h.row.method, target);
    let mut outcome = Vec::new();
    if let Some(s) = h.row.status {
        outcome.push(format!("HTTP {s}"));
    }
    if let Some(o) = h.offset {
        outcome.push(format!("{o:+.1} s"));
    }
    let rules: Vec<&(usize, Severity)> = h.findings.iter().take(MAX_LABELS).collect();
    let full = [
        Some(request.clone()),
        Some(outcome.join(" · ")),
        h.row.message.clone(),
        h.row.note.clone(),
    ]
    .into_iter()
    .flatten()
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    .join("\n");
    html! {
        g class=(class) {
            title { (t(&full)) }
            text.request x=(from + 6.0) y=(y - 8.0) { (t(&ellipsis(&request, fits))) }
            line x1=(from) x2=(to) y1=(y) y2=(y) marker-end="url(#arrow)" {}
            text.outcome x=(from + 6.0) y=(y + LINE + 2.0) { (t(&outcome.join(" · "))) }
            @for (k, m) in h.row.message_indices.iter().take(MAX_LABELS).enumerate() {
                @if let Some(msg) = analysis.messages.get(*m) {
                    a href=(message_anchor(*m)) {
                        text.message x=(notes_x) y=(y - 8.0 + LINE * k as f64) {
                            "#" (m + 1) " " (format!("{:?}", msg.kind()))
                        }
                    }
                }
            }
            @let below = h.row.message_indices.len().min(MAX_LABELS);
            @if let Some(note) = &h.row.note {
                text.note x=(notes_x) y=(y - 8.0 + LINE * below as f64) { (t(&ellipsis(note, 48))) }
            }
            @let after = below + usize::from(h.row.note.is_some());
            @for (k, (f, sev)) in rules.iter().enumerate() {
                a href=(finding_anchor(*f)) {
                    text class=(if *sev == Severity::Error { "finding error" } else { "finding" }) x=(notes_x) y=(y - 8.0 + LINE * (after + k) as f64) {
                        "⚠ " (analysis.findings[*f].rule)
                    }
                }
            }
            @if h.findings.len() > MAX_LABELS {
                text.finding x=(notes_x) y=(y - 8.0 + LINE * (after + MAX_LABELS) as f64) {
                    "… and " (h.findings.len() - MAX_LABELS) " more findings"
                }
            }
        }
    }
}

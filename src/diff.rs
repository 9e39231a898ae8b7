//! `samlscope diff GOOD BAD`: what differs between a login that works and one that fails,
//! in what matters for a login, most relevant first — the differences that explain a finding
//! of the failing side on top, each linked to it. Built from the two analyses' facts; values
//! that always differ (IDs, instants, signature values) are never compared.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::analysis::{Analysis, AnalyzedMessage};
use crate::config::Config;
use crate::saml::time::{human_duration, Instant};
use crate::saml::MessageKind;

/// One fact of a message: what it is, its value, and the rules a difference in it explains.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Fact {
    key: String,
    value: String,
}

/// One difference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Difference {
    /// What differs (`audience`, `attribute roles`, `signing certificate`, `hop`…).
    pub fact: String,
    /// Where: `Response #1` (the kind and its rank among the messages of that kind).
    pub place: String,
    /// The value in the working login (`None`: absent there).
    pub good: Option<String>,
    /// The value in the failing login.
    pub bad: Option<String>,
    /// Findings of the failing side this difference explains.
    pub explains: Vec<String>,
}

/// The differences, most relevant first.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Diff {
    /// The differences.
    pub differences: Vec<Difference>,
    /// Rules that fire on the failing side only.
    pub new_findings: Vec<String>,
    /// Rules that fire on the working side only.
    pub gone_findings: Vec<String>,
}

/// The facts of one message, in a stable order.
fn facts(config: &Config, requests: &[String], m: &AnalyzedMessage) -> Vec<Fact> {
    let mut out = Vec::new();
    let mut push = |key: &str, value: Option<String>| {
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            out.push(Fact { key: key.to_string(), value });
        }
    };
    push("binding", Some(format!("{:?}", m.captured.binding).to_lowercase()));
    let Some(msg) = &m.message else {
        push("parse error", m.xml_error.as_ref().map(|e| e.message.clone()));
        return out;
    };
    push("issuer", msg.issuer.clone());
    push("destination", msg.destination.clone());
    if msg.kind == MessageKind::Response {
        // The ID itself always differs; whether it answers the captured request does not.
        let answers = match &msg.in_response_to {
            None => "no AuthnRequest (IdP-initiated)",
            Some(id) if requests.contains(id) => "the captured AuthnRequest",
            Some(_) if requests.is_empty() => "an AuthnRequest not in the capture",
            Some(_) => "another AuthnRequest than the captured one",
        };
        push("InResponseTo", Some(answers.to_string()));
    }
    push("relay state", m.captured.relay_state.as_ref().map(|_| "present".to_string()));
    if let Some(r) = &msg.request {
        push("requested ACS URL", r.acs_url.clone());
        push("requested binding", r.protocol_binding.clone());
        push("NameID policy", r.name_id_policy_format.clone());
        push("ForceAuthn", r.force_authn.map(|b| b.to_string()));
        push("IsPassive", r.is_passive.map(|b| b.to_string()));
    }
    if let Some(s) = &msg.status {
        let words: Vec<&str> = [&s.code, &s.second_code, &s.message]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect();
        push("status", Some(words.join(" / ")));
    }
    if msg.kind.carries_assertions() {
        let readable = m.consumed_assertion().is_some();
        let state = match (readable, m.decryptions.iter().any(|d| d.outcome.is_ok())) {
            (true, true) => "decrypted",
            (true, false) => "readable",
            (false, _) if !m.decryptions.is_empty() => "encrypted, not decrypted",
            (false, _) => "none",
        };
        push("assertion", Some(state.into()));
    }
    if let Some(x) = m.consumed_assertion() {
        push("assertion issuer", x.issuer.clone());
        push("NameID", x.name_id.as_ref().map(|n| n.value.clone()));
        push("NameID format", x.name_id.as_ref().and_then(|n| n.format.clone()));
        push("audience", x.conditions.as_ref().map(|c| c.audiences.join(", ")));
        push("recipient", x.confirmations.first().and_then(|c| c.recipient.clone()));
        let window = x.conditions.as_ref().and_then(|c| {
            let from = Instant::parse(c.not_before.as_deref()?).ok()?;
            let to = Instant::parse(c.not_on_or_after.as_deref()?).ok()?;
            Some(human_duration(from.micros_until(to)))
        });
        push("validity", window);
        let offset =
            x.issue_instant.as_deref().and_then(|i| Instant::parse(i).ok()).and_then(|issued| {
                let used = m.evaluation_time(config)?;
                // Minutes only: seconds always differ between two captures.
                let minutes = issued.micros_until(used) / 60_000_000;
                Some(format!("used {} after issue", human_duration(minutes * 60_000_000)))
            });
        push("clock offset", offset);
        for at in &x.attributes {
            push(&format!("attribute {}", at.name), Some(at.values.join(", ")));
        }
    }
    let mut signed: Vec<String> = Vec::new();
    for v in &m.verdicts {
        let covers = crate::report::json::covers(m, v).unwrap_or_else(|| "?".into());
        signed.push(format!("{covers} ({})", v.status.as_str()));
        push(&format!("{covers} signature method"), v.signature_method.clone());
        push(&format!("{covers} digest method"), v.digest_method.clone());
        push(&format!("{covers} canonicalization"), v.c14n.clone());
        let cert = v.verified_by.as_ref().map(|(c, _)| c).or(v.embedded.as_ref());
        push(
            &format!("{covers} signing certificate"),
            cert.map(|c| {
                let until = c.not_after.map(|t| format!(", valid until {t}")).unwrap_or_default();
                format!("sha256 {}{until}", c.sha256)
            }),
        );
    }
    if let Some(r) = &m.redirect {
        signed.push(format!("query string ({})", r.status.as_str()));
        push("query signature method", Some(r.sig_alg.clone()));
    }
    push("signed", Some(if signed.is_empty() { "nothing".into() } else { signed.join(", ") }));
    out
}

/// Facts read from the consumed assertion.
const ASSERTION_CONTENT: [&str; 8] = [
    "assertion issuer",
    "NameID",
    "NameID format",
    "audience",
    "recipient",
    "validity",
    "clock offset",
    "Assertion signing certificate",
];

/// The rules a difference in `key` explains.
fn explained_by(key: &str) -> &'static [&'static str] {
    match key {
        "audience" => &["audience-mismatch", "sso-config-mixed"],
        "destination" => &["destination-mismatch", "sso-url-mismatch", "sso-config-mixed"],
        "recipient" => &["recipient-mismatch", "sso-config-mixed"],
        "issuer" | "assertion issuer" => &["issuer-mismatch"],
        "requested ACS URL" => &["acs-url-mismatch"],
        "NameID" => &["nameid-missing", "comment-injection"],
        "NameID format" => &["nameid-format"],
        "status" => &["status-error"],
        "assertion" => &[
            "encrypted-assertion",
            "decryption-failed",
            "encryption-key-mismatch",
            "assertion-missing",
            "status-error",
        ],
        "relay state" => &["relay-state-dropped"],
        "InResponseTo" => &["in-response-to-mismatch"],
        "message" | "hop" => &[
            "no-saml-messages",
            "capture-incomplete",
            "profile-access-denied",
            "idp-error",
            "request-signature-required",
        ],
        "validity" | "clock offset" => &["assertion-expired", "assertion-not-yet-valid"],
        "signed" => &["unsigned", "signature-invalid", "signature-wrapping", "cert-mismatch"],
        "attribute roles" => &["roles-missing", "roles-invalid"],
        "attribute full_name" => &["full-name-missing"],
        "attribute email" => &["email-missing"],
        k if k.ends_with("signing certificate") => {
            &["cert-mismatch", "cert-expired", "signature-invalid", "keyinfo-mismatch"]
        }
        k if k.ends_with("method") => {
            &["weak-algorithm", "algorithm-nonstandard", "signature-invalid"]
        }
        k if k.ends_with("canonicalization") => &["signature-invalid", "comment-injection"],
        k if k.starts_with("attribute ") => {
            &["attribute-namespaced", "roles-missing", "full-name-missing", "email-missing"]
        }
        _ => &[],
    }
}

/// The failing side's findings (by rule and message) that a difference in `key` explains,
/// among those whose message `at` accepts.
fn rules_for(
    bad_rules: &[(String, Option<usize>)],
    key: &str,
    at: impl Fn(Option<usize>) -> bool,
) -> Vec<String> {
    let mut out: Vec<String> = bad_rules
        .iter()
        .filter(|(r, i)| at(*i) && explained_by(key).contains(&r.as_str()))
        .map(|(r, _)| r.clone())
        .collect();
    out.dedup();
    out
}

/// The failing side's findings about the capture as a whole that a difference in `key`
/// explains.
fn capture_rules(bad_rules: &[(String, Option<usize>)], key: &str) -> Vec<String> {
    rules_for(bad_rules, key, |at| at.is_none())
}

/// Messages of each kind, in order.
fn by_kind(a: &Analysis) -> BTreeMap<String, Vec<&AnalyzedMessage>> {
    let mut out: BTreeMap<String, Vec<&AnalyzedMessage>> = BTreeMap::new();
    for m in &a.messages {
        let kind = match m.kind() {
            MessageKind::Unknown => "Unknown".to_string(),
            k => format!("{k:?}"),
        };
        out.entry(kind).or_default().push(m);
    }
    out
}

/// The HTTP hops that matter for a login (those that carry a SAML message or fail, static
/// assets aside), as `METHOD host/path` → the statuses it got.
fn hops(a: &Analysis) -> Vec<(String, String)> {
    let asset = |p: &str| {
        [".ico", ".css", ".js", ".png", ".svg", ".woff", ".woff2", ".jpg", ".gif", ".map"]
            .iter()
            .any(|e| p.ends_with(e))
    };
    let mut out: Vec<(String, String)> = Vec::new();
    let mut at: HashMap<String, usize> = HashMap::new();
    for s in &a.steps {
        let url = s.source.url.as_deref().unwrap_or_default();
        let host_path = url.split_once("://").map_or(url, |(_, r)| r);
        if asset(host_path) || (s.messages.is_empty() && s.status.is_none_or(|c| c < 400)) {
            continue;
        }
        let key = format!("{} {host_path}", s.method);
        let mut status = s.status.map_or("no response".to_string(), |c| c.to_string());
        if !s.messages.is_empty() && s.method.eq_ignore_ascii_case("POST") {
            // A session cookie the browser stopped sending with the cross-site POST to the ACS
            // (SameSite) breaks SP-initiated logins.
            let mut names = s.cookies.clone();
            names.sort();
            names.dedup();
            let names = if names.is_empty() { "none".to_string() } else { names.join(" ") };
            status.push_str(&format!(" (cookies: {names})"));
        }
        match at.get(&key) {
            Some(&i) => {
                let v = &mut out[i].1;
                if !v.split(", ").any(|x| x == status) {
                    v.push_str(&format!(", {status}"));
                }
            }
            None => {
                at.insert(key.clone(), out.len());
                out.push((key, status));
            }
        }
    }
    out
}

/// Compares a working analysis with a failing one (both made with `config`).
pub fn diff(good: &Analysis, bad: &Analysis, config: &Config) -> Diff {
    let requests = |a: &Analysis| -> Vec<String> {
        a.messages
            .iter()
            .filter(|m| m.kind() == MessageKind::AuthnRequest)
            .filter_map(|m| m.message.as_ref()?.id.clone())
            .collect()
    };
    let (good_requests, bad_requests) = (requests(good), requests(bad));
    let bad_rules: Vec<(String, Option<usize>)> =
        bad.findings.iter().map(|f| (f.rule.to_string(), f.message_index)).collect();
    let mut differences = Vec::new();
    let (g, b) = (by_kind(good), by_kind(bad));
    let kinds: std::collections::BTreeSet<&String> = g.keys().chain(b.keys()).collect();
    for kind in kinds {
        let (gs, bs) =
            (g.get(kind).cloned().unwrap_or_default(), b.get(kind).cloned().unwrap_or_default());
        for i in 0..gs.len().max(bs.len()) {
            let place = format!("{kind} #{}", i + 1);
            let (gm, bm) = (gs.get(i), bs.get(i));
            let (gf, bf) = (
                gm.map(|m| facts(config, &good_requests, m)).unwrap_or_default(),
                bm.map(|m| facts(config, &bad_requests, m)).unwrap_or_default(),
            );
            if gm.is_none() || bm.is_none() {
                differences.push(Difference {
                    fact: "message".into(),
                    place: place.clone(),
                    good: gm.map(|_| "present".into()),
                    bad: bm.map(|_| "present".into()),
                    explains: capture_rules(&bad_rules, "message"),
                });
                continue;
            }
            let index = bm.map(|m| m.index);
            let explains = |key: &str| rules_for(&bad_rules, key, |at| at.is_none() || at == index);
            // Each side's facts by key (the first of a key wins), and every key once, in order.
            let index = |fs: &'_ [Fact]| -> HashMap<String, String> {
                let mut m = HashMap::new();
                for f in fs {
                    m.entry(f.key.clone()).or_insert_with(|| f.value.clone());
                }
                m
            };
            let (gi, bi) = (index(&gf), index(&bf));
            let mut seen = std::collections::HashSet::new();
            let keys: Vec<&String> =
                gf.iter().chain(&bf).map(|f| &f.key).filter(|k| seen.insert(*k)).collect();
            let value = |m: &HashMap<String, String>, key: &str| m.get(key).cloned();
            // Consequences are not differences of their own: an assertion that cannot be read
            // has no NameID, audience or attributes; a missing NameID has no format.
            let assertion_differs = value(&gi, "assertion") != value(&bi, "assertion");
            let nameid_gone = value(&bi, "NameID").is_none() && value(&gi, "NameID").is_some();
            for key in keys {
                let content =
                    ASSERTION_CONTENT.contains(&key.as_str()) || key.starts_with("attribute ");
                if (assertion_differs && content) || (nameid_gone && key == "NameID format") {
                    continue;
                }
                let gv = value(&gi, key);
                let bv = value(&bi, key);
                // A signature's details are compared where both sides have that signature;
                // one that is gone, or that no key verifies, shows in `signed`.
                let detail = [
                    "signature method",
                    "digest method",
                    "canonicalization",
                    "signing certificate",
                ]
                .iter()
                .any(|d| key.ends_with(d));
                if detail && (gv.is_none() || bv.is_none()) {
                    continue;
                }
                if gv != bv {
                    differences.push(Difference {
                        fact: key.clone(),
                        place: place.clone(),
                        good: gv,
                        bad: bv,
                        explains: explains(key),
                    });
                }
            }
        }
    }
    let (gh, bh) = (hops(good), hops(bad));
    let good_hops: HashMap<&String, &String> = gh.iter().map(|(k, v)| (k, v)).collect();
    let bad_hops: HashMap<&String, &String> = bh.iter().map(|(k, v)| (k, v)).collect();
    let hop_rules = capture_rules(&bad_rules, "hop");
    for (key, status) in &bh {
        let g = good_hops.get(key).map(|s| (*s).clone());
        if g.as_ref() != Some(status) {
            differences.push(Difference {
                fact: format!("hop {key}"),
                place: "capture".into(),
                good: g,
                bad: Some(status.clone()),
                explains: hop_rules.clone(),
            });
        }
    }
    for (key, status) in gh.iter().filter(|(k, _)| !bad_hops.contains_key(k)) {
        differences.push(Difference {
            fact: format!("hop {key}"),
            place: "capture".into(),
            good: Some(status.clone()),
            bad: None,
            explains: hop_rules.clone(),
        });
    }
    // Most relevant first: what explains a finding, in the order of the failing side's
    // findings; then the rest in message order.
    let rank = |d: &Difference| {
        d.explains
            .iter()
            .filter_map(|r| bad_rules.iter().position(|(x, _)| x == r))
            .min()
            .unwrap_or(usize::MAX)
    };
    differences.sort_by_key(|d| rank(d));
    let names = |a: &Analysis| -> Vec<String> {
        let mut v: Vec<String> = a.findings.iter().map(|f| f.rule.to_string()).collect();
        v.sort();
        v.dedup();
        v
    };
    let (gn, bn) = (names(good), names(bad));
    Diff {
        differences,
        new_findings: bn.iter().filter(|r| !gn.contains(r)).cloned().collect(),
        gone_findings: gn.iter().filter(|r| !bn.contains(r)).cloned().collect(),
    }
}

impl Diff {
    /// Whether anything relevant differs.
    pub fn is_empty(&self) -> bool {
        self.differences.is_empty() && self.new_findings.is_empty()
    }

    /// One line per difference: `audience differs (Response #1): good `a`, bad `b` → rule`.
    pub fn lines(&self) -> Vec<String> {
        self.differences
            .iter()
            .map(|d| {
                let v = |x: &Option<String>| {
                    x.as_deref().map_or("(absent)".to_string(), |s| {
                        format!("`{}`", crate::report::one_line(s))
                    })
                };
                let arrow = if d.explains.is_empty() {
                    String::new()
                } else {
                    format!(" → {}", d.explains.join(", "))
                };
                format!(
                    "{} differs ({}): good {}, bad {}{arrow}",
                    d.fact,
                    d.place,
                    v(&d.good),
                    v(&d.bad)
                )
            })
            .collect()
    }

    /// The table report.
    pub fn render_text(&self) -> String {
        let mut out = String::new();
        if self.is_empty() {
            out.push_str("Nothing relevant differs between the two logins.\n");
            return out;
        }
        let linked = self.differences.iter().filter(|d| !d.explains.is_empty()).count();
        out.push_str(&format!(
            "{} difference{} ({linked} explain{} findings of the failing login)\n",
            self.differences.len(),
            if self.differences.len() == 1 { "" } else { "s" },
            if linked == 1 { "s" } else { "" }
        ));
        if !self.new_findings.is_empty() {
            out.push_str(&format!(
                "Only the failing login has: {}\n",
                self.new_findings.join(", ")
            ));
        }
        if !self.gone_findings.is_empty() {
            out.push_str(&format!(
                "Only the working login has: {}\n",
                self.gone_findings.join(", ")
            ));
        }
        out.push('\n');
        for l in self.lines() {
            out.push_str(&crate::report::printable(&l));
            out.push('\n');
        }
        out
    }

    /// The Markdown report.
    pub fn render_markdown(&self) -> String {
        let mut out = String::from(
            "# What differs between the working and the failing login (samlscope)\n\n",
        );
        if self.is_empty() {
            out.push_str("Nothing relevant differs.\n");
            return out;
        }
        if !self.new_findings.is_empty() {
            out.push_str(&format!(
                "Only the failing login has: {}.\n\n",
                self.new_findings.iter().map(|r| format!("`{r}`")).collect::<Vec<_>>().join(", ")
            ));
        }
        for l in self.lines() {
            out.push_str(&format!("- {}\n", crate::report::printable(&l)));
        }
        out
    }

    /// The JSON report.
    pub fn render_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self)
            .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
        s.push('\n');
        s
    }
}

//! Rendering an [`Analysis`]: one renderer per format, plus the pretty-printer of `decode`.

pub mod html;
pub mod json;
pub mod markdown;
pub mod pretty;
pub mod table;

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::analysis::{Analysis, AnalyzedMessage};
use crate::dsig::algorithms::short_name;
use crate::rules::{Finding, Severity};

/// Finding counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Messages found.
    pub messages: usize,
    /// Error findings.
    pub errors: usize,
    /// Warning findings.
    pub warnings: usize,
    /// Info findings.
    pub infos: usize,
}

impl Summary {
    /// Counts `analysis`.
    pub fn of(analysis: &Analysis) -> Summary {
        let count = |s| analysis.findings.iter().filter(|f| f.severity == s).count();
        Summary {
            messages: analysis.messages.len(),
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            infos: count(Severity::Info),
        }
    }

    /// `1 message, 2 errors, 0 warnings`.
    pub fn line(&self) -> String {
        let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
        format!(
            "{}, {}, {}, {}",
            plural(self.messages, "message"),
            plural(self.errors, "error"),
            plural(self.warnings, "warning"),
            plural(self.infos, "info")
        )
    }
}

/// Attribute rows shown per assertion; the rules still read every attribute.
const MAX_ATTRIBUTE_ROWS: usize = 100;

/// The facts shown for one message, as `(label, value)` rows, shared by table and Markdown.
pub fn message_facts(m: &AnalyzedMessage) -> Vec<(&'static str, String)> {
    let mut rows = Vec::new();
    let src = &m.captured.source;
    let mut from = src.input.clone();
    if let Some(e) = src.entry {
        from.push_str(&format!(", {} {}", src.capture.unwrap_or("entry"), e + 1));
    }
    rows.push(("Source", from));
    if let Some(u) = &src.url {
        rows.push(("URL", u.clone()));
    }
    if let Some(t) = &src.time {
        rows.push(("Captured", t.clone()));
    }
    let wrappers = m.message.iter().flat_map(|x| x.wrappers.iter().map(|w| w.label().to_string()));
    let mut layers: Vec<String> = m.captured.layers.iter().cloned().chain(wrappers).collect();
    layers.dedup();
    rows.push(("Decoded", layers.join(" → ")));
    for (label, v) in [("RelayState", &m.captured.relay_state), ("SigAlg", &m.captured.sig_alg)] {
        if let Some(v) = v {
            rows.push((label, v.clone()));
        }
    }
    let Some(msg) = &m.message else { return rows };
    if msg.kind == crate::saml::MessageKind::Unknown {
        rows.push(("Element", msg.name.clone()));
    }
    for (label, v) in [
        ("ID", &msg.id),
        ("Issuer", &msg.issuer),
        ("Destination", &msg.destination),
        ("InResponseTo", &msg.in_response_to),
        ("IssueInstant", &msg.issue_instant),
    ] {
        if let Some(v) = v {
            rows.push((label, v.clone()));
        }
    }
    if let Some(r) = &msg.request {
        if let Some(acs) = &r.acs_url {
            rows.push(("ACS URL", acs.clone()));
        }
        if let Some(b) = &r.protocol_binding {
            rows.push(("Binding", b.clone()));
        }
        let mut policy: Vec<String> = r.name_id_policy_format.iter().cloned().collect();
        if let Some(c) = r.name_id_policy_allow_create {
            policy.push(format!("AllowCreate={c}"));
        }
        if !policy.is_empty() {
            rows.push(("NameIDPolicy", policy.join(", ")));
        }
        let flags: Vec<&str> = [(r.force_authn, "ForceAuthn"), (r.is_passive, "IsPassive")]
            .into_iter()
            .filter(|(v, _)| *v == Some(true))
            .map(|(_, n)| n)
            .collect();
        if !flags.is_empty() {
            rows.push(("Requests", flags.join(", ")));
        }
        if let Some(c) = &r.requested_authn_context {
            let cmp = c.comparison.as_deref().unwrap_or("exact");
            rows.push(("AuthnContext", format!("{cmp}: {}", c.refs.join(", "))));
        }
    }
    if let Some(s) = &msg.status {
        let parts: Vec<String> = [&s.code, &s.second_code, &s.message]
            .into_iter()
            .flatten()
            .map(|c| c.rsplit(':').next().unwrap_or(c).to_string())
            .collect();
        rows.push(("Status", parts.join(" / ")));
    }
    for (i, a) in msg.assertions.iter().enumerate() {
        let consumed = if m.trust.consumed == Some(a.element) {
            " (what a service provider reads)"
        } else {
            ""
        };
        rows.push(("Assertion", format!("{}{consumed}", a.id.as_deref().unwrap_or("(no ID)"))));
        let coverage =
            m.trust.coverage.get(i).copied().unwrap_or(crate::trust::Coverage::Uncovered);
        rows.push(("Trust", coverage.describe().to_string()));
        if let Some(n) = &a.name_id {
            rows.push(("NameID", n.value.clone()));
        }
        if let Some(c) = &a.conditions {
            rows.push(("Audience", c.audiences.join(", ")));
            let window = format!(
                "{} … {}",
                c.not_before.as_deref().unwrap_or("-"),
                c.not_on_or_after.as_deref().unwrap_or("-")
            );
            rows.push(("Valid", window));
        }
        if let Some(r) = a.confirmations.iter().find_map(|c| c.recipient.clone()) {
            rows.push(("Recipient", r));
        }
        for at in a.attributes.iter().take(MAX_ATTRIBUTE_ROWS) {
            let friendly = at.friendly_name.as_ref().map(|f| format!(" ({f})")).unwrap_or_default();
            rows.push(("Attribute", format!("{}{friendly} = {}", at.name, at.values.join(" | "))));
        }
        if a.attributes.len() > MAX_ATTRIBUTE_ROWS {
            let more = a.attributes.len() - MAX_ATTRIBUTE_ROWS;
            rows.push(("Attribute", format!("… and {more} more (not shown)")));
        }
    }
    if msg.unread_assertions > 0 {
        rows.push((
            "Assertion",
            format!(
                "… and {} more (not read: limit {})",
                msg.unread_assertions,
                crate::saml::MAX_ASSERTIONS
            ),
        ));
    }
    for d in &m.decryptions {
        let algs: Vec<&str> = [&d.algorithms.0, &d.algorithms.1]
            .into_iter()
            .flatten()
            .map(|u| crate::xmlenc::short_name(u))
            .collect();
        let line = match &d.outcome {
            Ok(x) => {
                let id = msg
                    .assertions
                    .iter()
                    .find(|a| Some(a.element) == d.element)
                    .and_then(|a| a.id.as_deref())
                    .map_or_else(|| "the assertion above".into(), |id| format!("assertion {id}"));
                format!("{id}, decrypted with {} ({})", x.key, algs.join(", "))
            }
            Err(e) => format!("EncryptedAssertion ({}): {e}", algs.join(", ")),
        };
        rows.push(("Encrypted", line));
    }
    for v in m.verdicts.iter().take(crate::dsig::MAX_SIGNATURES) {
        let covers = json::covers(m, v).unwrap_or_else(|| "?".into());
        let algs: Vec<&str> = [&v.signature_method, &v.digest_method, &v.c14n]
            .into_iter()
            .flatten()
            .map(|u| short_name(u))
            .collect();
        let mut line = format!("{} over {covers} ({})", v.status.as_str(), algs.join(", "));
        if let Some((cert, _)) = &v.verified_by {
            line.push_str(&format!("; key sha256 {}", &cert.sha256[..16.min(cert.sha256.len())]));
        }
        if let Some(r) = &v.reason {
            line.push_str(&format!("; {r}"));
        }
        rows.push(("Signature", line));
    }
    if let Some(r) = &m.redirect {
        let mut line =
            format!("{} over the query string ({})", r.status.as_str(), short_name(&r.sig_alg));
        if let Some(cert) = &r.verified_by {
            line.push_str(&format!("; key sha256 {}", &cert.sha256[..16.min(cert.sha256.len())]));
        }
        if let Some(reason) = &r.reason {
            line.push_str(&format!("; {reason}"));
        }
        rows.push(("Signature", line));
    }
    if m.verdicts.len() > crate::dsig::MAX_SIGNATURES {
        let more = m.verdicts.len() - crate::dsig::MAX_SIGNATURES;
        rows.push(("Signature", format!("… and {more} more (not verified: limit)")));
    }
    rows.into_iter().map(|(l, v)| (l, crate::rules::bounded(v))).collect()
}

/// Each message's findings, by message index, in report order: one pass over the findings, so
/// that a renderer walking the messages does not scan every finding for each one.
pub fn findings_by_message(analysis: &Analysis) -> Vec<Vec<&Finding>> {
    // A message's index is its position: `analyze` numbers them so.
    debug_assert!(analysis.messages.iter().enumerate().all(|(i, m)| m.index == i));
    let mut by = vec![Vec::new(); analysis.messages.len()];
    for f in &analysis.findings {
        if let Some(list) = f.message_index.and_then(|m| by.get_mut(m)) {
            list.push(f);
        }
    }
    by
}

/// The title of a message: `0 · Response (post)`.
pub fn message_title(m: &AnalyzedMessage) -> String {
    let binding = match m.captured.binding {
        crate::input::Binding::Redirect => "redirect",
        crate::input::Binding::Post => "post",
        crate::input::Binding::Unknown => "unknown binding",
    };
    format!("Message {} · {:?} ({binding})", m.index + 1, m.kind())
}

/// The one-word verdict of a report (JSON `verdict`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// At least one error: the login fails (or must not be trusted).
    Fails,
    /// No error, but an important check could not run: the verdict line says which.
    NotChecked,
    /// No error in what was checked, and the important checks ran.
    Ok,
}

/// The verdict in parts, for renderers that lay them out (the HTML banner keeps capture text
/// out of its headline and never cuts the list of what was not checked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerdictParts {
    /// The one-word verdict.
    pub verdict: Verdict,
    /// `The login fails: 2 errors`, `No problem found in what was checked`: no capture text.
    pub headline: String,
    /// The first error: its rule and its message (which may quote capture values).
    pub first: Option<(&'static str, String)>,
    /// The important checks that could not run, each with the flag that enables it.
    pub not_checked: Vec<String>,
}

/// The verdict and its parts (see [`verdict`] for the one-line form).
pub fn verdict_parts(analysis: &Analysis) -> VerdictParts {
    let s = Summary::of(analysis);
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    let not_checked = not_checked(analysis);
    if s.errors > 0 {
        let first = analysis.findings.iter().find(|f| f.severity == Severity::Error);
        return VerdictParts {
            verdict: Verdict::Fails,
            headline: format!("The login fails: {}", plural(s.errors, "error")),
            first: first.map(|f| (f.rule, f.message.clone())),
            not_checked,
        };
    }
    let warnings = if s.warnings > 0 {
        format!(" ({} to read)", plural(s.warnings, "warning"))
    } else {
        String::new()
    };
    let (verdict, headline) = if analysis.messages.is_empty() || !not_checked.is_empty() {
        (Verdict::NotChecked, format!("No error found in what was checked{warnings}"))
    } else {
        (Verdict::Ok, format!("No problem found in what was checked{warnings}"))
    };
    VerdictParts { verdict, headline, first: None, not_checked }
}

/// The verdict, and the line that opens every report: what happened, and what was not
/// checked for lack of configuration (so "0 errors" never hides a skipped signature check).
pub fn verdict(analysis: &Analysis) -> (Verdict, String) {
    let p = verdict_parts(analysis);
    let what = p.first.map(|(rule, m)| format!(" (first: {rule}, {m})")).unwrap_or_default();
    let not = if p.not_checked.is_empty() {
        String::new()
    } else {
        format!("; not checked: {}", p.not_checked.join(", "))
    };
    let line = format!("{}{what}{not}.", p.headline);
    (p.verdict, if p.verdict == Verdict::Fails { crate::rules::bounded(line) } else { line })
}

/// The important checks that could not run, each with the flag that enables it.
fn not_checked(analysis: &Analysis) -> Vec<String> {
    let signed = analysis.messages.iter().any(|m| !m.verdicts.is_empty());
    let mut out = Vec::new();
    if analysis.certificates.is_empty() && signed {
        out.push(
            "the signature against your certificate (give --cert or --idp-metadata)".to_string(),
        );
    }
    let skipped = |rule: &str| analysis.skipped.iter().any(|s| s.rule == rule);
    if skipped("audience-mismatch") {
        out.push(
            "the audience (give --entity-id, or --flex-connection / --flex-account)".to_string(),
        );
    }
    if skipped("destination-mismatch") {
        out.push(
            "the destination and recipient (give --acs-url, or --flex-connection / --flex-account)"
                .to_string(),
        );
    }
    if skipped("assertion-expired") {
        out.push("the validity window (give --at)".to_string());
    }
    if analysis.messages.iter().any(|m| m.captured.pseudonymized) {
        out.push(
            "the signatures (the capture was pseudonymized by samlscope redact; check them on the original)"
                .to_string(),
        );
    }
    if let Some(flag) =
        analysis.messages.iter().find_map(|m| m.redirect.as_ref().and_then(|r| r.needs))
    {
        out.push(format!("the Redirect binding's signature (give {flag})"));
    }
    if skipped("decryption-failed") {
        out.push("the encrypted assertion's content (give --sp-key)".to_string());
    }
    out
}

/// The login at a glance, for the first screen: who, which IdP and SP, when, what the
/// AuthnRequest asked for, what came back, and what an IdP or SP page said.
pub fn triage_lines(analysis: &Analysis) -> Vec<String> {
    use crate::input::EvidenceKind;
    let msgs = || analysis.messages.iter().filter_map(|m| Some((m, m.message.as_ref()?)));
    let mut who = Vec::new();
    if let Some(n) = analysis.messages.iter().find_map(|m| m.consumed_assertion()?.name_id.as_ref())
    {
        who.push(format!("user {}", n.value));
    }
    if let Some(i) =
        msgs().find(|(_, x)| x.kind.carries_assertions()).and_then(|(_, x)| x.issuer.clone())
    {
        who.push(format!("IdP {i}"));
    }
    let sp = analysis
        .messages
        .iter()
        .find_map(|m| m.consumed_assertion()?.conditions.as_ref()?.audiences.first().cloned())
        .or_else(|| msgs().find_map(|(_, x)| x.request.as_ref().and(x.issuer.clone())));
    if let Some(sp) = sp {
        who.push(format!("SP {sp}"));
    }
    if let Some(t) = analysis.messages.iter().find_map(|m| m.captured.source.time.clone()) {
        who.push(format!("captured {t}"));
    }
    let mut lines = Vec::new();
    if !who.is_empty() {
        lines.push(format!("Login: {}", who.join(" · ")));
    }
    let mut exchange = Vec::new();
    if let Some(r) = msgs().find_map(|(_, x)| x.request.as_ref()) {
        let binding = r.protocol_binding.as_deref().map(short_binding).unwrap_or("no binding");
        exchange.push(format!(
            "asked for ACS {} ({binding})",
            r.acs_url.as_deref().unwrap_or("(none: the IdP's configured one)")
        ));
    }
    if let Some(st) = msgs().find_map(|(_, x)| x.status.as_ref()) {
        let parts: Vec<&str> = [&st.code, &st.second_code]
            .into_iter()
            .flatten()
            .map(|c| c.rsplit(':').next().unwrap_or(c))
            .collect();
        let said = st.message.as_ref().map(|m| format!(" \"{m}\"")).unwrap_or_default();
        exchange.push(format!("answer {}{said}", parts.join(" / ")));
    }
    if !exchange.is_empty() {
        lines.push(format!("Exchange: {}", exchange.join(" · ")));
    }
    for e in &analysis.evidence {
        if let EvidenceKind::IdpPage { title, text } = &e.kind {
            let shown = text.clone().or_else(|| title.clone()).unwrap_or_default();
            let status = e.status.map(|s| format!(" (HTTP {s})")).unwrap_or_default();
            lines.push(format!("IdP page{status}: {shown}"));
            break;
        }
    }
    lines.into_iter().map(crate::rules::bounded).collect()
}

fn short_binding(uri: &str) -> &str {
    uri.rsplit(':').next().unwrap_or(uri)
}

/// `Profile: service provider Twilio Flex, IdP Okta (…why…)`.
pub fn profile_line(analysis: &Analysis) -> String {
    let p = &analysis.profile;
    let sp = match p.sp {
        crate::profile::Sp::Flex => "Twilio Flex",
        crate::profile::Sp::Generic => "any SAML service provider",
    };
    let why = if p.why.is_empty() { String::new() } else { format!(" ({})", p.why) };
    format!("Profile: service provider {sp}, IdP {}{why}", p.idp.name())
}

/// One line per configured certificate: subject, validity, key, fingerprint.
pub fn certificate_lines(certs: &[crate::dsig::Certificate]) -> Vec<String> {
    certs
        .iter()
        .map(|c| {
            let t = |i: Option<crate::saml::time::Instant>| {
                i.map(|x| x.to_string()).unwrap_or_else(|| "?".into())
            };
            format!(
                "{}; valid {} to {}; {}; sha256 {}",
                c.subject,
                t(c.not_before),
                t(c.not_after),
                c.key_description,
                c.sha256
            )
        })
        .collect()
}

/// One row of the login timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimelineRow {
    /// HAR entry index.
    pub entry: Option<usize>,
    /// Capture time.
    pub time: Option<String>,
    /// HTTP method.
    pub method: String,
    /// The URL (without its query: SAML values are long and reported per message).
    pub url: String,
    /// Response status.
    pub status: Option<i64>,
    /// The messages carried, with their full IDs: `#1 AuthnRequest _4f3c… (redirect)`.
    pub message: Option<String>,
    /// The same for people: IDs shortened to their first characters.
    #[serde(skip)]
    pub display: Option<String>,
    /// Indices of those messages.
    pub message_indices: Vec<usize>,
    /// What else this step shows (an IdP error page, stripped bodies).
    pub note: Option<String>,
    /// Where the step is, for linking findings to it.
    #[serde(skip)]
    pub source: crate::input::Source,
    /// Whether the note is evidence of a failure (an IdP error page, a rejected response).
    #[serde(skip)]
    pub failed: bool,
}

/// The steps of the captures that matter: those carrying a message or evidence, and
/// redirects and HTTP errors on the hosts the SAML messages travelled between.
pub fn timeline(analysis: &Analysis) -> Vec<TimelineRow> {
    use crate::input::EvidenceKind;
    let host = |u: &str| {
        u.split("://").nth(1).unwrap_or(u).split('/').next().unwrap_or_default().to_string()
    };
    let saml_hosts: BTreeSet<String> = analysis
        .steps
        .iter()
        .filter(|s| !s.messages.is_empty())
        .filter_map(|s| s.source.url.as_deref().map(host))
        .collect();
    // The first evidence of each step, by (input, entry): one lookup per step.
    let mut notes: BTreeMap<(&str, Option<usize>), &crate::input::Evidence> = BTreeMap::new();
    for e in &analysis.evidence {
        notes.entry((e.source.input.as_str(), e.source.entry)).or_insert(e);
    }
    let by_id = requests_by_id(analysis);
    let note_for = |s: &crate::input::Step| {
        notes.get(&(s.source.input.as_str(), s.source.entry)).map(|e| match &e.kind {
            EvidenceKind::IdpPage { title, text } => {
                format!("IdP page: {}", text.clone().or_else(|| title.clone()).unwrap_or_default())
            }
            EvidenceKind::AcsRejected => "the service provider rejected the response".to_string(),
            EvidenceKind::BodiesStripped { comment } => format!("bodies missing: {comment}"),
        })
    };
    analysis
        .steps
        .iter()
        .filter_map(|s| {
            let note = note_for(s);
            let url = s.source.url.clone().unwrap_or_default();
            let on_saml_host = saml_hosts.contains(&host(&url));
            let interesting = !s.messages.is_empty()
                || note.is_some()
                || (on_saml_host && s.status.is_some_and(|c| (300..400).contains(&c) || c >= 400));
            if !interesting {
                return None;
            }
            let describe = |short: bool| {
                let described: Vec<String> = s
                    .messages
                    .iter()
                    .filter_map(|i| analysis.messages.get(*i))
                    .map(|m| describe_message(&by_id, m, short))
                    .collect();
                (!described.is_empty()).then(|| described.join("; "))
            };
            Some(TimelineRow {
                entry: s.source.entry,
                time: s.source.time.clone(),
                method: s.method.clone(),
                url: url.clone(),
                status: s.status,
                message: describe(false),
                display: describe(true),
                message_indices: s.messages.clone(),
                note,
                source: s.source.clone(),
                failed: notes.get(&(s.source.input.as_str(), s.source.entry)).is_some_and(|e| {
                    matches!(e.kind, EvidenceKind::IdpPage { .. } | EvidenceKind::AcsRejected)
                }),
            })
        })
        .collect()
}

/// The messages of `analysis` by their `ID`, first one winning.
fn requests_by_id(analysis: &Analysis) -> BTreeMap<&str, usize> {
    let mut by_id = BTreeMap::new();
    for m in &analysis.messages {
        if let Some(id) = m.message.as_ref().and_then(|x| x.id.as_deref()) {
            by_id.entry(id).or_insert(m.index);
        }
    }
    by_id
}

/// `Response _abc (post), answers message 0`.
fn describe_message(by_id: &BTreeMap<&str, usize>, m: &AnalyzedMessage, short: bool) -> String {
    let binding = match m.captured.binding {
        crate::input::Binding::Redirect => "redirect",
        crate::input::Binding::Post => "post",
        crate::input::Binding::Unknown => "?",
    };
    let msg = m.message.as_ref();
    let id = msg
        .and_then(|x| x.id.as_deref())
        .map(|i| if short { short_id(i) } else { i.to_string() })
        .unwrap_or_default();
    let mut s = format!("#{} {:?} {id} ({binding})", m.index + 1, m.kind());
    if let Some(irt) = msg.and_then(|x| x.in_response_to.as_deref()) {
        match by_id.get(irt) {
            Some(r) => s.push_str(&format!(", answers #{}", r + 1)),
            None => s.push_str(", answers a request not in the capture"),
        }
    }
    s
}

/// IDs are long random strings: the first 12 characters identify them in a timeline.
fn short_id(id: &str) -> String {
    match id.char_indices().nth(12) {
        Some((i, _)) => format!("{}…", &id[..i]),
        None => id.to_string(),
    }
}

/// [`printable`] for a value that must stay on one line (a URL, an HTTP method, a time): a
/// line break in it is shown as an escape too, so it cannot start a line of its own.
pub fn one_line(s: &str) -> String {
    printable(s).replace('\n', "\\u{a}").replace('\t', "\\u{9}")
}

/// Characters that show nothing or reorder what follows: Unicode format characters
/// (General_Category Cf: zero-width spaces and joiners, bidi controls, word joiners, the BOM,
/// the soft hyphen, tag characters), every Default_Ignorable_Code_Point (Hangul fillers,
/// variation selectors, the rest of plane 14), line and paragraph separators, the object
/// replacement character and the blank Braille pattern, which renders as a wide space. Left as
/// they are, `https://sp.example.com` and the same URL with a U+200B in it would look equal in
/// a finding's observed and expected values.
fn invisible(c: char) -> bool {
    matches!(
        c,
        '\u{ad}'
            | '\u{34f}'
            | '\u{600}'..='\u{605}'
            | '\u{61c}'
            | '\u{6dd}'
            | '\u{70f}'
            | '\u{890}'..='\u{891}'
            | '\u{8e2}'
            | '\u{115f}'..='\u{1160}'
            | '\u{17b4}'..='\u{17b5}'
            | '\u{180b}'..='\u{180f}'
            | '\u{200b}'..='\u{200f}'
            | '\u{2028}'..='\u{202e}'
            | '\u{2060}'..='\u{206f}'
            | '\u{2800}'
            | '\u{3164}'
            | '\u{fe00}'..='\u{fe0f}'
            | '\u{feff}'
            | '\u{ffa0}'
            | '\u{fff0}'..='\u{fffc}'
            | '\u{110bd}'
            | '\u{110cd}'
            | '\u{13430}'..='\u{1343f}'
            | '\u{1bca0}'..='\u{1bca3}'
            | '\u{1d173}'..='\u{1d17a}'
            | '\u{e0000}'..='\u{e0fff}'
    )
}

/// Makes text taken from a capture safe for a terminal: control characters (ESC, CR, BEL, …),
/// bidirectional overrides and invisible characters (zero-width, format and other
/// default-ignorable characters) become visible escapes such as `\u{1b}`, so a hostile capture
/// cannot move the cursor, erase the verdict, reorder what the report says or make two
/// different values look the same. Newlines and tabs stay.
pub fn printable(s: &str) -> Cow<'_, str> {
    escaped(s, |_, c| (c.is_control() && c != '\n' && c != '\t') || invisible(c))
}

/// `s` with each character for which `hidden(index, c)` holds written as a `\u{..}` escape,
/// the one escape form every format uses.
pub(crate) fn escaped(s: &str, mut hidden: impl FnMut(usize, char) -> bool) -> Cow<'_, str> {
    let mut chars = s.chars().enumerate();
    let Some(first) = chars.position(|(i, c)| hidden(i, c)) else { return Cow::Borrowed(s) };
    let cut = s.char_indices().nth(first).map_or(s.len(), |(b, _)| b);
    let mut out = String::with_capacity(s.len() + 16);
    out.push_str(&s[..cut]);
    for (i, c) in s[cut..].chars().enumerate() {
        if i == 0 || hidden(first + i, c) {
            use std::fmt::Write;
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod printable_tests {
    use super::printable;

    #[test]
    fn escapes_what_would_drive_the_terminal() {
        assert_eq!(printable("plain\ttext\n"), "plain\ttext\n");
        assert_eq!(printable("\u{1b}[2Kok\r"), "\\u{1b}[2Kok\\u{d}");
        assert_eq!(printable("a\u{202e}b\u{61c}"), "a\\u{202e}b\\u{61c}");
        assert_eq!(
            printable("sp\u{200b}.com\u{feff}\u{e0041}"),
            "sp\\u{200b}.com\\u{feff}\\u{e0041}"
        );
        assert_eq!(printable("café ☕ 日本"), "café ☕ 日本");
        assert_eq!(super::one_line("POST\nerror[x]"), "POST\\u{a}error[x]");
    }
}

//! Turning capture entries (HAR entries, SAML-tracer requests) into SAML messages, timeline
//! steps and evidence. The same message seen in several places (the HTML form, then the POST)
//! is one message with every place listed.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use super::decode::base64_decode;
use super::html::scan_auto_post_form;
use super::{
    decode_param, extract_html, extract_query, extract_query_if_named, raw_xml, read_carrier,
    repeated_params, values_of, Binding, Captured, Carrier, Evidence, EvidenceKind, Extracted,
    InputLimits, Source, Step, PARAMS,
};
use crate::saml::time::Instant;

/// The parts of one entry samlscope reads; everything else was skipped while parsing.
#[derive(Debug, Default)]
pub struct EntryView {
    /// `startedDateTime`.
    pub time: Option<String>,
    /// HTTP method.
    pub method: String,
    /// Request URL with its raw query.
    pub url: String,
    /// SAML-tracer's decoded message.
    pub tracer_xml: Option<String>,
    /// SAML-tracer's decoded query parameters.
    pub tracer_get: Vec<(String, String)>,
    /// `postData.params` (or SAML-tracer's `post`).
    pub post_params: Vec<(String, String)>,
    /// `postData.text`, when kept.
    pub post_text: Option<String>,
    /// Response status.
    pub status: Option<i64>,
    /// `Location` header or `redirectURL`.
    pub location: Option<String>,
    /// Response body, when kept.
    pub body: Option<String>,
    /// The body is base64 (`content.encoding`).
    pub body_base64: bool,
    /// Response MIME type.
    pub mime: Option<String>,
    /// `content.size`.
    pub body_size: Option<i64>,
    /// A comment saying bodies were not included.
    pub stripped: Option<String>,
    /// Bodies skipped for exceeding the entry body limit: which, and their size.
    pub oversized: Vec<(&'static str, usize)>,
    /// Names of the cookies the request sent.
    pub cookies: Vec<String>,
}

/// Collects what the entries of one capture yield.
pub struct Harvest {
    name: String,
    limits: InputLimits,
    out: Extracted,
    /// Messages by a hash of their XML: finding a repeat costs one lookup, not a scan.
    by_xml: HashMap<u64, Vec<usize>>,
    /// The capture is a SAML-tracer export (its entries are "requests").
    tracer: bool,
    /// The capture says `samlscope redact --pseudonymize` wrote it.
    pseudonymized: bool,
}

impl Harvest {
    /// An empty harvest for input `name`.
    pub fn new(name: &str, limits: InputLimits) -> Harvest {
        Harvest {
            name: name.to_string(),
            limits,
            out: Extracted::default(),
            by_xml: HashMap::new(),
            tracer: false,
            pseudonymized: false,
        }
    }

    /// Reads the marker `samlscope redact` leaves (`_samlscope`).
    pub fn marker(&mut self, marker: &serde_json::Value) {
        self.pseudonymized |= marker.get("pseudonymized") == Some(&serde_json::Value::Bool(true));
    }

    /// Marks the capture as a SAML-tracer export.
    pub fn set_tracer(&mut self) {
        self.tracer = true;
    }

    fn capture(&self) -> &'static str {
        if self.tracer {
            "SAML-tracer request"
        } else {
            "HAR entry"
        }
    }

    /// The limits in force.
    pub fn limits(&self) -> InputLimits {
        self.limits
    }

    /// Records a problem.
    pub fn problem(&mut self, source: &Source, message: String) {
        self.out.problem(source, message);
    }

    /// Records an entry that is not valid HAR.
    pub fn bad_entry(&mut self, index: usize, e: &serde_json::Error, raw: &str) {
        let source = Source {
            input: self.name.clone(),
            entry: Some(index),
            capture: Some(self.capture()),
            ..Source::default()
        };
        let what = self.capture();
        let related = raw.contains("SAMLRe") || raw.contains("wresult");
        let message = if related {
            format!(
                "input: {what} {} is malformed ({e}); the other entries were analysed",
                index + 1
            )
        } else {
            format!("input: {what} {} is malformed ({e}); it carries no SAML message, so the SAML exchange is unaffected", index + 1)
        };
        self.out.problems.push(super::InputProblem { source, message, unrelated: !related });
    }

    /// Reads one entry.
    pub fn entry(&mut self, index: usize, view: EntryView) {
        let host_path = view.url.split(['?', '#']).next().unwrap_or_default().to_string();
        let source = Source {
            input: self.name.clone(),
            entry: Some(index),
            capture: Some(self.capture()),
            url: Some(host_path),
            time: view.time.clone(),
        };
        for (what, len) in &view.oversized {
            let message = format!(
                "input: entry {}: {what} of {} exceeds the {} entry body limit; skipped",
                index + 1,
                super::decode::human_size(*len),
                super::decode::human_size(self.limits.max_entry_body)
            );
            self.out.problem(&source, message);
        }
        let mut found: Vec<Captured> = Vec::new();
        let mut scratch = Extracted::default();
        if let Some(xml) = &view.tracer_xml {
            found.extend(self.tracer_messages(&source, &view, xml));
        } else {
            extract_query_if_named(&mut scratch, source.clone(), &view.url, self.limits);
            self.post_messages(&mut scratch, &source, &view);
            if let Some(loc) = view.location.as_deref().filter(|l| has_saml_param(l)) {
                let mut sub = Extracted::default();
                extract_query(&mut sub, source.clone(), loc, self.limits);
                label(&mut sub, "Location header");
                merge(&mut scratch, sub);
            }
        }
        let body = view.body.as_deref().and_then(|b| readable_body(b, view.body_base64));
        // A form's field names may be written with character references (`SAML&#82;esponse`):
        // the HTML parser decodes them.
        let form = |b: &&String| {
            b.contains("SAMLRe")
                || (b.contains("&#")
                    && b.as_bytes().windows(5).any(|w| w.eq_ignore_ascii_case(b"<form")))
        };
        if let Some(body) = body.as_ref().filter(form) {
            let mut sub = Extracted::default();
            extract_html(&mut sub, source.clone(), body, self.limits);
            merge(&mut scratch, sub);
        }
        found.extend(scratch.messages);
        for p in scratch.problems {
            let message = format!("entry {}: {}", index + 1, p.message);
            self.out.problems.push(super::InputProblem {
                source: source.clone(),
                message,
                unrelated: false,
            });
        }
        // The hop to the IdP: this request itself delivers an AuthnRequest.
        let carries_request = view.url.contains("SAMLRequest=")
            || view.post_params.iter().any(|(k, _)| k == "SAMLRequest");
        let mut step_messages = Vec::new();
        for mut m in found {
            m.source.entry = Some(index);
            m.source.time = view.time.clone();
            let i = self.add_message(m);
            if i != usize::MAX && !step_messages.contains(&i) {
                step_messages.push(i);
            }
        }
        self.evidence(&source, &view, body.as_deref(), carries_request);
        self.out.steps.push(Step {
            source,
            method: view.method,
            status: view.status,
            messages: step_messages,
            cookies: view.cookies,
        });
    }

    /// SAML-tracer's decoded message, plus any other value of a SAML parameter that the export
    /// shows unmasked (a second SAMLResponse must be analysed too); masked values do not
    /// decode and are left alone.
    fn tracer_messages(&self, source: &Source, view: &EntryView, xml: &str) -> Vec<Captured> {
        let mut first = self.tracer_message(source, view, xml);
        let post = view.method.eq_ignore_ascii_case("POST");
        let params = if post { &view.post_params } else { &view.tracer_get };
        let repeated = repeated_params(params.iter().map(|(k, _)| k.as_str()));
        if !repeated.is_empty() {
            first.repeated =
                vec![super::Repetition { source: source.clone(), params: repeated, unread: None }];
        }
        // SAML-tracer's arrays are its own reading of the request: names it left encoded or
        // split differently are counted against the values it shows.
        let saml = |ps: &[(String, String)]| {
            ps.iter().filter(|(k, _)| PARAMS.contains(&super::param_name(k))).count()
        };
        let post_names: String = view.post_params.iter().map(|(k, _)| format!("{k}&")).collect();
        let named =
            super::mentions(&view.url) + if post { super::mentions(&post_names) } else { 0 };
        let read = saml(&view.tracer_get) + if post { saml(&view.post_params) } else { 0 };
        if named > read.max(1) {
            first.repeated.push(super::Repetition {
                source: source.clone(),
                params: Vec::new(),
                unread: Some((named, read.max(1))),
            });
        }
        let mut out = vec![first];
        let binding = if post { Binding::Post } else { Binding::Redirect };
        for param in PARAMS {
            for value in values_of(params, param) {
                let Ok(mut m) = decode_param(param, value, binding, self.limits) else { continue };
                if *m.xml != *xml.as_bytes() {
                    m.layers.insert(0, "SAML-tracer parameter".into());
                    m.source = source.clone();
                    m.parameter = Some(param.into());
                    out.push(m);
                }
            }
        }
        out
    }

    fn tracer_message(&self, source: &Source, view: &EntryView, xml: &str) -> Captured {
        let params = if view.method.eq_ignore_ascii_case("POST") {
            &view.post_params
        } else {
            &view.tracer_get
        };
        let get = |n: &str| params.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
        let mut m = raw_xml(source.clone(), xml.as_bytes().to_vec());
        m.layers = vec!["SAML-tracer decoded message".into()];
        m.binding = if view.method.eq_ignore_ascii_case("POST") {
            Binding::Post
        } else {
            Binding::Redirect
        };
        m.parameter = PARAMS.iter().find(|p| get(p).is_some()).map(|p| p.to_string());
        // SAML-tracer's default export masks POST values: RelayState is then unknown.
        let post = view.method.eq_ignore_ascii_case("POST");
        m.relay_state = get("RelayState").filter(|_| !post);
        m.relay_state_hidden = post;
        m.sig_alg = get("SigAlg");
        m
    }

    fn post_messages(&self, out: &mut Extracted, source: &Source, view: &EntryView) {
        // Chrome leaves params percent-encoded, Firefox decodes them; base64 has no '%'.
        let carrier = Carrier {
            source,
            layer: "HAR postData.params",
            context: " in postData.params",
            binding: Binding::Post,
            percent_encoded: true,
        };
        let from = read_carrier(out, &view.post_params, &carrier, self.limits);
        if view.post_text.is_none() {
            let names: String = view.post_params.iter().map(|(k, _)| format!("{k}&")).collect();
            super::note_unread(out, source, from, &names, &view.post_params, None);
        }
        // The text is read even when params were recorded: the two can disagree (an edited
        // export), and a value only the text holds is what the server receives. The same
        // message read twice is one message.
        let Some(text) = view.post_text.as_deref() else { return };
        if let Some(parts) = multipart_fields(text) {
            let carrier = Carrier {
                source,
                layer: "HAR multipart body",
                context: " in a multipart body",
                binding: Binding::Post,
                percent_encoded: false,
            };
            let from = read_carrier(out, &parts, &carrier, self.limits);
            super::note_unread(out, source, from, text, &parts, None);
        } else {
            let mut sub = Extracted::default();
            if !extract_query_if_named(&mut sub, source.clone(), text, self.limits) {
                return;
            }
            for m in &mut sub.messages {
                m.binding = Binding::Post;
                m.source.url = source.url.clone();
                for r in &mut m.repeated {
                    r.source.url = source.url.clone();
                }
            }
            label(&mut sub, "HAR postData.text");
            merge(out, sub);
        }
    }

    /// Adds a message, or lists this place on the same message seen earlier; `usize::MAX` when
    /// the input's decoding budget dropped it.
    fn add_message(&mut self, mut m: Captured) -> usize {
        let key = {
            let mut h = DefaultHasher::new();
            m.xml.hash(&mut h);
            h.finish()
        };
        let same = self.by_xml.get(&key).and_then(|c| {
            c.iter().copied().find(|i| self.out.messages.get(*i).is_some_and(|x| x.xml == m.xml))
        });
        if let Some(i) = same {
            let existing = &mut self.out.messages[i];
            let delivered = !m
                .layers
                .first()
                .is_some_and(|l| l == "Location header" || l == "HTML auto-post form");
            // The repetition belongs to the carrier, wherever the message was seen first.
            let repeated = std::mem::take(&mut m.repeated);
            if delivered
                && existing
                    .layers
                    .first()
                    .is_some_and(|l| l == "Location header" || l == "HTML auto-post form")
            {
                // The same bytes: keep the buffer already handed to early analysis.
                m.xml = existing.xml.clone();
                let earlier = std::mem::replace(existing, m);
                existing.also_seen.extend(earlier.also_seen.iter().cloned());
                existing.also_seen.push(earlier.source);
            } else if m.source != existing.source && existing.also_seen.last() != Some(&m.source) {
                // The same entry may deliver it twice (params and text): one place, once.
                existing.also_seen.push(m.source);
            }
            for r in repeated {
                if !existing.repeated.contains(&r) {
                    existing.repeated.push(r);
                }
            }
            return i;
        }
        if !self.out.keep(m, self.limits) {
            return usize::MAX;
        }
        let i = self.out.messages.len() - 1;
        super::send_kept(&self.out.messages[i]);
        self.by_xml.entry(key).or_default().push(i);
        i
    }

    fn evidence(&mut self, source: &Source, view: &EntryView, body: Option<&str>, idp_hop: bool) {
        let push = |out: &mut Extracted, kind| {
            out.evidence.push(Evidence { source: source.clone(), status: view.status, kind });
        };
        if let Some(c) = &view.stripped {
            push(&mut self.out, EvidenceKind::BodiesStripped { comment: c.clone() });
        } else if view.method.eq_ignore_ascii_case("POST")
            && view.post_params.is_empty()
            && view.post_text.is_none()
            && looks_like_acs(&view.url)
        {
            push(
                &mut self.out,
                EvidenceKind::BodiesStripped { comment: "the POST to the ACS has no body".into() },
            );
        }
        let posted_response = view.post_params.iter().any(|(k, _)| k == "SAMLResponse")
            || view.post_text.as_deref().is_some_and(|t| t.contains("SAMLResponse="));
        if posted_response && view.status.is_some_and(|s| s >= 400) {
            push(&mut self.out, EvidenceKind::AcsRejected);
        }
        let html = view.mime.as_deref().is_some_and(|m| m.contains("html"))
            || body.is_some_and(|b| b.trim_start().starts_with('<'));
        let has_form = body.is_some_and(|b| !scan_auto_post_form(b).fields.is_empty());
        // A page counts as the IdP's refusal when its status or its text says error (a login
        // form at the same hop is a step of a login, not a failure).
        if idp_hop && html && !has_form && view.location.is_none() && view.stripped.is_none() {
            let (title, text) = body.map(page_text).unwrap_or_default();
            let says_error = [&title, &text]
                .into_iter()
                .flatten()
                .any(|t| t.to_ascii_lowercase().contains("error"));
            if says_error || view.status.is_some_and(|s| s >= 400) {
                push(&mut self.out, EvidenceKind::IdpPage { title, text });
            }
        }
    }

    /// The harvest, in capture order (entries may be out of order in the file).
    pub fn finish(mut self) -> Extracted {
        let key = |s: &Source| (s.time.as_deref().and_then(|t| Instant::parse(t).ok()), s.entry);
        let mut order: Vec<usize> = (0..self.out.messages.len()).collect();
        order.sort_by_key(|i| key(&self.out.messages[*i].source));
        let mut new_index = vec![0; order.len()];
        for (new, old) in order.iter().enumerate() {
            new_index[*old] = new;
        }
        let mut messages: Vec<Option<Captured>> = self.out.messages.drain(..).map(Some).collect();
        self.out.messages = order.iter().filter_map(|i| messages[*i].take()).collect();
        for s in &mut self.out.steps {
            for m in &mut s.messages {
                *m = new_index.get(*m).copied().unwrap_or(*m);
            }
        }
        self.out.steps.sort_by_key(|s| key(&s.source));
        if self.pseudonymized {
            self.out.messages.iter_mut().for_each(|m| m.pseudonymized = true);
        }
        self.out.evidence.sort_by_key(|e| key(&e.source));
        self.out
    }
}

fn label(sub: &mut Extracted, layer: &str) {
    for m in &mut sub.messages {
        if m.layers.first().is_some_and(|l| l == "URL decoding") {
            m.layers[0] = layer.to_string();
        } else {
            m.layers.insert(0, layer.to_string());
        }
    }
}

fn merge(into: &mut Extracted, from: Extracted) {
    into.messages.extend(from.messages);
    into.decoded += from.decoded;
    into.problems.extend(from.problems);
}

/// The fields of a `multipart/form-data` body (RFC 7578): each part's `name` and content. A
/// POST to the ACS may be multipart; servers parse it like a form body.
fn multipart_fields(text: &str) -> Option<Vec<(String, String)>> {
    let first = text.lines().next()?.trim_end();
    let boundary = first.strip_prefix("--").filter(|b| !b.is_empty() && !b.contains(' '))?;
    let delimiter = format!("--{boundary}");
    let mut fields = Vec::new();
    for part in text.split(delimiter.as_str()).skip(1) {
        if part.starts_with("--") {
            break; // the closing delimiter
        }
        let part = part.trim_start_matches(['\r', '\n']);
        let Some((head, body)) = part.split_once("\r\n\r\n").or_else(|| part.split_once("\n\n"))
        else {
            continue;
        };
        let name = head
            .lines()
            .filter(|l| l.to_ascii_lowercase().starts_with("content-disposition"))
            .find_map(|l| l.split("name=\"").nth(1)?.split('"').next().map(str::to_string));
        if let Some(name) = name {
            fields.push((name, body.trim_end_matches(['\r', '\n']).to_string()));
        }
    }
    Some(fields)
}

fn has_saml_param(s: &str) -> bool {
    s.contains("SAMLRequest=") || s.contains("SAMLResponse=") || s.contains("wresult=")
}

fn looks_like_acs(url: &str) -> bool {
    let u = url.to_ascii_lowercase();
    u.contains("/login/callback")
        || u.contains("/saml2")
        || u.contains("/acs")
        || u.contains("saml/consume")
}

fn readable_body(body: &str, base64: bool) -> Option<String> {
    if !base64 {
        return Some(body.to_string());
    }
    let (bytes, _) = base64_decode(body).ok()?;
    String::from_utf8(bytes).ok()
}

/// The page title and the visible text around "Error", for IdP error pages.
pub fn page_text(html: &str) -> (Option<String>, Option<String>) {
    let lower = html.to_ascii_lowercase();
    let title = lower.find("<title").and_then(|s| {
        let open = s + lower[s..].find('>')? + 1;
        let close = open + lower[open..].find("</title")?;
        Some(collapse(&html[open..close])).filter(|t| !t.is_empty())
    });
    let mut visible = String::new();
    let mut rest = html;
    let mut skip_until: Option<&str> = None;
    while let Some(lt) = rest.find('<') {
        let tag_end = rest[lt..].find('>').map_or(rest.len(), |e| lt + e + 1);
        let tag = rest[lt..tag_end].to_ascii_lowercase();
        if skip_until.is_none() {
            visible.push_str(&rest[..lt]);
            // Block elements end a line of visible text; inline ones are a space.
            let name = tag
                .trim_start_matches(['<', '/'])
                .split(|c: char| !c.is_ascii_alphanumeric())
                .next()
                .unwrap_or("");
            let block = matches!(
                name,
                "div"
                    | "p"
                    | "br"
                    | "li"
                    | "tr"
                    | "td"
                    | "th"
                    | "table"
                    | "h1"
                    | "h2"
                    | "h3"
                    | "h4"
                    | "h5"
                    | "h6"
                    | "body"
                    | "form"
                    | "footer"
                    | "header"
                    | "section"
                    | "center"
                    | "hr"
                    | "ul"
                    | "ol"
            );
            visible.push(if block { '\n' } else { ' ' });
        }
        if let Some(end) = skip_until {
            if tag.starts_with(end) {
                skip_until = None;
            }
        } else if tag.starts_with("<script") {
            skip_until = Some("</script");
        } else if tag.starts_with("<style") {
            skip_until = Some("</style");
        } else if tag.starts_with("<title") {
            skip_until = Some("</title");
        }
        rest = &rest[tag_end..];
    }
    visible.push_str(rest);
    let decoded = super::html::decode_entities(&visible);
    let lines: Vec<String> = decoded.lines().map(collapse).filter(|l| !l.is_empty()).collect();
    let text = lines
        .iter()
        .find_map(|l| l.find("Error").map(|i| l[i..].to_string()))
        .or_else(|| lines.first().cloned())
        .map(|l| l.chars().take(240).collect());
    (title, text)
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_login_page_at_the_idp_hop_is_not_an_error_page() {
        let mut h = Harvest::new("t", InputLimits::default());
        let login = "<html><head><title>Login | Salesforce</title><script>var loginError='';</script></head><body><form action=\"/\"><input name=\"username\"></form></body></html>";
        let view = EntryView {
            method: "GET".into(),
            url: "https://acme.my.salesforce.com/idp/endpoint/HttpRedirect?SAMLRequest=x".into(),
            status: Some(200),
            mime: Some("text/html".into()),
            body: Some(login.into()),
            ..EntryView::default()
        };
        h.entry(0, view);
        assert!(h.finish().evidence.is_empty());
    }

    #[test]
    fn error_page_text() {
        let html = "<html><head><title> Error </title><script>var x='<b>Error: no</b>';</script></head><body><div>Error: User does not have access to this service provider</div></body></html>";
        let (title, text) = page_text(html);
        assert_eq!(title.as_deref(), Some("Error"));
        assert_eq!(
            text.as_deref(),
            Some("Error: User does not have access to this service provider")
        );
    }
}

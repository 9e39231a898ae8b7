//! One HAR entry or SAML-tracer request, redacted in place.

use serde_json::{Map, Value};

use super::scrub::{self, is_saml_param, REDACTED};
use super::Redactor;
use crate::input::capture::page_text;
use crate::input::decode::base64_decode;
use crate::input::html::scan_auto_post_form;

/// Redacts a HAR entry (`request`, `response`, `_webSocketMessages`, …) or a SAML-tracer
/// request (`url`, `requestHeaders`, `get`, `post`, `saml`, …).
pub fn entry(v: &mut Value, r: &mut Redactor) {
    let Value::Object(e) = v else {
        tokens_everywhere(v, r);
        return;
    };
    if let Some(Value::Object(req)) = e.get_mut("request") {
        request(req, r);
    }
    if let Some(Value::Object(resp)) = e.get_mut("response") {
        response(resp, r);
    }
    if let Some(Value::Array(msgs)) = e.get_mut("_webSocketMessages") {
        for m in msgs {
            if let Some(d) = m.get_mut("data") {
                r.add("WebSocket messages");
                *d = Value::String(REDACTED.into());
            }
        }
    }
    // SAML-tracer's own fields.
    for key in ["requestHeaders", "responseHeaders"] {
        if let Some(h) = e.get_mut(key) {
            headers(h, r);
        }
    }
    for key in ["get", "post"] {
        if let Some(Value::Array(params)) = e.get_mut(key) {
            pairs(params, key == "post", r);
        }
    }
    if let Some(Value::String(xml)) = e.get_mut("saml") {
        if let Some(new) = r.saml_xml(xml) {
            *xml = new;
        }
    }
    // `_initiator` stacks and anything else: tokens only.
    for (k, val) in e.iter_mut() {
        if !["request", "response", "_webSocketMessages", "saml", "get", "post"]
            .contains(&k.as_str())
            && !k.ends_with("Headers")
        {
            if k == "url" {
                if let Value::String(s) = val {
                    *s = scrub::url(s, r);
                }
            } else {
                tokens_everywhere(val, r);
            }
        }
    }
}

fn request(req: &mut Map<String, Value>, r: &mut Redactor) {
    if let Some(Value::String(u)) = req.get_mut("url") {
        *u = scrub::url(u, r);
    }
    for key in ["headers"] {
        if let Some(h) = req.get_mut(key) {
            headers(h, r);
        }
    }
    cookies(req.get_mut("cookies"), r);
    if let Some(Value::Array(q)) = req.get_mut("queryString") {
        pairs(q, false, r);
    }
    if let Some(Value::Object(post)) = req.get_mut("postData") {
        let mime =
            post.get("mimeType").and_then(Value::as_str).unwrap_or_default().to_ascii_lowercase();
        if let Some(Value::Array(params)) = post.get_mut("params") {
            pairs(params, true, r);
        }
        if let Some(Value::String(text)) = post.get_mut("text") {
            *text = post_text(text, &mime, r);
        }
    }
}

fn post_text(text: &str, mime: &str, r: &mut Redactor) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let start = text.trim_start();
    if mime.contains("multipart") || text.starts_with("--") {
        if let Some(t) = scrub::multipart(text, r) {
            return t;
        }
    }
    if mime.contains("json") || start.starts_with(['{', '[']) {
        // One document, or JSON Lines.
        let docs: Option<Vec<String>> = if let Ok(mut v) = serde_json::from_str::<Value>(text) {
            scrub::json(&mut v, r);
            Some(vec![v.to_string()])
        } else {
            text.lines()
                .filter(|l| !l.trim().is_empty())
                .map(|l| {
                    let mut v = serde_json::from_str::<Value>(l).ok()?;
                    scrub::json(&mut v, r);
                    Some(v.to_string())
                })
                .collect()
        };
        return docs.map_or_else(|| whole(r), |d| d.join("\n"));
    }
    if mime.contains("xml") || start.starts_with('<') {
        return xml(text, r);
    }
    let form = mime.is_empty() || mime.contains("x-www-form-urlencoded");
    if form && text.contains('=') {
        // A form body, the commonest: what a login form posts is redacted, the binding kept.
        return scrub::params(text.trim_end_matches(['\r', '\n']), true, r);
    }
    // Text nothing here can read (text/plain, a binary upload): gone whole.
    whole(r)
}

fn whole(r: &mut Redactor) -> String {
    r.add("bodies removed");
    REDACTED.to_string()
}

/// An XML body: a SAML message as it is (pseudonymised on request); in any other XML (SOAP
/// logins, CAS responses) the text of secret-named elements is redacted. XML that does not
/// parse is removed whole.
fn xml(text: &str, r: &mut Redactor) -> String {
    use crate::xml::{parse, NodeKind, XmlLimits};
    let text = r.saml_xml(text).unwrap_or_else(|| text.to_string());
    let Ok(doc) = parse(text.as_bytes(), XmlLimits::default()) else { return whole(r) };
    let mut edits: Vec<std::ops::Range<usize>> = Vec::new();
    for n in doc.descendants(doc.root) {
        let secret = doc
            .element(n)
            .is_some_and(|e| scrub::secret_name(e.local()) && e.local() != "SignatureValue");
        if !secret {
            continue;
        }
        for c in doc.descendants(n).skip(1) {
            if let (Some(NodeKind::Text(_)), Some(span)) = (doc.kind(c), doc.span(c)) {
                edits.push(span);
            }
        }
    }
    if edits.is_empty() {
        return scrub::tokens(&text, r);
    }
    let mut out = text.into_bytes();
    edits.sort_by_key(|e| std::cmp::Reverse(e.start));
    edits.dedup();
    for e in edits {
        r.add("XML values");
        out.splice(e, REDACTED.bytes());
    }
    let out = String::from_utf8(out).unwrap_or_default();
    scrub::tokens(&out, r)
}

fn response(resp: &mut Map<String, Value>, r: &mut Redactor) {
    if let Some(h) = resp.get_mut("headers") {
        headers(h, r);
    }
    cookies(resp.get_mut("cookies"), r);
    if let Some(Value::String(u)) = resp.get_mut("redirectURL") {
        *u = scrub::url(u, r);
    }
    if let Some(Value::Object(content)) = resp.get_mut("content") {
        body(content, r);
    }
}

/// Keeps what a diagnosis reads — HTML pages reduced to their title, visible text and SAML
/// forms, XML — and removes every other body (scripts, styles, images, fonts, JSON APIs).
fn body(content: &mut Map<String, Value>, r: &mut Redactor) {
    let Some(Value::String(text)) = content.get("text") else { return };
    let base64 = content
        .get("encoding")
        .and_then(Value::as_str)
        .is_some_and(|e| e.eq_ignore_ascii_case("base64"));
    let decoded = if base64 {
        base64_decode(text).ok().and_then(|(b, _)| String::from_utf8(b).ok())
    } else {
        Some(text.clone())
    };
    let mime =
        content.get("mimeType").and_then(Value::as_str).unwrap_or_default().to_ascii_lowercase();
    let kept = decoded.and_then(|t| {
        let t = t.strip_prefix('\u{feff}').unwrap_or(&t).to_string();
        let start = t.trim_start();
        let markup = start.starts_with('<');
        let saml = t.contains("SAMLRe") || t.contains("wresult");
        if (markup
            && (mime.contains("xml") || start.starts_with("<?xml"))
            && !mime.contains("html"))
            && !saml
        {
            Some(xml(&t, r))
        } else if markup {
            // Whatever the label (text/plain, none): a page a browser renders.
            Some(html(&t, r))
        } else if saml && !scan_auto_post_form(&t).fields.is_empty() {
            // Not markup at first sight, yet a SAML form is in it: the form only, no text.
            Some(page(&format!("<html><body>{}</body></html>", form_only(&t)), false, r))
        } else {
            None
        }
    });
    match kept {
        Some(t) => {
            content.remove("encoding");
            content.insert("text".into(), Value::String(t));
        }
        None => {
            r.add("bodies removed");
            content.remove("text");
            content.remove("encoding");
        }
    }
}

/// From the first `<form` to the last `</form>` (the rest is text a page would show).
fn form_only(t: &str) -> &str {
    let lower = t.to_ascii_lowercase();
    let start = lower.find("<form").unwrap_or(0);
    let end = lower.rfind("</form>").map_or(t.len(), |e| e + "</form>".len());
    t.get(start..end.max(start)).unwrap_or_default()
}

/// An HTML page rebuilt from what a diagnosis reads: its title, the visible text that says
/// what went wrong, and its auto-post form with the binding fields only (every other input,
/// every script and style are gone). Every value is escaped.
pub fn html(page_source: &str, r: &mut Redactor) -> String {
    page(page_source, true, r)
}

/// [`html`], with the title and visible text only when `with_text`.
fn page(page: &str, with_text: bool, r: &mut Redactor) -> String {
    let form = scan_auto_post_form(page);
    let (title, text) = if with_text { page_text(page) } else { (None, None) };
    let hidden = page.matches("type=\"hidden\"").count() + page.matches("type='hidden'").count();
    let kept = form.fields.len();
    for _ in kept..hidden.max(kept) {
        r.add("hidden inputs");
    }
    let mut out = String::from("<!DOCTYPE html>\n<html><head>");
    if let Some(t) = &title {
        out.push_str(&format!("<title>{}</title>", escape(&scrub::tokens(t, r))));
    }
    out.push_str("</head><body>");
    if let Some(t) = &text {
        out.push_str(&format!("<div>{}</div>", escape(&scrub::tokens(t, r))));
    }
    if !form.fields.is_empty() {
        let action = form.action.as_deref().map(|a| scrub::url(a, r)).unwrap_or_default();
        out.push_str(&format!("<form method=\"post\" action=\"{}\">", escape(&action)));
        for (name, value) in &form.fields {
            let value = r.saml(name, value);
            out.push_str(&format!(
                "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
                escape(name),
                escape(&value)
            ));
        }
        out.push_str("<noscript><input type=\"submit\" value=\"Continue\"></noscript></form>");
        out.push_str("<script>document.forms[0].submit()</script>");
    }
    // A page that names a message parameter more often than it has fields (a second form in a
    // script) is evidence of a forgery attempt: keep the count, not the script.
    let named = crate::input::mentions(page);
    let kept = crate::input::mentions(&out);
    if named > kept {
        let names = vec!["SAMLResponse="; named - kept].join(" ");
        out.push_str(&format!("<!-- removed by samlscope redact, named in the page: {names} -->"));
    }
    out.push_str("</body></html>\n");
    out
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn headers(h: &mut Value, r: &mut Redactor) {
    match h {
        Value::Array(list) => {
            for item in list {
                let Value::Object(o) = item else { continue };
                let name = o.get("name").and_then(Value::as_str).unwrap_or_default().to_string();
                if let Some(Value::String(v)) = o.get_mut("value") {
                    *v = scrub::header(&name, v, r);
                }
            }
        }
        // Not HAR's shape, but written by some tools: `{"Cookie": "…"}`.
        Value::Object(map) => {
            for (name, v) in map.iter_mut() {
                if let Value::String(s) = v {
                    *s = scrub::header(name, s, r);
                }
            }
        }
        other => tokens_everywhere(other, r),
    }
}

fn cookies(c: Option<&mut Value>, r: &mut Redactor) {
    let Some(Value::Array(list)) = c else { return };
    for item in list {
        if let Some(v) = item.get_mut("value") {
            r.add("cookie values");
            *v = Value::String(REDACTED.into());
        }
    }
}

/// Parameters as `{name, value}` (HAR) or `[name, value]` (SAML-tracer). Form fields lose
/// every value but the binding's; query parameters only secret-named ones.
fn pairs(list: &mut [Value], form: bool, r: &mut Redactor) {
    let name_of = |p: &Value| match p {
        Value::Object(o) => o.get("name").and_then(Value::as_str).map(str::to_string),
        Value::Array(a) => a.first().and_then(Value::as_str).map(str::to_string),
        _ => None,
    };
    let decoded = |n: String| crate::input::decode::url_decode(&n, true).unwrap_or(n);
    let saml_context =
        list.iter().filter_map(name_of).any(|n| scrub::is_message_param(&decoded(n)));
    for p in list.iter_mut() {
        let name = decoded(name_of(p).unwrap_or_default());
        let value = match p {
            Value::Object(o) => o.get_mut("value"),
            Value::Array(a) => a.get_mut(1),
            other => {
                tokens_everywhere(other, r);
                None
            }
        };
        let Some(v) = value else { continue };
        let Value::String(v) = v else {
            tokens_everywhere(v, r);
            continue;
        };
        if is_saml_param(&name, saml_context) {
            *v = r.saml(&name, v);
        } else if form || scrub::secret_name(&name) {
            r.add("parameters");
            *v = REDACTED.into();
        } else {
            *v = scrub::params(&format!("x={v}"), false, r)[2..].to_string();
        }
    }
}

fn tokens_everywhere(v: &mut Value, r: &mut Redactor) {
    match v {
        Value::String(s) => {
            let t = scrub::text(s, r);
            if t != *s {
                *s = t;
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|x| tokens_everywhere(x, r)),
        Value::Object(o) => o.values_mut().for_each(|x| tokens_everywhere(x, r)),
        _ => {}
    }
}

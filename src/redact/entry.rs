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
            for p in params {
                pair(p, key == "post", r);
            }
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
        for p in q {
            pair(p, false, r);
        }
    }
    if let Some(Value::Object(post)) = req.get_mut("postData") {
        let mime =
            post.get("mimeType").and_then(Value::as_str).unwrap_or_default().to_ascii_lowercase();
        if let Some(Value::Array(params)) = post.get_mut("params") {
            for p in params {
                pair(p, true, r);
            }
        }
        if let Some(Value::String(text)) = post.get_mut("text") {
            *text = post_text(text, &mime, r);
        }
    }
}

fn post_text(text: &str, mime: &str, r: &mut Redactor) -> String {
    if mime.contains("multipart") || text.starts_with("--") {
        if let Some(t) = scrub::multipart(text, r) {
            return t;
        }
    }
    if mime.contains("json") || text.trim_start().starts_with(['{', '[']) {
        if let Ok(mut v) = serde_json::from_str::<Value>(text) {
            scrub::json(&mut v, r);
            return serde_json::to_string(&v).unwrap_or_else(|_| REDACTED.into());
        }
    }
    if mime.contains("xml") || text.trim_start().starts_with('<') {
        return r.saml_xml(text).unwrap_or_else(|| scrub::tokens(text, r));
    }
    // A form body, the commonest: what a login form posts is redacted, the binding kept.
    scrub::params(text.trim_end_matches(['\r', '\n']), true, r)
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
    let base64 = content.get("encoding").and_then(Value::as_str) == Some("base64");
    let decoded = if base64 {
        base64_decode(text).ok().and_then(|(b, _)| String::from_utf8(b).ok())
    } else {
        Some(text.clone())
    };
    let mime =
        content.get("mimeType").and_then(Value::as_str).unwrap_or_default().to_ascii_lowercase();
    let kept = decoded.and_then(|t| {
        let start = t.trim_start();
        if mime.contains("html")
            || start.starts_with("<!")
            || start.to_ascii_lowercase().starts_with("<html")
        {
            Some(html(&t, r))
        } else if mime.contains("xml") || start.starts_with("<?xml") {
            Some(r.saml_xml(&t).unwrap_or_else(|| scrub::tokens(&t, r)))
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

/// An HTML page rebuilt from what a diagnosis reads: its title, the visible text that says
/// what went wrong, and its auto-post form with the binding fields only (every other input,
/// every script and style are gone). Every value is escaped.
pub fn html(page: &str, r: &mut Redactor) -> String {
    let form = scan_auto_post_form(page);
    let (title, text) = page_text(page);
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
    out.push_str("</body></html>\n");
    out
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn headers(h: &mut Value, r: &mut Redactor) {
    let Value::Array(list) = h else { return };
    for item in list {
        let Value::Object(o) = item else { continue };
        let name = o.get("name").and_then(Value::as_str).unwrap_or_default().to_string();
        if let Some(Value::String(v)) = o.get_mut("value") {
            *v = scrub::header(&name, v, r);
        }
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

/// A parameter as `{name, value}` (HAR) or `[name, value]` (SAML-tracer). Form fields lose
/// every value but the binding's; query parameters only secret-named ones.
fn pair(p: &mut Value, form: bool, r: &mut Redactor) {
    let (name, value) = match p {
        Value::Object(o) => {
            let name = o.get("name").and_then(Value::as_str).unwrap_or_default().to_string();
            (name, o.get_mut("value"))
        }
        Value::Array(a) if a.len() >= 2 => {
            let name = a[0].as_str().unwrap_or_default().to_string();
            (name, a.get_mut(1))
        }
        _ => return,
    };
    let Some(Value::String(v)) = value else { return };
    let decoded_name = crate::input::decode::url_decode(&name, true).unwrap_or(name);
    if is_saml_param(&decoded_name) {
        *v = r.saml(&decoded_name, v);
    } else if form || scrub::secret_name(&decoded_name) {
        r.add("parameters");
        *v = REDACTED.into();
    } else {
        *v = scrub::tokens(v, r);
    }
}

fn tokens_everywhere(v: &mut Value, r: &mut Redactor) {
    match v {
        Value::String(s) => {
            let t = if s.starts_with("https://") || s.starts_with("http://") {
                scrub::url(s, r)
            } else {
                scrub::tokens(s, r)
            };
            if t != *s {
                *s = t;
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|x| tokens_everywhere(x, r)),
        Value::Object(o) => o.values_mut().for_each(|x| tokens_everywhere(x, r)),
        _ => {}
    }
}

//! Reading the SAML fields out of an HTML auto-post form (SAML Bindings §3.5.4): the form's
//! action and the fields named SAMLRequest, SAMLResponse and RelayState that a browser would
//! submit. The page is parsed as a browser parses it (html5ever, through scraper): an input
//! inside a comment, a `<textarea>`, a script or a quoted attribute value is no field, and a
//! field written in any valid syntax (`<input/name=…>`) is one. A hand-written scanner that
//! disagrees with the browser lets a forged message be posted while a genuine one is checked.

use scraper::{ElementRef, Html};

/// The SAML fields of one HTML page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AutoPostForm {
    /// The `action` URL of the form that holds the first SAML field (else of the first form).
    pub action: Option<String>,
    /// `(name, value)` of each SAML field a browser would submit, in document order.
    pub fields: Vec<(String, String)>,
}

const SAML_FIELDS: [&str; 3] = ["SAMLResponse", "SAMLRequest", "RelayState"];

/// Finds every submittable field whose name is a SAML binding field (HTML §4.10.19.4
/// "constructing the entry list": not disabled, not a button; a textarea submits its text).
pub fn scan_auto_post_form(html: &str) -> AutoPostForm {
    let doc = Html::parse_document(html);
    let mut form = AutoPostForm::default();
    let mut first_form_action = None;
    for el in doc.root_element().descendants().filter_map(ElementRef::wrap) {
        let e = el.value();
        if e.name() == "form" && first_form_action.is_none() {
            first_form_action = Some(e.attr("action").map(str::to_string));
        }
        let Some(name) = e.attr("name").filter(|n| SAML_FIELDS.contains(n)) else { continue };
        let value = match e.name() {
            "input" => {
                let kind = e.attr("type").unwrap_or("text").to_ascii_lowercase();
                let button = matches!(kind.as_str(), "submit" | "button" | "reset" | "image");
                if button || e.attr("disabled").is_some() {
                    continue;
                }
                e.attr("value").unwrap_or_default().to_string()
            }
            "textarea" if e.attr("disabled").is_none() => el.text().collect(),
            _ => continue,
        };
        if form.fields.is_empty() {
            let owner =
                el.ancestors().filter_map(ElementRef::wrap).find(|a| a.value().name() == "form");
            form.action = owner.and_then(|f| f.value().attr("action")).map(str::to_string);
        }
        form.fields.push((name.to_string(), value));
    }
    if form.fields.is_empty() {
        form.action = first_form_action.flatten();
    }
    form
}

/// Decodes the character references HTML pages use in attribute values.
pub fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let tail = &rest[amp..];
        // A reference is at most 10 bytes: look no further, so text full of '&' stays linear.
        let semi = tail.bytes().take(11).position(|b| b == b';');
        let decoded = semi.and_then(|semi| {
            let name = &tail[1..semi];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                "copy" => Some('©'),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, semi))
        });
        match decoded {
            Some((c, semi)) => {
                out.push(c);
                rest = &tail[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_salesforce_style_form() {
        let html = r#"<html><body onload="document.forms[0].submit()">
<form method="POST" action="https://login.flex.us1.twilio.com/login/callback?connection=JQ1&amp;x=1">
<input type="hidden" name="SAMLResponse" value="PD94&#x2b;bWw&#61;" />
<INPUT TYPE=hidden NAME=RelayState VALUE=abc>
<input type="submit" value="Continue"/></form></body></html>"#;
        let form = scan_auto_post_form(html);
        assert_eq!(
            form.action.as_deref(),
            Some("https://login.flex.us1.twilio.com/login/callback?connection=JQ1&x=1")
        );
        assert_eq!(
            form.fields,
            vec![("SAMLResponse".into(), "PD94+bWw=".into()), ("RelayState".into(), "abc".into())]
        );
    }

    #[test]
    fn fields_are_what_a_browser_submits() {
        let html = r#"<html><body>
<!-- <input type="hidden" name="SAMLResponse" value="in-a-comment"> -->
<textarea><input type="hidden" name="SAMLResponse" value="in-a-textarea"></textarea>
<form action="https://sp/acs"><input data-x="a>b" type="hidden" name="SAMLResponse" value="posted">
<input/type="hidden"/name="RelayState"/value="slashes">
<input type="hidden" name="SAMLResponse" value="disabled" disabled>
<input type="submit" name="SAMLRequest" value="button"></form>
<script>var s = '<input name="SAMLRequest" value="in-a-script">';</script>
</body></html>"#;
        let form = scan_auto_post_form(html);
        assert_eq!(form.action.as_deref(), Some("https://sp/acs"));
        assert_eq!(
            form.fields,
            vec![("SAMLResponse".into(), "posted".into()), ("RelayState".into(), "slashes".into())]
        );
    }

    #[test]
    fn entities() {
        assert_eq!(decode_entities("a&amp;b&#43;&#x3D;&bogus"), "a&b+=&bogus");
    }
}

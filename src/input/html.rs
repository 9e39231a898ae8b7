//! Reading the SAML fields out of an HTML auto-post form (SAML Bindings §3.5.4): the hidden
//! `<input>` elements named SAMLRequest, SAMLResponse and RelayState, and the form's action.
//! HTML is not XML, so this is a small tolerant scanner, not a parser.

/// The SAML fields of one HTML page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AutoPostForm {
    /// The form's `action` URL, entity-decoded.
    pub action: Option<String>,
    /// `(name, value)` of each hidden SAML input, entity-decoded.
    pub fields: Vec<(String, String)>,
}

/// Finds every `<input name=... value=...>` whose name is a SAML binding field, in one pass
/// over the page.
pub fn scan_auto_post_form(html: &str) -> AutoPostForm {
    let mut form = AutoPostForm::default();
    let bytes = html.as_bytes();
    let mut from = 0;
    while let Some(lt) = html.get(from..).and_then(|r| r.find('<')).map(|i| from + i) {
        let is_tag = |name: &[u8]| {
            bytes.get(lt + 1..lt + 1 + name.len()).is_some_and(|t| t.eq_ignore_ascii_case(name))
        };
        let (input, form_tag) = (is_tag(b"input"), is_tag(b"form"));
        if !input && !form_tag {
            from = lt + 1;
            continue;
        }
        let end = html[lt..].find('>').map_or(html.len(), |e| lt + e);
        let attrs = tag_attributes(&html[lt..end]);
        let get = |n: &str| attrs.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
        if form_tag {
            if form.action.is_none() {
                form.action = get("action");
            }
        } else if let (Some(name), Some(value)) = (get("name"), get("value")) {
            if matches!(name.as_str(), "SAMLResponse" | "SAMLRequest" | "RelayState") {
                form.fields.push((name, value));
            }
        }
        from = end.max(lt + 1);
    }
    form
}

/// The attributes of a tag, names lower-cased, values entity-decoded.
fn tag_attributes(tag: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let bytes = tag.as_bytes();
    // Skip `<tagname`.
    let mut i = tag.find(|c: char| c.is_ascii_whitespace()).unwrap_or(tag.len());
    while i < bytes.len() {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        let name_start = i;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'=' {
            i += 1;
        }
        let name = tag[name_start..i].to_ascii_lowercase();
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if bytes.get(i) != Some(&b'=') {
            if !name.is_empty() {
                out.push((name, String::new()));
            }
            continue;
        }
        i += 1;
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let value = match bytes.get(i) {
            Some(&q @ (b'"' | b'\'')) => {
                let close = tag[i + 1..].find(q as char).map_or(tag.len(), |c| i + 1 + c);
                let v = &tag[i + 1..close];
                i = close + 1;
                v
            }
            _ => {
                let start = i;
                while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                &tag[start..i]
            }
        };
        out.push((name, decode_entities(value)));
    }
    out
}

/// Decodes the character references HTML pages use in attribute values.
pub fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let tail = &rest[amp..];
        let semi = tail.find(';').filter(|i| *i <= 10);
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
    fn entities() {
        assert_eq!(decode_entities("a&amp;b&#43;&#x3D;&bogus"), "a&b+=&bogus");
    }
}

//! What people paste instead of a clean value: the "Form Data" view of developer tools
//! (`SAMLResponse: PHNhbWxw…`), a whole `curl` command or request dump, a value in quotes or
//! JSON-escaped (`\/`, `\u003d`) from a log or an API response.

use super::PARAMS;

/// `Name: value` lines, as developer tools show a form body, when they name a SAML
/// parameter.
pub(crate) fn form_data_lines(text: &str) -> Option<Vec<(String, String)>> {
    let pairs: Vec<(String, String)> = text
        .lines()
        .filter_map(|l| {
            let (k, v) = l.split_once(':')?;
            let k = k.trim();
            let known = PARAMS.contains(&k) || matches!(k, "RelayState" | "SigAlg" | "Signature");
            (known && !v.trim().is_empty()).then(|| (k.to_string(), v.trim().to_string()))
        })
        .collect();
    pairs.iter().any(|(k, _)| PARAMS.contains(&k.as_str())).then_some(pairs)
}

/// The URL or form body inside a longer text (a curl command, a request dump): the run of
/// non-blank, unquoted characters around the first SAML parameter, with the URL before it
/// when a `?` joins them. `None` when the text is that run already.
pub(crate) fn parameter_token(text: &str) -> Option<(&str, &'static str)> {
    let at = PARAMS.iter().filter_map(|p| text.find(&format!("{p}="))).min()?;
    let stop = |c: char| c.is_whitespace() || matches!(c, '\'' | '"');
    let start = text[..at]
        .rfind(stop)
        .map_or(0, |i| i + text[i..].chars().next().map_or(1, char::len_utf8));
    let end = text[at..].find(stop).map_or(text.len(), |i| at + i);
    let token = &text[start..end];
    if token.len() == text.len() {
        return None;
    }
    let layer = if text.trim_start().starts_with("curl ") {
        "curl command line"
    } else if text.contains(" HTTP/1.") || text.contains(" HTTP/2") {
        "HTTP request dump"
    } else {
        "pasted text"
    };
    Some((token, layer))
}

/// A bare value without quotes and JSON escapes, and the layer that removed them.
pub(crate) fn unquote(text: &str) -> (String, Option<&'static str>) {
    let t = text.trim();
    if t.len() >= 2 && t.starts_with('"') && t.ends_with('"') {
        if let Ok(s) = serde_json::from_str::<String>(t) {
            return (s, Some("JSON string"));
        }
        return (t[1..t.len() - 1].to_string(), Some("quotes"));
    }
    if t.len() >= 2 && t.starts_with('\'') && t.ends_with('\'') {
        return (t[1..t.len() - 1].to_string(), Some("quotes"));
    }
    if t.contains("\\/") || t.contains("\\u") {
        if let Ok(s) = serde_json::from_str::<String>(&format!("\"{t}\"")) {
            return (s, Some("JSON escapes"));
        }
    }
    (t.to_string(), None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_what_people_paste() {
        let curl = "curl 'https://sp/acs' -H 'content-type: application/x-www-form-urlencoded' --data-raw 'SAMLResponse=PD94&RelayState=x'";
        assert_eq!(
            parameter_token(curl),
            Some(("SAMLResponse=PD94&RelayState=x", "curl command line"))
        );
        let dump = "GET /sso?SAMLRequest=fZBB HTTP/1.1\nHost: idp";
        assert_eq!(parameter_token(dump), Some(("/sso?SAMLRequest=fZBB", "HTTP request dump")));
        assert_eq!(parameter_token("SAMLResponse=abc"), None);
        let lines = form_data_lines("SAMLResponse: PD94\nRelayState: /agent\n").unwrap();
        assert_eq!(lines[0], ("SAMLResponse".into(), "PD94".into()));
        assert_eq!(unquote("\"PD94\\/bWw\\u003d\""), ("PD94/bWw=".into(), Some("JSON string")));
        assert_eq!(unquote("PD94\\/bWw\\u003d"), ("PD94/bWw=".into(), Some("JSON escapes")));
        assert_eq!(unquote("'PD94'"), ("PD94".into(), Some("quotes")));
    }
}

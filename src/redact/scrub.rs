//! What counts as a secret, and how each carrier (URL, cookie header, form body, JSON,
//! multipart, XML, free text) is rewritten without it. Names stay, values become
//! [`REDACTED`].

use super::Redactor;
use crate::input::decode::{url_decode, url_encode};

/// What a removed value reads.
pub const REDACTED: &str = "[redacted]";

/// Binding parameters that carry a message (any case, `SAMLResponse[]` too): evidence, never
/// redacted (pseudonymised on request).
pub fn is_message_param(name: &str) -> bool {
    let n = crate::input::param_name(name.trim());
    ["SAMLRequest", "SAMLResponse", "wresult"].iter().any(|p| p.eq_ignore_ascii_case(n))
}

/// Whether a parameter belongs to the binding: the message parameters, `RelayState`, and —
/// only beside a message (`saml_context`), since S3 and CloudFront URLs use the same names for
/// credentials — `SigAlg`, `Signature`, `wa`, `wctx`.
pub fn is_saml_param(name: &str, saml_context: bool) -> bool {
    let n = crate::input::param_name(name.trim());
    is_message_param(n)
        || n.eq_ignore_ascii_case("RelayState")
        || (saml_context && ["SigAlg", "Signature", "wa", "wctx"].contains(&n))
}

/// The words of a name: split at non-alphanumerics and at camelCase humps, lowercased.
fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if !c.is_ascii_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        cur.push(c.to_ascii_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Whether a parameter or JSON key name means a secret (`password`, `access_token`,
/// `j_password`, `login[pwd]`, `X-CSRF-Token`, `oobCode`, `privateKey`…).
pub fn secret_name(name: &str) -> bool {
    let n: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    const WORD: [&str; 20] = [
        "pw",
        "pwd",
        "pass",
        "passcode",
        "pin",
        "code",
        "sid",
        "otp",
        "mfa",
        "totp",
        "key",
        "jwt",
        "assertion",
        "ticket",
        "nonce",
        "signature",
        "sig",
        "auth",
        "secret",
        "token",
    ];
    const PART: [&str; 17] = [
        "password",
        "passwd",
        "token",
        "secret",
        "session",
        "csrf",
        "xsrf",
        "apikey",
        "authkey",
        "accesskey",
        "privatekey",
        "authorization",
        "authentication",
        "credential",
        "cookie",
        "ticket",
        "passphrase",
    ];
    let w = words(name);
    w.last().is_some_and(|l| WORD.contains(&l.as_str()))
        || WORD.contains(&n.as_str())
        || PART.iter().any(|p| n.contains(p))
}

/// Whether a header's value lets someone act as the user.
pub fn secret_header(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    matches!(n.as_str(), "cookie" | "set-cookie" | "authorization" | "proxy-authorization")
        || (secret_name(&n) && !n.starts_with(':'))
}

/// A `Cookie` header: every value redacted, names kept.
pub fn cookie_header(value: &str, r: &mut Redactor) -> String {
    value
        .split([';', ','])
        .map(|pair| {
            let pair = pair.trim();
            r.add("cookie values");
            match pair.split_once('=') {
                Some((name, _)) => format!("{}={REDACTED}", name.trim()),
                None => REDACTED.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// A `Set-Cookie` header, one cookie per line (Firefox joins several with newlines): each
/// value redacted; names and attributes (Path, Secure…) kept.
pub fn set_cookie_header(value: &str, r: &mut Redactor) -> String {
    value
        .split('\n')
        .map(|line| {
            r.add("cookie values");
            let (first, rest) = line.split_once(';').map_or((line, None), |(a, b)| (a, Some(b)));
            let name = first.split_once('=').map_or("", |(n, _)| n.trim());
            match rest {
                Some(rest) => format!("{name}={REDACTED};{}", tokens(rest, r)),
                None => format!("{name}={REDACTED}"),
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A header value, by the header's name: cookies, secret headers, and any URL-like value
/// (`Location`, `:path`, `X-Original-URL`, `Referer`) scrubbed as a URL.
pub fn header(name: &str, value: &str, r: &mut Redactor) -> String {
    let n = name.to_ascii_lowercase();
    match n.as_str() {
        "cookie" => cookie_header(value, r),
        "set-cookie" => set_cookie_header(value, r),
        _ if secret_header(&n) => {
            r.add("headers");
            REDACTED.to_string()
        }
        _ if value.starts_with('/') || value.contains("://") || n == "location" => url(value, r),
        _ => tokens(value, r),
    }
}

/// A URL (absolute or a path): user-info password, secret path, query and fragment
/// parameters, and tokens redacted; the binding parameters and everything else kept as written.
pub fn url(value: &str, r: &mut Redactor) -> String {
    let (before_fragment, fragment) =
        value.split_once('#').map_or((value, None), |(a, b)| (a, Some(b)));
    let (base, query) =
        before_fragment.split_once('?').map_or((before_fragment, None), |(a, b)| (a, Some(b)));
    let mut out = path(&userinfo(base, r), r);
    if let Some(q) = query {
        out.push('?');
        out.push_str(&params(q, false, r));
    }
    if let Some(f) = fragment {
        out.push('#');
        // OAuth implicit flows put tokens in the fragment as a query.
        out.push_str(&if f.contains('=') { params(f, false, r) } else { tokens(f, r) });
    }
    out
}

fn userinfo(base: &str, r: &mut Redactor) -> String {
    let Some((scheme, rest)) = base.split_once("://") else { return base.to_string() };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    let authority = match authority.rsplit_once('@') {
        Some((info, host)) => {
            r.add("URL credentials");
            let user = info.split(':').next().unwrap_or_default();
            format!("{user}:{REDACTED}@{host}")
        }
        None => authority.to_string(),
    };
    format!("{scheme}://{authority}{path}")
}

/// Path parameters (`;jsessionid=…`) with secret names redacted, tokens in segments too.
fn path(p: &str, r: &mut Redactor) -> String {
    let mut out = String::with_capacity(p.len());
    for (i, piece) in p.split(';').enumerate() {
        if i > 0 {
            out.push(';');
            if let Some((name, _)) = piece.split_once('=').filter(|(n, _)| secret_name(n)) {
                r.add("parameters");
                out.push_str(&format!("{name}={REDACTED}"));
                continue;
            }
        }
        out.push_str(&tokens(piece, r));
    }
    out
}

/// `a=1&b=2` (a query or a form body; `;` separates too). With `all_values`, every value but
/// the binding's is redacted (a form body: what a login form posts); otherwise only
/// secret-named ones, and secrets inside values (a nested URL, a percent-encoded token).
pub fn params(query: &str, all_values: bool, r: &mut Redactor) -> String {
    let saml_context = query.split(['&', ';']).any(|p| {
        p.split_once('=').is_some_and(|(n, _)| {
            is_message_param(&url_decode(n, true).unwrap_or_else(|_| n.to_string()))
        })
    });
    let mut out = String::with_capacity(query.len());
    let mut rest = query;
    while !rest.is_empty() {
        let end = rest.find(['&', ';']).unwrap_or(rest.len());
        let (pair, sep) = (&rest[..end], rest.get(end..end + 1).unwrap_or(""));
        out.push_str(&param(pair, all_values, saml_context, r));
        out.push_str(sep);
        rest = &rest[(end + sep.len()).min(rest.len())..];
    }
    out
}

fn param(pair: &str, all_values: bool, saml_context: bool, r: &mut Redactor) -> String {
    let Some((raw_name, value)) = pair.split_once('=') else {
        return tokens(pair, r);
    };
    let name = url_decode(raw_name, true).unwrap_or_else(|_| raw_name.to_string());
    if is_saml_param(&name, saml_context) {
        return format!("{raw_name}={}", r.saml(&name, value));
    }
    if all_values || secret_name(&name) {
        r.add("parameters");
        return format!("{raw_name}={REDACTED}");
    }
    // A value may hide what its name does not say: a percent-encoded URL with its own query,
    // a `Bearer%20…`.
    let decoded = url_decode(value, true).unwrap_or_else(|_| value.to_string());
    let scrubbed = if decoded.contains("://") || decoded.starts_with('/') {
        url(&decoded, r)
    } else {
        tokens(&decoded, r)
    };
    if scrubbed == decoded {
        format!("{raw_name}={value}")
    } else {
        format!("{raw_name}={}", url_encode(&scrubbed, b"[]", true))
    }
}

/// JSON: secret-named keys redacted at any depth, tokens redacted in every string, and JSON
/// written inside a string value scrubbed too.
pub fn json(v: &mut serde_json::Value, r: &mut Redactor) {
    use serde_json::Value;
    match v {
        Value::Object(map) => {
            for (k, val) in map.iter_mut() {
                if secret_name(k) && !val.is_null() {
                    r.add("JSON values");
                    *val = Value::String(REDACTED.into());
                } else {
                    json(val, r);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| json(i, r)),
        Value::String(s) => {
            let t = s.trim_start();
            if t.starts_with(['{', '[']) {
                if let Ok(mut inner) = serde_json::from_str::<Value>(t) {
                    json(&mut inner, r);
                    *s = inner.to_string();
                    return;
                }
            }
            let t = text(s, r);
            if t != *s {
                *s = t;
            }
        }
        _ => {}
    }
}

/// A `multipart/form-data` body: every part's content redacted except the binding's.
pub fn multipart(text: &str, r: &mut Redactor) -> Option<String> {
    let first = text.lines().next()?.trim_end();
    let boundary = first.strip_prefix("--").filter(|b| !b.is_empty() && !b.contains(' '))?;
    let delimiter = format!("--{boundary}");
    let mut out = String::with_capacity(text.len());
    for (i, part) in text.split(delimiter.as_str()).enumerate() {
        if i > 0 {
            out.push_str(&delimiter);
        }
        if i == 0 || part.starts_with("--") {
            out.push_str(part);
            continue;
        }
        let sep = if part.contains("\r\n\r\n") { "\r\n\r\n" } else { "\n\n" };
        let Some((head, body)) = part.split_once(sep) else {
            r.add("parameters");
            out.push_str(REDACTED);
            continue;
        };
        let name = head
            .lines()
            .filter(|l| l.to_ascii_lowercase().starts_with("content-disposition"))
            .find_map(|l| l.split("name=\"").nth(1)?.split('"').next().map(str::to_string))
            .unwrap_or_default();
        out.push_str(head);
        out.push_str(sep);
        let end = body.len() - body.trim_end_matches(['\r', '\n']).len();
        if is_saml_param(&name, true) {
            out.push_str(&r.saml(&name, &body[..body.len() - end]));
        } else {
            r.add("parameters");
            out.push_str(REDACTED);
        }
        out.push_str(&body[body.len() - end..]);
    }
    Some(out)
}

/// Free text that may hold URLs (a page title, a stack frame, a JSON string): each URL
/// scrubbed as a URL, then tokens.
pub fn text(s: &str, r: &mut Redactor) -> String {
    if !s.contains("://") {
        return tokens(s, r);
    }
    let mut out = String::with_capacity(s.len());
    let mut at = 0;
    for (i, _) in s.match_indices("://") {
        if i < at {
            continue;
        }
        // Just past the last character that cannot be part of a scheme (which may be wide).
        let start = s[at..i]
            .char_indices()
            .rfind(|(_, c)| !(c.is_ascii_alphanumeric() || "+.-".contains(*c)))
            .map_or(at, |(p, c)| at + p + c.len_utf8());
        let end = s[i..]
            .find(|c: char| c.is_whitespace() || "\"'<>".contains(c))
            .map_or(s.len(), |p| i + p);
        out.push_str(&tokens(&s[at..start], r));
        out.push_str(&url(&s[start..end], r));
        at = end;
    }
    out.push_str(&tokens(&s[at..], r));
    out
}

/// Free text: bearer tokens and JWTs (`eyJ….….…`) redacted wherever they appear; with
/// `--pseudonymize`, e-mail addresses too. One pass over the text.
pub fn tokens(text: &str, r: &mut Redactor) -> String {
    let text = r.people(text);
    if !text.contains("eyJ") && !text.contains(['b', 'B']) {
        return text.into_owned();
    }
    let lower = text.to_ascii_lowercase();
    let is_token = |c: char| c.is_ascii_alphanumeric() || "-_.~+/=%".contains(c);
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    let mut i = 0;
    while i < text.len() {
        let (start, value_start) = if lower[i..].starts_with("bearer ") {
            (i, i + "bearer ".len())
        } else if text[i..].starts_with("eyJ") && (i == 0 || !text[..i].ends_with(is_token)) {
            (i, i)
        } else {
            i += text[i..].chars().next().map_or(1, char::len_utf8);
            continue;
        };
        let len =
            text[value_start..].find(|c: char| !is_token(c)).unwrap_or(text.len() - value_start);
        let value = &text[value_start..value_start + len];
        let jwt = start == value_start && value.split('.').filter(|p| !p.is_empty()).count() >= 2;
        if (value_start > start && len >= 8) || jwt {
            r.add("tokens");
            out.push_str(&text[at..value_start]);
            out.push_str(REDACTED);
            at = value_start + len;
        }
        i = (value_start + len).max(i + 1);
        while !text.is_char_boundary(i) {
            i += 1;
        }
    }
    out.push_str(&text[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_mean_secrets() {
        for n in [
            "password",
            "j_password",
            "login[pwd]",
            "access_token",
            "X-CSRF-Token",
            "client_secret",
            "SESSIONID",
            "otp",
            "code",
            "api-key",
            "oobCode",
            "verificationCode",
            "privateKey",
            "pw",
            "authkey",
            "X-Auth",
            "proxyGrantingTicket",
        ] {
            assert!(secret_name(n), "{n}");
        }
        for n in [
            "connection",
            "runtimeDomain",
            "RelayState",
            "username",
            "email",
            "state",
            "host",
            "author",
        ] {
            assert!(!secret_name(n), "{n}");
        }
        assert!(!secret_header(":authority"));
        assert!(secret_header("Proxy-Authorization") && secret_header("x-api-key"));
    }

    #[test]
    fn urls_keep_evidence_and_lose_secrets() {
        let mut r = Redactor::default();
        assert_eq!(
            url("https://u:pw@h/cb;jsessionid=abc?connection=JQ1&code=abc;sid=x&SAMLResponse=x%2B&Signature=s#id_token=eyJa.eyJb.c", &mut r),
            "https://u:[redacted]@h/cb;jsessionid=[redacted]?connection=JQ1&code=[redacted];sid=[redacted]&SAMLResponse=x%2B&Signature=s#id_token=[redacted]"
        );
        assert_eq!(
            url("https://b.s3.amazonaws.com/k?Signature=abc&Expires=1", &mut r),
            "https://b.s3.amazonaws.com/k?Signature=[redacted]&Expires=1"
        );
        assert_eq!(
            url("/authorize?redirect_uri=https%3A%2F%2Fa%2Fcb%3Faccess_token%3Dxyz", &mut r),
            "/authorize?redirect_uri=https%3A%2F%2Fa%2Fcb%3Faccess_token%3D[redacted]"
        );
        assert_eq!(
            params("username=ada&password=p%40ss&RelayState=r", true, &mut r),
            "username=[redacted]&password=[redacted]&RelayState=r"
        );
        assert_eq!(cookie_header("a=1; sid=2", &mut r), "a=[redacted]; sid=[redacted]");
        assert_eq!(
            set_cookie_header("sid=2; Path=/; Secure\nb=3", &mut r),
            "sid=[redacted]; Path=/; Secure\nb=[redacted]"
        );
        assert_eq!(
            tokens("x Bearer abcdefghij y eyJhbGc.eyJzdWI.sig z eyJnot", &mut r),
            "x Bearer [redacted] y [redacted] z eyJnot"
        );
        assert_eq!(header(":path", "/cb?code=abc", &mut r), "/cb?code=[redacted]");
    }

    #[test]
    fn urls_next_to_wide_characters() {
        let mut r = Redactor::default();
        assert_eq!(text("€https://h/?code=1 é", &mut r), "€https://h/?code=[redacted] é");
    }

    #[test]
    fn tokens_scans_once() {
        // Quadratic before (found in review): 400,000 near-misses took 107 s; now one pass.
        let mut r = Redactor::default();
        let text = "eyJ,".repeat(400_000);
        assert_eq!(tokens(&text, &mut r), text);
    }

    #[test]
    fn multipart_keeps_only_binding_parts() {
        let mut r = Redactor::default();
        let body = "--b\r\nContent-Disposition: form-data; name=\"SAMLResponse\"\r\n\r\nPHNhbWw+\r\n--b\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nsecret\r\n--b--\r\n";
        let out = multipart(body, &mut r).unwrap();
        assert!(
            out.contains("PHNhbWw+") && !out.contains("secret") && out.ends_with("--b--\r\n"),
            "{out}"
        );
    }
}

//! What counts as a secret, and how each carrier (URL, cookie header, form body, JSON,
//! multipart, free text) is rewritten without it. Names stay, values become [`REDACTED`].

use super::Redactor;
use crate::input::decode::url_decode;

/// What a removed value reads.
pub const REDACTED: &str = "[redacted]";

/// Binding parameters: evidence, never redacted (pseudonymised on request).
pub const SAML_PARAMS: [&str; 8] =
    ["SAMLRequest", "SAMLResponse", "RelayState", "SigAlg", "Signature", "wresult", "wa", "wctx"];

/// Whether a parameter or JSON key name means a secret (`password`, `access_token`,
/// `j_password`, `login[pwd]`, `X-CSRF-Token`…).
pub fn secret_name(name: &str) -> bool {
    let n: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    const EXACT: [&str; 16] = [
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
    ];
    const PART: [&str; 12] = [
        "password",
        "passwd",
        "token",
        "secret",
        "session",
        "csrf",
        "xsrf",
        "apikey",
        "authorization",
        "authentication",
        "credential",
        "cookie",
    ];
    // The last word of `login[pwd]`, `x-otp`, `user.pin`.
    let last = name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .rfind(|w| !w.is_empty())
        .unwrap_or_default()
        .to_ascii_lowercase();
    EXACT.contains(&n.as_str())
        || EXACT.contains(&last.as_str())
        || PART.iter().any(|p| n.contains(p))
}

/// Whether a header's value lets someone act as the user.
pub fn secret_header(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    matches!(n.as_str(), "cookie" | "set-cookie" | "authorization" | "proxy-authorization")
        || (secret_name(&n) && !n.starts_with(':'))
}

/// Whether a parameter is one of the binding's.
pub fn is_saml_param(name: &str) -> bool {
    SAML_PARAMS.iter().any(|p| p.eq_ignore_ascii_case(name.trim()))
}

/// A `Cookie` header: every value redacted, names kept.
pub fn cookie_header(value: &str, r: &mut Redactor) -> String {
    value
        .split(';')
        .map(|pair| {
            let pair = pair.trim();
            r.add("cookie values");
            match pair.split_once('=') {
                Some((name, _)) => format!("{name}={REDACTED}"),
                None => REDACTED.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// A `Set-Cookie` header: the value redacted; name and attributes (Path, Secure…) kept.
pub fn set_cookie_header(value: &str, r: &mut Redactor) -> String {
    r.add("cookie values");
    let (first, rest) = value.split_once(';').map_or((value, None), |(a, b)| (a, Some(b)));
    let name = first.split_once('=').map_or("", |(n, _)| n.trim());
    match rest {
        Some(rest) => format!("{name}={REDACTED};{rest}"),
        None => format!("{name}={REDACTED}"),
    }
}

/// A header value, by the header's name.
pub fn header(name: &str, value: &str, r: &mut Redactor) -> String {
    let n = name.to_ascii_lowercase();
    match n.as_str() {
        "cookie" => cookie_header(value, r),
        "set-cookie" => set_cookie_header(value, r),
        "location" | "referer" | "origin" | "content-location" | "refresh" | "link" => {
            url(value, r)
        }
        _ if secret_header(&n) => {
            r.add("headers");
            REDACTED.to_string()
        }
        _ => tokens(value, r),
    }
}

/// A URL: user-info password, secret query and fragment parameters, and tokens redacted; the
/// binding parameters and everything else kept as written.
pub fn url(value: &str, r: &mut Redactor) -> String {
    let (before_fragment, fragment) =
        value.split_once('#').map_or((value, None), |(a, b)| (a, Some(b)));
    let (base, query) =
        before_fragment.split_once('?').map_or((before_fragment, None), |(a, b)| (a, Some(b)));
    let mut out = userinfo(base, r);
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
    let Some((scheme, rest)) = base.split_once("://") else { return tokens(base, r) };
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
    format!("{scheme}://{authority}{}", tokens(path, r))
}

/// `a=1&b=2` (a query or a form body). With `all_values`, every value but the binding's is
/// redacted (a form body: what a login form posts); otherwise only secret-named ones.
pub fn params(query: &str, all_values: bool, r: &mut Redactor) -> String {
    query
        .split('&')
        .map(|pair| {
            let Some((raw_name, value)) = pair.split_once('=') else {
                return tokens(pair, r);
            };
            let name = url_decode(raw_name, true).unwrap_or_else(|_| raw_name.to_string());
            if is_saml_param(&name) {
                format!("{raw_name}={}", r.saml(&name, value))
            } else if all_values || secret_name(&name) {
                r.add("parameters");
                format!("{raw_name}={REDACTED}")
            } else {
                format!("{raw_name}={}", tokens(value, r))
            }
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// JSON: secret-named keys redacted at any depth, tokens redacted in every string.
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
            let t = tokens(s, r);
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
            out.push_str(part);
            continue;
        };
        let name = head
            .lines()
            .filter(|l| l.to_ascii_lowercase().starts_with("content-disposition"))
            .find_map(|l| l.split("name=\"").nth(1)?.split('"').next().map(str::to_string))
            .unwrap_or_default();
        out.push_str(head);
        out.push_str(sep);
        if is_saml_param(&name) {
            let end = body.len() - body.trim_end_matches(['\r', '\n']).len();
            out.push_str(&r.saml(&name, &body[..body.len() - end]));
            out.push_str(&body[body.len() - end..]);
        } else {
            r.add("parameters");
            let end = if body.ends_with("\r\n") {
                "\r\n"
            } else if body.ends_with('\n') {
                "\n"
            } else {
                ""
            };
            out.push_str(REDACTED);
            out.push_str(end);
        }
    }
    Some(out)
}

/// Free text: bearer tokens and JWTs (`eyJ….….…`) redacted wherever they appear.
pub fn tokens(text: &str, r: &mut Redactor) -> String {
    if !text.contains("eyJ") && !text.to_ascii_lowercase().contains("bearer ") {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    loop {
        let lower = rest.to_ascii_lowercase();
        let jwt = rest.find("eyJ");
        let bearer = lower.find("bearer ").map(|i| (i, i + "bearer ".len()));
        let next = match (jwt, bearer) {
            (Some(j), Some((b, s))) if b < j => Some((b, s)),
            (Some(j), _) => Some((j, j)),
            (None, Some((b, s))) => Some((b, s)),
            (None, None) => None,
        };
        let Some((at, value_start)) = next else {
            out.push_str(rest);
            return out;
        };
        let is_token = |c: char| c.is_ascii_alphanumeric() || "-_.~+/=%".contains(c);
        let len =
            rest[value_start..].find(|c: char| !is_token(c)).unwrap_or(rest.len() - value_start);
        let value = &rest[value_start..value_start + len];
        let real_jwt = value_start == at && value.split('.').filter(|p| !p.is_empty()).count() >= 2;
        out.push_str(&rest[..value_start]);
        if (value_start > at && len >= 8) || real_jwt {
            r.add("tokens");
            out.push_str(REDACTED);
        } else {
            out.push_str(value);
        }
        rest = &rest[value_start + len..];
        if len == 0 {
            // No token after the keyword: step past it.
            let step = rest.chars().next().map_or(0, char::len_utf8);
            out.push_str(&rest[..step]);
            rest = &rest[step..];
        }
    }
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
        ] {
            assert!(secret_name(n), "{n}");
        }
        for n in ["connection", "runtimeDomain", "RelayState", "username", "email", "state", "host"]
        {
            assert!(!secret_name(n), "{n}");
        }
        assert!(!secret_header(":authority"));
        assert!(secret_header("Proxy-Authorization") && secret_header("x-api-key"));
    }

    #[test]
    fn urls_keep_evidence_and_lose_secrets() {
        let mut r = Redactor::default();
        assert_eq!(
            url("https://u:pw@h/cb?connection=JQ1&code=abc&SAMLResponse=x%2B#id_token=eyJa.eyJb.c", &mut r),
            "https://u:[redacted]@h/cb?connection=JQ1&code=[redacted]&SAMLResponse=x%2B#id_token=[redacted]"
        );
        assert_eq!(
            params("username=ada&password=p%40ss&RelayState=r", true, &mut r),
            "username=[redacted]&password=[redacted]&RelayState=r"
        );
        assert_eq!(cookie_header("a=1; sid=2", &mut r), "a=[redacted]; sid=[redacted]");
        assert_eq!(
            set_cookie_header("sid=2; Path=/; Secure", &mut r),
            "sid=[redacted]; Path=/; Secure"
        );
        assert_eq!(
            tokens("x Bearer abcdefghij y eyJhbGc.eyJzdWI.sig z eyJnot", &mut r),
            "x Bearer [redacted] y [redacted] z eyJnot"
        );
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

//! HTTP-Redirect binding signatures (SAML bindings §3.4.4.1): the `Signature` query parameter
//! signs the octets `SAMLRequest=…&RelayState=…&SigAlg=…` exactly as they appeared in the URL,
//! original percent-encoding included. When it does not verify, the same values re-encoded
//! the common ways are tried, so the report can say "re-encoded after signing" instead of
//! "invalid".

use super::algorithms::SignatureAlgorithm;
use super::crypto::verify_redirect;
use super::{Certificate, Status};
use crate::input::decode::{base64_decode, url_decode, url_encode};
use crate::input::{decode_value, Binding, InputLimits};

/// The verdict on a Redirect-binding signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedirectVerdict {
    /// The outcome.
    pub status: Status,
    /// Why, when not valid.
    pub reason: Option<String>,
    /// `SigAlg`, decoded.
    pub sig_alg: String,
    /// The configured certificate that verified it.
    pub verified_by: Option<Certificate>,
    /// The signature verifies over this re-encoding of the query, not over the query as
    /// captured: the query was re-encoded after it was signed.
    pub reencoded: Option<&'static str>,
    /// When not checked: the flags that give the sender's certificate.
    pub needs: Option<&'static str>,
}

/// A raw `name=value` parameter of the query, as written.
fn raw_param<'a>(query: &'a str, name: &str) -> Option<&'a str> {
    query.split('&').find_map(|p| p.strip_prefix(name)?.strip_prefix('='))
}

/// The octets a Redirect signature covers, built from the raw query for the message in
/// parameter `message` (None without it or SigAlg). `rewrite` rewrites each raw value; the
/// `bool` it gets says whether the value is the message's (base64: no spaces in it).
fn signed_octets(
    query: &str,
    message: &str,
    rewrite: &dyn Fn(&str, bool) -> Option<String>,
) -> Option<String> {
    let mut parts = vec![(message, raw_param(query, message)?)];
    if let Some(r) = raw_param(query, "RelayState") {
        parts.push(("RelayState", r));
    }
    parts.push(("SigAlg", raw_param(query, "SigAlg")?));
    let mut out = Vec::with_capacity(parts.len());
    for (i, (name, value)) in parts.into_iter().enumerate() {
        out.push(format!("{name}={}", rewrite(value, i == 0)?));
    }
    Some(out.join("&"))
}

/// Rewrites one raw query value; the flag says whether it is the message's value.
type Rewrite = fn(&str, bool) -> Option<String>;

/// Ways a query is re-encoded between the signer and the capture, each as a rewrite of a raw
/// value back to what the signer may have signed. Each keeps the decoded values the same:
/// `+` read back as `%2B` only in the message's base64, where a space cannot occur.
const REENCODINGS: &[(&str, Rewrite)] = &[
    ("upper-case percent-escapes (%2F)", |v, _| Some(hex_case(v, true))),
    ("lower-case percent-escapes (%2f)", |v, _| Some(hex_case(v, false))),
    ("%2B in the message where the capture has +", |v, message| {
        Some(if message { v.replace('+', "%2B") } else { v.to_string() })
    }),
    ("+ for a space where the capture has %20", |v, _| Some(v.replace("%20", "+"))),
    ("%20 for a space where the capture has +", |v, message| {
        Some(if message { v.to_string() } else { v.replace('+', "%20") })
    }),
    ("every reserved character escaped, upper-case (RFC 3986)", |v, message| {
        Some(url_encode(&url_decode(v, !message).ok()?, b"", true))
    }),
    ("every reserved character escaped, lower-case", |v, message| {
        Some(url_encode(&url_decode(v, !message).ok()?, b"", false))
    }),
];

fn hex_case(v: &str, upper: bool) -> String {
    let mut out = String::with_capacity(v.len());
    let mut escape = 0;
    for c in v.chars() {
        if c == '%' {
            escape = 2;
            out.push(c);
        } else if escape > 0 {
            escape -= 1;
            out.push(if upper { c.to_ascii_uppercase() } else { c.to_ascii_lowercase() });
        } else {
            out.push(c);
        }
    }
    out
}

/// Verifies the Redirect signature of `raw_query` for the message read from its parameter
/// `message` (`SAMLRequest`/`SAMLResponse`) as `xml`, with `certs` (the sender's: `flag`
/// names where they come from). `None` when the query carries no `Signature`. A query that
/// names more than one message parameter, or whose parameter does not hold this message, is
/// never valid for it: the signature vouches for one value only.
pub fn verify_query(
    raw_query: &str,
    message: Option<&str>,
    xml: &[u8],
    certs: &[Certificate],
    flag: &'static str,
) -> Option<RedirectVerdict> {
    let raw_signature = raw_param(raw_query, "Signature")?;
    let sig_alg =
        raw_param(raw_query, "SigAlg").and_then(|a| url_decode(a, true).ok()).unwrap_or_default();
    let verdict = |status, reason: String| RedirectVerdict {
        status,
        reason: Some(reason),
        sig_alg: sig_alg.clone(),
        verified_by: None,
        reencoded: None,
        needs: None,
    };
    let mentions = crate::input::mentions(raw_query);
    if mentions != 1 {
        return Some(verdict(Status::Invalid, format!("the query names {mentions} SAML message parameters: a Redirect signature vouches for one value, so it verifies none of them")));
    }
    let Some(message) = message.filter(|m| {
        raw_param(raw_query, m)
            .and_then(|v| url_decode(v, false).ok())
            .and_then(|v| decode_value(&v, Some(Binding::Redirect), InputLimits::default()).ok())
            .is_some_and(|c| *c.xml == *xml)
    }) else {
        return Some(verdict(
            Status::Invalid,
            "the signed query parameter does not hold this message".into(),
        ));
    };
    let Some(alg) = SignatureAlgorithm::from_uri(&sig_alg) else {
        let what =
            if sig_alg.is_empty() { "no SigAlg".to_string() } else { format!("SigAlg {sig_alg}") };
        return Some(verdict(
            Status::Unsupported,
            format!("{what}: samlscope verifies RSA and ECDSA with SHA-1 to SHA-512"),
        ));
    };
    let signature = match url_decode(raw_signature, true).map(|s| base64_decode(&s)) {
        Ok(Ok((bytes, _))) => bytes,
        _ => return Some(verdict(Status::Invalid, "the Signature parameter is not base64".into())),
    };
    let same = |v: &str, _| Some(v.to_string());
    let octets = signed_octets(raw_query, message, &same)?;
    if certs.is_empty() {
        let mut v = verdict(
            Status::NotChecked,
            format!("no certificate of the sender to check it with (give {flag})"),
        );
        v.needs = Some(flag);
        return Some(v);
    }
    let verifies = |data: &str| {
        certs.iter().find(|c| verify_redirect(c, alg, data.as_bytes(), &signature).unwrap_or(false))
    };
    if let Some(c) = verifies(&octets) {
        return Some(RedirectVerdict {
            status: Status::Valid,
            reason: None,
            sig_alg,
            verified_by: Some(c.clone()),
            reencoded: None,
            needs: None,
        });
    }
    for (how, rewrite) in REENCODINGS {
        let Some(variant) = signed_octets(raw_query, message, rewrite).filter(|v| *v != octets)
        else {
            continue;
        };
        if let Some(c) = verifies(&variant) {
            return Some(RedirectVerdict {
                status: Status::Invalid,
                reason: Some(format!("the signature verifies over the same values written with {how}, not over the query as captured: the query was re-encoded after it was signed (a proxy, a redirect rewriter or a copy), and a receiver that checks the bytes it gets rejects it")),
                sig_alg,
                verified_by: Some(c.clone()),
                reencoded: Some(how),
                needs: None,
            });
        }
    }
    Some(verdict(Status::Invalid, format!("the signature does not verify over the query as captured with {}; if the URL was copied or passed through a proxy, a re-encoding (%2B and +, upper- and lower-case escapes) is the usual cause, otherwise the sender signs with another key", describe(certs))))
}

fn describe(certs: &[Certificate]) -> String {
    let names: Vec<String> = certs
        .iter()
        .map(|c| format!("{} (sha256 {}…)", c.subject, &c.sha256[..16.min(c.sha256.len())]))
        .collect();
    names.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_octets_keep_the_order_and_bytes_of_the_binding() {
        let q = "SigAlg=http%3A%2F%2Fx&Signature=abc&RelayState=r%2b&SAMLRequest=a%2Bb";
        let same = |v: &str, _| Some(v.to_string());
        assert_eq!(
            signed_octets(q, "SAMLRequest", &same).unwrap(),
            "SAMLRequest=a%2Bb&RelayState=r%2b&SigAlg=http%3A%2F%2Fx"
        );
        assert_eq!(signed_octets("SAMLRequest=a", "SAMLRequest", &same), None, "no SigAlg");
    }

    #[test]
    fn reencodings_rewrite_what_proxies_change() {
        assert_eq!(hex_case("a%2fb%3Ac", true), "a%2Fb%3Ac");
        assert_eq!(url_encode("a b/c~", b"", true), "a%20b%2Fc~");
    }
}

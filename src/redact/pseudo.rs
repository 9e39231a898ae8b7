//! `--pseudonymize`: personal data inside SAML messages (NameID, attribute values other than
//! roles) replaced consistently — the same value always becomes the same pseudonym in one run —
//! and each payload re-encoded with the layers it came in.

use std::collections::HashMap;
use std::io::Write;

use base64::Engine;

use crate::input::decode::{base64_decode, inflate, url_decode, url_encode};
use crate::xml::{parse, Document, NodeId, NodeKind, XmlLimits};

/// The pseudonyms of one run.
#[derive(Debug, Default)]
pub struct Pseudonyms {
    map: HashMap<String, String>,
    emails: usize,
    others: usize,
    /// Values replaced (each occurrence).
    pub replaced: usize,
}

/// Largest payload re-encoded (the decoding limit of `analyze`).
const MAX_PAYLOAD: usize = 16 << 20;

impl Pseudonyms {
    /// The pseudonym of `value`: `user-N@example.invalid` for an e-mail address, `person-N`
    /// otherwise; the same value always gets the same one.
    fn pseudonym(&mut self, value: &str) -> String {
        if let Some(p) = self.map.get(value) {
            return p.clone();
        }
        let p = if value.contains('@') {
            self.emails += 1;
            format!("user-{}@example.invalid", self.emails)
        } else {
            self.others += 1;
            format!("person-{}", self.others)
        };
        self.map.insert(value.to_string(), p.clone());
        p
    }

    /// A binding parameter's value as its carrier holds it (percent-encoded or not; base64;
    /// raw DEFLATE or not), pseudonymised and encoded the same way. `None` when it does not
    /// decode to XML.
    pub fn param(&mut self, raw: &str) -> Option<String> {
        let percent = raw.contains('%');
        let decoded = if percent { url_decode(raw, false).ok()? } else { raw.to_string() };
        if decoded.len() > MAX_PAYLOAD {
            return None;
        }
        // WS-Federation's wresult is XML as it is, not base64.
        if decoded.trim_start().starts_with('<') {
            let new = String::from_utf8(self.xml(decoded.as_bytes())?).ok()?;
            return Some(if percent { url_encode(&new, b"", true) } else { new });
        }
        let (bytes, _) = base64_decode(&decoded).ok()?;
        let (xml, deflated) = if bytes.trim_ascii_start().first() == Some(&b'<')
            || bytes.starts_with(b"\xEF\xBB\xBF")
        {
            (bytes, false)
        } else {
            (inflate(&bytes, MAX_PAYLOAD).ok()?.0, true)
        };
        let new = self.xml(&xml)?;
        let bytes = if deflated {
            let mut e =
                flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
            e.write_all(&new).ok()?;
            e.finish().ok()?
        } else {
            new
        };
        let b64 = base64::engine::general_purpose::STANDARD.encode(bytes);
        Some(if percent { url_encode(&b64, b"", true) } else { b64 })
    }

    /// An XML message with each NameID and non-role AttributeValue text replaced; `None` when
    /// it does not parse.
    pub fn xml(&mut self, xml: &[u8]) -> Option<Vec<u8>> {
        let doc = parse(xml, XmlLimits::default()).ok()?;
        let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
        for n in doc.descendants(doc.root) {
            let Some(e) = doc.element(n) else { continue };
            let personal = match e.local() {
                "NameID" | "NameIdentifier" => true,
                "AttributeValue" => !is_role_attribute(&doc, n),
                _ => false,
            };
            if !personal {
                continue;
            }
            for c in doc.children(n) {
                let (Some(NodeKind::Text(t)), Some(span)) = (doc.kind(c), doc.span(c)) else {
                    continue;
                };
                if t.trim().is_empty() || xml.get(span.clone()).is_none() {
                    continue;
                }
                let p = self.pseudonym(t.trim());
                self.replaced += 1;
                edits.push((span, escape(&p)));
            }
        }
        let mut out = xml.to_vec();
        edits.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
        for (range, text) in edits {
            out.splice(range, text.into_bytes());
        }
        Some(out)
    }
}

/// Roles and groups stay: they are what a diagnosis is about, not who the user is. Only an
/// attribute whose last name segment says so (`roles`, `.../claims/role`, `memberOf`), not
/// AWS's `RoleSessionName`, which holds the user.
fn is_role_attribute(doc: &Document, value: NodeId) -> bool {
    let Some(attr) = doc.parent(value) else { return false };
    ["Name", "FriendlyName", "AttributeName"].iter().any(|a| {
        doc.attr(attr, a).is_some_and(|v| {
            let last = v.rsplit(['/', ':', '#', '.']).next().unwrap_or(v).to_ascii_lowercase();
            matches!(last.as_str(), "role" | "roles" | "group" | "groups" | "memberof" | "rolename")
        })
    })
}

impl Pseudonyms {
    /// `text` with every e-mail address replaced by its pseudonym.
    pub fn emails_in(&mut self, text: &str) -> String {
        let is_local = |c: char| c.is_ascii_alphanumeric() || "._%+-".contains(c);
        let is_domain = |c: char| c.is_ascii_alphanumeric() || ".-".contains(c);
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for (i, _) in text.match_indices('@') {
            if i < at {
                continue;
            }
            let start = text[at..i]
                .char_indices()
                .rfind(|(_, c)| !is_local(*c))
                .map_or(at, |(p, c)| at + p + c.len_utf8());
            let end = text[i + 1..].find(|c: char| !is_domain(c)).map_or(text.len(), |p| i + 1 + p);
            let (local, domain) = (&text[start..i], text[i + 1..end].trim_end_matches('.'));
            if local.is_empty() || !domain.contains('.') || domain.ends_with("example.invalid") {
                continue;
            }
            let end = i + 1 + domain.len();
            out.push_str(&text[at..start]);
            let p = self.pseudonym(&text[start..end]);
            self.replaced += 1;
            out.push_str(&p);
            at = end;
        }
        out.push_str(&text[at..]);
        out
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_value_same_pseudonym_roles_kept_comments_kept() {
        let mut p = Pseudonyms::default();
        let xml = br#"<a:Assertion xmlns:a="urn:oasis:names:tc:SAML:2.0:assertion"><a:Subject><a:NameID>ada@acme.com<!---->.evil</a:NameID></a:Subject><a:AttributeStatement><a:Attribute Name="email"><a:AttributeValue>ada@acme.com</a:AttributeValue></a:Attribute><a:Attribute Name="roles"><a:AttributeValue>agent</a:AttributeValue></a:Attribute></a:AttributeStatement></a:Assertion>"#;
        let out = String::from_utf8(p.xml(xml).unwrap()).unwrap();
        assert!(
            out.contains("<a:NameID>user-1@example.invalid<!---->person-1</a:NameID>"),
            "{out}"
        );
        assert!(
            out.contains("<a:AttributeValue>user-1@example.invalid</a:AttributeValue>"),
            "{out}"
        );
        assert!(out.contains("<a:AttributeValue>agent</a:AttributeValue>"), "{out}");
    }

    #[test]
    fn emails_next_to_wide_characters() {
        let mut p = Pseudonyms::default();
        assert_eq!(p.emails_in("é€ada@acme.com€"), "é€user-1@example.invalid€");
    }

    #[test]
    fn payloads_keep_their_layers() {
        let mut p = Pseudonyms::default();
        let xml = b"<r><NameID>bob</NameID></r>";
        let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(xml).unwrap();
        let raw = url_encode(
            &base64::engine::general_purpose::STANDARD.encode(e.finish().unwrap()),
            b"",
            true,
        );
        let out = p.param(&raw).unwrap();
        let decoded =
            crate::input::decode_value(&out, None, crate::input::InputLimits::default()).unwrap();
        assert_eq!(&*decoded.xml, b"<r><NameID>person-1</NameID></r>");
        assert!(decoded.layers.iter().any(|l| l.contains("DEFLATE")));
    }
}

//! `samlscope redact`: a HAR or SAML-tracer export made safe to attach to a ticket — session
//! cookies, tokens, passwords and the bodies a diagnosis does not need removed, every SAML
//! message kept (and, with `--pseudonymize`, the people in them replaced) — written in the
//! same format, one entry at a time: memory is bounded by the largest entry.

mod entry;
pub mod pseudo;
pub mod scrub;

use std::collections::BTreeMap;
use std::fmt;
use std::io::Write;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use pseudo::Pseudonyms;

/// The key a redacted capture carries (HAR: in `log`; SAML-tracer: at the top), so that
/// `analyze` knows its signatures were broken on purpose.
pub const MARKER: &str = "_samlscope";

/// The state of one run: what was removed, and the pseudonyms when asked for.
#[derive(Debug, Default)]
pub struct Redactor {
    counts: BTreeMap<&'static str, usize>,
    pseudo: Option<Pseudonyms>,
}

impl Redactor {
    /// A redactor; `pseudonymize` also replaces personal data in the SAML messages.
    pub fn new(pseudonymize: bool) -> Redactor {
        Redactor { counts: BTreeMap::new(), pseudo: pseudonymize.then(Pseudonyms::default) }
    }

    /// Counts one removed value of `kind`.
    pub fn add(&mut self, kind: &'static str) {
        *self.counts.entry(kind).or_default() += 1;
    }

    /// A binding parameter's value, pseudonymised when asked for (SAMLRequest, SAMLResponse,
    /// wresult); other binding parameters and undecodable values unchanged.
    pub fn saml(&mut self, name: &str, raw: &str) -> String {
        match (&mut self.pseudo, scrub::is_message_param(name)) {
            (Some(p), true) => p.param(raw).unwrap_or_else(|| raw.to_string()),
            _ => raw.to_string(),
        }
    }

    /// Free text with every e-mail address replaced by its pseudonym, when pseudonymizing
    /// (a `login_hint`, a page that greets the user).
    pub fn people<'t>(&mut self, text: &'t str) -> std::borrow::Cow<'t, str> {
        match &mut self.pseudo {
            Some(p) if text.contains('@') => std::borrow::Cow::Owned(p.emails_in(text)),
            _ => std::borrow::Cow::Borrowed(text),
        }
    }

    /// An XML document (a SAML-tracer message, a SOAP body), pseudonymised when asked for.
    pub fn saml_xml(&mut self, xml: &str) -> Option<String> {
        let p = self.pseudo.as_mut()?;
        String::from_utf8(p.xml(xml.as_bytes())?).ok()
    }

    /// What was removed, by kind.
    pub fn summary(&self) -> Summary {
        let mut counts = self.counts.clone();
        if let Some(p) = &self.pseudo {
            counts.insert("SAML values pseudonymized", p.replaced);
        }
        Summary { counts }
    }
}

/// Counts of what a run removed, by kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Kind → count.
    pub counts: BTreeMap<&'static str, usize>,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.counts.values().all(|n| *n == 0) {
            return writeln!(
                f,
                "redacted: nothing (no cookie, token, password or removable body found)"
            );
        }
        writeln!(f, "redacted:")?;
        for (kind, n) in self.counts.iter().filter(|(_, n)| **n > 0) {
            writeln!(f, "  {n:>6}  {kind}")?;
        }
        Ok(())
    }
}

/// Why a capture could not be redacted.
#[derive(Debug)]
pub struct RedactError(pub String);

impl fmt::Display for RedactError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Redacts the HAR or SAML-tracer export in `input` into `out`.
pub fn redact(
    input: &[u8],
    out: &mut dyn Write,
    pseudonymize: bool,
) -> Result<Summary, RedactError> {
    let mut r = Redactor::new(pseudonymize);
    let input = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    // A capture in another encoding than UTF-8 (a Latin-1 page body): read with U+FFFD for
    // what is not UTF-8 rather than refused (the copy costs memory only for such a file).
    let lossy;
    let input = match std::str::from_utf8(input) {
        Ok(_) => input,
        Err(_) => {
            lossy = String::from_utf8_lossy(input).into_owned();
            lossy.as_bytes()
        }
    };
    let mut de = serde_json::Deserializer::from_slice(input);
    let mut w = Writer { out, error: None };
    let kind = Root { w: &mut w, r: &mut r, pseudonymize }.deserialize(&mut de);
    if let Some(e) = w.error.take() {
        return Err(RedactError(format!("redact: writing the output: {e}")));
    }
    match kind {
        Ok(true) => {}
        Ok(false) => {
            return Err(RedactError(
                "redact: input: JSON, but neither a HAR (no \"log\") nor a SAML-tracer export (no \"requests\")".into(),
            ))
        }
        Err(e) => {
            return Err(RedactError(format!(
                "redact: input: JSON at line {} column {}: {e}; the output stops there",
                e.line(),
                e.column()
            )))
        }
    }
    de.end().map_err(|e| RedactError(format!("redact: input: after the JSON: {e}")))?;
    w.raw(b"\n");
    Ok(r.summary())
}

/// The output, remembering the first write error (a visitor can only return the input's).
struct Writer<'o> {
    out: &'o mut dyn Write,
    error: Option<std::io::Error>,
}

impl Writer<'_> {
    fn raw(&mut self, b: &[u8]) {
        if self.error.is_none() {
            if let Err(e) = self.out.write_all(b) {
                self.error = Some(e);
            }
        }
    }

    fn json(&mut self, v: &impl serde::Serialize) {
        if self.error.is_none() {
            if let Err(e) = serde_json::to_writer(&mut *self.out, v) {
                self.error = Some(e.into());
            }
        }
    }
}

fn marker(pseudonymize: bool) -> Value {
    serde_json::json!({ "redacted": true, "pseudonymized": pseudonymize, "by": format!("samlscope {}", env!("CARGO_PKG_VERSION")) })
}

/// The top-level object: `log` (HAR) or `requests` (SAML-tracer) streamed, the rest copied.
struct Root<'a, 'o> {
    w: &'a mut Writer<'o>,
    r: &'a mut Redactor,
    pseudonymize: bool,
}

impl<'de> DeserializeSeed<'de> for Root<'_, '_> {
    type Value = bool;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Root<'_, '_> {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a HAR or SAML-tracer JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        let mut known = false;
        self.w.raw(b"{");
        let mut first = true;
        let mut tracer = false;
        while let Some(key) = map.next_key::<String>()? {
            if key == MARKER {
                map.next_value::<de::IgnoredAny>()?;
                continue;
            }
            if !first {
                self.w.raw(b",");
            }
            first = false;
            self.w.raw(b"\n");
            self.w.json(&key);
            self.w.raw(b":");
            match key.as_str() {
                "log" => {
                    map.next_value_seed(Log {
                        w: &mut *self.w,
                        r: &mut *self.r,
                        pseudonymize: self.pseudonymize,
                    })?;
                    known = true;
                }
                "requests" => {
                    map.next_value_seed(Entries { w: &mut *self.w, r: &mut *self.r })?;
                    known = true;
                    tracer = true;
                }
                _ => {
                    let mut v = map.next_value_seed(Bounded { r: &mut *self.r })?;
                    entry::entry(&mut v, self.r);
                    self.w.json(&v);
                }
            }
        }
        if tracer {
            self.w.raw(format!(",\n\"{MARKER}\":").as_bytes());
            self.w.json(&marker(self.pseudonymize));
        }
        self.w.raw(b"\n}");
        Ok(known)
    }
}

struct Log<'a, 'o> {
    w: &'a mut Writer<'o>,
    r: &'a mut Redactor,
    pseudonymize: bool,
}

impl<'de> DeserializeSeed<'de> for Log<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Log<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the HAR \"log\" object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.w.raw(format!("{{\n\"{MARKER}\":").as_bytes());
        self.w.json(&marker(self.pseudonymize));
        while let Some(key) = map.next_key::<String>()? {
            if key == MARKER {
                map.next_value::<de::IgnoredAny>()?;
                continue;
            }
            self.w.raw(b",\n");
            self.w.json(&key);
            self.w.raw(b":");
            if key == "entries" {
                map.next_value_seed(Entries { w: &mut *self.w, r: &mut *self.r })?;
            } else {
                // pages, creator, browser, comment: titles and URLs may hold tokens.
                let mut v = map.next_value_seed(Bounded { r: &mut *self.r })?;
                entry::entry(&mut v, self.r);
                self.w.json(&v);
            }
        }
        self.w.raw(b"\n}");
        Ok(())
    }
}

struct Entries<'a, 'o> {
    w: &'a mut Writer<'o>,
    r: &'a mut Redactor,
}

impl<'de> DeserializeSeed<'de> for Entries<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Entries<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of entries")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.w.raw(b"[");
        let mut first = true;
        // Each entry is cut out raw, then read on its own: one that does not parse (a lone
        // surrogate escape) is replaced by a note, and the rest of the capture still goes out.
        while let Some(raw) = seq.next_element::<&'de serde_json::value::RawValue>()? {
            if !first {
                self.w.raw(b",");
            }
            first = false;
            self.w.raw(b"\n");
            let read = |text: &str, r: &mut Redactor| {
                let mut de = serde_json::Deserializer::from_str(text);
                (Bounded { r }).deserialize(&mut de)
            };
            // A lone surrogate escape (`\udc80`) is valid JSON syntax that serde refuses:
            // read it as U+FFFD.
            let parsed = read(raw.get(), self.r)
                .or_else(|e| read(&replace_surrogate_escapes(raw.get()), self.r).map_err(|_| e));
            match parsed {
                Ok(mut v) => {
                    entry::entry(&mut v, self.r);
                    self.w.json(&v);
                }
                Err(e) => {
                    // Still an entry for the tools that import the file, with nothing of the
                    // original in it.
                    self.r.add("unreadable entries removed");
                    self.w.json(&serde_json::json!({
                        "startedDateTime": "1970-01-01T00:00:00.000Z",
                        "time": 0,
                        "request": {"method": "GET", "url": "about:blank", "httpVersion": "", "headers": [], "queryString": [], "cookies": [], "headersSize": -1, "bodySize": -1},
                        "response": {"status": 0, "statusText": "", "httpVersion": "", "headers": [], "cookies": [], "content": {"size": 0, "mimeType": ""}, "redirectURL": "", "headersSize": -1, "bodySize": -1},
                        "cache": {},
                        "timings": {"send": 0, "wait": 0, "receive": 0},
                        MARKER: format!("entry removed by samlscope redact: unreadable JSON ({e})"),
                    }));
                }
            }
        }
        self.w.raw(b"\n]");
        Ok(())
    }
}

/// `\ud800`…`\udfff` escapes written as `\ufffd`.
fn replace_surrogate_escapes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("\\u") {
        out.push_str(&rest[..i]);
        let esc = rest.get(i..i + 6).unwrap_or(&rest[i..]);
        let hex = esc.get(2..).unwrap_or_default().to_ascii_lowercase();
        if hex.len() == 4
            && hex.starts_with('d')
            && matches!(hex.as_bytes()[1], b'8'..=b'9' | b'a'..=b'f')
        {
            out.push_str("\\ufffd");
        } else {
            out.push_str(esc);
        }
        rest = &rest[i + esc.len()..];
    }
    out.push_str(rest);
    out
}

/// Every string inside `v` redacted.
fn blank(v: &mut Value) {
    match v {
        Value::String(s) => *s = scrub::REDACTED.into(),
        Value::Array(a) => a.iter_mut().for_each(blank),
        Value::Object(o) => o.values_mut().for_each(blank),
        _ => {}
    }
}

/// Longest string kept from an entry (the entry body limit of `analyze`): a longer one is
/// replaced unread, so a 1 GB body costs no memory.
pub const MAX_STRING: usize = 64 << 20;

/// A JSON value whose strings longer than [`MAX_STRING`] are replaced before they are
/// copied: the input is a memory map, unescaped strings are borrowed from it, so an
/// oversized one is never held.
struct Bounded<'a> {
    r: &'a mut Redactor,
}

impl<'de> DeserializeSeed<'de> for Bounded<'_> {
    type Value = Value;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Bounded<'_> {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        if v.len() > MAX_STRING {
            self.r.add("oversized values removed");
            return Ok(Value::String(format!(
                "[removed by samlscope redact: {}]",
                crate::input::decode::human_size(v.len())
            )));
        }
        Ok(Value::String(v.to_string()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(Bounded { r: &mut *self.r })? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = serde_json::Map::new();
        let mut repeated = false;
        while let Some(k) = map.next_key::<String>()? {
            let v = map.next_value_seed(Bounded { r: &mut *self.r })?;
            repeated |= out.insert(k, v).is_some();
        }
        let mut v = Value::Object(out);
        if repeated {
            // `{"name": "Cookie", "value": "sid=…", "name": "x"}`: which name a reader keeps
            // is a guess, so nothing in the object is kept.
            self.r.add("objects with repeated keys");
            blank(&mut v);
        }
        Ok(v)
    }
}

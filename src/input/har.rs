//! HAR 1.2 and SAML-tracer exports, read as a stream: each entry is dropped once its SAML
//! messages and evidence are taken, so memory is bounded by the largest entry, whatever the
//! size of the file. Bodies are borrowed raw and only unescaped when they may matter.
//!
//! The file (memory-mapped) is first skimmed: each entry is cut out by a structural pass that
//! skips strings 64 bytes at a time (`skim.rs`), and serde_json reads it with its long bodies
//! left out; a body is searched in place for the markers that make it matter (one
//! aho-corasick pass) and unescaped only when it may matter. Strings the pass skips (members
//! outside the entries, bodies that cannot matter) are not validated: damage inside them goes
//! unreported, where the same damage in a value that is read is an `input-error`. Anything
//! else off that path (a syntax error in the structure, a truncated file, an entry of the
//! wrong shape, a body that matters but is no valid string) sends the whole file to the
//! serde_json reading: one typed pass, then, if an entry does not fit the HAR shape, each
//! entry cut out as raw JSON and parsed on its own, so one bad entry is one `input-error`, not
//! the end of the file.

use std::borrow::Cow;
use std::cell::Cell;
use std::fmt;
use std::sync::OnceLock;

use crate::saml::time::Instant;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use aho_corasick::{AhoCorasick, MatchKind};
use memchr::memmem;
use serde_json::value::RawValue;

use super::capture::{EntryView, Harvest};
use super::skim::{Bail, Cursor, Skimmed};
use super::{Extracted, InputLimits, Source};

/// Reads a HAR or SAML-tracer export from a byte slice (a memory map of the file).
pub fn extract_json_slice(name: &str, bytes: &[u8], limits: InputLimits) -> Extracted {
    extract_json_slice_skimmed(name, bytes, limits, LONG_TEXT)
}

/// Text values (bodies) at least this long are skimmed over, not read, unless they may matter.
const LONG_TEXT: usize = 4 << 10;

/// The skimming reading, with bodies of `long_at` bytes or more left out of what serde_json
/// reads (the fuzz target lowers it to exercise the splicing); on anything off its path, the
/// serde_json reading.
#[doc(hidden)]
pub fn extract_json_slice_skimmed(
    name: &str,
    bytes: &[u8],
    limits: InputLimits,
    long_at: usize,
) -> Extracted {
    let mut harvest = Harvest::new(name, limits);
    match skim_document(bytes, &mut harvest, long_at) {
        Ok(kind) => conclude(name, harvest, Ok(kind)),
        Err(Bail) => {
            // The messages are read again: analysis done early on the first reading is found
            // again by content, so the second sends nothing.
            super::stop_sending_kept();
            extract_json_slice_serde(name, bytes, limits)
        }
    }
}

/// Reads the export with serde_json in one typed pass, and entry by entry if an entry does not
/// fit the HAR shape.
#[doc(hidden)]
pub fn extract_json_slice_serde(name: &str, bytes: &[u8], limits: InputLimits) -> Extracted {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let mut harvest = Harvest::new(name, limits);
    let result = Root { harvest: &mut harvest, robust: false }.deserialize(&mut de);
    match result {
        Err(e) if !e.is_eof() && e.classify() == serde_json::error::Category::Data => {
            let mut de = serde_json::Deserializer::from_slice(bytes);
            run(name, &mut de, limits)
        }
        other => conclude(name, harvest, other),
    }
}

/// The top-level object, skimmed: the entries of `log.entries` (or SAML-tracer's `requests`)
/// are cut out and read one by one, everything else is skipped.
fn skim_document(bytes: &[u8], harvest: &mut Harvest, long_at: usize) -> Skimmed<Kind> {
    let mut c = Cursor::new(bytes);
    c.eat(b'{')?;
    let mut kind = Kind::Other;
    if c.eat_if(b'}')? {
        return Ok(kind);
    }
    loop {
        let name = plain_name(c.string()?)?;
        c.eat(b':')?;
        match name {
            b"log" => {
                skim_log(&mut c, harvest, long_at)?;
                kind = Kind::Har;
            }
            b"requests" => {
                harvest.set_tracer();
                skim_entries(&mut c, harvest, true, long_at)?;
                kind = Kind::Tracer;
            }
            n if n == crate::redact::MARKER.as_bytes() => marker(&mut c, harvest)?,
            _ => c.value(1, b"", &mut |_, _, _| {})?,
        }
        if !c.more(b'}')? {
            return Ok(kind);
        }
    }
}

/// The `log` object: its entries, and the redaction marker.
fn skim_log(c: &mut Cursor<'_>, harvest: &mut Harvest, long_at: usize) -> Skimmed<()> {
    c.eat(b'{')?;
    if c.eat_if(b'}')? {
        return Ok(());
    }
    loop {
        let name = plain_name(c.string()?)?;
        c.eat(b':')?;
        match name {
            b"entries" => skim_entries(c, harvest, false, long_at)?,
            n if n == crate::redact::MARKER.as_bytes() => marker(c, harvest)?,
            _ => c.value(2, b"", &mut |_, _, _| {})?,
        }
        if !c.more(b'}')? {
            return Ok(());
        }
    }
}

/// A member name as written, quotes removed; one with escapes (or not UTF-8) is left to
/// serde_json, which compares names unescaped.
fn plain_name(raw: &[u8]) -> Skimmed<&[u8]> {
    let name = &raw[1..raw.len() - 1];
    if name.contains(&b'\\') || std::str::from_utf8(name).is_err() {
        return Err(Bail);
    }
    Ok(name)
}

/// The redaction marker's value.
fn marker(c: &mut Cursor<'_>, harvest: &mut Harvest) -> Skimmed<()> {
    c.peek()?;
    let start = c.offset();
    c.value(2, b"", &mut |_, _, _| {})?;
    let marker: serde_json::Value = serde_json::from_slice(c.since(start)).map_err(|_| Bail)?;
    harvest.marker(&marker);
    Ok(())
}

/// The entries array: each entry cut out and read alone, its long text values left out.
fn skim_entries(
    c: &mut Cursor<'_>,
    harvest: &mut Harvest,
    tracer: bool,
    long_at: usize,
) -> Skimmed<()> {
    c.eat(b'[')?;
    if c.eat_if(b']')? {
        return Ok(());
    }
    let max_body = harvest.limits().max_entry_body;
    let mut long = Vec::new();
    for index in 0.. {
        c.peek()?;
        let start = c.offset();
        long.clear();
        c.value(3, b"", &mut |key, raw, at| {
            if key == b"\"text\"" && raw.len() >= long_at {
                long.push((at - start, raw));
            }
        })?;
        let raw = c.since(start);
        let view = if tracer {
            serde_json::from_slice::<TracerRequest<'_>>(raw).map_err(|_| Bail)?.into_view()
        } else {
            read_entry(raw, &long, max_body)?
        };
        harvest.entry(index, view);
        if !c.more(b']')? {
            break;
        }
    }
    Ok(())
}

/// One HAR entry, read by serde_json from a copy in which each of the `long` text values
/// (offset in `raw`, raw bytes) is an empty string; they are read from `raw` only when they
/// may matter.
fn read_entry(raw: &[u8], long: &[(usize, &[u8])], max_body: usize) -> Skimmed<EntryView> {
    let left_out: usize = long.iter().map(|(_, b)| b.len()).sum();
    // No copy when nothing is left out, nor when the copy would be large itself (a huge
    // string that is no body): serde_json then reads the entry as it is.
    if long.is_empty() || raw.len() - left_out > MAX_COPY {
        let entry: Entry<'_> = serde_json::from_slice(raw).map_err(|_| Bail)?;
        return Ok(entry.into_view(max_body, &LeftOut::default()));
    }
    let mut copy = Vec::with_capacity(raw.len() - left_out + 2 * long.len());
    let mut at = Vec::with_capacity(long.len());
    let mut from = 0;
    for (offset, body) in long {
        copy.extend_from_slice(&raw[from..*offset]);
        at.push((copy.len(), *body));
        copy.extend_from_slice(b"\"\"");
        from = offset + body.len();
    }
    copy.extend_from_slice(&raw[from..]);
    let entry: Entry<'_> = serde_json::from_slice(&copy).map_err(|_| Bail)?;
    let left_out = LeftOut { copy: copy.as_ptr() as usize, at, invalid: Cell::new(false) };
    let view = entry.into_view(max_body, &left_out);
    // A body that matters but is not a valid JSON string: serde_json's reading says where.
    if left_out.invalid.get() {
        return Err(Bail);
    }
    Ok(view)
}

/// The largest copy of an entry made to leave its bodies out.
const MAX_COPY: usize = 1 << 20;

/// The text values left out of the copy of an entry that serde_json read: the offset of each
/// empty stand-in in the copy, with the value's raw bytes in the document.
#[derive(Default)]
struct LeftOut<'a> {
    copy: usize,
    at: Vec<(usize, &'a [u8])>,
    /// A left-out body that matters did not unescape (it was never validated).
    invalid: Cell<bool>,
}

impl LeftOut<'_> {
    /// The raw bytes of a body serde_json read: the document's, where it read a stand-in.
    fn raw<'r>(&'r self, value: &'r RawValue) -> &'r [u8] {
        let text = value.get();
        let offset = (text.as_ptr() as usize).wrapping_sub(self.copy);
        match self.at.binary_search_by_key(&offset, |(o, _)| *o) {
            Ok(i) if text == "\"\"" => self.at[i].1,
            _ => text.as_bytes(),
        }
    }

    /// The text of a raw JSON string if `wanted` says so; a left-out body that does not
    /// unescape is noted.
    fn unescape_if(&self, raw: Option<&[u8]>, wanted: impl Fn(&[u8]) -> bool) -> Option<String> {
        let raw = raw?;
        if !raw.starts_with(b"\"") || !wanted(raw) {
            return None;
        }
        let text = serde_json::from_slice::<String>(raw).ok();
        if text.is_none() && self.at.iter().any(|(_, b)| b.as_ptr() == raw.as_ptr()) {
            self.invalid.set(true);
        }
        text
    }
}

/// Reads a HAR or SAML-tracer export entry by entry only (the fallback path), for the fuzz
/// invariant that both readings agree.
#[doc(hidden)]
pub fn extract_json_slice_robust(name: &str, bytes: &[u8], limits: InputLimits) -> Extracted {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    run(name, &mut de, limits)
}

fn run<'de, R: serde_json::de::Read<'de>>(
    name: &str,
    de: &mut serde_json::Deserializer<R>,
    limits: InputLimits,
) -> Extracted {
    let mut harvest = Harvest::new(name, limits);
    let result = Root { harvest: &mut harvest, robust: true }.deserialize(&mut *de);
    conclude(name, harvest, result)
}

fn conclude(
    name: &str,
    mut harvest: Harvest,
    result: Result<Kind, serde_json::Error>,
) -> Extracted {
    let source = Source { input: name.to_string(), ..Source::default() };
    match result {
        Ok(Kind::Har) | Ok(Kind::Tracer) => {}
        Ok(Kind::Other) => harvest.problem(
            &source,
            "input: JSON, but neither a HAR (no \"log\") nor a SAML-tracer export (no \"requests\")".into(),
        ),
        Err(e) if e.is_eof() => harvest.problem(
            &source,
            format!(
                "input: the file ends at line {} column {} inside the JSON (an interrupted download?); everything before the cut was analysed",
                e.line(),
                e.column()
            ),
        ),
        Err(e) => harvest.problem(&source, format!("input: JSON at line {} column {}: {e}", e.line(), e.column())),
    }
    harvest.finish()
}

/// What the top-level object turned out to be.
enum Kind {
    Har,
    Tracer,
    Other,
}

struct Root<'h> {
    harvest: &'h mut Harvest,
    robust: bool,
}

impl<'de> DeserializeSeed<'de> for Root<'_> {
    type Value = Kind;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Kind, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Root<'_> {
    type Value = Kind;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a HAR or SAML-tracer JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Kind, A::Error> {
        let mut kind = Kind::Other;
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            match key.as_ref() {
                "log" => {
                    map.next_value_seed(Log { harvest: &mut *self.harvest, robust: self.robust })?;
                    kind = Kind::Har;
                }
                "requests" => {
                    let robust = self.robust;
                    self.harvest.set_tracer();
                    map.next_value_seed(Entries {
                        harvest: &mut *self.harvest,
                        tracer: true,
                        robust,
                    })?;
                    kind = Kind::Tracer;
                }
                crate::redact::MARKER => {
                    let marker: serde_json::Value = map.next_value()?;
                    self.harvest.marker(&marker);
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(kind)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Kind, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Kind::Other)
    }

    fn visit_bool<E>(self, _: bool) -> Result<Kind, E> {
        Ok(Kind::Other)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Kind, E> {
        Ok(Kind::Other)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Kind, E> {
        Ok(Kind::Other)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Kind, E> {
        Ok(Kind::Other)
    }
    fn visit_str<E>(self, _: &str) -> Result<Kind, E> {
        Ok(Kind::Other)
    }
    fn visit_unit<E>(self) -> Result<Kind, E> {
        Ok(Kind::Other)
    }
}

struct Log<'h> {
    harvest: &'h mut Harvest,
    robust: bool,
}

impl<'de> DeserializeSeed<'de> for Log<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Log<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the HAR \"log\" object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            if key == "entries" {
                let robust = self.robust;
                map.next_value_seed(Entries {
                    harvest: &mut *self.harvest,
                    tracer: false,
                    robust,
                })?;
            } else if key == crate::redact::MARKER {
                let marker: serde_json::Value = map.next_value()?;
                self.harvest.marker(&marker);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

struct Entries<'h> {
    harvest: &'h mut Harvest,
    tracer: bool,
    robust: bool,
}

impl<'de> DeserializeSeed<'de> for Entries<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Entries<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of entries")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0;
        let max_body = self.harvest.limits().max_entry_body;
        if !self.robust {
            loop {
                let view = if self.tracer {
                    seq.next_element::<TracerRequest<'de>>()?.map(TracerRequest::into_view)
                } else {
                    seq.next_element::<Entry<'de>>()?
                        .map(|e| e.into_view(max_body, &LeftOut::default()))
                };
                let Some(view) = view else { return Ok(()) };
                self.harvest.entry(index, view);
                index += 1;
            }
        }
        // Each entry is first cut out as raw JSON: a malformed entry then fails alone.
        while let Some(raw) = seq.next_element::<&'de RawValue>()? {
            let text = raw.get();
            let parsed = if self.tracer {
                serde_json::from_str::<TracerRequest<'_>>(text).map(|r| r.into_view())
            } else {
                serde_json::from_str::<Entry<'_>>(text)
                    .map(|e| e.into_view(max_body, &LeftOut::default()))
            };
            match parsed {
                Ok(view) => self.harvest.entry(index, view),
                Err(e) => self.harvest.bad_entry(index, &e, text),
            }
            index += 1;
        }
        Ok(())
    }
}

/// A body as written in the JSON, escapes and all: it is scanned in place and unescaped only
/// when it may matter (it mentions SAML, is a small HTML page, or is base64 HTML).
type RawBody<'a> = Option<&'a RawValue>;

const KEEP_HTML_BELOW: usize = 512 << 10;
const KEEP_BASE64_BELOW: usize = 4 << 20;

/// The body, unless it exceeds the entry body limit (then it is noted and skipped unread).
fn bounded<'r>(
    oversized: &mut Vec<(&'static str, usize)>,
    what: &'static str,
    raw: Option<&'r [u8]>,
    max: usize,
) -> Option<&'r [u8]> {
    match raw {
        Some(r) if r.len() > max => {
            oversized.push((what, r.len()));
            None
        }
        other => other,
    }
}

/// Whether an escaped body may hold a SAML form or an IdP error page: one SIMD pass for all
/// the markers (a small page's title, error text or character references, any page's SAML
/// form). A letter written as a `\u00XX` escape (no browser writes one; a hand-made capture
/// may) makes the body worth reading too: the markers are looked for again in the unescaped
/// text.
fn worth_reading(raw: &[u8]) -> bool {
    const LETTER_ESCAPES: [&str; 4] = ["\\u004", "\\u005", "\\u006", "\\u007"];
    static SAML: OnceLock<Option<AhoCorasick>> = OnceLock::new();
    static SMALL: OnceLock<Option<AhoCorasick>> = OnceLock::new();
    let (markers, set): (&[&str], _) = if raw.len() < KEEP_HTML_BELOW {
        (&["SAMLRe", "wresult", "<title", "<TITLE", "\\u003ctitle", "Error", "&#"], &SMALL)
    } else {
        (&["SAMLRe", "wresult"], &SAML)
    };
    set.get_or_init(|| {
        let all = markers.iter().chain(&LETTER_ESCAPES);
        AhoCorasick::builder().match_kind(MatchKind::LeftmostFirst).build(all).ok()
    })
    .as_ref()
    .is_none_or(|m| m.is_match(raw))
}

/// Whether an escaped request body may hold a SAML parameter: any letter case, percent-encoded
/// names (`SAML%52esponse`) and letters written as `\u00XX` escapes too.
fn may_carry_saml(raw: &[u8]) -> bool {
    memchr::memchr(b'%', raw).is_some()
        || memchr::memchr2_iter(b's', b'S', raw)
            .any(|i| raw.get(i..i + 4).is_some_and(|w| w.eq_ignore_ascii_case(b"saml")))
        || memmem::find(raw, b"wresult").is_some()
        || memmem::find_iter(raw, b"\\u00").any(|i| matches!(raw.get(i + 4), Some(b'4'..=b'7')))
}

#[derive(Deserialize)]
struct NameValue<'a> {
    #[serde(borrow)]
    name: Cow<'a, str>,
    #[serde(borrow, default)]
    value: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Entry<'a> {
    #[serde(borrow, default)]
    started_date_time: Option<Cow<'a, str>>,
    #[serde(borrow)]
    request: Request<'a>,
    #[serde(borrow, default)]
    response: Option<Response<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Request<'a> {
    #[serde(borrow)]
    method: Cow<'a, str>,
    #[serde(borrow)]
    url: Cow<'a, str>,
    #[serde(borrow, default)]
    post_data: Option<PostData<'a>>,
    #[serde(borrow, default)]
    cookies: Option<Vec<NameOnly<'a>>>,
}

/// A cookie of `request.cookies`: its name only (values are never read).
#[derive(Deserialize)]
struct NameOnly<'a> {
    #[serde(borrow)]
    name: Cow<'a, str>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PostData<'a> {
    #[serde(borrow, default)]
    params: Option<Vec<NameValue<'a>>>,
    #[serde(borrow, default)]
    text: RawBody<'a>,
    #[serde(borrow, default)]
    comment: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Response<'a> {
    #[serde(default)]
    status: Option<i64>,
    #[serde(borrow, default)]
    headers: Option<Vec<NameValue<'a>>>,
    #[serde(borrow, default)]
    content: Option<Content<'a>>,
    #[serde(borrow, default, rename = "redirectURL")]
    redirect_url: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Content<'a> {
    #[serde(default)]
    size: Option<i64>,
    #[serde(borrow, default)]
    mime_type: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    text: RawBody<'a>,
    #[serde(borrow, default)]
    encoding: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    comment: Option<Cow<'a, str>>,
}

fn owned(c: Option<Cow<'_, str>>) -> Option<String> {
    c.map(Cow::into_owned)
}

/// The value of the `Location` response header.
fn location_header(headers: Option<&[NameValue<'_>]>) -> Option<String> {
    headers?
        .iter()
        .find(|x| x.name.eq_ignore_ascii_case("location"))
        .and_then(|x| x.value.as_deref())
        .map(str::to_string)
}

fn pairs(v: Option<Vec<NameValue<'_>>>) -> Vec<(String, String)> {
    v.unwrap_or_default()
        .into_iter()
        .map(|p| (p.name.into_owned(), p.value.map(Cow::into_owned).unwrap_or_default()))
        .collect()
}

impl Entry<'_> {
    fn into_view(self, max_body: usize, left_out: &LeftOut<'_>) -> EntryView {
        let Entry { started_date_time, request, response } = self;
        let mut oversized = Vec::new();
        let mut view = EntryView {
            // One zone in every report: capture times in UTC, as the assertions' own.
            time: owned(started_date_time).map(|t| Instant::parse(&t).map_or(t, |i| i.to_string())),
            method: request.method.into_owned(),
            url: request.url.into_owned(),
            cookies: request
                .cookies
                .unwrap_or_default()
                .into_iter()
                .map(|c| c.name.into_owned())
                .collect(),
            ..EntryView::default()
        };
        if let Some(p) = request.post_data {
            view.stripped = p.comment.filter(|c| c.contains("not included")).map(Cow::into_owned);
            view.post_params = pairs(p.params);
            let text = p.text.map(|t| left_out.raw(t));
            view.post_text = left_out.unescape_if(
                bounded(&mut oversized, "postData.text", text, max_body),
                may_carry_saml,
            );
        }
        if let Some(r) = response {
            view.status = r.status;
            view.location = location_header(r.headers.as_deref())
                .or_else(|| r.redirect_url.clone().filter(|u| !u.is_empty()).map(Cow::into_owned));
            if let Some(c) = r.content {
                if view.stripped.is_none() {
                    view.stripped =
                        c.comment.filter(|x| x.contains("not included")).map(Cow::into_owned);
                }
                view.body_base64 =
                    c.encoding.as_deref().is_some_and(|e| e.eq_ignore_ascii_case("base64"));
                let html = c.mime_type.as_deref().is_none_or(|m| m.contains("html"));
                let text = c.text.map(|t| left_out.raw(t));
                let text = bounded(&mut oversized, "content.text", text, max_body);
                view.body = if view.body_base64 {
                    // Only an HTML page can hold an auto-post form or an error message.
                    left_out.unescape_if(text, |raw| html && raw.len() < KEEP_BASE64_BELOW)
                } else {
                    left_out.unescape_if(text, worth_reading)
                };
                view.mime = owned(c.mime_type);
                view.body_size = c.size;
            }
        }
        view.oversized = oversized;
        view
    }
}

/// One request of a SAML-tracer export.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TracerRequest<'a> {
    #[serde(borrow, default)]
    method: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    url: Option<Cow<'a, str>>,
    #[serde(default)]
    response_status: Option<serde_json::Value>,
    #[serde(borrow, default)]
    response_headers: Option<Vec<NameValue<'a>>>,
    #[serde(default)]
    get: Option<Vec<(String, String)>>,
    #[serde(default)]
    post: Option<Vec<(String, String)>>,
    #[serde(borrow, default)]
    saml: Option<Cow<'a, str>>,
    /// When the request was captured (RFC 3339, or milliseconds since the epoch), if recorded.
    #[serde(default)]
    timestamp: Option<serde_json::Value>,
}

impl TracerRequest<'_> {
    fn into_view(self) -> EntryView {
        let status = self
            .response_status
            .as_ref()
            .and_then(|s| s.as_i64().or_else(|| s.as_str()?.parse().ok()));
        let location = location_header(self.response_headers.as_deref());
        let time = self.timestamp.as_ref().and_then(|t| match t {
            serde_json::Value::String(s) => Instant::parse(s).ok(),
            serde_json::Value::Number(n) => n.as_i64().map(|ms| Instant(ms.saturating_mul(1000))),
            _ => None,
        });
        EntryView {
            time: time.map(|t| t.to_string()),
            method: owned(self.method).unwrap_or_else(|| "GET".into()),
            url: owned(self.url).unwrap_or_default(),
            tracer_xml: owned(self.saml).filter(|s| !s.trim().is_empty()),
            tracer_get: self.get.unwrap_or_default(),
            post_params: self.post.unwrap_or_default(),
            status,
            location,
            ..EntryView::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every HAR and SAML-tracer export of the corpus that is well formed is read by the skimming
    /// pass itself (not its fallback), with bodies left out from any length, and gives what the
    /// entry-by-entry reading gives; the malformed ones fall back.
    #[test]
    fn skimming_reads_the_corpus_as_serde_json_does() {
        let mut skimmed = 0;
        let mut dirs: Vec<_> = ["corpus/har", "corpus/attacks", "corpus/html", "corpus/redact"]
            .iter()
            .flat_map(|d| std::fs::read_dir(d).into_iter().flatten().flatten())
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "har" || x == "json"))
            .collect();
        dirs.sort();
        for path in dirs {
            let bytes = std::fs::read(&path).unwrap_or_default();
            let name = path.display().to_string();
            let limits = InputLimits::default();
            let robust = extract_json_slice_robust(&name, &bytes, limits);
            for long_at in [0, LONG_TEXT] {
                let mut harvest = Harvest::new(&name, limits);
                match skim_document(&bytes, &mut harvest, long_at) {
                    Ok(kind) => {
                        skimmed += 1;
                        assert_eq!(conclude(&name, harvest, Ok(kind)), robust, "{name}");
                    }
                    Err(Bail) => {
                        let why = robust.problems.first().map(|p| p.message.as_str());
                        assert!(
                            why.is_some_and(|m| m.contains("JSON") || m.contains("malformed")),
                            "{name}: skimming bailed on {why:?}"
                        );
                    }
                }
            }
        }
        assert!(skimmed > 40, "{skimmed}");
    }

    /// A HAR of one entry whose response body is `body` (raw JSON string contents).
    fn har_with_body(body: &str, other: &str) -> Vec<u8> {
        format!(
            r#"{{"log":{{"entries":[{{"request":{{"method":"GET","url":"https://idp.example/sso"}},"response":{{"status":200,"headers":[],"content":{{"mimeType":"text/html","text":"{body}"}}}}{other}}}]}}}}"#
        )
        .into_bytes()
    }

    /// An auto-post page carrying a SAMLResponse under the parameter name `name` (as written
    /// in the JSON), padded to `pad` bytes.
    fn form(name: &str, pad: usize) -> String {
        use base64::Engine;
        let xml = r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r" Version="2.0" IssueInstant="2026-11-20T15:04:41Z"/>"#;
        let value = base64::engine::general_purpose::STANDARD.encode(xml);
        format!(
            r#"<form method=\"post\" action=\"https://sp.example/acs\"><input type=\"hidden\" name=\"{name}\" value=\"{value}\"></form>{}"#,
            " ".repeat(pad)
        )
    }

    fn read(bytes: &[u8]) -> Extracted {
        extract_json_slice("t.har", bytes, InputLimits::default())
    }

    #[test]
    fn a_body_that_matters_and_is_not_valid_json_is_an_error() {
        // Long enough to be skimmed; a raw tab is not allowed in a JSON string.
        let bad = read(&har_with_body(&form("SAMLResponse", 5000).replace("post", "po\tst"), ""));
        let bad = bad.problems.iter().map(|p| p.message.as_str()).collect::<Vec<_>>();
        assert!(bad.iter().any(|m| m.contains("control character")), "{bad:?}");
        let good = read(&har_with_body(&form("SAMLResponse", 5000), ""));
        assert_eq!((good.messages.len(), good.problems.len()), (1, 0));
    }

    #[test]
    fn parameter_names_with_escaped_letters_are_read() {
        for pad in [0, 5000, 600_000] {
            let escaped = read(&har_with_body(&form("SAML\\u0052esponse", pad), ""));
            assert_eq!(escaped.messages.len(), 1, "padded to {pad}");
        }
    }

    #[test]
    fn parameter_names_with_character_references_are_read() {
        for name in ["SAML&#82;esponse", "SAML&#x52;esponse"] {
            let e = read(&har_with_body(&form(name, 0).replace("<form", "<FORM"), ""));
            assert_eq!(e.messages.len(), 1, "{name}");
        }
    }

    #[test]
    fn an_entry_with_a_huge_other_string_is_not_copied() {
        let other = format!(r#","_webSocketMessages":"{}""#, "x".repeat(MAX_COPY + 10));
        let e = read(&har_with_body(&form("SAMLResponse", 5000), &other));
        assert_eq!((e.messages.len(), e.problems.len()), (1, 0));
    }
}

//! HAR 1.2 and SAML-tracer exports, read as a stream: each entry is dropped once its SAML
//! messages and evidence are taken, so memory is bounded by the largest entry, whatever the
//! size of the file. Bodies are borrowed raw and only unescaped when they may matter.
//!
//! The file (memory-mapped) is read in one typed pass. If an entry does not fit the HAR
//! shape, it is read again robustly: each entry cut out as raw JSON and parsed on its own, so
//! one bad entry is one `input-error`, not the end of the file.

use std::borrow::Cow;
use std::fmt;

use crate::saml::time::Instant;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::capture::{EntryView, Harvest};
use super::{Extracted, InputLimits, Source};

/// Reads a HAR or SAML-tracer export from a byte slice (a memory map of the file).
pub fn extract_json_slice(name: &str, bytes: &[u8], limits: InputLimits) -> Extracted {
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
                    seq.next_element::<Entry<'de>>()?.map(|e| e.into_view(max_body))
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
                serde_json::from_str::<Entry<'_>>(text).map(|e| e.into_view(max_body))
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

/// The text of a raw JSON string if `wanted` says so.
fn unescape_if(raw: RawBody<'_>, wanted: impl Fn(&str) -> bool) -> Option<String> {
    let raw = raw?.get();
    if !raw.starts_with('"') || !wanted(raw) {
        return None;
    }
    serde_json::from_str::<String>(raw).ok()
}

/// The body, unless it exceeds the entry body limit (then it is noted and skipped unread).
fn bounded<'r>(
    oversized: &mut Vec<(&'static str, usize)>,
    what: &'static str,
    raw: RawBody<'r>,
    max: usize,
) -> RawBody<'r> {
    match raw {
        Some(r) if r.get().len() > max => {
            oversized.push((what, r.get().len()));
            None
        }
        other => other,
    }
}

/// Whether an escaped body may hold a SAML form or an IdP error page.
fn worth_reading(raw: &str) -> bool {
    raw.contains("SAMLRe")
        || raw.contains("wresult")
        || (raw.len() < KEEP_HTML_BELOW
            && ["<title", "<TITLE", "\\u003ctitle", "Error"].iter().any(|n| raw.contains(n)))
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
    fn into_view(self, max_body: usize) -> EntryView {
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
            view.post_text =
                unescape_if(bounded(&mut oversized, "postData.text", p.text, max_body), |raw| {
                    // Any letter case, and percent-encoded names (`SAML%52esponse`) too.
                    raw.contains('%')
                        || raw.to_ascii_lowercase().contains("saml")
                        || raw.contains("wresult")
                });
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
                let text = bounded(&mut oversized, "content.text", c.text, max_body);
                view.body = if view.body_base64 {
                    // Only an HTML page can hold an auto-post form or an error message.
                    unescape_if(text, |raw| html && raw.len() < KEEP_BASE64_BELOW)
                } else {
                    unescape_if(text, worth_reading)
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

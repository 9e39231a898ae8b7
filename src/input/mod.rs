//! The input layer: what kind of text an input is, and the SAML messages it carries.
//!
//! Every input form of PRODUCT.md is recognised here: raw XML, base64, a form body, a URL, a
//! Redirect-binding value and an HTML auto-post page. Decoding failures become
//! [`InputProblem`]s naming the layer and position; they never stop the other inputs.

pub(crate) mod capture;
pub mod decode;
mod har;
pub mod html;
mod pasted;
mod skim;

pub use har::{
    extract_json_slice, extract_json_slice_robust, extract_json_slice_serde,
    extract_json_slice_skimmed,
};

use std::sync::Arc;

use serde::Serialize;

use decode::{base64_decode, inflate, parse_form, url_decode, LayerError};

/// Limits on decoded sizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InputLimits {
    /// Largest payload after base64 and inflation.
    pub max_inflated: usize,
    /// Most decoded XML kept from one input, all messages together: forty 16 MB DEFLATE bombs
    /// of 40 KB each must not make a 2 MB capture cost gigabytes.
    pub max_decoded_total: usize,
    /// Largest body of one HAR entry that is read (larger ones are skipped and reported).
    pub max_entry_body: usize,
}

impl Default for InputLimits {
    fn default() -> Self {
        InputLimits {
            max_inflated: 16 << 20,
            max_decoded_total: 32 << 20,
            max_entry_body: 64 << 20,
        }
    }
}

/// The SAML binding a message travelled by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Binding {
    /// HTTP-Redirect: DEFLATE + base64 + URL encoding in a query string.
    Redirect,
    /// HTTP-POST: base64 in a form field.
    Post,
    /// Raw XML, or nothing says how it travelled.
    Unknown,
}

/// Where a message was found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Source {
    /// The input path, or `-` for standard input.
    pub input: String,
    /// The entry index, when the input is a capture (HAR, SAML-tracer).
    pub entry: Option<usize>,
    /// What the entry is: `HAR entry` or `SAML-tracer request`.
    #[serde(skip)]
    pub capture: Option<&'static str>,
    /// The URL it was sent to or found in.
    pub url: Option<String>,
    /// The capture time (RFC 3339), when the input records one.
    pub time: Option<String>,
}

/// One SAML message found in an input, decoded down to its XML bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Captured {
    /// Where it was found.
    pub source: Source,
    /// How it travelled.
    pub binding: Binding,
    /// The parameter that carried it (`SAMLRequest` / `SAMLResponse`), if any.
    pub parameter: Option<String>,
    /// The decoding layers peeled, outermost first (`URL decoding`, `base64`, `raw DEFLATE`).
    pub layers: Vec<String>,
    /// RelayState sent alongside.
    pub relay_state: Option<String>,
    /// The capture hides RelayState (SAML-tracer masks POST values).
    pub relay_state_hidden: bool,
    /// The capture was written by `samlscope redact --pseudonymize`: the people in its SAML
    /// messages were replaced, so their signatures cannot verify.
    pub pseudonymized: bool,
    /// SigAlg of a Redirect-binding signature.
    pub sig_alg: Option<String>,
    /// Signature of a Redirect-binding message (base64, as sent).
    pub redirect_signature: Option<String>,
    /// The query string exactly as sent: a Redirect-binding signature covers these bytes
    /// (SAML Bindings §3.4.4.1), not a re-encoding of the decoded values.
    pub raw_query: Option<String>,
    /// The decoded XML document, shared: analysis may start on it while extraction goes on
    /// (`send_kept_messages`).
    pub xml: Arc<[u8]>,
    /// Other places the same message was seen (the HTML form before the POST, a Location
    /// header before the GET).
    pub also_seen: Vec<Source>,
    /// Carriers (form body, URL, HTML form) that sent a binding parameter more than once;
    /// recorded on the carrier's first message only.
    pub repeated: Vec<Repetition>,
}

/// A carrier that sends binding parameters more than once (HTTP parameter pollution), or that
/// names message parameters more often than samlscope could read values from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repetition {
    /// Where: the carrier.
    pub source: Source,
    /// Each repeated parameter and how often it appears.
    pub params: Vec<(String, usize)>,
    /// `(mentions, read)`: the carrier names SAMLResponse, SAMLRequest or wresult `mentions`
    /// times (in any case, percent-decoded), but only `read` values were read from it.
    pub unread: Option<(usize, usize)>,
}

/// How often `raw` names a message parameter, in any letter case and after percent-decoding:
/// what some parser (a case-insensitive framework, a browser that reads markup samlscope's
/// parser does not, a `;` separator) may take as one.
pub(crate) fn mentions(raw: &str) -> usize {
    let mut lower = if raw.contains('%') {
        url_decode(raw, false).unwrap_or_else(|_| raw.to_string())
    } else {
        raw.to_string()
    };
    lower.make_ascii_lowercase();
    let b = lower.as_bytes();
    // Only where a parser could take it as a name: next to `=`, `&`, `;`, `?`, a quote, a
    // bracket or `:` (prose that merely mentions the word does not count).
    let marker = |c: u8| {
        matches!(c, b'=' | b'&' | b';' | b'?' | b'"' | b'\'' | b'[' | b']' | b':' | b'<' | b'>')
    };
    let named = |start: usize, end: usize| {
        let before = start.checked_sub(1).and_then(|i| b.get(i)).copied();
        let after = b.get(end).copied();
        before.is_none_or(marker) || after.is_none_or(marker)
    };
    // One SIMD scan for "saml" (then "response" or "request"), one for "wresult".
    let saml = memchr::memmem::find_iter(b, b"saml")
        .filter_map(|i| {
            let rest = &b[i + 4..];
            let len = [&b"response"[..], b"request"].iter().find(|w| rest.starts_with(w))?.len();
            Some((i, i + 4 + len))
        })
        .filter(|(s, e)| named(*s, *e))
        .count();
    saml + memchr::memmem::find_iter(b, b"wresult").filter(|i| named(*i, i + 7)).count()
}

/// One request of a capture, for the timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// Where: input, entry, URL without query, time.
    pub source: Source,
    /// HTTP method.
    pub method: String,
    /// Response status.
    pub status: Option<i64>,
    /// The messages this request and its response carried (indices into
    /// [`Extracted::messages`]).
    pub messages: Vec<usize>,
    /// Names of the cookies the request sent (HAR `request.cookies`; values are never kept).
    pub cookies: Vec<String>,
}

/// Something in a capture that is not a SAML message but explains a failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    /// Where.
    pub source: Source,
    /// Response status.
    pub status: Option<i64>,
    /// What.
    pub kind: EvidenceKind,
}

/// The kinds of evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EvidenceKind {
    /// The IdP answered the AuthnRequest with a page instead of an auto-post form.
    IdpPage {
        /// The page title.
        title: Option<String>,
        /// Visible text, from "Error" on when present.
        text: Option<String>,
    },
    /// The service provider answered the POSTed SAMLResponse with an HTTP error.
    AcsRejected,
    /// The export left bodies out.
    BodiesStripped {
        /// The exporter's comment, or what is missing.
        comment: String,
    },
}

/// A part of an input that could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputProblem {
    /// Where.
    pub source: Source,
    /// What failed: layer and position.
    pub message: String,
    /// The part that failed carries no SAML (a malformed image entry of a HAR): the SAML
    /// exchange is unaffected, so it is a warning, not the login's failure.
    pub unrelated: bool,
}

/// Everything read from one input.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extracted {
    /// The messages found, in input order.
    pub messages: Vec<Captured>,
    /// What could not be decoded.
    pub problems: Vec<InputProblem>,
    /// Every request of a capture (HAR, SAML-tracer), in capture order.
    pub steps: Vec<Step>,
    /// Evidence found in a capture.
    pub evidence: Vec<Evidence>,
    /// Bytes of decoded XML in `messages`.
    pub decoded: usize,
}

/// The parameters that carry a message: the SAML bindings' two, and WS-Federation's `wresult`
/// (a WS-Trust RequestSecurityTokenResponse holding a SAML assertion; Entra ID and AD FS).
pub(crate) const PARAMS: [&str; 3] = ["SAMLResponse", "SAMLRequest", "wresult"];

/// Decodes the value of message parameter `param`: `wresult` is XML as it is, the SAML
/// parameters go through [`decode_value`].
pub(crate) fn decode_param(
    param: &str,
    value: &str,
    binding: Binding,
    limits: InputLimits,
) -> Result<Captured, LayerError> {
    if param != "wresult" {
        return decode_value(value, Some(binding), limits);
    }
    if value.len() > limits.max_inflated {
        return Err(LayerError {
            layer: "wresult",
            message: format!("value of {} bytes exceeds the size limit", value.len()),
        });
    }
    let mut m = raw_xml(Source::default(), value.trim().as_bytes().to_vec());
    m.layers = vec!["WS-Federation wresult".into()];
    m.binding = Binding::Post;
    Ok(m)
}

/// The parameters of the SAML bindings (bindings §3.4.4, §3.5.4): each must appear once.
const BINDING_PARAMS: [&str; 6] =
    ["SAMLResponse", "SAMLRequest", "RelayState", "SigAlg", "Signature", "wresult"];

/// A parameter name as service providers read it: PHP drops leading spaces from names (and
/// C-string readers stop at NUL), so ` SAMLResponse` is a second SAMLResponse to them.
pub(crate) fn param_name(name: &str) -> &str {
    // PHP drops leading spaces, C readers stop at NUL, Rack 2 drops leading brackets and a
    // trailing one, and `name[…]` is an array under `name` for PHP and Rack.
    let name = name.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '[' || c == ']');
    let name = name.split('\0').next().unwrap_or(name);
    let name = name.split('[').next().unwrap_or(name);
    name.trim_end_matches(']')
}

/// Binding parameters named more than once among `names`, with their counts.
pub(crate) fn repeated_params<'a>(names: impl Iterator<Item = &'a str>) -> Vec<(String, usize)> {
    let mut counts = [0usize; BINDING_PARAMS.len()];
    for n in names.map(param_name) {
        if let Some(i) = BINDING_PARAMS.iter().position(|p| *p == n) {
            counts[i] += 1;
        }
    }
    BINDING_PARAMS
        .iter()
        .zip(counts)
        .filter(|(_, c)| *c > 1)
        .map(|(p, c)| (p.to_string(), c))
        .collect()
}

/// Every value of parameter `name`, in order.
pub(crate) fn values_of<'a>(
    pairs: &'a [(String, String)],
    name: &'a str,
) -> impl Iterator<Item = &'a String> + 'a {
    pairs.iter().filter(move |(k, _)| param_name(k) == name).map(|(_, v)| v)
}

/// One carrier of parameters: a form body, a URL's query, an HTML form, a HAR entry's params.
pub(crate) struct Carrier<'a> {
    /// Where it is.
    pub source: &'a Source,
    /// The decoding layer it adds.
    pub layer: &'static str,
    /// How a problem names it, after the parameter (`" in HTML form"`).
    pub context: &'static str,
    /// The binding its messages travelled by.
    pub binding: Binding,
    /// Parameter values are percent-encoded (a HAR's params, as Chrome leaves them).
    pub percent_encoded: bool,
}

/// Decodes every value of every message parameter of `pairs` (each a message, however many),
/// stamps where it came from, and records repeated parameters. Returns the index of the
/// carrier's first message in `out`.
pub(crate) fn read_carrier(
    out: &mut Extracted,
    pairs: &[(String, String)],
    carrier: &Carrier<'_>,
    limits: InputLimits,
) -> usize {
    let decode = |v: &String| {
        if carrier.percent_encoded && (v.contains('%') || v.contains('+')) {
            url_decode(v, true).unwrap_or_else(|_| v.clone())
        } else {
            v.clone()
        }
    };
    // Names as the server reads them: a HAR may record `+SAMLResponse` undecoded.
    let decoded: Vec<(String, String)>;
    let pairs = if carrier.percent_encoded {
        decoded = pairs.iter().map(|(k, v)| (decode(k), v.clone())).collect();
        &decoded
    } else {
        pairs
    };
    let relay_state = values_of(pairs, "RelayState").next().map(decode);
    let from = out.messages.len();
    for param in PARAMS {
        for value in values_of(pairs, param) {
            match decode_param(param, &decode(value), carrier.binding, limits) {
                Ok(mut m) => {
                    m.layers.insert(0, carrier.layer.into());
                    m.source = carrier.source.clone();
                    m.parameter = Some(param.into());
                    m.relay_state = relay_state.clone();
                    out.keep(m, limits);
                }
                Err(e) => out.problem(carrier.source, format!("{param}{}: {e}", carrier.context)),
            }
        }
    }
    note_repeated(out, from, repeated_params(pairs.iter().map(|(k, _)| k.as_str())));
    from
}

/// Records the carrier's repeated parameters on the first message it yielded (from `from`).
pub(crate) fn note_repeated(out: &mut Extracted, from: usize, params: Vec<(String, usize)>) {
    if let Some(first) = out.messages.get_mut(from).filter(|_| !params.is_empty()) {
        first.repeated = vec![Repetition { source: first.source.clone(), params, unread: None }];
    }
}

/// Compares how often the carrier's raw text names a message parameter with how many values
/// were read from it (`pairs`); more mentions than values is recorded on the carrier's first
/// message, or as a problem when it yielded none.
pub(crate) fn note_unread(
    out: &mut Extracted,
    source: &Source,
    from: usize,
    raw: &str,
    pairs: &[(String, String)],
    named: Option<usize>,
) {
    let read = pairs.iter().filter(|(k, _)| PARAMS.contains(&param_name(k))).count();
    let named = named.unwrap_or_else(|| mentions(raw));
    if named <= read {
        return;
    }
    match out.messages.get_mut(from) {
        Some(first) => first.repeated.push(Repetition {
            source: source.clone(),
            params: Vec::new(),
            unread: Some((named, read)),
        }),
        None => out.problem(
            source,
            format!("input: the text names a SAML message parameter {named} times but no value could be read from it: a browser or a server may read one"),
        ),
    }
}

/// Reads one input's bytes, detecting its form.
pub fn extract(name: &str, bytes: &[u8], limits: InputLimits) -> Extracted {
    let source = Source { input: name.to_string(), ..Source::default() };
    let mut out = Extracted::default();
    let body = strip_bom(bytes);
    let trimmed = body.trim_ascii();
    if trimmed.is_empty() {
        out.problem(&source, "input is empty".into());
        return out;
    }
    if let Some(what) = not_a_message(trimmed) {
        out.problem(&source, what.into());
        return out;
    }
    if trimmed[0] == b'<' && !looks_like_html(trimmed) {
        if body.len() > limits.max_inflated {
            let limit = decode::human_size(limits.max_inflated);
            out.problem(
                &source,
                format!("input: an XML document of {} bytes exceeds the {limit} limit", body.len()),
            );
            return out;
        }
        let mut m = raw_xml(source.clone(), body.to_vec());
        // A SAML document never names the binding's parameters: one that does may be an
        // HTML page to a browser (a polyglot) that posts something else.
        let named = mentions(&String::from_utf8_lossy(body));
        if named > 0 {
            m.repeated.push(Repetition { source, params: Vec::new(), unread: Some((named, 0)) });
        }
        out.messages.push(m);
        return out;
    }
    // JSON is read in place, its bodies validated only where they may matter; text is told
    // from binary data by its start.
    let head = &trimmed[..trimmed.len().min(4096)];
    // (a character cut by the 4 KiB boundary is no error).
    let text_start = std::str::from_utf8(head).map_or_else(|e| e.error_len().is_none(), |_| true);
    if text_start && (trimmed[0] == b'{' || trimmed[0] == b'[') {
        return extract_json_slice(name, body, limits);
    }
    let text = match std::str::from_utf8(trimmed) {
        Ok(t) => t,
        Err(e) => {
            out.problem(
                &source,
                format!(
                    "input: not text (invalid UTF-8 at byte {}) and not XML: nothing to decode",
                    e.valid_up_to()
                ),
            );
            return out;
        }
    };
    if trimmed[0] == b'<' {
        extract_html(&mut out, source, text, limits);
        return out;
    }
    // The forms people paste: developer tools' "Form Data", a curl command or a request dump,
    // a quoted or JSON-escaped value. Each becomes a decoding layer.
    if let Some(pairs) = pasted::form_data_lines(text) {
        let carrier = Carrier {
            source: &source,
            layer: "developer tools form data",
            context: " in pasted form data",
            binding: Binding::Post,
            percent_encoded: false,
        };
        read_carrier(&mut out, &pairs, &carrier, limits);
    } else if PARAMS.iter().any(|p| text.contains(&format!("{p}="))) {
        match pasted::parameter_token(text) {
            Some((token, layer)) => {
                let from = out.messages.len();
                extract_query(&mut out, source, token, limits);
                for m in out.messages.iter_mut().skip(from) {
                    m.layers.insert(0, layer.into());
                }
            }
            None => extract_query(&mut out, source, text, limits),
        }
    } else {
        let (value, layer) = pasted::unquote(text);
        match decode_value(&value, None, limits) {
            Ok(mut m) => {
                if let Some(layer) = layer {
                    m.layers.insert(0, layer.into());
                }
                out.keep(Captured { source, ..m }, limits);
            }
            Err(e) => out.problem(&source, e.to_string()),
        }
    }
    out
}

impl Extracted {
    /// Keeps `m` unless the input's decoded XML would exceed `limits.max_decoded_total`, in
    /// which case the message is reported and dropped. Returns whether it was kept.
    pub(crate) fn keep(&mut self, m: Captured, limits: InputLimits) -> bool {
        if self.decoded.saturating_add(m.xml.len()) > limits.max_decoded_total {
            let limit = decode::human_size(limits.max_decoded_total);
            self.problem(&m.source, format!("input: more than {limit} of decoded SAML messages (limit): this message and later ones are not read"));
            return false;
        }
        self.decoded += m.xml.len();
        self.messages.push(m);
        true
    }

    pub(crate) fn problem(&mut self, source: &Source, message: String) {
        self.problems.push(InputProblem { source: source.clone(), message, unrelated: false });
    }
}

thread_local! {
    static KEPT: std::cell::RefCell<Option<std::sync::mpsc::Sender<Arc<[u8]>>>> =
        const { std::cell::RefCell::new(None) };
}

/// While the returned guard lives, every message that a capture (HAR, SAML-tracer) read on
/// this thread keeps is also sent to `tx`, so that other threads can parse and verify it
/// before the input has been read to its end. Dropping the guard drops the sender, which ends
/// the receiver's stream.
pub(crate) fn send_kept_messages(tx: std::sync::mpsc::Sender<Arc<[u8]>>) -> KeptGuard {
    KEPT.with(|hook| *hook.borrow_mut() = Some(tx));
    KeptGuard(())
}

/// Sends `m`'s XML if [`send_kept_messages`] asked for it on this thread: called where a
/// capture keeps a message, after merging duplicates (a capture the skimmer gives up on is
/// read again, and [`stop_sending_kept`] stops sending first).
pub(crate) fn send_kept(m: &Captured) {
    let _ = KEPT.try_with(|hook| {
        if let Some(tx) = &*hook.borrow() {
            // A receiver gone means nobody wants early copies any more: nothing to do.
            let _ = tx.send(m.xml.clone());
        }
    });
}

/// Stops what [`send_kept_messages`] started on this thread, before its guard is dropped.
pub(crate) fn stop_sending_kept() {
    let _ = KEPT.try_with(|hook| hook.borrow_mut().take());
}

/// See [`send_kept_messages`].
#[must_use]
pub(crate) struct KeptGuard(());

impl Drop for KeptGuard {
    fn drop(&mut self) {
        stop_sending_kept();
    }
}

pub(crate) fn raw_xml(source: Source, xml: impl Into<Arc<[u8]>>) -> Captured {
    Captured {
        source,
        binding: Binding::Unknown,
        parameter: None,
        layers: vec!["raw XML".into()],
        relay_state: None,
        relay_state_hidden: false,
        pseudonymized: false,
        sig_alg: None,
        redirect_signature: None,
        raw_query: None,
        xml: xml.into(),
        also_seen: Vec::new(),
        repeated: Vec::new(),
    }
}

/// Whether a document that starts with `<` is an HTML page rather than an XML message, decided
/// by its first element after the prolog (declaration, comments, PIs, doctype): text inside a
/// comment that mentions `<form>` cannot turn a SAML document into a page.
fn looks_like_html(b: &[u8]) -> bool {
    const HTML_ELEMENTS: [&[u8]; 14] = [
        b"html",
        b"head",
        b"body",
        b"form",
        b"meta",
        b"title",
        b"div",
        b"script",
        b"noscript",
        b"input",
        b"p",
        b"link",
        b"style",
        b"table",
    ];
    let find = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).position(|w| w == needle);
    let mut rest = b.trim_ascii_start();
    loop {
        let close: &[u8] = if rest.starts_with(b"<!--") {
            b"-->"
        } else if rest.starts_with(b"<?") {
            b"?>"
        } else if rest.starts_with(b"<!") {
            if rest.get(..14).is_some_and(|d| d.eq_ignore_ascii_case(b"<!doctype html")) {
                return true;
            }
            b">"
        } else {
            break;
        };
        match find(rest, close) {
            Some(i) => rest = rest[i + close.len()..].trim_ascii_start(),
            None => return false,
        }
    }
    let name: Vec<u8> = rest
        .iter()
        .skip(1)
        .take_while(|c| c.is_ascii_alphanumeric())
        .map(u8::to_ascii_lowercase)
        .collect();
    // A prefixed name (`samlp:Response`) stops at ':' and is never one of these.
    rest.get(1 + name.len()) != Some(&b':') && HTML_ELEMENTS.contains(&name.as_slice())
}

/// A URL with a query, or a form body `SAMLResponse=...&RelayState=...`.
pub(crate) fn extract_query(out: &mut Extracted, source: Source, text: &str, limits: InputLimits) {
    extract_query_counted(out, source, text, limits, None);
}

/// Whether `text` names a message parameter, and [`extract_query_counted`] of it if so: the
/// count is made once for both (it percent-decodes the whole text, a body of many KB).
pub(crate) fn extract_query_if_named(
    out: &mut Extracted,
    source: Source,
    text: &str,
    limits: InputLimits,
) -> bool {
    let trimmed = text.trim();
    let named = mentions(trimmed);
    // What decides is the count of the text as given; it differs only when spaces end it.
    let decides = if trimmed.len() == text.len() { named } else { mentions(text) };
    if decides > 0 {
        extract_query_counted(out, source, trimmed, limits, Some(named));
    }
    decides > 0
}

/// [`extract_query`], given `mentions` of the trimmed text when the caller has counted it.
fn extract_query_counted(
    out: &mut Extracted,
    mut source: Source,
    text: &str,
    limits: InputLimits,
    named: Option<usize>,
) {
    let text = text.trim();
    let (url, query) = match text.split_once('?') {
        Some((u, q)) if !u.contains('=') => (Some(u), q),
        _ => (None, text),
    };
    // A fragment ends a URL; in a form body '#' is data (and a second parameter may follow it).
    let query = if url.is_some() { query.split('#').next().unwrap_or_default() } else { query };
    let pairs = match parse_form(query) {
        Ok(p) => p,
        Err(e) => {
            out.problem(&source, e.to_string());
            return;
        }
    };
    let get = |n: &str| values_of(&pairs, n).next().cloned();
    source.url = url.map(str::to_string);
    // A URL carries the Redirect binding; a bare form body is what the POST binding sends.
    let binding = if url.is_some() { Binding::Redirect } else { Binding::Post };
    let carrier = Carrier {
        source: &source,
        layer: "URL decoding",
        context: "",
        binding,
        percent_encoded: false,
    };
    let from = read_carrier(out, &pairs, &carrier, limits);
    let (sig_alg, signature) = (get("SigAlg"), get("Signature"));
    for m in out.messages.iter_mut().skip(from) {
        m.sig_alg = sig_alg.clone();
        m.redirect_signature = signature.clone();
        m.raw_query = url.map(|_| query.to_string());
    }
    note_unread(out, &source, from, text, &pairs, named);
}

pub(crate) fn extract_html(
    out: &mut Extracted,
    mut source: Source,
    text: &str,
    limits: InputLimits,
) {
    let form = html::scan_auto_post_form(text);
    if let Some(why) = &form.refused {
        out.problem(&source, why.clone());
    }
    source.url = form.action.clone();
    // Some frameworks (Java servlets, ASP.NET) read query parameters before the body: SAML
    // parameters in the action's query are values too.
    let mut fields = form.fields.clone();
    if let Some(query) = form.action.as_deref().and_then(|a| a.split_once('?')).map(|(_, q)| q) {
        let query = query.split('#').next().unwrap_or_default();
        if let Ok(pairs) = parse_form(query) {
            fields.extend(pairs.into_iter().filter(|(k, _)| PARAMS.contains(&param_name(k))));
        }
    }
    // A page without SAML fields is no error: no-saml-messages reports an empty capture.
    let carrier = Carrier {
        source: &source,
        layer: "HTML auto-post form",
        context: " in HTML form",
        binding: Binding::Post,
        percent_encoded: false,
    };
    let from = read_carrier(out, &fields, &carrier, limits);
    note_unread(out, &source, from, text, &fields, None);
}

/// Decodes one binding value: optional URL decoding, base64, optional inflation.
/// `binding` is what the carrier says; `None` means a bare value whose binding is inferred.
pub fn decode_value(
    value: &str,
    binding: Option<Binding>,
    limits: InputLimits,
) -> Result<Captured, LayerError> {
    let mut layers = Vec::new();
    let mut value = std::borrow::Cow::Borrowed(value.trim());
    if binding.is_none() && value.contains('%') {
        value = url_decode(&value, false)?.into();
        layers.push("URL decoding".to_string());
    }
    if value.len() > limits.max_inflated.saturating_mul(2) {
        return Err(LayerError {
            layer: "base64",
            message: format!("value of {} bytes exceeds the size limit", value.len()),
        });
    }
    let (bytes, notes) = base64_decode(&value)?;
    layers.push(match (notes.url_safe, notes.spaces_as_plus) {
        (true, _) => "base64 (URL-safe alphabet)".into(),
        (_, true) => "base64 (spaces read as '+': the value was URL-decoded twice)".into(),
        _ => "base64".into(),
    });
    // DER (a SEQUENCE with a long length) is a certificate or key pasted as base64.
    if bytes.first() == Some(&0x30) && matches!(bytes.get(1), Some(0x81..=0x84)) {
        return Err(LayerError {
            layer: "base64",
            message: "the value decodes to DER (a certificate or key), not a SAML message: give a certificate with --cert".into(),
        });
    }
    let (xml, inflated) = if strip_bom(&bytes).trim_ascii().first() == Some(&b'<') {
        (bytes, false)
    } else {
        let (xml, framing) = inflate(&bytes, limits.max_inflated)?;
        layers.push(framing.label().into());
        (xml, true)
    };
    if xml.len() > limits.max_inflated {
        return Err(LayerError {
            layer: "base64",
            message: format!(
                "decoded payload exceeds the {} limit",
                decode::human_size(limits.max_inflated)
            ),
        });
    }
    let binding = binding.unwrap_or(if inflated { Binding::Redirect } else { Binding::Post });
    Ok(Captured { binding, layers, ..raw_xml(Source::default(), xml) })
}

/// A certificate or key given as the input: say which flag takes it, instead of failing to
/// inflate it.
fn not_a_message(b: &[u8]) -> Option<&'static str> {
    let head = b.get(..64).unwrap_or(b);
    let has = |needle: &[u8]| head.windows(needle.len()).any(|w| w == needle);
    if !b.starts_with(b"-----BEGIN ") {
        return None;
    }
    Some(if has(b"CERTIFICATE") {
        "input: a certificate, not a SAML message: give the IdP's signing certificate with --cert"
    } else if has(b"PRIVATE KEY") {
        "input: a private key, not a SAML message: samlscope never needs the IdP's private key (keep it private)"
    } else if has(b"PUBLIC KEY") {
        "input: a public key, not a SAML message: give the IdP's certificate with --cert"
    } else {
        "input: a PEM block, not a SAML message: certificates go to --cert"
    })
}

fn strip_bom(b: &[u8]) -> &[u8] {
    b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    const XML: &str =
        "<samlp:AuthnRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" ID=\"_1\"/>";

    fn b64(b: &[u8]) -> String {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD.encode(b)
    }

    fn deflated() -> Vec<u8> {
        let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(XML.as_bytes()).unwrap();
        e.finish().unwrap()
    }

    fn pct(s: &str) -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    }

    #[test]
    fn detects_every_form() {
        let redirect = pct(&b64(&deflated()));
        let cases: Vec<(String, Binding, &[&str], Option<&str>)> = vec![
            (XML.into(), Binding::Unknown, &["raw XML"], None),
            (format!("\u{feff}<?xml version=\"1.0\"?>\n{XML}"), Binding::Unknown, &["raw XML"], None),
            (b64(XML.as_bytes()), Binding::Post, &["base64"], None),
            (
                format!("SAMLResponse={}&RelayState=%2Fagent", pct(&b64(XML.as_bytes()))),
                Binding::Post,
                &["URL decoding", "base64"],
                Some("/agent"),
            ),
            (
                format!("https://acme.my.salesforce.com/idp/endpoint/HttpRedirect?SAMLRequest={redirect}&RelayState=r1"),
                Binding::Redirect,
                &["URL decoding", "base64", "raw DEFLATE"],
                Some("r1"),
            ),
            (redirect.clone(), Binding::Redirect, &["URL decoding", "base64", "raw DEFLATE"], None),
            (b64(&deflated()), Binding::Redirect, &["base64", "raw DEFLATE"], None),
        ];
        for (input, binding, layers, relay) in cases {
            let got = extract("t", input.as_bytes(), InputLimits::default());
            assert!(got.problems.is_empty(), "{input}: {:?}", got.problems);
            assert_eq!(got.messages.len(), 1, "{input}");
            let m = &got.messages[0];
            assert_eq!(m.binding, binding, "{input}");
            assert_eq!(
                m.layers,
                layers.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
                "{input}"
            );
            assert_eq!(m.relay_state.as_deref(), relay, "{input}");
            assert!(String::from_utf8_lossy(&m.xml).contains("AuthnRequest"), "{input}");
        }
    }

    #[test]
    fn problems_name_the_layer() {
        let cases: &[(&[u8], &str)] = &[
            (b"", "input is empty"),
            (b"   \n", "input is empty"),
            (b"\x00\xff\xfe garbage", "invalid UTF-8"),
            (b"SAMLResponse=abc%zz", "URL decoding: invalid percent-escape at offset 3"),
            (b"SAMLResponse=PHNhbWw*", "SAMLResponse: base64: invalid character '*' at offset 7"),
            (b"QUJDREVGR0g=", "inflate"),
        ];
        for (input, want) in cases {
            let got = extract("t", input, InputLimits::default());
            assert!(got.messages.is_empty());
            assert_eq!(got.problems.len(), 1);
            assert!(got.problems[0].message.contains(want), "{:?}", got.problems[0].message);
        }
    }

    #[test]
    fn html_without_saml_is_empty_not_an_error() {
        let got = extract("t", b"<html><body><form></form></body></html>", InputLimits::default());
        assert_eq!(got, Extracted::default());
    }

    #[test]
    fn html_auto_post_form() {
        let html = format!(
            "<html><body><form action=\"https://sp/acs\" method=\"post\"><input type=\"hidden\" name=\"SAMLResponse\" value=\"{}\"/></form></body></html>",
            b64(XML.as_bytes())
        );
        let got = extract("t", html.as_bytes(), InputLimits::default());
        assert_eq!(got.messages.len(), 1, "{:?}", got.problems);
        assert_eq!(got.messages[0].source.url.as_deref(), Some("https://sp/acs"));
        assert_eq!(got.messages[0].binding, Binding::Post);
    }

    #[test]
    fn repeated_parameters_are_all_read_and_recorded() {
        let other = XML.replace("_1", "_2");
        let (a, b) = (pct(&b64(XML.as_bytes())), pct(&b64(other.as_bytes())));
        let har = format!(
            r#"{{"log":{{"entries":[{{"startedDateTime":"2026-11-20T15:04:05Z","request":{{"method":"POST","url":"https://sp/acs","postData":{{"params":[{{"name":"SAMLRequest","value":"{a}"}},{{"name":"SAMLRequest","value":"{b}"}}]}}}},"response":{{"status":200,"content":{{}}}}}}]}}}}"#
        );
        let html = format!(
            "<html><body><form action=\"https://sp/acs\"><input type=\"hidden\" name=\"SAMLRequest\" value=\"{}\"/><input type=\"hidden\" name=\"SAMLRequest\" value=\"{}\"/></form></body></html>",
            b64(XML.as_bytes()),
            b64(other.as_bytes())
        );
        for input in [format!("SAMLRequest={a}&SAMLRequest={b}"), html, har] {
            let got = extract("t", input.as_bytes(), InputLimits::default());
            assert_eq!(got.messages.len(), 2, "{input}: {:?}", got.problems);
            let params: Vec<_> =
                got.messages[0].repeated.iter().flat_map(|r| r.params.clone()).collect();
            assert_eq!(params, vec![("SAMLRequest".to_string(), 2)], "{input}");
            assert!(got.messages[1].repeated.is_empty(), "{input}");
        }
    }

    #[test]
    fn saml_tracer_requests_carry_their_own_capture_time() {
        let tracer = format!(
            r#"{{"requests":[{{"method":"POST","url":"https://sp/acs","timestamp":"2026-11-20T15:04:05.123Z","post":[["SAMLRequest","{0}"]],"saml":"{1}"}},{{"method":"POST","url":"https://sp/acs","timestamp":1795186000000,"post":[],"saml":"{1}"}}],"timestamp":"2026-11-21T00:00:00Z"}}"#,
            b64(XML.as_bytes()),
            XML.replace('"', "\\\"")
        );
        let got = extract("t.json", tracer.as_bytes(), InputLimits::default());
        assert!(got.problems.is_empty(), "{:?}", got.problems);
        let m = &got.messages[0];
        assert_eq!(m.source.time.as_deref(), Some("2026-11-20T15:04:05.123Z"));
        assert_eq!(m.source.capture, Some("SAML-tracer request"));
        let times: Vec<_> = got.steps.iter().filter_map(|s| s.source.time.as_deref()).collect();
        assert!(times.contains(&"2026-11-20T14:46:40Z"), "{times:?}");
    }
}

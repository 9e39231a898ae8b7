//! The pipeline: inputs → captured messages → XML → SAML model → signature verdicts → findings.
//! Pure: it returns data and never prints.

use std::sync::Arc;

use crate::config::Config;
use crate::dsig::redirect::{self, RedirectVerdict};
use crate::dsig::{verify_document, Certificate, Verdict};
use crate::input::{self, extract, Captured, Evidence, Extracted, InputLimits, InputProblem, Step};
use crate::profile::{self, Profile};
use crate::rules::{run_rules, Finding, Selection, Skipped};
use crate::saml::time::Instant;
use crate::saml::{read_message, Assertion, Message, MessageKind};
use crate::trust::{self, Trust};
use crate::workers;
use crate::xml::{parse, Document, NodeId, XmlError, XmlLimits};
use crate::xmlenc::{self, splice, DecryptError, Decrypted};

/// One named input.
pub struct Input {
    /// The path as given, or `-`.
    pub name: String,
    /// The content.
    pub data: InputData,
}

/// Where an input's bytes are.
pub enum InputData {
    /// In memory.
    Bytes(Vec<u8>),
    /// A memory-mapped file (standard input is spooled to one): the page cache holds it, not
    /// the heap, so a 500 MB HAR costs no anonymous memory.
    Mapped(memmap2::Mmap),
}

impl Input {
    /// An input held in memory.
    pub fn bytes(name: impl Into<String>, bytes: Vec<u8>) -> Input {
        Input { name: name.into(), data: InputData::Bytes(bytes) }
    }
}

/// Reads one input whatever holds it.
pub fn extract_input(input: Input, limits: InputLimits) -> Extracted {
    match &input.data {
        InputData::Bytes(b) => extract(&input.name, b, limits),
        InputData::Mapped(m) => extract(&input.name, m, limits),
    }
}

/// Limits for every layer.
#[derive(Debug, Clone, Copy, Default)]
pub struct Limits {
    /// Decoding limits.
    pub input: InputLimits,
    /// XML limits.
    pub xml: XmlLimits,
    /// Threads that analyse one input's messages: 0 = one per core.
    pub jobs: usize,
}

/// A captured message after parsing and verification.
#[derive(Debug, Clone)]
pub struct AnalyzedMessage {
    /// Position in the report.
    pub index: usize,
    /// Where it came from and how it was decoded.
    pub captured: Captured,
    /// The parsed document, unless parsing failed.
    pub doc: Option<Document>,
    /// Why parsing failed.
    pub xml_error: Option<XmlError>,
    /// The SAML reading of the document.
    pub message: Option<Message>,
    /// One verdict per `ds:Signature`, in document order.
    pub verdicts: Vec<Verdict>,
    /// What a service provider consumes and which signatures cover it.
    pub trust: Trust,
    /// Each EncryptedAssertion and what decrypting it gave, in document order.
    pub decryptions: Vec<Decryption>,
    /// The verdict on the HTTP-Redirect binding's `Signature` query parameter, if any.
    pub redirect: Option<RedirectVerdict>,
}

/// One EncryptedAssertion and what became of it.
#[derive(Debug, Clone)]
pub struct Decryption {
    /// In [`AnalyzedMessage::doc`]: the decrypted assertion in the EncryptedAssertion's place,
    /// or the EncryptedAssertion when it stayed encrypted.
    pub element: Option<NodeId>,
    /// The key transport and content encryption algorithms it names.
    pub algorithms: (Option<String>, Option<String>),
    /// How it went (the plaintext is in the document, not here).
    pub outcome: Result<Decrypted, DecryptError>,
}

/// One validity window of an assertion, as written (bounds are xs:dateTime text).
#[derive(Debug, Clone, Copy)]
pub struct Window<'a> {
    /// Where it is: `Assertion/Conditions` or `SubjectConfirmationData`.
    pub path: &'static str,
    /// `NotBefore`.
    pub not_before: Option<&'a str>,
    /// `NotOnOrAfter`.
    pub not_on_or_after: Option<&'a str>,
}

/// Everything the reports show.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    /// The messages, in input order.
    pub messages: Vec<AnalyzedMessage>,
    /// Parts of the inputs that could not be decoded.
    pub problems: Vec<InputProblem>,
    /// Findings, sorted.
    pub findings: Vec<Finding>,
    /// Rules that could not run, with the flag that enables them.
    pub skipped: Vec<Skipped>,
    /// Every request of the captures, in capture order (message indices are global).
    pub steps: Vec<Step>,
    /// Evidence found in the captures.
    pub evidence: Vec<Evidence>,
    /// The configured IdP certificates the signatures were checked against.
    pub certificates: Vec<Certificate>,
    /// Who the SP and the IdP are, and why.
    pub profile: Profile,
    /// The allowed clock skew, microseconds (`--skew`).
    pub skew: i64,
    /// `--at`: the time messages without a capture time are judged at.
    pub at: Option<Instant>,
}

/// Decodes, parses and verifies every message of `inputs`, then runs the rules.
pub fn analyze(
    inputs: Vec<Input>,
    config: &Config,
    selection: &Selection,
    limits: Limits,
) -> Analysis {
    let mut analysis = Analysis {
        certificates: config.certs.clone(),
        skew: config.skew,
        at: config.at,
        ..Analysis::default()
    };
    for input in inputs {
        let (extracted, early) = extract_early(input, config, limits);
        let offset = analysis.messages.len();
        analysis.problems.extend(extracted.problems);
        analysis.evidence.extend(extracted.evidence);
        analysis.steps.extend(extracted.steps.into_iter().map(|mut s| {
            s.messages.iter_mut().for_each(|m| *m += offset);
            s
        }));
        let first = analysis.messages.len();
        let messages = analyze_messages(first, extracted.messages, early, config, limits);
        analysis.messages.extend(messages);
    }
    analysis.profile = profile::detect(config, &analysis.messages);
    let jobs = threads_for(analysis.messages.len(), limits);
    let (findings, skipped) = run_rules(&analysis, config, selection, &analysis.profile, jobs);
    analysis.findings = findings;
    analysis.skipped = skipped;
    analysis
}

/// Messages from which a capture's messages are analysed, and its rules run, on all cores:
/// below, starting threads costs more than it saves.
const PARALLEL_FROM: usize = 16;

/// Inputs from which their messages are parsed and verified while extraction still reads
/// them: a capture this size usually holds [`PARALLEL_FROM`] messages or more.
const EARLY_FROM: usize = 256 * 1024;

/// The threads for work over `messages` messages under `limits.jobs`.
fn threads_for(messages: usize, limits: Limits) -> usize {
    if messages < PARALLEL_FROM {
        1
    } else {
        workers::threads(limits.jobs)
    }
}

/// Messages read and verified while extraction went on, by the address of their XML: the
/// shared buffer stays where it is while extraction moves and reorders its messages, and the
/// `Arc` kept here keeps the address from being reused.
type Early = std::collections::HashMap<usize, (Arc<[u8]>, Read)>;

/// What analysing a message needs of its XML alone: the tree, its SAML reading and one
/// verdict per signature.
type Read = Result<(Document, Message, Vec<Verdict>), XmlError>;

/// Extracts `input`'s messages. A large input on several threads: while this thread reads it,
/// the others parse and verify each message as soon as it is found, and this one joins them
/// when it is done reading, so reading a capture no longer leaves the other cores idle.
fn extract_early(input: Input, config: &Config, limits: Limits) -> (Extracted, Early) {
    // Threads beyond the cores would only wait (and `--jobs` goes up to 65,535).
    let jobs = workers::threads(limits.jobs).min(workers::threads(0));
    let size = match &input.data {
        InputData::Bytes(b) => b.len(),
        InputData::Mapped(m) => m.len(),
    };
    if jobs < 2 || size < EARLY_FROM {
        return (extract_input(input, limits.input), Early::new());
    }
    let (tx, rx) = std::sync::mpsc::channel::<Arc<[u8]>>();
    let rx = std::sync::Mutex::new(rx);
    let work = || {
        let mut done = Vec::new();
        loop {
            // The lock is held only while waiting for the next message, never while working.
            let next = rx.lock().unwrap_or_else(std::sync::PoisonError::into_inner).recv();
            let Ok(xml) = next else { break };
            let read = read_and_verify(&xml, config, limits.xml);
            done.push((xml.as_ptr() as usize, (xml, read)));
        }
        done
    };
    std::thread::scope(|s| {
        let helpers: Vec<_> = (1..jobs).map(|_| s.spawn(work)).collect();
        let extracted = {
            let _sending = input::send_kept_messages(tx);
            extract_input(input, limits.input)
        };
        let mut early: Early = work().into_iter().collect();
        for h in helpers {
            match h.join() {
                Ok(done) => early.extend(done),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        (extracted, early)
    })
}

/// Parses and verifies `captured` (numbered from `first`), on `jobs` threads (0: one per core)
/// when they are many, using what `early` already read; the result is in capture order either
/// way.
fn analyze_messages(
    first: usize,
    captured: Vec<Captured>,
    early: Early,
    config: &Config,
    limits: Limits,
) -> Vec<AnalyzedMessage> {
    let jobs = threads_for(captured.len(), limits);
    let paired = pair_early(captured, early);
    workers::map_ordered(paired, jobs, |i, (c, read)| {
        let read = read.unwrap_or_else(|| read_and_verify(&c.xml, config, limits.xml));
        complete(first + i, c, read, config, limits.xml)
    })
}

/// Each message with what `early` read of it, by its buffer; what is left was read from buffers
/// extraction dropped (a HAR read again after the skimmer gave up), and the same bytes give the
/// same reading. Results no message takes are freed here.
fn pair_early(captured: Vec<Captured>, mut early: Early) -> Vec<(Captured, Option<Read>)> {
    let mut paired: Vec<(Captured, Option<Read>)> = captured
        .into_iter()
        .map(|c| {
            let read = early
                .remove(&(c.xml.as_ptr() as usize))
                .and_then(|(xml, read)| Arc::ptr_eq(&xml, &c.xml).then_some(read));
            (c, read)
        })
        .collect();
    if !early.is_empty() {
        let mut by_bytes: std::collections::HashMap<Arc<[u8]>, Read> =
            early.into_values().collect();
        for (c, read) in paired.iter_mut().filter(|(_, read)| read.is_none()) {
            *read = by_bytes.remove(&c.xml);
        }
    }
    paired
}

/// Parses and verifies one captured message.
pub fn analyze_message(
    index: usize,
    captured: Captured,
    config: &Config,
    limits: XmlLimits,
) -> AnalyzedMessage {
    let read = read_and_verify(&captured.xml, config, limits);
    complete(index, captured, read, config, limits)
}

/// Parses `xml`, reads the SAML message and verifies its signatures.
fn read_and_verify(xml: &[u8], config: &Config, limits: XmlLimits) -> Read {
    let doc = parse(xml, limits)?;
    let message = read_message(&doc);
    let (certs, _) = signer(config, &message);
    let verdicts = verify_document(&doc, &message.signature_elements, certs);
    Ok((doc, message, verdicts))
}

/// The rest of one message's analysis, once its XML is read: the Redirect binding's
/// signature, decryption, and what the signatures cover.
fn complete(
    index: usize,
    captured: Captured,
    read: Read,
    config: &Config,
    limits: XmlLimits,
) -> AnalyzedMessage {
    let mut m = AnalyzedMessage {
        index,
        captured,
        doc: None,
        xml_error: None,
        message: None,
        verdicts: Vec::new(),
        trust: Trust::default(),
        decryptions: Vec::new(),
        redirect: None,
    };
    match read {
        Ok((doc, message, verdicts)) => {
            let (certs, flag) = signer(config, &message);
            if let Some(q) = &m.captured.raw_query {
                let param = m.captured.parameter.as_deref();
                m.redirect = redirect::verify_query(q, param, &m.captured.xml, certs, flag);
            }
            let (doc, message, verdicts) = if message.encrypted_assertions.is_empty() {
                (doc, message, verdicts)
            } else {
                decrypt_message(&mut m, doc, message, verdicts, config, limits)
            };
            let verdicts = if m.captured.pseudonymized {
                pseudonymized(verdicts, &mut m.redirect)
            } else {
                verdicts
            };
            m.trust = trust::assess(&doc, &message, &verdicts);
            m.verdicts = verdicts;
            m.message = Some(message);
            m.doc = Some(doc);
        }
        Err(e) => m.xml_error = Some(e),
    }
    m
}

/// The certificates that verify what `message`'s sender signs: the SP's for an AuthnRequest
/// and for logout messages the SP issues, the IdP's otherwise; and the flags that give them.
fn signer<'a>(config: &'a Config, message: &Message) -> (&'a [Certificate], &'static str) {
    if sent_by_sp(config, message) {
        (&config.sp_certs, "--sp-cert or --sp-metadata")
    } else {
        (&config.certs, "--cert or --idp-metadata")
    }
}

/// Why a signature of a pseudonymized capture is not checked.
pub const PSEUDONYMIZED: &str = "not checkable: the capture was pseudonymized (samlscope redact --pseudonymize replaced the people in it), so the signed content changed";

/// A pseudonymized capture's failing signatures are not checkable rather than invalid: the
/// content they signed was replaced on purpose.
fn pseudonymized(
    mut verdicts: Vec<Verdict>,
    redirect: &mut Option<RedirectVerdict>,
) -> Vec<Verdict> {
    for v in &mut verdicts {
        if v.status == crate::dsig::Status::Invalid {
            v.status = crate::dsig::Status::NotChecked;
            v.reason = Some(PSEUDONYMIZED.into());
            v.cert_mismatch = false;
        }
    }
    if let Some(r) = redirect.as_mut().filter(|r| r.status == crate::dsig::Status::Invalid) {
        r.status = crate::dsig::Status::NotChecked;
        r.reason = Some(PSEUDONYMIZED.into());
        r.reencoded = None;
    }
    verdicts
}

/// Whether the service provider sent `message` (and signs it with its own key): an
/// AuthnRequest, or a logout message whose Issuer is the SP's entity ID.
pub fn sent_by_sp(config: &Config, message: &Message) -> bool {
    match message.kind {
        MessageKind::AuthnRequest => true,
        MessageKind::LogoutRequest | MessageKind::LogoutResponse => {
            message.issuer.is_some() && message.issuer == config.entity_id
        }
        _ => false,
    }
}

/// EncryptedAssertions decrypted per message; real responses carry one.
pub const MAX_DECRYPTIONS: usize = 8;

/// Decrypts the message's EncryptedAssertions with the SP keys and, when any decrypts, returns
/// the decrypted document in the encrypted one's place (a decoding layer): its own signatures
/// verified there, the others' verdicts (made over the ciphertext) carried over.
fn decrypt_message(
    m: &mut AnalyzedMessage,
    doc: Document,
    message: Message,
    verdicts: Vec<Verdict>,
    config: &Config,
    limits: XmlLimits,
) -> (Document, Message, Vec<Verdict>) {
    let mut outcomes: Vec<(NodeId, Result<Decrypted, DecryptError>)> = Vec::new();
    for (i, e) in message.encrypted_assertions.iter().enumerate() {
        if i >= MAX_DECRYPTIONS && !config.sp_keys.is_empty() {
            let why =
                format!("more than {MAX_DECRYPTIONS} encrypted assertions in one message (limit)");
            outcomes.push((e.element, Err(DecryptError::Malformed(why))));
            continue;
        }
        if !config.sp_keys.is_empty() && !crate::xml::spans_are_raw(&m.captured.xml) {
            let why =
                "an ISO-8859-1 document: samlscope decrypts assertions in UTF-8 documents only";
            outcomes.push((e.element, Err(DecryptError::Malformed(why.into()))));
            continue;
        }
        let outcome = xmlenc::decrypt(&doc, e.element, &config.sp_keys).and_then(|mut d| {
            d.plaintext = splice::trim_plaintext(&d.plaintext).to_vec();
            splice::check_in_context(&doc, e.element, &d.plaintext, limits)
                .map_err(DecryptError::NotXml)?;
            Ok(d)
        });
        outcomes.push((e.element, outcome));
    }
    let record = |m: &mut AnalyzedMessage,
                  doc: &Document,
                  outcomes: Vec<(NodeId, Result<Decrypted, DecryptError>)>,
                  element: &dyn Fn(usize, NodeId) -> Option<NodeId>| {
        m.decryptions = outcomes
            .into_iter()
            .enumerate()
            .map(|(i, (ea, mut outcome))| {
                if let Ok(d) = &mut outcome {
                    d.plaintext = Vec::new();
                }
                Decryption {
                    element: element(i, ea),
                    algorithms: xmlenc::algorithms(doc, ea),
                    outcome,
                }
            })
            .collect();
    };
    let items: Vec<(NodeId, &[u8])> = outcomes
        .iter()
        .filter_map(|(ea, o)| o.as_ref().ok().map(|d| (*ea, d.plaintext.as_slice())))
        .collect();
    if items.is_empty() {
        record(m, &doc, outcomes, &|_, ea| Some(ea));
        return (doc, message, verdicts);
    }
    let spliced = splice::splice(&doc, &m.captured.xml, &items)
        .and_then(|s| parse(&s.xml, limits).map(|d| (s, d)).map_err(|e| e.to_string()));
    let (splice, new) = match spliced {
        Ok(x) => x,
        Err(e) => {
            for (_, o) in &mut outcomes {
                if o.is_ok() {
                    *o = Err(DecryptError::NotXml(e.clone()));
                }
            }
            record(m, &doc, outcomes, &|_, ea| Some(ea));
            return (doc, message, verdicts);
        }
    };
    let new_message = read_message(&new);
    let mut all: Vec<Verdict> = verdicts
        .into_iter()
        .filter(|v| !splice.replaced(v.signature))
        .filter_map(|mut v| {
            v.signature = splice.map(&doc, &new, v.signature)?;
            v.parent = v.parent.and_then(|p| splice.map(&doc, &new, p));
            v.covered = v.covered.and_then(|c| splice.map(&doc, &new, c));
            Some(v)
        })
        .collect();
    let inner: Vec<NodeId> = new_message
        .signature_elements
        .iter()
        .copied()
        .filter(|s| splice.is_decrypted(&new, *s))
        .collect();
    all.extend(verify_document(&new, &inner, signer(config, &new_message).0));
    all.sort_by_key(|v| v.signature);
    let decrypted = splice.decrypted_elements(&new);
    let mut next = decrypted.into_iter();
    let layers: Vec<String> = outcomes
        .iter()
        .filter_map(|(_, o)| o.as_ref().ok())
        .map(|d| {
            format!(
                "XML decryption ({}, {})",
                xmlenc::short_name(&d.algorithms.key_transport),
                xmlenc::short_name(&d.algorithms.content)
            )
        })
        .fold(Vec::new(), |mut acc: Vec<String>, l| {
            if !acc.contains(&l) {
                acc.push(l);
            }
            acc
        });
    let elements: Vec<Option<NodeId>> = outcomes
        .iter()
        .map(|(ea, o)| if o.is_ok() { next.next().flatten() } else { splice.map(&doc, &new, *ea) })
        .collect();
    record(m, &doc, outcomes, &|i, _| elements.get(i).copied().flatten());
    m.captured.layers.extend(layers);
    m.captured.xml = splice.xml.into();
    (new, new_message, all)
}

impl AnalyzedMessage {
    /// The message kind (`Unknown` when it did not parse).
    pub fn kind(&self) -> MessageKind {
        self.message.as_ref().map_or(MessageKind::Unknown, |m| m.kind)
    }

    /// The assertion a service provider would consume (see [`Trust::consumed`]), when it is
    /// readable (not encrypted).
    pub fn consumed_assertion(&self) -> Option<&Assertion> {
        let c = self.trust.consumed?;
        self.message.as_ref()?.assertions.iter().find(|a| a.element == c)
    }

    /// Whether the message looks like XML Signature Wrapping.
    pub fn is_wrapped(&self) -> bool {
        !self.trust.wrapping.is_empty()
    }

    /// The validity windows of the consumed assertion: its Conditions, then each
    /// SubjectConfirmationData, in document order.
    pub fn validity_windows(&self) -> Vec<Window<'_>> {
        let Some(a) = self.consumed_assertion() else { return Vec::new() };
        let mut w = Vec::new();
        if let Some(c) = &a.conditions {
            w.push(Window {
                path: "Assertion/Conditions",
                not_before: c.not_before.as_deref(),
                not_on_or_after: c.not_on_or_after.as_deref(),
            });
        }
        for c in &a.confirmations {
            w.push(Window {
                path: "SubjectConfirmationData",
                not_before: c.not_before.as_deref(),
                not_on_or_after: c.not_on_or_after.as_deref(),
            });
        }
        w
    }

    /// The time the message is judged at: its capture time, else `--at`.
    pub fn evaluation_time(&self, config: &Config) -> Option<Instant> {
        self.captured.source.time.as_deref().and_then(|t| Instant::parse(t).ok()).or(config.at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{raw_xml, Source};

    /// A capture large enough to be read and verified while extraction goes on: every message
    /// kept is read early and found again by its buffer after extraction has reordered the
    /// messages, including one first seen in an auto-post form and then delivered by the POST;
    /// and the analysis is the one a single thread makes.
    #[test]
    fn early_analysis_finds_every_message_again() {
        use base64::Engine;
        let value = |i: usize| {
            base64::engine::general_purpose::STANDARD.encode(format!(
                r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r{i}" Version="2.0" IssueInstant="2026-11-20T15:04:41Z"/>"#
            ))
        };
        let body = |i: usize| {
            let v = value(i).replace('+', "%2B").replace('/', "%2F").replace('=', "%3D");
            format!("SAMLResponse={v}&RelayState=r{i}")
        };
        let entry = |second: usize, method: &str, text: &str, page: &str| {
            serde_json::json!({
                "startedDateTime": format!("2026-11-20T15:04:{second:02}.000Z"),
                "request": {"method": method, "url": "https://login.flex.us1.twilio.com/login/callback",
                    "headers": [], "postData": {"mimeType": "application/x-www-form-urlencoded", "text": text}},
                "response": {"status": 200, "headers": [],
                    "content": {"size": page.len(), "mimeType": "text/html", "text": page}}
            })
        };
        // Latest first, so that extraction puts them back in time order.
        let mut entries: Vec<_> =
            (0..2 * PARALLEL_FROM).map(|i| entry(59 - i, "POST", &body(i), "")).collect();
        let value = value(0);
        let form = format!(
            r#"<html><body onload="document.forms[0].submit()"><form method="post" action="https://login.flex.us1.twilio.com/login/callback"><input type="hidden" name="SAMLResponse" value="{value}"/></form></body></html>"#
        );
        entries.insert(0, entry(0, "GET", "", &form));
        entries.push(entry(1, "GET", "", &"x".repeat(2 * EARLY_FROM)));
        let har = serde_json::json!({"log": {"version": "1.2", "entries": entries}}).to_string();
        let input = || Input::bytes("early.har", har.clone().into_bytes());
        let config = Config::default();
        let two = Limits { jobs: 2, ..Limits::default() };
        let (extracted, early) = extract_early(input(), &config, two);
        assert!(extracted.messages.len() >= PARALLEL_FROM);
        assert_eq!(early.len(), extracted.messages.len());
        for m in &extracted.messages {
            let found = early.get(&(m.xml.as_ptr() as usize));
            assert!(found.is_some_and(|(xml, _)| Arc::ptr_eq(xml, &m.xml)), "{:?}", m.source);
        }
        let one = Limits { jobs: 1, ..Limits::default() };
        let report = |limits| {
            crate::report::json::render(&analyze(
                vec![input()],
                &config,
                &Selection::default(),
                limits,
            ))
        };
        assert_eq!(report(two), report(one));

        // Cut inside the last entry, the capture still large: the skimmer gives up at the cut
        // and the capture is read again, sending nothing; the messages of the first reading
        // are found again by their bytes.
        let cut = Input::bytes("cut.har", har.as_bytes()[..har.len() - EARLY_FROM / 2].to_vec());
        let (extracted, early) = extract_early(cut, &config, two);
        assert_eq!(extracted.messages.len(), 2 * PARALLEL_FROM);
        assert_eq!(early.len(), extracted.messages.len());
        let paired = pair_early(extracted.messages, early);
        assert!(paired.iter().all(|(_, read)| read.is_some()));
        let cut_report = |limits| {
            let cut =
                Input::bytes("cut.har", har.as_bytes()[..har.len() - EARLY_FROM / 2].to_vec());
            crate::report::json::render(&analyze(vec![cut], &config, &Selection::default(), limits))
        };
        assert_eq!(cut_report(two), cut_report(one));
    }

    /// Many messages are analysed on several threads and come back in capture order, each
    /// exactly as alone.
    #[test]
    fn parallel_analysis_keeps_capture_order() {
        let config = Config::default();
        let captured = |i: usize| {
            let xml = format!(
                r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r{i}" Version="2.0" IssueInstant="2026-11-20T15:04:41Z"/>"#
            );
            raw_xml(Source::default(), if i % 7 == 3 { b"<bad".to_vec() } else { xml.into_bytes() })
        };
        let count = 3 * PARALLEL_FROM;
        let limits = Limits { jobs: 3, ..Limits::default() };
        let all =
            analyze_messages(5, (0..count).map(captured).collect(), Early::new(), &config, limits);
        assert_eq!(all.len(), count);
        for (i, m) in all.iter().enumerate() {
            let alone = analyze_message(5 + i, captured(i), &config, XmlLimits::default());
            assert_eq!(m.index, 5 + i);
            assert_eq!(m.captured.xml, alone.captured.xml);
            assert_eq!(m.xml_error, alone.xml_error);
            let id = |m: &AnalyzedMessage| m.message.as_ref().and_then(|x| x.id.clone());
            assert_eq!(id(m), id(&alone));
        }
    }
}

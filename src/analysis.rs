//! The pipeline: inputs → captured messages → XML → SAML model → signature verdicts → findings.
//! Pure: it returns data and never prints.

use crate::config::Config;
use crate::dsig::{verify_document, Certificate, IdIndex, Verdict};
use crate::input::{extract, Captured, Evidence, Extracted, InputLimits, InputProblem, Step};
use crate::rules::{run_rules, Finding, Selection, Skipped};
use crate::saml::names::{ASSERTION, DSIG, PROTOCOL};
use crate::saml::time::Instant;
use crate::saml::{read_message, Assertion, Message, MessageKind};
use crate::xml::{parse, Document, NodeId, XmlError, XmlLimits};

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
    /// Why the message looks like XML Signature Wrapping (empty when it does not).
    pub wrapping: Vec<String>,
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
}

/// Decodes, parses and verifies every message of `inputs`, then runs the rules.
pub fn analyze(
    inputs: Vec<Input>,
    config: &Config,
    selection: &Selection,
    limits: Limits,
) -> Analysis {
    let mut analysis = Analysis { certificates: config.certs.clone(), ..Analysis::default() };
    for input in inputs {
        let extracted = extract_input(input, limits.input);
        let offset = analysis.messages.len();
        analysis.problems.extend(extracted.problems);
        analysis.evidence.extend(extracted.evidence);
        analysis.steps.extend(extracted.steps.into_iter().map(|mut s| {
            s.messages.iter_mut().for_each(|m| *m += offset);
            s
        }));
        for captured in extracted.messages {
            let index = analysis.messages.len();
            analysis.messages.push(analyze_message(index, captured, config, limits.xml));
        }
    }
    let (findings, skipped) = run_rules(&analysis, config, selection);
    analysis.findings = findings;
    analysis.skipped = skipped;
    analysis
}

/// Parses and verifies one captured message.
pub fn analyze_message(
    index: usize,
    captured: Captured,
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
        wrapping: Vec::new(),
    };
    match parse(&m.captured.xml, limits) {
        Ok(doc) => {
            let message = read_message(&doc);
            m.verdicts = verify_document(&doc, &message.signature_elements, &config.certs);
            m.message = Some(message);
            m.doc = Some(doc);
            m.wrapping = m.wrapping_reasons();
        }
        Err(e) => m.xml_error = Some(e),
    }
    m
}

impl AnalyzedMessage {
    /// The message kind (`Unknown` when it did not parse).
    pub fn kind(&self) -> MessageKind {
        self.message.as_ref().map_or(MessageKind::Unknown, |m| m.kind)
    }

    /// The assertion a service provider would consume: the first `saml:Assertion` child of the
    /// Response, as SAML profiles §4.1.4.2 readers take it.
    pub fn consumed_assertion(&self) -> Option<&Assertion> {
        let m = self.message.as_ref()?;
        (m.kind == MessageKind::Response).then(|| m.assertions.first()).flatten()
    }

    /// The time the message is judged at: its capture time, else `--at`.
    pub fn evaluation_time(&self, config: &Config) -> Option<Instant> {
        self.captured.source.time.as_deref().and_then(|t| Instant::parse(t).ok()).or(config.at)
    }

    /// Every `saml:Assertion` and `saml:EncryptedAssertion` element anywhere in the document.
    pub fn all_assertion_elements(&self) -> Vec<NodeId> {
        let Some(doc) = &self.doc else { return Vec::new() };
        doc.descendants(doc.root)
            .into_iter()
            .filter(|n| {
                doc.is(*n, ASSERTION, "Assertion") || doc.is(*n, ASSERTION, "EncryptedAssertion")
            })
            .collect()
    }

    /// Why this message looks like XML Signature Wrapping (Somorovsky et al., USENIX
    /// Security 2012): what a consumer reads is not what an intact signature covers.
    fn wrapping_reasons(&self) -> Vec<String> {
        let (Some(doc), Some(msg)) = (&self.doc, &self.message) else { return Vec::new() };
        if msg.kind != MessageKind::Response {
            return Vec::new();
        }
        let mut reasons: Vec<String> =
            self.verdicts.iter().flat_map(|v| v.wrapping.clone()).collect();
        let index = IdIndex::build(doc);
        for id in index.duplicates() {
            let r = format!("ID {id:?} is carried by {} elements", index.lookup(id).len());
            if !reasons.contains(&r) {
                reasons.push(r);
            }
        }
        // An EncryptedAssertion counts: an attacker can encrypt a forged one to the SP's key.
        let assertions = self.all_assertion_elements();
        if assertions.len() > 1 {
            reasons.push(format!(
                "the document holds {} assertions (encrypted or not); a service provider reads one, a signature may cover another",
                assertions.len()
            ));
        }
        let hiding = |n: NodeId| {
            doc.ancestors(n).find(|a| {
                doc.is(*a, PROTOCOL, "Extensions")
                    || doc.is(*a, ASSERTION, "Advice")
                    || doc.is(*a, DSIG, "Object")
                    || doc.is(*a, DSIG, "Signature")
            })
        };
        let consumed = self.consumed_assertion().map(|a| a.element);
        let mut covers_consumed = false;
        let mut any_intact = false;
        for v in self.verdicts.iter().filter(|v| v.intact()) {
            let Some(c) = v.covered else { continue };
            any_intact = true;
            if let Some(h) = hiding(c) {
                reasons.push(format!(
                    "the signed {} is hidden inside {}",
                    doc.path(c),
                    doc.path(h)
                ));
            }
            if c == doc.root || Some(c) == consumed {
                covers_consumed = true;
            }
        }
        if any_intact && !covers_consumed {
            let read = consumed.map(|c| doc.path(c)).unwrap_or_else(|| "no assertion".into());
            reasons.push(format!(
                "no intact signature covers the assertion a service provider reads ({read})"
            ));
        }
        reasons
    }
}

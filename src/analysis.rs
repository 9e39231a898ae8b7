//! The pipeline: inputs → captured messages → XML → SAML model → signature verdicts → findings.
//! Pure: it returns data and never prints.

use crate::config::Config;
use crate::dsig::{verify_document, Certificate, Verdict};
use crate::input::{extract, Captured, Evidence, Extracted, InputLimits, InputProblem, Step};
use crate::profile::{self, Profile};
use crate::rules::{run_rules, Finding, Selection, Skipped};
use crate::saml::time::Instant;
use crate::saml::{read_message, Assertion, Message, MessageKind};
use crate::trust::{self, Trust};
use crate::xml::{parse, Document, XmlError, XmlLimits};

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
    /// What a service provider consumes and which signatures cover it.
    pub trust: Trust,
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
    analysis.profile = profile::detect(config, &analysis.messages);
    let (findings, skipped) = run_rules(&analysis, config, selection, &analysis.profile);
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
        trust: Trust::default(),
    };
    match parse(&m.captured.xml, limits) {
        Ok(doc) => {
            let message = read_message(&doc);
            m.verdicts = verify_document(&doc, &message.signature_elements, &config.certs);
            m.trust = trust::assess(&doc, &message, &m.verdicts);
            m.message = Some(message);
            m.doc = Some(doc);
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

    /// The time the message is judged at: its capture time, else `--at`.
    pub fn evaluation_time(&self, config: &Config) -> Option<Instant> {
        self.captured.source.time.as_deref().and_then(|t| Instant::parse(t).ok()).or(config.at)
    }
}

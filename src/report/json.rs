//! The JSON report: exactly the contract of PRODUCT.md, built from serialisable views (no
//! `HashMap`, so output order is stable).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::analysis::{Analysis, AnalyzedMessage};
use crate::dsig::redirect::RedirectVerdict;
use crate::dsig::Verdict;
use crate::input::{Binding, Source};
use crate::profile::Profile;
use crate::rules::{Finding, Skipped};
use crate::saml::envelope::Wrapper;
use crate::saml::{MessageKind, RequestedAuthnContext, Status};
use crate::trust::{coverage, Coverage};
use crate::xml::NodeId;

use super::Summary;

/// The whole report.
#[derive(Debug, Serialize)]
pub struct JsonReport<'a> {
    /// The input the report is about (batch mode, `--format jsonl`, only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input: Option<&'a str>,
    /// samlscope's version.
    pub version: &'static str,
    /// Every message.
    pub messages: Vec<JsonMessage<'a>>,
    /// Sorted findings.
    pub findings: &'a [Finding],
    /// Rules skipped for lack of configuration.
    pub skipped: &'a [Skipped],
    /// Who the SP and the IdP are, and why.
    pub profile: &'a Profile,
    /// fails, not-checked or ok.
    pub verdict: super::Verdict,
    /// Counts.
    pub summary: Summary,
    /// The configured certificates.
    pub certificates: Vec<JsonCertificate>,
    /// The login, step by step (captures only).
    pub timeline: Vec<super::TimelineRow>,
}

/// A configured certificate.
#[derive(Debug, Serialize)]
pub struct JsonCertificate {
    subject: String,
    not_before: Option<String>,
    not_after: Option<String>,
    key: String,
    sha256: String,
}

/// One message, borrowing from the analysis: the report copies nothing it serialises.
#[derive(Debug, Serialize)]
pub struct JsonMessage<'a> {
    index: usize,
    kind: MessageKind,
    binding: Binding,
    source: &'a Source,
    layers: &'a [String],
    relay_state: Option<&'a str>,
    sig_alg: Option<&'a str>,
    also_seen: &'a [Source],
    wrappers: &'a [Wrapper],
    id: Option<&'a str>,
    issuer: Option<&'a str>,
    destination: Option<&'a str>,
    in_response_to: Option<&'a str>,
    issue_instant: Option<&'a str>,
    acs_url: Option<&'a str>,
    protocol_binding: Option<&'a str>,
    name_id_policy: Option<JsonNameIdPolicy<'a>>,
    force_authn: Option<bool>,
    is_passive: Option<bool>,
    requested_authn_context: Option<&'a RequestedAuthnContext>,
    status: Option<&'a Status>,
    assertions: Vec<JsonAssertion<'a>>,
    signatures: Vec<JsonSignature>,
    /// Signatures past [`LISTED_SIGNATURES`] (none verified past the limit), counted only.
    #[serde(skip_serializing_if = "Option::is_none")]
    signatures_not_listed: Option<usize>,
}

/// Signatures listed per message: those verified and as many again (each says it was not
/// checked); a document of 490,000 empty signatures must not make a 150 MB report.
const LISTED_SIGNATURES: usize = 2 * crate::dsig::MAX_SIGNATURES;

/// An AuthnRequest's `NameIDPolicy`.
#[derive(Debug, Serialize)]
pub struct JsonNameIdPolicy<'a> {
    format: Option<&'a str>,
    allow_create: Option<bool>,
}

/// One assertion (or encrypted assertion).
#[derive(Debug, Serialize)]
pub struct JsonAssertion<'a> {
    id: Option<&'a str>,
    issuer: Option<&'a str>,
    name_id: Option<&'a str>,
    name_id_format: Option<&'a str>,
    audiences: &'a [String],
    recipient: Option<&'a str>,
    not_before: Option<&'a str>,
    not_on_or_after: Option<&'a str>,
    attributes: BTreeMap<&'a str, &'a [String]>,
    encrypted: bool,
    decrypted: bool,
    /// For an encrypted assertion: its algorithms, and the key that opened it or why not.
    #[serde(skip_serializing_if = "Option::is_none")]
    encryption: Option<JsonEncryption>,
    consumed: bool,
    trust: Coverage,
}

/// How an encrypted assertion was encrypted and what decrypting it gave.
#[derive(Debug, Serialize)]
pub struct JsonEncryption {
    key_transport: Option<String>,
    content: Option<String>,
    /// The `--sp-key` file that decrypted it.
    key: Option<String>,
    /// Why it was not decrypted.
    error: Option<String>,
}

fn encryption(m: &AnalyzedMessage, element: NodeId) -> Option<JsonEncryption> {
    let d = m.decryptions.iter().find(|d| d.element == Some(element))?;
    Some(JsonEncryption {
        key_transport: d.algorithms.0.clone(),
        content: d.algorithms.1.clone(),
        key: d.outcome.as_ref().ok().map(|x| x.key.clone()),
        error: d.outcome.as_ref().err().map(|e| e.to_string()),
    })
}

/// One signature verdict.
#[derive(Debug, Serialize)]
pub struct JsonSignature {
    covers: Option<String>,
    reference: Option<String>,
    status: &'static str,
    reason: Option<String>,
    signature_method: Option<String>,
    digest_method: Option<String>,
    c14n: Option<String>,
    key_sha256: Option<String>,
}

/// Renders the report as pretty JSON with a final newline.
pub fn render(analysis: &Analysis) -> String {
    let mut s = serde_json::to_string_pretty(&report(analysis, None))
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}

/// Renders the report of one input as one line of JSON (JSON Lines), naming the input.
pub fn render_line(analysis: &Analysis, input: &str) -> String {
    let mut s = serde_json::to_string(&report(analysis, Some(input)))
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}

fn report<'a>(analysis: &'a Analysis, input: Option<&'a str>) -> JsonReport<'a> {
    JsonReport {
        input,
        version: env!("CARGO_PKG_VERSION"),
        messages: analysis.messages.iter().map(message).collect(),
        findings: &analysis.findings,
        skipped: &analysis.skipped,
        profile: &analysis.profile,
        verdict: super::verdict(analysis).0,
        summary: Summary::of(analysis),
        certificates: analysis
            .certificates
            .iter()
            .map(|c| JsonCertificate {
                subject: c.subject.clone(),
                not_before: c.not_before.map(|t| t.to_string()),
                not_after: c.not_after.map(|t| t.to_string()),
                key: c.key_description.clone(),
                sha256: c.sha256.clone(),
            })
            .collect(),
        timeline: super::timeline(analysis),
    }
}

fn message(m: &AnalyzedMessage) -> JsonMessage<'_> {
    let msg = m.message.as_ref();
    let request = msg.and_then(|x| x.request.as_ref());
    let mut assertions: Vec<JsonAssertion> = msg
        .map(|x| {
            x.assertions
                .iter()
                .zip(&m.trust.coverage)
                .map(|(a, trust)| {
                    let bearer = a.confirmations.first();
                    JsonAssertion {
                        id: a.id.as_deref(),
                        issuer: a.issuer.as_deref(),
                        name_id: a.name_id.as_ref().map(|n| n.value.as_str()),
                        name_id_format: a.name_id.as_ref().and_then(|n| n.format.as_deref()),
                        audiences: a.conditions.as_ref().map_or(&[][..], |c| &c.audiences),
                        recipient: bearer.and_then(|b| b.recipient.as_deref()),
                        not_before: a.conditions.as_ref().and_then(|c| c.not_before.as_deref()),
                        not_on_or_after: a
                            .conditions
                            .as_ref()
                            .and_then(|c| c.not_on_or_after.as_deref()),
                        attributes: a
                            .attributes
                            .iter()
                            .map(|at| (at.name.as_str(), &at.values[..]))
                            .collect(),
                        encrypted: m.decryptions.iter().any(|d| d.element == Some(a.element)),
                        decrypted: m.decryptions.iter().any(|d| d.element == Some(a.element)),
                        encryption: encryption(m, a.element),
                        consumed: m.trust.consumed == Some(a.element),
                        trust: *trust,
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    if let Some(x) = msg {
        assertions.extend(x.encrypted_assertions.iter().map(|e| JsonAssertion {
            id: None,
            issuer: None,
            name_id: None,
            name_id_format: None,
            audiences: &[],
            recipient: None,
            not_before: None,
            not_on_or_after: None,
            attributes: BTreeMap::new(),
            encrypted: true,
            decrypted: false,
            encryption: encryption(m, e.element),
            consumed: m.trust.consumed == Some(e.element),
            trust:
                m.doc.as_ref().map_or(Coverage::Uncovered, |d| coverage(d, &m.verdicts, e.element)),
        }));
    }
    JsonMessage {
        index: m.index,
        kind: m.kind(),
        binding: m.captured.binding,
        source: &m.captured.source,
        layers: &m.captured.layers,
        relay_state: m.captured.relay_state.as_deref(),
        sig_alg: m.captured.sig_alg.as_deref(),
        also_seen: &m.captured.also_seen,
        wrappers: msg.map_or(&[][..], |x| &x.wrappers),
        id: msg.and_then(|x| x.id.as_deref()),
        issuer: msg.and_then(|x| x.issuer.as_deref()),
        destination: msg.and_then(|x| x.destination.as_deref()),
        in_response_to: msg.and_then(|x| x.in_response_to.as_deref()),
        issue_instant: msg.and_then(|x| x.issue_instant.as_deref()),
        acs_url: request.and_then(|r| r.acs_url.as_deref()),
        protocol_binding: request.and_then(|r| r.protocol_binding.as_deref()),
        name_id_policy: request
            .filter(|r| {
                r.name_id_policy_format.is_some() || r.name_id_policy_allow_create.is_some()
            })
            .map(|r| JsonNameIdPolicy {
                format: r.name_id_policy_format.as_deref(),
                allow_create: r.name_id_policy_allow_create,
            }),
        force_authn: request.and_then(|r| r.force_authn),
        is_passive: request.and_then(|r| r.is_passive),
        requested_authn_context: request.and_then(|r| r.requested_authn_context.as_ref()),
        status: msg.and_then(|x| x.status.as_ref()),
        assertions,
        signatures: m
            .verdicts
            .iter()
            .take(LISTED_SIGNATURES)
            .map(|v| signature(m, v))
            .chain(m.redirect.as_ref().map(redirect_signature))
            .collect(),
        signatures_not_listed: m.verdicts.len().checked_sub(LISTED_SIGNATURES).filter(|n| *n > 0),
    }
}

/// What a verdict covers, in words: `Response`, `Assertion`, or the element's name.
pub fn covers(m: &AnalyzedMessage, v: &Verdict) -> Option<String> {
    let doc = m.doc.as_ref()?;
    v.covered.and_then(|c| doc.element(c)).map(|e| e.local().to_string())
}

/// The Redirect binding's signature: it covers the query string.
fn redirect_signature(r: &RedirectVerdict) -> JsonSignature {
    JsonSignature {
        covers: Some("query string".into()),
        reference: None,
        status: r.status.as_str(),
        reason: r.reason.clone(),
        signature_method: Some(r.sig_alg.clone()),
        digest_method: None,
        c14n: None,
        key_sha256: r.verified_by.as_ref().map(|c| c.sha256.clone()),
    }
}

fn signature(m: &AnalyzedMessage, v: &Verdict) -> JsonSignature {
    JsonSignature {
        covers: covers(m, v),
        reference: v.reference.clone(),
        status: v.status.as_str(),
        reason: v.reason.clone(),
        signature_method: v.signature_method.clone(),
        digest_method: v.digest_method.clone(),
        c14n: v.c14n.clone(),
        key_sha256: v.verified_by.as_ref().map(|(c, _)| c.sha256.clone()),
    }
}

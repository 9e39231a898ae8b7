//! XML-DSig verification of SAML messages (XML-DSig 1.1 §3.2 core validation, SAML core §5.4).
//!
//! Each `ds:Signature` gets a [`Verdict`]: its status, why, and the element its Reference
//! resolved to. Rules read only that covered element, never the mere presence of a signature.

pub mod algorithms;
pub mod crypto;
pub mod redirect;
mod shape;
mod verify;

use serde::Serialize;

pub use crypto::{load_certificates, Certificate};
pub use shape::{read_signature, ReferenceShape, SignatureShape};
pub use verify::{verify_document, IdIndex, MAX_SIGNATURES};

use crate::xml::NodeId;

/// The outcome of one signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Digests match and the configured certificate verifies the SignatureValue.
    Valid,
    /// A digest differs, the value does not verify, or the signature is malformed.
    Invalid,
    /// Digests match and the embedded KeyInfo certificate verifies it, but no certificate was
    /// configured: integrity is shown, origin is not.
    UnverifiedKey,
    /// An algorithm or transform samlscope does not implement.
    Unsupported,
    /// Digests match but no key was configured or embedded to check the SignatureValue: nothing
    /// is proven (anyone can recompute digests) and nothing is wrong (give `--cert`).
    NotChecked,
}

impl Status {
    /// The name used in every report.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Valid => "valid",
            Status::Invalid => "invalid",
            Status::UnverifiedKey => "unverified-key",
            Status::Unsupported => "unsupported",
            Status::NotChecked => "not-checked",
        }
    }
}

/// Which key verified a signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum KeySource {
    /// A certificate given with `--cert` / `--idp-metadata`.
    Configured,
    /// The certificate in the signature's own KeyInfo (proves nothing about origin).
    Embedded,
}

/// The verdict on one `ds:Signature`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// The `ds:Signature` element.
    pub signature: NodeId,
    /// The element the signature sits in.
    pub parent: Option<NodeId>,
    /// The outcome.
    pub status: Status,
    /// Why, when not valid.
    pub reason: Option<String>,
    /// The element the Reference resolved to (set whenever it resolved to exactly one).
    pub covered: Option<NodeId>,
    /// The Reference URI as written.
    pub reference: Option<String>,
    /// SignatureMethod URI.
    pub signature_method: Option<String>,
    /// DigestMethod URI of the Reference.
    pub digest_method: Option<String>,
    /// CanonicalizationMethod URI of SignedInfo.
    pub c14n: Option<String>,
    /// The certificate whose key verified the signature value, and where it came from.
    pub verified_by: Option<(Certificate, KeySource)>,
    /// The certificate embedded in KeyInfo, if any (read when it explains something).
    pub embedded: Option<Certificate>,
    /// A configured certificate verified the signature, but KeyInfo carries another
    /// certificate, or one that cannot be read (`embedded` is `None` then).
    pub embedded_differs: bool,
    /// Algorithm URIs it uses that no specification defines (verified as their look-alike).
    pub nonstandard: Vec<String>,
    /// The configured certificates do not verify it but the embedded one does.
    pub cert_mismatch: bool,
    /// Structural signs of signature wrapping found while resolving the Reference.
    pub wrapping: Vec<String>,
}

impl Verdict {
    /// Whether the signature proves the covered element is intact (by any key).
    pub fn intact(&self) -> bool {
        matches!(self.status, Status::Valid | Status::UnverifiedKey) || self.cert_mismatch
    }
}

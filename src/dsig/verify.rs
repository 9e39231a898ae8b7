//! Core validation (XML-DSig 1.1 §3.2): resolve each Reference against SAML `ID` attributes,
//! apply its transforms, compare digests, canonicalise SignedInfo and check SignatureValue
//! against the configured certificates only.

use super::algorithms::{self, c14n_from_uri, Digest, SignatureAlgorithm, ENVELOPED};
use super::crypto::{self, Certificate};
use super::shape::{compact, read_signature, ReferenceShape, SignatureShape};
use super::{KeySource, Status, Verdict};
use crate::input::decode::base64_decode;
use crate::saml::names::{ASSERTION, DSIG, PROTOCOL};
use crate::xml::c14n::{C14n, C14nMethod, Canonicalizer, NsAmpersand, Subset};
use crate::xml::{Document, NodeId, NodeKind};

/// Which attribute is an ID on which elements: SAML 2.0 `ID` on protocol and assertion elements
/// (SAML core §1.3.4) and XML-DSig's own `Id` on `ds:Object`. Nothing else may be a signature
/// target: an attacker's `ID` on a foreign element must not resolve.
const ID_SCHEMES: &[(&str, Option<&str>, &str)] =
    &[(PROTOCOL, None, "ID"), (ASSERTION, None, "ID"), (DSIG, Some("Object"), "Id")];

/// Every element carrying an ID (SAML 2 `ID`, SAML 1.1 `AssertionID`, `wsu:Id`), by value.
#[derive(Debug, Default)]
pub struct IdIndex<'a> {
    entries: Vec<(&'a str, NodeId)>,
}

impl<'a> IdIndex<'a> {
    /// Indexes `doc`.
    pub fn build(doc: &'a Document) -> IdIndex<'a> {
        let mut entries: Vec<(&str, NodeId)> = (0..doc.len())
            .filter_map(|n| {
                let e = doc.element(n)?;
                let (_, _, attr) = ID_SCHEMES.iter().find(|(ns, local, _)| {
                    e.ns() == Some(*ns) && local.is_none_or(|l| e.local() == l)
                })?;
                e.attr(attr).map(|v| (v, n))
            })
            .collect();
        entries.sort_unstable();
        IdIndex { entries }
    }

    /// The elements whose `ID` is `id`, in document order.
    pub fn lookup(&self, id: &str) -> impl ExactSizeIterator<Item = NodeId> + '_ {
        let start = self.entries.partition_point(|(k, _)| *k < id);
        let end = start + self.entries[start..].partition_point(|(k, _)| *k == id);
        self.entries[start..end].iter().map(|(_, n)| *n)
    }

    /// IDs carried by more than one element.
    pub fn duplicates(&self) -> Vec<&'a str> {
        let mut out: Vec<&str> =
            self.entries.windows(2).filter(|w| w[0].0 == w[1].0).map(|w| w[0].0).collect();
        out.dedup();
        out
    }
}

/// Most signatures verified in one document; SAML messages carry one or two.
pub const MAX_SIGNATURES: usize = 16;

/// Most References checked in one signature; SAML allows exactly one.
pub const MAX_REFERENCES: usize = 4;

/// A verdict before any check: invalid, covering nothing.
fn unverified(doc: &Document, sig: NodeId) -> Verdict {
    Verdict {
        signature: sig,
        parent: doc.parent(sig),
        status: Status::Invalid,
        reason: None,
        covered: None,
        reference: None,
        signature_method: None,
        digest_method: None,
        c14n: None,
        verified_by: None,
        embedded: None,
        embedded_differs: false,
        nonstandard: Vec::new(),
        cert_mismatch: false,
        wrapping: Vec::new(),
    }
}

/// Verifies every signature in `signatures` against `certs` (none = integrity only).
pub fn verify_document(
    doc: &Document,
    signatures: &[NodeId],
    certs: &[Certificate],
) -> Vec<Verdict> {
    let index = IdIndex::build(doc);
    let mut canon = Canonicalizer::new(doc);
    signatures
        .iter()
        .enumerate()
        .map(|(i, s)| {
            if i < MAX_SIGNATURES {
                return verify_signature(doc, &index, *s, certs, &mut canon);
            }
            // Each signature may digest the whole document: a flood of them is refused.
            let mut v = unverified(doc, *s);
            v.status = Status::Unsupported;
            v.reason = Some(format!(
                "not checked: the document has more than {MAX_SIGNATURES} signatures (limit)"
            ));
            v
        })
        .collect()
}

fn verify_signature<'a>(
    doc: &'a Document,
    index: &IdIndex,
    sig: NodeId,
    certs: &[Certificate],
    canon: &mut Canonicalizer<'a>,
) -> Verdict {
    let mut v = unverified(doc, sig);
    let mut shape = match read_signature(doc, sig) {
        Ok(s) => s,
        Err(e) => {
            v.reason = Some(format!("malformed signature: {e}"));
            return v;
        }
    };
    if shape.references.len() != 1 {
        v.wrapping.push(format!(
            "the signature has {} References; SAML core §5.4.2 allows exactly one",
            shape.references.len()
        ));
    }
    if let Err((status, reason)) = check(doc, index, sig, &mut shape, certs, canon, &mut v) {
        v.status = status;
        v.reason = Some(reason);
    }
    // What the verdict reports of the shape is moved into it once the checks are done.
    let first = shape.references.into_iter().next();
    v.signature_method = Some(shape.signature_method);
    v.c14n = Some(shape.c14n);
    (v.reference, v.digest_method) = match first {
        Some(r) => (r.uri, Some(r.digest_method)),
        None => (None, None),
    };
    v
}

type Failure = (Status, String);

fn check<'a>(
    doc: &'a Document,
    index: &IdIndex,
    sig: NodeId,
    shape: &mut SignatureShape,
    certs: &[Certificate],
    canon: &mut Canonicalizer<'a>,
    v: &mut Verdict,
) -> Result<(), Failure> {
    // SAML allows one Reference (core §5.4.2); each digests up to the whole document, so a
    // flood of them is refused rather than digested.
    if shape.references.len() > MAX_REFERENCES {
        return Err((
            Status::Unsupported,
            format!(
                "{} References, more than the {MAX_REFERENCES} checked (limit)",
                shape.references.len()
            ),
        ));
    }
    for reference in &mut shape.references {
        check_reference(doc, index, sig, reference, canon, v)?;
    }
    let alg = match SignatureAlgorithm::from_uri(&shape.signature_method) {
        Some(a) => a,
        None => {
            let a = SignatureAlgorithm::from_nonstandard_uri(&shape.signature_method).ok_or_else(
                || {
                    let m = &shape.signature_method;
                    (Status::Unsupported, format!("unsupported SignatureMethod {m}"))
                },
            )?;
            v.nonstandard.push(shape.signature_method.clone());
            a
        }
    };
    let mut c14n = c14n_from_uri(&shape.c14n).ok_or_else(|| {
        (Status::Unsupported, format!("unsupported CanonicalizationMethod {}", shape.c14n))
    })?;
    // The PrefixLists move into the settings that use them: nothing reads them later.
    c14n.inclusive_prefixes = std::mem::take(&mut shape.c14n_prefixes);
    let signed_info = canon.canonicalize(Subset::Element(shape.signed_info), None, &c14n);
    let value = base64_decode(&shape.signature_value)
        .map_err(|e| (Status::Invalid, format!("SignatureValue is not base64 ({e})")))?
        .0;
    let try_key =
        |cert: &Certificate| crypto::verify(cert, alg, &signed_info, &value).unwrap_or(false);
    if let Some(cert) = certs.iter().find(|c| try_key(c)) {
        v.verified_by = Some((cert.clone(), KeySource::Configured));
        v.status = Status::Valid;
        // A KeyInfo certificate other than the configured one (or unreadable) does not change
        // the verdict, but service providers that read it reject the response.
        if let Some(n) = shape.embedded_certificates.first() {
            if cert.is_written_as(text_pieces(doc, *n)) {
                return Ok(());
            }
            let der = base64_decode(&compact(&doc.text(*n))).ok().map(|(d, _)| d);
            let same = der.as_deref().is_some_and(|d| crypto::der_sha256(d) == cert.sha256);
            if !same {
                v.embedded = der.and_then(|d| crypto::certificate_from_der(&d).ok());
                v.embedded_differs = true;
            }
        }
        return Ok(());
    }
    // The embedded certificate is read only now: it explains a failure, it never trusts.
    v.embedded = shape
        .embedded_certificates
        .first()
        .and_then(|n| base64_decode(&compact(&doc.text(*n))).ok())
        .and_then(|(der, _)| crypto::certificate_from_der(&der).ok());
    let embedded_ok = v.embedded.as_ref().is_some_and(try_key);
    match (certs.is_empty(), embedded_ok) {
        (true, true) => {
            v.verified_by = v.embedded.clone().map(|c| (c, KeySource::Embedded));
            v.status = Status::UnverifiedKey;
            v.reason = Some("no certificate configured: verified with the embedded KeyInfo certificate, which proves integrity, not origin".into());
            Ok(())
        }
        // Matching digests prove nothing without a key: anyone can recompute them.
        (true, false) if v.embedded.is_none() => Err((
            Status::NotChecked,
            "not checked: no certificate configured and none embedded (give --cert or --idp-metadata)".into(),
        )),
        (true, false) => Err((
            Status::Invalid,
            "SignatureValue does not verify with the embedded certificate".into(),
        )),
        (false, true) => {
            v.cert_mismatch = true;
            v.verified_by = v.embedded.clone().map(|c| (c, KeySource::Embedded));
            Err((Status::Invalid, "signed by another key: the embedded certificate verifies it, the configured one does not".into()))
        }
        (false, false) => Err((
            Status::Invalid,
            "SignatureValue does not verify with the configured certificate".into(),
        )),
    }
}

/// Dereferences, transforms and digests one Reference; the first one's target is recorded as
/// what the signature covers as soon as it resolves.
fn check_reference<'a>(
    doc: &'a Document,
    index: &IdIndex,
    sig: NodeId,
    reference: &mut ReferenceShape,
    canon: &mut Canonicalizer<'a>,
    v: &mut Verdict,
) -> Result<(), Failure> {
    let uri = reference
        .uri
        .as_deref()
        .ok_or_else(|| (Status::Invalid, "Reference has no URI".to_string()))?;
    // Bare-name and empty URIs drop comments before any transform (XML-DSig §4.4.3.3).
    let (target, subset, keep_comments) = if uri.is_empty() {
        (doc.root, Subset::Document, false)
    } else if uri == "#xpointer(/)" {
        (doc.root, Subset::Document, true)
    } else if let Some(fragment) = uri.strip_prefix('#') {
        let (id, keep) =
            match fragment.strip_prefix("xpointer(id(").and_then(|r| r.strip_suffix("))")) {
                Some(quoted) => (quoted.trim_matches(['\'', '"']), true),
                None => (fragment, false),
            };
        let mut found = index.lookup(id);
        let el = match (found.len(), found.next()) {
            (1, Some(one)) => one,
            (_, None) => {
                return Err((
                    Status::Invalid,
                    format!("Reference {uri} resolves to no SAML element or ds:Object"),
                ))
            }
            (many, Some(_)) => {
                v.wrapping.push(format!("ID {id:?} is carried by {many} elements"));
                return Err((
                    Status::Invalid,
                    format!("Reference {uri} resolves to {many} elements (duplicate ID)"),
                ));
            }
        };
        (el, Subset::Element(el), keep)
    } else {
        return Err((Status::Unsupported, format!("external Reference URI {uri:?}")));
    };
    if v.covered.is_none() {
        v.covered = Some(target);
    }
    // A Reference to its own ds:Object is an enveloping signature: it covers no SAML content
    // (the trust analysis says so), but it moves nothing either.
    let own_object = doc.is(target, DSIG, "Object") && doc.is_within(target, sig);
    if Some(target) != doc.parent(sig)
        && !own_object
        && !(uri.is_empty() && doc.parent(sig) == Some(doc.root))
    {
        v.wrapping.push(format!(
            "the signature sits in {} but its Reference covers {}",
            doc.parent(sig).map(|p| doc.path(p)).unwrap_or_default(),
            doc.path(target)
        ));
    }
    let mut exclude = None;
    let mut c14n: Option<C14n> = None;
    let count = reference.transforms.len();
    for (i, (alg, prefixes)) in reference.transforms.iter_mut().enumerate() {
        if alg == ENVELOPED {
            exclude = Some(sig);
        } else if let Some(mut c) = c14n_from_uri(alg) {
            if i + 1 != count {
                return Err((
                    Status::Unsupported,
                    format!("a transform after canonicalisation ({})", algorithms::short_name(alg)),
                ));
            }
            c.inclusive_prefixes = std::mem::take(prefixes);
            c14n = Some(c);
        } else {
            return Err((Status::Unsupported, format!("unsupported Transform {alg}")));
        }
    }
    // Without an explicit canonicalisation the node-set becomes octets by c14n 1.0 (§4.4.3.2).
    let mut c14n = c14n.unwrap_or_else(|| C14n::new(C14nMethod::Inclusive10, false));
    c14n.with_comments &= keep_comments;
    let digest = match Digest::from_uri(&reference.digest_method) {
        Some(d) => d,
        None => {
            let d = Digest::from_nonstandard_uri(&reference.digest_method).ok_or_else(|| {
                (
                    Status::Unsupported,
                    format!("unsupported DigestMethod {}", reference.digest_method),
                )
            })?;
            v.nonstandard.push(reference.digest_method.clone());
            d
        }
    };
    // Canonicalised straight into the digest, a few KiB at a time.
    let mut digest_of = |c14n: &C14n| {
        crypto::digest_of(digest, |update| canon.canonicalize_to(subset, exclude, c14n, update))
            .map_err(|e| (Status::Unsupported, e))
    };
    let computed = digest_of(&c14n)?;
    let expected = base64_decode(&reference.digest_value)
        .map_err(|e| (Status::Invalid, format!("DigestValue of {uri} is not base64 ({e})")))?
        .0;
    if computed != expected && has_ampersand_namespace(doc) {
        c14n.ns_ampersand = NsAmpersand::CharRef;
        if digest_of(&c14n)? == expected {
            v.reason = Some(format!(
                "the digest of {uri} matches only with a namespace URI's '&' written as libxml2 writes it ('&#38;'), not as the c14n text reads ('&amp;'): the content is intact, but verifiers outside the libxml2 family (Java, .NET, Go) reject this signature"
            ));
            return Ok(());
        }
    }
    if computed != expected {
        return Err((
            Status::Invalid,
            format!(
                "the digest of {uri} ({}) differs: the signed content was changed",
                doc.path(target)
            ),
        ));
    }
    Ok(())
}

/// The texts of `id`'s children when they are all text, else nothing (the caller's slower path
/// then reads the element whole).
fn text_pieces(doc: &Document, id: NodeId) -> impl Iterator<Item = &str> {
    let text = move |c: &NodeId| match doc.kind(*c) {
        Some(NodeKind::Text(t)) => Some(t),
        _ => None,
    };
    let kids = doc.children(id);
    let all_text = kids.clone().all(|c| text(&c).is_some());
    kids.filter(move |_| all_text).filter_map(move |c| text(&c))
}

/// Whether any namespace declaration's URI holds `&`: only then can the two serialisations of
/// it differ.
fn has_ampersand_namespace(doc: &Document) -> bool {
    (0..doc.len())
        .filter_map(|n| doc.element(n))
        .any(|e| e.ns_decls().any(|(_, uri)| uri.contains('&')))
}

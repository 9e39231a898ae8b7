//! One trust path for every message, whatever its document element: which assertion a service
//! provider consumes, which intact signatures cover it and every other assertion, and the signs
//! of XML Signature Wrapping (Somorovsky et al., USENIX Security 2012).
//!
//! Rules and reports read only this view: an assertion is trusted because an intact signature
//! covers *it*, never because a `ds:Signature` sits somewhere in the document.

use std::collections::BTreeSet;
use std::fmt;

use serde::Serialize;

use crate::dsig::{IdIndex, Status, Verdict};
use crate::saml::names::{ASSERTION, DSIG, PROTOCOL};
use crate::saml::{Message, MessageKind};
use crate::xml::{Document, NodeId};

/// How well an assertion is covered by signatures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Coverage {
    /// A signature that verifies with the configured certificate covers it.
    Verified,
    /// Only signatures verified with their own embedded certificate cover it (no certificate
    /// was configured): intact, origin not checked.
    IntegrityOnly,
    /// Only signatures that could not be checked (no key at all) cover it: nothing is proven.
    NotChecked,
    /// Only signatures by another key than the configured one cover it.
    OtherKey,
    /// Only signatures that fail cover it.
    Broken,
    /// No signature covers it.
    Uncovered,
}

impl Coverage {
    /// Words for reports.
    pub fn describe(self) -> &'static str {
        match self {
            Coverage::Verified => "signed: a signature by the configured certificate covers it",
            Coverage::IntegrityOnly => {
                "not checked: intact, but only against the embedded certificate (give --cert)"
            }
            Coverage::NotChecked => {
                "not checked: no certificate to check its signature (give --cert)"
            }
            Coverage::OtherKey => "not trusted: signed by another key than the configured one",
            Coverage::Broken => "not trusted: the signature covering it does not verify",
            Coverage::Uncovered => "NOT SIGNED: no signature covers it; do not trust its content",
        }
    }

    /// Whether an intact signature (by any key) covers the element.
    pub fn intact(self) -> bool {
        matches!(self, Coverage::Verified | Coverage::IntegrityOnly | Coverage::OtherKey)
    }
}

/// A sign that what a consumer reads is not what an intact signature covers.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum WrappingSign {
    /// Found while resolving a Reference (several References, a Reference away from the
    /// signature's parent, an ID carried twice).
    Reference(String),
    /// IDs carried by more than one element (SAML core §1.3.4 requires unique IDs).
    DuplicateIds {
        /// How many distinct IDs are duplicated.
        ids: usize,
        /// One of them.
        example: String,
        /// How many elements carry that one.
        carriers: usize,
    },
    /// No intact signature covers what a service provider reads; they cover other elements.
    ReadNotCovered {
        /// Path of the consumed assertion (or of the message when it has none).
        read: String,
        /// Paths of what the intact signatures cover.
        signed: Vec<String>,
    },
    /// Assertion content (NameID, Subject, attributes) outside every assertion, where no
    /// signature of the login covers it and name searches find it.
    LooseAssertionContent {
        /// How many.
        count: usize,
        /// Path of the first.
        first: String,
    },
    /// SAML elements inside a `ds:Signature` (KeyInfo, Object): never signed content there,
    /// and found by readers that search by name.
    SamlInSignature {
        /// How many.
        count: usize,
        /// Path of the first.
        first: String,
    },
    /// Assertions that a service provider searching by name could read, which no intact
    /// signature covers, while other content is signed.
    UncoveredAssertions {
        /// How many.
        count: usize,
        /// Path of the first.
        first: String,
    },
}

impl fmt::Display for WrappingSign {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WrappingSign::Reference(s) => f.write_str(s),
            WrappingSign::DuplicateIds { ids: 1, example, carriers } => {
                write!(f, "ID {example:?} is carried by {carriers} elements")
            }
            WrappingSign::DuplicateIds { ids, example, carriers } => write!(
                f,
                "{ids} IDs are carried by more than one element (e.g. {example:?} by {carriers})"
            ),
            WrappingSign::ReadNotCovered { read, signed } => write!(
                f,
                "no intact signature covers what a service provider reads ({read}); the intact signatures cover {}",
                signed.join(", ")
            ),
            WrappingSign::LooseAssertionContent { count, first } => write!(
                f,
                "{count} assertion element{} outside any assertion (first {first}), where readers that search by name (//saml:NameID) find {}",
                if *count == 1 { "" } else { "s" },
                if *count == 1 { "it" } else { "them" }
            ),
            WrappingSign::SamlInSignature { count, first } => write!(
                f,
                "{count} SAML element{} inside a ds:Signature (first {first}), which that signature leaves out of what it signs, and where readers that search by name find {}",
                if *count == 1 { "" } else { "s" },
                if *count == 1 { "it" } else { "them" }
            ),
            WrappingSign::UncoveredAssertions { count: 1, first } => write!(
                f,
                "the assertion {first} is covered by no intact signature, while other content is signed"
            ),
            WrappingSign::UncoveredAssertions { count, first } => write!(
                f,
                "{count} assertions (first {first}) are covered by no intact signature, while other content is signed"
            ),
        }
    }
}

/// Up to [`Places::KEPT`] examples of a set of elements, and how many there are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Places {
    /// How many.
    pub count: usize,
    /// The first few, in document order.
    pub first: Vec<NodeId>,
}

impl Places {
    /// Examples kept: evidence strings stay bounded whatever the input.
    pub const KEPT: usize = 3;

    /// Adds one place.
    pub fn push(&mut self, n: NodeId) {
        self.count += 1;
        if self.first.len() < Self::KEPT {
            self.first.push(n);
        }
    }

    /// `/a/b, /a/c and 12 more`.
    pub fn describe(&self, doc: &Document) -> String {
        let mut s: Vec<String> = self.first.iter().map(|n| doc.path(*n)).collect();
        if self.count > self.first.len() {
            s.push(format!("{} more", self.count - self.first.len()));
        }
        s.join(", ")
    }
}

/// What a service provider consumes from one message, and whether signatures cover it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Trust {
    /// The assertion (or EncryptedAssertion) element a service provider consumes: the first
    /// assertion child of a Response (SAML profiles §4.1.4.2), or a bare assertion.
    pub consumed: Option<NodeId>,
    /// The coverage of each assertion of the model ([`Message::assertions`]), in order.
    pub coverage: Vec<Coverage>,
    /// Why the message looks like XML Signature Wrapping (empty when it does not).
    pub wrapping: Vec<WrappingSign>,
    /// Assertions besides the consumed one, each covered by an intact signature: legal, but
    /// many service providers accept only one.
    pub other_signed: Places,
    /// Assertions in a message that carries none (an AuthnRequest, a logout message, an
    /// unknown document element).
    pub unexpected: Places,
    /// Elements named like `Assertion` in a namespace that only resembles SAML 2.0's, before
    /// the consumed assertion or instead of it.
    pub lookalikes: Places,
}

/// Computes the trust view of `msg` from its verdicts.
pub fn assess(doc: &Document, msg: &Message, verdicts: &[Verdict]) -> Trust {
    let consumed = consumed_element(doc, msg);
    let mut t = Trust {
        consumed,
        coverage: msg.assertions.iter().map(|a| coverage(doc, verdicts, a.element)).collect(),
        ..Trust::default()
    };
    let intact: Vec<&Verdict> =
        verdicts.iter().filter(|v| v.intact() && covers_content(doc, v)).collect();
    let mut other_uncovered = Places::default();
    let mut in_signature = Places::default();
    let mut loose = Places::default();
    // Whether each node lies inside a ds:Signature, and inside an assertion: parents come
    // before children in document order, so one pass fills both.
    let mut inside = vec![false; doc.len()];
    let mut in_assertion = vec![false; doc.len()];
    for n in 0..doc.len() {
        if let Some(p) = doc.parent(n) {
            inside[n] = inside.get(p).copied().unwrap_or(false) || doc.is(p, DSIG, "Signature");
            in_assertion[n] = in_assertion.get(p).copied().unwrap_or(false)
                || doc.is(p, ASSERTION, "Assertion")
                || doc.is(p, ASSERTION, "EncryptedAssertion");
        }
        let Some(e) = doc.element(n) else { continue };
        // SAML content never belongs inside a ds:Signature (KeyInfo, Object): the enveloped
        // transform removes it from what that signature signs, while readers that search by
        // name find it.
        if inside[n] && matches!(e.ns(), Some(ASSERTION | PROTOCOL)) {
            in_signature.push(n);
        }
        // Assertion content (NameID, Subject, AttributeStatement…) outside every assertion of
        // a login message: readers that search by name (//saml:NameID[1]) find it first.
        let message_issuer = e.local() == "Issuer"
            && doc
                .parent(n)
                .is_some_and(|p| doc.element(p).is_some_and(|x| x.ns() == Some(PROTOCOL)));
        let content = e.ns() == Some(ASSERTION)
            && !matches!(e.local(), "Assertion" | "EncryptedAssertion")
            && !message_issuer;
        if msg.kind.carries_assertions() && content && !in_assertion[n] && !inside[n] {
            loose.push(n);
        }
        if !e.is(ASSERTION, "Assertion") && !e.is(ASSERTION, "EncryptedAssertion") {
            // Any other element named Assertion: a reader selecting by local name takes it.
            if e.local().eq_ignore_ascii_case("Assertion")
                && msg.kind.carries_assertions()
                && consumed.is_none_or(|c| n < c)
            {
                t.lookalikes.push(n);
            }
            continue;
        }
        // Nested in the consumed assertion, and not below a ds:Signature inside it.
        let nested_in_consumed =
            consumed.is_some_and(|c| doc.is_within(n, c) && inside.get(c) == Some(&inside[n]));
        if !msg.kind.carries_assertions() {
            t.unexpected.push(n);
        } else if Some(n) == consumed || nested_in_consumed {
            // The consumed assertion itself, or nested in it (Advice): covered with it.
        } else if intact.iter().any(|v| covers(doc, v, n)) {
            t.other_signed.push(n);
        } else {
            other_uncovered.push(n);
        }
    }
    t.wrapping.extend(reference_signs(verdicts));
    let ids = IdIndex::build(doc);
    let dups = ids.duplicates();
    if let Some(example) = dups.first() {
        t.wrapping.push(WrappingSign::DuplicateIds {
            ids: dups.len(),
            example: example.to_string(),
            carriers: ids.lookup(example).len(),
        });
    }
    if intact.is_empty() {
        // Nothing is signed intact: `unsigned` or `signature-invalid` say so.
        dedup_by_wording(&mut t.wrapping);
        return t;
    }
    // What a service provider reads must be covered. Kinds that carry no assertion are
    // judged by `assertion-unexpected` and the verifier's own signs instead.
    let read = consumed.unwrap_or(msg.element);
    if msg.kind.carries_assertions() && !intact.iter().any(|v| covers(doc, v, read)) {
        let signed: BTreeSet<NodeId> = intact.iter().filter_map(|v| v.covered).collect();
        t.wrapping.push(WrappingSign::ReadNotCovered {
            read: consumed.map(|c| doc.path(c)).unwrap_or_else(|| "no assertion".into()),
            signed: signed.into_iter().map(|n| doc.path(n)).collect(),
        });
    }
    if let Some(first) = other_uncovered.first.first() {
        t.wrapping.push(WrappingSign::UncoveredAssertions {
            count: other_uncovered.count,
            first: doc.path(*first),
        });
    }
    if let Some(first) = loose.first.first() {
        t.wrapping.push(WrappingSign::LooseAssertionContent {
            count: loose.count,
            first: doc.path(*first),
        });
    }
    if let Some(first) = in_signature.first.first() {
        t.wrapping.push(WrappingSign::SamlInSignature {
            count: in_signature.count,
            first: doc.path(*first),
        });
    }
    dedup_by_wording(&mut t.wrapping);
    t
}

/// The verifier and the index may name the same duplicate ID: say it once.
fn dedup_by_wording(signs: &mut Vec<WrappingSign>) {
    let mut seen = BTreeSet::new();
    signs.retain(|s| seen.insert(s.to_string()));
}

/// The element a service provider consumes: a Response's first Assertion child (or its first
/// EncryptedAssertion when it has no clear one), or the message itself when it is one.
fn consumed_element(doc: &Document, msg: &Message) -> Option<NodeId> {
    match msg.kind {
        MessageKind::Response => msg
            .assertions
            .first()
            .map(|a| a.element)
            .or_else(|| msg.encrypted_assertions.first().map(|e| e.element)),
        MessageKind::Assertion | MessageKind::EncryptedAssertion => Some(msg.element),
        _ => None,
    }
    .filter(|n| *n < doc.len())
}

/// The best coverage of element `el` among `verdicts`.
pub fn coverage(doc: &Document, verdicts: &[Verdict], el: NodeId) -> Coverage {
    verdicts.iter().filter(|v| covers(doc, v, el)).map(grade).min().unwrap_or(Coverage::Uncovered)
}

/// How well one verdict's signature covers what it covers.
fn grade(v: &Verdict) -> Coverage {
    match v.status {
        Status::Valid => Coverage::Verified,
        Status::UnverifiedKey => Coverage::IntegrityOnly,
        Status::NotChecked => Coverage::NotChecked,
        _ if v.cert_mismatch => Coverage::OtherKey,
        _ => Coverage::Broken,
    }
}

/// Which of `verdicts` (the first 64, a bit each) cover `el`, given those covering its parent:
/// one step of `covers`, so a walk down the tree costs one step per element, not a climb to
/// the root for each.
pub fn covering(verdicts: &[Verdict], parent: u64, el: NodeId) -> u64 {
    verdicts.iter().take(64).enumerate().fold(0, |set, (i, v)| {
        let on = el != v.signature && (v.covered == Some(el) || (parent >> i) & 1 == 1);
        set | (u64::from(on) << i)
    })
}

/// The best coverage among the verdicts in `set` (from [`covering`]).
pub fn coverage_of(verdicts: &[Verdict], set: u64) -> Coverage {
    let covering = verdicts.iter().take(64).enumerate().filter(|(i, _)| (set >> i) & 1 == 1);
    covering.map(|(_, v)| grade(v)).min().unwrap_or(Coverage::Uncovered)
}

/// Whether `v`'s Reference covers `el`: `el` lies within the referenced element and not inside
/// `v`'s own `ds:Signature` (the enveloped-signature transform removes that one, and only that
/// one: a nested signature, such as an Assertion's inside a signed Response, is signed too).
fn covers(doc: &Document, v: &Verdict, el: NodeId) -> bool {
    let Some(c) = v.covered else { return false };
    let mut n = el;
    loop {
        if n == v.signature {
            return false;
        }
        if n == c {
            return true;
        }
        match doc.parent(n) {
            Some(p) => n = p,
            None => return false,
        }
    }
}

/// Whether `v` covers SAML content: a protocol or assertion element, or the whole document. A
/// signature over a `ds:Object` only covers nothing a service provider reads.
pub fn covers_content(doc: &Document, v: &Verdict) -> bool {
    v.covered.is_some_and(|c| {
        c == doc.root
            || doc.element(c).is_some_and(|e| matches!(e.ns(), Some(PROTOCOL | ASSERTION)))
    })
}

/// The verifier's own signs, once each.
fn reference_signs(verdicts: &[Verdict]) -> Vec<WrappingSign> {
    let signs: BTreeSet<&String> = verdicts.iter().flat_map(|v| &v.wrapping).collect();
    signs.into_iter().map(|s| WrappingSign::Reference(s.clone())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dsig::{load_certificates, verify_document};
    use crate::saml::read_message;
    use crate::xml::{parse, XmlLimits};

    /// Walking down the tree with [`covering`] gives [`coverage`] at every node of every signed
    /// corpus document (wrapping attacks and nested signatures included).
    #[test]
    fn the_walk_down_agrees_with_the_climb_up() {
        let certs =
            load_certificates(&std::fs::read("corpus/signed/keys/idp.pem").unwrap()).unwrap();
        let mut checked = 0;
        for entry in std::fs::read_dir("corpus/signed").unwrap().flatten() {
            let path = entry.path();
            if path.extension().is_none_or(|x| x != "xml") {
                continue;
            }
            let Ok(doc) = parse(&std::fs::read(&path).unwrap(), XmlLimits::default()) else {
                continue;
            };
            let verdicts = verify_document(&doc, &read_message(&doc).signature_elements, &certs);
            let mut sets = vec![0u64; doc.len()];
            for n in 0..doc.len() {
                let parent = doc.parent(n).map_or(0, |p| sets[p]);
                sets[n] = covering(&verdicts, parent, n);
                assert_eq!(
                    coverage_of(&verdicts, sets[n]),
                    coverage(&doc, &verdicts, n),
                    "{} node {n}",
                    path.display()
                );
                checked += usize::from(sets[n] != 0);
            }
        }
        assert!(checked > 1000, "{checked}");
    }
}

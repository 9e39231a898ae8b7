//! XML Encryption 1.1 as SAML uses it (SAML core §2.3.4, §6): find the EncryptedData and the
//! EncryptedKey of an `EncryptedAssertion`, unwrap the content key with the SP's private key,
//! decrypt, and say in words why it did not work.

pub mod cipher;
pub mod splice;

use serde::Serialize;

pub use cipher::{load_private_key, SpKey};

use crate::dsig::algorithms::Digest;
use crate::dsig::crypto::certificate_from_der;
use crate::dsig::Certificate;
use crate::saml::names::{DSIG, XENC, XENC11};
use crate::xml::{Document, NodeId};

/// RSA-OAEP with MGF1-SHA1 (XML Encryption 1.0 §5.4.2).
pub const RSA_OAEP_MGF1P: &str = "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p";
/// RSA-OAEP with a chosen MGF (XML Encryption 1.1 §5.5.2).
pub const RSA_OAEP: &str = "http://www.w3.org/2009/xmlenc11#rsa-oaep";
/// RSA PKCS#1 v1.5 key transport (deprecated: padding-oracle prone).
pub const RSA_1_5: &str = "http://www.w3.org/2001/04/xmlenc#rsa-1_5";
/// Triple-DES CBC (deprecated).
pub const TRIPLEDES_CBC: &str = "http://www.w3.org/2001/04/xmlenc#tripledes-cbc";

/// How the content key travels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyTransport {
    /// RSAES-OAEP.
    RsaOaep {
        /// The OAEP digest (DigestMethod, SHA-1 when absent).
        digest: Digest,
        /// The mask generation digest (MGF, SHA-1 when absent).
        mgf: Digest,
    },
    /// RSAES-PKCS1-v1_5.
    Rsa15,
}

/// The content cipher.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Content {
    /// AES-CBC with this key size in bits.
    AesCbc(u16),
    /// AES-GCM with this key size in bits.
    AesGcm(u16),
    /// Triple-DES CBC.
    TripleDesCbc,
}

impl Content {
    /// The cipher an EncryptionMethod URI names.
    pub fn from_uri(uri: &str) -> Option<Content> {
        Some(match uri {
            "http://www.w3.org/2001/04/xmlenc#aes128-cbc" => Content::AesCbc(128),
            "http://www.w3.org/2001/04/xmlenc#aes192-cbc" => Content::AesCbc(192),
            "http://www.w3.org/2001/04/xmlenc#aes256-cbc" => Content::AesCbc(256),
            "http://www.w3.org/2009/xmlenc11#aes128-gcm" => Content::AesGcm(128),
            "http://www.w3.org/2009/xmlenc11#aes192-gcm" => Content::AesGcm(192),
            "http://www.w3.org/2009/xmlenc11#aes256-gcm" => Content::AesGcm(256),
            TRIPLEDES_CBC => Content::TripleDesCbc,
            _ => return None,
        })
    }
}

fn mgf_from_uri(uri: &str) -> Option<Digest> {
    Some(match uri.strip_prefix("http://www.w3.org/2009/xmlenc11#mgf1")? {
        "sha1" => Digest::Sha1,
        "sha224" => Digest::Sha224,
        "sha256" => Digest::Sha256,
        "sha384" => Digest::Sha384,
        "sha512" => Digest::Sha512,
        _ => return None,
    })
}

/// The short name of an encryption algorithm URI (`rsa-oaep-mgf1p`, `aes256-gcm`).
pub fn short_name(uri: &str) -> &str {
    uri.rsplit_once('#').map_or(uri, |(_, n)| n)
}

/// What a decryption used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Algorithms {
    /// The EncryptedKey's EncryptionMethod.
    pub key_transport: String,
    /// The EncryptedData's EncryptionMethod.
    pub content: String,
}

/// A decrypted EncryptedAssertion.
#[derive(Debug, Clone)]
pub struct Decrypted {
    /// The plaintext (the serialised Assertion).
    pub plaintext: Vec<u8>,
    /// The algorithms.
    pub algorithms: Algorithms,
    /// The SP key that opened it.
    pub key: String,
    /// Deprecated algorithms it used (`rsa-1_5`, `tripledes-cbc`).
    pub weak: Vec<String>,
}

/// Why an EncryptedAssertion was not decrypted.
#[derive(Debug, Clone)]
pub enum DecryptError {
    /// No `--sp-key` was given.
    NoKey,
    /// The element lacks a part decryption needs.
    Malformed(String),
    /// An algorithm samlscope does not implement (the URI).
    Unsupported {
        /// `key transport` or `content encryption`.
        role: &'static str,
        /// The URI as written.
        uri: String,
    },
    /// No SP key unwraps the content key.
    WrongKey {
        /// The certificate the sender names in the EncryptedKey's KeyInfo, if any.
        encrypted_to: Option<Box<Certificate>>,
        /// `ds:KeyName` / `X509IssuerSerial` / `X509SubjectName` the sender names, if any.
        named: Option<String>,
        /// The keys tried: (source, public-key SHA-256).
        tried: Vec<(String, String)>,
    },
    /// The content does not decrypt (GCM tag, CBC padding, key length).
    Tampered(String),
    /// The plaintext is not well-formed XML in the EncryptedAssertion's place.
    NotXml(String),
}

impl std::fmt::Display for DecryptError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DecryptError::NoKey => {
                write!(f, "not decrypted: no SP private key was given (--sp-key)")
            }
            DecryptError::Malformed(m) => write!(f, "not decryptable: {m}"),
            DecryptError::Unsupported { role, uri } => {
                write!(f, "not decrypted: the {role} algorithm {uri} is not supported")
            }
            DecryptError::WrongKey { encrypted_to, named, tried } => {
                let ours: Vec<String> =
                    tried.iter().map(|(s, fp)| format!("{s} (public key sha256 {fp})")).collect();
                match (encrypted_to, named) {
                    (Some(c), _) => write!(f, "the IdP encrypts to the certificate {} (sha256 {}, public key sha256 {}); your key {} belongs to another", c.subject, c.sha256, c.spki_sha256(), ours.join(", ")),
                    (None, Some(n)) => write!(f, "the IdP encrypts to the key named {n:?}; your key {} does not decrypt it", ours.join(", ")),
                    (None, None) => write!(f, "your key {} does not decrypt the content key: the IdP encrypts to another certificate", ours.join(", ")),
                }
            }
            DecryptError::Tampered(m) => write!(f, "the content does not decrypt: {m}"),
            DecryptError::NotXml(m) => write!(
                f,
                "the decrypted content is not well-formed XML in the assertion's place: {m}"
            ),
        }
    }
}

/// The parts of an EncryptedAssertion decryption reads.
struct Parts {
    content_uri: String,
    content: Content,
    cipher_value: Vec<u8>,
    keys: Vec<NodeId>,
}

/// Decrypts the EncryptedAssertion `ea` with the first of `keys` that opens it.
pub fn decrypt(doc: &Document, ea: NodeId, keys: &[SpKey]) -> Result<Decrypted, DecryptError> {
    if keys.is_empty() {
        return Err(DecryptError::NoKey);
    }
    let parts = read_parts(doc, ea)?;
    // Every EncryptedKey with every key: a decoy EncryptedKey, or a key that "unwraps" to a
    // wrong content key (RSA 1.5 implicit rejection), must not hide the one that works.
    let mut first_transport_error = None;
    let mut content_error = None;
    let mut usable = false;
    for ek in &parts.keys {
        let (transport_uri, transport) = match key_transport(doc, *ek) {
            Ok(t) => t,
            Err(e) => {
                first_transport_error.get_or_insert(e);
                continue;
            }
        };
        let wrapped = match cipher_value(doc, *ek) {
            Ok(w) => w,
            Err(e) => {
                first_transport_error.get_or_insert(e);
                continue;
            }
        };
        usable = true;
        for key in keys {
            let Ok(content_key) = cipher::unwrap_key(key, &transport, &wrapped) else { continue };
            let plaintext =
                match cipher::decrypt_content(parts.content, &content_key, &parts.cipher_value) {
                    Ok(p) => p,
                    Err(e) => {
                        content_error.get_or_insert(e);
                        continue;
                    }
                };
            let weak = [transport_uri.as_str(), parts.content_uri.as_str()]
                .into_iter()
                .filter(|u| [RSA_1_5, TRIPLEDES_CBC].contains(u))
                .map(|u| short_name(u).to_string())
                .collect();
            return Ok(Decrypted {
                plaintext,
                algorithms: Algorithms {
                    key_transport: transport_uri,
                    content: parts.content_uri.clone(),
                },
                key: key.source.clone(),
                weak,
            });
        }
    }
    if let Some(e) = content_error {
        return Err(DecryptError::Tampered(e.to_string()));
    }
    if let (false, Some(e)) = (usable, first_transport_error) {
        return Err(e);
    }
    let ek = parts.keys.first().copied();
    let encrypted_to = ek.and_then(|ek| recipient_certificate(doc, ek)).map(Box::new);
    if let Some(k) =
        encrypted_to.as_ref().and_then(|c| keys.iter().find(|k| k.spki_sha256 == c.spki_sha256()))
    {
        return Err(DecryptError::Tampered(format!(
            "the EncryptedKey names the certificate of {} but does not decrypt with it: the key transport value was altered",
            k.source
        )));
    }
    Err(DecryptError::WrongKey {
        encrypted_to,
        named: ek.and_then(|ek| recipient_name(doc, ek)),
        tried: keys.iter().map(|k| (k.source.clone(), k.spki_sha256.clone())).collect(),
    })
}

/// The algorithms an EncryptedAssertion names, whether or not it can be decrypted.
pub fn algorithms(doc: &Document, ea: NodeId) -> (Option<String>, Option<String>) {
    let data = doc.child(ea, XENC, "EncryptedData");
    let content = data.and_then(|d| method(doc, d));
    let key = encrypted_keys(doc, ea, data).first().and_then(|k| method(doc, *k));
    (key, content)
}

fn method(doc: &Document, el: NodeId) -> Option<String> {
    doc.child(el, XENC, "EncryptionMethod")
        .and_then(|m| doc.attr(m, "Algorithm"))
        .map(str::to_string)
}

fn read_parts(doc: &Document, ea: NodeId) -> Result<Parts, DecryptError> {
    let malformed = |m: &str| DecryptError::Malformed(m.to_string());
    let data =
        doc.child(ea, XENC, "EncryptedData").ok_or_else(|| malformed("no xenc:EncryptedData"))?;
    let content_uri = method(doc, data)
        .ok_or_else(|| malformed("the EncryptedData names no EncryptionMethod"))?;
    let content = Content::from_uri(&content_uri).ok_or_else(|| DecryptError::Unsupported {
        role: "content encryption",
        uri: content_uri.clone(),
    })?;
    let keys = encrypted_keys(doc, ea, Some(data));
    if keys.is_empty() {
        return Err(malformed("no xenc:EncryptedKey in the EncryptedData's KeyInfo, referenced by RetrievalMethod or KeyName, or beside it"));
    }
    Ok(Parts { content_uri, content, cipher_value: cipher_value(doc, data)?, keys })
}

/// EncryptedKeys tried per EncryptedAssertion (each try is an RSA private-key operation per
/// SP key): real messages carry one.
pub const MAX_KEYS_TRIED: usize = 4;

/// KeyInfo children (RetrievalMethod, KeyName) followed per EncryptedData.
const MAX_KEY_REFERENCES: usize = 8;

/// The EncryptedKeys that may hold the content key, most specific first: inside the
/// EncryptedData's KeyInfo, referenced by RetrievalMethod or by KeyName/CarriedKeyName, then
/// any in the EncryptedAssertion (Okta, ADFS and OneLogin each use one of these layouts).
fn encrypted_keys(doc: &Document, ea: NodeId, data: Option<NodeId>) -> Vec<NodeId> {
    let within: Vec<NodeId> =
        doc.descendants(ea).filter(|n| doc.is(*n, XENC, "EncryptedKey")).collect();
    let mut out = Vec::new();
    if let Some(ki) = data.and_then(|d| doc.child(d, DSIG, "KeyInfo")) {
        out.extend(doc.children_named(ki, XENC, "EncryptedKey"));
        for rm in doc.children_named(ki, DSIG, "RetrievalMethod").take(MAX_KEY_REFERENCES) {
            if let Some(id) = doc.attr(rm, "URI").and_then(|u| u.strip_prefix('#')) {
                out.extend(within.iter().filter(|k| doc.attr(**k, "Id") == Some(id)).take(1));
            }
        }
        for kn in doc.children_named(ki, DSIG, "KeyName").take(MAX_KEY_REFERENCES) {
            let name = doc.text(kn);
            out.extend(within.iter().filter(|k| {
                doc.child(**k, XENC, "CarriedKeyName")
                    .is_some_and(|c| doc.text(c).trim() == name.trim())
            }));
        }
    }
    out.extend(within);
    let mut seen = std::collections::HashSet::new();
    out.retain(|k| seen.insert(*k));
    out.truncate(MAX_KEYS_TRIED);
    out
}

fn key_transport(doc: &Document, ek: NodeId) -> Result<(String, KeyTransport), DecryptError> {
    let m = doc.child(ek, XENC, "EncryptionMethod");
    let uri = m
        .and_then(|m| doc.attr(m, "Algorithm"))
        .ok_or_else(|| {
            DecryptError::Malformed("the EncryptedKey names no EncryptionMethod".into())
        })?
        .to_string();
    let unsupported =
        |u: &str| DecryptError::Unsupported { role: "key transport", uri: u.to_string() };
    let transport = match uri.as_str() {
        RSA_1_5 => KeyTransport::Rsa15,
        RSA_OAEP_MGF1P | RSA_OAEP => {
            let m = m.unwrap_or_default();
            let digest =
                match doc.child(m, DSIG, "DigestMethod").and_then(|d| doc.attr(d, "Algorithm")) {
                    None => Digest::Sha1,
                    Some(u) => Digest::from_uri(u).ok_or_else(|| unsupported(u))?,
                };
            let mgf = match doc.child(m, XENC11, "MGF").and_then(|d| doc.attr(d, "Algorithm")) {
                None => Digest::Sha1,
                Some(_) if uri == RSA_OAEP_MGF1P => Digest::Sha1,
                Some(u) => mgf_from_uri(u).ok_or_else(|| unsupported(u))?,
            };
            // An OAEP label is legal but no SAML IdP sends one, and openssl 3.0 leaks the
            // buffer rust-openssl hands it (found by the `decrypt` fuzz target): named instead.
            if doc.child(m, XENC, "OAEPparams").is_some_and(|p| !doc.text(p).trim().is_empty()) {
                return Err(DecryptError::Unsupported {
                    role: "key transport",
                    uri: format!("{uri} with OAEPparams (an OAEP label)"),
                });
            }
            KeyTransport::RsaOaep { digest, mgf }
        }
        other => return Err(unsupported(other)),
    };
    Ok((uri, transport))
}

fn cipher_value(doc: &Document, el: NodeId) -> Result<Vec<u8>, DecryptError> {
    let cd = doc.child(el, XENC, "CipherData");
    if cd.and_then(|c| doc.child(c, XENC, "CipherReference")).is_some() {
        return Err(DecryptError::Malformed(
            "a CipherReference points outside the message; samlscope reads only CipherValue".into(),
        ));
    }
    let cv = cd
        .and_then(|c| doc.child(c, XENC, "CipherValue"))
        .ok_or_else(|| DecryptError::Malformed("no CipherData/CipherValue".into()))?;
    base64(&doc.text(cv), "CipherValue")
}

fn base64(text: &str, what: &str) -> Result<Vec<u8>, DecryptError> {
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    crate::input::decode::base64_decode(&compact)
        .map(|(b, _)| b)
        .map_err(|e| DecryptError::Malformed(format!("{what} is not base64: {e}")))
}

/// The certificate an EncryptedKey's KeyInfo names as the recipient.
pub fn recipient_certificate(doc: &Document, ek: NodeId) -> Option<Certificate> {
    let ki = doc.child(ek, DSIG, "KeyInfo")?;
    let x = doc.descendants(ki).find(|n| doc.is(*n, DSIG, "X509Certificate"))?;
    let compact: String = doc.text(x).chars().filter(|c| !c.is_ascii_whitespace()).collect();
    let der = crate::input::decode::base64_decode(&compact).ok()?.0;
    certificate_from_der(&der).ok()
}

fn recipient_name(doc: &Document, ek: NodeId) -> Option<String> {
    let ki = doc.child(ek, DSIG, "KeyInfo")?;
    if let Some(n) = doc.child(ki, DSIG, "KeyName").and_then(|n| doc.trimmed_text(n)) {
        return Some(n);
    }
    let all = doc.descendants(ki);
    let find = |local: &str| all.clone().find(|n| doc.is(*n, DSIG, local));
    if let Some(s) = find("X509IssuerSerial") {
        let part =
            |l: &str| doc.child(s, DSIG, l).and_then(|n| doc.trimmed_text(n)).unwrap_or_default();
        return Some(format!(
            "issuer {}, serial {}",
            part("X509IssuerName"),
            part("X509SerialNumber")
        ));
    }
    find("X509SubjectName").and_then(|n| doc.trimmed_text(n))
}

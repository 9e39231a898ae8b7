//! Every use of openssl: certificate loading and description, digests, and signature checks.
//! The decryption module (`xmlenc/cipher.rs`) is the only other file that imports openssl.

use std::cell::RefCell;
use std::sync::{Arc, Mutex, OnceLock};

use openssl::bn::BigNum;
use openssl::ecdsa::EcdsaSig;
use openssl::md::{Md, MdRef};
use openssl::md_ctx::MdCtx;
use openssl::pkey::{Id, PKey, Public};
use openssl::pkey_ctx::PkeyCtx;
use openssl::rsa::Padding;
use openssl::sign::RsaPssSaltlen;
use openssl::x509::X509;

use super::algorithms::{Digest, Scheme, SignatureAlgorithm};
use crate::saml::time::Instant;

/// A certificate with the facts a report shows about it. Verdicts and reports hold copies of
/// it: a copy shares the facts (one count change, no allocation).
#[derive(Clone)]
pub struct Certificate(Arc<CertificateFacts>);

/// What a [`Certificate`] says, read through it.
pub struct CertificateFacts {
    key: PKey<Public>,
    /// Subject, one line (`CN=acme.my.salesforce.com, O=...`).
    pub subject: String,
    /// Start of validity.
    pub not_before: Option<Instant>,
    /// End of validity.
    pub not_after: Option<Instant>,
    /// `RSA 2048`, `EC P-256`.
    pub key_description: String,
    /// SHA-256 of the DER certificate, lowercase hex.
    pub sha256: String,
    /// The key is too small to be trusted: RSA (or DSA) under 2048 bits (NIST SP 800-131A).
    pub weak_key: bool,
    /// The DER in padded standard base64, as KeyInfo carries it.
    base64: String,
}

impl std::ops::Deref for Certificate {
    type Target = CertificateFacts;
    fn deref(&self) -> &CertificateFacts {
        &self.0
    }
}

impl Certificate {
    /// SHA-256 of its public key (DER SubjectPublicKeyInfo), lowercase hex: matches the
    /// private key that belongs to it whatever certificate carries it. Computed when asked:
    /// encoding a key starts OpenSSL 3's encoder framework, 0.4 ms that only decryption needs.
    pub fn spki_sha256(&self) -> String {
        self.key.public_key_to_der().map(|d| der_sha256(&d)).unwrap_or_default()
    }

    /// Whether `pieces`, joined with ASCII whitespace left out, are this certificate's DER in
    /// canonical base64: recognises a KeyInfo copy of it without decoding and hashing it.
    /// `false` says nothing (the same DER may be written otherwise); decode to be sure.
    pub fn is_written_as<'a>(&self, pieces: impl IntoIterator<Item = &'a str>) -> bool {
        let mut rest = self.base64.as_bytes();
        for piece in pieces.into_iter().flat_map(str::split_ascii_whitespace) {
            match rest.strip_prefix(piece.as_bytes()) {
                Some(r) => rest = r,
                None => return false,
            }
        }
        rest.is_empty()
    }
}

impl std::fmt::Debug for Certificate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Certificate({}, {})", self.subject, self.sha256)
    }
}

impl PartialEq for Certificate {
    fn eq(&self, other: &Self) -> bool {
        self.sha256 == other.sha256
    }
}

impl Eq for Certificate {}

/// Reads certificates from PEM (one or several, with or without BEGIN/END lines, any line
/// ends), the bare base64 Flex's "X.509 Certificate" field holds, or DER.
pub fn load_certificates(bytes: &[u8]) -> Result<Vec<Certificate>, String> {
    if let Ok(certs) = X509::stack_from_pem(bytes) {
        if !certs.is_empty() {
            return certs
                .iter()
                .map(|c| {
                    let der = c.to_der().map_err(|e| e.to_string())?;
                    let cert = describe_x509(c, &der)?;
                    remember(&der, &cert);
                    Ok(cert)
                })
                .collect();
        }
    }
    if let Ok(c) = X509::from_der(bytes) {
        return c.to_der().map_err(|e| e.to_string()).and_then(|d| describe(&d)).map(|c| vec![c]);
    }
    let text = String::from_utf8_lossy(bytes);
    let body: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("-----"))
        .flat_map(|l| l.chars())
        .filter(|c| !c.is_whitespace())
        .collect();
    let der = crate::input::decode::base64_decode(&body)
        .map_err(|e| format!("not a PEM, DER or base64 certificate ({e})"))?
        .0;
    X509::from_der(&der).map_err(|_| "the base64 text is not an X.509 certificate".to_string())?;
    describe(&der).map(|c| vec![c])
}

/// Reads one DER certificate (as embedded in `ds:X509Certificate`). The same IdP certificate
/// comes in every message of a capture or a batch, usually the configured one too, and
/// OpenSSL 3 reads a public key through its decoder framework (most of the cost of verifying
/// a message): the certificates read last are kept, by their DER.
pub fn certificate_from_der(der: &[u8]) -> Result<Certificate, String> {
    if let Some(cert) = read_before(der) {
        return Ok(cert);
    }
    let cert = describe(der)?;
    remember(der, &cert);
    Ok(cert)
}

type Remembered = Mutex<Vec<(Box<[u8]>, Certificate)>>;
static REMEMBERED: OnceLock<Remembered> = OnceLock::new();
const REMEMBER: usize = 16;

fn read_before(der: &[u8]) -> Option<Certificate> {
    let list = REMEMBERED.get_or_init(Remembered::default).lock().ok()?;
    list.iter().find(|(d, _)| **d == *der).map(|(_, cert)| cert.clone())
}

fn remember(der: &[u8], cert: &Certificate) {
    if let Ok(mut list) = REMEMBERED.get_or_init(Remembered::default).lock() {
        if list.len() == REMEMBER {
            list.remove(0);
        }
        list.push((der.into(), cert.clone()));
    }
}

fn describe(der: &[u8]) -> Result<Certificate, String> {
    let x = X509::from_der(der).map_err(|_| "not an X.509 certificate".to_string())?;
    describe_x509(&x, der)
}

fn describe_x509(x: &openssl::x509::X509Ref, der: &[u8]) -> Result<Certificate, String> {
    let key = x.public_key().map_err(|e| format!("unreadable public key: {e}"))?;
    let subject = x
        .subject_name()
        .entries()
        .map(|e| {
            let name = e.object().nid().short_name().unwrap_or("?");
            let value = String::from_utf8_lossy(e.data().as_slice());
            format!("{name}={value}")
        })
        .collect::<Vec<_>>()
        .join(", ");
    let key_description = match key.id() {
        Id::RSA => format!("RSA {}", key.bits()),
        Id::EC => {
            let curve = key
                .ec_key()
                .ok()
                .and_then(|k| k.group().curve_name())
                .and_then(|n| n.short_name().ok())
                .map(|n| match n {
                    "prime256v1" => "P-256",
                    "secp384r1" => "P-384",
                    "secp521r1" => "P-521",
                    other => other,
                })
                .unwrap_or("?")
                .to_string();
            format!("EC {curve}")
        }
        other => format!("{other:?} {}", key.bits()),
    };
    let sha256 = der_sha256(der);
    let weak_key = matches!(key.id(), Id::RSA | Id::DSA) && key.bits() < 2048;
    Ok(Certificate(Arc::new(CertificateFacts {
        weak_key,
        key,
        subject,
        not_before: asn1_instant(x.not_before()),
        not_after: asn1_instant(x.not_after()),
        key_description,
        sha256,
        base64: base64::Engine::encode(&base64::engine::general_purpose::STANDARD, der),
    })))
}

fn asn1_instant(t: &openssl::asn1::Asn1TimeRef) -> Option<Instant> {
    let epoch = openssl::asn1::Asn1Time::from_unix(0).ok()?;
    let d = epoch.diff(t).ok()?;
    Some(Instant((i64::from(d.days) * 86_400 + i64::from(d.secs)) * 1_000_000))
}

/// SHA-256 of DER bytes (a certificate, a public key), lowercase hex (as
/// [`CertificateFacts::sha256`]).
pub fn der_sha256(der: &[u8]) -> String {
    hex(&sha256(der))
}

/// Initialises OpenSSL without reading the system's `openssl.cnf`: samlscope uses no TLS and
/// no configured provider, and reading and parsing the file was a tenth of a one-payload run's
/// start-up. Call before any other OpenSSL use (later calls change nothing); the verdicts do not
/// depend on the machine's configuration.
pub fn init_without_config() {
    // OPENSSL_INIT_NO_LOAD_CONFIG (openssl/crypto.h): the config step is marked done, unloaded.
    const NO_LOAD_CONFIG: u64 = 0x0000_0080;
    extern "C" {
        fn OPENSSL_init_crypto(opts: u64, settings: *const std::ffi::c_void) -> std::ffi::c_int;
    }
    // SAFETY: OPENSSL_init_crypto is thread-safe and idempotent; a null settings pointer is
    // documented as "defaults".
    unsafe {
        OPENSSL_init_crypto(NO_LOAD_CONFIG, std::ptr::null());
    }
    openssl::init();
}

/// SHA-256 of `bytes`.
pub fn sha256(bytes: &[u8]) -> Vec<u8> {
    digest(Digest::Sha256, bytes).unwrap_or_default()
}

/// Lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(2 * bytes.len());
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    s
}

/// The digest of `data`.
pub fn digest(d: Digest, data: &[u8]) -> Result<Vec<u8>, String> {
    digest_of(d, |update| update(data))
}

/// The `d` digest of the octets `write` hands to the function it is given, piece by piece.
pub fn digest_of(d: Digest, write: impl FnOnce(&mut dyn FnMut(&[u8]))) -> Result<Vec<u8>, String> {
    let md = md(d);
    let mut out = vec![0; md.size()];
    let mut ctx = MdCtx::new().map_err(|e| e.to_string())?;
    ctx.digest_init(md).map_err(|e| e.to_string())?;
    let mut failed = None;
    write(&mut |piece: &[u8]| {
        if let (Err(e), None) = (ctx.digest_update(piece), &failed) {
            failed = Some(e.to_string());
        }
    });
    if let Some(e) = failed {
        return Err(e);
    }
    let len = ctx.digest_final(&mut out).map_err(|e| e.to_string())?;
    out.truncate(len);
    Ok(out)
}

/// The digest's OpenSSL method, for hashing and for the `EVP_PKEY_CTX` interfaces: fetched
/// from OpenSSL's provider once per process (the built-in method if that fails). The built-in
/// methods are looked up by name on every use, a fifth of the cost of hashing a SignedInfo.
pub(crate) fn md(d: Digest) -> &'static MdRef {
    static FETCHED: [OnceLock<Option<Md>>; 5] = [const { OnceLock::new() }; 5];
    let (slot, name, built_in): (usize, &str, fn() -> &'static MdRef) = match d {
        Digest::Sha1 => (0, "SHA1", Md::sha1),
        Digest::Sha224 => (1, "SHA2-224", Md::sha224),
        Digest::Sha256 => (2, "SHA2-256", Md::sha256),
        Digest::Sha384 => (3, "SHA2-384", Md::sha384),
        Digest::Sha512 => (4, "SHA2-512", Md::sha512),
    };
    let fetched = FETCHED[slot].get_or_init(|| Md::fetch(None, name, None).ok());
    fetched.as_deref().unwrap_or_else(built_in)
}

/// Whether `signature` over `data` verifies with `cert`'s key under `alg`. An error means the
/// key and algorithm do not fit (an EC key for an RSA method, a malformed value).
pub fn verify(
    cert: &Certificate,
    alg: SignatureAlgorithm,
    data: &[u8],
    signature: &[u8],
) -> Result<bool, String> {
    verify_value(cert, alg, data, signature, false)
}

/// [`verify`] for a Redirect-binding `Signature` parameter: an ECDSA value there is the DER
/// encoding Java and .NET signers produce, or XML-DSig's `r || s`; both are accepted.
pub fn verify_redirect(
    cert: &Certificate,
    alg: SignatureAlgorithm,
    data: &[u8],
    signature: &[u8],
) -> Result<bool, String> {
    let der = alg.scheme == Scheme::Ecdsa && signature.first() == Some(&0x30);
    match verify_value(cert, alg, data, signature, der) {
        Ok(false) | Err(_) if der => verify_value(cert, alg, data, signature, false),
        other => other,
    }
}

fn verify_value(
    cert: &Certificate,
    alg: SignatureAlgorithm,
    data: &[u8],
    signature: &[u8],
    ecdsa_der: bool,
) -> Result<bool, String> {
    let key_is_rsa = cert.key.id() == Id::RSA;
    match alg.scheme {
        Scheme::RsaPkcs1 | Scheme::RsaPss if !key_is_rsa => {
            return Err(format!("an RSA method, but the key is {}", cert.key_description))
        }
        Scheme::Ecdsa if cert.key.id() != Id::EC => {
            return Err(format!("an ECDSA method, but the key is {}", cert.key_description))
        }
        _ => {}
    }
    let der;
    let signature = if alg.scheme == Scheme::Ecdsa && !ecdsa_der {
        der = ecdsa_raw_to_der(signature)?;
        der.as_slice()
    } else {
        signature
    };
    let digest = digest(alg.digest, data)?;
    with_context(cert, alg, |ctx| ctx.verify(&digest, signature).unwrap_or(false))
}

/// Verification contexts set up for a key and a method, the last few used on this thread, by
/// the SHA-256 of the certificate: setting one up makes OpenSSL 3 look its algorithms up by
/// name, a sixth of the cost of checking an RSA-2048 signature. A context holds a reference to
/// its key, so an entry stays valid after the certificate it came from is dropped; the key is
/// compared too, so an entry is never used for another key.
type Contexts = Vec<(String, SignatureAlgorithm, PKey<Public>, PkeyCtx<Public>)>;

thread_local! {
    static CONTEXTS: RefCell<Contexts> = const { RefCell::new(Vec::new()) };
}

/// Runs `f` with a context that verifies `alg` signatures over a digest with `cert`'s key:
/// a kept one, or (while the thread's contexts are being torn down) a fresh one.
fn with_context<R>(
    cert: &Certificate,
    alg: SignatureAlgorithm,
    f: impl FnOnce(&mut PkeyCtx<Public>) -> R,
) -> Result<R, String> {
    const KEPT: usize = 8;
    let mut f = Some(f);
    let kept = CONTEXTS.try_with(|contexts| {
        let mut contexts = contexts.try_borrow_mut().ok()?;
        // The same key is usually the same OpenSSL object (certificates are shared): compare
        // addresses before comparing keys.
        let same_key = |k: &PKey<Public>| std::ptr::eq(&**k, &*cert.key) || k.public_eq(&cert.key);
        let found =
            contexts.iter().position(|(c, a, k, _)| *c == cert.sha256 && *a == alg && same_key(k));
        let i = match found {
            Some(i) => i,
            None => {
                let ctx = match new_context(cert, alg) {
                    Ok(ctx) => ctx,
                    Err(e) => return Some(Err(e)),
                };
                if contexts.len() == KEPT {
                    contexts.remove(0);
                }
                contexts.push((cert.sha256.clone(), alg, cert.key.clone(), ctx));
                contexts.len() - 1
            }
        };
        let (_, _, _, ctx) = contexts.get_mut(i)?;
        Some(Ok(f.take()?(ctx)))
    });
    match (kept, f) {
        (Ok(Some(result)), _) => result,
        (_, Some(f)) => Ok(f(&mut new_context(cert, alg)?)),
        (_, None) => Err("no verification context".into()),
    }
}

fn new_context(cert: &Certificate, alg: SignatureAlgorithm) -> Result<PkeyCtx<Public>, String> {
    let md = md(alg.digest);
    let mut ctx = PkeyCtx::new(&cert.key).map_err(|e| e.to_string())?;
    ctx.verify_init().map_err(|e| e.to_string())?;
    match alg.scheme {
        Scheme::RsaPkcs1 => ctx.set_rsa_padding(Padding::PKCS1),
        Scheme::RsaPss => ctx
            .set_rsa_padding(Padding::PKCS1_PSS)
            .and_then(|()| ctx.set_rsa_mgf1_md(md))
            .and_then(|()| ctx.set_rsa_pss_saltlen(RsaPssSaltlen::DIGEST_LENGTH)),
        Scheme::Ecdsa => Ok(()),
    }
    .and_then(|()| ctx.set_signature_md(md))
    .map_err(|e| e.to_string())?;
    Ok(ctx)
}

/// XML-DSig encodes ECDSA signatures as `r || s` of equal length; openssl wants DER.
fn ecdsa_raw_to_der(raw: &[u8]) -> Result<Vec<u8>, String> {
    if raw.is_empty() || raw.len() % 2 != 0 {
        return Err(format!("an ECDSA value of {} bytes is not r || s", raw.len()));
    }
    let (r, s) = raw.split_at(raw.len() / 2);
    let r = BigNum::from_slice(r).map_err(|e| e.to_string())?;
    let s = BigNum::from_slice(s).map_err(|e| e.to_string())?;
    EcdsaSig::from_private_components(r, s).and_then(|sig| sig.to_der()).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use openssl::hash::MessageDigest;
    use openssl::pkey::Private;
    use openssl::sign::Signer;

    use super::*;

    fn message_digest(d: Digest) -> MessageDigest {
        match d {
            Digest::Sha1 => MessageDigest::sha1(),
            Digest::Sha224 => MessageDigest::sha224(),
            Digest::Sha256 => MessageDigest::sha256(),
            Digest::Sha384 => MessageDigest::sha384(),
            Digest::Sha512 => MessageDigest::sha512(),
        }
    }

    const KEYS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/signed/keys/");

    fn read(name: &str) -> Vec<u8> {
        std::fs::read(format!("{KEYS}{name}")).unwrap()
    }

    fn cert(name: &str) -> Certificate {
        load_certificates(&read(name)).unwrap().remove(0)
    }

    fn sign(key: &str, alg: SignatureAlgorithm, data: &[u8]) -> Vec<u8> {
        let key = PKey::<Private>::private_key_from_pem(&read(key)).unwrap();
        let mut s = Signer::new(message_digest(alg.digest), &key).unwrap();
        if alg.scheme == Scheme::RsaPss {
            s.set_rsa_padding(Padding::PKCS1_PSS).unwrap();
            s.set_rsa_mgf1_md(message_digest(alg.digest)).unwrap();
            s.set_rsa_pss_saltlen(RsaPssSaltlen::DIGEST_LENGTH).unwrap();
        }
        s.update(data).unwrap();
        s.sign_to_vec().unwrap()
    }

    /// What a fresh `EVP_DigestVerify` says, as samlscope checked before keeping contexts.
    fn fresh(cert: &Certificate, alg: SignatureAlgorithm, data: &[u8], sig: &[u8]) -> bool {
        let md = message_digest(alg.digest);
        let mut v = openssl::sign::Verifier::new(md, &cert.key).unwrap();
        if alg.scheme == Scheme::RsaPss {
            v.set_rsa_padding(Padding::PKCS1_PSS).unwrap();
            v.set_rsa_mgf1_md(md).unwrap();
            v.set_rsa_pss_saltlen(RsaPssSaltlen::DIGEST_LENGTH).unwrap();
        }
        v.update(data).unwrap();
        v.verify(sig).unwrap_or(false)
    }

    /// A KeyInfo copy is recognised however its base64 is wrapped, and nothing else is: not
    /// another certificate, a cut one, one with more after it, or one in another element's
    /// pieces.
    #[test]
    fn a_certificate_is_recognised_in_its_base64() {
        let idp = cert("idp.pem");
        let bare = String::from_utf8(read("idp-bare.txt")).unwrap();
        let compact: String = bare.split_ascii_whitespace().collect();
        let (head, tail) = compact.split_at(64);
        assert!(idp.is_written_as([compact.as_str()]));
        assert!(idp.is_written_as([bare.as_str()]));
        assert!(idp.is_written_as([head, "\n  ", tail, "\r\n"]));
        assert!(!idp.is_written_as([&compact[..compact.len() - 4]]));
        assert!(!idp.is_written_as([compact.as_str(), "AAAA"]));
        assert!(!idp.is_written_as([]));
        assert!(!cert("other.pem").is_written_as([compact.as_str()]));
    }

    /// The kept contexts give each key and method the verdict a fresh verifier gives, before
    /// and after failures and after being evicted (twelve key and method pairs, eight kept).
    #[test]
    fn kept_contexts_verify_like_fresh_ones() {
        let data = b"<ds:SignedInfo>...</ds:SignedInfo>";
        let keys = [("idp.key", cert("idp.pem")), ("other.key", cert("other.pem"))];
        let mut algs = Vec::new();
        for digest in [Digest::Sha1, Digest::Sha256, Digest::Sha384, Digest::Sha512] {
            algs.push(SignatureAlgorithm { scheme: Scheme::RsaPkcs1, digest });
        }
        for digest in [Digest::Sha256, Digest::Sha512] {
            algs.push(SignatureAlgorithm { scheme: Scheme::RsaPss, digest });
        }
        let mut checked = 0;
        for _ in 0..2 {
            for (signer, _) in &keys {
                for sign_alg in &algs {
                    let good = sign(signer, *sign_alg, data);
                    let mut bad = good.clone();
                    bad[10] ^= 1;
                    for (_, cert) in &keys {
                        for alg in &algs {
                            for (bytes, sig) in [
                                (&data[..], &good[..]),
                                (&data[..], &bad[..]),
                                (b"other data", &good[..]),
                                (&data[..], &good[..100]),
                            ] {
                                let want = fresh(cert, *alg, bytes, sig);
                                assert_eq!(verify(cert, *alg, bytes, sig), Ok(want));
                                checked += usize::from(want);
                            }
                        }
                    }
                }
            }
        }
        // Each signature verifies under its own key and method only.
        assert_eq!(checked, 2 * keys.len() * algs.len());
        let idp = &keys[0].1;
        let pkcs1 = algs[1];
        let ecdsa = SignatureAlgorithm { scheme: Scheme::Ecdsa, digest: Digest::Sha256 };
        assert!(verify(idp, ecdsa, data, &sign("idp.key", pkcs1, data)).is_err());
        let ec = cert("ec256.pem");
        // ECDSA: XML-DSig's r || s, converted; the Redirect binding's DER as sent.
        let der = sign("ec256.key", ecdsa, data);
        let sig = EcdsaSig::from_der(&der).unwrap();
        let raw = [sig.r().to_vec_padded(32).unwrap(), sig.s().to_vec_padded(32).unwrap()].concat();
        assert_eq!(verify(&ec, ecdsa, data, &raw), Ok(true));
        assert_eq!(verify_redirect(&ec, ecdsa, data, &der), Ok(true));
        assert_eq!(verify(&ec, ecdsa, b"other data", &raw), Ok(false));
        assert!(verify(&ec, pkcs1, data, &sign("idp.key", pkcs1, data)).is_err());
    }
}

//! Every use of openssl for decryption: the SP's private keys, RSA key transport and the
//! content ciphers. Only this file and `dsig/crypto.rs` import openssl.

use openssl::pkey::{Id, PKey, Private};
use openssl::pkey_ctx::PkeyCtx;
use openssl::rsa::Padding;
use openssl::symm::{Cipher, Crypter, Mode};

use super::{Content, KeyTransport};
use crate::dsig::crypto::{der_sha256, md};

/// A service provider's private key (`--sp-key`).
#[derive(Clone)]
pub struct SpKey {
    key: PKey<Private>,
    /// SHA-256 of the public key (DER SubjectPublicKeyInfo), lowercase hex: the fingerprint
    /// shared by every certificate issued for this key.
    pub spki_sha256: String,
    /// `RSA 2048`.
    pub description: String,
    /// Where it came from (the file name).
    pub source: String,
}

impl std::fmt::Debug for SpKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SpKey({}, {})", self.source, self.spki_sha256)
    }
}

/// Reads a PEM private key: PKCS#8 (`BEGIN PRIVATE KEY`), PKCS#1 (`BEGIN RSA PRIVATE KEY`) or
/// encrypted PKCS#8, with `password` when it is encrypted.
pub fn load_private_key(
    pem: &[u8],
    password: Option<&[u8]>,
    source: &str,
) -> Result<SpKey, String> {
    let encrypted = pem.windows(9).any(|w| w == b"ENCRYPTED");
    let key = match password {
        Some(p) => PKey::private_key_from_pem_passphrase(pem, p),
        None if encrypted => {
            return Err("the key is encrypted\nhint: put its password in an environment variable and name it with --sp-key-password-env".into())
        }
        None => PKey::private_key_from_pem(pem),
    }
    .map_err(|_| {
        if password.is_some() && encrypted {
            "the key does not open with this password".to_string()
        } else {
            "not a PEM private key (PKCS#1 or PKCS#8)".to_string()
        }
    })?;
    if key.id() != Id::RSA {
        return Err(format!(
            "a {:?} key: SAML encryption transports keys with RSA, so the SP key is an RSA key",
            key.id()
        ));
    }
    let spki = key.public_key_to_der().map_err(|e| e.to_string())?;
    Ok(SpKey {
        spki_sha256: der_sha256(&spki),
        description: format!("RSA {}", key.bits()),
        key,
        source: source.to_string(),
    })
}

/// Decrypts an EncryptedKey's CipherValue with the SP key: the content key. An error means
/// the key is not the one the sender encrypted to (or the value was altered).
pub fn unwrap_key(
    key: &SpKey,
    transport: &KeyTransport,
    wrapped: &[u8],
) -> Result<Vec<u8>, String> {
    let err = |e: openssl::error::ErrorStack| e.to_string();
    let mut ctx = PkeyCtx::new(&key.key).map_err(err)?;
    ctx.decrypt_init().map_err(err)?;
    match transport {
        KeyTransport::Rsa15 => ctx.set_rsa_padding(Padding::PKCS1).map_err(err)?,
        KeyTransport::RsaOaep { digest, mgf } => {
            ctx.set_rsa_padding(Padding::PKCS1_OAEP).map_err(err)?;
            ctx.set_rsa_oaep_md(md(*digest)).map_err(err)?;
            ctx.set_rsa_mgf1_md(md(*mgf)).map_err(err)?;
        }
    }
    let mut out = Vec::new();
    ctx.decrypt_to_vec(wrapped, &mut out).map_err(|_| "RSA decryption failed".to_string())?;
    Ok(out)
}

/// Why content decryption failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContentError {
    /// The content key has the wrong length for the cipher.
    KeyLength {
        /// Bytes the key transport produced.
        got: usize,
        /// Bytes the cipher needs.
        want: usize,
    },
    /// The ciphertext is shorter than its IV (and tag).
    Short(usize),
    /// A GCM tag or CBC padding did not check: the ciphertext was altered (or the key is wrong).
    Integrity(&'static str),
}

impl std::fmt::Display for ContentError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ContentError::KeyLength { got, want } => write!(
                f,
                "the key transport yields a {got}-byte key, the cipher needs {want} bytes"
            ),
            ContentError::Short(n) => {
                write!(f, "the ciphertext has {n} bytes, fewer than its IV and tag")
            }
            ContentError::Integrity(what) => write!(f, "{what}"),
        }
    }
}

/// Decrypts EncryptedData's CipherValue (IV first; GCM's 16-byte tag last) with the content key.
/// CBC padding is XML Encryption's (the last byte counts the padding bytes, whatever they hold).
pub fn decrypt_content(content: Content, key: &[u8], data: &[u8]) -> Result<Vec<u8>, ContentError> {
    let (cipher, iv_len, gcm) = match content {
        Content::AesCbc(128) => (Cipher::aes_128_cbc(), 16, false),
        Content::AesCbc(192) => (Cipher::aes_192_cbc(), 16, false),
        Content::AesCbc(_) => (Cipher::aes_256_cbc(), 16, false),
        Content::AesGcm(128) => (Cipher::aes_128_gcm(), 12, true),
        Content::AesGcm(192) => (Cipher::aes_192_gcm(), 12, true),
        Content::AesGcm(_) => (Cipher::aes_256_gcm(), 12, true),
        Content::TripleDesCbc => (Cipher::des_ede3_cbc(), 8, false),
    };
    if key.len() != cipher.key_len() {
        return Err(ContentError::KeyLength { got: key.len(), want: cipher.key_len() });
    }
    let tag_len = if gcm { 16 } else { 0 };
    if data.len() < iv_len + tag_len {
        return Err(ContentError::Short(data.len()));
    }
    let (iv, rest) = data.split_at(iv_len);
    if gcm {
        let (body, tag) = rest.split_at(rest.len() - tag_len);
        return openssl::symm::decrypt_aead(cipher, key, Some(iv), &[], body, tag)
            .map_err(|_| ContentError::Integrity("the AES-GCM authentication tag does not match: the ciphertext was altered, or the content key is wrong"));
    }
    let block = cipher.block_size();
    if rest.is_empty() || rest.len() % block != 0 {
        return Err(ContentError::Integrity(
            "the CBC ciphertext is not a whole number of blocks: it was cut or altered",
        ));
    }
    let fail = |_| ContentError::Integrity("the CBC decryption failed");
    let mut c = Crypter::new(cipher, Mode::Decrypt, key, Some(iv)).map_err(fail)?;
    c.pad(false);
    let mut out = vec![0; rest.len() + block];
    let mut n = c.update(rest, &mut out).map_err(fail)?;
    n += c.finalize(&mut out[n..]).map_err(fail)?;
    out.truncate(n);
    let pad = usize::from(out.last().copied().unwrap_or(0));
    if pad == 0 || pad > block || pad > out.len() {
        return Err(ContentError::Integrity(
            "the CBC padding is invalid: the ciphertext was altered, or the content key is wrong",
        ));
    }
    out.truncate(out.len() - pad);
    Ok(out)
}

/// Encrypts `plaintext` as SAML does, for tests and fuzzing: a fixed AES-128-GCM content key
/// and IV, transported with RSA-OAEP (MGF1-SHA1) to the certificate in `cert_pem`. Returns the
/// EncryptedKey's and the EncryptedData's CipherValue bytes.
#[doc(hidden)]
pub fn encrypt_for_tests(cert_pem: &[u8], plaintext: &[u8]) -> Result<(Vec<u8>, Vec<u8>), String> {
    let err = |e: openssl::error::ErrorStack| e.to_string();
    let cert = openssl::x509::X509::from_pem(cert_pem).map_err(err)?;
    let public = cert.public_key().map_err(err)?;
    let (key, iv) = ([7u8; 16], [9u8; 12]);
    let mut ctx = PkeyCtx::new(&public).map_err(err)?;
    ctx.encrypt_init().map_err(err)?;
    ctx.set_rsa_padding(Padding::PKCS1_OAEP).map_err(err)?;
    let mut wrapped = Vec::new();
    ctx.encrypt_to_vec(&key, &mut wrapped).map_err(err)?;
    let mut tag = [0u8; 16];
    let body = openssl::symm::encrypt_aead(
        Cipher::aes_128_gcm(),
        &key,
        Some(&iv),
        &[],
        plaintext,
        &mut tag,
    )
    .map_err(err)?;
    let mut data = iv.to_vec();
    data.extend_from_slice(&body);
    data.extend_from_slice(&tag);
    Ok((wrapped, data))
}

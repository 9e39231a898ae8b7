//! Rules about EncryptedAssertion: whether it is expected, why it did not decrypt, and which
//! algorithms it uses.

use super::{Context, Finding, Severity};
use crate::analysis::{AnalyzedMessage, Decryption};
use crate::profile::{Fix, IdpSetting, Sp};
use crate::xmlenc::{short_name, DecryptError, RSA_1_5, TRIPLEDES_CBC};

fn decryptions<'a>(
    ctx: &'a Context<'_>,
) -> impl Iterator<Item = (&'a AnalyzedMessage, &'a Decryption)> {
    ctx.analysis.messages.iter().flat_map(|m| m.decryptions.iter().map(move |d| (m, d)))
}

fn evidence(d: &Decryption) -> String {
    let algs: Vec<&str> =
        [&d.algorithms.0, &d.algorithms.1].into_iter().flatten().map(|a| short_name(a)).collect();
    if algs.is_empty() {
        "EncryptedAssertion".into()
    } else {
        format!("EncryptedAssertion ({})", algs.join(", "))
    }
}

/// `encrypted-assertion`: Flex does not decrypt assertions; any other SP may, and samlscope
/// can only read the content with `--sp-key`.
pub fn encrypted_assertion(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for (m, d) in decryptions(ctx) {
        if m.is_wrapped() {
            continue; // an encrypted assertion beside a signed one is an attack, not a setting
        }
        let observed = d.algorithms.1.clone().unwrap_or_else(|| "EncryptedAssertion".into());
        let f = if ctx.profile.sp == Sp::Flex {
            let message = match &d.outcome {
                Ok(x) => format!(
                    "the assertion is encrypted (decrypted here with {}); Flex expects it in clear",
                    x.key
                ),
                Err(_) => "the assertion is encrypted; Flex expects it in clear".into(),
            };
            Finding::new("encrypted-assertion", Some(m.index), message).remedy(Fix::Idp(
                IdpSetting::Encryption,
                "turn assertion encryption off: Flex does not decrypt assertions".into(),
            ))
        } else if matches!(d.outcome, Err(DecryptError::NoKey)) {
            Finding::new(
                "encrypted-assertion",
                Some(m.index),
                "the assertion is encrypted: its user, audience and attributes were not checked",
            )
            .severity(Severity::Info)
            .fix("Give the service provider's private key with --sp-key to decrypt and check it.")
        } else {
            continue; // decrypted and checked, or `decryption-failed` says why not
        };
        out.push(f.observed(observed).evidence(evidence(d)));
    }
}

/// `decryption-failed`: the SP key was given but the assertion does not decrypt.
pub fn decryption_failed(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for (m, d) in decryptions(ctx) {
        let Err(e) = &d.outcome else { continue };
        let (observed, fix) = match e {
            DecryptError::NoKey | DecryptError::WrongKey { .. } => continue,
            DecryptError::Unsupported { uri, .. } => (
                uri.clone(),
                Fix::Idp(IdpSetting::Encryption, "choose RSA-OAEP key transport and AES-GCM (or AES-CBC) content encryption".into()),
            ),
            DecryptError::Tampered(_) | DecryptError::NotXml(_) => (
                e.to_string(),
                Fix::Text("The ciphertext was altered after the IdP encrypted it: capture the login again, and reject this response.".into()),
            ),
            DecryptError::Malformed(_) => (
                e.to_string(),
                Fix::Text("The EncryptedAssertion lacks what XML Encryption needs to decrypt it; report it to the IdP's vendor, or capture again.".into()),
            ),
        };
        out.push(
            Finding::new(
                "decryption-failed",
                Some(m.index),
                format!("the encrypted assertion does not decrypt: {e}"),
            )
            .observed(observed)
            .evidence(evidence(d))
            .remedy(fix),
        );
    }
}

/// `encryption-key-mismatch`: the IdP encrypts to another certificate than the SP key's.
pub fn encryption_key_mismatch(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for (m, d) in decryptions(ctx) {
        let Err(DecryptError::WrongKey { encrypted_to, named, tried }) = &d.outcome else {
            continue;
        };
        let observed = match (encrypted_to, named) {
            (Some(c), _) => format!(
                "{} (certificate sha256 {}, public key sha256 {})",
                c.subject,
                c.sha256,
                c.spki_sha256()
            ),
            (None, Some(n)) => format!("a key named {n:?}"),
            (None, None) => "a certificate the EncryptedKey does not name".into(),
        };
        let expected: Vec<String> =
            tried.iter().map(|(s, fp)| format!("{s}: public key sha256 {fp}")).collect();
        out.push(
            Finding::new(
                "encryption-key-mismatch",
                Some(m.index),
                "the IdP encrypts the assertion to another certificate than the one of your SP key",
            )
            .values(observed, expected.join("; "))
            .evidence(format!("{}/EncryptedKey/KeyInfo", evidence(d)))
            .remedy(Fix::Idp(
                IdpSetting::Encryption,
                format!(
                    "give the IdP the certificate of the service provider's current decryption key (public key sha256 {})",
                    tried.first().map_or("", |(_, fp)| fp.as_str())
                ),
            )),
        );
    }
}

/// `weak-encryption`: RSA PKCS#1 v1.5 key transport or Triple-DES content encryption.
pub fn weak_encryption(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for (m, d) in decryptions(ctx) {
        let weak: Vec<&str> = [&d.algorithms.0, &d.algorithms.1]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .filter(|u| [RSA_1_5, TRIPLEDES_CBC].contains(u))
            .collect();
        if weak.is_empty() {
            continue;
        }
        let names: Vec<&str> = weak.iter().map(|u| short_name(u)).collect();
        out.push(
            Finding::new(
                "weak-encryption",
                Some(m.index),
                format!("the assertion is encrypted with deprecated algorithms: {}", names.join(", ")),
            )
            .values(weak.join(", "), "rsa-oaep key transport, aes128-gcm or aes256-gcm content")
            .evidence(evidence(d))
            .remedy(Fix::Idp(
                IdpSetting::Encryption,
                "encrypt with RSA-OAEP and AES-GCM: RSA 1.5 key transport is open to padding-oracle attacks, and Triple-DES is retired".into(),
            )),
        );
    }
}

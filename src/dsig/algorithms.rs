//! Algorithm URIs of XML-DSig 1.1 (§6), RFC 6931 and the canonicalisation recommendations,
//! mapped to enums. Anything not listed is `Unsupported`, never guessed.

use crate::xml::c14n::{C14n, C14nMethod};

/// Inclusive Canonical XML 1.0.
pub const C14N10: &str = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315";
/// Inclusive Canonical XML 1.0 with comments.
pub const C14N10_WC: &str = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments";
/// Canonical XML 1.1.
pub const C14N11: &str = "http://www.w3.org/2006/12/xml-c14n11";
/// Canonical XML 1.1 with comments.
pub const C14N11_WC: &str = "http://www.w3.org/2006/12/xml-c14n11#WithComments";
/// Exclusive XML Canonicalization 1.0.
pub const EXC_C14N: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
/// Exclusive XML Canonicalization 1.0 with comments.
pub const EXC_C14N_WC: &str = "http://www.w3.org/2001/10/xml-exc-c14n#WithComments";
/// The enveloped-signature transform (XML-DSig §6.6.4).
pub const ENVELOPED: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";

/// SHA-1 digest.
pub const SHA1: &str = "http://www.w3.org/2000/09/xmldsig#sha1";
/// SHA-224 digest.
pub const SHA224: &str = "http://www.w3.org/2001/04/xmldsig-more#sha224";
/// SHA-256 digest.
pub const SHA256: &str = "http://www.w3.org/2001/04/xmlenc#sha256";
/// SHA-384 digest.
pub const SHA384: &str = "http://www.w3.org/2001/04/xmldsig-more#sha384";
/// SHA-512 digest.
pub const SHA512: &str = "http://www.w3.org/2001/04/xmlenc#sha512";

/// DSA with SHA-1 (never verified: DSA is not supported; named to call it weak).
pub const DSA_SHA1: &str = "http://www.w3.org/2000/09/xmldsig#dsa-sha1";
/// RSA PKCS#1 v1.5 with SHA-1.
pub const RSA_SHA1: &str = "http://www.w3.org/2000/09/xmldsig#rsa-sha1";
/// RSA PKCS#1 v1.5 with SHA-224.
pub const RSA_SHA224: &str = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha224";
/// RSA PKCS#1 v1.5 with SHA-256.
pub const RSA_SHA256: &str = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
/// RSA PKCS#1 v1.5 with SHA-384.
pub const RSA_SHA384: &str = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384";
/// RSA PKCS#1 v1.5 with SHA-512.
pub const RSA_SHA512: &str = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512";
/// RSA-PSS (MGF1, salt = digest length) with SHA-256 (RFC 6931 §2.3.10).
pub const RSA_PSS_SHA256: &str = "http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1";
/// RSA-PSS with SHA-384.
pub const RSA_PSS_SHA384: &str = "http://www.w3.org/2007/05/xmldsig-more#sha384-rsa-MGF1";
/// RSA-PSS with SHA-512.
pub const RSA_PSS_SHA512: &str = "http://www.w3.org/2007/05/xmldsig-more#sha512-rsa-MGF1";
/// ECDSA with SHA-1.
pub const ECDSA_SHA1: &str = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1";
/// ECDSA with SHA-224.
pub const ECDSA_SHA224: &str = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha224";
/// ECDSA with SHA-256.
pub const ECDSA_SHA256: &str = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256";
/// ECDSA with SHA-384.
pub const ECDSA_SHA384: &str = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384";
/// ECDSA with SHA-512.
pub const ECDSA_SHA512: &str = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512";

/// A digest function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Digest {
    /// SHA-1 (weak).
    Sha1,
    /// SHA-224.
    Sha224,
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl Digest {
    /// The digest named by a DigestMethod URI.
    pub fn from_uri(uri: &str) -> Option<Digest> {
        Some(match uri {
            SHA1 => Digest::Sha1,
            SHA224 => Digest::Sha224,
            SHA256 => Digest::Sha256,
            SHA384 => Digest::Sha384,
            SHA512 => Digest::Sha512,
            _ => return None,
        })
    }
}

/// Algorithm URIs that no specification defines but signers emit (a digest named in the wrong
/// namespace), with the algorithm the libraries that accept them use. Verified like the
/// standard ones, and reported: strict verifiers reject them.
pub const NONSTANDARD_DIGESTS: &[(&str, Digest)] = &[
    ("http://www.w3.org/2001/04/xmlenc#sha1", Digest::Sha1),
    ("http://www.w3.org/2001/04/xmlenc#sha224", Digest::Sha224),
    ("http://www.w3.org/2001/04/xmlenc#sha384", Digest::Sha384),
    ("http://www.w3.org/2001/04/xmldsig-more#sha1", Digest::Sha1),
    ("http://www.w3.org/2001/04/xmldsig-more#sha256", Digest::Sha256),
    ("http://www.w3.org/2001/04/xmldsig-more#sha512", Digest::Sha512),
    ("http://www.w3.org/2000/09/xmldsig#sha256", Digest::Sha256),
    ("http://www.w3.org/2000/09/xmldsig#sha512", Digest::Sha512),
];

/// SignatureMethod URIs in the wrong namespace, as [`NONSTANDARD_DIGESTS`].
pub const NONSTANDARD_SIGNATURES: &[(&str, &str)] = &[
    ("http://www.w3.org/2000/09/xmldsig#rsa-sha256", RSA_SHA256),
    ("http://www.w3.org/2000/09/xmldsig#rsa-sha512", RSA_SHA512),
    ("http://www.w3.org/2001/04/xmldsig-more#rsa-sha1", RSA_SHA1),
];

impl Digest {
    /// A digest named by a URI in the wrong namespace (see [`NONSTANDARD_DIGESTS`]).
    pub fn from_nonstandard_uri(uri: &str) -> Option<Digest> {
        NONSTANDARD_DIGESTS.iter().find(|(u, _)| *u == uri).map(|(_, d)| *d)
    }
}

/// The public-key scheme of a SignatureMethod.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// RSASSA-PKCS1-v1_5.
    RsaPkcs1,
    /// RSASSA-PSS with MGF1 of the same digest, salt length = digest length.
    RsaPss,
    /// ECDSA, signature encoded as raw `r || s` (XML-DSig 1.1 §6.4.3).
    Ecdsa,
}

/// A SignatureMethod: scheme plus digest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignatureAlgorithm {
    /// The scheme.
    pub scheme: Scheme,
    /// The digest.
    pub digest: Digest,
}

impl SignatureAlgorithm {
    /// A SignatureMethod named in the wrong namespace (see [`NONSTANDARD_SIGNATURES`]).
    pub fn from_nonstandard_uri(uri: &str) -> Option<SignatureAlgorithm> {
        let (_, standard) = NONSTANDARD_SIGNATURES.iter().find(|(u, _)| *u == uri)?;
        SignatureAlgorithm::from_uri(standard)
    }

    /// The algorithm named by a SignatureMethod URI.
    pub fn from_uri(uri: &str) -> Option<SignatureAlgorithm> {
        use Digest::*;
        use Scheme::*;
        let (scheme, digest) = match uri {
            RSA_SHA1 => (RsaPkcs1, Sha1),
            RSA_SHA224 => (RsaPkcs1, Sha224),
            RSA_SHA256 => (RsaPkcs1, Sha256),
            RSA_SHA384 => (RsaPkcs1, Sha384),
            RSA_SHA512 => (RsaPkcs1, Sha512),
            RSA_PSS_SHA256 => (RsaPss, Sha256),
            RSA_PSS_SHA384 => (RsaPss, Sha384),
            RSA_PSS_SHA512 => (RsaPss, Sha512),
            ECDSA_SHA1 => (Ecdsa, Sha1),
            ECDSA_SHA224 => (Ecdsa, Sha224),
            ECDSA_SHA256 => (Ecdsa, Sha256),
            ECDSA_SHA384 => (Ecdsa, Sha384),
            ECDSA_SHA512 => (Ecdsa, Sha512),
            _ => return None,
        };
        Some(SignatureAlgorithm { scheme, digest })
    }
}

/// The canonicalisation named by a CanonicalizationMethod or Transform URI.
pub fn c14n_from_uri(uri: &str) -> Option<C14n> {
    let (method, with_comments) = match uri {
        C14N10 => (C14nMethod::Inclusive10, false),
        C14N10_WC => (C14nMethod::Inclusive10, true),
        C14N11 => (C14nMethod::Inclusive11, false),
        C14N11_WC => (C14nMethod::Inclusive11, true),
        EXC_C14N => (C14nMethod::Exclusive, false),
        EXC_C14N_WC => (C14nMethod::Exclusive, true),
        _ => return None,
    };
    Some(C14n::new(method, with_comments))
}

/// A short name for an algorithm URI: the part after `#`, or the last path segment.
pub fn short_name(uri: &str) -> &str {
    match uri {
        C14N10 => "c14n",
        C14N10_WC => "c14n#WithComments",
        C14N11 => "c14n11",
        C14N11_WC => "c14n11#WithComments",
        EXC_C14N => "exc-c14n",
        EXC_C14N_WC => "exc-c14n#WithComments",
        _ => uri.rsplit(['#', '/']).next().unwrap_or(uri),
    }
}

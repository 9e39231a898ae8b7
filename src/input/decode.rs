//! The decoding layers of the SAML bindings: URL (percent) decoding, lenient base64 and
//! DEFLATE inflation with a size limit (SAML Bindings §3.4.4.1, §3.5.4).

use std::io::Read;

use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine;
use flate2::read::{DeflateDecoder, GzDecoder, ZlibDecoder};

/// A decoding failure: the layer that failed and what it said, position included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayerError {
    /// The layer: `URL decoding`, `base64`, `inflate`, ...
    pub layer: &'static str,
    /// What went wrong, with the position.
    pub message: String,
}

impl std::fmt::Display for LayerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.layer, self.message)
    }
}

fn fail(layer: &'static str, message: String) -> LayerError {
    LayerError { layer, message }
}

/// Percent-encodes every byte but the unreserved characters of RFC 3986 (`A–Z a–z 0–9 - . _ ~`)
/// and those in `keep`, in upper- or lower-case hex: the inverse of [`url_decode`].
pub fn url_encode(s: &str, keep: &[u8], upper: bool) -> String {
    let mut out = String::with_capacity(s.len() * 3 / 2);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) || keep.contains(&b) {
            out.push(char::from(b));
        } else if upper {
            out.push_str(&format!("%{b:02X}"));
        } else {
            out.push_str(&format!("%{b:02x}"));
        }
    }
    out
}

/// Decodes `%XX` escapes and, for form encoding, `+` as space.
pub fn url_decode(s: &str, plus_as_space: bool) -> Result<String, LayerError> {
    let bytes = s.as_bytes();
    // The next escape or `+`, by SIMD search (memchr): a base64 value is mostly plain.
    let next = |rest: &[u8]| {
        if plus_as_space {
            memchr::memchr2(b'%', b'+', rest)
        } else {
            memchr::memchr(b'%', rest)
        }
    };
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    // Runs of plain bytes are copied whole.
    while let Some(run) = bytes.get(i..).map(next) {
        let Some(n) = run else {
            out.extend_from_slice(&bytes[i..]);
            break;
        };
        out.extend_from_slice(&bytes[i..i + n]);
        i += n;
        if bytes[i] == b'+' {
            out.push(b' ');
            i += 1;
            continue;
        }
        let hex = |b: Option<&u8>| b.and_then(|b| (*b as char).to_digit(16));
        match (hex(bytes.get(i + 1)), hex(bytes.get(i + 2))) {
            (Some(h), Some(l)) => out.push((h * 16 + l) as u8),
            _ => return Err(fail("URL decoding", format!("invalid percent-escape at offset {i}"))),
        }
        i += 3;
    }
    String::from_utf8(out).map_err(|e| {
        fail(
            "URL decoding",
            format!("invalid UTF-8 at decoded byte {}", e.utf8_error().valid_up_to()),
        )
    })
}

/// Splits a query string or form body into decoded `(name, value)` pairs.
pub fn parse_form(s: &str) -> Result<Vec<(String, String)>, LayerError> {
    s.split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            Ok((url_decode(k, true)?, url_decode(v, true)?))
        })
        .collect()
}

const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// What lenient base64 decoding had to forgive, for the report.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Base64Notes {
    /// The URL-safe alphabet (`-`, `_`) was used.
    pub url_safe: bool,
    /// Spaces were read as `+` (a value URL-decoded once too often).
    pub spaces_as_plus: bool,
}

/// Decodes base64 in either alphabet, ignoring line breaks and missing padding; spaces inside
/// the value are tried as `+` first (careless URL decoding), then as wrapping.
pub fn base64_decode(s: &str) -> Result<(Vec<u8>, Base64Notes), LayerError> {
    let trimmed = s.trim();
    let has_inner_space = trimmed.contains(' ');
    let attempts: &[bool] = if has_inner_space { &[true, false] } else { &[false] };
    let mut first_error = None;
    for &spaces_as_plus in attempts {
        match base64_attempt(trimmed, spaces_as_plus) {
            Ok(r) => return Ok(r),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    Err(first_error.unwrap_or_else(|| fail("base64", "empty value".into())))
}

fn base64_attempt(s: &str, spaces_as_plus: bool) -> Result<(Vec<u8>, Base64Notes), LayerError> {
    let mut notes = Base64Notes { spaces_as_plus, ..Base64Notes::default() };
    let kept = |b: u8| !matches!(b, b'\r' | b'\n' | b'\t') && (spaces_as_plus || b != b' ');
    // The usual value needs no cleaning: whitespace and the URL-safe alphabet fail the
    // standard decode and take the path below.
    if let (false, Ok(bytes)) = (s.is_empty(), LENIENT.decode(s)) {
        return Ok((bytes, notes));
    }
    let mut clean = Vec::with_capacity(s.len());
    for b in s.bytes().filter(|b| kept(*b)) {
        clean.push(match b {
            b' ' => b'+',
            b'-' => {
                notes.url_safe = true;
                b'+'
            }
            b'_' => {
                notes.url_safe = true;
                b'/'
            }
            _ => b,
        });
    }
    if clean.is_empty() {
        return Err(fail("base64", "empty value".into()));
    }
    LENIENT.decode(&clean).map(|bytes| (bytes, notes)).map_err(|e| {
        // The offset of the i-th kept byte in the original text (computed only on failure).
        let at = |i: usize| {
            s.bytes().enumerate().filter(|(_, b)| kept(*b)).nth(i).map_or(s.len(), |(o, _)| o)
        };
        let message = match e {
            base64::DecodeError::InvalidByte(i, b) => {
                format!("invalid character {:?} at offset {}", b as char, at(i))
            }
            base64::DecodeError::InvalidLength(n) => {
                format!("truncated: {n} characters is not a whole number of 4-character groups")
            }
            base64::DecodeError::InvalidLastSymbol(i, b) => {
                format!("invalid last character {:?} at offset {}", b as char, at(i))
            }
            base64::DecodeError::InvalidPadding => "invalid padding".into(),
        };
        fail("base64", message)
    })
}

/// The compression framing found on a payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// Raw DEFLATE (RFC 1951), as SAML Bindings §3.4.4.1 requires.
    Raw,
    /// zlib-wrapped DEFLATE (RFC 1950): not conforming, but accepted.
    Zlib,
    /// gzip (RFC 1952): not conforming, but accepted.
    Gzip,
}

impl Framing {
    /// The layer name shown in reports.
    pub fn label(self) -> &'static str {
        match self {
            Framing::Raw => "raw DEFLATE",
            Framing::Zlib => "zlib DEFLATE (non-standard: the binding requires raw DEFLATE)",
            Framing::Gzip => "gzip (non-standard: the binding requires raw DEFLATE)",
        }
    }
}

/// Inflates `data`, refusing to produce more than `limit` bytes (DEFLATE bombs stop there).
pub fn inflate(data: &[u8], limit: usize) -> Result<(Vec<u8>, Framing), LayerError> {
    let framing = match data {
        [0x1f, 0x8b, ..] => Framing::Gzip,
        [cmf, flg, ..] if cmf & 0x0f == 8 && (u16::from(*cmf) << 8 | u16::from(*flg)) % 31 == 0 => {
            Framing::Zlib
        }
        _ => Framing::Raw,
    };
    let attempt = |framing: Framing| -> Result<Vec<u8>, LayerError> {
        match framing {
            Framing::Raw => read_limited(DeflateDecoder::new(data), limit, |d| d.total_in()),
            Framing::Zlib => read_limited(ZlibDecoder::new(data), limit, |d| d.total_in()),
            Framing::Gzip => read_limited(GzDecoder::new(data), limit, |_| 0),
        }
    };
    match attempt(framing) {
        Ok(out) => Ok((out, framing)),
        // A zlib-looking header can be a coincidence: fall back to raw DEFLATE.
        Err(e) if framing == Framing::Zlib => {
            attempt(Framing::Raw).map(|o| (o, Framing::Raw)).map_err(|_| e)
        }
        Err(e) => Err(e),
    }
}

fn read_limited<R: Read>(
    mut reader: R,
    limit: usize,
    consumed: impl Fn(&R) -> u64,
) -> Result<Vec<u8>, LayerError> {
    let mut out = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    loop {
        match reader.read(&mut chunk) {
            Ok(0) => return Ok(out),
            Ok(n) => {
                if out.len() + n > limit {
                    return Err(fail(
                        "inflate",
                        format!("output exceeds the {} limit (a DEFLATE bomb?)", human_size(limit)),
                    ));
                }
                out.extend_from_slice(&chunk[..n]);
            }
            Err(e) => {
                return Err(fail(
                    "inflate",
                    format!("bad DEFLATE stream near compressed byte {}: {e}", consumed(&reader)),
                ))
            }
        }
    }
}

/// `16 MiB`, `512 KiB`, `12 bytes`.
pub fn human_size(n: usize) -> String {
    match n {
        n if n >= 1 << 20 && n % (1 << 20) == 0 => format!("{} MiB", n >> 20),
        n if n >= 1 << 10 && n % (1 << 10) == 0 => format!("{} KiB", n >> 10),
        n => format!("{n} bytes"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn deflate(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn url_decoding() {
        let cases: &[(&str, bool, Result<&str, &str>)] = &[
            ("a%2Bb%3D", true, Ok("a+b=")),
            ("a+b", true, Ok("a b")),
            ("a+b", false, Ok("a+b")),
            ("%e2%82%ac", true, Ok("€")),
            ("ab%zz", true, Err("invalid percent-escape at offset 2")),
            ("ab%4", true, Err("invalid percent-escape at offset 2")),
            ("%ff", true, Err("invalid UTF-8")),
        ];
        for (input, plus, want) in cases {
            let got = url_decode(input, *plus);
            match want {
                Ok(w) => assert_eq!(got.as_deref(), Ok(*w), "{input}"),
                Err(w) => assert!(got.unwrap_err().message.contains(w), "{input}"),
            }
        }
    }

    #[test]
    fn base64_variants() {
        // "<a>?>~</a>" exercises '+' and '/' in the standard alphabet.
        let cases: &[(&str, &[u8], Base64Notes)] = &[
            ("PGE+Pz5+PC9hPg==", b"<a>?>~</a>", Base64Notes::default()),
            ("PGE+Pz5+PC9hPg", b"<a>?>~</a>", Base64Notes::default()),
            (
                "PGE-Pz5-PC9hPg",
                b"<a>?>~</a>",
                Base64Notes { url_safe: true, spaces_as_plus: false },
            ),
            (
                "PGE Pz5 PC9hPg==",
                b"<a>?>~</a>",
                Base64Notes { url_safe: false, spaces_as_plus: true },
            ),
            ("PGE+\r\nPz5+\nPC9h\tPg==", b"<a>?>~</a>", Base64Notes::default()),
            ("PD94 bWwg", b"<?xml ", Base64Notes::default()),
        ];
        for (input, want, notes) in cases {
            let (bytes, n) = base64_decode(input).unwrap();
            assert_eq!(bytes, *want, "{input}");
            assert_eq!(n, *notes, "{input}");
        }
    }

    #[test]
    fn base64_errors_name_the_offset() {
        let e = base64_decode("PGE+\nPz*+").unwrap_err();
        assert_eq!(e.layer, "base64");
        assert!(e.message.contains("'*' at offset 7"), "{e}");
        let e = base64_decode("PGE+P").unwrap_err();
        assert!(e.message.contains("truncated"), "{e}");
    }

    #[test]
    fn inflate_framings() {
        let xml = b"<samlp:AuthnRequest/>";
        let (out, f) = inflate(&deflate(xml), 1 << 20).unwrap();
        assert_eq!((out.as_slice(), f), (&xml[..], Framing::Raw));
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(xml).unwrap();
        assert_eq!(inflate(&z.finish().unwrap(), 1 << 20).unwrap().1, Framing::Zlib);
        let mut g = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        g.write_all(xml).unwrap();
        assert_eq!(inflate(&g.finish().unwrap(), 1 << 20).unwrap().1, Framing::Gzip);
    }

    #[test]
    fn inflate_refuses_bombs_and_garbage() {
        let bomb = deflate(&vec![b'a'; 64 << 20]);
        assert!(bomb.len() < 100_000);
        let e = inflate(&bomb, 16 << 20).unwrap_err();
        assert!(e.message.contains("exceeds the 16 MiB limit"), "{e}");
        let e = inflate(b"\xff\xff\xff\xff not deflate", 1 << 20).unwrap_err();
        assert_eq!(e.layer, "inflate");
        let mut truncated = deflate(b"<a>hello hello hello hello</a>");
        truncated.truncate(5);
        assert!(inflate(&truncated, 1 << 20).is_err());
    }
}

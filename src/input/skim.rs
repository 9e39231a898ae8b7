//! A structural pass over JSON: finds where each value starts and ends, skipping strings with
//! a 64-byte bit mask instead of reading them character by character. It checks the structure
//! (brackets, commas, colons, literals, numbers) but neither validates nor unescapes string
//! contents: what it hands on is read by serde_json, which does; what it skips (members the
//! caller ignores, bodies that cannot matter) is never validated, so damage there goes
//! unreported. Anything it does not accept is a [`Bail`], and the caller reads the input with
//! serde_json alone.

/// The input leaves the path this pass handles (a syntax error, the end of the input, a
/// nesting deeper than [`MAX_DEPTH`]): read it with serde_json instead.
#[derive(Debug, PartialEq, Eq)]
pub struct Bail;

/// A result of the pass.
pub type Skimmed<T> = Result<T, Bail>;

/// Nesting accepted, counted from the top of the document: below serde_json's own limit (128),
/// so what this pass accepts, serde_json accepts too.
pub const MAX_DEPTH: usize = 100;

/// A position in a JSON document.
pub struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    /// A cursor at the start of `bytes`.
    pub fn new(bytes: &'a [u8]) -> Self {
        Cursor { bytes, at: 0 }
    }

    /// The byte offset of the cursor.
    pub fn offset(&self) -> usize {
        self.at
    }

    /// The document's bytes from `start` to the cursor.
    pub fn since(&self, start: usize) -> &'a [u8] {
        &self.bytes[start..self.at]
    }

    /// The next byte after white space, not consumed.
    pub fn peek(&mut self) -> Skimmed<u8> {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.bytes.get(self.at) {
            self.at += 1;
        }
        self.bytes.get(self.at).copied().ok_or(Bail)
    }

    /// Consumes `c` (after white space), or bails.
    pub fn eat(&mut self, c: u8) -> Skimmed<()> {
        if self.peek()? != c {
            return Err(Bail);
        }
        self.at += 1;
        Ok(())
    }

    /// Consumes `c` if it comes next.
    pub fn eat_if(&mut self, c: u8) -> Skimmed<bool> {
        let next = self.peek()? == c;
        self.at += usize::from(next);
        Ok(next)
    }

    /// After a member or an element: `true` if a comma says another follows, `false` at the
    /// `close` bracket.
    pub fn more(&mut self, close: u8) -> Skimmed<bool> {
        match self.peek()? {
            b',' => {
                self.at += 1;
                Ok(true)
            }
            c if c == close => {
                self.at += 1;
                Ok(false)
            }
            _ => Err(Bail),
        }
    }

    /// A string: its raw bytes, quotes and escapes included. Long strings are scanned 64
    /// bytes at a time: a bit mask of quotes, minus the escaped ones, finds the end however
    /// many escapes the string holds.
    pub fn string(&mut self) -> Skimmed<&'a [u8]> {
        self.eat(b'"')?;
        let start = self.at - 1;
        let mut i = self.at;
        let mut carry = 0;
        while let Some(block) = self.bytes.get(i..).and_then(<[u8]>::first_chunk::<64>) {
            prefetch(self.bytes.get(i + 2048));
            let ends = mask(block, b'"') & !escaped(mask(block, b'\\'), &mut carry);
            if ends != 0 {
                self.at = i + ends.trailing_zeros() as usize + 1;
                return Ok(&self.bytes[start..self.at]);
            }
            i += 64;
        }
        let mut escape = carry != 0;
        for (j, &c) in self.bytes.iter().enumerate().skip(i) {
            match c {
                _ if escape => escape = false,
                b'\\' => escape = true,
                b'"' => {
                    self.at = j + 1;
                    return Ok(&self.bytes[start..self.at]);
                }
                _ => {}
            }
        }
        Err(Bail)
    }

    /// Skips one value of any kind at nesting `depth`, calling `strings(key, raw)` for each
    /// string value inside it (`key` is the raw name of the member it is the value of, or
    /// empty in an array).
    pub fn value(
        &mut self,
        depth: usize,
        key: &[u8],
        strings: &mut impl FnMut(&[u8], &'a [u8], usize),
    ) -> Skimmed<()> {
        match self.peek()? {
            b'"' => {
                let start = self.at;
                let raw = self.string()?;
                strings(key, raw, start);
            }
            open @ (b'{' | b'[') => {
                if depth >= MAX_DEPTH {
                    return Err(Bail);
                }
                self.at += 1;
                let close = if open == b'{' { b'}' } else { b']' };
                if self.eat_if(close)? {
                    return Ok(());
                }
                loop {
                    let name = if open == b'{' {
                        let name = self.string()?;
                        self.eat(b':')?;
                        name
                    } else {
                        b""
                    };
                    self.value(depth + 1, name, strings)?;
                    if !self.more(close)? {
                        break;
                    }
                }
            }
            _ => self.scalar()?,
        }
        Ok(())
    }

    /// `true`, `false`, `null` or a number, by the JSON grammar.
    fn scalar(&mut self) -> Skimmed<()> {
        let rest = &self.bytes[self.at..];
        for literal in [&b"true"[..], b"false", b"null"] {
            if rest.starts_with(literal) {
                self.at += literal.len();
                return Ok(());
            }
        }
        self.at += number_len(rest).ok_or(Bail)?;
        Ok(())
    }
}

/// Bit `i` set where `block[i] == c`: four 16-byte compares.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn mask(block: &[u8; 64], c: u8) -> u64 {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_set1_epi8,
    };
    let mut m = 0;
    for (k, chunk) in block.chunks_exact(16).enumerate() {
        // SAFETY: SSE2 is part of every x86_64 CPU; the load reads the 16 bytes of `chunk`,
        // unaligned loads allowed.
        let bits = unsafe {
            let v = _mm_loadu_si128(chunk.as_ptr().cast::<__m128i>());
            _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(c as i8)))
        };
        m |= u64::from(bits as u16) << (16 * k);
    }
    m
}

/// Asks the processor to start loading the cache line of `at` (a mapped input is read
/// straight through, and the hardware prefetcher stops at each 4 KiB page).
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn prefetch(at: Option<&u8>) {
    if let Some(b) = at {
        // SAFETY: a prefetch is a hint: it reads nothing into the program and cannot fault;
        // the address is of a byte of the slice.
        unsafe {
            std::arch::x86_64::_mm_prefetch(
                std::ptr::from_ref(b).cast::<i8>(),
                std::arch::x86_64::_MM_HINT_T0,
            );
        }
    }
}

#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
fn prefetch(_: Option<&u8>) {}

/// Bit `i` set where `block[i] == c`.
#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
fn mask(block: &[u8; 64], c: u8) -> u64 {
    block.iter().enumerate().fold(0, |m, (i, &b)| m | (u64::from(b == c) << i))
}

/// The bits of the characters that a backslash escapes, given the bits of the backslashes; a
/// run of backslashes escapes every other character. `carry` (0 or 1) says whether the first
/// character is escaped by the block before, and is set for the block after.
#[inline(always)]
fn escaped(backslash: u64, carry: &mut u64) -> u64 {
    const EVEN: u64 = 0x5555_5555_5555_5555;
    let backslash = backslash & !*carry;
    let follows = (backslash << 1) | *carry;
    // Runs of backslashes that start on an odd bit, added to the runs: the sum flips the
    // parity of the escaped characters of those runs (the trick of simdjson's scanner).
    let odd_starts = backslash & !EVEN & !follows;
    let (sum, overflow) = odd_starts.overflowing_add(backslash);
    *carry = u64::from(overflow);
    (EVEN ^ (sum << 1)) & follows
}

/// The length of the JSON number at the start of `s`:
/// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
fn number_len(s: &[u8]) -> Option<usize> {
    let digits =
        |from: usize| s[from.min(s.len())..].iter().take_while(|c| c.is_ascii_digit()).count();
    let mut i = usize::from(s.first() == Some(&b'-'));
    match s.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => i += digits(i),
        _ => return None,
    }
    if s.get(i) == Some(&b'.') {
        let n = digits(i + 1);
        if n == 0 {
            return None;
        }
        i += 1 + n;
    }
    if let Some(b'e' | b'E') = s.get(i) {
        i += 1;
        if let Some(b'+' | b'-') = s.get(i) {
            i += 1;
        }
        let n = digits(i);
        if n == 0 {
            return None;
        }
        i += n;
    }
    Some(i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn skim(s: &str) -> Skimmed<Vec<(String, String)>> {
        let mut c = Cursor::new(s.as_bytes());
        let mut seen = Vec::new();
        c.value(0, b"", &mut |k: &[u8], v: &[u8], _| {
            seen.push((String::from_utf8_lossy(k).into(), String::from_utf8_lossy(v).into()))
        })?;
        Ok(seen)
    }

    #[test]
    fn accepts_what_serde_json_accepts() {
        for ok in [
            r#"{"a":[1,-0.5e+3,true,false,null,{}],"text":"x\"y\\","b":[]}"#,
            " [ \"\\u0022\" , 0 ] ",
            "-0",
            "12.25E-2",
        ] {
            assert!(skim(ok).is_ok(), "{ok}");
            assert!(serde_json::from_str::<serde::de::IgnoredAny>(ok).is_ok(), "{ok}");
        }
        let seen = skim(r#"{"a":{"text":"b\"c"},"d":["e"]}"#).unwrap();
        assert_eq!(seen, [("\"text\"".into(), "\"b\\\"c\"".into()), ("".into(), "\"e\"".into())]);
    }

    /// The block scan against a byte-by-byte reading, on strings of quotes, backslashes and
    /// letters across block edges.
    #[test]
    fn finds_the_end_of_any_string() {
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut crossed = 0;
        for _ in 0..20_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = (seed % 300) as usize;
            let mut s = vec![b'"'];
            let mut x = seed;
            for _ in 0..len {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                // Quotes rare, so most strings cross a block edge; long backslash runs.
                s.push(match x >> 58 {
                    0..=1 => b'"',
                    2..=33 => b'\\',
                    _ => b'a',
                });
            }
            let mut expected = None;
            let mut escape = false;
            for (j, &c) in s.iter().enumerate().skip(1) {
                match c {
                    _ if escape => escape = false,
                    b'\\' => escape = true,
                    b'"' => {
                        expected = Some(j + 1);
                        break;
                    }
                    _ => {}
                }
            }
            let mut c = Cursor::new(&s);
            let got = c.string().ok().map(|r| r.len());
            assert_eq!(got, expected, "{}", String::from_utf8_lossy(&s));
            crossed += usize::from(expected.is_none_or(|e| e > 64));
        }
        assert!(crossed > 5_000, "{crossed}");
    }

    #[test]
    fn bails_where_the_structure_is_wrong() {
        for bad in [
            "",
            "{",
            "[1,]",
            "{,}",
            r#"{"a"}"#,
            r#"{"a":1,}"#,
            "[01]",
            "[1.]",
            "[1e]",
            "[-]",
            "[tru]",
            "\"open",
            "\"esc\\",
            "[1 2]",
            r#"{1:2}"#,
            "{\"a\":1]",
        ] {
            // Trailing bytes are the caller's business, as with serde_json's stream readers.
            assert_eq!(skim(bad).map(|_| ()), Err(Bail), "{bad}");
        }
        let deep = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
        assert_eq!(skim(&deep).map(|_| ()), Err(Bail));
        let fine = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(skim(&fine).is_ok());
    }
}

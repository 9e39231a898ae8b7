//! Building a [`Document`] from bytes with quick-xml, applying what quick-xml leaves to the
//! caller: line-end normalisation (XML 1.0 §2.11), attribute-value normalisation (§3.3.3),
//! character and predefined entity references (§4.1, §4.6), CDATA as text, namespace resolution
//! (Namespaces in XML 1.0 §5), and the refusal of any DOCTYPE.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::hash::BuildHasher;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::{
    line_col, prefix_of, Document, Named, Node, NodeId, Stored, StoredAttribute, StoredElement,
    Str, TextSplit, XmlLimits, NO_PARENT, XML_NS,
};

const XMLNS_NS: &str = "http://www.w3.org/2000/xmlns/";

/// Why a document could not be parsed, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlError {
    /// What went wrong.
    pub message: String,
    /// Byte offset in the decoded document.
    pub offset: usize,
    /// 1-based line.
    pub line: usize,
    /// 1-based column (bytes).
    pub column: usize,
}

impl fmt::Display for XmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "XML at line {}:{}: {}", self.line, self.column, self.message)
    }
}

impl std::error::Error for XmlError {}

/// Parses `bytes` (UTF-8, optional BOM) into a [`Document`].
pub fn parse(bytes: &[u8], limits: XmlLimits) -> Result<Document, XmlError> {
    let bom = if bytes.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
    let fail = |offset: usize, message: String| {
        let (line, column) = line_col(bytes, offset);
        XmlError { message, offset, line, column }
    };
    if bytes.starts_with(b"\xFE\xFF") || bytes.starts_with(b"\xFF\xFE") {
        return Err(fail(0, "UTF-16 documents are not supported; re-encode as UTF-8".into()));
    }
    let transcoded;
    let text = if bom == 0 && declares_latin1(bytes) {
        // ISO-8859-1 maps each byte to the code point of the same value; spans then refer to
        // the UTF-8 transcoding.
        transcoded = bytes.iter().map(|b| char::from(*b)).collect::<String>();
        transcoded.as_str()
    } else {
        std::str::from_utf8(&bytes[bom..]).map_err(|e| {
            fail(bom + e.valid_up_to(), format!("invalid UTF-8 at byte {}", bom + e.valid_up_to()))
        })?
    };
    // Offsets are kept in 32 bits.
    if text.len() >= NO_PARENT as usize {
        return Err(fail(0, "documents of 4 GiB or more are not supported".into()));
    }
    let tags = memchr::memchr_iter(b'<', bytes).count();
    let mut builder = Builder {
        // Room for the tree up front, so it is never copied to grow: at most two nodes per
        // `<` (a tag, and the text before it), and an element per start tag (half the tags,
        // usually), bounded; what is left over is given back below.
        doc: Document {
            nodes: Vec::with_capacity(4096.min(2 * tags + 1)),
            elements: Vec::with_capacity(2048.min(tags / 2 + 1)),
            // An attribute or declaration per '=', at most.
            attributes: Vec::with_capacity(4096.min(memchr::memchr_iter(b'=', bytes).count())),
            // About as many characters as the document's (up to 1 MiB at first): its text and
            // values, and each name once.
            chars: String::with_capacity(text.len().min(1 << 20)),
            ..Document::default()
        },
        stack: Vec::new(),
        scopes: Vec::new(),
        names: Interned::take(),
    };
    let built = builder.run(text, bom, limits);
    builder.names.give_back();
    built.map_err(|(offset, message)| fail(offset, message))?;
    let mut doc = builder.doc;
    doc.nodes.shrink_to_fit();
    doc.elements.shrink_to_fit();
    doc.attributes.shrink_to_fit();
    doc.declarations.shrink_to_fit();
    doc.chars.shrink_to_fit();
    Ok(doc)
}

/// The qualified names, prefixes, local names and namespace URIs of the documents parsed on
/// this thread, each with where it was written in the document being built: the messages of a
/// capture or a batch repeat the same few dozen, so each is checked and hashed once per
/// thread and written once per document. Bounded: only short strings are kept, and the tables
/// start over when full, so hostile names cannot make them grow without limit.
struct Interned {
    /// Qualified names, with their prefix and local name in the document.
    names: HashMap<Box<str>, Stamped<SplitName>, Seeded>,
    /// Prefixes, local names and namespace URIs, with where they are in the document.
    strings: HashMap<Box<str>, Stamped<Str>, Seeded>,
    /// The document being built: an entry stamped otherwise belongs to an earlier one.
    stamp: u64,
}

/// A qualified name and its local name, in a document.
type SplitName = (Str, Str);

/// A table entry and the document it was made for.
#[derive(Clone, Copy)]
struct Stamped<T> {
    stamp: u64,
    at: T,
}

thread_local! {
    static INTERNED: std::cell::Cell<Interned> = std::cell::Cell::new(Interned::default());
}

impl Default for Interned {
    /// Empty tables whose hash is keyed afresh, so that names made to collide under one key
    /// do not collide in the tables of another thread or process.
    fn default() -> Interned {
        let seed = Seeded(std::collections::hash_map::RandomState::new().hash_one(0_u8));
        Interned {
            names: HashMap::with_hasher(seed),
            strings: HashMap::with_hasher(seed),
            stamp: 0,
        }
    }
}

impl Interned {
    /// Strings longer than this are not kept.
    const LONGEST: usize = 128;
    /// Entries per table before it starts over.
    const MOST: usize = 512;

    /// This thread's tables (empty ones while its thread-locals are torn down), for a new
    /// document.
    fn take() -> Interned {
        let mut tables = INTERNED.try_with(std::cell::Cell::take).unwrap_or_default();
        tables.stamp += 1;
        tables
    }

    fn give_back(&mut self) {
        let tables = std::mem::take(self);
        let _ = INTERNED.try_with(|t| t.set(tables));
    }

    /// Where `qname` and its local name are in the document whose characters are `chars`: a
    /// name met before is checked already, and is written once per document.
    fn name(&mut self, chars: &mut String, qname: &str) -> Result<SplitName, String> {
        let stamp = self.stamp;
        // The local name is the end of the qualified name.
        let split = |at: Str, local_len: u32| (at, Str(at.1 - local_len, at.1));
        if let Some(e) = self.names.get_mut(qname) {
            if e.stamp != stamp {
                let local_len = e.at.1 .1 - e.at.1 .0;
                e.at = split(append(chars, qname), local_len);
                e.stamp = stamp;
            }
            return Ok(e.at);
        }
        let (_, local) = split_qname(qname)?;
        let at = split(append(chars, qname), narrow(local.len()));
        Self::keep(&mut self.names, qname, Stamped { stamp, at });
        Ok(at)
    }

    /// Where `s` (a name or a namespace URI) is in `chars`, written there the first time.
    fn place(&mut self, chars: &mut String, s: &str) -> Str {
        let stamp = self.stamp;
        match self.strings.get_mut(s) {
            Some(e) if e.stamp == stamp => e.at,
            Some(e) => {
                e.at = append(chars, s);
                e.stamp = stamp;
                e.at
            }
            None => {
                let at = append(chars, s);
                Self::keep(&mut self.strings, s, Stamped { stamp, at });
                at
            }
        }
    }

    /// Keeps `value` under `key` in `table`, within the bounds.
    fn keep<V>(table: &mut HashMap<Box<str>, V, Seeded>, key: &str, value: V) {
        if key.len() <= Self::LONGEST {
            if table.len() >= Self::MOST {
                table.clear();
            }
            table.insert(key.into(), value);
        }
    }
}

/// Writes `s` at the end of `chars`.
fn append(chars: &mut String, s: &str) -> Str {
    let start = narrow(chars.len());
    chars.push_str(s);
    Str(start, narrow(chars.len()))
}

/// Parse state: the document so far, the open elements and their namespace scopes.
struct Builder {
    doc: Document,
    stack: Vec<NodeId>,
    /// Namespace bindings, innermost last; `(prefix, uri, depth)`.
    scopes: Vec<(Option<Str>, Str, usize)>,
    /// Names and namespace URIs already checked and written.
    names: Interned,
}

/// A multiply-rotate hash taking eight bytes a step (the shape of rustc's FxHash), started from
/// a per-thread random key: namespace URIs are long enough that a byte-at-a-time hash showed in
/// profiles, and SipHash costs more still. The key makes collisions found offline useless; the
/// tables it serves are small and start over when full, so even colliding names cost a bounded
/// scan.
#[derive(Default)]
struct WordHash(u64);

/// Builds [`WordHash`]es from one key.
#[derive(Clone, Copy)]
struct Seeded(u64);

impl BuildHasher for Seeded {
    type Hasher = WordHash;
    fn build_hasher(&self) -> WordHash {
        WordHash(self.0)
    }
}

impl WordHash {
    fn step(&mut self, word: u64) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(K);
    }
}

impl std::hash::Hasher for WordHash {
    fn finish(&self) -> u64 {
        // hashbrown picks buckets by the low bits, which a multiply mixes least.
        self.0 ^ (self.0 >> 29)
    }
    fn write(&mut self, bytes: &[u8]) {
        let word = |b: &[u8]| u64::from_le_bytes(b.try_into().unwrap_or_default());
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            self.step(word(w));
        }
        let rest = words.remainder();
        // The tail is read as whole words that overlap what came before, never copied byte
        // by byte into a buffer (a call, and a stall reading the buffer back).
        let n = rest.len();
        let tail = if n == 0 {
            return;
        } else if bytes.len() >= 8 {
            word(&bytes[bytes.len() - 8..])
        } else if n >= 4 {
            let half = |b: &[u8]| u64::from(u32::from_le_bytes(b.try_into().unwrap_or_default()));
            half(&rest[..4]) | half(&rest[n - 4..]) << 32
        } else {
            u64::from(rest[0]) | u64::from(rest[n / 2]) << 8 | u64::from(rest[n - 1]) << 16
        };
        self.step(tail ^ (n as u64) << 59);
    }
    fn write_u8(&mut self, b: u8) {
        self.step(u64::from(b));
    }
}

type Fail = (usize, String);

impl Builder {
    fn run(&mut self, text: &str, base: usize, limits: XmlLimits) -> Result<(), Fail> {
        let mut reader = Reader::from_str(text);
        let config = reader.config_mut();
        config.trim_text(false);
        config.check_end_names = true;
        config.check_comments = true;
        config.expand_empty_elements = false;
        let mut root_seen = false;
        let mut pending_text: Option<PendingText> = None;
        loop {
            let start = base + reader.buffer_position() as usize;
            let event = reader.read_event().map_err(|e| {
                (base + reader.error_position() as usize, format!("not well-formed: {e}"))
            })?;
            let end = base + reader.buffer_position() as usize;
            let in_element = !self.stack.is_empty();
            match event {
                Event::Text(_) => {
                    // The event is exactly the input between the two positions: slice the
                    // already-validated text instead of re-checking its UTF-8.
                    let s = text
                        .get(start - base..end - base)
                        .ok_or_else(|| (start, "invalid UTF-8".to_string()))?;
                    if !in_element {
                        if s.bytes().all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n')) {
                            continue;
                        }
                        return Err((start, "text outside the document element".into()));
                    }
                    // Most text (indentation above all) has no '>', carriage return or control
                    // character: one pass says so, and it is kept as it is.
                    let needs_look = |b: u8| (b < 0x20) & (b != b'\t') & (b != b'\n') | (b == b'>');
                    let s = if none_of(s.as_bytes(), needs_look) {
                        std::borrow::Cow::Borrowed(s)
                    } else {
                        ensure_no_cdata_end(s, start)?;
                        ensure_xml_chars(s, start)?;
                        normalize_line_ends(s)
                    };
                    let chars = &mut self.doc.chars;
                    append_text(&mut pending_text, chars, &s, start..end, Piece::Text);
                }
                Event::CData(c) => {
                    if !in_element {
                        return Err((start, "CDATA outside the document element".into()));
                    }
                    let raw = c.into_inner();
                    let s =
                        std::str::from_utf8(&raw).map_err(|_| (start, "invalid UTF-8".into()))?;
                    ensure_xml_chars(s, start)?;
                    let chars = &mut self.doc.chars;
                    append_text(
                        &mut pending_text,
                        chars,
                        &normalize_line_ends(s),
                        start..end,
                        Piece::Cdata,
                    );
                }
                Event::GeneralRef(r) => {
                    if !in_element {
                        return Err((start, "reference outside the document element".into()));
                    }
                    let name = String::from_utf8_lossy(&r).into_owned();
                    let c = resolve_reference(&name).map_err(|m| (start, m))?;
                    let mut buf = [0; 4];
                    let c = c.encode_utf8(&mut buf);
                    let chars = &mut self.doc.chars;
                    append_text(&mut pending_text, chars, c, start..end, Piece::Reference);
                }
                other => {
                    if let Some(p) = pending_text.take() {
                        let text = self.chars_from(p.start);
                        let id = self.push(Stored::Text(text.0, text.1), p.span, limits)?;
                        if let Some(mut split) = p.split {
                            split.node = id;
                            self.doc.split_texts.push(split);
                        }
                    }
                    match other {
                        Event::Start(e) | Event::Empty(e) if root_seen && !in_element => {
                            let _ = e;
                            return Err((start, "more than one document element".into()));
                        }
                        Event::Start(e) => {
                            root_seen = true;
                            self.open(text, &e, start, end, limits)?;
                        }
                        Event::Empty(e) => {
                            root_seen = true;
                            self.open(text, &e, start, end, limits)?;
                            self.close(end);
                        }
                        Event::End(_) => self.close(end),
                        Event::Comment(c) => {
                            let s = String::from_utf8_lossy(&c.into_inner()).into_owned();
                            let at = self.doc.chars.len();
                            self.doc.chars.push_str(&normalize_line_ends(&s));
                            let text = self.chars_from(at);
                            self.push(Stored::Comment(text.0, text.1), start..end, limits)?;
                        }
                        Event::PI(pi) => {
                            let target = String::from_utf8_lossy(pi.target()).into_owned();
                            if target.eq_ignore_ascii_case("xml") {
                                return Err((start, "misplaced XML declaration".into()));
                            }
                            if !target.split(':').all(is_ncname) {
                                return Err((
                                    start,
                                    format!("{target:?} is not a valid PI target"),
                                ));
                            }
                            let data = String::from_utf8_lossy(pi.content()).into_owned();
                            let at = self.doc.chars.len();
                            self.doc.chars.push_str(&target);
                            let target = self.chars_from(at);
                            let at = self.doc.chars.len();
                            self.doc.chars.push_str(&normalize_line_ends(data.trim_start()));
                            let data = self.chars_from(at);
                            self.push(Stored::Pi { target, data }, start..end, limits)?;
                        }
                        Event::Decl(d) => {
                            if start != base || root_seen {
                                return Err((start, "XML declaration not at the start".into()));
                            }
                            if let Some(Ok(enc)) = d.encoding() {
                                let enc = String::from_utf8_lossy(&enc).to_ascii_lowercase();
                                if !matches!(enc.as_str(), "utf-8" | "utf8" | "us-ascii" | "ascii")
                                    && !is_latin1_name(&enc)
                                {
                                    return Err((
                                        start,
                                        format!("encoding \"{enc}\" is not supported; re-encode as UTF-8"),
                                    ));
                                }
                            }
                        }
                        Event::DocType(_) => {
                            return Err((
                                start,
                                "DOCTYPE refused: document type declarations are never processed \
                                 (no entity expansion, nothing fetched)"
                                    .into(),
                            ));
                        }
                        Event::Eof => break,
                        Event::Text(_) | Event::CData(_) | Event::GeneralRef(_) => {}
                    }
                }
            }
        }
        if !self.stack.is_empty() {
            return Err((base + text.len(), "unexpected end of document: unclosed element".into()));
        }
        if !root_seen {
            return Err((base, "no document element".into()));
        }
        Ok(())
    }

    fn push(
        &mut self,
        kind: Stored,
        span: std::ops::Range<usize>,
        limits: XmlLimits,
    ) -> Result<NodeId, Fail> {
        if self.doc.len() >= limits.max_nodes {
            return Err((span.start, format!("more than {} nodes (limit)", limits.max_nodes)));
        }
        let id = self.doc.len();
        let parent = self.stack.last().copied();
        self.doc.nodes.push(Node {
            parent: parent.map_or(NO_PARENT, narrow),
            end: narrow(id + 1),
            span: (narrow(span.start), narrow(span.end)),
            kind,
        });
        if parent.is_none() {
            self.doc.top_level.push(id);
        }
        Ok(id)
    }

    /// The range of [`Document::chars`] from `start` to its end.
    fn chars_from(&self, start: usize) -> (u32, u32) {
        (narrow(start), narrow(self.doc.chars.len()))
    }

    fn open(
        &mut self,
        text: &str,
        e: &BytesStart<'_>,
        start: usize,
        end: usize,
        limits: XmlLimits,
    ) -> Result<(), Fail> {
        if self.stack.len() >= limits.max_depth {
            return Err((
                start,
                format!("elements nested deeper than {} (limit)", limits.max_depth),
            ));
        }
        let depth = self.stack.len() + 1;
        let qname = utf8(text, e.name().0).ok_or_else(|| (start, "invalid UTF-8".to_string()))?;
        let (name, local) = self.names.name(&mut self.doc.chars, qname).map_err(|m| (start, m))?;
        let prefix = prefix_of(name, local);
        // Attributes go straight into the document's list, their namespaces resolved once
        // every declaration on the element is known. quick-xml's own check for repeated names
        // keeps a list per element: the names are compared here instead, without one.
        let first_attr = self.doc.attributes.len();
        let first_decl = self.doc.declarations.len();
        for (count, attr) in e.attributes().with_checks(false).enumerate() {
            if count >= limits.max_attributes {
                return Err((
                    start,
                    format!(
                        "more than {} attributes on one element (limit)",
                        limits.max_attributes
                    ),
                ));
            }
            let attr = attr.map_err(|err| (start, format!("bad attribute: {err}")))?;
            let key = utf8(text, attr.key.0).ok_or_else(|| (start, "invalid UTF-8".to_string()))?;
            let raw =
                utf8(text, &attr.value).ok_or_else(|| (start, "invalid UTF-8".to_string()))?;
            let value = normalize_attribute_value(raw)
                .map_err(|m| (start, format!("attribute {key}: {m}")))?;
            let declared = match key.strip_prefix("xmlns") {
                Some("") => Some(None),
                Some(rest) => rest.strip_prefix(':').map(Some),
                None => None,
            };
            let doc = &mut self.doc;
            if let Some(p) = declared {
                let same_prefix = |(q, _): &(Option<Str>, Str)| q.map(|q| doc.str(q)) == p;
                if doc.declarations[first_decl..].iter().any(same_prefix) {
                    return Err((start, format!("bad attribute: {key} given twice")));
                }
                if let Some(p) = p {
                    check_namespace_declaration(p, &value).map_err(|m| (start, m))?;
                }
                let p = p.map(|p| self.names.place(&mut doc.chars, p));
                let uri = self.names.place(&mut doc.chars, &value);
                doc.declarations.push((p, uri));
                continue;
            }
            let (aname, alocal) = self.names.name(&mut doc.chars, key).map_err(|m| (start, m))?;
            let doc = &self.doc;
            let same_name = |a: &StoredAttribute| same(doc, Some(a.named.name), Some(aname));
            if doc.attributes[first_attr..].iter().any(same_name) {
                return Err((start, format!("bad attribute: {key} given twice")));
            }
            let value = append(&mut self.doc.chars, &value);
            let named = Named { name: aname, local: alocal, ns: None };
            self.doc.attributes.push(StoredAttribute { named, value });
        }
        for (p, uri) in &self.doc.declarations[first_decl..] {
            self.scopes.push((*p, *uri, depth));
        }
        if self.scopes.len() > limits.max_namespaces {
            return Err((
                start,
                format!(
                    "more than {} namespace declarations in scope (limit)",
                    limits.max_namespaces
                ),
            ));
        }
        let ns = self.resolve(prefix, true).map_err(|m| (start, m))?;
        for i in first_attr..self.doc.attributes.len() {
            let a = self.doc.attributes[i].named;
            let Some(aprefix) = prefix_of(a.name, a.local) else { continue };
            let ans = self.resolve(Some(aprefix), false).map_err(|m| (start, m))?;
            let doc = &self.doc;
            let same_name = |b: &StoredAttribute| {
                same(doc, Some(b.named.local), Some(a.local)) && same(doc, b.named.ns, ans)
            };
            if ans.is_some() && doc.attributes[first_attr..i].iter().any(same_name) {
                return Err((
                    start,
                    format!(
                        "attribute {{{}}}{} given twice",
                        ans.map(|n| doc.str(n)).unwrap_or_default(),
                        doc.str(a.local)
                    ),
                ));
            }
            self.doc.attributes[i].named.ns = ans;
        }
        let index = narrow(self.doc.elements.len());
        let id = self.push(Stored::Element(index), start..end, limits)?;
        self.doc.elements.push(StoredElement {
            named: Named { name, local, ns },
            attrs: (narrow(first_attr), narrow(self.doc.attributes.len())),
            ns_decls: (narrow(first_decl), narrow(self.doc.declarations.len())),
        });
        if self.stack.is_empty() {
            self.doc.root = id;
        }
        self.stack.push(id);
        Ok(())
    }

    fn close(&mut self, end: usize) {
        let depth = self.stack.len();
        let nodes = self.doc.nodes.len();
        if let Some(id) = self.stack.pop() {
            if let Some(node) = self.doc.nodes.get_mut(id) {
                node.span.1 = narrow(end);
                node.end = narrow(nodes);
            }
        }
        while self.scopes.last().is_some_and(|(_, _, d)| *d >= depth) {
            self.scopes.pop();
        }
    }

    /// The namespace URI bound to `prefix`; for elements the default namespace applies.
    fn resolve(&mut self, prefix: Option<Str>, element: bool) -> Result<Option<Str>, String> {
        let doc = &self.doc;
        if prefix.is_some_and(|p| doc.str(p) == "xml") {
            return Ok(Some(self.names.place(&mut self.doc.chars, XML_NS)));
        }
        if prefix.is_none() && !element {
            return Ok(None);
        }
        let found = self.scopes.iter().rev().find(|(p, _, _)| same(doc, *p, prefix));
        match (prefix, found) {
            (_, Some((_, uri, _))) if uri.0 == uri.1 => Ok(None),
            (_, Some((_, uri, _))) => Ok(Some(*uri)),
            (None, None) => Ok(None),
            (Some(p), None) => Err(format!("namespace prefix \"{}\" is not declared", doc.str(p))),
        }
    }
}

/// Whether two strings of `doc` are the same: mostly settled by their place, as a document
/// writes each name once.
fn same(doc: &Document, a: Option<Str>, b: Option<Str>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a == b || doc.str(a) == doc.str(b),
        (a, b) => a.is_none() && b.is_none(),
    }
}

fn is_latin1_name(enc: &str) -> bool {
    matches!(enc, "iso-8859-1" | "iso8859-1" | "latin1" | "latin-1" | "l1")
}

/// Whether the spans of `parse(bytes)` are offsets into `bytes` itself: not when an
/// ISO-8859-1 document with non-ASCII bytes was transcoded to UTF-8 first.
pub fn spans_are_raw(bytes: &[u8]) -> bool {
    bytes.is_ascii() || !declares_latin1(bytes)
}

fn declares_latin1(bytes: &[u8]) -> bool {
    // Only a real declaration counts: `<?xml` then whitespace (`<?xmlfoo` is a PI).
    let Some(head) =
        bytes.strip_prefix(b"<?xml").filter(|h| h.first().is_some_and(u8::is_ascii_whitespace))
    else {
        return false;
    };
    let end = head.windows(2).position(|w| w == b"?>").unwrap_or(0);
    let decl = String::from_utf8_lossy(&head[..end]).to_ascii_lowercase();
    let Some(at) = decl.find("encoding") else { return false };
    let value = decl[at + 8..].trim_start().trim_start_matches('=').trim_start();
    let value = value.trim_start_matches(['"', '\'']);
    let name: String = value.chars().take_while(|c| !matches!(c, '"' | '\'')).collect();
    is_latin1_name(&name)
}

/// An offset, count or index of the tree in 32 bits: `parse` refuses documents whose offsets
/// do not fit, and there are fewer nodes, elements and characters than bytes.
fn narrow(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(NO_PARENT)
}

/// Character data being gathered until the next markup: its pieces become one text node,
/// whose text is written to [`Document::chars`] as the pieces come.
struct PendingText {
    /// Where the text starts in [`Document::chars`].
    start: usize,
    span: std::ops::Range<usize>,
    first: Piece,
    split: Option<TextSplit>,
}

/// The lexical kinds of character data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Piece {
    Text,
    Cdata,
    Reference,
}

fn append_text(
    pending: &mut Option<PendingText>,
    chars: &mut String,
    s: &str,
    span: std::ops::Range<usize>,
    piece: Piece,
) {
    match pending {
        Some(p) => {
            let split = p.split.get_or_insert(TextSplit {
                node: 0,
                first_len: chars.len() - p.start,
                cdata: p.first == Piece::Cdata,
                reference: p.first == Piece::Reference,
            });
            split.cdata |= piece == Piece::Cdata;
            split.reference |= piece == Piece::Reference;
            p.span.end = span.end;
        }
        None => {
            *pending = Some(PendingText { start: chars.len(), span, first: piece, split: None })
        }
    }
    chars.push_str(s);
}

fn ensure_no_cdata_end(s: &str, offset: usize) -> Result<(), Fail> {
    // Most text has no '>' at all: look for that byte first.
    match s.match_indices('>').find(|(i, _)| s[..*i].ends_with("]]")) {
        Some((i, _)) => Err((offset + i - 2, "\"]]>\" is not allowed in character data".into())),
        None => Ok(()),
    }
}

/// XML 1.0 §2.2: C0 control characters other than tab, LF and CR are not allowed.
fn ensure_xml_chars(s: &str, offset: usize) -> Result<(), Fail> {
    match first_control(s.as_bytes()) {
        Some(i) => Err((
            offset + i,
            format!("control character U+{:04X} is not allowed in XML", s.as_bytes()[i]),
        )),
        None => Ok(()),
    }
}

/// Where the first C0 control character other than tab, line feed and carriage return is.
fn first_control(bytes: &[u8]) -> Option<usize> {
    let control = |b: u8| (b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r');
    // Whether there is one, by a pass without branches (which compiles to vector code); where,
    // only then.
    if bytes.iter().fold(false, |seen, &b| seen | control(b)) {
        bytes.iter().position(|&b| control(b))
    } else {
        None
    }
}

/// `part`, a slice of the markup, as text. quick-xml cuts its slices out of `text`, which was
/// checked as UTF-8 once, at ASCII delimiters: such a slice is taken back out of `text` (an
/// O(1) boundary check); anything else is checked.
fn utf8<'a>(text: &'a str, part: &'a [u8]) -> Option<&'a str> {
    let offset = (part.as_ptr() as usize).wrapping_sub(text.as_ptr() as usize);
    text.get(offset..offset.saturating_add(part.len())).or_else(|| std::str::from_utf8(part).ok())
}

fn split_qname(qname: &str) -> Result<(Option<&str>, &str), String> {
    match qname.split_once(':') {
        None if is_ncname(qname) => Ok((None, qname)),
        Some((p, l)) if is_ncname(p) && is_ncname(l) => Ok((Some(p), l)),
        _ => Err(format!("\"{qname}\" is not a valid qualified name")),
    }
}

/// An XML name without colons (Namespaces in XML 1.0 §3, XML 1.0 §2.3 NameStartChar/NameChar):
/// quick-xml does not check names, and a name with quotes in it would not survive c14n.
fn is_ncname(s: &str) -> bool {
    let start = |c: char| {
        matches!(c, 'A'..='Z' | '_' | 'a'..='z' | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}'
            | '\u{F8}'..='\u{2FF}' | '\u{370}'..='\u{37D}' | '\u{37F}'..='\u{1FFF}'
            | '\u{200C}'..='\u{200D}' | '\u{2070}'..='\u{218F}' | '\u{2C00}'..='\u{2FEF}'
            | '\u{3001}'..='\u{D7FF}' | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}'
            | '\u{10000}'..='\u{EFFFF}')
    };
    let rest = |c: char| {
        start(c)
            || matches!(c, '-' | '.' | '0'..='9' | '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
    };
    let mut chars = s.chars();
    chars.next().is_some_and(start) && chars.all(rest)
}

fn check_namespace_declaration(prefix: &str, uri: &str) -> Result<(), String> {
    if !is_ncname(prefix) {
        return Err(format!("\"xmlns:{prefix}\" is not a valid namespace declaration"));
    }
    if uri.is_empty() {
        return Err(format!("xmlns:{prefix}=\"\" is not allowed in XML 1.0 namespaces"));
    }
    if prefix == "xmlns" || (prefix == "xml") != (uri == XML_NS) || uri == XMLNS_NS {
        return Err(format!("illegal namespace declaration xmlns:{prefix}=\"{uri}\""));
    }
    Ok(())
}

/// Replaces CRLF and lone CR by LF (XML 1.0 §2.11).
pub(crate) fn normalize_line_ends(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('\r') {
        return s.into();
    }
    s.replace("\r\n", "\n").replace('\r', "\n").into()
}

/// Attribute-value normalisation for CDATA-typed attributes (XML 1.0 §3.3.3): each literal
/// whitespace character (after line-end normalisation) becomes a space; references are
/// resolved, so `&#xA;` stays a line feed.
pub(crate) fn normalize_attribute_value(raw: &str) -> Result<Cow<'_, str>, String> {
    // Most values need no normalisation and hold no control character: one pass says so.
    if is_plain_value(raw.as_bytes()) {
        return Ok(Cow::Borrowed(raw));
    }
    ensure_xml_chars(raw, 0).map_err(|(_, m)| m)?;
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = rest.find(['&', '\r', '\n', '\t', '<']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        match tail.as_bytes()[0] {
            b'&' => {
                let semi = tail.find(';').ok_or("unterminated reference")?;
                out.push(resolve_reference(&tail[1..semi])?);
                rest = &tail[semi + 1..];
            }
            b'<' => return Err("'<' is not allowed in attribute values".into()),
            b'\r' if tail.as_bytes().get(1) == Some(&b'\n') => {
                out.push(' ');
                rest = &tail[2..];
            }
            _ => {
                out.push(' ');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    Ok(Cow::Owned(out))
}

/// Whether an attribute value holds no byte that needs a look: no control character (tab, line
/// feed and carriage return included), `&` or `<`. Fixed-size blocks without branches compile
/// to vector code, which a byte-by-byte loop with several tests did not.
fn is_plain_value(bytes: &[u8]) -> bool {
    none_of(bytes, |b| (b < 0x20) | (b == b'&') | (b == b'<'))
}

/// Whether no byte of `bytes` is one `needs_look` picks, by 32-byte blocks without branches.
fn none_of(bytes: &[u8], needs_look: impl Fn(u8) -> bool) -> bool {
    let mut blocks = bytes.chunks_exact(32);
    for block in &mut blocks {
        if block.iter().fold(false, |seen, &b| seen | needs_look(b)) {
            return false;
        }
    }
    !blocks.remainder().iter().any(|&b| needs_look(b))
}

/// Resolves a character reference (`#65`, `#x41`) or one of the five predefined entities.
pub(crate) fn resolve_reference(name: &str) -> Result<char, String> {
    // Digits only: Rust's parsers would also take a leading '+', which XML does not.
    let digits = |s: &str, hex: bool| {
        !s.is_empty()
            && s.bytes().all(|b| if hex { b.is_ascii_hexdigit() } else { b.is_ascii_digit() })
    };
    let value = if let Some(hex) = name.strip_prefix("#x") {
        digits(hex, true).then(|| u32::from_str_radix(hex, 16).ok()).flatten()
    } else if let Some(dec) = name.strip_prefix('#') {
        digits(dec, false).then(|| dec.parse::<u32>().ok()).flatten()
    } else {
        return match name {
            "lt" => Ok('<'),
            "gt" => Ok('>'),
            "amp" => Ok('&'),
            "apos" => Ok('\''),
            "quot" => Ok('"'),
            _ => Err(format!(
                "undefined entity &{name}; (only the five predefined entities exist without a DTD)"
            )),
        };
    };
    value
        .and_then(char::from_u32)
        .filter(|c| is_xml_char(*c))
        .ok_or_else(|| format!("&{name}; is not a legal XML character"))
}

fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(s: &str) -> Document {
        parse(s.as_bytes(), XmlLimits::default()).unwrap()
    }

    fn err(s: &[u8]) -> XmlError {
        parse(s, XmlLimits::default()).unwrap_err()
    }

    #[test]
    fn control_characters_are_found_where_they_are() {
        let naive = |b: &[u8]| b.iter().position(|&c| c < 0x20 && !b"\t\n\r".contains(&c));
        for len in [0, 1, 31, 32, 33, 64, 65, 200] {
            let mut text = vec![b'a'; len];
            text.iter_mut().step_by(7).for_each(|c| *c = b'\n');
            assert_eq!(first_control(&text), None);
            for at in (0..len).step_by(5) {
                for c in [0u8, 0x08, 0x1f] {
                    let mut bad = text.clone();
                    bad[at] = c;
                    assert_eq!(first_control(&bad), naive(&bad), "{len} {at} {c}");
                }
            }
        }
        let e = err(b"<a b=\"x\x01\">y</a>");
        assert!(e.message.contains("U+0001"), "{e}");
        assert_eq!(err(b"<a>xx\x02</a>").offset, 5);
    }

    #[test]
    fn slices_not_cut_from_the_text_are_checked() {
        let text = "<a b=\"\u{e9}\"/>";
        let inside = &text.as_bytes()[1..2];
        assert!(std::ptr::eq(utf8(text, inside).unwrap().as_ptr(), inside.as_ptr()));
        // Elsewhere: checked, and the same memory.
        let other = "\u{e9}";
        assert!(std::ptr::eq(utf8(text, other.as_bytes()).unwrap(), other));
        assert_eq!(utf8(text, b"\xff"), None);
        assert_eq!(utf8(text, &[]), Some(""));
        // Inside the text, but ending or starting within a character, or running past its end.
        assert_eq!(utf8(text, &text.as_bytes()[6..7]), None);
        assert_eq!(utf8(text, &text.as_bytes()[7..9]), None);
        let longer = format!("{text}tail");
        assert_eq!(utf8(&longer[..text.len()], &longer.as_bytes()[9..14]), Some("/>tai"));
    }

    #[test]
    fn names_kept_between_documents_are_resolved_afresh() {
        // The same prefix bound to another URI, in the next document on the same thread.
        let a = doc(r#"<p:r xmlns:p="urn:one" p:x="1"/>"#);
        let b = doc(r#"<p:r xmlns:p="urn:two" p:x="2"/>"#);
        for (d, uri) in [(&a, "urn:one"), (&b, "urn:two")] {
            let e = d.element(d.root).unwrap();
            assert_eq!((e.prefix(), e.local(), e.ns()), (Some("p"), "r", Some(uri)));
            assert_eq!(e.attrs().next().unwrap().ns(), Some(uri));
            assert_eq!(e.ns_decls().collect::<Vec<_>>(), [(Some("p"), uri)]);
        }
        // More names than the tables hold, and names longer than they keep.
        let long = "n".repeat(Interned::LONGEST + 1);
        let mut many = format!("<{long} xmlns=\"urn:{long}\">");
        for i in 0..2 * Interned::MOST {
            many.push_str(&format!("<e{i} xmlns:q{i}=\"urn:{i}\" q{i}:a=\"\"/>"));
        }
        many.push_str(&format!("</{long}>"));
        for _ in 0..2 {
            let d = doc(&many);
            assert_eq!(d.element(d.root).unwrap().ns(), Some(format!("urn:{long}").as_str()));
            for (i, c) in d.child_elements(d.root).enumerate() {
                let e = d.element(c).unwrap();
                assert_eq!(e.local(), format!("e{i}"));
                assert_eq!(e.attrs().next().unwrap().ns(), Some(format!("urn:{i}").as_str()));
            }
        }
    }

    #[test]
    fn text_normalisations() {
        let cases: &[(&str, &str)] = &[
            ("<a>x\r\ny</a>", "x\ny"),
            ("<a>x\ry</a>", "x\ny"),
            ("<a>&lt;&gt;&amp;&apos;&quot;</a>", "<>&'\""),
            ("<a>&#65;&#x42;&#xD;</a>", "AB\r"),
            ("<a><![CDATA[<b>&amp;\r\n]]></a>", "<b>&amp;\n"),
            ("<a>caf&#233; &#x20AC;</a>", "café €"),
        ];
        for (input, want) in cases {
            let d = doc(input);
            assert_eq!(d.text(d.root), *want, "{input}");
        }
    }

    #[test]
    fn attribute_normalisation() {
        let cases: &[(&str, &str)] = &[
            ("<a v=\"x\ty\"/>", "x y"),
            ("<a v=\"x\r\ny\"/>", "x y"),
            ("<a v=\"x\ny\"/>", "x y"),
            ("<a v=\"x&#xA;y&#9;\"/>", "x\ny\t"),
            ("<a v='&quot;q&quot;'/>", "\"q\""),
            ("<a v=\" lead  trail \"/>", " lead  trail "),
        ];
        for (input, want) in cases {
            let d = doc(input);
            assert_eq!(d.attr(d.root, "v"), Some(*want), "{input}");
        }
    }

    #[test]
    fn namespaces_resolve_per_element() {
        let d = doc(
            r#"<p:a xmlns:p="urn:p" xmlns="urn:d"><b p:x="1"><p:c xmlns:p="urn:q"/></b><e xmlns=""/></p:a>"#,
        );
        let root = d.element(d.root).unwrap();
        assert_eq!(root.ns(), Some("urn:p"));
        let b = d.child_elements(d.root).next().unwrap();
        assert_eq!(d.element(b).unwrap().ns(), Some("urn:d"));
        assert_eq!(d.element(b).unwrap().attrs().next().unwrap().ns(), Some("urn:p"));
        let c = d.child_elements(b).next().unwrap();
        assert_eq!(d.element(c).unwrap().ns(), Some("urn:q"));
        let e = d.child_elements(d.root).nth(1).unwrap();
        assert_eq!(d.element(e).unwrap().ns(), None);
    }

    #[test]
    fn spans_cover_the_markup() {
        let src = "<?xml version=\"1.0\"?>\n<a><b x='1'>t</b></a>";
        let d = doc(src);
        let b = d.child_elements(d.root).next().unwrap();
        assert_eq!(&src[d.span(b).unwrap()], "<b x='1'>t</b>");
        assert_eq!(&src[d.span(d.root).unwrap()], "<a><b x='1'>t</b></a>");
    }

    #[test]
    fn comment_splits_text_into_two_nodes() {
        let d = doc("<a>ada@acme.com<!---->.evil.com</a>");
        assert_eq!(d.children(d.root).count(), 3);
        assert_eq!(d.text(d.root), "ada@acme.com.evil.com");
    }

    #[test]
    fn refusals() {
        let cases: &[(&[u8], &str)] = &[
            (b"<!DOCTYPE a [<!ENTITY x 'y'>]><a>&x;</a>", "DOCTYPE refused"),
            (b"<!DOCTYPE a SYSTEM 'file:///etc/passwd'><a/>", "DOCTYPE refused"),
            (b"<a>&x;</a>", "undefined entity &x;"),
            (b"<a>&#0;</a>", "not a legal XML character"),
            (b"<a>&#x+41;</a>", "not a legal XML character"),
            (b"<a>x\x01y</a>", "not allowed in XML"),
            (b"<a>x]]>y</a>", "\"]]>\" is not allowed in character data"),
            (b"<a v='\x02'/>", "not allowed in XML"),
            (b"<a><b></a>", "not well-formed"),
            (b"<a/><b/>", "more than one document element"),
            (b"<p:a/>", "prefix \"p\" is not declared"),
            (b"<a x='1' x='2'/>", "bad attribute"),
            (b"<a xmlns:p='urn:x' xmlns:q='urn:x' p:y='1' q:y='2'/>", "given twice"),
            (b"<a xmlns:p='urn:x' xmlns:p='urn:y'/>", "bad attribute: xmlns:p given twice"),
            (b"<a xmlns='urn:x' xmlns='urn:x'/>", "bad attribute: xmlns given twice"),
            (b"<a p:y='1' xmlns:p='urn:x' p:y='1'/>", "bad attribute: p:y given twice"),
            (b"<a>\xff</a>", "invalid UTF-8 at byte 3"),
            (b"", "no document element"),
            (b"<a>", "unclosed element"),
            (b"<?xml version='1.0' encoding='Shift_JIS'?><a/>", "not supported"),
            (b"hello", "text outside the document element"),
            (b"<root'x''m 'st=\"''z\"/>", "not a valid qualified name"),
            (b"<a 1b='x'/>", "not a valid qualified name"),
            (b"<a xmlns:1p='urn:x'/>", "not a valid namespace declaration"),
            (b"<a><?1pi data?></a>", "not a valid PI target"),
        ];
        for (input, want) in cases {
            let e = err(input);
            assert!(e.message.contains(want), "{:?}: {}", String::from_utf8_lossy(input), e);
        }
    }

    /// Every byte of a name counts in its hash, whatever its length: names that differ in
    /// one byte, or in length only, hash apart.
    #[test]
    fn the_name_hash_reads_every_byte() {
        let hash = |s: &str| Seeded(7).hash_one(s);
        let mut names = Vec::new();
        for len in 0..=24 {
            let base = "x".repeat(len);
            names.push(base.clone());
            for at in 0..len {
                let mut other = base.clone().into_bytes();
                other[at] = b'y';
                names.push(String::from_utf8(other).unwrap());
            }
        }
        let mut hashes: Vec<u64> = names.iter().map(|n| hash(n)).collect();
        hashes.sort_unstable();
        hashes.dedup();
        assert_eq!(hashes.len(), names.len());
    }

    /// Text is kept as written unless it holds a line end to normalise; '>' alone is fine.
    #[test]
    fn text_is_kept_or_normalised() {
        for (src, want) in [
            ("<a>x\r\ny\rz</a>", "x\ny\nz"),
            ("<a>a > b\t</a>", "a > b\t"),
            ("<a>\n  </a>", "\n  "),
        ] {
            let d = doc(src);
            assert_eq!(d.text(d.root), want, "{src:?}");
        }
    }

    /// A node's children and subtree, read from the subtree ends, are the nodes whose parent
    /// is that node and the nodes it is an ancestor of (read from the parent links), in order.
    #[test]
    fn children_and_descendants_agree_with_the_parents() {
        let d = doc("<!--a--><?p x?><r>t<a><b/>x<![CDATA[y]]>&amp;<c><!--c--></c></a><d/>u<e><f>g</f></e></r><!--z-->");
        for id in 0..d.len() {
            let kids: Vec<NodeId> = (0..d.len()).filter(|n| d.parent(*n) == Some(id)).collect();
            assert_eq!(d.children(id).collect::<Vec<_>>(), kids, "children of {id}");
            let below: Vec<NodeId> = (0..d.len()).filter(|n| d.is_within(*n, id)).collect();
            assert_eq!(d.descendants(id).collect::<Vec<_>>(), below, "descendants of {id}");
        }
        assert_eq!(d.descendants(d.len()), d.len()..d.len());
        assert_eq!(d.children(d.len()).count(), 0);
    }

    /// A prefix may be declared after an attribute that uses it, on the same element.
    #[test]
    fn attributes_resolve_against_every_declaration_of_their_element() {
        let d = doc("<a p:y='1' xmlns:p='urn:x' z='2'><p:b q:w='3' xmlns:q='urn:q'/></a>");
        let a = d.element(d.root).unwrap();
        let names: Vec<_> = a.attrs().map(|a| (a.ns(), a.local(), a.value())).collect();
        assert_eq!(names, [(Some("urn:x"), "y", "1"), (None, "z", "2")]);
        let b = d.element(d.child_elements(d.root).next().unwrap()).unwrap();
        assert_eq!(b.ns(), Some("urn:x"));
        assert_eq!(b.attrs().next().unwrap().ns(), Some("urn:q"));
    }

    #[test]
    fn error_position_is_line_and_column() {
        let e = err(b"<a>\n  <b>&bogus;</b></a>");
        assert_eq!((e.line, e.column), (2, 6));
    }

    #[test]
    fn depth_and_node_limits() {
        let deep = "<a>".repeat(100_000);
        let e = err(deep.as_bytes());
        assert!(e.message.contains("nested deeper than 256"), "{e}");
        let wide = format!("<a>{}</a>", "<b/>".repeat(1000));
        let e = parse(wide.as_bytes(), XmlLimits { max_nodes: 100, ..XmlLimits::default() })
            .unwrap_err();
        assert!(e.message.contains("more than 100 nodes"), "{e}");
        let attrs: String = (0..300).map(|i| format!(" a{i}='x'")).collect();
        let e = err(format!("<a{attrs}/>").as_bytes());
        assert!(e.message.contains("more than 256 attributes"), "{e}");
        let level = |l: usize| -> String {
            let decls: String = (0..250).map(|i| format!(" xmlns:p{l}x{i}='urn:{i}'")).collect();
            format!("<e{decls}>")
        };
        let nested: String = (0..5).map(level).collect();
        let e = err(nested.as_bytes());
        assert!(e.message.contains("more than 1024 namespace declarations"), "{e}");
    }

    #[test]
    fn latin1_is_transcoded() {
        let d = doc_bytes(b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>caf\xe9</a>");
        assert_eq!(d.text(d.root), "caf\u{e9}");
    }

    fn doc_bytes(b: &[u8]) -> Document {
        parse(b, XmlLimits::default()).unwrap()
    }

    #[test]
    fn bom_and_declaration_are_accepted() {
        let d = doc("\u{feff}<?xml version=\"1.0\" encoding=\"UTF-8\"?><a>x</a>");
        assert_eq!(d.text(d.root), "x");
    }
}

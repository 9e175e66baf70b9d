//! StateLab's own small JSON reader and writer, for the two JSON documents the page still meets: the metadata of
//! version-1 checkpoint blobs (read by [`metadata_v1`](crate::engine::checkpoint::metadata_v1)) and the records
//! the page keeps in IndexedDB beside each blob (`src/player/stored_checkpoint.rs`). A pull reader: the caller walks the
//! document in the shape it expects (`object`, `array`, `string`, `u64`, …), so nothing is built that the shape
//! does not ask for, lists can be bounded while they are read, and the page carries no generic deserializer (the
//! CLI keeps `serde_json` for its own files and output).
//!
//! Strict RFC 8259, read the way `serde_json` reads into typed Rust values — so that everything a version-1 blob
//! held opens to the same values: no trailing characters, no leading zeros, control characters only escaped,
//! UTF-8 checked, surrogate pairs joined and lone surrogates refused, nesting at most 128 deep; an integer field
//! takes only an integer within its type, a float field any number that is finite. Every error is a position and
//! English words, never a panic.

use std::borrow::Cow;

/// Nesting depth at most (`serde_json`'s recursion limit).
const MAX_DEPTH: u32 = 128;

/// Why a document does not read: where (a byte offset into it) and what, in the parser's English words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonError {
    pub offset: usize,
    pub detail: String,
}

impl JsonError {
    /// The 1-based line and column of the error in `src` (columns count bytes, as `serde_json`'s do).
    pub fn line_column(&self, src: &[u8]) -> (usize, usize) {
        let before = &src[..self.offset.min(src.len())];
        let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
        let column = before.len()
            - before
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
        (line, column + 1)
    }
}

/// The document does not read; the reader keeps why ([`Reader::failure`]). A unit error, so that passing it on
/// (`?`) costs the page no code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stop;

pub type Result<T> = std::result::Result<T, Stop>;

/// A number as written: its text, and whether it has a sign, a fraction or an exponent.
struct Number<'a> {
    text: &'a str,
    negative: bool,
    integer: bool,
}

/// Reads one JSON document from bytes.
#[derive(Clone)]
pub struct Reader<'a> {
    src: &'a [u8],
    at: usize,
    depth: u32,
    failure: Option<JsonError>,
}

impl<'a> Reader<'a> {
    pub fn new(src: &'a [u8]) -> Self {
        Reader {
            src,
            at: 0,
            depth: 0,
            failure: None,
        }
    }

    /// Why the document did not read, after a [`Stop`].
    pub fn failure(&mut self) -> JsonError {
        self.failure.take().unwrap_or(JsonError {
            offset: self.at,
            detail: String::new(),
        })
    }

    /// Stops reading at `offset`, for the reason `detail`.
    #[cold]
    #[inline(never)]
    pub fn stop_at(&mut self, offset: usize, detail: String) -> Stop {
        self.failure = Some(JsonError { offset, detail });
        Stop
    }

    /// An error at the current position.
    pub fn error<T>(&mut self, detail: &str) -> Result<T> {
        Err(self.stop_at(self.at, detail.to_owned()))
    }

    /// An error at the current position, its words formatted.
    pub fn error_owned<T>(&mut self, detail: String) -> Result<T> {
        Err(self.stop_at(self.at, detail))
    }

    fn whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.src.get(self.at) {
            self.at += 1;
        }
    }

    /// The next byte that is not whitespace, not consumed.
    pub fn peek(&mut self) -> Option<u8> {
        self.whitespace();
        self.src.get(self.at).copied()
    }

    fn eof<T>(&mut self) -> Result<T> {
        self.error("EOF while parsing a value")
    }

    /// Consumes `word` (`null`, `true`, `false`) if the document has it here.
    fn word(&mut self, word: &[u8]) -> Result<bool> {
        if self.peek() != Some(word[0]) {
            return Ok(false);
        }
        if self.src[self.at..].starts_with(word) {
            self.at += word.len();
            Ok(true)
        } else {
            self.error("expected ident")
        }
    }

    /// The end of the document: only whitespace may follow the value.
    pub fn end(&mut self) -> Result<()> {
        match self.peek() {
            None => Ok(()),
            Some(_) => self.error("trailing characters"),
        }
    }

    /// `null` here (consumed, `true`) or another value (left for the caller, `false`).
    pub fn null(&mut self) -> Result<bool> {
        self.word(b"null")
    }

    pub fn bool(&mut self) -> Result<bool> {
        if self.word(b"true")? {
            Ok(true)
        } else if self.word(b"false")? {
            Ok(false)
        } else {
            self.invalid_type("a boolean")
        }
    }

    /// The value here is not what the field takes: says which kind it is, without reading it.
    pub fn invalid_type<T>(&mut self, expected: &str) -> Result<T> {
        let found = match self.peek() {
            None => return self.eof(),
            Some(b'"') => "string",
            Some(b'{') => "map",
            Some(b'[') => "sequence",
            Some(b'n') => "null",
            Some(b't' | b'f') => "boolean",
            Some(b'-' | b'0'..=b'9') => "number",
            Some(_) => return self.error("expected value"),
        };
        self.error_owned(format!("invalid type: {found}, expected {expected}"))
    }

    fn enter(&mut self, open: u8, expected: &str) -> Result<()> {
        if self.peek() != Some(open) {
            return self.invalid_type(expected);
        }
        if self.depth == MAX_DEPTH {
            return self.error("recursion limit exceeded");
        }
        self.depth += 1;
        self.at += 1;
        Ok(())
    }

    /// After an element of a list or a member of an object: `,` (`true`, another follows) or the closing byte.
    fn next_or_close(&mut self, close: u8, first: bool) -> Result<bool> {
        match self.peek() {
            Some(b) if b == close => {
                self.at += 1;
                self.depth -= 1;
                Ok(false)
            }
            Some(b',') if !first => {
                self.at += 1;
                if self.peek() == Some(close) {
                    return self.error("trailing comma");
                }
                Ok(true)
            }
            None => self.eof(),
            Some(_) if first => Ok(true),
            Some(_) => self.error(if close == b']' {
                "expected `,` or `]`"
            } else {
                "expected `,` or `}`"
            }),
        }
    }

    /// An object: `member` is called with each name, and must read (or [`Reader::skip`]) its value.
    /// (A `dyn` callback: one copy of the reader's loop in the binary, however many kinds of object it reads.)
    pub fn object(&mut self, member: &mut dyn FnMut(&mut Self, &str) -> Result<()>) -> Result<()> {
        self.enter(b'{', "a map")?;
        let mut first = true;
        while self.next_or_close(b'}', first)? {
            first = false;
            let name = match self.peek() {
                Some(b'"') => self.cow_string(usize::MAX)?,
                None => return self.eof(),
                Some(_) => return self.error("key must be a string"),
            };
            match self.peek() {
                Some(b':') => self.at += 1,
                None => return self.eof(),
                Some(_) => return self.error("expected `:`"),
            }
            member(self, &name)?;
        }
        Ok(())
    }

    /// A list: `element` is called for each element, and must read (or [`Reader::skip`]) it.
    pub fn array(&mut self, element: &mut dyn FnMut(&mut Self) -> Result<()>) -> Result<()> {
        self.enter(b'[', "a sequence")?;
        let mut first = true;
        while self.next_or_close(b']', first)? {
            first = false;
            element(self)?;
        }
        Ok(())
    }

    /// A list of strings, each cut just beyond `max_bytes` and at most `max_len + 1` of them kept (one more than
    /// `max_len` says the list was longer): memory bounded by the caps, whatever the document holds.
    pub fn bounded_strings(&mut self, max_len: usize, max_bytes: usize) -> Result<Vec<String>> {
        let mut list = Vec::new();
        self.array(&mut |r| {
            if list.len() <= max_len {
                let s = r.string_cut(max_bytes.saturating_add(1))?;
                list.push(s);
                Ok(())
            } else {
                r.skip()
            }
        })?;
        Ok(list)
    }

    pub fn string(&mut self) -> Result<String> {
        self.string_cut(usize::MAX)
    }

    /// A string, keeping its shortest prefix of at least `keep` bytes that ends on a character boundary (all of
    /// it when shorter): a key too long to be one is still seen to be too long, without holding all of it.
    pub fn string_cut(&mut self, keep: usize) -> Result<String> {
        if self.peek() != Some(b'"') {
            return self.invalid_type("a string");
        }
        Ok(self.cow_string(keep)?.into_owned())
    }

    /// Reads the string at `"`; borrowed from the document when it has no escapes and is kept whole.
    fn cow_string(&mut self, keep: usize) -> Result<Cow<'a, str>> {
        self.at += 1;
        let mut out: Option<String> = None;
        let mut run = self.at;
        loop {
            let Some(&b) = self.src.get(self.at) else {
                return self.error("EOF while parsing a string");
            };
            match b {
                b'"' | b'\\' => {
                    let text = self.utf8(run, self.at)?;
                    if b == b'"' && out.is_none() && text.len() <= keep {
                        self.at += 1;
                        return Ok(Cow::Borrowed(text));
                    }
                    let s = out.get_or_insert_with(String::new);
                    push_cut(s, text, keep);
                    self.at += 1;
                    if b == b'"' {
                        return Ok(Cow::Owned(out.unwrap_or_default()));
                    }
                    let c = self.escape()?;
                    if s.len() < keep {
                        s.push(c);
                    }
                    run = self.at;
                }
                0..=0x1f => {
                    return self
                        .error("control character (\\u0000-\\u001F) found while parsing a string")
                }
                _ => self.at += 1,
            }
        }
    }

    fn utf8(&mut self, from: usize, to: usize) -> Result<&'a str> {
        let src = self.src;
        std::str::from_utf8(&src[from..to]).map_err(|e| {
            self.stop_at(
                from + e.valid_up_to(),
                "invalid unicode code point".to_owned(),
            )
        })
    }

    /// The character of the escape after `\`.
    fn escape(&mut self) -> Result<char> {
        let Some(&b) = self.src.get(self.at) else {
            return self.error("EOF while parsing a string");
        };
        self.at += 1;
        Ok(match b {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let high = self.hex4()?;
                let code = match high {
                    0xD800..=0xDBFF => {
                        if self.src.get(self.at..self.at + 2) != Some(b"\\u") {
                            return self.error("lone leading surrogate in hex escape");
                        }
                        self.at += 2;
                        let low = self.hex4()?;
                        if !(0xDC00..=0xDFFF).contains(&low) {
                            return self.error("lone leading surrogate in hex escape");
                        }
                        0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                    }
                    0xDC00..=0xDFFF => return self.error("lone trailing surrogate in hex escape"),
                    other => other,
                };
                match char::from_u32(code) {
                    Some(c) => c,
                    None => return self.error("invalid unicode code point"),
                }
            }
            _ => {
                self.at -= 1;
                return self.error("invalid escape");
            }
        })
    }

    fn hex4(&mut self) -> Result<u32> {
        let mut v = 0;
        for _ in 0..4 {
            let Some(&b) = self.src.get(self.at) else {
                return self.error("EOF while parsing a string");
            };
            let Some(d) = char::from(b).to_digit(16) else {
                return self.error("invalid escape");
            };
            v = v * 16 + d;
            self.at += 1;
        }
        Ok(v)
    }

    /// Reads a number's text: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    fn number(&mut self, expected: &str) -> Result<Number<'a>> {
        match self.peek() {
            Some(b'-' | b'0'..=b'9') => {}
            _ => return self.invalid_type(expected),
        }
        let start = self.at;
        let negative = self.src[self.at] == b'-';
        if negative {
            self.at += 1;
        }
        let digits = |r: &mut Self| {
            let from = r.at;
            while r.src.get(r.at).is_some_and(u8::is_ascii_digit) {
                r.at += 1;
            }
            r.at - from
        };
        match self.src.get(self.at) {
            Some(b'0') => {
                self.at += 1;
                if self.src.get(self.at).is_some_and(u8::is_ascii_digit) {
                    return self.error("invalid number");
                }
            }
            Some(b'1'..=b'9') => {
                digits(self);
            }
            None => return self.eof(),
            Some(_) => return self.error("invalid number"),
        }
        let mut integer = true;
        if self.src.get(self.at) == Some(&b'.') {
            self.at += 1;
            integer = false;
            if digits(self) == 0 {
                return self.error("invalid number");
            }
        }
        if let Some(b'e' | b'E') = self.src.get(self.at) {
            self.at += 1;
            integer = false;
            if let Some(b'+' | b'-') = self.src.get(self.at) {
                self.at += 1;
            }
            if digits(self) == 0 {
                return self.error("invalid number");
            }
        }
        // Only ASCII was read.
        let text = std::str::from_utf8(&self.src[start..self.at]).unwrap_or_default();
        Ok(Number {
            text,
            negative,
            integer,
        })
    }

    /// An unsigned integer: written without a sign, a fraction or an exponent, at most `u64::MAX`.
    pub fn u64(&mut self) -> Result<u64> {
        self.whitespace();
        let start = self.at;
        let n = self.number("u64")?;
        let value = if n.integer && !n.negative {
            n.text.parse::<u64>().ok()
        } else {
            None
        };
        match value {
            Some(v) => Ok(v),
            None => {
                let what = if n.integer && n.negative && n.text != "-0" {
                    format!("invalid value: integer `{}`, expected u64", n.text)
                } else {
                    format!("invalid type: floating point `{}`, expected u64", n.text)
                };
                Err(self.stop_at(start, what))
            }
        }
    }

    /// An unsigned integer of at most `max` (`what` names its type in the error).
    fn at_most(&mut self, max: u64, what: &str) -> Result<u64> {
        self.whitespace();
        let at = self.at;
        let v = self.u64()?;
        if v > max {
            return Err(self.stop_at(at, format!("invalid value: integer `{v}`, expected {what}")));
        }
        Ok(v)
    }

    pub fn u32(&mut self) -> Result<u32> {
        self.at_most(u64::from(u32::MAX), "u32").map(|v| v as u32)
    }

    pub fn u8(&mut self) -> Result<u8> {
        self.at_most(u64::from(u8::MAX), "u8").map(|v| v as u8)
    }

    pub fn usize(&mut self) -> Result<usize> {
        self.at_most(usize::MAX as u64, "usize").map(|v| v as usize)
    }

    /// Any finite number; an integer converts as Rust's `as` does, like `serde_json`.
    pub fn f64(&mut self) -> Result<f64> {
        let n = self.number("f64")?;
        if n.integer {
            if n.negative {
                if let Ok(v) = n.text.parse::<i64>() {
                    if n.text != "-0" {
                        return Ok(v as f64);
                    }
                }
            } else if let Ok(v) = n.text.parse::<u64>() {
                return Ok(v as f64);
            }
        }
        match super::decimal::parse_f64(n.text) {
            Some(v) if v.is_finite() => Ok(v),
            _ => self.error("number out of range"),
        }
    }

    /// A number read as `f64` and narrowed, like `serde_json` reads an `f32` (integers converted directly).
    pub fn f32(&mut self) -> Result<f32> {
        self.whitespace();
        let at = self.at;
        let n = self.number("f32")?;
        if n.integer {
            if n.negative {
                if let Ok(v) = n.text.parse::<i64>() {
                    if n.text != "-0" {
                        return Ok(v as f32);
                    }
                }
            } else if let Ok(v) = n.text.parse::<u64>() {
                return Ok(v as f32);
            }
        }
        self.at = at;
        self.f64().map(|v| v as f32)
    }

    /// Reads past any value, checking its syntax. Iterative, so that any depth is read past (as `serde_json`
    /// ignores a value), with one byte of memory per level.
    pub fn skip(&mut self) -> Result<()> {
        // The closing byte of each container the value is inside.
        let mut open: Vec<u8> = Vec::new();
        loop {
            match self.peek() {
                None => return self.eof(),
                Some(b @ (b'{' | b'[')) => {
                    self.at += 1;
                    let close = if b == b'{' { b'}' } else { b']' };
                    if self.peek() == Some(close) {
                        self.at += 1;
                    } else {
                        open.push(close);
                        if close == b'}' {
                            self.member_name()?;
                        }
                        continue;
                    }
                }
                Some(b'"') => drop(self.cow_string(0)?),
                Some(b'-' | b'0'..=b'9') => {
                    self.number("")?;
                }
                Some(b'n') if self.null()? => {}
                Some(b't' | b'f') => drop(self.bool()?),
                Some(_) => return self.error("expected value"),
            }
            // After a value: close what ends here, up to the next element or member.
            loop {
                let Some(&close) = open.last() else {
                    return Ok(());
                };
                match self.peek() {
                    Some(b',') => {
                        self.at += 1;
                        if self.peek() == Some(close) {
                            return self.error("trailing comma");
                        }
                        if close == b'}' {
                            self.member_name()?;
                        }
                        break;
                    }
                    Some(b) if b == close => {
                        self.at += 1;
                        open.pop();
                    }
                    None => return self.eof(),
                    Some(_) if close == b']' => return self.error("expected `,` or `]`"),
                    Some(_) => return self.error("expected `,` or `}`"),
                }
            }
        }
    }

    /// A member's name and its `:`, skipped.
    fn member_name(&mut self) -> Result<()> {
        match self.peek() {
            Some(b'"') => drop(self.cow_string(0)?),
            None => return self.eof(),
            Some(_) => return self.error("key must be a string"),
        }
        match self.peek() {
            Some(b':') => {
                self.at += 1;
                Ok(())
            }
            None => self.eof(),
            Some(_) => self.error("expected `:`"),
        }
    }
}

/// Appends `text` to `s` until `s` holds at least `keep` bytes, ending on a character boundary.
fn push_cut(s: &mut String, text: &str, keep: usize) {
    if s.len() >= keep {
        return;
    }
    let room = keep - s.len();
    if text.len() <= room {
        s.push_str(text);
        return;
    }
    let mut end = room;
    while !text.is_char_boundary(end) {
        end += 1;
    }
    s.push_str(&text[..end]);
}

/// The error for an enum's value or tag it does not have.
pub fn unknown_variant<T>(r: &mut Reader<'_>, name: &str) -> Result<T> {
    r.error_owned(format!("unknown variant `{}`", excerpt(name)))
}

/// At most 48 characters of a name from the document, for an error message.
fn excerpt(text: &str) -> &str {
    match text.char_indices().nth(48) {
        Some((end, _)) => &text[..end],
        None => text,
    }
}

impl Reader<'_> {
    /// An object of the members `names` (at most 32), in any order, each at most once (`read` reads member
    /// `i`'s value). Other members are skipped, or refused with `deny_unknown`. Returns which members were there,
    /// bit `i` for member `i`.
    pub fn members(
        &mut self,
        names: &[&'static str],
        deny_unknown: bool,
        read: &mut dyn FnMut(&mut Self, usize) -> Result<()>,
    ) -> Result<u32> {
        let mut seen = 0u32;
        self.object(&mut |r, name| match names.iter().position(|n| *n == name) {
            Some(i) if seen & (1 << i) != 0 => r.error_owned(format!("duplicate field `{name}`")),
            Some(i) => {
                seen |= 1 << i;
                read(r, i)
            }
            None if deny_unknown => r.error_owned(format!("unknown field `{}`", excerpt(name))),
            None => r.skip(),
        })?;
        Ok(seen)
    }

    /// Refuses an object read by [`Reader::members`] that lacks one of the members `required` (indices).
    pub fn require(&mut self, names: &[&'static str], seen: u32, required: &[usize]) -> Result<()> {
        match required.iter().find(|&&i| seen & (1 << i) == 0) {
            Some(&i) => self.error_owned(format!("missing field `{}`", names[i])),
            None => Ok(()),
        }
    }

    /// The string value of an object's member `tag` (an internally tagged enum's `"type"`), wherever in the object
    /// it stands. Reads ahead on a copy: the reader stays before the object.
    pub fn tag(&mut self, tag: &'static str) -> Result<String> {
        let mut ahead = self.clone();
        let mut value = None;
        let seen = ahead.members(&[tag], false, &mut |r, _| {
            value = Some(r.string()?);
            Ok(())
        });
        let Ok(seen) = seen else {
            self.failure = ahead.failure;
            return Err(Stop);
        };
        self.require(&[tag], seen, &[0])?;
        Ok(value.unwrap_or_default())
    }
}

/// Reads `null` as `None`, anything else with `read`.
pub fn option<'a, T>(
    r: &mut Reader<'a>,
    read: impl FnOnce(&mut Reader<'a>) -> Result<T>,
) -> Result<Option<T>> {
    if r.null()? {
        Ok(None)
    } else {
        read(r).map(Some)
    }
}

/// Reads a list, each element with `read`.
pub fn list<'a, T>(
    r: &mut Reader<'a>,
    mut read: impl FnMut(&mut Reader<'a>) -> Result<T>,
) -> Result<Vec<T>> {
    let mut out = Vec::new();
    r.array(&mut |r| {
        out.push(read(r)?);
        Ok(())
    })?;
    Ok(out)
}

/// Reads a string naming one of `variants`.
pub fn variant<T: Copy>(r: &mut Reader<'_>, variants: &[(&str, T)]) -> Result<T> {
    let name = r.string()?;
    match variants.iter().find(|(n, _)| *n == name) {
        Some(&(_, v)) => Ok(v),
        None => unknown_variant(r, &name),
    }
}

/// Writes compact JSON, laid out as `serde_json::to_string` lays it out.
#[derive(Default)]
pub struct Writer {
    out: String,
    /// Whether the current object or list has a member already (one flag per open level).
    open: Vec<bool>,
    /// A member's name was written: its value follows without a comma.
    after_key: bool,
}

impl Writer {
    pub fn new() -> Self {
        Writer::default()
    }

    pub fn finish(self) -> String {
        self.out
    }

    /// A comma before a value or a member that is not the first.
    fn separate(&mut self) {
        if std::mem::take(&mut self.after_key) {
            return;
        }
        if let Some(has) = self.open.last_mut() {
            if std::mem::replace(has, true) {
                self.out.push(',');
            }
        }
    }

    pub fn begin_object(&mut self) -> &mut Self {
        self.separate();
        self.out.push('{');
        self.open.push(false);
        self
    }

    pub fn end_object(&mut self) -> &mut Self {
        self.open.pop();
        self.out.push('}');
        self
    }

    pub fn begin_array(&mut self) -> &mut Self {
        self.separate();
        self.out.push('[');
        self.open.push(false);
        self
    }

    pub fn end_array(&mut self) -> &mut Self {
        self.open.pop();
        self.out.push(']');
        self
    }

    /// A member's name; its value comes next.
    pub fn key(&mut self, name: &str) -> &mut Self {
        self.separate();
        self.quoted(name);
        self.out.push(':');
        self.after_key = true;
        self
    }

    pub fn string(&mut self, s: &str) -> &mut Self {
        self.separate();
        self.quoted(s);
        self
    }

    pub fn u64(&mut self, v: u64) -> &mut Self {
        self.separate();
        self.out.push_str(&v.to_string());
        self
    }

    /// A finite number as Rust prints it (`1.5`, `1733000000000`); `null` for anything else, as `serde_json`.
    pub fn f64(&mut self, v: f64) -> &mut Self {
        self.separate();
        if v.is_finite() {
            self.out.push_str(&super::decimal::shortest(v));
        } else {
            self.out.push_str("null");
        }
        self
    }

    pub fn null(&mut self) -> &mut Self {
        self.separate();
        self.out.push_str("null");
        self
    }

    fn quoted(&mut self, s: &str) {
        self.out.push('"');
        for c in s.chars() {
            match c {
                '"' => self.out.push_str("\\\""),
                '\\' => self.out.push_str("\\\\"),
                '\n' => self.out.push_str("\\n"),
                '\r' => self.out.push_str("\\r"),
                '\t' => self.out.push_str("\\t"),
                '\u{8}' => self.out.push_str("\\b"),
                '\u{c}' => self.out.push_str("\\f"),
                c if (c as u32) < 0x20 => {
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    self.out.push_str("\\u00");
                    self.out.push(char::from(HEX[(c as usize) >> 4]));
                    self.out.push(char::from(HEX[(c as usize) & 15]));
                }
                c => self.out.push(c),
            }
        }
        self.out.push('"');
    }
}

//! The page's Chinese text as a separately fetched asset, `www/zh.txt`: a reader of the default English page does
//! not download it inside the wasm (BENCHMARKS.md, "Size budget").
//!
//! The catalogue keeps both languages side by side in the source, as before. In the page's wasm, each Chinese
//! text is a key (a hash, computed while compiling, or for a plain message from its English when shown: the
//! Chinese itself is not in the binary); the page
//! fetches the pack before it first shows Chinese (`web::language`) and installs it (`install`), and `get` and
//! `fill` read it. Natively (the CLI, the tests) each text is used as written, so the tests read the same words
//! the page shows. The pack is written from the source by this module's test (`STATELAB_BLESS=1 cargo test --lib
//! i18n::pack` rewrites it; without it the test fails when the pack is out of date), so no Chinese text can miss
//! it.
//!
//! A plain message's Chinese is a `Text`'s (`messages!`), kept under [`text_key`] of its English (so the page's
//! wasm holds no key for it: two messages with the same English have the same Chinese, which the test checks);
//! a text with arguments is
//! written with `zh!` like `format!`, with every argument named and listed in the order the text first uses them,
//! which the compiler checks ([`arguments_in_order`]); it is kept under [`template_key`] with the names replaced
//! by their places (`{0}`, `{1}`, …) for `fill`; `zh_str!` is a plain Chinese text outside a `Text`.

/// The key of a plain Chinese text: FNV-1a over its UTF-8 bytes.
pub const fn key(text: &str) -> u32 {
    fnv(0x811c_9dc5, text)
}

/// The key of a plain message's Chinese: FNV-1a over its English (a third seed), computed in the page when the
/// message is shown.
pub const fn text_key(en: &str) -> u32 {
    fnv(0x5bd1_e995, en)
}

/// The key of a Chinese text with arguments (another seed: the same words as a plain text are another entry).
pub const fn template_key(template: &str) -> u32 {
    fnv(0x2e0b_6b1d, template)
}

const fn fnv(seed: u32, text: &str) -> u32 {
    let bytes = text.as_bytes();
    let mut hash = seed;
    let mut i = 0;
    while i < bytes.len() {
        hash ^= bytes[i] as u32;
        hash = hash.wrapping_mul(0x0100_0193);
        i += 1;
    }
    hash
}

/// Whether the `{name}`s of a `zh!` template (no format specs; `{{` and `}}` for braces) are exactly `names`,
/// listed in the order the template first uses them: what lets the page fill the template by position.
pub const fn arguments_in_order(template: &str, names: &[&str]) -> bool {
    let t = template.as_bytes();
    let mut seen = 0;
    let mut i = 0;
    while i < t.len() {
        if t[i] == b'{' && i + 1 < t.len() && t[i + 1] == b'{' {
            i += 2;
            continue;
        }
        if t[i] == b'}' {
            if i + 1 < t.len() && t[i + 1] == b'}' {
                i += 2;
                continue;
            }
            return false;
        }
        if t[i] != b'{' {
            i += 1;
            continue;
        }
        let start = i + 1;
        let mut end = start;
        while end < t.len() && t[end] != b'}' {
            let c = t[end];
            if !(c == b'_' || c.is_ascii_alphanumeric()) {
                return false;
            }
            end += 1;
        }
        if end == t.len() || end == start {
            return false;
        }
        // The name: one already seen, or the next in the list.
        let mut k = 0;
        let mut known = false;
        while k < seen {
            if same(t, start, end, names[k].as_bytes()) {
                known = true;
            }
            k += 1;
        }
        if !known {
            if seen == names.len() || !same(t, start, end, names[seen].as_bytes()) {
                return false;
            }
            seen += 1;
        }
        i = end + 1;
    }
    seen == names.len()
}

const fn same(t: &[u8], start: usize, end: usize, name: &[u8]) -> bool {
    if end - start != name.len() {
        return false;
    }
    let mut i = 0;
    while i < name.len() {
        if t[start + i] != name[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// An English template of `tr!` with its `{name}`s replaced by their places in `names` (`{0}` … `{9}`), while
/// compiling: the bytes (as many as the template's, the rest zero) and how many are used. A name not in `names`
/// (or a format spec) does not compile.
pub const fn numbered_by<const N: usize>(template: &str, names: &[&str]) -> ([u8; N], usize) {
    let t = template.as_bytes();
    let mut out = [0u8; N];
    let (mut i, mut o) = (0, 0);
    while i < t.len() {
        if (t[i] == b'{' || t[i] == b'}') && i + 1 < t.len() && t[i + 1] == t[i] {
            out[o] = t[i];
            out[o + 1] = t[i];
            o += 2;
            i += 2;
            continue;
        }
        if t[i] == b'{' {
            let start = i + 1;
            let mut end = start;
            while end < t.len() && t[end] != b'}' {
                end += 1;
            }
            let mut k = 0;
            while k < names.len() && !same(t, start, end, names[k].as_bytes()) {
                k += 1;
            }
            assert!(
                k < names.len() && k < 10 && end < t.len(),
                "the English text of a message uses an argument it does not list"
            );
            out[o] = b'{';
            out[o + 1] = b'0' + k as u8;
            out[o + 2] = b'}';
            o += 3;
            i = end + 1;
            continue;
        }
        out[o] = t[i];
        o += 1;
        i += 1;
    }
    (out, o)
}

/// A template's names replaced by their places in the order first used: `{a} {b} {a}` → `{0} {1} {0}`.
pub fn numbered(template: &str) -> String {
    let mut names: Vec<&str> = Vec::new();
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(i) = rest.find(['{', '}']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            out.push_str(&tail[..2]);
            rest = &tail[2..];
            continue;
        }
        let end = tail.find('}').unwrap_or(tail.len() - 1);
        let name = &tail[1..end];
        let place = names.iter().position(|n| *n == name).unwrap_or_else(|| {
            names.push(name);
            names.len() - 1
        });
        out.push_str(&format!("{{{place}}}"));
        rest = &tail[end + 1..];
    }
    out.push_str(rest);
    out
}

/// A numbered template filled: `{N}` is `args[N]`, `{{` and `}}` are braces.
pub fn fill_template(template: &str, args: &[&dyn std::fmt::Display]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(template.len() + 16 * args.len());
    let mut rest = template;
    while let Some(i) = rest.find(['{', '}']) {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            out.push_str(&tail[..1]);
            rest = &tail[2..];
            continue;
        }
        let end = tail.find('}').unwrap_or(tail.len() - 1);
        if let Some(arg) = tail[1..end].parse::<usize>().ok().and_then(|n| args.get(n)) {
            let _ = write!(out, "{arg}");
        }
        rest = &tail[end + 1..];
    }
    out.push_str(rest);
    out
}

/// The pack as a file: one `key<TAB>text` line per text, the key in 8 hex digits, in the order of the keys;
/// `\` `\n` `\t` written `\\` `\n` `\t`.
pub fn write(entries: &std::collections::BTreeMap<u32, String>) -> String {
    let mut out = String::new();
    for (key, text) in entries {
        out.push_str(&format!("{key:08x}\t"));
        for c in text.chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\t' => out.push_str("\\t"),
                c => out.push(c),
            }
        }
        out.push('\n');
    }
    out
}

/// Reads [`write()`]'s file; `None` for anything else.
pub fn read(file: &str) -> Option<Vec<(u32, String)>> {
    file.lines()
        .filter(|line| !line.is_empty())
        .map(|line| {
            let (key, text) = line.split_once('\t')?;
            let key = u32::from_str_radix(key, 16).ok()?;
            let mut out = String::with_capacity(text.len());
            let mut chars = text.chars();
            while let Some(c) = chars.next() {
                out.push(match (c, c == '\\') {
                    (_, true) => match chars.next()? {
                        'n' => '\n',
                        't' => '\t',
                        '\\' => '\\',
                        _ => return None,
                    },
                    (c, false) => c,
                });
            }
            Some((key, out))
        })
        .collect()
}

#[cfg(target_arch = "wasm32")]
mod installed {
    use std::sync::OnceLock;

    /// The pack's texts by key, in the order of the keys (as the file lists them): searched by halves rather than
    /// hashed, so no hash map of its own type is in the page's wasm (BENCHMARKS.md, "Size budget").
    pub static PACK: OnceLock<Vec<(u32, &'static str)>> = OnceLock::new();

    pub fn lookup(key: u32) -> Option<&'static str> {
        let pack = PACK.get()?;
        let i = pack.binary_search_by_key(&key, |&(k, _)| k).ok()?;
        Some(pack[i].1)
    }
}

/// Installs a fetched pack (once; the texts live as long as the page). `false` if it does not read, or its keys
/// are not in order, each once, as [`write()`] writes them.
#[cfg(target_arch = "wasm32")]
pub fn install(file: &str) -> bool {
    let Some(entries) = read(file) else {
        return false;
    };
    if !entries.windows(2).all(|w| w[0].0 < w[1].0) {
        return false;
    }
    let pack = entries
        .into_iter()
        .map(|(key, text)| (key, &*Box::leak(text.into_boxed_str())))
        .collect();
    let _ = installed::PACK.set(pack);
    true
}

/// Whether the pack is installed: the page shows Chinese only then.
#[cfg(target_arch = "wasm32")]
pub fn installed() -> bool {
    installed::PACK.get().is_some()
}

/// The Chinese text under a key (empty if the pack is missing or lacks it, which its test rules out).
#[cfg(target_arch = "wasm32")]
pub fn get(key: u32) -> &'static str {
    installed::lookup(key).unwrap_or("")
}

/// A plain message's Chinese, by its English; the English where the pack has none (a text the same in both
/// languages, `Text::same`).
#[cfg(target_arch = "wasm32")]
pub fn text(en: &'static str) -> &'static str {
    installed::lookup(text_key(en)).unwrap_or(en)
}

/// A message of `tr!` in the reader's language: the English numbered template or the Chinese one from the pack,
/// filled with the arguments both share.
#[cfg(target_arch = "wasm32")]
pub fn fill_lang(l: super::Lang, en: &str, key: u32, args: &[&dyn std::fmt::Display]) -> String {
    fill_template(
        match l {
            super::Lang::En => en,
            super::Lang::Zh => get(key),
        },
        args,
    )
}

/// A Chinese text with arguments, filled.
#[cfg(target_arch = "wasm32")]
pub fn fill(key: u32, args: &[&dyn std::fmt::Display]) -> String {
    fill_template(get(key), args)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn a_template_names_its_arguments_in_the_order_it_first_uses_them() {
        assert!(arguments_in_order("{a} 与 {b}，{a}", &["a", "b"]));
        assert!(arguments_in_order("无参数 {{}}", &[]));
        assert!(!arguments_in_order("{b} 与 {a}", &["a", "b"]));
        assert!(!arguments_in_order("{a}", &["a", "b"]));
        assert!(!arguments_in_order("{a} {b}", &["a"]));
        assert!(!arguments_in_order("{a:?}", &["a"]));
        assert!(!arguments_in_order("{}", &[]));
        assert!(!arguments_in_order("{a", &["a"]));
        assert_eq!(numbered("{a} 与 {b}，{a} {{x}}"), "{0} 与 {1}，{0} {{x}}");
        let (a, b) = (1, "二");
        assert_eq!(
            fill_template(&numbered("{a} 与 {b}，{a} {{x}}"), &[&a, &b]),
            format!("{a} 与 {b}，{a} {{x}}")
        );
    }

    #[test]
    fn an_english_template_is_numbered_by_the_argument_list() {
        const T: ([u8; 24], usize) =
            numbered_by::<24>("{b} of {a}, {{x}} {b} ok", &["a", "b", "c"]);
        let numbered = std::str::from_utf8(&T.0[..T.1]).unwrap();
        assert_eq!(numbered, "{1} of {0}, {{x}} {1} ok");
        let (a, b, c) = (1, "two", 3.5);
        assert_eq!(
            fill_template(numbered, &[&a, &b, &c]),
            format!("{b} of {a}, {{x}} {b} ok")
        );
    }

    #[test]
    fn the_pack_file_reads_back() {
        let entries: BTreeMap<u32, String> =
            [(1, "一\n二\t三\\".to_owned()), (key("键"), "键".to_owned())]
                .into_iter()
                .collect();
        let file = write(&entries);
        assert_eq!(read(&file), Some(entries.into_iter().collect()));
        assert_eq!(read("zz\tx"), None);
        assert_eq!(read("00000001\tx\\q"), None);
    }

    /// The Rust string literal starting at `s[0] == '"'`: its value, and the bytes it took.
    #[cfg(not(target_arch = "wasm32"))]
    fn literal(s: &str) -> (String, usize) {
        let mut out = String::new();
        let mut chars = s.char_indices().skip(1);
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => return (out, i + 1),
                '\\' => match chars.next().map(|(_, c)| c) {
                    Some('n') => out.push('\n'),
                    Some('t') => out.push('\t'),
                    Some('r') => out.push('\r'),
                    Some('0') => out.push('\0'),
                    Some('\\') => out.push('\\'),
                    Some('"') => out.push('"'),
                    Some('\'') => out.push('\''),
                    Some('\n') => {
                        // A line continuation: the newline and the next line's leading whitespace go.
                        while let Some((_, c)) = chars.clone().next() {
                            if !c.is_whitespace() {
                                break;
                            }
                            chars.next();
                        }
                    }
                    Some('u') => {
                        let mut hex = String::new();
                        for (_, c) in chars.by_ref() {
                            match c {
                                '{' => {}
                                '}' => break,
                                c => hex.push(c),
                            }
                        }
                        out.push(char::from_u32(u32::from_str_radix(&hex, 16).unwrap()).unwrap());
                    }
                    Some('x') => {
                        let hex: String = chars.by_ref().take(2).map(|(_, c)| c).collect();
                        out.push(char::from(u8::from_str_radix(&hex, 16).unwrap()));
                    }
                    other => panic!("escape {other:?} in a string literal"),
                },
                c => out.push(c),
            }
        }
        panic!("unterminated literal");
    }

    /// Every Chinese text of the catalogue, by key: the `messages!` texts, and the literals of every `zh!` and
    /// `zh_str!` in the source.
    #[cfg(not(target_arch = "wasm32"))]
    fn catalogue() -> BTreeMap<u32, String> {
        let mut entries = BTreeMap::new();
        let mut add = |key: u32, text: String| {
            if let Some(other) = entries.insert(key, text.clone()) {
                assert_eq!(other, text, "two texts share the key {key:08x}");
            }
        };
        for (_, _, text) in crate::i18n::messages::all() {
            add(text_key(text.en), text.zh.to_owned());
        }
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
        let mut files = vec![std::path::PathBuf::from(root)];
        while let Some(path) = files.pop() {
            if path.is_dir() {
                files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") || path.ends_with("pack.rs") {
                continue;
            }
            let source = std::fs::read_to_string(&path).unwrap();
            // `tr!(l, "English", "中文", …)`: the second literal.
            let mut rest = source.as_str();
            while let Some(i) = rest.find("tr!(") {
                let word = i == 0
                    || !rest.as_bytes()[i - 1].is_ascii_alphanumeric()
                        && rest.as_bytes()[i - 1] != b'_';
                rest = &rest[i + "tr!(".len()..];
                if !word {
                    continue;
                }
                let english = rest.find('"').unwrap();
                let (_, used) = literal(&rest[english..]);
                rest = &rest[english + used..];
                let chinese = rest.find('"').unwrap();
                let (text, used) = literal(&rest[chinese..]);
                rest = &rest[chinese + used..];
                add(template_key(&text), numbered(&text));
            }
            for (macro_name, template) in [("zh!(", true), ("zh_str!(", false)] {
                let mut rest = source.as_str();
                while let Some(i) = rest.find(macro_name) {
                    rest = rest[i + macro_name.len()..].trim_start();
                    if !rest.starts_with('"') {
                        continue;
                    }
                    let (text, used) = literal(rest);
                    rest = &rest[used..];
                    if template {
                        add(template_key(&text), numbered(&text));
                    } else {
                        add(key(&text), text);
                    }
                }
            }
        }
        entries
    }

    /// The Chinese string literals of a source file outside `messages!`, `zh!`, `zh_str!` and `tr!` (and outside its test
    /// module, last in the file): text that would be in the page's wasm. Comments, characters and raw strings are
    /// read past.
    #[cfg(not(target_arch = "wasm32"))]
    fn chinese_outside_the_pack(source: &str) -> Vec<String> {
        let source = source.split("\n#[cfg(test)]").next().unwrap_or_default();
        let cjk = |s: &str| s.chars().any(crate::i18n::messages::is_cjk);
        let mut found = Vec::new();
        let mut depth_of_messages = None;
        // Literals read since the last `tr!(`: its second is Chinese for the pack.
        let mut tr_literals = None;
        let mut depth = 0usize;
        let mut i = 0;
        let b = source.as_bytes();
        while i < b.len() {
            let rest = &source[i..];
            if rest.starts_with("//") {
                i += rest.find('\n').unwrap_or(rest.len());
            } else if rest.starts_with("/*") {
                i += rest.find("*/").map_or(rest.len(), |e| e + 2);
            } else if rest.starts_with("r\"") || rest.starts_with("r#\"") {
                let hashes = rest[1..].find('"').unwrap_or(0);
                let end = format!("\"{}", "#".repeat(hashes));
                i += 2
                    + hashes
                    + rest[2 + hashes..]
                        .find(&end)
                        .map_or(rest.len(), |e| e + end.len());
            } else if b[i] == b'\'' {
                // A character ('x', '\n', '\u{…}') or a lifetime ('a).
                let close = rest[1..]
                    .char_indices()
                    .take(12)
                    .find(|&(k, c)| c == '\'' && k > 0);
                i += match close {
                    Some((k, _)) if !rest[1..1 + k].contains(|c: char| c.is_whitespace()) => k + 2,
                    _ => 1,
                };
            } else if b[i] == b'"' {
                let (text, used) = literal(rest);
                let before = source[..i].trim_end();
                let in_tr = tr_literals == Some(1);
                tr_literals = tr_literals.map(|n| n + 1);
                let in_macro = before.ends_with("zh!(") || before.ends_with("zh_str!(") || in_tr;
                if cjk(&text) && !in_macro && depth_of_messages.is_none() {
                    found.push(text);
                }
                i += used;
            } else {
                if rest.starts_with("tr!(")
                    && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_'))
                {
                    tr_literals = Some(0);
                }
                match b[i] {
                    b'{' => {
                        if depth_of_messages.is_none()
                            && source[..i].trim_end().ends_with("messages!")
                        {
                            depth_of_messages = Some(depth);
                        }
                        depth += 1;
                    }
                    b'}' => {
                        depth = depth.saturating_sub(1);
                        if depth_of_messages == Some(depth) {
                            depth_of_messages = None;
                        }
                    }
                    _ => {}
                }
                i += rest.chars().next().map_or(1, char::len_utf8);
            }
        }
        found
    }

    /// Chinese text written as a plain literal would be in the page's wasm, which the pack keeps it out of: every
    /// Chinese text of the source is in `messages!`, `zh!` or `zh_str!`, but the language switch's own name.
    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn no_chinese_text_is_left_outside_the_pack() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
        let mut files = vec![std::path::PathBuf::from(root)];
        let mut left = Vec::new();
        while let Some(path) = files.pop() {
            if path.is_dir() {
                files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
                continue;
            }
            // The coverage checks are a test module of their own.
            if path.extension().is_none_or(|e| e != "rs")
                || path.ends_with("pack.rs")
                || path.ends_with("coverage.rs")
            {
                continue;
            }
            let source = std::fs::read_to_string(&path).unwrap();
            left.extend(
                chinese_outside_the_pack(&source)
                    .into_iter()
                    .map(|text| format!("{}: {text:?}", path.display())),
            );
        }
        // `中文` names the language on the English page too (the switch).
        left.retain(|l| !(l.ends_with("i18n/mod.rs: \"中文\"")));
        assert!(
            left.is_empty(),
            "Chinese text outside the pack:\n{}",
            left.join("\n")
        );
        assert_eq!(
            chinese_outside_the_pack("messages! { A = \"a\", \"甲\"; }\nfn f() { zh!(\"乙 {x}\", x); tr!(l, \"x {a}\", \"己 {a}\", a); zh_str!(\"庚\"); g('\\'', \"丙\"); } // \"丁\"\n#[cfg(test)]\nmod t { \"戊\" }"),
            ["丙"]
        );
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn the_pack_holds_every_chinese_text_of_the_source() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/www/zh.txt");
        let expected = write(&catalogue());
        if std::env::var_os("STATELAB_BLESS").is_some() {
            std::fs::write(path, &expected).unwrap();
        }
        let actual = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            actual == expected,
            "www/zh.txt is not the catalogue's Chinese text: STATELAB_BLESS=1 cargo test --lib i18n::pack rewrites it"
        );
        assert!(read(&actual).is_some());
    }
}

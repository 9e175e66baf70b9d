//! Java literals in generated source: strings escaped so that any text compiles to itself, `long`s and
//! `double`s that Java reads back to the very value StateLab holds.

/// A Java string literal for `text`: quotes and backslashes escaped, control characters as octal escapes, every
/// non-ASCII character as `\uXXXX` (so the file is ASCII whatever the compiler's encoding). Line terminators are
/// written `\n`/`\r`: a `\u000a` would end the line before javac reads the literal.
pub(super) fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\{:03o}", c as u32)),
            c if c.is_ascii() && c != '\u{7f}' => out.push(c),
            c => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }
    out.push('"');
    out
}

/// A Java `long` literal holding the bits of `value` (Java has no unsigned long: above `Long.MAX_VALUE` it is
/// written in hex, the same 64 bits).
pub(super) fn long(value: u64) -> String {
    if value <= i64::MAX as u64 {
        format!("{value}L")
    } else {
        format!("0x{value:X}L")
    }
}

/// A Java `double` literal that reads back to exactly `value` (Rust's shortest round-trip form; finite values
/// only, which the configuration's checks guarantee).
pub(super) fn double(value: f64) -> String {
    format!("{value:?}")
}

/// A Java `int` literal, `Integer.MAX_VALUE` for the largest (StateLab's `u32` counts that Flink takes as an
/// `int` are capped there: more attempts than that are as good as unlimited).
pub(super) fn int(value: u32) -> String {
    if value >= i32::MAX as u32 {
        "Integer.MAX_VALUE".to_owned()
    } else {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_so_that_javac_reads_them_back() {
        assert_eq!(string("user-"), "\"user-\"");
        assert_eq!(string("a\"b\\c"), "\"a\\\"b\\\\c\"");
        assert_eq!(string("\n\r\t\u{1}"), "\"\\n\\r\\t\\001\"");
        assert_eq!(string("键😀"), "\"\\u952e\\ud83d\\ude00\"");
    }

    #[test]
    fn numbers_keep_their_bits() {
        assert_eq!(long(42), "42L");
        assert_eq!(long(u64::MAX), "0xFFFFFFFFFFFFFFFFL");
        assert_eq!(double(1.0), "1.0");
        assert_eq!(double(1e-7), "1e-7");
        assert_eq!(double(0.1), "0.1");
        assert_eq!(int(3), "3");
        assert_eq!(int(u32::MAX), "Integer.MAX_VALUE");
    }
}

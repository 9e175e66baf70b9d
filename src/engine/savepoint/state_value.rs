//! A value read from a snapshot by one of Flink's serializers — the Java object a `TypeSerializer.deserialize`
//! returns, as data: a `Long`, a `String`, an `ArrayList`, a `HashMap`, a `Tuple2`, a POJO, a `Row`, or, for a
//! serializer StateLab does not know (Kryo, Avro, a user's own), its class and raw bytes. Written as JSON for
//! `statelab inspect --dump` by [`StateValue::write_json`] (no serde: the page uses it too).

use std::fmt::Write;

#[derive(Clone, Debug, PartialEq)]
pub enum StateValue {
    /// Java `null` (a null field of a POJO or `Row`, a null map value) and `VoidNamespace`.
    Null,
    Bool(bool),
    /// `Byte`, `Short`, `Integer`, `Long`.
    Int(i64),
    /// `Float`, `Double`.
    Float(f64),
    Char(char),
    Str(String),
    /// `byte[]`.
    Bytes(Vec<u8>),
    /// `List`, arrays, a list state's elements.
    List(Vec<StateValue>),
    /// `Map` (and a map state), in the order the snapshot holds the entries.
    Map(Vec<(StateValue, StateValue)>),
    /// A `Tuple` (fields `f0`, `f1`, …), a POJO (its fields by name), a `TimeWindow` (`start`, `end`).
    Record(Vec<(String, StateValue)>),
    /// A `Row`: its kind (`+I`, `-U`, `+U`, `-D`) and positional fields.
    Row {
        kind: u8,
        fields: Vec<StateValue>,
    },
    /// Bytes no known serializer reads: the serializer's (snapshot) class name and the bytes.
    Raw {
        class: String,
        bytes: Vec<u8>,
    },
}

impl StateValue {
    /// The value as JSON: numbers, strings, arrays (lists, rows, `byte[]` as numbers 0–255), objects (maps with
    /// their keys as text, records by field name), `{"class": …, "bytes": "<hex>"}` for raw bytes. Non-finite
    /// floating-point numbers are the strings `NaN`, `Infinity`, `-Infinity`.
    pub fn write_json(&self, out: &mut String) {
        match self {
            StateValue::Null => out.push_str("null"),
            StateValue::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            StateValue::Int(v) => {
                let _ = write!(out, "{v}");
            }
            StateValue::Float(v) => write_f64(*v, out),
            StateValue::Char(c) => write_json_string(c.encode_utf8(&mut [0; 4]), out),
            StateValue::Str(s) => write_json_string(s, out),
            StateValue::Bytes(b) => {
                out.push('[');
                for (i, byte) in b.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    let _ = write!(out, "{byte}");
                }
                out.push(']');
            }
            StateValue::List(items) => write_array(items, out),
            StateValue::Row { fields, .. } => write_array(fields, out),
            StateValue::Map(entries) => {
                out.push('{');
                for (i, (k, v)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_json_string(&k.key_text(), out);
                    out.push(':');
                    v.write_json(out);
                }
                out.push('}');
            }
            StateValue::Record(fields) => {
                out.push('{');
                for (i, (name, v)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_json_string(name, out);
                    out.push(':');
                    v.write_json(out);
                }
                out.push('}');
            }
            StateValue::Raw { class, bytes } => {
                out.push_str("{\"class\":");
                write_json_string(class, out);
                out.push_str(",\"bytes\":\"");
                for b in bytes {
                    let _ = write!(out, "{b:02x}");
                }
                out.push_str("\"}");
            }
        }
    }

    /// The value as JSON text.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out);
        out
    }

    /// The text of a map key in JSON: a string as it is, anything else as its JSON.
    pub fn key_text(&self) -> String {
        match self {
            StateValue::Str(s) => s.clone(),
            StateValue::Char(c) => c.to_string(),
            other => other.to_json(),
        }
    }

    /// A short human rendering (the summary's key and value columns): JSON, cut at `max` characters.
    pub fn display(&self, max: usize) -> String {
        let text = self.to_json();
        match text.char_indices().nth(max) {
            Some((end, _)) => format!("{}…", &text[..end]),
            None => text,
        }
    }
}

fn write_array(items: &[StateValue], out: &mut String) {
    out.push('[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        item.write_json(out);
    }
    out.push(']');
}

fn write_f64(v: f64, out: &mut String) {
    if v.is_nan() {
        out.push_str("\"NaN\"");
    } else if v.is_infinite() {
        out.push_str(if v > 0.0 {
            "\"Infinity\""
        } else {
            "\"-Infinity\""
        });
    } else if v == v.trunc() && v.abs() < 1e15 {
        // Integral values keep a fraction digit, as Java prints a double (`3.0`).
        let _ = write!(out, "{v:.1}");
    } else {
        let _ = write!(out, "{v}");
    }
}

/// `text` as a JSON string.
pub fn write_json_string(text: &str, out: &mut String) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_write_as_json_that_serde_reads_back() {
        let v = StateValue::Record(vec![
            ("f0".into(), StateValue::Str("a\"b\n".into())),
            ("f1".into(), StateValue::Int(-3)),
            ("f2".into(), StateValue::Float(2.0)),
            ("f3".into(), StateValue::Float(f64::NAN)),
            (
                "f4".into(),
                StateValue::Map(vec![
                    (
                        StateValue::Str("x".into()),
                        StateValue::List(vec![StateValue::Null]),
                    ),
                    (StateValue::Int(7), StateValue::Bytes(vec![0, 255])),
                ]),
            ),
            (
                "f5".into(),
                StateValue::Raw {
                    class: "K".into(),
                    bytes: vec![1, 0xab],
                },
            ),
        ]);
        let parsed: serde_json::Value = serde_json::from_str(&v.to_json()).unwrap();
        assert_eq!(
            parsed,
            serde_json::json!({"f0": "a\"b\n", "f1": -3, "f2": 2.0, "f3": "NaN",
                "f4": {"x": [null], "7": [0, 255]}, "f5": {"class": "K", "bytes": "01ab"}})
        );
    }
}

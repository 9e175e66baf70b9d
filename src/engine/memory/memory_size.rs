//! `org.apache.flink.configuration.MemorySize`: a non-negative number of bytes, parsed from Flink's memory
//! option syntax (`1728m`, `1 g`, `512MB`, `100`) and multiplied by fractions exactly the way Flink does.
//!
//! Flink stores the bytes in a Java `long`, so every value here is at most [`MemorySize::MAX_VALUE`]
//! (`Long.MAX_VALUE`). [`MemorySize::multiply`] reproduces `MemorySize.multiply(double)` bit for bit: the `float`
//! fraction options are widened to `double` and turned into a `BigDecimal` through `Double.toString`, which is why
//! Flink's derived sizes carry odd byte counts such as 536,870,920 instead of 512 MiB.
//!
//! Deliberate difference: [`Display`](fmt::Display) prints a compact `1728m` form that [`MemorySize::parse`] reads
//! back; Flink's verbose `toHumanReadableString()` (used in its error messages) is
//! [`MemorySize::to_human_readable_string`].

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

const KIBI: u64 = 1 << 10;
const MEBI: u64 = 1 << 20;
const GIBI: u64 = 1 << 30;
const TEBI: u64 = 1 << 40;

/// `MemoryUnit`: the aliases Flink accepts for each unit (lower case) and its multiplier, smallest first.
const UNITS: [(&[&str], u64); 5] = [
    (&["b", "bytes"], 1),
    (&["k", "kb", "kibibytes"], KIBI),
    (&["m", "mb", "mebibytes"], MEBI),
    (&["g", "gb", "gibibytes"], GIBI),
    (&["t", "tb", "tebibytes"], TEBI),
];

/// A memory size in bytes, at most [`MemorySize::MAX_VALUE`]. Serialized as Flink writes sizes in its
/// configuration (`"1728m"`); read from such a string or from a plain byte count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MemorySize(u64);

impl Serialize for MemorySize {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for MemorySize {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Repr {
            Bytes(u64),
            Text(String),
        }
        match Repr::deserialize(deserializer)? {
            Repr::Bytes(bytes) => MemorySize::try_from(bytes).map_err(serde::de::Error::custom),
            Repr::Text(text) => MemorySize::parse(&text).map_err(serde::de::Error::custom),
        }
    }
}

/// Why a memory size could not be parsed or computed.
#[derive(Clone, Debug, PartialEq)]
pub enum MemorySizeError {
    Empty,
    NoNumber { text: String },
    UnknownUnit { text: String, unit: String },
    Overflow { text: String },
    InvalidMultiplier { multiplier: f32 },
    MultiplyOverflow { size: MemorySize, multiplier: f32 },
}

crate::i18n::english_error!(MemorySizeError => crate::i18n::messages::errors::memory_size);

impl MemorySize {
    /// `MemorySize.ZERO`.
    pub const ZERO: MemorySize = MemorySize(0);

    /// `MemorySize.MAX_VALUE`: `Long.MAX_VALUE` bytes.
    pub const MAX_VALUE: MemorySize = MemorySize(i64::MAX as u64);

    /// `new MemorySize(bytes)`. Flink's constructor throws for anything a `long` cannot hold; this one is `const`
    /// and infallible, so it saturates at [`MemorySize::MAX_VALUE`] instead.
    pub const fn of_bytes(bytes: u64) -> MemorySize {
        if bytes > Self::MAX_VALUE.0 {
            Self::MAX_VALUE
        } else {
            MemorySize(bytes)
        }
    }

    /// `MemorySize.ofMebiBytes(mebiBytes)`, saturating where Flink's `mebiBytes << 20` would silently wrap.
    pub const fn of_mebibytes(mebibytes: u64) -> MemorySize {
        match mebibytes.checked_mul(MEBI) {
            Some(bytes) => Self::of_bytes(bytes),
            None => Self::MAX_VALUE,
        }
    }

    /// `getBytes()`.
    pub const fn bytes(self) -> u64 {
        self.0
    }

    /// The size in MiB as a float, for display only; derivations stay in exact bytes.
    pub fn mebibytes_f64(self) -> f64 {
        self.0 as f64 / MEBI as f64
    }

    /// `add(that)`: `None` where Flink's `Math.addExact` would throw.
    pub const fn checked_add(self, other: MemorySize) -> Option<MemorySize> {
        match self.0.checked_add(other.0) {
            Some(sum) if sum <= Self::MAX_VALUE.0 => Some(MemorySize(sum)),
            _ => None,
        }
    }

    /// `subtract(that)`: `None` where Flink would throw because the result is negative.
    pub const fn checked_sub(self, other: MemorySize) -> Option<MemorySize> {
        match self.0.checked_sub(other.0) {
            Some(difference) => Some(MemorySize(difference)),
            None => None,
        }
    }

    /// `MemorySize.multiply(double)` applied to a `float` config value, exactly as Flink evaluates it:
    /// `new BigDecimal(bytes).multiply(BigDecimal.valueOf((double) fraction)).longValue()`.
    ///
    /// `BigDecimal.valueOf(double)` goes through `Double.toString`, the shortest decimal that round-trips the
    /// double, so `0.1f` multiplies as `0.10000000149011612` and `0.4f` as `0.4000000059604645`. Rust's float
    /// `Display` prints the same shortest digits, which we read as an integer numerator over a power of ten and
    /// apply with integer arithmetic; `longValue()` truncates toward zero, and so does the integer division.
    pub fn multiply(self, multiplier: f32) -> Result<MemorySize, MemorySizeError> {
        let invalid = MemorySizeError::InvalidMultiplier { multiplier };
        if !multiplier.is_finite() || multiplier < 0.0 {
            return Err(invalid);
        }
        // `abs` folds -0.0 (which Flink accepts: `-0.0 >= 0`) into 0.0 so the sign never reaches the digits.
        let (numerator, scale) = shortest_decimal(f64::from(multiplier).abs()).ok_or(invalid)?;
        let overflow = MemorySizeError::MultiplyOverflow {
            size: self,
            multiplier,
        };
        let product = u128::from(self.0)
            .checked_mul(numerator)
            .ok_or_else(|| overflow.clone())?;
        // A divisor beyond u128 is larger than any product, so the truncated quotient is 0.
        let quotient = 10u128
            .checked_pow(scale)
            .map_or(0, |divisor| product / divisor);
        match u64::try_from(quotient) {
            Ok(bytes) if bytes <= Self::MAX_VALUE.0 => Ok(MemorySize(bytes)),
            _ => Err(overflow),
        }
    }

    /// `MemorySize.parse(text)`: optional surrounding whitespace, a non-negative decimal integer, optional
    /// whitespace, then an optional case-insensitive unit (`b`/`bytes`, `k`/`kb`/`kibibytes`, `m`/`mb`/`mebibytes`,
    /// `g`/`gb`/`gibibytes`, `t`/`tb`/`tebibytes`, all binary multiples). No unit means bytes.
    pub fn parse(text: &str) -> Result<MemorySize, MemorySizeError> {
        // Java's `String.trim()` strips every char <= U+0020, which is not the same set as `str::trim`.
        let trimmed = text.trim_matches(|c: char| c <= ' ');
        if trimmed.is_empty() {
            return Err(MemorySizeError::Empty);
        }
        let digits_end = trimmed
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(trimmed.len());
        let (number, rest) = trimmed.split_at(digits_end);
        if number.is_empty() {
            return Err(MemorySizeError::NoNumber {
                text: text.to_owned(),
            });
        }
        // Flink reports a number too large for a long before it looks at the unit.
        let overflow = || MemorySizeError::Overflow {
            text: text.to_owned(),
        };
        let value = number
            .parse::<u64>()
            .ok()
            .filter(|&value| value <= Self::MAX_VALUE.0)
            .ok_or_else(overflow)?;
        // ASCII case folding: every unit is ASCII (Java's Unicode-aware `toLowerCase(Locale.US)` only differs
        // on characters no unit contains), and it keeps Unicode case tables out of the web app.
        let unit = rest.trim_matches(|c: char| c <= ' ').to_ascii_lowercase();
        let multiplier = if unit.is_empty() {
            1
        } else {
            UNITS
                .iter()
                .find(|(aliases, _)| aliases.contains(&unit.as_str()))
                .map(|&(_, multiplier)| multiplier)
                .ok_or_else(|| MemorySizeError::UnknownUnit {
                    text: text.to_owned(),
                    unit: unit.clone(),
                })?
        };
        value
            .checked_mul(multiplier)
            .filter(|&bytes| bytes <= Self::MAX_VALUE.0)
            .map(MemorySize)
            .ok_or_else(overflow)
    }

    /// `toHumanReadableString()`, as Flink prints sizes in its memory configuration errors: `256.000mb
    /// (268435456 bytes)`, or `1024 bytes` up to 1 KiB inclusive. Rounded half-up like Java's `%.3f`, with
    /// integer arithmetic so it is exact.
    pub fn to_human_readable_string(self) -> String {
        let unit = UNITS
            .iter()
            .rev()
            .find(|&&(_, multiplier)| self.0 > multiplier)
            .filter(|(_, m)| *m > 1);
        match unit {
            None => format!("{} bytes", self.0),
            Some(&(aliases, multiplier)) => {
                let multiplier = u128::from(multiplier);
                let thousandths = (u128::from(self.0) * 1000 + multiplier / 2) / multiplier;
                // Below the size itself (the unit is at least 1024 bytes): a u64, written without the code of
                // u128's Display in the page.
                format!(
                    "{}.{:03}{} ({} bytes)",
                    (thousandths / 1000) as u64,
                    (thousandths % 1000) as u64,
                    aliases[1],
                    self.0
                )
            }
        }
    }
}

/// The shortest round-trip decimal of a finite, non-negative `value` as `(numerator, scale)` with
/// `value == numerator / 10^scale`. Rust prints floats positionally (never in exponent form), unlike
/// `Double.toString`; only the digits matter to `BigDecimal`, and they are the same.
fn shortest_decimal(value: f64) -> Option<(u128, u32)> {
    let text = crate::engine::checkpoint::decimal::shortest(value);
    let (integer, fraction) = text.split_once('.').unwrap_or((text.as_str(), ""));
    let mut numerator: u128 = 0;
    for c in integer.chars().chain(fraction.chars()) {
        let digit = c.to_digit(10)?;
        numerator = numerator.checked_mul(10)?.checked_add(u128::from(digit))?;
    }
    Some((numerator, u32::try_from(fraction.len()).ok()?))
}

impl TryFrom<u64> for MemorySize {
    type Error = MemorySizeError;

    /// Keeps deserialized sizes within Flink's `long` range.
    fn try_from(bytes: u64) -> Result<MemorySize, MemorySizeError> {
        if bytes > Self::MAX_VALUE.0 {
            Err(MemorySizeError::Overflow {
                text: bytes.to_string(),
            })
        } else {
            Ok(MemorySize(bytes))
        }
    }
}

impl FromStr for MemorySize {
    type Err = MemorySizeError;

    fn from_str(text: &str) -> Result<MemorySize, MemorySizeError> {
        MemorySize::parse(text)
    }
}

impl fmt::Display for MemorySize {
    /// The largest unit that divides the size exactly: `1g`, `1728m`, `64k`, `100b`, `0b` for zero.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 == 0 {
            return f.write_str("0b");
        }
        let (suffix, multiplier) = [("g", GIBI), ("m", MEBI), ("k", KIBI)]
            .into_iter()
            .find(|&(_, multiplier)| self.0.is_multiple_of(multiplier))
            .unwrap_or(("b", 1));
        write!(f, "{}{}", self.0 / multiplier, suffix)
    }
}

// proptest is a native-only dev-dependency.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use proptest::test_runner::RngSeed;

    fn parse(text: &str) -> MemorySize {
        MemorySize::parse(text).unwrap_or_else(|e| panic!("{text:?} should parse: {e}"))
    }

    #[test]
    fn parse_reads_number_and_binary_unit() {
        assert_eq!(parse("1728m").bytes(), 1728 * MEBI);
        assert_eq!(parse("1 g").bytes(), GIBI);
        assert_eq!(parse("512MB").bytes(), 512 * MEBI);
        assert_eq!(parse("100").bytes(), 100);
        assert_eq!(parse("  64 kibibytes ").bytes(), 64 * KIBI);
        assert_eq!(parse("0").bytes(), 0);
        assert_eq!(parse("2t").bytes(), 2 * TEBI);
    }

    #[test]
    fn parse_accepts_every_flink_unit_alias_in_any_case() {
        for (aliases, multiplier) in UNITS {
            for alias in aliases {
                assert_eq!(
                    parse(&format!("3{alias}")).bytes(),
                    3 * multiplier,
                    "{alias}"
                );
                assert_eq!(
                    parse(&format!("3 {}", alias.to_uppercase())).bytes(),
                    3 * multiplier,
                    "{alias}"
                );
            }
        }
    }

    #[test]
    fn parse_rejects_unknown_unit_and_lists_the_valid_ones() {
        let err = MemorySize::parse("12 parsecs").unwrap_err();
        assert_eq!(
            err,
            MemorySizeError::UnknownUnit {
                text: "12 parsecs".into(),
                unit: "parsecs".into()
            }
        );
        let message = err.to_string();
        assert!(
            message.contains("parsecs")
                && message.contains(crate::i18n::messages::errors::ALL_UNITS),
            "{message}"
        );
        assert!(matches!(
            MemorySize::parse("1.5g"),
            Err(MemorySizeError::UnknownUnit { .. })
        ));
    }

    #[test]
    fn parse_rejects_empty_and_whitespace_only_text() {
        assert_eq!(MemorySize::parse(""), Err(MemorySizeError::Empty));
        assert_eq!(MemorySize::parse(" \t\n "), Err(MemorySizeError::Empty));
    }

    #[test]
    fn parse_rejects_text_that_does_not_start_with_a_number() {
        for text in ["-5m", "m", "abc", "+5m", "\u{0665}m"] {
            let err = MemorySize::parse(text).unwrap_err();
            assert_eq!(err, MemorySizeError::NoNumber { text: text.into() });
            assert!(err.to_string().contains("does not start with a number"));
        }
    }

    #[test]
    fn parse_rejects_values_beyond_a_java_long() {
        for text in [
            "99999999999999999999t",
            "99999999999999999999",
            "8388608t",
            "9223372036854775808",
        ] {
            let err = MemorySize::parse(text).unwrap_err();
            assert_eq!(err, MemorySizeError::Overflow { text: text.into() });
            assert!(err.to_string().contains("exceeds the maximum"));
        }
        assert_eq!(parse("9223372036854775807"), MemorySize::MAX_VALUE);
        assert_eq!(parse("8388607t").bytes(), 8_388_607 * TEBI);
    }

    #[test]
    fn display_uses_the_largest_exact_unit() {
        assert_eq!(MemorySize::of_mebibytes(1728).to_string(), "1728m");
        assert_eq!(MemorySize::of_mebibytes(1024).to_string(), "1g");
        assert_eq!(MemorySize::of_bytes(64 * KIBI).to_string(), "64k");
        assert_eq!(MemorySize::of_bytes(536_870_920).to_string(), "536870920b");
        assert_eq!(MemorySize::ZERO.to_string(), "0b");
    }

    #[test]
    fn display_round_trips_through_parse_for_deterministic_values() {
        let mut values = vec![
            0,
            1,
            KIBI - 1,
            KIBI,
            MEBI,
            GIBI,
            TEBI,
            MemorySize::MAX_VALUE.bytes(),
        ];
        // A fixed LCG walk over all magnitudes, plus sizes that are exact multiples of each unit.
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        for i in 0..600u64 {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let magnitude = state >> (1 + i % 63);
            values.push(magnitude);
            values.push((magnitude >> 40) * [1, KIBI, MEBI, GIBI][(i % 4) as usize]);
        }
        for bytes in values {
            let size = MemorySize::of_bytes(bytes);
            assert_eq!(MemorySize::parse(&size.to_string()), Ok(size), "{bytes}");
        }
    }

    #[test]
    fn multiply_uses_the_shortest_decimal_of_the_widened_float() {
        assert_eq!(
            shortest_decimal(f64::from(0.1f32)),
            Some((10_000_000_149_011_612, 17))
        );
        assert_eq!(
            shortest_decimal(f64::from(0.4f32)),
            Some((4_000_000_059_604_645, 16))
        );
        let total_flink = MemorySize::of_mebibytes(1280);
        assert_eq!(
            total_flink.multiply(0.4),
            Ok(MemorySize::of_bytes(536_870_920))
        );
        assert_eq!(
            total_flink.multiply(0.1),
            Ok(MemorySize::of_bytes(134_217_730))
        );
        // 4096m * 0.10000000149011612 = 429496736.4 exactly; longValue() truncates.
        assert_eq!(
            MemorySize::of_mebibytes(4096).multiply(0.1),
            Ok(MemorySize::of_bytes(429_496_736))
        );
    }

    #[test]
    fn multiply_handles_edge_multipliers() {
        let size = MemorySize::of_mebibytes(100);
        assert_eq!(size.multiply(0.0), Ok(MemorySize::ZERO));
        assert_eq!(size.multiply(-0.0), Ok(MemorySize::ZERO));
        assert_eq!(size.multiply(1.0), Ok(size));
        assert_eq!(size.multiply(2.5), Ok(MemorySize::of_mebibytes(250)));
        assert_eq!(
            MemorySize::MAX_VALUE.multiply(f32::from_bits(1)),
            Ok(MemorySize::ZERO)
        );
        for bad in [-0.5, f32::NAN, f32::INFINITY, f32::NEG_INFINITY] {
            assert!(
                matches!(
                    size.multiply(bad),
                    Err(MemorySizeError::InvalidMultiplier { .. })
                ),
                "{bad}"
            );
        }
        assert!(matches!(
            MemorySize::MAX_VALUE.multiply(2.0),
            Err(MemorySizeError::MultiplyOverflow { .. })
        ));
        assert!(matches!(
            size.multiply(f32::MAX),
            Err(MemorySizeError::MultiplyOverflow { .. })
        ));
        assert_eq!(MemorySize::ZERO.multiply(f32::MAX), Ok(MemorySize::ZERO));
    }

    #[test]
    fn checked_arithmetic_stays_within_a_java_long() {
        let one = MemorySize::of_bytes(1);
        assert_eq!(MemorySize::MAX_VALUE.checked_add(one), None);
        assert_eq!(MemorySize::ZERO.checked_sub(one), None);
        assert_eq!(one.checked_add(one), Some(MemorySize::of_bytes(2)));
        assert_eq!(
            MemorySize::of_mebibytes(3).checked_sub(MemorySize::of_mebibytes(1)),
            Some(MemorySize::of_mebibytes(2))
        );
        assert_eq!(MemorySize::of_bytes(u64::MAX), MemorySize::MAX_VALUE);
        assert_eq!(MemorySize::of_mebibytes(u64::MAX), MemorySize::MAX_VALUE);
        assert_eq!(MemorySize::of_mebibytes(1280).mebibytes_f64(), 1280.0);
    }

    #[test]
    fn human_readable_string_matches_flink_format() {
        assert_eq!(
            MemorySize::of_mebibytes(256).to_human_readable_string(),
            "256.000mb (268435456 bytes)"
        );
        assert_eq!(
            MemorySize::of_bytes(1024).to_human_readable_string(),
            "1024 bytes"
        );
        assert_eq!(
            MemorySize::of_bytes(1025).to_human_readable_string(),
            "1.001kb (1025 bytes)"
        );
        assert_eq!(
            MemorySize::of_bytes(536_870_920).to_human_readable_string(),
            "512.000mb (536870920 bytes)"
        );
        // 1088 / 1024 = 1.0625: Java's %.3f rounds the tie half-up.
        assert_eq!(
            MemorySize::of_bytes(1088).to_human_readable_string(),
            "1.063kb (1088 bytes)"
        );
        assert_eq!(
            MemorySize::of_mebibytes(1728).to_human_readable_string(),
            "1.688gb (1811939328 bytes)"
        );
        assert_eq!(MemorySize::ZERO.to_human_readable_string(), "0 bytes");
    }

    #[test]
    fn deserialize_rejects_sizes_beyond_a_java_long() {
        let max: Result<MemorySize, _> = serde_json::from_str("9223372036854775807");
        assert_eq!(max.ok(), Some(MemorySize::MAX_VALUE));
        let too_big: Result<MemorySize, _> = serde_json::from_str("9223372036854775808");
        assert!(too_big.is_err());
        let text: MemorySize = serde_json::from_str(r#""1728m""#).unwrap();
        assert_eq!(text, MemorySize::of_mebibytes(1728));
        assert_eq!(serde_json::to_string(&text).unwrap(), r#""1728m""#);
        assert!(serde_json::from_str::<MemorySize>(r#""12 parsecs""#).is_err());
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 512,
            failure_persistence: None,
            rng_seed: RngSeed::Fixed(0x5747_454C_4142),
            ..ProptestConfig::default()
        })]

        #[test]
        fn parse_never_panics(
            text in any::<String>(),
            digits in "[0-9]{0,25}",
            unit in "[ \\tbkmgtBKMGTa-z]{0,10}",
        ) {
            let _ = MemorySize::parse(&text);
            let _ = MemorySize::parse(&format!("{digits}{unit}"));
        }

        #[test]
        fn display_round_trips_through_parse(bytes in 0..=MemorySize::MAX_VALUE.bytes()) {
            let size = MemorySize::of_bytes(bytes);
            prop_assert_eq!(MemorySize::parse(&size.to_string()), Ok(size));
        }

        #[test]
        fn multiply_never_panics_and_never_exceeds_the_exact_product(
            bytes in 0..=MemorySize::MAX_VALUE.bytes(),
            multiplier in any::<f32>(),
        ) {
            if let Ok(product) = MemorySize::of_bytes(bytes).multiply(multiplier) {
                let exact = bytes as f64 * f64::from(multiplier);
                prop_assert!(product.bytes() as f64 <= exact * (1.0 + 1e-12));
            }
        }
    }
}

//! Decimal text to `f64` and back, exactly as the standard library does it, without its float parsing and
//! formatting code.
//!
//! Why not the standard library's: its Eisel–Lemire parser carries a 10 KB table of 128-bit powers of five,
//! incompressible, and its formatting (Grisu with Dragon4 behind it, for both the shortest and the fixed forms)
//! another 13 KB of code and tables; in the page that was about 4 % of the wasm download, for the handful of
//! numbers the page reads (a Zipf exponent or a hot key's share typed in the settings, the few floats of a
//! version-1 checkpoint's JSON, a CSS length) and the coordinates, percentages and sizes it writes. These give
//! the very same `f64` for every text and the very same text for every `f64` — checked against the standard
//! library in the tests below, hard cases and random ones — by slow but exact methods alone.
//!
//! Reading ([`parse_f64`]): the digits kept as a decimal number (at most [`MAX_DIGITS`], the rest remembered as
//! "something non-zero follows"), multiplied and divided by powers of two until it lies in [½, 1), then its top
//! 53 bits rounded: Nigel Tao's "simple decimal conversion", the method the standard library also falls back
//! to. Writing ([`fixed`], [`shortest`]; [`Fixed`] and [`Shortest`] in `format!`): the number's exact decimal
//! expansion (a binary fraction has a finite one), rounded to the digits asked for, ties to even; the shortest
//! form is the first number of 1, 2, … significant digits that reads back as the same `f64` (of the two around
//! it, the closer).
//!
//! The grammar read is `str::parse::<f64>`'s: an optional sign, then `inf`, `infinity` or `nan` (any case), or
//! digits with an optional point and an optional exponent (`e`/`E`, optional sign, digits), at least one digit
//! before or after the point. Anything else (spaces included) is `None`.

/// Decimal digits kept. The decimal expansion of any number halfway between two adjacent `f64`s has at most
/// 767 significant digits, so keeping more than that, and whether anything non-zero was dropped, decides every
/// rounding exactly.
pub const MAX_DIGITS: usize = 800;

/// The largest shift by a power of two at once: a digit times 2^60, plus a carry, fits a `u64`.
const MAX_SHIFT: u32 = 60;

/// `floor(n × log2 10)`: the largest power of two not above `10^n`, for shifting a number with `n` digits before
/// (or `n` zeros after) its point towards [½, 1) without passing it.
const POWER_OF_TWO_BELOW_TEN_TO: [u8; 19] = [
    0, 3, 6, 9, 13, 16, 19, 23, 26, 29, 33, 36, 39, 43, 46, 49, 53, 56, 59,
];

/// A binary floating-point format: the bits of its mantissa written out, and its largest exponent (its bias).
#[derive(Clone, Copy)]
struct Format {
    mantissa_bits: u32,
    max_exponent: i32,
}

const F64: Format = Format {
    mantissa_bits: 52,
    max_exponent: 1023,
};

const F32: Format = Format {
    mantissa_bits: 23,
    max_exponent: 127,
};

/// A non-negative decimal number `0.d₁d₂d₃… × 10^point`, the digits without trailing zeros.
struct Decimal {
    digits: Vec<u8>,
    point: i32,
    /// Non-zero digits were dropped beyond [`MAX_DIGITS`]: the number is a little more than its digits say.
    truncated: bool,
}

impl Decimal {
    fn trim(&mut self) {
        while self.digits.last() == Some(&0) {
            self.digits.pop();
        }
    }

    /// Keeps at most [`MAX_DIGITS`] (the most significant), remembering whether a non-zero one went.
    fn cap(&mut self) {
        if self.digits.len() > MAX_DIGITS {
            self.truncated |= self.digits[MAX_DIGITS..].iter().any(|&d| d != 0);
            self.digits.truncate(MAX_DIGITS);
        }
        self.trim();
    }

    /// Times `2^shift`: the digits multiplied from the least significant, the carry giving new leading digits.
    fn shift_left(&mut self, shift: u32) {
        let mut product = Vec::with_capacity(self.digits.len() + 19);
        let mut carry = 0u64;
        for &d in self.digits.iter().rev() {
            let v = (u64::from(d) << shift) + carry;
            product.push((v % 10) as u8);
            carry = v / 10;
        }
        while carry > 0 {
            product.push((carry % 10) as u8);
            carry /= 10;
        }
        self.point += (product.len() - self.digits.len()) as i32;
        product.reverse();
        self.digits = product;
        self.cap();
    }

    /// Divided by `2^shift`: long division from the most significant digit, on past the last one until nothing
    /// remains (or [`MAX_DIGITS`] are written), each leading zero of the quotient moving the point.
    fn shift_right(&mut self, shift: u32) {
        let mask = (1u64 << shift) - 1;
        let mut quotient = Vec::with_capacity(self.digits.len() + 19);
        let mut remainder = 0u64;
        let mut i = 0;
        loop {
            let digit = match self.digits.get(i) {
                Some(&d) => d,
                None if remainder == 0 => break,
                None => 0,
            };
            i += 1;
            remainder = remainder * 10 + u64::from(digit);
            let q = (remainder >> shift) as u8;
            remainder &= mask;
            if quotient.is_empty() && q == 0 {
                self.point -= 1;
                continue;
            }
            if quotient.len() == MAX_DIGITS {
                self.truncated |= q != 0
                    || remainder != 0
                    || self.digits[i.min(self.digits.len())..]
                        .iter()
                        .any(|&d| d != 0);
                break;
            }
            quotient.push(q);
        }
        self.digits = quotient;
        self.trim();
    }

    /// The integer part, rounded to nearest, ties to even (at most 18 digits before the point).
    fn round(&self) -> u64 {
        if self.point < 0 {
            return 0;
        }
        let point = self.point as usize;
        let mut n = 0u64;
        for i in 0..point {
            n = n * 10 + u64::from(self.digits.get(i).copied().unwrap_or(0));
        }
        let up = match self.digits.get(point) {
            Some(5) if point + 1 == self.digits.len() => self.truncated || n % 2 == 1,
            Some(&d) => d >= 5,
            None => false,
        };
        n + u64::from(up)
    }
}

/// The `f64` nearest to `text` (ties to even), exactly as `text.parse::<f64>().ok()` gives it.
pub fn parse_f64(text: &str) -> Option<f64> {
    let (negative, rest) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let magnitude = if ["inf", "infinity"]
        .iter()
        .any(|word| rest.eq_ignore_ascii_case(word))
    {
        f64::INFINITY
    } else if rest.eq_ignore_ascii_case("nan") {
        f64::NAN
    } else {
        f64::from_bits(magnitude(rest.as_bytes(), F64)?)
    };
    Some(if negative { -magnitude } else { magnitude })
}

/// `digits [. digits] [e [sign] digits]` (a digit before or after the point) as the bits of the nearest number
/// of the format.
fn magnitude(text: &[u8], format: Format) -> Option<u64> {
    let mut d = Decimal {
        digits: Vec::new(),
        point: 0,
        truncated: false,
    };
    let mut at = 0;
    let mut seen_digit = false;
    let mut after_point = false;
    while let Some(&c) = text.get(at) {
        match c {
            b'0'..=b'9' => {
                seen_digit = true;
                if d.digits.is_empty() && c == b'0' {
                    // A leading zero: before the point it says nothing, after it moves the point.
                    if after_point {
                        d.point -= 1;
                    }
                } else {
                    if !after_point {
                        d.point += 1;
                    }
                    if d.digits.len() < MAX_DIGITS {
                        d.digits.push(c - b'0');
                    } else {
                        d.truncated |= c != b'0';
                    }
                }
                // Bounded like the exponent below: beyond it the number is 0 or infinite anyway.
                d.point = d.point.clamp(-100_000, 100_000);
            }
            b'.' if !after_point => after_point = true,
            _ => break,
        }
        at += 1;
    }
    if !seen_digit {
        return None;
    }
    if let Some(b'e' | b'E') = text.get(at) {
        at += 1;
        let negative = match text.get(at) {
            Some(b'-') => {
                at += 1;
                true
            }
            Some(b'+') => {
                at += 1;
                false
            }
            _ => false,
        };
        let start = at;
        let mut exponent: i32 = 0;
        while let Some(&c @ b'0'..=b'9') = text.get(at) {
            exponent = (exponent * 10 + i32::from(c - b'0')).min(100_000);
            at += 1;
        }
        if at == start {
            return None;
        }
        d.point += if negative { -exponent } else { exponent };
    }
    if at != text.len() {
        return None;
    }
    d.trim();
    Some(to_bits(d, format))
}

/// The bits of the nearest number of the format to a decimal (its sign aside).
fn to_bits(mut d: Decimal, format: Format) -> u64 {
    let Format {
        mantissa_bits,
        max_exponent,
    } = format;
    let min_exponent = 1 - max_exponent;
    let infinity = ((2 * max_exponent + 1) as u64) << mantissa_bits;
    // Beyond these the number is 0 or infinite in either format (the smallest f64 subnormal is 4.9e-324, the
    // largest f64 1.8e308).
    if d.digits.is_empty() || d.point < -330 {
        return 0;
    }
    if d.point > 310 {
        return infinity;
    }
    let shift_for = |n: i32| {
        POWER_OF_TWO_BELOW_TEN_TO
            .get(n as usize)
            .map_or(MAX_SHIFT, |&s| u32::from(s))
    };
    // The number is d × 2^exponent; bring d into [½, 1).
    let mut exponent: i32 = 0;
    while d.point > 0 {
        let shift = shift_for(d.point);
        d.shift_right(shift);
        exponent += shift as i32;
    }
    while d.point < 0 || (d.point == 0 && d.digits[0] < 5) {
        let shift = match d.point {
            0 if d.digits[0] < 2 => 2,
            0 => 1,
            p => shift_for(-p),
        };
        d.shift_left(shift);
        exponent -= shift as i32;
    }
    // As 1.f × 2^exponent; below the smallest normal exponent, a subnormal: fewer bits of d.
    exponent -= 1;
    while exponent < min_exponent {
        let shift = ((min_exponent - exponent) as u32).min(MAX_SHIFT);
        d.shift_right(shift);
        exponent += shift as i32;
    }
    if exponent > max_exponent {
        return infinity;
    }
    // The bits of 1.f (53 for an f64; a subnormal's fewer), rounded; a round up to 2^53 carries into the
    // exponent.
    d.shift_left(mantissa_bits + 1);
    let mut mantissa = d.round();
    if mantissa == 1 << (mantissa_bits + 1) {
        mantissa >>= 1;
        exponent += 1;
        if exponent > max_exponent {
            return infinity;
        }
    }
    let biased = if mantissa < 1 << mantissa_bits {
        0
    } else {
        (exponent + max_exponent) as u64
    };
    (biased << mantissa_bits) | (mantissa & ((1 << mantissa_bits) - 1))
}

/// The exact decimal value of a finite, non-negative `f64`: its digits (no leading or trailing zeros; none for
/// zero) and where the point goes (the value is `0.d₁d₂… × 10^point`).
fn exact_digits(x: f64) -> (Vec<u8>, i32) {
    let bits = x.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    let fraction = bits & ((1 << 52) - 1);
    let (mantissa, exponent) = if biased == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1 << 52), biased - 1075)
    };
    if mantissa == 0 {
        return (Vec::new(), 0);
    }
    // x = mantissa × 2^exponent, as an integer n with x = n / 10^scale: for a negative exponent,
    // mantissa × 5^-exponent / 10^-exponent.
    let mut n = vec![mantissa as u32, (mantissa >> 32) as u32];
    let scale = if exponent >= 0 {
        for _ in 0..exponent {
            big_mul(&mut n, 2);
        }
        0
    } else {
        for _ in 0..-exponent {
            big_mul(&mut n, 5);
        }
        -exponent
    };
    // Its decimal digits, nine at a time from the least significant.
    let mut digits = Vec::new();
    while n.iter().any(|&limb| limb != 0) {
        let mut rest = big_div(&mut n, 1_000_000_000);
        for _ in 0..9 {
            digits.push((rest % 10) as u8);
            rest /= 10;
        }
    }
    while digits.last() == Some(&0) {
        digits.pop();
    }
    digits.reverse();
    let point = digits.len() as i32 - scale;
    while digits.last() == Some(&0) {
        digits.pop();
    }
    (digits, point)
}

/// `n *= factor` on little-endian 32-bit limbs.
fn big_mul(n: &mut Vec<u32>, factor: u32) {
    let mut carry = 0u64;
    for limb in n.iter_mut() {
        let v = u64::from(*limb) * u64::from(factor) + carry;
        *limb = v as u32;
        carry = v >> 32;
    }
    if carry > 0 {
        n.push(carry as u32);
    }
}

/// `n /= divisor`, returning the remainder.
fn big_div(n: &mut [u32], divisor: u32) -> u32 {
    let mut rest = 0u64;
    for limb in n.iter_mut().rev() {
        let v = (rest << 32) | u64::from(*limb);
        *limb = (v / u64::from(divisor)) as u32;
        rest = v % u64::from(divisor);
    }
    rest as u32
}

/// Keeps the first `keep` of `digits` (as many as there are when fewer; none when `keep` ≤ 0), rounding
/// what goes to nearest, ties to even. Returns whether the carry added a leading digit (`1`).
fn round_digits(digits: &mut Vec<u8>, keep: i32) -> bool {
    if keep >= digits.len() as i32 {
        return false;
    }
    let keep = keep.max(-1);
    let first_dropped = if keep < 0 { 0 } else { digits[keep as usize] };
    let rest_zero = digits[(keep + 1).max(0) as usize..].iter().all(|&d| d == 0);
    let kept = keep.max(0) as usize;
    let last_odd = kept > 0 && digits[kept - 1] % 2 == 1;
    let up = first_dropped > 5 || (first_dropped == 5 && (!rest_zero || last_odd));
    digits.truncate(kept);
    up && add_one(digits)
}

/// `digits × 10^(point - len)` written out without an exponent, with `decimals` digits after the point.
fn plain(negative: bool, digits: &[u8], point: i32, decimals: usize) -> String {
    let mut out = String::with_capacity(digits.len() + decimals + 4);
    if negative {
        out.push('-');
    }
    let digit = |i: i32| {
        char::from(
            b'0' + if i >= 0 {
                digits.get(i as usize).copied().unwrap_or(0)
            } else {
                0
            },
        )
    };
    if point <= 0 {
        out.push('0');
    } else {
        (0..point).for_each(|i| out.push(digit(i)));
    }
    if decimals > 0 {
        out.push('.');
        (point..point + decimals as i32).for_each(|i| out.push(digit(i)));
    }
    out
}

/// NaN and the infinities as Rust writes them, or `None` for a finite number.
fn special(x: f64) -> Option<&'static str> {
    if x.is_nan() {
        Some("NaN")
    } else if x.is_infinite() {
        Some(if x < 0.0 { "-inf" } else { "inf" })
    } else {
        None
    }
}

/// `x` with `decimals` digits after the point, its exact value rounded to nearest, ties to even: what
/// `format!("{x:.decimals$}")` writes (`-0.0` keeps its sign).
pub fn fixed(x: f64, decimals: usize) -> String {
    if let Some(text) = special(x) {
        return text.to_owned();
    }
    let (mut digits, mut point) = exact_digits(x.abs());
    if round_digits(&mut digits, point + decimals as i32) {
        point += 1;
    }
    plain(x.is_sign_negative(), &digits, point, decimals)
}

/// The shortest decimal that reads back as `x` (of two as short, the closer), written out without an exponent:
/// what `format!("{x}")` writes (`1` for 1.0, `-0` for -0.0).
pub fn shortest(x: f64) -> String {
    shortest_in(x, x.abs().to_bits(), F64)
}

/// [`shortest`] for an `f32`: the shortest decimal that reads back as the same `f32`, what `format!("{x}")`
/// writes for it.
pub fn shortest_f32(x: f32) -> String {
    shortest_in(f64::from(x), u64::from(x.abs().to_bits()), F32)
}

/// The shortest form of `x`, whose magnitude has these bits in the format.
fn shortest_in(x: f64, bits: u64, format: Format) -> String {
    if let Some(text) = special(x) {
        return text.to_owned();
    }
    let (exact, point) = exact_digits(x.abs());
    let mut best = (exact.clone(), point);
    for keep in 1..exact.len() {
        // The numbers of `keep` digits just below and just above x.
        let below = exact[..keep].to_vec();
        let mut above = below.clone();
        let above_point = if add_one(&mut above) {
            point + 1
        } else {
            point
        };
        let reads_back = |digits: &[u8], point: i32| reads_back(digits, point, bits, format);
        let (below_ok, above_ok) = (reads_back(&below, point), reads_back(&above, above_point));
        if below_ok || above_ok {
            // Both read back: the closer, as the first dropped digit tells (exactly half: the one above, as
            // the standard library's shortest form rounds).
            let up = above_ok && (!below_ok || exact[keep] >= 5);
            best = if up {
                (above, above_point)
            } else {
                (below, point)
            };
            break;
        }
    }
    let (mut digits, point) = best;
    while digits.last() == Some(&0) {
        digits.pop();
    }
    let decimals = (digits.len() as i32 - point).max(0) as usize;
    plain(x.is_sign_negative(), &digits, point, decimals)
}

/// Adds one in the last place; whether the carry added a leading digit.
fn add_one(digits: &mut Vec<u8>) -> bool {
    for d in digits.iter_mut().rev() {
        if *d == 9 {
            *d = 0;
        } else {
            *d += 1;
            return false;
        }
    }
    digits.insert(0, 1);
    true
}

/// Whether `0.digits × 10^point` reads as the number of the format with these bits.
fn reads_back(digits: &[u8], point: i32, bits: u64, format: Format) -> bool {
    let mut text = String::with_capacity(digits.len() + 8);
    text.push_str("0.");
    text.extend(digits.iter().map(|&d| char::from(b'0' + d)));
    text.push('e');
    text.push_str(&point.to_string());
    magnitude(text.as_bytes(), format) == Some(bits)
}

/// Writes an `f64` as `format!("{}")` does ([`shortest`]), without the standard library's float formatting.
pub struct Shortest(pub f64);

impl std::fmt::Display for Shortest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&shortest(self.0))
    }
}

/// Writes an `f32` as `format!("{}")` does ([`shortest_f32`]), without the standard library's float formatting.
pub struct ShortestF32(pub f32);

impl std::fmt::Display for ShortestF32 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&shortest_f32(self.0))
    }
}

/// Writes an `f64` as `format!("{:.N}")` does ([`fixed`]), without the standard library's float formatting.
pub struct Fixed(pub f64, pub usize);

impl std::fmt::Display for Fixed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&fixed(self.0, self.1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same `f64` as the standard library's, bit for bit (NaN as NaN).
    fn check(text: &str) {
        let ours = parse_f64(text);
        let std = text.parse::<f64>().ok();
        match (ours, std) {
            (Some(a), Some(b)) if a.is_nan() && b.is_nan() => {}
            (Some(a), Some(b)) => {
                assert_eq!(a.to_bits(), b.to_bits(), "{text:?}: {a:e} against {b:e}")
            }
            (a, b) => assert_eq!(a, b, "{text:?}"),
        }
    }

    #[test]
    fn grammar_is_the_standard_librarys() {
        for text in [
            "",
            "+",
            "-",
            ".",
            "e5",
            ".e5",
            "1e",
            "1e+",
            "1.5e-",
            " 1",
            "1 ",
            "1_000",
            "0x10",
            "1.2.3",
            "--1",
            "+-1",
            "1e5.5",
            "inf",
            "-inf",
            "+infinity",
            "INF",
            "Infinity",
            "infinit",
            "nan",
            "NaN",
            "-nan",
            "nan1",
            "1.",
            ".5",
            "-.5",
            "+5.",
            "00012",
            "0.000",
            "-0",
            "-0.0",
            "0e999999999",
            "1E5",
            "1e+05",
            "١",
            "1é",
        ] {
            check(text);
        }
    }

    #[test]
    fn hard_cases_round_as_the_standard_library_does() {
        for text in [
            "1.2", "0.1", "0.25", "1.5", "3.141592653589793", "2.718281828459045", "1e22", "1e23", "9007199254740992",
            "9007199254740993", "9007199254740993.0000000000000000001", "9007199254740994", "9007199254740995",
            "2.2250738585072011e-308", "2.2250738585072014e-308", "2.2250738585072012e-308", "4.9e-324",
            "2.4703282292062327e-324", "2.4703282292062328e-324", "2.4703282292062327208828439643411068618252990130716238221279284125033775363510437593264991818081799618989828234772285886546332835517796989819938739800539093906315035659515570226392290858392449105184435931802849936536152500319370457678249219365623669863658480757001585769269903706311928279558551332927834338409351978015531246597263579574622766465272827220056374006485499977096599470454020828166226237857393450736339007967761930577506740176324673600968951340535537458516661134223766678604162159680461914467291840300530057530849048765391711386591646239524912623653881879636239373280423891018672348497668235089863388587925628302755995657524455507255189313690836254779186948667994968324049705821028513185451396213837722826145437693412532098591327667236328125e-324",
            "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308", "1.8e308", "1e309",
            "1e-400", "123456789012345678901234567890", "0.000000000000000000000000000001", "5e-324", "3e-324",
            "2e-324", "1e-323", "8.98846567431158e307", "4.35", "0.3", "1.0000000000000002", "1.00000000000000011102230246251565404236316680908203125",
            "1.00000000000000011102230246251565404236316680908203124", "1.00000000000000011102230246251565404236316680908203126",
            "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497792",
            "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497791",
            "0.5", "1.25", "00000000000000000000000000000000000000001.5", "1.5000000000000000000000000000000000000000000",
            "7.038531e-26", "9.5e-5", "1.1", "100", "12px",
        ] {
            check(text);
            check(&format!("-{text}"));
        }
    }

    #[test]
    fn every_halfway_point_near_powers_of_two_rounds_to_even() {
        // Numbers exactly between two neighbours, and a hair either side, across the exponent range.
        for e in [
            -1074i32, -1073, -1060, -1023, -1022, -1021, -500, -60, -1, 0, 1, 52, 53, 100, 1000,
            1023,
        ] {
            for m in [1u64, 3, (1 << 53) - 1, (1 << 52) + 1, 123_456_789] {
                let x = libm::ldexp(m as f64, e);
                if !x.is_finite() || x == 0.0 {
                    continue;
                }
                for text in [
                    format!("{x:e}"),
                    format!("{x:.30e}"),
                    format!("{x:.400e}"),
                    format!("{:e}", x * (1.0 + f64::EPSILON)),
                ] {
                    check(&text);
                }
                // The exact midpoint to the next f64 up, written in full, and the same with a digit more.
                let next = f64::from_bits(x.to_bits() + 1);
                let mid = exact_midpoint(x, next);
                check(&mid);
                check(&format!("{mid}1"));
                check(&mid[..mid.len() - 1]);
            }
        }
    }

    /// The exact decimal expansion of (a + b) / 2, by big-integer arithmetic on the two's bits.
    fn exact_midpoint(a: f64, b: f64) -> String {
        // a + b = (ma·2^ea + mb·2^eb); with e = min(ea, eb) - 1: (a + b)/2 = N · 2^e, N an integer.
        let parts = |x: f64| {
            let bits = x.to_bits();
            let exp = ((bits >> 52) & 0x7ff) as i32;
            let man = bits & ((1 << 52) - 1);
            if exp == 0 {
                (man, -1074)
            } else {
                (man | (1 << 52), exp - 1075)
            }
        };
        let ((ma, ea), (mb, eb)) = (parts(a), parts(b));
        let e = ea.min(eb);
        // N = ma·2^(ea-e) + mb·2^(eb-e), then halved by e - 1. Digits as a little-endian base-10 vector.
        let mut n = to_digits(ma);
        times_pow2(&mut n, (ea - e) as u32);
        let mut m = to_digits(mb);
        times_pow2(&mut m, (eb - e) as u32);
        add(&mut n, &m);
        let e = e - 1;
        if e >= 0 {
            times_pow2(&mut n, e as u32);
            return n.iter().rev().map(|d| char::from(b'0' + d)).collect();
        }
        // N / 2^k = N · 5^k / 10^k.
        let k = (-e) as usize;
        for _ in 0..k {
            times_small(&mut n, 5);
        }
        while n.len() <= k {
            n.push(0);
        }
        let digits: String = n.iter().rev().map(|d| char::from(b'0' + d)).collect();
        let (int, frac) = digits.split_at(digits.len() - k);
        format!("{int}.{frac}")
    }

    fn to_digits(mut v: u64) -> Vec<u8> {
        let mut out = vec![];
        while v > 0 {
            out.push((v % 10) as u8);
            v /= 10;
        }
        if out.is_empty() {
            out.push(0);
        }
        out
    }

    fn times_small(n: &mut Vec<u8>, f: u32) {
        let mut carry = 0u32;
        for d in n.iter_mut() {
            let v = u32::from(*d) * f + carry;
            *d = (v % 10) as u8;
            carry = v / 10;
        }
        while carry > 0 {
            n.push((carry % 10) as u8);
            carry /= 10;
        }
    }

    fn times_pow2(n: &mut Vec<u8>, k: u32) {
        for _ in 0..k {
            times_small(n, 2);
        }
    }

    fn add(n: &mut Vec<u8>, m: &[u8]) {
        let mut carry = 0u8;
        for i in 0..n.len().max(m.len()) {
            if i == n.len() {
                n.push(0);
            }
            let v = n[i] + m.get(i).copied().unwrap_or(0) + carry;
            n[i] = v % 10;
            carry = v / 10;
        }
        if carry > 0 {
            n.push(carry);
        }
    }

    /// The same text as the standard library's `{}` and `{:.N}` for N up to 6.
    fn check_written(x: f64) {
        assert_eq!(shortest(x), format!("{x}"), "{:e} ({:#x})", x, x.to_bits());
        assert_eq!(Shortest(x).to_string(), format!("{x}"));
        for decimals in 0..=6 {
            assert_eq!(
                fixed(x, decimals),
                format!("{x:.decimals$}"),
                "{:e} to {decimals}",
                x
            );
        }
        assert_eq!(Fixed(x, 3).to_string(), format!("{x:.3}"));
    }

    #[test]
    fn numbers_are_written_as_the_standard_library_writes_them() {
        for x in [
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.5,
            0.25,
            0.125,
            1.5,
            2.5,
            -2.5,
            0.05,
            0.15,
            0.35,
            1.005,
            2.675,
            1.2,
            0.1,
            0.3,
            1e-7,
            1.5e-10,
            123.456,
            99.95,
            99.995,
            9.9999999,
            0.0009765625,
            1e15,
            1e16,
            1e17,
            1e21,
            1e22,
            1e23,
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
            -5e-324,
            f64::EPSILON,
            9007199254740992.0,
            9007199254740993.0,
            4503599627370496.5,
            0.30000000000000004,
            100.0,
            1024.0,
            1023.9999,
            65536.0 / 3.0,
            2.0f64.powi(-20),
            std::f64::consts::PI,
            std::f64::consts::E,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ] {
            check_written(x);
        }
        // Powers of two and ten, and their neighbours: where the gaps between f64s change.
        for e in -1074..=1023 {
            let x = libm::ldexp(1.0, e);
            check_written(x);
            check_written(f64::from_bits(x.to_bits() + 1));
            check_written(f64::from_bits(x.to_bits() - 1));
        }
        for e in -325..=308 {
            check_written(format!("1e{e}").parse().unwrap());
        }
    }

    /// The same text as the standard library's `{}` for an `f32`.
    fn check_written_f32(x: f32) {
        assert_eq!(
            shortest_f32(x),
            format!("{x}"),
            "{:e} ({:#x})",
            x,
            x.to_bits()
        );
        assert_eq!(ShortestF32(x).to_string(), format!("{x}"));
    }

    #[test]
    fn f32s_are_written_as_the_standard_library_writes_them() {
        for x in [
            0.0f32,
            -0.0,
            0.1,
            0.4,
            0.25,
            1.0 / 3.0,
            16777216.0,
            16777217.0,
            f32::MAX,
            f32::MIN_POSITIVE,
            f32::EPSILON,
            f32::NAN,
            f32::INFINITY,
        ] {
            check_written_f32(x);
        }
        for bits in (0..=u32::MAX).step_by(65_521) {
            check_written_f32(f32::from_bits(bits));
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod random {
        use super::{check, check_written, check_written_f32};
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(20_000))]

            #[test]
            fn any_bits_written_shortest_or_long_read_back(bits in any::<u64>(), digits in 0usize..40) {
                let x = f64::from_bits(bits);
                check(&format!("{x}"));
                check(&format!("{x:e}"));
                check(&format!("{x:.digits$e}"));
            }

            #[test]
            fn any_bits_written_as_the_standard_library_writes_them(bits in any::<u64>()) {
                check_written(f64::from_bits(bits));
            }

            #[test]
            fn any_f32_bits_written_as_the_standard_library_writes_them(bits in any::<u32>()) {
                check_written_f32(f32::from_bits(bits));
            }

            #[test]
            fn numbers_of_the_page_written_as_the_standard_library_writes_them(n in 0u64..100_000_000_000, scale in 0i32..12) {
                let x = n as f64 / 10f64.powi(scale);
                check_written(x);
                check_written(x / 1024.0);
            }

            #[test]
            fn any_digits_and_exponent(int in "[0-9]{0,30}", frac in "[0-9]{0,30}", exp in -400i32..400, sign in "[+-]?") {
                check(&format!("{sign}{int}.{frac}e{exp}"));
                check(&format!("{sign}{int}{frac}"));
                check(&format!("{sign}0.{int}{frac}"));
            }
        }
    }
}

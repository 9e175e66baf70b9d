//! Numbers, sizes and durations as the page (and the checkpoint library's worker) show them.

use crate::engine::checkpoint::decimal::Fixed;

/// Bytes in binary units: `512 B`, `12.3 KiB`, `1.50 MiB`, `2.00 GiB`.
pub fn bytes(b: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if b < 1024 {
        return format!("{b} B");
    }
    let mut value = b as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if value >= 100.0 {
        format!("{} {}", Fixed(value, 0), UNITS[unit])
    } else if value >= 10.0 {
        format!("{} {}", Fixed(value, 1), UNITS[unit])
    } else {
        format!("{} {}", Fixed(value, 2), UNITS[unit])
    }
}

/// Simulated nanoseconds as a duration: `850 ns`, `12.5 µs`, `3.20 ms`, `1.234 s`, `2 min 5 s`.
pub fn duration(ns: u64) -> String {
    let n = ns as f64;
    if ns < 1_000 {
        format!("{ns} ns")
    } else if ns < 1_000_000 {
        format!("{} µs", Fixed(n / 1e3, 1))
    } else if ns < 1_000_000_000 {
        format!("{} ms", Fixed(n / 1e6, 2))
    } else if ns < 120_000_000_000 {
        format!("{} s", Fixed(n / 1e9, 3))
    } else {
        let s = ns / 1_000_000_000;
        format!("{} min {} s", s / 60, s % 60)
    }
}

/// A point in simulated time, as seconds with millisecond precision.
pub fn time(ns: u64) -> String {
    format!("{} s", Fixed(ns as f64 / 1e9, 3))
}

/// Counts with thousands separators: `1,234,567`.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A rate per second, compact: `950/s`, `12.3k/s`, `4.56M/s`.
pub fn rate(per_second: f64) -> String {
    if per_second < 1000.0 {
        format!("{}/s", Fixed(per_second, 0))
    } else if per_second < 1e6 {
        format!("{}k/s", Fixed(per_second / 1e3, 1))
    } else {
        format!("{}M/s", Fixed(per_second / 1e6, 2))
    }
}

//! Colours that carry meaning: each key group and each TaskManager its own hue, a heat ramp for how full a key
//! group is.

use crate::engine::checkpoint::decimal::Fixed;
use crate::engine::keys::key_group::KeyGroup;

/// The colour of a key group (golden-angle hues, so neighbours differ).
pub fn key_group(kg: KeyGroup) -> String {
    let hue = (f64::from(kg.as_i32()) * 137.508) % 360.0;
    format!("hsl({}, 70%, 50%)", Fixed(hue, 0))
}

/// The colour of a TaskManager: its heap gauge, its line on the heap chart and its subtasks' frame in the job graph.
pub fn task_manager(tm: u32) -> String {
    let hue = (340.0 + tm as f64 * 137.508) % 360.0;
    format!("hsl({}, 65%, 48%)", Fixed(hue, 0))
}

/// Heat for `value` of `max` (0 = cold) as RGB: a perceptually even ramp from pale yellow to deep red.
pub fn heat_rgb(value: u64, max: u64, dark: bool) -> [u8; 3] {
    if value == 0 {
        return if dark {
            [0x23, 0x26, 0x2d]
        } else {
            [0xee, 0xf0, 0xf3]
        };
    }
    let t = ((value as f64).ln_1p() / (max.max(1) as f64).ln_1p()).clamp(0.0, 1.0);
    let hue = 55.0 - 65.0 * t;
    let light = if dark {
        0.30 + 0.30 * t
    } else {
        0.85 - 0.45 * t
    };
    hsl_to_rgb(hue, 0.85, light)
}

/// Text that reads on a fill of this colour: near-black on light fills, white on dark ones (relative luminance,
/// as WCAG computes it).
pub fn text_on([r, g, b]: [u8; 3]) -> &'static str {
    let linear = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            libm::pow((c + 0.055) / 1.055, 2.4)
        }
    };
    let luminance = 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
    if luminance > 0.18 {
        "#111418"
    } else {
        "#ffffff"
    }
}

/// Heat as a CSS colour.
pub fn heat(value: u64, max: u64, dark: bool) -> String {
    let [r, g, b] = heat_rgb(value, max, dark);
    format!("rgb({r},{g},{b})")
}

fn hsl_to_rgb(hue: f64, saturation: f64, lightness: f64) -> [u8; 3] {
    let h = hue.rem_euclid(360.0) / 60.0;
    let c = (1.0 - (2.0 * lightness - 1.0).abs()) * saturation;
    let x = c * (1.0 - (h % 2.0 - 1.0).abs());
    let (r, g, b) = match h as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let m = lightness - c / 2.0;
    let to = |v: f64| ((v + m) * 255.0).round().clamp(0.0, 255.0) as u8;
    [to(r), to(g), to(b)]
}

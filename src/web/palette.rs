//! Colours that carry meaning: each key group its own hue, a heat ramp for how full a key group is.

/// The colour of a key group (golden-angle hues, so neighbours differ).
pub fn key_group(kg: u32) -> String {
    let hue = (kg as f64 * 137.508) % 360.0;
    format!("hsl({hue:.0}, 70%, 50%)")
}

/// Heat for `value` of `max` (0 = cold): a perceptually even ramp from pale to deep.
pub fn heat(value: u64, max: u64, dark: bool) -> String {
    if value == 0 {
        return if dark {
            "#23262d".into()
        } else {
            "#eef0f3".into()
        };
    }
    let t = ((value as f64).ln_1p() / (max.max(1) as f64).ln_1p()).clamp(0.0, 1.0);
    // From a light warm yellow to a deep red-purple.
    let hue = 55.0 - 65.0 * t;
    let light = if dark {
        30.0 + 30.0 * t
    } else {
        85.0 - 45.0 * t
    };
    format!("hsl({hue:.0}, 85%, {light:.0}%)")
}

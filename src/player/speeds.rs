//! The page's playback speeds: simulated seconds per wall second, from ×0.0002 to as fast as the engine goes,
//! and which of them a lesson's pace is.

use crate::teaching::lessons::Pace;

/// Playback speeds: simulated seconds per wall second; `None` is as fast as the engine goes.
pub const SPEEDS: [Option<f64>; 18] = [
    Some(0.0002),
    Some(0.0005),
    Some(0.001),
    Some(0.002),
    Some(0.005),
    Some(0.01),
    Some(0.02),
    Some(0.05),
    Some(0.1),
    Some(0.2),
    Some(0.5),
    Some(1.0),
    Some(2.0),
    Some(5.0),
    Some(10.0),
    Some(50.0),
    Some(200.0),
    None,
];
/// ×0.1 ([`crate::teaching::start::DEFAULT_SPEED`]): the default job's records cross the network in half a
/// second, and a checkpoint and a map resize happen within a minute.
pub const DEFAULT_SPEED: usize = 8;
const _: () =
    assert!(matches!(SPEEDS[DEFAULT_SPEED], Some(f) if f == crate::teaching::start::DEFAULT_SPEED));
/// The fastest speed (as fast as the engine goes).
pub const MAX_SPEED: usize = SPEEDS.len() - 1;
/// Above this speed the per-record events are not collected (the engine's fast path).
pub const PER_RECORD_UP_TO: f64 = 0.5;

/// The speed (index into [`SPEEDS`]) a lesson's pace plays at.
pub fn of_pace(pace: Pace) -> usize {
    let factor = match pace {
        Pace::Slow => Some(0.1),
        Pace::RealTime => Some(1.0),
        Pace::Max => None,
    };
    SPEEDS
        .iter()
        .position(|&s| s == factor)
        .unwrap_or(DEFAULT_SPEED)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lesson_plays_at_a_speed_the_page_has() {
        assert_eq!(SPEEDS[of_pace(Pace::Slow)], Some(0.1));
        assert_eq!(SPEEDS[of_pace(Pace::RealTime)], Some(1.0));
        assert_eq!(of_pace(Pace::Max), MAX_SPEED);
        assert_eq!(SPEEDS[MAX_SPEED], None);
    }
}

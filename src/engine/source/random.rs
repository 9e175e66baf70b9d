//! Deterministic, counter-based randomness. Every random choice of a run is a pure function of the seed, a
//! stream (what is being decided) and a counter (for which element), so the same seed and configuration replay
//! the same run step for step on any platform, a source can be rewound to any position without replaying a
//! generator, and changing the source parallelism does not change which key event `i` carries.
//!
//! The mixer is SplitMix64's finaliser applied twice (Steele, Lea & Flood, "Fast splittable pseudorandom number
//! generators", 2014): a dozen instructions and more than enough quality to pick keys.

/// Streams, so that independent decisions never share random numbers.
pub mod stream {
    pub const KEY: u64 = 1;
    pub const HOT_KEY_COIN: u64 = 2;
    pub const NETWORK_JITTER: u64 = 3;
    pub const TRIGGER_JITTER: u64 = 4;
    pub const RESTART_JITTER: u64 = 5;
    pub const EVENT_CATEGORY: u64 = 6;
    pub const EVENT_AMOUNT: u64 = 7;
}

#[inline]
const fn fmix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A 64-bit random value for (`seed`, `stream`, `counter`).
#[inline]
pub const fn random_u64(seed: u64, stream: u64, counter: u64) -> u64 {
    let s = fmix64(seed.wrapping_add(stream.wrapping_mul(0x9E37_79B9_7F4A_7C15)));
    fmix64(
        s ^ counter
            .wrapping_mul(0xD6E8_FEB8_6659_FD93)
            .wrapping_add(0x2545_F491_4F6C_DD1D),
    )
}

/// Uniform in `[0, 1)` with 53 random bits.
#[inline]
pub fn random_unit(seed: u64, stream: u64, counter: u64) -> f64 {
    (random_u64(seed, stream, counter) >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// Uniform in `[0, n)` (Lemire's multiply-shift; `n > 0`).
#[inline]
pub fn random_below(seed: u64, stream: u64, counter: u64, n: u64) -> u64 {
    ((u128::from(random_u64(seed, stream, counter)) * u128::from(n)) >> 64) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_inputs_give_the_same_number_and_streams_differ() {
        assert_eq!(
            random_u64(7, stream::KEY, 99),
            random_u64(7, stream::KEY, 99)
        );
        assert_ne!(
            random_u64(7, stream::KEY, 99),
            random_u64(7, stream::HOT_KEY_COIN, 99)
        );
        assert_ne!(
            random_u64(7, stream::KEY, 99),
            random_u64(8, stream::KEY, 99)
        );
    }

    #[test]
    fn random_below_is_roughly_uniform() {
        let mut buckets = [0u32; 10];
        for i in 0..100_000 {
            buckets[random_below(42, stream::KEY, i, 10) as usize] += 1;
        }
        for b in buckets {
            assert!((9_500..10_500).contains(&b), "{buckets:?}");
        }
    }

    #[test]
    fn random_unit_stays_in_range() {
        for i in 0..10_000 {
            let u = random_unit(1, 1, i);
            assert!((0.0..1.0).contains(&u));
        }
    }
}

//! Which key each generated event carries: uniform, Zipf with a skew exponent, one hot key taking a share of
//! the traffic, or every key in turn. Event `i` always gets the same key for the same seed (see
//! [`crate::engine::source::random`]).
//!
//! Zipf uses Hörmann & Derflinger's rejection-inversion ("Rejection-inversion to generate variates from
//! monotone discrete distributions", 1996), as in Apache Commons RNG's `RejectionInversionZipfSampler`: O(1)
//! memory whatever the key count, and `libm` keeps it bit-identical natively and in wasm.

use crate::engine::source::random::{random_below, random_unit, stream};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum KeyDistribution {
    /// Every key equally likely.
    Uniform,
    /// Key `k` (0-based) with probability ∝ (k+1)^-exponent: key 0 is the most frequent.
    Zipf { exponent: f64 },
    /// Key `key` takes `fraction` of the events; the rest are uniform over all keys.
    HotKey { key: u64, fraction: f64 },
    /// Keys in order, 0, 1, 2, …, wrapping around: every event a new key until all exist.
    Sequential,
}

impl Default for KeyDistribution {
    fn default() -> Self {
        KeyDistribution::Zipf { exponent: 1.0 }
    }
}

/// A ready-to-sample distribution over `0..key_count`.
#[derive(Clone, Copy, Debug)]
pub struct KeySampler {
    seed: u64,
    key_count: u64,
    kind: SamplerKind,
}

#[derive(Clone, Copy, Debug)]
enum SamplerKind {
    Uniform,
    Zipf(ZipfSampler),
    HotKey { key: u64, fraction: f64 },
    Sequential,
}

impl KeySampler {
    /// `key_count` must be at least 1 and the distribution valid (`JobConfig` validates both).
    pub fn new(seed: u64, key_count: u64, distribution: &KeyDistribution) -> Self {
        let kind = match distribution {
            KeyDistribution::Uniform => SamplerKind::Uniform,
            KeyDistribution::Zipf { exponent } => {
                SamplerKind::Zipf(ZipfSampler::new(key_count, *exponent))
            }
            KeyDistribution::HotKey { key, fraction } => SamplerKind::HotKey {
                key: *key,
                fraction: *fraction,
            },
            KeyDistribution::Sequential => SamplerKind::Sequential,
        };
        KeySampler {
            seed,
            key_count: key_count.max(1),
            kind,
        }
    }

    /// The key index of generated event `event_index`.
    #[inline]
    pub fn sample(&self, event_index: u64) -> u64 {
        match &self.kind {
            SamplerKind::Uniform => {
                random_below(self.seed, stream::KEY, event_index, self.key_count)
            }
            SamplerKind::Zipf(z) => z.sample(self.seed, event_index) - 1,
            SamplerKind::HotKey { key, fraction } => {
                if random_unit(self.seed, stream::HOT_KEY_COIN, event_index) < *fraction {
                    *key
                } else {
                    random_below(self.seed, stream::KEY, event_index, self.key_count)
                }
            }
            SamplerKind::Sequential => event_index % self.key_count,
        }
    }
}

/// Rejection-inversion sampler for Zipf over `1..=n` with exponent > 0.
#[derive(Clone, Copy, Debug)]
struct ZipfSampler {
    n: u64,
    exponent: f64,
    h_integral_x1: f64,
    h_integral_n: f64,
    s: f64,
}

impl ZipfSampler {
    fn new(n: u64, exponent: f64) -> Self {
        let mut z = ZipfSampler {
            n: n.max(1),
            exponent,
            h_integral_x1: 0.0,
            h_integral_n: 0.0,
            s: 0.0,
        };
        z.h_integral_x1 = z.h_integral(1.5) - 1.0;
        z.h_integral_n = z.h_integral(z.n as f64 + 0.5);
        z.s = 2.0 - z.h_integral_inverse(z.h_integral(2.5) - z.h(2.0));
        z
    }

    fn sample(&self, seed: u64, event_index: u64) -> u64 {
        // Each attempt draws a fresh number; the acceptance rate is high, so this rarely loops.
        let mut attempt = 0u64;
        loop {
            let counter = event_index.wrapping_mul(0x1_0000).wrapping_add(attempt);
            let u = self.h_integral_n
                + random_unit(seed, stream::KEY, counter)
                    * (self.h_integral_x1 - self.h_integral_n);
            let x = self.h_integral_inverse(u);
            let k = ((x + 0.5) as u64).clamp(1, self.n);
            if (k as f64 - x) <= self.s || u >= self.h_integral(k as f64 + 0.5) - self.h(k as f64) {
                return k;
            }
            attempt += 1;
        }
    }

    fn h_integral(&self, x: f64) -> f64 {
        let log_x = libm::log(x);
        helper2((1.0 - self.exponent) * log_x) * log_x
    }

    fn h(&self, x: f64) -> f64 {
        libm::exp(-self.exponent * libm::log(x))
    }

    fn h_integral_inverse(&self, x: f64) -> f64 {
        let t = (x * (1.0 - self.exponent)).max(-1.0);
        libm::exp(helper1(t) * x)
    }
}

/// `log1p(x) / x`, continuous at 0.
fn helper1(x: f64) -> f64 {
    if x.abs() > 1e-8 {
        libm::log1p(x) / x
    } else {
        1.0 - x * (0.5 - x * (1.0 / 3.0 - 0.25 * x))
    }
}

/// `expm1(x) / x`, continuous at 0.
fn helper2(x: f64) -> f64 {
    if x.abs() > 1e-8 {
        libm::expm1(x) / x
    } else {
        1.0 + x * 0.5 * (1.0 + x * (1.0 / 3.0) * (1.0 + 0.25 * x))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn histogram(d: &KeyDistribution, n: u64, samples: u64) -> Vec<u64> {
        let sampler = KeySampler::new(42, n, d);
        let mut h = vec![0u64; n as usize];
        for i in 0..samples {
            h[sampler.sample(i) as usize] += 1;
        }
        h
    }

    #[test]
    fn zipf_frequencies_follow_the_power_law() {
        let n = 50;
        let samples = 400_000;
        let h = histogram(&KeyDistribution::Zipf { exponent: 1.0 }, n, samples);
        let harmonic: f64 = (1..=n).map(|k| 1.0 / k as f64).sum();
        for k in [1u64, 2, 5, 10, 50] {
            let expected = samples as f64 / (k as f64 * harmonic);
            let got = h[(k - 1) as usize] as f64;
            assert!(
                (got - expected).abs() / expected < 0.05,
                "k={k}: {got} vs {expected}"
            );
        }
    }

    #[test]
    fn zipf_with_a_large_exponent_concentrates_on_the_first_key() {
        let h = histogram(&KeyDistribution::Zipf { exponent: 3.0 }, 1000, 100_000);
        assert!(h[0] > 80_000, "{}", h[0]);
        // And it never leaves the range even with a million keys.
        let sampler = KeySampler::new(1, 1_000_000, &KeyDistribution::Zipf { exponent: 0.5 });
        assert!((0..100_000).all(|i| sampler.sample(i) < 1_000_000));
    }

    #[test]
    fn hot_key_takes_its_share() {
        let h = histogram(
            &KeyDistribution::HotKey {
                key: 7,
                fraction: 0.5,
            },
            100,
            100_000,
        );
        let share = h[7] as f64 / 100_000.0;
        assert!((share - 0.505).abs() < 0.01, "{share}");
    }

    #[test]
    fn sequential_visits_every_key_in_order() {
        let sampler = KeySampler::new(0, 3, &KeyDistribution::Sequential);
        assert_eq!(
            (0..7).map(|i| sampler.sample(i)).collect::<Vec<_>>(),
            vec![0, 1, 2, 0, 1, 2, 0]
        );
    }

    #[test]
    fn sampling_is_deterministic() {
        let d = KeyDistribution::Zipf { exponent: 1.2 };
        let a = KeySampler::new(9, 10_000, &d);
        let b = KeySampler::new(9, 10_000, &d);
        assert!((0..10_000).all(|i| a.sample(i) == b.sample(i)));
    }
}

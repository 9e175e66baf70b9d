//! `RestartBackoffTimeStrategy` and its implementations in Flink 2.x
//! (`org.apache.flink.runtime.executiongraph.failover`): on a task failure the `ExecutionFailureHandler` calls
//! `notifyFailure`, then `canRestart`; if it may, the job restarts after `getBackoffTime`.
//!
//! * `none` — never restarts.
//! * `fixed-delay` — `attempts` restarts, each after `delay`.
//! * `failure-rate` — restarts unless more than `max-failures-per-interval` failures fall in the interval.
//! * `exponential-delay` — `initial × multiplier^attempt` with ± jitter, capped at the maximum; failures that
//!   come while a restart is still pending count as one; the attempt count resets after a quiet
//!   `reset-backoff-threshold`. The jitter is drawn from the run's seed instead of `ThreadLocalRandom`.

use crate::engine::cluster::job_config::RestartStrategyConfig;
use crate::engine::shared::deque::Deque;
use crate::engine::source::random::{random_below, stream};

const NS_PER_MS: u64 = 1_000_000;

#[derive(Clone, Debug)]
pub struct RestartBackoffTimeStrategy {
    config: RestartStrategyConfig,
    seed: u64,
    current_restart_attempt: u64,
    failure_timestamps: Deque<u64>,
    /// exponential-delay: when the pending restart happens (ms), `i64::MIN` before the first failure.
    next_restart_timestamp: i64,
    failures: u64,
}

impl RestartBackoffTimeStrategy {
    pub fn new(config: RestartStrategyConfig, seed: u64) -> Self {
        RestartBackoffTimeStrategy {
            config,
            seed,
            current_restart_attempt: 0,
            failure_timestamps: Deque::default(),
            next_restart_timestamp: i32::MIN as i64,
            failures: 0,
        }
    }

    pub fn config(&self) -> &RestartStrategyConfig {
        &self.config
    }

    /// `notifyFailure(cause)` at simulated time `now` (ns). Returns whether this failure starts a new restart
    /// attempt (exponential-delay merges failures that come while a restart is pending).
    pub fn notify_failure(&mut self, now: u64) -> bool {
        self.failures += 1;
        let now_ms = (now / NS_PER_MS) as i64;
        match &self.config {
            RestartStrategyConfig::None => true,
            RestartStrategyConfig::FixedDelay { .. } => {
                self.current_restart_attempt += 1;
                true
            }
            RestartStrategyConfig::FailureRate {
                max_failures_per_interval,
                ..
            } => {
                if self.failure_timestamps.len() > *max_failures_per_interval as usize {
                    self.failure_timestamps.pop_front();
                }
                self.failure_timestamps.push_back(now_ms as u64);
                true
            }
            RestartStrategyConfig::ExponentialDelay {
                reset_backoff_threshold_ms,
                ..
            } => {
                if now_ms <= self.next_restart_timestamp {
                    return false;
                }
                if now_ms - self.next_restart_timestamp >= *reset_backoff_threshold_ms as i64 {
                    self.current_restart_attempt = 0;
                }
                self.next_restart_timestamp = now_ms + self.actual_backoff_ms() as i64;
                self.current_restart_attempt += 1;
                true
            }
        }
    }

    /// `canRestart()`.
    pub fn can_restart(&self, now: u64) -> bool {
        match &self.config {
            RestartStrategyConfig::None => false,
            RestartStrategyConfig::FixedDelay { attempts, .. } => {
                self.current_restart_attempt <= u64::from(*attempts)
            }
            RestartStrategyConfig::FailureRate {
                max_failures_per_interval,
                failure_rate_interval_ms,
                ..
            } => {
                if self.failure_timestamps.len() > *max_failures_per_interval as usize {
                    let earliest = self.failure_timestamps.front().copied().unwrap_or(0);
                    now / NS_PER_MS - earliest > *failure_rate_interval_ms
                } else {
                    true
                }
            }
            RestartStrategyConfig::ExponentialDelay {
                attempts_before_reset_backoff,
                ..
            } => self.current_restart_attempt <= u64::from(*attempts_before_reset_backoff),
        }
    }

    /// `getBackoffTime()` in ns.
    pub fn backoff_time(&self, now: u64) -> u64 {
        match &self.config {
            RestartStrategyConfig::None => 0,
            RestartStrategyConfig::FixedDelay { delay_ms, .. }
            | RestartStrategyConfig::FailureRate { delay_ms, .. } => delay_ms * NS_PER_MS,
            RestartStrategyConfig::ExponentialDelay { .. } => {
                (self.next_restart_timestamp - (now / NS_PER_MS) as i64).max(0) as u64 * NS_PER_MS
            }
        }
    }

    /// `calculateActualBackoffTime()`.
    fn actual_backoff_ms(&self) -> u64 {
        let RestartStrategyConfig::ExponentialDelay {
            initial_backoff_ms,
            max_backoff_ms,
            backoff_multiplier,
            jitter_factor,
            ..
        } = &self.config
        else {
            return 0;
        };
        let current = (*initial_backoff_ms as f64
            * libm::pow(*backoff_multiplier, self.current_restart_attempt as f64))
        .min(i64::MAX as f64) as i128;
        let jitter = if *jitter_factor == 0.0 {
            0
        } else {
            let offset = (current as f64 * jitter_factor) as i128;
            // nextLong(-offset, offset + 1)
            let span = u64::try_from(2 * offset + 1).unwrap_or(u64::MAX);
            i128::from(random_below(
                self.seed,
                stream::RESTART_JITTER,
                self.failures,
                span,
            )) - offset
        };
        (current + jitter)
            .min(i128::from(*max_backoff_ms))
            .max(i128::from(*initial_backoff_ms)) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: u64 = 1_000_000_000;

    #[test]
    fn fixed_delay_allows_exactly_its_attempts() {
        let mut r = RestartBackoffTimeStrategy::new(
            RestartStrategyConfig::FixedDelay {
                attempts: 3,
                delay_ms: 500,
            },
            1,
        );
        for _ in 0..3 {
            r.notify_failure(0);
            assert!(r.can_restart(0));
            assert_eq!(r.backoff_time(0), 500 * NS_PER_MS);
        }
        r.notify_failure(0);
        assert!(!r.can_restart(0));
    }

    #[test]
    fn none_never_restarts() {
        let mut r = RestartBackoffTimeStrategy::new(RestartStrategyConfig::None, 1);
        r.notify_failure(0);
        assert!(!r.can_restart(0));
    }

    #[test]
    fn failure_rate_counts_failures_within_the_interval() {
        let config = RestartStrategyConfig::FailureRate {
            max_failures_per_interval: 2,
            failure_rate_interval_ms: 60_000,
            delay_ms: 1000,
        };
        let mut r = RestartBackoffTimeStrategy::new(config, 1);
        for t in [0, 10 * S] {
            r.notify_failure(t);
            assert!(r.can_restart(t));
        }
        r.notify_failure(20 * S);
        assert!(!r.can_restart(20 * S), "three failures within a minute");
        r.notify_failure(100 * S);
        assert!(
            r.can_restart(100 * S),
            "the oldest failure left the interval"
        );
    }

    #[test]
    fn exponential_delay_grows_merges_and_resets() {
        let config = RestartStrategyConfig::ExponentialDelay {
            initial_backoff_ms: 1000,
            max_backoff_ms: 60_000,
            backoff_multiplier: 2.0,
            reset_backoff_threshold_ms: 3_600_000,
            jitter_factor: 0.0,
            attempts_before_reset_backoff: 10,
        };
        let mut r = RestartBackoffTimeStrategy::new(config, 1);
        assert!(r.notify_failure(0));
        assert_eq!(r.backoff_time(0), S);
        // A second failure while the restart is pending is the same attempt.
        assert!(!r.notify_failure(S / 2));
        // Each later failure comes a second after the job restarted.
        let mut t = S;
        let mut delays = vec![];
        for _ in 0..7 {
            t += S;
            assert!(r.notify_failure(t));
            let delay = r.backoff_time(t);
            delays.push(delay / S);
            t += delay;
        }
        assert_eq!(delays, vec![2, 4, 8, 16, 32, 60, 60]);
        // After an hour of quiet the backoff starts over.
        t += 2 * 3600 * S;
        r.notify_failure(t);
        assert_eq!(r.backoff_time(t), S);
    }

    #[test]
    fn extreme_backoffs_saturate_at_the_maximum() {
        let config = RestartStrategyConfig::ExponentialDelay {
            initial_backoff_ms: 1000,
            max_backoff_ms: 86_400_000,
            backoff_multiplier: 1000.0,
            reset_backoff_threshold_ms: i64::MAX as u64 / 2,
            jitter_factor: 1.0,
            attempts_before_reset_backoff: u32::MAX,
        };
        let mut r = RestartBackoffTimeStrategy::new(config, 3);
        let mut t = 0;
        for _ in 0..20 {
            t += NS_PER_MS;
            r.notify_failure(t);
            let delay = r.backoff_time(t);
            assert!(delay <= 86_400_000 * NS_PER_MS);
            t += delay;
        }
        assert_eq!(
            r.backoff_time(t - 86_400_000 * NS_PER_MS),
            86_400_000 * NS_PER_MS
        );
    }

    #[test]
    fn exponential_jitter_stays_within_the_factor_and_is_deterministic() {
        let config = RestartStrategyConfig::exponential_delay_default();
        let run = || {
            let mut r = RestartBackoffTimeStrategy::new(config.clone(), 9);
            r.notify_failure(0);
            r.backoff_time(0)
        };
        let d = run();
        assert_eq!(d, run());
        assert!((900 * NS_PER_MS..=1100 * NS_PER_MS).contains(&d), "{d}");
    }
}

//! When to stop [`MiniCluster::run`](super::mini_cluster::MiniCluster::run): after steps, at a simulated time, or
//! after records. Not a Flink concept: how far to drive the simulation.

/// When to stop [`MiniCluster::run`](crate::engine::cluster::mini_cluster::MiniCluster::run).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RunLimit {
    pub max_steps: u64,
    /// Stop once simulated time reaches this (ns).
    pub until_time: u64,
    /// Stop once this many more records were processed.
    pub max_records: u64,
}

impl RunLimit {
    pub const UNLIMITED: RunLimit = RunLimit {
        max_steps: u64::MAX,
        until_time: u64::MAX,
        max_records: u64::MAX,
    };

    pub fn records(n: u64) -> Self {
        RunLimit {
            max_records: n,
            ..RunLimit::UNLIMITED
        }
    }

    pub fn steps(n: u64) -> Self {
        RunLimit {
            max_steps: n,
            ..RunLimit::UNLIMITED
        }
    }

    pub fn until(time_ns: u64) -> Self {
        RunLimit {
            until_time: time_ns,
            ..RunLimit::UNLIMITED
        }
    }
}

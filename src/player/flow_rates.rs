//! How fast records flow, for the job graph at high speed: records per second (of wall time), smoothed, per
//! channel, subtask and the sink.

use crate::engine::cluster::mini_cluster::MiniCluster;
use crate::engine::tasks::subtask_index::SubtaskIndex;

/// Records per second, smoothed, per channel / subtask / sink.
#[derive(Clone, Debug, Default)]
pub struct FlowRates {
    pub channels: Vec<f64>,
    pub subtasks: Vec<f64>,
    pub sink: f64,
    last_channels: Vec<u64>,
    last_subtasks: Vec<u64>,
    last_sink: u64,
}

impl FlowRates {
    /// Takes the counts of `cluster` `wall_dt_s` wall seconds after the last update (0: starts over).
    pub fn update(&mut self, cluster: &MiniCluster, wall_dt_s: f64) {
        let s = cluster.source_parallelism();
        let p = cluster.parallelism();
        let channels: Vec<u64> = (0..s)
            .flat_map(|j| SubtaskIndex::all(p).map(move |i| (j, i)))
            .map(|(j, i)| cluster.channel(j, i).records_sent())
            .collect();
        let subtasks: Vec<u64> = cluster
            .tasks()
            .iter()
            .map(|t| t.records_processed())
            .collect();
        let sink = cluster.sink().written();
        if channels.len() != self.last_channels.len() || wall_dt_s <= 0.0 {
            self.channels = vec![0.0; channels.len()];
            self.subtasks = vec![0.0; subtasks.len()];
        } else {
            let smooth = |old: f64, new: f64| old * 0.8 + new * 0.2;
            for (i, (&now, &before)) in channels.iter().zip(&self.last_channels).enumerate() {
                self.channels[i] = smooth(
                    self.channels[i],
                    now.saturating_sub(before) as f64 / wall_dt_s,
                );
            }
            for (i, (&now, &before)) in subtasks.iter().zip(&self.last_subtasks).enumerate() {
                self.subtasks[i] = smooth(
                    self.subtasks[i],
                    now.saturating_sub(before) as f64 / wall_dt_s,
                );
            }
            self.sink = smooth(
                self.sink,
                sink.saturating_sub(self.last_sink) as f64 / wall_dt_s,
            );
        }
        self.last_channels = channels;
        self.last_subtasks = subtasks;
        self.last_sink = sink;
    }
}

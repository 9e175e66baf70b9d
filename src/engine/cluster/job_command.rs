//! Everything a user can do to a running job, as one serde value: what Flink offers through its REST API and
//! CLI (`POST /jobs/:id/checkpoints`, `flink run -s <checkpoint>` at another parallelism), what the page's
//! controls add (a key typed into the source, an exception thrown in `processElement`, the source rate, the
//! checkpoint interval) and letting simulated time pass between animation frames.
//!
//! A [`JobCommand`] is applied with [`crate::engine::cluster::mini_cluster::MiniCluster::apply`]. The same value is what
//! [`crate::engine::history::run_history::RunHistory`] records to replay a run, and what a [`ScheduledCommand`] in a job's
//! `script` carries: StateLab's own addition (Flink has no such thing), which lets a lesson or a scenario preset
//! act on the job at an exact point — after the n-th record, at a simulated time, right after a checkpoint
//! completes — so that every run of the configuration is the same however it is driven.

use serde::{Deserialize, Serialize};

/// One thing a user does to a job.
/// The message of the `RuntimeException` the page's "fail" button throws: the Java text a log line shows, in every
/// language (the page explains it in its own).
pub const FAILURE_BY_HAND: &str = "failure injected by hand";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum JobCommand {
    /// Sends one event with this key, as if typed into the source (split 0's log).
    #[serde(rename_all = "camelCase")]
    InjectKey { key: String },
    /// Triggers a checkpoint now (`POST /jobs/:id/checkpoints`).
    TriggerCheckpoint,
    /// Makes subtask 0 fail now, as an exception thrown in `processElement` would; `description` is the
    /// exception's message ([`FAILURE_BY_HAND`] from the page's button).
    #[serde(rename_all = "camelCase")]
    FailNow { description: String },
    /// Cancels the running execution and starts a new one from a retained checkpoint (the latest when `None`)
    /// at `parallelism`, redistributing key groups.
    #[serde(rename_all = "camelCase")]
    Restore {
        #[serde(default)]
        checkpoint_id: Option<u64>,
        parallelism: u32,
    },
    /// Events per second of simulated time over the whole source; 0 pauses the generator.
    #[serde(rename_all = "camelCase")]
    SetSourceRate { rate: u64 },
    /// The periodic checkpoint interval; `None` turns periodic checkpoints off.
    #[serde(rename_all = "camelCase")]
    SetCheckpointInterval {
        #[serde(default)]
        interval_ms: Option<u64>,
    },
    /// Lets simulated time pass up to `time_ns` without anything happening (the clock stops at the next
    /// pending action); what the page does between frames, so that a command given afterwards happens at the
    /// time the page shows.
    #[serde(rename_all = "camelCase")]
    AdvanceClock { time_ns: u64 },
}

impl JobCommand {
    /// A short description for logs and golden traces: its English in the catalogue
    /// ([`messages::errors::job_command`](crate::i18n::messages::errors::job_command), which words it in both
    /// languages).
    pub fn describe(&self) -> String {
        crate::i18n::messages::errors::job_command(self, crate::i18n::Lang::En)
    }
}

/// When a scheduled command fires. Each fires once, at the end of the step that makes it due.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum CommandTrigger {
    /// Right after the job has processed its `records`-th record (1-based, counted over all subtasks and
    /// attempts: records processed again after a restore count again).
    #[serde(rename_all = "camelCase")]
    AfterRecords { records: u64 },
    /// At this simulated time, while the job is running or restarting (a finished or failed job does not
    /// wait for it).
    #[serde(rename_all = "camelCase")]
    AtTime { ms: u64 },
    /// Right after checkpoint `checkpoint_id` completes (never, if that checkpoint fails).
    #[serde(rename_all = "camelCase")]
    AfterCheckpoint { checkpoint_id: u64 },
}

/// A command of a job's script.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ScheduledCommand {
    pub at: CommandTrigger,
    pub command: JobCommand,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_are_camel_case_json_tagged_by_type() {
        let scheduled = ScheduledCommand {
            at: CommandTrigger::AfterCheckpoint { checkpoint_id: 3 },
            command: JobCommand::Restore {
                checkpoint_id: None,
                parallelism: 3,
            },
        };
        let json = serde_json::to_string(&scheduled).unwrap();
        assert_eq!(
            json,
            r#"{"at":{"type":"afterCheckpoint","checkpointId":3},"command":{"type":"restore","checkpointId":null,"parallelism":3}}"#
        );
        assert_eq!(
            serde_json::from_str::<ScheduledCommand>(&json).unwrap(),
            scheduled
        );
        let short: JobCommand =
            serde_json::from_str(r#"{"type":"restore","parallelism":2}"#).unwrap();
        assert_eq!(
            short,
            JobCommand::Restore {
                checkpoint_id: None,
                parallelism: 2
            }
        );
        let clock: JobCommand =
            serde_json::from_str(r#"{"type":"advanceClock","timeNs":5}"#).unwrap();
        assert_eq!(clock, JobCommand::AdvanceClock { time_ns: 5 });
    }
}

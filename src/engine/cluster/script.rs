//! The commands of a [`JobConfig`]'s `script`: when each becomes due (after the n-th record, at a simulated
//! time, right after a checkpoint completes) and how the cluster applies them at the end of the step that
//! made them due, so a scripted run is the same however its steps are chunked. Not a Flink concept: what a
//! person would do at the REST API at those moments.

use crate::engine::cluster::engine_event::Report;
use crate::engine::cluster::job_command::CommandTrigger;

use crate::engine::cluster::mini_cluster::MiniCluster;

impl MiniCluster {
    /// The smallest record count an unfired `AfterRecords` command waits for.
    pub(super) fn update_script_next_records(&mut self) {
        self.script_next_records = self
            .script
            .iter()
            .filter(|e| !e.fired)
            .filter_map(|e| match e.scheduled.at {
                CommandTrigger::AfterRecords { records } => Some(records),
                _ => None,
            })
            .min()
            .unwrap_or(u64::MAX);
    }

    /// Marks the unfired commands whose trigger matches as due at the end of this step.
    pub(super) fn mark_script_due(&mut self, matches: impl Fn(CommandTrigger) -> bool) {
        for entry in &mut self.script {
            if !entry.fired && matches(entry.scheduled.at) {
                entry.due = true;
                self.script_due = true;
            }
        }
    }

    #[cold]
    pub(super) fn script_records_reached(&mut self) {
        let records = self.counters.records_processed;
        self.mark_script_due(|at| at == CommandTrigger::AfterRecords { records });
    }

    /// Applies the commands that became due in this step, in script order, each once.
    #[cold]
    pub(super) fn run_script(&mut self, r: &mut dyn Report) {
        self.script_due = false;
        for index in 0..self.script.len() {
            let entry = &mut self.script[index];
            if !entry.due {
                continue;
            }
            entry.due = false;
            entry.fired = true;
            let command = entry.scheduled.command.clone();
            let outcome = self.apply_reporting(&command, r);
            r.report_scripted_command(self.now, &command, outcome.as_ref().map(drop));
        }
        self.update_script_next_records();
        self.refresh_control();
    }
}

//! The heap chart's data: each TaskManager's used heap over the whole run, within a fixed number of samples
//! (when full, every other sample is dropped and the interval doubles), and the marks on its time axis.

/// Samples kept at most.
const HEAP_SAMPLES: usize = 1200;

/// At most this many TaskManagers: one per slot, and a job has at most as many slots as subtasks of an operator.
pub const MAX_TASK_MANAGERS: usize =
    crate::engine::cluster::job_config::MAX_JOB_PARALLELISM as usize;

/// One point of the heap chart: each TaskManager's used heap.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HeapSample {
    pub time: u64,
    /// Each TaskManager's `-Xmx` (they are all started alike).
    pub limit: u64,
    pub task_managers: u8,
    pub used: [u64; MAX_TASK_MANAGERS],
}

/// A mark on the heap chart's time axis.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeapMark {
    /// In this TaskManager.
    OutOfMemory(u32),
    Failure,
    Restored,
}

/// Heap samples over the whole run: when full, every other sample is dropped and the interval doubles.
#[derive(Clone, Debug, Default)]
pub struct HeapHistory {
    pub samples: Vec<HeapSample>,
    pub marks: Vec<(u64, HeapMark)>,
    min_interval: u64,
}

impl HeapHistory {
    /// Forgets what came after `time` (the page went back in time).
    pub fn truncate_after(&mut self, time: u64) {
        self.samples.retain(|s| s.time <= time);
        self.marks.retain(|&(t, _)| t <= time);
    }

    /// Adds a sample: not when it is too close to the last one and equal to it; when full, every other one is
    /// dropped first.
    pub fn push(&mut self, sample: HeapSample) {
        if let Some(last) = self.samples.last() {
            if sample.time < last.time + self.min_interval && sample.used == last.used {
                return;
            }
        }
        if self.samples.len() == HEAP_SAMPLES {
            let mut keep = Vec::with_capacity(HEAP_SAMPLES / 2 + 1);
            keep.extend(self.samples.iter().step_by(2).copied());
            self.samples = keep;
            let span = self.samples.last().map_or(0, |l| l.time)
                - self.samples.first().map_or(0, |f| f.time);
            self.min_interval = (span / HEAP_SAMPLES as u64)
                .max(self.min_interval * 2)
                .max(1);
        }
        self.samples.push(sample);
    }
}

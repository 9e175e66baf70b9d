//! `--jvm-heap SIZE | --process-size SIZE [--managed-size SIZE]`, shared by `heap` and `run`: local execution
//! with its `-Xmx`, or cluster TaskManagers sized by their process size (and `--task-slots N`, which the commands
//! read themselves).

use super::{parse_value, CliError};
use statelab::engine::memory::memory_size::MemorySize;
use statelab::engine::memory::task_executor_memory::MemoryConfig;

/// `--task-slots` with local execution: refused, as it would change nothing.
pub const LOCAL_HAS_NO_TASK_SLOTS: &str = "--task-slots is taskmanager.numberOfTaskSlots of cluster TaskManagers \
     (--process-size); local execution (--jvm-heap) runs one TaskManager with as many slots as the job needs, in one JVM";

pub enum MemoryFlag {
    JvmHeap,
    ProcessSize,
    ManagedSize,
}

#[derive(Default)]
pub struct MemoryFlags {
    jvm_heap: Option<MemorySize>,
    process_size: Option<MemorySize>,
    managed_size: Option<MemorySize>,
}

impl MemoryFlags {
    /// Sets one of the flags from its value.
    pub fn set(&mut self, flag: MemoryFlag, value: std::ffi::OsString) -> Result<(), CliError> {
        let (name, slot) = match flag {
            MemoryFlag::JvmHeap => ("--jvm-heap", &mut self.jvm_heap),
            MemoryFlag::ProcessSize => ("--process-size", &mut self.process_size),
            MemoryFlag::ManagedSize => ("--managed-size", &mut self.managed_size),
        };
        *slot = Some(parse_value(name, value)?);
        Ok(())
    }

    /// The memory configuration the flags describe, if any.
    pub fn into_config(self) -> Result<Option<MemoryConfig>, CliError> {
        match (self.jvm_heap, self.process_size, self.managed_size) {
            (Some(_), Some(_), _) => Err(CliError::usage(
                "use either --jvm-heap or --process-size, not both",
            )),
            (_, None, Some(_)) => Err(CliError::usage("--managed-size goes with --process-size")),
            (Some(jvm_heap), None, None) => Ok(Some(MemoryConfig::Local { jvm_heap })),
            (None, Some(process_size), managed_size) => Ok(Some(MemoryConfig::Process {
                process_size,
                managed_size,
            })),
            (None, None, None) => Ok(None),
        }
    }
}

//! The cluster — `org.apache.flink.runtime.minicluster` and what runs in it: the job's configuration and
//! commands, the JobMaster's scheduling and restart strategy, TaskManagers and their slots, operator ids, and the
//! events a step reports.

pub mod engine_event;
pub mod job_command;
pub mod job_config;
pub mod mini_cluster;
pub mod operator_id;
pub mod restart_strategy;
pub mod slot_sharing_group;
pub mod task_manager;

//! The cluster — `org.apache.flink.runtime.minicluster` and what runs in it: the job's configuration and
//! commands, the JobMaster's scheduling and restart strategy, TaskManagers and their slots, operator ids, and the
//! events a step reports.

mod cluster_client;
pub mod engine_error;
pub mod engine_event;
pub mod job_command;
pub mod job_config;
pub mod job_config_error;
pub mod job_counters;
pub mod job_exception;
mod job_master;
pub mod job_status;
pub mod mini_cluster;
pub mod operator_id;
pub mod restart_strategy;
pub mod run_limit;
mod scheduler;
mod script;
pub mod slot_sharing_group;
mod task_executor;
pub mod task_manager;

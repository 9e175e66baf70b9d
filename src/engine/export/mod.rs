//! The job handed to real Flink: a `JobConfig` as a runnable Flink 2.x Maven project — its Java, `pom.xml` and
//! README as in-memory files — whose source emits the very keys StateLab's source emits (not Flink).

pub mod export_error;
pub mod flink_project;
mod java_literal;
mod key_generator;
mod pom_xml;
mod process_function;
mod readme;
mod state_lab_job;
mod zipf_sampler;

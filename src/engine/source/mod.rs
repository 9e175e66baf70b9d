//! The source — `org.apache.flink.connector.datagen.source` (`DataGeneratorSource`) with its seeded,
//! counter-based randomness and key distributions.

pub mod data_generator_source;
pub mod event;
pub mod key_distribution;
pub mod random;
pub mod source_reader;

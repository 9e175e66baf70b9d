//! Keys and key groups — Flink's `org.apache.flink.runtime.state` key-group arithmetic (`KeyGroupRange`,
//! `KeyGroupRangeAssignment`), `org.apache.flink.util.MathUtils`, Java's `String.hashCode` and the key objects.

pub mod java_key;
pub mod key_group;
pub mod key_group_range;
pub mod key_group_range_assignment;
pub mod key_registry;
pub mod math_utils;

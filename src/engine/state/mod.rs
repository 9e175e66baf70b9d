//! Keyed state — `org.apache.flink.runtime.state` (descriptors, state objects, the serialization proxy) and its
//! heap implementation in `heap/`.

pub mod aggregating_state_descriptor;
pub mod heap;
pub mod keyed_backend_serialization_proxy;
pub mod list_state_descriptor;
pub mod map_state_descriptor;
pub mod reducing_state_descriptor;
pub mod state_descriptor;
pub mod state_error;
pub mod state_object;
pub mod value_state_descriptor;

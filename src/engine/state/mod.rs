//! Keyed state — `org.apache.flink.runtime.state` (descriptors, state objects, the serialization proxy, the TTL
//! configuration), its heap implementation in `heap/` and state with time-to-live in `ttl/`.

pub mod aggregating_state_descriptor;
pub mod heap;
pub mod keyed_backend_serialization_proxy;
pub mod list_state_descriptor;
pub mod map_state_descriptor;
pub mod reducing_state_descriptor;
pub mod state_descriptor;
pub mod state_error;
pub mod state_object;
pub mod state_ttl_config;
pub mod ttl;
pub mod value_state_descriptor;

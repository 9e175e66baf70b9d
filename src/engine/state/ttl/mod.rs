//! `org.apache.flink.runtime.state.ttl`: state with time-to-live — `TtlValue`s written with their timestamp,
//! lazy expiry on read (`TtlUtils`), the incremental cleanup that walks the state table a little on every
//! access (`TtlIncrementalCleanup`), and the TTL wrappers of the states (`TtlValueState`).

pub mod ttl_incremental_cleanup;
pub mod ttl_utils;
pub mod ttl_value_state;

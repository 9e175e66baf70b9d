//! `org.apache.flink.runtime.state.ttl`: state with time-to-live — `TtlValue`s written with their timestamp,
//! lazy expiry on read (`TtlUtils`), the incremental cleanup that walks the state table a little on every
//! access (`TtlIncrementalCleanup`), what a full snapshot leaves out (`TtlStateSnapshotTransformer`), and the
//! TTL wrappers of the states (`AbstractTtlState`, and `TtlValueState`, `TtlListState`, `TtlMapState` over it).

pub mod abstract_ttl_state;
pub mod ttl_incremental_cleanup;
pub mod ttl_list_state;
pub mod ttl_map_state;
pub mod ttl_state_snapshot_transformer;
pub mod ttl_utils;
pub mod ttl_value_state;

//! `org.apache.flink.runtime.state.ttl.AbstractTtlState` (with its `AbstractTtlDecorator`): what every state
//! with TTL has whatever its primitive — the original state's table, its `StateTtlConfig`, and the incremental
//! cleanup that `accessCallback` runs on each access. `TtlValueState`, `TtlListState` and `TtlMapState` are
//! this and their own reads and writes.

use crate::engine::state::heap::heap_keyed_state_backend::HeapKeyedStateBackend;
use crate::engine::state::heap::state_objects::TtlLong;
use crate::engine::state::keyed_backend_serialization_proxy::ValueSerializer;
use crate::engine::state::state_descriptor::StateDescriptorType;
use crate::engine::state::state_error::StateError;
use crate::engine::state::state_ttl_config::StateTtlConfig;
use crate::engine::state::ttl::ttl_incremental_cleanup::{CleanupTurn, TtlIncrementalCleanup};
use crate::engine::state::ttl::ttl_utils::expired;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AbstractTtlState {
    /// The backend's object table of the original state.
    pub(super) table: usize,
    pub(super) ttl: StateTtlConfig,
    cleanup: Option<TtlIncrementalCleanup>,
    last_cleanup: CleanupTurn,
}

impl AbstractTtlState {
    /// Registers the original state (`TtlStateFactory.createStateAndWrapWithTtlIfEnabled`): its kind, its
    /// serializer (a `TtlSerializer` inside), and whether a full snapshot leaves its expired values out.
    pub(super) fn register(
        backend: &mut HeapKeyedStateBackend,
        name: &str,
        kind: StateDescriptorType,
        serializer: ValueSerializer,
        ttl: StateTtlConfig,
    ) -> Result<Self, StateError> {
        let table = backend.register(name, kind, serializer)?;
        backend.set_full_snapshot_ttl(
            name,
            (ttl.is_enabled() && ttl.cleanup_full_snapshot).then_some(ttl.ttl_ms),
        );
        Ok(AbstractTtlState {
            table,
            ttl,
            cleanup: ttl
                .incremental_cleanup
                .map(|c| TtlIncrementalCleanup::new(c.cleanup_size)),
            last_cleanup: CleanupTurn::default(),
        })
    }

    /// The backend's object table of this state.
    pub fn table_index(&self) -> usize {
        self.table
    }

    pub fn ttl_config(&self) -> StateTtlConfig {
        self.ttl
    }

    /// What the incremental cleanup did on the last access.
    pub fn last_cleanup(&self) -> CleanupTurn {
        self.last_cleanup
    }

    /// `accessCallback.run()`: the incremental cleanup's turn.
    pub(super) fn access_callback(&mut self, backend: &mut HeapKeyedStateBackend, now: i64) {
        if let Some(cleanup) = self.cleanup.as_mut() {
            self.last_cleanup = cleanup.state_accessed(backend, self.table, self.ttl.ttl_ms, now);
        }
    }

    /// `expired(ttlValue)`: an element or map value whose `TtlValue` has expired at `now`.
    pub(super) fn expired(&self, value: &TtlLong, now: i64) -> bool {
        expired(value.last_access_timestamp, self.ttl.ttl_ms, now)
    }
}

/// The TTL states are an `AbstractTtlState` with reads and writes of their own, as their Java classes extend it.
macro_rules! extends_abstract_ttl_state {
    ($state:ident) => {
        impl std::ops::Deref for $state {
            type Target = $crate::engine::state::ttl::abstract_ttl_state::AbstractTtlState;
            fn deref(&self) -> &Self::Target {
                &self.0
            }
        }
        impl std::ops::DerefMut for $state {
            fn deref_mut(&mut self) -> &mut Self::Target {
                &mut self.0
            }
        }
    };
}
pub(super) use extends_abstract_ttl_state;

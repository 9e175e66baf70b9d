//! `KeyedProcessFunction.Context`: what `processElement` is called with besides the key — the record's other
//! fields and the operator's processing time — and the key group the operator's key context computed.

use crate::engine::keys::key_group::KeyGroup;
use crate::engine::source::event::Event;
use crate::engine::state::heap::copy_on_write_state_map::MapAccess;

/// What `processElement` is called with besides the key: the record's other fields and the operator's clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ElementContext {
    /// The key group `setCurrentKey` computed.
    pub key_group: KeyGroup,
    pub event: Event,
    /// `ctx.timerService().currentProcessingTime()`, in ms.
    pub now_ms: i64,
}

/// The last of a call's accesses, or `fallback` when there is none.
pub(crate) fn last_access(accesses: &[MapAccess], fallback: MapAccess) -> MapAccess {
    accesses.last().copied().unwrap_or(fallback)
}

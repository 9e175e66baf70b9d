//! `TtlStateSnapshotTransformer` — `cleanupFullSnapshot()`: what a full snapshot writes of a state with TTL,
//! leaving out what had expired when it is written (`TtlDeserializedValueStateSnapshotTransformer`, its
//! expiry read from the time provider at each value). The heap backend wraps it for lists and maps
//! (`HeapKeyedStateBackend.getStateSnapshotTransformFactory`):
//! * a `TtlValue`: left out once expired;
//! * a list (`StateSnapshotTransformers.ListStateSnapshotTransformer`, TTL's strategy `STOP_ON_FIRST_INCLUDED`):
//!   the leading expired elements are dropped and, from the first unexpired one on, the rest of the list is
//!   written as it is — an expired element after it included (elements are appended in time order); an entry
//!   with nothing unexpired is left out;
//! * a map (`StateSnapshotTransformers.MapStateSnapshotTransformer`): every expired mapping is dropped; an entry
//!   with none left is left out.
//!
//! The live state is not changed: the snapshot iterator writes the transformed values.

use crate::engine::state::heap::state_objects::StateValueObject;
use crate::engine::state::ttl::ttl_utils::expired;
use std::borrow::Cow;

/// `filterOrTransform(state)` of a state whose full snapshots leave expired values out (time-to-live `ttl_ms`),
/// written at `now` ms: `None` when the entry is left out, else what is written (the state itself when nothing
/// was dropped).
pub fn filter_or_transform(
    state: &StateValueObject,
    ttl_ms: i64,
    now: i64,
) -> Option<Cow<'_, StateValueObject>> {
    let is_expired = |last_access: i64| expired(last_access, ttl_ms, now);
    match state {
        StateValueObject::TtlValue {
            last_access_timestamp,
            ..
        } => (!is_expired(*last_access_timestamp)).then_some(Cow::Borrowed(state)),
        StateValueObject::TtlList { elements, .. } => {
            let first = elements
                .iter()
                .position(|e| !is_expired(e.last_access_timestamp))?;
            if first == 0 {
                return Some(Cow::Borrowed(state));
            }
            // `list.subList(first, size)`: its elements are what the serializer writes.
            let rest = elements[first..].to_vec();
            let length = rest.len() as u32;
            Some(Cow::Owned(StateValueObject::ttl_list_of(rest, length)))
        }
        StateValueObject::TtlMap { entries, .. } => {
            // `new HashMap<>()` and a `put` of each kept mapping, in the order the map iterates them.
            let kept: Vec<_> = state
                .ttl_map_entries_in_table_order()
                .unwrap_or_default()
                .into_iter()
                .filter(|e| !is_expired(e.value.last_access_timestamp))
                .collect();
            if kept.len() == entries.len() {
                Some(Cow::Borrowed(state))
            } else if kept.is_empty() {
                None
            } else {
                Some(Cow::Owned(StateValueObject::ttl_map_of(kept)))
            }
        }
        StateValueObject::List { .. }
        | StateValueObject::Map { .. }
        | StateValueObject::Tuple2 { .. }
        | StateValueObject::KeyStats { .. } => Some(Cow::Borrowed(state)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::state::heap::state_objects::{TtlLong, TtlMapEntry};

    fn list(times: &[i64]) -> StateValueObject {
        let mut l = StateValueObject::new_ttl_list();
        for (i, &t) in times.iter().enumerate() {
            l.ttl_list_add(TtlLong {
                user_value: i as i64,
                last_access_timestamp: t,
            });
        }
        l
    }

    fn written(state: &StateValueObject) -> Option<Vec<i64>> {
        filter_or_transform(state, 5_000, 7_000).map(|s| match s.as_ref() {
            StateValueObject::TtlList { elements, .. } => {
                elements.iter().map(|e| e.user_value).collect()
            }
            StateValueObject::TtlMap { entries, .. } => {
                entries.iter().map(|e| e.value.user_value).collect()
            }
            other => panic!("{other:?}"),
        })
    }

    #[test]
    fn a_list_is_written_from_its_first_unexpired_element_on() {
        // Expired: written at or before 2,000 ms.
        assert_eq!(written(&list(&[0, 0, 0])), None);
        assert_eq!(written(&list(&[6_000, 0])), Some(vec![0, 1]));
        assert_eq!(written(&list(&[0, 6_000, 0, 6_000])), Some(vec![1, 2, 3]));
    }

    #[test]
    fn a_map_is_written_without_its_expired_mappings() {
        let mut m = StateValueObject::new_ttl_map();
        for (k, t) in [("f0", 0), ("f1", 6_000), ("f2", 0)] {
            m.ttl_map_put(
                k,
                TtlLong {
                    user_value: t,
                    last_access_timestamp: t,
                },
            );
        }
        assert_eq!(written(&m), Some(vec![6_000]));
        let only_expired = StateValueObject::ttl_map_of(vec![TtlMapEntry {
            key: "f0".into(),
            value: TtlLong {
                user_value: 1,
                last_access_timestamp: 0,
            },
        }]);
        assert_eq!(written(&only_expired), None);
    }
}

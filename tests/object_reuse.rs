//! Object reuse on the heap backend: `ValueState.value()` hands out the stored object itself, so a function
//! that keeps it and changes it later — without calling `value()` again, after `update()` — changes the state
//! without any state access, and a checkpoint being written at that moment writes the change. This is why
//! Flink's documentation calls reusing state objects unsafe on the heap backend: copy-on-write protects a
//! snapshot only from changes made through the state API (`value()` under a snapshot returns a copy).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{backend, set_key};
use statelab::engine::state::heap::heap_snapshot_strategy::AsyncSnapshotWriter;
use statelab::engine::state::heap::state_objects::StateValueObject;
use statelab::engine::state::keyed_backend_serialization_proxy::ValueSerializer;

/// Writes a whole snapshot of `backend` and returns the objects it wrote.
fn snapshot_objects(
    backend: &mut statelab::engine::state::heap::heap_keyed_state_backend::HeapKeyedStateBackend,
    keys: &statelab::engine::keys::key_registry::KeyRegistry,
    change_during: impl FnOnce(
        &mut statelab::engine::state::heap::heap_keyed_state_backend::HeapKeyedStateBackend,
    ),
) -> Vec<StateValueObject> {
    let (_, mut writer) = AsyncSnapshotWriter::sync_phase(backend, 1).unwrap();
    change_during(backend);
    while !writer.is_done() {
        writer.write_next_key_group(backend, keys, 0).unwrap();
    }
    writer
        .into_key_groups()
        .into_iter()
        .flat_map(|g| g.objects.iter().map(|(_, o)| o.clone()).collect::<Vec<_>>())
        .collect()
}

#[test]
fn a_kept_state_object_changed_after_update_reaches_a_running_checkpoint() {
    let (mut b, mut keys) = backend();
    let state = b
        .get_or_create_object_value_state("session", ValueSerializer::Tuple2OfLong)
        .unwrap();
    set_key(&mut b, &mut keys, "user-000001");
    // `current = Tuple2.of(1L, 0L); session.update(current);` — and the function keeps `current` in a field.
    let kept = state
        .new_object(&mut b, StateValueObject::Tuple2 { f0: 1, f1: 0 })
        .unwrap();
    state.update(&mut b, Some(kept)).unwrap();

    // A checkpoint starts; meanwhile the function changes the object it kept: `current.f0 = 99;` — no
    // `value()`, no `update()`.
    let written = snapshot_objects(&mut b, &keys, |b| {
        state
            .change(b, kept, |o| {
                if let StateValueObject::Tuple2 { f0, .. } = o {
                    *f0 = 99;
                }
            })
            .unwrap();
    });
    assert_eq!(
        written,
        vec![StateValueObject::Tuple2 { f0: 99, f1: 0 }],
        "the checkpoint wrote a change no state access made"
    );
    // And the live state has it too, though `update()` was never called with it.
    let (now, _) = state.value(&mut b).unwrap();
    let live = state.read(&b, now.unwrap(), Clone::clone).unwrap().unwrap();
    assert_eq!(live, StateValueObject::Tuple2 { f0: 99, f1: 0 });
}

#[test]
fn through_value_the_change_goes_to_a_copy_and_the_checkpoint_keeps_the_old_state() {
    let (mut b, mut keys) = backend();
    let state = b
        .get_or_create_object_value_state("session", ValueSerializer::Tuple2OfLong)
        .unwrap();
    set_key(&mut b, &mut keys, "user-000001");
    let first = state
        .new_object(&mut b, StateValueObject::Tuple2 { f0: 1, f1: 0 })
        .unwrap();
    state.update(&mut b, Some(first)).unwrap();

    // The same change made the safe way: `current = session.value(); current.f0 = 99; session.update(current);`
    // — under the snapshot, `value()` is `CopyOnWriteStateMap.get`, which hands out the serializer's copy.
    let written = snapshot_objects(&mut b, &keys, |b| {
        let (current, _) = state.value(b).unwrap();
        let current = current.unwrap();
        assert_ne!(current, first, "value() under a snapshot returns a copy");
        state
            .change(b, current, |o| {
                if let StateValueObject::Tuple2 { f0, .. } = o {
                    *f0 = 99;
                }
            })
            .unwrap();
        state.update(b, Some(current)).unwrap();
    });
    assert_eq!(
        written,
        vec![StateValueObject::Tuple2 { f0: 1, f1: 0 }],
        "the checkpoint holds the state as it was when it was taken"
    );
}

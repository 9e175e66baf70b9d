//! `KeyStatsProcessFunction`: a count and a sum of amounts per key in a `ValueState<KeyStats>`, `KeyStats` a
//! Flink POJO (public class, public fields, a public no-argument constructor: `PojoSerializer`). It changes the
//! sum *after* `update()`: on the heap backend `value()` handed out the stored object and `update(s)` stored that
//! very object, so `s.sum += event.amount` changes the state without another `update()` — and a snapshot that
//! still shares the object (until copy-on-write copies the entry with `PojoSerializer.copy`) sees it too. On
//! RocksDB the same line changes nothing: why Flink's docs call reusing a state object unsafe.
//!
//! ```java
//! public class KeyStatsProcessFunction
//!         extends KeyedProcessFunction<String, Event, Tuple2<String, Long>> {
//!
//!     private transient ValueState<KeyStats> stats;
//!
//!     @Override
//!     public void open(OpenContext ctx) {
//!         stats = getRuntimeContext().getState(new ValueStateDescriptor<>("key-stats",
//!                 KeyStats.class));
//!     }
//!
//!     @Override
//!     public void processElement(Event event, Context ctx,
//!             Collector<Tuple2<String, Long>> out) throws Exception {
//!         KeyStats s = stats.value();
//!         if (s == null) {
//!             s = new KeyStats();
//!         }
//!         s.count++;
//!         stats.update(s);
//!         s.sum += event.amount;
//!         out.collect(Tuple2.of(event.key, s.count));
//!     }
//! }
//!
//! public class KeyStats {
//!     public long count;
//!     public long sum;
//!
//!     public KeyStats() {}
//!
//!     @Override
//!     public String toString() {
//!         return "KeyStats{count=" + count + ", sum=" + sum + "}";
//!     }
//! }
//! ```

use crate::engine::functions::event_counter_process_function::{ProcessLine, ProcessedElement};
use crate::engine::functions::process_context::ElementContext;
use crate::engine::state::heap::copy_on_write_state_map::MapAccess;
use crate::engine::state::heap::heap_keyed_state_backend::HeapKeyedStateBackend;
use crate::engine::state::heap::heap_object_value_state::HeapObjectValueState;
use crate::engine::state::heap::state_objects::StateValueObject;
use crate::engine::state::keyed_backend_serialization_proxy::ValueSerializer;
use crate::engine::state::state_error::StateError;

#[derive(Clone, Copy, Debug)]
pub struct KeyStatsProcessFunction {
    stats: HeapObjectValueState,
}

impl KeyStatsProcessFunction {
    pub fn open(backend: &mut HeapKeyedStateBackend, name: &str) -> Result<Self, StateError> {
        let stats =
            backend.get_or_create_object_value_state(name, ValueSerializer::KeyStatsPojo)?;
        Ok(KeyStatsProcessFunction { stats })
    }

    pub fn state(&self) -> HeapObjectValueState {
        self.stats
    }

    /// `processElement`, the key context set: the count before and after.
    pub fn process_element(
        &self,
        backend: &mut HeapKeyedStateBackend,
        cx: &ElementContext,
    ) -> Result<ProcessedElement, StateError> {
        self.process_element_until(backend, cx, ProcessLine::Return)
    }

    /// `processElement` up to and including line `stop` (a debugger stopped there): `value()` at
    /// [`ProcessLine::Value`], the new object and `s.count++` at [`ProcessLine::Next`], `update(s)` at
    /// [`ProcessLine::Update`], `s.sum += event.amount` at [`ProcessLine::AfterUpdate`].
    pub fn process_element_until(
        &self,
        backend: &mut HeapKeyedStateBackend,
        cx: &ElementContext,
        stop: ProcessLine,
    ) -> Result<ProcessedElement, StateError> {
        let mut done = ProcessedElement {
            key_group: cx.key_group,
            previous: None,
            count: 0,
            read: MapAccess::default(),
            write: MapAccess::default(),
        };
        if stop < ProcessLine::Value {
            return Ok(done);
        }
        let (held, read) = self.stats.value(backend)?;
        done.read = read;
        if stop < ProcessLine::Next {
            return Ok(done);
        }
        let s = match held {
            Some(s) => s,
            None => self
                .stats
                .new_object(backend, StateValueObject::KeyStats { count: 0, sum: 0 })?,
        };
        let count = self
            .stats
            .change(backend, s, |o| match o {
                StateValueObject::KeyStats { count, .. } => {
                    *count += 1;
                    Some(*count)
                }
                _ => None,
            })?
            .flatten()
            .unwrap_or(1);
        done.previous = (count > 1).then_some(count - 1);
        done.count = count;
        if stop < ProcessLine::Update {
            return Ok(done);
        }
        done.write = self.stats.update(backend, Some(s))?;
        if stop < ProcessLine::AfterUpdate {
            return Ok(done);
        }
        let amount = cx.event.amount;
        self.stats.change(backend, s, |o| {
            if let StateValueObject::KeyStats { sum, .. } = o {
                *sum += amount;
            }
        })?;
        Ok(done)
    }
}

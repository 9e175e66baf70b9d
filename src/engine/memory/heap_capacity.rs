//! Capacity planning: how many keys of a keyed counter fit into the TaskManager heap (`-Xmx` of a
//! `TaskExecutorProcessSpec`) before the task fails with `OutOfMemoryError`, answered without building the
//! state.
//!
//! The heap of N keys is a function of the keys: per-key objects (a `StateMapEntry`, the key, a boxed value)
//! plus, per key group, a `CopyOnWriteStateMap`'s bucket arrays with their resizes and incremental rehashes
//! ([`StateMapGrowth`]), plus the eagerly created empty maps. [`exact`] walks the keys in order through that
//! function, which takes tens of nanoseconds and about a byte of bookkeeping per key, and answers exactly what
//! inserting them one by one into the engine's backends answers ([`HeapFootprint::fill_until_out_of_memory`]).
//! [`estimate`] answers in microseconds for any size without visiting the keys: it follows the expected heap of
//! N keys (each map holding about N / maxParallelism of them, resizing and rehashing around its expected count)
//! and is close rather than equal (`tests/heap_capacity.rs` measures how close). [`plan`] answers exactly
//! when that fits a time and memory budget and estimates otherwise, and says which.
//!
//! Each TaskManager has its own heap: by default one keyed subtask per TaskManager
//! (`taskmanager.numberOfTaskSlots: 1`), or [`CapacityQuestion::subtasks_per_task_manager`] subtasks sharing
//! one — what the job's [`SlotSharingGroup`](crate::engine::cluster::slot_sharing_group::SlotSharingGroup) says: the slots per
//! TaskManager in a cluster, every subtask in local execution. The job fails when the first heap is full; the
//! answer is the number of distinct keys the job had seen by then, and which TaskManager ran out.
//!
//! [`HeapFootprint::fill_until_out_of_memory`]: crate::engine::memory::heap_footprint::HeapFootprint::fill_until_out_of_memory

use crate::engine::functions::event_counter_process_function::EventCounterProcessFunction;
use crate::engine::keys::java_key::{string_hash_code, JavaKeyType};
use crate::engine::keys::key_group_range_assignment::{
    create_key_group_partitions, KeyGroupAssignmentError,
};
use crate::engine::keys::key_registry::{key_object_bytes, KeyFormat};
use crate::engine::keys::math_utils::murmur_hash;
use crate::engine::memory::heap_footprint::{KeyWrite, OutOfMemory, ValueMode};
use crate::engine::memory::jvm_object_sizes::{boxed_long, reference_array, STATE_MAP_ENTRY};
use crate::engine::memory::state_map_growth::{GrowthError, StateMapGrowth};
use crate::engine::state::heap::copy_on_write_state_map::{
    composite_hash, DEFAULT_CAPACITY, MAXIMUM_CAPACITY,
};
use crate::engine::state::heap::heap_keyed_state_backend::HeapKeyedStateBackend;
use serde::Serialize;

/// What is asked: which keys, written how, into which operator, and the heap each TaskManager has.
#[derive(Clone, Debug, PartialEq)]
pub struct CapacityQuestion {
    /// The keys, in the order they first arrive: generated key 0, 1, 2, …
    pub key_format: KeyFormat,
    pub value_mode: ValueMode,
    pub write: KeyWrite,
    /// The number of key groups.
    pub max_parallelism: u32,
    /// Keyed subtasks of the operator.
    pub parallelism: u32,
    /// Keyed subtasks whose state shares one JVM heap (slots of one TaskManager); subtask `i` runs in
    /// TaskManager `i / subtasks_per_task_manager`, as the engine places it
    /// ([`SlotSharingGroup::subtasks_per_task_manager`](crate::engine::cluster::slot_sharing_group::SlotSharingGroup::subtasks_per_task_manager)).
    pub subtasks_per_task_manager: u32,
    /// `-Xmx` of each TaskManager.
    pub heap_limit: u64,
    /// Heap each TaskManager uses for everything but keyed state.
    pub other_heap: u64,
}

impl CapacityQuestion {
    /// The counter job's keys (`user-%06d`, the value 1, `value()` + `update()`), one keyed subtask per
    /// TaskManager.
    pub fn counter(
        max_parallelism: u32,
        parallelism: u32,
        heap_limit: u64,
        other_heap: u64,
    ) -> Self {
        CapacityQuestion {
            key_format: KeyFormat::padded_users(),
            value_mode: ValueMode::Cached,
            write: KeyWrite::ValueThenUpdate,
            max_parallelism,
            parallelism,
            subtasks_per_task_manager: 1,
            heap_limit,
            other_heap,
        }
    }
}

/// How [`plan`] answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Method {
    /// Key by key through [`StateMapGrowth`]: what inserting the keys into the backends gives.
    Exact,
    /// The expected heap of N keys, without visiting them.
    Estimate,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CapacityAnswer {
    /// `None`: every key the format can spell fits.
    pub out_of_memory: Option<OutOfMemory>,
    pub method: Method,
    pub task_managers: u32,
}

impl CapacityAnswer {
    /// Keys that fit: one fewer than the count at the failing write.
    pub fn keys_that_fit(&self) -> Option<u64> {
        self.out_of_memory.map(|oom| oom.keys - 1)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CapacityError {
    KeyGroups(KeyGroupAssignmentError),
    NoSubtasksPerTaskManager,
    Growth(GrowthError),
}

crate::i18n::english_error!(CapacityError => crate::i18n::messages::errors::capacity);

crate::engine::error_from!(CapacityError {
    KeyGroups(KeyGroupAssignmentError),
    Growth(GrowthError),
});

/// How much [`plan`] may spend on an exact answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExactBudget {
    /// Answer exactly only if the estimate is at most this many keys (time grows with the keys).
    pub max_keys: u64,
    /// …and the bookkeeping takes at most this many bytes.
    pub max_bytes: u64,
}

impl Default for ExactBudget {
    /// Well under a second and 64 MiB natively on the project's shared machine (`BENCHMARKS.md`: 24M keys take
    /// ~0.7 s there under load, 34M keys ~1 s); beyond, the estimate, which equals the exact count at most sizes.
    fn default() -> Self {
        ExactBudget {
            max_keys: 24_000_000,
            max_bytes: 64 << 20,
        }
    }
}

/// The TaskManagers of the question: for each key group its TaskManager, and per TaskManager its key groups and
/// the heap of its empty backends (the eagerly created maps).
struct TaskManagers {
    of_key_group: Vec<u32>,
    key_groups: Vec<u64>,
    empty_bytes: Vec<u64>,
}

impl TaskManagers {
    fn new(q: &CapacityQuestion) -> Result<TaskManagers, CapacityError> {
        if q.subtasks_per_task_manager == 0 {
            return Err(CapacityError::NoSubtasksPerTaskManager);
        }
        let ranges =
            create_key_group_partitions(i64::from(q.max_parallelism), i64::from(q.parallelism))?;
        let count = ranges.len().div_ceil(q.subtasks_per_task_manager as usize);
        let mut tms = TaskManagers {
            of_key_group: vec![0; q.max_parallelism as usize],
            key_groups: vec![0; count],
            empty_bytes: vec![0; count],
        };
        for (subtask, range) in ranges.into_iter().enumerate() {
            let tm = subtask / q.subtasks_per_task_manager as usize;
            for kg in range.iter() {
                tms.of_key_group[kg.index()] = tm as u32;
            }
            tms.key_groups[tm] += range.number_of_key_groups() as u64;
            // The very backend the engine builds, so the empty heap is counted the same way.
            let mut backend =
                HeapKeyedStateBackend::new(range, q.max_parallelism as i32, q.key_format.key_type);
            EventCounterProcessFunction::open(&mut backend);
            tms.empty_bytes[tm] += backend.heap_used();
        }
        Ok(tms)
    }
}

/// The keys a [`KeyFormat`] generates, in order, each with its `hashCode()` and heap bytes; a `String` key's
/// hash is updated digit by digit rather than recomputed.
struct KeySequence<'a> {
    format: &'a KeyFormat,
    /// `String` keys whose digits fit the array: hashed digit by digit. Anything else is asked of the format.
    incremental: bool,
    index: u64,
    /// The decimal digits of `index`, zero-padded, most significant first (`String` keys).
    digits: [u8; 20],
    len: usize,
    prefix_hash: i32,
    hash: i32,
    bytes: u64,
}

impl<'a> KeySequence<'a> {
    fn new(format: &'a KeyFormat) -> Self {
        let incremental = format.key_type == JavaKeyType::String && format.zero_pad <= 20;
        let len = usize::from(format.zero_pad).clamp(1, 20);
        let mut keys = KeySequence {
            format,
            incremental,
            index: 0,
            digits: [b'0'; 20],
            len,
            prefix_hash: string_hash_code(&format.prefix),
            hash: 0,
            bytes: 0,
        };
        keys.refresh();
        keys
    }

    /// Recomputes the hash and, when the key's length may have changed, its bytes.
    fn refresh(&mut self) {
        self.rehash();
        self.bytes = key_object_bytes(&self.format.key(self.index));
    }

    fn rehash(&mut self) {
        self.hash = if self.incremental {
            self.digits[..self.len]
                .iter()
                .fold(self.prefix_hash, |h, &d| {
                    h.wrapping_mul(31).wrapping_add(i32::from(d))
                })
        } else {
            self.format.hash_code_of(self.index)
        };
    }

    /// The current key's `hashCode()` and heap bytes.
    #[inline]
    fn current(&self) -> (i32, u64) {
        (self.hash, self.bytes)
    }

    #[inline]
    fn advance(&mut self) {
        self.index += 1;
        match self.format.key_type {
            _ if self.incremental => {}
            JavaKeyType::String => return self.refresh(),
            JavaKeyType::Integer | JavaKeyType::Long => {
                self.hash = self.format.hash_code_of(self.index);
                // Boxed keys cost the same once past the `valueOf` cache.
                if self.index <= 128 {
                    self.bytes = key_object_bytes(&self.format.key(self.index));
                }
                return;
            }
        }
        let last = self.len - 1;
        if self.digits[last] < b'9' {
            self.digits[last] += 1;
            self.hash = self.hash.wrapping_add(1);
            return;
        }
        let mut i = last;
        loop {
            if self.digits[i] < b'9' {
                self.digits[i] += 1;
                break;
            }
            self.digits[i] = b'0';
            if i == 0 {
                // All nines: one digit more, and a longer key.
                self.len += 1;
                self.digits[0] = b'1';
                self.digits[1..self.len].fill(b'0');
                return self.refresh();
            }
            i -= 1;
        }
        self.rehash();
    }
}

/// `computeKeyGroupForKeyHash`'s `murmurHash(hashCode) % maxParallelism` without a division per key: Lemire's
/// fast modulo, exact for every 32-bit dividend and divisor.
#[derive(Clone, Copy)]
struct KeyGroupOf {
    divisor: u64,
    magic: u64,
}

impl KeyGroupOf {
    fn new(max_parallelism: u32) -> Self {
        let divisor = u64::from(max_parallelism.max(1));
        KeyGroupOf {
            divisor,
            magic: (u64::MAX / divisor).wrapping_add(1),
        }
    }

    #[inline]
    fn of(self, key_hash: i32) -> usize {
        // `murmurHash` is never negative.
        let murmur = u64::from(murmur_hash(key_hash) as u32);
        let low = self.magic.wrapping_mul(murmur);
        ((u128::from(low) * u128::from(self.divisor)) >> 64) as usize
    }
}

/// Heap bytes of the value object key `index` holds (`HeapFootprint`'s values).
#[inline]
fn value_bytes(mode: ValueMode, index: u64) -> u64 {
    match mode {
        ValueMode::Cached => boxed_long(1),
        ValueMode::Distinct => boxed_long(1_000_000_000 + index as i64),
    }
}

/// The most keys a format can spell as distinct keys.
fn key_limit(format: &KeyFormat) -> u64 {
    format.max_index().saturating_add(1)
}

/// Key by key: the first write that does not fit any TaskManager's heap, with the bucket arrays followed at
/// `resolution` ([`StateMapGrowth`]); `None` if every key the format can spell fits.
pub fn exact(q: &CapacityQuestion, resolution: u64) -> Result<Option<OutOfMemory>, CapacityError> {
    let tms = TaskManagers::new(q)?;
    let mut growth = StateMapGrowth::new(q.max_parallelism as usize, resolution)?;
    let mut used: Vec<u64> = tms.empty_bytes.iter().map(|b| b + q.other_heap).collect();
    let mut keys = KeySequence::new(&q.key_format);
    let key_group_of = KeyGroupOf::new(q.max_parallelism);
    for index in 0..key_limit(&q.key_format) {
        if index > 0 {
            keys.advance();
        }
        let (hash_code, key_bytes) = keys.current();
        let key_group = key_group_of.of(hash_code);
        let tables = growth.insert(key_group, composite_hash(hash_code), q.write)?;
        let tm = tms.of_key_group[key_group] as usize;
        let objects = STATE_MAP_ENTRY + key_bytes + value_bytes(q.value_mode, index);
        used[tm] = (used[tm] + objects).wrapping_add_signed(tables);
        if used[tm] > q.heap_limit {
            return Ok(Some(OutOfMemory {
                keys: index + 1,
                task_manager: tm as u32,
            }));
        }
    }
    Ok(None)
}

/// The expected heap of a TaskManager as a function of the job's distinct keys.
struct ExpectedHeap<'a> {
    q: &'a CapacityQuestion,
    /// Where the heap starts: other heap + empty backends.
    base: u64,
    /// This TaskManager's share of the keys (its key groups / all key groups).
    share: f64,
    maps: f64,
    /// Per resize level: (map size at the resize, expected map size when its rehash ends, old capacity).
    levels: Vec<(f64, f64, u64)>,
    /// Where the per-key object bytes change: (first index, bytes per key from there on).
    object_steps: Vec<(u64, u64)>,
}

/// The probability that a normal variable exceeds its mean by `z` standard deviations, `erfc(z / √2) / 2`, by
/// Abramowitz and Stegun 7.1.26 (absolute error below 1.5e-7: plenty for an estimate, and a few bytes of code
/// in the page instead of a full `erfc`).
fn upper_tail(z: f64) -> f64 {
    let x = z.abs() / core::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.327_591_1 * x);
    let poly = t
        * (0.254_829_592
            + t * (-0.284_496_736
                + t * (1.421_413_741 + t * (-1.453_152_027 + t * 1.061_405_429))));
    let tail = 0.5 * poly * libm::exp(-x * x);
    if z >= 0.0 {
        tail
    } else {
        1.0 - tail
    }
}

/// Expected entries one incremental-rehash step moves out of buckets holding Poisson(`load`) entries: whole
/// buckets until at least four moved (the sum where a renewal process with those jumps first reaches 4).
fn entries_per_rehash_step(load: f64) -> f64 {
    let p0 = libm::exp(-load);
    // Positive bucket occupancies, conditioned on a bucket not being empty (empty buckets move nothing).
    let mut q = [0.0f64; 40];
    let mut p = p0;
    for (k, qk) in q.iter_mut().enumerate().skip(1) {
        p *= load / k as f64;
        *qk = p / (1.0 - p0);
    }
    let min =
        crate::engine::state::heap::copy_on_write_state_map::MIN_TRANSFERRED_PER_INCREMENTAL_REHASH
            as usize;
    // visits[j]: expected visits of the partial sum j < 4.
    let mut visits = vec![0.0f64; min];
    visits[0] = 1.0;
    for j in 1..min {
        visits[j] = (0..j).map(|i| visits[i] * q[j - i]).sum();
    }
    (0..min)
        .map(|i| {
            visits[i]
                * (min - i..q.len())
                    .map(|k| q[k] * (i + k) as f64)
                    .sum::<f64>()
        })
        .sum()
}

impl<'a> ExpectedHeap<'a> {
    fn new(q: &'a CapacityQuestion, key_groups: u64, empty_bytes: u64) -> Self {
        let operations = f64::from(q.write.operations());
        let mut levels = Vec::new();
        let mut capacity = DEFAULT_CAPACITY as u64;
        while capacity < MAXIMUM_CAPACITY as u64 {
            let threshold = (capacity >> 1) + (capacity >> 2);
            let at_resize = (threshold + 2) as f64;
            // Steps s move s·μ entries: the entries at the resize plus the keys that arrived meanwhile into
            // old buckets not yet moved (on average half of the s / operations new keys).
            let per_step = entries_per_rehash_step(at_resize / capacity as f64);
            let steps = at_resize / (per_step - 0.5 / operations);
            levels.push((at_resize, at_resize + steps / operations, capacity));
            capacity *= 2;
        }
        // Key bytes change with the number of digits (and at the end of the boxed-key caches): the first 129 keys
        // and every power of ten tell every change.
        let limit = key_limit(&q.key_format);
        let mut object_steps: Vec<(u64, u64)> = Vec::new();
        let probes = (0..=128).chain((3..20).map(|e| 10u64.pow(e)));
        for index in probes.filter(|&i| i < limit) {
            let bytes = STATE_MAP_ENTRY
                + key_object_bytes(&q.key_format.key(index))
                + value_bytes(q.value_mode, index);
            if object_steps.last().map(|&(_, b)| b) != Some(bytes) {
                object_steps.push((index, bytes));
            }
        }
        ExpectedHeap {
            q,
            base: q.other_heap + empty_bytes,
            share: key_groups as f64 / f64::from(q.max_parallelism),
            maps: key_groups as f64,
            levels,
            object_steps,
        }
    }

    /// Bytes of the objects of the first `n` keys (all TaskManagers).
    fn objects(&self, n: u64) -> f64 {
        let mut total = 0u128;
        for (i, &(from, bytes)) in self.object_steps.iter().enumerate() {
            if from >= n {
                break;
            }
            let to = self
                .object_steps
                .get(i + 1)
                .map_or(n, |&(next, _)| next.min(n));
            total += u128::from(to - from) * u128::from(bytes);
        }
        total as f64
    }

    /// Expected bytes one map's bucket arrays grew by (beyond the empty map's 128 slots) when the job has seen
    /// `n` keys: its count is Binomial(n, 1/M), taken as normal, and each resize or rehash end is counted with the
    /// probability that it has happened.
    fn tables_per_map(&self, n: u64) -> f64 {
        let p = 1.0 / f64::from(self.q.max_parallelism);
        let mean = n as f64 * p;
        let sd = (n as f64 * p * (1.0 - p)).sqrt();
        let reached = |count: f64| -> f64 {
            if sd == 0.0 {
                return if mean + 0.5 > count { 1.0 } else { 0.0 };
            }
            let z = (count - 0.5 - mean) / sd;
            if z > 12.0 {
                0.0
            } else if z < -12.0 {
                1.0
            } else {
                upper_tail(z)
            }
        };
        let mut bytes = 0.0;
        for &(at_resize, at_rehash_end, capacity) in &self.levels {
            let resized = reached(at_resize);
            if resized == 0.0 {
                break;
            }
            bytes += resized * reference_array(2 * capacity) as f64
                - reached(at_rehash_end) * reference_array(capacity) as f64;
        }
        bytes
    }

    /// Expected used heap of this TaskManager after `n` distinct keys.
    fn used(&self, n: u64) -> f64 {
        self.base as f64 + self.share * self.objects(n) + self.maps * self.tables_per_map(n)
    }

    /// The first `n` at which the expected heap exceeds the limit, if any up to `limit` keys.
    fn first_out_of_memory(&self, limit: u64) -> Option<u64> {
        let heap_limit = self.q.heap_limit as f64;
        if self.used(1) > heap_limit {
            return Some(1);
        }
        // The objects alone exceed the heap beyond this many keys.
        let mut high = 1u64;
        while high < limit && self.base as f64 + self.share * self.objects(high) <= heap_limit {
            high = high.saturating_mul(2).min(limit);
        }
        // The expected heap rises by the objects and bumps at every resize cluster, and may dip where rehashes
        // end; scan it on a grid fine against the width of those clusters, then narrow the first cell down.
        let cells = 1u64 << 16;
        let step = (high / cells).max(1);
        let mut previous = 1u64;
        let mut n = step.max(2);
        loop {
            let n_here = n.min(high);
            if self.used(n_here) > heap_limit {
                let (mut fits, mut fails) = (previous, n_here);
                while fails - fits > 1 {
                    let mid = fits + (fails - fits) / 2;
                    if self.used(mid) > heap_limit {
                        fails = mid;
                    } else {
                        fits = mid;
                    }
                }
                return Some(fails);
            }
            if n_here == high {
                return None;
            }
            previous = n_here;
            n = n.saturating_add(step);
        }
    }
}

/// The expected answer, for any size, without visiting the keys.
pub fn estimate(q: &CapacityQuestion) -> Result<CapacityAnswer, CapacityError> {
    let tms = TaskManagers::new(q)?;
    let limit = key_limit(&q.key_format);
    // TaskManagers with as many key groups and the same empty heap have the same expected heap.
    let mut classes: Vec<(u64, u64, u32)> = Vec::new();
    for (tm, (&groups, &empty)) in tms.key_groups.iter().zip(&tms.empty_bytes).enumerate() {
        if !classes.iter().any(|&(g, e, _)| g == groups && e == empty) {
            classes.push((groups, empty, tm as u32));
        }
    }
    let out_of_memory = classes
        .iter()
        .filter_map(|&(groups, empty, tm)| {
            ExpectedHeap::new(q, groups, empty)
                .first_out_of_memory(limit)
                .map(|keys| OutOfMemory {
                    keys,
                    task_manager: tm,
                })
        })
        .min_by_key(|oom| (oom.keys, oom.task_manager));
    Ok(CapacityAnswer {
        out_of_memory,
        method: Method::Estimate,
        task_managers: tms.key_groups.len() as u32,
    })
}

/// The finest bucket resolution [`exact`] needs if no map holds more than `keys_per_map` keys: a map rehashes
/// from a table of C buckets once it holds more than 3/4·C of them.
fn resolution_for(keys_per_map: f64) -> u64 {
    let needed = ((keys_per_map - 1.0) / 1.5).max(DEFAULT_CAPACITY as f64);
    (needed.ceil() as u64).next_power_of_two()
}

/// Exactly if it fits `budget`, else the estimate.
pub fn plan(q: &CapacityQuestion, budget: ExactBudget) -> Result<CapacityAnswer, CapacityError> {
    let estimated = estimate(q)?;
    let Some(expected) = estimated.out_of_memory else {
        return Ok(estimated);
    };
    if expected.keys > budget.max_keys {
        return Ok(estimated);
    }
    // Room for the fullest map: the mean per map, 25 % more and eight standard deviations.
    let per_map = expected.keys as f64 / f64::from(q.max_parallelism);
    let mut resolution = resolution_for(per_map * 1.25 + 8.0 * per_map.sqrt() + 16.0);
    loop {
        if StateMapGrowth::bytes_needed(u64::from(q.max_parallelism), resolution) > budget.max_bytes
            || resolution > MAXIMUM_CAPACITY as u64
        {
            return Ok(estimated);
        }
        match exact(q, resolution) {
            Ok(out_of_memory) => {
                return Ok(CapacityAnswer {
                    out_of_memory,
                    method: Method::Exact,
                    task_managers: estimated.task_managers,
                })
            }
            Err(CapacityError::Growth(GrowthError::ResolutionExceeded { .. })) => resolution *= 2,
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sequence positioned at `index`.
    fn sequence_at(format: &KeyFormat, index: u64) -> KeySequence<'_> {
        let mut keys = KeySequence::new(format);
        if keys.incremental {
            let text = index.to_string();
            let len = text.len().max(usize::from(format.zero_pad));
            keys.len = len;
            keys.digits[..len - text.len()].fill(b'0');
            keys.digits[len - text.len()..len].copy_from_slice(text.as_bytes());
        }
        keys.index = index;
        keys.refresh();
        keys
    }

    #[test]
    fn key_sequence_spells_the_formats_keys() {
        let formats = [
            KeyFormat::padded_users(),
            KeyFormat::default(),
            KeyFormat {
                key_type: JavaKeyType::String,
                prefix: "Schlüssel-€".into(),
                zero_pad: 3,
            },
            KeyFormat {
                key_type: JavaKeyType::String,
                prefix: "k".into(),
                zero_pad: 24,
            },
            KeyFormat {
                key_type: JavaKeyType::Integer,
                ..KeyFormat::default()
            },
            KeyFormat {
                key_type: JavaKeyType::Long,
                ..KeyFormat::default()
            },
        ];
        for format in &formats {
            let mut keys = KeySequence::new(format);
            for index in 0..=12_000u64 {
                if index > 0 {
                    keys.advance();
                }
                let key = format.key(index);
                assert_eq!(
                    keys.current(),
                    (key.hash_code(), key_object_bytes(&key)),
                    "{key}"
                );
            }
            for index in [999_999, 1_000_000, 9_999_999_999, 123_456_789_012] {
                let mut keys = sequence_at(format, index - 1);
                keys.advance();
                let key = format.key(index);
                assert_eq!(
                    keys.current(),
                    (key.hash_code(), key_object_bytes(&key)),
                    "{key}"
                );
            }
        }
    }

    #[test]
    fn fast_modulo_is_the_key_group() {
        use crate::engine::keys::key_group_range_assignment::compute_key_group_for_key_hash;
        for max_parallelism in [1, 2, 3, 7, 100, 128, 1000, 4096, 32767, 32768] {
            let of = KeyGroupOf::new(max_parallelism);
            for h in (0..100_000)
                .map(|i: i32| i.wrapping_mul(0x9e37_79b9_u32 as i32))
                .chain([i32::MIN, i32::MAX, 0, -1])
            {
                assert_eq!(
                    of.of(h),
                    compute_key_group_for_key_hash(h, max_parallelism as i32).index(),
                    "{h} % {max_parallelism}"
                );
            }
        }
    }

    #[test]
    fn the_normal_tail_is_accurate() {
        for (z, p) in [
            (0.0, 0.5),
            (1.0, 0.158_655_25),
            (-1.0, 0.841_344_75),
            (2.5, 0.006_209_665),
            (6.0, 9.87e-10),
        ] {
            assert!((upper_tail(z) - p).abs() < 2e-7, "{z}: {}", upper_tail(z));
        }
    }

    #[test]
    fn a_rehash_step_moves_a_little_more_than_four_entries() {
        let mu = entries_per_rehash_step(0.75);
        assert!((4.0..5.0).contains(&mu), "{mu}");
        assert!(entries_per_rehash_step(3.0) > mu);
    }

    #[test]
    fn any_heap_a_size_can_name_gets_an_answer() {
        // Whatever is typed into the page: from no heap at all to Long.MAX_VALUE bytes.
        for heap_limit in [0, 1, 1 << 20, 1 << 40, i64::MAX as u64, u64::MAX] {
            for key_type in [JavaKeyType::String, JavaKeyType::Integer] {
                let q = CapacityQuestion {
                    key_format: KeyFormat {
                        key_type,
                        ..KeyFormat::padded_users()
                    },
                    ..CapacityQuestion::counter(32768, 3, heap_limit, 1 << 20)
                };
                let answer = estimate(&q).unwrap();
                match answer.out_of_memory {
                    Some(oom) => assert!(oom.keys >= 1),
                    // Only a heap beyond what the keys can fill: Integer keys stop at 2^31.
                    None => assert!(heap_limit >= 1 << 40, "{heap_limit} {key_type:?}"),
                }
            }
        }
    }

    #[test]
    fn no_subtasks_per_task_manager_is_an_error() {
        let q = CapacityQuestion {
            subtasks_per_task_manager: 0,
            ..CapacityQuestion::counter(128, 1, 64 << 20, 0)
        };
        assert_eq!(
            estimate(&q).unwrap_err(),
            CapacityError::NoSubtasksPerTaskManager
        );
        let q = CapacityQuestion::counter(4, 8, 64 << 20, 0);
        assert!(matches!(estimate(&q), Err(CapacityError::KeyGroups(_))));
    }
}

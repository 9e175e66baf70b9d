//! Heap bytes of every keyed-state primitive against real Flink 2.3.0: the formula of `docs/heap-primitives.md`,
//! implemented here on its own (so that the engine can later take it over), against every row of
//! `tests/data/groundtruth/flink_heap_primitives.csv` and `flink_heap_primitives_classes.csv`, measured by
//! `tools/flink-heap-primitives/run.sh` (Flink's own `HeapKeyedStateBackend`, 128 key groups, String keys
//! `user-%06d`, JDK 17 with compressed oops).
//!
//! The formula is objects per key plus tables:
//!
//! ```text
//! bytes(primitive, N, keys) = keys × (key + entry + value(primitive, N)) + tables(primitive, N, keys)
//! ```
//!
//! where the key is its `String` and `byte[]` (56 B for `user-%06d`), the entry the 40-byte
//! `CopyOnWriteStateMap$StateMapEntry` (none for timers), `value` the state object graph of one key (see
//! [`value_objects`]), and `tables` what the key-group maps' bucket arrays grew by: for keyed state the
//! `CopyOnWriteStateMap` tables (both while an incremental rehash runs), which depend on the keys' hashes and on
//! how many map operations each key made ([`Access`]), so they are simulated key by key ([`CowMap`]); for timers
//! the per-key-group deduplication `HashMap`s and the heap array.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use statelab::engine::keys::math_utils::{bit_mix, murmur_hash};
use std::collections::BTreeMap;
use std::sync::OnceLock;

const KEY_GROUPS: usize = 128;

// ------------------------------------------------------------------------------------------------------------
// JVM object sizes: JDK 17, 64-bit, compressed oops and class pointers, 8-byte alignment. Objects have a 12-byte
// header, arrays a 16-byte one (header + length); references are 4 bytes.

const fn align8(n: u64) -> u64 {
    (n + 7) & !7
}
/// `T[len]` for any reference type T.
const fn reference_array(len: u64) -> u64 {
    align8(16 + 4 * len)
}
const fn byte_array(len: u64) -> u64 {
    align8(16 + len)
}

const STRING: u64 = 24; // header 12 + value ref 4 + hash 4 + coder 1 + hashIsZero 1 → 24
const LONG: u64 = 24; // header 12 + padding 4 (the long is 8-aligned) + 8
const STATE_MAP_ENTRY: u64 = 40; // header 12 + key, namespace, state, next 4×4 + entryVersion, stateVersion, hash 3×4
const ARRAY_LIST: u64 = 24; // header 12 + modCount 4 + size 4 + elementData 4
const HASH_MAP: u64 = 48; // header 12 + table, entrySet, keySet, values 4×4 + size, modCount, threshold 3×4 + loadFactor 4 → 44 → 48
const HASH_MAP_NODE: u64 = 32; // header 12 + hash 4 + key, value, next 3×4 → 28 → 32
const TTL_VALUE: u64 = 24; // header 12 + userValue 4 + lastAccessTimestamp 8
const TUPLE2: u64 = 24; // header 12 + f0, f1 2×4 → 20 → 24
const VISIT: u64 = 32; // the POJO: header 12 + count 8 + lastSeen 8 + page 4 → 32
const KEY_STATS: u64 = 32; // KeyStats: header 12 + count 8 + sum 8 → 28, aligned to 32
const TIMER: u64 = 32; // TimerHeapInternalTimer: header 12 + timerHeapIndex 4 (in the gap before the long) + timestamp 8 + key, namespace 2×4

/// A key `user-%06d`: its `String` and its `byte[11]` (compact Latin-1 strings).
fn key_string(i: u64) -> String {
    format!("user-{i:06}")
}

// ------------------------------------------------------------------------------------------------------------
// Collection capacities.

/// `ArrayList` filled by `add` from `new ArrayList<>()`: 10 at the first add, then `old + (old >> 1)` (JDK 17
/// `ArraysSupport.newLength(old, 1, old >> 1)`): 10, 15, 22, 33, 49, 73, 109, …
fn array_list_capacity(n: u64) -> u64 {
    let mut cap = 10;
    while cap < n {
        cap += (cap >> 1).max(1);
    }
    cap
}

/// `HashMap.tableSizeFor`: the power of two at or above `c` (1 for c ≤ 1).
fn table_size_for(c: u64) -> u64 {
    c.max(1).next_power_of_two()
}

/// A `HashMap`'s table after `n` puts of distinct keys when its first put allocates `first` slots: it doubles when
/// the size passes the threshold `(int) (capacity × 0.75)`.
fn hash_map_table(n: u64, first: u64) -> u64 {
    let mut cap = first;
    while n > cap * 3 / 4 {
        cap *= 2;
    }
    cap
}

/// `new HashMap<>()` then `n` puts: 16 slots at the first put.
fn default_hash_map_table(n: u64) -> u64 {
    hash_map_table(n, 16)
}

/// Flink's `CollectionUtil.newHashMapWithExpectedSize(n)` (what `MapSerializer.copy` makes) then `n` puts:
/// `new HashMap<>(computeRequiredCapacity(n))`, with `computeRequiredCapacity(n) = n ≤ 2 ? n + 1 : ceil(n / 0.75)`.
fn expected_size_hash_map_table(n: u64) -> u64 {
    let required = if n <= 2 { n + 1 } else { (n * 4).div_ceil(3) };
    hash_map_table(n, table_size_for(required))
}

// ------------------------------------------------------------------------------------------------------------
// The primitives.

/// One row's case: `primitive` as in the CSV, `n` its parameter (1 where it has none).
#[derive(Clone, Copy, Debug)]
struct Case<'a> {
    primitive: &'a str,
    n: u64,
}

impl Case<'_> {
    /// Without the `-cow` suffix: how the state was filled.
    fn filled_as(&self) -> &str {
        self.primitive
            .strip_suffix("-cow")
            .unwrap_or(self.primitive)
    }
    fn is_cow(&self) -> bool {
        self.primitive.ends_with("-cow")
    }
    fn is_timers(&self) -> bool {
        self.primitive == "timers"
    }
}

/// The `StateTable` operations of one key's first events: `before` operations (reads) before the one that inserts
/// the key, then `after` more (reads, or writes of the existing entry). Each one advances a running incremental
/// rehash of the key's map; the insert may start one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Access {
    before: u32,
    after: u32,
}

fn access(case: Case) -> Access {
    let n = case.n as u32;
    match case.filled_as() {
        // value() (null), update(v)
        // keystats: value() (null), update(s) — the sum changed after it touches no map
        "value-cached" | "value-distinct" | "value-ttl" | "pojo" | "keystats" => Access {
            before: 1,
            after: 0,
        },
        // add(v): transform
        "reducing" | "aggregating" | "aggregating-avg" => Access {
            before: 0,
            after: 0,
        },
        // add / put: get (null), put (new list or map), then a get per further element
        "list" | "list-ttl" | "map" | "map-sharedkeys" | "map-ttl" => Access {
            before: 1,
            after: n - 1,
        },
        // per element value() and update(): get (null), put, then get + put per further element
        "value-list" | "value-map" => Access {
            before: 1,
            after: 2 * (n - 1),
        },
        "timers" => Access {
            before: 0,
            after: 0,
        },
        other => panic!("unknown primitive {other}"),
    }
}

/// One key's objects besides its key `String`, by JVM class name: (instances, bytes).
fn value_objects(case: Case) -> BTreeMap<&'static str, (u64, u64)> {
    let n = case.n;
    let mut o: BTreeMap<&'static str, (u64, u64)> = BTreeMap::new();
    let mut add = |class: &'static str, count: u64, bytes: u64| {
        let e = o.entry(class).or_default();
        e.0 += count;
        e.1 += count * bytes;
    };
    if case.is_timers() {
        // Per timer: TimerHeapInternalTimer + its node in the key group's deduplication HashMap (the timers of
        // a key share the key's String; the timestamp is a primitive long).
        add(
            "org.apache.flink.streaming.api.operators.TimerHeapInternalTimer",
            n,
            TIMER,
        );
        add("java.util.HashMap$Node", n, HASH_MAP_NODE);
        return o;
    }
    add(
        "org.apache.flink.runtime.state.heap.CopyOnWriteStateMap$StateMapEntry",
        1,
        STATE_MAP_ENTRY,
    );
    let list_capacity = if case.is_cow() {
        n
    } else {
        array_list_capacity(n)
    };
    let map_table = if case.is_cow() {
        expected_size_hash_map_table(n)
    } else {
        default_hash_map_table(n)
    };
    match case.filled_as() {
        "value-cached" => {} // 1L: Long.valueOf's cache
        "value-distinct" | "reducing" | "aggregating" => add("java.lang.Long", 1, LONG),
        "pojo" => add("FlinkHeapPrimitives$Visit", 1, VISIT), // its String field points to a shared String
        "keystats" => add("FlinkHeapPrimitives$KeyStats", 1, KEY_STATS), // two longs, no Long objects
        "aggregating-avg" => {
            // Tuple2(sum, count): sum a distinct Long, count 1 (cached)
            add("org.apache.flink.api.java.tuple.Tuple2", 1, TUPLE2);
            add("java.lang.Long", 1, LONG);
        }
        "value-ttl" => {
            add("org.apache.flink.runtime.state.ttl.TtlValue", 1, TTL_VALUE);
            add("java.lang.Long", 1, LONG);
        }
        "list" | "value-list" | "list-ttl" => {
            add("java.util.ArrayList", 1, ARRAY_LIST);
            add("[Ljava.lang.Object;", 1, reference_array(list_capacity));
            add("java.lang.Long", n, LONG);
            if case.filled_as() == "list-ttl" {
                add("org.apache.flink.runtime.state.ttl.TtlValue", n, TTL_VALUE);
            }
        }
        "map" | "value-map" | "map-sharedkeys" | "map-ttl" => {
            add("java.util.HashMap", 1, HASH_MAP);
            add("[Ljava.util.HashMap$Node;", 1, reference_array(map_table));
            add("java.util.HashMap$Node", n, HASH_MAP_NODE);
            add("java.lang.Long", n, LONG);
            if case.filled_as() != "map-sharedkeys" {
                // a new map key "f<j>" per entry: String + byte[2] or byte[3] (both 24)
                for j in 0..n {
                    add("java.lang.String", 1, STRING);
                    add("[B", 1, byte_array(format!("f{j}").len() as u64));
                }
            }
            if case.filled_as() == "map-ttl" {
                add("org.apache.flink.runtime.state.ttl.TtlValue", n, TTL_VALUE);
            }
        }
        other => panic!("unknown primitive {other}"),
    }
    o
}

// ------------------------------------------------------------------------------------------------------------
// CopyOnWriteStateMap's tables, key by key (only the bucket structure: each bucket holds its entries' hashes).

struct CowMap {
    primary: Vec<Vec<i32>>,
    /// Empty when no incremental rehash runs (Flink's `EMPTY_TABLE`).
    rehash: Vec<Vec<i32>>,
    rehash_index: usize,
    size: usize,
    threshold: usize,
}

impl CowMap {
    /// `new CopyOnWriteStateMap<>(serializer)`: 128 buckets, threshold 96.
    fn new() -> Self {
        CowMap {
            primary: vec![Vec::new(); 128],
            rehash: Vec::new(),
            rehash_index: 0,
            size: 0,
            threshold: 96,
        }
    }

    fn is_rehashing(&self) -> bool {
        !self.rehash.is_empty()
    }

    /// `incrementalRehash()`: move whole old buckets, in order, until at least 4 entries moved.
    fn incremental_rehash(&mut self) {
        let mask = self.rehash.len() - 1;
        let mut transferred = 0;
        while transferred < 4 {
            for h in std::mem::take(&mut self.primary[self.rehash_index]) {
                self.rehash[h as u32 as usize & mask].push(h);
                transferred += 1;
            }
            self.rehash_index += 1;
            if self.rehash_index == self.primary.len() {
                self.primary = std::mem::take(&mut self.rehash);
                self.rehash_index = 0;
                return;
            }
        }
    }

    /// Any operation (`get`, `put`, `transform`, …) starts with a rehash step if a rehash runs.
    fn operation(&mut self) {
        if self.is_rehashing() {
            self.incremental_rehash();
        }
    }

    /// An operation that inserts a new entry with `hash`: the rehash step, the table chosen (`selectActiveTable`:
    /// the old table for buckets not yet moved), then `doubleCapacity()` if `size() > threshold` (the new entry
    /// still goes into the table chosen before), then the insert.
    fn insert(&mut self, hash: i32) {
        self.operation();
        let into_primary = (hash as u32 as usize & (self.primary.len() - 1)) >= self.rehash_index;
        if self.size > self.threshold {
            let capacity = 2 * self.primary.len();
            self.rehash = vec![Vec::new(); capacity];
            self.threshold = (capacity >> 1) + (capacity >> 2);
        }
        let table = if into_primary {
            &mut self.primary
        } else {
            &mut self.rehash
        };
        let mask = table.len() - 1;
        table[hash as u32 as usize & mask].push(hash);
        self.size += 1;
    }

    fn table_bytes(&self) -> u64 {
        let rehash = if self.is_rehashing() {
            reference_array(self.rehash.len() as u64)
        } else {
            0
        };
        reference_array(self.primary.len() as u64) + rehash
    }
}

fn java_string_hash(s: &str) -> i32 {
    s.encode_utf16()
        .fold(0i32, |h, c| h.wrapping_mul(31).wrapping_add(i32::from(c)))
}

/// `KeyGroupRangeAssignment.assignToKeyGroup(key, 128)`.
fn key_group(hash_code: i32) -> usize {
    murmur_hash(hash_code) as usize % KEY_GROUPS
}

/// `hashCode()` of keys `user-000000`, `user-000001`, … (computed once for all rows).
fn key_hashes(keys: u64) -> &'static [i32] {
    static HASHES: OnceLock<Vec<i32>> = OnceLock::new();
    let all = HASHES.get_or_init(|| {
        (0..1_000_000)
            .map(|i| java_string_hash(&key_string(i)))
            .collect()
    });
    &all[..keys as usize]
}

/// G1 (1 MB regions for these 1–2 GB heaps) gives an object of half a region or more ("humongous") whole
/// regions of its own: the used heap counts the rest of its last region too. Only the timer queue's arrays get
/// that large here (the heap array, and a key group's deduplication table of 131,072 slots).
const G1_REGION: u64 = 1 << 20;
fn g1_humongous_waste(bytes: u64) -> u64 {
    if bytes >= G1_REGION / 2 {
        bytes.div_ceil(G1_REGION) * G1_REGION - bytes
    } else {
        0
    }
}

/// The model of one row: every class's bytes, the tables' layout as `tables_after` spells it, and what G1 adds
/// to the used heap beyond the objects.
struct Model {
    classes: BTreeMap<&'static str, u64>,
    layout: String,
    g1_waste: u64,
}

impl Model {
    fn total(&self) -> u64 {
        self.classes.values().sum()
    }
    fn add(&mut self, class: &'static str, bytes: u64) {
        *self.classes.entry(class).or_default() += bytes;
    }
}

fn model(case: Case, keys: u64) -> Model {
    let mut m = Model {
        classes: BTreeMap::new(),
        layout: String::new(),
        g1_waste: 0,
    };
    // the key: String + byte[11]
    m.add("java.lang.String", keys * STRING);
    m.add("[B", keys * byte_array(11));
    for (class, (_, bytes)) in value_objects(case) {
        m.add(class, keys * bytes);
    }
    if case.is_timers() {
        timer_tables(case.n, keys, &mut m);
    } else {
        state_map_tables(case, keys, &mut m);
    }
    m
}

/// Keyed state: the 128 `CopyOnWriteStateMap`s replayed key by key, each key's map operations in order ([`Access`]);
/// their tables beyond the empty maps' 128 slots each.
fn state_map_tables(case: Case, keys: u64, m: &mut Model) {
    let access = access(case);
    let mut maps: Vec<CowMap> = (0..KEY_GROUPS).map(|_| CowMap::new()).collect();
    for &h in key_hashes(keys) {
        let map = &mut maps[key_group(h)];
        for _ in 0..access.before {
            map.operation();
        }
        // compositeHash(key, VoidNamespace): bitMix(key.hashCode() ^ 99)
        map.insert(bit_mix(h ^ 99));
        for _ in 0..access.after {
            map.operation();
        }
    }
    if case.is_cow() {
        // One read per key, in key order, while the snapshot is alive.
        for &h in key_hashes(keys) {
            maps[key_group(h)].operation();
        }
    }
    let bytes = maps.iter().map(CowMap::table_bytes).sum::<u64>()
        - KEY_GROUPS as u64 * reference_array(128);
    m.add(
        "[Lorg.apache.flink.runtime.state.heap.CopyOnWriteStateMap$StateMapEntry;",
        bytes,
    );
    let primary: usize = maps.iter().map(|m| m.primary.len()).sum();
    let rehash: usize = maps.iter().map(|m| m.rehash.len()).sum();
    let rehashing = maps.iter().filter(|m| m.is_rehashing()).count();
    let min = maps.iter().map(|m| m.primary.len()).min().unwrap();
    let max = maps.iter().map(|m| m.primary.len()).max().unwrap();
    m.layout = format!(
        "stateMaps={KEY_GROUPS};primarySlotsSum={primary};rehashSlotsSum={rehash};mapsRehashing={rehashing};\
         tableCapMin={min};tableCapMax={max}"
    );
}

/// Timers: `HeapPriorityQueueSet`'s heap array (129 slots to start with: head index 1 + minimum capacity 128;
/// when full it grows by `len < 64 ? len + 2 : len >> 1`), and one deduplication `HashMap` per key group, made
/// with `newHashMapWithExpectedSize(1 + 128 / 128)` = `new HashMap<>(3)`: no table until the first put, then 4
/// slots, doubling as a `HashMap` does.
fn timer_tables(n: u64, keys: u64, m: &mut Model) {
    let mut per_group = [0u64; KEY_GROUPS];
    for &h in key_hashes(keys) {
        per_group[key_group(h)] += n;
    }
    let caps: Vec<u64> = per_group
        .iter()
        .map(|&c| if c == 0 { 0 } else { hash_map_table(c, 4) })
        .collect();
    let tables: Vec<u64> = caps
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| reference_array(c))
        .collect();
    let timers = n * keys;
    let mut len = 129u64;
    while timers >= len {
        len += if len < 64 { len + 2 } else { len >> 1 };
    }
    m.add("[Ljava.util.HashMap$Node;", tables.iter().sum());
    m.add(
        "[Lorg.apache.flink.runtime.state.heap.HeapPriorityQueueElement;",
        reference_array(len) - reference_array(129),
    );
    m.g1_waste = tables.iter().map(|&t| g1_humongous_waste(t)).sum::<u64>()
        + g1_humongous_waste(reference_array(len));
    m.layout = format!(
        "heapArrayLength={len};dedupMaps={KEY_GROUPS};dedupTableSlotsSum={};dedupTableCapMin={};dedupTableCapMax={}",
        caps.iter().sum::<u64>(),
        caps.iter().min().unwrap(),
        caps.iter().max().unwrap()
    );
}

// ------------------------------------------------------------------------------------------------------------
// The measurements.

struct Row {
    primitive: String,
    n: u64,
    has_param: bool,
    keys: u64,
    bytes: u64,
    histo_bytes: u64,
    tables_after: String,
    map_ops_per_key: String,
}

impl Row {
    fn case(&self) -> Case<'_> {
        Case {
            primitive: &self.primitive,
            n: self.n,
        }
    }
    fn name(&self) -> String {
        format!("{}:{} at {} keys", self.primitive, self.n, self.keys)
    }
}

/// Every measured row with its model (computed once, shared by the tests).
fn rows() -> &'static [(Row, Model)] {
    static ROWS: OnceLock<Vec<(Row, Model)>> = OnceLock::new();
    ROWS.get_or_init(|| {
        common::groundtruth_csv("flink_heap_primitives.csv")
            .into_iter()
            .map(|r| {
                let row = Row {
                    primitive: r["primitive"].clone(),
                    n: if r["param"] == "-" {
                        1
                    } else {
                        r["param"].parse().unwrap()
                    },
                    has_param: r["param"] != "-",
                    keys: r["keys"].parse().unwrap(),
                    bytes: r["bytes"].parse().unwrap(),
                    histo_bytes: r["histo_bytes"].parse().unwrap(),
                    tables_after: r["tables_after"].clone(),
                    map_ops_per_key: r["map_ops_per_key"].clone(),
                };
                let model = model(row.case(), row.keys);
                (row, model)
            })
            .collect()
    })
}

/// TTL's incremental cleanup (on by default) rewrites the MapState maps it visits on every access (Flink 2.3's
/// `TtlMapState.getUnexpiredOrNull` always returns a new map), and each rewrite is one more map operation on
/// the visited key's map: the rehash progress of map-ttl depends on the visitor's walk, which this model does not
/// replay (its tables are within 1 B/key all the same).
fn tables_replayed(row: &Row) -> bool {
    row.primitive != "map-ttl"
}

fn percent(model: u64, real: u64) -> f64 {
    (model as f64 - real as f64) / real as f64 * 100.0
}

#[test]
fn the_file_covers_every_primitive_and_size() {
    let has = |p: &str, n: u64, keys: u64| {
        rows()
            .iter()
            .any(|(r, _)| r.primitive == p && r.n == n && r.keys == keys)
    };
    for keys in [1_000, 10_000, 100_000] {
        for p in [
            "value-cached",
            "value-distinct",
            "pojo",
            "reducing",
            "aggregating",
            "aggregating-avg",
            "value-ttl",
            "timers",
        ] {
            assert!(has(p, 1, keys), "{p} {keys}");
        }
        for p in [
            "list",
            "map",
            "map-sharedkeys",
            "value-list",
            "value-map",
            "list-ttl",
            "map-ttl",
            "list-cow",
            "map-cow",
            "timers",
        ] {
            for n in [1, 2, 4, 8, 16, 64] {
                // map-ttl:64 stops at 10,000 keys (TTL's incremental cleanup makes 100,000 take over half an hour)
                if (p, n, keys) != ("map-ttl", 64, 100_000) {
                    assert!(has(p, n, keys), "{p}:{n} {keys}");
                }
            }
        }
    }
    for (p, n) in [
        ("value-cached", 1),
        ("value-distinct", 1),
        ("list", 4),
        ("map", 4),
    ] {
        assert!(has(p, n, 1_000_000), "{p}:{n} 1M");
    }
}

#[test]
fn the_team_s_public_points_are_reproduced() {
    // heap_primitives.csv (shared/groundtruth, copied verbatim): the same method at 100,000 keys. Our histograms
    // within 0.1 % of its histograms (theirs hold about 5 KB more: Strings the C2 compiler interns while it
    // compiles, which run.sh avoids with C1 only), the very same map layout, and the model within 3 % of both its
    // columns.
    let public = common::groundtruth_csv("heap_primitives.csv");
    assert_eq!(public.len(), 15);
    for p in public {
        let n: u64 = if p["param"] == "-" {
            1
        } else {
            p["param"].parse().unwrap()
        };
        let keys: u64 = p["keys"].parse().unwrap();
        let (row, model) = rows()
            .iter()
            .find(|(r, _)| {
                r.primitive == p["primitive"]
                    && r.n == n
                    && r.keys == keys
                    && r.has_param == (p["param"] != "-")
            })
            .unwrap_or_else(|| panic!("no row for {p:?}"));
        let public_histo: u64 = p["histo_bytes"].parse().unwrap();
        let public_bytes: u64 = p["bytes"].parse().unwrap();
        let ours_vs_public = percent(row.histo_bytes, public_histo);
        assert!(
            ours_vs_public.abs() < 0.1,
            "{}: {} vs {public_histo}",
            row.name(),
            row.histo_bytes
        );
        assert_eq!(row.tables_after, p["tables_after"], "{}", row.name());
        assert!(
            percent(model.total(), public_histo).abs() < 3.0,
            "{}: model {} vs {public_histo}",
            row.name(),
            model.total()
        );
        assert!(
            percent(model.total(), public_bytes).abs() < 3.0,
            "{}: model {} vs {public_bytes}",
            row.name(),
            model.total()
        );
    }
}

#[test]
fn map_operations_per_key_are_the_ones_the_model_replays() {
    for (row, _) in rows() {
        let a = access(row.case());
        let ops = (a.before + 1 + a.after) * u32::from(!row.case().is_timers());
        let expected = if row.case().is_cow() {
            format!("{ops}+1")
        } else {
            ops.to_string()
        };
        assert_eq!(row.map_ops_per_key, expected, "{}", row.name());
    }
}

#[test]
fn the_tables_have_the_measured_layout_after_every_row() {
    let wrong: Vec<String> = rows()
        .iter()
        .filter(|(row, model)| tables_replayed(row) && model.layout != row.tables_after)
        .map(|(row, model)| {
            format!(
                "{}: model {}, measured {}",
                row.name(),
                model.layout,
                row.tables_after
            )
        })
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn every_row_is_within_three_percent_of_the_jvm() {
    let mut worst_histo = (0.0f64, String::new());
    let mut worst_used = (0.0f64, String::new());
    for (row, model) in rows() {
        let histo = percent(model.total(), row.histo_bytes);
        let used = percent(model.total() + model.g1_waste, row.bytes);
        if histo.abs() > worst_histo.0.abs() {
            worst_histo = (histo, row.name());
        }
        if used.abs() > worst_used.0.abs() {
            worst_used = (used, row.name());
        }
        assert!(
            histo.abs() < 3.0,
            "{}: model {} B vs histogram {} B ({histo:+.3} %)",
            row.name(),
            model.total(),
            row.histo_bytes
        );
        assert!(
            used.abs() < 3.0,
            "{}: model {} B + G1 {} B vs used heap {} B ({used:+.3} %)",
            row.name(),
            model.total(),
            model.g1_waste,
            row.bytes
        );
    }
    println!(
        "worst against the histograms: {:+.3} % ({})",
        worst_histo.0, worst_histo.1
    );
    println!(
        "worst against the used heap:  {:+.3} % ({})",
        worst_used.0, worst_used.1
    );
    // The formula leaves out only fixed costs (a few hundred bytes per state or timer service) and JVM noise.
    assert!(worst_histo.0.abs() < 0.5, "{worst_histo:?}");
}

#[test]
fn every_class_is_as_the_model_says() {
    // Per row and class, the model's bytes against the histogram difference: within 256 B + 0.1 % (a class or two
    // made by the first write or snapshot, the first timer's scheduled future), map-ttl's tables within 2 B per key.
    let mut measured: BTreeMap<(String, u64, u64), BTreeMap<String, i64>> = BTreeMap::new();
    for r in common::groundtruth_csv("flink_heap_primitives_classes.csv") {
        let n = if r["param"] == "-" {
            1
        } else {
            r["param"].parse().unwrap()
        };
        measured
            .entry((r["primitive"].clone(), n, r["keys"].parse().unwrap()))
            .or_default()
            .insert(r["class"].clone(), r["bytes"].parse().unwrap());
    }
    let mut wrong = Vec::new();
    for (row, model) in rows() {
        let real = &measured[&(row.primitive.clone(), row.n, row.keys)];
        for (class, &bytes) in &model.classes {
            let got = real.get(*class).copied().unwrap_or(0);
            let mut slack = 256 + bytes as i64 / 1000;
            if !tables_replayed(row) && class.contains("StateMapEntry;") {
                slack = 2 * row.keys as i64;
            }
            if (got - bytes as i64).abs() > slack {
                wrong.push(format!(
                    "{}, {class}: model {bytes} B, measured {got} B",
                    row.name()
                ));
            }
        }
        // What the model does not know is small.
        let unknown: i64 = real
            .iter()
            .filter(|(c, _)| !model.classes.contains_key(c.as_str()))
            .map(|(_, b)| b)
            .sum();
        if unknown.abs() > 1024 {
            wrong.push(format!("{}: {unknown} B in other classes", row.name()));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn shallow_sizes_are_the_documented_ones() {
    let sizes = [
        (
            "org.apache.flink.runtime.state.heap.CopyOnWriteStateMap$StateMapEntry",
            STATE_MAP_ENTRY,
        ),
        ("java.lang.String", STRING),
        ("java.lang.Long", LONG),
        ("java.util.ArrayList", ARRAY_LIST),
        ("java.util.HashMap", HASH_MAP),
        ("java.util.HashMap$Node", HASH_MAP_NODE),
        ("org.apache.flink.runtime.state.ttl.TtlValue", TTL_VALUE),
        ("org.apache.flink.api.java.tuple.Tuple2", TUPLE2),
        ("FlinkHeapPrimitives$Visit", VISIT),
        (
            "org.apache.flink.streaming.api.operators.TimerHeapInternalTimer",
            TIMER,
        ),
    ];
    let mut seen = BTreeMap::new();
    for r in common::groundtruth_csv("flink_heap_primitives_classes.csv") {
        if let Some((_, size)) = sizes.iter().find(|(c, _)| *c == r["class"]) {
            let instances: i64 = r["instances"].parse().unwrap();
            let bytes: i64 = r["bytes"].parse().unwrap();
            if instances >= 1000 {
                assert_eq!(bytes, instances * *size as i64, "{}", r["class"]);
                *seen.entry(r["class"].clone()).or_insert(0) += 1;
            }
        }
    }
    assert_eq!(seen.len(), sizes.len(), "{seen:?}");
}

#[test]
fn capacities_follow_the_jdk_and_flink_rules() {
    // ArrayList from new ArrayList<>(): 10, 15, 22, 33, 49, 73
    assert_eq!(
        [1, 2, 4, 8, 16, 64].map(array_list_capacity),
        [10, 10, 10, 10, 22, 73]
    );
    // HashMap from new HashMap<>(): 16 until 12 entries, 32 until 24, ...
    assert_eq!(
        [1, 2, 4, 8, 16, 64].map(default_hash_map_table),
        [16, 16, 16, 16, 32, 128]
    );
    // MapSerializer.copy: newHashMapWithExpectedSize(n)
    assert_eq!(
        [1, 2, 4, 8, 16, 64].map(expected_size_hash_map_table),
        [2, 4, 8, 16, 32, 128]
    );
    assert_eq!(java_string_hash("user-000123"), 736_447_044);
    assert_eq!(key_group(java_string_hash("user-000123")), 54);
    // a deduplication table of 131,072 slots is humongous in 1 MB regions
    assert_eq!(
        g1_humongous_waste(reference_array(131_072)),
        (1 << 20) - 524_304
    );
    assert_eq!(g1_humongous_waste(reference_array(65_536)), 0);
}

/// The table of docs/heap-primitives.md, one line per measured row:
/// `cargo test --test heap_primitives_groundtruth summary -- --nocapture`.
#[test]
fn summary() {
    let mut lines = 0;
    println!("| primitive | N | keys | histogram B/key | used heap B/key | model B/key | model vs histogram | model + G1 vs used |");
    println!("|---|---|---|---|---|---|---|---|");
    for (row, model) in rows() {
        let k = row.keys as f64;
        println!(
            "| {} | {} | {} | {:.2} | {:.2} | {:.2} | {:+.2} % | {:+.2} % |",
            row.primitive,
            if row.has_param {
                row.n.to_string()
            } else {
                "–".into()
            },
            row.keys,
            row.histo_bytes as f64 / k,
            row.bytes as f64 / k,
            model.total() as f64 / k,
            percent(model.total(), row.histo_bytes),
            percent(model.total() + model.g1_waste, row.bytes)
        );
        lines += 1;
    }
    assert!(lines >= 200, "{lines} rows");
}

//! Shallow sizes of the Java objects the heap backend keeps alive, as measured with `jcmd GC.class_histogram`
//! on 64-bit OpenJDK 17/25 with compressed oops and class pointers (heap < 32 GB) and 8-byte alignment
//! (reference §6.2). StateLab counts the heap object by object with these numbers.

/// Object header: 12 bytes (mark word + compressed class pointer).
pub const OBJECT_HEADER: u64 = 12;
/// Array header: 16 bytes (object header + 4-byte length).
pub const ARRAY_HEADER: u64 = 16;
/// A compressed reference.
pub const REFERENCE: u64 = 4;

/// `CopyOnWriteStateMap.StateMapEntry`: header + key/namespace/state/next refs + entryVersion/stateVersion/hash.
pub const STATE_MAP_ENTRY: u64 = 40;
/// `java.lang.Long`: 12-byte header, 4 bytes padding so the `long` is 8-aligned, 8-byte value.
pub const LONG: u64 = 24;
/// `java.lang.Integer`.
pub const INTEGER: u64 = 16;
/// `java.lang.String` with compact strings (JDK 9+): header, `value` ref, `hash`, `coder`, `hashIsZero`.
pub const STRING: u64 = 24;
/// The `CopyOnWriteStateMap` object itself (5 refs + 7 ints).
pub const COPY_ON_WRITE_STATE_MAP: u64 = 64;
/// The empty `TreeSet` holding `snapshotVersions`…
pub const TREE_SET: u64 = 16;
/// …and the `TreeMap` behind it.
pub const TREE_MAP: u64 = 48;
/// One `TreeMap.Entry` (key, value, left, right, parent refs + colour), added per live snapshot version.
pub const TREE_MAP_ENTRY: u64 = 40;

/// `java.util.ArrayList`: header, `modCount`, `size`, `elementData` ref.
pub const ARRAY_LIST: u64 = 24;
/// `java.util.HashMap`: header, `table`, `entrySet`, `keySet`, `values` refs, `size`, `modCount`, `threshold`,
/// `loadFactor`.
pub const HASH_MAP: u64 = 48;
/// `java.util.HashMap.Node`: header, `hash`, `key`/`value`/`next` refs.
pub const HASH_MAP_NODE: u64 = 32;
/// `org.apache.flink.api.java.tuple.Tuple2`: header, `f0` and `f1` refs.
pub const TUPLE2: u64 = 24;
/// `KeyStats` (`KeyStatsProcessFunction`'s POJO): header, `long count`, `long sum` — 28, aligned to 32.
pub const KEY_STATS: u64 = align8(OBJECT_HEADER + 8 + 8);
/// `org.apache.flink.runtime.state.ttl.TtlValue`: header, `userValue` ref, `lastAccessTimestamp`.
pub const TTL_VALUE: u64 = 24;

/// Rounds up to the JVM's 8-byte object alignment.
pub const fn align8(bytes: u64) -> u64 {
    (bytes + 7) & !7
}

/// `byte[n]`.
pub const fn byte_array(n: u64) -> u64 {
    align8(ARRAY_HEADER + n)
}

/// An array of `n` compressed references, e.g. `StateMapEntry[n]`: 16 + 4·n, aligned.
pub const fn reference_array(n: u64) -> u64 {
    align8(ARRAY_HEADER + REFERENCE * n)
}

/// A `java.lang.String` and its backing array. Compact strings store Latin-1 text one byte per char and
/// anything else as UTF-16, two bytes per code unit.
pub fn string_with_value(s: &str) -> u64 {
    let latin1 = s.chars().all(|c| (c as u32) <= 0xFF);
    let value_bytes = if latin1 {
        s.chars().count() as u64
    } else {
        2 * s.encode_utf16().count() as u64
    };
    STRING + byte_array(value_bytes)
}

/// Autoboxing goes through `Long.valueOf`/`Integer.valueOf`, whose caches hold −128..127: those values cost no
/// new object.
pub const fn is_box_cached(v: i64) -> bool {
    v >= -128 && v <= 127
}

/// Heap bytes of a boxed `Long` holding `v` that a `ValueState<Long>.update(v)` newly allocates.
pub const fn boxed_long(v: i64) -> u64 {
    if is_box_cached(v) {
        0
    } else {
        LONG
    }
}

/// Fixed cost of one eagerly created, empty key-group map: map object, `TreeSet` + `TreeMap` for snapshot
/// versions, and the 128-slot table (reference §6.3: ≈656 B).
pub const fn empty_state_map(capacity: u64) -> u64 {
    COPY_ON_WRITE_STATE_MAP + TREE_SET + TREE_MAP + reference_array(capacity)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_match_the_measured_table() {
        assert_eq!(reference_array(128), 528);
        assert_eq!(byte_array(11), 32);
        assert_eq!(string_with_value("user-000123"), 56);
        assert_eq!(empty_state_map(128), 656);
    }

    #[test]
    fn non_latin1_strings_use_two_bytes_per_utf16_unit() {
        assert_eq!(string_with_value("é"), STRING + byte_array(1));
        assert_eq!(string_with_value("€"), STRING + byte_array(2));
        assert_eq!(string_with_value("\u{1F600}"), STRING + byte_array(4));
    }

    #[test]
    fn long_cache_covers_minus_128_to_127() {
        assert_eq!(boxed_long(127), 0);
        assert_eq!(boxed_long(-128), 0);
        assert_eq!(boxed_long(128), LONG);
        assert_eq!(boxed_long(-129), LONG);
    }
}

//! One key group's `CopyOnWriteStateMap`, opened up: its fields, its bucket tables and chains. The fields
//! are named as in Flink's source (the same in every language).

use crate::engine::keys::key_group::KeyGroup;
use crate::i18n::Lang;

messages! {
    TITLE = "CopyOnWriteStateMap", "CopyOnWriteStateMap";
    EMPTY = "Click a key group in the state table, follow a key, or step an event to open its map.",
        "在状态表中点击一个键组、跟踪一个键，或者单步处理一个事件，即可打开它的 CopyOnWriteStateMap。";
    HINT = "chained buckets · new entries at the head · capacity 128, threshold ¾ · incremental rehash · copy-on-write",
        "链式桶 · 新条目插入链头 · 初始容量 128，阈值 ¾ · 渐进式再哈希 · 写时复制";
    KEY_GROUP = "key group", "键组";
    SUBTASK = "subtask", "子任务";
    SIZE = "size()", "size()";
    THRESHOLD = "threshold", "threshold";
    PRIMARY_LENGTH = "primaryTable.length", "primaryTable.length";
    REHASH_TABLE = "incrementalRehashTable", "incrementalRehashTable";
    EMPTY_TABLE = "EMPTY_TABLE", "EMPTY_TABLE";
    STATE_MAP_VERSION = "stateMapVersion", "stateMapVersion";
    HIGHEST_VERSION = "highestRequiredSnapshotVersion", "highestRequiredSnapshotVersion";
    SNAPSHOT_VERSIONS = "snapshotVersions", "snapshotVersions";
    KEPT = "kept for snapshots", "为快照保留";
    RESIZES = "resizes / rehash steps", "扩容次数 / 再哈希步数";
    COPIES = "copy-on-write copies", "写时复制次数";
    HEAP = "heap", "堆";
    NEW_ENTRY = " (new entry at the head)", "（新条目插入链头）";
    REHASH_COMPLETE = ", rehash complete", "，再哈希完成";
    NULL = "null", "null";
    NULL_MOVED = "null (moved to the new table)", "null（已迁移到新表）";
    ONE_ENTRY = "1 entry", "1 个条目";
    TWO = "2", "2";
    THREE_PLUS = "3+", "3+";
    HOLDS_COPY = "holds a copy-on-write copy", "含写时复制的副本";
    CLICK_BUCKET = "click a bucket", "点击一个桶";
    COPY = "copy", "副本";
}

pub fn threshold_rehashing(l: Lang, threshold: usize) -> String {
    tr!(
        l,
        "{threshold} (of the new table)",
        "{threshold}（新表的）",
        threshold,
    )
}

pub fn threshold(l: Lang, threshold: usize, size: usize) -> String {
    match l {
        Lang::En => format!(
            "{threshold} — doubles on the {}th distinct key (now {size})",
            threshold + 2
        ),
        Lang::Zh => zh!(
            "{threshold} — 第 {next} 个不同的键到来时翻倍（当前 {size}）",
            threshold,
            next = threshold + 2,
            size
        ),
    }
}

pub fn kept(l: Lang, entries: usize, bytes: &str) -> String {
    tr!(
        l,
        "{entries} entries, {bytes}",
        "{entries} 个条目，{bytes}",
        entries,
        bytes,
    )
}

/// `last access: user-3 in primaryTable bucket 81` (then [`NEW_ENTRY`] when it inserted).
pub fn last_access(l: Lang, key: &str, table: &str, bucket: u32) -> String {
    tr!(
        l,
        "last access: {key} in {table} bucket {bucket}",
        "最近一次访问：{key}，{table} 的桶 {bucket}",
        key,
        table,
        bucket,
    )
}

pub fn put_resized(l: Lang, from: u32, to: u32) -> String {
    tr!(
        l,
        "put started a resize: {from} → {to} buckets",
        "put() 触发了扩容：{from} → {to} 个桶",
        from,
        to,
    )
}

/// Then [`REHASH_COMPLETE`] when it was the last step.
pub fn rehash_moved(l: Lang, from: u32, to: u32, entries: u32) -> String {
    match l {
        Lang::En => {
            format!(
                "incremental rehash moved buckets {from}–{to} ({entries} {})",
                super::common::entry_or_entries(&entries.to_string())
            )
        }
        Lang::Zh => zh!(
            "渐进式再哈希迁移了桶 {from}–{to}（{entries} 个条目）",
            from,
            to,
            entries
        ),
    }
}

pub fn primary_label(l: Lang, capacity: usize, rehash_index: Option<u32>) -> String {
    match (l, rehash_index) {
        (Lang::En, None) => format!("primaryTable — {capacity} buckets"),
        (Lang::En, Some(r)) => format!(
            "primaryTable — {capacity} buckets (old; buckets below rehashIndex {r} already moved)"
        ),
        (Lang::Zh, None) => zh!("primaryTable — {capacity} 个桶", capacity),
        (Lang::Zh, Some(r)) => {
            zh!(
                "primaryTable — {capacity} 个桶（旧表；rehashIndex {r} 之前的桶已迁移）",
                capacity,
                r
            )
        }
    }
}

pub fn rehash_label(l: Lang, capacity: usize) -> String {
    tr!(
        l,
        "incrementalRehashTable — {capacity} buckets (new)",
        "incrementalRehashTable — {capacity} 个桶（新表）",
        capacity,
    )
}

pub fn map_label(l: Lang, kg: KeyGroup) -> String {
    tr!(
        l,
        "key group {kg} map",
        "键组 {kg} 的 CopyOnWriteStateMap",
        kg,
    )
}

pub fn map_title(l: Lang, kg: KeyGroup) -> String {
    tr!(
        l,
        "CopyOnWriteStateMap of key group {kg}",
        "键组 {kg} 的 CopyOnWriteStateMap",
        kg,
    )
}

pub fn chains_title(l: Lang, table: &str, from: usize, to: usize) -> String {
    tr!(
    l,
    "{table} buckets {from}–{to} · every entry's namespace is VoidNamespace · v entryVersion/stateVersion · hash · click an entry to follow its key",
    "{table} 的桶 {from}–{to} · 每个条目的命名空间都是 VoidNamespace · v entryVersion/stateVersion · 哈希 · 点击条目可跟踪它的键",
    table,
    from,
    to,
)
}

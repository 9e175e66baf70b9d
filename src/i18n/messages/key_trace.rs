//! Following one key: `hashCode()`, `MathUtils.murmurHash`, key group, subtask, bucket, chain and count. The
//! formulas themselves are code (the same in every language); these are the words around them.

use crate::engine::keys::key_group::KeyGroup;
use crate::engine::tasks::subtask_index::SubtaskIndex;
use crate::i18n::Lang;

messages! {
    LABEL = "follow a key", "跟踪一个键";
    TITLE = "Follow a key", "跟踪一个键";
    PLACEHOLDER = "e.g. user-1", "例如 user-1";
    INPUT_LABEL = "key to follow", "要跟踪的键";
    EMPTY = "Type a key (or click a dot or an entry) to follow it.", "输入一个键（或点击一个点、一个条目）即可跟踪它。";
    ROW_HASH_CODE = "hashCode()", "hashCode()";
    ROW_MURMUR = "murmurHash", "murmurHash";
    ROW_KEY_GROUP = "key group", "键组";
    ROW_SUBTASK = "subtask", "子任务";
    ROW_COMPOSITE = "composite hash", "组合哈希";
    ROW_BUCKET = "bucket", "桶";
    ROW_CHAIN = "in the chain", "链中位置";
    ROW_VALUE = "value()", "value()";
    AT_HEAD = "at the head of the bucket", "位于桶的链头";
    NOT_IN_STATE = "not in state (value() returns null)", "不在状态中（value() 返回 null）";
    /// After `Integer.hashCode(5)`.
    THE_VALUE = " = the value", " = 值本身";
}

/// After `"user-1".hashCode() = Σ s[i]·31^(5−i)`.
pub fn utf16_units(l: Lang, n: usize) -> String {
    tr!(l, " over {n} UTF-16 units", "，共 {n} 个 UTF-16 码元", n)
}

pub fn not_a_key(l: Lang, text: &str, key_type: &str) -> String {
    tr!(
        l,
        "'{text}' is not a valid {key_type} key for this job",
        "'{text}' 不是这个作业的有效 {key_type} 键",
        text,
        key_type,
    )
}

/// `121 × parallelism 2 / 128 = 1 · its KeyGroupRange{…}`.
pub fn subtask_formula(
    l: Lang,
    kg: KeyGroup,
    p: i32,
    m: i32,
    subtask: SubtaskIndex,
    range: &str,
) -> String {
    tr!(
        l,
        "{kg} × parallelism {p} / {m} = {subtask} · its {range}",
        "{kg} × 并行度 {p} / {m} = {subtask} · 它的 {range}",
        kg,
        p,
        m,
        subtask,
        range,
    )
}

/// `… = 81 in primaryTable`.
pub fn bucket_formula(l: Lang, hash: i32, capacity: usize, bucket: u32, table: &str) -> String {
    tr!(
        l,
        "{hash} & ({capacity} − 1) = {bucket} in {table}",
        "{hash} & ({capacity} − 1) = {bucket}，位于 {table}",
        hash,
        capacity,
        bucket,
        table,
    )
}

/// During an incremental rehash, for a bucket already moved to the new table.
pub fn already_moved(l: Lang, mask: usize, index: u32, rehash_index: u32) -> String {
    match l {
        Lang::En => {
            format!(" (hash & {mask} = {index} < rehashIndex {rehash_index}: already moved)")
        }
        Lang::Zh => zh!(
            "（哈希 & {mask} = {index} < rehashIndex {rehash_index}：已迁移）",
            mask,
            index,
            rehash_index
        ),
    }
}

pub fn entries_ahead(l: Lang, n: usize) -> String {
    match l {
        Lang::En => format!(
            "{n} {} ahead of it",
            super::common::entry_or_entries(&n.to_string())
        ),
        Lang::Zh => zh!("前面有 {n} 个条目", n),
    }
}

pub fn open_key_group(l: Lang, kg: KeyGroup) -> String {
    tr!(l, "open key group {kg}", "打开键组 {kg}", kg)
}

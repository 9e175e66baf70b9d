//! Each subtask's `HeapKeyedStateBackend` and the `StateTable` of the job function's state, one cell per key group.

use crate::engine::keys::key_group::KeyGroup;
use crate::i18n::Lang;

messages! {
    LABEL = "state tables", "状态表";
    SELECTED = "selected", "已选中";
    FOLLOWED = "followed key", "跟踪的键";
    PENDING = "snapshot not yet written", "快照尚未写出";
    MOVED = "moved by the last restore", "上次恢复时迁移的键组";
}

pub fn summary(l: Lang, key_groups: u32, subtasks: u32, entries: &str) -> String {
    tr!(
    l,
    "{key_groups} key groups over {subtasks} subtasks · {entries} entries · one CopyOnWriteStateMap per key group (click one)",
    "{key_groups} 个键组分布在 {subtasks} 个子任务上 · {entries} 个条目 · 每个键组一个 CopyOnWriteStateMap（点击查看）",
    key_groups,
    subtasks,
    entries,
)
}

pub fn subtask_title(l: Lang, index: usize) -> String {
    tr!(l, "Subtask {index}", "子任务 {index}", index)
}

/// The key group under the mouse: `key group 12: 3 entries · capacity 128 → 256 (rehashing)`.
pub fn hover(
    l: Lang,
    kg: KeyGroup,
    entries: usize,
    capacity: usize,
    rehash_to: Option<usize>,
) -> String {
    match (l, rehash_to) {
        (Lang::En, None) => format!("key group {kg}: {entries} entries · capacity {capacity}"),
        (Lang::En, Some(to)) => {
            format!("key group {kg}: {entries} entries · capacity {capacity} → {to} (rehashing)")
        }
        (Lang::Zh, None) => zh!(
            "键组 {kg}：{entries} 个条目 · 容量 {capacity}",
            kg,
            entries,
            capacity
        ),
        (Lang::Zh, Some(to)) => {
            zh!(
                "键组 {kg}：{entries} 个条目 · 容量 {capacity} → {to}（再哈希中）",
                kg,
                entries,
                capacity,
                to
            )
        }
    }
}

pub fn grid_label(l: Lang, start: i32, end: i32) -> String {
    tr!(
        l,
        "key groups {start} to {end}",
        "键组 {start} 到 {end}",
        start,
        end,
    )
}

/// `HeapKeyedStateBackend · StateTable "event-counter"`: Flink's names, the same in every language.
pub fn title(state: &str) -> String {
    format!("HeapKeyedStateBackend · StateTable \"{state}\"")
}

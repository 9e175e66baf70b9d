//! The Java of the job's `KeyedProcessFunction` beside the picture, and the values of the current record.

use crate::engine::keys::key_group::KeyGroup;
use crate::engine::tasks::subtask_index::SubtaskIndex;
use crate::i18n::Lang;

messages! {
    TITLE = "The code", "代码";
    STEP_LINE = "Step into", "单步进入";
    STEP_LINE_TITLE = "Next line of processElement; after the last line, the next record (i or F7)",
        "processElement 的下一行；最后一行之后处理下一条记录 (i 或 F7)";
    OBJECT_CHANGED = "value() handed out the stored object itself: changing it changed the state, before update()",
        "value() 交出的是存储的对象本身：修改它就修改了状态，无需等到 update()";
    CHANGED_AFTER_UPDATE = "update() stored this very object: changing it now changed the state without update(), as a snapshot still sharing the entry sees",
        "update() 存储的正是这个对象：此时修改它，无需 update() 就改变了状态，仍共享该条目的快照也会看到";
    FAST = "Playing fast: processElement runs for every record; slow down or step to follow one.",
        "快速播放中：每条记录都会调用 processElement；放慢速度或单步执行即可跟踪一条记录。";
    VALUE_NULL = "null — no entry for this key yet", "null —— 该键还没有条目";
    NEW_ENTRY = "new entry at the head of the bucket", "新条目插入桶的链头";
    REPLACED = "state replaced in the existing entry", "替换已有条目中的状态";
    COPIED = "copy-on-write: a snapshot still holds the old entry", "写时复制：快照仍持有旧条目";
    RESIZE = "this insert started a resize", "这次插入触发了扩容";
    DUPLICATE = "the sink saw this record before (replayed after a restore)", "输出端之前已收到过这条记录（恢复后重放）";
    TO_SINK = "to the sink", "发往输出端";
    RETURNED = "processElement returned", "processElement 已返回";
    OPEN_NOTE = "runs once per subtask attempt", "每个子任务的每次执行只运行一次";
}

/// Where the record came in: `subtask 1 · key group 121`.
pub fn entered(l: Lang, subtask: SubtaskIndex, key_group: KeyGroup) -> String {
    l.pick(
        format!("subtask {subtask} · setCurrentKey → key group {key_group}"),
        zh!(
            "子任务 {subtask} · setCurrentKey → 键组 {key_group}",
            subtask,
            key_group
        ),
    )
}

/// Where `value()` looked: `primaryTable[81], chain #0`.
pub fn looked_up(l: Lang, table: &str, bucket: u32, position: Option<u32>) -> String {
    match position {
        Some(p) => l.pick(
            format!("found in {table}[{bucket}], chain #{p}"),
            zh!(
                "在 {table}[{bucket}] 中找到，链上第 {p} 个",
                table,
                bucket,
                p
            ),
        ),
        None => l.pick(
            format!("{table}[{bucket}] has no entry for this key"),
            zh!("{table}[{bucket}] 中没有该键的条目", table, bucket),
        ),
    }
}

/// Where `update()` wrote.
pub fn written(l: Lang, table: &str, bucket: u32) -> String {
    l.pick(
        format!("put into {table}[{bucket}]"),
        zh!("写入 {table}[{bucket}]", table, bucket),
    )
}

/// Rehash work done by a state access.
pub fn rehashed(l: Lang, moved: u32, from: u32, to: u32) -> String {
    l.pick(
        format!("incremental rehash moved {moved} entries (buckets {from}..{to})"),
        zh!(
            "渐进式再哈希搬移了 {moved} 个条目（桶 {from}..{to}）",
            moved,
            from,
            to
        ),
    )
}

/// The panel's subtitle: `EventCounterProcessFunction — the line running …`.
pub fn subtitle(l: Lang, class: &str) -> String {
    l.pick(
        format!("{class} — the line running for the current record, with its values"),
        zh!("{class} —— 当前记录正在执行的行及其取值", class),
    )
}

/// Before the first record: what `open()` did.
pub fn no_record(l: Lang, state: &str) -> String {
    l.pick(
        format!("No record processed yet: open() ran when each subtask was deployed, registering \"{state}\" in its HeapKeyedStateBackend."),
        zh!("尚未处理任何记录：每个子任务部署时都运行了 open()，在它的 HeapKeyedStateBackend 中注册了 \"{state}\"。", state),
    )
}

/// A processing-time timer registered for the current key.
pub fn timer_registered(l: Lang, at_ms: i64) -> String {
    l.pick(
        format!("timer for {at_ms} ms queued in the key group's HeapPriorityQueueSet"),
        zh!(
            "{at_ms} ms 的计时器进入该键组的 HeapPriorityQueueSet",
            at_ms
        ),
    )
}

/// The timer `onTimer` runs for: its key and time.
pub fn on_timer_for(l: Lang, key: &str, timestamp: i64) -> String {
    tr!(
        l,
        "key = {key}, timestamp = {timestamp} (the timer polled from the key group's HeapPriorityQueueSet)",
        "key = {key}，timestamp = {timestamp}（从键组的 HeapPriorityQueueSet 中取出的定时器）",
        key,
        timestamp
    )
}

/// What `onTimer` did: the session closed.
pub fn on_timer_emitted(l: Lang, key: &str, count: i64) -> String {
    tr!(
        l,
        "the session closed: out.collect(({key}, {count})), then session.clear() removed the key's entry",
        "会话结束：out.collect(({key}, {count}))，随后 session.clear() 删除了该键的条目",
        key,
        count
    )
}

/// What `onTimer` did: nothing, the session had gone on.
pub fn on_timer_stale(l: Lang) -> String {
    tr!(
        l,
        "an earlier event's timer: the session went on since (timestamp ≠ current.f1 + GAP_MS), nothing emitted",
        "较早事件的定时器：此后会话仍在继续（timestamp ≠ current.f1 + GAP_MS），不发出任何内容",
    )
}

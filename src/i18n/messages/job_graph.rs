//! The job graph: `Source → keyBy → the job's KeyedProcessFunction → Sink`, with what is in flight.

use crate::engine::cluster::slot_sharing_group::SlotSharingGroup;
use crate::engine::keys::key_group::KeyGroup;
use crate::engine::memory::task_executor_memory::ExecutionMode;
use crate::engine::tasks::stream_element::EventRef;
use crate::engine::tasks::subtask_index::SubtaskIndex;
use crate::i18n::Lang;

messages! {
    LABEL = "job graph", "作业图";
    TITLE = "Job graph", "作业图";
    DOTS_NOTE = "each dot is a record (click to follow its key)", "每个点是一条记录（点击可跟踪它的键）";
    RATES_NOTE = "flow rates (records per wall second)", "流速（每秒真实时间的记录数）";
    BLOCKED = "blocked: this channel delivered its barrier; the subtask waits for the others (alignment)",
        "已阻塞：这个通道已送达屏障，子任务在等待其他通道（对齐）";
    STOPPED = "stopped", "已停止";
    FINISHED = "finished", "已结束";
    EMITTING = "emitting", "正在发出记录";
    SINK = "Sink (list)", "输出（列表）";
    NOT_TRANSACTIONAL = "not transactional", "非事务性";
    WAITING_FOR_RESTART = "failed — waiting for restart", "失败 — 等待重启";
    PROCESSING = "processing", "处理中";
    IDLE = "idle", "空闲";
}

pub fn queued(l: Lang, n: usize) -> String {
    tr!(l, "{n} queued", "{n} 条排队", n)
}

fn event(l: Lang, event: EventRef) -> String {
    match (l, event) {
        (Lang::Zh, EventRef::Injected(i)) => zh!("手动 #{i}", i),
        (Lang::Zh, EventRef::Timer(t)) => zh!("onTimer @{t} 毫秒", t),
        _ => event.to_string(),
    }
}

/// A record's tooltip: `user-3 → key group 12, subtask 0 (#42)`.
pub fn record_title(
    l: Lang,
    key: &str,
    key_group: KeyGroup,
    subtask: usize,
    e: EventRef,
) -> String {
    match l {
        Lang::En => format!("{key} → key group {key_group}, subtask {subtask} ({e})"),
        Lang::Zh => zh!(
            "{key} → 键组 {key_group}，子任务 {subtask}（{event}）",
            key,
            key_group,
            subtask,
            event = event(l, e)
        ),
    }
}

pub fn barrier_title(l: Lang, id: u64) -> String {
    tr!(l, "checkpoint barrier {id}", "检查点屏障 {id}", id)
}

pub fn backpressured(l: Lang, subtask: SubtaskIndex) -> String {
    tr!(
        l,
        "backpressured by subtask {subtask}",
        "受子任务 {subtask} 反压",
        subtask,
    )
}

pub fn trigger_on_its_way(l: Lang, id: u64) -> String {
    tr!(
        l,
        "trigger {id} on its way",
        "检查点 {id} 的触发消息传递中",
        id,
    )
}

pub fn source(l: Lang, index: usize, of: usize) -> String {
    tr!(l, "Source ({index}/{of})", "源 ({index}/{of})", index, of)
}

pub fn offset(l: Lang, offset: &str) -> String {
    tr!(l, "offset {offset}", "偏移量 {offset}", offset)
}

/// A subtask's heap, and its rate when the view shows rates: `heap 1.20 MiB · 950/s`.
pub fn task_load(l: Lang, heap: &str, rate: Option<&str>) -> String {
    match (l, rate) {
        (Lang::En, None) => format!("heap {heap}"),
        (Lang::En, Some(rate)) => format!("heap {heap} · {rate}"),
        (Lang::Zh, None) => zh!("堆 {heap}", heap),
        (Lang::Zh, Some(rate)) => zh!("堆 {heap} · {rate}", heap, rate),
    }
}

pub fn task_key_groups(l: Lang, start: i32, end: i32, entries: &str) -> String {
    match l {
        Lang::En => format!(
            "key groups {start}–{end} · {entries} {}",
            super::common::entry_or_entries(entries)
        ),
        Lang::Zh => zh!("键组 {start}–{end} · {entries} 个条目", start, end, entries),
    }
}

pub fn written(l: Lang, n: &str) -> String {
    tr!(l, "{n} written", "已写入 {n} 条", n)
}

pub fn duplicates(l: Lang, n: &str) -> String {
    tr!(l, "{n} duplicates", "{n} 条重复", n)
}

/// The sink's newest record, `(key, count)` already formatted.
pub fn last(l: Lang, record: &str) -> String {
    tr!(l, "last {record}", "最近 {record}", record)
}

pub fn graph_label(l: Lang, sources: usize, subtasks: usize) -> String {
    tr!(
        l,
        "{sources} source subtasks sending to {subtasks} keyed subtasks",
        "{sources} 个源子任务向 {subtasks} 个键控子任务发送数据",
        sources,
        subtasks,
    )
}

pub fn sync_phase(l: Lang, id: u64) -> String {
    tr!(
        l,
        "sync phase {id}: snapshotMapArrays",
        "同步阶段 {id}：snapshotMapArrays",
        id,
    )
}

pub fn async_phase(l: Lang, id: u64, written: usize, total: usize) -> String {
    tr!(
        l,
        "async phase {id}: {written}/{total} key groups written",
        "异步阶段 {id}：已写出 {written}/{total} 个键组",
        id,
        written,
        total,
    )
}

pub fn aligning(l: Lang, id: u64, got: usize, of: usize) -> String {
    tr!(
        l,
        "aligning barrier {id}: {got}/{of} channels",
        "对齐屏障 {id}：{got}/{of} 个通道",
        id,
        got,
        of,
    )
}

/// Where a subtask runs, on its box: `TM 1 · slot 0`.
pub fn slot_label(l: Lang, task_manager: u32, slot: u32) -> String {
    tr!(
        l,
        "TM {task_manager} · slot {slot}",
        "TM {task_manager} · 槽 {slot}",
        task_manager,
        slot,
    )
}

/// The same in full, as its tooltip.
pub fn slot_title(l: Lang, task_manager: u32, slot: u32) -> String {
    tr!(
        l,
        "runs in slot {slot} of TaskManager {task_manager}",
        "运行在 TaskManager {task_manager} 的任务槽 {slot} 中",
        task_manager,
        slot,
    )
}

/// How the job's slots are laid out, after the pipeline: `2 TaskManagers × 1 slot`.
pub fn placement(l: Lang, g: &SlotSharingGroup) -> String {
    let (tms, per, slots) = (g.task_managers, g.slots_per_task_manager, g.slots);
    match (l, g.mode) {
        (Lang::En, ExecutionMode::Cluster) => format!(
            " · {tms} TaskManager{} × {per} slot{} (a JVM heap each)",
            if tms == 1 { "" } else { "s" },
            if per == 1 { "" } else { "s" }
        ),
        (Lang::Zh, ExecutionMode::Cluster) => {
            zh!(
                " · {tms} 个 TaskManager × 每个 {per} 个任务槽（各有一个 JVM 堆）",
                tms,
                per
            )
        }
        (Lang::En, ExecutionMode::Local) => format!(
            " · local execution: 1 TaskManager, {slots} slot{}, one JVM heap",
            if slots == 1 { "" } else { "s" }
        ),
        (Lang::Zh, ExecutionMode::Local) => {
            zh!(
                " · 本地执行：1 个 TaskManager、{slots} 个任务槽、一个 JVM 堆",
                slots
            )
        }
    }
}

/// `Source → keyBy (…) → EventCounterProcessFunction → Sink · `: the job's pipeline with its function.
pub fn pipeline(l: Lang, class: &str) -> String {
    l.pick(
        format!("Source → keyBy (murmur hash → key group → subtask) → {class} → Sink · "),
        zh!(
            "源 → keyBy（murmurHash → 键组 → 子任务）→ {class} → 输出 · ",
            class
        ),
    )
}

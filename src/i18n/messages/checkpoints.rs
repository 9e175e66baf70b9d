//! The Checkpoints panel: timeline, history table (as Flink's Web UI shows it), interval and restore.

use crate::i18n::Lang;

messages! {
    LABEL = "checkpoints", "检查点";
    TITLE = "Checkpoints", "检查点";
    NONE_YET = "No checkpoint yet. Trigger one, or wait for the periodic interval.", "还没有检查点。手动触发一次，或者等待周期性检查点。";
    TIMELINE = "checkpoint timeline", "检查点时间线";
    MANUAL = " (manual)", "（手动）";
    // Statuses as Flink's Web UI shows them.
    COMPLETED = "COMPLETED", "COMPLETED";
    IN_PROGRESS = "IN_PROGRESS", "IN_PROGRESS";
    FAILED = "FAILED", "FAILED";
    FAILURE_CAUSE = "Failure cause: ", "失败原因：";
    SUB_SUBTASK = "subtask", "子任务";
    SUB_ACKNOWLEDGED = "acknowledged", "确认时间";
    SUB_ALIGNMENT = "alignment", "对齐";
    SUB_SYNC = "sync", "同步";
    SUB_ASYNC = "async", "异步";
    SUB_SIZE = "checkpointed size", "检查点数据大小";
    SUB_ENTRIES = "entries", "条目";
    SUB_COPIES = "copy-on-write copies", "写时复制次数";
    NOT_ACKNOWLEDGED = "not acknowledged", "未确认";
    ALIGNED = "aligned", "对齐";
    NOT_ALIGNED = "not aligned", "不对齐";
    INTERVAL = "interval (ms, empty = off)", "间隔（ms，留空为关闭）";
    SET = "Set", "设置";
    COL_ID = "ID", "ID";
    COL_STATUS = "Status", "状态";
    COL_ACKNOWLEDGED = "Acknow\u{AD}ledged", "已确认";
    COL_TRIGGER = "Trigger Time", "触发时间";
    COL_END_TO_END = "End to End", "端到端耗时";
    COL_SIZE = "Check\u{AD}pointed Data Size", "检查点数据大小";
    COL_SYNC = "Sync", "同步";
    COL_ASYNC = "Async", "异步";
    COL_ALIGNMENT = "Align\u{AD}ment", "对齐";
    COL_COPIES = "COW copies", "写时复制次数";
    NOTHING_TO_RESTORE = "No completed checkpoint is retained yet, so there is nothing to restore.", "还没有保留的已完成检查点，没有可以恢复的内容。";
    RESTORE_CHECKPOINT = "restore checkpoint", "恢复检查点";
    AT_PARALLELISM = "at parallelism", "并行度";
    RESTORE = "Restore", "恢复";
}

/// The panel's hint: `EXACTLY_ONCE · retained 2 · barriers aligned`.
pub fn summary(l: Lang, mode: &str, retained: usize, barriers: &str) -> String {
    tr!(
        l,
        "{mode} · retained {retained} · barriers {barriers}",
        "{mode} · 保留 {retained} 个 · 屏障{barriers}",
        mode,
        retained,
        barriers,
    )
}

/// A retained checkpoint to restore: `3 (p=2, 1,000 keys, 12.0 KiB)`.
pub fn retained_option(l: Lang, id: u64, parallelism: u32, keys: &str, size: &str) -> String {
    tr!(
        l,
        "{id} (p={parallelism}, {keys} keys, {size})",
        "{id}（p={parallelism}，{keys} 个键，{size}）",
        id,
        parallelism,
        keys,
        size,
    )
}

pub fn max_parallelism(l: Lang, max: u32, fixed: bool) -> String {
    match (l, fixed) {
        (Lang::En, true) => format!("maxParallelism {max} is fixed"),
        (Lang::En, false) => format!("maxParallelism {max} (derived)"),
        (Lang::Zh, true) => zh!("maxParallelism {max}（已固定）", max),
        (Lang::Zh, false) => zh!("maxParallelism {max}（自动推导）", max),
    }
}

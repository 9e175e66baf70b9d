//! The event log ("what happened", in words) and the sink's output. Numbers, sizes and durations arrive
//! formatted; keys and Java exceptions are not part of these sentences (the log shows them verbatim).

use crate::engine::keys::key_group::KeyGroup;
use crate::engine::tasks::subtask_index::SubtaskIndex;
use crate::i18n::Lang;

messages! {
    TIMER_STALE = " → the session went on since: nothing emitted", " → 会话此后仍在继续：不发出任何内容";
    LABEL = "event log", "事件日志";
    WHAT_HAPPENED = "What happened", "发生了什么";
    SINK_OUTPUT = "Sink output", "输出结果";
    DUPLICATE = "duplicate", "重复";
    JOB_FINISHED = "job FINISHED: the bounded source was read to the end", "作业结束：有界源已读取完毕";
    JOB_FAILED = "job FAILED: the restart strategy gave up after ", "作业失败：重启策略已放弃，最后一次故障为 ";
    RESTARTED = "restarted", "重启";
    RESTORED_BY_HAND = "restored by hand:", "手动恢复：";
    STARTED_FROM_STORED = "started from a stored checkpoint:", "从存储的检查点启动：";
    FROM_SCRATCH = "scratch (no checkpoint yet)", "零状态（还没有检查点）";
    EMPTY = "Nothing yet. Checkpoints, map resizes and rehashes, failures, restarts, restores and rescales appear here as they happen, newest first.",
        "暂时没有。检查点、映射扩容与再哈希、故障、重启、恢复和扩缩容一发生就会出现在这里，最新的在最上面。";
}

pub fn checkpoint_triggered(l: Lang, id: u64, manual: bool) -> String {
    match l {
        Lang::En => format!(
            "checkpoint {id} triggered{}",
            if manual { " by hand" } else { "" }
        ),
        Lang::Zh => zh!(
            "检查点 {id} 已{how}触发",
            id,
            how = if manual { zh_str!("手动") } else { "" }
        ),
    }
}

pub fn barrier_injected(l: Lang, split: u32, id: u64) -> String {
    tr!(
        l,
        "source {split} snapshotted its position and injected barrier {id}",
        "源 {split} 对读取位置做了快照，并注入屏障 {id}",
        split,
        id,
    )
}

pub fn barrier_aligned(
    l: Lang,
    subtask: SubtaskIndex,
    id: u64,
    split: u32,
    alignment: &str,
) -> String {
    match l {
        Lang::En => format!(
            "subtask {subtask}: last barrier {id} (from source {split}) after {alignment} of alignment"
        ),
        Lang::Zh => {
            zh!("子任务 {subtask}：收到最后一个屏障 {id}（来自源 {split}），对齐用时 {alignment}", subtask, id, split, alignment)
        }
    }
}

pub fn barrier_waiting(
    l: Lang,
    subtask: SubtaskIndex,
    id: u64,
    split: u32,
    received: u32,
    expected: u32,
    blocked: bool,
) -> String {
    match l {
        Lang::En => format!(
            "subtask {subtask}: barrier {id} from source {split} ({received}/{expected}){}",
            if blocked { ", channel blocked" } else { "" }
        ),
        Lang::Zh => zh!(
            "子任务 {subtask}：收到来自源 {split} 的屏障 {id}（{received}/{expected}）{blocked}",
            subtask,
            split,
            id,
            received,
            expected,
            blocked = if blocked {
                zh_str!("，通道已阻塞")
            } else {
                ""
            }
        ),
    }
}

pub fn barrier_ignored(l: Lang, subtask: SubtaskIndex, id: u64) -> String {
    tr!(
        l,
        "subtask {subtask}: stale barrier {id} ignored",
        "子任务 {subtask}：忽略了过期的屏障 {id}",
        subtask,
        id,
    )
}

pub fn sync_phase(
    l: Lang,
    subtask: SubtaskIndex,
    id: u64,
    maps: u32,
    slots: &str,
    took: &str,
) -> String {
    tr!(
    l,
    "subtask {subtask}: sync phase of {id} — snapshotMapArrays on {maps} maps ({slots} bucket slots, {took})",
    "子任务 {subtask}：检查点 {id} 的同步阶段 — 对 {maps} 个 CopyOnWriteStateMap 调用 snapshotMapArrays（{slots} 个桶槽，{took}）",
    subtask,
    id,
    maps,
    slots,
    took,
)
}

pub fn key_group_written(
    l: Lang,
    subtask: SubtaskIndex,
    key_group: KeyGroup,
    entries: u32,
) -> String {
    match l {
        Lang::En => format!(
            "subtask {subtask}: wrote key group {key_group} ({entries} {}) and released its snapshot",
            super::common::entry_or_entries(&entries.to_string())
        ),
        Lang::Zh => {
            zh!("子任务 {subtask}：写出键组 {key_group}（{entries} 个条目）并释放了它的快照", subtask, key_group, entries)
        }
    }
}

pub fn async_done(l: Lang, subtask: SubtaskIndex, id: u64, size: &str, took: &str) -> String {
    tr!(
        l,
        "subtask {subtask}: async phase of {id} done — {size} in {took}",
        "子任务 {subtask}：检查点 {id} 的异步阶段完成 — {size}，用时 {took}",
        subtask,
        id,
        size,
        took,
    )
}

pub fn checkpoint_completed(l: Lang, id: u64, size: &str, took: &str, subsumed: &[u64]) -> String {
    match (l, subsumed.is_empty()) {
        (Lang::En, true) => format!("checkpoint {id} COMPLETED — {size} in {took}"),
        (Lang::En, false) => {
            format!("checkpoint {id} COMPLETED — {size} in {took}; subsumed {subsumed:?}")
        }
        (Lang::Zh, true) => zh!("检查点 {id} 完成 — {size}，用时 {took}", id, size, took),
        (Lang::Zh, false) => {
            zh!(
                "检查点 {id} 完成 — {size}，用时 {took}；被取代的检查点：{subsumed}",
                id,
                size,
                took,
                subsumed = format!("{:?}", subsumed)
            )
        }
    }
}

pub fn checkpoint_aborted(l: Lang, id: u64, reason: &str) -> String {
    tr!(
        l,
        "checkpoint {id} FAILED — {reason}",
        "检查点 {id} 失败 — {reason}",
        id,
        reason,
    )
}

/// Followed by the Java exception: `subtask 0 failed (attempt 0): ` (`a task` when no subtask is to blame).
pub fn task_failed(l: Lang, subtask: Option<SubtaskIndex>, attempt: u32) -> String {
    match (l, subtask) {
        (Lang::En, Some(s)) => format!("subtask {s} failed (attempt {attempt}): "),
        (Lang::En, None) => format!("a task failed (attempt {attempt}): "),
        (Lang::Zh, Some(s)) => zh!("子任务 {s} 失败（尝试 {attempt}）：", s, attempt),
        (Lang::Zh, None) => zh!("一个任务失败（尝试 {attempt}）：", attempt),
    }
}

pub fn restart_scheduled(l: Lang, attempt: u32, delay: &str) -> String {
    tr!(
        l,
        "restart strategy: restarting as attempt {attempt} in {delay}",
        "重启策略：{delay} 后以尝试 {attempt} 重启",
        delay,
        attempt,
    )
}

pub fn checkpoint_named(l: Lang, id: u64) -> String {
    tr!(l, "checkpoint {id}", "检查点 {id}", id)
}

pub fn job_restored(
    l: Lang,
    how: &str,
    attempt: u32,
    parallelism: u32,
    max_parallelism: u32,
    from: &str,
    entries: &str,
) -> String {
    tr!(
    l,
    "{how} attempt {attempt} at parallelism {parallelism} (maxParallelism {max_parallelism}) from {from} — {entries} entries restored, sources rewound",
    "{how}尝试 {attempt}，并行度 {parallelism}（maxParallelism {max_parallelism}），来自{from} — 恢复了 {entries} 个条目，源已回退",
    how,
    attempt,
    parallelism,
    max_parallelism,
    from,
    entries,
)
}

pub fn source_finished(l: Lang, split: u32) -> String {
    tr!(l, "source {split} finished", "源 {split} 已结束", split)
}

pub fn source_backpressured(l: Lang, split: u32, subtask: SubtaskIndex) -> String {
    tr!(
        l,
        "source {split} backpressured by subtask {subtask}",
        "源 {split} 受到子任务 {subtask} 的反压",
        split,
        subtask,
    )
}

/// Followed by the key: `source 0 → subtask 1: `.
pub fn record_emitted(l: Lang, split: u32, subtask: SubtaskIndex) -> String {
    tr!(
        l,
        "source {split} → subtask {subtask}: ",
        "源 {split} → 子任务 {subtask}：",
        split,
        subtask,
    )
}

/// Before the key: `subtask 1: `.
pub fn record_processed_before(l: Lang, subtask: SubtaskIndex) -> String {
    tr!(l, "subtask {subtask}: ", "子任务 {subtask}：", subtask)
}

/// After the key: ` → 3 in key group 12`.
pub fn record_processed_after(l: Lang, count: i64, key_group: KeyGroup) -> String {
    tr!(
        l,
        " → {count} in key group {key_group}",
        " → {count}，键组 {key_group}",
        count,
        key_group,
    )
}

/// Before a fired timer's key: `subtask 1: onTimer @2001 ms for `.
pub fn timer_fired_before(l: Lang, subtask: SubtaskIndex, timestamp: i64) -> String {
    tr!(
        l,
        "subtask {subtask}: onTimer @{timestamp} ms for ",
        "子任务 {subtask}：onTimer @{timestamp} ms，键 ",
        subtask,
        timestamp
    )
}

/// After a fired timer's key: what `onTimer` did.
pub fn timer_fired_after(l: Lang, emitted: Option<i64>) -> String {
    match emitted {
        Some(count) => tr!(
            l,
            " → the session closed: count {count} emitted, state cleared",
            " → 会话结束：发出计数 {count}，状态已清除",
            count
        ),
        None => l.t(&TIMER_STALE).to_owned(),
    }
}

pub fn state_map_resized(
    l: Lang,
    subtask: SubtaskIndex,
    key_group: KeyGroup,
    from: u32,
    to: u32,
    completed: bool,
) -> String {
    match (l, completed) {
        (Lang::En, false) => format!(
            "subtask {subtask}, key group {key_group}: CopyOnWriteStateMap resize {from} → {to} buckets started (incremental rehash)"
        ),
        (Lang::En, true) => format!(
            "subtask {subtask}, key group {key_group}: incremental rehash done, {to} buckets"
        ),
        (Lang::Zh, false) => zh!("子任务 {subtask}，键组 {key_group}：CopyOnWriteStateMap 开始扩容 {from} → {to} 个桶（渐进式再哈希）", subtask, key_group, from, to),
        (Lang::Zh, true) => {
            zh!("子任务 {subtask}，键组 {key_group}：渐进式再哈希完成，共 {to} 个桶", subtask, key_group, to)
        }
    }
}

pub fn copied_on_write(l: Lang, copies: impl std::fmt::Display) -> String {
    tr!(
        l,
        "{copies} entries copied on write",
        "写时复制了 {copies} 个条目",
        copies,
    )
}

pub fn sink_summary(l: Lang, records: &str, duplicates: &str) -> String {
    match l {
        Lang::En => {
            format!("{records} records, {duplicates} duplicates (replayed after a restore)")
        }
        Lang::Zh => zh!(
            "{records} 条记录，{duplicates} 条重复（恢复后重放的）",
            records,
            duplicates
        ),
    }
}

/// After a sink record: ` subtask 1 · attempt 0`.
pub fn sink_origin(l: Lang, subtask: SubtaskIndex, attempt: u32) -> String {
    tr!(
        l,
        " subtask {subtask} · attempt {attempt}",
        " 子任务 {subtask} · 尝试 {attempt}",
        subtask,
        attempt,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::messages::is_cjk;

    #[test]
    fn log_sentences_read_as_before_in_english_and_in_chinese_otherwise() {
        let both = |make: &dyn Fn(Lang) -> String, english: &str| {
            assert_eq!(make(Lang::En), english);
            let zh = make(Lang::Zh);
            assert!(zh.chars().any(is_cjk), "{zh}");
        };
        both(
            &|l| checkpoint_triggered(l, 3, true),
            "checkpoint 3 triggered by hand",
        );
        both(
            &|l| barrier_waiting(l, SubtaskIndex::new(1), 2, 0, 1, 2, true),
            "subtask 1: barrier 2 from source 0 (1/2), channel blocked",
        );
        both(
            &|l| sync_phase(l, SubtaskIndex::new(0), 4, 64, "8,192", "36.4 µs"),
            "subtask 0: sync phase of 4 — snapshotMapArrays on 64 maps (8,192 bucket slots, 36.4 µs)",
        );
        both(
            &|l| checkpoint_completed(l, 5, "8 KiB", "3 ms", &[3]),
            "checkpoint 5 COMPLETED — 8 KiB in 3 ms; subsumed [3]",
        );
        both(
            &|l| task_failed(l, Some(SubtaskIndex::new(0)), 0),
            "subtask 0 failed (attempt 0): ",
        );
        both(&|l| task_failed(l, None, 1), "a task failed (attempt 1): ");
        both(
            &|l| job_restored(l, l.t(&RESTARTED), 1, 2, 128, &checkpoint_named(l, 4), "205"),
            "restarted attempt 1 at parallelism 2 (maxParallelism 128) from checkpoint 4 — 205 entries restored, sources rewound",
        );
        both(
            &|l| restart_scheduled(l, 1, "1.500 s"),
            "restart strategy: restarting as attempt 1 in 1.500 s",
        );
    }
}

//! Time travel: the run's timeline, stepping back, forking.

use crate::i18n::Lang;

messages! {
    LABEL = "Timeline", "时间线";
    BACK = "◀ Back", "◀ 后退";
    BACK_TITLE = "Step back one event (←)", "后退一个事件 (←)";
    FORWARD = "Forward ▶", "前进 ▶";
    FORWARD_TITLE = "Step forward one event (→)", "前进一个事件 (→)";
    LIVE = "Back to the newest", "回到最新";
    LIVE_TITLE = "Jump to the furthest point of this run", "跳到本次运行最远的位置";
    SCRUB_TITLE = "Drag to travel through the run; acting in the past starts a new future from there",
        "拖动以在运行中穿梭；在过去的时刻进行操作会从那里开启新的未来";
    IN_PAST_SHORT = "in the past", "处于过去";
    IN_PAST = "in the past: play replays this run, any command forks it", "处于过去：播放会重放本次运行，任何操作都会分叉";
    FORKED = "You changed the past: a new future started there, the old one was discarded.", "你改变了过去：从那里开启了新的未来，旧的未来已丢弃。";
    UNDO = "Undo", "撤销";
    UNDO_TITLE = "Bring the discarded future back and return to the moment you acted at",
        "恢复被丢弃的未来，并回到你操作时的那一刻";
    MARK_CHECKPOINT = "checkpoint completed", "检查点完成";
    MARK_FAILURE = "task failed", "任务失败";
    MARK_OOM = "OutOfMemoryError", "OutOfMemoryError";
    MARK_RESTORE = "restored", "已恢复";
    MARK_COMMAND = "your command", "你的操作";
}

/// `event 1,234 of 5,678`.
pub fn position(l: Lang, at: &str, of: &str) -> String {
    l.pick(
        format!("event {at} of {of}"),
        zh!("第 {at} / {of} 个事件", at, of),
    )
}

/// After a fork that discarded `events` later processed events.
pub fn forked(l: Lang, events: &str) -> String {
    l.pick(
        format!("You changed the past: {events} later events were discarded."),
        zh!("你改变了过去：之后的 {events} 个事件已被丢弃。", events),
    )
}

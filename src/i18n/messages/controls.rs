//! The top bar: playback, the job's status, commands on the running job, the page's own buttons.

use crate::i18n::Lang;

messages! {
    DOCUMENT_TITLE = "StateLab — Flink heap keyed state, step by step", "StateLab — 一步步看 Flink 堆上的键控状态";
    TAGLINE = "Flink keyed state in the heap backend", "Flink 堆状态后端中的键控状态";
    LANGUAGE_SWITCH_TITLE = "Language (l)", "语言 (l)";
    PLAYBACK = "playback", "播放控制";
    PLAY_TITLE = "Play / pause (Space)", "播放 / 暂停（空格）";
    PLAY = "▶ Play", "▶ 播放";
    PAUSE = "❚❚ Pause", "❚❚ 暂停";
    STEP = "Step", "单步";
    STEP_TITLE = "Process one more event (→)", "再处理一个事件 (→)";
    SPEED = "speed", "速度";
    SPEED_TITLE = "Simulated seconds per wall second (+ / −)", "每秒真实时间推进的模拟秒数 (+ / −)";
    SPEED_LABEL = "playback speed", "播放速度";
    SPEED_MAX = "max", "最快";
    BEHIND = "the engine cannot keep up with this speed", "引擎跟不上这个速度";
    RESET = "Reset", "重置";
    RESET_TITLE = "Start the job again (r)", "重新启动作业 (r)";
    TIME = "time", "时间";
    EVENTS = "events", "事件";
    ATTEMPT = "attempt", "尝试";
    CHECKPOINT = "⚑ Checkpoint", "⚑ 检查点";
    CHECKPOINT_TITLE = "Trigger a checkpoint (c)", "触发一次检查点 (c)";
    FAIL = "✕ Fail", "✕ 注入故障";
    FAIL_TITLE = "Throw in processElement (f)", "在 processElement 中抛出异常 (f)";
    SEND_PLACEHOLDER = "send a key… (/)", "发送一个键… (/)";
    SEND_LABEL = "key to send as one event", "作为一个事件发送的键";
    SEND = "Send", "发送";
    SETTINGS = "⚙ Settings", "⚙ 设置";
    SETTINGS_TITLE = "Settings (s)", "设置 (s)";
    THEME_TITLE = "Light / dark (t)", "浅色 / 深色 (t)";
    THEME_LABEL = "toggle theme", "切换主题";
    HELP_TITLE = "Keyboard shortcuts (?)", "键盘快捷键 (?)";
    HELP_LABEL = "help", "帮助";
}

/// The status badge while the restart strategy waits: `RESTARTING in 1.500 s`.
pub fn restarting_in(l: Lang, status: &str, wait: &str) -> String {
    tr!(
        l,
        "{status} in {wait}",
        "{status} · {wait} 后",
        status,
        wait,
    )
}

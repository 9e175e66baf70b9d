//! The help overlay: the keyboard shortcuts and what the page shows.

messages! {
    TITLE = "Keyboard shortcuts", "键盘快捷键";
    LABEL = "help", "帮助";
    ABOUT = "What you are looking at", "页面上显示的是什么";
    ABOUT_KEYS = "Each record's key is hashed (Java hashCode, then MathUtils.murmurHash) to one of maxParallelism key groups; each subtask owns a contiguous KeyGroupRange.",
        "每条记录的键先经过哈希（Java 的 hashCode()，再经 MathUtils.murmurHash）分到 maxParallelism 个键组之一；每个子任务负责一段连续的 KeyGroupRange。";
    ABOUT_STATE = "Every subtask's HeapKeyedStateBackend keeps a StateTable for \"event-counter\" with one CopyOnWriteStateMap per key group: chained buckets, 128 to start, doubling with an incremental rehash.",
        "每个子任务的 HeapKeyedStateBackend 为 \"event-counter\" 维护一个 StateTable，每个键组一个 CopyOnWriteStateMap：用链表解决冲突的桶，初始 128 个，扩容时翻倍并渐进式再哈希。";
    ABOUT_CHECKPOINTS = "A checkpoint's barriers flow with the records; aligned barriers block a channel until all arrived. The synchronous phase copies bucket arrays; while the asynchronous phase writes, changed entries are copied on write.",
        "检查点的屏障随记录一起流动；对齐时，先到达屏障的通道会被阻塞，直到所有屏障都到齐。同步阶段复制桶数组；异步阶段写出期间，被修改的条目采用写时复制。";
    ABOUT_HEAP = "State lives on the JVM heap, object by object. When it runs out the task fails with OutOfMemoryError and restarts from the last checkpoint; the non-transactional sink sees the replayed records again.",
        "状态以一个个对象的形式存放在 JVM 堆上。堆用尽时任务因 OutOfMemoryError 失败，并从最近的检查点重启；非事务性的输出会再次收到重放的记录。";

    // The shortcut list (`SHORTCUTS` in `web::app`): keys, then what they do.
    KEY_SPACE = "Space", "空格";
    KEY_STEP = "→  or  .", "→  或  .";
    KEY_DOWN = "i  or  F7", "i  或  F7";
    KEY_BACK = "←  or  ,", "←  或  ,";
    KEY_SPEED = "+  /  −", "+  /  −";
    KEY_C = "c", "c";
    KEY_F = "f", "f";
    KEY_R = "r", "r";
    KEY_SLASH = "/", "/";
    KEY_S = "s", "s";
    KEY_T = "t", "t";
    KEY_L = "l", "l";
    KEY_G = "g", "g";
    KEY_HELP = "?", "?";
    KEY_ESC = "Esc", "Esc";
    DO_PLAY = "play / pause", "播放 / 暂停";
    DO_STEP = "step one event", "单步处理一个事件";
    DO_STEP_INTO = "step into processElement, line by line", "逐行单步进入 processElement";
    DO_BACK = "step back one event (time travel)", "后退一个事件（时间回溯）";
    DO_SPEED = "faster / slower", "加快 / 减慢";
    DO_CHECKPOINT = "trigger a checkpoint", "触发一次检查点";
    DO_FAIL = "inject a failure", "注入一次故障";
    DO_RESET = "reset the job", "重置作业";
    DO_SEND = "type a key to send", "输入要发送的键";
    DO_SETTINGS = "settings", "设置";
    DO_THEME = "light / dark theme", "浅色 / 深色主题";
    DO_LANGUAGE = "language: English / Chinese", "语言：英文 / 中文";
    DO_LESSONS = "guided lessons", "引导式课程";
    DO_HELP = "this help", "本帮助";
    DO_CLOSE = "close overlays", "关闭浮层";
}

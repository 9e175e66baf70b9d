//! The top bar: playback, the job's status, commands on the running job, the page's own buttons.

messages! {
    TAGLINE = "Flink keyed state in the heap backend", "Flink 堆状态后端中的键控状态";
    LANGUAGE_SWITCH_TITLE = "Language (l)", "语言 (l)";
}

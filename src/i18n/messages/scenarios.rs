//! Scenario presets and their share links. The presets themselves are `teaching::presets`; their titles and
//! descriptions for the page are here, by preset id.

use crate::i18n::Text;

messages! {
    TITLE = "Scenarios", "场景";
    HINT = "Ready-made situations; each runs the same way every time, and a link opens it in anyone's StateLab.",
        "预设的典型情境；每次运行结果都相同，链接可以在任何人的 StateLab 中打开它。";
    LOAD = "Load", "加载";
    COPY_LINK = "Link", "链接";
    COPY_LINK_TITLE = "Copy a link that opens this scenario", "复制打开该场景的链接";
    LOADED = "Scenario loaded: press Play.", "场景已加载：点击“播放”。";
    LINK_COPIED = "Link copied.", "链接已复制。";
    UNKNOWN = "This link names a scenario StateLab does not know", "这个链接指向一个 StateLab 不认识的场景";

    HOT_KEY = "A hot key", "热点键";
    HOT_KEY_DESC = "Half of all events carry user-0. The subtask owning its key group works through far more records than the others, its input channel fills up and backpressures the source, and user-0's count stays exact.",
        "一半的事件都带有 user-0。拥有其键组的子任务要处理的记录远多于其他子任务，它的输入通道被填满并对源产生反压，而 user-0 的计数依然精确。";
    OOM = "Many keys until OutOfMemoryError", "键不断增多直到 OutOfMemoryError";
    OOM_DESC = "Every event brings a new key into a 24 MiB heap. The state grows until the task fails with java.lang.OutOfMemoryError, restarts from the last checkpoint, runs out of heap again, and the restart strategy finally gives up.",
        "每个事件都向 24 MiB 的堆中带入一个新键。状态不断增长，直到任务因 java.lang.OutOfMemoryError 失败，从最近的检查点重启，再次耗尽堆，最终重启策略放弃。";
    FAILURE = "Failure and exactly-once recovery", "故障与恰好一次恢复";
    FAILURE_DESC = "A task fails in the middle of the run. The job restarts from the last completed checkpoint and the sources rewind: the non-transactional sink sees the replayed records again (duplicates), but every key's final count is exactly its number of events.",
        "任务在运行中途失败。作业从最近完成的检查点重启，源回退：非事务性输出端再次收到重放的记录（重复），但每个键的最终计数恰好等于它的事件数。";
    AT_LEAST_ONCE = "At-least-once", "至少一次";
    AT_LEAST_ONCE_DESC = "The same job, stream and failure as the exactly-once scenario, with checkpointing mode AT_LEAST_ONCE: barriers are not aligned, so records behind an early barrier are already in the snapshot and are counted again after the restore. Some final counts come out too high.",
        "与恰好一次场景相同的作业、数据流和故障，但检查点模式为 AT_LEAST_ONCE：屏障不对齐，早到屏障之后的记录已经进入快照，恢复后会被再次计数。一些最终计数偏高。";
    RESCALE = "Rescale from 2 to 3 subtasks", "从 2 个子任务扩容到 3 个";
    CHECKPOINT_TIMEOUT = "A checkpoint that times out", "超时的检查点";
    CHECKPOINT_TIMEOUT_DESC = "A new key with every event, and checkpoint storage that each subtask writes at only 100 KB/s, with a 1.5 s checkpoint timeout. Once the state takes longer than that to write, the checkpoint expires, and since Flink 2.x tolerates 0 failed checkpoints by default the whole job fails (\"Exceeded checkpoint tolerable failure threshold.\"). It restarts from the last completed checkpoint, outgrows the timeout again, and the restart strategy gives up.",
        "每个事件都带来一个新键，而每个子任务写检查点存储的速度只有每秒 100 KB，检查点超时为 1.5 秒。一旦写出状态所需的时间超过超时，检查点就会过期；由于 Flink 2.x 默认容忍 0 个失败的检查点，整个作业随之失败（\"Exceeded checkpoint tolerable failure threshold.\"）。作业从最近完成的检查点重启，再次超出超时，最终重启策略放弃。";
    RESCALE_DESC = "The job runs at parallelism 2; right after checkpoint 3 completes it is restored from it at parallelism 3. Whole key groups move: 128 key groups split as 0-42, 43-85 and 86-127.",
        "作业以并行度 2 运行；检查点 3 完成后立即以并行度 3 从它恢复。整个键组发生移动：128 个键组分为 0-42、43-85 和 86-127。";
}

/// A preset's title and description on the page.
pub fn describe(id: &str) -> Option<(Text, Text)> {
    Some(match id {
        "hot-key" => (HOT_KEY, HOT_KEY_DESC),
        "oom" => (OOM, OOM_DESC),
        "failure-recovery" => (FAILURE, FAILURE_DESC),
        "at-least-once" => (AT_LEAST_ONCE, AT_LEAST_ONCE_DESC),
        "rescale-2-to-3" => (RESCALE, RESCALE_DESC),
        "checkpoint-timeout" => (CHECKPOINT_TIMEOUT, CHECKPOINT_TIMEOUT_DESC),
        _ => return None,
    })
}

//! Errors the page reports: the engine's typed errors and bad input, in the user's language.
//!
//! One function per error type, taking the [`Lang`], matching every variant and writing both languages side by
//! side (`tr!`, or a `Text` for a plain message). The English is the error's only wording: its `Display` is this
//! function in English (`english_display!` beside the type), the text the CLI prints and the tests know. Where the
//! English needs a value the Chinese does not show (a status as the engine's `Debug` names it, a JSON parser's
//! detail), the two are a `match` on the language. Nested errors are worded by their own function in the same
//! language; a checkpoint's failure reason keeps Flink's English as its `Display`, and text from outside — a
//! browser's own error message, a failure's message given by hand — is shown as it came.
use crate::engine::checkpoint::blob_error::{
    BlobError, Implausible, JobShape, Limit, Malformed, MetadataProblem, SectionProblem,
};
use crate::engine::checkpoint::checkpoint_coordinator::TriggerError;
use crate::engine::checkpoint::checkpoint_failure_reason::CheckpointFailureReason;
use crate::engine::checkpoint::checkpoints::SavepointRestoreError;
use crate::engine::checkpoint::decimal::{Shortest, ShortestF32};
use crate::engine::checkpoint::state_assignment_operation::{
    execution_job_vertex, keyed_vertex, RestoreError,
};
use crate::engine::cluster::engine_error::EngineError;
use crate::engine::cluster::engine_event::FailureCause;
use crate::engine::cluster::engine_event::InjectedFailure;
use crate::engine::cluster::job_command::JobCommand;
use crate::engine::cluster::job_config_error::{
    JobConfigError, RestartStrategyError, ScriptError, Setting,
};
use crate::engine::cluster::job_status::JobStatus;
use crate::engine::history::run_history::{Divergence, HistoryError};
use crate::engine::keys::key_group::{KeyGroup, KeyGroupOutOfRange};
use crate::engine::keys::key_group_range_assignment::KeyGroupAssignmentError;
use crate::engine::keys::key_registry::KeyError;
use crate::engine::memory::heap_capacity::CapacityError;
use crate::engine::memory::jvm_heap::OUT_OF_MEMORY;
use crate::engine::memory::memory_size::{MemorySize, MemorySizeError};
use crate::engine::memory::state_footprint::FootprintError;
use crate::engine::memory::state_map_growth::GrowthError;
use crate::engine::memory::task_executor_memory::{
    MemoryConfigError, MAX_LOCAL_JVM_HEAP, MIN_LOCAL_JVM_HEAP,
};
use crate::engine::state::heap::copy_on_write_state_map::StateMapError;
use crate::engine::state::state_error::StateError;
use crate::engine::tasks::stream_element::EventRef;
use crate::engine::tasks::subtask_index::{SubtaskIndex, SubtaskIndexOutOfRange};
use crate::i18n::Lang;
use crate::player::checkpoint_link::{LinkError, FRAGMENT_KEY, LINK_MAX_BLOB_BYTES};

/// The job status as Flink names it (`RUNNING`, `RESTARTING`, …), the same in every language.
pub fn job_status(status: JobStatus) -> &'static str {
    match status {
        JobStatus::Running => "RUNNING",
        JobStatus::Restarting => "RESTARTING",
        JobStatus::Finished => "FINISHED",
        JobStatus::Failed => "FAILED",
    }
}

/// The checkpoint interval typed into the Checkpoints panel is not a number.
pub fn interval_not_a_number(text: &str, l: Lang) -> String {
    match l {
        Lang::En => {
            format!("checkpoint interval '{text}' is not a whole number of milliseconds")
        }
        Lang::Zh => zh!("检查点间隔 '{text}' 不是整数毫秒数", text),
    }
}

pub fn engine(e: &EngineError, l: Lang) -> String {
    match e {
        EngineError::Config(e) => job_config(e, l),
        EngineError::Key(e) => key(e, l),
        EngineError::BadKey { text, key_type } => {
            tr!(
                l,
                "'{text}' is not a valid {key_type} key",
                "'{text}' 不是有效的 {key_type} 键",
                text,
                key_type
            )
        }
        // The English names the status as the engine's `Debug` does (`Restarting`), the Chinese as Flink does.
        EngineError::NotRunning(status) => match l {
            Lang::En => format!("the job is {status:?}; it only accepts this while RUNNING"),
            Lang::Zh => zh!(
                "作业当前为 {status}，只有在 RUNNING 时才接受此操作",
                status = job_status(*status)
            ),
        },
        EngineError::Trigger(e) => trigger(e, l),
        EngineError::Restore(e) => restore(e, l),
        EngineError::Interval => tr!(
            l,
            "checkpoint interval must be between 1 ms and 24 h",
            "检查点间隔必须在 1 ms 到 24 h 之间"
        ),
        EngineError::Rate => tr!(
            l,
            "the source rate must be at most 1,000,000,000 events per second",
            "源的速率最多为每秒 1,000,000,000 个事件"
        ),
        EngineError::Blob(e) => blob(e, l),
        EngineError::Savepoint(e) => savepoint_restore(e, l),
    }
}

/// Why a real Flink snapshot cannot start the job ([`SavepointRestoreError`]).
pub fn savepoint_restore(e: &SavepointRestoreError, l: Lang) -> String {
    match e {
        SavepointRestoreError::NoOperator {
            uid,
            operator_id,
            operators,
        } => tr!(
            l,
            "the snapshot has no operator with uid '{uid}' (operator id {operator_id}): it holds {operators} other operator(s); name the counting operator's uid with --uid",
            "快照中没有 uid 为 '{uid}'（算子 ID {operator_id}）的算子：它包含 {operators} 个其他算子；请用 --uid 指定计数算子的 uid",
            uid,
            operator_id,
            operators
        ),
        SavepointRestoreError::NoCounterState { uid } => tr!(
            l,
            "operator '{uid}' has no keyed state named \"event-counter\": it is not the counter job's operator",
            "算子 '{uid}' 没有名为 \"event-counter\" 的键控状态：它不是计数作业的算子",
            uid
        ),
        SavepointRestoreError::NotAValueState { uid, kind } => tr!(
            l,
            "state \"event-counter\" of operator '{uid}' is a {kind} state, not a value state",
            "算子 '{uid}' 的状态 \"event-counter\" 是 {kind} 状态，而不是值状态",
            uid,
            kind
        ),
        SavepointRestoreError::NotLongValues { serializer } => tr!(
            l,
            "state \"event-counter\" holds values written by {serializer}, not Longs",
            "状态 \"event-counter\" 的值由 {serializer} 写入，不是 Long",
            serializer
        ),
        SavepointRestoreError::KeyType {
            serializer,
            expected,
        } => tr!(
            l,
            "the snapshot's keys are written by {serializer}; the job's keys are {expected}s (--key-type)",
            "快照的键由 {serializer} 写入；作业的键是 {expected}（--key-type）",
            serializer,
            expected
        ),
        SavepointRestoreError::Unreadable { subtask, error } => tr!(
            l,
            "subtask {subtask}'s keyed state does not read: {error}",
            "子任务 {subtask} 的键控状态无法读取：{error}",
            subtask,
            error = crate::i18n::messages::savepoint::error(error, l)
        ),
        SavepointRestoreError::WrongKeyGroup {
            key,
            stored,
            expected,
        } => tr!(
            l,
            "key {key} is stored in key group {stored}, but belongs to key group {expected}",
            "键 {key} 存放在键组 {stored} 中，但它属于键组 {expected}",
            key,
            stored,
            expected
        ),
        SavepointRestoreError::MaxParallelism(max) => tr!(
            l,
            "the operator's maximum parallelism {max} is not one Flink allows (1 to 32768)",
            "算子的最大并行度 {max} 不是 Flink 允许的值（1 到 32768）",
            max
        ),
        SavepointRestoreError::Key(e) => key(e, l),
        SavepointRestoreError::NotTheCounterJob { function } => {
            tr!(
                l,
                "a real snapshot starts the counter job only, not the {function} job",
                "真实快照只能启动计数作业，不能启动 {function} 作业",
                function
            )
        }
    }
}

pub fn job_config(e: &JobConfigError, l: Lang) -> String {
    match e {
        JobConfigError::Parallelism { parallelism, max } => {
            tr!(
                l,
                "parallelism must be between 1 and {max}, not {parallelism}",
                "并行度必须在 1 到 {max} 之间，而不是 {parallelism}",
                max,
                parallelism
            )
        }
        JobConfigError::SourceParallelism { parallelism, max } => {
            tr!(
                l,
                "source parallelism must be between 1 and {max}, not {parallelism}",
                "源的并行度必须在 1 到 {max} 之间，而不是 {parallelism}",
                max,
                parallelism
            )
        }
        JobConfigError::TaskSlots(n) => tr!(
            l,
            "Invalid configuration value for taskmanager.numberOfTaskSlots : {n} - Number of task slots must be at least one.",
            "taskmanager.numberOfTaskSlots 的值 {n} 无效：每个 TaskManager 至少要有一个任务槽。",
            n
        ),
        JobConfigError::MaxParallelism {
            max,
            parallelism,
            upper,
        } => tr!(
            l,
            "max parallelism {max} is invalid: it must be between the parallelism ({parallelism}) and {upper}",
            "最大并行度 {max} 无效：它必须介于并行度（{parallelism}）和 {upper} 之间",
            max,
            parallelism,
            upper
        ),
        JobConfigError::NoKeys => tr!(
            l,
            "the source needs at least one key (keyCount is 0)",
            "源至少需要一个键（keyCount 为 0）"
        ),
        JobConfigError::TooManyKeys { count, max } => {
            tr!(
                l,
                "keyCount {count} is more than the key format can spell ({max})",
                "keyCount {count} 超出了键格式能表示的数量（{max}）",
                count,
                max
            )
        }
        JobConfigError::ZipfExponent(x) => {
            tr!(
                l,
                "the Zipf exponent must be greater than 0 and at most 20, not {x}",
                "Zipf 指数必须大于 0 且不超过 20，而不是 {x}",
                x = Shortest(*x)
            )
        }
        JobConfigError::HotKeyFraction(x) => {
            tr!(
                l,
                "the hot key's share must be between 0 and 1, not {x}",
                "热点键的占比必须在 0 到 1 之间，而不是 {x}",
                x = Shortest(*x)
            )
        }
        JobConfigError::HotKeyIndex { key, count } => {
            tr!(
                l,
                "the hot key index {key} is not below keyCount {count}",
                "热点键的序号 {key} 必须小于 keyCount {count}",
                key,
                count
            )
        }
        JobConfigError::ReplayKey {
            index,
            text,
            key_type,
        } => tr!(
            l,
            "replayed key #{index} '{text}' is not a valid {key_type} key",
            "重放的键 #{index} '{text}' 不是有效的 {key_type} 键",
            index,
            text,
            key_type
        ),
        JobConfigError::EmptyReplay => tr!(
            l,
            "the replay list is empty",
            "重放列表为空"
        ),
        JobConfigError::ReplayTooLong { max } => tr!(
            l,
            "the replay list holds more than {max} keys",
            "重放列表的键超过了 {max} 个",
            max
        ),
        JobConfigError::ReplayKeyTooLong { index, max } => {
            tr!(
                l,
                "replayed key #{index} is longer than the {max} bytes StateLab accepts",
                "重放的键 #{index} 超过了 StateLab 接受的 {max} 字节",
                index,
                max
            )
        }
        JobConfigError::FailureTime { index, ms, max } => {
            tr!(
                l,
                "failure #{index} is scheduled at {ms} ms, beyond the simulation's horizon ({max} ms)",
                "故障 #{index} 安排在 {ms} ms，超出了模拟的时间范围（{max} ms）",
                index,
                ms,
                max
            )
        }
        JobConfigError::Rate(rate) => {
            tr!(
                l,
                "the source rate must be at most 1,000,000,000 events per second, not {rate}",
                "源的速率最多为每秒 1,000,000,000 个事件，而不是 {rate}",
                rate
            )
        }
        JobConfigError::TooLarge { what, value, max } => {
            tr!(
                l,
                "{what} must be at most {max}, not {value}",
                "{what} 最多为 {max}，而不是 {value}",
                what = setting(what, l),
                max,
                value
            )
        }
        JobConfigError::TooSmall { what, value, min } => {
            tr!(
                l,
                "{what} must be at least {min}, not {value}",
                "{what} 至少为 {min}，而不是 {value}",
                what = setting(what, l),
                min,
                value
            )
        }
        JobConfigError::RestartStrategy(e) => {
            tr!(
                l,
                "restart strategy: {problem}",
                "重启策略：{problem}",
                problem = restart_strategy(e, l)
            )
        }
        JobConfigError::Memory(e) => tr!(
            l,
            "memory: {problem}",
            "内存：{problem}",
            problem = memory_config(e, l)
        ),
        JobConfigError::KeyPrefix => tr!(
            l,
            "the key prefix must be at most 64 characters",
            "键前缀最多 64 个字符"
        ),
        JobConfigError::Script { index, reason } => {
            tr!(
                l,
                "script command #{index}: {reason}",
                "脚本命令 #{index}：{reason}",
                index,
                reason = script(reason, l)
            )
        }
    }
}

messages! {
    TRIGGERED_BY_HAND = "checkpoint triggered by hand", "手动触发检查点";
    CHECKPOINTS_OFF = "periodic checkpoints turned off", "已关闭周期性检查点";
    NETWORK_LATENCY = "network latency (µs)", "网络延迟 (µs)";
    NETWORK_LATENCY_JITTER = "network latency jitter (µs)", "网络延迟抖动 (µs)";
    PROCESSING_TIME = "processing time (ns)", "每条记录的处理时间 (ns)";
    CHANNEL_CAPACITY = "channel capacity", "通道容量";
    CHECKPOINT_INTERVAL = "checkpoint interval (ms)", "检查点间隔 (ms)";
    CHECKPOINT_TIMEOUT = "checkpoint timeout (ms)", "检查点超时 (ms)";
    CHECKPOINT_MIN_PAUSE = "checkpoint min pause (ms)", "检查点最小间歇 (ms)";
    RETAINED_CHECKPOINTS = "retained checkpoints", "保留的检查点数";
    TOLERABLE_FAILED_CHECKPOINTS = "tolerable failed checkpoints", "可容忍的连续失败检查点数";
    CHECKPOINT_WRITE_SPEED = "checkpoint write speed (bytes/s)", "检查点写入速度（字节/秒）";
    TRIGGER_JITTER = "trigger jitter (µs)", "触发抖动 (µs)";
    KEY_ZERO_PADDING = "key zero padding", "键的补零位数";
    RESTART_DELAY = "restart delay (ms)", "重启延迟 (ms)";
    MAXIMUM_BACKOFF = "maximum backoff (ms)", "最大退避时间 (ms)";
    MAX_FAILURES_PER_INTERVAL = "Maximum number of restart attempts per time unit must be greater than 0.",
        "每个时间区间内的最大重启次数必须大于 0。";
    FAILURE_RATE_INTERVAL = "Failures interval must be greater than 0 ms.", "失败率统计区间必须大于 0 ms。";
    INITIAL_BACKOFF = "Initial backoff must be at least 1.", "初始退避时间至少为 1。";
    MAX_BACKOFF = "Maximum backoff must be at least 1.", "最大退避时间至少为 1。";
    INITIAL_ABOVE_MAX_BACKOFF = "Initial backoff cannot be higher than maximum backoff.",
        "初始退避时间不能大于最大退避时间。";
    BACKOFF_MULTIPLIER = "Backoff multiplier must be greater than 1.", "退避倍数必须大于 1。";
    RESET_BACKOFF_THRESHOLD = "Threshold duration for exponential backoff reset must be at least 1.",
        "重置指数退避的阈值时长至少为 1。";
    JITTER_FACTOR = "Jitter factor must be >= 0 and <= 1.", "抖动因子必须 >= 0 且 <= 1。";
    ATTEMPTS_BEFORE_RESET_BACKOFF = "The attemptsBeforeResetBackoff must be at least 1.",
        "attemptsBeforeResetBackoff 至少为 1。";
}

/// A setting the configuration checks, by its name.
pub fn setting(what: &Setting, l: Lang) -> &'static str {
    l.t(match what {
        // The key alone names it in English, as elsewhere on the page (a `Text` of that English says only that).
        Setting::NumberOfTaskSlots => match l {
            Lang::En => return "taskmanager.numberOfTaskSlots",
            Lang::Zh => {
                return zh_str!("taskmanager.numberOfTaskSlots（每个 TaskManager 的槽位数）")
            }
        },
        Setting::NetworkLatency => &NETWORK_LATENCY,
        Setting::NetworkLatencyJitter => &NETWORK_LATENCY_JITTER,
        Setting::ProcessingTime => &PROCESSING_TIME,
        Setting::ChannelCapacity => &CHANNEL_CAPACITY,
        Setting::CheckpointInterval => &CHECKPOINT_INTERVAL,
        Setting::CheckpointTimeout => &CHECKPOINT_TIMEOUT,
        Setting::CheckpointMinPause => &CHECKPOINT_MIN_PAUSE,
        Setting::RetainedCheckpoints => &RETAINED_CHECKPOINTS,
        Setting::TolerableFailedCheckpoints => &TOLERABLE_FAILED_CHECKPOINTS,
        Setting::CheckpointWriteSpeed => &CHECKPOINT_WRITE_SPEED,
        Setting::TriggerJitter => &TRIGGER_JITTER,
        Setting::KeyZeroPadding => &KEY_ZERO_PADDING,
        Setting::RestartDelay => &RESTART_DELAY,
        Setting::MaximumBackoff => &MAXIMUM_BACKOFF,
    })
}

/// Flink's restart-strategy checks, in Flink's words in English.
pub fn restart_strategy(e: &RestartStrategyError, l: Lang) -> &'static str {
    l.t(match e {
        RestartStrategyError::MaxFailuresPerInterval => &MAX_FAILURES_PER_INTERVAL,
        RestartStrategyError::FailureRateInterval => &FAILURE_RATE_INTERVAL,
        RestartStrategyError::InitialBackoff => &INITIAL_BACKOFF,
        RestartStrategyError::MaxBackoff => &MAX_BACKOFF,
        RestartStrategyError::InitialAboveMaxBackoff => &INITIAL_ABOVE_MAX_BACKOFF,
        RestartStrategyError::BackoffMultiplier => &BACKOFF_MULTIPLIER,
        RestartStrategyError::ResetBackoffThreshold => &RESET_BACKOFF_THRESHOLD,
        RestartStrategyError::JitterFactor => &JITTER_FACTOR,
        RestartStrategyError::AttemptsBeforeResetBackoff => &ATTEMPTS_BEFORE_RESET_BACKOFF,
    })
}

/// Why a scripted command can never run.
pub fn script(e: &ScriptError, l: Lang) -> String {
    match e {
        ScriptError::AfterRecordsZero => {
            tr!(
                l,
                "afterRecords counts from 1 (after the first record)",
                "afterRecords 从 1 开始计数（第一条记录之后）"
            )
        }
        ScriptError::AtTimeBeyondHorizon { ms, max } => {
            tr!(
                l,
                "atTime {ms} ms is beyond the simulation's horizon ({max} ms)",
                "atTime {ms} ms 超出了模拟的时间范围（{max} ms）",
                ms,
                max
            )
        }
        ScriptError::CheckpointIdZero => {
            tr!(l, "checkpoint ids start at 1", "检查点编号从 1 开始",)
        }
        ScriptError::BadKey { key, key_type } => {
            tr!(
                l,
                "'{key}' is not a valid {key_type} key",
                "'{key}' 不是有效的 {key_type} 键",
                key,
                key_type
            )
        }
        ScriptError::RestoreParallelism { parallelism, max } => {
            tr!(
                l,
                "restore at parallelism {parallelism}: it must be between 1 and {max}",
                "以并行度 {parallelism} 恢复：并行度必须在 1 到 {max} 之间",
                parallelism,
                max
            )
        }
        ScriptError::RestoreAboveMaxParallelism {
            parallelism,
            max_parallelism,
        } => tr!(
            l,
            "restore at parallelism {parallelism}: above the max parallelism {max_parallelism}",
            "以并行度 {parallelism} 恢复：超过了最大并行度 {max_parallelism}",
            parallelism,
            max_parallelism
        ),
        ScriptError::Rate(rate) => {
            tr!(
                l,
                "the source rate must be at most 1,000,000,000 events per second, not {rate}",
                "源的速率最多为每秒 1,000,000,000 个事件，而不是 {rate}",
                rate
            )
        }
        ScriptError::CheckpointInterval(ms) => {
            tr!(
                l,
                "checkpoint interval must be between 1 ms and 24 h, not {ms} ms",
                "检查点间隔必须在 1 ms 到 24 小时之间，而不是 {ms} ms",
                ms
            )
        }
    }
}

pub fn key(e: &KeyError, l: Lang) -> String {
    match e {
        KeyError::WrongType {
            expected,
            found,
            key,
        } => tr!(
            l,
            "the job is keyed by {expected} but the key '{key}' is a {found}",
            "作业的键类型是 {expected}，但键 '{key}' 是 {found}",
            expected,
            key,
            found
        ),
        KeyError::Full => tr!(
            l,
            "the key registry is full (over 4 billion distinct keys)",
            "键注册表已满（超过 40 亿个不同的键）"
        ),
        KeyError::TooLong { bytes, max } => {
            tr!(
                l,
                "a key of {bytes} bytes is longer than the {max} bytes StateLab accepts",
                "这个键有 {bytes} 字节，超过了 StateLab 接受的 {max} 字节",
                bytes,
                max
            )
        }
    }
}

pub fn trigger(e: &TriggerError, l: Lang) -> String {
    match e {
        TriggerError::AlreadyInProgress(id) => {
            tr!(
                l,
                "checkpoint {id} is still in progress; Flink runs one checkpoint at a time",
                "检查点 {id} 仍在进行中；Flink 同一时间只执行一个检查点",
                id
            )
        }
        TriggerError::JobNotRunning => tr!(
            l,
            "the job is not running, so no checkpoint can be taken",
            "作业未在运行，无法执行检查点"
        ),
        TriggerError::IdsExhausted(last) => {
            tr!(
                l,
                "checkpoint ids are used up: checkpoint {last} was the last a Java long can number",
                "检查点编号已用尽：检查点 {last} 是 Java long 能编号的最后一个",
                last
            )
        }
    }
}

pub fn restore(e: &RestoreError, l: Lang) -> String {
    match e {
        RestoreError::MaxParallelismBelowParallelism {
            max_parallelism,
            parallelism,
        } => tr!(
            l,
            "The state for task {keyed_vertex} can not be restored. The maximum parallelism ({max_parallelism}) of \
         the restored state is lower than the configured parallelism ({parallelism}). Please reduce the \
         parallelism of the task to be lower or equal to the maximum parallelism.",
            "任务 {keyed_vertex} 的状态无法恢复。恢复的状态的最大并行度（{max_parallelism}）小于配置的\
             并行度（{parallelism}）。请把任务的并行度降低到不超过最大并行度。",
            keyed_vertex = keyed_vertex(),
            max_parallelism,
            parallelism
        ),
        // The English names the `ExecutionJobVertex` object as Flink prints it, the Chinese the vertex by its id.
        RestoreError::MaxParallelismChanged {
            checkpoint,
            configured,
        } => match l {
            Lang::En => format!(
                "The maximum parallelism ({checkpoint}) with which the latest checkpoint of the execution job vertex \
                 {} has been taken and the current maximum parallelism ({configured}) changed. This is currently \
                 not supported.",
                execution_job_vertex()
            ),
            Lang::Zh => zh!(
                "作业顶点 {keyed_vertex}（EventCounterProcessFunction）最近一次检查点的最大并行度（{checkpoint}）与当前的最大并行度\
                 （{configured}）不同。目前不支持这样的变更。",
                keyed_vertex = keyed_vertex(),
                checkpoint,
                configured
            ),
        },
        RestoreError::UnknownCheckpoint(id) => tr!(
            l,
            "there is no retained checkpoint with id {id}",
            "没有 ID 为 {id} 的保留检查点",
            id
        ),
        RestoreError::NoCheckpoint => tr!(
            l,
            "there is no completed checkpoint to restore from yet",
            "还没有可供恢复的已完成检查点"
        ),
        RestoreError::Parallelism { parallelism, max } => {
            tr!(
                l,
                "parallelism must be between 1 and {max}, not {parallelism}",
                "并行度必须在 1 到 {max} 之间，而不是 {parallelism}",
                max,
                parallelism
            )
        }
        RestoreError::KeyGroups(e) => key_groups(e, l),
    }
}

pub fn key_groups(e: &KeyGroupAssignmentError, l: Lang) -> String {
    match e {
        KeyGroupAssignmentError::ParallelismOutOfBounds(p) => tr!(
            l,
            "Operator parallelism not within bounds: {p}",
            "算子并行度超出范围：{p}",
            p
        ),
        KeyGroupAssignmentError::MaxParallelismSmallerThanParallelism => {
            tr!(
                l,
                "Maximum parallelism must not be smaller than parallelism.",
                "最大并行度不能小于并行度。"
            )
        }
        KeyGroupAssignmentError::OperatorIndexOutOfBounds { index, parallelism } => {
            tr!(
                l,
                "Operator index {index} is not within [0, {parallelism})",
                "算子序号 {index} 不在 [0, {parallelism}) 范围内",
                index,
                parallelism
            )
        }
    }
}

pub fn blob(e: &BlobError, l: Lang) -> String {
    match e {
        BlobError::TooShort(n) => tr!(
            l,
            "this is not a StateLab checkpoint: it is only {n} bytes long",
            "这不是 StateLab 检查点：它只有 {n} 字节",
            n
        ),
        BlobError::BadMagic => tr!(
            l,
            "this is not a StateLab checkpoint (it does not start with StateLab's magic bytes)",
            "这不是 StateLab 检查点（它的开头不是 StateLab 的魔数）"
        ),
        BlobError::NewerVersion { found, supported } => tr!(
            l,
            "this checkpoint was written by a newer StateLab (format version {found}); this page reads format version \
         {supported}. Update StateLab to open it.",
            "这个检查点由更新版本的 StateLab 写入（格式版本 {found}）；本页面读取格式版本 {supported}。\
             请更新 StateLab 后再打开。",
            found,
            supported
        ),
        BlobError::UnknownVersion(v) => tr!(
            l,
            "this checkpoint uses unknown format version {v}",
            "这个检查点使用了未知的格式版本 {v}",
            v
        ),
        BlobError::NotUpgraded(v) => tr!(
            l,
            "this checkpoint is in format version {v}, which opens here only once the checkpoint library has upgraded it",
            "这个检查点使用格式版本 {v}，需由检查点库升级后才能在此打开",
            v
        ),
        BlobError::Truncated { expected, actual } => {
            tr!(
                l,
                "the checkpoint is truncated: it should be {expected} bytes, but only {actual} arrived",
                "检查点不完整：应有 {expected} 字节，只收到了 {actual} 字节",
                expected,
                actual
            )
        }
        BlobError::TrailingBytes(n) => tr!(
            l,
            "the checkpoint has {n} unexpected bytes after its end",
            "检查点结尾之后多出了 {n} 个字节",
            n
        ),
        BlobError::ChecksumMismatch => tr!(
            l,
            "the checkpoint is corrupted: its checksum does not match its contents",
            "检查点已损坏：校验和与内容不符"
        ),
        BlobError::Malformed(m) => tr!(
            l,
            "the checkpoint is malformed: {problem}",
            "检查点格式有误：{problem}",
            problem = malformed(m, l)
        ),
        BlobError::TooLarge(limit) => {
            tr!(
                l,
                "the checkpoint is larger than StateLab opens: {limit}",
                "检查点超出了 StateLab 能打开的大小：{limit}",
                limit = blob_limit(limit, l)
            )
        }
        BlobError::Implausible(i) => tr!(
            l,
            "the checkpoint holds impossible values: {problem}",
            "检查点含有不可能的值：{problem}",
            problem = implausible(i, l)
        ),
        BlobError::JobShape(shape) => {
            tr!(
                l,
                "the checkpoint cannot be used by this StateLab: {problem}",
                "这个 StateLab 无法使用该检查点：{problem}",
                problem = job_shape(shape, l)
            )
        }
    }
}

pub fn malformed(m: &Malformed, l: Lang) -> String {
    match m {
        Malformed::UnknownFlags(flags) => {
            tr!(
                l,
                "unknown header flags {flags}",
                "未知的头部标志 {flags}",
                flags = format!("{flags:#06x}")
            )
        }
        Malformed::KeyGroups(n) => tr!(
            l,
            "{n} key groups (between 1 and 32768)",
            "{n} 个键组（应在 1 到 32768 之间）",
            n
        ),
        Malformed::HeaderOverrun => tr!(
            l,
            "the metadata and section table run past the end of the checkpoint",
            "元数据和分段表超出了检查点的末尾"
        ),
        Malformed::MetadataDeflate => tr!(
            l,
            "the metadata does not decompress",
            "元数据无法解压"
        ),
        // `detail` is the JSON parser's English, left out of the Chinese.
        Malformed::MetadataJson {
            line,
            column,
            detail,
        } => match l {
            Lang::En => {
                format!("the metadata is not valid at line {line}, column {column}: {detail}")
            }
            Lang::Zh => zh!(
                "元数据在第 {line} 行第 {column} 列不符合 StateLab 的格式",
                line,
                column
            ),
        },
        Malformed::MetadataBinary { offset, problem } => {
            tr!(
                l,
                "the metadata does not read at byte {offset}: {problem}",
                "元数据在第 {offset} 字节处无法读取：{problem}",
                offset,
                problem = metadata_problem(problem, l)
            )
        }
        Malformed::Section { key_group, problem } => {
            tr!(
                l,
                "key group {key_group}: {problem}",
                "键组 {key_group}：{problem}",
                key_group,
                problem = section_problem(problem, l)
            )
        }
        Malformed::GapAfterSections(n) => tr!(
            l,
            "{n} bytes between the last section and the checksum",
            "最后一个分段与校验和之间多出 {n} 个字节",
            n
        ),
        Malformed::EntriesMismatch { metadata, sections } => {
            tr!(
                l,
                "the metadata counts {metadata} entries but the key groups hold {sections}",
                "元数据记有 {metadata} 个条目，但各键组共有 {sections} 个",
                metadata,
                sections
            )
        }
        Malformed::LayoutMismatch {
            parallelism,
            max_parallelism,
            job_parallelism,
            job_max_parallelism,
        } => tr!(
            l,
            "the checkpoint was taken at parallelism {parallelism} / max parallelism {max_parallelism}, its job says \
         {job_parallelism} / {job_max_parallelism}",
            "检查点在并行度 {parallelism} / 最大并行度 {max_parallelism} 下生成，但其作业写的是 \
             {job_parallelism} / {job_max_parallelism}",
            parallelism,
            max_parallelism,
            job_parallelism,
            job_max_parallelism
        ),
        Malformed::KeyGroupsMismatch {
            max_parallelism,
            key_groups,
        } => tr!(
            l,
            "max parallelism {max_parallelism} but {key_groups} key groups",
            "最大并行度为 {max_parallelism}，却有 {key_groups} 个键组",
            max_parallelism,
            key_groups
        ),
        Malformed::SourcePositions {
            positions,
            subtasks,
        } => tr!(
            l,
            "{positions} source positions for {subtasks} source subtasks",
            "{subtasks} 个源子任务却有 {positions} 个源位置",
            subtasks,
            positions
        ),
        Malformed::SubtaskStats { stats, parallelism } => {
            tr!(
                l,
                "statistics for {stats} subtasks at parallelism {parallelism}",
                "并行度为 {parallelism}，却有 {stats} 个子任务的统计",
                parallelism,
                stats
            )
        }
        Malformed::NamedKeyInvalid { text, key_type } => {
            tr!(
                l,
                "named key '{text}' is not a valid {key_type}",
                "具名键 '{text}' 不是有效的 {key_type}",
                text,
                key_type
            )
        }
        Malformed::NamedKeyNotByName { text } => {
            tr!(
                l,
                "named key '{text}' is not stored by its name (the key format generates it, or it is named twice)",
                "具名键 '{text}' 不应按名称存储（键格式能生成它，或者它被命名了两次）",
                text
            )
        }
        Malformed::NamedKeyUnused { text } => tr!(
            l,
            "named key '{text}' is in no key group",
            "具名键 '{text}' 不在任何键组中",
            text
        ),
        Malformed::Version {
            function,
            version,
            expected,
        } => tr!(
            l,
            "the {function} job's checkpoint is written in format version {expected}, not {version}",
            "{function} 作业的检查点应以格式版本 {expected} 写入，而不是 {version}",
            function,
            expected,
            version
        ),
    }
}

pub fn metadata_problem(p: &MetadataProblem, l: Lang) -> String {
    match p {
        MetadataProblem::CutShort => tr!(
            l,
            "it ends in the middle of a value",
            "它在一个值的中间结束"
        ),
        MetadataProblem::NonCanonical => tr!(
            l,
            "a number is not written the way StateLab writes numbers",
            "有一个数字不是 StateLab 写入的形式"
        ),
        MetadataProblem::OutOfRange => tr!(
            l,
            "a number is too large for its field",
            "有一个数字超出了其字段的范围"
        ),
        MetadataProblem::NotUtf8 => tr!(l, "a text is not UTF-8", "有一段文本不是 UTF-8",),
        MetadataProblem::NotFinite => tr!(l, "a number is not finite", "有一个数字不是有限值",),
        MetadataProblem::ListLength { count } => {
            tr!(
                l,
                "a list claims {count} elements, more than the bytes left",
                "一个列表声称有 {count} 个元素，超过了剩余的字节数",
                count
            )
        }
        MetadataProblem::UnknownField(n) => {
            tr!(
                l,
                "unknown field {n} (a newer StateLab may have written it)",
                "未知的字段 {n}（可能由更新版本的 StateLab 写入）",
                n
            )
        }
        MetadataProblem::FieldOrder(n) => tr!(
            l,
            "field {n} is out of order or repeated",
            "字段 {n} 顺序错误或重复",
            n
        ),
        MetadataProblem::MissingField(n) => tr!(l, "field {n} is missing", "缺少字段 {n}", n,),
        MetadataProblem::UnknownVariant(n) => tr!(l, "unknown variant {n}", "未知的变体 {n}", n,),
        MetadataProblem::BytesLeft(n) => tr!(
            l,
            "{n} bytes are left after its end",
            "结尾之后还剩 {n} 个字节",
            n
        ),
    }
}

pub fn section_problem(p: &SectionProblem, l: Lang) -> String {
    match p {
        SectionProblem::ReservedBytes => tr!(l, "reserved bytes are not zero", "保留字节不为零",),
        SectionProblem::Offset { found, expected } => {
            tr!(
                l,
                "section at offset {found} (expected {expected})",
                "分段位于偏移 {found}（应为 {expected}）",
                found,
                expected
            )
        }
        SectionProblem::Overrun => tr!(
            l,
            "its section runs past the end of the checkpoint",
            "分段超出了检查点的末尾"
        ),
        SectionProblem::UnknownEncoding(e) => {
            tr!(l, "unknown section encoding {e}", "未知的分段编码 {e}", e,)
        }
        SectionProblem::RawSizesDiffer => tr!(
            l,
            "an uncompressed section whose sizes differ",
            "未压缩的分段两个长度不一致"
        ),
        SectionProblem::CannotInflate { stored, raw } => {
            tr!(
                l,
                "{stored} bytes cannot inflate to the {raw} it claims",
                "{stored} 字节不可能解压成声称的 {raw} 字节",
                stored,
                raw
            )
        }
        SectionProblem::EntriesDontFit { entries, raw } => {
            tr!(
                l,
                "{entries} entries cannot fit in {raw} bytes",
                "{entries} 个条目放不进 {raw} 字节",
                entries,
                raw
            )
        }
        SectionProblem::Inflate => tr!(l, "its entries do not decompress", "条目无法解压",),
        SectionProblem::Length { actual, declared } => {
            tr!(
                l,
                "its entries take {actual} bytes, {declared} declared",
                "条目占 {actual} 字节，声明的是 {declared} 字节",
                actual,
                declared
            )
        }
        SectionProblem::CutShort { entry } => tr!(
            l,
            "entry {entry} is cut short",
            "条目 {entry} 不完整",
            entry
        ),
        SectionProblem::NonCanonical { entry } => {
            tr!(
                l,
                "entry {entry} is not written the way StateLab writes numbers",
                "条目 {entry} 的数字不是 StateLab 写入的形式",
                entry
            )
        }
        SectionProblem::KeyBeyondFormat { entry, index } => {
            tr!(
                l,
                "entry {entry}: key number {index} is beyond the key format",
                "条目 {entry}：键编号 {index} 超出了键格式的范围",
                entry,
                index
            )
        }
        SectionProblem::UnknownNamedKey { entry, index } => {
            tr!(
                l,
                "entry {entry}: unknown named key {index}",
                "条目 {entry}：未知的具名键 {index}",
                entry,
                index
            )
        }
        SectionProblem::WrongKeyGroup { entry, actual } => {
            tr!(
                l,
                "entry {entry} holds a key of key group {actual}",
                "条目 {entry} 的键属于键组 {actual}",
                entry,
                actual
            )
        }
        SectionProblem::RepeatedKey { entry } => tr!(
            l,
            "entry {entry} repeats a key",
            "条目 {entry} 重复了一个键",
            entry
        ),
        SectionProblem::BytesLeft(n) => tr!(
            l,
            "{n} bytes left after its entries",
            "条目之后还剩 {n} 个字节",
            n
        ),
        SectionProblem::NoSuchKeyGroup => tr!(l, "there is no such key group", "没有这个键组",),
        SectionProblem::CountBeyondBytes { entry, count } => {
            tr!(
                l,
                "entry {entry} claims {count} elements, more than the bytes left",
                "条目 {entry} 声称有 {count} 个元素，超过了剩余的字节数",
                entry,
                count
            )
        }
        SectionProblem::UserKeyNotUtf8 { entry } => {
            tr!(
                l,
                "entry {entry}: a map key is not UTF-8",
                "条目 {entry}：有一个映射键不是 UTF-8",
                entry
            )
        }
        SectionProblem::RepeatedUserKey { entry } => {
            tr!(
                l,
                "entry {entry}: its map holds a key twice",
                "条目 {entry}：它的映射含有重复的键",
                entry
            )
        }
        SectionProblem::PresenceFlag { entry, flag } => {
            tr!(
                l,
                "entry {entry}: a value's presence flag is {flag} (0 or 1)",
                "条目 {entry}：值的存在标志为 {flag}（应为 0 或 1）",
                entry,
                flag
            )
        }
        SectionProblem::TimersBeyondBytes { count } => {
            tr!(
                l,
                "it claims {count} timers, more than the bytes left",
                "它声称有 {count} 个定时器，超过了剩余的字节数",
                count
            )
        }
        SectionProblem::TimerUnreadable { timer } => {
            tr!(
                l,
                "timer {timer} is cut short or not written the way StateLab writes numbers",
                "定时器 {timer} 不完整，或其数字不是 StateLab 写入的形式",
                timer
            )
        }
        SectionProblem::TimerKey { timer, code } => {
            tr!(
                l,
                "timer {timer}: key code {code} names no key of the job",
                "定时器 {timer}：键编码 {code} 不对应作业的任何键",
                timer,
                code
            )
        }
        SectionProblem::TimerWrongKeyGroup { timer, actual } => {
            tr!(
                l,
                "timer {timer} holds a key of key group {actual}",
                "定时器 {timer} 的键属于键组 {actual}",
                timer,
                actual
            )
        }
        SectionProblem::RepeatedTimer { timer } => tr!(
            l,
            "timer {timer} repeats a timer",
            "定时器 {timer} 重复了一个定时器",
            timer
        ),
    }
}

pub fn blob_limit(limit: &Limit, l: Lang) -> String {
    match limit {
        Limit::Metadata { bytes, max } => tr!(
            l,
            "metadata of {bytes} bytes (at most {max})",
            "元数据有 {bytes} 字节（最多 {max}）",
            bytes,
            max
        ),
        Limit::MetadataInflated { max } => tr!(
            l,
            "metadata that decompresses to more than {max} bytes",
            "元数据解压后超过 {max} 字节",
            max
        ),
        Limit::Section {
            key_group,
            bytes,
            max,
        } => tr!(
            l,
            "key group {key_group} holds {bytes} bytes of entries (at most {max})",
            "键组 {key_group} 的条目有 {bytes} 字节（最多 {max}）",
            key_group,
            bytes,
            max
        ),
        Limit::Entries { entries, max } => tr!(
            l,
            "{entries} entries (at most {max})",
            "{entries} 个条目（最多 {max}）",
            entries,
            max
        ),
        Limit::EntryBytes { bytes, max } => tr!(
            l,
            "{bytes} bytes of entries (at most {max})",
            "条目共 {bytes} 字节（最多 {max}）",
            bytes,
            max
        ),
        Limit::NamedKeys { max } => {
            tr!(l, "more than {max} named keys", "具名键超过 {max} 个", max,)
        }
        Limit::KeyLength { index, max } => tr!(
            l,
            "named key #{index} is longer than {max} bytes",
            "具名键 #{index} 超过 {max} 字节",
            index,
            max
        ),
        Limit::Producer { max } => tr!(
            l,
            "a producer name longer than {max} characters",
            "生成者名称超过 {max} 个字符",
            max
        ),
        Limit::List { count, max } => tr!(
            l,
            "a list of {count} in the metadata (at most {max})",
            "元数据中有一个 {count} 项的列表（最多 {max} 项）",
            count,
            max
        ),
        Limit::Elements {
            key_group,
            entry,
            count,
            max,
        } => tr!(
            l,
            "key group {key_group}, entry {entry}: {count} elements or mappings (at most {max})",
            "键组 {key_group} 条目 {entry}：有 {count} 个元素或映射（最多 {max}）",
            key_group,
            entry,
            count,
            max
        ),
        Limit::UserKey {
            key_group,
            entry,
            bytes,
            max,
        } => tr!(
            l,
            "key group {key_group}, entry {entry}: a map key of {bytes} bytes (at most {max})",
            "键组 {key_group} 条目 {entry}：有一个 {bytes} 字节的映射键（最多 {max}）",
            key_group,
            entry,
            bytes,
            max
        ),
        Limit::Timers {
            key_group,
            count,
            max,
        } => tr!(
            l,
            "key group {key_group} holds {count} timers (at most {max})",
            "键组 {key_group} 有 {count} 个定时器（最多 {max}）",
            key_group,
            count,
            max
        ),
    }
}

pub fn implausible(i: &Implausible, l: Lang) -> String {
    match i {
        Implausible::CheckpointId { id, max } => {
            tr!(
                l,
                "checkpoint id {id} (ids run from 1 to {max})",
                "检查点编号 {id}（编号应在 1 到 {max} 之间）",
                id,
                max
            )
        }
        Implausible::SourcePosition { events, max } => {
            tr!(
                l,
                "a source position of {events} events (at most {max})",
                "源位置为 {events} 个事件（最多 {max}）",
                events,
                max
            )
        }
        Implausible::Times {
            trigger,
            completion,
            max,
        } => tr!(
            l,
            "trigger time {trigger} ns and completion time {completion} ns (in order, at most {max})",
            "触发时间 {trigger} ns、完成时间 {completion} ns（应先后有序，最多 {max}）",
            trigger,
            completion,
            max
        ),
        Implausible::Count {
            key_group,
            entry,
            count,
        } => tr!(
            l,
            "key group {key_group}, entry {entry}: a count of {count} (a key in state was counted at least once)",
            "键组 {key_group} 条目 {entry}：计数为 {count}（状态中的键至少被计过一次）",
            key_group,
            entry,
            count
        ),
        Implausible::CountsExceedEvents { counts, events } => {
            tr!(
                l,
                "the counts add up to {counts}, but the sources had emitted only {events} events",
                "计数之和为 {counts}，但源只发出了 {events} 个事件",
                counts,
                events
            )
        }
        Implausible::Value {
            key_group,
            entry,
            value,
            min,
            max,
        } => tr!(
            l,
            "key group {key_group}, entry {entry}: a value of {value} (its state holds {min} to {max} there)",
            "键组 {key_group} 条目 {entry}：值为 {value}（它的状态在此处只能是 {min} 到 {max}）",
            key_group,
            entry,
            value,
            min,
            max
        ),
        Implausible::AmountsExceedEvents {
            amounts,
            events,
            max_amount,
        } => tr!(
            l,
            "the amounts add up to {amounts}, more than {max_amount} for each of the {events} events the sources had emitted",
            "金额之和为 {amounts}，超过了源发出的 {events} 个事件每个 {max_amount} 的上限",
            amounts,
            events,
            max_amount
        ),
        Implausible::UnexpectedTimers {
            key_group,
            count,
            function,
        } => tr!(
            l,
            "key group {key_group} holds {count} timers, but the {function} job registers none",
            "键组 {key_group} 有 {count} 个定时器，但 {function} 作业不注册定时器",
            key_group,
            count,
            function
        ),
        Implausible::SessionWithoutTimer { key_group, entry } => tr!(
            l,
            "key group {key_group}, entry {entry}: an open session without the timer that closes it",
            "键组 {key_group} 条目 {entry}：一个打开的会话缺少关闭它的定时器",
            key_group,
            entry
        ),
        Implausible::TimerWithoutSession {
            key_group,
            timer,
            timestamp,
        } => tr!(
            l,
            "key group {key_group}, timer {timer} at {timestamp} ms: no open session of its key closes then or later",
            "键组 {key_group} 定时器 {timer}（{timestamp} ms）：它的键没有在此时或之后关闭的打开会话",
            key_group,
            timer,
            timestamp
        ),
        Implausible::StateSize { claimed, actual } => {
            tr!(
                l,
                "the statistics give a state size of {claimed} bytes, the entries make {actual}",
                "统计中的状态大小为 {claimed} 字节，条目实际构成 {actual} 字节",
                claimed,
                actual
            )
        }
        Implausible::SubtaskEntries {
            subtask,
            claimed,
            actual,
        } => tr!(
            l,
            "subtask {subtask}: the statistics count {claimed} entries, its key groups hold {actual}",
            "子任务 {subtask}：统计记有 {claimed} 个条目，其键组实有 {actual} 个",
            subtask,
            claimed,
            actual
        ),
        Implausible::SubtaskStateSize {
            subtask,
            claimed,
            actual,
        } => {
            tr!(
                l,
                "subtask {subtask}: the statistics give {claimed} bytes of state, its key groups make {actual}",
                "子任务 {subtask}：统计中的状态为 {claimed} 字节，其键组实际构成 {actual} 字节",
                subtask,
                claimed,
                actual
            )
        }
        Implausible::SubtaskTimes { subtask } => {
            tr!(
                l,
                "subtask {subtask}: its times do not fit between the checkpoint's trigger and completion",
                "子任务 {subtask}：其时间不在检查点的触发与完成之间",
                subtask
            )
        }
        Implausible::CopyOnWriteCopies {
            subtask,
            copies,
            bound,
        } => tr!(
            l,
            "subtask {subtask}: {copies} copies on write, more than its {bound} entries and records",
            "子任务 {subtask}：写时复制 {copies} 次，多于其 {bound} 个条目与记录",
            subtask,
            copies,
            bound
        ),
    }
}

pub fn job_shape(shape: &JobShape, l: Lang) -> String {
    match shape {
        JobShape::State {
            kind,
            value_type,
            name,
            function,
            expected,
        } => tr!(
            l,
            "it holds {kind}<{value_type}> '{name}', but the {function} job keeps {expected}",
            "它保存的是 {kind}<{value_type}> '{name}'，而 {function} 作业保存的是 {expected}",
            kind,
            value_type,
            name,
            function,
            expected
        ),
        JobShape::KeyType { state, job } => tr!(
            l,
            "its state is keyed by {state} but its job by {job}",
            "它的状态以 {state} 为键，而它的作业以 {job} 为键",
            state,
            job
        ),
        JobShape::Job(e) => tr!(
            l,
            "its job configuration is invalid: {problem}",
            "它的作业配置无效：{problem}",
            problem = job_config(e, l)
        ),
        JobShape::Key(e) => key(e, l),
    }
}

pub fn link(e: &LinkError, l: Lang) -> String {
    match e {
        LinkError::TooLarge { bytes } => tr!(
            l,
            "this checkpoint is {kb} KB, too large for a link (links carry up to {link_max_kb} KB, a few thousand keys); \
         export it as a file instead",
            "这个检查点有 {kb} KB，放不进链接（链接最多携带 {link_max_kb} KB，约几千个键）；请改为导出成文件",
            kb = bytes.div_ceil(1024),
            link_max_kb = LINK_MAX_BLOB_BYTES / 1024
        ),
        LinkError::NoCheckpoint => {
            tr!(
                l,
                "this is not a StateLab checkpoint link: it has no '#{fragment_key}=' part",
                "这不是 StateLab 检查点链接：它没有 '#{fragment_key}=' 部分",
                fragment_key = FRAGMENT_KEY
            )
        }
        LinkError::TooLong { chars, max } => tr!(
            l,
            "the link's checkpoint is longer than any StateLab link ({chars} characters, at most {max}); \
         it may have been joined with other text",
            "链接中的检查点比任何 StateLab 链接都长（{chars} 个字符，最多 {max} 个）；它可能和别的文本连在了一起",
            chars,
            max
        ),
        LinkError::BadEncoding(at) => tr!(
            l,
            "the link is damaged from its character {n} on; copy it again, whole",
            "链接从第 {n} 个字符起已损坏；请重新完整地复制",
            n = at + 1
        ),
    }
}

/// `MemoryUnit.getAllUnits()`, as the unknown-unit error quotes it (the units are configuration syntax).
pub const ALL_UNITS: &str =
    "(b | bytes) / (k | kb | kibibytes) / (m | mb | mebibytes) / (g | gb | gibibytes) / (t | tb | tebibytes)";

/// `toHumanReadableString()`, in Chinese with the byte count's word translated: `256.000mb (268435456 字节)`.
fn size(size: MemorySize, l: Lang) -> String {
    let text = size.to_human_readable_string();
    match l {
        Lang::En => text,
        Lang::Zh => crate::i18n::replace(&text, " bytes", zh_str!(" 字节")),
    }
}

pub fn memory_size(e: &MemorySizeError, l: Lang) -> String {
    let max = MemorySize::MAX_VALUE.bytes();
    match e {
        MemorySizeError::Empty => {
            tr!(
                l,
                "the memory size is empty or whitespace-only; write a number with an optional unit, e.g. \"1728m\"",
                "内存大小为空或只有空白；请写一个数字，可以带单位，例如 \"1728m\""
            )
        }
        MemorySizeError::NoNumber { text } => {
            tr!(
                l,
                "text does not start with a number: {text}; write a non-negative integer with an optional unit, \
         e.g. \"1728m\"",
                "文本不是以数字开头：{text}；请写一个非负整数，可以带单位，例如 \"1728m\"",
                text = format!("{text:?}")
            )
        }
        MemorySizeError::UnknownUnit { text, unit } => {
            tr!(
                l,
                "memory size unit {unit} in {text} does not match any of the recognized units: {all_units}",
                "{text} 中的内存单位 {unit} 不是可识别的单位：{all_units}",
                text = format!("{text:?}"),
                unit = format!("{unit:?}"),
                all_units = ALL_UNITS
            )
        }
        MemorySizeError::Overflow { text } => {
            tr!(
                l,
                "the value {text} exceeds the maximum memory size of {max} bytes (a Java long); use a smaller value",
                "{text} 超出了内存大小的上限 {max} 字节（Java long）；请使用更小的值",
                text = format!("{text:?}"),
                max
            )
        }
        MemorySizeError::InvalidMultiplier { multiplier } => {
            tr!(
                l,
                "a memory size can only be multiplied by a finite number >= 0, not {multiplier}",
                "内存大小只能乘以 >= 0 的有限数，而不是 {multiplier}",
                multiplier = ShortestF32(*multiplier)
            )
        }
        MemorySizeError::MultiplyOverflow { size, multiplier } => {
            tr!(
                l,
                "{size} multiplied by {multiplier} exceeds the maximum memory size of {max} bytes (long overflow)",
                "{size} 乘以 {multiplier} 超出了内存大小的上限 {max} 字节（long 溢出）",
                size,
                multiplier = ShortestF32(*multiplier),
                max
            )
        }
    }
}

pub fn memory_config(e: &MemoryConfigError, l: Lang) -> String {
    match e {
        MemoryConfigError::MetaspaceAndOverheadExceedProcess {
            metaspace,
            overhead,
            total_process,
        } => tr!(
            l,
            "Sum of configured JVM Metaspace ({metaspace}) and JVM Overhead ({overhead}) exceed configured Total Process Memory ({total_process}). \
         Increase taskmanager.memory.process.size or lower the metaspace / overhead options.",
            "配置的 JVM Metaspace（{metaspace}）与 JVM 开销（{overhead}）之和超过了配置的进程总内存（{total_process}）。请增大 \
             taskmanager.memory.process.size，或调低 metaspace / overhead 的配置。",
            metaspace = size(*metaspace, l),
            overhead = size(*overhead, l),
            total_process = size(*total_process, l)
        ),
        MemoryConfigError::ComponentsExceedTotalFlink {
            framework_heap,
            framework_off_heap,
            task_off_heap,
            managed,
            network,
            total_flink,
        } => tr!(
            l,
            "Sum of configured Framework Heap Memory ({framework_heap}), Framework Off-Heap Memory ({framework_off_heap}), Task Off-Heap Memory ({task_off_heap}), \
         Managed Memory ({managed}) and Network Memory ({network}) exceed configured Total Flink Memory ({total_flink}). Increase \
         taskmanager.memory.process.size or lower taskmanager.memory.managed.size / managed.fraction.",
            "配置的框架堆内存（{framework_heap}）、框架堆外内存（{framework_off_heap}）、任务堆外内存（{task_off_heap}）、托管内存（{managed}）与网络内存（{network}）之和超过了\
             配置的 Flink 总内存（{total_flink}）。请增大 taskmanager.memory.process.size，或调低 \
             taskmanager.memory.managed.size / managed.fraction。",
            framework_heap = size(*framework_heap, l),
            framework_off_heap = size(*framework_off_heap, l),
            task_off_heap = size(*task_off_heap, l),
            managed = size(*managed, l),
            network = size(*network, l),
            total_flink = size(*total_flink, l)
        ),
        MemoryConfigError::InconsistentRangeFraction {
            fraction_key,
            fraction,
            min,
            max,
        } => tr!(
            l,
            "Inconsistently configured {fraction_key} ({fraction}) and its min ({min}), max ({max}) value: the fraction must be \
         in [0, 1) and min must not exceed max.",
            "{fraction_key}（{fraction}）与其最小值（{min}）、最大值（{max}）不一致：比例必须在 [0, 1) 内，且最小值不能超过最大值。",
            fraction_key,
            fraction = Shortest(f64::from(*fraction)),
            min = size(*min, l),
            max = size(*max, l)
        ),
        MemoryConfigError::LocalJvmHeapOutOfRange { jvm_heap } => tr!(
            l,
            "The local JVM heap (-Xmx) of {jvm_heap} is outside the range StateLab accepts ({min_heap} to {max_heap}); did you forget a unit \
         such as \"m\" or \"g\"?",
            "本地 JVM 堆（-Xmx）{jvm_heap} 超出了 StateLab 接受的范围（{min_heap} 到 {max_heap}）；是不是忘了写 \"m\" 或 \"g\" 之类的单位？",
            jvm_heap = size(*jvm_heap, l),
            min_heap = size(MIN_LOCAL_JVM_HEAP, l),
            max_heap = size(MAX_LOCAL_JVM_HEAP, l)
        ),
        MemoryConfigError::Size(e) => memory_size(e, l),
    }
}

/// Why a task failed, in two parts: the Java exception as the task threw it (shown verbatim, like a log line,
/// in every language) and what the page adds to it.
pub fn failure_cause(cause: &FailureCause, l: Lang) -> (String, String) {
    match cause {
        FailureCause::OutOfMemory {
            used,
            limit,
            task_manager,
        } => (
            OUT_OF_MEMORY.to_owned(),
            match l {
                Lang::En => format!(
                    " (in TaskManager {task_manager}, whose heap would be {used} of {limit} bytes)"
                ),
                Lang::Zh => {
                    zh!("（发生在 TaskManager {task_manager}：它的堆将达到 {used} / {limit} 字节）", task_manager, used, limit)
                }
            },
        ),
        FailureCause::CheckpointFailures { reason } => (
            cause.to_string(),
            match l {
                Lang::En => String::new(),
                Lang::Zh => zh!("（连续失败的检查点超过了 execution.checkpointing.tolerable-failed-checkpoints 允许的数量；最近一次：{last}）", last = checkpoint_failure(reason, l)),
            },
        ),
        FailureCause::Injected { failure } => (
            cause.to_string(),
            match (l, failure) {
                (Lang::En, _) => String::new(),
                (Lang::Zh, InjectedFailure::Command(_)) => zh_str!("（手动注入的故障）").to_owned(),
                (Lang::Zh, _) => zh!("（{failure}）", failure = injected_failure(failure, l)),
            },
        ),
        FailureCause::StateBackend { .. } => (
            cause.to_string(),
            match l {
                Lang::En => String::new(),
                Lang::Zh => zh_str!("（状态后端抛出的异常）").to_owned(),
            },
        ),
    }
}

/// An injected failure: in English the `RuntimeException`'s message; a failure by hand is its message as given,
/// in every language.
pub fn injected_failure(failure: &InjectedFailure, l: Lang) -> String {
    match failure {
        InjectedFailure::ProcessElementCall { call, event } => tr!(
            l,
            "Injected failure at processElement call #{call} ({event})",
            "在第 {call} 次 processElement 调用（{event}）时注入的故障",
            call,
            event = event_ref(event, l)
        ),
        InjectedFailure::Time { ms } => {
            tr!(
                l,
                "Injected failure at {ms} ms",
                "在 {ms} ms 时注入的故障",
                ms
            )
        }
        InjectedFailure::Command(message) => message.clone(),
    }
}

/// The record an injected failure fired on.
fn event_ref(event: &EventRef, l: Lang) -> String {
    match event {
        EventRef::Generated(e) => tr!(l, "event index {e}", "事件序号 {e}", e,),
        EventRef::Injected(e) => tr!(l, "hand event {e}", "手动事件 {e}", e,),
        EventRef::Timer(t) => tr!(l, "timer at {t} ms", "{t} ms 的定时器", t,),
    }
}

/// Why a checkpoint failed (Flink's own words in English where Flink has them).
pub fn checkpoint_failure(reason: &CheckpointFailureReason, l: Lang) -> String {
    if l == Lang::En {
        return reason.to_string();
    }
    match reason {
        CheckpointFailureReason::CheckpointExpired => zh_str!("检查点在完成之前已过期。"),
        CheckpointFailureReason::JobFinished => zh_str!("检查点完成之前作业已结束。"),
        CheckpointFailureReason::JobStarted => zh_str!("作业从检查点启动"),
        CheckpointFailureReason::JobRestored => zh_str!("作业已从检查点恢复"),
        CheckpointFailureReason::TaskFailure => zh_str!("任务失败，检查点已中止。"),
    }
    .to_owned()
}

/// Going back and forth in the run (time travel).
pub fn history(e: &HistoryError, l: Lang) -> String {
    match e {
        HistoryError::StepOutOfRange { step, origin, head } => {
            tr!(
                l,
                "step {step} is not in the recorded run, which goes from step {origin} to step {head}",
                "第 {step} 步不在已记录的运行中（记录范围为第 {origin} 步到第 {head} 步）",
                step,
                origin,
                head
            )
        }
        HistoryError::RecordsOutOfRange { records, head } => {
            tr!(
                l,
                "record {records} has not been processed yet: the recorded run has processed {head}",
                "第 {records} 条记录尚未处理：已记录的运行只处理了 {head} 条",
                records,
                head
            )
        }
        HistoryError::NotInHistory { step, head } => {
            tr!(
                l,
                "the job is at step {step}, past the end of the recorded run (step {head}): move it only through \
         this history",
                "作业位于第 {step} 步，超出了已记录运行的末尾（第 {head} 步）",
                step,
                head
            )
        }
        HistoryError::Diverged { step, reason } => tr!(
            l,
            "replaying the recorded run went astray at step {step}: {reason}",
            "重放已记录的运行时在第 {step} 步出现偏差：{reason}",
            step,
            reason = divergence(reason, l)
        ),
        HistoryError::Engine(e) => engine(e, l),
    }
}

/// How a replay of the recorded run went astray.
/// A command given to the job (typed, scheduled or recorded), as logs and a refused replay quote it.
pub fn job_command(command: &JobCommand, l: Lang) -> String {
    match command {
        JobCommand::InjectKey { key } => tr!(
            l,
            "key '{key}' typed into the source",
            "在 source 中键入键 '{key}'",
            key
        ),
        JobCommand::TriggerCheckpoint => l.t(&TRIGGERED_BY_HAND).to_owned(),
        JobCommand::FailNow { description } => tr!(
            l,
            "failure injected: {description}",
            "注入故障：{description}",
            description
        ),
        JobCommand::Restore {
            checkpoint_id: Some(id),
            parallelism,
        } => tr!(
            l,
            "restore from checkpoint {id} at parallelism {parallelism}",
            "以并行度 {parallelism} 从检查点 {id} 恢复",
            parallelism,
            id
        ),
        JobCommand::Restore {
            checkpoint_id: None,
            parallelism,
        } => tr!(
            l,
            "restore from the latest checkpoint at parallelism {parallelism}",
            "以并行度 {parallelism} 从最新的检查点恢复",
            parallelism
        ),
        JobCommand::SetSourceRate { rate } => tr!(
            l,
            "source rate set to {rate} events/s",
            "source 速率设为 {rate} 事件/秒",
            rate
        ),
        JobCommand::SetCheckpointInterval {
            interval_ms: Some(ms),
        } => tr!(
            l,
            "checkpoint interval set to {ms} ms",
            "检查点间隔设为 {ms} ms",
            ms
        ),
        JobCommand::SetCheckpointInterval { interval_ms: None } => l.t(&CHECKPOINTS_OFF).to_owned(),
        JobCommand::AdvanceClock { time_ns } => tr!(
            l,
            "clock advanced to {time_ns} ns",
            "时钟推进到 {time_ns} ns",
            time_ns
        ),
    }
}

pub fn divergence(d: &Divergence, l: Lang) -> String {
    match d {
        Divergence::CommandRefused { command, error } => tr!(
            l,
            "'{command}' was refused: {problem}",
            "记录的命令“{command}”在重放时被拒绝：{problem}",
            command = job_command(command, l),
            problem = engine(error, l)
        ),
        Divergence::NothingLeftToDo => {
            tr!(l, "the job had nothing left to do", "作业已无事可做",)
        }
    }
}

/// A number that is no subtask index.
pub fn subtask_index_out_of_range(e: &SubtaskIndexOutOfRange, l: Lang) -> String {
    tr!(
        l,
        "{n} is not a subtask index: subtasks are numbered 0 to {max}",
        "{n} 不是子任务序号：子任务的编号为 0 到 {max}",
        n = e.0,
        max = SubtaskIndex::LIMIT - 1
    )
}

/// A number that is no key group.
pub fn key_group_out_of_range(e: &KeyGroupOutOfRange, l: Lang) -> String {
    tr!(
        l,
        "{n} is not a key group: key groups are numbered 0 to {max}",
        "{n} 不是键组：键组的编号为 0 到 {max}",
        n = e.0,
        max = KeyGroup::LIMIT - 1
    )
}

/// The state backend's exceptions, in Flink's words in English.
pub fn state(e: &StateError, l: Lang) -> String {
    match e {
        StateError::NoKeySet => tr!(
            l,
            "No key set. This method should not be called outside of a keyed context.",
            "未设置键。此方法不应在键控上下文之外调用。"
        ),
        StateError::KeyGroupNotInRange { key_group, range } => tr!(
            l,
            "Key group {key_group} is not in {range}. Unless you're directly using low level state access APIs, \
             this is most likely caused by non-deterministic shuffle key (hashCode and equals implementation).",
            "键组 {key_group} 不在 {range} 中。除非直接使用了底层的状态访问 API，否则这很可能是由不确定的 shuffle 键\
             （hashCode 与 equals 的实现）造成的。",
            key_group,
            range
        ),
        StateError::TooManyStates(n) => tr!(
            l,
            "Too many states: {n}. Currently at most {max} states are supported",
            "状态过多：{n} 个。目前最多支持 {max} 个状态",
            n,
            max = i16::MAX
        ),
        StateError::UnknownState(name) => tr!(
            l,
            "no state named '{name}' is registered",
            "没有注册名为 '{name}' 的状态",
            name
        ),
        StateError::IncompatibleStateType {
            registered,
            requested,
            ..
        } => tr!(
            l,
            "Incompatible key/value state types. Was [{registered}], registered with [{requested}].",
            "键/值状态的类型不兼容。原为 [{registered}]，现以 [{requested}] 注册。",
            registered,
            requested
        ),
        StateError::PriorityQueueTooLarge { required } => tr!(
            l,
            "Required minimum heap size {required} exceeds maximum size of 2147483639.",
            "所需的最小堆大小 {required} 超过了最大值 2147483639。",
            required
        ),
        StateError::StateMap(e) => state_map(e, l),
    }
}

/// `CopyOnWriteStateMap`'s exceptions, in Flink's words in English.
pub fn state_map(e: &StateMapError, l: Lang) -> String {
    match e {
        StateMapError::VersionCountOverflow => tr!(
            l,
            "Version count overflow in CopyOnWriteStateMap. Enforcing restart.",
            "CopyOnWriteStateMap 的版本计数溢出，强制重启。"
        ),
        StateMapError::UnknownSnapshotVersion(v) => tr!(
            l,
            "Attempt to release unknown snapshot version {v}",
            "试图释放未知的快照版本 {v}",
            v
        ),
    }
}

/// Why a state footprint could not be measured.
pub fn footprint(e: &FootprintError, l: Lang) -> String {
    match e {
        FootprintError::Parallelism(e) => key_groups(e, l),
        FootprintError::State(e) => state(e, l),
    }
}

/// Why the heap-capacity question has no answer.
pub fn capacity(e: &CapacityError, l: Lang) -> String {
    match e {
        CapacityError::KeyGroups(e) => key_groups(e, l),
        CapacityError::NoSubtasksPerTaskManager => tr!(
            l,
            "subtasks per TaskManager must be at least 1",
            "每个 TaskManager 的子任务数至少为 1"
        ),
        CapacityError::Growth(e) => growth(e, l),
    }
}

/// Why a state map's growth could not be followed.
pub fn growth(e: &GrowthError, l: Lang) -> String {
    match e {
        GrowthError::InvalidResolution(r) => tr!(
            l,
            "the bucket resolution {r} is not a power of two between 128 and 2^30",
            "桶的分辨率 {r} 不是 128 到 2^30 之间的 2 的幂",
            r
        ),
        GrowthError::ResolutionExceeded {
            capacity,
            resolution,
        } => tr!(
            l,
            "a key-group map grows from {capacity} buckets, beyond the resolution of {resolution}",
            "一个键组的映射从 {capacity} 个桶开始扩容，超出了分辨率 {resolution}",
            capacity,
            resolution
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::messages::is_cjk;

    fn chinese(text: &str) -> bool {
        text.chars().any(is_cjk)
    }

    #[test]
    fn engine_errors_read_as_before_in_english_and_in_chinese_otherwise() {
        let errors = [
            EngineError::Interval,
            EngineError::Rate,
            EngineError::NotRunning(JobStatus::Restarting),
            EngineError::BadKey {
                text: "x".into(),
                key_type: "Long",
            },
            EngineError::Trigger(TriggerError::AlreadyInProgress(3)),
            EngineError::Trigger(TriggerError::JobNotRunning),
            EngineError::Restore(RestoreError::NoCheckpoint),
            EngineError::Restore(RestoreError::UnknownCheckpoint(4)),
            EngineError::Restore(RestoreError::MaxParallelismChanged {
                checkpoint: 128,
                configured: 256,
            }),
            EngineError::Restore(RestoreError::KeyGroups(
                KeyGroupAssignmentError::MaxParallelismSmallerThanParallelism,
            )),
            EngineError::Config(JobConfigError::MaxParallelism {
                max: 1,
                parallelism: 2,
                upper: 32768,
            }),
            EngineError::Config(JobConfigError::TooSmall {
                what: Setting::RetainedCheckpoints,
                value: 0,
                min: 1,
            }),
            EngineError::Config(JobConfigError::RestartStrategy(
                RestartStrategyError::BackoffMultiplier,
            )),
            EngineError::Key(KeyError::Full),
            EngineError::Blob(BlobError::ChecksumMismatch),
            EngineError::Blob(BlobError::TooShort(3)),
        ];
        for e in &errors {
            assert_eq!(engine(e, Lang::En), e.to_string());
            let zh = engine(e, Lang::Zh);
            assert!(chinese(&zh), "{e:?} has no Chinese: {zh}");
        }
        assert_eq!(
            engine(&errors[11], Lang::Zh),
            "保留的检查点数 至少为 1，而不是 0"
        );
    }

    #[test]
    fn memory_and_link_errors_have_both_languages() {
        let sizes = [
            MemorySizeError::Empty,
            MemorySizeError::NoNumber { text: "x".into() },
            MemorySizeError::UnknownUnit {
                text: "5 parsecs".into(),
                unit: "parsecs".into(),
            },
        ];
        for e in &sizes {
            assert_eq!(memory_size(e, Lang::En), e.to_string());
            assert!(chinese(&memory_size(e, Lang::Zh)));
        }
        let config = MemoryConfigError::LocalJvmHeapOutOfRange {
            jvm_heap: MemorySize::of_bytes(40),
        };
        assert_eq!(memory_config(&config, Lang::En), config.to_string());
        let zh = memory_config(&config, Lang::Zh);
        assert!(chinese(&zh) && !zh.contains("bytes"), "{zh}");
        let links = [
            LinkError::NoCheckpoint,
            LinkError::TooLarge { bytes: 100_000 },
            LinkError::BadEncoding(3),
        ];
        for e in &links {
            assert_eq!(link(e, Lang::En), e.to_string());
            assert!(chinese(&link(e, Lang::Zh)));
        }
    }

    #[test]
    fn failure_causes_keep_the_java_exception_verbatim() {
        let oom = FailureCause::OutOfMemory {
            used: 10,
            limit: 8,
            task_manager: 1,
        };
        let (exception, en) = failure_cause(&oom, Lang::En);
        assert_eq!(format!("{exception}{en}"), oom.to_string());
        let (same, zh) = failure_cause(&oom, Lang::Zh);
        assert_eq!(same, exception);
        assert!(chinese(&zh));
        let expired = CheckpointFailureReason::CheckpointExpired;
        assert_eq!(
            checkpoint_failure(&expired, Lang::En),
            "Checkpoint expired before completing."
        );
        assert!(chinese(&checkpoint_failure(&expired, Lang::Zh)));
        // The job failure keeps Flink's exception text; the page adds the cause in its language.
        let threshold = FailureCause::CheckpointFailures { reason: expired };
        let (exception, zh) = failure_cause(&threshold, Lang::Zh);
        assert!(exception.starts_with(
            "org.apache.flink.util.FlinkRuntimeException: Exceeded checkpoint tolerable failure threshold. \
             The latest checkpoint failed due to Checkpoint expired before completing., view the Checkpoint \
             History tab"
        ));
        assert!(chinese(&zh), "{zh}");
    }
}

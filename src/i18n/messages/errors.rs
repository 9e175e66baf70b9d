//! Errors the page reports: the engine's typed errors and bad input, in the user's language.
//!
//! One function per error type, taking the [`Lang`]. The English rendering is the error's own `Display` (the
//! text the CLI and the tests know); the Chinese one is written here. Errors that carry English text made
//! elsewhere (a field name, a restart-strategy check, a checkpoint's failure reason) have it looked up in the
//! tables below; text not found there — details of a malformed blob, a browser's own error message — is shown
//! as it came.

use crate::engine::checkpoint::blob_error::{
    BlobError, Implausible, JobShape, Limit, Malformed, MetadataProblem, SectionProblem,
};
use crate::engine::checkpoint::checkpoint_coordinator::TriggerError;
use crate::engine::checkpoint::checkpoint_failure_reason::CheckpointFailureReason;
use crate::engine::checkpoint::checkpoints::SavepointRestoreError;
use crate::engine::checkpoint::decimal::{Shortest, ShortestF32};
use crate::engine::checkpoint::state_assignment_operation::{keyed_vertex, RestoreError};
use crate::engine::cluster::engine_error::EngineError;
use crate::engine::cluster::engine_event::FailureCause;
use crate::engine::cluster::engine_event::InjectedFailure;
use crate::engine::cluster::job_config_error::{
    JobConfigError, RestartStrategyError, ScriptError, Setting,
};
use crate::engine::cluster::job_status::JobStatus;
use crate::engine::history::run_history::{Divergence, HistoryError};
use crate::engine::keys::key_group_range_assignment::KeyGroupAssignmentError;
use crate::engine::keys::key_registry::KeyError;
use crate::engine::memory::jvm_heap::OUT_OF_MEMORY;
use crate::engine::memory::memory_size::{MemorySize, MemorySizeError};
use crate::engine::memory::task_executor_memory::{
    MemoryConfigError, MAX_LOCAL_JVM_HEAP, MIN_LOCAL_JVM_HEAP,
};
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
    if l == Lang::En {
        return e.to_string();
    }
    match e {
        EngineError::Config(e) => job_config(e, l),
        EngineError::Key(e) => key(e, l),
        EngineError::BadKey { text, key_type } => {
            zh!("'{text}' 不是有效的 {key_type} 键", text, key_type)
        }
        EngineError::NotRunning(status) => zh!(
            "作业当前为 {status}，只有在 RUNNING 时才接受此操作",
            status = job_status(*status)
        ),
        EngineError::Trigger(e) => trigger(e, l),
        EngineError::Restore(e) => restore(e, l),
        EngineError::Interval => zh_str!("检查点间隔必须在 1 ms 到 24 h 之间").to_owned(),
        EngineError::Rate => zh_str!("源的速率最多为每秒 1,000,000,000 个事件").to_owned(),
        EngineError::Blob(e) => blob(e, l),
        EngineError::Savepoint(e) => savepoint_restore(e, l),
    }
}

/// Why a real Flink snapshot cannot start the job ([`SavepointRestoreError`]).
pub fn savepoint_restore(e: &SavepointRestoreError, l: Lang) -> String {
    if l == Lang::En {
        return e.to_string();
    }
    match e {
        SavepointRestoreError::NoOperator {
            uid,
            operator_id,
            operators,
        } => zh!(
            "快照中没有 uid 为 '{uid}'（算子 ID {operator_id}）的算子：它包含 {operators} 个其他算子；请用 --uid 指定计数算子的 uid",
            uid,
            operator_id,
            operators
        ),
        SavepointRestoreError::NoCounterState { uid } => zh!(
            "算子 '{uid}' 没有名为 \"event-counter\" 的键控状态：它不是计数作业的算子",
            uid
        ),
        SavepointRestoreError::NotAValueState { uid, kind } => zh!(
            "算子 '{uid}' 的状态 \"event-counter\" 是 {kind} 状态，而不是值状态",
            uid,
            kind
        ),
        SavepointRestoreError::NotLongValues { serializer } => zh!(
            "状态 \"event-counter\" 的值由 {serializer} 写入，不是 Long",
            serializer
        ),
        SavepointRestoreError::KeyType {
            serializer,
            expected,
        } => zh!(
            "快照的键由 {serializer} 写入；作业的键是 {expected}（--key-type）",
            serializer,
            expected
        ),
        SavepointRestoreError::Unreadable { subtask, error } => zh!(
            "子任务 {subtask} 的键控状态无法读取：{error}",
            subtask,
            error = crate::i18n::messages::savepoint::error(error, l)
        ),
        SavepointRestoreError::WrongKeyGroup {
            key,
            stored,
            expected,
        } => zh!(
            "键 {key} 存放在键组 {stored} 中，但它属于键组 {expected}",
            key,
            stored,
            expected
        ),
        SavepointRestoreError::MaxParallelism(max) => zh!(
            "算子的最大并行度 {max} 不是 Flink 允许的值（1 到 32768）",
            max
        ),
        SavepointRestoreError::Key(e) => key(e, l),
        SavepointRestoreError::NotTheCounterJob { function } => {
            zh!("真实快照只能启动计数作业，不能启动 {function} 作业", function)
        }
    }
}

pub fn job_config(e: &JobConfigError, l: Lang) -> String {
    if l == Lang::En {
        return e.to_string();
    }
    match e {
        JobConfigError::Parallelism { parallelism, max } => {
            zh!(
                "并行度必须在 1 到 {max} 之间，而不是 {parallelism}",
                max,
                parallelism
            )
        }
        JobConfigError::SourceParallelism { parallelism, max } => {
            zh!(
                "源的并行度必须在 1 到 {max} 之间，而不是 {parallelism}",
                max,
                parallelism
            )
        }
        JobConfigError::TaskSlots(n) => zh!(
            "taskmanager.numberOfTaskSlots 的值 {n} 无效：每个 TaskManager 至少要有一个任务槽。",
            n
        ),
        JobConfigError::MaxParallelism {
            max,
            parallelism,
            upper,
        } => zh!(
            "最大并行度 {max} 无效：它必须介于并行度（{parallelism}）和 {upper} 之间",
            max,
            parallelism,
            upper
        ),
        JobConfigError::NoKeys => zh_str!("源至少需要一个键（keyCount 为 0）").to_owned(),
        JobConfigError::TooManyKeys { count, max } => {
            zh!(
                "keyCount {count} 超出了键格式能表示的数量（{max}）",
                count,
                max
            )
        }
        JobConfigError::ZipfExponent(x) => {
            zh!(
                "Zipf 指数必须大于 0 且不超过 20，而不是 {x}",
                x = Shortest(*x)
            )
        }
        JobConfigError::HotKeyFraction(x) => {
            zh!(
                "热点键的占比必须在 0 到 1 之间，而不是 {x}",
                x = Shortest(*x)
            )
        }
        JobConfigError::HotKeyIndex { key, count } => {
            zh!("热点键的序号 {key} 必须小于 keyCount {count}", key, count)
        }
        JobConfigError::ReplayKey {
            index,
            text,
            key_type,
        } => zh!(
            "重放的键 #{index} '{text}' 不是有效的 {key_type} 键",
            index,
            text,
            key_type
        ),
        JobConfigError::EmptyReplay => zh_str!("重放列表为空").to_owned(),
        JobConfigError::ReplayTooLong { max } => zh!("重放列表的键超过了 {max} 个", max),
        JobConfigError::ReplayKeyTooLong { index, max } => {
            zh!(
                "重放的键 #{index} 超过了 StateLab 接受的 {max} 字节",
                index,
                max
            )
        }
        JobConfigError::FailureTime { index, ms, max } => {
            zh!(
                "故障 #{index} 安排在 {ms} ms，超出了模拟的时间范围（{max} ms）",
                index,
                ms,
                max
            )
        }
        JobConfigError::Rate(rate) => {
            zh!(
                "源的速率最多为每秒 1,000,000,000 个事件，而不是 {rate}",
                rate
            )
        }
        JobConfigError::TooLarge { what, value, max } => {
            zh!(
                "{what} 最多为 {max}，而不是 {value}",
                what = setting_zh(*what),
                max,
                value
            )
        }
        JobConfigError::TooSmall { what, value, min } => {
            zh!(
                "{what} 至少为 {min}，而不是 {value}",
                what = setting_zh(*what),
                min,
                value
            )
        }
        JobConfigError::RestartStrategy(e) => {
            zh!("重启策略：{problem}", problem = restart_strategy_zh(*e))
        }
        JobConfigError::Memory(e) => zh!("内存：{problem}", problem = memory_config(e, l)),
        JobConfigError::KeyPrefix => zh_str!("键前缀最多 64 个字符").to_owned(),
        JobConfigError::Script { index, reason } => {
            zh!(
                "脚本命令 #{index}：{reason}",
                index,
                reason = script_zh(reason)
            )
        }
    }
}

/// The Chinese name of a setting the configuration checks.
fn setting_zh(what: Setting) -> &'static str {
    match what {
        Setting::NumberOfTaskSlots => {
            zh_str!("taskmanager.numberOfTaskSlots（每个 TaskManager 的槽位数）")
        }
        Setting::NetworkLatency => zh_str!("网络延迟 (µs)"),
        Setting::NetworkLatencyJitter => zh_str!("网络延迟抖动 (µs)"),
        Setting::ProcessingTime => zh_str!("每条记录的处理时间 (ns)"),
        Setting::ChannelCapacity => zh_str!("通道容量"),
        Setting::CheckpointInterval => zh_str!("检查点间隔 (ms)"),
        Setting::CheckpointTimeout => zh_str!("检查点超时 (ms)"),
        Setting::CheckpointMinPause => zh_str!("检查点最小间歇 (ms)"),
        Setting::RetainedCheckpoints => zh_str!("保留的检查点数"),
        Setting::TolerableFailedCheckpoints => zh_str!("可容忍的连续失败检查点数"),
        Setting::CheckpointWriteSpeed => zh_str!("检查点写入速度（字节/秒）"),
        Setting::TriggerJitter => zh_str!("触发抖动 (µs)"),
        Setting::KeyZeroPadding => zh_str!("键的补零位数"),
        Setting::RestartDelay => zh_str!("重启延迟 (ms)"),
        Setting::MaximumBackoff => zh_str!("最大退避时间 (ms)"),
    }
}

/// Flink's restart-strategy checks, in Chinese.
fn restart_strategy_zh(e: RestartStrategyError) -> &'static str {
    match e {
        RestartStrategyError::MaxFailuresPerInterval => {
            zh_str!("每个时间区间内的最大重启次数必须大于 0。")
        }
        RestartStrategyError::FailureRateInterval => zh_str!("失败率统计区间必须大于 0 ms。"),
        RestartStrategyError::InitialBackoff => zh_str!("初始退避时间至少为 1。"),
        RestartStrategyError::MaxBackoff => zh_str!("最大退避时间至少为 1。"),
        RestartStrategyError::InitialAboveMaxBackoff => {
            zh_str!("初始退避时间不能大于最大退避时间。")
        }
        RestartStrategyError::BackoffMultiplier => zh_str!("退避倍数必须大于 1。"),
        RestartStrategyError::ResetBackoffThreshold => zh_str!("重置指数退避的阈值时长至少为 1。"),
        RestartStrategyError::JitterFactor => zh_str!("抖动因子必须 >= 0 且 <= 1。"),
        RestartStrategyError::AttemptsBeforeResetBackoff => {
            zh_str!("attemptsBeforeResetBackoff 至少为 1。")
        }
    }
}

/// Why a scripted command can never run, in Chinese.
fn script_zh(e: &ScriptError) -> String {
    match e {
        ScriptError::AfterRecordsZero => {
            zh_str!("afterRecords 从 1 开始计数（第一条记录之后）").to_owned()
        }
        ScriptError::AtTimeBeyondHorizon { ms, max } => {
            zh!("atTime {ms} ms 超出了模拟的时间范围（{max} ms）", ms, max)
        }
        ScriptError::CheckpointIdZero => zh_str!("检查点编号从 1 开始").to_owned(),
        ScriptError::BadKey { key, key_type } => {
            zh!("'{key}' 不是有效的 {key_type} 键", key, key_type)
        }
        ScriptError::RestoreParallelism { parallelism, max } => {
            zh!(
                "以并行度 {parallelism} 恢复：并行度必须在 1 到 {max} 之间",
                parallelism,
                max
            )
        }
        ScriptError::RestoreAboveMaxParallelism {
            parallelism,
            max_parallelism,
        } => zh!(
            "以并行度 {parallelism} 恢复：超过了最大并行度 {max_parallelism}",
            parallelism,
            max_parallelism
        ),
        ScriptError::Rate(rate) => {
            zh!(
                "源的速率最多为每秒 1,000,000,000 个事件，而不是 {rate}",
                rate
            )
        }
        ScriptError::CheckpointInterval(ms) => {
            zh!("检查点间隔必须在 1 ms 到 24 小时之间，而不是 {ms} ms", ms)
        }
    }
}

pub fn key(e: &KeyError, l: Lang) -> String {
    if l == Lang::En {
        return e.to_string();
    }
    match e {
        KeyError::WrongType {
            expected,
            found,
            key,
        } => zh!(
            "作业的键类型是 {expected}，但键 '{key}' 是 {found}",
            expected,
            key,
            found
        ),
        KeyError::Full => zh_str!("键注册表已满（超过 40 亿个不同的键）").to_owned(),
        KeyError::TooLong { bytes, max } => {
            zh!(
                "这个键有 {bytes} 字节，超过了 StateLab 接受的 {max} 字节",
                bytes,
                max
            )
        }
    }
}

pub fn trigger(e: &TriggerError, l: Lang) -> String {
    if l == Lang::En {
        return e.to_string();
    }
    match e {
        TriggerError::AlreadyInProgress(id) => {
            zh!("检查点 {id} 仍在进行中；Flink 同一时间只执行一个检查点", id)
        }
        TriggerError::JobNotRunning => zh_str!("作业未在运行，无法执行检查点").to_owned(),
        TriggerError::IdsExhausted(last) => {
            zh!(
                "检查点编号已用尽：检查点 {last} 是 Java long 能编号的最后一个",
                last
            )
        }
    }
}

pub fn restore(e: &RestoreError, l: Lang) -> String {
    if l == Lang::En {
        return e.to_string();
    }
    match e {
        RestoreError::MaxParallelismBelowParallelism {
            max_parallelism,
            parallelism,
        } => zh!("任务 {keyed_vertex} 的状态无法恢复。恢复的状态的最大并行度（{max_parallelism}）小于配置的\
             并行度（{parallelism}）。请把任务的并行度降低到不超过最大并行度。", keyed_vertex = keyed_vertex(), max_parallelism, parallelism),
        RestoreError::MaxParallelismChanged {
            checkpoint,
            configured,
        } => zh!("作业顶点 {keyed_vertex}（EventCounterProcessFunction）最近一次检查点的最大并行度（{checkpoint}）与当前的最大并行度\
             （{configured}）不同。目前不支持这样的变更。", keyed_vertex = keyed_vertex(), checkpoint, configured),
        RestoreError::UnknownCheckpoint(id) => zh!("没有 ID 为 {id} 的保留检查点", id),
        RestoreError::NoCheckpoint => zh_str!("还没有可供恢复的已完成检查点").to_owned(),
        RestoreError::Parallelism { parallelism, max } => {
            zh!("并行度必须在 1 到 {max} 之间，而不是 {parallelism}", max, parallelism)
        }
        RestoreError::KeyGroups(e) => key_groups(e, l),
    }
}

pub fn key_groups(e: &KeyGroupAssignmentError, l: Lang) -> String {
    if l == Lang::En {
        return e.to_string();
    }
    match e {
        KeyGroupAssignmentError::ParallelismOutOfBounds(p) => zh!("算子并行度超出范围：{p}", p),
        KeyGroupAssignmentError::MaxParallelismSmallerThanParallelism => {
            zh_str!("最大并行度不能小于并行度。").to_owned()
        }
        KeyGroupAssignmentError::OperatorIndexOutOfBounds { index, parallelism } => {
            zh!(
                "算子序号 {index} 不在 [0, {parallelism}) 范围内",
                index,
                parallelism
            )
        }
    }
}

pub fn blob(e: &BlobError, l: Lang) -> String {
    if l == Lang::En {
        return e.to_string();
    }
    match e {
        BlobError::TooShort(n) => zh!("这不是 StateLab 检查点：它只有 {n} 字节", n),
        BlobError::BadMagic => zh_str!("这不是 StateLab 检查点（它的开头不是 StateLab 的魔数）").to_owned(),
        BlobError::NewerVersion { found, supported } => zh!("这个检查点由更新版本的 StateLab 写入（格式版本 {found}）；本页面读取格式版本 {supported}。\
             请更新 StateLab 后再打开。", found, supported),
        BlobError::UnknownVersion(v) => zh!("这个检查点使用了未知的格式版本 {v}", v),
        BlobError::Truncated { expected, actual } => {
            zh!("检查点不完整：应有 {expected} 字节，只收到了 {actual} 字节", expected, actual)
        }
        BlobError::TrailingBytes(n) => zh!("检查点结尾之后多出了 {n} 个字节", n),
        BlobError::ChecksumMismatch => zh_str!("检查点已损坏：校验和与内容不符").to_owned(),
        BlobError::Malformed(m) => zh!("检查点格式有误：{problem}", problem = malformed_zh(m)),
        BlobError::TooLarge(limit) => {
            zh!("检查点超出了 StateLab 能打开的大小：{limit}", limit = limit_zh(limit))
        }
        BlobError::Implausible(i) => zh!("检查点含有不可能的值：{problem}", problem = implausible_zh(i)),
        BlobError::JobShape(shape) => {
            zh!("这个 StateLab 无法使用该检查点：{problem}", problem = job_shape_zh(shape, l))
        }
    }
}

fn malformed_zh(m: &Malformed) -> String {
    match m {
        Malformed::UnknownFlags(flags) => {
            zh!("未知的头部标志 {flags}", flags = format!("{:#06x}", flags))
        }
        Malformed::KeyGroups(n) => zh!("{n} 个键组（应在 1 到 32768 之间）", n),
        Malformed::HeaderOverrun => zh_str!("元数据和分段表超出了检查点的末尾").to_owned(),
        Malformed::MetadataDeflate => zh_str!("元数据无法解压").to_owned(),
        Malformed::MetadataJson { line, column, .. } => {
            zh!(
                "元数据在第 {line} 行第 {column} 列不符合 StateLab 的格式",
                line,
                column
            )
        }
        Malformed::MetadataBinary { offset, problem } => {
            zh!(
                "元数据在第 {offset} 字节处无法读取：{problem}",
                offset,
                problem = metadata_zh(problem)
            )
        }
        Malformed::Section { key_group, problem } => {
            zh!(
                "键组 {key_group}：{problem}",
                key_group,
                problem = section_zh(problem)
            )
        }
        Malformed::GapAfterSections(n) => zh!("最后一个分段与校验和之间多出 {n} 个字节", n),
        Malformed::EntriesMismatch { metadata, sections } => {
            zh!(
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
        } => zh!(
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
        } => zh!(
            "最大并行度为 {max_parallelism}，却有 {key_groups} 个键组",
            max_parallelism,
            key_groups
        ),
        Malformed::SourcePositions {
            positions,
            subtasks,
        } => zh!(
            "{subtasks} 个源子任务却有 {positions} 个源位置",
            subtasks,
            positions
        ),
        Malformed::SubtaskStats { stats, parallelism } => {
            zh!(
                "并行度为 {parallelism}，却有 {stats} 个子任务的统计",
                parallelism,
                stats
            )
        }
        Malformed::NamedKeyInvalid { text, key_type } => {
            zh!("具名键 '{text}' 不是有效的 {key_type}", text, key_type)
        }
        Malformed::NamedKeyNotByName { text } => {
            zh!(
                "具名键 '{text}' 不应按名称存储（键格式能生成它，或者它被命名了两次）",
                text
            )
        }
        Malformed::NamedKeyUnused { text } => zh!("具名键 '{text}' 不在任何键组中", text),
        Malformed::Version {
            function,
            version,
            expected,
        } => zh!(
            "{function} 作业的检查点应以格式版本 {expected} 写入，而不是 {version}",
            function,
            expected,
            version
        ),
    }
}

fn metadata_zh(p: &MetadataProblem) -> String {
    match p {
        MetadataProblem::CutShort => zh_str!("它在一个值的中间结束").to_owned(),
        MetadataProblem::NonCanonical => zh_str!("有一个数字不是 StateLab 写入的形式").to_owned(),
        MetadataProblem::OutOfRange => zh_str!("有一个数字超出了其字段的范围").to_owned(),
        MetadataProblem::NotUtf8 => zh_str!("有一段文本不是 UTF-8").to_owned(),
        MetadataProblem::NotFinite => zh_str!("有一个数字不是有限值").to_owned(),
        MetadataProblem::ListLength { count } => {
            zh!("一个列表声称有 {count} 个元素，超过了剩余的字节数", count)
        }
        MetadataProblem::UnknownField(n) => {
            zh!("未知的字段 {n}（可能由更新版本的 StateLab 写入）", n)
        }
        MetadataProblem::FieldOrder(n) => zh!("字段 {n} 顺序错误或重复", n),
        MetadataProblem::MissingField(n) => zh!("缺少字段 {n}", n),
        MetadataProblem::UnknownVariant(n) => zh!("未知的变体 {n}", n),
        MetadataProblem::BytesLeft(n) => zh!("结尾之后还剩 {n} 个字节", n),
    }
}

fn section_zh(p: &SectionProblem) -> String {
    match p {
        SectionProblem::ReservedBytes => zh_str!("保留字节不为零").to_owned(),
        SectionProblem::Offset { found, expected } => {
            zh!("分段位于偏移 {found}（应为 {expected}）", found, expected)
        }
        SectionProblem::Overrun => zh_str!("分段超出了检查点的末尾").to_owned(),
        SectionProblem::UnknownEncoding(e) => zh!("未知的分段编码 {e}", e),
        SectionProblem::RawSizesDiffer => zh_str!("未压缩的分段两个长度不一致").to_owned(),
        SectionProblem::CannotInflate { stored, raw } => {
            zh!("{stored} 字节不可能解压成声称的 {raw} 字节", stored, raw)
        }
        SectionProblem::EntriesDontFit { entries, raw } => {
            zh!("{entries} 个条目放不进 {raw} 字节", entries, raw)
        }
        SectionProblem::Inflate => zh_str!("条目无法解压").to_owned(),
        SectionProblem::Length { actual, declared } => {
            zh!(
                "条目占 {actual} 字节，声明的是 {declared} 字节",
                actual,
                declared
            )
        }
        SectionProblem::CutShort { entry } => zh!("条目 {entry} 不完整", entry),
        SectionProblem::NonCanonical { entry } => {
            zh!("条目 {entry} 的数字不是 StateLab 写入的形式", entry)
        }
        SectionProblem::KeyBeyondFormat { entry, index } => {
            zh!(
                "条目 {entry}：键编号 {index} 超出了键格式的范围",
                entry,
                index
            )
        }
        SectionProblem::UnknownNamedKey { entry, index } => {
            zh!("条目 {entry}：未知的具名键 {index}", entry, index)
        }
        SectionProblem::WrongKeyGroup { entry, actual } => {
            zh!("条目 {entry} 的键属于键组 {actual}", entry, actual)
        }
        SectionProblem::RepeatedKey { entry } => zh!("条目 {entry} 重复了一个键", entry),
        SectionProblem::BytesLeft(n) => zh!("条目之后还剩 {n} 个字节", n),
        SectionProblem::NoSuchKeyGroup => zh_str!("没有这个键组").to_owned(),
        SectionProblem::CountBeyondBytes { entry, count } => {
            zh!(
                "条目 {entry} 声称有 {count} 个元素，超过了剩余的字节数",
                entry,
                count
            )
        }
        SectionProblem::UserKeyNotUtf8 { entry } => {
            zh!("条目 {entry}：有一个映射键不是 UTF-8", entry)
        }
        SectionProblem::RepeatedUserKey { entry } => {
            zh!("条目 {entry}：它的映射含有重复的键", entry)
        }
        SectionProblem::PresenceFlag { entry, flag } => {
            zh!(
                "条目 {entry}：值的存在标志为 {flag}（应为 0 或 1）",
                entry,
                flag
            )
        }
        SectionProblem::TimersBeyondBytes { count } => {
            zh!("它声称有 {count} 个定时器，超过了剩余的字节数", count)
        }
        SectionProblem::TimerUnreadable { timer } => {
            zh!(
                "定时器 {timer} 不完整，或其数字不是 StateLab 写入的形式",
                timer
            )
        }
        SectionProblem::TimerKey { timer, code } => {
            zh!(
                "定时器 {timer}：键编码 {code} 不对应作业的任何键",
                timer,
                code
            )
        }
        SectionProblem::TimerWrongKeyGroup { timer, actual } => {
            zh!("定时器 {timer} 的键属于键组 {actual}", timer, actual)
        }
        SectionProblem::RepeatedTimer { timer } => zh!("定时器 {timer} 重复了一个定时器", timer),
    }
}

fn limit_zh(limit: &Limit) -> String {
    match limit {
        Limit::Metadata { bytes, max } => zh!("元数据有 {bytes} 字节（最多 {max}）", bytes, max),
        Limit::MetadataInflated { max } => zh!("元数据解压后超过 {max} 字节", max),
        Limit::Section {
            key_group,
            bytes,
            max,
        } => zh!(
            "键组 {key_group} 的条目有 {bytes} 字节（最多 {max}）",
            key_group,
            bytes,
            max
        ),
        Limit::Entries { entries, max } => zh!("{entries} 个条目（最多 {max}）", entries, max),
        Limit::EntryBytes { bytes, max } => zh!("条目共 {bytes} 字节（最多 {max}）", bytes, max),
        Limit::NamedKeys { max } => zh!("具名键超过 {max} 个", max),
        Limit::KeyLength { index, max } => zh!("具名键 #{index} 超过 {max} 字节", index, max),
        Limit::Producer { max } => zh!("生成者名称超过 {max} 个字符", max),
        Limit::List { count, max } => zh!(
            "元数据中有一个 {count} 项的列表（最多 {max} 项）",
            count,
            max
        ),
        Limit::Elements {
            key_group,
            entry,
            count,
            max,
        } => zh!(
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
        } => zh!(
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
        } => zh!(
            "键组 {key_group} 有 {count} 个定时器（最多 {max}）",
            key_group,
            count,
            max
        ),
    }
}

fn implausible_zh(i: &Implausible) -> String {
    match i {
        Implausible::CheckpointId { id, max } => {
            zh!("检查点编号 {id}（编号应在 1 到 {max} 之间）", id, max)
        }
        Implausible::SourcePosition { events, max } => {
            zh!("源位置为 {events} 个事件（最多 {max}）", events, max)
        }
        Implausible::Times {
            trigger,
            completion,
            max,
        } => zh!(
            "触发时间 {trigger} ns、完成时间 {completion} ns（应先后有序，最多 {max}）",
            trigger,
            completion,
            max
        ),
        Implausible::Count {
            key_group,
            entry,
            count,
        } => zh!(
            "键组 {key_group} 条目 {entry}：计数为 {count}（状态中的键至少被计过一次）",
            key_group,
            entry,
            count
        ),
        Implausible::CountsExceedEvents { counts, events } => {
            zh!(
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
        } => zh!(
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
        } => zh!(
            "金额之和为 {amounts}，超过了源发出的 {events} 个事件每个 {max_amount} 的上限",
            amounts,
            events,
            max_amount
        ),
        Implausible::UnexpectedTimers {
            key_group,
            count,
            function,
        } => zh!(
            "键组 {key_group} 有 {count} 个定时器，但 {function} 作业不注册定时器",
            key_group,
            count,
            function
        ),
        Implausible::SessionWithoutTimer { key_group, entry } => zh!(
            "键组 {key_group} 条目 {entry}：一个打开的会话缺少关闭它的定时器",
            key_group,
            entry
        ),
        Implausible::TimerWithoutSession {
            key_group,
            timer,
            timestamp,
        } => zh!(
            "键组 {key_group} 定时器 {timer}（{timestamp} ms）：它的键没有在此时或之后关闭的打开会话",
            key_group,
            timer,
            timestamp
        ),
        Implausible::StateSize { claimed, actual } => {
            zh!(
                "统计中的状态大小为 {claimed} 字节，条目实际构成 {actual} 字节",
                claimed,
                actual
            )
        }
        Implausible::SubtaskEntries {
            subtask,
            claimed,
            actual,
        } => zh!(
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
            zh!(
                "子任务 {subtask}：统计中的状态为 {claimed} 字节，其键组实际构成 {actual} 字节",
                subtask,
                claimed,
                actual
            )
        }
        Implausible::SubtaskTimes { subtask } => {
            zh!(
                "子任务 {subtask}：其时间不在检查点的触发与完成之间",
                subtask
            )
        }
        Implausible::CopyOnWriteCopies {
            subtask,
            copies,
            bound,
        } => zh!(
            "子任务 {subtask}：写时复制 {copies} 次，多于其 {bound} 个条目与记录",
            subtask,
            copies,
            bound
        ),
    }
}

fn job_shape_zh(shape: &JobShape, l: Lang) -> String {
    match shape {
        JobShape::State {
            kind,
            value_type,
            name,
            function,
            expected,
        } => zh!(
            "它保存的是 {kind}<{value_type}> '{name}'，而 {function} 作业保存的是 {expected}",
            kind,
            value_type,
            name,
            function,
            expected
        ),
        JobShape::KeyType { state, job } => zh!(
            "它的状态以 {state} 为键，而它的作业以 {job} 为键",
            state,
            job
        ),
        JobShape::Job(e) => zh!("它的作业配置无效：{problem}", problem = job_config(e, l)),
        JobShape::Key(e) => key(e, l),
    }
}

pub fn link(e: &LinkError, l: Lang) -> String {
    if l == Lang::En {
        return e.to_string();
    }
    match e {
        LinkError::TooLarge { bytes } => zh!("这个检查点有 {kb} KB，放不进链接（链接最多携带 {LINK_MAX_BLOB_BYTES} KB，约几千个键）；请改为导出成文件", kb = bytes.div_ceil(1024), LINK_MAX_BLOB_BYTES = LINK_MAX_BLOB_BYTES / 1024),
        LinkError::NoCheckpoint => {
            zh!("这不是 StateLab 检查点链接：它没有 '#{FRAGMENT_KEY}=' 部分", FRAGMENT_KEY)
        }
        LinkError::TooLong { chars, max } => zh!("链接中的检查点比任何 StateLab 链接都长（{chars} 个字符，最多 {max} 个）；它可能和别的文本连在了一起", chars, max),
        LinkError::BadEncoding(at) => zh!("链接从第 {n} 个字符起已损坏；请重新完整地复制", n = at + 1),
    }
}

/// `MemoryUnit.getAllUnits()`, as the unknown-unit error quotes it (the units are configuration syntax).
const ALL_UNITS: &str =
    "(b | bytes) / (k | kb | kibibytes) / (m | mb | mebibytes) / (g | gb | gibibytes) / (t | tb | tebibytes)";

/// `toHumanReadableString()` with the byte count in Chinese: `256.000mb (268435456 字节)`.
fn size_zh(size: MemorySize) -> String {
    crate::i18n::replace(&size.to_human_readable_string(), " bytes", zh_str!(" 字节"))
}

pub fn memory_size(e: &MemorySizeError, l: Lang) -> String {
    if l == Lang::En {
        return e.to_string();
    }
    let max = MemorySize::MAX_VALUE.bytes();
    match e {
        MemorySizeError::Empty => {
            zh_str!("内存大小为空或只有空白；请写一个数字，可以带单位，例如 \"1728m\"").to_owned()
        }
        MemorySizeError::NoNumber { text } => {
            zh!(
                "文本不是以数字开头：{text}；请写一个非负整数，可以带单位，例如 \"1728m\"",
                text = format!("{:?}", text)
            )
        }
        MemorySizeError::UnknownUnit { text, unit } => {
            zh!(
                "{text} 中的内存单位 {unit} 不是可识别的单位：{ALL_UNITS}",
                text = format!("{:?}", text),
                unit = format!("{:?}", unit),
                ALL_UNITS
            )
        }
        MemorySizeError::Overflow { text } => {
            zh!(
                "{text} 超出了内存大小的上限 {max} 字节（Java long）；请使用更小的值",
                text = format!("{:?}", text),
                max
            )
        }
        MemorySizeError::InvalidMultiplier { multiplier } => {
            zh!(
                "内存大小只能乘以 >= 0 的有限数，而不是 {multiplier}",
                multiplier = ShortestF32(*multiplier)
            )
        }
        MemorySizeError::MultiplyOverflow { size, multiplier } => {
            zh!(
                "{size} 乘以 {multiplier} 超出了内存大小的上限 {max} 字节（long 溢出）",
                size,
                multiplier = ShortestF32(*multiplier),
                max
            )
        }
    }
}

pub fn memory_config(e: &MemoryConfigError, l: Lang) -> String {
    if l == Lang::En {
        return e.to_string();
    }
    match e {
        MemoryConfigError::MetaspaceAndOverheadExceedProcess {
            metaspace,
            overhead,
            total_process,
        } => zh!("配置的 JVM Metaspace（{metaspace}）与 JVM 开销（{overhead}）之和超过了配置的进程总内存（{total_process}）。请增大 \
             taskmanager.memory.process.size，或调低 metaspace / overhead 的配置。", metaspace = size_zh(*metaspace), overhead = size_zh(*overhead), total_process = size_zh(*total_process)),
        MemoryConfigError::ComponentsExceedTotalFlink {
            framework_heap,
            framework_off_heap,
            task_off_heap,
            managed,
            network,
            total_flink,
        } => zh!("配置的框架堆内存（{framework_heap}）、框架堆外内存（{framework_off_heap}）、任务堆外内存（{task_off_heap}）、托管内存（{managed}）与网络内存（{network}）之和超过了\
             配置的 Flink 总内存（{total_flink}）。请增大 taskmanager.memory.process.size，或调低 \
             taskmanager.memory.managed.size / managed.fraction。", framework_heap = size_zh(*framework_heap), framework_off_heap = size_zh(*framework_off_heap), task_off_heap = size_zh(*task_off_heap), managed = size_zh(*managed), network = size_zh(*network), total_flink = size_zh(*total_flink)),
        MemoryConfigError::InconsistentRangeFraction {
            fraction_key,
            fraction,
            min,
            max,
        } => zh!("{fraction_key}（{fraction}）与其最小值（{min}）、最大值（{max}）不一致：比例必须在 [0, 1) 内，且最小值不能超过最大值。", fraction_key, fraction = Shortest(f64::from(*fraction)), min = size_zh(*min), max = size_zh(*max)),
        MemoryConfigError::LocalJvmHeapOutOfRange { jvm_heap } => zh!("本地 JVM 堆（-Xmx）{jvm_heap} 超出了 StateLab 接受的范围（{MIN_LOCAL_JVM_HEAP} 到 {MAX_LOCAL_JVM_HEAP}）；是不是忘了写 \"m\" 或 \"g\" 之类的单位？", jvm_heap = size_zh(*jvm_heap), MIN_LOCAL_JVM_HEAP = size_zh(MIN_LOCAL_JVM_HEAP), MAX_LOCAL_JVM_HEAP = size_zh(MAX_LOCAL_JVM_HEAP)),
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
                (Lang::Zh, InjectedFailure::ProcessElementCall { call, .. }) => {
                    zh!("（在第 {call} 次 processElement 调用时注入的故障）", call)
                }
                (Lang::Zh, InjectedFailure::Time { ms }) => zh!("（在 {ms} ms 时注入的故障）", ms),
                (Lang::Zh, InjectedFailure::Command(_)) => zh_str!("（手动注入的故障）").to_owned(),
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
    if l == Lang::En {
        return e.to_string();
    }
    match e {
        HistoryError::StepOutOfRange { step, origin, head } => {
            zh!(
                "第 {step} 步不在已记录的运行中（记录范围为第 {origin} 步到第 {head} 步）",
                step,
                origin,
                head
            )
        }
        HistoryError::RecordsOutOfRange { records, head } => {
            zh!(
                "第 {records} 条记录尚未处理：已记录的运行只处理了 {head} 条",
                records,
                head
            )
        }
        HistoryError::NotInHistory { step, head } => {
            zh!(
                "作业位于第 {step} 步，超出了已记录运行的末尾（第 {head} 步）",
                step,
                head
            )
        }
        HistoryError::Diverged { step, reason } => {
            let reason = match reason.as_ref() {
                Divergence::CommandRefused { error, .. } => {
                    zh!(
                        "记录的命令在重放时被拒绝：{problem}",
                        problem = engine(error, l)
                    )
                }
                Divergence::NothingLeftToDo => zh_str!("作业已无事可做").to_owned(),
            };
            zh!(
                "重放已记录的运行时在第 {step} 步出现偏差：{reason}",
                step,
                reason
            )
        }
        HistoryError::Engine(e) => engine(e, l),
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

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
        Lang::Zh => format!("检查点间隔 '{text}' 不是整数毫秒数"),
    }
}

pub fn engine(e: &EngineError, l: Lang) -> String {
    if l == Lang::En {
        return e.to_string();
    }
    match e {
        EngineError::Config(e) => job_config(e, l),
        EngineError::Key(e) => key(e, l),
        EngineError::BadKey { text, key_type } => format!("'{text}' 不是有效的 {key_type} 键"),
        EngineError::NotRunning(status) => format!(
            "作业当前为 {}，只有在 RUNNING 时才接受此操作",
            job_status(*status)
        ),
        EngineError::Trigger(e) => trigger(e, l),
        EngineError::Restore(e) => restore(e, l),
        EngineError::Interval => "检查点间隔必须在 1 ms 到 24 h 之间".to_owned(),
        EngineError::Rate => "源的速率最多为每秒 1,000,000,000 个事件".to_owned(),
        EngineError::Blob(e) => blob(e, l),
    }
}

pub fn job_config(e: &JobConfigError, l: Lang) -> String {
    if l == Lang::En {
        return e.to_string();
    }
    match e {
        JobConfigError::Parallelism { parallelism, max } => {
            format!("并行度必须在 1 到 {max} 之间，而不是 {parallelism}")
        }
        JobConfigError::SourceParallelism { parallelism, max } => {
            format!("源的并行度必须在 1 到 {max} 之间，而不是 {parallelism}")
        }
        JobConfigError::TaskSlots(n) => format!(
            "taskmanager.numberOfTaskSlots 的值 {n} 无效：每个 TaskManager 至少要有一个任务槽。"
        ),
        JobConfigError::MaxParallelism {
            max,
            parallelism,
            upper,
        } => format!("最大并行度 {max} 无效：它必须介于并行度（{parallelism}）和 {upper} 之间"),
        JobConfigError::NoKeys => "源至少需要一个键（keyCount 为 0）".to_owned(),
        JobConfigError::TooManyKeys { count, max } => {
            format!("keyCount {count} 超出了键格式能表示的数量（{max}）")
        }
        JobConfigError::ZipfExponent(x) => {
            format!("Zipf 指数必须大于 0 且不超过 20，而不是 {}", Shortest(*x))
        }
        JobConfigError::HotKeyFraction(x) => {
            format!("热点键的占比必须在 0 到 1 之间，而不是 {}", Shortest(*x))
        }
        JobConfigError::HotKeyIndex { key, count } => {
            format!("热点键的序号 {key} 必须小于 keyCount {count}")
        }
        JobConfigError::ReplayKey {
            index,
            text,
            key_type,
        } => format!("重放的键 #{index} '{text}' 不是有效的 {key_type} 键"),
        JobConfigError::EmptyReplay => "重放列表为空".to_owned(),
        JobConfigError::ReplayTooLong { max } => format!("重放列表的键超过了 {max} 个"),
        JobConfigError::ReplayKeyTooLong { index, max } => {
            format!("重放的键 #{index} 超过了 StateLab 接受的 {max} 字节")
        }
        JobConfigError::FailureTime { index, ms, max } => {
            format!("故障 #{index} 安排在 {ms} ms，超出了模拟的时间范围（{max} ms）")
        }
        JobConfigError::Rate(rate) => {
            format!("源的速率最多为每秒 1,000,000,000 个事件，而不是 {rate}")
        }
        JobConfigError::TooLarge { what, value, max } => {
            format!("{} 最多为 {max}，而不是 {value}", setting_zh(*what))
        }
        JobConfigError::TooSmall { what, value, min } => {
            format!("{} 至少为 {min}，而不是 {value}", setting_zh(*what))
        }
        JobConfigError::RestartStrategy(e) => format!("重启策略：{}", restart_strategy_zh(*e)),
        JobConfigError::Memory(e) => format!("内存：{}", memory_config(e, l)),
        JobConfigError::KeyPrefix => "键前缀最多 64 个字符".to_owned(),
        JobConfigError::Script { index, reason } => {
            format!("脚本命令 #{index}：{}", script_zh(reason))
        }
    }
}

/// The Chinese name of a setting the configuration checks.
fn setting_zh(what: Setting) -> &'static str {
    match what {
        Setting::NumberOfTaskSlots => "taskmanager.numberOfTaskSlots（每个 TaskManager 的槽位数）",
        Setting::NetworkLatency => "网络延迟 (µs)",
        Setting::NetworkLatencyJitter => "网络延迟抖动 (µs)",
        Setting::ProcessingTime => "每条记录的处理时间 (ns)",
        Setting::ChannelCapacity => "通道容量",
        Setting::CheckpointInterval => "检查点间隔 (ms)",
        Setting::CheckpointTimeout => "检查点超时 (ms)",
        Setting::CheckpointMinPause => "检查点最小间歇 (ms)",
        Setting::RetainedCheckpoints => "保留的检查点数",
        Setting::TolerableFailedCheckpoints => "可容忍的连续失败检查点数",
        Setting::CheckpointWriteSpeed => "检查点写入速度（字节/秒）",
        Setting::TriggerJitter => "触发抖动 (µs)",
        Setting::KeyZeroPadding => "键的补零位数",
        Setting::RestartDelay => "重启延迟 (ms)",
        Setting::MaximumBackoff => "最大退避时间 (ms)",
    }
}

/// Flink's restart-strategy checks, in Chinese.
fn restart_strategy_zh(e: RestartStrategyError) -> &'static str {
    match e {
        RestartStrategyError::MaxFailuresPerInterval => "每个时间区间内的最大重启次数必须大于 0。",
        RestartStrategyError::FailureRateInterval => "失败率统计区间必须大于 0 ms。",
        RestartStrategyError::InitialBackoff => "初始退避时间至少为 1。",
        RestartStrategyError::MaxBackoff => "最大退避时间至少为 1。",
        RestartStrategyError::InitialAboveMaxBackoff => "初始退避时间不能大于最大退避时间。",
        RestartStrategyError::BackoffMultiplier => "退避倍数必须大于 1。",
        RestartStrategyError::ResetBackoffThreshold => "重置指数退避的阈值时长至少为 1。",
        RestartStrategyError::JitterFactor => "抖动因子必须 >= 0 且 <= 1。",
        RestartStrategyError::AttemptsBeforeResetBackoff => "attemptsBeforeResetBackoff 至少为 1。",
    }
}

/// Why a scripted command can never run, in Chinese.
fn script_zh(e: &ScriptError) -> String {
    match e {
        ScriptError::AfterRecordsZero => "afterRecords 从 1 开始计数（第一条记录之后）".to_owned(),
        ScriptError::AtTimeBeyondHorizon { ms, max } => {
            format!("atTime {ms} ms 超出了模拟的时间范围（{max} ms）")
        }
        ScriptError::CheckpointIdZero => "检查点编号从 1 开始".to_owned(),
        ScriptError::BadKey { key, key_type } => format!("'{key}' 不是有效的 {key_type} 键"),
        ScriptError::RestoreParallelism { parallelism, max } => {
            format!("以并行度 {parallelism} 恢复：并行度必须在 1 到 {max} 之间")
        }
        ScriptError::RestoreAboveMaxParallelism {
            parallelism,
            max_parallelism,
        } => format!("以并行度 {parallelism} 恢复：超过了最大并行度 {max_parallelism}"),
        ScriptError::Rate(rate) => {
            format!("源的速率最多为每秒 1,000,000,000 个事件，而不是 {rate}")
        }
        ScriptError::CheckpointInterval(ms) => {
            format!("检查点间隔必须在 1 ms 到 24 小时之间，而不是 {ms} ms")
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
        } => format!("作业的键类型是 {expected}，但键 '{key}' 是 {found}"),
        KeyError::Full => "键注册表已满（超过 40 亿个不同的键）".to_owned(),
        KeyError::TooLong { bytes, max } => {
            format!("这个键有 {bytes} 字节，超过了 StateLab 接受的 {max} 字节")
        }
    }
}

pub fn trigger(e: &TriggerError, l: Lang) -> String {
    if l == Lang::En {
        return e.to_string();
    }
    match e {
        TriggerError::AlreadyInProgress(id) => {
            format!("检查点 {id} 仍在进行中；Flink 同一时间只执行一个检查点")
        }
        TriggerError::JobNotRunning => "作业未在运行，无法执行检查点".to_owned(),
        TriggerError::IdsExhausted(last) => {
            format!("检查点编号已用尽：检查点 {last} 是 Java long 能编号的最后一个")
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
        } => format!(
            "任务 {} 的状态无法恢复。恢复的状态的最大并行度（{max_parallelism}）小于配置的\
             并行度（{parallelism}）。请把任务的并行度降低到不超过最大并行度。",
            keyed_vertex()
        ),
        RestoreError::MaxParallelismChanged {
            checkpoint,
            configured,
        } => format!(
            "作业顶点 {}（EventCounterProcessFunction）最近一次检查点的最大并行度（{checkpoint}）与当前的最大并行度\
             （{configured}）不同。目前不支持这样的变更。",
            keyed_vertex()
        ),
        RestoreError::UnknownCheckpoint(id) => format!("没有 ID 为 {id} 的保留检查点"),
        RestoreError::NoCheckpoint => "还没有可供恢复的已完成检查点".to_owned(),
        RestoreError::Parallelism { parallelism, max } => {
            format!("并行度必须在 1 到 {max} 之间，而不是 {parallelism}")
        }
        RestoreError::KeyGroups(e) => key_groups(e, l),
    }
}

pub fn key_groups(e: &KeyGroupAssignmentError, l: Lang) -> String {
    if l == Lang::En {
        return e.to_string();
    }
    match e {
        KeyGroupAssignmentError::ParallelismOutOfBounds(p) => format!("算子并行度超出范围：{p}"),
        KeyGroupAssignmentError::MaxParallelismSmallerThanParallelism => {
            "最大并行度不能小于并行度。".to_owned()
        }
        KeyGroupAssignmentError::OperatorIndexOutOfBounds { index, parallelism } => {
            format!("算子序号 {index} 不在 [0, {parallelism}) 范围内")
        }
    }
}

pub fn blob(e: &BlobError, l: Lang) -> String {
    if l == Lang::En {
        return e.to_string();
    }
    match e {
        BlobError::TooShort(n) => format!("这不是 StateLab 检查点：它只有 {n} 字节"),
        BlobError::BadMagic => "这不是 StateLab 检查点（它的开头不是 StateLab 的魔数）".to_owned(),
        BlobError::NewerVersion { found, supported } => format!(
            "这个检查点由更新版本的 StateLab 写入（格式版本 {found}）；本页面读取格式版本 {supported}。\
             请更新 StateLab 后再打开。"
        ),
        BlobError::UnknownVersion(v) => format!("这个检查点使用了未知的格式版本 {v}"),
        BlobError::Truncated { expected, actual } => {
            format!("检查点不完整：应有 {expected} 字节，只收到了 {actual} 字节")
        }
        BlobError::TrailingBytes(n) => format!("检查点结尾之后多出了 {n} 个字节"),
        BlobError::ChecksumMismatch => "检查点已损坏：校验和与内容不符".to_owned(),
        BlobError::Malformed(m) => format!("检查点格式有误：{}", malformed_zh(m)),
        BlobError::TooLarge(limit) => {
            format!("检查点超出了 StateLab 能打开的大小：{}", limit_zh(limit))
        }
        BlobError::Implausible(i) => format!("检查点含有不可能的值：{}", implausible_zh(i)),
        BlobError::JobShape(shape) => {
            format!("这个 StateLab 无法使用该检查点：{}", job_shape_zh(shape, l))
        }
    }
}

fn malformed_zh(m: &Malformed) -> String {
    match m {
        Malformed::UnknownFlags(flags) => format!("未知的头部标志 {flags:#06x}"),
        Malformed::KeyGroups(n) => format!("{n} 个键组（应在 1 到 32768 之间）"),
        Malformed::HeaderOverrun => "元数据和分段表超出了检查点的末尾".to_owned(),
        Malformed::MetadataDeflate => "元数据无法解压".to_owned(),
        Malformed::MetadataJson { line, column, .. } => {
            format!("元数据在第 {line} 行第 {column} 列不符合 StateLab 的格式")
        }
        Malformed::MetadataBinary { offset, problem } => {
            format!(
                "元数据在第 {offset} 字节处无法读取：{}",
                metadata_zh(problem)
            )
        }
        Malformed::Section { key_group, problem } => {
            format!("键组 {key_group}：{}", section_zh(problem))
        }
        Malformed::GapAfterSections(n) => format!("最后一个分段与校验和之间多出 {n} 个字节"),
        Malformed::EntriesMismatch { metadata, sections } => {
            format!("元数据记有 {metadata} 个条目，但各键组共有 {sections} 个")
        }
        Malformed::LayoutMismatch {
            parallelism,
            max_parallelism,
            job_parallelism,
            job_max_parallelism,
        } => format!(
            "检查点在并行度 {parallelism} / 最大并行度 {max_parallelism} 下生成，但其作业写的是 \
             {job_parallelism} / {job_max_parallelism}"
        ),
        Malformed::KeyGroupsMismatch {
            max_parallelism,
            key_groups,
        } => format!("最大并行度为 {max_parallelism}，却有 {key_groups} 个键组"),
        Malformed::SourcePositions {
            positions,
            subtasks,
        } => format!("{subtasks} 个源子任务却有 {positions} 个源位置"),
        Malformed::SubtaskStats { stats, parallelism } => {
            format!("并行度为 {parallelism}，却有 {stats} 个子任务的统计")
        }
        Malformed::NamedKeyInvalid { text, key_type } => {
            format!("具名键 '{text}' 不是有效的 {key_type}")
        }
        Malformed::NamedKeyNotByName { text } => {
            format!("具名键 '{text}' 不应按名称存储（键格式能生成它，或者它被命名了两次）")
        }
        Malformed::NamedKeyUnused { text } => format!("具名键 '{text}' 不在任何键组中"),
    }
}

fn metadata_zh(p: &MetadataProblem) -> String {
    match p {
        MetadataProblem::CutShort => "它在一个值的中间结束".to_owned(),
        MetadataProblem::NonCanonical => "有一个数字不是 StateLab 写入的形式".to_owned(),
        MetadataProblem::OutOfRange => "有一个数字超出了其字段的范围".to_owned(),
        MetadataProblem::NotUtf8 => "有一段文本不是 UTF-8".to_owned(),
        MetadataProblem::NotFinite => "有一个数字不是有限值".to_owned(),
        MetadataProblem::ListLength { count } => {
            format!("一个列表声称有 {count} 个元素，超过了剩余的字节数")
        }
        MetadataProblem::UnknownField(n) => {
            format!("未知的字段 {n}（可能由更新版本的 StateLab 写入）")
        }
        MetadataProblem::FieldOrder(n) => format!("字段 {n} 顺序错误或重复"),
        MetadataProblem::MissingField(n) => format!("缺少字段 {n}"),
        MetadataProblem::UnknownVariant(n) => format!("未知的变体 {n}"),
        MetadataProblem::BytesLeft(n) => format!("结尾之后还剩 {n} 个字节"),
    }
}

fn section_zh(p: &SectionProblem) -> String {
    match p {
        SectionProblem::ReservedBytes => "保留字节不为零".to_owned(),
        SectionProblem::Offset { found, expected } => {
            format!("分段位于偏移 {found}（应为 {expected}）")
        }
        SectionProblem::Overrun => "分段超出了检查点的末尾".to_owned(),
        SectionProblem::UnknownEncoding(e) => format!("未知的分段编码 {e}"),
        SectionProblem::RawSizesDiffer => "未压缩的分段两个长度不一致".to_owned(),
        SectionProblem::CannotInflate { stored, raw } => {
            format!("{stored} 字节不可能解压成声称的 {raw} 字节")
        }
        SectionProblem::EntriesDontFit { entries, raw } => {
            format!("{entries} 个条目放不进 {raw} 字节")
        }
        SectionProblem::Inflate => "条目无法解压".to_owned(),
        SectionProblem::Length { actual, declared } => {
            format!("条目占 {actual} 字节，声明的是 {declared} 字节")
        }
        SectionProblem::CutShort { entry } => format!("条目 {entry} 不完整"),
        SectionProblem::NonCanonical { entry } => {
            format!("条目 {entry} 的数字不是 StateLab 写入的形式")
        }
        SectionProblem::KeyBeyondFormat { entry, index } => {
            format!("条目 {entry}：键编号 {index} 超出了键格式的范围")
        }
        SectionProblem::UnknownNamedKey { entry, index } => {
            format!("条目 {entry}：未知的具名键 {index}")
        }
        SectionProblem::WrongKeyGroup { entry, actual } => {
            format!("条目 {entry} 的键属于键组 {actual}")
        }
        SectionProblem::RepeatedKey { entry } => format!("条目 {entry} 重复了一个键"),
        SectionProblem::BytesLeft(n) => format!("条目之后还剩 {n} 个字节"),
        SectionProblem::NoSuchKeyGroup => "没有这个键组".to_owned(),
    }
}

fn limit_zh(limit: &Limit) -> String {
    match limit {
        Limit::Metadata { bytes, max } => format!("元数据有 {bytes} 字节（最多 {max}）"),
        Limit::MetadataInflated { max } => format!("元数据解压后超过 {max} 字节"),
        Limit::Section {
            key_group,
            bytes,
            max,
        } => format!("键组 {key_group} 的条目有 {bytes} 字节（最多 {max}）"),
        Limit::Entries { entries, max } => format!("{entries} 个条目（最多 {max}）"),
        Limit::EntryBytes { bytes, max } => format!("条目共 {bytes} 字节（最多 {max}）"),
        Limit::NamedKeys { max } => format!("具名键超过 {max} 个"),
        Limit::KeyLength { index, max } => format!("具名键 #{index} 超过 {max} 字节"),
        Limit::Producer { max } => format!("生成者名称超过 {max} 个字符"),
        Limit::List { count, max } => format!("元数据中有一个 {count} 项的列表（最多 {max} 项）"),
    }
}

fn implausible_zh(i: &Implausible) -> String {
    match i {
        Implausible::CheckpointId { id, max } => {
            format!("检查点编号 {id}（编号应在 1 到 {max} 之间）")
        }
        Implausible::SourcePosition { events, max } => {
            format!("源位置为 {events} 个事件（最多 {max}）")
        }
        Implausible::Times {
            trigger,
            completion,
            max,
        } => format!("触发时间 {trigger} ns、完成时间 {completion} ns（应先后有序，最多 {max}）"),
        Implausible::Count {
            key_group,
            entry,
            count,
        } => format!("键组 {key_group} 条目 {entry}：计数为 {count}（状态中的键至少被计过一次）"),
        Implausible::CountsExceedEvents { counts, events } => {
            format!("计数之和为 {counts}，但源只发出了 {events} 个事件")
        }
        Implausible::StateSize { claimed, actual } => {
            format!("统计中的状态大小为 {claimed} 字节，条目实际构成 {actual} 字节")
        }
        Implausible::SubtaskEntries {
            subtask,
            claimed,
            actual,
        } => format!("子任务 {subtask}：统计记有 {claimed} 个条目，其键组实有 {actual} 个"),
        Implausible::SubtaskStateSize {
            subtask,
            claimed,
            actual,
        } => {
            format!("子任务 {subtask}：统计中的状态为 {claimed} 字节，其键组实际构成 {actual} 字节")
        }
        Implausible::SubtaskTimes { subtask } => {
            format!("子任务 {subtask}：其时间不在检查点的触发与完成之间")
        }
        Implausible::CopyOnWriteCopies {
            subtask,
            copies,
            bound,
        } => format!("子任务 {subtask}：写时复制 {copies} 次，多于其 {bound} 个条目与记录"),
    }
}

fn job_shape_zh(shape: &JobShape, l: Lang) -> String {
    match shape {
        JobShape::State {
            kind,
            value_type,
            name,
        } => format!(
            "它保存的是 {kind}<{value_type}> '{name}'，而 StateLab 的作业保存的是 ValueState<Long> 'event-counter'"
        ),
        JobShape::KeyType { state, job } => format!("它的状态以 {state} 为键，而它的作业以 {job} 为键"),
        JobShape::Job(e) => format!("它的作业配置无效：{}", job_config(e, l)),
        JobShape::Key(e) => key(e, l),
    }
}

pub fn link(e: &LinkError, l: Lang) -> String {
    if l == Lang::En {
        return e.to_string();
    }
    match e {
        LinkError::TooLarge { bytes } => format!(
            "这个检查点有 {} KB，放不进链接（链接最多携带 {} KB，约几千个键）；请改为导出成文件",
            bytes.div_ceil(1024),
            LINK_MAX_BLOB_BYTES / 1024
        ),
        LinkError::NoCheckpoint => {
            format!("这不是 StateLab 检查点链接：它没有 '#{FRAGMENT_KEY}=' 部分")
        }
        LinkError::TooLong { chars, max } => format!(
            "链接中的检查点比任何 StateLab 链接都长（{chars} 个字符，最多 {max} 个）；它可能和别的文本连在了一起"
        ),
        LinkError::BadEncoding(detail) => format!("链接已损坏（{detail}）；请重新完整地复制"),
    }
}

/// `MemoryUnit.getAllUnits()`, as the unknown-unit error quotes it (the units are configuration syntax).
const ALL_UNITS: &str =
    "(b | bytes) / (k | kb | kibibytes) / (m | mb | mebibytes) / (g | gb | gibibytes) / (t | tb | tebibytes)";

/// `toHumanReadableString()` with the byte count in Chinese: `256.000mb (268435456 字节)`.
fn size_zh(size: MemorySize) -> String {
    size.to_human_readable_string().replace(" bytes", " 字节")
}

pub fn memory_size(e: &MemorySizeError, l: Lang) -> String {
    if l == Lang::En {
        return e.to_string();
    }
    let max = MemorySize::MAX_VALUE.bytes();
    match e {
        MemorySizeError::Empty => {
            "内存大小为空或只有空白；请写一个数字，可以带单位，例如 \"1728m\"".to_owned()
        }
        MemorySizeError::NoNumber { text } => {
            format!("文本不是以数字开头：{text:?}；请写一个非负整数，可以带单位，例如 \"1728m\"")
        }
        MemorySizeError::UnknownUnit { text, unit } => {
            format!("{text:?} 中的内存单位 {unit:?} 不是可识别的单位：{ALL_UNITS}")
        }
        MemorySizeError::Overflow { text } => {
            format!("{text:?} 超出了内存大小的上限 {max} 字节（Java long）；请使用更小的值")
        }
        MemorySizeError::InvalidMultiplier { multiplier } => {
            format!(
                "内存大小只能乘以 >= 0 的有限数，而不是 {}",
                ShortestF32(*multiplier)
            )
        }
        MemorySizeError::MultiplyOverflow { size, multiplier } => {
            format!(
                "{size} 乘以 {} 超出了内存大小的上限 {max} 字节（long 溢出）",
                ShortestF32(*multiplier)
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
        } => format!(
            "配置的 JVM Metaspace（{}）与 JVM 开销（{}）之和超过了配置的进程总内存（{}）。请增大 \
             taskmanager.memory.process.size，或调低 metaspace / overhead 的配置。",
            size_zh(*metaspace),
            size_zh(*overhead),
            size_zh(*total_process)
        ),
        MemoryConfigError::ComponentsExceedTotalFlink {
            framework_heap,
            framework_off_heap,
            task_off_heap,
            managed,
            network,
            total_flink,
        } => format!(
            "配置的框架堆内存（{}）、框架堆外内存（{}）、任务堆外内存（{}）、托管内存（{}）与网络内存（{}）之和超过了\
             配置的 Flink 总内存（{}）。请增大 taskmanager.memory.process.size，或调低 \
             taskmanager.memory.managed.size / managed.fraction。",
            size_zh(*framework_heap),
            size_zh(*framework_off_heap),
            size_zh(*task_off_heap),
            size_zh(*managed),
            size_zh(*network),
            size_zh(*total_flink)
        ),
        MemoryConfigError::InconsistentRangeFraction {
            fraction_key,
            fraction,
            min,
            max,
        } => format!(
            "{fraction_key}（{}）与其最小值（{}）、最大值（{}）不一致：比例必须在 [0, 1) 内，且最小值不能超过最大值。",
            Shortest(f64::from(*fraction)),
            size_zh(*min),
            size_zh(*max)
        ),
        MemoryConfigError::LocalJvmHeapOutOfRange { jvm_heap } => format!(
            "本地 JVM 堆（-Xmx）{} 超出了 StateLab 接受的范围（{} 到 {}）；是不是忘了写 \"m\" 或 \"g\" 之类的单位？",
            size_zh(*jvm_heap),
            size_zh(MIN_LOCAL_JVM_HEAP),
            size_zh(MAX_LOCAL_JVM_HEAP)
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
                    format!("（发生在 TaskManager {task_manager}：它的堆将达到 {used} / {limit} 字节）")
                }
            },
        ),
        FailureCause::CheckpointFailures { reason } => (
            cause.to_string(),
            match l {
                Lang::En => String::new(),
                Lang::Zh => format!(
                    "（连续失败的检查点超过了 execution.checkpointing.tolerable-failed-checkpoints 允许的数量；最近一次：{}）",
                    checkpoint_failure(reason, l)
                ),
            },
        ),
        FailureCause::Injected { failure } => (
            cause.to_string(),
            match (l, failure) {
                (Lang::En, _) => String::new(),
                (Lang::Zh, InjectedFailure::ProcessElementCall { call, .. }) => {
                    format!("（在第 {call} 次 processElement 调用时注入的故障）")
                }
                (Lang::Zh, InjectedFailure::Time { ms }) => format!("（在 {ms} ms 时注入的故障）"),
                (Lang::Zh, InjectedFailure::Command(_)) => "（手动注入的故障）".to_owned(),
            },
        ),
        FailureCause::StateBackend { .. } => (
            cause.to_string(),
            match l {
                Lang::En => String::new(),
                Lang::Zh => "（状态后端抛出的异常）".to_owned(),
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
        CheckpointFailureReason::CheckpointExpired => "检查点在完成之前已过期。",
        CheckpointFailureReason::JobFinished => "检查点完成之前作业已结束。",
        CheckpointFailureReason::JobStarted => "作业从检查点启动",
        CheckpointFailureReason::JobRestored => "作业已从检查点恢复",
        CheckpointFailureReason::TaskFailure => "任务失败，检查点已中止。",
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
            format!("第 {step} 步不在已记录的运行中（记录范围为第 {origin} 步到第 {head} 步）")
        }
        HistoryError::RecordsOutOfRange { records, head } => {
            format!("第 {records} 条记录尚未处理：已记录的运行只处理了 {head} 条")
        }
        HistoryError::NotInHistory { step, head } => {
            format!("作业位于第 {step} 步，超出了已记录运行的末尾（第 {head} 步）")
        }
        HistoryError::Diverged { step, reason } => {
            let reason = match reason.as_ref() {
                Divergence::CommandRefused { error, .. } => {
                    format!("记录的命令在重放时被拒绝：{}", engine(error, l))
                }
                Divergence::NothingLeftToDo => "作业已无事可做".to_owned(),
            };
            format!("重放已记录的运行时在第 {step} 步出现偏差：{reason}")
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
            LinkError::BadEncoding("bad".into()),
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

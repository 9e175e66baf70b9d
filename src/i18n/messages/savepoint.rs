//! Real Flink snapshots (`statelab inspect DIR|ZIP`, and the page later): the summary's words and every reason
//! the reader gives for refusing a snapshot ([`SavepointError`]), in both languages; and why a savepoint for Flink
//! was not written (`statelab run --savepoint-out`, [`SavepointWriteError`]). The English of an error is its
//! `Display`; the Chinese is written here from the same values.

use crate::engine::savepoint::savepoint_error::{
    Counted, ReadProblem, SavepointError, SavepointLimit, ZipProblem,
};
use crate::engine::savepoint::savepoint_writer::SavepointWriteError;
use crate::i18n::messages::errors::job_status;
use crate::i18n::Lang;

messages! {
    SNAPSHOT = "Flink snapshot", "Flink 快照";
    CHECKPOINT = "checkpoint", "检查点";
    CANONICAL_SAVEPOINT = "canonical savepoint", "标准格式（canonical）保存点";
    NATIVE_SAVEPOINT = "native savepoint", "原生格式（native）保存点";
    UNKNOWN_TYPE = "snapshot of unknown type", "类型未知的快照";
    METADATA_VERSION = "metadata version", "元数据版本";
    OPERATOR = "operator", "算子";
    UID = "uid", "uid";
    UID_MATCHED = "uid (matched by its hash)", "uid（按哈希匹配）";
    PARALLELISM = "parallelism", "并行度";
    MAX_PARALLELISM = "max parallelism", "最大并行度";
    SUBTASK = "subtask", "子任务";
    FINISHED = "finished", "已结束";
    KEY_GROUPS = "key groups", "键组";
    KEY_SERIALIZER = "key serializer", "键序列化器";
    STATE = "state", "状态";
    NAMESPACE = "namespace", "命名空间";
    ENTRIES = "entries", "条目";
    BYTES = "bytes", "字节";
    INLINE = "inline in _metadata", "内联在 _metadata 中";
    FILE = "file", "文件";
    COMPRESSED = "key groups compressed with Snappy", "键组用 Snappy 压缩";
    OPERATOR_STATE = "operator state", "算子状态";
    RAW_OPERATOR_STATE = "raw operator state", "原始算子状态";
    RAW_KEYED_STATE = "raw keyed state (not decoded)", "原始键控状态（未解码）";
    COORDINATOR_STATE = "coordinator state", "协调器状态";
    PARTITIONS = "partitions", "个分区";
    MASTER_STATES = "master states", "主节点状态";
    NO_STATE = "no state", "没有状态";
    MORE_ENTRIES = "more (--dump prints every entry)", "条未列出（--dump 会输出全部条目）";
    TIMER = "timer at", "定时器，时间";
    UNDECODED = "bytes not decoded, serializer", "字节未解码，序列化器";
    UNREADABLE = "its keyed state does not read", "它的键控状态无法读取";
}

/// The summary's word for a snapshot type label ([`SnapshotType::label`](crate::engine::savepoint::checkpoint_properties::SnapshotType::label)).
pub fn snapshot_type(label: &str, l: Lang) -> &'static str {
    l.t(match label {
        "canonical savepoint" => &CANONICAL_SAVEPOINT,
        "native savepoint" => &NATIVE_SAVEPOINT,
        "checkpoint" => &CHECKPOINT,
        _ => &UNKNOWN_TYPE,
    })
}

pub fn error(e: &SavepointError, l: Lang) -> String {
    if l == Lang::En {
        return e.to_string();
    }
    match e {
        SavepointError::NotFlinkMetadata => {
            zh_str!("这不是 Flink 检查点或保存点：它的 _metadata 不以 Flink 的魔数 0x4960672d 开头")
                .to_owned()
        }
        SavepointError::UnsupportedVersion(v) => {
            zh!(
                "Flink 元数据版本 {v}：StateLab 读取版本 3 到 6（Flink 1.13 到 2.x 写入的版本）",
                v
            )
        }
        SavepointError::Metadata { offset, problem } => zh!(
            "_metadata 文件在第 {offset} 字节处无法读取：{problem}",
            offset,
            problem = read_problem(problem)
        ),
        SavepointError::StateData {
            file,
            offset,
            problem,
        } => zh!(
            "状态文件 '{file}' 在第 {offset} 字节处无法读取：{problem}",
            file,
            offset,
            problem = read_problem(problem)
        ),
        SavepointError::MissingFile(file) => zh!("快照引用了状态文件 '{file}'，但它不存在", file),
        SavepointError::FileSize {
            file,
            expected,
            actual,
        } => zh!(
            "状态文件 '{file}' 有 {actual} 字节，元数据记为 {expected} 字节",
            file,
            actual,
            expected
        ),
        SavepointError::TooLarge(limit) => {
            zh!(
                "快照超出了 StateLab 能打开的大小：{limit}",
                limit = limit_zh(limit)
            )
        }
        SavepointError::Zip(z) => zh!("zip 压缩包无法读取：{problem}", problem = zip_zh(z)),
        SavepointError::NoMetadata => {
            zh_str!("没有 _metadata 文件（Flink 检查点或保存点的目录里都有一个）").to_owned()
        }
    }
}

/// Why a savepoint was not written ([`SavepointWriteError`]).
pub fn write_error(e: &SavepointWriteError, l: Lang) -> String {
    if l == Lang::En {
        return e.to_string();
    }
    match e {
        SavepointWriteError::EmptyUid => {
            zh_str!("算子的 uid 为空：Flink 要凭 uid 找到算子的状态（--uid UID）").to_owned()
        }
        SavepointWriteError::UidTooLong { bytes } => zh!(
            "算子的 uid 按 modified UTF-8 编码有 {bytes} 字节；Flink 的元数据最多容纳 65535 字节",
            bytes
        ),
        SavepointWriteError::Parallelism {
            parallelism,
            max_parallelism,
        } => zh!(
            "并行度 {parallelism}、最大并行度 {max_parallelism}：保存点要求 1 ≤ 并行度 ≤ 最大并行度 ≤ 32768",
            parallelism,
            max_parallelism
        ),
        SavepointWriteError::KeyType {
            key,
            found,
            expected,
        } => zh!(
            "键 {key} 是 {found}，但作业的键是 {expected}",
            key,
            found,
            expected
        ),
        SavepointWriteError::JobStatus(status) => zh!(
            "作业当前为 {status}：保存点保存的是运行中（或已结束）的作业的状态，不是失败或正在重启的作业的状态",
            status = job_status(*status)
        ),
        SavepointWriteError::Function { function } => zh!(
            "{function} 作业的状态暂时还不能写成 Flink 保存点：目前只有计数作业的可以",
            function
        ),
    }
}

/// `--savepoint-out DIR` names a directory that already holds files: nothing is overwritten.
pub fn out_dir_not_empty(dir: &str, l: Lang) -> String {
    tr!(
        l,
        "--savepoint-out {dir}: the directory is not empty; StateLab writes a savepoint only into a new or empty directory",
        "--savepoint-out {dir}：目录不是空的；StateLab 只把保存点写入新目录或空目录",
        dir
    )
}

/// What a count counts, in Chinese.
pub fn counted(c: Counted) -> &'static str {
    match c {
        Counted::MasterStates => zh_str!("主节点状态"),
        Counted::Operators => zh_str!("算子"),
        Counted::Subtasks => zh_str!("子任务状态"),
        Counted::KeyGroups => zh_str!("键组"),
        Counted::StateNames => zh_str!("算子状态名"),
        Counted::Offsets => zh_str!("偏移量"),
        Counted::States => zh_str!("注册的状态"),
        Counted::Options => zh_str!("选项"),
        Counted::Serializers => zh_str!("序列化器"),
        Counted::Entries => zh_str!("条目"),
        Counted::Elements => zh_str!("元素"),
        Counted::Fields => zh_str!("字段"),
        Counted::Bytes => zh_str!("字节"),
        Counted::CheckpointId => zh_str!("检查点 ID"),
    }
}

pub fn read_problem(p: &ReadProblem) -> String {
    match p {
        ReadProblem::CutShort => zh_str!("它在一个值的中间结束了").to_owned(),
        ReadProblem::BadText => zh_str!("有一段文本不是有效的（modified）UTF-8").to_owned(),
        ReadProblem::Negative { what, value } => zh!("{what}为负数：{value}", what = counted(*what), value),
        ReadProblem::CountBeyondBytes { what, count, left } => zh!(
            "{count} 个{what}不可能放进剩下的 {left} 字节",
            count,
            what = counted(*what),
            left
        ),
        ReadProblem::UnknownHandle(t) => zh!("未知的状态句柄类型 {t}", t),
        ReadProblem::UnsupportedHandle(t) => zh!(
            "StateLab 不读取状态句柄类型 {t}（增量、changelog 或文件合并的状态）；它读取 HashMap 状态后端的全量快照",
            t
        ),
        ReadProblem::ChannelState(n) => zh!("StateLab 不读取非对齐检查点的通道状态（{n} 个句柄）", n),
        ReadProblem::DuplicateSubtask(n) => zh!("同一个算子中子任务 {n} 的状态出现了两次", n),
        ReadProblem::BadMagic { expected, found } => zh!(
            "魔数是 {found}，应为 {expected}",
            found = format!("{found:#010x}"),
            expected = format!("{expected:#010x}")
        ),
        ReadProblem::ProxyVersion(v) => {
            zh!("KeyedBackendSerializationProxy 版本 {v}（Flink 2.x 与 StateLab 只读取版本 6）", v)
        }
        ReadProblem::SnapshotProxyVersion(v) => {
            zh!("序列化器快照由代理版本 {v} 写入（StateLab 读取版本 2）", v)
        }
        ReadProblem::StateType(t) => zh!("未知的后端状态类型 {t}", t),
        ReadProblem::UnknownSnapshot { class } => {
            zh!("StateLab 不认识序列化器快照 {class}，因此找不到它后面的内容", class)
        }
        ReadProblem::TooDeep(n) => zh!("序列化器嵌套超过 {n} 层", n),
        ReadProblem::KeyGroupOffset { key_group, offset } => {
            zh!("键组 {key_group} 的偏移 {offset} 在状态文件之外", key_group, offset)
        }
        ReadProblem::WrongKeyGroup { expected, found } => {
            zh!("应为键组 {expected}，却是键组 {found}", expected, found)
        }
        ReadProblem::UnknownStateId(id) => zh!("状态 ID {id}，但快照注册的状态没有这么多", id),
        ReadProblem::KeyGroupRange { start, count } => {
            zh!("键组范围从 {start} 开始，共 {count} 个键组", start, count)
        }
        ReadProblem::BytesLeft(n) => zh!("结尾之后还剩 {n} 个字节", n),
        ReadProblem::Snappy => zh_str!("一个 Snappy 压缩块无法解压").to_owned(),
        ReadProblem::KeySerializer { class } => {
            zh!("键控状态的键序列化器 StateLab 无法读取（{class}）", class)
        }
        ReadProblem::TooManyValues { max } => zh!("一个快照中的值超过 {max} 个（StateLab 的上限）", max),
    }
}

fn limit_zh(limit: &SavepointLimit) -> String {
    match limit {
        SavepointLimit::Metadata { bytes, max } => {
            zh!("_metadata 文件有 {bytes} 字节（最多 {max}）", bytes, max)
        }
        SavepointLimit::StateFile { bytes, max } => {
            zh!("状态文件有 {bytes} 字节（最多 {max}）", bytes, max)
        }
        SavepointLimit::Count { what, count, max } => zh!(
            "{count} 个{what}（最多 {max}）",
            count,
            what = counted(*what),
            max
        ),
        SavepointLimit::Entries { max } => zh!("键控条目超过 {max} 条", max),
        SavepointLimit::Files { max } => zh!("文件总计超过 {max} 字节", max),
    }
}

fn zip_zh(z: &ZipProblem) -> String {
    match z {
        ZipProblem::NoDirectory => {
            zh_str!("它没有中央目录结束记录（这是 zip 压缩包吗？）").to_owned()
        }
        ZipProblem::Directory => zh_str!("它的中央目录已损坏").to_owned(),
        ZipProblem::Method { name, method } => zh!(
            "条目 '{name}' 使用压缩方法 {method}（StateLab 读取存储和 deflate 压缩的条目）",
            name,
            method
        ),
        ZipProblem::Encrypted(name) => zh!("条目 '{name}' 已加密", name),
        ZipProblem::Inflate(name) => zh!("条目 '{name}' 无法解压", name),
        ZipProblem::Checksum(name) => zh!("条目 '{name}' 与其校验和不符", name),
    }
}

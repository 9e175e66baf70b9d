//! Real Flink snapshots (`statelab inspect DIR|ZIP`, and the page later): the summary's words and every reason
//! the reader gives for refusing a snapshot ([`SavepointError`]), in both languages; and why a savepoint for Flink
//! was not written (`statelab run --savepoint-out`, [`SavepointWriteError`]). Both languages of an error are
//! written here from the same values; its `Display` is the English (`english_display!`).

use crate::engine::savepoint::savepoint_error::{
    Counted, ReadProblem, SavepointError, SavepointLimit, ZipProblem,
};
use crate::engine::savepoint::savepoint_writer::SavepointWriteError;
use crate::engine::savepoint::zip_writer::ZipTooLarge;
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
    // What a count of the reader counts (`Counted`); "master states", "key groups", "entries" and "bytes" above.
    COUNTED_OPERATORS = "operators", "算子";
    COUNTED_SUBTASKS = "subtask states", "子任务状态";
    COUNTED_STATE_NAMES = "operator state names", "算子状态名";
    COUNTED_OFFSETS = "offsets", "偏移量";
    COUNTED_STATES = "registered states", "注册的状态";
    COUNTED_OPTIONS = "options", "选项";
    COUNTED_SERIALIZERS = "serializers", "序列化器";
    COUNTED_ELEMENTS = "elements", "元素";
    COUNTED_FIELDS = "fields", "字段";
    COUNTED_CHECKPOINT_ID = "checkpoint id", "检查点 ID";
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
    match e {
        SavepointError::NotFlinkMetadata => {
            tr!(
                l,
                "this is not a Flink checkpoint or savepoint: its _metadata does not start with Flink's magic number 0x4960672d",
                "这不是 Flink 检查点或保存点：它的 _metadata 不以 Flink 的魔数 0x4960672d 开头"
            )
        }
        SavepointError::UnsupportedVersion(v) => {
            tr!(
                l,
                "Flink metadata version {v}: StateLab reads versions 3 to 6 (what Flink 1.13 to 2.x write)",
                "Flink 元数据版本 {v}：StateLab 读取版本 3 到 6（Flink 1.13 到 2.x 写入的版本）",
                v
            )
        }
        SavepointError::Metadata { offset, problem } => tr!(
            l,
            "the _metadata file does not read at byte {offset}: {problem}",
            "_metadata 文件在第 {offset} 字节处无法读取：{problem}",
            offset,
            problem = read_problem(problem, l)
        ),
        SavepointError::StateData {
            file,
            offset,
            problem,
        } => tr!(
            l,
            "state file '{file}' does not read at byte {offset}: {problem}",
            "状态文件 '{file}' 在第 {offset} 字节处无法读取：{problem}",
            file,
            offset,
            problem = read_problem(problem, l)
        ),
        SavepointError::MissingFile(file) => tr!(
            l,
            "the snapshot refers to state file '{file}', which is not there",
            "快照引用了状态文件 '{file}'，但它不存在",
            file
        ),
        SavepointError::FileSize {
            file,
            expected,
            actual,
        } => tr!(
            l,
            "state file '{file}' has {actual} bytes, the metadata says {expected}",
            "状态文件 '{file}' 有 {actual} 字节，元数据记为 {expected} 字节",
            file,
            actual,
            expected
        ),
        SavepointError::TooLarge(limit) => {
            tr!(
                l,
                "the snapshot is larger than StateLab opens: {limit}",
                "快照超出了 StateLab 能打开的大小：{limit}",
                limit = savepoint_limit(limit, l)
            )
        }
        SavepointError::Zip(z) => tr!(
            l,
            "the zip archive does not read: {problem}",
            "zip 压缩包无法读取：{problem}",
            problem = zip_problem(z, l)
        ),
        SavepointError::NoMetadata => {
            tr!(
                l,
                "there is no _metadata file (a Flink checkpoint or savepoint directory has one)",
                "没有 _metadata 文件（Flink 检查点或保存点的目录里都有一个）"
            )
        }
    }
}

/// Why a savepoint was not written ([`SavepointWriteError`]).
pub fn write_error(e: &SavepointWriteError, l: Lang) -> String {
    match e {
        SavepointWriteError::EmptyUid => {
            tr!(
                l,
                "the operator's uid is empty: Flink needs a uid to find the operator's state (--uid UID)",
                "算子的 uid 为空：Flink 要凭 uid 找到算子的状态（--uid UID）"
            )
        }
        SavepointWriteError::UidTooLong { bytes } => tr!(
            l,
            "the operator's uid is {bytes} bytes long in modified UTF-8; Flink's metadata holds at most 65535",
            "算子的 uid 按 modified UTF-8 编码有 {bytes} 字节；Flink 的元数据最多容纳 65535 字节",
            bytes
        ),
        SavepointWriteError::Parallelism {
            parallelism,
            max_parallelism,
        } => tr!(
            l,
            "parallelism {parallelism} with maximum parallelism {max_parallelism}: a savepoint needs 1 ≤ parallelism \
         ≤ maximum parallelism ≤ 32768",
            "并行度 {parallelism}、最大并行度 {max_parallelism}：保存点要求 1 ≤ 并行度 ≤ 最大并行度 ≤ 32768",
            parallelism,
            max_parallelism
        ),
        SavepointWriteError::KeyType {
            key,
            found,
            expected,
        } => tr!(
            l,
            "key {key} is a {found}, but the job's keys are {expected}s",
            "键 {key} 是 {found}，但作业的键是 {expected}",
            key,
            found,
            expected
        ),
        // The English names the status as the engine's `Debug` does (`Failed`), the Chinese as Flink does.
        SavepointWriteError::JobStatus(status) => match l {
            Lang::En => format!(
                "the job is {status:?}: a savepoint holds the state of a running (or finished) job, not of a failed or \
                 restarting one"
            ),
            Lang::Zh => zh!(
                "作业当前为 {status}：保存点保存的是运行中（或已结束）的作业的状态，不是失败或正在重启的作业的状态",
                status = job_status(*status)
            ),
        },
        SavepointWriteError::Function { function } => tr!(
            l,
            "the {function} job's state is not written as a Flink savepoint yet: only the counter job's is",
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

/// Why a zip archive was not written.
pub fn zip_too_large(_: &ZipTooLarge, l: Lang) -> String {
    tr!(
        l,
        "the archive would exceed the zip format's limits (4 GiB, 65,535 files) without Zip64",
        "不用 Zip64 的话，压缩包会超出 zip 格式的上限（4 GiB、65,535 个文件）"
    )
}

/// What a count counts.
pub fn counted(c: &Counted, l: Lang) -> &'static str {
    l.t(match c {
        Counted::MasterStates => &MASTER_STATES,
        Counted::Operators => &COUNTED_OPERATORS,
        Counted::Subtasks => &COUNTED_SUBTASKS,
        Counted::KeyGroups => &KEY_GROUPS,
        Counted::StateNames => &COUNTED_STATE_NAMES,
        Counted::Offsets => &COUNTED_OFFSETS,
        Counted::States => &COUNTED_STATES,
        Counted::Options => &COUNTED_OPTIONS,
        Counted::Serializers => &COUNTED_SERIALIZERS,
        Counted::Entries => &ENTRIES,
        Counted::Elements => &COUNTED_ELEMENTS,
        Counted::Fields => &COUNTED_FIELDS,
        Counted::Bytes => &BYTES,
        Counted::CheckpointId => &COUNTED_CHECKPOINT_ID,
    })
}

pub fn read_problem(p: &ReadProblem, l: Lang) -> String {
    match p {
        ReadProblem::CutShort => tr!(
            l,
            "it ends in the middle of a value",
            "它在一个值的中间结束了"
        ),
        ReadProblem::BadText => tr!(
            l,
            "a text is not valid (modified) UTF-8",
            "有一段文本不是有效的（modified）UTF-8"
        ),
        ReadProblem::Negative { what, value } => tr!(
            l,
            "a negative {what}: {value}",
            "{what}为负数：{value}",
            what = counted(what, l),
            value
        ),
        ReadProblem::CountBeyondBytes { what, count, left } => tr!(
            l,
            "{count} {what} cannot fit in the {left} bytes left",
            "{count} 个{what}不可能放进剩下的 {left} 字节",
            count,
            what = counted(what, l),
            left
        ),
        ReadProblem::UnknownHandle(t) => tr!(
            l,
            "unknown state handle type {t}",
            "未知的状态句柄类型 {t}",
            t
        ),
        ReadProblem::UnsupportedHandle(t) => tr!(
            l,
            "state handle type {t} (incremental, changelog or file-merging state) is not read by StateLab, which reads \
         full snapshots of the HashMap state backend",
            "StateLab 不读取状态句柄类型 {t}（增量、changelog 或文件合并的状态）；它读取 HashMap 状态后端的全量快照",
            t
        ),
        ReadProblem::ChannelState(n) => tr!(
            l,
            "channel state of an unaligned checkpoint ({n} handles) is not read by StateLab",
            "StateLab 不读取非对齐检查点的通道状态（{n} 个句柄）",
            n
        ),
        ReadProblem::DuplicateSubtask(n) => tr!(
            l,
            "subtask {n}'s state appears twice in one operator",
            "同一个算子中子任务 {n} 的状态出现了两次",
            n
        ),
        ReadProblem::BadMagic { expected, found } => tr!(
            l,
            "magic number {found} where {expected} belongs",
            "魔数是 {found}，应为 {expected}",
            found = format!("{found:#010x}"),
            expected = format!("{expected:#010x}")
        ),
        ReadProblem::ProxyVersion(v) => {
            tr!(
                l,
                "KeyedBackendSerializationProxy version {v} (Flink 2.x, and StateLab, read version 6)",
                "KeyedBackendSerializationProxy 版本 {v}（Flink 2.x 与 StateLab 只读取版本 6）",
                v
            )
        }
        ReadProblem::SnapshotProxyVersion(v) => {
            tr!(
                l,
                "serializer snapshot written by proxy version {v} (StateLab reads 2)",
                "序列化器快照由代理版本 {v} 写入（StateLab 读取版本 2）",
                v
            )
        }
        ReadProblem::StateType(t) => tr!(
            l,
            "unknown backend state type {t}",
            "未知的后端状态类型 {t}",
            t
        ),
        ReadProblem::UnknownSnapshot { class } => {
            tr!(
                l,
                "the serializer snapshot {class} is unknown to StateLab, so what follows it cannot be found",
                "StateLab 不认识序列化器快照 {class}，因此找不到它后面的内容",
                class
            )
        }
        ReadProblem::TooDeep(n) => tr!(
            l,
            "serializers nested more than {n} deep",
            "序列化器嵌套超过 {n} 层",
            n
        ),
        ReadProblem::KeyGroupOffset { key_group, offset } => {
            tr!(
                l,
                "key group {key_group} at offset {offset}, outside the state file",
                "键组 {key_group} 的偏移 {offset} 在状态文件之外",
                key_group,
                offset
            )
        }
        ReadProblem::WrongKeyGroup { expected, found } => {
            tr!(
                l,
                "key group {found} where key group {expected} belongs",
                "应为键组 {expected}，却是键组 {found}",
                expected,
                found
            )
        }
        ReadProblem::UnknownStateId(id) => tr!(
            l,
            "state id {id}, but the snapshot registers fewer states",
            "状态 ID {id}，但快照注册的状态没有这么多",
            id
        ),
        ReadProblem::KeyGroupRange { start, count } => {
            tr!(
                l,
                "key group range from {start} with {count} key groups",
                "键组范围从 {start} 开始，共 {count} 个键组",
                start,
                count
            )
        }
        ReadProblem::BytesLeft(n) => tr!(
            l,
            "{n} bytes are left after its end",
            "结尾之后还剩 {n} 个字节",
            n
        ),
        ReadProblem::Snappy => tr!(
            l,
            "a Snappy-compressed block does not decompress",
            "一个 Snappy 压缩块无法解压"
        ),
        ReadProblem::KeySerializer { class } => {
            tr!(
                l,
                "keyed state without a key serializer that StateLab can read ({class})",
                "键控状态的键序列化器 StateLab 无法读取（{class}）",
                class
            )
        }
        ReadProblem::TooManyValues { max } => tr!(
            l,
            "more than {max} values in one snapshot (StateLab's limit)",
            "一个快照中的值超过 {max} 个（StateLab 的上限）",
            max
        ),
    }
}

pub fn savepoint_limit(limit: &SavepointLimit, l: Lang) -> String {
    match limit {
        SavepointLimit::Metadata { bytes, max } => {
            tr!(
                l,
                "a _metadata file of {bytes} bytes (at most {max})",
                "_metadata 文件有 {bytes} 字节（最多 {max}）",
                bytes,
                max
            )
        }
        SavepointLimit::StateFile { bytes, max } => {
            tr!(
                l,
                "a state file of {bytes} bytes (at most {max})",
                "状态文件有 {bytes} 字节（最多 {max}）",
                bytes,
                max
            )
        }
        SavepointLimit::Count { what, count, max } => tr!(
            l,
            "{count} {what} (at most {max})",
            "{count} 个{what}（最多 {max}）",
            count,
            what = counted(what, l),
            max
        ),
        SavepointLimit::Entries { max } => tr!(
            l,
            "more than {max} keyed entries",
            "键控条目超过 {max} 条",
            max
        ),
        SavepointLimit::Files { max } => tr!(
            l,
            "more than {max} bytes of files",
            "文件总计超过 {max} 字节",
            max
        ),
    }
}

pub fn zip_problem(z: &ZipProblem, l: Lang) -> String {
    match z {
        ZipProblem::NoDirectory => {
            tr!(
                l,
                "it has no end-of-central-directory record (is it a zip archive?)",
                "它没有中央目录结束记录（这是 zip 压缩包吗？）"
            )
        }
        ZipProblem::Directory => tr!(
            l,
            "its central directory is damaged",
            "它的中央目录已损坏"
        ),
        ZipProblem::Method { name, method } => tr!(
            l,
            "entry '{name}' uses compression method {method} (StateLab reads stored and deflated entries)",
            "条目 '{name}' 使用压缩方法 {method}（StateLab 读取存储和 deflate 压缩的条目）",
            name,
            method
        ),
        ZipProblem::Encrypted(name) => tr!(
            l,
            "entry '{name}' is encrypted",
            "条目 '{name}' 已加密",
            name
        ),
        ZipProblem::Inflate(name) => tr!(
            l,
            "entry '{name}' does not decompress",
            "条目 '{name}' 无法解压",
            name
        ),
        ZipProblem::Checksum(name) => tr!(
            l,
            "entry '{name}' does not match its checksum",
            "条目 '{name}' 与其校验和不符",
            name
        ),
    }
}

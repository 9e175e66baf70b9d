//! The settings drawer: the job's configuration as a form, and what is wrong with it.

use crate::i18n::Lang;

messages! {
    LABEL = "settings", "设置";
    TITLE = "Settings", "设置";
    APPLY = "Apply and restart the job", "应用并重启作业";

    // Sections.
    JOB = "Job", "作业";
    SOURCE = "Source", "源";
    NETWORK = "Network and tasks", "网络与任务";
    CHECKPOINTING = "Checkpointing", "检查点";
    RESTART = "Restart strategy", "重启策略";
    MEMORY = "TaskManagers and memory", "TaskManager 与内存";
    FAILURES = "Failures", "故障";

    // Fields (also the names the validation messages use).
    FUNCTION = "keyed function (the state it keeps)", "键控函数（其保存的状态）";
    PARALLELISM = "parallelism", "并行度";
    MAX_PARALLELISM = "maxParallelism", "maxParallelism";
    SEED = "seed", "随机种子";
    RATE_LABEL = "events per second (simulated)", "每秒事件数（模拟时间）";
    RATE = "rate", "速率";
    KEYS = "number of keys", "键的数量";
    DISTRIBUTION = "distribution", "分布";
    ZIPF_EXPONENT = "Zipf exponent", "Zipf 指数";
    HOT_KEY_LABEL = "hot key (number)", "热点键（序号）";
    HOT_KEY = "hot key", "热点键";
    HOT_SHARE_LABEL = "hot key share (0–1)", "热点键占比（0–1）";
    HOT_SHARE = "hot key share", "热点键占比";
    KEY_TYPE = "key type", "键类型";
    KEY_PREFIX = "key prefix (String keys)", "键前缀（String 类型的键）";
    ZERO_PAD_LABEL = "zero padding digits", "补零位数";
    ZERO_PAD = "zero padding", "补零位数";
    SOURCE_PARALLELISM = "source parallelism", "源的并行度";
    MAX_EVENTS = "stop after events", "事件数上限";
    LATENCY_LABEL = "network latency (µs)", "网络延迟 (µs)";
    LATENCY = "network latency", "网络延迟";
    PROCESSING_LABEL = "processing time per record (ns)", "每条记录的处理时间 (ns)";
    PROCESSING = "processing time", "处理时间";
    CAPACITY_LABEL = "channel capacity (records)", "通道容量（记录数）";
    CAPACITY = "channel capacity", "通道容量";
    INTERVAL_LABEL = "interval (ms)", "间隔 (ms)";
    INTERVAL = "checkpoint interval", "检查点间隔";
    MODE = "mode", "模式";
    RETAINED = "retained checkpoints", "保留的检查点数";
    TIMEOUT = "checkpoint timeout", "检查点超时";
    TIMEOUT_LABEL = "timeout (ms)", "超时 (ms)";
    TOLERABLE = "tolerable failed checkpoints", "可容忍的连续失败检查点数";
    WRITE_SPEED_LABEL = "write speed (bytes/s)", "写入速度（字节/秒）";
    WRITE_SPEED = "checkpoint write speed", "检查点写入速度";
    RESTART_TYPE = "restart-strategy.type", "restart-strategy.type";
    ATTEMPTS_LABEL = "attempts", "尝试次数";
    ATTEMPTS = "restart attempts", "重启尝试次数";
    DELAY_LABEL = "delay / initial backoff (ms)", "延迟 / 初始退避 (ms)";
    DELAY = "restart delay", "重启延迟";
    EXECUTION = "where the job runs", "作业在哪里运行";
    TASK_SLOTS_LABEL = "taskmanager.numberOfTaskSlots", "taskmanager.numberOfTaskSlots";
    TASK_SLOTS = "task slots", "任务槽数";
    XMX = "-Xmx", "-Xmx";
    PROCESS_SIZE = "process.size", "process.size";
    MANAGED_SIZE = "managed.size", "managed.size";
    OTHER_HEAP_LABEL = "other heap in use", "其他已用堆";
    OTHER_HEAP = "other heap", "其他堆";
    FAIL_EVENT_LABEL = "fail when processing event #", "处理事件 # 时失败";
    FAIL_EVENT = "fail at event", "失败的事件序号";
    FAIL_TIME_LABEL = "fail at time (ms)", "失败的时间 (ms)";
    FAIL_TIME = "fail at time", "失败的时间";

    // Hints under the fields.
    HINT_MAX_PARALLELISM = "empty: derived from the parallelism (128)", "留空：由并行度推导（128）";
    HINT_RATE = "0: only keys typed by hand", "0：只有手动输入的键";
    HINT_ZERO_PAD = "6 makes user-000042", "6 会生成 user-000042";
    HINT_SOURCE_PARALLELISM = "2 or more: barriers must align", "2 或更多：屏障需要对齐";
    HINT_MAX_EVENTS = "empty: unbounded", "留空：无界";
    HINT_CAPACITY = "full channels backpressure the source", "通道满时对源形成反压";
    HINT_INTERVAL = "empty: only on demand", "留空：只在手动触发时";
    HINT_TOLERABLE = "0 (Flink's default): the first expired checkpoint fails the job", "0（Flink 的默认值）：第一个过期的检查点就会让作业失败";
    HINT_WRITE_SPEED = "slower: a longer async phase, more copy-on-write", "越慢：异步阶段越长，写时复制越多";
    HINT_XMX = "e.g. 64m: the one JVM every subtask runs in", "例如 64m：所有子任务共用的那一个 JVM";
    HINT_TASK_SLOTS = "slots per TaskManager (1: every subtask index gets a TaskManager JVM and heap of its own)",
        "每个 TaskManager 的任务槽数（1：每个子任务序号各有一个自己的 TaskManager JVM 和堆）";
    HINT_PROCESS_SIZE = "e.g. 1728m, 4g", "例如 1728m、4g";
    HINT_MANAGED_SIZE = "empty: 0.4 of Flink memory; 0 for the heap backend", "留空：Flink 总内存的 0.4；堆状态后端应设为 0";
    HINT_OTHER_HEAP = "framework and user objects (an assumption)", "框架和用户对象（估计值）";

    // Options.
    UNIFORM = "uniform", "均匀";
    ZIPF = "Zipf (skewed)", "Zipf（偏斜）";
    ONE_HOT_KEY = "one hot key", "一个热点键";
    SEQUENTIAL = "every key in turn", "依次轮流每个键";
    EXACTLY_ONCE = "EXACTLY_ONCE (aligned barriers)", "EXACTLY_ONCE（屏障对齐）";
    AT_LEAST_ONCE = "AT_LEAST_ONCE (no alignment)", "AT_LEAST_ONCE（不对齐）";
    CLUSTER = "cluster: TaskManagers of taskmanager.memory.process.size, each its own JVM",
        "集群：按 taskmanager.memory.process.size 启动的 TaskManager，各自一个 JVM";
    LOCAL = "local: LocalStreamEnvironment (MiniCluster), one JVM of -Xmx",
        "本地：LocalStreamEnvironment（MiniCluster），一个 -Xmx 的 JVM";

    KEY_TYPE_CHOICE = "key type: choose String, Integer or Long", "键类型：请选择 String、Integer 或 Long";
}

/// `number of keys: 'lots' is not a valid number`.
pub fn not_a_number(l: Lang, field: &str, text: &str) -> String {
    tr!(
        l,
        "{field}: '{text}' is not a valid number",
        "{field}：'{text}' 不是有效的数字",
        field,
        text,
    )
}

/// A field and what is wrong with it: `process.size: …`.
pub fn field_problem(l: Lang, field: &str, problem: &str) -> String {
    tr!(
        l,
        "{field}: {problem}",
        "{field}：{problem}",
        field,
        problem,
    )
}

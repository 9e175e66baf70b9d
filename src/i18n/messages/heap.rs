//! The TaskManager's memory and the JVM heap: the memory layout, the heap gauge and chart, `OutOfMemoryError`.

use crate::engine::checkpoint::decimal::{Fixed, Shortest};
use crate::engine::cluster::slot_sharing_group::SlotSharingGroup;
use crate::engine::memory::heap_capacity::CapacityError;
use crate::engine::memory::task_executor_memory::ExecutionMode;
use crate::i18n::Lang;

messages! {
    LABEL = "JVM heap", "JVM 堆";
    TITLE = "TaskManager memory · JVM heap", "TaskManager 内存 · JVM 堆";
    HINT = "heap state lives on the JVM heap, object by object", "堆状态以一个个对象的形式存放在 JVM 堆上";
    SEG_OTHER = "other (framework, runtime)", "其他（框架、运行时）";
    SEG_ENTRIES = "entries (StateMapEntry 40 B)", "条目（StateMapEntry 40 B）";
    SEG_KEYS = "keys (String + byte[])", "键（String + byte[]）";
    SEG_VALUES = "boxed values (Long 24 B)", "装箱的值（Long 24 B）";
    SEG_OBJECTS = "state objects (ArrayList, HashMap, Tuple2, TtlValue, KeyStats and their Longs)", "状态对象（ArrayList、HashMap、Tuple2、TtlValue、KeyStats 及其中的 Long）";
    SEG_TIMERS = "timers (TimerHeapInternalTimer 32 B, HeapPriorityQueueSet)", "计时器（TimerHeapInternalTimer 32 B、HeapPriorityQueueSet）";
    SEG_TABLES = "bucket arrays", "桶数组";
    SEG_SNAPSHOT = "snapshot arrays", "快照数组";
    SEG_COW = "kept by copy-on-write", "写时复制保留的对象";
    NO_RESTART = "no restart strategy", "没有重启策略";
    SET_MANAGED_ZERO = "Set managed.size = 0 and restart", "设置 managed.size = 0 并重启";
    /// After `java.lang.OutOfMemoryError: Java heap space` when the restart strategy gave up.
    OOM_GAVE_UP = " — the restart strategy gave up; the job FAILED. More heap (or managed memory 0), fewer keys, or the state spread over more TaskManagers (more parallelism, fewer slots each).",
        " — 重启策略已放弃，作业失败（FAILED）。可以加大堆（或把托管内存设为 0）、减少键的数量，或者把状态分散到更多 TaskManager 上（提高并行度，或减少每个 TaskManager 的任务槽）。";
    OOM_EARLIER = "The task ran out of heap earlier and was restored from a checkpoint; state grows back as keys return.",
        "任务之前耗尽了堆，已从检查点恢复；随着键再次出现，状态会重新增长。";
    /// Before the restart strategy's description (which is not translated: `fixed-delay: …`).
    OOM_RESTARTING = " — the task failed; the restart strategy (", " — 任务失败；重启策略（";
    CHART_LABEL = "heap used over simulated time", "随模拟时间变化的已用堆";
    CHART_LEGEND = "used heap of each TaskManager (its gauge's colour) · limit (dashed)", "每个 TaskManager 的已用堆（颜色同其仪表）· 上限（虚线）";
    /// Marks the TaskManager whose heap is closest to its limit.
    FULLEST = "fullest", "最满";
    MARK_OOM = "OOM", "OOM";
    MARK_FAIL = "fail", "故障";
    MARK_RESTORE = "restore", "恢复";
    /// Before the answer: `How many keys fit? ≈ 4,893,157 keys …`.
    HOW_MANY_KEYS = "How many keys fit?", "能放下多少个键？";
    ALL_KEYS_FIT = "every key the job's key format can spell", "作业的键格式能拼出的所有键";
    /// Labels the String keys' prefix in "how many keys fit?": longer keys take more heap.
    KEY_PREFIX = "key prefix", "键前缀";
    /// Labels the checkbox for counts above the `Long.valueOf` cache.
    LARGE_COUNTS = "counts above 127 (a Long object each)", "计数大于 127（每个键一个 Long 对象）";
}

/// The answer: `≈ 4,893,157 keys`.
pub fn keys_fit(l: Lang, keys: &str) -> String {
    tr!(l, "≈ {keys} keys", "约 {keys} 个键", keys)
}

/// `1 slot`, `2 slots`.
fn count_of(n: u32, one: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {one}s")
    }
}

/// After the answer in a cluster: the TaskManagers, their heap, the key that fails and where.
pub fn keys_fit_detail(
    l: Lang,
    task_managers: u32,
    per_task_manager: u32,
    heap: &str,
    failing: &str,
    task_manager: u32,
) -> String {
    match l {
        Lang::En => format!(
            " — {} with {heap} of heap (-Xmx) each, {} per TaskManager; key {failing} fails with \
             OutOfMemoryError in TaskManager {task_manager} (estimated from the expected heap of N keys, within ~0.3 %)",
            count_of(task_managers, "TaskManager"),
            count_of(per_task_manager, "keyed subtask")
        ),
        Lang::Zh => zh!(" — {task_managers} 个 TaskManager，每个 {heap} 堆（-Xmx），每个 TaskManager {per_task_manager} 个键控子任务；\
             第 {failing} 个键在 TaskManager {task_manager} 中触发 OutOfMemoryError（按 N 个键的期望堆估算，误差约 0.3 % 以内）", task_managers, heap, per_task_manager, failing, task_manager),
    }
}

/// After the answer in local execution: every subtask in the one JVM.
pub fn keys_fit_detail_local(l: Lang, subtasks: u32, heap: &str, failing: &str) -> String {
    match l {
        Lang::En => format!(
            " — local execution: {} in one JVM with {heap} of heap (-Xmx); key {failing} fails with \
             OutOfMemoryError (estimated from the expected heap of N keys, within ~0.3 %)",
            count_of(subtasks, "keyed subtask")
        ),
        Lang::Zh => zh!(" — 本地执行：{subtasks} 个键控子任务都在同一个 JVM 中，堆 {heap}（-Xmx）；第 {failing} 个键触发 \
             OutOfMemoryError（按 N 个键的期望堆估算，误差约 0.3 % 以内）", subtasks, heap, failing),
    }
}

/// Which assumption the panel makes: how many TaskManagers, how many slots, how many JVMs.
pub fn assumption(l: Lang, g: &SlotSharingGroup) -> String {
    let (tms, per, slots) = (g.task_managers, g.slots_per_task_manager, g.slots);
    match (l, g.mode) {
        (Lang::En, ExecutionMode::Cluster) => format!(
            "Cluster: {} × {} (taskmanager.numberOfTaskSlots: {per}) for the job's {} — slot sharing puts subtask i \
             of every operator into slot i. Each TaskManager is a JVM of its own: its heap holds only its subtasks' \
             state, and an OutOfMemoryError fails the task in the TaskManager whose heap ran out.",
            count_of(tms, "TaskManager"),
            count_of(per, "slot"),
            count_of(slots, "slot")
        ),
        (Lang::Zh, ExecutionMode::Cluster) => zh!("集群：{tms} 个 TaskManager × 每个 {per} 个任务槽（taskmanager.numberOfTaskSlots: {per}），承载作业的 {slots} 个任务槽——\
             槽共享把每个算子的第 i 个子任务放进第 i 个槽。每个 TaskManager 都是独立的 JVM：它的堆只存放它自己的子任务的状态，\
             OutOfMemoryError 会让堆耗尽的那个 TaskManager 中的任务失败。", tms, per, slots),
        (Lang::En, ExecutionMode::Local) => format!(
            "Local execution (LocalStreamEnvironment, the MiniCluster an IDE run starts): one TaskManager with {} in \
             one JVM — every subtask's state shares one heap, the JVM's -Xmx.",
            count_of(slots, "slot")
        ),
        (Lang::Zh, ExecutionMode::Local) => zh!("本地执行（LocalStreamEnvironment，即在 IDE 中运行时启动的 MiniCluster）：一个 TaskManager、{slots} 个任务槽，\
             都在同一个 JVM 中——所有子任务的状态共用一个堆，即这个 JVM 的 -Xmx。", slots),
    }
}

/// What a TaskManager's slots hold: `subtask 1`, `subtasks 0–1`, or only source subtasks.
pub fn task_manager_holds(l: Lang, subtasks: std::ops::Range<usize>) -> String {
    let (first, last) = (subtasks.start, subtasks.end.saturating_sub(1));
    match (l, subtasks.len()) {
        (Lang::En, 0) => "sources only, no keyed state".to_owned(),
        (Lang::Zh, 0) => zh_str!("只有源，没有键控状态").to_owned(),
        (Lang::En, 1) => format!("subtask {first}"),
        (Lang::Zh, 1) => zh!("子任务 {first}", first),
        (Lang::En, _) => format!("subtasks {first}–{last}"),
        (Lang::Zh, _) => zh!("子任务 {first}–{last}", first, last),
    }
}

/// After `java.lang.OutOfMemoryError: Java heap space`: where.
pub fn oom_in(l: Lang, task_manager: u32) -> String {
    tr!(
        l,
        " in TaskManager {task_manager}",
        "（TaskManager {task_manager}）",
        task_manager,
    )
}

/// Why "how many keys fit?" has no answer.
pub fn capacity_error(l: Lang, e: &CapacityError) -> String {
    match e {
        CapacityError::KeyGroups(e) => super::errors::key_groups(e, l),
        CapacityError::NoSubtasksPerTaskManager | CapacityError::Growth(_) => match l {
            Lang::En => e.to_string(),
            Lang::Zh => zh_str!("无法计算能放下多少个键").to_owned(),
        },
    }
}

/// A memory component of the TaskManager (as the engine names it, after Flink's documentation), in full.
pub fn component(l: Lang, name: &'static str) -> &'static str {
    if l == Lang::En {
        return name;
    }
    match name {
        "Framework Heap Memory" => zh_str!("框架堆内存"),
        "Task Heap Memory" => zh_str!("任务堆内存"),
        "Managed Memory" => zh_str!("托管内存"),
        "Framework Off-Heap Memory" => zh_str!("框架堆外内存"),
        "Task Off-Heap Memory" => zh_str!("任务堆外内存"),
        "Network Memory" => zh_str!("网络内存"),
        "JVM Metaspace" => zh_str!("JVM 元空间"),
        "JVM Overhead" => zh_str!("JVM 开销"),
        "JVM Heap" => zh_str!("JVM 堆"),
        other => other,
    }
}

/// The same, shortened for the layout bar: `Task Heap`, `任务堆`.
pub fn component_short(l: Lang, name: &'static str) -> &'static str {
    match l {
        Lang::En => crate::i18n::trim_end(name, " Memory"),
        Lang::Zh => crate::i18n::trim_end(component(l, name), zh_str!("内存")),
    }
}

/// A memory component's tooltip: `Task Heap Memory: 384 MiB (taskmanager.memory.task.heap.size)`.
pub fn component_title(l: Lang, name: &str, size: &str, key: &str) -> String {
    tr!(
        l,
        "{name}: {size} ({key})",
        "{name}：{size}（{key}）",
        name,
        size,
        key,
    )
}

pub fn cluster_caption(l: Lang, process: &str, heap: &str) -> String {
    tr!(
    l,
    "every TaskManager: taskmanager.memory.process.size = {process} → JVM heap (-Xmx) = framework heap + task heap = {heap}",
    "每个 TaskManager：taskmanager.memory.process.size = {process} → JVM 堆 (-Xmx) = 框架堆 + 任务堆 = {heap}",
    process,
    heap,
)
}

pub fn local_caption(l: Lang, heap: &str) -> String {
    tr!(
    l,
    "local execution: the one JVM's -Xmx = {heap}; Flink reserves managed and network memory off-heap",
    "本地执行：那一个 JVM 的 -Xmx = {heap}；Flink 在堆外预留托管内存和网络内存",
    heap,
)
}

pub fn managed_tip(l: Lang, managed: &str, without: &str, now: &str) -> String {
    tr!(
    l,
    "Managed memory ({managed}) is reserved off-heap for RocksDB, batch operators and Python; HashMapStateBackend never uses it. \
             With taskmanager.memory.managed.size: 0 the JVM heap would be {without} instead of {now}.",
    "托管内存（{managed}）在堆外预留给 RocksDB、批处理算子和 PyFlink 使用；HashMapStateBackend 从不使用它。\
             设置 taskmanager.memory.managed.size: 0 后，JVM 堆将是 {without}，而不是 {now}。",
    managed,
    without,
    now,
)
}

/// A restart strategy's parameters, after its name (`fixed-delay`, which stays as Flink spells it).
pub fn fixed_delay(l: Lang, attempts: u32, delay_ms: u64) -> String {
    tr!(
        l,
        ": {attempts} attempts, {delay_ms} ms apart",
        "：{attempts} 次尝试，间隔 {delay_ms} ms",
        attempts,
        delay_ms,
    )
}

pub fn failure_rate(l: Lang, failures: u32, interval_ms: u64, delay_ms: u64) -> String {
    match l {
        Lang::En => {
            format!(": at most {failures} failures per {interval_ms} ms, {delay_ms} ms delay")
        }
        Lang::Zh => zh!(
            "：每 {interval_ms} ms 最多 {failures} 次失败，延迟 {delay_ms} ms",
            interval_ms,
            failures,
            delay_ms
        ),
    }
}

pub fn exponential_delay(l: Lang, initial_ms: u64, multiplier: f64, max_ms: u64) -> String {
    match l {
        Lang::En => format!(
            ": {initial_ms} ms × {} up to {max_ms} ms",
            Shortest(multiplier)
        ),
        Lang::Zh => zh!(
            "：{initial_ms} ms × {multiplier}，最多 {max_ms} ms",
            initial_ms,
            multiplier = Shortest(multiplier),
            max_ms
        ),
    }
}

/// After the restart strategy, when the task failed with `OutOfMemoryError`: `) restarts it in 1.500 s,
/// restoring the latest checkpoint (4).`
pub fn oom_restart(l: Lang, wait: &str, checkpoint: Option<u64>) -> String {
    match (l, checkpoint) {
        (Lang::En, Some(id)) => {
            format!(") restarts it in {wait}, restoring the latest checkpoint ({id}).")
        }
        (Lang::En, None) => format!(
            ") restarts it in {wait}, restoring the latest checkpoint (none yet: from scratch)."
        ),
        (Lang::Zh, Some(id)) => zh!(
            "）将在 {wait} 后重启它，并恢复最近的检查点（{id}）。",
            wait,
            id
        ),
        (Lang::Zh, None) => {
            zh!(
                "）将在 {wait} 后重启它，并恢复最近的检查点（还没有检查点：从零状态开始）。",
                wait
            )
        }
    }
}

pub fn gauge_used(l: Lang, used: &str, limit: &str) -> String {
    tr!(
        l,
        "{used} of {limit} used",
        "已用 {used}，共 {limit}",
        used,
        limit,
    )
}

pub fn gauge_details(l: Lang, percent: f64, state: &str, per_key: f64, peak: &str) -> String {
    match l {
        Lang::En => format!(
            " ({} %) · keyed state {state} · {} B per key · peak {peak}",
            Fixed(percent, 1),
            Fixed(per_key, 1)
        ),
        Lang::Zh => {
            zh!(
                "（{percent} %）· 键控状态 {state} · 每个键 {per_key} B · 峰值 {peak}",
                percent = Fixed(percent, 1),
                state,
                per_key = Fixed(per_key, 1),
                peak
            )
        }
    }
}

/// A heap segment's tooltip: `bucket arrays: 12.0 KiB`.
pub fn segment_title(l: Lang, label: &str, bytes: &str) -> String {
    tr!(l, "{label}: {bytes}", "{label}：{bytes}", label, bytes)
}

//! The glossary: Flink terms explained in a sentence, with the lesson that shows each.

messages! {
    TITLE = "Glossary", "术语表";
    OPEN_LESSON = "Show me in a lesson", "在课程中查看";

    VALUE_STATE = "ValueState", "ValueState";
    VALUE_STATE_DEF = "Keyed state holding one value per key: value() reads the current key's value, update() replaces it.",
        "每个键保存一个值的键控状态：value() 读取当前键的值，update() 替换它。";
    KEYED_STATE = "keyed state", "键控状态";
    KEYED_STATE_DEF = "State scoped to the key of the record being processed; Flink sets the current key before calling processElement.",
        "作用域为当前处理记录之键的状态；Flink 在调用 processElement 之前设置当前键。";
    KEY_GROUP = "key group", "键组";
    KEY_GROUP_DEF = "The unit Flink distributes keyed state in: murmurHash(key.hashCode()) % maxParallelism. A key's key group never changes.",
        "Flink 分配键控状态的单位：murmurHash(key.hashCode()) % maxParallelism。一个键的键组永远不变。";
    MAX_PARALLELISM = "maxParallelism", "maxParallelism";
    MAX_PARALLELISM_DEF = "The number of key groups, and so the highest parallelism a stateful job can be rescaled to; fixed once the job has state.",
        "键组的数量，也就是有状态作业能扩容到的最高并行度；作业一旦有状态就固定不变。";
    KEY_GROUP_RANGE = "KeyGroupRange", "KeyGroupRange";
    KEY_GROUP_RANGE_DEF = "The contiguous key groups one subtask owns: computeKeyGroupRangeForOperatorIndex(maxParallelism, parallelism, index).",
        "一个子任务拥有的连续键组：computeKeyGroupRangeForOperatorIndex(maxParallelism, parallelism, index)。";
    SUBTASK = "subtask", "子任务";
    JOB_GRAPH = "job graph", "作业图";
    JOB_GRAPH_DEF = "Flink's JobGraph: the job's operators as vertices — chained where records pass on without a network hop — each running as parallel subtasks, and the edges between them (here keyBy's hash partitioning from the sources to the keyed operator).",
        "Flink 的 JobGraph：作业的算子作为顶点——记录无需经过网络就传递的算子会被链接在一起——每个顶点以多个并行子任务运行，顶点之间是边（这里是从源到键控算子的 keyBy 哈希分区）。";
    SUBTASK_DEF = "One parallel instance of an operator, with its own state backend holding the key groups it owns.",
        "算子的一个并行实例，拥有自己的状态后端，保存它负责的键组。";
    MURMUR_HASH = "murmur hash", "MurmurHash 哈希";
    MURMUR_HASH_DEF = "MathUtils.murmurHash(int): scrambles Java's hashCode so that similar keys spread over the key groups.",
        "MathUtils.murmurHash(int)：打散 Java 的 hashCode，使相似的键均匀分布到各键组。";
    HEAP_BACKEND = "HashMapStateBackend", "HashMapStateBackend";
    HEAP_BACKEND_DEF = "The state backend that keeps keyed state as Java objects on the JVM heap of the TaskManager each subtask runs in, in a HeapKeyedStateBackend per subtask.",
        "把键控状态作为 Java 对象保存在各子任务所在 TaskManager 的 JVM 堆上的状态后端，每个子任务一个 HeapKeyedStateBackend。";
    STATE_TABLE = "StateTable", "StateTable";
    STATE_TABLE_DEF = "One registered state (here \"event-counter\") of a backend: an array with one CopyOnWriteStateMap per local key group.",
        "后端中一个已注册的状态（这里是 \"event-counter\"）：一个数组，每个本地键组对应一个 CopyOnWriteStateMap。";
    COW_MAP = "CopyOnWriteStateMap", "CopyOnWriteStateMap";
    COW_MAP_DEF = "Flink's own hash map for heap state: chained buckets, incremental rehash, and versions that let snapshots share entries.",
        "Flink 为堆状态实现的哈希表：链式桶、渐进式再哈希，以及让快照共享条目的版本号。";
    BUCKET = "bucket", "桶";
    BUCKET_DEF = "A slot of the map's table: `hash & (capacity − 1)` chooses it; entries with the same bucket form a chain, newest first.",
        "哈希表中的一个槽位：由 `hash & (capacity − 1)` 选定；落在同一个桶的条目组成一条链，最新的在前。";
    INCREMENTAL_REHASH = "incremental rehash", "渐进式再哈希";
    INCREMENTAL_REHASH_DEF = "After a resize, each access moves a few whole buckets (≥ 4 entries) to the doubled table, instead of rehashing everything at once.",
        "扩容之后，每次访问都把几个完整的桶（至少 4 个条目）搬到加倍后的表中，而不是一次性全部再哈希。";
    COPY_ON_WRITE = "copy-on-write", "写时复制";
    COPY_ON_WRITE_DEF = "While a snapshot is being written, an entry it shares is copied before it changes, so the snapshot keeps the old one.",
        "在快照写出期间，快照共享的条目在被修改前先复制一份，快照保留旧条目。";
    VOID_NAMESPACE = "VoidNamespace", "VoidNamespace";
    VOID_NAMESPACE_DEF = "The namespace of state outside windows: a singleton whose hashCode() is 99, part of every entry's composite hash.",
        "窗口之外的状态所用的命名空间：一个 hashCode() 为 99 的单例，参与每个条目的组合哈希。";
    CHECKPOINT = "checkpoint", "检查点";
    CHECKPOINT_DEF = "A consistent snapshot of all state and source positions, taken while the job runs, to restart from after a failure.",
        "在作业运行时获得的所有状态和源位置的一致性快照，故障后从它重启。";
    BARRIER = "checkpoint barrier", "检查点屏障";
    BARRIER_DEF = "A marker the sources inject into the stream; records before it belong to the checkpoint, records after it do not.",
        "源注入到数据流中的标记；它之前的记录属于该检查点，之后的不属于。";
    ALIGNMENT = "alignment", "对齐";
    ALIGNMENT_DEF = "Exactly-once: a subtask blocks each input that delivered the barrier until all inputs have, then snapshots.",
        "恰好一次：子任务阻塞每个已送达屏障的输入，直到所有输入都送达，然后做快照。";
    SYNC_PHASE = "synchronous phase", "同步阶段";
    SYNC_PHASE_DEF = "On the task thread: snapshotMapArrays() copies each map's bucket array (pointers only) and pins a snapshot version.",
        "在任务线程上：snapshotMapArrays() 复制每个哈希表的桶数组（只复制指针）并固定一个快照版本。";
    ASYNC_PHASE = "asynchronous phase", "异步阶段";
    ASYNC_PHASE_DEF = "Writes the pinned snapshot out key group by key group while the task keeps processing records.",
        "在任务继续处理记录的同时，逐个键组写出已固定的快照。";
    EXACTLY_ONCE = "exactly-once", "恰好一次";
    EXACTLY_ONCE_DEF = "Each record affects the state exactly once, even across failures (aligned barriers).",
        "即使发生故障，每条记录也只对状态产生一次影响（屏障对齐）。";
    AT_LEAST_ONCE = "at-least-once", "至少一次";
    AT_LEAST_ONCE_DEF = "Barriers are not aligned: after a restore some records may affect the state twice.",
        "屏障不对齐：恢复后某些记录可能对状态产生两次影响。";
    MANAGED_MEMORY = "managed memory", "托管内存";
    MANAGED_MEMORY_DEF = "Off-heap memory Flink reserves for RocksDB, batch operators and Python; HashMapStateBackend does not use it.",
        "Flink 为 RocksDB、批处理算子和 Python 预留的堆外内存；HashMapStateBackend 不使用它。";
    TASK_MANAGER = "TaskManager", "TaskManager";
    TASK_MANAGER_DEF = "A worker JVM (Flink's TaskExecutor) that runs subtasks in its task slots; the keyed state of the subtasks in its slots lives on its heap, and only there. Local execution runs one TaskManager with every slot in the IDE's JVM.",
        "一个工作进程 JVM（Flink 的 TaskExecutor），在它的任务槽中运行子任务；它的槽中子任务的键控状态存放在它的堆上，而且只在那里。本地执行时，一个 TaskManager 在 IDE 的 JVM 中拥有所有任务槽。";
    TASK_SLOT = "task slot", "任务槽";
    TASK_SLOT_DEF = "A share of a TaskManager (taskmanager.numberOfTaskSlots each, 1 by default). With slot sharing one slot holds one subtask of every operator, so a job needs as many slots as its widest operator has subtasks.",
        "TaskManager 的一份资源（每个 TaskManager 有 taskmanager.numberOfTaskSlots 个，默认 1 个）。在槽共享下，一个槽容纳每个算子的一个子任务，所以作业需要的槽数等于其最宽算子的子任务数。";
    JVM_HEAP = "JVM heap", "JVM 堆";
    JVM_HEAP_DEF = "Framework heap + task heap (-Xmx) of one TaskManager; the heap state backend's entries, keys and values all live here.",
        "一个 TaskManager 的框架堆 + 任务堆（-Xmx）；堆状态后端的条目、键和值都存放在这里。";
    OOM = "OutOfMemoryError", "OutOfMemoryError";
    OOM_DEF = "Thrown when the JVM heap cannot hold more objects: the task fails and the restart strategy takes over.",
        "当 JVM 堆无法再容纳更多对象时抛出：任务失败，由重启策略接管。";
    RESTART_STRATEGY = "restart strategy", "重启策略";
    RESTART_STRATEGY_DEF = "Decides whether and when a failed job restarts: fixed-delay, exponential-delay (the default with checkpoints) or none.",
        "决定失败的作业是否以及何时重启：固定延迟、指数延迟（启用检查点时的默认值）或不重启。";
    RESCALING = "rescaling", "扩缩容";
    RESCALING_DEF = "Restoring a checkpoint at another parallelism: whole key groups are reassigned to the new subtasks.",
        "以另一个并行度恢复检查点：整个键组被重新分配给新的子任务。";
    SINK_DUPLICATES = "duplicates", "重复记录";
    SINK_DUPLICATES_DEF = "Records a non-transactional sink received twice because the job replayed them after a restore.",
        "非事务性输出端收到两次的记录，因为作业在恢复后重放了它们。";
}

//! The guided lessons: titles, steps, what to try. Lesson text may mark glossary terms as `[[term-id|text]]`
//! and code as `` `code` `` (see `teaching::markup`).

use crate::i18n::Lang;

messages! {
    PANEL_TITLE = "Lessons", "课程";
    PANEL_HINT = "Guided tours that drive the live simulation. Pick one; each step says what to look at and what to try.",
        "带你操作实时模拟的引导式课程。选择一课；每一步都会告诉你看哪里、试什么。";
    OPEN = "✦ Lessons", "✦ 课程";
    OPEN_TITLE = "Guided lessons (g)", "引导式课程 (g)";
    START = "Start", "开始";
    BACK_TO_LIST = "All lessons", "全部课程";
    PREVIOUS = "Back", "上一步";
    NEXT = "Next", "下一步";
    FINISH = "Finish", "完成";
    TRY_IT = "Try it", "试一试";
    DONE = "Done", "已完成";
    WAITING = "Waiting for it to happen…", "等待其发生……";
    RESTART_LESSON = "Restart lesson", "重新开始本课";
    COLLAPSE = "Lower the lesson to its tabs", "把课程收起到标签栏";
    EXPAND = "Raise the lesson", "展开课程";
    START_HERE_TEXT = "New here? Lesson 1 shows in four steps where `HeapValueState` keeps the count of each key.",
        "第一次来？第 1 课用四步告诉你 `HeapValueState` 把每个键的计数存在哪里。";
    START_HERE = "Start here →", "从这里开始 →";
    LOADED = "The lesson set up its job; the settings show what it changed.", "本课已设置好它的作业；设置中可以看到改动。";

    L1_TITLE = "ValueState is per key", "ValueState 按键存储";
    L1_SUMMARY = "One field in your function, one value per key: where HeapValueState keeps them.",
        "函数里只有一个字段，却为每个键各存一个值：HeapValueState 把它们放在哪里。";
    L1_S1 = "Your function has a single field, `counter`, a [[value-state|ValueState<Long>]]. Press Step: Flink calls `processElement` for one record and, before that, sets the [[keyed-state|current key]]. `counter.value()` reads the count of that record's key only.",
        "你的函数只有一个字段 `counter`，类型是 [[value-state|ValueState<Long>]]。点击“单步”：Flink 为一条记录调用 `processElement`，并在此之前设置[[keyed-state|当前键]]。`counter.value()` 只读取这条记录所属键的计数。";
    L1_S1_TRY = "Step one event", "单步处理一个事件";
    L1_S2 = "Send `user-1` three times by hand. Watch the code: each time `value()` returns the count of `user-1` alone, one more than the time before, however many other keys were counted meanwhile.",
        "手动发送 `user-1` 三次。观察代码：每次 `value()` 返回的都只是 `user-1` 的计数，比上一次多一，与其间其他键被计数了多少次无关。";
    L1_S2_TRY = "Send user-1 ×3", "发送 user-1 三次";
    L1_S3 = "Now a key the job has never seen: `value()` returns null, and `update(1)` creates a new StateMapEntry at the head of its bucket. Step into the record line by line (i) to see the entry appear.",
        "现在发送一个作业从未见过的键：`value()` 返回 null，`update(1)` 在它所在桶的链头创建一个新的 StateMapEntry。用“单步进入”（i）逐行执行，看条目如何出现。";
    L1_S3_TRY = "Send user-42", "发送 user-42";
    L1_S4 = "Where does it live? The debugger view walks the path your IDE would show: `HeapKeyedStateBackend` → `\"event-counter\"` → `HeapValueState` → [[state-table|StateTable]] → the key group's [[copy-on-write-state-map|CopyOnWriteStateMap]] → an entry with the key, [[void-namespace|VoidNamespace]] and the count. Nothing is serialized: the map holds the Long object itself.",
        "它存放在哪里？调试器视图沿着 IDE 中看到的路径展开：`HeapKeyedStateBackend` → `\"event-counter\"` → `HeapValueState` → [[state-table|StateTable]] → 该键组的 [[copy-on-write-state-map|CopyOnWriteStateMap]] → 一个包含键、[[void-namespace|VoidNamespace]] 和计数的条目。这里没有任何序列化：哈希表直接持有 Long 对象本身。";

    L2_TITLE = "Keys → key groups → subtasks", "键 → 键组 → 子任务";
    L2_SUMMARY = "How keyBy routes a key, and why maxParallelism matters.", "keyBy 如何路由一个键，以及为什么 maxParallelism 很重要。";
    L2_S1 = "Follow `user-1`: its Java `hashCode()` goes through [[murmur-hash|MathUtils.murmurHash]], and the result modulo [[max-parallelism|maxParallelism]] is its [[key-group|key group]]. The arithmetic is shown step by step.",
        "跟踪 `user-1`：它的 Java `hashCode()` 经过 [[murmur-hash|MathUtils.murmurHash]]，结果对 [[max-parallelism|maxParallelism]] 取模就是它的[[key-group|键组]]。每一步运算都会显示出来。";
    L2_S1_TRY = "Follow user-1", "跟踪 user-1";
    L2_S2 = "Each [[subtask|subtask]] owns a contiguous [[key-group-range|KeyGroupRange]]: key group × parallelism / maxParallelism is its index. Play for a moment and watch every cell of both StateTables fill.",
        "每个[[subtask|子任务]]拥有一段连续的 [[key-group-range|KeyGroupRange]]：键组 × 并行度 / maxParallelism 就是它的序号。播放一会儿，看两个 StateTable 的每个单元格被填满。";
    L2_S2_TRY = "Play", "播放";
    L2_S3 = "Rescale to 3: take a [[checkpoint|checkpoint]] and restore it at parallelism 3. Whole key groups move between subtasks; no key is hashed again, because the key group never changes.",
        "扩容到 3：做一次[[checkpoint|检查点]]，然后以并行度 3 恢复。整个键组在子任务之间移动；没有任何键需要重新哈希，因为键组从不改变。";
    L2_S3_TRY = "Checkpoint, restore at 3", "检查点后以 3 恢复";
    L2_S4 = "That is why maxParallelism is fixed once a job has state: it is the number of key groups and the most subtasks the job can ever have. Flink derives it as roundUpToPowerOfTwo(1.5 × parallelism), kept between 128 and 32768.",
        "这就是为什么作业一旦有了状态，maxParallelism 就固定不变：它是键组的数量，也是作业将来最多能有的子任务数。Flink 按 roundUpToPowerOfTwo(1.5 × 并行度) 推导它，并限制在 128 到 32768 之间。";

    L3_TITLE = "Inside StateTable and CopyOnWriteStateMap", "StateTable 与 CopyOnWriteStateMap 内部";
    L3_SUMMARY = "Buckets and chains, the resize at the 98th key, incremental rehash.", "桶与链、第 98 个键触发的扩容、渐进式再哈希。";
    L3_S1 = "This job has maxParallelism 4, so each [[copy-on-write-state-map|CopyOnWriteStateMap]] receives a quarter of all keys. Open key group 0: `primaryTable` has 128 [[bucket|buckets]]; a new entry goes to the head of its bucket's chain.",
        "这个作业的 maxParallelism 为 4，所以每个 [[copy-on-write-state-map|CopyOnWriteStateMap]] 接收四分之一的键。打开键组 0：`primaryTable` 有 128 个[[bucket|桶]]；新条目插入到它所在桶的链头。";
    L3_S1_TRY = "Open key group 0", "打开键组 0";
    L3_S2 = "The threshold is ¾ × 128 = 96. When the map already holds 97 entries, the 98th distinct key calls `doubleCapacity()`: a 256-bucket `incrementalRehashTable` appears beside the old table. Play until it happens.",
        "阈值是 ¾ × 128 = 96。当该哈希表已有 97 个条目时，第 98 个不同的键会调用 `doubleCapacity()`：旧表旁边出现一个 256 个桶的 `incrementalRehashTable`。播放直到它发生。";
    L3_S2_TRY = "Play until the resize", "播放到扩容发生";
    L3_S3 = "No stop-the-world rehash: every later `get` or `put` on this map moves whole buckets until at least 4 entries moved ([[incremental-rehash|incremental rehash]]); `rehashIndex` marks the progress. Step and watch the buckets move to the new table.",
        "没有停顿式的整体再哈希：之后对这个哈希表的每次 `get` 或 `put` 都会搬移整个桶，直到至少搬移 4 个条目（[[incremental-rehash|渐进式再哈希]]）；`rehashIndex` 标出进度。单步执行，看桶被搬到新表。";
    L3_S3_TRY = "Play until the rehash completes", "播放到再哈希完成";
    L3_S4 = "When the last old bucket is moved, the new table becomes `primaryTable`. The map never shrinks, and while the rehash runs both arrays are on the heap.",
        "最后一个旧桶搬完后，新表成为 `primaryTable`。哈希表从不缩小；再哈希进行期间，两个数组都占用堆内存。";

    L4_TITLE = "Heap growth, OutOfMemoryError, managed memory", "堆增长、OutOfMemoryError 与托管内存";
    L4_SUMMARY = "State is Java objects on each TaskManager's heap, until one runs out.", "状态就是每个 TaskManager 堆上的 Java 对象，直到其中一个堆被耗尽。";
    L4_S1 = "On a cluster every [[task-manager|TaskManager]] is a JVM of its own. With taskmanager.numberOfTaskSlots: 1 (the default) this job's parallelism 2 needs two of them, one [[task-slot|slot]] each, and each has taskmanager.memory.process.size = 1g, which Flink splits into framework and task heap, [[managed-memory|managed memory]], network, metaspace and overhead. [[heap-keyed-state-backend|HashMapStateBackend]] keeps state on the [[jvm-heap|JVM heap]] only: 154 MiB in each TaskManager, for its own subtask's key groups. Run from the IDE (local execution), every subtask shares one JVM and its -Xmx instead.",
        "在集群中，每个 [[task-manager|TaskManager]] 都是一个独立的 JVM。taskmanager.numberOfTaskSlots 为 1（默认值）时，这个并行度为 2 的作业需要两个 TaskManager，各一个[[task-slot|任务槽]]，每个的 taskmanager.memory.process.size = 1g，Flink 把它划分为框架堆与任务堆、[[managed-memory|托管内存]]、网络、元空间和开销。[[heap-keyed-state-backend|HashMapStateBackend]] 只把状态放在 [[jvm-heap|JVM 堆]]上：每个 TaskManager 154 MiB，只存放它自己那个子任务的键组。如果在 IDE 中运行（本地执行），所有子任务则共用一个 JVM 及其 -Xmx。";
    L4_S2 = "Play fast: every event brings a new key. Each costs about 100 bytes — a 40-byte entry, the String and its byte[], bucket slots — and each TaskManager's line on the heap chart climbs.",
        "快速播放：每个事件都带来一个新键。每个键大约占 100 字节——40 字节的条目、String 及其 byte[]、桶槽位——堆内存曲线上每个 TaskManager 的线都随之上升。";
    L4_S2_TRY = "Play fast", "快速播放";
    L4_S3 = "At its limit the task in the TaskManager whose heap ran out fails with [[oom|OutOfMemoryError]] — the other TaskManager's free heap does not help — and since keyBy connects every subtask, the whole job fails. The [[restart-strategy|restart strategy]] waits, then the job restores the last checkpoint — and fills the heaps again. Two heaps hold about twice the keys of one: local execution's single heap of this size would have run out at about half as many.",
        "到达上限时，堆耗尽的那个 TaskManager 中的任务因 [[oom|OutOfMemoryError]] 失败——另一个 TaskManager 剩余的堆帮不上忙——由于 keyBy 连接了所有子任务，整个作业随之失败。[[restart-strategy|重启策略]]等待一段时间后，作业从最近的检查点恢复——然后再次把堆填满。两个堆大约能放下一个堆两倍的键：如果是本地执行，同样大小的唯一一个堆在大约一半的键数时就已耗尽。";
    L4_OOM_TRY = "Play until it fails", "播放到任务失败";
    L4_RESTORED = "The [[restart-strategy|restart strategy]] waited 1 s, then the job restored the last completed [[checkpoint|checkpoint]]: the heaps hold only what that checkpoint held, and the sources rewound to its positions. Play on and the same keys fill the heaps again — restarts cannot make this state fit.",
        "[[restart-strategy|重启策略]]等待了 1 秒，随后作业恢复了最近完成的[[checkpoint|检查点]]：堆里只剩该检查点所保存的状态，源也回退到它记录的位置。继续播放，同样的键会再次把堆填满——重启无法让这些状态放得下。";
    L4_RESTORED_TRY = "Play until the restore", "播放到恢复完成";
    L4_S4 = "Managed memory (40 % of Flink memory by default) is reserved off-heap for RocksDB and batch operators; this backend never uses it. Set taskmanager.memory.managed.size to 0: with the same process size each TaskManager's heap grows to 384 MiB. Local execution sizes no heap: it is whatever -Xmx the IDE's JVM got, and managed memory (128 MB by default) is reserved outside it.",
        "托管内存（默认占 Flink 内存的 40%）是为 RocksDB 和批处理算子预留的堆外内存；这个状态后端从不使用它。把 taskmanager.memory.managed.size 设为 0：进程大小不变，每个 TaskManager 的堆增长到 384 MiB。本地执行不划分堆：堆就是 IDE 的 JVM 启动时的 -Xmx，托管内存（默认 128 MB）在它之外预留。";
    L4_S4_TRY = "Set managed.size = 0", "设置 managed.size = 0";

    L5_TITLE = "Checkpoints: barriers, alignment, copy-on-write", "检查点：屏障、对齐与写时复制";
    L5_SUMMARY = "How a consistent snapshot is taken while records keep flowing.", "在记录持续流动时如何获得一致的快照。";
    L5_S1 = "Trigger a [[checkpoint|checkpoint]]. Each source records its position and injects a [[barrier|barrier]] into every output channel; the barriers travel with the records.",
        "触发一次[[checkpoint|检查点]]。每个源记录自己的位置，并向每个输出通道注入一个[[barrier|屏障]]；屏障随记录一起流动。";
    L5_S1_TRY = "Trigger a checkpoint", "触发检查点";
    L5_S2 = "[[alignment|Alignment]]: a subtask that has the barrier from one source blocks that channel (padlock) until the barrier arrives from the other. Then it snapshots — exactly the records before the barriers are in the state.",
        "[[alignment|对齐]]：子任务收到来自一个源的屏障后，会阻塞该通道（挂锁图标），直到另一个源的屏障也到达。然后它做快照——状态中恰好包含屏障之前的记录。";
    L5_S3 = "[[sync-phase|Synchronous phase]]: `snapshotMapArrays()` copies each map's bucket array — pointers only. [[async-phase|Asynchronous phase]]: key groups are written out while processing continues; an entry updated meanwhile is [[copy-on-write|copied on write]], so the snapshot keeps the old one. Watch the copies counted in the key-group map and the heap.",
        "[[sync-phase|同步阶段]]：`snapshotMapArrays()` 复制每个哈希表的桶数组——只复制指针。[[async-phase|异步阶段]]：在继续处理的同时写出各个键组；其间被更新的条目会[[copy-on-write|写时复制]]，快照保留旧条目。在键组哈希表视图和堆视图中观察复制的次数。";
    L5_S2_TRY = "Play until a channel is blocked", "播放到有通道被阻塞";
    L5_S3_TRY = "Play until an entry is copied on write", "播放到有条目被写时复制";
    L5_S4_TRY = "Play until it completes", "播放到检查点完成";
    L5_S4 = "The checkpoint is COMPLETED: the table lists it as Flink's Web UI does — sync and async durations, checkpointed data size, per-subtask details.",
        "检查点已 COMPLETED：表格像 Flink 网页界面一样列出它——同步与异步耗时、检查点数据大小、各子任务详情。";
    L5_S5 = "A checkpoint that takes longer than `execution.checkpointing.timeout` (10 min by default) expires. Flink 2.x tolerates 0 failed checkpoints by default (`execution.checkpointing.tolerable-failed-checkpoints`), so the first expiry fails the whole job — \"Exceeded checkpoint tolerable failure threshold.\" — and the [[restart-strategy|restart strategy]] restarts it from the last completed checkpoint. Here the state grows until writing it takes longer than a 1.5 s timeout.",
        "耗时超过 `execution.checkpointing.timeout`（默认 10 分钟）的检查点会过期。Flink 2.x 默认容忍 0 个失败的检查点（`execution.checkpointing.tolerable-failed-checkpoints`），所以第一次过期就会让整个作业失败——\"Exceeded checkpoint tolerable failure threshold.\"——然后[[restart-strategy|重启策略]]从最近完成的检查点重启它。这里状态不断增长，直到写出它所需的时间超过 1.5 秒的超时。";
    L5_S5_TRY = "Run the checkpoint-timeout scenario", "运行检查点超时场景";

    L6_TITLE = "Failure and exactly-once recovery", "故障与恰好一次恢复";
    L6_SUMMARY = "Restart from the last checkpoint: exact state, duplicates in the sink.", "从最近的检查点重启：状态精确，输出端出现重复。";
    L6_S1 = "This job checkpoints every 400 ms and a task fails at event 12,000. Play and watch: the task fails, the [[restart-strategy|restart strategy]] waits 500 ms, the job restores the last completed checkpoint and the sources rewind to its positions. The job pauses right after the restore.",
        "这个作业每 400 毫秒做一次检查点，并在第 12,000 个事件时任务失败。播放并观察：任务失败，[[restart-strategy|重启策略]]等待 500 毫秒，作业恢复最近完成的检查点，源回退到检查点记录的位置。恢复之后作业随即暂停。";
    L6_S1_TRY = "Play", "播放";
    L6_S2 = "The state is [[exactly-once|exactly-once]]: every count equals the number of times its key occurred. But the records between the checkpoint and the failure are processed a second time, and the non-transactional sink receives them twice. Replay them at a tenth of real time: the job pauses where it had failed. The sink output counts the [[sink-duplicates|duplicates]] and marks them among its newest records.",
        "状态是[[exactly-once|恰好一次]]的：每个计数都等于该键出现的次数。但检查点与故障之间的记录会被再处理一次，非事务性的输出端也会收到两次。以十分之一的实际速度重放它们：作业回到故障发生的位置时暂停。输出列表统计[[sink-duplicates|重复记录]]的数量，并在最新的记录中标出它们。";
    L6_S2_TRY = "Replay", "重放";
    L6_S3 = "Now the same job with [[at-least-once|AT_LEAST_ONCE]] checkpoints: barriers are not aligned, so a subtask may snapshot after records that follow the barrier on a faster channel. After the restore those records count again: some counts come out too high.",
        "现在运行同一个作业，但使用 [[at-least-once|AT_LEAST_ONCE]] 检查点：屏障不对齐，子任务可能在快速通道中位于屏障之后的记录被处理后才做快照。恢复后这些记录会再计数一次：一些计数偏高。";
    L6_S3_TRY = "Run it at least once", "以至少一次模式运行";

    L7_TITLE = "Rescaling from a checkpoint", "从检查点扩缩容";
    L7_SUMMARY = "Parallelism 2 → 3: key groups move, counts stay.", "并行度 2 → 3：键组移动，计数不变。";
    L7_S1 = "This job runs at parallelism 2 and restores itself at parallelism 3 after checkpoint 3 — what `flink run -s` does after you change the parallelism. Play.",
        "这个作业以并行度 2 运行，在检查点 3 之后以并行度 3 恢复自身——就像你修改并行度后执行 `flink run -s` 一样。播放。";
    L7_S1_TRY = "Play", "播放";
    L7_S2 = "[[rescaling|Rescaling]] reassigns whole key groups: subtask i now owns computeKeyGroupRangeForOperatorIndex(128, 3, i). Cells outlined in green moved; each new subtask read only the key groups it owns from the checkpoint.",
        "[[rescaling|扩缩容]]按整个键组重新分配：子任务 i 现在拥有 computeKeyGroupRangeForOperatorIndex(128, 3, i)。绿色边框的单元格是移动过的键组；每个新子任务只从检查点读取自己拥有的键组。";
    L7_S3 = "No count was lost or changed by the move: the job carries on at parallelism 3 from exactly the checkpointed counts.",
        "移动没有丢失或改变任何计数：作业以并行度 3 从检查点中的计数继续运行。";

    L8_TITLE = "Choosing a state primitive", "选择状态原语";
    L8_SUMMARY = "ListState, MapState, ReducingState, AggregatingState: what each keeps per key on the heap.",
        "ListState、MapState、ReducingState、AggregatingState：每种在堆上为每个键保存什么。";
    L8_S1 = "This job keeps an event log in a `ListState<Long>`: `eventLog.add(event.amount)` appends to the current key's list. On the heap the key's StateMapEntry holds one `ArrayList` with every amount. Send `user-42` three times and find its list in the debugger view.",
        "这个作业把事件日志保存在 `ListState<Long>` 中：`eventLog.add(event.amount)` 追加到当前键的列表。在堆上，该键的 StateMapEntry 持有一个 `ArrayList`，里面是每个金额。发送 `user-42` 三次，在调试器视图中找到它的列表。";
    L8_S1_TRY = "Send user-42 ×3", "发送 user-42 三次";
    L8_S2 = "Now a `MapState<String, Long>` counting events per category: the entry holds one `HashMap`, and `counts.get` and `counts.put` read and write one mapping of it. The categories are keys inside that HashMap, not entries of the [[copy-on-write-state-map|CopyOnWriteStateMap]].",
        "现在换成按类别计数的 `MapState<String, Long>`：条目持有一个 `HashMap`，`counts.get` 和 `counts.put` 读写其中的一个映射。类别是这个 HashMap 里的键，而不是 [[copy-on-write-state-map|CopyOnWriteStateMap]] 的条目。";
    L8_S2_TRY = "Run it with MapState", "改用 MapState 运行";
    L8_S3 = "A `ReducingState<Long>` keeps only what its reduce function (`Long::sum`) makes of all the amounts: `sum.add` folds each amount into one `Long`, held in the entry like a [[value-state|ValueState<Long>]]. The state stays the same size however many events come.",
        "`ReducingState<Long>` 只保存归约函数（`Long::sum`）对所有金额计算的结果：`sum.add` 把每个金额合并进一个 `Long`，像 [[value-state|ValueState<Long>]] 一样存放在条目中。无论来多少事件，状态大小不变。";
    L8_S3_TRY = "Run it with ReducingState", "改用 ReducingState 运行";
    L8_S4 = "An `AggregatingState<Long, Double>` keeps its accumulator, here a `Tuple2` of sum and count that `add` changes in place; `average.get()` computes the average from it on every read.",
        "`AggregatingState<Long, Double>` 保存它的累加器，这里是一个由总和与计数组成的 `Tuple2`，`add` 原地修改它；每次读取时 `average.get()` 由它计算平均值。";
    L8_S4_TRY = "Run it with AggregatingState", "改用 AggregatingState 运行";
    L8_S5 = "How the state is read decides the primitive: every element → ListState; one of many sub-keys → MapState; only an aggregate → ReducingState or AggregatingState, one small object per key. On the heap a ValueState of an `ArrayList` or a `HashMap` holds the very same objects; what differs is the API and, on RocksDB, how much is serialized on each access.",
        "状态如何被读取决定了该用哪种原语：需要每个元素 → ListState；需要众多子键中的一个 → MapState；只需要一个聚合值 → ReducingState 或 AggregatingState，每个键一个小对象。在堆上，保存 `ArrayList` 或 `HashMap` 的 ValueState 持有的是完全相同的对象；不同的是 API，以及在 RocksDB 上每次访问要序列化多少数据。";

    L9_TITLE = "What a MapState is on the heap", "MapState 在堆上是什么";
    L9_SUMMARY = "One StateMapEntry per key, a HashMap in it, copied whole for a snapshot.", "每个键一个 StateMapEntry，里面一个 HashMap，为快照整体复制。";
    L9_S1 = "This job counts events per key and category in a `MapState<String, Long>`. Send `user-1` three times: the [[state-table|StateTable]] still has one StateMapEntry for `user-1` (and [[void-namespace|VoidNamespace]]); its state is a `HashMap` whose keys are the categories.",
        "这个作业在 `MapState<String, Long>` 中按键和类别计数。发送 `user-1` 三次：[[state-table|StateTable]] 中 `user-1`（及 [[void-namespace|VoidNamespace]]）仍然只有一个 StateMapEntry；它的状态是一个以类别为键的 `HashMap`。";
    L9_S1_TRY = "Send user-1 ×3", "发送 user-1 三次";
    L9_S2 = "Open the [[key-group|key group]] of `user-1`, 121: each entry in a bucket is one key of the job, its HashMap printed as Java prints it. A key with many categories is still one entry; its mappings live in the HashMap's own table.",
        "打开 `user-1` 所在的[[key-group|键组]] 121：桶里的每个条目是作业的一个键，它的 HashMap 按 Java 的方式打印。一个键有再多类别也只是一个条目；这些映射存放在 HashMap 自己的表里。";
    L9_S2_TRY = "Open key group 121", "打开键组 121";
    L9_S3 = "Take a [[checkpoint|checkpoint]]: the [[sync-phase|synchronous phase]] shares every HashMap with the snapshot. The first access to a key's map afterwards, even `counts.get`, makes a [[copy-on-write|copy]] with `MapSerializer.copy`: a new HashMap with every mapping (the immutable String and Long objects shared), not only the one that changes.",
        "做一次[[checkpoint|检查点]]：[[sync-phase|同步阶段]]让每个 HashMap 与快照共享。之后对某个键的 HashMap 的第一次访问（哪怕只是 `counts.get`）都会用 `MapSerializer.copy` 做一份[[copy-on-write|副本]]：一个包含全部映射的新 HashMap（不可变的 String 和 Long 对象共享），而不只是要修改的那一个。";
    L9_S3_TRY = "Checkpoint, play until a copy", "检查点后播放到复制发生";
    L9_S4 = "The same counts in a `ValueState<HashMap<String, Long>>`: the entry holds the very same `HashMap`, and a checkpoint copies and writes it the same way (`statelab compare` measures both). The difference is the API: `value()` hands out the HashMap itself, and `current.merge` changes the state before `update()`.",
        "同样的计数放进 `ValueState<HashMap<String, Long>>`：条目持有完全相同的 `HashMap`，检查点也以同样方式复制和写出它（`statelab compare` 可以测量两者）。区别在 API：`value()` 交出 HashMap 本身，`current.merge` 在 `update()` 之前就已改变了状态。";
    L9_S4_TRY = "Run it with ValueState<HashMap>", "改用 ValueState<HashMap> 运行";

    L10_TITLE = "State TTL and cleanup", "状态 TTL 与清理";
    L10_SUMMARY = "TtlValue, expiry on read, incremental cleanup, TTL in checkpoints.", "TtlValue、读取时过期、增量清理、检查点中的 TTL。";
    L10_S1 = "This counter's descriptor has `enableTimeToLive` with a 5 s TTL. On the heap each key's state is a `TtlValue`: the `Long` and its `lastAccessTimestamp`, renewed by every write (`OnCreateAndWrite`). Send `user-777` twice.",
        "这个计数器的描述符启用了 5 秒的 `enableTimeToLive`。在堆上，每个键的状态是一个 `TtlValue`：`Long` 及其 `lastAccessTimestamp`，每次写入都会更新（`OnCreateAndWrite`）。发送 `user-777` 两次。";
    L10_S1_TRY = "Send user-777 ×2", "发送 user-777 两次";
    L10_S2 = "Play until 5 s of processing time passed without a write to `user-777`: its value has expired, yet nothing removed it. Expiry is checked only when a value is accessed, or visited by the cleanup.",
        "播放到 `user-777` 已有 5 秒处理时间没有写入：它的值已过期，但没有任何东西删除它。只有在值被访问、或被清理过程访问到时，才检查是否过期。";
    L10_S2_TRY = "Play until it expires", "播放到它过期";
    L10_S3 = "Send `user-777` again: for an expired value `value()` returns null (`NeverReturnExpired`) and clears what is left of it, so the count starts again at 1.",
        "再发送一次 `user-777`：对已过期的值，`value()` 返回 null（`NeverReturnExpired`）并清除它的残留，于是计数从 1 重新开始。";
    L10_S3_TRY = "Send user-777", "发送 user-777";
    L10_S4 = "A key nobody sends again is removed by the incremental cleanup: on every access to the state it visits 5 more entries of its table and removes the expired ones (the heap backend's default cleanup in background). Play until `user-777` is gone.",
        "不再有人发送的键会被增量清理删除：每次访问该状态时，它会再检查表中的 5 个条目，并删除已过期的（堆状态后端默认的后台清理）。播放到 `user-777` 被删除。";
    L10_S4_TRY = "Play until it is cleaned up", "播放到它被清理";
    L10_S5 = "A [[checkpoint|checkpoint]] writes each `TtlValue` with its timestamp, so a restored job expires it on time. Values expired but not yet cleaned up are written too — unless the TTL config adds `cleanupFullSnapshot()`, which leaves them out of full snapshots like the heap backend's. This job does not.",
        "[[checkpoint|检查点]]连同时间戳一起写出每个 `TtlValue`，因此恢复后的作业会按时让它过期。已过期但尚未清理的值也会被写出——除非 TTL 配置加上 `cleanupFullSnapshot()`，它会把这些值排除在全量快照（如堆状态后端的快照）之外。这个作业没有这样配置。";
    L10_S5_TRY = "Take a checkpoint", "做一次检查点";

    L11_TITLE = "Timers", "定时器";
    L11_SUMMARY = "registerProcessingTimeTimer, onTimer, timers in checkpoints.", "registerProcessingTimeTimer、onTimer、检查点中的定时器。";
    L11_S1 = "This session function registers a processing-time timer 2 s after each event: `registerProcessingTimeTimer` adds a `TimerHeapInternalTimer` (timestamp, key, [[void-namespace|VoidNamespace]]) to the timer service's `HeapPriorityQueueSet`: a heap ordered by time, with a de-duplication HashMap per [[key-group|key group]], so a key has at most one timer per time. Send `user-5000`.",
        "这个会话函数在每个事件后 2 秒注册一个处理时间定时器：`registerProcessingTimeTimer` 把一个 `TimerHeapInternalTimer`（时间戳、键、[[void-namespace|VoidNamespace]]）加入定时器服务的 `HeapPriorityQueueSet`：一个按时间排序的堆，每个[[key-group|键组]]另有一个去重 HashMap，所以一个键在同一时间最多只有一个定时器。发送 `user-5000`。";
    L11_S1_TRY = "Send user-5000", "发送 user-5000";
    L11_S2 = "When processing time reaches a timer, the timer service polls it, sets its key as the current key and calls `onTimer`: if the session was not extended since, it emits the key and its count and calls `session.clear()`. Timers of earlier events fire too, and find the session changed.",
        "处理时间到达定时器时，定时器服务把它取出，将它的键设为当前键并调用 `onTimer`：如果会话此后没有延长，它就输出键及其计数并调用 `session.clear()`。更早事件的定时器也会触发，但发现会话已改变。";
    L11_S2_TRY = "Play until a session closes", "播放到有会话关闭";
    L11_S3 = "Timers are keyed state: a [[checkpoint|checkpoint]] copies each key group's timers in its [[sync-phase|synchronous phase]] and writes them with the key group, and a restore registers them again under their keys, in whichever subtask owns the key group now. Checkpoint and restore at parallelism 3.",
        "定时器也是键控状态：[[checkpoint|检查点]]在[[sync-phase|同步阶段]]复制每个键组的定时器，并随键组一起写出；恢复时按它们的键重新注册，放到此时拥有该键组的子任务中。做一次检查点，然后以并行度 3 恢复。";
    L11_S3_TRY = "Checkpoint, restore at 3", "检查点后以 3 恢复";

    L12_TITLE = "Object reuse on the heap", "堆上的对象复用";
    L12_SUMMARY = "value() hands out the stored object: changing it changes the state.", "value() 交出存储的对象本身：修改它就是修改状态。";
    L12_S1 = "This job keeps a count and a sum per key in a `ValueState<KeyStats>`, `KeyStats` a POJO (public fields, a public no-argument constructor: Flink's `PojoSerializer`). On the heap `stats.value()` hands out the `KeyStats` the entry holds, and `stats.update(s)` stores that very object: `s.sum += event.amount`, after `update()`, changes the state anyway. Try it sends `user-1` twice and stops inside the second record on the line after `update()`, as Step into (i) would: the debugger view shows the state's sum already grown, without another `update()`. Step into goes on line by line.",
        "这个作业把每个键的计数和总和保存在 `ValueState<KeyStats>` 中，`KeyStats` 是一个 POJO（公有字段、公有无参构造函数：Flink 的 `PojoSerializer`）。在堆上，`stats.value()` 交出的是条目持有的 `KeyStats` 本身，`stats.update(s)` 存储的也正是这个对象：在 `update()` 之后执行的 `s.sum += event.amount` 仍然改变了状态。“试一试”会发送 `user-1` 两次，并像“单步进入”（i）那样停在第二条记录中 `update()` 之后的那一行：调试视图显示状态中的总和已经增加，并没有再次调用 `update()`。继续“单步进入”可逐行执行。";
    L12_S1_TRY = "Send user-1 ×2, stop after update()", "发送 user-1 两次，停在 update() 之后";
    L12_S2 = "While a [[checkpoint|checkpoint]] is written, `value()` is `CopyOnWriteStateMap.get`, which first [[copy-on-write|copies]] a `KeyStats` the snapshot still shares (`PojoSerializer.copy`: a new instance, each field copied): `s.count++`, `update(s)` and the `s.sum += …` after it change the copy, and the checkpoint writes the object as it was.",
        "在[[checkpoint|检查点]]写出期间，`value()` 就是 `CopyOnWriteStateMap.get`，它会先[[copy-on-write|复制]]快照仍在共享的 `KeyStats`（`PojoSerializer.copy`：新建一个实例并逐个复制字段）：`s.count++`、`update(s)` 以及其后的 `s.sum += …` 修改的都是副本，检查点写出的是对象原来的样子。";
    L12_S2_TRY = "Checkpoint, play until a copy", "检查点后播放到复制发生";
    L12_S3 = "Copy-on-write sees only state accesses. A function that keeps the object in a field, or emits it, and changes it later without `value()` — a `s.sum += …` in a later call — changes the live state and what a running checkpoint writes, as long as the snapshot still shares the entry; on RocksDB the same code changes nothing, since every `value()` deserializes a new object. So never change a state object after `update()`: read it again with `value()`.",
        "写时复制只能察觉对状态的访问。如果函数把对象保存在字段中或把它输出，之后不经 `value()` 就修改它（例如在之后的某次调用中执行 `s.sum += …`），只要快照仍共享该条目，就会改变实时状态以及正在写出的检查点内容；而在 RocksDB 上同样的代码什么也不会改变，因为每次 `value()` 都会反序列化出一个新对象。所以 `update()` 之后不要再修改状态对象：用 `value()` 重新读取。";
}

/// "Step" in a lesson's progress: another Chinese word than the controls' "Step" (单步), so not a plain message (in
/// the page, a plain message's Chinese is found by its English).
pub fn step_of(l: Lang) -> &'static str {
    l.pick("Step", zh_str!("步骤"))
}

//! "Which structure fits?": the same workload in a `ValueState` of a container and in the matching state primitive.

use crate::i18n::Lang;

messages! {
    TITLE = "Which structure fits?", "哪种结构更合适？";
    HINT = "the job's workload run twice, each way, to its end: what each costs on the heap and in checkpoints",
        "用当前作业的负载各运行一次直到结束：两种方式在堆上和检查点中的开销";
    RUNNING = "running both jobs…", "正在运行两个作业……";
    HEAP_PER_KEY = "heap per key (entry, key, state objects)", "每个键的堆（条目、键、状态对象）";
    OBJECTS_PER_KEY = "Java objects per key", "每个键的 Java 对象数";
    CHECKPOINT_BYTES = "bytes in the last checkpoint", "最近一次检查点的字节数";
    COPIES = "entries copied on write per checkpoint", "每个检查点写时复制的条目数";
    KEYS = "keys in state", "状态中的键";
    SAME = "On the heap both keep the same object per key, written by the same serializer: they cost the same. What differs is the API: value() hands out the stored object itself (change it and the state has changed), and on RocksDB a ValueState is (de)serialized whole on every access where a MapState or ListState touches one mapping or appends one element.",
        "在堆上两者为每个键保存的是同一个对象，由同一个序列化器写出：开销相同。不同的是 API：value() 交出的是存储的对象本身（修改它就修改了状态）；而在 RocksDB 上，ValueState 每次访问都要整体（反）序列化，MapState 或 ListState 只触及一个映射或追加一个元素。";
}

/// A comparison that could not run: the job's configuration as the engine refused it.
pub fn failed(l: Lang, reason: &str) -> String {
    l.pick(
        format!("The comparison could not run: {reason}"),
        zh!("无法运行比较：{reason}", reason),
    )
}

/// The checkpoints both runs completed.
pub fn checkpoints(l: Lang, n: u64) -> String {
    l.pick(
        format!("checkpoints completed in each run: {n}"),
        zh!("每次运行完成的检查点：{n}", n),
    )
}

/// When the two differ: how much more the first costs than the second, in heap per key.
pub fn differs(l: Lang, more: &str, less: &str, percent: &str) -> String {
    l.pick(
        format!("{more} takes {percent} % more heap per key than {less}."),
        zh!(
            "{more} 每个键占用的堆比 {less} 多 {percent}%。",
            more,
            less,
            percent
        ),
    )
}

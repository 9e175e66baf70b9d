//! The debugger view: the object tree a Java debugger shows.

use crate::engine::keys::key_group::KeyGroup;
use crate::i18n::Lang;

messages! {
    TITLE = "Debugger view", "调试器视图";
    SUBTITLE = "the objects behind counter.value(), as your IDE's debugger shows them — click to expand",
        "counter.value() 背后的对象，与 IDE 调试器中看到的一样 —— 点击展开";
    SUBTASK = "subtask", "子任务";
    AUTO = "auto", "自动";
    FOLLOW = "follow the current record", "跟随当前记录";
    NOT_YET = "not yet: counter.update(next) creates it", "尚未创建：由 counter.update(next) 创建";
    BEFORE_UPDATE = "before counter.update(next)", "counter.update(next) 之前";
    SHARED = "shared with a checkpoint snapshot", "与检查点快照共享";
    NO_KEY = "No current key yet: step one event to stop in processElement.",
        "还没有当前键：单步处理一个事件，停在 processElement 中。";
    EMPTY_TABLE = "EMPTY_TABLE: no rehash in progress", "EMPTY_TABLE：没有正在进行的再哈希";
    ANSWER = "Where does `HeapValueState` keep its data? Not in itself: each key's count is a `StateMapEntry` in the `CopyOnWriteStateMap` of the key's key group, inside the `StateTable` — plain Java objects on the JVM heap.",
        "`HeapValueState` 把数据存在哪里？不在它自身：每个键的计数是该键所属键组的 `CopyOnWriteStateMap` 中的一个 `StateMapEntry`，位于 `StateTable` 之内——都是 JVM 堆上的普通 Java 对象。";
    PATH_LABEL = "Where the current key's count lives: click a step to show it in the tree",
        "当前键的计数所在的路径：点击其中一步，在树中显示它";
    ENTRY = "entry", "条目";
    PATH_LABEL_STATE = "Where the current key's state lives: click a step to show it in the tree",
        "当前键的状态所在的路径：点击其中一步，在树中显示它";
}

/// The subtitle of another preset's view: the objects behind its state field.
pub fn subtitle_of(l: Lang, field: &str) -> String {
    l.pick(
        format!("the objects behind {field}, as your IDE's debugger shows them — click to expand"),
        zh!(
            "{field} 背后的对象，与 IDE 调试器中看到的一样 —— 点击展开",
            field
        ),
    )
}

/// The answer for a preset whose state is an object: the object a `StateMapEntry` references.
pub fn answer_object(l: Lang, class: &str, object: &str) -> String {
    l.pick(
        format!("Where does `{class}` keep its data? Not in itself: each key's state is a `{object}` that a `StateMapEntry` references in the `CopyOnWriteStateMap` of the key's key group, inside the `StateTable` — plain Java objects on the JVM heap."),
        zh!("`{class}` 把数据存在哪里？不在它自身：每个键的状态是一个 `{object}`，由该键所属键组的 `CopyOnWriteStateMap` 中的一个 `StateMapEntry` 引用，位于 `StateTable` 之内——都是 JVM 堆上的普通 Java 对象。", class, object),
    )
}

/// The breadcrumb's step for a key group's map.
pub fn map_of(l: Lang, key_group: KeyGroup) -> String {
    l.pick(
        format!("key group {key_group}'s CopyOnWriteStateMap"),
        zh!("键组 {key_group} 的 CopyOnWriteStateMap", key_group),
    )
}

/// The hint beside a map in `keyGroupedStateMaps`.
pub fn key_group(l: Lang, key_group: KeyGroup) -> String {
    l.pick(
        format!("key group {key_group}"),
        zh!("键组 {key_group}", key_group),
    )
}

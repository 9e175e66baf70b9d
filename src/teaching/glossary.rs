//! The glossary: every Flink term the page explains on hover, in a sentence, with the lesson that shows it.

use crate::i18n::messages::glossary as g;
use crate::i18n::Text;

/// One term.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Term {
    /// Stable id, used in lesson markup `[[id|text]]`.
    pub id: &'static str,
    pub term: Text,
    pub definition: Text,
    /// The lesson that shows it.
    pub lesson: &'static str,
}

const fn term(id: &'static str, term: Text, definition: Text, lesson: &'static str) -> Term {
    Term {
        id,
        term,
        definition,
        lesson,
    }
}

pub const TERMS: [Term; 30] = [
    term(
        "value-state",
        g::VALUE_STATE,
        g::VALUE_STATE_DEF,
        "value-state",
    ),
    term(
        "keyed-state",
        g::KEYED_STATE,
        g::KEYED_STATE_DEF,
        "value-state",
    ),
    term(
        "void-namespace",
        g::VOID_NAMESPACE,
        g::VOID_NAMESPACE_DEF,
        "value-state",
    ),
    term("key-group", g::KEY_GROUP, g::KEY_GROUP_DEF, "key-groups"),
    term(
        "max-parallelism",
        g::MAX_PARALLELISM,
        g::MAX_PARALLELISM_DEF,
        "key-groups",
    ),
    term(
        "key-group-range",
        g::KEY_GROUP_RANGE,
        g::KEY_GROUP_RANGE_DEF,
        "key-groups",
    ),
    term("subtask", g::SUBTASK, g::SUBTASK_DEF, "key-groups"),
    term("job-graph", g::JOB_GRAPH, g::JOB_GRAPH_DEF, "value-state"),
    term(
        "murmur-hash",
        g::MURMUR_HASH,
        g::MURMUR_HASH_DEF,
        "key-groups",
    ),
    term(
        "heap-keyed-state-backend",
        g::HEAP_BACKEND,
        g::HEAP_BACKEND_DEF,
        "heap",
    ),
    term(
        "state-table",
        g::STATE_TABLE,
        g::STATE_TABLE_DEF,
        "state-map",
    ),
    term(
        "copy-on-write-state-map",
        g::COW_MAP,
        g::COW_MAP_DEF,
        "state-map",
    ),
    term("bucket", g::BUCKET, g::BUCKET_DEF, "state-map"),
    term(
        "incremental-rehash",
        g::INCREMENTAL_REHASH,
        g::INCREMENTAL_REHASH_DEF,
        "state-map",
    ),
    term("task-manager", g::TASK_MANAGER, g::TASK_MANAGER_DEF, "heap"),
    term("task-slot", g::TASK_SLOT, g::TASK_SLOT_DEF, "heap"),
    term("jvm-heap", g::JVM_HEAP, g::JVM_HEAP_DEF, "heap"),
    term(
        "managed-memory",
        g::MANAGED_MEMORY,
        g::MANAGED_MEMORY_DEF,
        "heap",
    ),
    term("oom", g::OOM, g::OOM_DEF, "heap"),
    term(
        "checkpoint",
        g::CHECKPOINT,
        g::CHECKPOINT_DEF,
        "checkpoints",
    ),
    term("barrier", g::BARRIER, g::BARRIER_DEF, "checkpoints"),
    term("alignment", g::ALIGNMENT, g::ALIGNMENT_DEF, "checkpoints"),
    term(
        "sync-phase",
        g::SYNC_PHASE,
        g::SYNC_PHASE_DEF,
        "checkpoints",
    ),
    term(
        "async-phase",
        g::ASYNC_PHASE,
        g::ASYNC_PHASE_DEF,
        "checkpoints",
    ),
    term(
        "copy-on-write",
        g::COPY_ON_WRITE,
        g::COPY_ON_WRITE_DEF,
        "checkpoints",
    ),
    term(
        "restart-strategy",
        g::RESTART_STRATEGY,
        g::RESTART_STRATEGY_DEF,
        "recovery",
    ),
    term(
        "exactly-once",
        g::EXACTLY_ONCE,
        g::EXACTLY_ONCE_DEF,
        "recovery",
    ),
    term(
        "at-least-once",
        g::AT_LEAST_ONCE,
        g::AT_LEAST_ONCE_DEF,
        "recovery",
    ),
    term(
        "sink-duplicates",
        g::SINK_DUPLICATES,
        g::SINK_DUPLICATES_DEF,
        "recovery",
    ),
    term("rescaling", g::RESCALING, g::RESCALING_DEF, "rescale"),
];

/// The term with this id.
pub fn find(id: &str) -> Option<&'static Term> {
    TERMS.iter().find(|t| t.id == id)
}

//! A digest of a run's observable outcome — simulated time, counters, every key's count, what the sink saw,
//! the retained checkpoints, each TaskManager's heap — so two runs can be compared cheaply: native against wasm, or a
//! scenario against its golden value. FNV-1a over a canonical text, printed as `records:time:hash`.

use crate::engine::cluster::mini_cluster::MiniCluster;
use crate::engine::state::heap::state_objects::StateValueObject;
use std::fmt::Write;

pub(crate) fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The canonical description of the run's state that the fingerprint hashes.
pub fn canonical(cluster: &MiniCluster) -> String {
    let mut text = String::new();
    let c = cluster.counters();
    let _ = write!(
        text,
        "now={} status={:?} attempt={} p={} m={} emitted={} processed={} calls={} restarts={} cp={}/{}",
        cluster.now(),
        cluster.status(),
        cluster.attempt(),
        cluster.parallelism(),
        cluster.max_parallelism(),
        c.records_emitted,
        c.records_processed,
        c.process_element_calls,
        c.restarts,
        c.checkpoints_completed,
        c.checkpoints_failed
    );
    let sink = cluster.sink();
    let _ = write!(
        text,
        " sink={}/{}/{}",
        sink.written(),
        sink.duplicates(),
        sink.gaps()
    );
    // Each TaskManager's heap; with one TaskManager the text is what it was before there were several.
    let heaps: Vec<String> = cluster
        .heap_usages()
        .map(|h| format!("{}/{}", h.state, h.peak))
        .collect();
    let _ = write!(text, " heap={}", heaps.join(","));
    for checkpoint in cluster.coordinator().store().all() {
        let _ = write!(
            text,
            " checkpoint={}:{}:{}",
            checkpoint.checkpoint_id,
            checkpoint.state_size(),
            checkpoint.entries()
        );
    }
    for (key, count) in cluster.counts() {
        let _ = write!(text, " {}={count}", cluster.keys().display(key));
    }
    text.push_str(&objects_text(cluster));
    text
}

/// Every key's state object (a function other than the counter, or a `Long` state has none): ` key=value` each,
/// a list as `[a,b]`, a map as `{k:v,…}` in insertion order, a pair as `(f0,f1)`, a `KeyStats` as
/// `{count:c,sum:s}`, a `TtlValue` as `value@time`
/// (in a list or map too: `[a@t,b@t]`, `{k:v@t}`).
pub(crate) fn objects_text(cluster: &MiniCluster) -> String {
    let mut text = String::new();
    for (key, object) in cluster.state_objects() {
        let _ = write!(text, " {}=", cluster.keys().display(key));
        match object {
            StateValueObject::List { elements, .. } => {
                let items: Vec<String> = elements.iter().map(i64::to_string).collect();
                let _ = write!(text, "[{}]", items.join(","));
            }
            StateValueObject::Map { entries, .. } => {
                let items: Vec<String> = entries
                    .iter()
                    .map(|e| format!("{}:{}", e.key, e.value))
                    .collect();
                let _ = write!(text, "{{{}}}", items.join(","));
            }
            StateValueObject::Tuple2 { f0, f1 } => {
                let _ = write!(text, "({f0},{f1})");
            }
            StateValueObject::KeyStats { count, sum } => {
                let _ = write!(text, "{{count:{count},sum:{sum}}}");
            }
            StateValueObject::TtlValue {
                user_value,
                last_access_timestamp,
            } => {
                let _ = write!(text, "{user_value:?}@{last_access_timestamp}");
            }
            StateValueObject::TtlList { elements, .. } => {
                let items: Vec<String> = elements
                    .iter()
                    .map(|e| format!("{}@{}", e.user_value, e.last_access_timestamp))
                    .collect();
                let _ = write!(text, "[{}]", items.join(","));
            }
            StateValueObject::TtlMap { entries, .. } => {
                let items: Vec<String> = entries
                    .iter()
                    .map(|e| {
                        format!(
                            "{}:{}@{}",
                            e.key, e.value.user_value, e.value.last_access_timestamp
                        )
                    })
                    .collect();
                let _ = write!(text, "{{{}}}", items.join(","));
            }
        }
    }
    text
}

/// `records:simulated-ns:hash`.
pub fn fingerprint(cluster: &MiniCluster) -> String {
    format!(
        "{}:{}:{:016x}",
        cluster.counters().records_processed,
        cluster.now(),
        fnv1a(&canonical(cluster))
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::cluster::engine_event::Milestones;
    use crate::engine::cluster::job_config::JobConfig;
    use crate::engine::cluster::run_limit::RunLimit;

    #[test]
    fn equal_runs_share_a_fingerprint_and_different_ones_do_not() {
        let run = |seed| {
            let mut cluster = MiniCluster::new(JobConfig {
                seed,
                ..JobConfig::default()
            })
            .unwrap();
            cluster.run(RunLimit::records(5000), &mut Milestones::default());
            fingerprint(&cluster)
        };
        assert_eq!(run(1), run(1));
        assert_ne!(run(1), run(2));
        assert!(run(1).starts_with("5000:"));
    }
}

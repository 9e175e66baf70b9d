//! What the page's views read of a job's state through `&dyn StateMap` (`MiniCluster::key_group_state_map`): for
//! every job preset, each key's state as the map shows it equals the state the job holds (`counts()` for a
//! `Long` per key, `state_objects()` for the objects), and the bucket chains hold every entry once, each where
//! `locate` says its key is looked up.
// A default configuration with the fields that matter set one by one.
#![allow(clippy::field_reassign_with_default)]
#![cfg(not(target_arch = "wasm32"))]

use statelab::engine::cluster::engine_event::Milestones;
use statelab::engine::cluster::job_config::JobConfig;
use statelab::engine::cluster::mini_cluster::MiniCluster;
use statelab::engine::cluster::run_limit::RunLimit;
use statelab::engine::functions::job_function::JobFunction;
use statelab::engine::keys::key_group::KeyGroup;
use statelab::engine::state::heap::state_map::ShownState;
use statelab::engine::state::heap::state_map_entry::TableKind;

#[test]
fn every_preset_reads_the_same_through_the_state_map_view() {
    for function in JobFunction::ALL {
        let mut config = JobConfig::default();
        config.function = function;
        config.parallelism = 2;
        config.source.key_count = 300;
        config.source.max_events = Some(3_000);
        config.checkpointing.interval_ms = Some(50);
        let mut cluster = MiniCluster::new(config).unwrap();
        // Stop mid-run, with a snapshot likely under way, so that copies on write are among the entries.
        cluster.run(RunLimit::steps(2_500), &mut Milestones::default());

        let objects = cluster.state_objects();
        let longs = cluster.counts();
        let expected: Vec<_> = if objects.is_empty() {
            longs
                .iter()
                .map(|&(k, v)| (k, ShownState::Long(v)))
                .collect()
        } else {
            objects
                .into_iter()
                .map(|(k, o)| (k, ShownState::Object(o)))
                .collect()
        };
        assert!(
            expected.len() > 100,
            "{function:?}: {} keys",
            expected.len()
        );
        for (key, state) in &expected {
            let map = cluster
                .key_group_state_map(cluster.key_group_of(*key))
                .expect("the owner's map");
            let hash = cluster.keys().info(*key).hash_code;
            assert_eq!(
                map.peek_state(*key, hash).as_ref(),
                Some(state),
                "{function:?}"
            );
            let (table, bucket) = map.locate(hash);
            let chain = map.bucket_entries(table, bucket as usize);
            assert!(
                chain.iter().any(|e| e.key == *key && &e.state == state),
                "{function:?}: the key is in the bucket it is looked up in"
            );
        }
        // Every entry once, over both tables of every key group.
        let mut seen = 0;
        for kg in 0..cluster.max_parallelism() {
            let map = cluster
                .key_group_state_map(KeyGroup::new(kg as u16))
                .unwrap();
            let mut in_map = 0;
            for kind in [TableKind::Primary, TableKind::IncrementalRehash] {
                for b in 0..map.table_capacity(kind) {
                    let entries = map.bucket_entries(kind, b);
                    let (length, copied) = map.bucket_shape(kind, b);
                    assert_eq!(length as usize, entries.len());
                    assert_eq!(copied, entries.iter().any(|e| e.copied));
                    in_map += entries.len();
                }
            }
            assert_eq!(in_map, map.size(), "{function:?} key group {kg}");
            seen += in_map;
        }
        assert_eq!(seen, expected.len(), "{function:?}");
    }
}

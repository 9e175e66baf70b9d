//! The operator ids Flink derives for StateLab's job, against what real Flink 2.3 printed for the same program
//! (`tools/flink-operator-ids/run.sh` → `tests/data/groundtruth/operator_ids.csv`), with and without a uid on
//! the keyed operator and at several parallelisms (ids do not depend on them).
#![cfg(not(target_arch = "wasm32"))]

use statelab::engine::cluster::operator_id::JobOperatorIds;

#[test]
fn every_vertex_and_operator_id_is_the_one_flink_derived() {
    let csv = include_str!("data/groundtruth/operator_ids.csv");
    let mut rows = 0;
    for line in csv.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let (variant, vertex, name, operator) = (f[0], f[2], f[3], f[4]);
        let ids = JobOperatorIds::derive((variant == "uid").then_some("event-counter-op"));
        let (want_vertex, want_operator) = if name.starts_with("Source") {
            (ids.source, ids.source)
        } else if operator == vertex {
            (ids.keyed_vertex(), ids.keyed)
        } else {
            (ids.keyed_vertex(), ids.sink)
        };
        assert_eq!(vertex, want_vertex.to_string(), "{line}");
        assert_eq!(operator, want_operator.to_string(), "{line}");
        rows += 1;
    }
    assert_eq!(rows, 24);
}

//! `EventCounterProcessFunction.java`, the job's `KeyedProcessFunction` as StateLab shows and runs it
//! (`functions::event_counter_process_function`), and `InjectedFailures.java` when the job injects failures on
//! `processElement` calls. The function is the one part a job's `function` choice would change: another
//! keyed-state job writes its own class here and keeps the rest of the program.

use super::flink_project::{ProjectFile, JAVA_DIR};
use super::java_literal;
use crate::engine::cluster::job_config::{FailureTrigger, JobConfig};

/// The processElement calls (1-based) the exported job fails on, as StateLab counts them: none without
/// checkpoints, where Flink's collect sink, which brings the counts back to the program, cannot follow a restart.
pub(super) fn failure_calls(config: &JobConfig) -> Vec<u64> {
    if config.checkpointing.interval_ms.is_none() {
        return Vec::new();
    }
    config
        .failures
        .iter()
        .filter_map(|f| match f {
            FailureTrigger::ProcessElementCall { call } => Some(*call),
            FailureTrigger::EventIndex { .. } | FailureTrigger::Time { .. } => None,
        })
        .collect()
}

/// The function's file, and the failures' when there are any.
pub(super) fn files(config: &JobConfig) -> Vec<ProjectFile> {
    let k = config.source.key_format.key_type.java_name();
    let calls = failure_calls(config);
    let inject = if calls.is_empty() {
        ""
    } else {
        "        // StateLab's injected failures: this call may fail the job (InjectedFailures).\n        \
         InjectedFailures.beforeProcessElement();\n"
    };
    let function = format!(
        r#"package statelab.job;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Counts the events of each key, the function StateLab shows and runs. Its ValueState "event-counter" lives
 * in the HashMapStateBackend: one Long object per key, in the CopyOnWriteStateMap of the key's key group, on
 * the heap of the TaskManager that runs the key's subtask. Each event emits (key, count so far).
 */
public class EventCounterProcessFunction
        extends KeyedProcessFunction<{k}, {k}, Tuple2<{k}, Long>> {{

    private static final long serialVersionUID = 1L;

    private transient ValueState<Long> counter;

    @Override
    public void open(OpenContext ctx) {{
        counter = getRuntimeContext().getState(
                new ValueStateDescriptor<>("event-counter", Types.LONG));
    }}

    @Override
    public void processElement({k} key, Context ctx,
            Collector<Tuple2<{k}, Long>> out) throws Exception {{
{inject}        Long current = counter.value();
        long next = (current == null ? 0L : current) + 1;
        counter.update(next);
        out.collect(Tuple2.of(key, next));
    }}
}}
"#
    );
    let mut files = vec![ProjectFile::new(
        format!("{JAVA_DIR}EventCounterProcessFunction.java"),
        function,
    )];
    if !calls.is_empty() {
        let list: Vec<String> = calls.iter().map(|c| java_literal::long(*c)).collect();
        files.push(ProjectFile::new(
            format!("{JAVA_DIR}InjectedFailures.java"),
            format!(
                r#"package statelab.job;

import java.util.concurrent.atomic.AtomicLong;

/**
 * StateLab's injected failures (failures: processElementCall), so that the job fails and restarts in Flink as
 * it did in StateLab: the n-th processElement call throws, before the state is touched, and the restart
 * strategy restarts the job from its latest completed checkpoint. With exactly-once checkpoints the final
 * counts are the same as without the failure.
 *
 * <p>Calls are counted over every subtask and attempt in this JVM, which is all of them when the program runs
 * locally (mvn exec:java): each listed call comes once, so each failure fires once. On a cluster every
 * TaskManager counts its own calls, and one whose job classes are loaded again after a restart counts from 0
 * and fails again: empty FAIL_AT_CALLS before submitting the job there.
 */
final class InjectedFailures {{
    /** The processElement calls (1-based) that fail. */
    private static final long[] FAIL_AT_CALLS = {{{list}}};

    private static final AtomicLong CALLS = new AtomicLong();

    private InjectedFailures() {{}}

    static void beforeProcessElement() {{
        long call = CALLS.incrementAndGet();
        for (long failAt : FAIL_AT_CALLS) {{
            if (call == failAt) {{
                throw new RuntimeException("StateLab: injected failure on processElement call " + call);
            }}
        }}
    }}
}}
"#,
                list = list.join(", ")
            ),
        ));
    }
    files
}

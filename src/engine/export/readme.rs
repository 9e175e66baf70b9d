//! `README.md` of the exported project: what the program is, how to run it, what it prints and how to get the
//! same counts from StateLab, the job's configuration in words, and what of StateLab's configuration a Flink
//! program cannot or does not carry.

use super::flink_project::ProjectFile;
use super::pom_xml::FLINK_VERSION;
use super::process_function::failure_calls;
use crate::engine::cluster::job_config::{
    CheckpointingMode, FailureTrigger, JobConfig, RestartStrategyConfig,
};
use crate::engine::cluster::operator_id::EVENT_COUNTER_UID;
use crate::engine::keys::java_key::JavaKeyType;
use crate::engine::memory::task_executor_memory::MemoryConfig;
use crate::engine::source::key_distribution::KeyDistribution;

fn keys(config: &JobConfig) -> String {
    let s = &config.source;
    let k = s.key_format.key_type.java_name();
    if let Some(replay) = &s.replay {
        return format!(
            "the {} keys StateLab replays (`source.replay`), in order, from \
             `src/main/resources/replay-keys.txt` ({k})",
            replay.len()
        );
    }
    let spelled = match s.key_format.key_type {
        JavaKeyType::String if s.key_format.zero_pad == 0 => "a prefix and the number".to_owned(),
        JavaKeyType::String => format!(
            "a prefix and the number zero-padded to {} digits",
            s.key_format.zero_pad
        ),
        JavaKeyType::Integer | JavaKeyType::Long => "the number itself".to_owned(),
    };
    let distribution = match &s.distribution {
        KeyDistribution::Uniform => "uniform".to_owned(),
        KeyDistribution::Zipf { exponent } => format!("Zipf, exponent {exponent:?}"),
        KeyDistribution::HotKey { key, fraction } => {
            format!("hot key number {key} with {fraction:?} of the events, the rest uniform")
        }
        KeyDistribution::Sequential => "sequential".to_owned(),
    };
    format!(
        "{} keys ({k}: {spelled}), {distribution}, seed {}",
        s.key_count, config.seed
    )
}

fn checkpoints(config: &JobConfig) -> String {
    let c = &config.checkpointing;
    match c.interval_ms {
        None => "off".to_owned(),
        Some(interval) => format!(
            "every {interval} ms, {}, timeout {} ms, min pause {} ms, {} tolerable failed checkpoints, {} retained",
            match c.mode {
                CheckpointingMode::ExactlyOnce => "EXACTLY_ONCE",
                CheckpointingMode::AtLeastOnce => "AT_LEAST_ONCE",
            },
            c.timeout_ms,
            c.min_pause_ms,
            c.tolerable_failed_checkpoints,
            c.retained
        ),
    }
}

fn restart_strategy(config: &JobConfig) -> String {
    let resolved = if config.restart_strategy.is_none() {
        " (StateLab's and Flink's default for this job)"
    } else {
        ""
    };
    let text = match config.effective_restart_strategy() {
        RestartStrategyConfig::None => "none".to_owned(),
        RestartStrategyConfig::FixedDelay { attempts, delay_ms } => {
            format!("fixed-delay, {attempts} attempts, {delay_ms} ms apart")
        }
        RestartStrategyConfig::FailureRate {
            max_failures_per_interval,
            failure_rate_interval_ms,
            delay_ms,
        } => format!(
            "failure-rate, at most {max_failures_per_interval} failures per {failure_rate_interval_ms} ms, \
             {delay_ms} ms delay"
        ),
        RestartStrategyConfig::ExponentialDelay {
            initial_backoff_ms,
            max_backoff_ms,
            backoff_multiplier,
            ..
        } => format!(
            "exponential-delay, from {initial_backoff_ms} ms to {max_backoff_ms} ms, ×{backoff_multiplier:?}"
        ),
    };
    text + resolved
}

/// What of StateLab's configuration the program leaves out, one bullet each.
fn left_out(config: &JobConfig) -> Vec<String> {
    let mut out = Vec::new();
    let other_failures = config
        .failures
        .iter()
        .filter(|f| !matches!(f, FailureTrigger::ProcessElementCall { .. }))
        .count();
    let call_failures = config.failures.len() - other_failures;
    if call_failures > 0 && failure_calls(config).is_empty() {
        out.push(format!(
            "{call_failures} injected failure(s) on a `processElement` call: without checkpoints Flink's collect \
             sink, which brings the counts back to this program, cannot follow a restart (\"Job restarted\"). The \
             job restarts from the beginning then, so the final counts are the same without them."
        ));
    }
    if other_failures > 0 {
        out.push(format!(
            "{other_failures} injected failure(s) at an event index or a time: only failures on a \
             `processElement` call are exported (`InjectedFailures.java`)."
        ));
    }
    if !config.failures.is_empty() && config.checkpointing.mode == CheckpointingMode::AtLeastOnce {
        out.push(
            "With AT_LEAST_ONCE checkpoints a restart can count some events twice, in StateLab and in Flink \
             alike, and not necessarily the same ones: the final counts of a run with failures may differ."
                .to_owned(),
        );
    }
    if !config.script.is_empty() {
        out.push(format!(
            "The job's script ({} scheduled commands: keys typed in, checkpoints, restores, rescaling) is \
             StateLab's: a Flink program has no such thing.",
            config.script.len()
        ));
    }
    out.push(match &config.memory {
        MemoryConfig::Process {
            process_size,
            managed_size,
        } => format!(
            "TaskManager memory: StateLab modelled TaskManagers of `taskmanager.memory.process.size: \
             {process_size}`{} with `taskmanager.numberOfTaskSlots: {}`; set these in the cluster's \
             configuration (a local run has one TaskManager with every slot in this JVM).",
            managed_size.map_or(String::new(), |m| format!(
                ", `taskmanager.memory.managed.size: {m}`"
            )),
            config.number_of_task_slots
        ),
        MemoryConfig::Local { jvm_heap } => format!(
            "JVM heap: StateLab modelled local execution in a JVM of `-Xmx{jvm_heap}`; run with \
             `MAVEN_OPTS=-Xmx{jvm_heap} mvn compile exec:java` for the same heap."
        ),
    });
    out.push(
        "The simulated network (latency, jitter, channel capacity), the processing time per record, the \
         checkpoints' write speed and trigger jitter: they set StateLab's simulated clock; in Flink the \
         machine sets them, so checkpoints, barriers and restarts happen at other moments (the final counts \
         do not depend on them)."
            .to_owned(),
    );
    out
}

pub(super) fn readme(
    config: &JobConfig,
    events: u64,
    bounded_by_default: bool,
    files: &[ProjectFile],
) -> String {
    let s = &config.source;
    let events_note = if bounded_by_default {
        format!(
            " StateLab's source had no `maxEvents` and runs forever; this program stops after {events} events, \
             and `statelab-job.json` carries that bound (`source.maxEvents`; `statelab run --events {events}`)."
        )
    } else {
        String::new()
    };
    let failures = failure_calls(config);
    let failures_line = if failures.is_empty() {
        String::new()
    } else {
        let list: Vec<String> = failures.iter().map(u64::to_string).collect();
        format!(
            "- Injected failures: on `processElement` calls {} (`InjectedFailures.java`: exact in a local run; \
             on a cluster, empty its list first)\n",
            list.join(", ")
        )
    };
    let mut listing = String::new();
    for f in files {
        listing.push_str(&format!("- `{}`\n", f.path));
    }
    listing.push_str("- `README.md`\n");
    let left_out: String = left_out(config)
        .iter()
        .map(|l| format!("- {l}\n"))
        .collect();
    format!(
        r#"# StateLab's counter job for Apache Flink

Exported by `statelab export-job` from a StateLab job: the keyed counter job

    DataGeneratorSource -> keyBy(key) -> EventCounterProcessFunction -> this program

as a Flink 2.x program, written for and checked against Flink {FLINK_VERSION}. Its source emits exactly the keys
StateLab's source emits (`KeyGenerator.java` ports StateLab's seeded generator), so when the job has finished,
every key's count is the one StateLab's run of the same configuration ends with.

## Run it

Locally, in Flink's MiniCluster (Java 11 or later, Maven 3.6.3 or later):

    mvn compile exec:java

On a Flink {FLINK_VERSION} cluster:

    mvn package
    flink run target/statelab-job-1.0.jar

Flink's jars are `provided` (the cluster has them), so the jar holds only this program. When the job has
finished, the program prints `# final count per key (key TAB count): …` and one line `key<TAB>count` per key,
in key order. On a cluster, set `execution.checkpointing.dir` to keep checkpoints somewhere durable.

## The same counts in StateLab

    statelab run --config statelab-job.json --counts

(`statelab export-job` writes the configuration as `statelab-job.json` next to this README.) Its `finalCounts`
are the counts this program prints.{events_note} Failures do not change them: with exactly-once checkpoints
a restart rewinds the source to the latest completed checkpoint and restores the counts it holds (without
checkpoints, the job starts over).

## The job

- Keys: {keys}
- Source: {events} events at {rate} events/s, parallelism {source_parallelism}
- Keyed operator: `EventCounterProcessFunction`, parallelism {parallelism}, max parallelism {max_parallelism}
  (the number of key groups), uid `{EVENT_COUNTER_UID}`, `ValueState<Long>` "event-counter" in the
  HashMapStateBackend
- Checkpoints: {checkpoints}
- Restart strategy: {restart}
{failures_line}
## Not carried over

{left_out}
## Files

{listing}"#,
        keys = keys(config),
        rate = s.rate,
        source_parallelism = s.parallelism,
        parallelism = config.parallelism,
        max_parallelism = config.effective_max_parallelism(),
        checkpoints = checkpoints(config),
        restart = restart_strategy(config),
    )
}

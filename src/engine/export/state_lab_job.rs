//! `StateLabJob.java`, the program's `main`: the configuration (HashMapStateBackend, checkpointing, restart
//! strategy) as Flink 2.x options, the pipeline `DataGeneratorSource → keyBy → EventCounterProcessFunction`
//! at StateLab's parallelisms, and the final count of every key printed when the bounded job has finished.

use super::java_literal;
use crate::engine::cluster::job_config::{CheckpointingMode, JobConfig, RestartStrategyConfig};
use crate::engine::cluster::operator_id::EVENT_COUNTER_UID;
use crate::engine::keys::java_key::JavaKeyType;

/// The `TypeInformation` of a key type.
fn type_info(key_type: JavaKeyType) -> &'static str {
    match key_type {
        JavaKeyType::String => "Types.STRING",
        JavaKeyType::Integer => "Types.INT",
        JavaKeyType::Long => "Types.LONG",
    }
}

fn duration(ms: u64) -> String {
    format!("Duration.ofMillis({ms})")
}

/// The `conf.set(…)` lines of checkpointing and the restart strategy.
fn options(config: &JobConfig) -> String {
    let c = &config.checkpointing;
    let mut out = String::new();
    let mut set = |comment: &str, option: &str, value: String| {
        out.push_str(&format!(
            "        // {comment}\n        conf.set({option}, {value});\n"
        ));
    };
    if let Some(interval) = c.interval_ms {
        let (mode, about) = match c.mode {
            CheckpointingMode::ExactlyOnce => ("EXACTLY_ONCE", "barriers aligned"),
            CheckpointingMode::AtLeastOnce => ("AT_LEAST_ONCE", "barriers not aligned"),
        };
        set(
            "execution.checkpointing.interval",
            "CheckpointingOptions.CHECKPOINTING_INTERVAL",
            duration(interval),
        );
        set(
            &format!("execution.checkpointing.mode: {about}"),
            "CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE",
            format!("CheckpointingMode.{mode}"),
        );
        set(
            "execution.checkpointing.timeout",
            "CheckpointingOptions.CHECKPOINTING_TIMEOUT",
            duration(c.timeout_ms),
        );
        set(
            "execution.checkpointing.min-pause",
            "CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS",
            duration(c.min_pause_ms),
        );
        set(
            "execution.checkpointing.tolerable-failed-checkpoints",
            "CheckpointingOptions.TOLERABLE_FAILURE_NUMBER",
            java_literal::int(c.tolerable_failed_checkpoints),
        );
        set(
            "execution.checkpointing.num-retained",
            "CheckpointingOptions.MAX_RETAINED_CHECKPOINTS",
            c.retained.to_string(),
        );
    } else {
        out.push_str("        // Checkpointing is off (no execution.checkpointing.interval), as in StateLab.\n");
    }
    let mut set = |comment: &str, option: &str, value: String| {
        out.push_str(&format!(
            "        // {comment}\n        conf.set(RestartStrategyOptions.{option}, {value});\n"
        ));
    };
    let kind = |name: &str| format!("\"{name}\"");
    match config.effective_restart_strategy() {
        RestartStrategyConfig::None => {
            set(
                "restart-strategy.type: a failure fails the job",
                "RESTART_STRATEGY",
                kind("none"),
            );
        }
        RestartStrategyConfig::FixedDelay { attempts, delay_ms } => {
            set(
                "restart-strategy.type",
                "RESTART_STRATEGY",
                kind("fixed-delay"),
            );
            set(
                "restart-strategy.fixed-delay.attempts",
                "RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS",
                java_literal::int(attempts),
            );
            set(
                "restart-strategy.fixed-delay.delay",
                "RESTART_STRATEGY_FIXED_DELAY_DELAY",
                duration(delay_ms),
            );
        }
        RestartStrategyConfig::FailureRate {
            max_failures_per_interval,
            failure_rate_interval_ms,
            delay_ms,
        } => {
            set(
                "restart-strategy.type",
                "RESTART_STRATEGY",
                kind("failure-rate"),
            );
            set(
                "restart-strategy.failure-rate.max-failures-per-interval",
                "RESTART_STRATEGY_FAILURE_RATE_MAX_FAILURES_PER_INTERVAL",
                java_literal::int(max_failures_per_interval),
            );
            set(
                "restart-strategy.failure-rate.failure-rate-interval",
                "RESTART_STRATEGY_FAILURE_RATE_FAILURE_RATE_INTERVAL",
                duration(failure_rate_interval_ms),
            );
            set(
                "restart-strategy.failure-rate.delay",
                "RESTART_STRATEGY_FAILURE_RATE_DELAY",
                duration(delay_ms),
            );
        }
        RestartStrategyConfig::ExponentialDelay {
            initial_backoff_ms,
            max_backoff_ms,
            backoff_multiplier,
            reset_backoff_threshold_ms,
            jitter_factor,
            attempts_before_reset_backoff,
        } => {
            set(
                "restart-strategy.type",
                "RESTART_STRATEGY",
                kind("exponential-delay"),
            );
            set(
                "restart-strategy.exponential-delay.initial-backoff",
                "RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF",
                duration(initial_backoff_ms),
            );
            set(
                "restart-strategy.exponential-delay.max-backoff",
                "RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF",
                duration(max_backoff_ms),
            );
            set(
                "restart-strategy.exponential-delay.backoff-multiplier",
                "RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER",
                java_literal::double(backoff_multiplier),
            );
            set(
                "restart-strategy.exponential-delay.reset-backoff-threshold",
                "RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD",
                duration(reset_backoff_threshold_ms),
            );
            set(
                "restart-strategy.exponential-delay.jitter-factor",
                "RESTART_STRATEGY_EXPONENTIAL_DELAY_JITTER_FACTOR",
                java_literal::double(jitter_factor),
            );
            set(
                "restart-strategy.exponential-delay.attempts-before-reset-backoff",
                "RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS",
                java_literal::int(attempts_before_reset_backoff),
            );
        }
    }
    out
}

/// The text of `StateLabJob.java`; `events` is the bounded source's length.
pub(super) fn java(config: &JobConfig, events: u64, bounded_by_default: bool) -> String {
    let key_type = config.source.key_format.key_type;
    let k = key_type.java_name();
    let types = type_info(key_type);
    let events_doc = if config.source.replay.is_some() {
        "one per replayed key (source.replay)"
    } else if bounded_by_default {
        "StateLab's source had no maxEvents and runs forever; this job stops after these, as\n     * statelab run --events N does"
    } else {
        "source.maxEvents"
    };
    let checkpoint_imports = if config.checkpointing.interval_ms.is_some() {
        "import org.apache.flink.configuration.CheckpointingOptions;\n"
    } else {
        ""
    };
    let mode_import = if config.checkpointing.interval_ms.is_some() {
        "import org.apache.flink.core.execution.CheckpointingMode;\n"
    } else {
        ""
    };
    let duration_import = if config.checkpointing.interval_ms.is_some()
        || !matches!(
            config.effective_restart_strategy(),
            RestartStrategyConfig::None
        ) {
        "import java.time.Duration;\n"
    } else {
        ""
    };
    format!(
        r##"package statelab.job;

{duration_import}import java.util.Map;
import java.util.TreeMap;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.api.java.tuple.Tuple2;
{checkpoint_imports}import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
{mode_import}import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

/**
 * StateLab's keyed counter job for Apache Flink 2.x, exported by statelab export-job:
 *
 * <pre>
 * DataGeneratorSource --keyBy(key)--> EventCounterProcessFunction --> this program
 * </pre>
 *
 * The source emits exactly the keys StateLab's source emits (KeyGenerator), so when the job has finished, every
 * key's count is the one StateLab's run of the same configuration ends with. Run it with mvn compile exec:java,
 * or package it (mvn package) and submit target/statelab-job-1.0.jar with flink run: see README.md.
 */
public class StateLabJob {{
    /** How many events the source emits: {events_doc}. */
    static final long EVENTS = {events_literal};

    public static void main(String[] args) throws Exception {{
        Configuration conf = new Configuration();
        // state.backend.type: keyed state as objects on the TaskManager's heap, one CopyOnWriteStateMap per key
        // group, which is what StateLab models.
        conf.set(StateBackendOptions.STATE_BACKEND, "hashmap");
{options}
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        // The parallelism of the keyed operator.
        env.setParallelism({parallelism});

        // A bounded source of EVENTS events at {rate} events per second over all its subtasks; event i carries the
        // key KeyGenerator gives i.
        DataGeneratorSource<{k}> source = new DataGeneratorSource<>(
                new KeyGenerator(), EVENTS, RateLimiterStrategy.perSecond({rate}), {types});

        DataStream<Tuple2<{k}, Long>> counts = env
                .fromSource(source, WatermarkStrategy.noWatermarks(), "DataGeneratorSource")
                .setParallelism({source_parallelism})
                .keyBy(key -> key, {types})
                .process(new EventCounterProcessFunction())
                // The uid names the operator's state in checkpoints and savepoints (statelab run --restore
                // reads it there).
                .uid("{uid}")
                .name("EventCounterProcessFunction")
                // The number of key groups: key group = murmurHash(key.hashCode()) % {max_parallelism}.
                .setMaxParallelism({max_parallelism});

        // The sink: every (key, count) the function emits comes back to this program. A key's final count is
        // the highest one it emitted: after a restart the function counts on from the restored checkpoint.
        Map<{k}, Long> finalCounts = new TreeMap<>();
        try (CloseableIterator<Tuple2<{k}, Long>> results = counts.executeAndCollect("StateLab counter job")) {{
            while (results.hasNext()) {{
                Tuple2<{k}, Long> result = results.next();
                finalCounts.merge(result.f0, result.f1, Math::max);
            }}
        }}
        long total = 0;
        for (long count : finalCounts.values()) {{
            total += count;
        }}
        System.out.println("# final count per key (key TAB count): " + finalCounts.size() + " keys, " + total
                + " events");
        for (Map.Entry<{k}, Long> entry : finalCounts.entrySet()) {{
            System.out.println(entry.getKey() + "\t" + entry.getValue());
        }}
    }}
}}
"##,
        events_literal = java_literal::long(events),
        options = options(config),
        parallelism = config.parallelism,
        rate = config.source.rate,
        source_parallelism = config.source.parallelism,
        uid = EVENT_COUNTER_UID,
        max_parallelism = config.effective_max_parallelism(),
    )
}

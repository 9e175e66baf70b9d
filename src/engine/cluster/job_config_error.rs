//! Why a [`JobConfig`](crate::engine::cluster::job_config::JobConfig) was refused, as typed values with the
//! numbers that failed: the setting ([`Setting`]), Flink's own restart-strategy checks ([`RestartStrategyError`],
//! in Flink's words), the memory layout's ([`MemoryConfigError`]) and a scripted command's ([`ScriptError`]). The
//! English below is what the CLI prints; the page words every variant in its language through `src/i18n`.

use crate::engine::checkpoint::decimal::Shortest;
use crate::engine::memory::task_executor_memory::MemoryConfigError;
use thiserror::Error;

#[derive(Clone, Debug, PartialEq, Error)]
pub enum JobConfigError {
    #[error("parallelism must be between 1 and {max}, not {parallelism}")]
    Parallelism { parallelism: u32, max: u32 },
    #[error("source parallelism must be between 1 and {max}, not {parallelism}")]
    SourceParallelism { parallelism: u32, max: u32 },
    /// Flink's own check (`ConfigurationParserUtils.getSlot`).
    #[error(
        "Invalid configuration value for taskmanager.numberOfTaskSlots : {0} - Number of task slots must be at least one."
    )]
    TaskSlots(u32),
    #[error("max parallelism {max} is invalid: it must be between the parallelism ({parallelism}) and {upper}")]
    MaxParallelism {
        max: u32,
        parallelism: u32,
        upper: i32,
    },
    #[error("the source needs at least one key (keyCount is 0)")]
    NoKeys,
    #[error("keyCount {count} is more than the key format can spell ({max})")]
    TooManyKeys { count: u64, max: u64 },
    #[error("the Zipf exponent must be greater than 0 and at most 20, not {}", Shortest(*.0))]
    ZipfExponent(f64),
    #[error("the hot key's share must be between 0 and 1, not {}", Shortest(*.0))]
    HotKeyFraction(f64),
    #[error("the hot key index {key} is not below keyCount {count}")]
    HotKeyIndex { key: u64, count: u64 },
    #[error("replayed key #{index} '{text}' is not a valid {key_type} key")]
    ReplayKey {
        index: usize,
        text: String,
        key_type: &'static str,
    },
    #[error("the replay list is empty")]
    EmptyReplay,
    #[error("the replay list holds more than {max} keys")]
    ReplayTooLong { max: usize },
    #[error("replayed key #{index} is longer than the {max} bytes StateLab accepts")]
    ReplayKeyTooLong { index: usize, max: usize },
    #[error(
        "failure #{index} is scheduled at {ms} ms, beyond the simulation's horizon ({max} ms)"
    )]
    FailureTime { index: usize, ms: u64, max: u64 },
    #[error("the source rate must be at most 1,000,000,000 events per second, not {0}")]
    Rate(u64),
    #[error("{what} must be at most {max}, not {value}")]
    TooLarge { what: Setting, value: u64, max: u64 },
    #[error("{what} must be at least {min}, not {value}")]
    TooSmall { what: Setting, value: u64, min: u64 },
    #[error("restart strategy: {0}")]
    RestartStrategy(RestartStrategyError),
    #[error("memory: {0}")]
    Memory(Box<MemoryConfigError>),
    #[error("the key prefix must be at most 64 characters")]
    KeyPrefix,
    #[error("script command #{index}: {reason}")]
    Script { index: usize, reason: ScriptError },
}

/// A bounded setting of the configuration, as the checks name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
pub enum Setting {
    #[error("taskmanager.numberOfTaskSlots")]
    NumberOfTaskSlots,
    #[error("network latency (µs)")]
    NetworkLatency,
    #[error("network latency jitter (µs)")]
    NetworkLatencyJitter,
    #[error("processing time (ns)")]
    ProcessingTime,
    #[error("channel capacity")]
    ChannelCapacity,
    #[error("checkpoint interval (ms)")]
    CheckpointInterval,
    #[error("checkpoint timeout (ms)")]
    CheckpointTimeout,
    #[error("checkpoint min pause (ms)")]
    CheckpointMinPause,
    #[error("retained checkpoints")]
    RetainedCheckpoints,
    #[error("tolerable failed checkpoints")]
    TolerableFailedCheckpoints,
    #[error("checkpoint write speed (bytes/s)")]
    CheckpointWriteSpeed,
    #[error("trigger jitter (µs)")]
    TriggerJitter,
    #[error("key zero padding")]
    KeyZeroPadding,
    #[error("restart delay (ms)")]
    RestartDelay,
    #[error("maximum backoff (ms)")]
    MaximumBackoff,
}

impl Setting {
    /// Every variant, in declaration order.
    pub const ALL: [Setting; 15] = [
        Setting::NumberOfTaskSlots,
        Setting::NetworkLatency,
        Setting::NetworkLatencyJitter,
        Setting::ProcessingTime,
        Setting::ChannelCapacity,
        Setting::CheckpointInterval,
        Setting::CheckpointTimeout,
        Setting::CheckpointMinPause,
        Setting::RetainedCheckpoints,
        Setting::TolerableFailedCheckpoints,
        Setting::CheckpointWriteSpeed,
        Setting::TriggerJitter,
        Setting::KeyZeroPadding,
        Setting::RestartDelay,
        Setting::MaximumBackoff,
    ];
}

/// The checks of Flink's restart-strategy factories (`FailureRateRestartBackoffTimeStrategy`,
/// `ExponentialDelayRestartBackoffTimeStrategy`), in Flink's words.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
pub enum RestartStrategyError {
    #[error("Maximum number of restart attempts per time unit must be greater than 0.")]
    MaxFailuresPerInterval,
    #[error("Failures interval must be greater than 0 ms.")]
    FailureRateInterval,
    #[error("Initial backoff must be at least 1.")]
    InitialBackoff,
    #[error("Maximum backoff must be at least 1.")]
    MaxBackoff,
    #[error("Initial backoff cannot be higher than maximum backoff.")]
    InitialAboveMaxBackoff,
    #[error("Backoff multiplier must be greater than 1.")]
    BackoffMultiplier,
    #[error("Threshold duration for exponential backoff reset must be at least 1.")]
    ResetBackoffThreshold,
    #[error("Jitter factor must be >= 0 and <= 1.")]
    JitterFactor,
    #[error("The attemptsBeforeResetBackoff must be at least 1.")]
    AttemptsBeforeResetBackoff,
}

impl RestartStrategyError {
    /// Every variant, in declaration order.
    pub const ALL: [RestartStrategyError; 9] = [
        RestartStrategyError::MaxFailuresPerInterval,
        RestartStrategyError::FailureRateInterval,
        RestartStrategyError::InitialBackoff,
        RestartStrategyError::MaxBackoff,
        RestartStrategyError::InitialAboveMaxBackoff,
        RestartStrategyError::BackoffMultiplier,
        RestartStrategyError::ResetBackoffThreshold,
        RestartStrategyError::JitterFactor,
        RestartStrategyError::AttemptsBeforeResetBackoff,
    ];
}

/// Why a command of the configuration's `script` can never run.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ScriptError {
    #[error("afterRecords counts from 1 (after the first record)")]
    AfterRecordsZero,
    #[error("atTime {ms} ms is beyond the simulation's horizon ({max} ms)")]
    AtTimeBeyondHorizon { ms: u64, max: u64 },
    #[error("checkpoint ids start at 1")]
    CheckpointIdZero,
    #[error("'{key}' is not a valid {key_type} key")]
    BadKey { key: String, key_type: &'static str },
    #[error("restore at parallelism {parallelism}: it must be between 1 and {max}")]
    RestoreParallelism { parallelism: u32, max: u32 },
    #[error("restore at parallelism {parallelism}: above the max parallelism {max_parallelism}")]
    RestoreAboveMaxParallelism {
        parallelism: u32,
        max_parallelism: u32,
    },
    #[error("the source rate must be at most 1,000,000,000 events per second, not {0}")]
    Rate(u64),
    #[error("checkpoint interval must be between 1 ms and 24 h, not {0} ms")]
    CheckpointInterval(u64),
}

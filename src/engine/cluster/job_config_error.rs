//! Why a [`JobConfig`](crate::engine::cluster::job_config::JobConfig) was refused, as typed values with the
//! numbers that failed: the setting ([`Setting`]), Flink's own restart-strategy checks ([`RestartStrategyError`],
//! in Flink's words), the memory layout's ([`MemoryConfigError`]) and a scripted command's ([`ScriptError`]). The
//! English below is what the CLI prints; the page words every variant in its language through `src/i18n`.

use crate::engine::memory::task_executor_memory::MemoryConfigError;

#[derive(Clone, Debug, PartialEq)]
pub enum JobConfigError {
    Parallelism {
        parallelism: u32,
        max: u32,
    },
    SourceParallelism {
        parallelism: u32,
        max: u32,
    },
    /// Flink's own check (`ConfigurationParserUtils.getSlot`).
    TaskSlots(u32),
    MaxParallelism {
        max: u32,
        parallelism: u32,
        upper: i32,
    },
    NoKeys,
    TooManyKeys {
        count: u64,
        max: u64,
    },
    ZipfExponent(f64),
    HotKeyFraction(f64),
    HotKeyIndex {
        key: u64,
        count: u64,
    },
    ReplayKey {
        index: usize,
        text: String,
        key_type: &'static str,
    },
    EmptyReplay,
    ReplayTooLong {
        max: usize,
    },
    ReplayKeyTooLong {
        index: usize,
        max: usize,
    },
    FailureTime {
        index: usize,
        ms: u64,
        max: u64,
    },
    Rate(u64),
    TooLarge {
        what: Setting,
        value: u64,
        max: u64,
    },
    TooSmall {
        what: Setting,
        value: u64,
        min: u64,
    },
    RestartStrategy(RestartStrategyError),
    Memory(Box<MemoryConfigError>),
    KeyPrefix,
    Script {
        index: usize,
        reason: ScriptError,
    },
}

crate::i18n::english_error!(JobConfigError => crate::i18n::messages::errors::job_config);

/// A bounded setting of the configuration, as the checks name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Setting {
    NumberOfTaskSlots,
    NetworkLatency,
    NetworkLatencyJitter,
    ProcessingTime,
    ChannelCapacity,
    CheckpointInterval,
    CheckpointTimeout,
    CheckpointMinPause,
    RetainedCheckpoints,
    TolerableFailedCheckpoints,
    CheckpointWriteSpeed,
    TriggerJitter,
    KeyZeroPadding,
    RestartDelay,
    MaximumBackoff,
}

crate::i18n::english_error!(Setting => crate::i18n::messages::errors::setting);

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
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RestartStrategyError {
    MaxFailuresPerInterval,
    FailureRateInterval,
    InitialBackoff,
    MaxBackoff,
    InitialAboveMaxBackoff,
    BackoffMultiplier,
    ResetBackoffThreshold,
    JitterFactor,
    AttemptsBeforeResetBackoff,
}

crate::i18n::english_error!(RestartStrategyError => crate::i18n::messages::errors::restart_strategy);

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
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScriptError {
    AfterRecordsZero,
    AtTimeBeyondHorizon {
        ms: u64,
        max: u64,
    },
    CheckpointIdZero,
    BadKey {
        key: String,
        key_type: &'static str,
    },
    RestoreParallelism {
        parallelism: u32,
        max: u32,
    },
    RestoreAboveMaxParallelism {
        parallelism: u32,
        max_parallelism: u32,
    },
    Rate(u64),
    CheckpointInterval(u64),
}

crate::i18n::english_error!(ScriptError => crate::i18n::messages::errors::script);

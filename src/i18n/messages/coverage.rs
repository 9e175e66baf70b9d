//! Proof that no engine message reaches the page untranslated: every error, reason and failure the engine reports
//! is a typed value, and here one sample of every variant is worded in Chinese and checked to be Chinese (and not
//! the English). The `match`es without a wildcard make a new variant a compile error here until it has a sample.

use super::errors::{
    checkpoint_failure, engine, failure_cause, history, job_command, memory_config,
};
use super::heap::component;
use super::is_cjk;
use crate::engine::checkpoint::blob_error::{
    BlobError, Implausible, JobShape, Limit, Malformed, SectionProblem, Sum,
};
use crate::engine::checkpoint::checkpoint_coordinator::TriggerError;
use crate::engine::checkpoint::checkpoint_failure_reason::CheckpointFailureReason;
use crate::engine::checkpoint::checkpoints::SavepointRestoreError;
use crate::engine::checkpoint::state_assignment_operation::RestoreError;
use crate::engine::cluster::engine_error::EngineError;
use crate::engine::cluster::engine_event::{FailureCause, InjectedFailure};
use crate::engine::cluster::job_command::JobCommand;
use crate::engine::cluster::job_config::JobConfig;
use crate::engine::cluster::job_config_error::{
    JobConfigError, RestartStrategyError, ScriptError, Setting,
};
use crate::engine::cluster::job_status::JobStatus;
use crate::engine::history::run_history::{Divergence, HistoryError};
use crate::engine::keys::key_group::KeyGroup;
use crate::engine::keys::key_group_range::KeyGroupRange;
use crate::engine::keys::key_group_range_assignment::KeyGroupAssignmentError;
use crate::engine::keys::key_registry::KeyError;
use crate::engine::memory::memory_size::{MemorySize, MemorySizeError};
use crate::engine::memory::task_executor_memory::{derive, MemoryConfig, MemoryConfigError};
use crate::engine::savepoint::savepoint_error::SavepointError;
use crate::engine::state::heap::copy_on_write_state_map::StateMapError;
use crate::engine::state::state_descriptor::StateDescriptorType;
use crate::engine::state::state_error::StateError;
use crate::engine::tasks::stream_element::EventRef;
use crate::i18n::Lang;

fn assert_chinese(english: &str, chinese: &str, what: &dyn std::fmt::Debug) {
    assert!(
        chinese.chars().any(is_cjk),
        "{what:?} reaches the Chinese page untranslated: {chinese}"
    );
    assert_ne!(
        english, chinese,
        "{what:?} reads the same in both languages"
    );
}

fn script_errors() -> Vec<ScriptError> {
    let all = vec![
        ScriptError::AfterRecordsZero,
        ScriptError::AtTimeBeyondHorizon { ms: 5, max: 4 },
        ScriptError::CheckpointIdZero,
        ScriptError::BadKey {
            key: "x".into(),
            key_type: "Long",
        },
        ScriptError::RestoreParallelism {
            parallelism: 9,
            max: 8,
        },
        ScriptError::RestoreAboveMaxParallelism {
            parallelism: 4,
            max_parallelism: 2,
        },
        ScriptError::Rate(2_000_000_000),
        ScriptError::CheckpointInterval(0),
    ];
    for e in &all {
        match e {
            ScriptError::AfterRecordsZero
            | ScriptError::AtTimeBeyondHorizon { .. }
            | ScriptError::CheckpointIdZero
            | ScriptError::BadKey { .. }
            | ScriptError::RestoreParallelism { .. }
            | ScriptError::RestoreAboveMaxParallelism { .. }
            | ScriptError::Rate(_)
            | ScriptError::CheckpointInterval(_) => {}
        }
    }
    all
}

fn memory_config_errors() -> Vec<MemoryConfigError> {
    let mut all = vec![
        MemoryConfigError::LocalJvmHeapOutOfRange {
            jvm_heap: MemorySize::of_bytes(40),
        },
        MemoryConfigError::Size(MemorySizeError::Empty),
    ];
    // The others as the derivation itself reports them.
    for process in [MemorySize::of_mebibytes(300), MemorySize::of_mebibytes(900)] {
        let config = MemoryConfig::Process {
            process_size: process,
            managed_size: Some(MemorySize::of_mebibytes(800)),
        };
        if let Err(e) = derive(&config, &Default::default()) {
            all.push(e);
        }
    }
    assert_eq!(all.len(), 4, "{all:?}");
    for e in &all {
        match e {
            MemoryConfigError::MetaspaceAndOverheadExceedProcess { .. }
            | MemoryConfigError::ComponentsExceedTotalFlink { .. }
            | MemoryConfigError::InconsistentRangeFraction { .. }
            | MemoryConfigError::LocalJvmHeapOutOfRange { .. }
            | MemoryConfigError::Size(_) => {}
        }
    }
    all
}

fn job_config_errors() -> Vec<JobConfigError> {
    let mut all = vec![
        JobConfigError::Parallelism {
            parallelism: 0,
            max: 8,
        },
        JobConfigError::SourceParallelism {
            parallelism: 9,
            max: 8,
        },
        JobConfigError::TaskSlots(0),
        JobConfigError::MaxParallelism {
            max: 1,
            parallelism: 2,
            upper: 32768,
        },
        JobConfigError::NoKeys,
        JobConfigError::TooManyKeys { count: 10, max: 9 },
        JobConfigError::ZipfExponent(0.0),
        JobConfigError::HotKeyFraction(2.0),
        JobConfigError::HotKeyIndex { key: 5, count: 4 },
        JobConfigError::ReplayKey {
            index: 1,
            text: "x".into(),
            key_type: "Long",
        },
        JobConfigError::EmptyReplay,
        JobConfigError::ReplayTooLong { max: 3 },
        JobConfigError::ReplayKeyTooLong { index: 0, max: 3 },
        JobConfigError::FailureTime {
            index: 0,
            ms: 5,
            max: 4,
        },
        JobConfigError::Rate(5),
        JobConfigError::KeyPrefix,
    ];
    for what in Setting::ALL {
        all.push(JobConfigError::TooLarge {
            what,
            value: 2,
            max: 1,
        });
        all.push(JobConfigError::TooSmall {
            what,
            value: 0,
            min: 1,
        });
    }
    all.extend(RestartStrategyError::ALL.map(JobConfigError::RestartStrategy));
    all.extend(
        memory_config_errors()
            .into_iter()
            .map(|e| JobConfigError::Memory(Box::new(e))),
    );
    all.extend(
        script_errors()
            .into_iter()
            .map(|reason| JobConfigError::Script { index: 2, reason }),
    );
    for e in &all {
        match e {
            JobConfigError::Parallelism { .. }
            | JobConfigError::SourceParallelism { .. }
            | JobConfigError::TaskSlots(_)
            | JobConfigError::MaxParallelism { .. }
            | JobConfigError::NoKeys
            | JobConfigError::TooManyKeys { .. }
            | JobConfigError::ZipfExponent(_)
            | JobConfigError::HotKeyFraction(_)
            | JobConfigError::HotKeyIndex { .. }
            | JobConfigError::ReplayKey { .. }
            | JobConfigError::EmptyReplay
            | JobConfigError::ReplayTooLong { .. }
            | JobConfigError::ReplayKeyTooLong { .. }
            | JobConfigError::FailureTime { .. }
            | JobConfigError::Rate(_)
            | JobConfigError::TooLarge { .. }
            | JobConfigError::TooSmall { .. }
            | JobConfigError::RestartStrategy(_)
            | JobConfigError::Memory(_)
            | JobConfigError::KeyPrefix
            | JobConfigError::Script { .. } => {}
        }
    }
    all
}

/// What the reader of format version 3 refuses that earlier versions could not hold.
fn blob_errors_of_version_3() -> Vec<BlobError> {
    let section = |problem| Malformed::Section {
        key_group: 3,
        problem,
    };
    let sections = [
        SectionProblem::CountBeyondBytes { entry: 1, count: 9 },
        SectionProblem::UserKeyNotUtf8 { entry: 1 },
        SectionProblem::RepeatedUserKey { entry: 1 },
        SectionProblem::PresenceFlag { entry: 1, flag: 7 },
        SectionProblem::TimersBeyondBytes { count: 9 },
        SectionProblem::TimerUnreadable { timer: 2 },
        SectionProblem::TimerKey { timer: 2, code: 9 },
        SectionProblem::TimerWrongKeyGroup {
            timer: 2,
            actual: 5,
        },
        SectionProblem::RepeatedTimer { timer: 2 },
    ];
    let mut all: Vec<BlobError> = sections.into_iter().map(|p| section(p).into()).collect();
    all.extend([
        Malformed::Version {
            function: "event-log",
            version: 2,
            expected: 3,
        }
        .into(),
        Limit::Elements {
            key_group: 3,
            entry: 1,
            count: 9,
            max: 8,
        }
        .into(),
        Limit::UserKey {
            key_group: 3,
            entry: 1,
            bytes: 9,
            max: 8,
        }
        .into(),
        Limit::Timers {
            key_group: 3,
            count: 9,
            max: 8,
        }
        .into(),
        Implausible::Value {
            key_group: 3,
            entry: 1,
            value: 0,
            min: 1,
            max: 100,
        }
        .into(),
        Implausible::AmountsExceedEvents {
            amounts: Sum(1000),
            events: 2,
            max_amount: 100,
        }
        .into(),
        Implausible::UnexpectedTimers {
            key_group: 3,
            count: 2,
            function: "event-log",
        }
        .into(),
        Implausible::SessionWithoutTimer {
            key_group: 3,
            entry: 1,
        }
        .into(),
        Implausible::TimerWithoutSession {
            key_group: 3,
            timer: 2,
            timestamp: 4000,
        }
        .into(),
        JobShape::State {
            kind: "ListState".into(),
            value_type: "Long".into(),
            name: "event-log".into(),
            function: "average",
            expected: "AggregatingState<Long, Double> 'average'".into(),
        }
        .into(),
    ]);
    all
}

fn engine_errors() -> Vec<EngineError> {
    let mut all: Vec<EngineError> = job_config_errors()
        .into_iter()
        .map(EngineError::Config)
        .collect();
    all.extend([
        EngineError::Key(KeyError::Full),
        EngineError::Key(KeyError::TooLong { bytes: 5, max: 4 }),
        EngineError::BadKey {
            text: "x".into(),
            key_type: "Long",
        },
        EngineError::NotRunning(JobStatus::Restarting),
        EngineError::Trigger(TriggerError::AlreadyInProgress(3)),
        EngineError::Trigger(TriggerError::JobNotRunning),
        EngineError::Trigger(TriggerError::IdsExhausted(9)),
        EngineError::Restore(RestoreError::MaxParallelismBelowParallelism {
            max_parallelism: 2,
            parallelism: 3,
        }),
        EngineError::Restore(RestoreError::MaxParallelismChanged {
            checkpoint: 128,
            configured: 256,
        }),
        EngineError::Restore(RestoreError::UnknownCheckpoint(4)),
        EngineError::Restore(RestoreError::NoCheckpoint),
        EngineError::Restore(RestoreError::Parallelism {
            parallelism: 9,
            max: 8,
        }),
        EngineError::Restore(RestoreError::KeyGroups(
            KeyGroupAssignmentError::ParallelismOutOfBounds(0),
        )),
        EngineError::Restore(RestoreError::KeyGroups(
            KeyGroupAssignmentError::MaxParallelismSmallerThanParallelism,
        )),
        EngineError::Restore(RestoreError::KeyGroups(
            KeyGroupAssignmentError::OperatorIndexOutOfBounds {
                index: 3,
                parallelism: 2,
            },
        )),
        EngineError::Interval,
        EngineError::Rate,
        EngineError::Blob(BlobError::ChecksumMismatch),
        EngineError::Blob(BlobError::TooShort(3)),
        EngineError::Blob(BlobError::NotUpgraded(1)),
        EngineError::Savepoint(SavepointRestoreError::NotTheCounterJob {
            function: "event-log",
        }),
        EngineError::Savepoint(SavepointRestoreError::NoOperator {
            uid: "event-counter-op".into(),
            operator_id: "0a448493b4782967b150582570326227".into(),
            operators: 3,
        }),
        EngineError::Savepoint(SavepointRestoreError::NoCounterState {
            uid: "u".into(),
        }),
        EngineError::Savepoint(SavepointRestoreError::NotAValueState {
            uid: "u".into(),
            kind: "LIST".into(),
        }),
        EngineError::Savepoint(SavepointRestoreError::NotLongValues {
            serializer: "org.apache.flink.api.common.typeutils.base.StringSerializer$StringSerializerSnapshot"
                .into(),
        }),
        EngineError::Savepoint(SavepointRestoreError::KeyType {
            serializer: "org.apache.flink.api.common.typeutils.base.IntSerializer$IntSerializerSnapshot".into(),
            expected: "String",
        }),
        EngineError::Savepoint(SavepointRestoreError::Unreadable {
            subtask: 1,
            error: SavepointError::NoMetadata,
        }),
        EngineError::Savepoint(SavepointRestoreError::WrongKeyGroup {
            key: "k1".into(),
            stored: 3,
            expected: 19,
        }),
        EngineError::Savepoint(SavepointRestoreError::MaxParallelism(0)),
        EngineError::Savepoint(SavepointRestoreError::Key(KeyError::Full)),
    ]);
    all.extend(
        blob_errors_of_version_3()
            .into_iter()
            .map(EngineError::Blob),
    );
    for e in &all {
        match e {
            EngineError::Config(_)
            | EngineError::Key(_)
            | EngineError::BadKey { .. }
            | EngineError::NotRunning(_)
            | EngineError::Trigger(_)
            | EngineError::Restore(_)
            | EngineError::Interval
            | EngineError::Rate
            | EngineError::Blob(_)
            | EngineError::Savepoint(_) => {}
        }
    }
    all
}

fn failure_causes() -> Vec<FailureCause> {
    let state_errors = [
        StateError::NoKeySet,
        StateError::KeyGroupNotInRange {
            key_group: KeyGroup::new(7),
            range: KeyGroupRange::of(0, 3),
        },
        StateError::TooManyStates(40_000),
        StateError::UnknownState("x".into()),
        StateError::IncompatibleStateType {
            name: "event-counter".into(),
            registered: StateDescriptorType::Value,
            requested: StateDescriptorType::List,
        },
        StateError::PriorityQueueTooLarge {
            required: 2_147_483_640,
        },
        StateError::StateMap(StateMapError::VersionCountOverflow),
        StateError::StateMap(StateMapError::UnknownSnapshotVersion(3)),
    ];
    for e in &state_errors {
        match e {
            StateError::NoKeySet
            | StateError::KeyGroupNotInRange { .. }
            | StateError::TooManyStates(_)
            | StateError::UnknownState(_)
            | StateError::IncompatibleStateType { .. }
            | StateError::PriorityQueueTooLarge { .. }
            | StateError::StateMap(_) => {}
        }
    }
    let injected = [
        InjectedFailure::ProcessElementCall {
            call: 5,
            event: EventRef::Generated(3),
        },
        InjectedFailure::ProcessElementCall {
            call: 6,
            event: EventRef::Injected(1),
        },
        InjectedFailure::Time { ms: 100 },
        InjectedFailure::Command("failure injected by hand".into()),
    ];
    let mut all: Vec<FailureCause> = state_errors
        .into_iter()
        .map(|error| FailureCause::StateBackend { error })
        .collect();
    all.extend(
        injected
            .into_iter()
            .map(|failure| FailureCause::Injected { failure }),
    );
    all.push(FailureCause::OutOfMemory {
        used: 10,
        limit: 8,
        task_manager: 1,
    });
    all.extend(
        checkpoint_failure_reasons()
            .into_iter()
            .map(|reason| FailureCause::CheckpointFailures { reason }),
    );
    for c in &all {
        match c {
            FailureCause::Injected { .. }
            | FailureCause::OutOfMemory { .. }
            | FailureCause::StateBackend { .. }
            | FailureCause::CheckpointFailures { .. } => {}
        }
    }
    all
}

fn checkpoint_failure_reasons() -> Vec<CheckpointFailureReason> {
    let all = vec![
        CheckpointFailureReason::CheckpointExpired,
        CheckpointFailureReason::JobFinished,
        CheckpointFailureReason::JobStarted,
        CheckpointFailureReason::JobRestored,
        CheckpointFailureReason::TaskFailure,
    ];
    for r in &all {
        match r {
            CheckpointFailureReason::CheckpointExpired
            | CheckpointFailureReason::JobFinished
            | CheckpointFailureReason::JobStarted
            | CheckpointFailureReason::JobRestored
            | CheckpointFailureReason::TaskFailure => {}
        }
    }
    all
}

#[test]
fn every_engine_error_reads_in_chinese() {
    let errors = engine_errors();
    assert!(errors.len() > 80, "{} samples", errors.len());
    for e in &errors {
        assert_eq!(engine(e, Lang::En), e.to_string());
        assert_chinese(&engine(e, Lang::En), &engine(e, Lang::Zh), e);
    }
    for e in memory_config_errors() {
        assert_chinese(&e.to_string(), &memory_config(&e, Lang::Zh), &e);
    }
}

#[test]
fn every_history_error_reads_in_chinese() {
    let errors = [
        HistoryError::StepOutOfRange {
            step: 9,
            origin: 0,
            head: 5,
        },
        HistoryError::RecordsOutOfRange {
            records: 9,
            head: 5,
        },
        HistoryError::NotInHistory { step: 9, head: 5 },
        HistoryError::Diverged {
            step: 3,
            reason: Box::new(Divergence::CommandRefused {
                command: JobCommand::TriggerCheckpoint,
                error: EngineError::Trigger(TriggerError::JobNotRunning),
            }),
        },
        HistoryError::Diverged {
            step: 3,
            reason: Box::new(Divergence::NothingLeftToDo),
        },
        HistoryError::Engine(EngineError::Interval),
    ];
    for e in &errors {
        match e {
            HistoryError::StepOutOfRange { .. }
            | HistoryError::RecordsOutOfRange { .. }
            | HistoryError::NotInHistory { .. }
            | HistoryError::Diverged { .. }
            | HistoryError::Engine(_) => {}
        }
        assert_chinese(&history(e, Lang::En), &history(e, Lang::Zh), e);
    }
    // The refused command and its own error are worded in Chinese too, not carried as English text.
    let zh = history(&errors[3], Lang::Zh);
    assert!(!zh.contains("not running"), "{zh}");
    assert!(zh.contains("手动触发检查点"), "{zh}");
}

#[test]
fn every_job_command_reads_in_chinese() {
    let commands = [
        JobCommand::InjectKey {
            key: "user-1".into(),
        },
        JobCommand::TriggerCheckpoint,
        JobCommand::FailNow {
            description: "by hand".into(),
        },
        JobCommand::Restore {
            checkpoint_id: Some(3),
            parallelism: 2,
        },
        JobCommand::Restore {
            checkpoint_id: None,
            parallelism: 2,
        },
        JobCommand::SetSourceRate { rate: 10 },
        JobCommand::SetCheckpointInterval {
            interval_ms: Some(500),
        },
        JobCommand::SetCheckpointInterval { interval_ms: None },
        JobCommand::AdvanceClock { time_ns: 7 },
    ];
    for c in &commands {
        match c {
            JobCommand::InjectKey { .. }
            | JobCommand::TriggerCheckpoint
            | JobCommand::FailNow { .. }
            | JobCommand::Restore { .. }
            | JobCommand::SetSourceRate { .. }
            | JobCommand::SetCheckpointInterval { .. }
            | JobCommand::AdvanceClock { .. } => {}
        }
        assert_chinese(&job_command(c, Lang::En), &job_command(c, Lang::Zh), c);
        // The golden traces and the command line quote the English.
        assert_eq!(c.describe(), job_command(c, Lang::En));
    }
}

#[test]
fn every_failure_keeps_javas_words_and_adds_chinese() {
    for cause in failure_causes() {
        let (exception, en) = failure_cause(&cause, Lang::En);
        assert_eq!(format!("{exception}{en}"), cause.to_string());
        let (same, zh) = failure_cause(&cause, Lang::Zh);
        assert_eq!(same, exception, "the Java exception is shown verbatim");
        assert!(zh.chars().any(is_cjk), "{cause:?} adds no Chinese: {zh}");
    }
    for reason in checkpoint_failure_reasons() {
        assert_chinese(
            &checkpoint_failure(&reason, Lang::En),
            &checkpoint_failure(&reason, Lang::Zh),
            &reason,
        );
    }
}

#[test]
fn every_memory_component_the_engine_names_has_a_chinese_name() {
    let spec = JobConfig::default().memory_spec().unwrap();
    let local = derive(
        &MemoryConfig::Local {
            jvm_heap: MemorySize::of_mebibytes(512),
        },
        &Default::default(),
    )
    .unwrap();
    for c in spec.components().into_iter().chain(local.components()) {
        assert_chinese(c.name, component(Lang::Zh, c.name), &c.name);
    }
}

fn savepoint_read_problems() -> Vec<crate::engine::savepoint::savepoint_error::ReadProblem> {
    use crate::engine::savepoint::savepoint_error::{Counted, ReadProblem};
    let all = vec![
        ReadProblem::CutShort,
        ReadProblem::BadText,
        ReadProblem::Negative {
            what: Counted::Entries,
            value: -1,
        },
        ReadProblem::CountBeyondBytes {
            what: Counted::Elements,
            count: 9,
            left: 2,
        },
        ReadProblem::UnknownHandle(99),
        ReadProblem::UnsupportedHandle(5),
        ReadProblem::ChannelState(2),
        ReadProblem::DuplicateSubtask(1),
        ReadProblem::BadMagic {
            expected: 1,
            found: 2,
        },
        ReadProblem::ProxyVersion(5),
        ReadProblem::SnapshotProxyVersion(1),
        ReadProblem::StateType(9),
        ReadProblem::UnknownSnapshot {
            class: "com.example.X".into(),
        },
        ReadProblem::TooDeep(16),
        ReadProblem::KeyGroupOffset {
            key_group: 3,
            offset: 99,
        },
        ReadProblem::WrongKeyGroup {
            expected: 3,
            found: 4,
        },
        ReadProblem::UnknownStateId(7),
        ReadProblem::KeyGroupRange {
            start: -1,
            count: 2,
        },
        ReadProblem::BytesLeft(3),
        ReadProblem::Snappy,
        ReadProblem::KeySerializer { class: "K".into() },
        ReadProblem::TooManyValues { max: 10 },
    ];
    for p in &all {
        match p {
            ReadProblem::CutShort
            | ReadProblem::BadText
            | ReadProblem::Negative { .. }
            | ReadProblem::CountBeyondBytes { .. }
            | ReadProblem::UnknownHandle(_)
            | ReadProblem::UnsupportedHandle(_)
            | ReadProblem::ChannelState(_)
            | ReadProblem::DuplicateSubtask(_)
            | ReadProblem::BadMagic { .. }
            | ReadProblem::ProxyVersion(_)
            | ReadProblem::SnapshotProxyVersion(_)
            | ReadProblem::StateType(_)
            | ReadProblem::UnknownSnapshot { .. }
            | ReadProblem::TooDeep(_)
            | ReadProblem::KeyGroupOffset { .. }
            | ReadProblem::WrongKeyGroup { .. }
            | ReadProblem::UnknownStateId(_)
            | ReadProblem::KeyGroupRange { .. }
            | ReadProblem::BytesLeft(_)
            | ReadProblem::Snappy
            | ReadProblem::KeySerializer { .. }
            | ReadProblem::TooManyValues { .. } => {}
        }
    }
    all
}

#[test]
fn every_savepoint_error_reads_in_chinese() {
    use crate::engine::savepoint::savepoint_error::{
        Counted, SavepointError, SavepointLimit, ZipProblem,
    };
    use crate::i18n::messages::savepoint::{counted, error};
    let mut all = vec![
        SavepointError::NotFlinkMetadata,
        SavepointError::UnsupportedVersion(2),
        SavepointError::MissingFile("a".into()),
        SavepointError::FileSize {
            file: "a".into(),
            expected: 1,
            actual: 2,
        },
        SavepointError::NoMetadata,
        SavepointError::TooLarge(SavepointLimit::Metadata { bytes: 2, max: 1 }),
        SavepointError::TooLarge(SavepointLimit::StateFile { bytes: 2, max: 1 }),
        SavepointError::TooLarge(SavepointLimit::Count {
            what: Counted::Operators,
            count: 2,
            max: 1,
        }),
        SavepointError::TooLarge(SavepointLimit::Entries { max: 1 }),
        SavepointError::TooLarge(SavepointLimit::Files { max: 1 }),
        SavepointError::Zip(ZipProblem::NoDirectory),
        SavepointError::Zip(ZipProblem::Directory),
        SavepointError::Zip(ZipProblem::Method {
            name: "a".into(),
            method: 12,
        }),
        SavepointError::Zip(ZipProblem::Encrypted("a".into())),
        SavepointError::Zip(ZipProblem::Inflate("a".into())),
        SavepointError::Zip(ZipProblem::Checksum("a".into())),
    ];
    for problem in savepoint_read_problems() {
        all.push(SavepointError::Metadata {
            offset: 1,
            problem: problem.clone(),
        });
        all.push(SavepointError::StateData {
            file: "f".into(),
            offset: 1,
            problem,
        });
    }
    for e in &all {
        match e {
            SavepointError::NotFlinkMetadata
            | SavepointError::UnsupportedVersion(_)
            | SavepointError::Metadata { .. }
            | SavepointError::StateData { .. }
            | SavepointError::MissingFile(_)
            | SavepointError::FileSize { .. }
            | SavepointError::TooLarge(_)
            | SavepointError::Zip(_)
            | SavepointError::NoMetadata => {}
        }
        assert_chinese(&error(e, Lang::En), &error(e, Lang::Zh), e);
    }
    for c in Counted::ALL {
        assert!(counted(&c, Lang::Zh).chars().any(is_cjk), "{c:?}");
    }
}

#[test]
fn every_savepoint_write_error_reads_in_chinese() {
    use crate::engine::savepoint::savepoint_writer::SavepointWriteError;
    use crate::i18n::messages::savepoint::{out_dir_not_empty, write_error};
    let all = [
        SavepointWriteError::EmptyUid,
        SavepointWriteError::UidTooLong { bytes: 70_000 },
        SavepointWriteError::Parallelism {
            parallelism: 4,
            max_parallelism: 2,
        },
        SavepointWriteError::KeyType {
            key: "7".into(),
            found: "Long",
            expected: "String",
        },
        SavepointWriteError::JobStatus(JobStatus::Failed),
        SavepointWriteError::Function {
            function: "event-log",
        },
    ];
    for e in &all {
        match e {
            SavepointWriteError::EmptyUid
            | SavepointWriteError::UidTooLong { .. }
            | SavepointWriteError::Parallelism { .. }
            | SavepointWriteError::KeyType { .. }
            | SavepointWriteError::JobStatus(_)
            | SavepointWriteError::Function { .. } => {}
        }
        assert_eq!(write_error(e, Lang::En), e.to_string());
        assert_chinese(&write_error(e, Lang::En), &write_error(e, Lang::Zh), e);
    }
    assert_chinese(
        &out_dir_not_empty("sp", Lang::En),
        &out_dir_not_empty("sp", Lang::Zh),
        &"out_dir_not_empty",
    );
}

#[test]
fn every_export_error_reads_in_chinese() {
    use crate::engine::export::export_error::ExportError;
    use crate::i18n::messages::export::error;
    let all = vec![
        ExportError::Config(JobConfigError::NoKeys),
        ExportError::NoRate,
        ExportError::KeyCountBeyondLong(1 << 63),
        ExportError::EventsBeyondLong(1 << 63),
        ExportError::ReplayKeyLineBreak { index: 3 },
        ExportError::Function {
            function: "event-log",
        },
    ];
    for e in &all {
        match e {
            ExportError::Config(_)
            | ExportError::NoRate
            | ExportError::KeyCountBeyondLong(_)
            | ExportError::EventsBeyondLong(_)
            | ExportError::ReplayKeyLineBreak { .. }
            | ExportError::Function { .. } => {}
        }
        assert_eq!(error(e, Lang::En), e.to_string());
        assert_chinese(&error(e, Lang::En), &error(e, Lang::Zh), e);
    }
}

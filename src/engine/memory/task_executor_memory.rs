//! How a TaskManager's memory is split up: Flink's 1.10+ memory model as derived by `TaskExecutorProcessUtils`
//! (`ProcessMemoryUtils` + `TaskExecutorFlinkMemoryUtils`) for a cluster TaskManager, and by
//! `TaskExecutorResourceUtils.adjustForLocalExecution` for local execution (a MiniCluster in an IDE).
//!
//! The point for StateLab: the heap state backend keeps every state entry as a Java object on the JVM heap, but the
//! default `taskmanager.memory.managed.fraction` of 0.4 reserves native memory that only RocksDB, batch operators
//! and Python use. For `HashMapStateBackend` that reservation only shrinks the heap, which is why Flink's tuning
//! guide says to set managed memory to zero (at 1728m: 384 MiB of task heap becomes 896 MiB).
//!
//! Deliberate simplification: in cluster mode the only supported input is `taskmanager.memory.process.size`
//! (optionally with `taskmanager.memory.managed.size`), Flink's most common setup and the one the shipped
//! `flink-conf.yaml` uses. Flink's other entry points (`taskmanager.memory.flink.size`, or explicit task heap plus
//! managed memory) and the legacy network-buffer options are not modelled; every other option keeps its Flink
//! default but can be overridden through [`TaskManagerMemoryOptions`]. Sizes are exact to the byte, including
//! Flink's `float`-to-`BigDecimal` fraction arithmetic ([`MemorySize::multiply`]).

use crate::engine::memory::memory_size::{MemorySize, MemorySizeError};
use serde::{Deserialize, Serialize};

/// `TaskExecutorResourceUtils.DEFAULT_MANAGED_MEMORY_SIZE`: managed memory in local execution unless set.
pub const DEFAULT_MANAGED_MEMORY_SIZE: MemorySize = MemorySize::of_mebibytes(128);

/// `TaskExecutorResourceUtils.DEFAULT_SHUFFLE_MEMORY_SIZE`: network memory (min = max) in local execution.
pub const DEFAULT_SHUFFLE_MEMORY_SIZE: MemorySize = MemorySize::of_mebibytes(64);

/// StateLab's sanity floor for a local `-Xmx`: anything smaller is almost certainly a size typed without a unit.
pub const MIN_LOCAL_JVM_HEAP: MemorySize = MemorySize::of_mebibytes(1);

/// StateLab's sanity ceiling for a local `-Xmx`: 16 TiB, ZGC's maximum heap and the largest any HotSpot
/// collector supports.
pub const MAX_LOCAL_JVM_HEAP: MemorySize = MemorySize::of_mebibytes(16 << 20);

const FRAMEWORK_HEAP_KEY: &str = "taskmanager.memory.framework.heap.size";
const TASK_HEAP_KEY: &str = "taskmanager.memory.task.heap.size";
const MANAGED_SIZE_KEY: &str = "taskmanager.memory.managed.size";
const MANAGED_FRACTION_KEY: &str = "taskmanager.memory.managed.fraction";
const FRAMEWORK_OFF_HEAP_KEY: &str = "taskmanager.memory.framework.off-heap.size";
const TASK_OFF_HEAP_KEY: &str = "taskmanager.memory.task.off-heap.size";
const NETWORK_FRACTION_KEY: &str = "taskmanager.memory.network.fraction";
const NETWORK_MIN_KEY: &str = "taskmanager.memory.network.min";
const METASPACE_KEY: &str = "taskmanager.memory.jvm-metaspace.size";
const OVERHEAD_FRACTION_KEY: &str = "taskmanager.memory.jvm-overhead.fraction";

/// The TaskManager memory options other than the total size, with Flink's defaults (`TaskManagerOptions`).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct TaskManagerMemoryOptions {
    /// `taskmanager.memory.framework.heap.size` (default 128m).
    pub framework_heap: MemorySize,
    /// `taskmanager.memory.framework.off-heap.size` (default 128m).
    pub framework_off_heap: MemorySize,
    /// `taskmanager.memory.task.off-heap.size` (default 0).
    pub task_off_heap: MemorySize,
    /// `taskmanager.memory.managed.fraction` (default 0.4), of total Flink memory; used when no managed size is set.
    pub managed_fraction: f32,
    /// `taskmanager.memory.managed.size` (default unset). [`MemoryConfig::Process`]'s own `managed_size` takes
    /// precedence; in local execution this is the only way to change the 128 MB default.
    pub managed_size: Option<MemorySize>,
    /// `taskmanager.memory.network.fraction` (default 0.1), of total Flink memory.
    pub network_fraction: f32,
    /// `taskmanager.memory.network.min` (default 64m).
    pub network_min: MemorySize,
    /// `taskmanager.memory.network.max`: unbounded by default since Flink 1.17 (`MemorySize.MAX_VALUE`,
    /// documented as "infinite"); it was 1g before.
    pub network_max: MemorySize,
    /// `taskmanager.memory.jvm-metaspace.size` (default 256m).
    pub jvm_metaspace: MemorySize,
    /// `taskmanager.memory.jvm-overhead.fraction` (default 0.1), of total process memory.
    pub jvm_overhead_fraction: f32,
    /// `taskmanager.memory.jvm-overhead.min` (default 192m).
    pub jvm_overhead_min: MemorySize,
    /// `taskmanager.memory.jvm-overhead.max` (default 1g).
    pub jvm_overhead_max: MemorySize,
}

impl Default for TaskManagerMemoryOptions {
    fn default() -> Self {
        TaskManagerMemoryOptions {
            framework_heap: MemorySize::of_mebibytes(128),
            framework_off_heap: MemorySize::of_mebibytes(128),
            task_off_heap: MemorySize::ZERO,
            managed_fraction: 0.4,
            managed_size: None,
            network_fraction: 0.1,
            network_min: MemorySize::of_mebibytes(64),
            network_max: MemorySize::MAX_VALUE,
            jvm_metaspace: MemorySize::of_mebibytes(256),
            jvm_overhead_fraction: 0.1,
            jvm_overhead_min: MemorySize::of_mebibytes(192),
            jvm_overhead_max: MemorySize::of_mebibytes(1024),
        }
    }
}

/// How the TaskManager that hosts the heap state backend is started.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "type",
    rename_all = "camelCase",
    rename_all_fields = "camelCase",
    deny_unknown_fields
)]
pub enum MemoryConfig {
    /// A cluster TaskManager sized by `taskmanager.memory.process.size`, optionally with
    /// `taskmanager.memory.managed.size` (set it to 0 for the heap state backend).
    Process {
        process_size: MemorySize,
        managed_size: Option<MemorySize>,
    },
    /// Local execution (MiniCluster, e.g. a job run from the IDE): the heap is whatever `-Xmx` the JVM was
    /// launched with; Flink does not size it.
    Local { jvm_heap: MemorySize },
}

impl Default for MemoryConfig {
    /// The shipped `flink-conf.yaml`: `taskmanager.memory.process.size: 1728m`.
    fn default() -> Self {
        MemoryConfig::Process {
            process_size: MemorySize::of_mebibytes(1728),
            managed_size: None,
        }
    }
}

impl MemoryConfig {
    /// Cluster TaskManagers or local execution.
    pub fn execution_mode(&self) -> ExecutionMode {
        match self {
            MemoryConfig::Process { .. } => ExecutionMode::Cluster,
            MemoryConfig::Local { .. } => ExecutionMode::Local,
        }
    }
}

/// Whether the sizes were derived for a cluster TaskManager or for local execution.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ExecutionMode {
    /// Flink sized the JVM from `taskmanager.memory.process.size`; every component is enforced.
    Cluster,
    /// The JVM was started outside Flink; only managed and network memory are Flink's own reservations.
    Local,
}

/// `TaskExecutorProcessSpec`: every memory component of one TaskManager, in bytes.
///
/// In [`ExecutionMode::Local`] Flink partitions nothing on the heap: framework and user code share the whole
/// `-Xmx`. The spec therefore reports all of it as `task_heap` (the room heap state can grow into) and
/// `framework_heap` as zero, rather than inventing a split. Flink's own local "task heap" is a logical, unlimited
/// slot budget, not a heap partition. Framework/task off-heap, metaspace and overhead are not controlled by Flink
/// locally and are reported as zero; the totals are then just the sum of what is shown, not limits.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskExecutorProcessSpec {
    pub mode: ExecutionMode,
    pub framework_heap: MemorySize,
    pub task_heap: MemorySize,
    pub framework_off_heap: MemorySize,
    pub task_off_heap: MemorySize,
    pub managed: MemorySize,
    pub network: MemorySize,
    pub jvm_metaspace: MemorySize,
    pub jvm_overhead: MemorySize,
    pub total_flink: MemorySize,
    pub total_process: MemorySize,
}

/// One slice of the memory bar, in the order of Flink's TaskManager memory diagram.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MemoryComponent {
    /// The component's name in Flink's docs and error messages, e.g. "Task Heap Memory".
    pub name: &'static str,
    /// The option that sizes it; for fraction-derived components the fraction (its min/max clamp it). Managed
    /// memory names the size key, the one to set to 0 for the heap backend.
    pub config_key: &'static str,
    pub size: MemorySize,
    /// Whether it lives on the JVM heap, where heap state lives.
    pub on_heap: bool,
}

/// Why a memory configuration cannot start a TaskManager. The messages follow Flink's
/// `IllegalConfigurationException`s, with sizes in Flink's `toHumanReadableString()` form.
#[derive(Clone, Debug, PartialEq)]
pub enum MemoryConfigError {
    MetaspaceAndOverheadExceedProcess {
        metaspace: MemorySize,
        overhead: MemorySize,
        total_process: MemorySize,
    },
    ComponentsExceedTotalFlink {
        framework_heap: MemorySize,
        framework_off_heap: MemorySize,
        task_off_heap: MemorySize,
        managed: MemorySize,
        network: MemorySize,
        total_flink: MemorySize,
    },
    InconsistentRangeFraction {
        fraction_key: &'static str,
        fraction: f32,
        min: MemorySize,
        max: MemorySize,
    },
    LocalJvmHeapOutOfRange {
        jvm_heap: MemorySize,
    },
    Size(MemorySizeError),
}

crate::i18n::english_error!(MemoryConfigError => crate::i18n::messages::errors::memory_config);

crate::engine::error_from!(MemoryConfigError { Size(MemorySizeError) });

/// `RangeFraction`: a fraction of some base, clamped to `[min, max]`.
struct RangeFraction {
    fraction: f32,
    min: MemorySize,
    max: MemorySize,
}

impl RangeFraction {
    /// `ProcessMemoryUtils.getRangeFraction`, with `RangeFraction`'s checks: `min <= max`, fraction in `[0, 1)`.
    fn new(
        fraction_key: &'static str,
        fraction: f32,
        min: MemorySize,
        max: MemorySize,
    ) -> Result<RangeFraction, MemoryConfigError> {
        if min <= max && (0.0..1.0).contains(&fraction) {
            Ok(RangeFraction { fraction, min, max })
        } else {
            Err(MemoryConfigError::InconsistentRangeFraction {
                fraction_key,
                fraction,
                min,
                max,
            })
        }
    }

    /// `ProcessMemoryUtils.deriveWithFraction`: `base * fraction`, capped to max first, then raised to min.
    fn derive(&self, base: MemorySize) -> Result<MemorySize, MemoryConfigError> {
        let relative = base.multiply(self.fraction)?;
        Ok(if relative > self.max {
            self.max
        } else if relative < self.min {
            self.min
        } else {
            relative
        })
    }
}

/// Sum in u128 so that comparisons against a budget never overflow.
fn sum(parts: &[MemorySize]) -> u128 {
    parts.iter().map(|part| u128::from(part.bytes())).sum()
}

/// The sum as a size, saturating at [`MemorySize::MAX_VALUE`] (only reachable with absurd option values).
fn saturating_sum(parts: &[MemorySize]) -> MemorySize {
    u64::try_from(sum(parts)).map_or(MemorySize::MAX_VALUE, MemorySize::of_bytes)
}

/// Subtracts `parts` from `total`, or `None` if they do not fit.
fn remainder(total: MemorySize, parts: &[MemorySize]) -> Option<MemorySize> {
    u128::from(total.bytes())
        .checked_sub(sum(parts))
        .and_then(|rest| u64::try_from(rest).ok())
        .map(MemorySize::of_bytes)
}

/// `TaskExecutorProcessUtils.processSpecFromConfig` for the supported inputs (see the module doc).
pub fn derive(
    config: &MemoryConfig,
    options: &TaskManagerMemoryOptions,
) -> Result<TaskExecutorProcessSpec, MemoryConfigError> {
    match *config {
        MemoryConfig::Process {
            process_size,
            managed_size,
        } => derive_from_process_size(process_size, managed_size.or(options.managed_size), options),
        MemoryConfig::Local { jvm_heap } => derive_for_local_execution(jvm_heap, options),
    }
}

/// `ProcessMemoryUtils.deriveProcessSpecWithTotalProcessMemory` followed by
/// `TaskExecutorFlinkMemoryUtils.deriveFromTotalFlinkMemory` (task heap not configured).
fn derive_from_process_size(
    total_process: MemorySize,
    managed_size: Option<MemorySize>,
    options: &TaskManagerMemoryOptions,
) -> Result<TaskExecutorProcessSpec, MemoryConfigError> {
    let overhead_range = RangeFraction::new(
        OVERHEAD_FRACTION_KEY,
        options.jvm_overhead_fraction,
        options.jvm_overhead_min,
        options.jvm_overhead_max,
    )?;
    let jvm_metaspace = options.jvm_metaspace;
    let jvm_overhead = overhead_range.derive(total_process)?;
    let total_flink = remainder(total_process, &[jvm_metaspace, jvm_overhead]).ok_or(
        MemoryConfigError::MetaspaceAndOverheadExceedProcess {
            metaspace: jvm_metaspace,
            overhead: jvm_overhead,
            total_process,
        },
    )?;

    let managed = match managed_size {
        Some(size) => size,
        None => RangeFraction::new(
            MANAGED_FRACTION_KEY,
            options.managed_fraction,
            MemorySize::ZERO,
            MemorySize::MAX_VALUE,
        )?
        .derive(total_flink)?,
    };
    let network = RangeFraction::new(
        NETWORK_FRACTION_KEY,
        options.network_fraction,
        options.network_min,
        options.network_max,
    )?
    .derive(total_flink)?;

    let (framework_heap, framework_off_heap, task_off_heap) = (
        options.framework_heap,
        options.framework_off_heap,
        options.task_off_heap,
    );
    let task_heap = remainder(
        total_flink,
        &[
            framework_heap,
            framework_off_heap,
            task_off_heap,
            managed,
            network,
        ],
    )
    .ok_or(MemoryConfigError::ComponentsExceedTotalFlink {
        framework_heap,
        framework_off_heap,
        task_off_heap,
        managed,
        network,
        total_flink,
    })?;

    Ok(TaskExecutorProcessSpec {
        mode: ExecutionMode::Cluster,
        framework_heap,
        task_heap,
        framework_off_heap,
        task_off_heap,
        managed,
        network,
        jvm_metaspace,
        jvm_overhead,
        total_flink,
        total_process,
    })
}

/// `TaskExecutorResourceUtils.adjustForLocalExecution`: managed memory defaults to 128 MB and network memory to
/// 64 MB; the heap is the launcher's `-Xmx`. Explicit network min/max for local runs are not modelled.
fn derive_for_local_execution(
    jvm_heap: MemorySize,
    options: &TaskManagerMemoryOptions,
) -> Result<TaskExecutorProcessSpec, MemoryConfigError> {
    if !(MIN_LOCAL_JVM_HEAP..=MAX_LOCAL_JVM_HEAP).contains(&jvm_heap) {
        return Err(MemoryConfigError::LocalJvmHeapOutOfRange { jvm_heap });
    }
    let managed = options.managed_size.unwrap_or(DEFAULT_MANAGED_MEMORY_SIZE);
    let network = DEFAULT_SHUFFLE_MEMORY_SIZE;
    let total = saturating_sum(&[jvm_heap, managed, network]);
    Ok(TaskExecutorProcessSpec {
        mode: ExecutionMode::Local,
        framework_heap: MemorySize::ZERO,
        task_heap: jvm_heap,
        framework_off_heap: MemorySize::ZERO,
        task_off_heap: MemorySize::ZERO,
        managed,
        network,
        jvm_metaspace: MemorySize::ZERO,
        jvm_overhead: MemorySize::ZERO,
        total_flink: total,
        total_process: total,
    })
}

impl TaskExecutorProcessSpec {
    /// `getJvmHeapMemorySize()`: `-Xmx` = `-Xms` = framework heap + task heap (in local mode, the given `-Xmx`).
    pub fn jvm_heap(&self) -> MemorySize {
        saturating_sum(&[self.framework_heap, self.task_heap])
    }

    /// `getJvmDirectMemorySize()`: `-XX:MaxDirectMemorySize` = framework off-heap + task off-heap + network. In
    /// local mode Flink sets no such flag; this is then only the network memory Flink reserves.
    pub fn jvm_direct(&self) -> MemorySize {
        saturating_sum(&[self.framework_off_heap, self.task_off_heap, self.network])
    }

    /// `ProcessMemoryUtils.generateJvmParametersStr(spec)` (direct memory limit enabled, as the TaskManager start
    /// script asks for it), without its trailing space: `-Xmx… -Xms… -XX:MaxDirectMemorySize=…
    /// -XX:MaxMetaspaceSize=…`, in bytes.
    pub fn jvm_parameters(&self) -> String {
        format!(
            "-Xmx{heap} -Xms{heap} -XX:MaxDirectMemorySize={direct} -XX:MaxMetaspaceSize={metaspace}",
            heap = self.jvm_heap().bytes(),
            direct = self.jvm_direct().bytes(),
            metaspace = self.jvm_metaspace.bytes()
        )
    }

    /// The slices of the memory bar in the order of Flink's TaskManager memory diagram: JVM heap (framework,
    /// task), managed, direct (framework off-heap, task off-heap, network), JVM metaspace, JVM overhead. Local
    /// execution shows only what exists there: the undivided `-Xmx`, managed and network memory.
    pub fn components(&self) -> Vec<MemoryComponent> {
        let component = |name, config_key, size, on_heap| MemoryComponent {
            name,
            config_key,
            size,
            on_heap,
        };
        match self.mode {
            ExecutionMode::Cluster => vec![
                component(
                    "Framework Heap Memory",
                    FRAMEWORK_HEAP_KEY,
                    self.framework_heap,
                    true,
                ),
                component("Task Heap Memory", TASK_HEAP_KEY, self.task_heap, true),
                component("Managed Memory", MANAGED_SIZE_KEY, self.managed, false),
                component(
                    "Framework Off-Heap Memory",
                    FRAMEWORK_OFF_HEAP_KEY,
                    self.framework_off_heap,
                    false,
                ),
                component(
                    "Task Off-Heap Memory",
                    TASK_OFF_HEAP_KEY,
                    self.task_off_heap,
                    false,
                ),
                component("Network Memory", NETWORK_FRACTION_KEY, self.network, false),
                component("JVM Metaspace", METASPACE_KEY, self.jvm_metaspace, false),
                component(
                    "JVM Overhead",
                    OVERHEAD_FRACTION_KEY,
                    self.jvm_overhead,
                    false,
                ),
            ],
            ExecutionMode::Local => vec![
                component("JVM Heap", "-Xmx", self.jvm_heap(), true),
                component("Managed Memory", MANAGED_SIZE_KEY, self.managed, false),
                component("Network Memory", NETWORK_MIN_KEY, self.network, false),
            ],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIB: u64 = 1 << 20;

    fn process(process_mib: u64, managed: Option<MemorySize>) -> MemoryConfig {
        MemoryConfig::Process {
            process_size: MemorySize::of_mebibytes(process_mib),
            managed_size: managed,
        }
    }

    fn derive_default(config: &MemoryConfig) -> TaskExecutorProcessSpec {
        derive(config, &TaskManagerMemoryOptions::default())
            .unwrap_or_else(|e| panic!("{config:?}: {e}"))
    }

    /// Flink's `MemorySize.multiply` by hand: `BigDecimal.valueOf((double) 0.1f)` is 0.10000000149011612 and
    /// `(double) 0.4f` is 0.4000000059604645; `longValue()` truncates.
    fn times_point_one(bytes: u64) -> u64 {
        (u128::from(bytes) * 10_000_000_149_011_612 / 100_000_000_000_000_000) as u64
    }

    fn times_point_four(bytes: u64) -> u64 {
        (u128::from(bytes) * 4_000_000_059_604_645 / 10_000_000_000_000_000) as u64
    }

    #[test]
    fn default_config_is_the_shipped_1728m_process_size() {
        assert_eq!(MemoryConfig::default(), process(1728, None));
        let options = TaskManagerMemoryOptions::default();
        assert_eq!(options.managed_fraction, 0.4);
        assert_eq!(options.network_fraction, 0.1);
        assert_eq!(options.jvm_overhead_fraction, 0.1);
        assert_eq!(options.managed_size, None);
    }

    #[test]
    fn process_size_1728m_derives_flinks_exact_bytes() {
        let spec = derive_default(&process(1728, None));
        assert_eq!(spec.mode, ExecutionMode::Cluster);
        assert_eq!(spec.total_process.bytes(), 1_811_939_328);
        assert_eq!(spec.jvm_overhead.bytes(), 201_326_592);
        assert_eq!(spec.jvm_metaspace.bytes(), 268_435_456);
        assert_eq!(spec.total_flink.bytes(), 1_342_177_280);
        assert_eq!(spec.framework_heap.bytes(), 134_217_728);
        assert_eq!(spec.task_heap.bytes(), 402_653_174);
        assert_eq!(spec.managed.bytes(), 536_870_920);
        assert_eq!(spec.framework_off_heap.bytes(), 134_217_728);
        assert_eq!(spec.task_off_heap.bytes(), 0);
        assert_eq!(spec.network.bytes(), 134_217_730);
        assert_eq!(spec.jvm_heap().bytes(), 536_870_902);
        assert_eq!(spec.jvm_direct().bytes(), 268_435_458);
    }

    #[test]
    fn zero_managed_size_moves_all_of_it_to_task_heap() {
        let with_default = derive_default(&process(1728, None));
        let spec = derive_default(&process(1728, Some(MemorySize::ZERO)));
        assert_eq!(spec.managed, MemorySize::ZERO);
        assert_eq!(spec.task_heap.bytes(), 939_524_094);
        assert_eq!(spec.jvm_heap().bytes(), 1_073_741_822);
        let unchanged = |s: &TaskExecutorProcessSpec| {
            (
                s.framework_heap,
                s.framework_off_heap,
                s.task_off_heap,
                s.network,
                s.jvm_metaspace,
                s.jvm_overhead,
            )
        };
        assert_eq!(unchanged(&spec), unchanged(&with_default));
        assert_eq!(
            (spec.total_flink, spec.total_process),
            (with_default.total_flink, with_default.total_process)
        );
        assert_eq!(spec.jvm_direct(), with_default.jvm_direct());
    }

    #[test]
    fn managed_size_from_options_applies_when_the_config_sets_none() {
        let options = TaskManagerMemoryOptions {
            managed_size: Some(MemorySize::ZERO),
            ..Default::default()
        };
        let from_options = derive(&process(1728, None), &options).unwrap();
        assert_eq!(from_options.task_heap.bytes(), 939_524_094);
        let config_wins = derive(
            &process(1728, Some(MemorySize::of_mebibytes(100))),
            &options,
        )
        .unwrap();
        assert_eq!(config_wins.managed, MemorySize::of_mebibytes(100));
    }

    #[test]
    fn process_size_4096m_matches_the_bigdecimal_rule() {
        let spec = derive_default(&process(4096, None));
        let total_process = 4096 * MIB;
        let overhead = times_point_one(total_process);
        assert!(
            (192 * MIB..=1024 * MIB).contains(&overhead),
            "overhead is not clamped at 4096m"
        );
        let total_flink = total_process - 256 * MIB - overhead;
        let managed = times_point_four(total_flink);
        let network = times_point_one(total_flink);
        assert!(
            (64 * MIB..=1024 * MIB).contains(&network),
            "network is not clamped at 4096m"
        );
        let task_heap = total_flink - (128 * MIB + 128 * MIB + managed + network);

        assert_eq!(spec.jvm_overhead.bytes(), overhead);
        assert_eq!(spec.total_flink.bytes(), total_flink);
        assert_eq!(spec.managed.bytes(), managed);
        assert_eq!(spec.network.bytes(), network);
        assert_eq!(spec.task_heap.bytes(), task_heap);
        assert_eq!(spec.jvm_heap().bytes(), 128 * MIB + task_heap);
        assert_eq!(spec.jvm_direct().bytes(), 128 * MIB + network);

        let close = |actual: MemorySize, mib: f64| (actual.mebibytes_f64() - mib).abs() < 0.01;
        assert!(
            close(spec.jvm_overhead, 409.6),
            "{}",
            spec.jvm_overhead.mebibytes_f64()
        );
        assert!(
            close(spec.total_flink, 3430.4),
            "{}",
            spec.total_flink.mebibytes_f64()
        );
        assert!(
            close(spec.managed, 1372.16),
            "{}",
            spec.managed.mebibytes_f64()
        );
        assert!(
            close(spec.network, 343.04),
            "{}",
            spec.network.mebibytes_f64()
        );
        assert!(
            close(spec.task_heap, 1459.2),
            "{}",
            spec.task_heap.mebibytes_f64()
        );
    }

    #[test]
    fn components_add_up_to_the_totals_in_diagram_order() {
        for config in [
            process(1728, None),
            process(4096, Some(MemorySize::ZERO)),
            process(20_000, None),
        ] {
            let spec = derive_default(&config);
            let components = spec.components();
            let names: Vec<_> = components.iter().map(|c| c.name).collect();
            assert_eq!(
                names,
                [
                    "Framework Heap Memory",
                    "Task Heap Memory",
                    "Managed Memory",
                    "Framework Off-Heap Memory",
                    "Task Off-Heap Memory",
                    "Network Memory",
                    "JVM Metaspace",
                    "JVM Overhead"
                ]
            );
            let total: u64 = components.iter().map(|c| c.size.bytes()).sum();
            assert_eq!(total, spec.total_process.bytes());
            let heap: u64 = components
                .iter()
                .filter(|c| c.on_heap)
                .map(|c| c.size.bytes())
                .sum();
            assert_eq!(heap, spec.jvm_heap().bytes());
            assert_eq!(
                spec.total_flink.bytes() + spec.jvm_metaspace.bytes() + spec.jvm_overhead.bytes(),
                total
            );
        }
    }

    #[test]
    fn large_process_size_clamps_overhead_to_its_max_but_not_network() {
        let spec = derive_default(&process(20_000, None));
        assert_eq!(spec.jvm_overhead, MemorySize::of_mebibytes(1024));
        // Flink 1.17+ (FLINK-30469): network memory is 10 % of total Flink memory however large it gets.
        let total_flink = 20_000 * MIB - 256 * MIB - 1024 * MIB;
        assert_eq!(spec.total_flink.bytes(), total_flink);
        assert_eq!(spec.network.bytes(), times_point_one(total_flink));
        assert!(spec.network > MemorySize::of_mebibytes(1024));
    }

    #[test]
    fn jvm_parameters_are_the_flags_flink_starts_the_task_manager_with() {
        let spec = derive_default(&process(1728, None));
        assert_eq!(
            spec.jvm_parameters(),
            "-Xmx536870902 -Xms536870902 -XX:MaxDirectMemorySize=268435458 -XX:MaxMetaspaceSize=268435456"
        );
    }

    #[test]
    fn process_size_below_metaspace_plus_overhead_is_rejected() {
        let err = derive(&process(256, None), &TaskManagerMemoryOptions::default()).unwrap_err();
        assert_eq!(
            err,
            MemoryConfigError::MetaspaceAndOverheadExceedProcess {
                metaspace: MemorySize::of_mebibytes(256),
                overhead: MemorySize::of_mebibytes(192),
                total_process: MemorySize::of_mebibytes(256),
            }
        );
        assert!(err.to_string().starts_with(
            "Sum of configured JVM Metaspace (256.000mb (268435456 bytes)) and JVM Overhead (192.000mb \
             (201326592 bytes)) exceed configured Total Process Memory (256.000mb (268435456 bytes))."
        ));
        assert!(derive(&process(0, None), &TaskManagerMemoryOptions::default()).is_err());
    }

    #[test]
    fn managed_size_larger_than_total_flink_is_rejected() {
        let err = derive(
            &process(1728, Some(MemorySize::of_mebibytes(2048))),
            &TaskManagerMemoryOptions::default(),
        )
        .unwrap_err();
        assert!(
            matches!(err, MemoryConfigError::ComponentsExceedTotalFlink { .. }),
            "{err:?}"
        );
        let message = err.to_string();
        assert!(
            message.starts_with("Sum of configured Framework Heap Memory (128.000mb"),
            "{message}"
        );
        assert!(
            message.contains("Managed Memory (2.000gb (2147483648 bytes))"),
            "{message}"
        );
        assert!(
            message.contains("exceed configured Total Flink Memory (1.250gb (1342177280 bytes))."),
            "{message}"
        );

        let huge = derive(
            &process(1728, Some(MemorySize::MAX_VALUE)),
            &TaskManagerMemoryOptions::default(),
        );
        assert!(matches!(
            huge,
            Err(MemoryConfigError::ComponentsExceedTotalFlink { .. })
        ));
    }

    #[test]
    fn fractions_outside_zero_to_one_and_inverted_ranges_are_rejected() {
        let config = process(1728, None);
        for options in [
            TaskManagerMemoryOptions {
                managed_fraction: 1.0,
                ..Default::default()
            },
            TaskManagerMemoryOptions {
                network_fraction: -0.1,
                ..Default::default()
            },
            TaskManagerMemoryOptions {
                jvm_overhead_fraction: f32::NAN,
                ..Default::default()
            },
            TaskManagerMemoryOptions {
                network_min: MemorySize::of_mebibytes(2048),
                network_max: MemorySize::of_mebibytes(1024),
                ..Default::default()
            },
        ] {
            let err = derive(&config, &options).unwrap_err();
            assert!(
                matches!(err, MemoryConfigError::InconsistentRangeFraction { .. }),
                "{err:?}"
            );
            assert!(
                err.to_string()
                    .starts_with("Inconsistently configured taskmanager.memory."),
                "{err}"
            );
        }
    }

    #[test]
    fn local_execution_reports_the_whole_xmx_as_heap_with_default_managed_and_network() {
        let spec = derive_default(&MemoryConfig::Local {
            jvm_heap: MemorySize::of_mebibytes(4096),
        });
        assert_eq!(spec.mode, ExecutionMode::Local);
        assert_eq!(spec.jvm_heap(), MemorySize::of_mebibytes(4096));
        assert_eq!(spec.framework_heap, MemorySize::ZERO);
        assert_eq!(spec.managed.bytes(), 128 * MIB);
        assert_eq!(spec.network.bytes(), 64 * MIB);
        assert_eq!(spec.jvm_direct().bytes(), 64 * MIB);
        let components = spec.components();
        assert_eq!(
            components.iter().map(|c| c.name).collect::<Vec<_>>(),
            ["JVM Heap", "Managed Memory", "Network Memory"]
        );
        assert_eq!(
            components.iter().map(|c| c.size.bytes()).sum::<u64>(),
            spec.total_process.bytes()
        );

        let options = TaskManagerMemoryOptions {
            managed_size: Some(MemorySize::ZERO),
            ..Default::default()
        };
        let zero_managed = derive(
            &MemoryConfig::Local {
                jvm_heap: MemorySize::of_mebibytes(4096),
            },
            &options,
        )
        .unwrap();
        assert_eq!(zero_managed.managed, MemorySize::ZERO);
    }

    #[test]
    fn local_execution_rejects_a_zero_or_absurd_xmx() {
        let options = TaskManagerMemoryOptions::default();
        for jvm_heap in [
            MemorySize::ZERO,
            MemorySize::of_bytes(512),
            MemorySize::MAX_VALUE,
        ] {
            let err = derive(&MemoryConfig::Local { jvm_heap }, &options).unwrap_err();
            assert_eq!(err, MemoryConfigError::LocalJvmHeapOutOfRange { jvm_heap });
            assert!(err.to_string().contains("-Xmx"));
        }
        assert!(derive(
            &MemoryConfig::Local {
                jvm_heap: MAX_LOCAL_JVM_HEAP
            },
            &options
        )
        .is_ok());
        assert!(derive(
            &MemoryConfig::Local {
                jvm_heap: MIN_LOCAL_JVM_HEAP
            },
            &options
        )
        .is_ok());
    }

    #[test]
    fn derive_never_panics_across_process_sizes_and_managed_sizes() {
        let options = TaskManagerMemoryOptions::default();
        let sizes = (0..64).map(|shift| MemorySize::of_bytes((1u64 << shift).wrapping_sub(1)));
        for process_size in sizes.clone() {
            for managed_size in [
                None,
                Some(MemorySize::ZERO),
                Some(MemorySize::MAX_VALUE),
                Some(process_size),
            ] {
                if let Ok(spec) = derive(
                    &MemoryConfig::Process {
                        process_size,
                        managed_size,
                    },
                    &options,
                ) {
                    let total: u128 = spec
                        .components()
                        .iter()
                        .map(|c| u128::from(c.size.bytes()))
                        .sum();
                    assert_eq!(total, u128::from(process_size.bytes()));
                }
            }
            let _ = derive(
                &MemoryConfig::Local {
                    jvm_heap: process_size,
                },
                &options,
            );
        }
    }

    #[test]
    fn options_deserialize_with_defaults_for_missing_fields() {
        let options: TaskManagerMemoryOptions =
            serde_json::from_str(r#"{"managedSize": 0}"#).unwrap();
        assert_eq!(
            options,
            TaskManagerMemoryOptions {
                managed_size: Some(MemorySize::ZERO),
                ..Default::default()
            }
        );
    }
}

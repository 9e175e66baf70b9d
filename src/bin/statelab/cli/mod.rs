//! Command dispatch and error reporting.

mod compare;
mod export_job;
mod heap;
mod inspect;
mod keygroup;
mod memory_flags;
mod run;
mod savepoint;
mod scenario;

use std::fmt;

pub const USAGE: &str = "\
statelab — Apache Flink's heap keyed state, modelled

USAGE:
    statelab keygroup < keys.jsonl
    statelab heap [--keys N] [--value-mode cached|distinct] [--max-parallelism M] [--parallelism P]
                  [--state value|value-distinct|list:N|map:N|value-list:N|value-map:N|reducing|
                          aggregating|aggregating-avg|value-ttl|list-ttl:N|map-ttl:N|timers:N|
                          keystats]
                  [--jvm-heap SIZE | --process-size SIZE [--managed-size SIZE] [--task-slots N]]
                  [--other-heap SIZE] [--exact]
    statelab run [--config FILE.json] [job flags] [--checkpoint-out BLOB] [--savepoint-out DIR [--uid UID]]
    statelab run --restore BLOB [--parallelism P] [--until-ms T] [--checkpoint-out BLOB] [--savepoint-out DIR]
    statelab export-job [--config FILE.json] [job flags] --out DIR
    statelab compare [--config FILE.json] [job flags] [--structures map|list]
    statelab inspect BLOB|LINK [--key-groups N|FROM-TO] [--summary]
    statelab inspect DIR|_metadata|ZIP [--dump] [--uid UID]...
    statelab link BLOB [--base URL]
    statelab scenario [ID [--config]]
    statelab help

keygroup   Reads JSON lines with at least `type` (String/Integer/Long), `key`, `maxParallelism` and
           `parallelism` (the format of keygroups-sample.jsonl) and writes each back with `hashCode`,
           `murmurHash`, `keyGroup` and `operatorIndex` filled in.

heap       With --keys N: inserts N distinct keys user-%06d into the heap backends of a keyed operator (one
           `value()` and `update(v)` each; v = 1 when cached, a distinct large value otherwise) and prints
           JSON: keys, stateBytes, emptyBytes, bytesPerKey ((stateBytes - emptyBytes) / keys, as measured on
           real Flink), the breakdown by object, and the map layout. With a heap it prints the memory layout
           (with the JVM flags) and how many keys fit: oomAtKeys, the key count at which a TaskManager would
           fail with OutOfMemoryError, and oomTaskManager, which one. --process-size [+ --managed-size] is a
           cluster: TaskManagers with --task-slots N slots each (taskmanager.numberOfTaskSlots, default 1),
           so N keyed subtasks share each TaskManager's heap of this size; --jvm-heap is local execution: one
           JVM of that -Xmx holds every subtask. Computed without inserting the keys: exactly (oomMethod
           exact) up to 24 million keys, else estimated (to within ~0.05 %, often to the key) in
           milliseconds; --exact insists on the exact count (about a byte of memory per key, a second per
           ~30 million keys).
           --other-heap is the heap used by everything but state (default 32m). SIZE is Flink's syntax:
           512m, 1728m, 4g, 1024kb.
           --state with --keys N writes another keyed-state primitive instead, as tools/flink-heap-primitives
           writes it into real Flink: list:N adds N values to a ListState<Long> per key, map:N puts N
           mappings f0..f(N-1) into a MapState<String, Long>, value-list:N and value-map:N do the same to
           the object a ValueState<ArrayList>/ValueState<HashMap> holds (value(), change, update() each time),
           reducing and aggregating add one value to a
           sum, aggregating-avg to an average's Tuple2 accumulator, value-ttl (or ttl) writes a ValueState<Long>
           with a 1 h TTL, list-ttl:N and map-ttl:N are list:N and map:N with that TTL (each element or value a
           TtlValue; the incremental cleanup rebuilds every TTL map it passes), keystats writes a
           ValueState<KeyStats> (a POJO of two longs) as the key-stats function does, timers:N registers N
           processing-time timers per key (value and value-distinct are --value-mode). It prints keys,
           stateBytes, emptyBytes, bytesPerKey and the breakdown.

run        Runs the job `source -> keyBy -> EventCounterProcessFunction -> sink` and prints a JSON summary
           (final count per key, emitted records, duplicates, checkpoints, restarts, the slots and each
           TaskManager's heap).
           --config FILE.json    a JobConfig document (see src/engine/cluster/job_config.rs); flags override it
           --function F          the keyed function (a job preset): counter (default); event-log (ListState of
                                 amounts); category-counts (MapState of counts per category);
                                 category-counts-in-value (the same in a ValueState<HashMap>); running-sum
                                 (ReducingState); average (AggregatingState); idle-counter (the counter with a
                                 5 s state TTL); session (a ValueState<Tuple2> session per key, emitted and
                                 cleared by a processing-time timer after 2 s without events, `timersFired`);
                                 key-stats (a count and a sum per key in a ValueState<KeyStats>, a POJO whose
                                 sum is changed after update()). Other than the counter, the summary has `function` and
                                 `finalValues` (each key's state: a number, an array, an object, an average's
                                 [sum, count], a TTL value with its timestamp, a KeyStats' count and sum)
                                 instead of `finalCounts`
           --parallelism P       keyed parallelism, 1..8          --max-parallelism M
           --source-parallelism S                                 --seed N
           --keys N              distinct keys                    --rate R     events/s (simulated)
           --events N            stop the source after N events   --until-ms T stop at simulated time T
           --distribution D      uniform | zipf:EXPONENT | hot:KEY:FRACTION | sequential
           --replay FILE         replay keys from a file (one per line, or index,key CSV with a header)
           --checkpoint-interval MS|none                          --mode exactly-once|at-least-once
           --retained N          checkpoints to keep (default 1)
           --restart none|fixed-delay:ATTEMPTS:DELAY_MS|exponential-delay|failure-rate:MAX:INTERVAL_MS:DELAY_MS
           --fail-at-call N      fail on the N-th processElement call (repeatable)
           --fail-at-event N     fail when event N is processed    --fail-at-ms T fail at simulated time T
           --process-size SIZE [--managed-size SIZE] [--task-slots N]   a cluster: TaskManagers of that
                                 size with N slots each (taskmanager.numberOfTaskSlots, default 1), one JVM
                                 heap each, as many as the job's slots need (max of the parallelisms)
           --jvm-heap SIZE       local execution: one TaskManager with every slot in one JVM of that -Xmx
           --other-heap SIZE     heap each TaskManager uses for everything but state (default 32m)
           --counts              include every key's final count (default: only when at most 10000 keys)
           --checkpoint-out BLOB write the latest retained checkpoint as a StateLab checkpoint blob
           --savepoint-out DIR [--uid UID]   when the run ends, write the job's state as a Flink 2.x canonical
                                 savepoint into DIR (new or empty), as `flink stop --savepointPath DIR` does:
                                 _metadata and one state file per subtask, operator UID (default
                                 event-counter-op), ValueState<Long> \"event-counter\" with the job's keys, its
                                 parallelism and maximum parallelism; real Flink restores it with
                                 `flink run -s DIR` at any parallelism up to the maximum (also with --restore)
           --restore BLOB        start from a checkpoint blob (its job, its state, its source positions),
                                 at its parallelism or at --parallelism P, like `flink run -s`
           --restore DIR|_metadata|ZIP [--uid UID]   start the job the flags describe from a real Flink
                                 savepoint or retained checkpoint: operator UID's (default event-counter-op)
                                 ValueState<Long> \"event-counter\", its keys with their counts, its maximum
                                 parallelism, at its parallelism or --parallelism P; other operators' state is
                                 left out and the source starts from its beginning

export-job Writes the job that --config and the job flags of run describe as a Flink 2.x Maven project into
           DIR (new or empty): pom.xml (Flink 2.3, provided), the Java of package statelab.job — StateLabJob
           (HashMapStateBackend, checkpointing, restart strategy, parallelisms), EventCounterProcessFunction
           (uid event-counter-op), KeyGenerator (StateLab's seeded source ported: the very same keys, or the
           replayed ones) —, README.md, and statelab-job.json, the configuration. `mvn compile exec:java` runs it
           locally and prints every key's final count, the counts `statelab run --config DIR/statelab-job.json
           --counts` ends with. An unbounded source stops after 100000 events (statelab-job.json says so);
           failures on a processElement call (--fail-at-call) are exported, other failures are not (the README
           lists what is left out). STATELAB_LANG=zh for Chinese errors.

compare    Which structure fits? Runs the job's workload twice, its state kept in a ValueState<HashMap> and
           in a MapState (--structures map, the counts per category; default) or in a ValueState<ArrayList>
           and a ListState (--structures list, the log of amounts), and prints each one's keys, heap bytes
           and Java objects per key, bytes written by the last checkpoint and entries copied on write per
           checkpoint. An unbounded source stops after 10000 events.

inspect    Prints a checkpoint blob's metadata (id, times, job configuration, parallelism, source
           positions, per-subtask statistics) and each key group's section (entries, stored and raw bytes)
           with its state, key -> count, as JSON. A damaged or foreign file gets a one-line error and
           exit code 1. --key-groups limits the output to some key groups, --summary leaves out the state.
           The format is described in docs/checkpoint-format.md. A share link (…#checkpoint=…) may be
           given instead of a file.

inspect DIR|_metadata|ZIP   A real Flink 2.x checkpoint or savepoint (HashMap state backend; canonical or
           native savepoint, retained checkpoint; state in files next to _metadata or inline in it): a
           directory holding _metadata, the _metadata file itself, or a .zip of such a directory. Prints the
           checkpoint id and type, every operator (id, uid, parallelism, max parallelism), each subtask's
           KeyGroupRange and state handles with sizes, the operator state, the registered keyed states with
           their kind and serializers, and the first keyed entries. --dump prints instead one JSON object per
           line per keyed entry: {\"operator\": \"<uid or id>\", \"state\": \"<name>\", \"keyGroup\": N, \"key\": <key>,
           \"value\": <value>} (a list state's value is an array, a map state's an object, a timer carries
           \"timestamp\"; \"namespace\" when it is not VoidNamespace). --uid UID (repeatable) names operators whose
           id is that uid's hash (metadata before version 5 carries no uids). STATELAB_LANG=zh for Chinese.
           The formats are described in docs/flink-savepoint-format.md.

link       Prints the link that opens a (small) checkpoint blob in StateLab: URL#checkpoint=<base64url>,
           with URL from --base (default http://127.0.0.1:8080/, where `trunk serve` serves the app).

scenario   Without an ID, lists the scenario presets of the lessons (hot-key, oom, failure-recovery,
           at-least-once, rescale-2-to-3). With one, runs that preset to its end and prints its trace: status,
           attempts, checkpoints, failures, the slots (each subtask's TaskManager, slot and key groups), each
           TaskManager's heap, the sink, each key's count against its
           events, and the fingerprint (the same text the tests keep in tests/data/scenarios/). --config prints
           the preset's job configuration instead, for `statelab run --config`.
";

/// A CLI failure: the message and the exit code.
pub struct CliError {
    pub message: String,
    pub code: i32,
}

impl CliError {
    pub fn usage(message: impl fmt::Display) -> Self {
        CliError {
            message: message.to_string(),
            code: 2,
        }
    }

    pub fn failed(message: impl fmt::Display) -> Self {
        CliError {
            message: message.to_string(),
            code: 1,
        }
    }
}

impl From<lexopt::Error> for CliError {
    fn from(e: lexopt::Error) -> Self {
        CliError::usage(e)
    }
}

pub fn main() -> i32 {
    let mut args = std::env::args_os().skip(1);
    let command = args.next().map(|a| a.to_string_lossy().into_owned());
    let rest: Vec<std::ffi::OsString> = args.collect();
    // `statelab COMMAND --help` (or `-h`) anywhere among its arguments: the usage, as `statelab help` prints it.
    if rest.iter().any(|a| a == "--help" || a == "-h") {
        return i32::from(print_out(USAGE).is_err());
    }
    let result = match command.as_deref() {
        Some("keygroup") => keygroup::run(rest),
        Some("heap") => heap::run(rest),
        Some("run") => run::run(rest),
        Some("export-job") => export_job::run(rest),
        Some("compare") => compare::run(rest),
        Some("inspect") => inspect::run(rest),
        Some("link") => inspect::link(rest),
        Some("scenario") => scenario::run(rest),
        Some("help" | "--help" | "-h") | None => print_out(USAGE),
        Some(other) => Err(CliError::usage(format!(
            "unknown command '{other}'; try 'statelab help'"
        ))),
    };
    match result {
        Ok(()) => 0,
        Err(e) => {
            eprintln!(
                "statelab: error: {}",
                e.message.lines().next().unwrap_or_default()
            );
            e.code
        }
    }
}

/// Parses a flag value with a clear message.
pub fn parse_value<T: std::str::FromStr>(
    flag: &str,
    value: std::ffi::OsString,
) -> Result<T, CliError>
where
    T::Err: fmt::Display,
{
    let text = value.to_string_lossy().into_owned();
    text.parse::<T>()
        .map_err(|e| CliError::usage(format!("{flag} '{text}': {e}")))
}

/// Prints JSON to stdout (one document, pretty).
pub fn print_json(value: &serde_json::Value) -> Result<(), CliError> {
    let mut text = serde_json::to_string_pretty(value).map_err(CliError::failed)?;
    text.push('\n');
    print_out(&text)
}

/// Writes `text` to standard output. A reader that stops reading (`statelab inspect … | head`) ends the output
/// quietly, as Unix tools do, where `print!` would panic on the closed pipe.
pub fn print_out(text: &str) -> Result<(), CliError> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .or_else(stdout_closed)
}

/// What a failed write to standard output means: nothing when the reader stopped reading (a closed pipe: the
/// output ends quietly), an error otherwise.
pub fn stdout_closed(e: std::io::Error) -> Result<(), CliError> {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        return Ok(());
    }
    Err(CliError::failed(format!("writing stdout: {e}")))
}

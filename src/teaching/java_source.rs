//! The Java StateLab runs: `EventCounterProcessFunction` as the code panel shows it, line by line, with the lines
//! of `processElement` a debugger stops on. One text for the page, the lessons and the engine's own doc comment
//! (`src/engine/functions/event_counter_process_function.rs`, checked equal by a test below).

use crate::engine::functions::job_function::JobFunction;
use crate::engine::keys::java_key::JavaKeyType;

pub use crate::engine::functions::event_counter_process_function::ProcessLine as CodeLine;

/// One line of the source and what it stands for.
pub struct SourceLine {
    pub text: String,
    pub line: Option<CodeLine>,
    /// Part of `open()`.
    pub open: bool,
    /// Part of `onTimer()` (its signature to its closing brace).
    pub on_timer: bool,
}

/// The job's function as it runs, with the key type of the job (`String`, `Integer` or `Long`).
pub fn source(function: JobFunction, key_type: JavaKeyType) -> Vec<SourceLine> {
    let java = match function {
        JobFunction::Counter => return counter_source(key_type),
        JobFunction::EventLog => EVENT_LOG,
        JobFunction::EventLogInValue => EVENT_LOG_IN_VALUE,
        JobFunction::CategoryCounts => CATEGORY_COUNT,
        JobFunction::CategoryCountsInValue => CATEGORY_COUNT_IN_VALUE,
        JobFunction::RunningSum => RUNNING_SUM,
        JobFunction::Average => AVERAGE,
        JobFunction::IdleCounter => IDLE_KEY_COUNTER,
        JobFunction::Session => SESSION,
        JobFunction::KeyStats => KEY_STATS,
    };
    tagged(java, key_type)
}

/// The line "Step into" goes to after `line` in `function`'s `processElement`: the next of its lines the source
/// has (a function without a read, say, has no `Value` line to stop on).
pub fn next_line(function: JobFunction, line: CodeLine) -> Option<CodeLine> {
    let lines = source(function, JavaKeyType::String);
    let mut next = line.next();
    while let Some(l) = next {
        if l == CodeLine::Return || lines.iter().any(|s| s.line == Some(l)) {
            return Some(l);
        }
        next = l.next();
    }
    None
}

/// The function's field holding its state (`counter` of `private transient ValueState<Long> counter;`).
pub fn state_field(function: JobFunction) -> Option<String> {
    source(function, JavaKeyType::String)
        .into_iter()
        .find_map(|l| field_of(&l.text).map(str::to_owned))
}

/// The field a `private transient …State<…> name;` line declares.
fn field_of(line: &str) -> Option<&str> {
    line.trim_start()
        .starts_with("private transient")
        .then(|| line.trim_end_matches(';').split_whitespace().last())
        .flatten()
}

/// The Java variable a `Value` line reads the state into (`current` of `Long current = counts.get(…);`).
pub fn read_variable(function: JobFunction) -> Option<String> {
    let lines = source(function, JavaKeyType::String);
    let text = &lines.iter().find(|l| l.line == Some(CodeLine::Value))?.text;
    let (left, _) = text.split_once('=')?;
    left.split_whitespace().last().map(str::to_owned)
}

/// A preset's Java with its key type, each line told what it is: `open()`, a line of `processElement` a debugger
/// stops on (by what it does to the state: reads it, computes, writes it, emits), or neither (`onTimer` runs as
/// a timer fires, not as a record's step). Read with prefixes and characters only, no substring search (whose
/// searcher would cost the page more than this whole function).
fn tagged(java: &str, key_type: JavaKeyType) -> Vec<SourceLine> {
    let k = key_type.java_name();
    let states: Vec<&str> = java.lines().filter_map(field_of).collect();
    // Whether the line calls one of `methods` on a state (`eventLog.add(`).
    let calls = |line: &str, methods: &[&str]| {
        line.split(|c: char| !(c.is_ascii_alphanumeric() || c == '.'))
            .filter_map(|token| token.split_once('.'))
            .any(|(object, method)| states.contains(&object) && methods.contains(&method))
    };
    #[derive(PartialEq)]
    enum In {
        Class,
        Open,
        Process { written: bool },
        OnTimer,
    }
    let mut at = In::Class;
    let mut out: Vec<SourceLine> = Vec::new();
    let lines: Vec<&str> = java.lines().collect();
    // The variable `value()` reads the state into (`s` of `KeyStats s = stats.value();`), once read.
    let mut read: &str = "";
    for (i, raw) in lines.iter().enumerate() {
        let code = raw.trim_start();
        let next = lines.get(i + 1).map_or("", |l| l.trim_start());
        let (mut line, mut open, mut on_timer) = (None, false, false);
        match at {
            In::Class if code.starts_with("public void onTimer(") => {
                on_timer = true;
                at = In::OnTimer;
            }
            In::OnTimer => {
                on_timer = true;
                if *raw == "    }" {
                    at = In::Class;
                }
            }
            In::Class if code.starts_with("public void open(") => {
                open = true;
                at = In::Open;
            }
            In::Class if next.starts_with("public void open(") => open = true,
            In::Class if code.starts_with("public void processElement(") => {
                line = Some(CodeLine::Enter);
                at = In::Process { written: false };
            }
            In::Class => {}
            In::Open => {
                open = true;
                if *raw == "    }" {
                    at = In::Class;
                }
            }
            In::Process { written } => {
                line = Some(if code.starts_with("Collector<") {
                    CodeLine::Enter
                } else if *raw == "    }" {
                    at = In::Class;
                    CodeLine::Return
                } else if code.starts_with("out.collect(")
                    || code.starts_with("ctx.timerService().register")
                {
                    CodeLine::Collect
                } else if written && starts_with_field_of(code, read) {
                    // `s.sum += …` after `update(s)`: the object the state holds, changed again.
                    CodeLine::AfterUpdate
                } else if written || calls(code, &["update", "add", "put"]) {
                    at = In::Process { written: true };
                    CodeLine::Update
                } else if calls(code, &["value", "get"]) {
                    if let Some((left, _)) = code.split_once('=') {
                        read = left.split_whitespace().last().unwrap_or("");
                    }
                    CodeLine::Value
                } else {
                    CodeLine::Next
                });
            }
        }
        out.push(SourceLine {
            text: raw.replace(KEY_TYPE, k),
            line,
            open,
            on_timer,
        });
    }
    out
}

/// Whether a line assigns to a field of `variable` (`s.sum += event.amount;` for `s`).
fn starts_with_field_of(code: &str, variable: &str) -> bool {
    !variable.is_empty()
        && code
            .strip_prefix(variable)
            .and_then(|rest| rest.strip_prefix('.'))
            .is_some_and(|field| {
                let name = field.trim_start_matches(|c: char| c.is_ascii_alphanumeric());
                name.trim_start().starts_with(['=', '+', '-', '*', '/'])
            })
}

/// Where a preset's Java names the job's key type (`String` in the engine's doc comments).
const KEY_TYPE: char = '¤';

/// `EventCounterProcessFunction`, with the key type of the job.
fn counter_source(key_type: JavaKeyType) -> Vec<SourceLine> {
    let k = key_type.java_name();
    let plain = |text: String| SourceLine {
        text,
        line: None,
        open: false,
        on_timer: false,
    };
    let open = |text: &str| SourceLine {
        text: text.to_owned(),
        line: None,
        open: true,
        on_timer: false,
    };
    let at = |text: String, line| SourceLine {
        text,
        line: Some(line),
        open: false,
        on_timer: false,
    };
    vec![
        plain("public class EventCounterProcessFunction".to_owned()),
        plain(format!(
            "        extends KeyedProcessFunction<{k}, {k}, Tuple2<{k}, Long>> {{"
        )),
        plain(String::new()),
        plain("    private transient ValueState<Long> counter;".to_owned()),
        plain(String::new()),
        open("    @Override"),
        open("    public void open(OpenContext ctx) {"),
        open("        counter = getRuntimeContext().getState("),
        open("                new ValueStateDescriptor<>(\"event-counter\", Types.LONG));"),
        open("    }"),
        plain(String::new()),
        plain("    @Override".to_owned()),
        at(
            format!("    public void processElement({k} key, Context ctx,"),
            CodeLine::Enter,
        ),
        at(
            format!("            Collector<Tuple2<{k}, Long>> out) throws Exception {{"),
            CodeLine::Enter,
        ),
        at(
            "        Long current = counter.value();".to_owned(),
            CodeLine::Value,
        ),
        at(
            "        long next = (current == null ? 0L : current) + 1;".to_owned(),
            CodeLine::Next,
        ),
        at("        counter.update(next);".to_owned(), CodeLine::Update),
        at(
            "        out.collect(Tuple2.of(key, next));".to_owned(),
            CodeLine::Collect,
        ),
        at("    }".to_owned(), CodeLine::Return),
        plain("}".to_owned()),
    ]
}

/// `EventLog`: the Java of its doc comment, with `¤` for the key type (checked equal by a test below).
const EVENT_LOG: &str = r#"public class EventLogProcessFunction
        extends KeyedProcessFunction<¤, Event, Tuple2<¤, Long>> {

    private transient ListState<Long> eventLog;

    @Override
    public void open(OpenContext ctx) {
        eventLog = getRuntimeContext().getListState(
                new ListStateDescriptor<>("event-log", Types.LONG));
    }

    @Override
    public void processElement(Event event, Context ctx,
            Collector<Tuple2<¤, Long>> out) throws Exception {
        eventLog.add(event.amount);
        long logged = Iterables.size(eventLog.get());
        out.collect(Tuple2.of(event.key, logged));
    }
}"#;

/// `EventLogInValue`: the Java of its doc comment, with `¤` for the key type (checked equal by a test below).
const EVENT_LOG_IN_VALUE: &str = r#"public class EventLogInValueProcessFunction
        extends KeyedProcessFunction<¤, Event, Tuple2<¤, Long>> {

    private transient ValueState<ArrayList<Long>> eventLog;

    @Override
    public void open(OpenContext ctx) {
        eventLog = getRuntimeContext().getState(new ValueStateDescriptor<>("event-log",
                Types.LIST(Types.LONG)));
    }

    @Override
    public void processElement(Event event, Context ctx,
            Collector<Tuple2<¤, Long>> out) throws Exception {
        ArrayList<Long> log = eventLog.value();
        if (log == null) {
            log = new ArrayList<>();
        }
        log.add(event.amount);
        eventLog.update(log);
        out.collect(Tuple2.of(event.key, (long) log.size()));
    }
}"#;

/// `CategoryCounts`: the Java of its doc comment, with `¤` for the key type (checked equal by a test below).
const CATEGORY_COUNT: &str = r#"public class CategoryCountProcessFunction
        extends KeyedProcessFunction<¤, Event, Tuple3<¤, String, Long>> {

    private transient MapState<String, Long> counts;

    @Override
    public void open(OpenContext ctx) {
        counts = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("category-counts", Types.STRING, Types.LONG));
    }

    @Override
    public void processElement(Event event, Context ctx,
            Collector<Tuple3<¤, String, Long>> out) throws Exception {
        Long current = counts.get(event.category);
        long next = (current == null ? 0L : current) + 1;
        counts.put(event.category, next);
        out.collect(Tuple3.of(event.key, event.category, next));
    }
}"#;

/// `CategoryCountsInValue`: the Java of its doc comment, with `¤` for the key type (checked equal by a test below).
const CATEGORY_COUNT_IN_VALUE: &str = r#"public class CategoryCountInValueProcessFunction
        extends KeyedProcessFunction<¤, Event, Tuple3<¤, String, Long>> {

    private transient ValueState<HashMap<String, Long>> counts;

    @Override
    public void open(OpenContext ctx) {
        counts = getRuntimeContext().getState(new ValueStateDescriptor<>("category-counts",
                Types.MAP(Types.STRING, Types.LONG)));
    }

    @Override
    public void processElement(Event event, Context ctx,
            Collector<Tuple3<¤, String, Long>> out) throws Exception {
        HashMap<String, Long> current = counts.value();
        if (current == null) {
            current = new HashMap<>();
        }
        long next = current.merge(event.category, 1L, Long::sum);
        counts.update(current);
        out.collect(Tuple3.of(event.key, event.category, next));
    }
}"#;

/// `RunningSum`: the Java of its doc comment, with `¤` for the key type (checked equal by a test below).
const RUNNING_SUM: &str = r#"public class RunningSumProcessFunction
        extends KeyedProcessFunction<¤, Event, Tuple2<¤, Long>> {

    private transient ReducingState<Long> sum;

    @Override
    public void open(OpenContext ctx) {
        sum = getRuntimeContext().getReducingState(
                new ReducingStateDescriptor<>("running-sum", Long::sum, Types.LONG));
    }

    @Override
    public void processElement(Event event, Context ctx,
            Collector<Tuple2<¤, Long>> out) throws Exception {
        sum.add(event.amount);
        out.collect(Tuple2.of(event.key, sum.get()));
    }
}"#;

/// `Average`: the Java of its doc comment, with `¤` for the key type (checked equal by a test below).
const AVERAGE: &str = r#"public class AverageProcessFunction
        extends KeyedProcessFunction<¤, Event, Tuple2<¤, Double>> {

    private transient AggregatingState<Long, Double> average;

    @Override
    public void open(OpenContext ctx) {
        average = getRuntimeContext().getAggregatingState(new AggregatingStateDescriptor<>(
                "average", new AverageAggregate(), Types.TUPLE(Types.LONG, Types.LONG)));
    }

    @Override
    public void processElement(Event event, Context ctx,
            Collector<Tuple2<¤, Double>> out) throws Exception {
        average.add(event.amount);
        out.collect(Tuple2.of(event.key, average.get()));
    }
}

// createAccumulator: Tuple2.of(0L, 0L); add: acc.f0 += value; acc.f1 += 1; return acc;
// getResult: (double) acc.f0 / acc.f1"#;

/// `IdleCounter`: the Java of its doc comment, with `¤` for the key type (checked equal by a test below).
const IDLE_KEY_COUNTER: &str = r#"public class IdleKeyCounterProcessFunction
        extends KeyedProcessFunction<¤, ¤, Tuple2<¤, Long>> {

    private transient ValueState<Long> counter;

    @Override
    public void open(OpenContext ctx) {
        ValueStateDescriptor<Long> descriptor =
                new ValueStateDescriptor<>("event-counter", Types.LONG);
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofSeconds(5)).build());
        counter = getRuntimeContext().getState(descriptor);
    }

    @Override
    public void processElement(¤ key, Context ctx,
            Collector<Tuple2<¤, Long>> out) throws Exception {
        Long current = counter.value();
        long next = (current == null ? 0L : current) + 1;
        counter.update(next);
        out.collect(Tuple2.of(key, next));
    }
}"#;

/// `Session`: the Java of its doc comment, with `¤` for the key type (checked equal by a test below).
const SESSION: &str = r#"public class SessionProcessFunction
        extends KeyedProcessFunction<¤, Event, Tuple2<¤, Long>> {

    private static final long GAP_MS = 2_000;
    private transient ValueState<Tuple2<Long, Long>> session;

    @Override
    public void open(OpenContext ctx) {
        session = getRuntimeContext().getState(new ValueStateDescriptor<>("session",
                Types.TUPLE(Types.LONG, Types.LONG)));
    }

    @Override
    public void processElement(Event event, Context ctx,
            Collector<Tuple2<¤, Long>> out) throws Exception {
        Tuple2<Long, Long> current = session.value();
        if (current == null) {
            current = Tuple2.of(0L, 0L);
        }
        current.f0 += 1;
        current.f1 = ctx.timerService().currentProcessingTime();
        session.update(current);
        ctx.timerService().registerProcessingTimeTimer(current.f1 + GAP_MS);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx,
            Collector<Tuple2<¤, Long>> out) throws Exception {
        Tuple2<Long, Long> current = session.value();
        if (current != null && timestamp == current.f1 + GAP_MS) {
            out.collect(Tuple2.of(ctx.getCurrentKey(), current.f0));
            session.clear();
        }
    }
}"#;

/// `KeyStats`: the Java of its doc comment, with `¤` for the key type (checked equal by a test below).
const KEY_STATS: &str = r#"public class KeyStatsProcessFunction
        extends KeyedProcessFunction<¤, Event, Tuple2<¤, Long>> {

    private transient ValueState<KeyStats> stats;

    @Override
    public void open(OpenContext ctx) {
        stats = getRuntimeContext().getState(new ValueStateDescriptor<>("key-stats",
                KeyStats.class));
    }

    @Override
    public void processElement(Event event, Context ctx,
            Collector<Tuple2<¤, Long>> out) throws Exception {
        KeyStats s = stats.value();
        if (s == null) {
            s = new KeyStats();
        }
        s.count++;
        stats.update(s);
        s.sum += event.amount;
        out.collect(Tuple2.of(event.key, s.count));
    }
}

public class KeyStats {
    public long count;
    public long sum;

    public KeyStats() {}

    @Override
    public String toString() {
        return "KeyStats{count=" + count + ", sum=" + sum + "}";
    }
}"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_engine_documents_the_function_the_page_shows() {
        let doc = include_str!("../engine/functions/event_counter_process_function.rs");
        let java: Vec<&str> = doc
            .lines()
            .map_while(|l| l.strip_prefix("//!"))
            .skip_while(|l| !l.contains("```java"))
            .skip(1)
            .take_while(|l| !l.contains("```"))
            .map(|l| l.strip_prefix(' ').unwrap_or(l))
            .collect();
        let shown: Vec<String> = source(JobFunction::Counter, JavaKeyType::String)
            .into_iter()
            .map(|l| l.text)
            .collect();
        assert_eq!(java, shown);
    }

    #[test]
    fn every_line_of_process_element_is_in_the_source_once_in_order() {
        let lines: Vec<CodeLine> = source(JobFunction::Counter, JavaKeyType::Long)
            .iter()
            .filter_map(|l| l.line)
            .collect();
        let mut walked = vec![CodeLine::Enter];
        while let Some(next) = walked.last().and_then(|l| l.next()) {
            walked.push(next);
        }
        // Every line but the one after the write, which the counter has not.
        walked.retain(|&l| l != CodeLine::AfterUpdate);
        let mut deduped = lines.clone();
        deduped.dedup();
        assert_eq!(deduped, walked);
    }

    /// The Java between the fences of a function's doc comment.
    fn documented(doc: &str) -> String {
        let java: Vec<&str> = doc
            .lines()
            .map_while(|l| l.strip_prefix("//!"))
            .skip_while(|l| !l.contains("```java"))
            .skip(1)
            .take_while(|l| !l.contains("```"))
            .map(|l| l.strip_prefix(' ').unwrap_or(l))
            .collect();
        java.join("\n")
    }

    #[test]
    fn every_preset_shows_the_java_its_engine_file_documents() {
        let docs = [
            (
                JobFunction::EventLog,
                include_str!("../engine/functions/event_log_process_function.rs"),
            ),
            (
                JobFunction::EventLogInValue,
                include_str!("../engine/functions/event_log_in_value_process_function.rs"),
            ),
            (
                JobFunction::CategoryCounts,
                include_str!("../engine/functions/category_count_process_function.rs"),
            ),
            (
                JobFunction::CategoryCountsInValue,
                include_str!("../engine/functions/category_count_in_value_process_function.rs"),
            ),
            (
                JobFunction::RunningSum,
                include_str!("../engine/functions/running_sum_process_function.rs"),
            ),
            (
                JobFunction::Average,
                include_str!("../engine/functions/average_process_function.rs"),
            ),
            (
                JobFunction::IdleCounter,
                include_str!("../engine/functions/idle_key_counter_process_function.rs"),
            ),
            (
                JobFunction::Session,
                include_str!("../engine/functions/session_process_function.rs"),
            ),
            (
                JobFunction::KeyStats,
                include_str!("../engine/functions/key_stats_process_function.rs"),
            ),
        ];
        assert_eq!(docs.len() + 1, JobFunction::ALL.len());
        for (function, doc) in docs {
            let shown: Vec<String> = source(function, JavaKeyType::String)
                .into_iter()
                .map(|l| l.text)
                .collect();
            assert_eq!(shown.join("\n"), documented(doc), "{function:?}");
        }
    }

    #[test]
    fn every_function_enters_writes_and_returns_its_lines_in_order() {
        for function in JobFunction::ALL {
            let lines: Vec<CodeLine> = source(function, JavaKeyType::Integer)
                .iter()
                .filter_map(|l| l.line)
                .collect();
            assert_eq!(lines.first(), Some(&CodeLine::Enter), "{function:?}");
            assert_eq!(lines.last(), Some(&CodeLine::Return), "{function:?}");
            assert!(lines.contains(&CodeLine::Update), "{function:?}");
            assert!(
                lines.windows(2).all(|w| w[0] <= w[1]),
                "{function:?}: {lines:?}"
            );
            // Step into walks exactly the lines the source has, then returns.
            let mut walked = vec![CodeLine::Enter];
            while let Some(next) = walked.last().and_then(|&l| next_line(function, l)) {
                walked.push(next);
            }
            let mut distinct = lines.clone();
            distinct.dedup();
            assert_eq!(walked, distinct, "{function:?}");
        }
    }

    #[test]
    fn the_lines_say_what_they_do_to_the_state() {
        let line_of = |function, text: &str| {
            source(function, JavaKeyType::String)
                .into_iter()
                .find(|l| l.text.contains(text))
                .and_then(|l| l.line)
        };
        // A ListState's add is its write; a list held in a ValueState is changed before update() is called.
        assert_eq!(
            line_of(JobFunction::EventLog, "eventLog.add("),
            Some(CodeLine::Update)
        );
        assert_eq!(
            line_of(JobFunction::EventLogInValue, "log.add("),
            Some(CodeLine::Next)
        );
        assert_eq!(
            line_of(JobFunction::CategoryCountsInValue, "current.merge("),
            Some(CodeLine::Next)
        );
        assert_eq!(
            line_of(JobFunction::CategoryCounts, "counts.get("),
            Some(CodeLine::Value)
        );
        assert_eq!(
            line_of(JobFunction::CategoryCounts, "counts.put("),
            Some(CodeLine::Update)
        );
        assert_eq!(
            line_of(JobFunction::RunningSum, "out.collect("),
            Some(CodeLine::Collect)
        );
        assert_eq!(
            line_of(JobFunction::Session, "registerProcessingTimeTimer("),
            Some(CodeLine::Collect)
        );
        // A POJO changed after update(): its own line, after the write, in no other preset.
        assert_eq!(
            line_of(JobFunction::KeyStats, "s.count++"),
            Some(CodeLine::Next)
        );
        assert_eq!(
            line_of(JobFunction::KeyStats, "stats.update(s)"),
            Some(CodeLine::Update)
        );
        assert_eq!(
            line_of(JobFunction::KeyStats, "s.sum += event.amount"),
            Some(CodeLine::AfterUpdate)
        );
        assert_eq!(read_variable(JobFunction::KeyStats).as_deref(), Some("s"));
        for function in JobFunction::ALL {
            let after = source(function, JavaKeyType::String)
                .iter()
                .filter(|l| l.line == Some(CodeLine::AfterUpdate))
                .count();
            assert_eq!(
                after,
                usize::from(function == JobFunction::KeyStats),
                "{function:?}"
            );
        }
        // The class below the function is neither open() nor a record's line.
        assert!(source(JobFunction::KeyStats, JavaKeyType::String)
            .iter()
            .filter(|l| l.text.contains("toString") || l.text.contains("public long"))
            .all(|l| l.line.is_none() && !l.open));
        // onTimer is not a record's line: its lines, signature to closing brace, are the timer's.
        assert_eq!(line_of(JobFunction::Session, "session.clear()"), None);
        let on_timer: Vec<String> = source(JobFunction::Session, JavaKeyType::String)
            .iter()
            .filter(|l| l.on_timer)
            .map(|l| l.text.trim().to_owned())
            .collect();
        assert_eq!(
            on_timer.first().map(String::as_str),
            Some("public void onTimer(long timestamp, OnTimerContext ctx,")
        );
        assert!(on_timer.iter().any(|t| t == "session.clear();"));
        assert_eq!(on_timer.len(), 8, "{on_timer:?}");
        for function in JobFunction::ALL {
            let timer_lines = source(function, JavaKeyType::String)
                .iter()
                .filter(|l| l.on_timer)
                .count();
            assert_eq!(
                timer_lines > 0,
                function == JobFunction::Session,
                "{function:?}"
            );
        }
        assert!(source(JobFunction::Session, JavaKeyType::String)
            .iter()
            .any(|l| l.open));
        assert_eq!(
            read_variable(JobFunction::CategoryCounts).as_deref(),
            Some("current")
        );
        assert_eq!(
            read_variable(JobFunction::EventLogInValue).as_deref(),
            Some("log")
        );
        assert_eq!(read_variable(JobFunction::EventLog), None);
        let fields = JobFunction::ALL.map(|f| state_field(f).unwrap_or_default());
        assert_eq!(
            fields,
            [
                "counter", "eventLog", "eventLog", "counts", "counts", "sum", "average", "counter",
                "session", "stats"
            ]
        );
        // The job's key type is the function's key type.
        let long = source(JobFunction::IdleCounter, JavaKeyType::Long);
        assert!(long.iter().any(|l| l
            .text
            .contains("KeyedProcessFunction<Long, Long, Tuple2<Long, Long>>")));
        assert!(long
            .iter()
            .any(|l| l.text.contains("processElement(Long key")));
        let int = source(JobFunction::CategoryCounts, JavaKeyType::Integer);
        assert!(int.iter().any(|l| l
            .text
            .contains("<Integer, Event, Tuple3<Integer, String, Long>>")));
        assert!(int
            .iter()
            .any(|l| l.text.contains("MapState<String, Long>")));
    }
}

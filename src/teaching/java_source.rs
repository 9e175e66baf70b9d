//! The Java StateLab runs: `EventCounterProcessFunction` as the code panel shows it, line by line, with the lines
//! of `processElement` a debugger stops on. One text for the page, the lessons and the engine's own doc comment
//! (`src/engine/functions/event_counter_process_function.rs`, checked equal by a test below).

use crate::engine::keys::java_key::JavaKeyType;

pub use crate::engine::functions::event_counter_process_function::ProcessLine as CodeLine;

/// One line of the source and what it stands for.
pub struct SourceLine {
    pub text: String,
    pub line: Option<CodeLine>,
    /// Part of `open()`.
    pub open: bool,
}

/// The function as the job runs it, with the key type of the job (`String`, `Integer` or `Long`).
pub fn source(key_type: JavaKeyType) -> Vec<SourceLine> {
    let k = key_type.java_name();
    let plain = |text: String| SourceLine {
        text,
        line: None,
        open: false,
    };
    let open = |text: &str| SourceLine {
        text: text.to_owned(),
        line: None,
        open: true,
    };
    let at = |text: String, line| SourceLine {
        text,
        line: Some(line),
        open: false,
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
        let shown: Vec<String> = source(JavaKeyType::String)
            .into_iter()
            .map(|l| l.text)
            .collect();
        assert_eq!(java, shown);
    }

    #[test]
    fn every_line_of_process_element_is_in_the_source_once_in_order() {
        let lines: Vec<CodeLine> = source(JavaKeyType::Long)
            .iter()
            .filter_map(|l| l.line)
            .collect();
        let mut walked = vec![CodeLine::Enter];
        while let Some(next) = walked.last().and_then(|l| l.next()) {
            walked.push(next);
        }
        let mut deduped = lines.clone();
        deduped.dedup();
        assert_eq!(deduped, walked);
    }
}

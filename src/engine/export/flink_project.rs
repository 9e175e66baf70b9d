//! [`export_job`]: a [`JobConfig`] as the files of a Maven project that runs the same job on real Flink 2.x —
//! `pom.xml`, the Java of `statelab.job` and `README.md` — as text in memory, for the CLI to write into a
//! folder or the page to zip. Only the counter job (`EventCounterProcessFunction`) is exported; the function
//! is written by `process_function`, the one part another function would replace.

use super::export_error::ExportError;
use super::{key_generator, pom_xml, process_function, readme, state_lab_job};
use crate::engine::cluster::job_config::JobConfig;
use crate::engine::keys::java_key::JavaKey;

/// Where the program's Java files go (package `statelab.job`).
pub(super) const JAVA_DIR: &str = "src/main/java/statelab/job/";

/// The bound given to a source StateLab runs without one: a Flink program that should finish needs one.
pub const DEFAULT_MAX_EVENTS: u64 = 100_000;

/// One file of the project: its path relative to the project's folder (`/`-separated) and its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProjectFile {
    pub path: String,
    pub text: String,
}

impl ProjectFile {
    pub(super) fn new(path: String, text: String) -> Self {
        ProjectFile { path, text }
    }
}

/// The exported project.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlinkProject {
    /// Every file, `pom.xml` first and `README.md` last.
    pub files: Vec<ProjectFile>,
    /// The events the program's bounded source emits.
    pub events: u64,
    /// Whether StateLab's source was unbounded and the program stops after [`DEFAULT_MAX_EVENTS`].
    pub bounded_by_default: bool,
}

/// The name of the configuration file written beside the project, for `statelab run --config` (its README says
/// so).
pub const CONFIG_FILE: &str = "statelab-job.json";

/// The configuration the exported program runs, as `CONFIG_FILE` holds it: `config` with the bound the program
/// was given, so that StateLab's counts are its counts.
pub fn exported_config(config: &JobConfig, project: &FlinkProject) -> JobConfig {
    let mut config = config.clone();
    if project.bounded_by_default {
        config.source.max_events = Some(project.events);
    }
    config
}

/// The job as a Flink program: the same keys, parallelisms, checkpointing and restart strategy, a bounded
/// source, and its final counts printed. Refuses a configuration that is not valid, a source with rate 0
/// (StateLab's source then emits only keys typed by hand), counts a Java `long` cannot hold and replayed keys
/// holding a line break.
pub fn export_job(config: &JobConfig) -> Result<FlinkProject, ExportError> {
    config.validate().map_err(ExportError::Config)?;
    if !config.function.is_counter() {
        return Err(ExportError::Function {
            function: config.function.id(),
        });
    }
    let source = &config.source;
    if source.rate == 0 {
        return Err(ExportError::NoRate);
    }
    let replay: Option<Vec<JavaKey>> = config.replay_keys().map_err(ExportError::Config)?;
    if let Some(index) = source
        .replay
        .iter()
        .flatten()
        .position(|k| k.contains(['\n', '\r']))
    {
        return Err(ExportError::ReplayKeyLineBreak { index });
    }
    if replay.is_none() && source.key_count > i64::MAX as u64 {
        return Err(ExportError::KeyCountBeyondLong(source.key_count));
    }
    let (events, bounded_by_default) = match (&replay, source.max_events) {
        (Some(keys), _) => (keys.len() as u64, false),
        (None, Some(n)) if n > i64::MAX as u64 => return Err(ExportError::EventsBeyondLong(n)),
        (None, Some(n)) => (n, false),
        (None, None) => (DEFAULT_MAX_EVENTS, true),
    };
    let mut files = vec![ProjectFile::new("pom.xml".to_owned(), pom_xml::pom())];
    files.push(ProjectFile::new(
        format!("{JAVA_DIR}StateLabJob.java"),
        state_lab_job::java(config, events, bounded_by_default),
    ));
    files.extend(process_function::files(config));
    files.extend(key_generator::files(config, replay.as_deref()));
    files.push(ProjectFile::new(
        "src/main/resources/log4j2.properties".to_owned(),
        pom_xml::LOG4J2_PROPERTIES.to_owned(),
    ));
    let readme = readme::readme(config, events, bounded_by_default, &files);
    files.push(ProjectFile::new("README.md".to_owned(), readme));
    Ok(FlinkProject {
        files,
        events,
        bounded_by_default,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::cluster::job_config::{FailureTrigger, SourceConfig};
    use crate::engine::cluster::job_config_error::JobConfigError;
    use crate::engine::keys::java_key::JavaKeyType;
    use crate::engine::keys::key_registry::KeyFormat;
    use crate::engine::source::key_distribution::KeyDistribution;

    fn file<'a>(project: &'a FlinkProject, name: &str) -> &'a str {
        &project
            .files
            .iter()
            .find(|f| f.path.ends_with(name))
            .unwrap_or_else(|| panic!("no {name}"))
            .text
    }

    #[test]
    fn an_unbounded_source_is_bounded_and_says_so() {
        let project = export_job(&JobConfig::default()).unwrap();
        assert!(project.bounded_by_default);
        assert_eq!(project.events, DEFAULT_MAX_EVENTS);
        assert!(file(&project, "StateLabJob.java").contains("static final long EVENTS = 100000L;"));
        assert!(file(&project, "README.md").contains("had no `maxEvents`"));
        let paths: Vec<&str> = project.files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths.first(), Some(&"pom.xml"));
        assert_eq!(paths.last(), Some(&"README.md"));
        assert!(paths.contains(&"src/main/java/statelab/job/ZipfSampler.java"));
    }

    #[test]
    fn the_java_is_ascii_whatever_the_keys() {
        let mut config = JobConfig::default();
        config.source.key_format.prefix = "键\"*/\\\n".to_owned();
        let project = export_job(&config).unwrap();
        for f in project.files.iter().filter(|f| f.path.ends_with(".java")) {
            assert!(f.text.is_ascii(), "{}", f.path);
        }
        assert!(file(&project, "KeyGenerator.java")
            .contains(r#"static final String PREFIX = "\u952e\"*/\\\n";"#));
    }

    #[test]
    fn only_the_files_a_job_needs_are_written() {
        let config = JobConfig {
            source: SourceConfig {
                distribution: KeyDistribution::Sequential,
                key_format: KeyFormat {
                    key_type: JavaKeyType::Long,
                    ..KeyFormat::default()
                },
                max_events: Some(10),
                ..SourceConfig::default()
            },
            failures: vec![FailureTrigger::ProcessElementCall { call: 5 }],
            ..JobConfig::default()
        };
        let project = export_job(&config).unwrap();
        let names: Vec<&str> = project
            .files
            .iter()
            .filter_map(|f| f.path.strip_prefix(JAVA_DIR))
            .collect();
        assert_eq!(
            names,
            [
                "StateLabJob.java",
                "EventCounterProcessFunction.java",
                "InjectedFailures.java",
                "KeyGenerator.java"
            ]
        );
        assert!(file(&project, "KeyGenerator.java").contains("return i % KEY_COUNT;"));
        assert!(file(&project, "InjectedFailures.java").contains("FAIL_AT_CALLS = {5L};"));
    }

    #[test]
    fn a_replayed_job_carries_its_keys_as_a_resource() {
        let mut config = JobConfig::replaying(vec!["a".into(), " b ".into(), "a".into()]);
        config.source.key_format.key_type = JavaKeyType::String;
        let project = export_job(&config).unwrap();
        assert_eq!(project.events, 3);
        assert_eq!(file(&project, "replay-keys.txt"), "a\n b \na\n");
        config.source.key_format.key_type = JavaKeyType::Integer;
        config.source.replay = Some(vec![" 7".into(), "+8".into()]);
        let project = export_job(&config).unwrap();
        assert_eq!(file(&project, "replay-keys.txt"), "7\n8\n");
    }

    #[test]
    fn what_cannot_be_exported_is_refused_with_a_reason() {
        let mut c = JobConfig::default();
        c.source.rate = 0;
        assert_eq!(export_job(&c), Err(ExportError::NoRate));
        c.source.rate = 10;
        c.source.key_count = 0;
        assert_eq!(
            export_job(&c),
            Err(ExportError::Config(JobConfigError::NoKeys))
        );
        c.source.key_count = 1 << 63;
        c.source.key_format.key_type = JavaKeyType::Long;
        assert_eq!(
            export_job(&c),
            Err(ExportError::KeyCountBeyondLong(1 << 63))
        );
        c.source.key_count = 10;
        c.source.max_events = Some(u64::MAX);
        assert_eq!(export_job(&c), Err(ExportError::EventsBeyondLong(u64::MAX)));
        let c = JobConfig::replaying(vec!["a".into(), "b\r\nc".into()]);
        assert_eq!(
            export_job(&c),
            Err(ExportError::ReplayKeyLineBreak { index: 1 })
        );
    }
}

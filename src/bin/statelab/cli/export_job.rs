//! `statelab export-job [--config FILE.json] [job flags] --out DIR`: the job as a runnable Flink 2.x Maven
//! project (engine::export), written into a new or empty folder with the configuration beside it as
//! `statelab-job.json`, for `statelab run --config` to give the same counts.

use super::{print_json, run, CliError};
use serde_json::json;
use statelab::engine::export::flink_project::{export_job, exported_config, CONFIG_FILE};
use statelab::i18n::messages::export as msg;
use std::path::{Path, PathBuf};

fn write_file(dir: &Path, relative: &str, text: &str) -> Result<(), CliError> {
    let path = relative
        .split('/')
        .fold(dir.to_owned(), |p, part| p.join(part));
    let fail = |e: std::io::Error| CliError::failed(format!("--out {}: {e}", path.display()));
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(fail)?;
    }
    std::fs::write(&path, text).map_err(fail)
}

pub fn run(args: Vec<std::ffi::OsString>) -> Result<(), CliError> {
    let mut out: Option<PathBuf> = None;
    let mut rest = Vec::new();
    let mut iter = args.into_iter();
    while let Some(arg) = iter.next() {
        if arg == "--out" {
            out = Some(
                iter.next()
                    .ok_or_else(|| CliError::usage("--out needs a folder"))?
                    .into(),
            );
        } else {
            rest.push(arg);
        }
    }
    let out = out.ok_or_else(|| {
        CliError::usage("export-job needs --out DIR, the folder to write the Flink project into")
    })?;
    let a = run::parse(rest)?;
    run::refuse_run_only_flags(&a, "export-job", "--out")?;
    let config = a.config;
    let project = export_job(&config)
        .map_err(|e| CliError::failed(msg::error(&e, super::savepoint::lang())))?;
    if out.exists() {
        let empty = std::fs::read_dir(&out)
            .map_err(|e| CliError::failed(format!("--out {}: {e}", out.display())))?
            .next()
            .is_none();
        if !empty {
            return Err(CliError::failed(format!(
                "--out {}: the folder is not empty; export-job writes only into a new or empty folder",
                out.display()
            )));
        }
    }
    for file in &project.files {
        write_file(&out, &file.path, &file.text)?;
    }
    let text = serde_json::to_string_pretty(&exported_config(&config, &project))
        .map_err(CliError::failed)?;
    write_file(&out, CONFIG_FILE, &(text + "\n"))?;
    let mut files: Vec<&str> = project.files.iter().map(|f| f.path.as_str()).collect();
    files.push(CONFIG_FILE);
    print_json(&json!({
        "out": out.display().to_string(),
        "files": files,
        "events": project.events,
        "boundedByDefault": project.bounded_by_default,
        "run": format!("cd {} && mvn compile exec:java", out.display()),
        "compare": format!("statelab run --config {}/{CONFIG_FILE} --counts", out.display()),
    }))
}

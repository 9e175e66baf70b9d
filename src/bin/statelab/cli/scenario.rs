//! `statelab scenario [ID [--config]]`: the lessons' scenario presets — the list, one preset run to its end
//! with its golden trace printed, or a preset's job configuration as JSON (for `statelab run --config`).

use super::{print_json, print_out, CliError};
use statelab::engine::cluster::engine_event::Milestones;
use statelab::engine::history::golden_trace;
use statelab::teaching::presets;

struct ScenarioArgs {
    id: Option<String>,
    config: bool,
}

fn parse(args: Vec<std::ffi::OsString>) -> Result<ScenarioArgs, CliError> {
    use lexopt::prelude::*;
    let mut parser = lexopt::Parser::from_args(args);
    let (mut id, mut config) = (None, false);
    while let Some(arg) = parser.next()? {
        match arg {
            Long("config") => config = true,
            Value(v) if id.is_none() => id = Some(v.to_string_lossy().into_owned()),
            _ => return Err(arg.unexpected().into()),
        }
    }
    if config && id.is_none() {
        return Err(CliError::usage("--config needs a scenario id"));
    }
    Ok(ScenarioArgs { id, config })
}

pub fn run(args: Vec<std::ffi::OsString>) -> Result<(), CliError> {
    let a = parse(args)?;
    let Some(id) = a.id else {
        let width = presets::scenarios().map(|s| s.id.len()).max().unwrap_or(0);
        let mut list = String::new();
        for s in presets::scenarios() {
            let title =
                statelab::i18n::messages::scenarios::describe(s.id).map_or("", |(t, _)| t.en);
            list += &format!("{:width$}  {title}\n", s.id);
        }
        return print_out(&list);
    };
    let preset = presets::find_scenario(&id).ok_or_else(|| {
        let ids: Vec<&str> = presets::scenarios().map(|s| s.id).collect();
        CliError::usage(format!(
            "unknown scenario '{id}'; the presets are {}",
            ids.join(", ")
        ))
    })?;
    if a.config {
        let value = serde_json::to_value(preset.config()).map_err(CliError::failed)?;
        return print_json(&value);
    }
    let cluster = preset
        .run(&mut Milestones::default())
        .map_err(CliError::failed)?;
    print_out(&golden_trace::trace(&cluster))?;
    Ok(())
}

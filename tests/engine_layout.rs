//! The engine's layout holds: every folder says what it is for, no engine file imports one that (through
//! others) imports it back, and no view reads the state map's storage through its sentinels — read from the
//! sources, so a new cycle or a leak of the storage fails here rather than in a reader's head.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn engine_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src/engine")
}

/// Module path (`cluster::mini_cluster`) → the engine modules its non-test code names.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let root = engine_dir();
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    let module_of = |p: &Path| -> Option<String> {
        if p.file_stem()? == "mod" {
            return None;
        }
        let rel = p.strip_prefix(&root).ok()?.with_extension("");
        Some(
            rel.components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("::"),
        )
    };
    let modules: BTreeMap<String, PathBuf> = files
        .iter()
        .filter_map(|p| Some((module_of(p)?, p.clone())))
        .collect();
    let mut graph = BTreeMap::new();
    for (module, path) in &modules {
        let text = std::fs::read_to_string(path).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap();
        let mut uses = BTreeSet::new();
        for line in code.lines().filter(|l| !l.trim_start().starts_with("//")) {
            for (i, _) in line.match_indices("crate::engine::") {
                let rest = &line[i + "crate::engine::".len()..];
                let path: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '_' || *c == ':')
                    .collect();
                let parts: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
                if let Some(target) = (1..=parts.len())
                    .rev()
                    .map(|k| parts[..k].join("::"))
                    .find(|t| modules.contains_key(t))
                {
                    if &target != module {
                        uses.insert(target);
                    }
                }
            }
        }
        graph.insert(module.clone(), uses);
    }
    graph
}

#[test]
fn no_engine_file_imports_one_that_imports_it_back() {
    let graph = imports();
    assert!(graph.len() > 60, "{} engine files found", graph.len());
    assert!(graph["cluster::scheduler"].contains("cluster::mini_cluster"));
    // Depth-first search for a back edge; report the cycle it closes.
    fn visit<'a>(
        node: &'a str,
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<&'a str, bool>,
        stack: &mut Vec<&'a str>,
    ) -> Option<Vec<String>> {
        state.insert(node, false);
        stack.push(node);
        for next in &graph[node] {
            match state.get(next.as_str()) {
                Some(false) => {
                    let from = stack.iter().position(|n| *n == next.as_str()).unwrap();
                    return Some(stack[from..].iter().map(|s| s.to_string()).collect());
                }
                Some(true) => {}
                None => {
                    if let Some(cycle) = visit(next, graph, state, stack) {
                        return Some(cycle);
                    }
                }
            }
        }
        stack.pop();
        state.insert(node, true);
        None
    }
    let mut state = BTreeMap::new();
    for node in graph.keys() {
        if !state.contains_key(node.as_str()) {
            let cycle = visit(node, &graph, &mut state, &mut Vec::new());
            assert!(cycle.is_none(), "import cycle: {:?}", cycle.unwrap());
        }
    }
}

#[test]
fn every_engine_folder_says_what_it_is_for() {
    let mut files = Vec::new();
    rust_files(&engine_dir(), &mut files);
    let folders: Vec<_> = files
        .iter()
        .filter(|p| p.file_name().is_some_and(|n| n == "mod.rs"))
        .collect();
    assert!(folders.len() >= 10, "{} folders", folders.len());
    for m in folders {
        let text = std::fs::read_to_string(m).unwrap();
        assert!(
            text.starts_with("//! ") && text.lines().next().unwrap().len() > 40,
            "{} does not open with its purpose",
            m.display()
        );
    }
}

/// The page and the player read a `CopyOnWriteStateMap` through its accessors (`bucket_head`, `next_entry`,
/// `copied_for_running_snapshot`), never through the arena's sentinel indices, so the map's storage can change
/// without the views noticing.
#[test]
fn no_view_walks_the_map_storage_through_its_sentinels() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&root.join("web"), &mut files);
    rust_files(&root.join("player"), &mut files);
    assert!(
        files.len() > 20,
        "{} files under src/web and src/player",
        files.len()
    );
    let offenders: Vec<String> = files
        .iter()
        .filter(|file| {
            let text = std::fs::read_to_string(file).unwrap();
            text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .any(|word| word == "NIL" || word == "NO_ORIGIN")
        })
        .map(|file| file.display().to_string())
        .collect();
    assert!(offenders.is_empty(), "sentinels used in {offenders:?}");
}

//! The layering rules of docs/ARCHITECTURE.md, checked on the sources and the resolved
//! dependency graph, so a change that breaks one fails the build's tests:
//!
//! - `forsat-core` does not depend on tauri, not even through another crate;
//! - no file of `forsat-core` names a tauri crate;
//! - the core's layers only look down: `domain` ← `entity` ← `service` ← `report` ←
//!   `seed`, with `clock` under all of them and `db`, `startup`, `cli` on top;
//! - the services and the reports have no import cycles between their modules;
//! - "now" comes from the one clock: no `Utc::now()` or `Local::now()` elsewhere.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn core_src() -> PathBuf {
    root().join("src-tauri/core/src")
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![];
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "rs") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The code of a file without its comments (line comments and doc comments).
fn code_of(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The path of a core file relative to `src/`, e.g. `service/pipeline/list.rs`.
fn rel(path: &Path) -> String {
    path.strip_prefix(core_src())
        .unwrap()
        .to_string_lossy()
        .replace('\\', "/")
}

#[test]
fn the_core_crate_does_not_depend_on_tauri() {
    // The dependency graph for this machine's platform (the others' crates need not
    // be downloaded; tauri is the same crate on every platform).
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let version = std::process::Command::new(rustc)
        .arg("-vV")
        .output()
        .expect("rustc -vV");
    let host = String::from_utf8_lossy(&version.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: ").map(str::to_owned))
        .expect("rustc names its host");
    let out = std::process::Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--format-version",
            "1",
            "--offline",
            "--filter-platform",
            &host,
        ])
        .arg("--manifest-path")
        .arg(root().join("Cargo.toml"))
        .output()
        .expect("cargo metadata");
    assert!(
        out.status.success(),
        "cargo metadata: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: BTreeMap<String, String> = meta["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["id"].as_str().unwrap().to_owned(),
                p["name"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let nodes: BTreeMap<String, Vec<(String, bool)>> = meta["resolve"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            let deps = n["deps"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| {
                    // Only what the core is built with: normal and build dependencies.
                    let dev_only = d["dep_kinds"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .all(|k| k["kind"].as_str() == Some("dev"));
                    (d["pkg"].as_str().unwrap().to_owned(), dev_only)
                })
                .collect();
            (n["id"].as_str().unwrap().to_owned(), deps)
        })
        .collect();
    let core = names
        .iter()
        .find(|(_, n)| n.as_str() == "forsat-core")
        .map(|(id, _)| id.clone())
        .expect("forsat-core is a workspace member");
    // Every crate the core is built with, and the chain that brings it in.
    let mut seen: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut stack = vec![(core.clone(), vec!["forsat-core".to_owned()])];
    while let Some((id, chain)) = stack.pop() {
        if seen.contains_key(&id) {
            continue;
        }
        seen.insert(id.clone(), chain.clone());
        for (dep, dev_only) in nodes.get(&id).cloned().unwrap_or_default() {
            if id == core && dev_only {
                continue;
            }
            if !dev_only {
                let mut c = chain.clone();
                c.push(names[&dep].clone());
                stack.push((dep, c));
            }
        }
    }
    let tauri: Vec<String> = seen
        .iter()
        .filter(|(id, _)| names[*id].starts_with("tauri"))
        .map(|(_, chain)| chain.join(" → "))
        .collect();
    assert!(tauri.is_empty(), "forsat-core must not depend on tauri: {tauri:?}");
    assert!(seen.len() > 10, "the dependency walk found the core's dependencies");
}

#[test]
fn no_core_file_names_tauri() {
    let files = rust_files(&core_src());
    assert!(files.len() > 30, "found the core's sources");
    let offenders: Vec<String> = files
        .iter()
        .filter(|f| {
            let code = code_of(f);
            code.contains("tauri::") || code.contains("tauri_") || code.contains("use tauri")
        })
        .map(|f| rel(f))
        .collect();
    assert!(offenders.is_empty(), "core files that name tauri: {offenders:?}");
}

/// The layer of a core file: its first path component (`service/x.rs` → `service`).
fn layer_of(rel: &str) -> String {
    rel.split('/').next().unwrap().trim_end_matches(".rs").to_owned()
}

/// The module a file belongs to inside its layer: `service/pipeline/list.rs` →
/// `pipeline`, `service/users.rs` → `users`, `service/mod.rs` → `mod`.
fn module_of(rel: &str) -> String {
    let parts: Vec<&str> = rel.split('/').collect();
    match parts.as_slice() {
        [_, m] => m.trim_end_matches(".rs").to_owned(),
        [_, m, ..] => (*m).to_owned(),
        _ => String::new(),
    }
}

/// The `crate::X` layers a file refers to.
fn layers_used(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (i, _) in code.match_indices("crate::") {
        let rest = &code[i + "crate::".len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() {
            out.insert(name);
        }
    }
    out
}

#[test]
fn core_layers_only_look_down() {
    // Each layer and the layers it may use.
    let allowed: BTreeMap<&str, &[&str]> = BTreeMap::from([
        ("clock", &[][..]),
        ("error", &["domain"][..]),
        ("domain", &["error", "domain"][..]),
        ("entity", &["domain", "entity", "error"][..]),
        ("service", &["clock", "domain", "entity", "error", "service"][..]),
        (
            "report",
            &["clock", "domain", "entity", "error", "service", "report"][..],
        ),
        ("seed", &["clock", "domain", "entity", "error", "service", "seed"][..]),
        ("db", &[][..]),
        ("startup", &["db", "error", "seed", "server"][..]),
        ("server", &["db", "domain", "entity", "error", "seed", "service"][..]),
        ("connections", &["domain", "error"][..]),
        ("live", &["domain", "entity", "error", "service"][..]),
        ("backup", &["clock", "domain", "error", "service"][..]),
        (
            "cli",
            &[
                "backup", "db", "domain", "error", "service", "seed", "server", "startup",
            ][..],
        ),
        ("lib", &[][..]),
    ]);
    let mut wrong = vec![];
    for f in rust_files(&core_src()) {
        let rel = rel(&f);
        let layer = layer_of(&rel);
        let may = allowed.get(layer.as_str()).unwrap_or_else(|| {
            panic!("{rel}: a new layer `{layer}` — add it to this test and to docs/ARCHITECTURE.md")
        });
        for used in layers_used(&code_of(&f)) {
            if used != layer && !may.contains(&used.as_str()) {
                wrong.push(format!("{rel} uses crate::{used}"));
            }
        }
    }
    assert!(wrong.is_empty(), "layering broken: {wrong:#?}");
}

/// The modules of `layer` each module refers to (through `super::`, `crate::layer::`).
fn module_graph(layer: &str) -> BTreeMap<String, BTreeSet<String>> {
    let dir = core_src().join(layer);
    let files = rust_files(&dir);
    let modules: BTreeSet<String> = files
        .iter()
        .map(|f| module_of(&rel(f)))
        .filter(|m| m != "mod")
        .collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in &files {
        let rel = rel(f);
        let from = module_of(&rel);
        if from == "mod" {
            continue;
        }
        // A file directly in the layer names its siblings as `super::x`; a file of a
        // folder module (`service/pipeline/list.rs`) names them as `crate::service::x`
        // (its `super::` is its own module).
        let nested = rel.matches('/').count() > 1;
        let code = code_of(f);
        let mut refs = BTreeSet::new();
        let mut scan = |prefix: &str| {
            for (i, _) in code.match_indices(prefix) {
                let rest = &code[i + prefix.len()..];
                let names: Vec<String> = if let Some(group) = rest.strip_prefix('{') {
                    let end = group.find('}').unwrap_or(group.len());
                    group[..end]
                        .split(',')
                        .map(|n| n.trim().split([':', ' ']).next().unwrap_or("").to_owned())
                        .collect()
                } else {
                    vec![rest
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect()]
                };
                for n in names {
                    if modules.contains(&n) && n != from {
                        refs.insert(n);
                    }
                }
            }
        };
        if !nested {
            scan("super::");
        }
        scan(&format!("crate::{layer}::"));
        graph.entry(from).or_default().extend(refs);
    }
    graph
}

fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        n: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(n.to_owned(), 1);
        path.push(n.to_owned());
        for m in graph.get(n).into_iter().flatten() {
            match state.get(m).copied().unwrap_or(0) {
                1 => {
                    let start = path.iter().position(|p| p == m).unwrap();
                    let mut cycle = path[start..].to_vec();
                    cycle.push(m.clone());
                    return Some(cycle);
                }
                0 => {
                    if let Some(c) = visit(m, graph, state, path) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        path.pop();
        state.insert(n.to_owned(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for n in graph.keys() {
        if state.get(n).copied().unwrap_or(0) == 0 {
            if let Some(c) = visit(n, graph, &mut state, &mut vec![]) {
                return Some(c);
            }
        }
    }
    None
}

#[test]
fn services_and_reports_have_no_import_cycles() {
    for layer in ["service", "report", "domain", "seed"] {
        let graph = module_graph(layer);
        assert!(!graph.is_empty(), "{layer}: modules found");
        if let Some(cycle) = find_cycle(&graph) {
            panic!("{layer}: import cycle {}", cycle.join(" → "));
        }
    }
    // The check itself finds a cycle when there is one.
    let looped = BTreeMap::from([
        ("a".to_owned(), BTreeSet::from(["b".to_owned()])),
        ("b".to_owned(), BTreeSet::from(["c".to_owned()])),
        ("c".to_owned(), BTreeSet::from(["a".to_owned()])),
    ]);
    assert_eq!(find_cycle(&looped).map(|c| c.len()), Some(4));
    // And it sees the service modules' real edges.
    let services = module_graph("service");
    assert!(services["pipeline"].contains("opportunities"), "{services:?}");
    assert!(services["opportunities"].contains("settings"), "{services:?}");
}

#[test]
fn now_comes_from_the_one_clock() {
    let mut files = rust_files(&core_src());
    files.extend(rust_files(&root().join("src-tauri/commands")));
    let offenders: Vec<String> = files
        .iter()
        .filter(|f| !f.ends_with("clock.rs"))
        .filter(|f| {
            let code = code_of(f);
            code.contains("Utc::now()") || code.contains("Local::now()") || code.contains("SystemTime::now()")
        })
        .map(|f| f.display().to_string())
        .collect();
    assert!(
        offenders.is_empty(),
        "read the time through forsat_core::clock: {offenders:?}"
    );
}

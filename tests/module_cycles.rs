//! No two modules of `src` reach each other through their imports (`crate::` and `super::`
//! paths): each can be understood and changed apart (docs/architecture.md). A parent's `use`
//! of its own child (a re-export) is not an edge; code under `#[cfg(test)] mod tests` is left
//! out. `scripts/module_cycles.py` is the same check for a quick look.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Module = Vec<String>;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module a file is: `src/tui/keys.rs` is tui::keys, `src/tui/mod.rs` is tui.
fn module_of(root: &Path, file: &Path) -> Module {
    let rel = file
        .strip_prefix(root)
        .expect("under src")
        .with_extension("");
    let mut parts: Module = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    if parts == ["lib"] || parts == ["main"] {
        parts.clear();
    }
    parts
}

/// Every `crate::a::b` or `super::x` path in the text, as its segments.
fn paths(text: &str) -> Vec<Vec<&str>> {
    let mut found = Vec::new();
    let bytes = text.as_bytes();
    for start in ["crate::", "super::"]
        .iter()
        .flat_map(|head| text.match_indices(head).map(|(i, _)| i))
    {
        let before = start.checked_sub(1).map(|i| bytes[i]);
        if before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b':') {
            continue;
        }
        let rest = &text[start..];
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
            .unwrap_or(rest.len());
        let segs: Vec<&str> = rest[..end].split("::").filter(|s| !s.is_empty()).collect();
        found.push(segs);
    }
    found
}

/// The text before the unit tests (`#[cfg(test)] mod tests { ... }` ends a file here).
fn without_tests(text: &str) -> &str {
    text.match_indices("#[cfg(test)]")
        .map(|(i, _)| i)
        .find(|&i| {
            text[i + "#[cfg(test)]".len()..]
                .trim_start()
                .starts_with("mod tests")
        })
        .map_or(text, |i| &text[..i])
}

fn edges(root: &Path) -> BTreeMap<Module, BTreeSet<Module>> {
    let mut files = Vec::new();
    rust_files(root, &mut files);
    let modules: BTreeMap<Module, PathBuf> = files
        .into_iter()
        .map(|f| (module_of(root, &f), f))
        .collect();
    let resolve = |path: &[String]| {
        (1..=path.len())
            .rev()
            .map(|n| path[..n].to_vec())
            .find(|prefix| modules.contains_key(prefix))
    };
    let mut edges = BTreeMap::new();
    for (module, file) in &modules {
        let text = std::fs::read_to_string(file).expect("read a source file");
        let text = without_tests(&text);
        let mut to = BTreeSet::new();
        for segs in paths(text) {
            let (mut base, mut rest): (Module, &[&str]) = if segs[0] == "crate" {
                (Vec::new(), &segs[1..])
            } else {
                // `super` is the parent, from a file module and from a mod.rs alike (`module`
                // names the folder of a mod.rs).
                let mut base = module.clone();
                base.pop();
                (base, &segs[1..])
            };
            while rest.first() == Some(&"super") {
                base.pop();
                rest = &rest[1..];
            }
            base.extend(rest.iter().map(|s| s.to_string()));
            if let Some(target) = resolve(&base).filter(|t| t != module) {
                to.insert(target);
            }
        }
        edges.insert(module.clone(), to);
    }
    edges
}

/// The groups of two or more modules that reach each other (Tarjan's algorithm).
fn cycles(edges: &BTreeMap<Module, BTreeSet<Module>>) -> Vec<Vec<String>> {
    struct Walk<'a> {
        edges: &'a BTreeMap<Module, BTreeSet<Module>>,
        index: BTreeMap<&'a Module, usize>,
        low: BTreeMap<&'a Module, usize>,
        stack: Vec<&'a Module>,
        groups: Vec<Vec<String>>,
    }
    impl<'a> Walk<'a> {
        fn visit(&mut self, v: &'a Module) {
            let n = self.index.len();
            self.index.insert(v, n);
            self.low.insert(v, n);
            self.stack.push(v);
            for w in self.edges.get(v).into_iter().flatten() {
                if !self.index.contains_key(w) {
                    self.visit(w);
                    let low = self.low[v].min(self.low[w]);
                    self.low.insert(v, low);
                } else if self.stack.contains(&w) {
                    let low = self.low[v].min(self.index[w]);
                    self.low.insert(v, low);
                }
            }
            if self.low[v] == self.index[v] {
                let mut group = Vec::new();
                while let Some(w) = self.stack.pop() {
                    group.push(if w.is_empty() {
                        "crate".to_string()
                    } else {
                        w.join("::")
                    });
                    if w == v {
                        break;
                    }
                }
                if group.len() > 1 {
                    group.sort();
                    self.groups.push(group);
                }
            }
        }
    }
    let mut walk = Walk {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        groups: Vec::new(),
    };
    for v in edges.keys() {
        if !walk.index.contains_key(v) {
            walk.visit(v);
        }
    }
    walk.groups
}

#[test]
fn no_two_modules_import_each_other() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let edges = edges(&root);
    assert!(edges.len() > 100, "only {} modules found", edges.len());
    let groups = cycles(&edges);
    assert!(
        groups.is_empty(),
        "modules that reach each other through their imports: {groups:?}"
    );
}

#[test]
fn the_check_sees_a_cycle() {
    let module = |name: &str| -> Module { name.split("::").map(String::from).collect() };
    let mut edges = BTreeMap::new();
    edges.insert(module("a"), BTreeSet::from([module("b")]));
    edges.insert(module("b"), BTreeSet::from([module("c")]));
    edges.insert(module("c"), BTreeSet::from([module("a")]));
    edges.insert(module("d"), BTreeSet::from([module("a")]));
    assert_eq!(cycles(&edges), [["a", "b", "c"]]);
    assert_eq!(
        paths("use super::keys::{key, Chord};\nlet x = crate::db::posting::post(c);"),
        [
            vec!["crate", "db", "posting", "post"],
            vec!["super", "keys"]
        ]
    );
}

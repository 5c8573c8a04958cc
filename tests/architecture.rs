//! ARCHITECTURE.md's module list stays true: every non-test `.rs` file under
//! `src/` and `lambda/src/` is named in it as `` `path` ``, and every
//! `` `src/...rs` `` or `` `lambda/src/...rs` `` path it names exists (globs such
//! as `` `src/**/tests.rs` `` aside).
//!
//! Test files are not listed: `tests.rs` and anything under a `tests/` directory
//! (the one in-crate test layout). When this fails, add (or fix) the file's row
//! in the module tables of ARCHITECTURE.md.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

const ROOTS: [&str; 2] = ["src", "lambda/src"];

/// The non-test `.rs` files under `dir`, as paths relative to the repository
/// root with `/` separators (`lambda/src/ports/claims.rs`).
fn sources(root: &Path, rel: &str, out: &mut BTreeSet<String>) {
    let dir = root.join(rel);
    let entries = fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let entry = entry.unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = format!("{rel}/{name}");
        let kind = entry.file_type().unwrap_or_else(|e| panic!("{path}: {e}"));
        if kind.is_dir() {
            if name != "tests" {
                sources(root, &path, out);
            }
        } else if name.ends_with(".rs") && name != "tests.rs" {
            out.insert(path);
        }
    }
}

/// Every inline code span of `text` (between single backticks on one line).
fn code_spans(text: &str) -> BTreeSet<&str> {
    text.lines()
        .flat_map(|line| line.split('`').skip(1).step_by(2))
        .collect()
}

#[test]
fn architecture_names_every_source_file_and_no_missing_one() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc_path = root.join("ARCHITECTURE.md");
    let doc =
        fs::read_to_string(&doc_path).unwrap_or_else(|e| panic!("{}: {e}", doc_path.display()));
    let spans = code_spans(&doc);

    let mut files = BTreeSet::new();
    for rel in ROOTS {
        sources(root, rel, &mut files);
    }
    assert!(
        files.contains("src/lib.rs") && files.contains("lambda/src/lib.rs"),
        "the walk found no crate roots: {files:?}"
    );

    let unlisted: Vec<&String> = files
        .iter()
        .filter(|f| !spans.contains(f.as_str()))
        .collect();
    let missing: Vec<&str> = spans
        .iter()
        .copied()
        .filter(|s| {
            (s.starts_with("src/") || s.starts_with("lambda/src/"))
                && s.ends_with(".rs")
                && !s.contains('*')
                && !root.join(s).is_file()
        })
        .collect();

    let mut problems = String::new();
    if !unlisted.is_empty() {
        problems.push_str("source files ARCHITECTURE.md does not name (add a row with `path`):\n");
        for f in &unlisted {
            problems.push_str(&format!("  {f}\n"));
        }
    }
    if !missing.is_empty() {
        problems.push_str("paths ARCHITECTURE.md names that do not exist:\n");
        for s in &missing {
            problems.push_str(&format!("  {s}\n"));
        }
    }
    assert!(problems.is_empty(), "{problems}");
}

#[test]
fn code_spans_are_read_per_line() {
    let text = "a `src/x.rs` b `lambda/src/y.rs` c\nnot `src/z.rs";
    let spans = code_spans(text);
    assert!(spans.contains("src/x.rs") && spans.contains("lambda/src/y.rs"));
    assert!(!spans.contains(" b ") && !spans.contains(" c"), "{spans:?}");
}

//! Which files a `scan` reads: explicit files always; in directories, CloudTrail
//! log files only, with digest and Insight files skipped and counted.

use std::path::PathBuf;

use cognito_trail_alerts::trail::layout::{classify, KeyKind};

use walkdir::WalkDir;

/// The files to scan and what was left out.
#[derive(Debug, Default)]
pub struct Inputs {
    pub files: Vec<PathBuf>,
    /// Digest and Insight files found in directories.
    pub skipped: u64,
    /// Paths that could not be listed, with the reason.
    pub errors: Vec<(String, String)>,
}

/// Expands `paths` (files and directories) into the files to scan, in a stable order.
pub fn collect(paths: &[PathBuf]) -> Inputs {
    let mut out = Inputs::default();
    for path in paths {
        if !path.is_dir() {
            // Explicit files are always scanned; a missing one fails when opened.
            out.files.push(path.clone());
            continue;
        }
        for entry in WalkDir::new(path).sort_by_file_name() {
            match entry {
                Err(e) => {
                    let at = e.path().unwrap_or(path).display().to_string();
                    out.errors.push((at, e.to_string()));
                }
                Ok(e) if !e.file_type().is_file() => {}
                Ok(e) => match classify(&e.path().to_string_lossy()) {
                    KeyKind::Log => out.files.push(e.into_path()),
                    KeyKind::Digest | KeyKind::Insight => out.skipped += 1,
                    KeyKind::Folder | KeyKind::Other => {}
                },
            }
        }
    }
    out
}

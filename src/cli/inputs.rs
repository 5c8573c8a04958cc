//! Which files a `scan` reads: explicit files always; in directories, CloudTrail
//! log files only, with digest and Insight files skipped and counted.

use std::path::{Path, PathBuf};

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
                Ok(e) if !e.file_type().is_file() || !is_log_name(e.path()) => {}
                Ok(e) if is_digest_or_insight(e.path()) => out.skipped += 1,
                Ok(e) => out.files.push(e.into_path()),
            }
        }
    }
    out
}

fn is_log_name(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".json.gz") || lower.ends_with(".json")
}

/// CloudTrail lays digests out under `CloudTrail-Digest/` with `_CloudTrail-Digest_` in
/// the name, and Insights events under `CloudTrail-Insight/` likewise.
pub fn is_digest_or_insight(path: &Path) -> bool {
    let in_dir = path.components().any(|c| {
        let c = c.as_os_str();
        c == "CloudTrail-Digest" || c == "CloudTrail-Insight"
    });
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    in_dir || name.contains("_CloudTrail-Digest_") || name.contains("_CloudTrail-Insight_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_digest_and_insight_layouts() {
        let cases = [
            ("AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2024/01/01/x.json.gz", true),
            ("d/111122223333_CloudTrail-Digest_us-east-1_trail_us-east-1_20240101T000000Z.json.gz", true),
            ("AWSLogs/o-abc/111122223333/CloudTrail-Insight/eu-west-1/2024/01/01/y.json.gz", true),
            ("AWSLogs/111122223333/CloudTrail/us-east-1/2024/01/01/111122223333_CloudTrail_us-east-1_20240101T0000Z_abc.json.gz", false),
        ];
        for (p, want) in cases {
            assert_eq!(is_digest_or_insight(Path::new(p)), want, "{p}");
        }
        assert!(is_log_name(Path::new("a/B.JSON.GZ")) && !is_log_name(Path::new("a/b.txt")));
    }
}

//! Trail files as CloudTrail writes them (`{"Records": [...]}`, gzip) and the keys
//! it writes them under.

use std::io::Write;
use std::path::{Path, PathBuf};

use flate2::write::GzEncoder;
use flate2::Compression;
use serde_json::{json, Value};

use crate::records::{ACCOUNT, REGION};

/// The folder of [`log_key`]: [`ACCOUNT`]'s trail in [`REGION`] on 2026-11-20.
pub const LOG_DIR: &str = "AWSLogs/111122223333/CloudTrail/eu-west-1/2026/11/20";

/// `{"Records": [...]}` as compact JSON bytes (a plain `.json` trail file).
pub fn trail(records: &[Value]) -> Vec<u8> {
    serde_json::to_vec(&json!({ "Records": records })).expect("JSON")
}

/// Gzip-compresses `bytes` (one member).
pub fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::default());
    enc.write_all(bytes).expect("in memory");
    enc.finish().expect("in memory")
}

/// A `.json.gz` trail file of `records`, as CloudTrail delivers them.
pub fn trail_gz(records: &[Value]) -> Vec<u8> {
    gz(&trail(records))
}

/// The key of a log file delivered at `stamp` (`HHMM`, UTC, 2026-11-20) under
/// [`LOG_DIR`]; names sort in time order.
pub fn log_key(stamp: &str) -> String {
    log_key_in("", None, stamp, "Ab3dE5fG7hJ9kL1m")
}

/// [`log_key`] with a bucket `prefix` (`""`, or ending in `/`), an organization
/// trail's `org` id, and the file name's random `suffix`.
pub fn log_key_in(prefix: &str, org: Option<&str>, stamp: &str, suffix: &str) -> String {
    let org = org.map(|o| format!("{o}/")).unwrap_or_default();
    format!(
        "{prefix}AWSLogs/{org}{ACCOUNT}/CloudTrail/{REGION}/2026/11/20/\
         {ACCOUNT}_CloudTrail_{REGION}_20261120T{stamp}Z_{suffix}.json.gz"
    )
}

/// Writes each `(stamp, records)` as a gzip trail file at `root/`[`log_key`]`(stamp)`
/// (a trail bucket's layout on disk) and returns the files' paths, in order.
pub fn write_logs(root: &Path, files: &[(&str, Vec<Value>)]) -> Vec<PathBuf> {
    files
        .iter()
        .map(|(stamp, records)| {
            let path = root.join(log_key(stamp));
            std::fs::create_dir_all(path.parent().expect("a folder")).expect("create the folder");
            std::fs::write(&path, trail_gz(records)).expect("write the file");
            path
        })
        .collect()
}

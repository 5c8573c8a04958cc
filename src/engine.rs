//! Runs the rules over one log file: the loop the CLI and the Lambda share.

use std::collections::HashSet;
use std::io::{self, Read};

use memchr::memmem;
use serde::Serialize;

use crate::alert::{Alert, Origin, Source};
use crate::rules::RuleSet;
use crate::settings::{InProcess, SettingsMemory};
use crate::trail::{self, Encoding, FrameError, Framer, Record};

mod files;
mod framing;
mod worker;

pub use files::{scan_files, Outcome, Progress, RunSink, READ_AHEAD_MIN};

/// Record problems kept verbatim per file; the rest are only counted.
const MAX_ISSUES: usize = 20;

/// What happened to the records of one file. Every record read lands in exactly one
/// of `matched`, `unmatched`, `duplicates` or `record_errors`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FileStats {
    pub records: u64,
    /// Records that produced an alert.
    pub matched: u64,
    pub unmatched: u64,
    /// Records whose `eventID` was already seen in this file. Only records that can
    /// match a rule are checked (the others never alert), which keeps memory flat.
    pub duplicates: u64,
    pub record_errors: u64,
    /// Decompressed JSON bytes read.
    pub json_bytes: u64,
    /// Newest `eventTime` in the file (ISO 8601, compares as text).
    pub newest_event_time: Option<String>,
    /// The first record errors, with their position and cause.
    pub issues: Vec<RecordIssue>,
}

/// A record that could not be used.
#[derive(Debug, Clone, Serialize)]
pub struct RecordIssue {
    /// 0-based position in the `Records` array.
    pub index: u64,
    pub reason: String,
}

/// A file that could not be read to the end. Records before the failure were
/// processed (their alerts delivered); `partial` counts them.
#[derive(Debug, thiserror::Error)]
#[error("{origin}: {reason}")]
pub struct FileError {
    pub origin: Origin,
    pub reason: String,
    pub partial: Box<FileStats>,
}

/// Scans one CloudTrail log file (`.json.gz` or `.json`, detected by content) and
/// calls `on_alert` for each alert, in file order. Tracked settings are diffed
/// against the file's own earlier records only; see [`scan_with`].
pub fn scan<R: Read + Send + 'static>(
    rules: &RuleSet,
    raw: R,
    origin: &Origin,
    on_alert: impl FnMut(Alert),
) -> Result<FileStats, FileError> {
    scan_with(rules, raw, origin, &mut InProcess::new(), on_alert)
}

/// [`scan`], diffing tracked settings against `memory` and writing to it the values
/// of the calls that succeeded (the CLI keeps one memory for a whole run).
pub fn scan_with<R: Read + Send + 'static>(
    rules: &RuleSet,
    raw: R,
    origin: &Origin,
    memory: &mut dyn SettingsMemory,
    mut on_alert: impl FnMut(Alert),
) -> Result<FileStats, FileError> {
    let (encoding, json) = match trail::open(raw) {
        Ok(x) => x,
        Err(e) => {
            return Err(FileError {
                origin: origin.clone(),
                reason: format!("cannot read: {e}"),
                partial: Box::default(),
            })
        }
    };
    let mut on_alert = |a| on_alert(a);
    let mut judge = framing::Judge::new(rules, origin.clone(), memory, &mut on_alert);
    let framed = framing::frame(rules, &mut Framer::new(json), encoding, &mut judge);
    judge.finish(framed)
}

/// Scans one record delivered on its own (an EventBridge "AWS API Call via
/// CloudTrail" event's `detail`): the same prefilter, parse, rules and alert as a
/// record of a file, counted in the same `FileStats` (one record).
pub fn scan_record(
    rules: &RuleSet,
    raw: &[u8],
    origin: &Origin,
    memory: &mut dyn SettingsMemory,
    mut on_alert: impl FnMut(Alert),
) -> FileStats {
    let mut stats = FileStats {
        records: 1,
        json_bytes: raw.len() as u64,
        ..FileStats::default()
    };
    let time_key = memmem::Finder::new(b"\"eventTime\":\"");
    note_time(&mut stats, &time_key, raw);
    let at = Position { origin, index: 0 };
    let mut seen = HashSet::new();
    judge(rules, raw, at, &mut stats, &mut seen, memory, &mut on_alert);
    stats
}

/// Where a record is.
#[derive(Clone, Copy)]
struct Position<'o> {
    origin: &'o Origin,
    index: u64,
}

/// Decides one record's fate and updates the counters.
fn judge(
    rules: &RuleSet,
    raw: &[u8],
    Position { origin, index }: Position,
    stats: &mut FileStats,
    seen: &mut HashSet<Box<str>>,
    memory: &mut dyn SettingsMemory,
    on_alert: &mut impl FnMut(Alert),
) {
    if raw.first() != Some(&b'{') {
        let reason = format!("not an object (found {})", trail::json_kind(raw));
        return record_error(stats, index, reason);
    }
    // The hot path: most records belong to other services and stop here, unparsed.
    if !rules.may_match(raw) {
        stats.unmatched += 1;
        return;
    }
    let record = match Record::parse(raw) {
        Ok(r) => r,
        Err(e) => return record_error(stats, index, e.to_string()),
    };
    if let Some(id) = record.event_id.as_deref() {
        if !seen.insert(id.into()) {
            stats.duplicates += 1;
            return;
        }
    }
    match rules.evaluate_with(&record, memory) {
        Some(verdict) => {
            stats.matched += 1;
            let source = Source {
                origin: origin.clone(),
                record_index: index,
            };
            let alert = Alert::new(&verdict, &record, source);
            verdict.changes.commit(memory);
            on_alert(alert);
        }
        None => stats.unmatched += 1,
    }
}

fn record_error(stats: &mut FileStats, index: u64, reason: String) {
    stats.record_errors += 1;
    if stats.issues.len() < MAX_ISSUES {
        stats.issues.push(RecordIssue { index, reason });
    }
}

/// Tracks the newest `eventTime` without parsing the record.
fn note_time(stats: &mut FileStats, key: &memmem::Finder, raw: &[u8]) {
    let Some(at) = key.find(raw) else { return };
    let value = &raw[at + key.needle().len()..];
    let Some(end) = memchr::memchr(b'"', value) else {
        return;
    };
    let time = &value[..end];
    // A well-formed eventTime is short ASCII; anything else is ignored here.
    if time.len() > 40 || !time.is_ascii() {
        return;
    }
    if stats
        .newest_event_time
        .as_deref()
        .is_none_or(|t| t.as_bytes() < time)
    {
        stats.newest_event_time = Some(String::from_utf8_lossy(time).into_owned());
    }
}

/// Turns a framing error into a message a person can act on.
fn explain(e: FrameError, encoding: Encoding) -> String {
    match (e, encoding) {
        (FrameError::Io(io), Encoding::Gzip) if io.kind() == io::ErrorKind::UnexpectedEof => {
            "truncated gzip: the compressed data ends early".to_string()
        }
        (FrameError::Io(io), Encoding::Gzip)
            if io.get_ref().is_some_and(|e| e.is::<trail::InflateLimit>()) =>
        {
            io.to_string()
        }
        (FrameError::Io(io), Encoding::Gzip) => format!("corrupt gzip data: {io}"),
        (FrameError::Io(io), Encoding::Plain) => format!("read error: {io}"),
        (FrameError::NotJson { found, .. }, Encoding::Plain) => {
            format!("neither gzip nor JSON: the file starts with {found}")
        }
        (FrameError::Empty, Encoding::Gzip) => "the gzip data decompresses to nothing".to_string(),
        (FrameError::Blank { bytes }, Encoding::Gzip) => {
            format!("the gzip data decompresses to only whitespace ({bytes} bytes)")
        }
        (e, _) => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_decompression_bomb_is_named_as_such_not_as_corrupt_gzip() {
        let limit = trail::InflateLimit {
            limit: trail::MAX_INFLATED_BYTES,
        };
        let reason = explain(FrameError::Io(io::Error::other(limit)), Encoding::Gzip);
        assert_eq!(reason, "the gzip data inflates to more than 4096 MiB, far beyond any CloudTrail log file (a decompression bomb?)");
    }
}

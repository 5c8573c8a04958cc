//! What a scan counts per file, the record problems it keeps, and the error of a
//! file that could not be read to the end.

use memchr::memmem;
use serde::Serialize;

use crate::alert::Origin;

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
    /// Hits of chain steps (a record can hit several steps or chains).
    pub chain_hits: u64,
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

impl FileStats {
    /// Counts a record error, keeping its reason among the first [`MAX_ISSUES`].
    pub(super) fn record_error(&mut self, index: u64, reason: String) {
        self.record_errors += 1;
        if self.issues.len() < MAX_ISSUES {
            self.issues.push(RecordIssue { index, reason });
        }
    }

    /// Tracks the newest `eventTime` without parsing the record (`key` finds
    /// [`EVENT_TIME`]).
    pub(super) fn note_time(&mut self, key: &memmem::Finder, raw: &[u8]) {
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
        if self
            .newest_event_time
            .as_deref()
            .is_none_or(|t| t.as_bytes() < time)
        {
            self.newest_event_time = Some(String::from_utf8_lossy(time).into_owned());
        }
    }
}

/// What [`FileStats::note_time`] looks for in a record's bytes.
pub(super) const EVENT_TIME: &[u8] = b"\"eventTime\":\"";

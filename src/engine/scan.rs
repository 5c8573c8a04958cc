//! The entry points for one file or one record: both halves of the loop on the
//! calling thread.

use std::collections::HashSet;
use std::io::Read;

use memchr::memmem;

use super::frame::frame;
use super::judge::{judge, Found, Judge, Position};
use super::stats::{FileError, FileStats, EVENT_TIME};
use crate::alert::{Alert, Origin};
use crate::rules::RuleSet;
use crate::settings::{LocalCache, SettingsCache};
use crate::trail::{self, Framer};

/// Scans one CloudTrail log file (`.json.gz` or `.json`, detected by content) and
/// calls `on_alert` for each alert, in file order. Tracked settings are diffed
/// against the file's own earlier records only; see [`scan_with`].
pub fn scan<R: Read + Send + 'static>(
    rules: &RuleSet,
    raw: R,
    origin: &Origin,
    on_alert: impl FnMut(Alert),
) -> Result<FileStats, FileError> {
    scan_with(rules, raw, origin, &mut LocalCache::new(), on_alert)
}

/// [`scan`], diffing tracked settings against `cache` and writing to it the values
/// of the calls that succeeded (the CLI keeps one cache for a whole run).
pub fn scan_with<R: Read + Send + 'static>(
    rules: &RuleSet,
    raw: R,
    origin: &Origin,
    cache: &mut dyn SettingsCache,
    mut on_alert: impl FnMut(Alert),
) -> Result<FileStats, FileError> {
    scan_found(rules, raw, origin, cache, |found| {
        if let Found::Alert(a) = found {
            on_alert(*a);
        }
    })
}

/// [`scan_with`], reporting the chain steps' hits too (the Lambda evaluates
/// them against the state table).
pub fn scan_found<R: Read + Send + 'static>(
    rules: &RuleSet,
    raw: R,
    origin: &Origin,
    cache: &mut dyn SettingsCache,
    mut on_found: impl FnMut(Found),
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
    let mut on_found = |f| on_found(f);
    let mut judge = Judge::new(rules, origin.clone(), cache, &mut on_found);
    let framed = frame(rules, &mut Framer::new(json), encoding, &mut judge);
    judge.finish(framed)
}

/// Scans one record delivered on its own (an EventBridge "AWS API Call via
/// CloudTrail" event's `detail`): the same prefilter, parse, rules and alert as a
/// record of a file, counted in the same `FileStats` (one record).
pub fn scan_record(
    rules: &RuleSet,
    raw: &[u8],
    origin: &Origin,
    cache: &mut dyn SettingsCache,
    mut on_alert: impl FnMut(Alert),
) -> FileStats {
    scan_record_found(rules, raw, origin, cache, |found| {
        if let Found::Alert(a) = found {
            on_alert(*a);
        }
    })
}

/// [`scan_record`], reporting the chain steps' hits too.
pub fn scan_record_found(
    rules: &RuleSet,
    raw: &[u8],
    origin: &Origin,
    cache: &mut dyn SettingsCache,
    mut on_found: impl FnMut(Found),
) -> FileStats {
    let mut stats = FileStats {
        records: 1,
        json_bytes: raw.len() as u64,
        ..FileStats::default()
    };
    stats.note_time(&memmem::Finder::new(EVENT_TIME), raw);
    let at = Position { origin, index: 0 };
    let mut seen = HashSet::new();
    judge(rules, raw, at, &mut stats, &mut seen, cache, &mut on_found);
    stats
}

//! The per-file loop split in two halves that can run on different threads: the
//! framing half (decompress, frame, prefilter: the bytes) and the judging half
//! (parse, deduplicate, evaluate against the settings memory: the few candidates).
//! [`scan_with`](super::scan_with) runs both on one thread; `scan_files` runs
//! framing on workers and judging in path order.

use std::collections::HashSet;
use std::io::Read;

use memchr::memmem;

use super::{judge, note_time, record_error, FileError, FileStats, Position};
use crate::alert::{Alert, Origin};
use crate::rules::RuleSet;
use crate::settings::SettingsMemory;
use crate::trail::{Encoding, Framer, Item, MAX_RECORD_BYTES};

/// Where the framing half sends the records that need judging, in file order.
/// Each method returns false when the judge went away (stop reading the file).
pub(crate) trait Sink {
    /// A record the prefilter could not rule out (or one that is not an object:
    /// the judge reports it).
    fn record(&mut self, index: u64, raw: &[u8]) -> bool;
    /// A record over [`MAX_RECORD_BYTES`], skipped unread.
    fn oversized(&mut self, index: u64, size: u64) -> bool;
}

/// What the framing half knows of a file: records, the ones skipped unparsed
/// (counted in `unmatched`), JSON bytes, newest eventTime; and why it stopped early.
#[derive(Debug, Default)]
pub(crate) struct Framed {
    pub stats: FileStats,
    pub error: Option<String>,
}

impl Framed {
    /// A file that could not be read at all.
    pub fn failed(reason: String) -> Self {
        Framed {
            stats: FileStats::default(),
            error: Some(reason),
        }
    }
}

/// Frames every record of `framer`, skipping those no rule can fire on.
pub(crate) fn frame<R: Read>(
    rules: &RuleSet,
    framer: &mut Framer<R>,
    encoding: Encoding,
    sink: &mut dyn Sink,
) -> Framed {
    let mut stats = FileStats::default();
    let time_key = memmem::Finder::new(b"\"eventTime\":\"");
    let mut index = 0u64;
    let error = loop {
        let item = match framer.next_item() {
            Ok(Some(item)) => item,
            Ok(None) => break None,
            Err(e) => break Some(super::explain(e, encoding)),
        };
        stats.records += 1;
        let more = match item {
            Item::Oversized(size) => sink.oversized(index, size),
            Item::Record(raw) => {
                note_time(&mut stats, &time_key, raw);
                // The hot path: most records stop here, unparsed.
                if raw.first() == Some(&b'{') && !rules.may_match(raw) {
                    stats.unmatched += 1;
                    true
                } else {
                    sink.record(index, raw)
                }
            }
        };
        index += 1;
        if !more {
            break None;
        }
    };
    stats.json_bytes = framer.offset();
    Framed { stats, error }
}

/// The judging half for one file: the same decisions as a one-thread scan, made
/// in record order against the run's settings memory.
pub(crate) struct Judge<'a> {
    rules: &'a RuleSet,
    origin: Origin,
    stats: FileStats,
    seen: HashSet<Box<str>>,
    memory: &'a mut dyn SettingsMemory,
    on_alert: &'a mut dyn FnMut(Alert),
}

impl<'a> Judge<'a> {
    /// Judges the records of the file at `origin`, alerts to `on_alert`.
    pub fn new(
        rules: &'a RuleSet,
        origin: Origin,
        memory: &'a mut dyn SettingsMemory,
        on_alert: &'a mut dyn FnMut(Alert),
    ) -> Self {
        Judge {
            rules,
            origin,
            stats: FileStats::default(),
            seen: HashSet::new(),
            memory,
            on_alert,
        }
    }

    /// The file's result: the framing half's counts merged with the judged ones.
    pub fn finish(self, framed: Framed) -> Result<FileStats, FileError> {
        let mut stats = self.stats;
        let f = framed.stats;
        stats.records = f.records;
        stats.unmatched += f.unmatched;
        stats.json_bytes = f.json_bytes;
        stats.newest_event_time = f.newest_event_time;
        match framed.error {
            None => Ok(stats),
            Some(reason) => Err(FileError {
                origin: self.origin,
                reason,
                partial: Box::new(stats),
            }),
        }
    }
}

impl Sink for Judge<'_> {
    fn record(&mut self, index: u64, raw: &[u8]) -> bool {
        let at = Position {
            origin: &self.origin,
            index,
        };
        let (stats, seen) = (&mut self.stats, &mut self.seen);
        judge(
            self.rules,
            raw,
            at,
            stats,
            seen,
            &mut *self.memory,
            &mut self.on_alert,
        );
        true
    }

    fn oversized(&mut self, index: u64, size: u64) -> bool {
        let reason = format!("record of {size} bytes exceeds {MAX_RECORD_BYTES} bytes");
        record_error(&mut self.stats, index, reason);
        true
    }
}

//! The framing half of the per-file loop: decompress, frame, prefilter (the
//! bytes). It hands the records that need judging to a [`Sink`]: the judging half
//! on the same thread for [`scan_with`](super::scan_with), a worker's queue for
//! `scan_files`.

use std::io::{self, Read};

use memchr::memmem;

use super::stats::{FileStats, EVENT_TIME};
use crate::rules::RuleSet;
use crate::trail::{self, Encoding, FrameError, Framer, Item};

/// Where the framing half sends the records that need judging, in file order.
/// Each method returns false when the judge went away (stop reading the file).
pub(crate) trait Sink {
    /// A record the prefilter could not rule out (or one that is not an object:
    /// the judge reports it).
    fn record(&mut self, index: u64, raw: &[u8]) -> bool;
    /// A record over [`MAX_RECORD_BYTES`](trail::MAX_RECORD_BYTES), skipped unread.
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
    let time_key = memmem::Finder::new(EVENT_TIME);
    let mut index = 0u64;
    let error = loop {
        let item = match framer.next_item() {
            Ok(Some(item)) => item,
            Ok(None) => break None,
            Err(e) => break Some(frame_error_reason(e, encoding)),
        };
        stats.records += 1;
        let more = match item {
            Item::Oversized(size) => sink.oversized(index, size),
            Item::Record(raw) => {
                stats.note_time(&time_key, raw);
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

/// Turns a framing error into a message a person can act on.
pub(super) fn frame_error_reason(e: FrameError, encoding: Encoding) -> String {
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
mod tests;

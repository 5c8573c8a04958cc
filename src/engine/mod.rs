//! Runs the rules over one log file: the loop the CLI and the Lambda share.
//!
//! The loop has two halves: `frame.rs` (inflate, frame, prefilter: the bytes) and
//! `judge.rs` (parse, deduplicate, evaluate, alert: the few candidates). [`scan`]
//! and [`scan_with`] run both on the calling thread; [`scan_files`] runs framing
//! on workers (`worker.rs`) and judging on the caller, file by file in path order.
//! `stats.rs` holds the counters and file errors all of them report.

mod chained;
mod files;
mod frame;
mod judge;
mod scan;
mod stats;
mod worker;

pub use chained::{evaluate_hits, ChainRun};
pub use files::{scan_files, Outcome, RunSink};
pub use judge::{Found, HitRecord, StepHit};
pub use scan::{scan, scan_found, scan_record, scan_record_found, scan_with};
pub use stats::{FileError, FileStats, RecordIssue};
pub use worker::{Progress, READ_AHEAD_MIN};

//! The bad-input corpus: broken CloudTrail log files built in code, one table row
//! per case, each with the outcome the engine must give. Shared by the engine, CLI
//! and memory tests.
#![allow(dead_code)] // each test binary uses a different subset

pub mod encoding;
pub mod records;
pub mod structure;

use std::io::Cursor;

use cognito_trail_alerts::{engine, Alert, FileStats, Origin, RuleSet};
use flate2::{Compress, Compression, Crc, FlushCompress};
use serde_json::Value;

use crate::common;

/// One broken (or merely odd) file and what scanning it must give.
pub struct Case {
    /// The file's name (also the case's name in messages).
    pub name: &'static str,
    /// Builds the file's bytes (the big ones are built, never committed).
    pub build: fn() -> Vec<u8>,
    pub expect: Expect,
}

/// The outcome of scanning a case.
pub struct Expect {
    /// `Some(cause)`: the file is unreadable and the error contains `cause`.
    pub error: Option<&'static str>,
    /// The counters (of `FileError::partial` on failure); `None` where they depend
    /// on where a cut lands in compressed data.
    pub counts: Option<Counts>,
    /// Substrings of the record issues, in order, one per issue.
    pub issues: &'static [&'static str],
    /// The alerts, in order, as `"event_id severity"` (`-` for no event id).
    pub alerts: &'static [&'static str],
}

/// `FileStats` counters, in the order records = matched + unmatched + duplicates + record errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub records: u64,
    pub matched: u64,
    pub unmatched: u64,
    pub duplicates: u64,
    pub record_errors: u64,
}

/// The counters of `stats`.
pub fn counts(stats: &FileStats) -> Counts {
    Counts {
        records: stats.records,
        matched: stats.matched,
        unmatched: stats.unmatched,
        duplicates: stats.duplicates,
        record_errors: stats.record_errors,
    }
}

/// Shorthand for [`Counts`]: records, matched, unmatched, duplicates, record errors.
pub const fn n(records: u64, matched: u64, unmatched: u64, dup: u64, errors: u64) -> Counts {
    Counts {
        records,
        matched,
        unmatched,
        duplicates: dup,
        record_errors: errors,
    }
}

/// A file that scans to the end.
pub const fn scanned(
    counts: Counts,
    issues: &'static [&'static str],
    alerts: &'static [&'static str],
) -> Expect {
    Expect {
        error: None,
        counts: Some(counts),
        issues,
        alerts,
    }
}

/// A file that fails with `cause`, after `partial` records and `alerts`.
pub const fn fails(
    cause: &'static str,
    partial: Counts,
    alerts: &'static [&'static str],
) -> Expect {
    Expect {
        error: Some(cause),
        counts: Some(partial),
        issues: &[],
        alerts,
    }
}

/// Every case of the corpus.
pub fn all() -> Vec<Case> {
    let mut cases = encoding::cases();
    cases.extend(structure::cases());
    cases.extend(records::cases());
    cases
}

/// The rules the corpus is judged by: [`common::RULES`], loaded.
pub fn rules() -> RuleSet {
    RuleSet::from_yaml(common::RULES, "corpus.yaml").unwrap()
}

/// The outcome of one scan: alerts, then the stats or the error.
pub struct Outcome {
    pub alerts: Vec<Alert>,
    pub result: Result<FileStats, engine::FileError>,
}

impl Outcome {
    /// The stats of a complete scan, or the partial stats of a failed one.
    pub fn stats(&self) -> &FileStats {
        match &self.result {
            Ok(s) => s,
            Err(e) => &e.partial,
        }
    }
}

/// Scans `bytes` as the file `name` with [`common::RULES`].
pub fn scan(rules: &RuleSet, name: &str, bytes: Vec<u8>) -> Outcome {
    let origin = Origin::File { file: name.into() };
    let mut alerts = Vec::new();
    let result = engine::scan(rules, Cursor::new(bytes), &origin, |a| alerts.push(a));
    Outcome { alerts, result }
}

/// A critical alert (unauthenticated identities allowed) with this event id.
pub fn alert(id: &str) -> Value {
    common::update_identity_pool(id, true)
}

/// A record of another service: never parsed, never alerts.
pub fn noise(id: &str) -> Value {
    common::noise(id)
}

/// `{"Records":[...]}` of compact JSON records.
pub fn doc(records: &[Value]) -> Vec<u8> {
    common::trail(records)
}

/// `{"Records":[...]}` of records given as raw bytes, for what `serde_json` cannot write.
pub fn raw_doc(records: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"{\"Records\":[".to_vec();
    for (i, r) in records.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(r);
    }
    out.extend_from_slice(b"]}");
    out
}

/// A record's compact JSON bytes.
pub fn bytes(record: &Value) -> Vec<u8> {
    serde_json::to_vec(record).unwrap()
}

pub use cognito_trail_alerts_testkit::gz;

/// One gzip member inflating to `head`, then `chunk` `times` over, then `tail`,
/// without compressing every copy: the chunk is deflated once, flushed to a byte
/// boundary with a reset dictionary, and its bytes repeated.
pub fn gz_repeated(head: &[u8], chunk: &[u8], times: usize, tail: &[u8]) -> Vec<u8> {
    let mut deflate = Compress::new(Compression::best(), false);
    let mut run = |input: &[u8], flush| {
        // Deflate never grows data by more than a few bytes per block: one call does it all.
        let mut out = Vec::with_capacity(input.len() + 4096);
        let before = deflate.total_in();
        deflate.compress_vec(input, &mut out, flush).unwrap();
        assert_eq!(deflate.total_in() - before, input.len() as u64);
        assert!(out.len() < out.capacity(), "output space ran out");
        out
    };
    let (head_z, chunk_z, tail_z) = (
        run(head, FlushCompress::Full),
        run(chunk, FlushCompress::Full),
        run(tail, FlushCompress::Finish),
    );
    let crc_of = |b: &[u8]| {
        let mut c = Crc::new();
        c.update(b);
        c
    };
    let mut crc = crc_of(head);
    let chunk_crc = crc_of(chunk);
    for _ in 0..times {
        crc.combine(&chunk_crc);
    }
    crc.combine(&crc_of(tail));
    let size = head.len() + chunk.len() * times + tail.len();
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 0xff];
    out.extend_from_slice(&head_z);
    for _ in 0..times {
        out.extend_from_slice(&chunk_z);
    }
    out.extend_from_slice(&tail_z);
    out.extend_from_slice(&crc.sum().to_le_bytes());
    out.extend_from_slice(&(size as u32).to_le_bytes());
    out
}

//! Many files on all cores, with output that does not depend on how many.
//!
//! Workers take chunks of consecutive files in path order and do the byte work:
//! read, inflate, frame, prefilter. They send the few records that need judging
//! (and each file's counts) through a small queue per chunk; the calling thread
//! drains the queues in path order and judges: parse, deduplicate, evaluate against the run's cache of
//! tracked settings, alert. So alerts, `changes`, record errors and counts come out
//! exactly as a one-thread scan makes them, whatever `jobs` is.
//!
//! No per-file tax: a worker is a thread for the whole run, and it keeps its
//! buffers from file to file; a file under [`READ_AHEAD_MIN`](super::READ_AHEAD_MIN) is read whole and
//! inflated on the worker itself (no thread, no channel), a bigger one is streamed
//! with read-ahead (inflate on a second thread) as a single-file scan is.

use std::collections::VecDeque;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::Mutex;

use super::frame::{Framed, Sink};
use super::judge::{Found, Judge, StepHit};
use super::stats::{FileError, FileStats};
use super::worker::{Progress, Worker};
use crate::alert::{Alert, Origin};
use crate::rules::RuleSet;
use crate::settings::SettingsCache;

/// A worker sends a file's candidate records in batches of about this many bytes.
const BATCH_BYTES: usize = 64 << 10;
/// Batches queued per chunk of files before its worker waits for the judge.
const QUEUE: usize = 4;

/// What became of one file.
#[derive(Debug)]
pub enum Outcome {
    /// It could not be opened (not counted as a scanned file).
    CannotOpen(io::Error),
    /// It was scanned, to the end or to a file error.
    Scanned(Result<FileStats, FileError>),
}

/// Receives a run's results, in path order, on the calling thread.
pub trait RunSink {
    /// An alert of the file being reported, in record order.
    fn alert(&mut self, alert: Alert);
    /// A hit of a chain step in the file being reported, in record order.
    fn hit(&mut self, _hit: StepHit) {}
    /// The file is done (its alerts were given first). False stops the run.
    fn file(&mut self, path: &Path, outcome: Outcome) -> bool;
}

/// Scans `files` with `jobs` workers (1: all on the calling thread), diffing tracked
/// settings against `cache` in path order; results go to `sink` in path order.
///
/// Memory per job: its read buffer (256 KiB; up to 4.5 MiB while a record over
/// 256 KiB is read), a small file's bytes (under [`READ_AHEAD_MIN`](super::READ_AHEAD_MIN)) or, for a big
/// one, read-ahead (about 1.5 MiB), inflate state (a 32 KiB window), and its queue
/// (at most [`QUEUE`] batches of candidates, rare records). At most `2 × jobs + 2`
/// chunks of up to 16 files are in flight.
pub fn scan_files(
    rules: &RuleSet,
    files: &[PathBuf],
    jobs: usize,
    cache: &mut dyn SettingsCache,
    progress: Option<Progress>,
    sink: &mut dyn RunSink,
) {
    if jobs <= 1 || files.len() <= 1 {
        let mut worker = Worker::default();
        for path in files {
            let mut on_found = |f| found(&mut *sink, f);
            let mut judge = Judge::new(rules, origin(path), cache, &mut on_found);
            let outcome = match worker.frame(rules, path, progress.as_ref(), &mut judge) {
                Ok(framed) => Outcome::Scanned(judge.finish(framed)),
                Err(e) => Outcome::CannotOpen(e),
            };
            if !sink.file(path, outcome) {
                return;
            }
        }
        return;
    }
    parallel(rules, files, jobs, cache, progress, sink);
}

fn origin(path: &Path) -> Origin {
    Origin::File {
        file: path.display().to_string(),
    }
}

/// What a worker sends, in file order: each file's records to judge, then its end.
enum Event {
    Record(u64, Vec<u8>),
    Oversized(u64, u64),
    Done(io::Result<Framed>),
}

/// Consecutive files for one worker, and the queue their events go to.
type Job = (Range<usize>, SyncSender<Vec<Event>>);

/// Files per job, at most: a file is a few microseconds of work when small, and a
/// queue (and a wake-up of the judging thread) per file cost more than that.
const MAX_CHUNK: usize = 16;

fn parallel(
    rules: &RuleSet,
    files: &[PathBuf],
    jobs: usize,
    cache: &mut dyn SettingsCache,
    progress: Option<Progress>,
    sink: &mut dyn RunSink,
) {
    let stop = AtomicBool::new(false);
    let (job_tx, job_rx) = mpsc::channel::<Job>();
    let job_rx = Mutex::new(job_rx);
    // Small chunks when there are few files, so that every worker gets some.
    let chunk = (files.len() / (8 * jobs)).clamp(1, MAX_CHUNK);
    let window = 2 * jobs + 2;
    std::thread::scope(|scope| {
        for n in 0..jobs {
            let (job_rx, stop, progress) = (&job_rx, &stop, progress.clone());
            let spawned = std::thread::Builder::new()
                .name(format!("scan-{n}"))
                .spawn_scoped(scope, move || work(rules, files, job_rx, stop, progress));
            if spawned.is_err() && n == 0 {
                break; // no thread at all: the queue below is never served
            }
        }
        let mut pending: VecDeque<(Range<usize>, Receiver<Vec<Event>>)> = VecDeque::new();
        let mut next = 0;
        loop {
            while pending.len() < window && next < files.len() {
                let end = (next + chunk).min(files.len());
                let (tx, rx) = mpsc::sync_channel(QUEUE);
                let _ = job_tx.send((next..end, tx));
                pending.push_back((next..end, rx));
                next = end;
            }
            let Some((range, rx)) = pending.pop_front() else {
                break;
            };
            if !judge_chunk(rules, &files[range], &rx, cache, sink) {
                break;
            }
        }
        stop.store(true, Ordering::Relaxed);
        drop(job_tx); // workers finish their chunk (their sends fail) and exit
        drop(pending);
    });
}

/// Drains one chunk's queue in order, judging each file's records; false when the
/// sink stops the run.
fn judge_chunk(
    rules: &RuleSet,
    paths: &[PathBuf],
    rx: &Receiver<Vec<Event>>,
    cache: &mut dyn SettingsCache,
    sink: &mut dyn RunSink,
) -> bool {
    let mut events = Vec::new().into_iter();
    for path in paths {
        let mut on_found = |f| found(&mut *sink, f);
        let mut judge = Judge::new(rules, origin(path), &mut *cache, &mut on_found);
        let outcome = loop {
            let Some(event) = events.next() else {
                match rx.recv() {
                    Ok(batch) => events = batch.into_iter(),
                    // The worker panicked; the scope re-raises the panic after the run.
                    Err(_) => {
                        break Outcome::Scanned(
                            judge.finish(Framed::failed("worker failed".into())),
                        )
                    }
                }
                continue;
            };
            match event {
                Event::Record(index, raw) => judge.record(index, &raw),
                Event::Oversized(index, size) => judge.oversized(index, size),
                Event::Done(Ok(framed)) => break Outcome::Scanned(judge.finish(framed)),
                Event::Done(Err(e)) => break Outcome::CannotOpen(e),
            };
        };
        if !sink.file(path, outcome) {
            return false;
        }
    }
    true
}

/// One worker thread: takes the next chunk of files, frames them into its queue.
fn work(
    rules: &RuleSet,
    files: &[PathBuf],
    jobs: &Mutex<Receiver<Job>>,
    stop: &AtomicBool,
    progress: Option<Progress>,
) {
    let mut worker = Worker::default();
    loop {
        let job = jobs.lock().unwrap_or_else(|e| e.into_inner()).recv();
        let Ok((range, tx)) = job else { return };
        if stop.load(Ordering::Relaxed) {
            continue;
        }
        let mut queue = Queue {
            tx: &tx,
            batch: Vec::new(),
            bytes: 0,
        };
        for i in range {
            let result = worker.frame(rules, &files[i], progress.as_ref(), &mut queue);
            if !queue.push(Event::Done(result), 0) {
                break;
            }
        }
        queue.flush();
    }
}

/// A [`Sink`] that batches a chunk's events into its queue: usually one message
/// per chunk, more when candidates add up to [`BATCH_BYTES`].
struct Queue<'a> {
    tx: &'a SyncSender<Vec<Event>>,
    batch: Vec<Event>,
    bytes: usize,
}

impl Queue<'_> {
    fn push(&mut self, event: Event, bytes: usize) -> bool {
        self.batch.push(event);
        self.bytes += bytes;
        self.bytes < BATCH_BYTES || self.flush()
    }

    /// Sends the batch; false when the judge went away.
    fn flush(&mut self) -> bool {
        self.bytes = 0;
        if self.batch.is_empty() {
            return true;
        }
        let batch = std::mem::take(&mut self.batch);
        self.tx.send(batch).is_ok()
    }
}

impl Sink for Queue<'_> {
    fn record(&mut self, index: u64, raw: &[u8]) -> bool {
        self.push(Event::Record(index, raw.to_vec()), raw.len())
    }

    fn oversized(&mut self, index: u64, size: u64) -> bool {
        self.push(Event::Oversized(index, size), 0)
    }
}

fn found(sink: &mut dyn RunSink, found: Found) {
    match found {
        Found::Alert(a) => sink.alert(*a),
        Found::Hit(h) => sink.hit(h),
    }
}

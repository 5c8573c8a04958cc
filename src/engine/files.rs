//! Many files on all cores, with output that does not depend on how many.
//!
//! Workers take files in path order and do the byte work: read, inflate, frame,
//! prefilter. They send the few records that need judging (and each file's
//! counts) through a small queue per file; the calling thread drains the queues in
//! path order and judges: parse, deduplicate, evaluate against the run's memory of
//! tracked settings, alert. So alerts, `changes`, record errors and counts come out
//! exactly as a one-thread scan makes them, whatever `jobs` is.
//!
//! No per-file tax: a worker is a thread for the whole run, and it keeps its
//! buffers from file to file; a file under [`READ_AHEAD_MIN`] is read whole and
//! inflated on the worker itself (no thread, no channel), a bigger one is streamed
//! with read-ahead (inflate on a second thread) as a single-file scan is.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::{Arc, Mutex};

use super::framing::{frame, Framed, Judge, Sink};
use super::{FileError, FileStats};
use crate::alert::{Alert, Origin};
use crate::rules::RuleSet;
use crate::settings::SettingsMemory;
use crate::trail::{self, Framer};

/// Files this big (on disk) or bigger are streamed with read-ahead; smaller ones
/// are read whole into the worker's buffer. CloudTrail's files are mostly a few KB.
pub const READ_AHEAD_MIN: u64 = 1 << 20;
/// A worker sends a file's candidate records in batches of about this many bytes.
const BATCH_BYTES: usize = 64 << 10;
/// Batches queued per file before its worker waits for the judge.
const QUEUE: usize = 4;

/// Called from workers with the number of file bytes read (a progress bar).
pub type Progress = Arc<dyn Fn(u64) + Send + Sync>;

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
    /// The file is done (its alerts were given first). False stops the run.
    fn file(&mut self, path: &Path, outcome: Outcome) -> bool;
}

/// Scans `files` with `jobs` workers (1: all on the calling thread), diffing tracked
/// settings against `memory` in path order; results go to `sink` in path order.
///
/// Memory per job: its read buffer (256 KiB; up to 4.5 MiB while a record over
/// 256 KiB is read), a small file's bytes (under [`READ_AHEAD_MIN`]) or, for a big
/// one, read-ahead (about 1.5 MiB), inflate state (about 50 KiB), and its queue
/// (at most [`QUEUE`] batches of candidates, rare records). At most `2 × jobs + 2`
/// files are in flight.
pub fn scan_files(
    rules: &RuleSet,
    files: &[PathBuf],
    jobs: usize,
    memory: &mut dyn SettingsMemory,
    progress: Option<Progress>,
    sink: &mut dyn RunSink,
) {
    if jobs <= 1 || files.len() <= 1 {
        let mut worker = Worker::default();
        for path in files {
            let mut on_alert = |a| sink.alert(a);
            let mut judge = Judge::new(rules, origin(path), memory, &mut on_alert);
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
    parallel(rules, files, jobs, memory, progress, sink);
}

fn origin(path: &Path) -> Origin {
    Origin::File {
        file: path.display().to_string(),
    }
}

/// A batch of a file's records to judge, or its end.
enum Msg {
    Batch(Vec<Event>),
    Done(io::Result<Framed>),
}

enum Event {
    Record(u64, Vec<u8>),
    Oversized(u64, u64),
}

type Job = (usize, SyncSender<Msg>);

fn parallel(
    rules: &RuleSet,
    files: &[PathBuf],
    jobs: usize,
    memory: &mut dyn SettingsMemory,
    progress: Option<Progress>,
    sink: &mut dyn RunSink,
) {
    let stop = AtomicBool::new(false);
    let (job_tx, job_rx) = mpsc::channel::<Job>();
    let job_rx = Mutex::new(job_rx);
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
        let mut pending: VecDeque<Receiver<Msg>> = VecDeque::new();
        let mut next = 0;
        for path in files {
            while pending.len() < window && next < files.len() {
                let (tx, rx) = mpsc::sync_channel(QUEUE);
                let _ = job_tx.send((next, tx));
                pending.push_back(rx);
                next += 1;
            }
            let Some(rx) = pending.pop_front() else { break };
            let outcome = judge_file(rules, path, &rx, memory, sink);
            if !sink.file(path, outcome) {
                break;
            }
        }
        stop.store(true, Ordering::Relaxed);
        drop(job_tx); // workers finish their file (their sends fail) and exit
        drop(pending);
    });
}

/// Drains one file's queue in order, judging its records.
fn judge_file(
    rules: &RuleSet,
    path: &Path,
    rx: &Receiver<Msg>,
    memory: &mut dyn SettingsMemory,
    sink: &mut dyn RunSink,
) -> Outcome {
    let mut on_alert = |a| sink.alert(a);
    let mut judge = Judge::new(rules, origin(path), memory, &mut on_alert);
    loop {
        match rx.recv() {
            Ok(Msg::Batch(events)) => {
                for event in events {
                    match event {
                        Event::Record(index, raw) => judge.record(index, &raw),
                        Event::Oversized(index, size) => judge.oversized(index, size),
                    };
                }
            }
            Ok(Msg::Done(Ok(framed))) => return Outcome::Scanned(judge.finish(framed)),
            Ok(Msg::Done(Err(e))) => return Outcome::CannotOpen(e),
            // The worker panicked; the scope re-raises the panic after the run.
            Err(_) => {
                return Outcome::Scanned(judge.finish(Framed::failed("worker failed".into())))
            }
        }
    }
}

/// One worker thread: takes the next file, frames it into its queue.
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
        let Ok((i, tx)) = job else { return };
        if stop.load(Ordering::Relaxed) {
            continue;
        }
        let mut queue = Queue {
            tx: &tx,
            batch: Vec::new(),
            bytes: 0,
        };
        let result = worker.frame(rules, &files[i], progress.as_ref(), &mut queue);
        if queue.flush() {
            let _ = tx.send(Msg::Done(result));
        }
    }
}

/// A [`Sink`] that batches a file's records into its queue.
struct Queue<'a> {
    tx: &'a SyncSender<Msg>,
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
        self.tx.send(Msg::Batch(batch)).is_ok()
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

/// Buffers a worker keeps from one file to the next.
#[derive(Default)]
struct Worker {
    /// A small file's bytes, as read.
    input: Vec<u8>,
    /// The framer's read buffer.
    frame_buf: Vec<u8>,
}

impl Worker {
    /// Frames the file at `path` into `sink`; `Err` when it cannot be opened.
    fn frame(
        &mut self,
        rules: &RuleSet,
        path: &Path,
        progress: Option<&Progress>,
        sink: &mut dyn Sink,
    ) -> io::Result<Framed> {
        let mut file = File::open(path)?;
        let size = file.metadata().map_or(u64::MAX, |m| m.len());
        if size >= READ_AHEAD_MIN {
            let reader = Counted {
                file,
                progress: progress.cloned(),
            };
            return Ok(match trail::open(reader) {
                Ok((encoding, json)) => {
                    let mut framer = Framer::with_buffer(json, std::mem::take(&mut self.frame_buf));
                    let framed = frame(rules, &mut framer, encoding, sink);
                    self.frame_buf = framer.into_buffer();
                    framed
                }
                Err(e) => Framed::failed(format!("cannot read: {e}")),
            });
        }
        self.input.clear();
        if let Err(e) = file.read_to_end(&mut self.input) {
            return Ok(Framed::failed(format!("cannot read: {e}")));
        }
        if let Some(p) = progress {
            p(self.input.len() as u64);
        }
        let (encoding, json) = trail::open_slice(&self.input);
        let mut framer = Framer::with_buffer(json, std::mem::take(&mut self.frame_buf));
        let framed = frame(rules, &mut framer, encoding, sink);
        self.frame_buf = framer.into_buffer();
        Ok(framed)
    }
}

/// A file that reports the bytes read from it.
struct Counted {
    file: File,
    progress: Option<Progress>,
}

impl Read for Counted {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.file.read(buf)?;
        if let Some(p) = &self.progress {
            p(n as u64);
        }
        Ok(n)
    }
}

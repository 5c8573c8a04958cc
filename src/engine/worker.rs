//! One worker's buffers, kept from file to file, and how it reads a file: whole
//! and inflated on its own thread when small, streamed with read-ahead when big.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;
use std::sync::Arc;

use super::frame::{frame, Framed, Sink};
use crate::rules::RuleSet;
use crate::trail::{self, Framer};

/// Files this big (on disk) or bigger are streamed with read-ahead; smaller ones
/// are read whole into the worker's buffer. CloudTrail's files are mostly a few KB.
pub const READ_AHEAD_MIN: u64 = 1 << 20;

/// Called from workers with the number of file bytes read (a progress bar).
pub type Progress = Arc<dyn Fn(u64) + Send + Sync>;

/// Buffers a worker keeps from one file to the next.
#[derive(Default)]
pub(super) struct Worker {
    /// A small file's bytes, as read.
    input: Vec<u8>,
    /// The framer's read buffer.
    frame_buf: Vec<u8>,
}

impl Worker {
    /// Frames the file at `path` into `sink`; `Err` when it cannot be opened.
    pub(super) fn frame(
        &mut self,
        rules: &RuleSet,
        path: &Path,
        progress: Option<&Progress>,
        sink: &mut dyn Sink,
    ) -> io::Result<Framed> {
        let mut file = File::open(path)?;
        // Only a regular file's size is known: a pipe or a device (`/dev/stdin`) is
        // streamed, so memory stays bounded whatever it holds.
        let small = file
            .metadata()
            .is_ok_and(|m| m.is_file() && m.len() < READ_AHEAD_MIN);
        if !small {
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

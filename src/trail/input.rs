//! Turns raw file bytes into a stream of JSON: gzip or plain, detected by content,
//! with decompression on its own thread so it overlaps parsing.

use std::io::{self, BufReader, Read};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::thread::JoinHandle;

use flate2::bufread::MultiGzDecoder;

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];
const CHUNK: usize = 256 << 10;
/// Chunks in flight between the threads: enough to absorb jitter, small enough that
/// memory stays flat (about 1 MiB).
const DEPTH: usize = 4;

/// More JSON than any CloudTrail file holds (its largest objects, ~50 MB of gzip,
/// inflate to ~600 MB). Past this a gzip file is refused as a decompression bomb
/// rather than read for minutes: deflate's 1:1032 ratio makes 50 MB of gzip 50 GB.
pub const MAX_INFLATED_BYTES: u64 = 4 << 30;

/// Why a gzip stream stopped at [`MAX_INFLATED_BYTES`] (inside an `io::Error`).
#[derive(Debug, thiserror::Error)]
#[error("the gzip data inflates to more than {} MiB, far beyond any CloudTrail log file (a decompression bomb?)", .limit >> 20)]
pub struct InflateLimit {
    pub limit: u64,
}

/// How the file's bytes are encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Gzip,
    Plain,
}

/// Wraps `raw` so that reading it yields JSON text. Gzip is recognised by its magic
/// number whatever the file is called (some tools store `.json.gz` already inflated);
/// concatenated gzip members are read as one stream.
///
/// A source that ends within its first 256 KiB (most CloudTrail files, as S3
/// bodies too) is inflated on the calling thread: no thread and no read-ahead
/// blocks for a file of a few KB. A bigger one is read ahead on its own thread.
pub fn open<R: Read + Send + 'static>(raw: R) -> io::Result<(Encoding, Json)> {
    open_capped(raw, MAX_INFLATED_BYTES)
}

fn open_capped<R: Read + Send + 'static>(mut raw: R, limit: u64) -> io::Result<(Encoding, Json)> {
    let mut head = Vec::new();
    (&mut raw).take(CHUNK as u64).read_to_end(&mut head)?;
    let gzip = head.starts_with(&GZIP_MAGIC);
    let encoding = if gzip {
        Encoding::Gzip
    } else {
        Encoding::Plain
    };
    if head.len() < CHUNK {
        // The source ended: the whole file is in `head`.
        let whole = io::Cursor::new(head);
        let json = match gzip {
            true => Json::Gzip(Box::new(Capped::new(MultiGzDecoder::new(whole), limit))),
            false => Json::Plain(whole),
        };
        return Ok((encoding, json));
    }
    let buffered = BufReader::with_capacity(CHUNK, io::Cursor::new(head).chain(raw));
    let json = match gzip {
        true => ReadAhead::spawn(Capped::new(MultiGzDecoder::new(buffered), limit)),
        false => ReadAhead::spawn(buffered),
    };
    Ok((encoding, Json::Streamed(json)))
}

/// The JSON text of a file opened with [`open`].
pub enum Json {
    /// A small gzip file, inflated as it is read.
    Gzip(Box<Capped<MultiGzDecoder<io::Cursor<Vec<u8>>>>>),
    /// A small plain file.
    Plain(io::Cursor<Vec<u8>>),
    /// A big file, read ahead on its own thread.
    Streamed(ReadAhead),
}

impl Read for Json {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Json::Gzip(gz) => gz.read(buf),
            Json::Plain(plain) => plain.read(buf),
            Json::Streamed(ahead) => ahead.read(buf),
        }
    }
}

/// [`open`] for a file already in memory (a small one): inflated on the calling
/// thread, with no read-ahead thread and no buffer of its own.
pub fn open_slice(bytes: &[u8]) -> (Encoding, SliceJson<'_>) {
    if bytes.starts_with(&GZIP_MAGIC) {
        let gz = Capped {
            inner: MultiGzDecoder::new(bytes),
            left: MAX_INFLATED_BYTES,
            limit: MAX_INFLATED_BYTES,
        };
        (Encoding::Gzip, SliceJson::Gzip(Box::new(gz)))
    } else {
        (Encoding::Plain, SliceJson::Plain(bytes))
    }
}

/// The JSON text of a file in memory (see [`open_slice`]).
pub enum SliceJson<'a> {
    /// Gzip, inflated as it is read.
    Gzip(Box<Capped<MultiGzDecoder<&'a [u8]>>>),
    /// Plain JSON.
    Plain(&'a [u8]),
}

impl Read for SliceJson<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            SliceJson::Gzip(gz) => gz.read(buf),
            SliceJson::Plain(bytes) => bytes.read(buf),
        }
    }
}

/// Fails with [`InflateLimit`] once more than `limit` bytes came out.
pub struct Capped<R> {
    inner: R,
    left: u64,
    limit: u64,
}

impl<R> Capped<R> {
    fn new(inner: R, limit: u64) -> Self {
        Capped {
            inner,
            left: limit,
            limit,
        }
    }
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.left = self
            .left
            .checked_sub(n as u64)
            .ok_or_else(|| io::Error::other(InflateLimit { limit: self.limit }))?;
        Ok(n)
    }
}

/// A reader fed by a background thread that reads `CHUNK`-sized blocks ahead.
pub struct ReadAhead {
    rx: Receiver<io::Result<Vec<u8>>>,
    recycle: SyncSender<Vec<u8>>,
    current: Vec<u8>,
    offset: usize,
    done: bool,
    worker: Option<JoinHandle<()>>,
}

impl ReadAhead {
    /// Starts the reading thread.
    pub fn spawn<R: Read + Send + 'static>(mut src: R) -> Self {
        let (tx, rx) = mpsc::sync_channel::<io::Result<Vec<u8>>>(DEPTH);
        let (recycle, spare) = mpsc::sync_channel::<Vec<u8>>(DEPTH + 2);
        let worker = std::thread::Builder::new()
            .name("trail-inflate".into())
            .spawn(move || loop {
                let mut block = spare.try_recv().unwrap_or_default();
                let failure = fill_block(&mut src, &mut block).err();
                let end = block.is_empty();
                // Bytes read before an error still go out: the records in them count.
                // A send error means the reader went away: stop quietly.
                if (!end || failure.is_none()) && tx.send(Ok(block)).is_err() {
                    return;
                }
                if let Some(e) = failure {
                    let _ = tx.send(Err(e));
                    return;
                }
                if end {
                    return;
                }
            })
            .expect("spawning a thread");
        ReadAhead {
            rx,
            recycle,
            current: Vec::new(),
            offset: 0,
            done: false,
            worker: Some(worker),
        }
    }
}

/// Reads until `block` holds `CHUNK` bytes or the source ends; on error `block`
/// keeps what was read before it.
fn fill_block<R: Read>(src: &mut R, block: &mut Vec<u8>) -> io::Result<()> {
    block.resize(CHUNK, 0);
    let mut n = 0;
    let result = loop {
        if n == CHUNK {
            break Ok(());
        }
        match src.read(&mut block[n..]) {
            Ok(0) => break Ok(()),
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => break Err(e),
        }
    };
    block.truncate(n);
    result
}

impl Read for ReadAhead {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.offset == self.current.len() {
            if self.done {
                return Ok(0);
            }
            let used = std::mem::take(&mut self.current);
            let _ = self.recycle.try_send(used);
            self.offset = 0;
            match self.rx.recv() {
                Ok(Ok(block)) if block.is_empty() => self.done = true,
                Ok(Ok(block)) => self.current = block,
                Ok(Err(e)) => {
                    self.done = true;
                    return Err(e);
                }
                Err(_) => self.done = true,
            }
        }
        let n = out.len().min(self.current.len() - self.offset);
        out[..n].copy_from_slice(&self.current[self.offset..self.offset + n]);
        self.offset += n;
        Ok(n)
    }
}

impl Drop for ReadAhead {
    fn drop(&mut self) {
        // Closing the channel makes the worker's next send fail; wait so no thread
        // outlives the file it reads.
        let (_, dead) = mpsc::sync_channel(0);
        self.rx = dead;
        if let Some(w) = self.worker.take() {
            let _ = w.join();
        }
    }
}

#[cfg(test)]
mod tests;

//! Reading log files: the port, the body tap that tells transport failures from
//! bad content, and the fake. The adapter is `aws::S3Source`.

use std::future::Future;
use std::io::{self, Read};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use crate::failure::CallError;

/// Fetches an object for streaming.
pub trait ObjectSource: Send + Sync {
    /// Opens `bucket`/`key`. Permanent errors (missing object, access denied, KMS)
    /// must say so in their `retry`.
    fn open(&self, bucket: &str, key: &str)
        -> impl Future<Output = Result<Body, CallError>> + Send;
}

/// An object's body as a blocking reader (the engine runs on a blocking thread),
/// with a flag telling transport failures from bad content.
pub struct Body {
    pub reader: Box<dyn Read + Send>,
    /// The object's version id, or else its ETag: what tells a rewritten object
    /// from the one already reported.
    pub version: Option<String>,
    transport_failed: Arc<AtomicBool>,
}

impl Body {
    /// Wraps `reader`; `expected` is the object's length, when known: a stream that
    /// ends before it is a transport failure, not a truncated file.
    pub fn new(reader: impl Read + Send + 'static, expected: Option<u64>) -> Self {
        let flag = Arc::new(AtomicBool::new(false));
        let tap = Tap {
            inner: reader,
            failed: flag.clone(),
            expected,
            read: 0,
        };
        Body {
            reader: Box::new(tap),
            version: None,
            transport_failed: flag,
        }
    }

    /// The same body, naming the object's version (id or ETag).
    pub fn with_version(mut self, version: Option<String>) -> Self {
        self.version = version;
        self
    }

    /// A handle that reports, after the scan, whether the transport failed.
    pub fn transport_flag(&self) -> Arc<AtomicBool> {
        self.transport_failed.clone()
    }
}

struct Tap<R> {
    inner: R,
    failed: Arc<AtomicBool>,
    expected: Option<u64>,
    read: u64,
}

impl<R: Read> Read for Tap<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self.inner.read(buf) {
            Ok(0) if !buf.is_empty() && self.expected.is_some_and(|n| self.read < n) => {
                self.failed.store(true, Ordering::Relaxed);
                let msg = format!(
                    "connection ended after {} of {:?} bytes",
                    self.read, self.expected
                );
                Err(io::Error::new(io::ErrorKind::UnexpectedEof, msg))
            }
            Ok(n) => {
                self.read += n as u64;
                Ok(n)
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => Err(e),
            Err(e) => {
                self.failed.store(true, Ordering::Relaxed);
                Err(e)
            }
        }
    }
}

/// An S3 in memory (tests): objects by key, missing ones `NoSuchKey`, and keys
/// whose download breaks halfway.
#[cfg(any(test, feature = "testkit"))]
#[derive(Default)]
pub struct FakeS3 {
    /// Key → its bytes, or the error GetObject answers.
    pub objects: std::collections::HashMap<String, Result<Vec<u8>, CallError>>,
    /// Keys whose download breaks after half their bytes.
    pub broken: Vec<String>,
}

#[cfg(any(test, feature = "testkit"))]
impl ObjectSource for FakeS3 {
    async fn open(&self, bucket: &str, key: &str) -> Result<Body, CallError> {
        match self.objects.get(key) {
            None => Err(CallError::permanent(format!(
                "GetObject s3://{bucket}/{key}: NoSuchKey"
            ))),
            Some(Err(e)) => Err(e.clone()),
            Some(Ok(bytes)) if self.broken.iter().any(|k| k == key) => {
                let len = bytes.len() as u64;
                Ok(Body::new(
                    io::Cursor::new(bytes[..bytes.len() / 2].to_vec()),
                    Some(len),
                ))
            }
            Some(Ok(bytes)) => Ok(Body::new(
                io::Cursor::new(bytes.clone()),
                Some(bytes.len() as u64),
            )),
        }
    }
}

#[cfg(test)]
mod tests;

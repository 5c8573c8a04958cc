//! The narrow interfaces the handler talks to. The AWS adapters implement them;
//! tests use in-memory fakes.

use std::collections::HashMap;
use std::future::Future;
use std::io::{self, Read};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use cognito_trail_alerts::alert::CognitoUser;
use cognito_trail_alerts::notice::SnsMessage;
use cognito_trail_alerts::settings::{Remembered, ResourceKey};
use cognito_trail_alerts::state::{Claim, Key};
use cognito_trail_alerts::users::{Failure, Target, Via};

use crate::failure::CallError;
use crate::metrics::Datum;

/// Fetches an object for streaming.
pub trait ObjectSource: Send + Sync {
    /// Opens `bucket`/`key`. Permanent errors (missing object, access denied, KMS)
    /// must say so in their `retry`.
    fn open(&self, bucket: &str, key: &str)
        -> impl Future<Output = Result<Body, CallError>> + Send;
}

/// One entry of a batch that was not published.
#[derive(Debug, Clone)]
pub struct EntryFailure {
    /// Position in the batch given to `publish`.
    pub index: usize,
    pub error: CallError,
}

/// Publishes alert messages.
pub trait AlertSink: Send + Sync {
    /// Publishes at most 10 messages whose total size fits one SNS request.
    /// `Ok` lists the entries that failed; `Err` means none were published.
    fn publish(
        &self,
        batch: &[SnsMessage],
    ) -> impl Future<Output = Result<Vec<EntryFailure>, CallError>> + Send;
}

/// Sends metric datums.
pub trait MetricSink: Send + Sync {
    /// Sends all `datums` (the sink splits them into requests as its API requires).
    fn put(&self, datums: &[Datum]) -> impl Future<Output = Result<(), CallError>> + Send;
}

/// The function's memory (`STATE_TABLE`): claims that make each alert published
/// once. The decisions are `cognito_trail_alerts::state`'s; a store keeps items
/// and applies them atomically. Narrow on purpose: a later capability (such as
/// the last value seen per resource) is a new method, not a flag.
pub trait StateStore: Send + Sync {
    /// Claims each of `keys` for `owner` at `now` (seconds since the epoch): one
    /// answer per key, in order, or that key's error once the SDK's retries are
    /// spent.
    fn claim(
        &self,
        keys: &[Key],
        owner: &str,
        now: u64,
    ) -> impl Future<Output = Vec<Result<Claim, CallError>>> + Send;

    /// Records that `owner` published `keys` at `now` (kept 14 days).
    fn complete(
        &self,
        keys: &[Key],
        owner: &str,
        now: u64,
    ) -> impl Future<Output = Result<(), CallError>> + Send;

    /// Gives up `owner`'s claims on `keys` (their publishing failed), so a retry
    /// need not wait for the lease; claims taken over since are left alone.
    fn release(
        &self,
        keys: &[Key],
        owner: &str,
    ) -> impl Future<Output = Result<(), CallError>> + Send;
}

/// The last value seen of each tracked setting, per resource (`STATE_TABLE`):
/// what an alert compares a change with. The diff is the engine's
/// (`cognito_trail_alerts::settings`); a store keeps values and refuses to replace
/// one with a value from an older event.
pub trait SettingsStore: Send + Sync {
    /// Every remembered setting of `resource`.
    fn recall(
        &self,
        resource: &ResourceKey,
    ) -> impl Future<Output = Result<HashMap<String, Remembered>, CallError>> + Send;

    /// Remembers each value, unless the store holds one from a later event.
    fn remember(
        &self,
        items: &[(ResourceKey, String, Remembered)],
    ) -> impl Future<Output = Result<(), CallError>> + Send;
}

/// A future boxed so that [`UserDirectory`] can be a trait object.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Finds Cognito users by sub (`ENRICH_USERS`). The decisions (which users, the
/// budget, the cache) are `cognito_trail_alerts::users`'s; the time limit is the
/// caller's. A trait object (hence the boxed future): the function holds it only
/// when lookups are on, without a fifth type parameter on `App`.
pub trait UserDirectory: Send + Sync {
    /// The user of `target`'s pool whose sub is `target.sub` (`Ok(None)`: there is
    /// none), with the credentials `via` names.
    fn find<'a>(
        &'a self,
        target: &'a Target,
        via: &'a Via,
    ) -> BoxFuture<'a, Result<Option<CognitoUser>, Failure>>;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_streams_are_transport_failures() {
        let body = Body::new(&b"abc"[..], Some(10));
        let flag = body.transport_flag();
        let mut out = Vec::new();
        let err = { body.reader }.read_to_end(&mut out).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
        assert!(flag.load(Ordering::Relaxed));
        let body = Body::new(&b"abc"[..], Some(3));
        let flag = body.transport_flag();
        { body.reader }.read_to_end(&mut out).unwrap();
        assert!(!flag.load(Ordering::Relaxed));
    }
}

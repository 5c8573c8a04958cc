//! GetObject, streamed into the engine.

use std::time::Duration;

use aws_sdk_s3::Client;
use tokio::io::AsyncReadExt;
use tokio_util::io::SyncIoBridge;

use super::call_error;
use super::idle::IdleLimit;
use crate::failure::CallError;
use crate::ports::{Body, ObjectSource};

/// A download that gets no data for this long is a transport failure (retried).
const BODY_IDLE_LIMIT: Duration = Duration::from_secs(20);

/// Reads trail files from S3.
#[derive(Clone)]
pub struct S3Source {
    client: Client,
}

impl S3Source {
    /// Wraps a client built at cold start.
    pub fn new(client: Client) -> Self {
        S3Source { client }
    }
}

impl ObjectSource for S3Source {
    async fn open(&self, bucket: &str, key: &str) -> Result<Body, CallError> {
        let out = self
            .client
            .get_object()
            .bucket(bucket)
            .key(key)
            .send()
            .await
            .map_err(|e| call_error("GetObject", &format!("s3://{bucket}/{key}"), e))?;
        let expected = out.content_length().and_then(|n| u64::try_from(n).ok());
        let version = out.version_id().or(out.e_tag()).map(str::to_string);
        // The body is read on a blocking thread while the runtime drives the download:
        // nothing is buffered beyond the engine's read-ahead.
        let stream = IdleLimit::new(out.body.into_async_read(), BODY_IDLE_LIMIT);
        let reader = SyncIoBridge::new(stream);
        Ok(Body::new(reader, expected).with_version(version))
    }
}

/// Reads a small object (a rules file) whole.
pub async fn read_small_object(
    client: &Client,
    bucket: &str,
    key: &str,
) -> Result<String, CallError> {
    let target = format!("s3://{bucket}/{key}");
    let out = client
        .get_object()
        .bucket(bucket)
        .key(key)
        .send()
        .await
        .map_err(|e| call_error("GetObject", &target, e))?;
    let mut text = String::new();
    out.body
        .into_async_read()
        .take(16 << 20)
        .read_to_string(&mut text)
        .await
        .map_err(|e| CallError::transient(format!("reading {target}: {e}")))?;
    Ok(text)
}

//! A read that waits too long for data fails: the SDK's timeouts end at the first
//! byte of an answer, so a download that stalls halfway would otherwise hold the
//! invocation until Lambda kills it.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, ReadBuf};
use tokio::time::{Instant, Sleep};

/// Wraps a stream; a read that gets no data for `limit` fails with `TimedOut`.
pub struct IdleLimit<R> {
    inner: R,
    limit: Duration,
    timer: Pin<Box<Sleep>>,
    /// A read is under way: the timer runs. Time spent by the reader between reads
    /// (the engine at work) does not count.
    waiting: bool,
}

impl<R> IdleLimit<R> {
    pub fn new(inner: R, limit: Duration) -> Self {
        IdleLimit {
            inner,
            limit,
            timer: Box::pin(tokio::time::sleep(limit)),
            waiting: false,
        }
    }
}

impl<R: AsyncRead + Unpin> AsyncRead for IdleLimit<R> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        if !this.waiting {
            this.waiting = true;
            let deadline = Instant::now() + this.limit;
            this.timer.as_mut().reset(deadline);
        }
        match Pin::new(&mut this.inner).poll_read(cx, buf) {
            Poll::Ready(result) => {
                this.waiting = false;
                Poll::Ready(result)
            }
            Poll::Pending => match this.timer.as_mut().poll(cx) {
                Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!("no data for {} s", this.limit.as_secs()),
                ))),
                Poll::Pending => Poll::Pending,
            },
        }
    }
}

#[cfg(test)]
mod tests;

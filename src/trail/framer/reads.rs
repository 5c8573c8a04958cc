//! The framer's reads of its source: refilling the buffer (dropping what is done,
//! growing up to the bound), skipping whitespace to the next token, and scanning a
//! value to its end across refills.

use std::io::{self, Read};

use super::{FrameError, Framer, MAX_RECORD_BYTES, READ_CHUNK};

impl<R: Read> Framer<R> {
    /// Skips a UTF-8 byte order mark (some editors add one) at the very start.
    pub(super) fn skip_bom(&mut self) -> Result<(), FrameError> {
        const BOM: &[u8] = b"\xEF\xBB\xBF";
        while self.len < BOM.len() && self.fill()? {}
        if self.buf[..self.len].starts_with(BOM) {
            self.pos = BOM.len();
        }
        Ok(())
    }

    /// Scans the value started by `begin_value` to its end; returns the end index.
    pub(super) fn finish_value(&mut self, inside: &'static str) -> Result<usize, FrameError> {
        loop {
            if let Some(end) = self.value_end.advance(&self.buf[..self.len], self.pos) {
                self.pos = end;
                return Ok(end);
            }
            self.pos = self.len;
            if self.len - self.mark > MAX_RECORD_BYTES {
                // Keep looking for its end but stop keeping it: memory stays bounded.
                self.dropped += (self.len - self.mark) as u64;
                self.mark = self.len;
            }
            // Valid JSON never ends inside a value (even a scalar record has a ']' after it).
            if !self.fill()? {
                return Err(self.truncated(inside));
            }
        }
    }

    pub(super) fn truncated(&self, inside: &'static str) -> FrameError {
        FrameError::Truncated {
            offset: self.base + self.len as u64,
            inside,
        }
    }

    /// Reads a key string starting at `pos` (a quote); true when it is `Records`.
    pub(super) fn read_key(&mut self) -> Result<bool, FrameError> {
        self.begin_value(self.state);
        let end = self.finish_value("an object key")?;
        Ok(&self.buf[self.mark..end] == b"\"Records\"")
    }

    /// Next non-whitespace byte (not consumed), refilling as needed; `None` at EOF.
    pub(super) fn peek_token(&mut self) -> Result<Option<u8>, FrameError> {
        loop {
            while self.pos < self.len {
                let b = self.buf[self.pos];
                if matches!(b, b' ' | b'\n' | b'\r' | b'\t') {
                    self.pos += 1;
                } else {
                    return Ok(Some(b));
                }
            }
            self.mark = self.pos;
            if !self.fill()? {
                return Ok(None);
            }
        }
    }

    pub(super) fn expect_token(&mut self, what: &'static str) -> Result<u8, FrameError> {
        self.peek_token()?.ok_or_else(|| self.truncated(what))
    }

    /// Drops bytes before `mark`, reads more. Returns false at end of stream.
    pub(super) fn fill(&mut self) -> Result<bool, FrameError> {
        if self.eof {
            return Ok(false);
        }
        if self.mark > 0 {
            self.buf.copy_within(self.mark..self.len, 0);
            self.base += self.mark as u64;
            self.len -= self.mark;
            self.pos -= self.mark;
            self.mark = 0;
        }
        if self.buf.len() - self.len < READ_CHUNK / 2 {
            let grown = (self.buf.len() * 2).min(MAX_RECORD_BYTES + 2 * READ_CHUNK);
            let size = grown.max(self.len + READ_CHUNK);
            // `resize` alone may double the capacity, past the bound.
            self.buf.reserve_exact(size - self.buf.len());
            self.buf.resize(size, 0);
        }
        loop {
            match self.src.read(&mut self.buf[self.len..]) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(false);
                }
                Ok(n) => {
                    self.len += n;
                    return Ok(true);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e.into()),
            }
        }
    }
}

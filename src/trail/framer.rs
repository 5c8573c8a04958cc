//! Streams the records out of a CloudTrail document `{"Records":[ ... ]}` one at a
//! time, holding at most one record (plus a read buffer) in memory.

use std::io::{self, Read};

use super::describe::{describe, describe_value};
use super::value_end::ValueEnd;

mod reads;

/// Records larger than this are skipped (and reported) rather than buffered.
/// CloudTrail caps an event at 256 KB; anything far beyond that is not a real event.
pub const MAX_RECORD_BYTES: usize = 4 << 20;
const READ_CHUNK: usize = 256 << 10;

/// Why a document could not be read. These end the file; record-level problems don't.
#[derive(Debug, thiserror::Error)]
pub enum FrameError {
    #[error("{0}")]
    Io(#[from] io::Error),
    #[error("the file is empty")]
    Empty,
    /// Only whitespace (and perhaps a byte order mark), `bytes` of it.
    #[error("the file holds only whitespace ({bytes} bytes)")]
    Blank { bytes: u64 },
    #[error("not JSON: expected '{{' at byte {offset}, found {found}")]
    NotJson { offset: u64, found: String },
    /// JSON whose top level is not an object: an array or a string.
    #[error("JSON, but not a CloudTrail log file: the top level is {found}, not an object with \"Records\"")]
    NotAnObject { found: &'static str },
    #[error("no \"Records\" array: not a CloudTrail log file (a digest file?)")]
    NoRecords,
    #[error("\"Records\" is not an array (found {found})")]
    RecordsNotArray { found: String },
    #[error("invalid JSON at byte {offset}: expected {expected}, found {found}")]
    Syntax {
        offset: u64,
        expected: &'static str,
        found: String,
    },
    #[error("truncated: the data ends inside {inside} (at byte {offset})")]
    Truncated { offset: u64, inside: &'static str },
}

/// One element of the `Records` array.
#[derive(Debug)]
pub enum Item<'a> {
    /// The raw bytes of one record (any JSON value; the caller checks it is an object).
    Record(&'a [u8]),
    /// A record larger than [`MAX_RECORD_BYTES`], skipped; its size in bytes.
    Oversized(u64),
}

#[derive(Debug, Clone, Copy)]
enum State {
    DocStart,
    Key { first: bool },
    Colon { records: bool },
    Value { records: bool },
    SkipValue,
    Element { first: bool },
    InRecord,
    AfterElement,
    AfterMember,
    DocEnd,
}

/// Pull-based record framer over any byte stream.
pub struct Framer<R> {
    src: R,
    buf: Vec<u8>,
    /// Stream offset of `buf[0]`.
    base: u64,
    len: usize,
    pos: usize,
    /// Start of the token or record being assembled; bytes before it may be dropped.
    mark: usize,
    eof: bool,
    state: State,
    value_end: ValueEnd,
    /// Bytes of an oversized record already dropped from the buffer.
    dropped: u64,
    saw_records: bool,
}

impl<R: Read> Framer<R> {
    /// Wraps a stream of (already decompressed) JSON.
    pub fn new(src: R) -> Self {
        Self::with_buffer(src, Vec::new())
    }

    /// [`Framer::new`] reusing `buf` (from [`Framer::into_buffer`]): a worker
    /// scanning many small files allocates and zeroes its read buffer once.
    pub fn with_buffer(src: R, mut buf: Vec<u8>) -> Self {
        if buf.len() < READ_CHUNK {
            buf.resize(READ_CHUNK, 0);
        }
        Framer {
            src,
            buf,
            base: 0,
            len: 0,
            pos: 0,
            mark: 0,
            eof: false,
            state: State::DocStart,
            value_end: ValueEnd::default(),
            dropped: 0,
            saw_records: false,
        }
    }

    /// The read buffer, for the next file; one grown for a huge record shrinks back.
    pub fn into_buffer(self) -> Vec<u8> {
        let mut buf = self.buf;
        if buf.len() > READ_CHUNK {
            buf.truncate(READ_CHUNK);
            buf.shrink_to_fit();
        }
        buf
    }

    /// Bytes of JSON consumed so far.
    pub fn offset(&self) -> u64 {
        self.base + self.pos as u64
    }

    /// The next record, `Ok(None)` at the end of the document.
    pub fn next_item(&mut self) -> Result<Option<Item<'_>>, FrameError> {
        loop {
            match self.state {
                State::DocStart if self.offset() == 0 => {
                    self.skip_bom()?;
                    match self.peek_token()? {
                        Some(b'{') => self.begin_document(),
                        Some(b'[') => return Err(FrameError::NotAnObject { found: "an array" }),
                        Some(b'"') => return Err(FrameError::NotAnObject { found: "a string" }),
                        Some(b) => {
                            return Err(FrameError::NotJson {
                                offset: self.offset(),
                                found: describe(b),
                            })
                        }
                        None if self.offset() == 0 => return Err(FrameError::Empty),
                        None => {
                            return Err(FrameError::Blank {
                                bytes: self.offset(),
                            })
                        }
                    }
                }
                State::DocStart => match self.peek_token()? {
                    None if !self.saw_records => return Err(FrameError::NoRecords),
                    None => return Ok(None),
                    Some(b'{') => self.begin_document(),
                    Some(b) => return Err(self.syntax("'{' or the end of the data", b)),
                },
                State::Key { first } => match self.expect_token("an object key")? {
                    b'}' if first => self.end_member(),
                    b'"' => {
                        let records = self.read_key()?;
                        self.state = State::Colon { records };
                    }
                    b => return Err(self.syntax("an object key", b)),
                },
                State::Colon { records } => match self.expect_token("':'")? {
                    b':' => {
                        self.pos += 1;
                        self.state = State::Value { records };
                    }
                    b => return Err(self.syntax("':'", b)),
                },
                State::Value { records: true } => match self.expect_token("the Records array")? {
                    b'[' => {
                        self.pos += 1;
                        self.saw_records = true;
                        self.state = State::Element { first: true };
                    }
                    b => {
                        return Err(FrameError::RecordsNotArray {
                            found: describe_value(b),
                        })
                    }
                },
                State::Value { records: false } => {
                    self.expect_token("a value")?;
                    self.begin_value(State::SkipValue);
                }
                State::SkipValue => {
                    self.finish_value("a value")?;
                    self.state = State::AfterMember;
                }
                State::Element { first } => match self.expect_token("a record")? {
                    b']' if first => {
                        self.pos += 1;
                        self.state = State::AfterMember;
                    }
                    // `[,` `,,` `,]`: no record there, and not JSON.
                    b @ (b',' | b']') => return Err(self.syntax("a record", b)),
                    _ => self.begin_value(State::InRecord),
                },
                State::InRecord => {
                    let end = self.finish_value("a record")?;
                    self.state = State::AfterElement;
                    let size = self.dropped + (end - self.mark) as u64;
                    if size > MAX_RECORD_BYTES as u64 {
                        self.dropped = 0;
                        return Ok(Some(Item::Oversized(size)));
                    }
                    return Ok(Some(Item::Record(&self.buf[self.mark..end])));
                }
                State::AfterElement => match self.expect_token("',' or ']'")? {
                    b',' => {
                        self.pos += 1;
                        self.state = State::Element { first: false };
                    }
                    b']' => {
                        self.pos += 1;
                        self.state = State::AfterMember;
                    }
                    b => return Err(self.syntax("',' or ']' after a record", b)),
                },
                State::AfterMember => match self.expect_token("',' or '}'")? {
                    b',' => {
                        self.pos += 1;
                        self.state = State::Key { first: false };
                    }
                    b'}' => self.end_member(),
                    b => return Err(self.syntax("',' or '}'", b)),
                },
                State::DocEnd => {
                    self.state = State::DocStart;
                }
            }
        }
    }

    fn begin_document(&mut self) {
        self.pos += 1;
        self.state = State::Key { first: true };
    }

    fn end_member(&mut self) {
        self.pos += 1;
        self.state = State::DocEnd;
    }

    fn syntax(&self, expected: &'static str, found: u8) -> FrameError {
        FrameError::Syntax {
            offset: self.offset(),
            expected,
            found: describe(found),
        }
    }

    fn begin_value(&mut self, next: State) {
        self.mark = self.pos;
        self.value_end = ValueEnd::default();
        self.state = next;
    }
}

#[cfg(test)]
mod tests;

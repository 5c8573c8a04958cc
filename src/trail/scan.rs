//! Resumable scanner that finds where one JSON value ends, across buffer refills.
//!
//! It validates only structure (balanced brackets, terminated strings); the full
//! grammar of a record is checked later by `serde_json`, and only for records that
//! can match a rule. That is what keeps the hot path near memory bandwidth.

/// Byte classes used outside strings.
const PLAIN: u8 = 0;
const QUOTE: u8 = 1;
const OPEN: u8 = 2;
const CLOSE: u8 = 3;

static CLASS: [u8; 256] = {
    let mut t = [PLAIN; 256];
    t[b'"' as usize] = QUOTE;
    t[b'{' as usize] = OPEN;
    t[b'[' as usize] = OPEN;
    t[b'}' as usize] = CLOSE;
    t[b']' as usize] = CLOSE;
    t
};

/// Structural error found while scanning a value: nesting deeper than [`MAX_DEPTH`],
/// at the given index. (Mismatched bracket kinds are left to `serde_json`, which sees
/// every record that matters.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooDeep(pub usize);

/// Deepest nesting accepted inside one record. CloudTrail records nest a few
/// levels; request parameters rarely more than 10. `serde_json` stops at 128.
pub const MAX_DEPTH: u32 = 128;

/// State of a value scan that may need more input to finish.
#[derive(Debug, Clone, Copy, Default)]
pub struct ValueScan {
    depth: u32,
    in_string: bool,
    /// The previous byte was a backslash inside a string.
    escaped: bool,
    /// The value is a scalar (number, literal) rather than a container or string.
    scalar: bool,
    started: bool,
}

impl ValueScan {
    /// Continues scanning `buf[from..]`. `buf[from]` is the first byte of the value
    /// on the first call. Returns `Ok(Some(end))` with the exclusive end index once
    /// the value is complete, `Ok(None)` when `buf` ran out first.
    pub fn advance(&mut self, buf: &[u8], from: usize) -> Result<Option<usize>, TooDeep> {
        let mut i = from;
        if !self.started {
            self.started = true;
            match buf.get(i) {
                None => {
                    self.started = false;
                    return Ok(None);
                }
                Some(b'"') => {
                    self.in_string = true;
                    i += 1;
                }
                Some(b'{') | Some(b'[') => {
                    self.depth = 1;
                    i += 1;
                }
                Some(_) => self.scalar = true,
            }
        }
        if self.scalar {
            return Ok(scalar_end(buf, i));
        }
        loop {
            if self.in_string {
                match self.skip_string(buf, i) {
                    Some(next) => i = next,
                    None => return Ok(None),
                }
                if self.depth == 0 {
                    return Ok(Some(i));
                }
            }
            // Outside a string: walk to the next structural byte.
            while i < buf.len() {
                match CLASS[buf[i] as usize] {
                    PLAIN => i += 1,
                    QUOTE => {
                        self.in_string = true;
                        i += 1;
                        break;
                    }
                    OPEN => {
                        self.depth += 1;
                        if self.depth > MAX_DEPTH {
                            return Err(TooDeep(i));
                        }
                        i += 1;
                    }
                    _ => {
                        // depth >= 1 here: the scan returns as soon as it reaches 0.
                        self.depth -= 1;
                        i += 1;
                        if self.depth == 0 {
                            return Ok(Some(i));
                        }
                    }
                }
            }
            if !self.in_string {
                return Ok(None);
            }
        }
    }

    /// Skips string content from `i`; returns the index after the closing quote.
    fn skip_string(&mut self, buf: &[u8], mut i: usize) -> Option<usize> {
        if self.escaped {
            if i >= buf.len() {
                return None;
            }
            self.escaped = false;
            i += 1;
        }
        loop {
            let rest = buf.get(i..)?;
            let hit = memchr::memchr2(b'"', b'\\', rest)?;
            i += hit;
            if buf[i] == b'"' {
                self.in_string = false;
                return Some(i + 1);
            }
            // Backslash: skip it and the escaped byte (which may be in the next buffer).
            if i + 1 >= buf.len() {
                self.escaped = true;
                i += 1;
                if i >= buf.len() {
                    return None;
                }
            } else {
                i += 2;
            }
        }
    }
}

/// A scalar ends at the first delimiter. Returns `None` if `buf` ends first.
fn scalar_end(buf: &[u8], from: usize) -> Option<usize> {
    buf[from..]
        .iter()
        .position(|b| matches!(b, b',' | b']' | b'}' | b' ' | b'\n' | b'\r' | b'\t'))
        .map(|p| from + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan_whole(s: &str) -> Result<Option<usize>, TooDeep> {
        ValueScan::default().advance(s.as_bytes(), 0)
    }

    /// Feeds `s` in pieces of `step` bytes, as refills would.
    fn scan_split(s: &str, step: usize) -> Option<usize> {
        let bytes = s.as_bytes();
        let mut scan = ValueScan::default();
        let mut from = 0;
        let mut upto = step.min(bytes.len());
        loop {
            if let Some(end) = scan.advance(&bytes[..upto], from).unwrap() {
                return Some(end);
            }
            if upto == bytes.len() {
                return None;
            }
            from = upto;
            upto = (upto + step).min(bytes.len());
        }
    }

    #[test]
    fn finds_the_end_of_values() {
        let cases = [
            (r#"{"a":"}"},"#, Some(9)),
            (r#"{"a":"x\"}"} tail"#, Some(12)),
            (r#"{"a":"x\\"},"#, Some(11)),
            (r#"[1,[2,{"b":[]}]]"#, Some(16)),
            (r#""str\"ing","#, Some(10)),
            ("12.5e3,", Some(6)),
            ("null]", Some(4)),
            (r#"{"a":"unterminated"#, None),
            (r#"{"a":{"b":1}"#, None),
        ];
        for (input, want) in cases {
            assert_eq!(scan_whole(input), Ok(want), "input {input}");
        }
    }

    #[test]
    fn resumes_at_every_split_point() {
        let doc = r#"{"eventName":"Upd\"ate\\","p":{"l":[1,2,{"x":"]}"}]}},"#;
        let whole = scan_whole(doc).unwrap();
        for step in 1..doc.len() {
            assert_eq!(scan_split(doc, step), whole, "step {step}");
        }
    }

    #[test]
    fn rejects_excess_depth() {
        let deep = "[".repeat(MAX_DEPTH as usize + 1);
        assert_eq!(scan_whole(&deep), Err(TooDeep(MAX_DEPTH as usize)));
        let ok = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert_eq!(scan_whole(&ok), Ok(Some(200)));
    }
}

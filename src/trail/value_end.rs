//! Where one JSON value ends: a resumable search across buffer refills.
//!
//! It validates only structure (balanced brackets, terminated strings); the full
//! grammar of a record is checked later by `serde_json`, and only for records that
//! can match a rule. That is what keeps the hot path near memory bandwidth.

/// String bytes scanned one by one before switching to a SIMD search.
const SHORT: usize = 32;

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

/// The search for a value's end, paused when it needs more input.
///
/// Nesting is only counted, never limited: the search is a loop, not a recursion, so
/// a deeply nested record costs nothing special here. `serde_json` (which stops at
/// 128 levels) rejects it if it is a candidate, as a record error; mismatched
/// bracket kinds are likewise left to it.
#[derive(Debug, Clone, Copy, Default)]
pub struct ValueEnd {
    /// `u64`: an oversized record is scanned to its end, whatever its length.
    depth: u64,
    in_string: bool,
    /// The previous byte was a backslash inside a string.
    escaped: bool,
    /// The value is a scalar (number, literal) rather than a container or string.
    scalar: bool,
    started: bool,
}

impl ValueEnd {
    /// Continues scanning `buf[from..]`. `buf[from]` is the first byte of the value
    /// on the first call. Returns `Some(end)` with the exclusive end index once
    /// the value is complete, `None` when `buf` ran out first.
    pub fn advance(&mut self, buf: &[u8], from: usize) -> Option<usize> {
        let mut i = from;
        if !self.started {
            self.started = true;
            match buf.get(i) {
                None => {
                    self.started = false;
                    return None;
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
            return scalar_end(buf, i);
        }
        loop {
            if self.in_string {
                i = self.skip_string(buf, i)?;
                if self.depth == 0 {
                    return Some(i);
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
                        i += 1;
                    }
                    _ => {
                        // depth >= 1 here: the search returns as soon as it reaches 0.
                        self.depth -= 1;
                        i += 1;
                        if self.depth == 0 {
                            return Some(i);
                        }
                    }
                }
            }
            if !self.in_string {
                return None;
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
            // Most strings in a record are short keys and values: eight bytes at a
            // time in a register beats the set-up cost of a SIMD search.
            let hit = match quote_or_backslash(&rest[..rest.len().min(SHORT)]) {
                Some(p) => p,
                None if rest.len() <= SHORT => return None,
                None => SHORT + memchr::memchr2(b'"', b'\\', &rest[SHORT..])?,
            };
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

/// Position of the first `"` or `\\` in `s`, eight bytes per step (SWAR).
fn quote_or_backslash(s: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    // High bit set in each byte of `w` equal to `b`; exact for the lowest such byte,
    // which is the only one used.
    let eq = |w: u64, b: u8| {
        let x = w ^ (ONES * b as u64);
        x.wrapping_sub(ONES) & !x & HIGHS
    };
    let mut chunks = s.chunks_exact(8);
    for (n, chunk) in chunks.by_ref().enumerate() {
        let w = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        let m = eq(w, b'"') | eq(w, b'\\');
        if m != 0 {
            return Some(n * 8 + (m.trailing_zeros() / 8) as usize);
        }
    }
    let done = s.len() - chunks.remainder().len();
    chunks
        .remainder()
        .iter()
        .position(|&b| b == b'"' || b == b'\\')
        .map(|p| done + p)
}

/// A scalar ends at the first delimiter. Returns `None` if `buf` ends first.
fn scalar_end(buf: &[u8], from: usize) -> Option<usize> {
    buf[from..]
        .iter()
        .position(|b| matches!(b, b',' | b']' | b'}' | b' ' | b'\n' | b'\r' | b'\t'))
        .map(|p| from + p)
}

#[cfg(test)]
mod tests;

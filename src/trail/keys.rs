//! Reads a record's top-level `eventSource` and `eventName` without parsing it:
//! the input of the rules' exact prefilter.
//!
//! The answer is either exactly what `serde_json` would read into
//! [`Record`](super::Record) for the two fields, or "unsure" (the caller parses).
//! Unsure covers everything that could make the two differ: a key or value written
//! with escapes, a field given twice (`Record::parse` rejects it, and the record
//! must reach it), a value that is neither a string nor null, bytes that are not
//! UTF-8, anything that is not a well-formed object at the top level. Keys and
//! values without escapes are compared byte for byte, which is what serde does
//! with them; nested values (`requestParameters` holding an `"eventName"`) are
//! skipped whole, whatever their keys.

use std::sync::OnceLock;

use memchr::memmem;

use super::value_end::ValueEnd;

/// The two top-level values that decide which rules can apply (`None`: missing or
/// null).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TopKeys<'a> {
    /// The top-level `eventSource`.
    pub event_source: Option<&'a str>,
    /// The top-level `eventName`.
    pub event_name: Option<&'a str>,
}

const SOURCE: &[u8] = b"eventSource";
const NAME: &[u8] = b"eventName";

/// The record's top-level `eventSource` and `eventName`, or `None` when only a full
/// parse can tell (see the module documentation).
pub fn top_keys(raw: &[u8]) -> Option<TopKeys<'_>> {
    let mut keys = TopKeys::default();
    let (mut seen_source, mut seen_name) = (false, false);
    // Whether the rest was searched for a second copy (once: it holds one).
    let mut searched = false;
    let mut i = skip_ws(raw, 0);
    if raw.get(i) != Some(&b'{') {
        return None;
    }
    i = skip_ws(raw, i + 1);
    if raw.get(i) == Some(&b'}') {
        return Some(keys);
    }
    loop {
        let (key, after) = plain_string(raw, i)?;
        i = skip_ws(raw, after);
        if raw.get(i) != Some(&b':') {
            return None;
        }
        i = skip_ws(raw, i + 1);
        let slot = match key {
            SOURCE if !seen_source => Some((&mut keys.event_source, &mut seen_source)),
            NAME if !seen_name => Some((&mut keys.event_name, &mut seen_name)),
            SOURCE | NAME => return None, // a second copy: the parse rejects it
            _ => None,
        };
        i = match slot {
            Some((value, seen)) => {
                *seen = true;
                let (v, end) = string_or_null(raw, i)?;
                *value = v;
                end
            }
            None => ValueEnd::default().advance(raw, i)?,
        };
        i = skip_ws(raw, i);
        match raw.get(i) {
            Some(b',') => i = skip_ws(raw, i + 1),
            Some(b'}') => return Some(keys),
            _ => return None,
        }
        if seen_source && seen_name && !searched {
            if !could_repeat(&raw[i..]) {
                return Some(keys);
            }
            searched = true;
        }
    }
}

/// Whether a later top-level key could still be `eventSource` or `eventName`: only
/// if the bytes name one of them, plainly or through a `\u` escape. CloudTrail
/// writes both early, so this usually ends the walk before `requestParameters`.
fn could_repeat(rest: &[u8]) -> bool {
    // Both keys start with `"event`; the keys after them (eventID, eventType,
    // eventCategory) make a few false hits, each a byte comparison. The searcher
    // is built once: building one per record cost more than the searching.
    static EVENT: OnceLock<memmem::Finder<'static>> = OnceLock::new();
    let event = EVENT.get_or_init(|| memmem::Finder::new(b"\"event"));
    memchr::memchr(b'\\', rest).is_some()
        || event.find_iter(rest).any(|at| {
            let key = &rest[at + 6..];
            key.starts_with(b"Source\"") || key.starts_with(b"Name\"")
        })
}

fn skip_ws(raw: &[u8], mut i: usize) -> usize {
    while let Some(b' ' | b'\n' | b'\r' | b'\t') = raw.get(i) {
        i += 1;
    }
    i
}

/// The content of the string starting at `raw[i]` (a quote) and the index after it;
/// `None` if there is no string there or it holds an escape.
fn plain_string(raw: &[u8], i: usize) -> Option<(&[u8], usize)> {
    if raw.get(i) != Some(&b'"') {
        return None;
    }
    let len = memchr::memchr2(b'"', b'\\', &raw[i + 1..])?;
    let end = i + 1 + len;
    (raw[end] == b'"').then(|| (&raw[i + 1..end], end + 1))
}

/// A string value (plain, UTF-8, no control characters) or `null`.
fn string_or_null(raw: &[u8], i: usize) -> Option<(Option<&str>, usize)> {
    if raw[i..].starts_with(b"null") {
        return Some((None, i + 4));
    }
    let (bytes, end) = plain_string(raw, i)?;
    if bytes.iter().any(|&b| b < 0x20) {
        return None; // not valid JSON: the parse says so
    }
    Some((Some(std::str::from_utf8(bytes).ok()?), end))
}

#[cfg(test)]
mod tests;

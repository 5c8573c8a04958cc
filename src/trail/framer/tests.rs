use std::io::{self, Read};

use super::*;

/// Reads one byte per call, to cross every refill boundary.
struct Trickle<'a>(&'a [u8]);

impl Read for Trickle<'_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        match (self.0.split_first(), out.first_mut()) {
            (Some((b, rest)), Some(slot)) => {
                *slot = *b;
                self.0 = rest;
                Ok(1)
            }
            _ => Ok(0),
        }
    }
}

#[derive(Debug, PartialEq)]
enum Got {
    Rec(String),
    Big(u64),
}

fn collect<R: Read>(src: R) -> Result<Vec<Got>, FrameError> {
    let mut framer = Framer::new(src);
    let mut out = Vec::new();
    while let Some(item) = framer.next_item()? {
        out.push(match item {
            Item::Record(b) => Got::Rec(String::from_utf8_lossy(b).into_owned()),
            Item::Oversized(n) => Got::Big(n),
        });
    }
    Ok(out)
}

/// Frames `doc` whole and byte by byte; both must agree.
fn frame(doc: &str) -> Result<Vec<Got>, String> {
    let whole = collect(doc.as_bytes()).map_err(|e| e.to_string());
    let trickled = collect(Trickle(doc.as_bytes())).map_err(|e| e.to_string());
    assert_eq!(whole, trickled, "whole vs byte-by-byte for {doc:?}");
    whole
}

fn recs(items: &[&str]) -> Vec<Got> {
    items.iter().map(|s| Got::Rec(s.to_string())).collect()
}

#[test]
fn yields_each_record_in_order() {
    let doc = r#"{"Records":[{"a":1},{"b":"x,]}"},[3],"s",7,null]}"#;
    let want = recs(&[
        r#"{"a":1}"#,
        r#"{"b":"x,]}"}"#,
        "[3]",
        r#""s""#,
        "7",
        "null",
    ]);
    assert_eq!(frame(doc).unwrap(), want);
}

#[test]
fn tolerates_layout_other_keys_and_bom() {
    let doc = "\u{feff} {\n \"meta\" : {\"Records\": 1, \"x\": [\"]\"]},\n \"Records\" : [ {\"a\": 1} ,\n {\"b\": 2} ] ,\"after\":true }\n";
    assert_eq!(frame(doc).unwrap(), recs(&[r#"{"a": 1}"#, r#"{"b": 2}"#]));
    assert_eq!(frame(r#"{"Records":[]}"#).unwrap(), vec![]);
}

#[test]
fn concatenated_documents_are_read_in_turn() {
    let doc = r#"{"Records":[{"a":1}]}{"Records":[{"b":2}]}"#;
    assert_eq!(frame(doc).unwrap(), recs(&[r#"{"a":1}"#, r#"{"b":2}"#]));
}

#[test]
fn file_errors_name_the_cause() {
    let cases = [
        ("", "the file is empty"),
        ("  \n", "the file holds only whitespace (3 bytes)"),
        ("{}", "no \"Records\" array"),
        (
            r#"{"awsAccountId":"1","logFiles":[{"s3Object":"k"}]}"#,
            "no \"Records\" array",
        ),
        (
            r#"{"Records":{"a":1}}"#,
            "\"Records\" is not an array (found an object)",
        ),
        (
            r#"{"Records":null}"#,
            "\"Records\" is not an array (found null)",
        ),
        (
            "PK\u{3}\u{4}",
            "not JSON: expected '{' at byte 0, found 'P'",
        ),
        (
            "[1,2]",
            "JSON, but not a CloudTrail log file: the top level is an array",
        ),
        (r#"{"Records":[{"a":1},]}"#, "expected a record, found ']'"),
        (r#"{"Records":[,{"a":1}]}"#, "expected a record, found ','"),
        (
            r#"{"Records":[{"a":"#,
            "truncated: the data ends inside a record",
        ),
        (
            r#"{"Records":[{"a":1}"#,
            "truncated: the data ends inside ',' or ']'",
        ),
        (
            r#"{"Records":[{"a":1}] "#,
            "truncated: the data ends inside ',' or '}'",
        ),
        (
            r#"{"Records":[{"a":1}]} tail"#,
            "invalid JSON at byte 22: expected '{' or the end of the data, found 't'",
        ),
        (
            r#"{"Records":[{"a":1} {"b":2}]}"#,
            "expected ',' or ']' after a record, found '{'",
        ),
        (r#"{"Records" [1]}"#, "expected ':', found '['"),
        (r#"{Records:[]}"#, "expected an object key, found 'R'"),
    ];
    for (doc, want) in cases {
        let err = frame(doc).unwrap_err();
        assert!(
            err.starts_with(want) || err.contains(want),
            "{doc:?}: want {want:?}, got {err:?}"
        );
    }
}

#[test]
fn records_before_an_error_are_still_yielded() {
    let mut framer = Framer::new(&br#"{"Records":[{"a":1},{"b":"#[..]);
    assert!(matches!(
        framer.next_item(),
        Ok(Some(Item::Record(b"{\"a\":1}")))
    ));
    assert!(matches!(
        framer.next_item(),
        Err(FrameError::Truncated { .. })
    ));
}

#[test]
fn deep_nesting_is_framed_not_refused() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let doc = format!(r#"{{"x":{deep},"Records":[{{"a":{deep}}},{{"b":2}}]}}"#);
    let got = frame(&doc).unwrap();
    assert_eq!(got.len(), 2);
    assert_eq!(got[1], Got::Rec(r#"{"b":2}"#.into()));
}

#[test]
fn oversized_records_are_skipped_with_bounded_memory() {
    let big = format!(r#"{{"p":"{}"}}"#, "x".repeat(MAX_RECORD_BYTES + 10));
    let doc = format!(r#"{{"Records":[{{"a":1}},{big},{{"b":2}}]}}"#);
    let mut framer = Framer::new(doc.as_bytes());
    let mut got = Vec::new();
    while let Some(item) = framer.next_item().unwrap() {
        got.push(match item {
            Item::Record(b) => Got::Rec(String::from_utf8_lossy(b).into_owned()),
            Item::Oversized(n) => Got::Big(n),
        });
    }
    let want = vec![
        Got::Rec(r#"{"a":1}"#.into()),
        Got::Big(big.len() as u64),
        Got::Rec(r#"{"b":2}"#.into()),
    ];
    assert_eq!(got, want);
    assert!(
        framer.buf.capacity() <= MAX_RECORD_BYTES + 2 * READ_CHUNK,
        "buffer grew to {}",
        framer.buf.capacity()
    );
}

#[test]
fn pretty_printed_seed_record_frames() {
    let doc = "{\n  \"Records\": [\n    {\n      \"eventVersion\":\"1.03\",\n      \"eventName\":\"CreateIdentityPool\"\n    }\n  ]\n}\n";
    let got = frame(doc).unwrap();
    assert_eq!(got.len(), 1);
}

//! Cases about the document around the records: the `Records` key and array, the
//! top level, what comes after it, and truncation.

use super::*;

fn text(s: &str) -> Vec<u8> {
    s.as_bytes().to_vec()
}

/// `{"Records":[...]}` with `alert(id)` as its one record, as text.
fn one(id: &str) -> String {
    String::from_utf8(doc(&[alert(id)])).unwrap()
}

/// The cases of this theme, in the order they are reported.
pub fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "records-key-missing.json",
            build: || {
                one("k-1")
                    .replace("\"Records\"", "\"records\"")
                    .into_bytes()
            },
            expect: fails("no \"Records\" array", n(0, 0, 0, 0, 0), &[]),
        },
        Case {
            name: "records-only-nested.json",
            build: || format!("{{\"detail\":{}}}", one("k-2")).into_bytes(),
            expect: fails("no \"Records\" array", n(0, 0, 0, 0, 0), &[]),
        },
        Case {
            name: "records-is-an-object.json",
            build: || text(r#"{"Records":{"eventName":"UpdateIdentityPool"}}"#),
            expect: fails(
                "\"Records\" is not an array (found an object)",
                n(0, 0, 0, 0, 0),
                &[],
            ),
        },
        Case {
            name: "records-is-a-string.json.gz",
            build: || gz(br#"{"Records":"[]"}"#),
            expect: fails(
                "\"Records\" is not an array (found a string)",
                n(0, 0, 0, 0, 0),
                &[],
            ),
        },
        Case {
            name: "records-is-null.json",
            build: || text(r#"{"Records":null}"#),
            expect: fails(
                "\"Records\" is not an array (found null)",
                n(0, 0, 0, 0, 0),
                &[],
            ),
        },
        Case {
            name: "records-empty.json",
            build: || text(r#"{"Records":[]}"#),
            expect: scanned(n(0, 0, 0, 0, 0), &[], &[]),
        },
        Case {
            name: "top-level-array.json",
            build: || serde_json::to_vec(&[alert("t-1")]).unwrap(),
            expect: fails(
                "JSON, but not a CloudTrail log file: the top level is an array",
                n(0, 0, 0, 0, 0),
                &[],
            ),
        },
        Case {
            // A log file stored as a JSON string (encoded twice).
            name: "top-level-string.json",
            build: || serde_json::to_vec(&one("t-2")).unwrap(),
            expect: fails(
                "JSON, but not a CloudTrail log file: the top level is a string",
                n(0, 0, 0, 0, 0),
                &[],
            ),
        },
        Case {
            name: "trailing-garbage.json",
            build: || format!("{}\n<html>", one("g-1")).into_bytes(),
            expect: fails(
                "expected '{' or the end of the data, found '<'",
                n(1, 1, 0, 0, 0),
                &["g-1 critical"],
            ),
        },
        Case {
            name: "trailing-comma-in-records.json",
            build: || one("c-1").replace("}]}", "},]}").into_bytes(),
            expect: fails(
                "expected a record, found ']'",
                n(1, 1, 0, 0, 0),
                &["c-1 critical"],
            ),
        },
        Case {
            name: "empty-element-between-records.json",
            build: || {
                let mut out = b"{\"Records\":[".to_vec();
                out.extend(bytes(&alert("c-2")));
                out.extend(b",,");
                out.extend(bytes(&alert("c-3")));
                out.extend(b"]}");
                out
            },
            expect: fails(
                "expected a record, found ','",
                n(1, 1, 0, 0, 0),
                &["c-2 critical"],
            ),
        },
        Case {
            name: "bare-word-between-records.json",
            build: || {
                raw_doc(&[
                    bytes(&alert("bw-1")),
                    b"undefined".to_vec(),
                    bytes(&alert("bw-2")),
                ])
            },
            expect: scanned(
                n(3, 2, 0, 0, 1),
                &["not an object (found invalid JSON)"],
                &["bw-1 critical", "bw-2 critical"],
            ),
        },
        Case {
            name: "truncated-plain-mid-record.json",
            build: || {
                let whole = doc(&[alert("p-1"), alert("p-2")]);
                whole[..whole.len() - 200].to_vec()
            },
            expect: fails(
                "truncated: the data ends inside a record",
                n(1, 1, 0, 0, 0),
                &["p-1 critical"],
            ),
        },
        Case {
            name: "deep-nesting-at-top-level.json",
            build: || {
                let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
                format!("{{\"meta\":{deep},{}", &one("d-0")[1..]).into_bytes()
            },
            expect: scanned(n(1, 1, 0, 0, 0), &[], &["d-0 critical"]),
        },
        Case {
            name: "records-key-twice.json",
            build: || {
                format!(
                    "{},{}",
                    &one("r-1")[..one("r-1").len() - 1],
                    &one("r-2")[1..]
                )
                .into_bytes()
            },
            expect: scanned(n(2, 2, 0, 0, 0), &[], &["r-1 critical", "r-2 critical"]),
        },
        Case {
            name: "two-documents-back-to-back.json",
            build: || format!("{}\n{}", one("b-1"), one("b-2")).into_bytes(),
            expect: scanned(n(2, 2, 0, 0, 0), &[], &["b-1 critical", "b-2 critical"]),
        },
    ]
}

//! Cases about single records: wrong JSON types, nulls, duplicate keys and event
//! ids, bad UTF-8 and escapes, huge and deeply nested records.

use serde_json::json;

use super::*;

/// `record` serialized, with its `"@@"` string value replaced by `raw`.
fn splice(record: &Value, raw: &[u8]) -> Vec<u8> {
    let text = bytes(record);
    let at = text
        .windows(4)
        .position(|w| w == b"\"@@\"")
        .expect("placeholder");
    [&text[..at], raw, &text[at + 4..]].concat()
}

/// `record` serialized, with `member` (`"key":value`) added first or last.
fn with_member(record: &Value, member: &str, first: bool) -> Vec<u8> {
    let text = bytes(record);
    let (open, body) = text.split_at(1);
    if first {
        [open, member.as_bytes(), b",", body].concat()
    } else {
        let body = &body[..body.len() - 1];
        [open, body, b",", member.as_bytes(), b"}"].concat()
    }
}

/// `record` with the member at `path` (a JSON pointer) set to `value`.
fn set(mut record: Value, path: &str, value: Value) -> Value {
    let (parent, key) = path.rsplit_once('/').expect("a JSON pointer");
    let object = record.pointer_mut(parent).and_then(Value::as_object_mut);
    object
        .expect("an object at the parent path")
        .insert(key.into(), value);
    record
}

fn deep(levels: usize) -> String {
    format!("{}{}", "[".repeat(levels), "]".repeat(levels))
}

/// The cases of this theme, in the order they are reported.
pub fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "records-of-wrong-types.json",
            build: || {
                doc(&[
                    json!(42),
                    json!("UpdateIdentityPool"),
                    json!([alert("w-0")]),
                    Value::Null,
                    json!(true),
                    alert("w-1"),
                ])
            },
            expect: scanned(
                n(6, 1, 0, 0, 5),
                &[
                    "not an object (found a number)",
                    "not an object (found a string)",
                    "not an object (found an array)",
                    "not an object (found null)",
                    "not an object (found a boolean)",
                ],
                &["w-1 critical"],
            ),
        },
        Case {
            name: "fields-of-wrong-types.json",
            build: || {
                doc(&[
                    set(alert("f-1"), "/eventVersion", json!(1.08)),
                    set(alert("f-2"), "/eventName", json!(42)),
                    set(
                        alert("f-3"),
                        "/requestParameters",
                        json!("{\"identityPoolId\":\"x\"}"),
                    ),
                    set(alert("f-4"), "/userIdentity", json!("root")),
                    set(alert("f-5"), "/eventID", json!(123)),
                    set(alert("f-6"), "/eventTime", json!(1_732_093_361)),
                    set(alert("f-7"), "/errorCode", json!(false)),
                    set(alert("f-8"), "/eventSource", json!(7)),
                    alert("f-9"),
                    // A boolean written as a string is not `true`: the base severity.
                    set(
                        alert("f-10"),
                        "/requestParameters/allowUnauthenticatedIdentities",
                        json!("true"),
                    ),
                ])
            },
            expect: scanned(
                n(10, 2, 1, 0, 7),
                &[
                    // Each names the field.
                    "`eventVersion`: invalid type: floating point `1.08`, expected a string",
                    "`eventName`: invalid type: integer `42`, expected a string",
                    "`requestParameters`: expected an object, found a string",
                    "`userIdentity`: invalid type: string \"root\"",
                    "`eventID`: invalid type: integer `123`, expected a string",
                    "`eventTime`: invalid type: integer `1732093361`, expected a string",
                    "`errorCode`: invalid type: boolean `false`, expected a string",
                ],
                &["f-9 critical", "f-10 medium"],
            ),
        },
        Case {
            name: "null-everywhere.json",
            build: || {
                let all_null = |keep: &[&str]| {
                    let mut r = alert("null");
                    for (k, v) in r.as_object_mut().unwrap() {
                        if !keep.contains(&k.as_str()) {
                            *v = Value::Null;
                        }
                    }
                    r
                };
                let mut nested = alert("null-3");
                nested["userIdentity"] = json!({"type": null, "arn": null, "accountId": null,
                    "sessionContext": {"sessionIssuer": null, "attributes": null}, "onBehalfOf": null});
                nested["requestParameters"]["allowUnauthenticatedIdentities"] = Value::Null;
                doc(&[
                    all_null(&[]),
                    all_null(&["eventSource", "eventName"]),
                    nested,
                    all_null(&["eventSource"]),
                ])
            },
            expect: scanned(n(4, 2, 2, 0, 0), &[], &["- medium", "null-3 medium"]),
        },
        Case {
            // A repeated member the engine reads is a record error, whichever copy
            // is benign: no record slips past a rule by naming itself twice. In the
            // request parameters (a JSON value the rules query) the last copy wins.
            name: "duplicate-keys.json",
            build: || {
                let benign_name = r#""eventName":"DescribeIdentityPool""#;
                let other_source = r#""eventSource":"kms.amazonaws.com""#;
                let pool = alert("k-7");
                let twice = String::from_utf8(bytes(&pool)).unwrap().replace(
                    r#""allowUnauthenticatedIdentities":true"#,
                    r#""allowUnauthenticatedIdentities":true,"allowUnauthenticatedIdentities":false"#,
                );
                raw_doc(&[
                    with_member(&alert("k-1"), benign_name, true),
                    with_member(&alert("k-2"), benign_name, false),
                    with_member(&alert("k-3"), other_source, true),
                    with_member(&alert("k-4"), other_source, false),
                    with_member(&alert("k-5"), r#""eventID":"k-5b""#, false),
                    splice(
                        &set(alert("k-6"), "/userIdentity/type", json!("@@")),
                        br#""Root","type":"IAMUser""#,
                    ),
                    twice.into_bytes(),
                    with_member(&noise("k-8"), r#""eventName":"Encrypt""#, false),
                ])
            },
            expect: scanned(
                n(8, 1, 1, 0, 6),
                &[
                    "duplicate field `eventName`",
                    "duplicate field `eventName`",
                    "duplicate field `eventSource`",
                    "duplicate field `eventSource`",
                    "duplicate field `eventID`",
                    "duplicate field `type`",
                ],
                &["k-7 medium"],
            ),
        },
        Case {
            name: "duplicate-event-ids.json",
            build: || {
                let mut no_id = alert("x");
                no_id.as_object_mut().unwrap().remove("eventID");
                doc(&[
                    alert("d-1"),
                    alert("d-1"),
                    noise("d-1"),
                    alert("d-2"),
                    set(alert("d-1"), "/eventName", json!("DeleteIdentityPool")),
                    no_id.clone(),
                    no_id,
                ])
            },
            expect: scanned(
                n(7, 4, 1, 2, 0),
                &[],
                &["d-1 critical", "d-2 critical", "- critical", "- critical"],
            ),
        },
        Case {
            // Only records that can match are parsed, so only their bytes are checked.
            name: "invalid-utf8.json",
            build: || {
                let at =
                    |r: Value, path: &str| splice(&set(r, path, json!("@@")), b"\"shop\xff\xfe\"");
                raw_doc(&[
                    at(alert("u-1"), "/requestParameters/identityPoolName"),
                    at(alert("u-2"), "/userAgent"),
                    at(alert("u-3"), "/requestID"),
                    at(noise("u-4"), "/userAgent"),
                    bytes(&alert("u-5")),
                ])
            },
            expect: scanned(
                n(5, 2, 1, 0, 2),
                &["invalid unicode code point", "invalid unicode code point"],
                &["u-3 critical", "u-5 critical"],
            ),
        },
        Case {
            // Escapes and numbers are checked in full for the request parameters the
            // rules query: one that cannot be read is a record error, never an
            // object silently taken as absent (which would skip escalations).
            name: "escapes-and-numbers.json",
            build: || {
                let lone = |r: Value| {
                    splice(
                        &set(r, "/requestParameters/identityPoolName", json!("@@")),
                        br#""shop\ud800""#,
                    )
                };
                let name = |r: Value| {
                    splice(
                        &set(r, "/eventName", json!("@@")),
                        br#""\u0055pdateIdentityPool""#,
                    )
                };
                // CloudTrail writes eventSource as plain ASCII, but an escaped one is
                // the same string to the parse: the prefilter sends records with `\u`
                // escapes to it rather than miss one.
                let source = |r: Value| {
                    splice(
                        &set(r, "/eventSource", json!("@@")),
                        br#""cognito\u002didentity.amazonaws.com""#,
                    )
                };
                let huge =
                    |r: Value| splice(&set(r, "/requestParameters/x", json!("@@")), b"1e999");
                raw_doc(&[
                    lone(alert("e-1")),
                    name(alert("e-2")),
                    source(alert("e-3")),
                    huge(alert("e-4")),
                ])
            },
            expect: scanned(
                n(4, 2, 0, 0, 2),
                &[
                    "an object that cannot be read: unexpected end of hex escape",
                    "an object that cannot be read: number out of range",
                ],
                &["e-2 critical", "e-3 critical"],
            ),
        },
        Case {
            name: "huge-single-record.json",
            build: || {
                let big = "x".repeat(5 << 20);
                doc(&[
                    alert("h-1"),
                    set(noise("h-2"), "/userAgent", json!(big)),
                    set(
                        alert("h-3"),
                        "/requestParameters/identityPoolName",
                        json!(big),
                    ),
                    alert("h-4"),
                ])
            },
            expect: scanned(
                n(4, 2, 0, 0, 2),
                &["exceeds 4194304 bytes", "exceeds 4194304 bytes"],
                &["h-1 critical", "h-4 critical"],
            ),
        },
        Case {
            name: "deep-nesting-in-record.json",
            build: || {
                let nest = |r: Value, path: &str| {
                    splice(&set(r, path, json!("@@")), deep(5_000).as_bytes())
                };
                raw_doc(&[
                    bytes(&alert("n-1")),
                    nest(noise("n-2"), "/requestParameters/encryptionContext"),
                    nest(alert("n-3"), "/requestParameters/roles"),
                    bytes(&alert("n-4")),
                ])
            },
            expect: scanned(
                n(4, 2, 1, 0, 1),
                &["recursion limit exceeded"],
                &["n-1 critical", "n-4 critical"],
            ),
        },
    ]
}

use super::*;

fn end_whole(s: &str) -> Option<usize> {
    ValueEnd::default().advance(s.as_bytes(), 0)
}

/// Feeds `s` in pieces of `step` bytes, as refills would.
fn end_split(s: &str, step: usize) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut end_of = ValueEnd::default();
    let mut from = 0;
    let mut upto = step.min(bytes.len());
    loop {
        if let Some(end) = end_of.advance(&bytes[..upto], from) {
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
        assert_eq!(end_whole(input), want, "input {input}");
    }
}

#[test]
fn resumes_at_every_split_point() {
    let doc = r#"{"eventName":"Upd\"ate\\","p":{"l":[1,2,{"x":"]}"}]}},"#;
    let whole = end_whole(doc);
    assert!(whole.is_some());
    for step in 1..doc.len() {
        assert_eq!(end_split(doc, step), whole, "step {step}");
    }
}

#[test]
fn swar_search_finds_the_first_special_byte() {
    for len in 0..40 {
        for at in 0..len {
            for special in [b'"', b'\\'] {
                let mut s = vec![b'a'; len];
                s[at] = special;
                if at + 1 < len {
                    s[at + 1] = b'"';
                }
                assert_eq!(quote_or_backslash(&s), Some(at), "len {len} at {at}");
            }
        }
        assert_eq!(quote_or_backslash(&vec![b'x'; len]), None);
    }
    // Bytes that differ from '"' (0x22) and '\\' (0x5c) by one bit or a borrow.
    assert_eq!(
        quote_or_backslash(&[0x21, 0x23, 0x5b, 0x5d, 0xa2, 0xdc, 0x02, 0x22]),
        Some(7)
    );
}

#[test]
fn deep_nesting_is_counted_not_limited() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert_eq!(end_whole(&deep), Some(200_000));
    assert_eq!(end_split(&deep, 4096), Some(200_000));
    assert_eq!(end_whole(&"[".repeat(100_000)), None);
}

//! Words for bytes and values in the framer's error messages.

/// Names the kind of JSON value starting with `b`, for an error message.
pub(super) fn describe_value(b: u8) -> String {
    match b {
        b'{' => "an object".into(),
        b'"' => "a string".into(),
        b'n' => "null".into(),
        b't' | b'f' => "a boolean".into(),
        b'-' | b'0'..=b'9' => "a number".into(),
        _ => describe(b),
    }
}

/// Describes a byte for an error message: printable characters quoted, others in hex.
pub(crate) fn describe(b: u8) -> String {
    if b.is_ascii_graphic() {
        format!("'{}'", b as char)
    } else {
        format!("byte 0x{b:02x}")
    }
}

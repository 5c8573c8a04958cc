//! Words for bytes and values in the framer's error messages.

/// Names the kind of JSON value starting with `b` (`crate::json`'s words), or
/// else the byte, for an error message.
pub(super) fn describe_value(b: u8) -> String {
    crate::json::kind_of_first_byte(b).map_or_else(|| describe(b), Into::into)
}

/// Describes a byte for an error message: printable characters quoted, others in hex.
pub(crate) fn describe(b: u8) -> String {
    if b.is_ascii_graphic() {
        format!("'{}'", b as char)
    } else {
        format!("byte 0x{b:02x}")
    }
}

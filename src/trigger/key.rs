//! S3 notifications carry object keys form-URL-encoded: a space is `+`, other
//! characters `%XX`. GetObject needs the decoded key.

use super::error::TriggerError;

/// Decodes a form-URL-encoded key. A `%` not followed by two hex digits, or bytes
/// that are not UTF-8 once decoded, are errors naming the key.
pub fn decode_form_url(raw: &str) -> Result<String, TriggerError> {
    if !raw.contains(['+', '%']) {
        return Ok(raw.to_string());
    }
    let bad = |reason: String| TriggerError::BadKey {
        key: raw.to_string(),
        reason,
    };
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok());
                let value = hex.and_then(|h| u8::from_str_radix(h, 16).ok());
                match value {
                    Some(v) if hex.is_some_and(|h| h.bytes().all(|c| c.is_ascii_hexdigit())) => {
                        out.push(v)
                    }
                    _ => {
                        return Err(bad(format!(
                            "'%' at byte {i} is not followed by two hex digits"
                        )))
                    }
                }
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| bad("decoded bytes are not UTF-8".into()))
}

#[cfg(test)]
mod tests;

//! A yes/no setting of the environment, read the same way for every flag.

/// `true`, `1`, `yes` or `false`, `0`, `no` (any case; unset is `false`); anything
/// else is a problem named after the variable.
pub(crate) fn flag(name: &str, value: Option<String>, problems: &mut Vec<String>) -> bool {
    match value.map(|v| v.to_ascii_lowercase()).as_deref() {
        None | Some("false" | "0" | "no") => false,
        Some("true" | "1" | "yes") => true,
        Some(other) => {
            problems.push(format!("{name} {other:?} must be true or false"));
            false
        }
    }
}

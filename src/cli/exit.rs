//! The exit codes of the CLI.

/// Exit code: every input read, nothing at or above `--fail-on`.
pub const EXIT_OK: u8 = 0;
/// Exit code: an alert at or above `--fail-on` (or a failed rule test).
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: some input (or the rules file) could not be read.
pub const EXIT_UNREADABLE: u8 = 2;

//! Where an overlay wrote something: what an override, suppression, deployer or
//! overlay test case carries so that messages can point at it.

use std::fmt;

/// A file and a line: where an override, suppression, deployer or test was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub file: String,
    pub line: usize,
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

//! How one file's delivery went over all its topics, and the error that sends the
//! invocation back for a retry when anything is left.

use crate::deadline::Deadline;
use crate::failure::CallError;

/// Counts of notices (per topic they go to) not published, and why.
pub(super) struct Outcome {
    /// The file's notices.
    total: usize,
    /// Failed after every round (counted as `PublishFailures`).
    pub failed: usize,
    /// Claimed by another live invocation.
    pub deferred: usize,
    /// Not started: the deadline left no room.
    pub late: usize,
    pub last_error: Option<CallError>,
}

impl Outcome {
    pub fn new(total: usize) -> Outcome {
        Outcome {
            total,
            failed: 0,
            deferred: 0,
            late: 0,
            last_error: None,
        }
    }

    /// `Ok` when everything went out; else a transient error saying what is left
    /// for the retry.
    pub fn result(self, source: &str, deadline: &Deadline) -> Result<(), CallError> {
        let Outcome {
            total,
            failed,
            deferred,
            late,
            last_error,
        } = self;
        if failed + deferred + late == 0 {
            return Ok(());
        }
        let mut why = Vec::new();
        if failed > 0 {
            let error = last_error.map_or_else(|| "publish failed".to_string(), |e| e.message);
            why.push(format!(
                "{failed} of {total} notices for {source} not published: {error}"
            ));
        }
        if late > 0 {
            let what = format!("{late} of {total} notices for {source}");
            why.push(deadline.stopped(&what).message);
        }
        if deferred > 0 {
            why.push(format!(
                "{deferred} of {total} notices for {source} are being published by another invocation: retry later"
            ));
        }
        Err(CallError::transient(why.join("; ")))
    }
}

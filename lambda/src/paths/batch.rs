//! S3 Batch Operations: each task is one log file, scanned and published like a
//! notified one, and answered with a result the job's completion report keeps —
//! `Succeeded`, `TemporaryFailure` (transient: the job retries the task) or
//! `PermanentFailure` with the reason (the file cannot be read). With the state
//! store, a re-scan does not re-send alerts already sent.

use cognito_trail_alerts::notice::Notice;
use cognito_trail_alerts::trigger::{batch_response, BatchJob, ObjectRef, TaskResult};
use serde_json::Value;
use tracing::{info, warn};

use crate::handler::{App, Run};
use crate::ports::Ports;

impl<P: Ports> App<P> {
    /// Runs every task of a Batch Operations invocation; returns the response.
    pub(crate) async fn run_batch(&self, job: BatchJob, run: &mut Run<'_, P::State>) -> Value {
        let mut results = Vec::with_capacity(job.tasks.len());
        for task in &job.tasks {
            let (id, object) = (&task.id, &task.object);
            // A task not started is answered TemporaryFailure: the job retries it.
            if !run.deadline.allows(crate::deadline::FILE) {
                warn!(
                    left = job.tasks.len() - results.len(),
                    "deadline near: no new task started"
                );
                break;
            }
            let result = self.run_task(object, run).await;
            info!(task = %id, key = %object.key, result = ?result, "batch task done");
            results.push((id.clone(), result));
        }
        batch_response(&job, &results)
    }

    async fn run_task(&self, object: &ObjectRef, run: &mut Run<'_, P::State>) -> TaskResult {
        if let Some(reason) = object.skip {
            run.tally.skip(reason.as_str());
            return TaskResult::Succeeded(format!("skipped: {}", reason.as_str()));
        }
        let mut file = match self.process(object, &mut run.tally, &mut run.cache).await {
            Ok(file) => file,
            Err(e) => return TaskResult::TemporaryFailure(e.message),
        };
        // The job's completion report is where a re-scan's failures are read: the
        // unreadable-file notice is not published again; the alerts of the records
        // before a truncation are.
        let unreadable = file.notices.iter().find_map(|n| match n {
            Notice::Unreadable(u) => Some(u.reason.clone()),
            _ => None,
        });
        file.notices.retain(|n| !matches!(n, Notice::Unreadable(_)));
        let alerts = file.notices.len();
        if let Err(e) = self.deliver(file, run).await {
            warn!(key = %object.key, error = %e, "batch task not published");
            return TaskResult::TemporaryFailure(e.to_string());
        }
        match unreadable {
            Some(reason) => TaskResult::PermanentFailure(reason),
            None => TaskResult::Succeeded(format!("scanned: {alerts} notices")),
        }
    }
}

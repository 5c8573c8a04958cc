//! Importing findings into Security Hub: the port and the fake. The adapter is
//! `aws::SecurityHubSink`.

use cognito_trail_alerts::findings::ImportBatch;

use super::BoxFuture;
use crate::failure::CallError;

/// A finding Security Hub refused (`FailedFindings`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailedFinding {
    /// The finding's `Id`.
    pub id: String,
    /// Security Hub's error code and message.
    pub error: String,
}

/// Imports ASFF findings (`BatchImportFindings`). A trait object: held only when
/// `SECURITY_HUB` is on.
pub trait FindingSink: Send + Sync {
    /// Imports one batch (at most 100 findings and 6 MB, one product ARN, from
    /// `findings::import_batches`). `Ok` lists the findings refused; `Err` means
    /// none were imported.
    fn import<'a>(
        &'a self,
        batch: &'a ImportBatch,
    ) -> BoxFuture<'a, Result<Vec<FailedFinding>, CallError>>;
}

/// Security Hub in memory (tests): findings by `Id` (importing an `Id` again
/// replaces it, as Security Hub updates it), the size of each call, and a script
/// per call (default: every finding is taken).
#[cfg(any(test, feature = "testkit"))]
#[derive(Default)]
pub struct FakeSecurityHub {
    /// The findings held, by `Id`, in order of first import.
    pub findings: std::sync::Mutex<Vec<serde_json::Value>>,
    /// The number of findings in each call, in order (failed calls included).
    pub calls: std::sync::Mutex<Vec<usize>>,
    /// Per call: `Ok` with the positions of the findings refused, or the call's error.
    pub script: std::sync::Mutex<std::collections::VecDeque<Result<Vec<usize>, CallError>>>,
}

#[cfg(any(test, feature = "testkit"))]
impl FakeSecurityHub {
    /// The finding held under `id`.
    pub fn finding(&self, id: &str) -> Option<serde_json::Value> {
        let findings = self.findings.lock().unwrap();
        findings.iter().find(|f| f["Id"] == id).cloned()
    }

    fn take(&self, batch: &ImportBatch) -> Result<Vec<FailedFinding>, CallError> {
        assert!(batch.findings.len() <= cognito_trail_alerts::findings::MAX_FINDINGS_PER_BATCH);
        self.calls.lock().unwrap().push(batch.findings.len());
        let refused = self
            .script
            .lock()
            .unwrap()
            .pop_front()
            .unwrap_or(Ok(vec![]))?;
        let mut held = self.findings.lock().unwrap();
        let mut failed = Vec::new();
        for (i, f) in batch.findings.iter().enumerate() {
            if refused.contains(&i) {
                failed.push(FailedFinding {
                    id: f["Id"].as_str().unwrap_or_default().to_string(),
                    error: "InternalException: try again".into(),
                });
                continue;
            }
            match held.iter_mut().find(|h| h["Id"] == f["Id"]) {
                Some(h) => *h = f.clone(),
                None => held.push(f.clone()),
            }
        }
        Ok(failed)
    }
}

#[cfg(any(test, feature = "testkit"))]
impl FindingSink for FakeSecurityHub {
    fn import<'a>(
        &'a self,
        batch: &'a ImportBatch,
    ) -> BoxFuture<'a, Result<Vec<FailedFinding>, CallError>> {
        let taken = self.take(batch);
        Box::pin(async move { taken })
    }
}

//! Security Hub findings (`SECURITY_HUB=true`): once a file's or event's notices
//! are published, each alert among them is imported as an ASFF finding
//! (`cognito_trail_alerts::findings::asff_finding`) through the function's own
//! account's default product, in the function's region, at most 100 findings a
//! call.
//!
//! Why after publishing, and every alert rather than those sent this time: the
//! SNS alert never waits on Security Hub, and a finding's `Id` is fixed per alert,
//! so importing it again (a retried invocation, the same event by EventBridge and
//! in its file) updates it instead of adding one. A finding not imported after
//! [`ROUNDS`] rounds fails the invocation, as an alert not published does: the
//! retry imports it (and publishes nothing twice).
//!
//! Why the function's account: Security Hub takes a finding only from the account
//! in its `AwsAccountId`; the alert's own account stays in the resources' ARNs and
//! in `ProductFields` (`cognito-trail-alerts/AccountId`).

use std::sync::Arc;
use std::time::Duration;

use cognito_trail_alerts::findings::{asff_finding, import_batches, ImportBatch, Importer};
use cognito_trail_alerts::notice::Notice;
use cognito_trail_alerts::Alert;
use serde_json::Value;

use crate::deadline::{self, Deadline};
use crate::failure::{CallError, Retry};
use crate::metrics::FindingTally;
use crate::ports::{FailedFinding, FindingSink};

/// Rounds of calls for the findings not yet imported (as for SNS's entries).
pub const ROUNDS: usize = 3;
/// Bounds one `BatchImportFindings` call, the SDK's retries included.
pub const IMPORT_TIMEOUT: Duration = Duration::from_secs(15);
/// Between two calls of one invocation: Security Hub takes 10 calls a second.
const CALL_GAP: Duration = Duration::from_millis(100);

/// `SECURITY_HUB=true`: the account and region findings are imported in, those
/// of the alert topic (`ALERT_TOPIC_ARN`), which the template creates beside the
/// function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityHubConfig {
    pub account_id: String,
    pub region: String,
}

impl SecurityHubConfig {
    /// The account and region of `topic_arn` (`arn:<partition>:sns:<region>:<account>:<name>`).
    pub fn of_topic(topic_arn: &str) -> Option<SecurityHubConfig> {
        let parts: Vec<&str> = topic_arn.split(':').collect();
        match parts[..] {
            ["arn", _, "sns", region, account, _] if !region.is_empty() && account.len() == 12 => {
                Some(SecurityHubConfig {
                    account_id: account.to_string(),
                    region: region.to_string(),
                })
            }
            _ => None,
        }
    }
}

/// Where findings go: the sink, and the account and region they are imported in.
pub struct SecurityHub {
    sink: Arc<dyn FindingSink>,
    account_id: String,
    region: String,
}

impl SecurityHub {
    /// Findings imported through `sink` in `account_id`'s default product in
    /// `region` (the function's own).
    pub fn new(sink: Arc<dyn FindingSink>, account_id: String, region: String) -> Self {
        SecurityHub {
            sink,
            account_id,
            region,
        }
    }

    /// The product ARN findings are imported under.
    pub fn product_arn(&self) -> String {
        cognito_trail_alerts::findings::product_arn(&self.account_id, &self.region)
    }

    /// `alerts` as findings imported at `updated_at`, in calls of at most 100.
    pub fn batches<'a>(
        &self,
        alerts: impl Iterator<Item = &'a Alert>,
        updated_at: &str,
    ) -> Vec<ImportBatch> {
        let importer = Importer {
            account_id: &self.account_id,
            region: &self.region,
            updated_at,
        };
        import_batches(alerts.map(|a| asff_finding(a, importer)).collect())
    }

    /// Imports a finding for each alert of `notices` (digests and unreadable-file
    /// notices are not findings). Counts what was imported and what was not in
    /// `tally`; fails when a finding is left not imported.
    pub async fn import(
        &self,
        notices: &[Notice],
        updated_at: &str,
        tally: &mut FindingTally,
        deadline: &Deadline,
    ) -> Result<(), CallError> {
        let alerts = notices.iter().filter_map(|n| match n {
            Notice::Alert(a) => Some(a.as_ref()),
            _ => None,
        });
        let mut last_error = None;
        for (i, batch) in self.batches(alerts, updated_at).into_iter().enumerate() {
            if i > 0 {
                tokio::time::sleep(CALL_GAP).await;
            }
            if let Err(e) = self.import_batch(batch, tally, deadline).await {
                last_error = Some(e);
            }
        }
        last_error.map_or(Ok(()), Err)
    }

    /// Imports `alert` alone, in one call without retries (the self test): its
    /// finding's `Id`, with the error when Security Hub did not take it.
    pub async fn import_one(
        &self,
        alert: &Alert,
        updated_at: &str,
    ) -> Result<String, (String, CallError)> {
        let batch = self.batches(std::iter::once(alert), updated_at).remove(0);
        let id = ids(&batch.findings).remove(0);
        match self.call(&batch, &Deadline::none()).await {
            Ok(refused) if refused.is_empty() => Ok(id),
            Ok(refused) => Err((id, refusal(&refused))),
            Err(e) => Err((id, e)),
        }
    }

    /// One batch, in rounds for what Security Hub refused or a failed call.
    async fn import_batch(
        &self,
        mut batch: ImportBatch,
        tally: &mut FindingTally,
        deadline: &Deadline,
    ) -> Result<(), CallError> {
        let mut error = CallError::transient("no round started");
        for round in 0..ROUNDS {
            if round > 0 && !deadline.allows(deadline::PUBLISH_ROUND) {
                error = deadline.stopped(&format!("{} findings", batch.findings.len()));
                break;
            }
            if round > 0 {
                tokio::time::sleep(CALL_GAP * round as u32).await;
            }
            match self.call(&batch, deadline).await {
                Ok(refused) if refused.is_empty() => {
                    tally.imported += batch.findings.len() as u64;
                    return Ok(());
                }
                Ok(refused) => {
                    tally.imported += (batch.findings.len() - refused.len()) as u64;
                    error = refusal(&refused);
                    batch
                        .findings
                        .retain(|f| refused.iter().any(|r| f["Id"] == r.id));
                }
                Err(e) => {
                    let permanent = e.retry == Retry::Permanent;
                    error = e;
                    if permanent {
                        break;
                    }
                }
            }
        }
        tally.failed(&ids(&batch.findings), &error.message);
        Err(error)
    }

    /// One `BatchImportFindings`, within [`IMPORT_TIMEOUT`] and the deadline.
    async fn call(
        &self,
        batch: &ImportBatch,
        deadline: &Deadline,
    ) -> Result<Vec<FailedFinding>, CallError> {
        let limit = deadline.bound(IMPORT_TIMEOUT);
        match tokio::time::timeout(limit, self.sink.import(batch)).await {
            Ok(result) => result,
            Err(_) => Err(CallError::transient(format!(
                "BatchImportFindings {}: no answer in {:.1} s",
                batch.product_arn,
                limit.as_secs_f64()
            ))),
        }
    }
}

/// The error of a round whose findings Security Hub refused (it names the
/// first); refused findings are retried, as SNS's failed entries are.
fn refusal(refused: &[FailedFinding]) -> CallError {
    let first = &refused[0];
    CallError::transient(format!(
        "BatchImportFindings: {} findings refused, first {}: {}",
        refused.len(),
        first.id,
        first.error
    ))
}

fn ids(findings: &[Value]) -> Vec<String> {
    findings
        .iter()
        .map(|f| f["Id"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[cfg(test)]
mod tests;

//! Security Hub through the SDK: `BatchImportFindings` with the function's
//! credentials in its own region. The findings are built as ASFF JSON by
//! `cognito_trail_alerts::findings`; `asff` turns that JSON into the SDK's types.

mod asff;

use aws_sdk_securityhub::Client;
use cognito_trail_alerts::findings::ImportBatch;

use super::call_error;
use crate::failure::CallError;
use crate::ports::{BoxFuture, FailedFinding, FindingSink};

pub use asff::sdk_finding;

/// Imports findings into the Security Hub of the client's account and region.
pub struct SecurityHubSink {
    client: Client,
}

impl SecurityHubSink {
    pub fn new(client: Client) -> Self {
        SecurityHubSink { client }
    }
}

impl FindingSink for SecurityHubSink {
    fn import<'a>(
        &'a self,
        batch: &'a ImportBatch,
    ) -> BoxFuture<'a, Result<Vec<FailedFinding>, CallError>> {
        Box::pin(async move {
            let findings = batch.findings.iter().map(sdk_finding).collect();
            let out = self
                .client
                .batch_import_findings()
                .set_findings(Some(findings))
                .send()
                .await
                .map_err(|e| call_error("BatchImportFindings", &batch.product_arn, e))?;
            Ok(out
                .failed_findings()
                .iter()
                .map(|f| FailedFinding {
                    id: f.id().unwrap_or_default().to_string(),
                    error: format!(
                        "{}: {}",
                        f.error_code().unwrap_or("error"),
                        f.error_message().unwrap_or_default()
                    ),
                })
                .collect())
        })
    }
}

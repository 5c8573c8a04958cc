//! One invocation: trigger → objects → scan → notices → SNS, then metrics.

use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use cognito_trail_alerts::entry::{self, Target, Unit};
use cognito_trail_alerts::notice::{FloodGate, Notice, Unreadable};
use cognito_trail_alerts::{engine, Origin, RuleSet, Severity};
use serde_json::{json, Value};
use tracing::{error, info, warn};

use crate::failure::{CallError, Retry};
use crate::metrics::Tally;
use crate::ports::{AlertSink, MetricSink, ObjectSource};
use crate::publish::{self, SentLog};

/// Settings the handler needs (a subset of the configuration).
#[derive(Debug, Clone)]
pub struct Settings {
    pub min_severity: Severity,
    pub max_alerts_per_file: usize,
}

/// The function, generic over its ports.
pub struct App<S, A, M> {
    pub settings: Settings,
    pub rules: Arc<RuleSet>,
    pub source: S,
    pub alerts: A,
    pub metrics: M,
    sent: Mutex<SentLog>,
}

/// Why an invocation failed (Lambda or SQS will retry it).
#[derive(Debug, thiserror::Error)]
pub enum HandlerError {
    #[error("{0}")]
    Envelope(#[from] entry::EnvelopeError),
    #[error("{0}")]
    Call(#[from] CallError),
}

impl<S: ObjectSource, A: AlertSink, M: MetricSink> App<S, A, M> {
    /// Builds the function from its parts (once, at cold start).
    pub fn new(settings: Settings, rules: Arc<RuleSet>, source: S, alerts: A, metrics: M) -> Self {
        App {
            settings,
            rules,
            source,
            alerts,
            metrics,
            sent: Mutex::new(SentLog::default()),
        }
    }

    /// Handles one invocation payload. SQS batches answer with `batchItemFailures`
    /// naming only the messages that failed; other triggers fail as a whole.
    pub async fn handle(&self, event: Value) -> Result<Value, HandlerError> {
        let units =
            entry::parse_trigger(&event).inspect_err(|e| error!(error = %e, "unusable event"))?;
        let mut tally = Tally::default();
        let mut failed_messages = Vec::new();
        let mut failure = None;
        let is_sqs = units.iter().any(|u| u.message_id.is_some());
        for unit in units {
            let id = unit.message_id.clone();
            if let Err(e) = self.run_unit(unit, &mut tally).await {
                error!(message_id = id.as_deref().unwrap_or(""), error = %e, "unit failed");
                match id {
                    Some(id) => failed_messages.push(json!({ "itemIdentifier": id })),
                    None => failure = Some(e),
                }
            }
        }
        self.metrics
            .put(&tally.datums())
            .await
            .inspect_err(|e| error!(error = %e, "metrics not sent"))?;
        info!(
            files = tally.files,
            records = tally.records,
            skipped = tally.skipped.values().sum::<u64>(),
            file_errors = tally.file_errors,
            "invocation done"
        );
        if let Some(e) = failure {
            return Err(e);
        }
        if is_sqs {
            return Ok(json!({ "batchItemFailures": failed_messages }));
        }
        Ok(
            json!({ "files": tally.files, "records": tally.records, "alerts": tally.by_severity.values().sum::<u64>() }),
        )
    }

    async fn run_unit(&self, unit: Unit, tally: &mut Tally) -> Result<(), HandlerError> {
        for target in unit.targets? {
            self.process(&target, tally).await?;
        }
        Ok(())
    }

    /// One object: skip it, or fetch, scan and publish its notices.
    async fn process(&self, t: &Target, tally: &mut Tally) -> Result<(), CallError> {
        let place = format!("s3://{}/{}", t.bucket, t.key);
        if let Some(reason) = t.skip {
            info!(object = %place, reason = reason.as_str(), "object skipped");
            tally.skip(reason.as_str());
            return Ok(());
        }
        let origin = Origin::S3 {
            bucket: t.bucket.clone(),
            key: t.key.clone(),
        };
        let body = match self.source.open(&t.bucket, &t.key).await {
            Ok(body) => body,
            Err(e) if e.retry == Retry::Permanent => {
                warn!(object = %place, error = %e, "object cannot be read");
                tally.file_errors += 1;
                let notice = unreadable(t, &origin, e.message, 0);
                return publish::send(&self.alerts, &self.sent, &place, vec![notice], tally).await;
            }
            Err(e) => return Err(CallError::transient(format!("{place}: {e}"))),
        };
        let transport = body.transport_flag();
        let (rules, settings, scan_origin) =
            (self.rules.clone(), self.settings.clone(), origin.clone());
        let (gate, result) = tokio::task::spawn_blocking(move || {
            let mut gate = FloodGate::new(settings.max_alerts_per_file, &scan_origin);
            let result = engine::scan(&rules, body.reader, &scan_origin, |a| {
                if a.severity >= settings.min_severity {
                    gate.push(a);
                }
            });
            (gate, result)
        })
        .await
        .map_err(|e| CallError::transient(format!("{place}: scan task failed: {e}")))?;
        let mut notices = gate.finish();
        match result {
            Ok(stats) => {
                tally.files += 1;
                tally.records += stats.records;
                tally.record_errors += stats.record_errors;
                tally.latency(stats.newest_event_time.as_deref(), now_unix());
                info!(object = %place, records = stats.records, matched = stats.matched,
                      duplicates = stats.duplicates, record_errors = stats.record_errors, "file scanned");
            }
            Err(e) if transport.load(Ordering::Relaxed) => {
                return Err(CallError::transient(format!(
                    "{place}: download failed: {}",
                    e.reason
                )));
            }
            Err(e) => {
                warn!(object = %place, reason = %e.reason, "unreadable trail file");
                tally.file_errors += 1;
                tally.records += e.partial.records;
                notices.push(unreadable(t, &origin, e.reason, e.partial.records));
            }
        }
        publish::send(&self.alerts, &self.sent, &place, notices, tally).await
    }
}

fn unreadable(t: &Target, origin: &Origin, reason: String, records: u64) -> Notice {
    Notice::Unreadable(Unreadable {
        source: origin.clone(),
        account_id: t.info.as_ref().map(|i| i.account.clone()),
        region: t.info.as_ref().map(|i| i.region.clone()),
        reason,
        records_before_failure: records,
    })
}

fn now_unix() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

impl From<HandlerError> for lambda_runtime::Diagnostic {
    fn from(e: HandlerError) -> Self {
        let error_type = match &e {
            HandlerError::Envelope(_) => "UnusableEvent",
            HandlerError::Call(_) => "TransientFailure",
        };
        lambda_runtime::Diagnostic {
            error_type: error_type.into(),
            error_message: e.to_string(),
        }
    }
}

#[cfg(test)]
#[path = "handler_tests.rs"]
mod tests;

//! A log file in S3: skipped, or fetched and scanned; a file that cannot be read
//! is a notice of its own, a download that breaks is retried.

use std::sync::atomic::Ordering;

use cognito_trail_alerts::notice::{Notice, Unreadable};
use cognito_trail_alerts::trigger::ObjectRef;
use cognito_trail_alerts::{engine, Origin, RuleSet};
use tracing::{info, warn};

use crate::collect::Collected;
use crate::failure::{CallError, Retry};
use crate::handler::App;
use crate::metrics::Tally;
use crate::ports::{ObjectSource, Ports};
use crate::publish::FileNotices;
use crate::settings_cache::InvocationCache;

impl<P: Ports> App<P> {
    /// One object: skip it, or fetch and scan it; returns its notices.
    pub(crate) async fn process(
        &self,
        t: &ObjectRef,
        tally: &mut Tally,
        cache: &mut InvocationCache,
    ) -> Result<FileNotices, CallError> {
        let place = format!("s3://{}/{}", t.bucket, t.key);
        if let Some(reason) = t.skip {
            info!(object = %place, reason = reason.as_str(), "object skipped");
            tally.skip(reason.as_str());
            return Ok(file_notices(place, None, Vec::new()));
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
                return Ok(file_notices(place, None, vec![notice]));
            }
            Err(e) => return Err(CallError::transient(format!("{place}: {e}"))),
        };
        let transport = body.transport_flag();
        let version = body.version.clone();
        let scan = move |rules: &RuleSet,
                         origin: &Origin,
                         cache: &mut InvocationCache,
                         kept: &mut Collected| {
            engine::scan_found(rules, body.reader, origin, cache, |f| kept.found(f))
        };
        let (mut kept, result) = self.scan_and_collect(&place, &origin, cache, scan).await?;
        // A download that broke is retried whole: its hits are not stepped.
        let broken = result.is_err() && transport.load(Ordering::Relaxed);
        let chains = match broken {
            true => Vec::new(),
            false => self.step_chains(&mut kept, tally).await,
        };
        let Collected {
            gate,
            hidden,
            failing_checks,
            ..
        } = kept;
        let mut notices = gate.finish();
        match result {
            Ok(stats) => {
                tally.files += 1;
                tally.records += stats.records;
                tally.record_errors += stats.record_errors;
                tally.latency(stats.newest_event_time.as_deref(), self.clock.unix());
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
        // After the transient case: a retried download must not count twice.
        hidden.report(&place, tally);
        tally.failing_checks(failing_checks);
        let mut out = file_notices(place, version, notices);
        out.chains = chains;
        Ok(out)
    }
}

fn file_notices(place: String, version: Option<String>, notices: Vec<Notice>) -> FileNotices {
    FileNotices {
        place,
        channel: "s3",
        version,
        notices,
        chains: Vec::new(),
    }
}

fn unreadable(t: &ObjectRef, origin: &Origin, reason: String, records: u64) -> Notice {
    Notice::Unreadable(Unreadable {
        source: origin.clone(),
        account_id: t.info.as_ref().map(|i| i.account.clone()),
        region: t.info.as_ref().map(|i| i.region.clone()),
        reason,
        records_before_failure: records,
    })
}

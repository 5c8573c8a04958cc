//! The fast path: one CloudTrail record delivered by EventBridge ("AWS API Call
//! via CloudTrail"), seconds after the call. The same engine, rules, suppressions
//! and notices as a log file's records: only the origin differs
//! (`source.path: eventbridge`). With the state store, whichever path delivers an
//! event first sends its alert; the other counts a duplicate.

use cognito_trail_alerts::trigger::ApiEvent;
use cognito_trail_alerts::{engine, Origin, RuleSet};
use tracing::{info, warn};

use crate::collect::Collected;
use crate::failure::CallError;
use crate::handler::App;
use crate::metrics::Tally;
use crate::ports::Ports;
use crate::publish::FileNotices;
use crate::settings_cache::InvocationCache;

impl<P: Ports> App<P> {
    /// One EventBridge event: scans its record; returns its notices (none when no
    /// rule matches, which is most of the time).
    pub(crate) async fn process_event(
        &self,
        event: &ApiEvent,
        tally: &mut Tally,
        cache: &mut InvocationCache,
    ) -> Result<FileNotices, CallError> {
        let place = format!("eventbridge:{}", event.id);
        let origin = Origin::EventBridge {
            event_id: event.id.clone(),
        };
        // `detail` was parsed from JSON; writing it back cannot fail.
        let raw = serde_json::to_vec(&event.record).unwrap_or_default();
        let scan = move |rules: &RuleSet,
                         origin: &Origin,
                         cache: &mut InvocationCache,
                         kept: &mut Collected| {
            engine::scan_record_found(rules, &raw, origin, cache, |f| kept.found(f))
        };
        let (mut kept, stats) = self.scan_and_collect(&place, &origin, cache, scan).await?;
        let chains = self.step_chains(&mut kept, tally).await;
        let Collected {
            gate,
            hidden,
            failing_checks,
            ..
        } = kept;
        tally.records += stats.records;
        tally.record_errors += stats.record_errors;
        if let Some(issue) = stats.issues.first() {
            warn!(event = %place, source = %event.source, reason = %issue.reason, "unusable record in an EventBridge event");
        }
        info!(event = %place, source = %event.source, matched = stats.matched, "event scanned");
        hidden.report(&place, tally);
        tally.failing_checks(failing_checks);
        Ok(FileNotices {
            place,
            channel: origin.path(),
            version: None,
            notices: gate.finish(),
            chains,
        })
    }
}

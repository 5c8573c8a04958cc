//! The fast path: one CloudTrail record delivered by EventBridge ("AWS API Call
//! via CloudTrail"), seconds after the call. The same engine, rules, suppressions
//! and notices as a log file's records: only the origin differs
//! (`source.path: eventbridge`). With the state store, whichever path delivers an
//! event first sends its alert; the other counts a duplicate.

use cognito_trail_alerts::trigger::ApiEvent;
use cognito_trail_alerts::{engine, Origin};
use tracing::{info, warn};

use crate::collect::Collected;
use crate::failure::CallError;
use crate::handler::App;
use crate::memory::{scan_blocking, InvocationMemory};
use crate::metrics::Tally;
use crate::ports::{AlertSink, MetricSink, ObjectSource, SettingsStore, StateStore};
use crate::publish::FileNotices;

impl<S: ObjectSource, A: AlertSink, M: MetricSink, T: StateStore + SettingsStore> App<S, A, M, T> {
    /// One EventBridge event: scans its record; returns its notices (none when no
    /// rule matches, which is most of the time).
    pub(crate) async fn process_event(
        &self,
        event: &ApiEvent,
        tally: &mut Tally,
        memory: &mut InvocationMemory,
    ) -> Result<FileNotices, CallError> {
        let place = format!("eventbridge:{}", event.id);
        let origin = Origin::EventBridge {
            event_id: event.id.clone(),
        };
        // `detail` was parsed from JSON; writing it back cannot fail.
        let raw = serde_json::to_vec(&event.record).unwrap_or_default();
        let (rules, settings, scan_origin) =
            (self.rules.clone(), self.settings.clone(), origin.clone());
        let scan = move |mem: &mut InvocationMemory| {
            let mut kept = Collected::new(&settings, &scan_origin);
            let stats = engine::scan_record(&rules, &raw, &scan_origin, mem, |a| kept.push(a));
            (kept, stats)
        };
        let (Collected { gate, hidden, .. }, stats) =
            scan_blocking(self.state.as_ref(), memory, scan)
                .await
                .map_err(|e| CallError::transient(format!("{place}: scan task failed: {e}")))?;
        tally.records += stats.records;
        tally.record_errors += stats.record_errors;
        if let Some(issue) = stats.issues.first() {
            warn!(event = %place, source = %event.source, reason = %issue.reason, "unusable record in an EventBridge event");
        }
        info!(event = %place, source = %event.source, matched = stats.matched, "event scanned");
        hidden.report(&place, tally);
        Ok(FileNotices {
            place,
            path: origin.path(),
            version: None,
            notices: gate.finish(),
        })
    }
}

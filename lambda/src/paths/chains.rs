//! The paths' side of chains: a scan's hits stepped against the state table
//! (or this container's memory) before delivery, the groups written after it
//! (`crate::chains` says why in that order).

use cognito_trail_alerts::notice::Notice;

use crate::chains::{step_hits, write, Group};
use crate::collect::Collected;
use crate::handler::App;
use crate::metrics::Tally;
use crate::ports::Ports;

impl<P: Ports> App<P> {
    /// Steps a scan's hits (the state table's chains, or this container's) and
    /// adds the chains' alerts to what the scan keeps; returns the groups to
    /// write once delivered.
    pub(crate) async fn step_chains(&self, kept: &mut Collected, tally: &mut Tally) -> Vec<Group> {
        let hits = std::mem::take(&mut kept.hits);
        if hits.is_empty() {
            return Vec::new();
        }
        tally.chains.hits += hits.len() as u64;
        let stepped = match &self.state {
            Some(store) => step_hits(store, &self.rules, hits).await,
            None => step_hits(&self.chains_memory, &self.rules, hits).await,
        };
        tally.chains.unevaluated += stepped.unevaluated;
        for alert in stepped.alerts {
            tally.chains.fired += 1;
            kept.push(alert);
        }
        stepped.groups
    }

    /// Writes the groups of a delivered file; returns the notices of chains
    /// that fired on another invocation's newer state.
    pub(crate) async fn write_chains(&self, groups: Vec<Group>, tally: &mut Tally) -> Vec<Notice> {
        if groups.is_empty() {
            return Vec::new();
        }
        let now = self.clock.unix_secs();
        let done = match &self.state {
            Some(store) => write(store, &self.rules, groups, now).await,
            None => write(&self.chains_memory, &self.rules, groups, now).await,
        };
        tally.chains.unevaluated += done.unevaluated;
        tally.chains.conflicts += done.conflicts;
        tally.chains.fired += done.late_alerts.len() as u64;
        let min = self.filter.min_severity;
        let visible = done
            .late_alerts
            .into_iter()
            .filter(|a| a.suppressed_by.is_none() && a.severity >= min);
        visible.map(|a| Notice::Alert(Box::new(a))).collect()
    }
}

//! The judging half of the per-file loop: parse, deduplicate, evaluate against
//! the settings cache, alert. Only the few records the framing half could not
//! rule out get here, in file order.

use std::collections::HashSet;
use std::sync::Arc;

use super::frame::{Framed, Sink};
use super::stats::{FileError, FileStats};
use crate::alert::{Alert, Origin, Source};
use crate::chains::Fired;
use crate::rules::chain::ChainHit;
use crate::rules::RuleSet;
use crate::settings::SettingsCache;
use crate::trail::{self, Record, MAX_RECORD_BYTES};

/// What judging one record found: its alert, and its hits of chain steps.
#[derive(Debug)]
pub enum Found {
    /// Boxed: an alert is far bigger than a hit.
    Alert(Box<Alert>),
    Hit(StepHit),
}

/// A hit of a chain step, with the record the chain's alert is built on if
/// this hit completes it (shared by the record's hits).
#[derive(Debug, Clone)]
pub struct StepHit {
    pub hit: ChainHit,
    pub record: Arc<HitRecord>,
}

impl StepHit {
    /// The alert of the chain `fired` that this hit completed: the chain's alert
    /// on this hit's record, hidden (or marked expired) by the suppression this
    /// record falls under. The CLI and the Lambda both build it here.
    pub fn chain_alert(&self, rules: &RuleSet, fired: &Fired) -> Alert {
        let base = self.record.alert(rules);
        let mut alert = Alert::for_chain(&rules.chains()[self.hit.chain], fired, &base);
        if let Some(s) = &self.hit.suppression {
            match s.expired {
                false => alert.suppressed_by = Some(s.id.clone()),
                true => alert.expired_suppression = Some(s.id.clone()),
            }
        }
        alert
    }
}

/// The record of a step hit, kept as its bytes: most hits never complete a
/// chain, and copying the bytes costs a fraction of building an alert (a failed
/// sign-in on a busy pool is a hit of the sign-in chain).
#[derive(Debug)]
pub struct HitRecord {
    raw: Box<[u8]>,
    source: Source,
}

impl HitRecord {
    /// What the record says about itself ([`Alert::of_record`]), accounts named
    /// from the rules' overlays: the base of the chain's alert.
    pub fn alert(&self, rules: &RuleSet) -> Alert {
        // The bytes parsed when judged; an empty record stands in, never reached.
        let record = Record::parse(&self.raw).unwrap_or_default();
        let mut alert = Alert::of_record(&record, self.source.clone());
        alert.name_account(rules);
        alert
    }
}

/// Where a record is.
#[derive(Clone, Copy)]
pub(super) struct Position<'o> {
    pub origin: &'o Origin,
    pub index: u64,
}

/// Decides one record's fate and updates the counters.
pub(super) fn judge(
    rules: &RuleSet,
    raw: &[u8],
    Position { origin, index }: Position,
    stats: &mut FileStats,
    seen: &mut HashSet<Box<str>>,
    cache: &mut dyn SettingsCache,
    on_found: &mut impl FnMut(Found),
) {
    if raw.first() != Some(&b'{') {
        let reason = format!("not an object (found {})", trail::json_kind(raw));
        return stats.record_error(index, reason);
    }
    // The hot path: most records belong to other services and stop here, unparsed.
    if !rules.may_match(raw) {
        stats.unmatched += 1;
        return;
    }
    let record = match Record::parse(raw) {
        Ok(r) => r,
        Err(e) => return stats.record_error(index, e.to_string()),
    };
    if let Some(id) = record.event_id.as_deref() {
        if !seen.insert(id.into()) {
            stats.duplicates += 1;
            return;
        }
    }
    let source = || Source {
        origin: origin.clone(),
        record_index: index,
    };
    let verdict = rules.evaluate_with(&record, cache);
    let hits = rules.chain_hits(&record, verdict.as_ref());
    if !hits.is_empty() {
        stats.chain_hits += hits.len() as u64;
        let kept = Arc::new(HitRecord {
            raw: raw.into(),
            source: source(),
        });
        for hit in hits {
            let record = Arc::clone(&kept);
            on_found(Found::Hit(StepHit { hit, record }));
        }
    }
    match verdict {
        Some(verdict) => {
            stats.matched += 1;
            let mut alert = Alert::new(&verdict, &record, source());
            alert.name_account(rules);
            verdict.changes.commit(cache);
            on_found(Found::Alert(Box::new(alert)));
        }
        None => stats.unmatched += 1,
    }
}

/// The judging half for one file: the same decisions as a one-thread scan, made
/// in record order against the run's settings cache.
pub(crate) struct Judge<'a> {
    rules: &'a RuleSet,
    origin: Origin,
    stats: FileStats,
    seen: HashSet<Box<str>>,
    cache: &'a mut dyn SettingsCache,
    on_found: &'a mut dyn FnMut(Found),
}

impl<'a> Judge<'a> {
    /// Judges the records of the file at `origin`, alerts to `on_alert`.
    pub fn new(
        rules: &'a RuleSet,
        origin: Origin,
        cache: &'a mut dyn SettingsCache,
        on_found: &'a mut dyn FnMut(Found),
    ) -> Self {
        Judge {
            rules,
            origin,
            stats: FileStats::default(),
            seen: HashSet::new(),
            cache,
            on_found,
        }
    }

    /// The file's result: the framing half's counts merged with the judged ones.
    pub fn finish(self, framed: Framed) -> Result<FileStats, FileError> {
        let mut stats = self.stats;
        let f = framed.stats;
        stats.records = f.records;
        stats.unmatched += f.unmatched;
        stats.json_bytes = f.json_bytes;
        stats.newest_event_time = f.newest_event_time;
        match framed.error {
            None => Ok(stats),
            Some(reason) => Err(FileError {
                origin: self.origin,
                reason,
                partial: Box::new(stats),
            }),
        }
    }
}

impl Sink for Judge<'_> {
    fn record(&mut self, index: u64, raw: &[u8]) -> bool {
        let at = Position {
            origin: &self.origin,
            index,
        };
        let (stats, seen) = (&mut self.stats, &mut self.seen);
        judge(
            self.rules,
            raw,
            at,
            stats,
            seen,
            &mut *self.cache,
            &mut self.on_found,
        );
        true
    }

    fn oversized(&mut self, index: u64, size: u64) -> bool {
        let reason = format!("record of {size} bytes exceeds {MAX_RECORD_BYTES} bytes");
        self.stats.record_error(index, reason);
        true
    }
}

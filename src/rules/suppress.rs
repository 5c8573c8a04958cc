//! Suppressions: an overlay's way to hide the alerts of a known, accepted source,
//! with a reason, an owner and an expiry. A hidden alert is never lost: the
//! verdict says which suppression hid it (callers count, log and can show it), and
//! after its expiry a suppression stops hiding and the alert says so.

use super::cond::Cond;
use super::pattern::Patterns;
use super::tuning::Place;
use super::{Ctx, Date, RuleSet, Verdict};
use crate::trail::Record;

/// Days ahead in which an expiry is worth a warning.
pub const EXPIRY_WARNING_DAYS: i32 = 14;
/// The furthest an expiry may be: a suppression is revisited at least yearly.
pub const MAX_EXPIRY_DAYS: i32 = 366;

/// One suppression, as loaded from an overlay.
#[derive(Debug)]
pub struct Suppression {
    pub id: String,
    pub(super) cond: Cond,
    /// Rule ids (globs) it may hide; `None` = any rule.
    pub(super) rules: Option<Patterns>,
    pub reason: String,
    pub owner: String,
    /// The first day it no longer suppresses.
    pub expires: Date,
    pub place: Place,
}

/// A suppression that matched an alert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuppressionHit {
    pub id: String,
    /// The suppression had expired: the alert is sent, with a sentence saying so.
    pub expired: bool,
}

impl Suppression {
    /// Whether it covers an alert of rule `rule_id` on this record (expired or not).
    pub fn matches(&self, rule_id: &str, ctx: &Ctx) -> bool {
        self.in_scope(rule_id) && self.cond.holds(ctx)
    }

    /// Whether its `rules` scope includes `rule_id`.
    pub fn in_scope(&self, rule_id: &str) -> bool {
        self.rules.as_ref().is_none_or(|p| p.matches(rule_id))
    }

    /// Whether it still suppresses on `today`: it stops on its expiry date.
    pub fn active_on(&self, today: Date) -> bool {
        today < self.expires
    }

    /// The risk sentence of an alert an expired suppression would have hidden.
    pub fn expired_sentence(&self) -> String {
        format!(
            "Suppression {} (owner {}) expired on {}: it no longer hides this alert; renew or remove it ({}; reason: {}).",
            self.id, self.owner, self.expires, self.place, self.reason
        )
    }
}

impl RuleSet {
    /// The suppressions of the applied overlays, in load order.
    pub fn suppressions(&self) -> &[Suppression] {
        &self.tuning.suppressions
    }

    /// The day suppressions are judged on (set when overlays are applied).
    pub fn today(&self) -> Date {
        self.tuning.today()
    }

    /// Moves the day suppressions are judged on (a long-lived process calls this
    /// with the current UTC date before each batch of work).
    pub fn set_today(&self, today: Date) {
        self.tuning.set_today(today);
    }

    /// Suppressions that have expired, or expire within [`EXPIRY_WARNING_DAYS`],
    /// with the days left (zero or negative when expired).
    pub fn expiring(&self) -> Vec<(&Suppression, i32)> {
        let today = self.today();
        self.suppressions()
            .iter()
            .map(|s| (s, today.days_until(s.expires)))
            .filter(|(_, left)| *left <= EXPIRY_WARNING_DAYS)
            .collect()
    }

    /// The first active suppression covering the verdict hides it; failing that,
    /// the first expired one is named in a risk sentence.
    pub(super) fn suppress<'s>(&'s self, mut verdict: Verdict<'s>, record: &Record) -> Verdict<'s> {
        let suppressions = self.suppressions();
        if suppressions.is_empty() {
            return verdict;
        }
        // The same context the rule saw, tracked-setting changes included.
        let ctx = Ctx::with_changes(record, &verdict.changes);
        let today = self.today();
        let mut expired = None;
        for s in suppressions
            .iter()
            .filter(|s| s.matches(&verdict.rule.id, &ctx))
        {
            if s.active_on(today) {
                verdict.suppression = Some(SuppressionHit {
                    id: s.id.clone(),
                    expired: false,
                });
                return verdict;
            }
            expired = expired.or(Some(s));
        }
        if let Some(s) = expired {
            verdict.finding.risks.push(s.expired_sentence());
            verdict.suppression = Some(SuppressionHit {
                id: s.id.clone(),
                expired: true,
            });
        }
        verdict
    }
}

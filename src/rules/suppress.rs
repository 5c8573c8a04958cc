//! Suppressions: an overlay's way to hide the alerts of a known, accepted source,
//! with a reason, an owner and an expiry. A hidden alert is never lost: the
//! verdict says which suppression hid it (callers count, log and can show it), and
//! after its expiry a suppression stops hiding and the alert says so.

use super::cond::{Cond, Ctx};
use super::date::Date;
use super::pattern::Patterns;
use super::place::Place;

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

//! Which steps of which chain rules a judged record hits ([`RuleSet::chain_hits`]).

use super::{ChainRule, Field};
use crate::chains::{parse_event_time, GroupKey, Hit};
use crate::rules::cond::Ctx;
use crate::rules::{RuleSet, SuppressionHit, Verdict};
use crate::settings::Changes;
use crate::trail::Record;

/// One record's hit of one chain rule (`chain`: its index in
/// [`RuleSet::chains`]).
#[derive(Debug, Clone)]
pub struct ChainHit {
    pub chain: usize,
    pub hit: Hit,
    /// The overlay suppression that hides the chain's alert when this hit
    /// completes it (judged on this record, like a rule's).
    pub suppression: Option<SuppressionHit>,
}

impl RuleSet {
    /// The hits `record` makes, given what the rules made of it (`verdict`: the
    /// rules that fired count even when a suppression hides their alert). A
    /// record without `eventID` or a readable `eventTime`, or without a value for
    /// one of a chain's `by` fields, is no hit of that chain.
    pub fn chain_hits(&self, record: &Record, verdict: Option<&Verdict>) -> Vec<ChainHit> {
        if self.chains.is_empty() {
            return Vec::new();
        }
        let (Some(id), Some(time)) = (record.event_id.as_deref(), record.event_time.as_deref())
        else {
            return Vec::new();
        };
        let Ok(time) = parse_event_time(time) else {
            return Vec::new();
        };
        let fired: Vec<&str> = verdict
            .map(|v| std::iter::once(v.rule.id.as_str()).chain(v.also_matched.iter().copied()))
            .into_iter()
            .flatten()
            .collect();
        let empty = Changes::default();
        let changes = verdict.map_or(&empty, |v| &v.changes);
        let ctx = Ctx::with_changes(record, changes);
        let mut out = Vec::new();
        for (chain, rule) in self.chains.iter().enumerate() {
            let steps = rule.steps_hit(&ctx, &fired);
            if steps.is_empty() {
                continue;
            }
            let Some(group) = values(&rule.by, record) else {
                continue;
            };
            let distinct = (!rule.distinct.is_empty()).then(|| joined(&rule.distinct, record));
            // `all`: every step is the threshold's one step, counted by its name.
            let steps = match rule.step_names.is_empty() {
                true => steps.into_iter().map(|s| (s, distinct.clone())).collect(),
                false => steps
                    .into_iter()
                    .map(|s| (0, rule.step_names.get(usize::from(s)).cloned()))
                    .collect::<Vec<_>>(),
            };
            let note = detail(record, verdict);
            let suppression = self.suppression_of(&rule.id, &ctx);
            for (step, distinct) in steps {
                out.push(ChainHit {
                    chain,
                    hit: Hit {
                        step,
                        group: GroupKey(group.clone()),
                        distinct,
                        time,
                        event_id: id.to_owned(),
                        detail: Some(note.clone()),
                    },
                    suppression: suppression.clone(),
                });
            }
        }
        out
    }
}

impl ChainRule {
    /// The indexes of the steps `ctx`'s record is a hit of.
    fn steps_hit(&self, ctx: &Ctx, fired: &[&str]) -> Vec<u16> {
        let mut out = Vec::new();
        for (i, step) in self.steps.iter().enumerate() {
            let by_rule = step
                .rule
                .as_ref()
                .is_none_or(|p| fired.iter().any(|id| p.matches(id)));
            let by_cond = step
                .cond
                .as_ref()
                .is_none_or(|any| any.iter().any(|c| c.holds(ctx)));
            if by_rule && by_cond {
                out.push(i as u16);
            }
        }
        out
    }
}

fn values(fields: &[Field], record: &Record) -> Option<Vec<String>> {
    fields.iter().map(|f| f.value(record)).collect()
}

/// Several fields' values as one (`distinct: [operation, pool]`); a missing
/// value counts as empty.
fn joined(fields: &[Field], record: &Record) -> String {
    let values: Vec<String> = fields
        .iter()
        .map(|f| f.value(record).unwrap_or_default())
        .collect();
    values.join(" ")
}

/// What a record did, in a line a chain's alert lists: the operation, who, on
/// what, how it ended, and the alert it made.
pub fn detail(record: &Record, verdict: Option<&Verdict>) -> String {
    let name = record.event_name.as_deref().unwrap_or("(no eventName)");
    let mut line = name.to_owned();
    if let Some(actor) = Field::Actor.value(record) {
        line.push_str(&format!(" by {actor}"));
    }
    if let Some(user) = Field::User.value(record) {
        line.push_str(&format!(" on user {user}"));
    } else if let Some(pool) = Field::Pool.value(record) {
        line.push_str(&format!(" on {pool}"));
    }
    if let Some(code) = record.error_code() {
        line.push_str(&format!(", refused ({code})"));
    }
    if let Some(v) = verdict {
        line.push_str(&format!("; its own alert: {}", v.rule.id));
    }
    line
}

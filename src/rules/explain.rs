//! `rules explain`: for one record, what each candidate rule made of it and why
//! (the first test that failed, the `unless` that held, the override, deployer,
//! escalations and risks that applied), which suppression hid the alert, and the
//! result. It evaluates exactly as the engine does, so the result line is the
//! engine's verdict.

use std::fmt;

use super::catalogue::Catalogue;
use super::cond::Ctx;
use super::rule::Rule;
use super::set::RuleSet;
use crate::settings::{self, Changes, LocalCache};
use crate::trail::Record;

/// What one rule made of the record.
#[derive(Debug, Clone)]
pub struct RuleTrace {
    pub rule_id: String,
    pub fired: bool,
    /// Why it fired or not, in evaluation order.
    pub notes: Vec<String>,
}

/// The whole story of one record.
#[derive(Debug, Clone)]
pub struct Explanation {
    /// What the operation is, per the operation catalogue (Cognito sources only).
    pub operation: Option<String>,
    /// The rules indexed under the record's eventSource and eventName.
    pub rules: Vec<RuleTrace>,
    /// Rules not tried: they name other event sources or names.
    pub others: usize,
    /// Each suppression's answer for the winning alert.
    pub suppressions: Vec<String>,
    pub result: String,
}

impl RuleSet {
    /// Explains how the set judges `record`.
    pub fn explain(&self, record: &Record) -> Explanation {
        let candidates = self
            .index
            .candidates(record.event_source.as_deref(), record.event_name.as_deref());
        let verdict = self.evaluate(record);
        let operation = match Catalogue::bundled() {
            Ok(catalogue) => catalogue.describe(record),
            Err(e) => Some(format!("catalogue unreadable: {e}")),
        };
        let specific_fired = verdict.as_ref().is_some_and(|v| !v.rule.fallback);
        let not_tried = |why: &str| format!("fallback rule, not tried: {why}");
        let rules = candidates
            .iter()
            .map(|&i| &self.rules[i])
            .map(|rule| {
                let why = match rule.fallback {
                    false => None,
                    true if specific_fired => Some(not_tried("another rule fired")),
                    true if !self.fallback_applies(record) => Some(not_tried(
                        "a rule of this set names the operation (enabled or not, whatever its unless)",
                    )),
                    true => None,
                };
                match why {
                    Some(note) => RuleTrace {
                        rule_id: rule.id.clone(),
                        fired: false,
                        notes: vec![note],
                    },
                    None => trace(rule, record),
                }
            })
            .collect();
        let Some(v) = verdict else {
            return Explanation {
                operation,
                rules,
                others: self.rules.len() - candidates.len(),
                suppressions: Vec::new(),
                result: "no alert".into(),
            };
        };
        let ctx = Ctx::with_changes(record, &v.changes);
        let suppressions = self
            .suppressions()
            .iter()
            .map(|s| {
                let head = format!("suppression {} ({})", s.id, s.place);
                if !s.in_scope(&v.rule.id) {
                    return format!("{head}: its `rules` do not include {}", v.rule.id);
                }
                if let Some(why) = s.cond.first_failure(&ctx) {
                    return format!("{head}: does not match: {why}");
                }
                match s.active_on(self.today()) {
                    true => format!("{head}: matches (owner {}, expires {})", s.owner, s.expires),
                    false => format!("{head}: matches, but expired on {}", s.expires),
                }
            })
            .collect();
        let also = match v.also_matched.is_empty() {
            true => String::new(),
            false => format!(" (also matched: {})", v.also_matched.join(", ")),
        };
        let head = format!("alert {} from {}{also}", v.finding.severity, v.rule.id);
        let result = match &v.suppression {
            Some(h) if !h.expired => format!("{head}, suppressed by {}", h.id),
            Some(h) => format!("{head}, sent: suppression {} has expired", h.id),
            None => format!("{head}, sent"),
        };
        Explanation {
            operation,
            rules,
            others: self.rules.len() - candidates.len(),
            suppressions,
            result,
        }
    }
}

/// One rule on the record, with the same tracked-setting context the engine
/// builds when it has no memory of earlier values.
fn trace(rule: &Rule, record: &Record) -> RuleTrace {
    let changes = match &rule.track {
        Some(track) => settings::diff(record, track, &mut LocalCache::new()),
        None => Changes::default(),
    };
    let ctx = Ctx::with_changes(record, &changes);
    let mut notes = Vec::new();
    let not_fired = |notes: Vec<String>| RuleTrace {
        rule_id: rule.id.clone(),
        fired: false,
        notes,
    };
    if let Some(why) = rule.cond.first_failure(&ctx) {
        return not_fired(vec![format!("match fails: {why}")]);
    }
    if let Some(i) = rule.unless.iter().position(|u| u.holds(&ctx)) {
        return not_fired(vec![format!("unless[{i}] holds: the rule stays quiet")]);
    }
    if let Some((_, place)) = rule.tuning.unless.iter().find(|(u, _)| u.holds(&ctx)) {
        return not_fired(vec![format!(
            "unless added by the override at {place} holds"
        )]);
    }
    let Some(finding) = rule.evaluate_tuned(&ctx) else {
        return not_fired(vec!["a test on tracked settings does not hold".into()]);
    };
    notes.push(format!("match holds; base severity {}", rule.severity));
    if let Some((s, place)) = &rule.tuning.severity {
        notes.push(format!("override at {place}: base severity {s}"));
    }
    if let Some(d) = rule.deployer(&ctx) {
        notes.push(format!(
            "deployer {} ({}) holds: {:?}",
            d.name, d.place, d.effect
        ));
    }
    for e in rule.escalate.iter().filter(|e| e.when.holds(&ctx)) {
        let say = e.say.as_deref().unwrap_or("(no sentence)");
        notes.push(format!("escalation to {} holds: {say}", e.severity));
    }
    for r in rule.risks.iter().filter(|r| r.when.holds(&ctx)) {
        notes.push(format!("risk holds: {}", r.say));
    }
    notes.push(format!("fires at {}", finding.severity));
    RuleTrace {
        rule_id: rule.id.clone(),
        fired: true,
        notes,
    }
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(operation) = &self.operation {
            writeln!(f, "  {operation}")?;
        }
        for t in &self.rules {
            let mark = if t.fired { "fired" } else { "quiet" };
            writeln!(f, "  rule {} ({mark})", t.rule_id)?;
            for n in &t.notes {
                writeln!(f, "    - {n}")?;
            }
        }
        if self.rules.is_empty() {
            writeln!(f, "  no rule names this event source and name")?;
        }
        writeln!(
            f,
            "  {} other rules not tried (other event sources or names)",
            self.others
        )?;
        for s in &self.suppressions {
            writeln!(f, "  {s}")?;
        }
        writeln!(f, "  result: {}", self.result)
    }
}

//! An overlay's `overrides:` of rules and chains (a rule: severity, extra
//! `unless`, disabled; a chain: severity, disabled, a threshold's `gte`); checks'
//! are in `checks.rs`.

use super::{invalid, Nth, Overlay, OverrideSpec};
use crate::rules::compile::RulesError;
use crate::rules::RuleSet;

impl RuleSet {
    pub(super) fn override_rule(
        &mut self,
        o: &Overlay,
        spec: OverrideSpec,
        nth: &mut Nth,
    ) -> Result<(), RulesError> {
        if let Some(id) = spec.check.clone() {
            return self.override_check(o, id, spec, nth);
        }
        let at = o.at("rule:", &spec.rule, nth.next("rule:", &spec.rule));
        if spec.pass.is_some() || spec.fail.is_some() {
            let message = format!(
                "override of {:?}: `pass` and `fail` belong to checks",
                spec.rule
            );
            return Err(invalid(&o.name, at, message));
        }
        let fail = |m: String| invalid(&o.name, at, format!("override of {:?}: {m}", spec.rule));
        let Some(pos) = self.rules.iter().position(|r| r.id == spec.rule) else {
            // A chain (below), or nothing.
            if self.chains.iter().any(|c| c.id == spec.rule) {
                let place = o.place(at);
                let tuned =
                    self.override_chain(&spec.rule, spec.severity, spec.enabled, spec.gte, place);
                return match (spec.unless.is_empty(), tuned) {
                    (false, _) => Err(fail("a chain takes no `unless` (suppress it)".into())),
                    (true, Err(m)) => Err(fail(m)),
                    (true, Ok(())) => Ok(()),
                };
            }
            return Err(fail("names no rule of the set it is applied to".into()));
        };
        if spec.gte.is_some() {
            return Err(fail("`gte` belongs to threshold chains".into()));
        }
        if spec.severity.is_none() && spec.enabled.is_none() && spec.unless.is_empty() {
            return Err(fail(
                "changes nothing (give severity, enabled or unless)".into(),
            ));
        }
        let place = o.place(at);
        if spec.enabled == Some(false) {
            let rule = self.rules.remove(pos);
            self.tuning.disabled.push((rule.id, place));
            return Ok(());
        }
        let tuning = &mut self.rules[pos].tuning;
        if let Some(s) = spec.severity {
            tuning.severity = Some((s, place.clone()));
        }
        tuning
            .unless
            .extend(spec.unless.into_iter().map(|c| (c, place.clone())));
        Ok(())
    }
}

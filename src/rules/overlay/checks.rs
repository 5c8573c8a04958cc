//! An overlay's changes to posture checks: `overrides:` entries naming a `check:`
//! turn it off (`enabled: false`), change its severity, or replace its `pass` or
//! `fail` (another threshold: a minimum length of 12 rather than 14).

use super::{invalid, Nth, Overlay, OverrideSpec};
use crate::rules::compile::RulesError;
use crate::rules::set::RuleSet;

impl RuleSet {
    pub(super) fn override_check(
        &mut self,
        o: &Overlay,
        id: String,
        spec: OverrideSpec,
        nth: &mut Nth,
    ) -> Result<(), RulesError> {
        let at = o.at("check:", &id, nth.next("check:", &id));
        let fail = |m: &str| invalid(&o.name, at, format!("override of check {id:?}: {m}"));
        if !spec.rule.is_empty() {
            return Err(fail("give `rule` or `check`, not both"));
        }
        if !spec.unless.is_empty() {
            return Err(fail(
                "`unless` belongs to rules; a check is changed by `pass` or `fail`",
            ));
        }
        let Some(pos) = self.checks.iter().position(|c| c.id == id) else {
            return Err(fail("names no check of the set it is applied to"));
        };
        let changes = [
            spec.severity.is_some(),
            spec.enabled.is_some(),
            spec.pass.is_some(),
            spec.fail.is_some(),
        ];
        if !changes.contains(&true) {
            return Err(fail(
                "changes nothing (give severity, enabled, pass or fail)",
            ));
        }
        if spec.enabled == Some(false) {
            let check = self.checks.remove(pos);
            self.tuning.disabled_checks.push((check.id, o.place(at)));
            return Ok(());
        }
        let mut check = self.checks[pos].clone();
        if let Some(severity) = spec.severity {
            check.severity = severity;
        }
        if spec.pass.is_some() || spec.fail.is_some() {
            check.pass = spec.pass;
            check.fail = spec.fail;
            check.validate().map_err(|m| fail(&m))?;
        }
        check.file = o.name.clone();
        check.line = at.0;
        self.check_reads_tracked(&check)?;
        self.checks[pos] = check;
        Ok(())
    }
}

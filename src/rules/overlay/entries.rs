//! An overlay's suppressions and deployers, checked and added to the set.

use std::sync::Arc;

use super::{invalid, DeployerSpec, Nth, Overlay, SuppressionSpec};
use crate::rules::compile::RulesError;
use crate::rules::date::Date;
use crate::rules::pattern::Patterns;
use crate::rules::set::RuleSet;
use crate::rules::suppress::Suppression;
use crate::rules::suppress::MAX_EXPIRY_DAYS;
use crate::rules::tuning::Deployer;

impl RuleSet {
    pub(super) fn add_suppression(
        &mut self,
        o: &Overlay,
        spec: SuppressionSpec,
        today: Date,
        nth: &mut Nth,
    ) -> Result<(), RulesError> {
        let at = o.at("id:", &spec.id, nth.next("id:", &spec.id));
        let fail = |m: String| invalid(&o.name, at, format!("suppression {:?}: {m}", spec.id));
        if !valid_name(&spec.id) {
            // The id is a CloudWatch dimension value and a log field.
            return Err(fail(
                "id must be 1-64 characters of A-Z a-z 0-9 . _ -".into(),
            ));
        }
        if let Some(other) = self.tuning.suppressions.iter().find(|s| s.id == spec.id) {
            return Err(fail(format!("duplicate id (first at {})", other.place)));
        }
        for (field, value) in [("reason", &spec.reason), ("owner", &spec.owner)] {
            if value.trim().is_empty() {
                return Err(fail(format!("`{field}` must not be empty")));
            }
        }
        if today.days_until(spec.expires) > MAX_EXPIRY_DAYS {
            return Err(fail(format!(
                "expires {} is more than a year away (at most {MAX_EXPIRY_DAYS} days after {today})",
                spec.expires
            )));
        }
        self.check_scope(spec.rules.as_ref()).map_err(fail)?;
        self.tuning.suppressions.push(Suppression {
            id: spec.id,
            cond: spec.matches,
            rules: spec.rules,
            reason: spec.reason,
            owner: spec.owner,
            expires: spec.expires,
            place: o.place(at),
        });
        Ok(())
    }

    pub(super) fn add_deployer(
        &mut self,
        o: &Overlay,
        spec: DeployerSpec,
        nth: &mut Nth,
    ) -> Result<(), RulesError> {
        let at = o.at("name:", &spec.name, nth.next("name:", &spec.name));
        let fail = |m: String| invalid(&o.name, at, format!("deployer {:?}: {m}", spec.name));
        if !valid_name(&spec.name) {
            return Err(fail(
                "name must be 1-64 characters of A-Z a-z 0-9 . _ -".into(),
            ));
        }
        if let Some(other) = self.tuning.deployers.iter().find(|d| d.name == spec.name) {
            return Err(fail(format!("duplicate name (first at {})", other.place)));
        }
        self.check_scope(spec.rules.as_ref()).map_err(fail)?;
        self.tuning.deployers.push(Arc::new(Deployer {
            name: spec.name,
            when: spec.when,
            effect: spec.effect,
            rules: spec.rules,
            place: o.place(at),
        }));
        Ok(())
    }

    /// A `rules` scope that covers no rule is a typo, not a narrow scope.
    pub(super) fn check_scope(&self, scope: Option<&Patterns>) -> Result<(), String> {
        match scope {
            Some(p)
                if !self.rules.iter().any(|r| p.matches(&r.id))
                    && !self.chains.iter().any(|c| p.matches(&c.id)) =>
            {
                Err("`rules` matches no rule id of the set".into())
            }
            _ => Ok(()),
        }
    }
}

pub(super) fn valid_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
}

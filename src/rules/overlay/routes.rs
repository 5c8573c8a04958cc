//! An overlay's `routes:`: each entry checked (name, tag, severities, rule globs,
//! account ids, regions, topic ARNs) and added to the set's routes, in load order.
//! What a route does is in `crate::routes`.

use super::entries::valid_name;
use super::spec::RouteSpec;
use super::{invalid, Nth, Overlay};
use crate::routes::{is_account_id, is_region, Route, TopicArn};
use crate::rules::compile::RulesError;
use crate::rules::set::RuleSet;

impl RuleSet {
    pub(super) fn add_route(
        &mut self,
        o: &Overlay,
        spec: RouteSpec,
        nth: &mut Nth,
    ) -> Result<(), RulesError> {
        let at = o.at("name:", &spec.name, nth.next("name:", &spec.name));
        let fail = |m: String| invalid(&o.name, at, format!("route {:?}: {m}", spec.name));
        // `at` for a value written inside the route: its own line and column.
        let near = |text: &str| find_from(&o.text, text, at.0).unwrap_or(at);
        let fail_at = |text: &str, m: String| {
            invalid(&o.name, near(text), format!("route {:?}: {m}", spec.name))
        };
        let name_rule = "must be 1-64 characters of A-Z a-z 0-9 . _ -";
        if !valid_name(&spec.name) {
            // The name (or tag) is a CloudWatch dimension value and a log field.
            return Err(fail(format!("name {name_rule}")));
        }
        if let Some(tag) = spec.tag.as_deref().filter(|t| !valid_name(t)) {
            return Err(fail_at(tag, format!("tag {name_rule}")));
        }
        if let Some(other) = self.tuning.routes.iter().find(|r| r.name == spec.name) {
            return Err(fail(format!("duplicate name (first at {})", other.place)));
        }
        self.check_scope(spec.rules.as_ref()).map_err(fail)?;
        let accounts = match &spec.accounts {
            None => None,
            Some(p) => {
                let Some(ids) = p.all_exact() else {
                    return Err(fail("`accounts` lists account ids, not globs".into()));
                };
                if let Some(bad) = ids.iter().find(|id| !is_account_id(id)) {
                    let m = format!("account {bad:?} is not a 12-digit account id");
                    return Err(fail_at(bad, m));
                }
                Some(ids.into_iter().map(str::to_string).collect())
            }
        };
        let regions = spec.regions.as_ref().map(|p| &p.0[..]).unwrap_or_default();
        if let Some(bad) = regions
            .iter()
            .filter_map(|p| p.exact())
            .find(|r| !is_region(r))
        {
            return Err(fail_at(bad, format!("{bad:?} is not a region (eu-west-1)")));
        }
        if spec.topics.is_empty() {
            return Err(fail(
                "`topics` is empty: give at least one topic ARN".into(),
            ));
        }
        let mut topics = Vec::with_capacity(spec.topics.len());
        for text in &spec.topics {
            topics.push(TopicArn::parse(text).map_err(|m| fail_at(text, format!("topic {m}")))?);
        }
        self.tuning.routes.push(Route {
            name: spec.name,
            tag: spec.tag,
            severity: spec.severity.map(|s| s.0),
            rules: spec.rules,
            accounts,
            regions: spec.regions,
            resources: spec.resources,
            topics,
            only: spec.only,
            stop: spec.stop,
            place: o.place(at),
        });
        Ok(())
    }

    /// The overlays' routes, in load order (overlays in order, each in file order).
    pub fn routes(&self) -> &[Route] {
        &self.tuning.routes
    }
}

/// Line and column (1-based) of the first `needle` at or after line `from`.
pub(super) fn find_from(text: &str, needle: &str, from: usize) -> Option<(usize, usize)> {
    let lines = text.lines().enumerate().skip(from.saturating_sub(1));
    lines
        .into_iter()
        .find_map(|(i, line)| line.find(needle).map(|c| (i + 1, c + 1)))
}

#[cfg(test)]
mod tests;

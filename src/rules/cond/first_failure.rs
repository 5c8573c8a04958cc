//! Why a condition does not hold: the first of its tests that fails on a record,
//! in words (for `rules explain`).

use serde_json::Value;

use super::{invoked_by, Cond, Ctx, EventTypes, Outcome};
use crate::rules::pattern::{Pattern, Patterns};

impl Cond {
    /// The first test that fails on the record, described; `None` when it holds.
    pub fn first_failure(&self, ctx: &Ctx) -> Option<String> {
        if self.holds(ctx) {
            return None;
        }
        let r = ctx.record;
        match (self.outcome, r.error_code()) {
            (Outcome::Success, Some(code)) => {
                return Some(format!("outcome: wants success, the call failed ({code})"))
            }
            (Outcome::Failure, None) => {
                return Some("outcome: wants failure, the call succeeded".into())
            }
            _ => {}
        }
        if !self.event_type.holds(r.event_type.as_deref()) {
            let wants = match &self.event_type {
                EventTypes::Named(p) => list(p),
                _ => "AwsApiCall: a rule that names no eventType judges API calls only".into(),
            };
            let found = shown(r.event_type.as_deref());
            return Some(format!("eventType is {found} (wants {wants})"));
        }
        let fields = [
            ("eventSource", &self.event_source, r.event_source.as_deref()),
            ("eventName", &self.event_name, r.event_name.as_deref()),
            ("errorCode", &self.error_code, r.error_code()),
            ("userIdentityType", &self.identity_type, r.identity_type()),
            ("account", &self.account, r.account_id()),
            ("region", &self.region, r.aws_region.as_deref()),
            (
                "federatedProvider",
                &self.federated_provider,
                r.federated_provider(),
            ),
            ("invokedBy", &self.invoked_by, invoked_by(r)),
        ];
        for (name, patterns, value) in fields {
            let Some(p) = patterns else { continue };
            if !value.is_some_and(|v| p.matches(v)) {
                return Some(format!("{name} is {} (wants {})", shown(value), list(p)));
            }
        }
        if let Some(p) = &self.principal_arn {
            if !r.principal_arns().any(|a| p.matches(a)) {
                let arns: Vec<&str> = r.principal_arns().collect();
                let found = if arns.is_empty() {
                    "none".to_string()
                } else {
                    arns.join(", ")
                };
                return Some(format!("principalArn is {found} (wants {})", list(p)));
            }
        }
        let account = r.account_id();
        let sides = [
            ("requestParameters", &self.request, ctx.request()),
            ("responseElements", &self.response, ctx.response()),
        ];
        for (side, tests, value) in sides {
            for (path, predicate) in tests {
                if !predicate.holds(value, path, account) {
                    let at = path.join(".");
                    return Some(format!(
                        "{side}.{at}: its test does not hold (value: {})",
                        peek(value, path)
                    ));
                }
            }
        }
        Some("a test on tracked settings (changed, unchanged) does not hold".into())
    }
}

fn shown(value: Option<&str>) -> String {
    value.map_or_else(|| "absent".to_string(), |v| format!("{v:?}"))
}

/// The patterns as written.
pub(crate) fn list(p: &Patterns) -> String {
    let texts: Vec<String> =
        p.0.iter()
            .map(|p| match p {
                Pattern::Exact(e) => e.clone(),
                Pattern::Glob(g) => g.glob().glob().to_string(),
            })
            .collect();
    texts.join(" | ")
}

/// The value at a plain dotted path, shortened, for the explanation.
fn peek(root: Option<&Value>, path: &[String]) -> String {
    let Some(mut v) = root else {
        return "no object".into();
    };
    for key in path {
        match v.get(key.as_str()) {
            Some(next) => v = next,
            None if key == "*" || v.is_array() => return "(several)".into(),
            None => return "absent".into(),
        }
    }
    let text = v.to_string();
    match text.char_indices().nth(80) {
        Some((i, _)) => format!("{}...", &text[..i]),
        None => text,
    }
}

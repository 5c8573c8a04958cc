//! A `match` / `unless` / `when` block: a conjunction of tests on one record.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

mod first_failure;
mod names;

use super::pattern::Patterns;
use super::predicate::Predicate;
use crate::settings::Changes;
use crate::trail::Record;

/// Whether the call succeeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Success,
    Failure,
    Any,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct CondSpec {
    event_source: Option<Patterns>,
    event_name: Option<Patterns>,
    event_type: Option<Patterns>,
    outcome: Option<Outcome>,
    error_code: Option<Patterns>,
    user_identity_type: Option<Patterns>,
    principal_arn: Option<Patterns>,
    federated_provider: Option<Patterns>,
    invoked_by: Option<Patterns>,
    account: Option<Patterns>,
    region: Option<Patterns>,
    request_parameters: Option<BTreeMap<String, Predicate>>,
    response_elements: Option<BTreeMap<String, Predicate>>,
    changed: Option<Vec<String>>,
    unchanged: Option<Vec<String>>,
}

/// Which records a condition accepts by their `eventType`.
#[derive(Debug, Clone)]
pub(crate) enum EventTypes {
    /// Not tested: any record (an `unless` or `when` block that names no eventType).
    Any,
    /// API calls only: `eventType` is `AwsApiCall`, or missing (records before
    /// eventVersion 1.02 have none). A rule's `match` that names no eventType gets
    /// this, so no rule fires on a service event (managed login's `Login_GET`,
    /// `Token_POST`...) unless it names one on purpose.
    ApiCalls,
    /// The types the condition names.
    Named(Patterns),
}

impl EventTypes {
    fn holds(&self, event_type: Option<&str>) -> bool {
        match self {
            EventTypes::Any => true,
            EventTypes::ApiCalls => event_type.is_none_or(|t| t.is_empty() || t == AWS_API_CALL),
            EventTypes::Named(p) => event_type.is_some_and(|t| p.matches(t)),
        }
    }
}

/// `eventType` of a call to an AWS API.
const AWS_API_CALL: &str = "AwsApiCall";

/// Compiled condition. Every test present must hold; an empty condition holds.
#[derive(Debug, Clone, Deserialize)]
#[serde(try_from = "CondSpec")]
pub struct Cond {
    pub(crate) event_source: Option<Patterns>,
    pub(crate) event_name: Option<Patterns>,
    event_type: EventTypes,
    outcome: Outcome,
    error_code: Option<Patterns>,
    identity_type: Option<Patterns>,
    principal_arn: Option<Patterns>,
    /// `userIdentity.sessionContext.webIdFederationData.federatedProvider`:
    /// `cognito-identity.amazonaws.com` for an app user's identity-pool credentials.
    federated_provider: Option<Patterns>,
    /// `userIdentity.invokedBy`: the AWS service that made the call for the caller
    /// (`cloudformation.amazonaws.com` for a stack deployment).
    invoked_by: Option<Patterns>,
    account: Option<Patterns>,
    region: Option<Patterns>,
    request: Vec<(Vec<String>, Predicate)>,
    response: Vec<(Vec<String>, Predicate)>,
    /// Tracked settings the record sets to a new value, or whose previous value
    /// is not known.
    changed: Vec<String>,
    /// Tracked settings the record restates with the value already known.
    unchanged: Vec<String>,
}

impl TryFrom<CondSpec> for Cond {
    type Error = String;

    fn try_from(s: CondSpec) -> Result<Self, String> {
        let outcome = match (s.outcome, &s.error_code) {
            (Some(Outcome::Success), Some(_)) => {
                return Err("`errorCode` cannot be combined with `outcome: success`".into())
            }
            (Some(o), _) => o,
            (None, _) => Outcome::Any,
        };
        Ok(Cond {
            event_source: s.event_source,
            event_name: s.event_name,
            event_type: s.event_type.map_or(EventTypes::Any, EventTypes::Named),
            outcome,
            error_code: s.error_code,
            identity_type: s.user_identity_type,
            principal_arn: s.principal_arn,
            federated_provider: s.federated_provider,
            invoked_by: s.invoked_by,
            account: s.account,
            region: s.region,
            request: fields(s.request_parameters)?,
            response: fields(s.response_elements)?,
            changed: s.changed.unwrap_or_default(),
            unchanged: s.unchanged.unwrap_or_default(),
        })
    }
}

fn fields(
    map: Option<BTreeMap<String, Predicate>>,
) -> Result<Vec<(Vec<String>, Predicate)>, String> {
    let mut out = Vec::new();
    for (key, pred) in map.unwrap_or_default() {
        let path: Vec<String> = key.split('.').map(str::to_string).collect();
        if path.iter().any(String::is_empty) {
            return Err(format!("bad field path {key:?}: empty segment"));
        }
        out.push((path, pred));
    }
    Ok(out)
}

/// The record a condition is tested on, and the changes it makes to tracked
/// settings (empty when the rule tracks none).
pub struct Ctx<'r, 'a> {
    pub record: &'r Record<'a>,
    pub changes: Option<&'r Changes>,
}

impl<'r, 'a> Ctx<'r, 'a> {
    /// Wraps a parsed record.
    pub fn new(record: &'r Record<'a>) -> Self {
        Ctx {
            record,
            changes: None,
        }
    }

    /// Wraps a parsed record and its changes.
    pub fn with_changes(record: &'r Record<'a>, changes: &'r Changes) -> Self {
        Ctx {
            record,
            changes: Some(changes),
        }
    }

    /// `requestParameters` as a JSON value.
    pub fn request(&self) -> Option<&Value> {
        self.record.request_parameters.as_ref()
    }

    /// `responseElements` as a JSON value.
    pub fn response(&self) -> Option<&Value> {
        self.record.response_elements.as_ref()
    }
}

/// `userIdentity.invokedBy`.
fn invoked_by<'r>(r: &'r Record) -> Option<&'r str> {
    r.user_identity.as_ref()?.invoked_by.as_deref()
}

fn opt_matches(p: &Option<Patterns>, value: Option<&str>) -> bool {
    match p {
        None => true,
        Some(p) => value.is_some_and(|v| p.matches(v)),
    }
}

impl Cond {
    /// Whether the record satisfies every test of this condition.
    pub fn holds(&self, ctx: &Ctx) -> bool {
        let r = ctx.record;
        let failed = r.error_code().is_some();
        let outcome_ok = match self.outcome {
            Outcome::Any => true,
            Outcome::Success => !failed,
            Outcome::Failure => failed,
        };
        outcome_ok
            && self.event_type.holds(r.event_type.as_deref())
            && opt_matches(&self.event_source, r.event_source.as_deref())
            && opt_matches(&self.event_name, r.event_name.as_deref())
            && opt_matches(&self.error_code, r.error_code())
            && opt_matches(&self.identity_type, r.identity_type())
            && opt_matches(&self.account, r.account_id())
            && opt_matches(&self.region, r.aws_region.as_deref())
            && opt_matches(&self.federated_provider, r.federated_provider())
            && opt_matches(&self.invoked_by, invoked_by(r))
            && self
                .principal_arn
                .as_ref()
                .is_none_or(|p| r.principal_arns().any(|a| p.matches(a)))
            && self
                .request
                .iter()
                .all(|(path, p)| p.holds(ctx.request(), path, r.account_id()))
            && self
                .response
                .iter()
                .all(|(path, p)| p.holds(ctx.response(), path, r.account_id()))
            && self.transitions_hold(ctx)
    }

    fn transitions_hold(&self, ctx: &Ctx) -> bool {
        let change = |name: &String| ctx.changes.and_then(|c| c.get(name));
        self.changed
            .iter()
            .all(|n| change(n).is_some_and(|c| c.is_change()))
            && self
                .unchanged
                .iter()
                .all(|n| change(n).is_some_and(|c| !c.is_change()))
    }

    /// Whether the condition holds only on a failed call (`outcome: failure` or
    /// an `errorCode` test): such a record has an `errorCode` key.
    pub(crate) fn failures_only(&self) -> bool {
        self.outcome == Outcome::Failure || self.error_code.is_some()
    }

    /// Makes this condition (a rule's `match`) accept API calls only when it names
    /// no eventType: see [`EventTypes::ApiCalls`].
    pub(crate) fn api_calls_unless_named(mut self) -> Self {
        if matches!(self.event_type, EventTypes::Any) {
            self.event_type = EventTypes::ApiCalls;
        }
        self
    }

    /// The tracked settings this condition names (`changed`, `unchanged`).
    pub fn settings_named(&self) -> impl Iterator<Item = &str> {
        self.changed
            .iter()
            .chain(&self.unchanged)
            .map(String::as_str)
    }
}

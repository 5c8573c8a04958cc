//! `Route`: one entry of an overlay's `routes:`, checked (the overlay parser builds
//! it), and what it tests on a notice ([`Facts`]).

use super::topic::TopicArn;
use crate::rules::pattern::Patterns;
use crate::rules::Place;
use crate::Severity;

/// Which severities a route takes: a minimum (`severity: high` = high and
/// critical) or a list of exactly those (`severity: [low, medium]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SeverityMatch {
    AtLeast(Severity),
    AnyOf(Vec<Severity>),
}

impl SeverityMatch {
    /// Whether `s` is taken.
    pub fn takes(&self, s: Severity) -> bool {
        match self {
            SeverityMatch::AtLeast(min) => s >= *min,
            SeverityMatch::AnyOf(list) => list.contains(&s),
        }
    }
}

/// One route: when its tests hold for a notice, the notice also goes to its
/// topics. Every test given must hold; a route with no test takes everything.
#[derive(Debug, Clone)]
pub struct Route {
    /// Unique among the set's routes (1-64 characters of A-Z a-z 0-9 . _ -).
    pub name: String,
    /// A label for displays and metric dimensions; the name when not given.
    pub tag: Option<String>,
    pub severity: Option<SeverityMatch>,
    /// Rule id globs; they match some rule of the set (checked when loaded).
    pub(crate) rules: Option<Patterns>,
    /// Account ids, 12 digits each.
    pub accounts: Option<Vec<String>>,
    pub(crate) regions: Option<Patterns>,
    /// Globs on the resource's ids and ARNs (user pool, client, identity pool).
    pub(crate) resources: Option<Patterns>,
    /// At least one.
    pub topics: Vec<TopicArn>,
    /// The notice goes to the matched routes' topics only, not to the default topic.
    pub only: bool,
    /// Later routes are not tried for a notice this route matched.
    pub stop: bool,
    /// Where the overlay wrote it.
    pub place: Place,
}

impl Route {
    /// A route from the function's configuration rather than an overlay: every
    /// notice of `severity` also goes to `topics` (`CRITICAL_TOPIC_ARN` is the
    /// route `critical`, at least critical). `setting` names where it was set.
    pub fn of_severity(
        name: &str,
        severity: SeverityMatch,
        topics: Vec<TopicArn>,
        setting: &str,
    ) -> Route {
        Route {
            name: name.to_string(),
            tag: None,
            severity: Some(severity),
            rules: None,
            accounts: None,
            regions: None,
            resources: None,
            topics,
            only: false,
            stop: false,
            place: Place {
                file: setting.to_string(),
                line: 0,
            },
        }
    }

    /// The tag, else the name.
    pub fn label(&self) -> &str {
        self.tag.as_deref().unwrap_or(&self.name)
    }

    /// Whether every test the route gives holds for `facts`. A test on something
    /// the notice does not know (the resource of a digest) does not hold.
    pub fn matches(&self, facts: &Facts) -> bool {
        self.severity
            .as_ref()
            .is_none_or(|m| m.takes(facts.severity))
            && self
                .rules
                .as_ref()
                .is_none_or(|p| facts.rules.iter().any(|r| p.matches(r)))
            && self
                .accounts
                .as_ref()
                .is_none_or(|ids| facts.account.is_some_and(|a| ids.iter().any(|i| i == a)))
            && self
                .regions
                .as_ref()
                .is_none_or(|p| facts.region.is_some_and(|r| p.matches(r)))
            && self
                .resources
                .as_ref()
                .is_none_or(|p| facts.resources.iter().any(|r| p.matches(r)))
    }
}

/// What routes test, read from a notice: an alert knows all of it; a digest its
/// highest severity, rules, account and region; an unreadable file its severity,
/// account and region.
#[derive(Debug, Clone)]
pub struct Facts<'a> {
    pub severity: Severity,
    pub rules: Vec<&'a str>,
    pub account: Option<&'a str>,
    pub region: Option<&'a str>,
    /// The resource's ids and ARNs.
    pub resources: Vec<String>,
}

//! Routes (issue 22): which SNS topics a notice goes to. Overlays declare routes
//! (`routes:`, parsed in `rules::overlay`); the [`RouteTable`] joins them to the
//! default topic (the function's `ALERT_TOPIC_ARN`) and answers, for each notice,
//! the topics to publish it to: never none.
//!
//! The semantics, in order of the routes (overlays in load order, each in file
//! order): every route whose tests hold adds its topics; a matched route with
//! `stop: true` ends the search. The default topic receives the notice too unless
//! a matched route says `only: true`. So a route adds a copy somewhere (the paging
//! topic gets the critical alerts, the usual inbox still gets everything), and
//! taking alerts away from the inbox is said explicitly.

mod route;
mod topic;

pub use route::{Facts, Route, SeverityMatch};
pub use topic::{is_account_id, is_region, TopicArn, TOPIC_ARN_SHAPE};

use crate::notice::Notice;
use crate::Alert;

/// The routes of a rule set and the default topic.
#[derive(Debug, Clone)]
pub struct RouteTable {
    default: TopicArn,
    routes: Vec<Route>,
}

/// Where one notice goes, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Routing<'t> {
    /// Deduplicated, never empty: the default topic first when it is included,
    /// then each matched route's topics in route order.
    pub topics: Vec<&'t TopicArn>,
    /// The routes that matched, in order (their labels name them in logs and metrics).
    pub routes: Vec<&'t str>,
    /// Whether the default topic is among the topics.
    pub default: bool,
}

impl RouteTable {
    /// A table of `routes` (in order: `RuleSet::routes`) over `default`.
    pub fn new(default: TopicArn, routes: Vec<Route>) -> RouteTable {
        RouteTable { default, routes }
    }

    /// The default topic.
    pub fn default_topic(&self) -> &TopicArn {
        &self.default
    }

    /// The routes, in order.
    pub fn routes(&self) -> &[Route] {
        &self.routes
    }

    /// Every topic the table can send to, the default first, each once: what the
    /// function must be allowed to publish to.
    pub fn all_topics(&self) -> Vec<&TopicArn> {
        let routed = self.routes.iter().flat_map(|r| &r.topics);
        dedup(std::iter::once(&self.default).chain(routed))
    }

    /// The topics `alert` goes to: see [`RouteTable::route`].
    pub fn topics_for(&self, alert: &Alert) -> Vec<TopicArn> {
        let routing = self.route(&facts_of_alert(alert));
        routing.topics.into_iter().cloned().collect()
    }

    /// The topics any notice goes to (alert, digest, unreadable file).
    pub fn topics_for_notice(&self, notice: &Notice) -> Vec<TopicArn> {
        let routing = self.route(&facts_of(notice));
        routing.topics.into_iter().cloned().collect()
    }

    /// Where a notice with these facts goes, and which routes said so.
    pub fn route(&self, facts: &Facts) -> Routing<'_> {
        let mut matched = Vec::new();
        for route in &self.routes {
            if route.matches(facts) {
                matched.push(route);
                if route.stop {
                    break;
                }
            }
        }
        let default = !matched.iter().any(|r| r.only);
        let routed = matched.iter().flat_map(|r| &r.topics);
        let topics = match default {
            true => dedup(std::iter::once(&self.default).chain(routed)),
            false => dedup(routed),
        };
        Routing {
            topics,
            routes: matched.iter().map(|r| r.label()).collect(),
            default,
        }
    }
}

fn dedup<'t>(topics: impl Iterator<Item = &'t TopicArn>) -> Vec<&'t TopicArn> {
    let mut out: Vec<&TopicArn> = Vec::new();
    for t in topics {
        if !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

/// What routes test on a notice.
pub fn facts_of(notice: &Notice) -> Facts<'_> {
    match notice {
        Notice::Alert(a) => facts_of_alert(a),
        Notice::Digest(d) => Facts {
            severity: d.severity,
            rules: d.by_rule.keys().map(String::as_str).collect(),
            account: d.account_id.as_deref(),
            region: d.region.as_deref(),
            resources: Vec::new(),
        },
        Notice::Unreadable(u) => Facts {
            severity: notice.severity(),
            rules: Vec::new(),
            account: u.account_id.as_deref(),
            region: u.region.as_deref(),
            resources: Vec::new(),
        },
    }
}

/// What routes test on an alert: its severity, rule, account, region, and its
/// resource's ids, ARN, and the ARN of its user pool or identity pool.
pub fn facts_of_alert(alert: &Alert) -> Facts<'_> {
    let r = &alert.resource;
    let mut resources: Vec<String> = [
        &r.user_pool_id,
        &r.client_id,
        &r.identity_pool_id,
        &r.resource_arn,
    ]
    .into_iter()
    .flatten()
    .cloned()
    .collect();
    if let (Some(region), Some(account)) = (&alert.region, &alert.account_id) {
        let partition = alert
            .actor
            .arn
            .as_deref()
            .and_then(|arn| arn.split(':').nth(1))
            .filter(|p| p.starts_with("aws"))
            .unwrap_or("aws");
        let arn = |service: &str, kind: &str, id: &String| {
            format!("arn:{partition}:{service}:{region}:{account}:{kind}/{id}")
        };
        resources.extend(
            r.user_pool_id
                .iter()
                .map(|id| arn("cognito-idp", "userpool", id)),
        );
        resources.extend(
            r.identity_pool_id
                .iter()
                .map(|id| arn("cognito-identity", "identitypool", id)),
        );
    }
    Facts {
        severity: alert.severity,
        rules: vec![alert.rule_id.as_str()],
        account: alert.account_id.as_deref(),
        region: alert.region.as_deref(),
        resources,
    }
}

#[cfg(test)]
mod tests;

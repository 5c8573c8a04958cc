//! Where and how alerts are delivered, besides the alert topic: the change-set
//! window (`CHANGE_SET_WINDOW`), the critical topic (`CRITICAL_TOPIC_ARN`) and
//! the topics overlays' routes may name (`ROUTE_TOPIC_ARNS`); and the route
//! table they make with the rules' routes, checked at cold start.

use cognito_trail_alerts::notice::change_set::Window;
use cognito_trail_alerts::routes::{Route, RouteTable, SeverityMatch, TopicArn};
use cognito_trail_alerts::Severity;

/// The delivery settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Delivery {
    /// One actor's changes at most this far apart are one message.
    pub window: Window,
    /// Critical notices also go here (the route `critical`).
    pub critical_topic: Option<TopicArn>,
    /// The other topics routes may publish to: the function is allowed exactly
    /// these, the alert topic and the critical topic.
    pub route_topics: Vec<TopicArn>,
}

impl Delivery {
    /// Reads the settings through `get` (trimmed, empty = unset).
    pub fn from_env(get: &impl Fn(&str) -> Option<String>, problems: &mut Vec<String>) -> Delivery {
        let window = match get("CHANGE_SET_WINDOW").map(|w| w.parse::<Window>()) {
            None => Window::default(),
            Some(Ok(w)) => w,
            Some(Err(e)) => {
                problems.push(format!(
                    "CHANGE_SET_WINDOW: {e} (seconds, a duration such as 2m, or off)"
                ));
                Window::default()
            }
        };
        let mut topic = |name: &str, text: &str| {
            TopicArn::parse(text)
                .map_err(|e| problems.push(format!("{name}: {e}")))
                .ok()
        };
        let critical_topic =
            get("CRITICAL_TOPIC_ARN").and_then(|t| topic("CRITICAL_TOPIC_ARN", &t));
        let route_topics = get("ROUTE_TOPIC_ARNS")
            .map(|list| {
                list.split(',')
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .filter_map(|t| topic("ROUTE_TOPIC_ARNS", t))
                    .collect()
            })
            .unwrap_or_default();
        Delivery {
            window,
            critical_topic,
            route_topics,
        }
    }

    /// The route table over `default` (the alert topic): the route `critical`
    /// first when a critical topic is set (so no overlay route's `stop` keeps
    /// critical alerts from it), then `routes` (the rules'). A route naming a
    /// topic the function may not publish to is an error naming it and its
    /// place: every publish to it would fail.
    pub fn route_table(&self, default: TopicArn, routes: &[Route]) -> Result<RouteTable, String> {
        let critical = self.critical_topic.iter().map(|t| {
            Route::of_severity(
                "critical",
                SeverityMatch::AtLeast(Severity::Critical),
                vec![t.clone()],
                "CRITICAL_TOPIC_ARN",
            )
        });
        let all: Vec<Route> = critical.chain(routes.iter().cloned()).collect();
        let allowed = |t: &TopicArn| {
            *t == default
                || self.critical_topic.as_ref() == Some(t)
                || self.route_topics.contains(t)
        };
        let refused: Vec<String> = all
            .iter()
            .flat_map(|r| r.topics.iter().map(move |t| (r, t)))
            .filter(|(_, t)| !allowed(t))
            .map(|(r, t)| format!("route {} ({}) publishes to {t}", r.name, r.place))
            .collect();
        if !refused.is_empty() {
            return Err(format!(
                "{}: the function may publish only to ALERT_TOPIC_ARN, CRITICAL_TOPIC_ARN and \
                 ROUTE_TOPIC_ARNS (the template's RouteTopicArns); add the topic there",
                refused.join("; ")
            ));
        }
        Ok(RouteTable::new(default, all))
    }
}

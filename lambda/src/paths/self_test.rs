//! `{"selfTest": true}`: one marked test alert through every configured channel
//! (the alert topic and each topic a route names, in the configured
//! `OUTPUT_FORMAT`; with `SECURITY_HUB`, a finding), and per channel what it
//! accepted. No claim is taken: each test is sent, once per invocation and
//! channel (the finding's id names the test, so each test is its own finding).

use cognito_trail_alerts::chains::format_event_time;
use cognito_trail_alerts::notice::{self_test_alert, Notice, SnsMessage};
use cognito_trail_alerts::routes::TopicArn;
use cognito_trail_alerts::Alert;
use serde_json::{json, Value};
use tracing::{info, warn};

use crate::handler::{Answer, App};
use crate::ports::{AlertSink, Ports};
use crate::security_hub::SecurityHub;

impl<P: Ports> App<P> {
    /// Sends the test alert; the answer lists each channel and whether it took it.
    pub(crate) async fn run_self_test(&self) -> Answer {
        let now = self.clock.unix_secs();
        let test_id = format!("self-test-{now}-{}", self.container_id());
        let alert = self_test_alert(
            &format_event_time(now as i64),
            "cognito-trail-alerts",
            &test_id,
        );
        let message = self.output.render(&Notice::Alert(Box::new(alert.clone())));
        let mut channels = Vec::new();
        for topic in self.routes.all_topics() {
            channels.push(self.test_topic(topic, &message, &test_id).await);
        }
        if let Some(hub) = &self.security_hub {
            channels.push(self.test_finding(hub, &alert, &test_id).await);
        }
        let ok = channels.iter().all(|c| c["accepted"] == json!(true));
        Answer::Json(json!({ "selfTest": { "testId": test_id, "ok": ok, "channels": channels } }))
    }

    /// Publishes the test message to `topic`; what the channel accepted.
    async fn test_topic(&self, topic: &TopicArn, message: &SnsMessage, test_id: &str) -> Value {
        let default = topic == self.routes.default_topic();
        let routes: Vec<&str> = self
            .routes
            .routes()
            .iter()
            .filter(|r| r.topics.contains(topic))
            .map(|r| r.label())
            .collect();
        let published = self
            .alerts
            .publish(topic, std::slice::from_ref(message))
            .await;
        let (accepted, error) = match published {
            Ok(failed) if failed.is_empty() => (true, None),
            Ok(failed) => (false, failed.first().map(|f| f.error.message.clone())),
            Err(e) => (false, Some(e.message)),
        };
        match &error {
            None => info!(test_id, topic = %topic, "self test sent"),
            Some(e) => warn!(test_id, topic = %topic, error = %e, "self test not accepted"),
        }
        json!({
            "channel": if default { "alert topic (SNS)" } else { "route topic (SNS)" },
            "topic": topic.as_str(),
            "routes": routes,
            "format": format!("{:?}", self.output).to_lowercase(),
            "accepted": accepted,
            "error": error,
        })
    }

    /// Imports the test alert as a finding; what Security Hub accepted.
    async fn test_finding(&self, hub: &SecurityHub, alert: &Alert, test_id: &str) -> Value {
        let (accepted, error, id) = match hub.import_one(alert, &self.clock.utc_text()).await {
            Ok(id) => (true, None, id),
            Err((id, e)) => (false, Some(e.message), id),
        };
        match &error {
            None => info!(test_id, finding = %id, "self test finding imported"),
            Some(e) => warn!(test_id, error = %e, "self test finding not imported"),
        }
        json!({
            "channel": "Security Hub",
            "product": hub.product_arn(),
            "finding": id,
            "accepted": accepted,
            "error": error,
        })
    }
}

//! `{"selfTest": true}`: one marked test alert through every configured channel
//! (today the alert topic, in the configured `OUTPUT_FORMAT`), and per channel
//! what it accepted. No claim is taken: each test is sent, once per invocation.

use cognito_trail_alerts::chains::format_event_time;
use cognito_trail_alerts::notice::{self_test_alert, Notice};
use serde_json::{json, Value};
use tracing::{info, warn};

use crate::handler::{Answer, App};
use crate::ports::{AlertSink, Ports};

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
        let message = self.output.render(&Notice::Alert(Box::new(alert)));
        let (accepted, error) = match self.alerts.publish(&[message]).await {
            Ok(failed) if failed.is_empty() => (true, None),
            Ok(failed) => (false, failed.first().map(|f| f.error.message.clone())),
            Err(e) => (false, Some(e.message)),
        };
        match &error {
            None => info!(test_id, "self test sent to the alert topic"),
            Some(e) => warn!(test_id, error = %e, "self test not accepted by the alert topic"),
        }
        let channel: Value = json!({
            "channel": "alert topic (SNS)",
            "format": format!("{:?}", self.output).to_lowercase(),
            "accepted": accepted,
            "error": error,
        });
        Answer::Json(
            json!({ "selfTest": { "testId": test_id, "ok": accepted, "channels": [channel] } }),
        )
    }
}

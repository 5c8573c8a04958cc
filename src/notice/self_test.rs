//! The self test's alert (`{"selfTest": true}`): clearly marked as a test, an
//! event id of its own each time (so the state table never takes it for one
//! already sent), rendered like any alert.

use serde_json::json;

use crate::alert::{Alert, Origin, Source};
use crate::trail::Record;
use crate::Severity;

/// The rule id a test alert carries (subscribers can filter it out).
pub const SELF_TEST_RULE: &str = "self-test";

/// A test alert sent at `event_time` (`YYYY-MM-DDTHH:MM:SSZ`) by `function`
/// (its name or ARN), id `test_id`.
pub fn self_test_alert(event_time: &str, function: &str, test_id: &str) -> Alert {
    let raw = json!({
        "eventVersion": "1.09",
        "eventTime": event_time,
        "eventSource": "cognito-trail-alerts",
        "eventName": "SelfTest",
        "eventID": test_id,
        "eventType": "AwsApiCall",
        "userIdentity": {"type": "AWSService", "invokedBy": function},
    })
    .to_string();
    let record = Record::parse(raw.as_bytes()).unwrap_or_default();
    let source = Source {
        origin: Origin::EventBridge {
            event_id: test_id.to_owned(),
        },
        record_index: 0,
    };
    let mut alert = Alert::of_record(&record, source);
    // The subject is made of the event's name: it says "TEST" first.
    alert.event_name = Some("TEST alert (self test)".to_owned());
    alert.rule_id = SELF_TEST_RULE.to_owned();
    alert.rule_title = "TEST: cognito-trail-alerts self test, not a Cognito change".to_owned();
    alert.severity = Severity::Info;
    alert.description = format!(
        "A test alert sent on request by {function} to show that this channel \
         delivers. Nothing changed in Cognito; no action is needed."
    );
    alert
}

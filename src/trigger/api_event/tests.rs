use serde_json::{json, Value};

use crate::trigger::{parse, Shape, Trigger, TriggerError};

fn sample() -> Value {
    let text = include_str!("../../../lambda/events/eventbridge-api-call.json");
    serde_json::from_str(text).unwrap()
}

#[test]
fn one_event_is_one_record() {
    let Trigger::ApiEvent(event) = parse(&sample()).unwrap() else {
        panic!("not an API event");
    };
    assert_eq!(event.id, "6f1a3c2e-8b4d-4e5f-9a0b-1c2d3e4f5a6b");
    assert_eq!(event.source, "aws.cognito-idp");
    assert_eq!(event.record["eventName"], "UpdateUserPool");
    assert_eq!(
        event.record["eventID"],
        "9ce4aa5f-de27-4851-a18a-d43850d00787"
    );
}

#[test]
fn an_sqs_batch_fails_message_by_message() {
    let text = include_str!("../../../lambda/events/sqs-eventbridge-api-calls.json");
    let mut batch: Value = serde_json::from_str(text).unwrap();
    let mut broken = batch["Records"][0].clone();
    broken["messageId"] = json!("m-broken");
    let mut body: Value = serde_json::from_str(broken["body"].as_str().unwrap()).unwrap();
    body["detail"] = json!("UpdateUserPool");
    broken["body"] = json!(body.to_string());
    batch["Records"].as_array_mut().unwrap().push(broken);
    let Trigger::Queue(messages) = parse(&batch).unwrap() else {
        panic!("not a queue");
    };
    assert_eq!(messages.len(), 3);
    assert!(messages.iter().all(|m| m.shape == Shape::ApiCall));
    let second = messages[1].work.as_ref().unwrap();
    assert_eq!(second.api_events[0].source, "aws.cognito-identity");
    assert_eq!(messages[2].message_id.as_deref(), Some("m-broken"));
    let err = messages[2].work.as_ref().unwrap_err().to_string();
    assert_eq!(
        err,
        "EventBridge API call event: `detail` is a string, not an object (the CloudTrail record)"
    );
}

#[test]
fn a_broken_event_names_the_field() {
    let mut no_detail = sample();
    no_detail.as_object_mut().unwrap().remove("detail");
    let mut no_id = sample();
    no_id["id"] = json!(7);
    for (event, want) in [
        (no_detail, "EventBridge API call event is missing `detail`"),
        (
            no_id,
            "EventBridge API call event: `id` is a number, not a string",
        ),
    ] {
        let err: TriggerError = parse(&event).unwrap_err();
        assert_eq!(err.to_string(), want);
    }
}

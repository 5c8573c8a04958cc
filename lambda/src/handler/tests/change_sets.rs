//! Change sets through the function: one actor's burst of changes is one message
//! per topic with every alert inside, and exactly-once still holds per alert
//! across retries, containers and the EventBridge path.

use cognito_trail_alerts_testkit::envelopes;
use cognito_trail_alerts_testkit::records::terraform_apply;

use super::*;
use crate::ports::{ChainStore, ClaimStore, FakeStateTable, SettingsStore};

const DEPLOYER_KEY: &str = "ASIAQNZGKDEPLOYER001";

fn s3_of(records: Vec<Value>) -> FakeS3 {
    let mut s3 = FakeS3::default();
    s3.objects.insert(KEY.into(), Ok(trail(records)));
    s3
}

/// The highest severity label of the alerts published.
fn highest<T: ClaimStore + SettingsStore + ChainStore>(app: &StateApp<T>) -> String {
    let order = ["info", "low", "medium", "high", "critical"];
    let alerts = published(app);
    let worst = alerts
        .iter()
        .map(|a| a["severity"].as_str().unwrap())
        .max_by_key(|s| order.iter().position(|o| o == s))
        .unwrap();
    worst.to_uppercase()
}

#[tokio::test(start_paused = true)]
async fn a_terraform_apply_is_one_message_and_a_retry_sends_nothing() {
    let store = FakeStateTable::default();
    let apply = terraform_apply("deployer", DEPLOYER_KEY, "tf", 0);
    let app = app_with(s3_of(apply.clone()), store.clone());
    app.handle(s3_event(&[KEY])).await.unwrap();
    let sent = subjects(&app);
    assert_eq!(sent.len(), 1, "{sent:?}");
    let alerts = published(&app);
    let expected = format!(
        "[{}] {} Cognito changes by role/deployer via Terraform in 111122223333/eu-west-1",
        highest(&app),
        alerts.len()
    );
    assert_eq!(sent[0], expected);
    assert!(
        alerts.len() >= 10,
        "most of the apply alerts: {}",
        alerts.len()
    );
    // The machine JSON keeps every alert whole, for subscribers that filter.
    assert!(alerts
        .iter()
        .all(|a| a["kind"] == "alert" && a["rule_id"].is_string()));
    assert_eq!(metric(&app, "Alerts", None) as usize, alerts.len());
    assert_eq!(
        metric(&app, "MessagesPublished", Some(("Topic", "cognito-alerts"))),
        1.0
    );
    // The same file again, in this container and in a new one: nothing.
    app.handle(s3_event(&[KEY])).await.unwrap();
    let second = app_with(s3_of(apply), store);
    second.handle(s3_event(&[KEY])).await.unwrap();
    assert_eq!(subjects(&app).len(), 1);
    assert!(subjects(&second).is_empty());
}

#[tokio::test(start_paused = true)]
async fn two_deployers_in_one_window_are_two_messages() {
    let mut records = terraform_apply("deployer", DEPLOYER_KEY, "a", 0);
    records.extend(terraform_apply(
        "release-bot",
        "ASIAQNZGKRELEASEBOT1",
        "b",
        5,
    ));
    let app = app_with(s3_of(records), NoStore);
    app.handle(s3_event(&[KEY])).await.unwrap();
    let mut sent = subjects(&app);
    sent.sort();
    assert_eq!(sent.len(), 2, "{sent:?}");
    assert!(sent[0].contains("by role/deployer via Terraform"));
    assert!(sent[1].contains("by role/release-bot via Terraform"));
    assert_eq!(published(&app).len() % 2, 0, "each apply whole");
}

#[tokio::test(start_paused = true)]
async fn a_member_eventbridge_delivered_is_not_sent_again_in_the_set() {
    let store = FakeStateTable::default();
    let apply = terraform_apply("deployer", DEPLOYER_KEY, "tf", 0);
    let app = app_with(s3_of(apply.clone()), store);
    // The MFA change (tf-11) arrives first by the fast path, alone.
    app.handle(envelopes::api_call(apply[10].clone()))
        .await
        .unwrap();
    assert_eq!(published(&app).len(), 1);
    let fast = published(&app)[0]["event_id"].clone();
    assert_eq!(fast, "tf-11");
    app.handle(s3_event(&[KEY])).await.unwrap();
    let all = published(&app);
    assert_eq!(subjects(&app).len(), 2, "the fast alert, then the set");
    assert_eq!(all.iter().filter(|a| a["event_id"] == fast).count(), 1);
    assert!(subjects(&app)[1].contains("Cognito changes by role/deployer"));
}

#[tokio::test(start_paused = true)]
async fn a_set_that_failed_is_sent_once_whole_by_the_retry() {
    let store = FakeStateTable::default();
    let app = app_with(
        s3_of(terraform_apply("deployer", DEPLOYER_KEY, "tf", 0)),
        store,
    );
    app.alerts
        .script
        .lock()
        .unwrap()
        .extend((0..3).map(|_| Err(CallError::transient("ServiceUnavailable"))));
    assert!(app.handle(s3_event(&[KEY])).await.is_err());
    let failures = metric(&app, "PublishFailures", None);
    assert!(failures >= 10.0, "every member counted: {failures}");
    assert_eq!(
        metric(&app, "PublishFailures", Some(("Topic", "cognito-alerts"))),
        1.0,
        "one message"
    );
    app.handle(s3_event(&[KEY])).await.unwrap();
    app.handle(s3_event(&[KEY])).await.unwrap();
    assert_eq!(subjects(&app).len(), 1);
    assert_eq!(published(&app).len() as f64, failures);
}

#[tokio::test(start_paused = true)]
async fn the_window_off_sends_each_alert_alone() {
    let mut app = app_with(
        s3_of(terraform_apply("deployer", DEPLOYER_KEY, "tf", 0)),
        NoStore,
    );
    app.window = cognito_trail_alerts::notice::change_set::Window::OFF;
    app.handle(s3_event(&[KEY])).await.unwrap();
    assert_eq!(subjects(&app).len(), published(&app).len());
}

//! Routes through the function: an overlay's routes and `CRITICAL_TOPIC_ARN` send
//! notices to more topics; each topic is claimed, retried and counted on its own,
//! and what matches no route still reaches the alert topic.

use std::sync::Arc;

use cognito_trail_alerts::routes::TopicArn;
use cognito_trail_alerts::rules::{Date, Overlay};
use cognito_trail_alerts::RuleSet;

use super::*;
use crate::config::Delivery;
use crate::ports::{ChainStore, ClaimStore, FakeStateTable, SettingsStore};

const CRITICAL: &str = "arn:aws:sns:eu-west-1:111122223333:cognito-critical";
const PAYMENTS: &str = "arn:aws:sns:eu-west-1:111122223333:payments-security";

fn topic(arn: &str) -> TopicArn {
    TopicArn::parse(arn).unwrap()
}

/// The bundled pack with an overlay routing identity-pool alerts of pool 1 to the
/// payments team only.
fn rules() -> RuleSet {
    let overlay = format!(
        "routes:\n  - name: payments\n    resources: [\"*-000000000001\"]\n    topics: [\"{PAYMENTS}\"]\n    only: true\n"
    );
    let overlay = Overlay::from_yaml(&overlay, "routes.yaml").unwrap();
    RuleSet::bundled()
        .unwrap()
        .with_overlays(vec![overlay], Date::parse("2026-11-30").unwrap())
        .unwrap()
}

/// The app over `store` with the overlay's routes and a critical topic.
fn routed_app(records: Vec<Value>, store: FakeStateTable) -> StateApp<FakeStateTable> {
    let mut s3 = FakeS3::default();
    s3.objects.insert(KEY.into(), Ok(trail(records)));
    let mut app = app_with(s3, store);
    let rules = Arc::new(rules());
    let delivery = Delivery {
        critical_topic: Some(topic(CRITICAL)),
        route_topics: vec![topic(PAYMENTS)],
        ..Delivery::default()
    };
    app.routes = delivery
        .route_table(
            topic(cognito_trail_alerts_testkit::ALERT_TOPIC),
            rules.routes(),
        )
        .unwrap();
    app.rules = rules;
    app
}

/// The event ids of the alerts published to `arn`.
fn ids_on<T: ClaimStore + SettingsStore + ChainStore>(app: &StateApp<T>, arn: &str) -> Vec<String> {
    let mut ids: Vec<String> = app
        .alerts
        .published_to(&topic(arn))
        .iter()
        .flat_map(|m| notices_of(&m.body))
        .map(|a| a["event_id"].as_str().unwrap_or("").to_string())
        .collect();
    ids.sort();
    ids
}

/// Guest access on (critical) for pool 1 and 2, guest access off (medium) on
/// pool 3, each by its own user.
fn records() -> Vec<Value> {
    vec![
        update_pool_alone(1, true),
        update_pool_alone(2, true),
        update_pool_alone(3, false),
    ]
}

#[tokio::test(start_paused = true)]
async fn each_alert_reaches_the_topics_its_routes_name() {
    let app = routed_app(records(), FakeStateTable::default());
    app.handle(s3_event(&[KEY])).await.unwrap();
    let default = cognito_trail_alerts_testkit::ALERT_TOPIC;
    // Pool 1 is the payments team's only; critical alerts also page.
    assert_eq!(ids_on(&app, default), ["e-2", "e-3"]);
    assert_eq!(ids_on(&app, CRITICAL), ["e-1", "e-2"]);
    assert_eq!(ids_on(&app, PAYMENTS), ["e-1"]);
    // Each alert is counted once, however many topics it reached.
    assert_eq!(metric(&app, "Alerts", None), 3.0);
    let on = |t| metric(&app, "MessagesPublished", Some(("Topic", t)));
    assert_eq!(
        (
            on("cognito-alerts"),
            on("cognito-critical"),
            on("payments-security")
        ),
        (2.0, 2.0, 1.0)
    );
}

#[tokio::test(start_paused = true)]
async fn a_failing_route_topic_is_retried_counted_and_sent_once_later() {
    let store = FakeStateTable::default();
    let app = routed_app(records(), store.clone());
    app.alerts.down.lock().unwrap().push(topic(CRITICAL));
    let err = app.handle(s3_event(&[KEY])).await.unwrap_err().to_string();
    assert!(
        err.contains("2 of 3 notices") && err.contains("cognito-critical"),
        "{err}"
    );
    assert_eq!(metric(&app, "PublishFailures", None), 2.0);
    assert_eq!(
        metric(&app, "PublishFailures", Some(("Topic", "cognito-critical"))),
        2.0
    );
    // The other topics got theirs; the retry (a new container) sends only what
    // the critical topic is missing.
    let default = cognito_trail_alerts_testkit::ALERT_TOPIC;
    assert_eq!(ids_on(&app, default), ["e-2", "e-3"]);
    let retry = routed_app(records(), store);
    retry.handle(s3_event(&[KEY])).await.unwrap();
    assert!(ids_on(&retry, default).is_empty());
    assert!(ids_on(&retry, PAYMENTS).is_empty());
    assert_eq!(ids_on(&retry, CRITICAL), ["e-1", "e-2"]);
    // Each alert counted once, on the first of its topics: e-1's is the critical
    // topic (the payments route takes it from the alert topic).
    assert_eq!(metric(&app, "Alerts", None), 2.0);
    assert_eq!(metric(&retry, "Alerts", None), 1.0);
}

#[tokio::test(start_paused = true)]
async fn the_self_test_reports_every_topic() {
    let app = routed_app(vec![], FakeStateTable::default());
    app.alerts.down.lock().unwrap().push(topic(PAYMENTS));
    let out = app.handle(json!({"selfTest": true})).await.unwrap();
    let channels = out["selfTest"]["channels"].as_array().unwrap();
    let seen: Vec<(&str, bool)> = channels
        .iter()
        .map(|c| {
            (
                c["topic"].as_str().unwrap(),
                c["accepted"].as_bool().unwrap(),
            )
        })
        .collect();
    let default = cognito_trail_alerts_testkit::ALERT_TOPIC;
    assert_eq!(seen, [(default, true), (CRITICAL, true), (PAYMENTS, false)]);
    assert_eq!(out["selfTest"]["ok"], false);
    assert_eq!(channels[1]["routes"], json!(["critical"]));
    assert_eq!(channels[2]["routes"], json!(["payments"]));
}

#[test]
fn a_route_to_a_topic_the_function_may_not_publish_to_is_refused_at_start() {
    let rules = rules();
    let err = Delivery::default()
        .route_table(
            topic(cognito_trail_alerts_testkit::ALERT_TOPIC),
            rules.routes(),
        )
        .unwrap_err();
    assert!(
        err.contains("route payments (routes.yaml:2) publishes to arn:aws:sns:eu-west-1:111122223333:payments-security"),
        "{err}"
    );
    assert!(err.contains("RouteTopicArns"), "{err}");
}

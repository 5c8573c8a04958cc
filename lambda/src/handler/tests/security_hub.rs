//! Security Hub findings through the function (`SECURITY_HUB`): each published
//! alert imported as an ASFF finding, a retry updating the same finding, calls of
//! at most 100, refused findings and failed calls retried and counted, nothing
//! lost, and the self test's Security Hub channel.

use std::collections::VecDeque;

use super::*;
use crate::ports::{FakeSecurityHub, FakeStateTable};
use crate::security_hub::SecurityHub;

const OWN_ACCOUNT: &str = "444455556666";

/// The app over `records` in one file, a state table, and a fake Security Hub
/// (shared with the test) importing in the function's account in eu-central-1.
fn hub_app(records: Vec<Value>, max: usize) -> (StateApp<FakeStateTable>, Arc<FakeSecurityHub>) {
    let mut s3 = FakeS3::default();
    s3.objects.insert(KEY.into(), Ok(trail(records)));
    let hub = Arc::new(FakeSecurityHub::default());
    let mut app = app_with(s3, FakeStateTable::default()).with_security_hub(SecurityHub::new(
        hub.clone(),
        OWN_ACCOUNT.into(),
        "eu-central-1".into(),
    ));
    app.filter.max_alerts_per_file = max;
    (app, hub)
}

fn script(hub: &FakeSecurityHub, steps: Vec<Result<Vec<usize>, CallError>>) {
    *hub.script.lock().unwrap() = VecDeque::from(steps);
}

fn ids(hub: &FakeSecurityHub) -> Vec<String> {
    let findings = hub.findings.lock().unwrap();
    findings
        .iter()
        .map(|f| f["Id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test(start_paused = true)]
async fn each_published_alert_is_a_finding_in_the_functions_account() {
    let (app, hub) = hub_app(
        vec![
            update_pool_alone(1, true),
            cognito_trail_alerts_testkit::records::noise("n-1"),
        ],
        50,
    );
    app.handle(s3_event(&[KEY])).await.unwrap();

    assert_eq!(published(&app).len(), 1);
    assert_eq!(ids(&hub), vec!["alert#111122223333#e-1"]);
    let f = hub.finding("alert#111122223333#e-1").unwrap();
    assert_eq!(
        f["ProductArn"],
        "arn:aws:securityhub:eu-central-1:444455556666:product/444455556666/default"
    );
    assert_eq!(f["AwsAccountId"], OWN_ACCOUNT);
    assert_eq!(f["GeneratorId"], published(&app)[0]["rule_id"]);
    assert_eq!(f["Severity"]["Label"], "CRITICAL", "guests allowed");
    assert_eq!(f["Severity"]["Original"], published(&app)[0]["severity"]);
    let pool = "arn:aws:cognito-identity:eu-west-1:111122223333:identitypool/eu-west-1:7c1ea0b2-0a4b-4e4e-9d52-000000000001";
    assert_eq!(f["Resources"][0]["Id"], pool);
    assert_eq!(
        f["ProductFields"]["cognito-trail-alerts/AccountId"],
        "111122223333"
    );
    assert!(f["Types"][0]
        .as_str()
        .unwrap()
        .starts_with("Software and Configuration Checks/"));
    assert_eq!(metric(&app, "FindingsImported", None), 1.0);
    assert_eq!(metric(&app, "FindingImportFailures", None), 0.0);
}

#[tokio::test(start_paused = true)]
async fn a_retried_file_updates_the_same_findings_and_publishes_nothing_twice() {
    let (app, hub) = hub_app(
        vec![update_pool_alone(1, true), update_pool_alone(2, true)],
        50,
    );
    app.handle(s3_event(&[KEY])).await.unwrap();
    let first = ids(&hub);

    app.handle(s3_event(&[KEY])).await.unwrap();
    assert_eq!(published(&app).len(), 2, "SNS: sent once");
    assert_eq!(ids(&hub), first, "the same two findings, not four");
    assert_eq!(*hub.calls.lock().unwrap(), vec![2, 2]);
}

#[tokio::test(start_paused = true)]
async fn two_hundred_fifty_alerts_go_in_three_calls() {
    let records = (1..=250).map(|i| update_pool_alone(i, true)).collect();
    let (app, hub) = hub_app(records, 300);
    app.handle(s3_event(&[KEY])).await.unwrap();
    assert_eq!(*hub.calls.lock().unwrap(), vec![100, 100, 50]);
    assert_eq!(ids(&hub).len(), 250);
    assert_eq!(metric(&app, "FindingsImported", None), 250.0);
}

#[tokio::test(start_paused = true)]
async fn a_refused_finding_is_imported_in_the_next_round() {
    let (app, hub) = hub_app(
        vec![update_pool_alone(1, true), update_pool_alone(2, true)],
        50,
    );
    script(&hub, vec![Ok(vec![1])]);
    app.handle(s3_event(&[KEY])).await.unwrap();
    assert_eq!(*hub.calls.lock().unwrap(), vec![2, 1]);
    assert_eq!(ids(&hub).len(), 2);
    assert_eq!(metric(&app, "FindingsImported", None), 2.0);
    assert_eq!(metric(&app, "FindingImportFailures", None), 0.0);
}

#[tokio::test(start_paused = true)]
async fn findings_left_out_fail_the_invocation_and_the_retry_imports_them() {
    let (app, hub) = hub_app(vec![update_pool_alone(1, true)], 50);
    let down = || {
        Err(CallError::transient(
            "BatchImportFindings: InternalException",
        ))
    };
    script(&hub, vec![down(), down(), down()]);
    let err = app.handle(s3_event(&[KEY])).await.unwrap_err();
    assert!(err.to_string().contains("InternalException"), "{err}");
    assert_eq!(published(&app).len(), 1, "the SNS alert never waits");
    assert_eq!(metric(&app, "FindingImportFailures", None), 1.0);
    assert!(ids(&hub).is_empty());

    app.handle(s3_event(&[KEY])).await.unwrap();
    assert_eq!(ids(&hub), vec!["alert#111122223333#e-1"]);
    assert_eq!(published(&app).len(), 1, "and is not sent again");
}

#[tokio::test(start_paused = true)]
async fn access_denied_is_not_retried_in_the_invocation() {
    let (app, hub) = hub_app(vec![update_pool_alone(1, true)], 50);
    let denied = CallError {
        retry: crate::failure::Retry::Permanent,
        message: "BatchImportFindings: AccessDeniedException".into(),
    };
    script(&hub, vec![Err(denied)]);
    assert!(app.handle(s3_event(&[KEY])).await.is_err());
    assert_eq!(hub.calls.lock().unwrap().len(), 1);
    assert_eq!(metric(&app, "FindingImportFailures", None), 1.0);
}

#[tokio::test(start_paused = true)]
async fn findings_are_imported_even_when_a_publish_fails() {
    let (app, hub) = hub_app(vec![update_pool_alone(1, true)], 50);
    let sns_down = || Err(CallError::transient("PublishBatch: InternalError"));
    *app.alerts.script.lock().unwrap() = VecDeque::from(vec![sns_down(), sns_down(), sns_down()]);
    assert!(app.handle(s3_event(&[KEY])).await.is_err());
    assert!(published(&app).is_empty());
    assert_eq!(ids(&hub).len(), 1);
}

#[tokio::test(start_paused = true)]
async fn the_self_test_imports_a_finding_and_reports_it() {
    let (app, hub) = hub_app(vec![], 50);
    let answer = app.handle(json!({"selfTest": true})).await.unwrap();
    let channels = answer["selfTest"]["channels"].as_array().unwrap();
    let channel = channels
        .iter()
        .find(|c| c["channel"] == "Security Hub")
        .unwrap();
    assert_eq!(channel["accepted"], true);
    let id = channel["finding"].as_str().unwrap();
    let finding = hub
        .finding(id)
        .expect("the test finding is in Security Hub");
    assert_eq!(finding["AwsAccountId"], OWN_ACCOUNT);
    assert_eq!(answer["selfTest"]["ok"], true);

    script(&hub, vec![Ok(vec![0])]);
    let answer = app.handle(json!({"selfTest": true})).await.unwrap();
    assert_eq!(answer["selfTest"]["ok"], false);
}

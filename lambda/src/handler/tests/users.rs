//! User lookups (`ENRICH_USERS`) through the handler, with an in-memory directory:
//! both paths enrich, the per-invocation bound, one lookup per distinct user, the
//! container's cache, the time budget.

use std::collections::BTreeMap;
use std::time::Duration;

use cognito_trail_alerts::alert::CognitoUser;
use cognito_trail_alerts::users::{Cause, Failure, Policy, Via};

use super::*;
use crate::ports::{FakeDirectory, NoStore};
use crate::users::Users;

const OWN: &str = "111122223333";
const POOL: &str = "eu-west-1_Sh0pPoo1";

/// An AdminSetUserPassword record as CloudTrail logs it (the user as its sub).
pub(super) fn set_password(i: usize, sub: &str) -> Value {
    json!({"eventVersion": "1.09", "eventSource": "cognito-idp.amazonaws.com", "eventName": "AdminSetUserPassword",
           "eventTime": "2026-11-20T09:02:41Z", "awsRegion": "eu-west-1", "recipientAccountId": OWN,
           "sourceIPAddress": "3.250.17.201", "userAgent": "Boto3/1.35.0", "eventID": format!("pw-{i}"),
           "userIdentity": {"type": "AssumedRole", "arn": format!("arn:aws:sts::{OWN}:assumed-role/support-api/i-0abc"), "accountId": OWN},
           "requestParameters": {"userPoolId": POOL, "username": "HIDDEN_DUE_TO_SECURITY_REASONS",
                                 "password": "HIDDEN_DUE_TO_SECURITY_REASONS", "permanent": true},
           "responseElements": null, "additionalEventData": {"sub": sub},
           "requestID": format!("r-{i}"), "eventType": "AwsApiCall"})
}

fn sub(n: usize) -> String {
    format!("5a1f9c3e-2b4d-4e6f-8a0b-{n:012}")
}

fn jane() -> CognitoUser {
    CognitoUser {
        username: "jane.doe".into(),
        status: Some("CONFIRMED".into()),
        enabled: Some(true),
        created: Some("2026-01-05T10:00:00Z".into()),
        attributes: BTreeMap::new(),
    }
}

fn app_with_users(s3: FakeS3, directory: Arc<FakeDirectory>, max: usize) -> StateApp<NoStore> {
    let policy = Policy {
        own_account: Some(OWN.into()),
        cross_account: false,
        max_lookups: max,
    };
    make_app(s3, 50).with_users(Users::new(directory, policy))
}

fn s3_with(key: &str, records: Vec<Value>) -> FakeS3 {
    let mut s3 = FakeS3::default();
    s3.objects.insert(key.to_string(), Ok(trail(records)));
    s3
}

fn statuses(app: &StateApp<NoStore>) -> Vec<String> {
    published(app)
        .iter()
        .map(|a| {
            a["actor"]["user_lookup"]["status"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

#[tokio::test(start_paused = true)]
async fn both_paths_publish_the_user() {
    let directory = Arc::new(FakeDirectory::default());
    directory.add(OWN, POOL, &sub(1), jane());
    let app = app_with_users(
        s3_with(KEY, vec![set_password(1, &sub(1))]),
        directory.clone(),
        10,
    );
    let event = json!({"version": "0", "id": "7b2e", "detail-type": "AWS API Call via CloudTrail",
        "source": "aws.cognito-idp", "account": OWN, "time": "2026-11-20T09:02:44Z", "region": "eu-west-1",
        "resources": [], "detail": set_password(2, &sub(2))});
    app.handle(event).await.unwrap();
    app.handle(s3_event(&[KEY])).await.unwrap();
    let alerts = published(&app);
    assert_eq!(alerts[0]["source"]["path"], "eventbridge");
    assert_eq!(alerts[0]["actor"]["user_lookup"]["status"], "not_found");
    let found = &alerts[1]["actor"]["user_lookup"];
    assert_eq!(found["status"], "found");
    assert_eq!(
        found["user"],
        json!({"username": "jane.doe", "status": "CONFIRMED", "enabled": true,
               "created": "2026-01-05T10:00:00Z", "attributes": {}})
    );
    assert!(found["hint"].as_str().unwrap().contains(&sub(1)));
    let published = app.alerts.published.lock().unwrap()[1].body.clone();
    let body: Value = serde_json::from_str(&published).unwrap();
    assert!(body["email"].as_str().unwrap().contains(&format!(
        "sub {} — jane.doe (CONFIRMED, enabled, created 2026-01-05T10:00:00Z)",
        sub(1)
    )));
    assert!(body["https"].as_str().unwrap().contains("is `jane.doe`"));
    assert_eq!(metric(&app, "UserLookups", Some(("Status", "found"))), 1.0);
    assert_eq!(
        metric(&app, "UserLookups", Some(("Status", "not_found"))),
        1.0
    );
}

#[tokio::test(start_paused = true)]
async fn one_lookup_per_user_a_bounded_number_per_invocation_then_the_cache() {
    let directory = Arc::new(FakeDirectory::default());
    for n in 0..6 {
        directory.add(OWN, POOL, &sub(n), jane());
    }
    // Six users, each in two records: twelve alerts.
    let records = (0..12).map(|i| set_password(i, &sub(i % 6))).collect();
    let app = app_with_users(s3_with(KEY, records), directory.clone(), 4);
    app.handle(s3_event(&[KEY])).await.unwrap();
    assert_eq!(directory.calls(), 4, "one per distinct user, at most 4");
    let got = statuses(&app);
    assert_eq!(got.iter().filter(|s| *s == "found").count(), 8);
    let skipped: Vec<Value> = published(&app)
        .into_iter()
        .filter(|a| a["actor"]["user_lookup"]["status"] == "skipped")
        .collect();
    assert_eq!(skipped.len(), 4);
    assert_eq!(
        skipped[0]["actor"]["user_lookup"]["reason"],
        "the limit of 4 lookups per invocation was reached"
    );
    // The same users in a second file, next invocation: four come from the
    // container's cache, the other two are asked now.
    let again: Vec<Value> = (20..26).map(|i| set_password(i, &sub(i % 6))).collect();
    app.alerts.published.lock().unwrap().clear();
    let other = KEY.replace("_a.json.gz", "_b.json.gz");
    let app = StateApp::<NoStore> {
        source: s3_with(&other, again),
        ..app
    };
    app.handle(s3_event(&[&other])).await.unwrap();
    assert_eq!(directory.calls(), 6);
    assert!(statuses(&app).iter().all(|s| s == "found"));
}

#[tokio::test(start_paused = true)]
async fn slow_or_failing_lookups_never_hold_an_alert_back() {
    let directory = Arc::new(FakeDirectory::default());
    *directory.delay.lock().unwrap() = Some(Duration::from_secs(30));
    let records = (0..3).map(|i| set_password(i, &sub(i))).collect();
    let app = app_with_users(s3_with(KEY, records), directory.clone(), 10);
    let start = tokio::time::Instant::now();
    app.handle(s3_event(&[KEY])).await.unwrap();
    let waited = start.elapsed();
    assert!(
        waited <= Duration::from_millis(1100),
        "{waited:?}: in parallel, 1 s each"
    );
    assert_eq!(statuses(&app), ["failed", "failed", "failed"]);
    let reason = published(&app)[0]["actor"]["user_lookup"]["reason"].clone();
    assert_eq!(reason, "timeout: no answer from ListUsers within 1000 ms");
    // Access denied: said, and the account is not asked again in the invocation.
    let directory = Arc::new(FakeDirectory::default());
    *directory.failure.lock().unwrap() = Some(Failure {
        cause: Cause::AccessDenied,
        detail: "AccessDeniedException: not authorized to perform: cognito-idp:ListUsers".into(),
    });
    let first = s3_with(KEY, vec![set_password(1, &sub(1))]);
    let app = app_with_users(first, directory.clone(), 10);
    let other = KEY.replace("_a.json.gz", "_b.json.gz");
    let app = StateApp::<NoStore> {
        source: {
            let mut s3 = s3_with(KEY, vec![set_password(1, &sub(1))]);
            s3.objects
                .insert(other.clone(), Ok(trail(vec![set_password(2, &sub(2))])));
            s3
        },
        ..app
    };
    app.handle(s3_event(&[KEY, &other])).await.unwrap();
    assert_eq!(directory.calls(), 1);
    assert_eq!(statuses(&app), ["failed", "failed"]);
    assert_eq!(metric(&app, "UserLookups", Some(("Status", "failed"))), 2.0);
    assert_eq!(
        directory.asked.lock().unwrap()[0].1,
        Via::Own,
        "the function's own account"
    );
}

//! Account names from Organizations (`ACCOUNT_NAMES_ROLE_ARN`) through the
//! handler, with an in-memory organization: the name in the message, the
//! overlays first, the container's cache, the state table's listing for a cold
//! container, DescribeAccount for an account a listing lacks, and failures that
//! never hold an alert back.

use std::time::Duration;

use cognito_trail_alerts::alert::account::AccountListing;
use cognito_trail_alerts::rules::{Date, Overlay};
use cognito_trail_alerts::users::{Cause, Failure};

use super::*;
use crate::accounts::AccountNamer;
use crate::ports::{AccountNameStore, FakeAccounts, FakeStateTable};

const ACCOUNT: &str = "111122223333";

fn org() -> Arc<FakeAccounts> {
    Arc::new(FakeAccounts::with(&[
        (ACCOUNT, "prod-payments"),
        ("444455556666", "sandbox"),
    ]))
}

fn file(name: &str, first: usize) -> FakeS3 {
    let mut s3 = FakeS3::default();
    // Two actors: two messages, each naming the account.
    let records = vec![
        update_pool_alone(first, true),
        update_pool_alone(first + 1, false),
    ];
    s3.objects.insert(key(name), Ok(trail(records)));
    s3
}

fn key(name: &str) -> String {
    KEY.replace("_a.json.gz", &format!("_{name}.json.gz"))
}

/// The app over `s3` naming accounts from `directory`, with `table` as its state
/// table when given.
fn named(
    s3: FakeS3,
    directory: Arc<FakeAccounts>,
    table: Option<FakeStateTable>,
) -> StateApp<FakeStateTable> {
    let store = table
        .clone()
        .map(|t| Arc::new(t) as Arc<dyn AccountNameStore>);
    let app = app_with(s3, table.unwrap_or_default());
    app.with_account_names(AccountNamer::new(directory, store))
}

/// The email bodies published.
fn emails(app: &StateApp<FakeStateTable>) -> Vec<String> {
    let sent = app.alerts.published.lock().unwrap();
    sent.iter()
        .map(|m| {
            let body: Value = serde_json::from_str(&m.body).unwrap();
            body["email"].as_str().unwrap().to_string()
        })
        .collect()
}

fn sum(app: &StateApp<FakeStateTable>, name: &str, dim: Option<(&str, &str)>) -> f64 {
    app.metrics.sum(name, dim)
}

#[tokio::test(start_paused = true)]
async fn the_name_from_organizations_is_in_the_message_and_cached_for_the_next_file() {
    let directory = org();
    let app = named(file("a", 1), directory.clone(), None);
    app.handle(s3_event(&[&key("a")])).await.unwrap();
    let mails = emails(&app);
    assert_eq!(mails.len(), 2);
    assert!(
        mails
            .iter()
            .all(|m| m.contains("account 111122223333 (prod-payments) region eu-west-1")),
        "{mails:?}"
    );
    assert_eq!(published(&app)[0]["account_name"], "prod-payments");
    assert_eq!(*directory.calls.lock().unwrap(), ["ListAccounts"]);
    assert_eq!(sum(&app, "AccountNameLookups", None), 1.0);
    assert_eq!(sum(&app, "AccountNameFailures", None), 0.0);
    // A second file in the same container: the cache answers.
    let app = StateApp::<FakeStateTable> {
        source: file("b", 3),
        ..app
    };
    app.handle(s3_event(&[&key("b")])).await.unwrap();
    assert_eq!(directory.count(), 1, "no new call");
    assert_eq!(emails(&app).len(), 4);
    assert!(emails(&app)[3].contains("(prod-payments)"));
}

#[tokio::test(start_paused = true)]
async fn an_overlay_name_wins_and_asks_nothing() {
    let directory = org();
    let mut app = named(file("a", 1), directory.clone(), None);
    let overlay = Overlay::from_yaml("accounts:\n  \"111122223333\": payments-prod\n", "n.yaml");
    let rules = RuleSet::bundled()
        .unwrap()
        .with_overlays(vec![overlay.unwrap()], Date::parse("2026-11-30").unwrap())
        .unwrap();
    app.rules = Arc::new(rules);
    app.handle(s3_event(&[&key("a")])).await.unwrap();
    assert!(emails(&app)[0].contains("account 111122223333 (payments-prod)"));
    assert_eq!(directory.count(), 0);
    assert_eq!(sum(&app, "AccountNameLookups", None), 0.0);
}

#[tokio::test(start_paused = true)]
async fn a_cold_container_reads_the_state_tables_listing_and_calls_nothing() {
    let table = FakeStateTable::default();
    let warm = named(file("a", 1), org(), Some(table.clone()));
    warm.handle(s3_event(&[&key("a")])).await.unwrap();
    let stored = table.account_names.lock().unwrap().clone().unwrap();
    assert_eq!(stored.names[ACCOUNT], "prod-payments");
    let directory = org();
    let cold = named(file("b", 3), directory.clone(), Some(table));
    cold.handle(s3_event(&[&key("b")])).await.unwrap();
    assert_eq!(directory.count(), 0);
    assert!(emails(&cold)[0].contains("account 111122223333 (prod-payments)"));
}

#[tokio::test(start_paused = true)]
async fn an_account_the_stored_listing_lacks_is_described() {
    let table = FakeStateTable::default();
    let now = crate::clock::Clock::system().unix_secs();
    *table.account_names.lock().unwrap() = Some(AccountListing {
        fetched: now - 600,
        names: [("444455556666".to_string(), "sandbox".to_string())].into(),
    });
    let directory = org();
    let app = named(file("a", 1), directory.clone(), Some(table));
    app.handle(s3_event(&[&key("a")])).await.unwrap();
    assert_eq!(
        *directory.calls.lock().unwrap(),
        ["DescribeAccount 111122223333"]
    );
    assert!(emails(&app)[0].contains("(prod-payments)"));
}

#[tokio::test(start_paused = true)]
async fn a_slow_organization_never_holds_an_alert_back() {
    let directory = org();
    *directory.delay.lock().unwrap() = Some(Duration::from_secs(5));
    let app = named(file("a", 1), directory.clone(), None);
    let start = tokio::time::Instant::now();
    app.handle(s3_event(&[&key("a")])).await.unwrap();
    let waited = start.elapsed();
    assert!(waited <= Duration::from_millis(1100), "{waited:?}");
    let mails = emails(&app);
    assert_eq!(mails.len(), 2, "both published");
    assert!(
        mails[0].contains("account 111122223333 region eu-west-1"),
        "{}",
        mails[0]
    );
    assert!(published(&app)[0].get("account_name").is_none());
    assert_eq!(
        sum(&app, "AccountNameFailures", Some(("Reason", "timeout"))),
        1.0
    );
    assert_eq!(sum(&app, "AccountNameFailures", None), 1.0);
    // The listing went on in the background: done, it ends the pause after the
    // failure, and the next file is named without a new call.
    tokio::time::sleep(Duration::from_secs(5)).await;
    let app = StateApp::<FakeStateTable> {
        source: file("b", 3),
        ..app
    };
    app.handle(s3_event(&[&key("b")])).await.unwrap();
    assert_eq!(directory.count(), 1);
    assert!(emails(&app)[2].contains("(prod-payments)"));
}

#[tokio::test(start_paused = true)]
async fn a_failing_organization_is_counted_then_left_alone_for_a_while() {
    let directory = org();
    *directory.failure.lock().unwrap() = Some(Failure {
        cause: Cause::AccessDenied,
        detail: "ListAccounts: AccessDeniedException: not authorized".into(),
    });
    let app = named(file("a", 1), directory.clone(), None);
    app.handle(s3_event(&[&key("a")])).await.unwrap();
    assert_eq!(emails(&app).len(), 2);
    assert!(emails(&app)[0].contains("account 111122223333 region"));
    assert_eq!(
        sum(
            &app,
            "AccountNameFailures",
            Some(("Reason", "access_denied"))
        ),
        1.0
    );
    let app = StateApp::<FakeStateTable> {
        source: file("b", 3),
        ..app
    };
    app.handle(s3_event(&[&key("b")])).await.unwrap();
    assert_eq!(directory.count(), 1, "paused after the failure");
    assert_eq!(emails(&app).len(), 4);
}

#[tokio::test(start_paused = true)]
async fn user_lookups_and_account_names_share_the_one_second() {
    let users = Arc::new(crate::ports::FakeDirectory::default());
    *users.delay.lock().unwrap() = Some(Duration::from_secs(30));
    let directory = org();
    *directory.delay.lock().unwrap() = Some(Duration::from_secs(30));
    let mut s3 = FakeS3::default();
    let sub = "5a1f9c3e-2b4d-4e6f-8a0b-000000000001";
    s3.objects.insert(
        key("a"),
        Ok(trail(vec![super::users::set_password(1, sub)])),
    );
    let policy = cognito_trail_alerts::users::Policy {
        own_account: Some(ACCOUNT.into()),
        cross_account: false,
        max_lookups: 10,
    };
    let app = named(s3, directory, None).with_users(crate::users::Users::new(users, policy));
    let start = tokio::time::Instant::now();
    app.handle(s3_event(&[&key("a")])).await.unwrap();
    let waited = start.elapsed();
    assert!(
        waited <= Duration::from_millis(1100),
        "{waited:?}: side by side"
    );
    assert_eq!(
        published(&app)[0]["actor"]["user_lookup"]["status"],
        "failed"
    );
    assert_eq!(sum(&app, "AccountNameFailures", None), 1.0);
}

#[tokio::test(start_paused = true)]
async fn a_change_sets_header_names_the_account() {
    let mut s3 = FakeS3::default();
    let apply = cognito_trail_alerts_testkit::records::terraform_apply(
        "deployer",
        "ASIAQNZGKDEPLOYER001",
        "tf",
        0,
    );
    s3.objects.insert(key("apply"), Ok(trail(apply)));
    let app = named(s3, org(), None);
    app.handle(s3_event(&[&key("apply")])).await.unwrap();
    let mails = emails(&app);
    assert_eq!(mails.len(), 1, "one change set");
    let header = mails[0].split("Changes:").next().unwrap();
    assert!(
        header.contains("account 111122223333 (prod-payments) region eu-west-1"),
        "{header}"
    );
}

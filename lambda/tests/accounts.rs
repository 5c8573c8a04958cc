//! Account names end to end (`ACCOUNT_NAMES_ROLE_ARN`): an organization in moto
//! (Organizations, STS, DynamoDB) behind the routing proxy, the rest in
//! LocalStack. The adapter lists through the assumed role, the function names
//! the alert's account and keeps the listing in the state table for a cold
//! container, and an Organizations that never answers costs an alert nothing
//! but its name.

mod common;

use std::time::{Duration, Instant};

use aws_config::sts::AssumeRoleProvider;
use aws_sdk_organizations::operation::create_organization::CreateOrganizationError;
use aws_sdk_organizations::types::OrganizationFeatureSet;
use cognito_trail_alerts::alert::account::AccountListing;
use cognito_trail_alerts_lambda::aws::{DynamoStore, OrganizationsDirectory};
use cognito_trail_alerts_lambda::ports::{AccountDirectory, AccountNameStore};
use common::faults::Service;
use common::proxy::{Fault, Rule};
use common::state::{moto_endpoint, router, text, StateTable};
use common::*;
use serde_json::Value;

/// The management account: moto keeps one organization per management account
/// for the server's life, shared by every run of these tests.
const MANAGEMENT: &str = "210987654321";
const ROLE: &str = "arn:aws:iam::210987654321:role/cognito-trail-alerts-account-names";

/// An Organizations client of the management account (moto serves an account's
/// organization to the credentials of a role in it).
async fn management() -> aws_sdk_organizations::Client {
    let url = moto_endpoint();
    require(&url, "moto (Organizations)", "scripts/moto.sh start");
    let shared = sdk_config_for(&url).await;
    let provider = AssumeRoleProvider::builder(format!("arn:aws:iam::{MANAGEMENT}:role/org-admin"))
        .session_name("test-setup")
        .configure(&shared)
        .build()
        .await;
    let conf = aws_sdk_organizations::config::Builder::from(&shared)
        .credentials_provider(provider)
        .build();
    aws_sdk_organizations::Client::from_conf(conf)
}

/// Accounts named `names` in the organization (created unless it exists);
/// returns their ids.
async fn accounts(names: &[String]) -> Vec<String> {
    let org = management().await;
    let created = org
        .create_organization()
        .feature_set(OrganizationFeatureSet::All)
        .send()
        .await;
    if let Err(e) = created {
        let e = e.into_service_error();
        assert!(
            matches!(
                e,
                CreateOrganizationError::AlreadyInOrganizationException(_)
            ),
            "{e:?}"
        );
    }
    let mut ids = Vec::new();
    for name in names {
        let out = org
            .create_account()
            .account_name(name)
            .email(format!("{name}@example.com"))
            .send()
            .await
            .expect("create account");
        let status = out.create_account_status.expect("a status");
        ids.push(status.account_id.expect("created at once"));
    }
    ids
}

fn unique(tag: &str) -> String {
    format!("cta-{tag}-{}", std::process::id())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_adapter_lists_every_page_and_describes_through_the_role() {
    let names: Vec<String> = (0..3).map(|i| unique(&format!("list-{i}"))).collect();
    let ids = accounts(&names).await;
    let shared = sdk_config_for(&moto_endpoint()).await;
    // Two a page: at least three pages, whatever else the organization holds.
    let directory = OrganizationsDirectory::new(&shared, ROLE)
        .await
        .with_page_size(2);
    let listed = directory.list().await.expect("ListAccounts");
    for (id, name) in ids.iter().zip(&names) {
        assert_eq!(listed.get(id), Some(name), "{listed:?}");
    }
    assert!(
        listed.contains_key(MANAGEMENT),
        "the management account too"
    );
    assert_eq!(
        directory.describe(&ids[1]).await.unwrap().as_deref(),
        Some(names[1].as_str())
    );
    assert_eq!(directory.describe("000000000000").await.unwrap(), None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_listing_is_written_to_the_state_table_and_read_back() {
    let table = StateTable::create(&unique("names-table")).await;
    let store = DynamoStore::new(table.client.clone(), table.name.clone());
    assert_eq!(store.recall_names().await.unwrap(), None);
    let listing = AccountListing {
        fetched: 1_800_000_000,
        names: [("111122223333".to_string(), "prod-payments".to_string())].into(),
    };
    store.remember_names(&listing).await.unwrap();
    assert_eq!(store.recall_names().await.unwrap(), Some(listing));
    let items = table.items().await;
    assert_eq!(items.len(), 1);
    assert_eq!(
        (text(&items[0], "pk"), text(&items[0], "sk")),
        ("account-names", "organization")
    );
    assert_eq!(common::state::number(&items[0], "ttl"), 1_800_003_600);
}

/// A trail file of one UpdateIdentityPool in `account`; returns the delivered
/// alert and how long the invocation took.
async fn run(
    world: &World,
    app: &cognito_trail_alerts_lambda::LambdaApp,
    name: &str,
    account: &str,
) -> (Value, Duration) {
    let mut record = cognito(&format!("{name}-e"), "UpdateIdentityPool", name, true);
    record["recipientAccountId"] = account.into();
    let key = trail_key("", None, name);
    world.put(&key, trail_gz(&[record])).await;
    let start = Instant::now();
    app.handle(s3_event(&world.bucket, &[&key])).await.unwrap();
    let took = start.elapsed();
    let mut got = world.delivered(1).await;
    assert_eq!(got.len(), 1, "{got:?}");
    (got.remove(0).1, took)
}

fn organizations_calls(proxy: &common::proxy::Proxy) -> Vec<String> {
    proxy
        .seen()
        .into_iter()
        .filter(|s| s.service == Some(Service::Organizations))
        .map(|s| s.operation)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_alert_names_the_account_and_a_cold_container_reads_the_table() {
    let (world, proxy) = (World::with_state("names").await, router().await);
    let name = unique("prod-payments");
    let id = accounts(std::slice::from_ref(&name)).await.remove(0);
    let settings = [
        ("ACCOUNT_NAMES_ROLE_ARN", ROLE),
        ("STATE_TABLE", world.table().name.as_str()),
    ];
    let warm = world.function_with(&proxy.url(), &settings).await;
    let (alert, _) = run(&world, &warm, "N4mesW4rm0000001", &id).await;
    assert_eq!(alert["account_id"], id.as_str());
    assert_eq!(alert["account_name"], name.as_str(), "{alert}");
    assert_eq!(organizations_calls(&proxy), ["ListAccounts"]);
    let assumed = proxy
        .seen()
        .into_iter()
        .any(|s| s.operation == "AssumeRole");
    assert!(assumed, "through the role");
    let stored = world.table().items().await;
    let item = stored
        .iter()
        .find(|i| text(i, "pk") == "account-names")
        .expect("the listing item");
    let listing: AccountListing = serde_json::from_str(text(item, "data")).unwrap();
    assert_eq!(listing.names.get(&id), Some(&name));

    let cold = world.function_with(&proxy.url(), &settings).await;
    let (alert, _) = run(&world, &cold, "N4mesC0ld0000001", &id).await;
    assert_eq!(alert["account_name"], name.as_str());
    assert_eq!(organizations_calls(&proxy).len(), 1, "no new call");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_organizations_out_of_reach_costs_the_alert_its_name_only() {
    let (world, proxy) = (World::new("names-down").await, router().await);
    let settings = [("ACCOUNT_NAMES_ROLE_ARN", ROLE)];
    proxy.inject(Rule::new(Service::Organizations, Fault::Stall, 10));
    let app = world.function_with(&proxy.url(), &settings).await;
    let (alert, took) = run(&world, &app, "N4mesSt4ll000001", ACCOUNT).await;
    assert!(alert.get("account_name").is_none(), "{alert}");
    assert_eq!(alert["account_id"], ACCOUNT);
    assert!(
        took < Duration::from_secs(4),
        "the invocation took {took:?}"
    );
    let failed = metric_sum(
        &world.namespace,
        "AccountNameFailures",
        Some(("Reason", "timeout")),
    );
    assert_eq!(failed, 1.0);

    // A connection that breaks at once: an error, said as such.
    proxy.heal();
    proxy.inject(Rule::new(Service::Organizations, Fault::Reset, 10));
    let app = world.function_with(&proxy.url(), &settings).await;
    let (alert, took) = run(&world, &app, "N4mesR3set000001", ACCOUNT).await;
    assert!(alert.get("account_name").is_none(), "{alert}");
    assert!(
        took < Duration::from_secs(4),
        "the invocation took {took:?}"
    );
    let failed = metric_sum(
        &world.namespace,
        "AccountNameFailures",
        Some(("Reason", "error")),
    );
    assert_eq!(failed, 1.0);
}

//! Open chains in the state table (`aws/chains.rs`) against moto's DynamoDB: the
//! item per (chain, group), its versioned conditional writes, and the function
//! over the fakes (S3, SNS, CloudWatch) with that table continuing a chain in a
//! second, cold container.

use std::sync::Arc;

use cognito_trail_alerts::chains::{step, store_key, GroupKey, Hit};
use cognito_trail_alerts::{RuleSet, Severity};
use cognito_trail_alerts_lambda::alert_filter::AlertFilter;
use cognito_trail_alerts_lambda::aws::DynamoStore;
use cognito_trail_alerts_lambda::handler::App;
use cognito_trail_alerts_lambda::ports::{
    ChainStore, FakeMetrics, FakePorts, FakeS3, FakeSns, Written,
};
use cognito_trail_alerts_testkit::chains::{admin_change_email, admin_disable_totp, USER_SUB};
use cognito_trail_alerts_testkit::records::RecordExt;
use cognito_trail_alerts_testkit::{envelopes, files};
use serde_json::Value;

use super::common::sdk_config_for;
use super::common::state::{moto_endpoint, number, text, StateTable};

async fn store(table: &StateTable) -> DynamoStore {
    let shared = sdk_config_for(&moto_endpoint()).await;
    DynamoStore::new(aws_sdk_dynamodb::Client::new(&shared), table.name.clone())
}

#[tokio::test]
async fn a_group_is_one_versioned_item_and_a_stale_writer_is_told() {
    let table = StateTable::create(&format!("chains-item-{}", std::process::id())).await;
    let store = store(&table).await;
    let rules = RuleSet::bundled().unwrap();
    let chain = &rules
        .chains()
        .iter()
        .find(|c| c.id == "cognito.chain.account-takeover")
        .unwrap()
        .chain;
    let group = GroupKey::new(["arn:aws:sts::111122223333:assumed-role/a/b", "pool/sub"]);
    let key = store_key(chain, &group);
    assert_eq!(store.load(&key).await.unwrap(), None);
    // The takeover chain is an `all`: one step, counted by the step's name.
    let hit = |id: &str, step_name: &str, time: i64| Hit {
        step: 0,
        group: group.clone(),
        distinct: Some(step_name.into()),
        time,
        event_id: id.into(),
        detail: Some(format!("{id} did something")),
    };
    let first = step(
        chain,
        None,
        &hit("e1", "sign-in factor changed", 1_794_301_200),
        1_794_301_200,
    )
    .state;
    assert_eq!(
        store.save(&key, &first, None, 1_900_000_000).await.unwrap(),
        Written::Saved
    );
    // A second writer that also read nothing is refused, not overwritten.
    assert_eq!(
        store.save(&key, &first, None, 1_900_000_000).await.unwrap(),
        Written::Conflict
    );
    let stored = store.load(&key).await.unwrap().expect("stored");
    assert_eq!((stored.version, &stored.state), (1, &first));
    let items = table.items().await;
    assert_eq!(items.len(), 1);
    assert_eq!(text(&items[0], "sk"), "chain");
    assert_eq!(number(&items[0], "ttl"), 1_900_000_000);
    // Two writers at version 1: one wins, the other reads again.
    let second = step(
        chain,
        Some(first.clone()),
        &hit("e2", "second factor removed", 1_794_301_500),
        1_794_301_500,
    );
    assert_eq!(second.fired.len(), 1);
    assert_eq!(
        store
            .save(&key, &second.state, Some(1), 1_900_000_000)
            .await
            .unwrap(),
        Written::Saved
    );
    assert_eq!(
        store
            .save(&key, &first, Some(1), 1_900_000_000)
            .await
            .unwrap(),
        Written::Conflict
    );
    assert_eq!(store.load(&key).await.unwrap().unwrap().version, 2);
    // An empty state deletes the item, at its version only.
    let empty = Default::default();
    assert_eq!(
        store.save(&key, &empty, Some(1), 0).await.unwrap(),
        Written::Conflict
    );
    assert_eq!(
        store.save(&key, &empty, Some(2), 0).await.unwrap(),
        Written::Saved
    );
    assert_eq!(store.load(&key).await.unwrap(), None);
}

const KEY_A: &str = "AWSLogs/111122223333/CloudTrail/eu-west-1/2026/11/20/111122223333_CloudTrail_eu-west-1_20261120T0905Z_a.json.gz";
const KEY_B: &str = "AWSLogs/111122223333/CloudTrail/eu-west-1/2026/11/20/111122223333_CloudTrail_eu-west-1_20261120T0915Z_b.json.gz";

async fn container(table: &StateTable) -> App<FakePorts<DynamoStore>> {
    let mut s3 = FakeS3::default();
    let email = admin_change_email("ev-email", USER_SUB).at("2026-11-20T09:00:00Z");
    let totp = admin_disable_totp("ev-totp", USER_SUB).at("2026-11-20T09:06:40Z");
    s3.objects.insert(KEY_A.into(), Ok(files::trail(&[email])));
    s3.objects.insert(KEY_B.into(), Ok(files::trail(&[totp])));
    let filter = AlertFilter {
        min_severity: Severity::Low,
        max_alerts_per_file: 50,
    };
    let rules = Arc::new(RuleSet::bundled().unwrap());
    App::new(
        filter,
        rules,
        s3,
        FakeSns::default(),
        FakeMetrics::default(),
        cognito_trail_alerts::routes::TopicArn::parse(cognito_trail_alerts_testkit::ALERT_TOPIC)
            .unwrap(),
    )
    .with_state(store(table).await)
}

fn chain_alerts(app: &App<FakePorts<DynamoStore>>) -> Vec<Value> {
    let sent = app.alerts.published.lock().unwrap();
    sent.iter()
        .flat_map(|m| {
            let body: Value = serde_json::from_str(&m.body).unwrap();
            let machine: Value = serde_json::from_str(body["sqs"].as_str().unwrap()).unwrap();
            // A change set (the chain alert and its actor's other changes) holds
            // its alerts whole.
            match machine["kind"].as_str() {
                Some("change_set") => machine["alerts"].as_array().unwrap().clone(),
                _ => vec![machine],
            }
        })
        .filter(|a| a.get("chain").is_some())
        .collect()
}

#[tokio::test]
async fn a_cold_container_completes_the_chain_from_the_table_once() {
    let table = StateTable::create(&format!("chains-e2e-{}", std::process::id())).await;
    let first = container(&table).await;
    first
        .handle(envelopes::s3_event("trail-bucket", &[KEY_A]))
        .await
        .unwrap();
    assert!(chain_alerts(&first).is_empty());
    let cold = container(&table).await;
    cold.handle(envelopes::s3_event("trail-bucket", &[KEY_B]))
        .await
        .unwrap();
    let chains = chain_alerts(&cold);
    assert_eq!(chains.len(), 1);
    assert_eq!(chains[0]["rule_id"], "cognito.chain.account-takeover");
    assert_eq!(chains[0]["chain"]["members"][0]["event_id"], "ev-email");
    // A retry in a third container: the hit is a duplicate, the claim holds.
    let third = container(&table).await;
    third
        .handle(envelopes::s3_event("trail-bucket", &[KEY_B]))
        .await
        .unwrap();
    assert!(chain_alerts(&third).is_empty());
    // DynamoDB calls: one read and one write per group a file touched.
    let items = table.items().await;
    assert_eq!(items.iter().filter(|i| text(i, "sk") == "chain").count(), 1);
}

//! Snapshots on first sight end to end: the Cognito adapter (`CognitoConfigReader`)
//! against moto's Cognito behind the fault proxy, and the function (S3, SNS and
//! CloudWatch faked; the state table in moto, through the same proxy) seeding the
//! first alert of a pool the table has never seen; AccessDenied, throttling and a
//! slow Cognito cost at most the one-second budget, and the alert still goes out.
//!
//! What moto 5.2.5 serves: DescribeUserPool, GetUserPoolMfaConfig,
//! DescribeUserPoolClient, DescribeUserPoolDomain and DescribeIdentityPool; not
//! GetIdentityPoolRoles (nor SetIdentityPoolRoles) nor DescribeRiskConfiguration
//! (HTTP 500), so an identity pool's snapshot fails there, counted as `error`.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use aws_sdk_cognitoidentityprovider::types::{
    DeletionProtectionType, ExplicitAuthFlowsType, SoftwareTokenMfaConfigType, UserPoolMfaType,
};
use cognito_trail_alerts::settings::ResourceKey;
use cognito_trail_alerts::users::{Cause, Via};
use cognito_trail_alerts::{RuleSet, Severity};
use cognito_trail_alerts_lambda::alert_filter::AlertFilter;
use cognito_trail_alerts_lambda::aws::{CognitoConfigReader, DynamoStore, MemberRoles};
use cognito_trail_alerts_lambda::handler::App;
use cognito_trail_alerts_lambda::ports::{
    ConfigReader, ConfigTarget, FakeMetrics, FakePorts, FakeS3, FakeSns,
};
use cognito_trail_alerts_lambda::snapshots::Snapshots;
use cognito_trail_alerts_lambda::users::config::Access;
use cognito_trail_alerts_testkit::records::{update_user_pool, RecordExt};
use cognito_trail_alerts_testkit::{envelopes, files};
use common::faults::Service;
use common::proxy::{Fault, Proxy, Rule};
use common::state::{moto_endpoint, text, StateTable};
use common::users::{Pool, POOL_REGION};
use common::{endpoint, sdk_config_for, ACCOUNT};
use serde_json::{json, Value};

const BUCKET: &str = "trail-bucket";
const KEY: &str = "AWSLogs/111122223333/CloudTrail/eu-west-1/2026/11/20/111122223333_CloudTrail_eu-west-1_20261120T0905Z_a.json.gz";

fn key(kind: &str, id: &str) -> ResourceKey {
    ResourceKey {
        account: ACCOUNT.into(),
        region: POOL_REGION.into(),
        kind: kind.into(),
        id: id.into(),
    }
}

/// The proxy (Cognito and DynamoDB to moto) and a reader through it.
async fn reader() -> (Proxy, Arc<CognitoConfigReader>) {
    let proxy = Proxy::start_routed(endpoint(), moto_endpoint()).await;
    let shared = sdk_config_for(&proxy.url()).await;
    let roles = Arc::new(MemberRoles::new(&shared, None));
    (proxy, Arc::new(CognitoConfigReader::new(&shared, roles)))
}

/// A pool with MFA on (software tokens), deletion protection, and a client.
async fn pool(name: &str) -> (Pool, String) {
    let pool = Pool::create(name).await;
    pool.client
        .update_user_pool()
        .user_pool_id(&pool.id)
        .deletion_protection(DeletionProtectionType::Active)
        .send()
        .await
        .expect("update pool");
    pool.client
        .set_user_pool_mfa_config()
        .user_pool_id(&pool.id)
        .mfa_configuration(UserPoolMfaType::On)
        .software_token_mfa_configuration(
            SoftwareTokenMfaConfigType::builder().enabled(true).build(),
        )
        .send()
        .await
        .expect("set MFA");
    let client = pool
        .client
        .create_user_pool_client()
        .user_pool_id(&pool.id)
        .client_name("web")
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .callback_urls("https://example.com/cb")
        .send()
        .await
        .expect("create client")
        .user_pool_client
        .and_then(|c| c.client_id)
        .unwrap();
    (pool, client)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_kind_reads_as_its_requests_spell_it() {
    let (proxy, reader) = reader().await;
    let (pool, client) = pool("snapshot-kinds").await;
    let domain = format!("snap-{}", std::process::id());
    pool.client
        .create_user_pool_domain()
        .user_pool_id(&pool.id)
        .domain(&domain)
        .send()
        .await
        .expect("create domain");
    let read = |kind: &str, id: &str, user_pool_id: Option<&str>| {
        let target = ConfigTarget {
            key: key(kind, id),
            user_pool_id: user_pool_id.map(str::to_string),
        };
        let reader = reader.clone();
        async move { reader.read(&target, &Via::Own).await }
    };

    let conf = read("user-pool", &pool.id, None).await.unwrap();
    assert_eq!(conf.calls, "DescribeUserPool+GetUserPoolMfaConfig");
    assert_eq!(conf.doc["mfaConfiguration"], "ON");
    assert_eq!(conf.doc["deletionProtection"], "ACTIVE");
    assert_eq!(conf.doc["softwareTokenMfaConfiguration"]["enabled"], true);
    assert!(conf.doc["policies"]["passwordPolicy"]["minimumLength"].is_number());
    assert!(conf.doc.get("estimatedNumberOfUsers").is_none());

    let conf = read("app-client", &client, Some(&pool.id)).await.unwrap();
    assert_eq!(conf.calls, "DescribeUserPoolClient");
    let flows = conf.doc["explicitAuthFlows"].as_array().unwrap();
    assert!(
        flows.contains(&json!("ALLOW_USER_PASSWORD_AUTH")),
        "{flows:?}"
    );
    assert_eq!(conf.doc["callbackURLs"], json!(["https://example.com/cb"]));
    // Without the record's userPoolId there is nothing to call.
    assert!(read("app-client", &client, None).await.is_err());

    let conf = read("domain", &domain, None).await.unwrap();
    assert_eq!(conf.calls, "DescribeUserPoolDomain");
    assert_eq!(conf.doc["userPoolId"], pool.id.as_str());
    // An unknown domain: Cognito's empty description is no configuration.
    assert!(read("domain", "no-such-domain-x", None).await.is_err());

    // moto serves DescribeIdentityPool but not GetIdentityPoolRoles.
    let identity = aws_sdk_cognitoidentity::Client::from_conf(
        aws_sdk_cognitoidentity::config::Builder::from(&sdk_config_for(&moto_endpoint()).await)
            .region(aws_sdk_cognitoidentity::config::Region::new(POOL_REGION))
            .build(),
    );
    let id = identity
        .create_identity_pool()
        .identity_pool_name("snapshot")
        .allow_unauthenticated_identities(true)
        .send()
        .await
        .expect("create identity pool")
        .identity_pool_id;
    let failure = read("identity-pool", &id, None).await.unwrap_err();
    assert_eq!(failure.cause, Cause::Error, "{failure:?}");
    let seen: Vec<String> = proxy.seen().into_iter().map(|s| s.operation).collect();
    assert!(
        seen.contains(&"DescribeIdentityPool".to_string()),
        "{seen:?}"
    );
    assert!(
        seen.contains(&"GetIdentityPoolRoles".to_string()),
        "{seen:?}"
    );
}

/// The function over the fakes, with the state table in moto and snapshots read
/// by `reader`, both through the proxy.
async fn function(
    proxy: &Proxy,
    reader: Arc<CognitoConfigReader>,
    table: &StateTable,
    records: Vec<Value>,
) -> App<FakePorts<DynamoStore>> {
    let shared = sdk_config_for(&proxy.url()).await;
    let store = DynamoStore::new(aws_sdk_dynamodb::Client::new(&shared), table.name.clone());
    let mut s3 = FakeS3::default();
    s3.objects.insert(KEY.into(), Ok(files::trail(&records)));
    let access = Access {
        own_account: Some(ACCOUNT.into()),
        role: None,
    };
    let filter = AlertFilter {
        min_severity: Severity::Low,
        max_alerts_per_file: 50,
    };
    App::new(
        filter,
        Arc::new(RuleSet::bundled().unwrap()),
        s3,
        FakeSns::default(),
        FakeMetrics::default(),
        cognito_trail_alerts::routes::TopicArn::parse(cognito_trail_alerts_testkit::ALERT_TOPIC)
            .unwrap(),
    )
    .with_state(store)
    .with_snapshots(Snapshots::new(reader, access))
}

/// The MFA change of the one alert published.
fn mfa(app: &App<FakePorts<DynamoStore>>) -> Value {
    let sent = app.alerts.published.lock().unwrap();
    assert_eq!(sent.len(), 1, "one alert");
    let body: Value = serde_json::from_str(&sent[0].body).unwrap();
    let alert: Value = serde_json::from_str(body["sqs"].as_str().unwrap()).unwrap();
    alert["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["setting"] == "MFA")
        .cloned()
        .unwrap()
}

fn metric(app: &App<FakePorts<DynamoStore>>, name: &str, dim: Option<(&str, &str)>) -> f64 {
    app.metrics.sum(name, dim)
}

fn turn_mfa_off(pool: &str) -> Value {
    update_user_pool("e-1", "OFF").with_params(json!({ "userPoolId": pool }))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_alert_of_a_pool_compares_with_its_snapshot() {
    let (proxy, reader) = reader().await;
    let (pool, _) = pool("snapshot-first").await;
    let table = StateTable::create(&format!("snap-first-{}", std::process::id())).await;
    let app = function(&proxy, reader, &table, vec![turn_mfa_off(&pool.id)]).await;
    app.handle(envelopes::s3_event(BUCKET, &[KEY]))
        .await
        .unwrap();

    let change = mfa(&app);
    assert_eq!(change["status"], "snapshot");
    assert_eq!(change["before"]["value"], "ON");
    assert_eq!(metric(&app, "Snapshots", None), 1.0);
    assert_eq!(metric(&app, "SnapshotFailures", None), 0.0);
    // In the table: the event's MFA over the snapshot's, whatever order the two
    // conditional writes landed in (UpdateUserPool sets every tracked setting, so
    // each is the event's, the snapshot its `previous`).
    let settings = table.settings().await;
    let find = |name: &str| {
        settings
            .iter()
            .find(|i| text(i, "sk") == name)
            .unwrap_or_else(|| panic!("no {name}"))
    };
    let mfa_item = find("MFA");
    assert_eq!(text(mfa_item, "event_time"), "2026-11-20T09:02:41Z");
    let data: Value = serde_json::from_str(text(mfa_item, "data")).unwrap();
    assert_eq!(data["last"]["value"], "OFF");
    assert_eq!(data["previous"]["value"], "ON");
    assert!(data["previous"]["snapshot"].as_str().is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_snapshot_alone_is_kept_with_an_empty_event_time() {
    // SetUserPoolMfaConfig tracks MFA only: the pool's other settings stay as the
    // snapshot showed them, in the table, older than any event.
    let (proxy, reader) = reader().await;
    let (pool, _) = pool("snapshot-kept").await;
    let table = StateTable::create(&format!("snap-kept-{}", std::process::id())).await;
    let mut record = update_user_pool("e-1", "OFF").with_params(json!({ "userPoolId": pool.id }));
    record["eventName"] = json!("SetUserPoolMfaConfig");
    record["requestParameters"] = json!({"userPoolId": pool.id, "mfaConfiguration": "OFF"});
    let app = function(&proxy, reader, &table, vec![record]).await;
    app.handle(envelopes::s3_event(BUCKET, &[KEY]))
        .await
        .unwrap();
    assert_eq!(mfa(&app)["status"], "snapshot");
    let settings = table.settings().await;
    let protection = settings
        .iter()
        .find(|i| text(i, "sk") == "deletion protection")
        .expect("the snapshot's deletion protection, kept");
    assert_eq!(text(protection, "event_time"), "");
    let data: Value = serde_json::from_str(text(protection, "data")).unwrap();
    assert_eq!(data["last"]["value"], "ACTIVE");
}

/// One alert with Cognito failing as `fault`: it goes out "not seen before", in
/// about the budget at most, and the failure is counted by `reason`.
async fn a_failing_cognito(fault: Fault, reason: &str) {
    let (proxy, reader) = reader().await;
    let (pool, _) = pool(&format!("snapshot-{reason}")).await;
    let table = StateTable::create(&format!("snap-{reason}-{}", std::process::id())).await;
    proxy.inject(Rule::new(Service::Cognito, fault, 10).op("DescribeUserPool"));
    let app = function(&proxy, reader, &table, vec![turn_mfa_off(&pool.id)]).await;
    let start = Instant::now();
    app.handle(envelopes::s3_event(BUCKET, &[KEY]))
        .await
        .unwrap();
    let took = start.elapsed();
    assert!(took < Duration::from_millis(2500), "{reason}: {took:?}");
    let change = mfa(&app);
    assert_eq!(change["status"], "unknown", "{reason}");
    assert!(change["before"].is_null());
    assert_eq!(metric(&app, "Snapshots", None), 0.0);
    assert_eq!(
        metric(&app, "SnapshotFailures", Some(("Reason", reason))),
        1.0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn access_denied() {
    a_failing_cognito(Fault::Error("AccessDeniedException"), "access_denied").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn throttled() {
    a_failing_cognito(Fault::Error("TooManyRequestsException"), "throttled").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow() {
    a_failing_cognito(Fault::Delay(Duration::from_secs(5)), "timeout").await;
}

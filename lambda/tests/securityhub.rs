//! Security Hub findings end to end (`SECURITY_HUB=true`): the function as `main`
//! builds it, S3, SNS, SQS and CloudWatch in LocalStack, Security Hub in moto
//! (which serves `BatchImportFindings` and `GetFindings`) behind the routing
//! proxy. Each alert of a file becomes one finding with the fields Security Hub
//! requires, a retried file updates the same findings, 250 alerts take three
//! calls, and a Security Hub that fails is retried and counted while the SNS
//! alerts go out once.
//!
//! The SDK's Security Hub types are large: unoptimized, reading findings back
//! (`GetFindings`) needs more stack than a test thread's 2 MiB, so each test
//! runs on a thread of its own with 64 MiB.

mod common;

use std::collections::HashMap;

use aws_sdk_securityhub::types::AwsSecurityFinding;
use common::faults::Service;
use common::proxy::{Fault, Proxy, Rule};
use common::state::{moto_endpoint, router};
use common::*;
use serde_json::Value;

/// Runs `test` on a thread with a 64 MiB stack and a runtime of its own.
fn on_big_stack<F>(test: impl FnOnce() -> F + Send + 'static)
where
    F: std::future::Future<Output = ()>,
{
    std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .thread_stack_size(64 << 20)
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(test());
        })
        .unwrap()
        .join()
        .unwrap();
}

/// A world whose function imports findings through `proxy` (Security Hub in
/// moto, the rest in LocalStack).
async fn hub_function(
    world: &World,
    proxy: &Proxy,
    max: usize,
) -> cognito_trail_alerts_lambda::LambdaApp {
    require(
        &moto_endpoint(),
        "moto (Security Hub)",
        "scripts/moto.sh start",
    );
    let max = max.to_string();
    let settings = [
        ("SECURITY_HUB", "true"),
        ("MAX_ALERTS_PER_FILE", max.as_str()),
    ];
    world.function_with(&proxy.url(), &settings).await
}

/// Every finding moto holds in LocalStack's account and region, by `Id`.
async fn findings() -> HashMap<String, AwsSecurityFinding> {
    let client = aws_sdk_securityhub::Client::new(&sdk_config_for(&moto_endpoint()).await);
    let mut out = HashMap::new();
    let mut token = None;
    loop {
        let page = client
            .get_findings()
            .max_results(100)
            .set_next_token(token)
            .send()
            .await
            .expect("GetFindings");
        for f in page.findings() {
            out.insert(f.id().unwrap().to_string(), f.clone());
        }
        token = page
            .next_token()
            .filter(|t| !t.is_empty())
            .map(String::from);
        if token.is_none() {
            return out;
        }
    }
}

/// A file of `n` identity-pool updates allowing guests, event ids `{tag}-{i}`.
fn records(tag: &str, n: usize) -> Vec<Value> {
    (0..n)
        .map(|i| cognito(&format!("{tag}-{i}"), "UpdateIdentityPool", "web", true))
        .collect()
}

fn unique(tag: &str) -> String {
    format!("sh-{tag}-{}", std::process::id())
}

#[test]
fn each_alert_is_a_finding_and_a_retried_file_updates_it() {
    on_big_stack(|| async {
        let world = World::new("sechub").await;
        let proxy = router().await;
        let app = hub_function(&world, &proxy, 50).await;
        let tag = unique("file");
        let key = trail_key("", None, &tag);
        world.put(&key, trail_gz(&records(&tag, 3))).await;
        let event = s3_event(&world.bucket, &[&key]);
        app.handle(event.clone()).await.unwrap();
        let delivered = world.delivered(3).await;
        assert_eq!(delivered.len(), 3);

        let held = findings().await;
        let ids: Vec<String> = (0..3)
            .map(|i| format!("alert#{ACCOUNT}#{tag}-{i}"))
            .collect();
        for (id, (_, alert)) in ids.iter().zip(&delivered) {
            let f = held
                .get(id)
                .unwrap_or_else(|| panic!("{id} in Security Hub"));
            assert_eq!(
                f.aws_account_id(),
                Some("000000000000"),
                "the function's account"
            );
            assert_eq!(
                f.product_arn(),
                Some("arn:aws:securityhub:us-east-1:000000000000:product/000000000000/default")
            );
            assert_eq!(f.generator_id(), alert["rule_id"].as_str());
            assert_eq!(f.severity().unwrap().label().unwrap().as_str(), "CRITICAL");
            assert!(f.types()[0].starts_with("Software and Configuration Checks/"));
            assert!(f.resources()[0].id().unwrap().contains(":identitypool/"));
            let fields = f.product_fields().unwrap();
            let record: Value =
                serde_json::from_str(&fields["cognito-trail-alerts/Record/00"]).unwrap();
            assert_eq!(record["eventID"].as_str(), id.rsplit('#').next());
        }
        assert_eq!(held.keys().filter(|k| k.contains(&tag)).count(), 3);

        app.handle(event).await.unwrap();
        assert!(world.delivered(1).await.is_empty(), "SNS: nothing twice");
        let again = findings().await;
        assert_eq!(
            again.keys().filter(|k| k.contains(&tag)).count(),
            3,
            "updated, not added"
        );
        let imports = proxy
            .seen()
            .iter()
            .filter(|s| s.operation == "BatchImportFindings")
            .count();
        assert_eq!(imports, 2);
    });
}

#[test]
fn two_hundred_fifty_alerts_take_three_calls() {
    on_big_stack(|| async {
        let world = World::new("sechub-250").await;
        let proxy = router().await;
        let app = hub_function(&world, &proxy, 300).await;
        let tag = unique("many");
        let key = trail_key("", None, &tag);
        world.put(&key, trail_gz(&records(&tag, 250))).await;
        app.handle(s3_event(&world.bucket, &[&key])).await.unwrap();
        let calls = proxy
            .seen()
            .iter()
            .filter(|s| s.operation == "BatchImportFindings")
            .count();
        assert_eq!(calls, 3);
        let held = findings().await;
        assert_eq!(held.keys().filter(|k| k.contains(&tag)).count(), 250);
        let imported = metric_sum(&world.namespace, "FindingsImported", None);
        assert_eq!(imported, 250.0);
    });
}

#[test]
fn a_failing_security_hub_is_retried_and_counted_and_loses_nothing() {
    on_big_stack(|| async {
        let world = World::new("sechub-down").await;
        let proxy = router().await;
        let app = hub_function(&world, &proxy, 50).await;
        let tag = unique("down");
        let key = trail_key("", None, &tag);
        world.put(&key, trail_gz(&records(&tag, 2))).await;
        let event = s3_event(&world.bucket, &[&key]);
        // Three rounds of the SDK's three attempts.
        let fault = Fault::Error("InternalException");
        proxy.inject(Rule::new(Service::SecurityHub, fault, 9).op("BatchImportFindings"));
        let err = app.handle(event.clone()).await.unwrap_err();
        assert!(err.to_string().contains("InternalException"), "{err}");
        assert_eq!(world.delivered(2).await.len(), 2, "the SNS alerts went out");
        assert_eq!(
            metric_sum(&world.namespace, "FindingImportFailures", None),
            2.0
        );
        assert_eq!(
            findings().await.keys().filter(|k| k.contains(&tag)).count(),
            0
        );

        proxy.heal();
        app.handle(event).await.unwrap();
        assert_eq!(
            findings().await.keys().filter(|k| k.contains(&tag)).count(),
            2
        );
        assert!(world.delivered(1).await.is_empty(), "and not again");
    });
}

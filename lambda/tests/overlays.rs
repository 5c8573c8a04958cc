//! Overlays in the function as `main` builds it, against LocalStack:
//! `RULES_OVERLAYS` read at cold start from a path in the package and from S3, a
//! suppressed alert not published but counted as `Suppressed{SuppressionId}`, a
//! deployer's routine change lowered and annotated, and a missing overlay object
//! named by its s3:// URI.

mod common;

use std::time::{SystemTime, UNIX_EPOCH};

use cognito_trail_alerts::rules::Date;
use cognito_trail_alerts_lambda::config::Config;
use cognito_trail_alerts_lambda::{build_with, LambdaApp};
use common::*;
use serde_json::{json, Value};

const SANDBOX: &str = "444455556666";

/// An UpdateIdentityPool by `role` in `account`.
fn update_by(event_id: &str, role: &str, account: &str) -> Value {
    let mut r = cognito(event_id, "UpdateIdentityPool", "shop", false);
    r["userIdentity"] = json!({"type": "AssumedRole",
        "arn": format!("arn:aws:sts::{account}:assumed-role/{role}/run-1"), "accountId": account,
        "sessionContext": {"sessionIssuer": {"type": "Role", "arn": format!("arn:aws:iam::{account}:role/{role}"), "userName": role}}});
    r["recipientAccountId"] = json!(account);
    r
}

const DEPLOYERS: &str = "version: 1
deployers:
  - name: terraform-apply
    when: { principalArn: \"arn:aws:iam::*:role/terraform-apply\" }
    effect: lower
";

fn sandbox_overlay() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let expires = Date::from_unix_seconds(secs as i64).add_days(30);
    format!(
        "version: 1
suppressions:
  - id: sandbox-pools
    match: {{ account: \"{SANDBOX}\" }}
    rules: [\"cognito-identity.*\"]
    reason: sandbox account, rebuilt nightly
    owner: platform-security@example.com
    expires: {expires}
"
    )
}

/// The function built by `build_with` for `world`, with `RULES_OVERLAYS=overlays`.
async fn function(world: &World, overlays: &str) -> Result<LambdaApp, lambda_runtime::Error> {
    let shared = sdk_config_for(&endpoint()).await;
    let config = Config::from_env(|name| match name {
        "ALERT_TOPIC_ARN" => Some(world.topic_arn.clone()),
        "METRICS_NAMESPACE" => Some(world.namespace.clone()),
        "S3_FORCE_PATH_STYLE" => Some("true".into()),
        "RULES_OVERLAYS" => Some(overlays.to_string()),
        _ => None,
    })
    .unwrap();
    build_with(&config, &shared).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn overlays_from_the_package_and_s3_tune_what_is_published() {
    let world = World::new("overlays").await;
    let dir = tempfile_dir();
    let package_path = format!("{dir}/deployers.yaml");
    std::fs::write(&package_path, DEPLOYERS).unwrap();
    let overlay_key = "tuning/sandbox.yaml";
    world.put(overlay_key, sandbox_overlay().into_bytes()).await;
    let overlays = format!("{package_path}, s3://{}/{overlay_key}", world.bucket);
    let app = function(&world, &overlays).await.unwrap();
    assert_eq!(app.rules.overlays().len(), 2);

    let key = trail_key("", None, "tuned");
    let records = [
        update_by("ov-sandbox", "sandbox-builder", SANDBOX),
        noise("ov-noise"),
        update_by("ov-terraform", "terraform-apply", ACCOUNT),
        update_by("ov-person", "platform-admin", ACCOUNT),
    ];
    world.put(&key, trail_gz(&records)).await;
    let answer = app.handle(s3_event(&world.bucket, &[&key])).await.unwrap();
    assert_eq!(answer["alerts"], 2, "{answer}");

    let mut got: Vec<(String, String, String)> = world
        .delivered(2)
        .await
        .into_iter()
        .map(|(_, a)| {
            let s = |v: &Value| v.as_str().unwrap_or_default().to_string();
            (s(&a["event_id"]), s(&a["severity"]), a["risks"].to_string())
        })
        .collect();
    got.sort();
    assert_eq!(got.len(), 2, "the suppressed alert was published: {got:?}");
    assert_eq!(
        (got[0].0.as_str(), got[0].1.as_str()),
        ("ov-person", "medium")
    );
    assert!(!got[0].2.contains("deployer"), "{}", got[0].2);
    assert_eq!(
        (got[1].0.as_str(), got[1].1.as_str()),
        ("ov-terraform", "low")
    );
    assert!(
        got[1]
            .2
            .contains("Made by deployer terraform-apply: base severity lowered from medium to low"),
        "{}",
        got[1].2
    );

    let sum = |name: &str, dim: Option<(&str, &str)>| metric_sum(&world.namespace, name, dim);
    assert_eq!(
        sum("Suppressed", Some(("SuppressionId", "sandbox-pools"))),
        1.0
    );
    assert_eq!(sum("Suppressed", None), 1.0);
    assert_eq!(sum("Alerts", None), 2.0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_or_broken_overlay_fails_the_cold_start_naming_it() {
    let world = World::new("overlay-missing").await;
    let missing = format!("s3://{}/tuning/absent.yaml", world.bucket);
    let err = function(&world, &missing).await.err().unwrap().to_string();
    assert!(
        err.contains(&format!("GetObject {missing}: NoSuchKey")),
        "{err}"
    );

    world
        .put(
            "tuning/bad.yaml",
            b"version: 1\noverrides:\n  - rule: no.such.rule\n    enabled: false\n".to_vec(),
        )
        .await;
    let bad = format!("s3://{}/tuning/bad.yaml", world.bucket);
    let err = function(&world, &bad).await.err().unwrap().to_string();
    assert_eq!(
        err,
        format!(
            "{bad}:3:5: override of \"no.such.rule\": names no rule of the set it is applied to"
        )
    );
}

/// A fresh directory standing in for the deployment package.
fn tempfile_dir() -> String {
    let dir = std::env::temp_dir().join(format!("cta-overlays-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.display().to_string()
}

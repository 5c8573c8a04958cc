//! The findings' shared parts: the uid, the types, the resources; then each format.

mod asff;
mod batch;
mod ocsf;

use serde_json::{json, Value};

use super::*;
use crate::alert::Source;
use crate::claim::claim_key;
use crate::notice::Notice;
use crate::trail::Record;
use crate::{Origin, RuleSet};
use cognito_trail_alerts_testkit::records::{
    self, update_identity_pool, update_user_pool, RecordExt, ACCOUNT, IDENTITY_POOL_ID,
    USER_POOL_ID,
};

const IDP: &str = "cognito-idp.amazonaws.com";

fn s3() -> Origin {
    Origin::S3 {
        bucket: "trail-bucket".into(),
        key: "AWSLogs/111122223333/CloudTrail/eu-west-1/2026/11/20/f.json.gz".into(),
    }
}

/// The alert the bundled pack raises on `record`, read from an S3 log file.
fn alert(record: &Value) -> Alert {
    alert_from(record, s3())
}

/// The bundled pack, compiled once for all these tests.
fn bundled() -> &'static RuleSet {
    static PACK: std::sync::OnceLock<RuleSet> = std::sync::OnceLock::new();
    PACK.get_or_init(|| RuleSet::bundled().unwrap())
}

fn alert_from(record: &Value, origin: Origin) -> Alert {
    let bytes = serde_json::to_vec(record).unwrap();
    let parsed = Record::parse(&bytes).unwrap();
    let verdict = bundled()
        .evaluate(&parsed)
        .expect("the bundled pack alerts");
    let source = Source {
        origin,
        record_index: 7,
    };
    Alert::new(&verdict, &parsed, source)
}

/// CreateUserPoolClient in the testkit's pool: a configuration write that breaks
/// no posture check (user existence errors hidden, refresh tokens rotating).
fn create_client(event_id: &str) -> Value {
    records::record(
        IDP,
        "CreateUserPoolClient",
        json!({"userPoolId": USER_POOL_ID, "clientName": "web", "generateSecret": false,
               "explicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
               "preventUserExistenceErrors": "ENABLED",
               "refreshTokenRotation": {"feature": "ENABLED", "retryGracePeriodSeconds": 10}}),
        event_id,
    )
    .set(
        "responseElements",
        json!({"userPoolClient": {"userPoolId": USER_POOL_ID, "clientName": "web",
                                  "clientId": "6p3bexampleclientid0000001"}}),
    )
}

/// AdminSetUserPassword: an administrator's write on one user.
fn set_password(event_id: &str) -> Value {
    records::record(
        IDP,
        "AdminSetUserPassword",
        json!({"userPoolId": USER_POOL_ID, "username": "HIDDEN_DUE_TO_SECURITY_REASONS",
               "password": "HIDDEN_DUE_TO_SECURITY_REASONS", "permanent": true}),
        event_id,
    )
}

#[test]
fn the_finding_uid_is_the_alert_claim_key() {
    let a = alert(&update_user_pool(
        "0f9c8a8e-1d55-4f4e-9d6c-2b1f3c4d5e6f",
        "OFF",
    ));
    let uid = finding_uid(&a);
    assert_eq!(
        uid,
        format!("alert#{ACCOUNT}#0f9c8a8e-1d55-4f4e-9d6c-2b1f3c4d5e6f")
    );
    let key = claim_key(&Notice::Alert(Box::new(a.clone())), Some("etag-1"));
    assert_eq!((key.pk.as_str(), key.sk.as_str()), (uid.as_str(), "alert"));
}

#[test]
fn the_same_event_by_eventbridge_and_in_its_file_is_one_finding() {
    let record = update_user_pool("0f9c8a8e-1d55-4f4e-9d6c-2b1f3c4d5e6f", "OFF");
    let by_file = alert(&record);
    let by_event = alert_from(
        &record,
        Origin::EventBridge {
            event_id: "5c2a1b90-0e1f-4a7b-8c3d-6e5f4a3b2c1d".into(),
        },
    );
    assert_eq!(finding_uid(&by_file), finding_uid(&by_event));
    let other = alert(&update_user_pool(
        "7a1b2c3d-0000-4000-8000-000000000001",
        "OFF",
    ));
    assert_ne!(finding_uid(&by_file), finding_uid(&other));
}

#[test]
fn an_alert_without_an_event_id_is_named_by_its_object_and_record() {
    let a = alert(&update_user_pool("x", "OFF").set("eventID", Value::Null));
    assert_eq!(
        finding_uid(&a),
        "object#s3://trail-bucket/AWSLogs/111122223333/CloudTrail/eu-west-1/2026/11/20/f.json.gz#record#7"
    );
}

#[test]
fn a_change_that_breaks_a_check_is_typed_by_the_check() {
    let a = alert(&update_user_pool("e1", "OFF"));
    let types = finding_types(&a);
    assert!(
        types.contains(&format!("{TYPE_CHECK}/MFA is ON")),
        "{types:?} (checks: {:?})",
        a.checks
    );
    assert!(types.iter().all(|t| t.starts_with(TYPE_CHECK)), "{types:?}");
}

#[test]
fn an_admin_write_on_a_user_is_account_manipulation() {
    let a = alert(&set_password("e2"));
    assert_eq!(finding_types(&a), [TYPE_ACCOUNT_MANIPULATION]);
}

#[test]
fn a_configuration_write_that_breaks_no_check_is_a_configuration_change() {
    let a = alert(&create_client("e3"));
    assert!(a.checks.failed.is_empty(), "{:?}", a.checks);
    assert_eq!(finding_types(&a), [TYPE_CONFIG_CHANGE]);
}

#[test]
fn resources_are_the_pool_and_client_with_the_pool_arn() {
    let a = alert(&create_client("e4"));
    let got = cognito_resources(&a);
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(got[0].kind, ResourceKind::UserPool);
    assert_eq!(
        got[0].uid(),
        format!("arn:aws:cognito-idp:eu-west-1:{ACCOUNT}:userpool/{USER_POOL_ID}")
    );
    assert_eq!(got[1].kind, ResourceKind::UserPoolClient);
    assert_eq!(got[1].uid(), "6p3bexampleclientid0000001");
    assert_eq!(got[1].name.as_deref(), Some("web"));
    assert_eq!(got[1].user_pool_id.as_deref(), Some(USER_POOL_ID));
    assert_eq!(
        got[1].kind.cloudformation_type(),
        "AWS::Cognito::UserPoolClient"
    );
}

#[test]
fn an_identity_pool_has_its_arn_and_name() {
    let a = alert(&update_identity_pool("e5", true));
    let got = cognito_resources(&a);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].kind, ResourceKind::IdentityPool);
    assert_eq!(
        got[0].uid(),
        format!("arn:aws:cognito-identity:eu-west-1:{ACCOUNT}:identitypool/{IDENTITY_POOL_ID}")
    );
    assert_eq!(got[0].name.as_deref(), Some("shop"));
}

#[test]
fn a_tagged_arn_stands_for_its_pool_and_the_partition_follows_the_region() {
    let arn = "arn:aws-cn:cognito-idp:cn-north-1:111122223333:userpool/cn-north-1_Ab12Cd34E";
    let record = records::record(
        IDP,
        "TagResource",
        json!({"resourceArn": arn, "tags": {"team": "identity"}}),
        "e6",
    )
    .set("awsRegion", json!("cn-north-1"));
    let a = alert(&record);
    let got = cognito_resources(&a);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(
        (got[0].kind, got[0].id.as_str()),
        (ResourceKind::UserPool, "cn-north-1_Ab12Cd34E")
    );
    assert_eq!(got[0].uid(), arn);
}

#[test]
fn partitions() {
    assert_eq!(partition("eu-west-1"), "aws");
    assert_eq!(partition("cn-northwest-1"), "aws-cn");
    assert_eq!(partition("us-gov-west-1"), "aws-us-gov");
    assert_eq!(partition("us-iso-east-1"), "aws-iso");
    assert_eq!(partition("us-isob-east-1"), "aws-iso-b");
}

#[test]
fn clip_cuts_on_characters_and_marks_the_cut() {
    assert_eq!(clip("abc", 3), "abc");
    assert_eq!(clip("abcd", 3), "ab…");
    assert_eq!(clip("ééééé", 4).chars().count(), 4);
}

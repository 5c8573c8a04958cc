//! The ASFF JSON the engine writes, in the SDK's types: every field it writes
//! arrives, none is dropped on the way to BatchImportFindings.

use cognito_trail_alerts::alert::Source;
use cognito_trail_alerts::findings::{asff_finding, Importer};
use cognito_trail_alerts::trail::Record;
use cognito_trail_alerts::{Alert, Origin, RuleSet};
use cognito_trail_alerts_testkit::records::{update_user_pool, ACCOUNT, USER_POOL_ID};

use super::*;

/// The bundled pack's alert on UpdateUserPool turning MFA off in the testkit's pool.
fn alert() -> Alert {
    let record = update_user_pool("3b9f5d1c-7e2a-4c8b-9d0e-1f2a3b4c5d6e", "OFF");
    let bytes = serde_json::to_vec(&record).unwrap();
    let parsed = Record::parse(&bytes).unwrap();
    let rules = RuleSet::bundled().unwrap();
    let verdict = rules.evaluate(&parsed).unwrap();
    let origin = Origin::S3 {
        bucket: "trail-bucket".into(),
        key: "AWSLogs/111122223333/CloudTrail/eu-west-1/2026/11/20/f.json.gz".into(),
    };
    let source = Source {
        origin,
        record_index: 0,
    };
    Alert::new(&verdict, &parsed, source)
}

fn json() -> Value {
    let importer = Importer {
        account_id: "444455556666",
        region: "eu-central-1",
        updated_at: "2026-11-20T09:10:00Z",
    };
    asff_finding(&alert(), importer)
}

#[test]
fn the_required_fields_arrive() {
    let (v, f) = (json(), sdk_finding(&json()));
    assert_eq!(f.schema_version(), Some("2018-10-08"));
    assert_eq!(f.id(), v["Id"].as_str());
    assert_eq!(f.product_arn(), v["ProductArn"].as_str());
    assert_eq!(f.generator_id(), v["GeneratorId"].as_str());
    assert_eq!(f.aws_account_id(), Some("444455556666"));
    assert_eq!(f.created_at(), Some("2026-11-20T09:02:41Z"));
    assert_eq!(f.updated_at(), Some("2026-11-20T09:10:00Z"));
    assert_eq!(f.title(), v["Title"].as_str());
    assert_eq!(f.description(), v["Description"].as_str());
    let types: Vec<&str> = v["Types"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert_eq!(f.types(), types.as_slice());
    let severity = f.severity().unwrap();
    assert_eq!(
        severity.label(),
        Some(&SeverityLabel::from(
            v["Severity"]["Label"].as_str().unwrap()
        ))
    );
    assert_eq!(
        severity.label(),
        Some(&SeverityLabel::Medium),
        "a label the SDK knows"
    );
    assert_eq!(severity.original(), v["Severity"]["Original"].as_str());
    assert_eq!(f.record_state(), Some(&RecordState::Active));
}

#[test]
fn the_pool_arrives_as_a_resource_with_its_details() {
    let f = sdk_finding(&json());
    let pool = &f.resources()[0];
    let arn = format!("arn:aws:cognito-idp:eu-west-1:{ACCOUNT}:userpool/{USER_POOL_ID}");
    assert_eq!(pool.id(), Some(arn.as_str()));
    assert_eq!(pool.r#type(), Some("Other"));
    assert_eq!(pool.partition(), Some(&Partition::Aws));
    assert_eq!(pool.region(), Some("eu-west-1"));
    let other = pool.details().unwrap().other().unwrap();
    assert_eq!(other["Type"], "AWS::Cognito::UserPool");
    assert_eq!(other["Id"], USER_POOL_ID);
}

#[test]
fn the_call_and_every_product_field_arrive() {
    let (v, f) = (json(), sdk_finding(&json()));
    let call = f.action().unwrap().aws_api_call_action().unwrap();
    assert_eq!(f.action().unwrap().action_type(), Some("AWS_API_CALL"));
    assert_eq!(call.api(), Some("UpdateUserPool"));
    assert_eq!(call.service_name(), Some("cognito-idp.amazonaws.com"));
    let fields = f.product_fields().unwrap();
    let expected = v["ProductFields"].as_object().unwrap();
    assert_eq!(fields.len(), expected.len());
    for (k, value) in expected {
        assert_eq!(Some(fields[k].as_str()), value.as_str(), "{k}");
    }
    assert!(fields.contains_key("cognito-trail-alerts/Record/00"));
}

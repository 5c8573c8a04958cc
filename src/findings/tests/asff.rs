//! The ASFF finding: required fields, the fixed id, resources, the record in
//! ProductFields, and Security Hub's size limits.

use super::*;
use crate::Severity;
use cognito_trail_alerts_testkit::records::EVENT_TIME;

const NOW: &str = "2026-11-20T09:10:00Z";

fn importer() -> Importer<'static> {
    Importer {
        account_id: "444455556666",
        region: "eu-central-1",
        updated_at: NOW,
    }
}

/// ASFF's required top-level fields.
const REQUIRED: [&str; 13] = [
    "AwsAccountId",
    "CreatedAt",
    "Description",
    "GeneratorId",
    "Id",
    "ProductArn",
    "Resources",
    "SchemaVersion",
    "Severity",
    "Title",
    "Types",
    "UpdatedAt",
    "ProductFields",
];

fn bytes(v: &Value) -> usize {
    serde_json::to_vec(v).unwrap().len()
}

/// The record pieces of a finding's ProductFields, joined.
fn record_of(f: &Value) -> String {
    let fields = f["ProductFields"].as_object().unwrap();
    let pieces: usize = fields["cognito-trail-alerts/RecordPieces"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    (0..pieces)
        .map(|i| {
            fields[&format!("cognito-trail-alerts/Record/{i:02}")]
                .as_str()
                .unwrap()
        })
        .collect()
}

#[test]
fn every_required_field_is_there() {
    let a = alert(&create_client("3b9f5d1c-7e2a-4c8b-9d0e-1f2a3b4c5d6e"));
    let f = asff_finding(&a, importer());
    for key in REQUIRED {
        assert!(
            f.get(key).is_some_and(|v| !v.is_null()),
            "{key} missing: {f}"
        );
    }
    assert_eq!(f["SchemaVersion"], "2018-10-08");
    assert_eq!(f["AwsAccountId"], "444455556666");
    assert_eq!(
        f["ProductArn"],
        "arn:aws:securityhub:eu-central-1:444455556666:product/444455556666/default"
    );
    assert_eq!(f["GeneratorId"], json!(a.rule_id));
    assert_eq!(f["Id"], json!(finding_uid(&a)));
    assert_eq!(f["Title"], json!(a.rule_title));
    assert_eq!(f["Description"], json!(a.description));
    assert_eq!(f["Types"], json!([TYPE_CONFIG_CHANGE]));
    assert_eq!(
        (f["CreatedAt"].clone(), f["UpdatedAt"].clone()),
        (json!(EVENT_TIME), json!(NOW))
    );
    assert_eq!(f["Severity"]["Label"], "MEDIUM");
    assert_eq!(f["SourceUrl"], json!(a.runbook));
    let fields = &f["ProductFields"];
    assert_eq!(fields["cognito-trail-alerts/AccountId"], ACCOUNT);
    assert_eq!(
        fields["cognito-trail-alerts/EventName"],
        "CreateUserPoolClient"
    );
    let changes: Vec<String> = a.changes.iter().map(|c| c.describe()).collect();
    assert!(!changes.is_empty());
    assert_eq!(
        fields["cognito-trail-alerts/Changes"],
        json!(changes.join("\n"))
    );
}

#[test]
fn types_are_under_the_two_namespaces() {
    for record in [
        create_client("n1"),
        set_password("n2"),
        update_user_pool("n3", "OFF"),
    ] {
        let f = asff_finding(&alert(&record), importer());
        for t in f["Types"].as_array().unwrap() {
            let t = t.as_str().unwrap();
            assert!(
                t.starts_with("Software and Configuration Checks/") || t.starts_with("TTPs/"),
                "{t}"
            );
            assert_eq!(
                t.split('/').count(),
                3,
                "namespace/category/classifier: {t}"
            );
        }
    }
}

#[test]
fn severity_labels() {
    let mut a = alert(&create_client("l1"));
    let expected = [
        (Severity::Info, "INFORMATIONAL"),
        (Severity::Low, "LOW"),
        (Severity::Medium, "MEDIUM"),
        (Severity::High, "HIGH"),
        (Severity::Critical, "CRITICAL"),
    ];
    for (severity, label) in expected {
        a.severity = severity;
        assert_eq!(asff_finding(&a, importer())["Severity"]["Label"], label);
    }
}

#[test]
fn the_id_is_fixed_per_alert_so_a_retry_updates() {
    let record = create_client("3b9f5d1c-7e2a-4c8b-9d0e-1f2a3b4c5d6e");
    let first = asff_finding(&alert(&record), importer());
    let later = Importer {
        updated_at: "2026-11-20T10:00:00Z",
        ..importer()
    };
    let by_event = alert_from(
        &record,
        Origin::EventBridge {
            event_id: "eb-1".into(),
        },
    );
    let retry = asff_finding(&by_event, later);
    assert_eq!(first["Id"], retry["Id"]);
    assert_ne!(first["UpdatedAt"], retry["UpdatedAt"]);
    let other = asff_finding(&alert(&create_client("another-event")), importer());
    assert_ne!(first["Id"], other["Id"]);
}

#[test]
fn a_long_id_is_cut_and_hashed_within_512_characters() {
    let long_key = |tail: &str| Origin::S3 {
        bucket: "trail-bucket".into(),
        key: format!("{}{tail}", "k/".repeat(400)),
    };
    let record = create_client("x").set("eventID", Value::Null);
    let a = alert_from(&record, long_key("a.json.gz"));
    let b = alert_from(&record, long_key("b.json.gz"));
    let (id_a, id_b) = (finding_id(&a), finding_id(&b));
    assert!(finding_uid(&a).chars().count() > 512);
    assert_eq!(id_a.chars().count(), 512);
    assert_ne!(id_a, id_b);
    assert_eq!(id_a, finding_id(&a));
}

#[test]
fn cognito_resources_are_other_with_their_type_and_arn() {
    let f = asff_finding(&alert(&create_client("r1")), importer());
    let resources = f["Resources"].as_array().unwrap();
    assert_eq!(resources.len(), 2);
    let pool = &resources[0];
    assert_eq!(pool["Type"], "Other");
    assert_eq!(
        pool["Id"],
        format!("arn:aws:cognito-idp:eu-west-1:{ACCOUNT}:userpool/{USER_POOL_ID}")
    );
    assert_eq!(
        (pool["Partition"].clone(), pool["Region"].clone()),
        (json!("aws"), json!("eu-west-1"))
    );
    assert_eq!(pool["Details"]["Other"]["Type"], "AWS::Cognito::UserPool");
    let client = &resources[1];
    assert_eq!(client["Id"], "6p3bexampleclientid0000001");
    assert_eq!(client["Details"]["Other"]["UserPoolId"], USER_POOL_ID);
    assert_eq!(client["Details"]["Other"]["Name"], "web");
}

#[test]
fn without_a_cognito_resource_the_account_is_the_resource() {
    let record = records::record(IDP, "SomeFutureOperation", json!({"flag": true}), "f1");
    let f = asff_finding(&alert(&record), importer());
    assert_eq!(
        f["Resources"],
        json!([{"Type": "AwsAccount", "Id": format!("AWS::::Account:{ACCOUNT}"),
                "Partition": "aws", "Region": "eu-west-1"}])
    );
}

#[test]
fn the_call_is_an_api_call_action() {
    let f = asff_finding(&alert(&create_client("a1")), importer());
    let call = &f["Action"]["AwsApiCallAction"];
    assert_eq!(f["Action"]["ActionType"], "AWS_API_CALL");
    assert_eq!(
        (call["Api"].clone(), call["ServiceName"].clone()),
        (json!("CreateUserPoolClient"), json!(IDP))
    );
    assert_eq!(call["CallerType"], "remoteip");
    assert_eq!(call["RemoteIpDetails"]["IpAddressV4"], "198.51.100.23");
    let by_service = update_identity_pool("a2", false)
        .by(json!({"type": "AWSService", "invokedBy": "cloudformation.amazonaws.com"}))
        .set("sourceIPAddress", json!("cloudformation.amazonaws.com"));
    let call = asff_finding(&alert(&by_service), importer())["Action"]["AwsApiCallAction"].clone();
    assert_eq!(call["CallerType"], "domain");
    assert_eq!(
        call["DomainDetails"]["Domain"],
        "cloudformation.amazonaws.com"
    );
}

#[test]
fn the_record_is_in_product_fields_whole_when_it_fits() {
    let a = alert(&create_client("p1"));
    let f = asff_finding(&a, importer());
    assert_eq!(
        f["ProductFields"]["cognito-trail-alerts/RecordTruncated"],
        "false"
    );
    let record: Value = serde_json::from_str(&record_of(&f)).unwrap();
    assert_eq!(record, cloudtrail_record(&a));
}

#[test]
fn a_huge_record_is_cut_to_keep_the_finding_within_240_kb() {
    // Three-byte characters: 100,000 of them are 300 KB of JSON.
    let big = "€".repeat(100_000);
    let a = alert(&create_client("h1").with_params(json!({"clientName": big})));
    let f = asff_finding(&a, importer());
    assert!(bytes(&f) <= MAX_FINDING_BYTES, "{} bytes", bytes(&f));
    let fields = f["ProductFields"].as_object().unwrap();
    assert!(fields.len() <= 47, "{} fields", fields.len());
    for (k, v) in fields {
        assert!(k.chars().count() <= 128, "{k}");
        assert!(v.as_str().unwrap().chars().count() <= 2048, "{k}");
    }
    assert_eq!(fields["cognito-trail-alerts/RecordTruncated"], "true");
    let pieces: usize = fields["cognito-trail-alerts/RecordPieces"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(pieces > 10, "{pieces} pieces");
    assert!(cloudtrail_record(&a)
        .to_string()
        .starts_with(&record_of(&f)));
}

#[test]
fn long_titles_and_descriptions_are_cut_to_asff_limits() {
    let mut a = alert(&create_client("c1"));
    a.rule_title = "t".repeat(300);
    a.description = "d".repeat(2000);
    let f = asff_finding(&a, importer());
    assert_eq!(f["Title"].as_str().unwrap().chars().count(), 256);
    assert_eq!(f["Description"].as_str().unwrap().chars().count(), 1024);
    a.description = "  ".into();
    assert_eq!(
        asff_finding(&a, importer())["Description"],
        json!(clip(&a.rule_title, 1024))
    );
}

#[test]
fn the_product_arn_follows_the_partition() {
    assert_eq!(
        product_arn("111122223333", "cn-north-1"),
        "arn:aws-cn:securityhub:cn-north-1:111122223333:product/111122223333/default"
    );
}

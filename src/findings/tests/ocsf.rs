//! The OCSF Detection Finding: class, severity, status, the call and its evidence.

use super::*;
use crate::notice::{sns_message, Digest};
use crate::Severity;
use cognito_trail_alerts_testkit::records::EVENT_TIME;

#[test]
fn the_class_and_the_finding_are_named() {
    let a = alert(&create_client("3b9f5d1c-7e2a-4c8b-9d0e-1f2a3b4c5d6e"));
    let f = ocsf_finding(&a);
    assert_eq!(f["class_uid"], 2004);
    assert_eq!(f["category_uid"], 2);
    assert_eq!(f["activity_id"], 1);
    assert_eq!(f["type_uid"], 200401);
    assert_eq!(f["metadata"]["version"], OCSF_VERSION);
    assert_eq!(f["metadata"]["product"]["name"], PRODUCT_NAME);
    assert_eq!(f["metadata"]["profiles"], json!(["cloud"]));
    let uid = finding_uid(&a);
    assert_eq!(f["finding_info"]["uid"], json!(uid));
    assert_eq!(f["finding_info"]["title"], json!(a.rule_title));
    assert_eq!(f["finding_info"]["desc"], json!(a.description));
    assert_eq!(f["finding_info"]["types"], json!(finding_types(&a)));
    assert_eq!(f["finding_info"]["analytic"]["uid"], json!(a.rule_id));
    assert_eq!(f["finding_info"]["analytic"]["type_id"], 1);
    assert_eq!(f["finding_info"]["src_url"], json!(a.runbook));
}

#[test]
fn time_is_the_event_time_in_milliseconds() {
    let f = ocsf_finding(&alert(&create_client("t1")));
    // 2026-11-20T09:02:41Z
    let expected = crate::chains::parse_event_time(EVENT_TIME).unwrap() * 1000;
    assert_eq!(f["time"], expected);
    assert_eq!(f["finding_info"]["created_time"], expected);
    assert_eq!(f["metadata"]["original_time"], EVENT_TIME);
    assert_eq!(expected, 1_795_165_361_000);
}

#[test]
fn severities_map_to_ocsf_ids() {
    let mut a = alert(&create_client("s1"));
    let expected = [
        (Severity::Info, 1, "Informational"),
        (Severity::Low, 2, "Low"),
        (Severity::Medium, 3, "Medium"),
        (Severity::High, 4, "High"),
        (Severity::Critical, 5, "Critical"),
    ];
    for (severity, id, caption) in expected {
        a.severity = severity;
        let f = ocsf_finding(&a);
        assert_eq!(
            (f["severity_id"].clone(), f["severity"].clone()),
            (json!(id), json!(caption))
        );
    }
}

#[test]
fn a_suppressed_alert_is_a_suppressed_finding_and_no_alert() {
    let mut a = alert(&create_client("s2"));
    let f = ocsf_finding(&a);
    assert_eq!(
        (f["status_id"].clone(), f["is_alert"].clone()),
        (json!(1), json!(true))
    );
    a.suppressed_by = Some("sandbox-pools".into());
    let f = ocsf_finding(&a);
    assert_eq!(
        (f["status_id"].clone(), f["status"].clone()),
        (json!(3), json!("Suppressed"))
    );
    assert_eq!(f["is_alert"], false);
    assert_eq!(f["unmapped"]["suppressed_by"], "sandbox-pools");
}

#[test]
fn cloud_api_and_resources_name_the_account_the_call_and_the_pool() {
    let a = alert(&create_client("3b9f5d1c-7e2a-4c8b-9d0e-1f2a3b4c5d6e"));
    let f = ocsf_finding(&a);
    assert_eq!(f["cloud"]["provider"], "AWS");
    assert_eq!(f["cloud"]["region"], "eu-west-1");
    assert_eq!(f["cloud"]["account"]["uid"], ACCOUNT);
    assert_eq!(f["api"]["operation"], "CreateUserPoolClient");
    assert_eq!(f["api"]["service"]["name"], IDP);
    assert_eq!(
        f["api"]["request"]["uid"],
        "3b9f5d1c-7e2a-4c8b-9d0e-1f2a3b4c5d6e"
    );
    assert!(f["api"].get("response").is_none(), "{}", f["api"]);
    let resources = f["resources"].as_array().unwrap();
    assert_eq!(resources.len(), 2);
    assert_eq!(resources[0]["type"], "AWS::Cognito::UserPool");
    assert_eq!(
        resources[0]["uid"],
        format!("arn:aws:cognito-idp:eu-west-1:{ACCOUNT}:userpool/{USER_POOL_ID}")
    );
    assert_eq!(resources[1]["type"], "AWS::Cognito::UserPoolClient");
    assert_eq!(resources[1]["data"]["userPoolId"], USER_POOL_ID);
}

#[test]
fn the_evidence_is_the_call_its_caller_and_the_record() {
    let record = create_client("3b9f5d1c-7e2a-4c8b-9d0e-1f2a3b4c5d6e");
    let f = ocsf_finding(&alert(&record));
    let e = &f["evidences"][0];
    assert_eq!(e["api"], f["api"]);
    assert_eq!(e["src_endpoint"]["ip"], record["sourceIPAddress"]);
    assert_eq!(e["http_request"]["user_agent"], record["userAgent"]);
    let user = &e["actor"]["user"];
    assert_eq!(user["uid"], record["userIdentity"]["arn"]);
    assert_eq!(user["uid_alt"], record["userIdentity"]["principalId"]);
    assert_eq!(user["name"], "platform-admin-session");
    assert_eq!(
        user["credential_uid"],
        record["userIdentity"]["accessKeyId"]
    );
    assert_eq!(
        (user["type_id"].clone(), user["account"]["uid"].clone()),
        (json!(1), json!(ACCOUNT))
    );
    assert_eq!(
        e["actor"]["session"]["issuer"],
        record["userIdentity"]["sessionContext"]["sessionIssuer"]["arn"]
    );
    let data = &e["data"];
    for key in [
        "eventID",
        "eventTime",
        "eventSource",
        "eventName",
        "awsRegion",
        "sourceIPAddress",
        "userAgent",
        "requestParameters",
        "recipientAccountId",
    ] {
        assert_eq!(data[key], record[key], "{key}");
    }
    assert_eq!(data["userIdentity"]["arn"], record["userIdentity"]["arn"]);
    assert_eq!(
        data["userIdentity"]["sessionContext"]["sessionIssuer"]["userName"],
        "platform-admin"
    );
    assert!(data.get("errorCode").is_none());
}

#[test]
fn a_refused_call_carries_its_error() {
    let record = create_client("r1")
        .set("errorCode", json!("AccessDenied"))
        .set(
            "errorMessage",
            json!("User is not authorized to perform: cognito-idp:CreateUserPoolClient"),
        )
        .set("responseElements", Value::Null);
    let f = ocsf_finding(&alert(&record));
    assert_eq!(f["api"]["response"]["error"], "AccessDenied");
    assert_eq!(
        f["api"]["response"]["error_message"],
        record["errorMessage"]
    );
    assert_eq!(f["evidences"][0]["data"]["errorCode"], "AccessDenied");
    assert_eq!(f["unmapped"]["outcome"], "failed");
}

#[test]
fn an_aws_service_caller_is_a_service_calling_from_its_domain() {
    let record = update_identity_pool("svc1", false)
        .by(json!({"type": "AWSService", "invokedBy": "cloudformation.amazonaws.com"}))
        .set("sourceIPAddress", json!("cloudformation.amazonaws.com"));
    let f = ocsf_finding(&alert(&record));
    let e = &f["evidences"][0];
    assert_eq!(e["actor"]["invoked_by"], "cloudformation.amazonaws.com");
    assert!(e["actor"].get("user").is_none(), "{}", e["actor"]);
    assert_eq!(
        e["src_endpoint"],
        json!({"domain": "cloudformation.amazonaws.com"})
    );
}

#[test]
fn a_record_without_a_caller_has_no_actor() {
    let record = update_identity_pool("n1", false).set("userIdentity", Value::Null);
    let f = ocsf_finding(&alert(&record));
    assert!(
        f["evidences"][0].get("actor").is_none(),
        "{}",
        f["evidences"][0]
    );
    assert!(f["evidences"][0]["data"].get("userIdentity").is_none());
}

#[test]
fn the_root_user_is_an_admin() {
    let root = json!({"type": "Root", "principalId": ACCOUNT,
        "arn": format!("arn:aws:iam::{ACCOUNT}:root"), "accountId": ACCOUNT,
        "accessKeyId": "ASIAEXAMPLEKEY000009"});
    let f = ocsf_finding(&alert(&update_identity_pool("root1", false).by(root)));
    let user = &f["evidences"][0]["actor"]["user"];
    assert_eq!(
        (user["type_id"].clone(), user["type"].clone()),
        (json!(2), json!("Admin"))
    );
}

#[test]
fn the_sns_message_in_ocsf_form_changes_only_the_machine_bodies() {
    let notice = Notice::Alert(Box::new(alert(&create_client("sns1"))));
    let native = sns_message(&notice);
    let ocsf = sns_message_ocsf(&notice);
    let body = |m: &crate::notice::SnsMessage| -> Value { serde_json::from_str(&m.body).unwrap() };
    let (native_body, ocsf_body) = (body(&native), body(&ocsf));
    for key in ["default", "email", "https"] {
        assert_eq!(native_body[key], ocsf_body[key], "{key}");
    }
    for key in ["sqs", "lambda"] {
        let f: Value = serde_json::from_str(ocsf_body[key].as_str().unwrap()).unwrap();
        assert_eq!(f["class_uid"], 2004, "{key}");
        assert_eq!(f["metadata"]["is_truncated"], false);
        assert!(f.get("truncated").is_none());
    }
    assert_eq!(
        (ocsf.subject, ocsf.severity, ocsf.truncated),
        (native.subject, native.severity, false)
    );
}

#[test]
fn a_huge_request_is_shortened_to_fit_sns_and_says_so() {
    let big = "x".repeat(400 * 1024);
    let mut a = alert(&create_client("big1"));
    a.request_parameters = Some(json!({"userPoolId": USER_POOL_ID, "blob": big}));
    let msg = sns_message_ocsf(&Notice::Alert(Box::new(a)));
    assert!(msg.truncated);
    assert!(
        msg.body.len() <= crate::notice::MAX_MESSAGE_BYTES,
        "{}",
        msg.body.len()
    );
    let body: Value = serde_json::from_str(&msg.body).unwrap();
    let f: Value = serde_json::from_str(body["sqs"].as_str().unwrap()).unwrap();
    assert_eq!(f["metadata"]["is_truncated"], true);
    let params = f["evidences"][0]["data"]["requestParameters"]
        .as_str()
        .unwrap();
    assert!(
        params.ends_with("bytes in all]"),
        "{}",
        &params[params.len() - 40..]
    );
}

#[test]
fn a_digest_keeps_its_own_form() {
    let digest = Notice::Digest(Digest {
        source: s3(),
        account_id: Some(ACCOUNT.into()),
        region: Some("eu-west-1".into()),
        sent: 50,
        held_back: 3,
        by_severity: [(Severity::Medium, 3)].into_iter().collect(),
        by_rule: [("cognito-idp.client.create".to_string(), 3)]
            .into_iter()
            .collect(),
        severity: Severity::Medium,
    });
    let body = ocsf_machine_body(&digest, false);
    assert_eq!(body["kind"], "digest");
    assert_eq!(body["truncated"], false);
    assert!(body.get("class_uid").is_none());
}

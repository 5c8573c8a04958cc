//! `scan --format ocsf`: each alert as an OCSF 1.6 Detection Finding (class 2004),
//! every object checked against the schema's facts in
//! `tests/fixtures/ocsf-detection-finding-required.json`: the attributes it marks
//! required, its at-least-one constraints, and no attribute it does not define.

mod common;

use std::fs;

use assert_cmd::Command;
use common::*;
use serde_json::{json, Value};
use tempfile::TempDir;

/// Runs `scan ARGS...`; returns (exit code, stdout, stderr).
fn scan(args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("cognito-trail-alerts")
        .unwrap()
        .arg("scan")
        .args(args)
        .output()
        .unwrap();
    let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
    (
        out.status.code().unwrap(),
        text(out.stdout),
        text(out.stderr),
    )
}

fn lines(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn schema() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/ocsf-detection-finding-required.json"
    );
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

fn names(v: &Value) -> Vec<&str> {
    v.as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// Checks `value`, an instance of `object` (`class` for the event itself) found
/// at `path`, and the objects it nests, adding what is wrong to `problems`.
fn check(schema: &Value, object: &str, value: &Value, path: &str, problems: &mut Vec<String>) {
    let spec = match object {
        "class" => &schema["class"],
        _ => &schema["objects"][object],
    };
    let Some(map) = value.as_object() else {
        problems.push(format!("{path}: a {object} must be an object, got {value}"));
        return;
    };
    for required in names(&spec["required"]) {
        if map.get(required).is_none_or(Value::is_null) {
            problems.push(format!("{path}: required {object}.{required} missing"));
        }
    }
    let known = names(&spec["attributes"]);
    for key in map.keys() {
        if !known.contains(&key.as_str()) {
            problems.push(format!("{path}.{key}: not an attribute of {object}"));
        }
    }
    let any = names(&spec["at_least_one"]);
    if !any.is_empty()
        && !any
            .iter()
            .any(|k| map.get(*k).is_some_and(|v| !v.is_null()))
    {
        problems.push(format!("{path}: a {object} needs one of {any:?}"));
    }
    let nested = spec["objects"].as_object().cloned().unwrap_or_default();
    for (attr, kind) in &nested {
        let kind = kind.as_str().unwrap();
        match map.get(attr) {
            Some(Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    check(schema, kind, item, &format!("{path}.{attr}[{i}]"), problems);
                }
            }
            Some(Value::Null) | None => {}
            Some(item) => check(schema, kind, item, &format!("{path}.{attr}"), problems),
        }
    }
}

/// What is wrong with one finding: the schema's rules, then the class's fixed
/// values (class 2004, category 2, `type_uid = class_uid * 100 + activity_id`,
/// the schema version and profiles).
fn problems(schema: &Value, finding: &Value) -> Vec<String> {
    let mut out = Vec::new();
    check(schema, "class", finding, "$", &mut out);
    let class = &schema["class"];
    if finding["class_uid"] != class["uid"] || finding["category_uid"] != class["category_uid"] {
        out.push(format!(
            "class {} category {}",
            finding["class_uid"], finding["category_uid"]
        ));
    }
    let activity = finding["activity_id"].as_u64().unwrap_or(0);
    if finding["type_uid"].as_u64() != Some(2004 * 100 + activity) {
        out.push(format!(
            "type_uid {} for activity {activity}",
            finding["type_uid"]
        ));
    }
    if finding["metadata"]["version"] != schema["ocsf_version"] {
        out.push(format!(
            "metadata.version {}",
            finding["metadata"]["version"]
        ));
    }
    for profile in names(&class["profiles"]) {
        if !names(&finding["metadata"]["profiles"]).contains(&profile) {
            out.push(format!("profile {profile} not declared"));
        }
    }
    out
}

#[test]
fn the_fixture_is_class_2004_with_its_required_attributes() {
    let schema = schema();
    assert_eq!(schema["class"]["uid"], 2004);
    let required = names(&schema["class"]["required"]);
    for attr in [
        "activity_id",
        "category_uid",
        "class_uid",
        "cloud",
        "finding_info",
        "metadata",
        "severity_id",
        "time",
        "type_uid",
    ] {
        assert!(required.contains(&attr), "{attr}: {required:?}");
    }
    assert_eq!(
        names(&schema["objects"]["finding_info"]["required"]),
        ["uid"]
    );
}

#[test]
fn the_checker_refuses_a_finding_that_breaks_the_schema() {
    let schema = schema();
    let (_, stdout, _) = scan(&["--format", "ocsf", "events/"]);
    let good = lines(&stdout).remove(0);
    assert_eq!(problems(&schema, &good), Vec::<String>::new());
    let broken = [
        ("/finding_info", "uid", "required finding_info.uid missing"),
        ("/cloud", "provider", "required cloud.provider missing"),
        ("", "severity_id", "required class.severity_id missing"),
        (
            "/evidences/0/api",
            "operation",
            "required api.operation missing",
        ),
    ];
    for (pointer, key, expected) in broken {
        let mut bad = good.clone();
        bad.pointer_mut(pointer)
            .unwrap()
            .as_object_mut()
            .unwrap()
            .remove(key);
        let got = problems(&schema, &bad);
        assert!(got.iter().any(|p| p.contains(expected)), "{key}: {got:?}");
    }
    let mut bad = good.clone();
    bad["finding_info"]["titel"] = json!("typo");
    assert!(problems(&schema, &bad).iter().any(|p| p.contains("titel")));
    let mut bad = good;
    bad["type_uid"] = json!(200400);
    assert!(!problems(&schema, &bad).is_empty());
}

#[test]
fn scan_format_ocsf_passes_the_class_2004_check_on_the_bundled_events() {
    let schema = schema();
    let (code, stdout, stderr) = scan(&["--format", "ocsf", "events/"]);
    assert_eq!(code, 0, "{stderr}");
    let findings = lines(&stdout);
    let (_, jsonl, _) = scan(&["--format", "jsonl", "events/"]);
    let alerts = lines(&jsonl);
    assert_eq!(findings.len(), 9, "one finding per alert");
    assert_eq!(findings.len(), alerts.len());
    for (f, a) in findings.iter().zip(&alerts) {
        assert_eq!(problems(&schema, f), Vec::<String>::new(), "{f}");
        let uid = format!(
            "alert#{}#{}",
            a["account_id"].as_str().unwrap(),
            a["event_id"].as_str().unwrap()
        );
        assert_eq!(f["finding_info"]["uid"], json!(uid));
        assert_eq!(f["finding_info"]["analytic"]["uid"], a["rule_id"]);
        assert_eq!(f["api"]["operation"], a["event_name"]);
        assert_eq!(f["cloud"]["account"]["uid"], a["account_id"]);
        assert_eq!(f["evidences"][0]["data"]["eventID"], a["event_id"]);
        assert_eq!(
            f["evidences"][0]["data"]["requestParameters"],
            a["request_parameters"]
        );
        let severity = ["info", "low", "medium", "high", "critical"]
            .iter()
            .position(|s| a["severity"] == *s)
            .unwrap();
        assert_eq!(f["severity_id"], json!(severity + 1));
        assert!(!f["resources"].as_array().unwrap().is_empty(), "{f}");
    }
    let failed = findings
        .iter()
        .find(|f| f["api"]["operation"] == "DeleteUserPool")
        .unwrap();
    assert!(
        failed["api"]["response"]["error"].is_string(),
        "{}",
        failed["api"]
    );
}

#[test]
fn unusual_callers_and_calls_pass_the_check_too() {
    let schema = schema();
    let dir = TempDir::new().unwrap();
    let service = json!({"type": "AWSService", "invokedBy": "cloudformation.amazonaws.com"});
    let root = json!({"type": "Root", "principalId": ACCOUNT, "arn": format!("arn:aws:iam::{ACCOUNT}:root"),
        "accountId": ACCOUNT, "accessKeyId": "ASIAEXAMPLEKEY000009"});
    let tag = record(
        "cognito-identity.amazonaws.com",
        "TagResource",
        json!({"resourceArn": format!("arn:aws:cognito-identity:{REGION}:{ACCOUNT}:identitypool/{IDENTITY_POOL_ID}"),
               "tags": {"team": "identity"}}),
        "4f6a2c1e-0b3d-4e5f-8a9b-0c1d2e3f4a51",
    );
    let records = [
        update_identity_pool("4f6a2c1e-0b3d-4e5f-8a9b-0c1d2e3f4a52", true)
            .by(service)
            .set("sourceIPAddress", json!("cloudformation.amazonaws.com")),
        update_user_pool("4f6a2c1e-0b3d-4e5f-8a9b-0c1d2e3f4a53", "OFF")
            .set("userIdentity", Value::Null),
        update_user_pool("4f6a2c1e-0b3d-4e5f-8a9b-0c1d2e3f4a54", "OFF")
            .by(root)
            .set("sourceIPAddress", json!("2001:db8::23")),
        update_identity_pool("4f6a2c1e-0b3d-4e5f-8a9b-0c1d2e3f4a55", true)
            .set("errorCode", json!("AccessDenied"))
            .set(
                "errorMessage",
                json!("User is not authorized to perform: cognito-identity:UpdateIdentityPool"),
            ),
        tag,
        record(
            "cognito-idp.amazonaws.com",
            "SomeFutureOperation",
            json!({"flag": true}),
            "4f6a2c1e-0b3d-4e5f-8a9b-0c1d2e3f4a56",
        ),
    ];
    let path = dir.path().join("trail.json");
    fs::write(&path, trail(&records)).unwrap();
    let (code, stdout, stderr) = scan(&["--format", "ocsf", path.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    let findings = lines(&stdout);
    assert_eq!(findings.len(), records.len(), "{stderr}");
    for f in &findings {
        assert_eq!(problems(&schema, f), Vec::<String>::new(), "{f}");
    }
    assert!(findings[1]["evidences"][0].get("actor").is_none());
    assert_eq!(
        findings[2]["evidences"][0]["src_endpoint"]["ip"],
        "2001:db8::23"
    );
    assert_eq!(findings[3]["api"]["response"]["error"], "AccessDenied");
    assert_eq!(
        findings[4]["resources"][0]["type"],
        "AWS::Cognito::IdentityPool"
    );
    assert_eq!(findings[5]["resources"][0]["type"], "AWS Account");
}

#[test]
fn a_chain_alert_passes_the_check_and_is_named_by_its_chain() {
    use cognito_trail_alerts_testkit::chains::{admin_change_email, admin_disable_totp, USER_SUB};
    let schema = schema();
    let dir = TempDir::new().unwrap();
    write_logs(
        dir.path(),
        &[(
            "0905",
            vec![
                admin_change_email("ev-1", USER_SUB).at("2026-11-20T09:00:00Z"),
                admin_disable_totp("ev-2", USER_SUB).at("2026-11-20T09:06:40Z"),
            ],
        )],
    );
    let (code, stdout, stderr) = scan(&["--format", "ocsf", dir.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    let findings = lines(&stdout);
    for f in &findings {
        assert_eq!(problems(&schema, f), Vec::<String>::new(), "{f}");
    }
    let chained: Vec<&Value> = findings
        .iter()
        .filter(|f| f["unmapped"].get("chain").is_some())
        .collect();
    assert_eq!(chained.len(), 1, "{stdout}");
    let f = chained[0];
    let uid = f["finding_info"]["uid"].as_str().unwrap();
    assert!(
        uid.starts_with("chainalert#cognito.chain.account-takeover#"),
        "{uid}"
    );
    assert!(uid.ends_with("#ev-1"), "{uid}");
    assert_eq!(
        f["unmapped"]["chain"]["members"].as_array().unwrap().len(),
        2
    );
    let singles = findings
        .iter()
        .filter(|f| {
            f["finding_info"]["uid"]
                .as_str()
                .unwrap()
                .starts_with("alert#")
        })
        .count();
    assert_eq!(singles, 2, "the members still alert as themselves");
}

use serde_json::json;

use super::*;

#[test]
fn parses_event_times() {
    assert_eq!(parse_utc("1970-01-01T00:00:00Z"), Some(0.0));
    assert_eq!(parse_utc("2026-11-20T09:02:41Z"), Some(1_795_165_361.0));
    assert_eq!(parse_utc("2024-02-29T12:00:00Z"), Some(1_709_208_000.0));
    assert_eq!(parse_utc("yesterday"), None);
}

#[test]
fn datums_are_complete_and_low_cardinality() {
    let mut t = Tally::default();
    t.alert(Severity::High, "cognito-idp.user-pool.update");
    t.alert(Severity::High, "cognito-idp.user-pool.update");
    t.skip("digest");
    t.records = 120;
    t.files = 1;
    t.latency(Some("2026-11-20T09:02:41Z"), 1_795_165_361.0 + 300.0);
    let d = t.datums();
    let find = |name: &str, dim: Option<(&str, &str)>| {
        d.iter()
            .find(|x| x.name == name && x.dimensions.iter().map(|(k, v)| (*k, v.as_str())).eq(dim))
            .map(|x| x.value)
    };
    assert_eq!(find("Alerts", None), Some(2.0));
    assert_eq!(find("Alerts", Some(("Severity", "high"))), Some(2.0));
    assert_eq!(find("Alerts", Some(("Severity", "critical"))), Some(0.0));
    assert_eq!(
        find("Alerts", Some(("RuleId", "cognito-idp.user-pool.update"))),
        Some(2.0)
    );
    assert_eq!(
        find("ObjectsSkipped", Some(("Reason", "digest"))),
        Some(1.0)
    );
    assert_eq!(find("PublishFailures", None), Some(0.0));
    assert_eq!(find("ProcessingLatency", None), Some(300.0));
    // Without a state store, its counters are not sent at all.
    assert_eq!(find("StateUnavailable", None), None);
    t.state_enabled = true;
    t.state_unavailable = 3;
    let d = t.datums();
    let state = |name: &str| d.iter().find(|x| x.name == name).map(|x| x.value);
    assert_eq!(state("StateUnavailable"), Some(3.0));
    assert_eq!(state("DuplicatesSuppressed"), Some(0.0));
}

#[test]
fn suppressed_alerts_are_counted_per_suppression_id() {
    let mut t = Tally::default();
    assert!(t.datums().iter().all(|d| d.name != "Suppressed"));
    t.suppressions_enabled = true;
    let zero = t.datums();
    let total = zero.iter().find(|d| d.name == "Suppressed").unwrap();
    assert_eq!((total.value, total.dimensions.len()), (0.0, 0));
    t.suppressed("sandbox-pools");
    t.suppressed("sandbox-pools");
    t.suppressed("terraform-tags");
    let d = t.datums();
    let by = |id: &str| {
        d.iter()
            .find(|x| x.name == "Suppressed" && x.dimensions == [("SuppressionId", id.to_string())])
            .map(|x| x.value)
    };
    assert_eq!(
        (by("sandbox-pools"), by("terraform-tags")),
        (Some(2.0), Some(1.0))
    );
    let docs = emf("CognitoTrailAlerts", &d, 1_700_000_000_000);
    let doc = docs
        .iter()
        .find(|x| x["SuppressionId"] == "sandbox-pools")
        .unwrap();
    assert_eq!(doc["Suppressed"], 2.0);
}

#[test]
fn emf_documents_carry_the_same_figures() {
    let mut t = Tally::default();
    t.alert(Severity::Critical, "r1");
    t.files = 1;
    let docs = emf("CognitoTrailAlerts", &t.datums(), 1_700_000_000_000);
    let critical = docs.iter().find(|d| d["Severity"] == "critical").unwrap();
    assert_eq!(critical["Alerts"], 1.0);
    assert_eq!(
        critical["_aws"]["CloudWatchMetrics"][0]["Dimensions"],
        json!([["Severity"]])
    );
    let plain = docs
        .iter()
        .find(|d| d["_aws"]["CloudWatchMetrics"][0]["Dimensions"] == json!([[]]))
        .unwrap();
    assert_eq!(
        (plain["FilesProcessed"].as_f64(), plain["Alerts"].as_f64()),
        (Some(1.0), Some(1.0))
    );
}

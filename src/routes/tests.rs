use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::*;
use crate::notice::{Digest, Unreadable};
use crate::rules::{Date, Overlay};
use crate::settings::LocalCache;
use crate::{scan_record, Origin, RuleSet, Severity};
use cognito_trail_alerts_testkit::records::{self, RecordExt, ACCOUNT, USER_POOL_ID};

const RULES: &str = "rules:
  - id: cognito-idp.user-pool.delete
    title: User pool deleted
    severity: critical
    description: DeleteUserPool.
    match: { eventSource: cognito-idp.amazonaws.com, eventName: DeleteUserPool }
  - id: cognito-idp.user-pool.update
    title: User pool configuration replaced
    severity: medium
    description: UpdateUserPool replaces the whole configuration.
    match: { eventSource: cognito-idp.amazonaws.com, eventName: UpdateUserPool }
  - id: cognito.resource.tags
    title: Tags changed
    severity: low
    description: Tags changed.
    match: { eventSource: cognito-idp.amazonaws.com, eventName: TagResource }
";

const DEFAULT: &str = "arn:aws:sns:eu-west-1:111122223333:cognito-alerts";
const CRITICAL: &str = "arn:aws:sns:eu-west-1:111122223333:cognito-critical";
const TEAM: &str = "arn:aws:sns:eu-west-1:111122223333:shop-team";
const SANDBOX: &str = "arn:aws:sns:eu-west-1:444455556666:sandbox-alerts";

/// The issue's example: critical alerts also page; everything reaches the default.
const PAGING: &str = r#"
routes:
  - name: paging
    severity: critical
    topics: ["arn:aws:sns:eu-west-1:111122223333:cognito-critical"]
    tag: pager
"#;

fn table(overlays: &[&str]) -> RouteTable {
    let parsed = overlays
        .iter()
        .enumerate()
        .map(|(i, text)| Overlay::from_yaml(text, &format!("o{i}.yaml")).unwrap())
        .collect();
    let set = RuleSet::from_yaml(RULES, "rules.yaml")
        .unwrap()
        .with_overlays(parsed, Date::parse("2026-11-30").unwrap())
        .unwrap();
    RouteTable::new(TopicArn::parse(DEFAULT).unwrap(), set.routes().to_vec())
}

/// The alert the engine makes of `record`.
fn alert(record: Value) -> Alert {
    let set = RuleSet::from_yaml(RULES, "rules.yaml").unwrap();
    let raw = serde_json::to_vec(&record).unwrap();
    let origin = Origin::File {
        file: "t.json".into(),
    };
    let mut out = Vec::new();
    scan_record(&set, &raw, &origin, &mut LocalCache::new(), |a| out.push(a));
    out.pop().expect("an alert")
}

fn pool(name: &str) -> Value {
    records::record(
        "cognito-idp.amazonaws.com",
        name,
        json!({"userPoolId": USER_POOL_ID}),
        &format!("id-{name}"),
    )
}

fn critical() -> Alert {
    alert(pool("DeleteUserPool"))
}

fn low() -> Alert {
    let arn = format!("arn:aws:cognito-idp:eu-west-1:{ACCOUNT}:userpool/{USER_POOL_ID}");
    alert(pool("TagResource").with_params(json!({"resourceArn": arn, "tags": {"team": "shop"}})))
}

fn arns(topics: Vec<TopicArn>) -> Vec<String> {
    topics.into_iter().map(|t| t.to_string()).collect()
}

#[test]
fn a_critical_alert_reaches_the_critical_topic_and_the_default_a_low_one_only_the_default() {
    let t = table(&[PAGING]);
    assert_eq!(critical().severity, Severity::Critical);
    assert_eq!(arns(t.topics_for(&critical())), [DEFAULT, CRITICAL]);
    assert_eq!(low().severity, Severity::Low);
    assert_eq!(arns(t.topics_for(&low())), [DEFAULT]);
    let why = t.route(&facts_of_alert(&critical()));
    assert_eq!((why.routes, why.default), (vec!["pager"], true));
}

#[test]
fn no_routes_or_no_match_is_the_default_topic_never_nowhere() {
    assert_eq!(arns(table(&[]).topics_for(&critical())), [DEFAULT]);
    let elsewhere = "routes:\n  - name: other-account\n    accounts: [\"999988887777\"]\n    topics: [arn:aws:sns:eu-west-1:999988887777:x]\n    only: true\n";
    let t = table(&[elsewhere]);
    assert_eq!(arns(t.topics_for(&critical())), [DEFAULT]);
    assert_eq!(t.all_topics().len(), 2);
}

#[test]
fn every_test_of_a_route_must_hold() {
    let shop = format!(
        "routes:\n  - name: shop\n    severity: [low, medium]\n    rules: [\"cognito.*\"]\n    accounts: {ACCOUNT}\n    regions: [\"eu-*\"]\n    resources: [\"arn:aws:cognito-idp:*:userpool/{USER_POOL_ID}\"]\n    topics: [\"{TEAM}\"]\n"
    );
    let t = table(&[&shop]);
    assert_eq!(arns(t.topics_for(&low())), [DEFAULT, TEAM]);
    // critical is not in [low, medium]; the rule id is not under cognito.*
    assert_eq!(arns(t.topics_for(&critical())), [DEFAULT]);
    // The same call in another region, on another pool.
    let moved = alert(
        pool("TagResource")
            .with_params(json!({"resourceArn": "arn:aws:cognito-idp:us-east-1:111122223333:userpool/us-east-1_Zz"}))
            .set("awsRegion", json!("us-east-1")),
    );
    assert_eq!(arns(t.topics_for(&moved)), [DEFAULT]);
}

#[test]
fn only_keeps_an_alert_off_the_default_topic_and_stop_ends_the_search() {
    let sandbox = format!(
        "routes:\n  - name: sandbox\n    accounts: [\"{ACCOUNT}\"]\n    topics: [\"{SANDBOX}\"]\n    only: true\n    stop: true\n"
    );
    // The sandbox route comes first and stops: the paging route is never tried.
    let t = table(&[&sandbox, PAGING]);
    assert_eq!(arns(t.topics_for(&critical())), [SANDBOX]);
    let why = t.route(&facts_of_alert(&critical()));
    assert_eq!((why.routes, why.default), (vec!["sandbox"], false));
    // Without `stop`, both apply; `only` still keeps the default out.
    let t = table(&[&sandbox.replace("    stop: true\n", ""), PAGING]);
    assert_eq!(arns(t.topics_for(&critical())), [SANDBOX, CRITICAL]);
    // Paging first: it matched before the sandbox route stopped the search.
    let t = table(&[PAGING, &sandbox]);
    assert_eq!(arns(t.topics_for(&critical())), [CRITICAL, SANDBOX]);
}

#[test]
fn topics_are_deduplicated_in_order() {
    let again = format!(
        "routes:\n  - name: all\n    topics: [\"{CRITICAL}\", \"{DEFAULT}\"]\n  - name: also\n    severity: high\n    topics: [\"{CRITICAL}\"]\n"
    );
    let t = table(&[&again]);
    assert_eq!(arns(t.topics_for(&critical())), [DEFAULT, CRITICAL]);
    assert_eq!(
        t.route(&facts_of_alert(&critical())).routes,
        ["all", "also"]
    );
    assert_eq!(t.all_topics().len(), 2);
}

#[test]
fn digests_and_unreadable_files_are_routed_on_what_they_know() {
    let t = table(&[PAGING]);
    let origin = Origin::File {
        file: "t.json".into(),
    };
    let digest = Digest {
        source: origin.clone(),
        account_id: Some(ACCOUNT.into()),
        region: Some("eu-west-1".into()),
        sent: 10,
        held_back: 3,
        by_severity: BTreeMap::from([(Severity::Critical, 3)]),
        by_rule: BTreeMap::from([("cognito-idp.user-pool.delete".to_string(), 3)]),
        severity: Severity::Critical,
    };
    assert_eq!(
        arns(t.topics_for_notice(&Notice::Digest(digest))),
        [DEFAULT, CRITICAL]
    );
    let unreadable = Notice::Unreadable(Unreadable {
        source: origin,
        account_id: None,
        region: None,
        reason: "truncated".into(),
        records_before_failure: 0,
    });
    assert_eq!(arns(t.topics_for_notice(&unreadable)), [DEFAULT]);
    // A route testing the resource never takes a notice that has none.
    let by_pool =
        format!("routes:\n  - name: pool\n    resources: [\"*\"]\n    topics: [\"{TEAM}\"]\n");
    assert_eq!(
        arns(table(&[&by_pool]).topics_for_notice(&unreadable)),
        [DEFAULT]
    );
    let n = Notice::Alert(Box::new(critical()));
    assert_eq!(
        arns(table(&[&by_pool]).topics_for_notice(&n)),
        [DEFAULT, TEAM]
    );
}

#[test]
fn topic_arns_are_checked() {
    for good in [
        DEFAULT,
        "arn:aws-cn:sns:cn-north-1:111122223333:alerts",
        "arn:aws-us-gov:sns:us-gov-west-1:111122223333:alerts.fifo",
        "arn:aws:sns:us-east-1:000000000000:a_b-c",
    ] {
        assert!(TopicArn::parse(good).is_ok(), "{good}");
    }
    for (bad, why) in [
        (
            "arn:aws:sqs:eu-west-1:111122223333:q",
            "the service is not sns",
        ),
        (
            "arn:aws:sns:eu-west-1:11112222333:t",
            "the account is not 12 digits",
        ),
        (
            "arn:aws:sns:euwest1:111122223333:t",
            "the region is not a region",
        ),
        ("arn:aws:sns:eu-west-1:111122223333:", "a topic name is"),
        ("arn:aws:sns:eu-west-1:111122223333:a.b", "a topic name is"),
        (
            "arn:azure:sns:eu-west-1:111122223333:t",
            "it must start with arn:aws",
        ),
        ("cognito-alerts", "wrong number"),
    ] {
        let err = TopicArn::parse(bad).unwrap_err();
        assert!(
            err.contains(why) && err.contains(TOPIC_ARN_SHAPE),
            "{bad}: {err}"
        );
    }
}

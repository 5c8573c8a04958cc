//! Change sets end to end through the public API, as the function will use them:
//! a trail file scanned by the bundled pack, its alerts grouped, each set's
//! members claimed one by one, the unclaimed rest split into parts and "sent".
//! The claims are a set of delivered keys here (the function's state table in
//! production); the point is that exactly-once holds per alert.

mod common;

use std::collections::HashSet;
use std::io::Cursor;

use cognito_trail_alerts::claim::Key;
use cognito_trail_alerts::notice::change_set::{Tool, Window};
use cognito_trail_alerts::notice::{change_sets, sns_parts, SnsMessage};
use cognito_trail_alerts::{scan, Alert, Origin, RuleSet};
use cognito_trail_alerts_testkit::records::terraform_apply as apply;
use common::*;
use serde_json::Value;

fn alerts_of(file: &[u8]) -> Vec<Alert> {
    let rules = RuleSet::bundled().expect("the bundled pack");
    let origin = Origin::S3 {
        bucket: "trail-bucket".into(),
        key: log_key("0915"),
    };
    let mut alerts = Vec::new();
    scan(&rules, Cursor::new(file.to_vec()), &origin, |a| {
        alerts.push(a)
    })
    .expect("scans");
    alerts
}

/// What the function does with one file's alerts: per change set, claim every
/// member (here: skip those already delivered), then publish the rest in parts,
/// completing each part's members once it is sent. Returns what was sent.
fn publish(
    file: &[u8],
    delivered: &mut HashSet<Key>,
    fail_after: Option<usize>,
) -> Vec<SnsMessage> {
    let mut sent = Vec::new();
    for set in change_sets(alerts_of(file), Window::default()) {
        let keys = set.claim_keys(Some("etag-1"));
        let Some(todo) = set.retain(|i, _| !delivered.contains(&keys[i])) else {
            continue;
        };
        for part in sns_parts(&todo, Some("etag-1")) {
            if fail_after.is_some_and(|n| sent.len() == n) {
                return sent; // the invocation dies: these members stay unclaimed
            }
            delivered.extend(part.claim_keys);
            sent.push(part.message);
        }
    }
    sent
}

fn machine(message: &SnsMessage) -> Value {
    let body: Value = serde_json::from_str(&message.body).unwrap();
    serde_json::from_str(body["sqs"].as_str().unwrap()).unwrap()
}

#[test]
fn a_terraform_apply_is_one_message_and_its_retry_sends_nothing() {
    let file = trail_gz(&apply("deployer", "ASIAQNZGKDEPLOYER001", "tf", 0));
    let mut delivered = HashSet::new();
    let sent = publish(&file, &mut delivered, None);
    assert_eq!(sent.len(), 1, "one email, one Slack message");
    let highest = alerts_of(&file).iter().map(|a| a.severity).max().unwrap();
    assert!(
        sent[0].subject.starts_with(&format!(
            "[{}] 12 Cognito changes by role/deployer via Terraform",
            highest.label()
        )),
        "{}",
        sent[0].subject
    );
    let json = machine(&sent[0]);
    assert_eq!(json["tool"], Tool::Terraform.id());
    assert_eq!(json["alerts"].as_array().unwrap().len(), 12);
    assert_eq!(delivered.len(), 12, "one claim per alert");

    assert!(
        publish(&file, &mut delivered, None).is_empty(),
        "a retry sends nothing"
    );
}

#[test]
fn two_deployers_in_one_window_are_two_messages() {
    let mut records = apply("deployer", "ASIAQNZGKDEPLOYER001", "a", 0);
    records.extend(apply("release-bot", "ASIAQNZGKRELEASEBOT1", "b", 5));
    let sent = publish(&trail_gz(&records), &mut HashSet::new(), None);
    assert_eq!(sent.len(), 2);
    assert!(
        sent[0].subject.contains("by role/deployer"),
        "{}",
        sent[0].subject
    );
    assert!(
        sent[1].subject.contains("by role/release-bot"),
        "{}",
        sent[1].subject
    );
}

/// An invocation that dies between two parts: the retry sends only the members
/// the first never delivered, each alert exactly once overall.
#[test]
fn a_retry_after_a_partial_send_completes_without_repeats() {
    let mut records = apply("deployer", "ASIAQNZGKDEPLOYER001", "a", 0);
    records.extend(apply("deployer", "ASIAQNZGKDEPLOYER001", "b", 41));
    records.extend(apply("deployer", "ASIAQNZGKDEPLOYER001", "c", 82));
    let file = trail_gz(&records);
    let mut delivered = HashSet::new();
    let first = publish(&file, &mut delivered, Some(1));
    assert_eq!(first.len(), 1, "the first part went out");
    let retry = publish(&file, &mut delivered, None);
    assert!(!retry.is_empty());
    let ids: Vec<String> = first
        .iter()
        .chain(&retry)
        .flat_map(|m| machine(m)["alerts"].as_array().unwrap().clone())
        .map(|a| a["event_id"].as_str().unwrap().to_string())
        .collect();
    let unique: HashSet<&String> = ids.iter().collect();
    assert_eq!((ids.len(), unique.len()), (36, 36), "each alert once");
}

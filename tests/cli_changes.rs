//! What each change changed, across the files of one `scan` run: the CLI keeps the
//! last value of each tracked setting in memory, files in path order.

mod common;

use assert_cmd::Command;
use common::*;
use serde_json::{json, Value};
use tempfile::TempDir;

const POOL: &str = USER_POOL_ID;

/// An UpdateUserPool at `time` setting MFA, with everything else hardened.
fn update_pool(event_id: &str, time: &str, mfa: &str) -> Value {
    update_user_pool(event_id, mfa).at(time).with_params(
        json!({"userPoolAddOns": {"advancedSecurityMode": "ENFORCED"}, "userPoolTier": "PLUS",
               "userAttributeUpdateSettings": {"attributesRequireVerificationBeforeUpdate": ["email"]}}),
    )
}

/// A trail bucket layout: one file per 5 minutes, names in time order.
fn trail_dir(files: &[(&str, Vec<Value>)]) -> TempDir {
    let dir = TempDir::new().unwrap();
    write_logs(dir.path(), files);
    dir
}

fn scan_jsonl(dir: &TempDir) -> Vec<Value> {
    let out = Command::cargo_bin("cognito-trail-alerts")
        .unwrap()
        .args(["scan", "--format", "jsonl"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn mfa_change(alert: &Value) -> &Value {
    alert["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["setting"] == "MFA")
        .expect("an MFA change")
}

#[test]
fn a_backfill_reports_what_each_update_changed() {
    let dir = trail_dir(&[
        (
            "0905",
            vec![noise("n1"), update_pool("e1", "2026-11-20T09:01:00Z", "ON")],
        ),
        (
            "0910",
            vec![
                update_pool("e2", "2026-11-20T09:06:00Z", "OFF"),
                noise("n2"),
            ],
        ),
        (
            "0915",
            vec![update_pool("e3", "2026-11-20T09:11:00Z", "OFF")],
        ),
    ]);
    let alerts = scan_jsonl(&dir);
    assert_eq!(alerts.len(), 3);

    let first = mfa_change(&alerts[0]);
    assert_eq!(
        (first["status"].as_str(), &first["before"]),
        (Some("unknown"), &Value::Null)
    );
    assert_eq!(first["after"], "ON");

    // Turned off: high, with what it was, when and by whom.
    assert_eq!(alerts[1]["severity"], "high");
    let off = mfa_change(&alerts[1]);
    assert_eq!(off["status"], "changed");
    assert_eq!(off["before"]["value"], "ON");
    assert_eq!(off["before"]["event_time"], "2026-11-20T09:01:00Z");
    assert_eq!(off["before"]["event_id"], "e1");
    assert!(off["before"]["actor"]
        .as_str()
        .unwrap()
        .contains("assumed-role/platform-admin"));
    assert_eq!(off["resource"]["id"], POOL);

    // Turned off: the MFA check fails now, having passed before.
    let failed: Vec<&Value> = alerts[1]["checks"]["failed"]
        .as_array()
        .unwrap()
        .iter()
        .collect();
    assert!(
        failed
            .iter()
            .any(|c| c["id"] == "user-pool.mfa-on" && c["wasPassing"] == true),
        "{}",
        alerts[1]["checks"]
    );

    // Restated: nothing changed and no check newly fails, so it is info (below
    // any default minimum); no change is listed, and the MFA check is still failing.
    assert_eq!(alerts[2]["severity"], "info");
    assert!(
        alerts[2]["changes"].as_array().unwrap().is_empty(),
        "{}",
        alerts[2]["changes"]
    );
    let still = alerts[2]["checks"]["stillFailing"].to_string();
    assert!(still.contains("user-pool.mfa-on"), "{still}");
    assert!(
        alerts[2]["checks"].get("failed").is_none(),
        "{}",
        alerts[2]["checks"]
    );
}

#[test]
fn an_older_file_scanned_later_does_not_invent_a_before() {
    // The newer event sits in the file that sorts first (a late delivery).
    let dir = trail_dir(&[
        (
            "0905",
            vec![update_pool("late", "2026-11-20T09:30:00Z", "ON")],
        ),
        (
            "0910",
            vec![update_pool("early", "2026-11-20T09:06:00Z", "OFF")],
        ),
    ]);
    let alerts = scan_jsonl(&dir);
    let early = mfa_change(&alerts[1]);
    assert_eq!(early["status"], "newer_known");
    assert_eq!(early["before"], Value::Null);
    assert_eq!(early["newer"]["event_id"], "late");
    // Unknown before counts as a change (the rule's own severity), but proves no
    // weakening: what MFA was before this event cannot be told, nor after it
    // (a newer value is known), so the MFA check is not judged on it.
    assert_eq!(alerts[1]["severity"], "medium");
    assert!(
        !alerts[1]["checks"].to_string().contains("user-pool.mfa-on"),
        "{}",
        alerts[1]["checks"]
    );
}

#[test]
fn the_text_format_shows_the_change() {
    let dir = trail_dir(&[
        (
            "0905",
            vec![update_pool("e1", "2026-11-20T09:01:00Z", "ON")],
        ),
        (
            "0910",
            vec![update_pool("e2", "2026-11-20T09:06:00Z", "OFF")],
        ),
    ]);
    let out = Command::cargo_bin("cognito-trail-alerts")
        .unwrap()
        .arg("scan")
        .arg(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("  changes    - MFA: ON → OFF (ON set 2026-11-20T09:01:00Z by arn:aws:sts::111122223333:assumed-role/platform-admin/platform-admin-session)"),
        "{text}"
    );
}

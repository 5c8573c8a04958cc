//! The `cognito-trail-alerts` binary on fixture files, broken ones included.

mod common;

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use common::*;
use serde_json::{json, Value};
use tempfile::TempDir;

fn bin() -> Command {
    Command::cargo_bin("cognito-trail-alerts").unwrap()
}

/// Runs `scan ARGS...`; returns (exit code, stdout, stderr).
fn scan(args: &[&str]) -> (i32, String, String) {
    let out = bin().arg("scan").args(args).output().unwrap();
    let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
    (
        out.status.code().unwrap(),
        text(out.stdout),
        text(out.stderr),
    )
}

fn write(dir: &Path, rel: &str, bytes: &[u8]) -> String {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, bytes).unwrap();
    path.display().to_string()
}

fn jsonl(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn rules_file(dir: &Path) -> String {
    write(dir, "rules.yaml", RULES.as_bytes())
}

#[test]
fn scans_the_bundled_samples() {
    let (code, stdout, stderr) = scan(&["--format", "jsonl", "events/"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains(
            "scanned 3 files (1 digest/insight skipped, 0 unreadable): 360 records, 9 alerts"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("1 duplicates, 0 record errors"), "{stderr}");
    let got: Vec<(String, String, String)> = jsonl(&stdout)
        .iter()
        .map(|a| {
            let s = |v: &Value| v.as_str().unwrap().to_string();
            (
                s(&a["event_name"]),
                s(&a["severity"]),
                s(&a["outcome"]["status"]),
            )
        })
        .collect();
    let want = [
        ("UpdateUserPool", "medium", "success"),
        ("CreateUserPoolClient", "medium", "success"),
        ("AdminSetUserPassword", "high", "success"),
        ("SetCognitoEvents", "medium", "success"),
        ("CreateIdentityPool", "critical", "success"),
        ("DeleteUserPool", "critical", "failed"),
        ("CreateUserPoolDomain", "critical", "success"),
        ("SetIdentityPoolRoles", "critical", "success"),
        ("CreateIdentityProvider", "high", "success"),
    ];
    let want: Vec<_> = want
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    assert_eq!(got, want);
    let risks = stdout.lines().next().unwrap();
    // The first UpdateUserPool: the checks it fails (not known before: a first
    // sighting), and the triggers it leaves out listed among the changes.
    assert!(
        risks.contains(r#""id":"user-pool.mfa-on""#) && risks.contains(r#""wasPassing":false"#),
        "{risks}"
    );
    assert!(
        stdout.contains(r#""user_sub":"5f3c2d1e-8a7b-4c6d-9e0f-1a2b3c4d5e6f""#),
        "AdminSetUserPassword carries the sub"
    );
}

#[test]
fn jsonl_has_the_contract_keys() {
    let dir = TempDir::new().unwrap();
    let file = write(
        dir.path(),
        "a.json.gz",
        &gz(&trail(&[noise("n"), seed_record()])),
    );
    let (code, stdout, _) = scan(&[
        "--format",
        "jsonl",
        "--rules",
        &rules_file(dir.path()),
        &file,
    ]);
    assert_eq!(code, 0);
    let alerts = jsonl(&stdout);
    assert_eq!(alerts.len(), 1);
    let a = &alerts[0];
    for key in [
        "rule_id",
        "severity",
        "event_id",
        "event_name",
        "event_source",
        "event_time",
        "account_id",
        "region",
        "actor",
        "risks",
        "source",
    ] {
        assert!(a.get(key).is_some(), "missing {key} in {a}");
    }
    assert_eq!(a["severity"], "critical");
    assert_eq!(a["event_id"], "f1d47f93-c708-495b-bff1-cb935a6064b2");
    assert_eq!(a["risks"], json!(["Unauthenticated identities allowed."]));
    assert_eq!(
        a["source"],
        json!({"path": "file", "file": file, "record_index": 1})
    );
    assert_eq!(a["actor"]["arn"], "arn:aws:iam::123456789012:user/Alice");
}

#[test]
fn broken_files_are_named_and_the_others_still_scanned() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    let good = gz(&trail(&[update_identity_pool("good-1", true)]));
    write(d, "a-good.json.gz", &good);
    write(d, "b-truncated.json.gz", &good[..good.len() - 12]);
    write(d, "c-not-gzip.json.gz", b"this is not a log file");
    write(
        d,
        "d-digest-shaped.json",
        br#"{"awsAccountId":"111122223333","logFiles":[]}"#,
    );
    write(
        d,
        "e-wrong-types.json",
        &trail(&[
            json!("x"),
            json!({"eventName": 5, "eventSource": "cognito-identity.amazonaws.com"}),
        ]),
    );
    write(d, "f-empty.json.gz", b"");
    write(
        d,
        "g-plain.json",
        &trail(&[update_identity_pool("plain-1", true)]),
    );
    write(d, "notes.txt", b"ignored: not a .json or .json.gz file");
    let (code, stdout, stderr) = scan(&[
        "--format",
        "jsonl",
        "--rules",
        &rules_file(d),
        d.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{stderr}");
    let ids: Vec<_> = jsonl(&stdout)
        .iter()
        .map(|a| a["event_id"].as_str().unwrap().to_string())
        .collect();
    // The truncated copy still yields the record before the cut (dedupe is per file).
    assert_eq!(ids, ["good-1", "good-1", "plain-1"]);
    for want in [
        "b-truncated.json.gz: truncated gzip",
        "c-not-gzip.json.gz: neither gzip nor JSON: the file starts with 't'",
        "d-digest-shaped.json: no \"Records\" array",
        "f-empty.json.gz: the file is empty",
        "e-wrong-types.json: record 0: not an object (found a string)",
        "e-wrong-types.json: record 1: `eventName`: invalid type: integer `5`",
    ] {
        assert!(stderr.contains(want), "missing {want:?} in:\n{stderr}");
    }
    assert!(
        stderr.contains("scanned 7 files (0 digest/insight skipped, 4 unreadable)"),
        "{stderr}"
    );
    assert!(stderr.contains("2 record errors"), "{stderr}");
}

#[test]
fn digest_and_insight_files_in_directories_are_skipped_and_counted() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    let logs = "AWSLogs/111122223333";
    write(d, &format!("{logs}/CloudTrail/eu-west-1/2026/11/20/111122223333_CloudTrail_eu-west-1_20261120T0905Z_a.json.gz"), &gz(&trail(&[noise("1")])));
    write(d, &format!("{logs}/CloudTrail-Digest/eu-west-1/2026/11/20/111122223333_CloudTrail-Digest_eu-west-1_t_eu-west-1_20261120T100000Z.json.gz"), &gz(b"{}"));
    write(d, &format!("{logs}/CloudTrail-Insight/eu-west-1/2026/11/20/111122223333_CloudTrail-Insight_eu-west-1_20261120T0905Z_b.json.gz"), &gz(b"{}"));
    let (code, _, stderr) = scan(&[d.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("scanned 1 files (2 digest/insight skipped, 0 unreadable): 1 records"),
        "{stderr}"
    );
    // Named explicitly, a digest is scanned, and is not a log file.
    let digest = d.join(format!("{logs}/CloudTrail-Digest/eu-west-1/2026/11/20/111122223333_CloudTrail-Digest_eu-west-1_t_eu-west-1_20261120T100000Z.json.gz"));
    let (code, _, stderr) = scan(&[digest.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no \"Records\" array"), "{stderr}");
}

#[test]
fn min_severity_filters_and_fail_on_sets_the_exit_code() {
    let dir = TempDir::new().unwrap();
    let mut medium = update_identity_pool("m", true);
    medium["requestParameters"]["allowUnauthenticatedIdentities"] = json!(false);
    let file = write(
        dir.path(),
        "a.json.gz",
        &gz(&trail(&[medium, update_identity_pool("c", true)])),
    );
    let rules = rules_file(dir.path());
    let (code, stdout, stderr) = scan(&[
        "--rules",
        &rules,
        "--format",
        "jsonl",
        "--min-severity",
        "high",
        &file,
    ]);
    assert_eq!(code, 0);
    assert_eq!(jsonl(&stdout).len(), 1);
    assert!(stderr.contains("2 alerts (critical 1, high 0, medium 1, low 0, info 0, 1 below --min-severity not shown)"), "{stderr}");
    assert_eq!(
        scan(&["--rules", &rules, "--fail-on", "critical", &file]).0,
        1
    );
    let (code, _, _) = scan(&[
        "--rules",
        &rules,
        "--fail-on",
        "high",
        "--min-severity",
        "critical",
        &file,
    ]);
    assert_eq!(code, 1);
    let quiet = write(dir.path(), "b.json.gz", &gz(&trail(&[noise("n")])));
    assert_eq!(scan(&["--rules", &rules, "--fail-on", "low", &quiet]).0, 0);
}

#[test]
fn text_format_is_readable_and_escapes_control_characters() {
    let dir = TempDir::new().unwrap();
    let mut r = update_identity_pool("t", true);
    r["requestParameters"]["identityPoolName"] = json!("shop\u{1b}[2J");
    let file = write(dir.path(), "a.json", &trail(&[r]));
    let (code, stdout, _) = scan(&["--rules", &rules_file(dir.path()), &file]);
    assert_eq!(code, 0);
    assert!(
        stdout.starts_with("[CRITICAL] Identity pool changed  rule identity-pool-writes\n"),
        "{stdout}"
    );
    assert!(stdout.contains("who        AssumedRole arn:aws:sts::111122223333:assumed-role/platform-admin/platform-admin-session (role arn:aws:iam::111122223333:role/platform-admin)"), "{stdout}");
    assert!(
        stdout.contains("- Unauthenticated identities allowed."),
        "{stdout}"
    );
    assert!(
        !stdout.contains('\u{1b}'),
        "raw escape reached the terminal"
    );
    assert!(stdout.contains("shop\\u{1b}[2J"), "{stdout}");
}

#[test]
fn bad_rules_and_missing_inputs_exit_2_with_a_located_message() {
    let dir = TempDir::new().unwrap();
    let bad = write(
        dir.path(),
        "bad.yaml",
        RULES
            .replace("severity: medium", "severity: urgent")
            .as_bytes(),
    );
    let (code, _, stderr) = scan(&["--rules", &bad, "events/"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains(&format!(
            "{bad}:4:15: rules[0].severity: unknown variant `urgent`"
        )),
        "{stderr}"
    );
    let (code, _, stderr) = scan(&["no/such/file.json.gz"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("error: no/such/file.json.gz: cannot open"),
        "{stderr}"
    );
}

#[test]
fn rules_test_reports_each_case_and_fails_on_a_broken_one() {
    let dir = TempDir::new().unwrap();
    let with_tests = format!(
        "{RULES}    tests:
      - name: seed-like pool with unauthenticated access
        record: {{ eventSource: cognito-identity.amazonaws.com, eventName: CreateIdentityPool,
                  requestParameters: {{ allowUnauthenticatedIdentities: true }} }}
        expect: {{ severity: critical, risks: [Unauthenticated] }}
      - name: wrong expectation
        record: {{ eventSource: cognito-identity.amazonaws.com, eventName: UpdateIdentityPool }}
        expect: {{ severity: high }}
"
    );
    let file = write(dir.path(), "r.yaml", with_tests.as_bytes());
    let out = bin().args(["rules", "test", &file]).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("ok    identity-pool-writes: seed-like pool with unauthenticated access"),
        "{stdout}"
    );
    assert!(stdout.contains(&format!("FAIL  identity-pool-writes: wrong expectation ({file}:2): expected severity high, got medium")), "{stdout}");
    assert!(stdout.contains("1 passed, 1 failed"), "{stdout}");
}

#[test]
fn the_bundled_pack_lists_and_passes_its_own_tests() {
    let out = bin().args(["rules", "test"]).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = bin().args(["rules", "list"]).output().unwrap();
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .contains("cognito-identity."));
}

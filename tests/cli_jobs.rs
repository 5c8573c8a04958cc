//! `scan --jobs N`: the output does not depend on N. The same directories scanned
//! with one job and with four give byte-identical stdout and stderr and the same
//! exit code: the broken-file corpus, a backfill whose tracked settings change
//! from file to file (so `changes` depends on the order files are judged in),
//! with a file big enough to be streamed with read-ahead among small ones.

mod common;
mod corpus;

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use common::*;
use serde_json::{json, Value};
use tempfile::TempDir;

/// (exit code, stdout, stderr) of `scan ARGS... --jobs N`.
fn scan(args: &[&str], path: &Path, jobs: u32) -> (Option<i32>, Vec<u8>, String) {
    let out = Command::cargo_bin("cognito-trail-alerts")
        .unwrap()
        .arg("scan")
        .args(args)
        .arg(path)
        .args(["--jobs", &jobs.to_string()])
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    (out.status.code(), out.stdout, stderr)
}

fn assert_same_for_any_jobs(args: &[&str], path: &Path) -> (Option<i32>, Vec<u8>, String) {
    let one = scan(args, path, 1);
    for jobs in [2, 4] {
        let many = scan(args, path, jobs);
        assert_eq!(one.0, many.0, "exit code, --jobs {jobs} {args:?}");
        assert!(
            one.1 == many.1,
            "stdout differs with --jobs {jobs} {args:?}"
        );
        assert_eq!(one.2, many.2, "stderr, --jobs {jobs} {args:?}");
    }
    one
}

#[test]
fn a_backfill_with_changes_across_files_is_the_same_for_any_jobs() {
    let dir = TempDir::new().unwrap();
    let base = dir.path().join(LOG_DIR);
    fs::create_dir_all(&base).unwrap();
    let file = |minute: u32| dir.path().join(log_key(&format!("09{minute:02}")));
    for minute in 0..40u32 {
        let mfa = ["ON", "OFF", "OPTIONAL"][(minute % 3) as usize];
        let time = format!("2026-11-20T09:{minute:02}:30Z");
        let mut records = vec![noise(&format!("n{minute}")), sign_in(&format!("s{minute}"))];
        if minute % 4 != 3 {
            records.push(update_user_pool(&format!("u{minute}"), mfa).at(&time));
        }
        if minute % 10 == 5 {
            // A repeat (or, when the minute has no update, the only copy).
            records.push(update_user_pool(&format!("u{minute}"), mfa).at(&time));
        }
        fs::write(file(minute), trail_gz(&records)).unwrap();
    }
    // A file over the read-ahead threshold (random hex does not compress), mid-run.
    let mut state = 0x5EEDu64;
    let mut hex = || {
        (0..16)
            .map(|_| {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                format!("{:016x}", state >> 1)
            })
            .collect::<String>()
    };
    let mut big: Vec<Value> = (0..10_000)
        .map(|i| {
            let mut r = noise(&format!("big-{i}"));
            r["requestID"] = json!(hex());
            r
        })
        .collect();
    big.insert(
        5_000,
        update_user_pool("big-change", "OFF").at("2026-11-20T09:20:45Z"),
    );
    let big_file = dir.path().join(log_key_in("", None, "0920", "big"));
    fs::write(&big_file, trail_gz(&big)).unwrap();
    let size = fs::metadata(&big_file).unwrap().len();
    assert!(
        size >= cognito_trail_alerts::engine::READ_AHEAD_MIN,
        "{size}"
    );
    // Broken files among them.
    fs::write(file(41), b"{\"Records\":[{\"eventSource\":").unwrap();
    fs::write(file(42), gz(b"not json")).unwrap();

    let (code, stdout, stderr) = assert_same_for_any_jobs(&["--format", "jsonl"], dir.path());
    assert_eq!(code, Some(2), "{stderr}");
    let alerts: Vec<Value> = String::from_utf8(stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(alerts.len(), 33, "{stderr}"); // 30 + 2 repeats alone in their file + 1 in the big one
    let statuses: Vec<&str> = alerts
        .iter()
        .map(|a| a["changes"][0]["status"].as_str().unwrap_or("-"))
        .collect();
    assert_eq!(statuses[0], "unknown");
    assert!(
        statuses[1..]
            .iter()
            .all(|s| *s == "changed" || *s == "unchanged"),
        "{statuses:?}"
    );
    assert!(stderr.contains("scanned 43 files"), "{stderr}");
    assert_same_for_any_jobs(&["--format", "text", "--fail-on", "high"], dir.path());
}

#[test]
fn the_broken_file_corpus_is_the_same_for_any_jobs() {
    let dir = TempDir::new().unwrap();
    let rules = dir.path().join("rules.yaml");
    fs::write(&rules, RULES).unwrap();
    let logs = dir.path().join("logs");
    fs::create_dir(&logs).unwrap();
    for case in corpus::all() {
        fs::write(logs.join(case.name), (case.build)()).unwrap();
    }
    let rules = rules.to_str().unwrap();
    let (code, _, stderr) =
        assert_same_for_any_jobs(&["--format", "jsonl", "--rules", rules], &logs);
    assert_eq!(code, Some(2), "{stderr}");
    let events = Path::new(env!("CARGO_MANIFEST_DIR")).join("events");
    assert_same_for_any_jobs(&["--format", "jsonl"], &events);
    assert_same_for_any_jobs(&["--min-severity", "high", "--fail-on", "medium"], &events);
}

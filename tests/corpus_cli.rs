//! The whole corpus in one directory with one good file, through the binary: each
//! unreadable file is named on stderr with its cause, every readable record still
//! gives its alert, exit code 2. One broken file never stops the others.

mod common;
mod corpus;

use std::fs;

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

#[test]
fn one_broken_file_never_stops_the_others() {
    let dir = TempDir::new().unwrap();
    let rules = dir.path().join("rules.yaml");
    fs::write(&rules, common::RULES).unwrap();
    let logs = dir.path().join("logs");
    fs::create_dir(&logs).unwrap();
    let cases = corpus::all();
    let (mut records, mut duplicates, mut record_errors) = (0, 0, 0);
    let engine_rules = corpus::rules();
    for case in &cases {
        let bytes = (case.build)();
        let counts = case.expect.counts.unwrap_or_else(|| {
            let got = corpus::scan(&engine_rules, case.name, bytes.clone());
            corpus::counts(got.stats())
        });
        records += counts.records;
        duplicates += counts.duplicates;
        record_errors += counts.record_errors;
        fs::write(logs.join(case.name), bytes).unwrap();
    }
    // Named to sort last: it is scanned after every broken file.
    let good = corpus::doc(&[corpus::noise("good-0"), corpus::alert("good-1")]);
    fs::write(logs.join("zz-good.json.gz"), corpus::gz(&good)).unwrap();
    records += 2;

    let out = Command::cargo_bin("cognito-trail-alerts")
        .unwrap()
        .args(["scan", "--format", "jsonl", "--rules"])
        .arg(&rules)
        .arg(&logs)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{stderr}");

    let path = |name: &str| logs.join(name).display().to_string();
    let alerts: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let alerts_of = |file: &str| -> Vec<String> {
        alerts
            .iter()
            .filter(|a| a["source"]["file"] == file)
            .map(|a| {
                format!(
                    "{} {}",
                    a["event_id"].as_str().unwrap_or("-"),
                    a["severity"].as_str().unwrap()
                )
            })
            .collect()
    };
    assert_eq!(
        alerts_of(&path("zz-good.json.gz")),
        ["good-1 critical"],
        "{stdout}"
    );
    let mut unreadable = 0;
    for case in &cases {
        let file = path(case.name);
        assert_eq!(
            alerts_of(&file),
            case.expect.alerts,
            "alerts of {}",
            case.name
        );
        let errors: Vec<&str> = stderr
            .lines()
            .filter(|l| l.starts_with(&format!("error: {file}: ")))
            .collect();
        match case.expect.error {
            Some(cause) => {
                unreadable += 1;
                assert!(
                    errors.len() == 1 && errors[0].contains(cause),
                    "{}: {cause:?} not in:\n{stderr}",
                    case.name
                );
            }
            None => assert!(errors.is_empty(), "{}: {errors:?}", case.name),
        }
        let warnings: Vec<&str> = stderr
            .lines()
            .filter(|l| l.starts_with(&format!("warning: {file}: record ")))
            .collect();
        assert_eq!(
            warnings.len(),
            case.expect.issues.len(),
            "{}: {warnings:?}",
            case.name
        );
        for (line, want) in warnings.iter().zip(case.expect.issues) {
            assert!(
                line.contains(want),
                "{}: {want:?} not in {line:?}",
                case.name
            );
        }
    }
    let summary = format!(
        "scanned {} files (0 digest/insight skipped, {unreadable} unreadable): {records} records, {} alerts",
        cases.len() + 1,
        alerts.len()
    );
    assert!(stderr.contains(&summary), "{summary:?} not in:\n{stderr}");
    let error_lines = stderr.lines().filter(|l| l.starts_with("error: ")).count();
    assert_eq!(error_lines, unreadable, "{stderr}");
    let tail = format!("{duplicates} duplicates, {record_errors} record errors");
    assert!(stderr.contains(&tail), "{tail:?} not in:\n{stderr}");
}

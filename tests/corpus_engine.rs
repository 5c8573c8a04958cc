//! Every case of the bad-input corpus through `engine::scan`: the outcome, counters
//! that add up, the record issues, the alerts, and a file error that names the file
//! and the cause.

mod common;
mod corpus;

use std::collections::HashSet;
use std::time::Instant;

use cognito_trail_alerts::RuleSet;
use corpus::Case;

/// Checks one case; `Err` says every way it differs from its expectation.
fn check(rules: &RuleSet, case: &Case) -> Result<(), String> {
    let started = Instant::now();
    let got = corpus::scan(rules, case.name, (case.build)());
    let s = got.stats();
    let mut wrong = Vec::new();
    if s.records != s.matched + s.unmatched + s.duplicates + s.record_errors {
        wrong.push(format!("counters do not add up: {s:?}"));
    }
    match (&got.result, case.expect.error) {
        (Ok(_), None) => {}
        (Ok(_), Some(cause)) => wrong.push(format!("scanned, but {cause:?} was expected")),
        (Err(e), None) => wrong.push(format!("unexpected file error: {e}")),
        (Err(e), Some(cause)) => {
            let text = e.to_string();
            if !text.starts_with(&format!("{}: ", case.name)) || !e.reason.contains(cause) {
                wrong.push(format!(
                    "error {text:?} does not name the file and {cause:?}"
                ));
            }
        }
    }
    let counts = corpus::counts(s);
    if let Some(want) = case.expect.counts.filter(|want| *want != counts) {
        wrong.push(format!("counts {counts:?}, expected {want:?}"));
    }
    let issues: Vec<&str> = s.issues.iter().map(|i| i.reason.as_str()).collect();
    let issues_match = issues.len() == case.expect.issues.len()
        && issues
            .iter()
            .zip(case.expect.issues)
            .all(|(got, want)| got.contains(want));
    if !issues_match || s.issues.len() as u64 != s.record_errors {
        wrong.push(format!(
            "issues {issues:?}, expected {:?}",
            case.expect.issues
        ));
    }
    let alerts: Vec<String> = got
        .alerts
        .iter()
        .map(|a| {
            format!(
                "{} {}",
                a.event_id.as_deref().unwrap_or("-"),
                a.severity.as_str()
            )
        })
        .collect();
    if alerts != case.expect.alerts {
        wrong.push(format!(
            "alerts {alerts:?}, expected {:?}",
            case.expect.alerts
        ));
    }
    if alerts.len() as u64 != s.matched {
        wrong.push(format!("{} alerts but {} matched", alerts.len(), s.matched));
    }
    if let Some(a) = got
        .alerts
        .iter()
        .find(|a| a.source.origin.to_string() != case.name)
    {
        wrong.push(format!("alert names {} as its file", a.source.origin));
    }
    let took = started.elapsed();
    if took.as_secs() >= 5 {
        wrong.push(format!("took {took:?}"));
    }
    if wrong.is_empty() {
        Ok(())
    } else {
        Err(wrong.join("; "))
    }
}

fn check_all(cases: Vec<Case>) {
    let rules = corpus::rules();
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| {
            check(&rules, case)
                .err()
                .map(|why| format!("{}: {why}", case.name))
        })
        .collect();
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn encoding_cases() {
    check_all(corpus::encoding::cases());
}

#[test]
fn document_structure_cases() {
    check_all(corpus::structure::cases());
}

#[test]
fn record_cases() {
    check_all(corpus::records::cases());
}

#[test]
fn the_corpus_is_large_and_its_names_unique() {
    let cases = corpus::all();
    assert!(cases.len() >= 25, "{} cases", cases.len());
    let names: HashSet<_> = cases.iter().map(|c| c.name).collect();
    assert_eq!(names.len(), cases.len(), "duplicate case names");
    let failing = cases.iter().filter(|c| c.expect.error.is_some()).count();
    assert!(
        failing >= 10 && cases.len() - failing >= 10,
        "{failing} failing cases"
    );
}

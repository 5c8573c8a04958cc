//! `rules test` and `rules list`, with overlays.

use std::path::PathBuf;

use cognito_trail_alerts::RuleSet;

use super::exit::{EXIT_FINDINGS, EXIT_OK, EXIT_UNREADABLE};
use super::load::load_rules;
use super::tuning::warn_expiring;

/// Runs every inline test case, then the overlays' cases against the merged set;
/// exit 1 if any fails.
pub fn test(file: Option<&PathBuf>, overlays: &[PathBuf]) -> u8 {
    let Some(rules) = load_rules(file, overlays) else {
        return EXIT_UNREADABLE;
    };
    let report = rules.run_tests();
    for case in &report.cases {
        match &case.failure {
            None => println!("ok    {}: {}", case.rule_id, case.name),
            Some(why) => println!(
                "FAIL  {}: {} ({}:{}): {why}",
                case.rule_id,
                case.name,
                file_of(&rules, &case.rule_id),
                case.rule_line
            ),
        }
    }
    let untested = rules.rules().iter().filter(|r| r.tests.is_empty()).count();
    if untested > 0 {
        eprintln!("note: {untested} rule(s) have no inline test case");
    }
    let (mut passed, mut failed) = (report.passed(), report.failed());
    for case in rules.run_overlay_tests() {
        match &case.failure {
            None => println!("ok    overlay case: {}", case.name),
            Some(why) => println!("FAIL  overlay case: {} ({}): {why}", case.name, case.place),
        }
        match case.failure {
            None => passed += 1,
            Some(_) => failed += 1,
        }
    }
    warn_expiring(&rules);
    println!("{passed} passed, {failed} failed");
    if failed > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// Prints one line per rule (severity, id, title, what overlays changed), then
/// the disabled rules, deployers, suppressions, routes and account names.
pub fn list(file: Option<&PathBuf>, overlays: &[PathBuf]) -> u8 {
    let Some(rules) = load_rules(file, overlays) else {
        return EXIT_UNREADABLE;
    };
    for rule in rules.rules() {
        let t = rule.tuning();
        let (severity, mut notes) = match &t.severity {
            Some((s, place)) => (*s, vec![format!("severity {} at {place}", rule.severity)]),
            None => (rule.severity, Vec::new()),
        };
        if let Some(file) = &t.file {
            notes.push(format!("from {file}"));
        }
        if let Some((_, place)) = t.unless.first() {
            notes.push(format!("unless added at {place}"));
        }
        let notes = match notes.is_empty() {
            true => String::new(),
            false => format!("  [{}]", notes.join("; ")),
        };
        println!(
            "{:<9} {:<48} {}{notes}",
            severity.label(),
            rule.id,
            rule.title
        );
    }
    for (id, place) in rules.disabled() {
        println!("{:<9} {id:<48} (disabled at {place})", "OFF");
    }
    for d in rules.deployers() {
        println!("deployer {} ({:?}) at {}", d.name, d.effect, d.place);
    }
    for s in rules.suppressions() {
        println!(
            "suppression {} owner {} expires {} at {}: {}",
            s.id, s.owner, s.expires, s.place, s.reason
        );
    }
    for r in rules.routes() {
        let topics: Vec<&str> = r.topics.iter().map(|t| t.as_str()).collect();
        let how = match (r.only, r.stop) {
            (false, false) => "",
            (true, false) => " (only)",
            (false, true) => " (stop)",
            (true, true) => " (only, stop)",
        };
        println!(
            "route {} at {}{how}: {}",
            r.label(),
            r.place,
            topics.join(", ")
        );
    }
    for (id, (name, place)) in rules.account_names() {
        println!("account {id} {name} at {place}");
    }
    warn_expiring(&rules);
    let overlays = match rules.overlays() {
        [] => String::new(),
        names => format!(" with overlays {}", names.join(", ")),
    };
    eprintln!(
        "{} rules from {}{overlays}",
        rules.rules().len(),
        rules.name()
    );
    EXIT_OK
}

fn file_of<'a>(rules: &'a RuleSet, id: &str) -> &'a str {
    match rules.rules().iter().find(|r| r.id == id) {
        Some(rule) => rules.file_of(rule),
        None => rules.name(),
    }
}

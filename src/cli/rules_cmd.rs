//! `rules test` and `rules list`.

use std::path::PathBuf;

use super::{load_rules, EXIT_FINDINGS, EXIT_OK, EXIT_UNREADABLE};

/// Runs every inline test case; exit 1 if any fails.
pub fn test(file: Option<&PathBuf>) -> u8 {
    let Some(rules) = load_rules(file) else {
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
                rules.name(),
                case.rule_line
            ),
        }
    }
    let untested = rules.rules().iter().filter(|r| r.tests.is_empty()).count();
    if untested > 0 {
        eprintln!("note: {untested} rule(s) have no inline test case");
    }
    println!("{} passed, {} failed", report.passed(), report.failed());
    if report.failed() > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// Prints one line per rule: severity, id, title.
pub fn list(file: Option<&PathBuf>) -> u8 {
    let Some(rules) = load_rules(file) else {
        return EXIT_UNREADABLE;
    };
    for rule in rules.rules() {
        println!(
            "{:<9} {:<48} {}",
            rule.severity.label(),
            rule.id,
            rule.title
        );
    }
    eprintln!("{} rules from {}", rules.rules().len(), rules.name());
    EXIT_OK
}

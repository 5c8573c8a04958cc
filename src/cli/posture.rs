//! `scan --posture`: after the alerts, every resource the run saw, its last known
//! settings and the posture checks they fail, worst first.

use std::io::{self, Write};

use cognito_trail_alerts::rules::posture::{report, ResourcePosture};
use cognito_trail_alerts::settings::LocalCache;
use cognito_trail_alerts::RuleSet;
use serde_json::Value;

use super::args::PostureFormat;

/// Longest setting value shown in the text form; longer ones are cut.
const MAX_VALUE: usize = 60;

/// Writes the report of the resources in `cache` to `out`.
pub(super) fn write(
    rules: &RuleSet,
    cache: &LocalCache,
    format: PostureFormat,
    out: &mut impl Write,
) -> io::Result<()> {
    let resources = report(rules.checks(), cache.last_values());
    match format {
        PostureFormat::Json => {
            serde_json::to_writer(&mut *out, &serde_json::json!({ "posture": resources }))?;
            writeln!(out)
        }
        PostureFormat::Text => write_text(&resources, out),
    }
}

fn write_text(resources: &[ResourcePosture], out: &mut impl Write) -> io::Result<()> {
    let failing = resources.iter().filter(|r| !r.failing.is_empty()).count();
    writeln!(
        out,
        "posture: {} resources seen, {failing} failing a check",
        resources.len()
    )?;
    for r in resources {
        let k = &r.resource;
        let verdict = match r.failing.len() {
            0 => "passes every check it can be judged on".to_string(),
            n => format!("{n} failing"),
        };
        writeln!(
            out,
            "\n{} {} (account {}, {}): {verdict}",
            k.kind, k.id, k.account, k.region
        )?;
        for c in &r.failing {
            let prowler = c
                .prowler
                .as_deref()
                .map(|p| format!("; Prowler {p}"))
                .unwrap_or_default();
            writeln!(
                out,
                "  [{}] {} ({}{prowler})",
                c.severity.label(),
                c.title,
                c.id
            )?;
            writeln!(out, "      fix: {}", c.fix)?;
        }
        if !r.unknown.is_empty() {
            let n = r.unknown.len();
            writeln!(
                out,
                "  not judged: {n} checks read settings never seen ({})",
                r.unknown.join(", ")
            )?;
        }
        let settings: Vec<String> = r
            .settings
            .iter()
            .map(|(name, v)| format!("{name} {}", shown(v)))
            .collect();
        writeln!(out, "  settings: {}", settings.join("; "))?;
    }
    Ok(())
}

fn shown(v: &Value) -> String {
    let text = match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    // Text from the trail (attacker-controlled) is printed without control characters.
    let clean: String = text.chars().filter(|c| !c.is_control()).collect();
    match clean.char_indices().nth(MAX_VALUE) {
        Some((at, _)) => format!("{}...", &clean[..at]),
        None => clean,
    }
}

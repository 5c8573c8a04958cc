//! From YAML text to validated rules, with file:line:column on every error.

use std::collections::{HashMap, HashSet};

use super::chain::{compile_chains, ChainRule};
use super::model::{RuleSpec, RulesFile};
use super::posture::CheckSpec;
use super::rule::Rule;
use super::shared::{self, Shared};

/// A rules file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    #[error("{file}: cannot read rules: {source}")]
    Read {
        file: String,
        source: std::io::Error,
    },
    #[error("{file}:{line}:{column}: {message}")]
    Invalid {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
}

/// What one rules file holds, validated.
pub struct Compiled {
    pub rules: Vec<Rule>,
    pub checks: Vec<CheckSpec>,
    pub chains: Vec<ChainRule>,
}

/// Parses and validates `text`, one file of a pack: `shared` holds the definitions
/// of the files before it and gains this one's; `seen` holds the ids taken.
pub fn compile(
    text: &str,
    file: &str,
    shared: &mut Shared,
    seen: &mut HashSet<String>,
) -> Result<Compiled, RulesError> {
    let parsed: RulesFile = shared::parse_with(shared, file, || serde_yaml_ng::from_str(text))
        .map_err(|e| yaml_error(file, &e))?;
    if parsed.version != 1 {
        let (line, column) = find_line(text, "version:", None, 1).unwrap_or((1, 1));
        return Err(RulesError::Invalid {
            file: file.to_string(),
            line,
            column,
            message: format!("unsupported version {}: expected 1", parsed.version),
        });
    }
    let rules = compile_rules(parsed.rules, text, file, seen)?;
    let checks = compile_checks(parsed.checks, text, file, seen)?;
    let chains = compile_chains(parsed.chains, text, file, seen)?;
    Ok(Compiled {
        rules,
        checks,
        chains,
    })
}

/// Validates posture checks written in `text`, each located by its `id:` line;
/// ids share the rules' namespace (`seen`).
pub(super) fn compile_checks(
    specs: Vec<CheckSpec>,
    text: &str,
    file: &str,
    seen: &mut HashSet<String>,
) -> Result<Vec<CheckSpec>, RulesError> {
    let ids = key_lines(text, "id:");
    let mut out = Vec::with_capacity(specs.len());
    for mut spec in specs {
        let (line, column) = ids
            .iter()
            .find(|(v, _)| *v == spec.id)
            .map_or((1, 1), |&(_, at)| at);
        let invalid = |message: String| RulesError::Invalid {
            file: file.to_string(),
            line,
            column,
            message,
        };
        if !seen.insert(spec.id.clone()) {
            return Err(invalid(format!("duplicate id {:?}", spec.id)));
        }
        spec.validate().map_err(invalid)?;
        spec.file = file.to_string();
        spec.line = line;
        out.push(spec);
    }
    Ok(out)
}

/// A YAML or structural error, located.
pub(super) fn yaml_error(file: &str, e: &serde_yaml_ng::Error) -> RulesError {
    let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
    RulesError::Invalid {
        file: file.to_string(),
        line,
        column,
        message: strip_location(&e.to_string()),
    }
}

/// Validates rule specs written in `text`; `seen` holds the ids already taken (by
/// this file, or by the pack an overlay extends) and gains these.
pub(super) fn compile_rules(
    specs: Vec<RuleSpec>,
    text: &str,
    file: &str,
    seen: &mut HashSet<String>,
) -> Result<Vec<Rule>, RulesError> {
    let invalid = |line: usize, column: usize, message: String| RulesError::Invalid {
        file: file.to_string(),
        line,
        column,
        message,
    };
    let mut here: HashMap<String, usize> = HashMap::new();
    let mut rules = Vec::with_capacity(specs.len());
    // One pass over the text for every rule's line (a pass per rule was a third of
    // the start-up time: the CLI's and the Lambda's cold start).
    let ids = key_lines(text, "id:");
    for spec in specs {
        let nth = here.entry(spec.id.clone()).or_default();
        *nth += 1;
        let (line, column) = ids
            .iter()
            .filter(|(v, _)| *v == spec.id)
            .nth(*nth - 1)
            .map_or((1, 1), |&(_, at)| at);
        if !seen.insert(spec.id.clone()) {
            return Err(invalid(
                line,
                column,
                format!("duplicate rule id {:?}", spec.id),
            ));
        }
        check(&spec).map_err(|m| invalid(line, column, format!("rule {:?}: {m}", spec.id)))?;
        rules.push(build_rule(spec, file, line));
    }
    Ok(rules)
}

fn build_rule(spec: RuleSpec, file: &str, line: usize) -> Rule {
    Rule {
        file: file.to_string(),
        line,
        id: spec.id,
        title: spec.title,
        severity: spec.severity,
        description: spec.description,
        runbook: spec.runbook,
        tests: spec.tests,
        fallback: spec.fallback,
        track: spec.track,
        cond: spec.matches.api_calls_unless_named(),
        unless: spec.unless,
        escalate: spec.escalate,
        risks: spec.risks,
        tuning: Default::default(),
    }
}

/// Checks that need the whole rule.
fn check(spec: &RuleSpec) -> Result<(), String> {
    check_head(&spec.id, &spec.title, spec.runbook.as_deref())?;
    for (i, e) in spec.escalate.iter().enumerate() {
        if e.severity <= spec.severity {
            return Err(format!(
                "escalate[{i}]: severity {} does not raise the rule's {}",
                e.severity, spec.severity
            ));
        }
    }
    check_track(spec)?;
    if spec.fallback
        && spec
            .matches
            .event_source
            .as_ref()
            .and_then(|p| p.all_exact())
            .is_none()
    {
        // A fallback over any source would switch the byte prefilter off for all rules.
        return Err("a fallback rule must name its event sources exactly".into());
    }
    for t in &spec.tests {
        if !t.record.is_object() {
            return Err(format!("test {:?}: record must be a mapping", t.name));
        }
        if t.expect.suppressed_by.is_some() {
            // A rule's own cases run the rule alone, where nothing is suppressed.
            return Err(format!(
                "test {:?}: suppressedBy belongs in an overlay's tests",
                t.name
            ));
        }
    }
    Ok(())
}

/// What every rule and chain rule must have: an id usable as a metric dimension,
/// a one-line title, an http(s) runbook.
pub(super) fn check_head(id: &str, title: &str, runbook: Option<&str>) -> Result<(), String> {
    let id_ok = !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b));
    if !id_ok {
        // Ids become metric dimension values and file-friendly names.
        return Err("id must be 1-64 characters of A-Z a-z 0-9 . _ -".into());
    }
    if title.trim().is_empty() || title.contains('\n') {
        return Err("title must be one non-empty line".into());
    }
    if let Some(url) = runbook {
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            return Err(format!("runbook {url:?} is not an http(s) URL"));
        }
    }
    Ok(())
}

/// `track` is well formed, and every setting a condition or a test names is in it.
fn check_track(spec: &RuleSpec) -> Result<(), String> {
    if let Some(track) = &spec.track {
        track.validate()?;
    }
    let tracked = |n: &str| spec.track.as_ref().is_some_and(|t| t.has(n));
    let conds = std::iter::once(&spec.matches)
        .chain(&spec.unless)
        .chain(spec.escalate.iter().map(|e| &e.when))
        .chain(spec.risks.iter().map(|r| &r.when));
    if let Some(name) = conds.flat_map(|c| c.settings_named()).find(|n| !tracked(n)) {
        return Err(format!("{name:?} is not a setting of the rule's `track`"));
    }
    for t in &spec.tests {
        if let Some(name) = t.before.keys().find(|n| !tracked(n)) {
            return Err(format!(
                "test {:?}: before: {name:?} is not a tracked setting",
                t.name
            ));
        }
    }
    Ok(())
}

/// serde_yaml_ng appends " at line L column C"; the location is reported separately.
pub(super) fn strip_location(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// Line and column (1-based) of the `nth` line whose key is `key`, optionally with
/// the scalar value `value` (quoted or not).
pub(super) fn find_line(
    text: &str,
    key: &str,
    value: Option<&str>,
    nth: usize,
) -> Option<(usize, usize)> {
    let hits = text.lines().enumerate().filter_map(|(i, line)| {
        let (v, col) = key_value(line, key)?;
        value.is_none_or(|want| v == want).then_some((i + 1, col))
    });
    hits.into_iter().nth(nth - 1)
}

/// Every line whose key is `key`: its scalar value, and its line and column.
pub(super) fn key_lines<'t>(text: &'t str, key: &str) -> Vec<(&'t str, (usize, usize))> {
    let lines = text.lines().enumerate();
    lines
        .filter_map(|(i, line)| key_value(line, key).map(|(v, col)| (v, (i + 1, col))))
        .collect()
}

/// The value (unquoted) and 1-based column of `key: value` on `line`, also as a
/// list item (`- key: value`).
fn key_value<'t>(line: &'t str, key: &str) -> Option<(&'t str, usize)> {
    let body = line.trim_start();
    let col = line.len() - body.len();
    let (body, col) = match body.strip_prefix("- ") {
        Some(rest) => (rest.trim_start(), col + 2),
        None => (body, col),
    };
    let rest = body.strip_prefix(key)?;
    let rest = rest.split(" #").next().unwrap_or(rest); // a trailing comment
    let v = rest.trim().trim_matches(|c| c == '"' || c == '\'');
    Some((v, col + 1))
}

#[cfg(test)]
mod tests;

//! From `chains:` entries to [`ChainRule`]s, with file:line on every error; the
//! `rule:` references are checked once the whole set is known
//! ([`RuleSet::check_chain_refs`](crate::rules::RuleSet)).

use std::collections::HashSet;

use super::model::ChainRuleSpec;
use super::{ChainRule, Field, StepMatch};
use crate::chains::{Chain, ChainSpec, OneOrMany, SequenceSpec, StepSpec, ThresholdSpec};
use crate::rules::compile::{check_head, key_lines, RulesError};

/// Validates the chain rules written in `text`; ids share the rules' namespace
/// (`seen`).
pub(crate) fn compile_chains(
    specs: Vec<ChainRuleSpec>,
    text: &str,
    file: &str,
    seen: &mut HashSet<String>,
) -> Result<Vec<ChainRule>, RulesError> {
    let ids = key_lines(text, "id:");
    let mut out = Vec::with_capacity(specs.len());
    for spec in specs {
        let (line, column) = ids
            .iter()
            .find(|(v, _)| *v == spec.id)
            .map_or((1, 1), |&(_, at)| at);
        let id = spec.id.clone();
        let invalid = |message: String| RulesError::Invalid {
            file: file.to_owned(),
            line,
            column,
            message: format!("chain {id:?}: {message}"),
        };
        if !seen.insert(spec.id.clone()) {
            return Err(invalid("duplicate id".into()));
        }
        out.push(build(spec, file, line).map_err(invalid)?);
    }
    Ok(out)
}

fn build(spec: ChainRuleSpec, file: &str, line: usize) -> Result<ChainRule, String> {
    check_head(&spec.id, &spec.title, spec.runbook.as_deref())?;
    let (evaluated, by, distinct, steps, kind) = match (spec.threshold, spec.sequence, spec.all) {
        (None, None, Some(a)) => all(a)?,
        (Some(t), None, None) => {
            let distinct = match t.distinct {
                None => Vec::new(),
                Some(OneOrMany::One(f)) => vec![f],
                Some(OneOrMany::Many(list)) => list,
            };
            let step = step_match(t.rule, t.matches, "count")?;
            let evaluated = ChainSpec {
                threshold: Some(ThresholdSpec {
                    by: t.by.clone(),
                    window: t.window,
                    gte: t.gte,
                    distinct: (!distinct.is_empty()).then(|| distinct.join("+")),
                    lateness: t.lateness,
                    max_groups: t.max_groups,
                }),
                sequence: None,
            };
            (evaluated, t.by, distinct, vec![step], "threshold")
        }
        (None, Some(s), None) => {
            let absent = s.absent.as_ref().map(|a| OneOrMany::One(a.name.clone()));
            let mut steps = Vec::new();
            let mut names = Vec::new();
            for step in s.steps.into_iter().chain(s.absent) {
                names.push((step.name.clone(), step.within));
                steps.push(step_match(step.rule, step.matches, &step.name)?);
            }
            let ordered = names.len() - usize::from(absent.is_some());
            let evaluated = ChainSpec {
                threshold: None,
                sequence: Some(SequenceSpec {
                    by: s.by.clone(),
                    window: s.window,
                    steps: names[..ordered]
                        .iter()
                        .map(|(name, within)| StepSpec {
                            name: name.clone(),
                            within: *within,
                        })
                        .collect(),
                    absent,
                    lateness: s.lateness,
                    max_groups: s.max_groups,
                }),
            };
            (evaluated, s.by, Vec::new(), steps, "sequence")
        }
        _ => return Err("give one of threshold, sequence or all".into()),
    };
    // `all` counts its steps' names, not fields.
    let (distinct_fields, step_names) = match kind {
        "all" => (Vec::new(), distinct),
        _ => (fields(&distinct)?, Vec::new()),
    };
    let chain = Chain::new(&spec.id, &evaluated).map_err(|e| {
        e.trim_start_matches(&format!("chain {}: ", spec.id))
            .to_owned()
    })?;
    for t in &spec.tests {
        let records = t.records.as_array().map_or(&[][..], Vec::as_slice);
        let records =
            super::cases::expand(records).map_err(|e| format!("test {:?}: {e}", t.name))?;
        if records.is_empty() || records.iter().any(|r| !r.is_object()) {
            return Err(format!(
                "test {:?}: records must be a list of mappings",
                t.name
            ));
        }
    }
    Ok(ChainRule {
        id: spec.id,
        title: spec.title,
        severity: spec.severity,
        description: spec.description.trim().to_owned(),
        runbook: spec.runbook,
        risks: spec.risks,
        file: file.to_owned(),
        line,
        chain,
        kind,
        tests: spec.tests,
        by: fields(&by)?,
        distinct: distinct_fields,
        step_names,
        steps,
        severity_override: None,
    })
}

/// `all:` runs as a threshold counting distinct steps: `gte` = the number of
/// steps, each hit's value its step's name (see `hit.rs`).
fn all(a: super::model::AllRule) -> Result<Built, String> {
    if a.steps.len() < 2 || a.steps.len() > crate::chains::MAX_STEPS {
        return Err(format!("all needs 2 to {} steps", crate::chains::MAX_STEPS));
    }
    let mut steps = Vec::new();
    let mut names: Vec<String> = Vec::new();
    for step in a.steps {
        if step.within.is_some() {
            return Err(format!(
                "step {}: `within` belongs to a sequence",
                step.name
            ));
        }
        if step.name.trim().is_empty() || names.contains(&step.name) {
            return Err(format!("step name {:?} is empty or used twice", step.name));
        }
        names.push(step.name.clone());
        steps.push(step_match(step.rule, step.matches, &step.name)?);
    }
    let evaluated = ChainSpec {
        threshold: Some(ThresholdSpec {
            by: a.by.clone(),
            window: a.window,
            gte: steps.len() as u32,
            distinct: Some("step".into()),
            lateness: a.lateness,
            max_groups: a.max_groups,
        }),
        sequence: None,
    };
    Ok((evaluated, a.by, names, steps, "all"))
}

type Built = (
    ChainSpec,
    Vec<String>,
    Vec<String>,
    Vec<StepMatch>,
    &'static str,
);

fn fields(names: &[String]) -> Result<Vec<Field>, String> {
    names.iter().map(|n| Field::parse(n)).collect()
}

fn step_match(
    rule: Option<crate::rules::pattern::Patterns>,
    cond: Option<Vec<crate::rules::cond::Cond>>,
    name: &str,
) -> Result<StepMatch, String> {
    if rule.is_none() && cond.is_none() {
        return Err(format!("step {name}: give rule, match or both"));
    }
    if rule.is_none() {
        let exact = cond.iter().flatten().all(|c| {
            c.event_source
                .as_ref()
                .and_then(|p| p.all_exact())
                .is_some()
        });
        if !exact {
            // Like a fallback rule: any source would switch the byte prefilter off.
            return Err(format!(
                "step {name}: a match without rule must name its eventSource exactly"
            ));
        }
    }
    Ok(StepMatch {
        rule,
        cond: cond.map(|list| {
            list.into_iter()
                .map(|c| c.api_calls_unless_named())
                .collect()
        }),
    })
}

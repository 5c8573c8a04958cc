//! A chain's spec, checked: what the evaluator runs ([`Chain`]).

use super::spec::*;
use super::time::{format_span, Span};

/// A checked chain, ready to evaluate.
#[derive(Debug, Clone)]
pub struct Chain {
    pub(super) id: String,
    pub(super) kind: Kind,
    pub(super) by: Vec<String>,
    pub(super) window: i64,
    pub(super) lateness: i64,
    pub(super) max_groups: usize,
}

#[derive(Debug, Clone)]
pub(super) enum Kind {
    Threshold {
        gte: u32,
        distinct: Option<String>,
    },
    Sequence {
        steps: Vec<(String, Option<i64>)>,
        absent: Option<String>,
    },
}

impl Chain {
    /// Checks a spec: windows of 1 s to 24 h, `gte` from 1 to [`MAX_GTE`], 2 to
    /// [`MAX_STEPS`] uniquely named steps, at most one `absent` step.
    pub fn new(id: &str, spec: &ChainSpec) -> Result<Chain, String> {
        let err = |msg: String| format!("chain {id}: {msg}");
        let (by, window, lateness, max_groups, kind) = match (&spec.threshold, &spec.sequence) {
            (None, None) | (Some(_), Some(_)) => {
                return Err(err("give one of threshold or sequence".into()));
            }
            (Some(t), None) => {
                if t.gte < 1 || t.gte > MAX_GTE {
                    return Err(err(format!(
                        "gte is {}; it must be from 1 to {MAX_GTE}",
                        t.gte
                    )));
                }
                if t.distinct.as_deref().is_some_and(|d| d.trim().is_empty()) {
                    return Err(err("distinct names no field".into()));
                }
                let kind = Kind::Threshold {
                    gte: t.gte,
                    distinct: t.distinct.clone(),
                };
                (&t.by, t.window, t.lateness, t.max_groups, kind)
            }
            (None, Some(s)) => {
                let kind = check_sequence(s).map_err(err)?;
                (&s.by, s.window, s.lateness, s.max_groups, kind)
            }
        };
        let window = window.secs();
        if !(1..=MAX_WINDOW_SECS).contains(&window) {
            return Err(err(format!(
                "window {} is not allowed: it must be from 1s to 24h",
                format_span(window)
            )));
        }
        let lateness = lateness.map_or(DEFAULT_LATENESS_SECS, Span::secs);
        if lateness > MAX_WINDOW_SECS {
            return Err(err(format!(
                "lateness {} is over 24h",
                format_span(lateness)
            )));
        }
        let max_groups = max_groups.unwrap_or(DEFAULT_MAX_GROUPS);
        if max_groups == 0 {
            return Err(err("maxGroups must be at least 1".into()));
        }
        for (i, field) in by.iter().enumerate() {
            if field.trim().is_empty() || by[..i].contains(field) {
                return Err(err(format!("by lists {field:?} twice or empty")));
            }
        }
        if let Kind::Sequence { steps, .. } = &kind {
            if let Some((name, w)) = steps.iter().find(|(_, w)| w.is_some_and(|w| w > window)) {
                let w = format_span(w.unwrap_or_default());
                return Err(err(format!(
                    "step {name}: within {w} is longer than the window"
                )));
            }
        }
        let by = by.clone();
        Ok(Chain {
            id: id.to_owned(),
            kind,
            by,
            window,
            lateness,
            max_groups,
        })
    }

    /// The same threshold counting to `gte` instead (an overlay's override);
    /// the same bounds as when loaded.
    pub fn with_gte(&self, gte: u32) -> Result<Chain, String> {
        let Kind::Threshold { distinct, .. } = &self.kind else {
            return Err(format!("chain {}: gte belongs to a threshold", self.id));
        };
        if !(1..=MAX_GTE).contains(&gte) {
            return Err(format!("gte is {gte}; it must be from 1 to {MAX_GTE}"));
        }
        let kind = Kind::Threshold {
            gte,
            distinct: distinct.clone(),
        };
        Ok(Chain {
            kind,
            ..self.clone()
        })
    }

    /// The chain's id (the rule's id): part of a state store key.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The fields a group key holds, in order.
    pub fn by(&self) -> &[String] {
        &self.by
    }

    /// The window, in seconds.
    pub fn window(&self) -> i64 {
        self.window
    }

    /// The allowed lateness, in seconds.
    pub fn lateness(&self) -> i64 {
        self.lateness
    }

    /// The most groups kept open.
    pub fn max_groups(&self) -> usize {
        self.max_groups
    }

    /// The field whose distinct values a threshold counts.
    pub fn distinct(&self) -> Option<&str> {
        match &self.kind {
            Kind::Threshold { distinct, .. } => distinct.as_deref(),
            Kind::Sequence { .. } => None,
        }
    }

    /// The names of the steps a hit may name, by index: a threshold has one
    /// (`count`); a sequence its ordered steps, then its `absent` step if any.
    pub fn step_names(&self) -> Vec<&str> {
        match &self.kind {
            Kind::Threshold { .. } => vec!["count"],
            Kind::Sequence { steps, absent } => steps
                .iter()
                .map(|(n, _)| n.as_str())
                .chain(absent.as_deref())
                .collect(),
        }
    }

    /// The index a hit of step `name` carries.
    pub fn step_index(&self, name: &str) -> Option<u16> {
        self.step_names()
            .iter()
            .position(|n| *n == name)
            .map(|i| i as u16)
    }

    /// A sequence's `absent` step index.
    pub(super) fn absent_index(&self) -> Option<u16> {
        match &self.kind {
            Kind::Sequence {
                steps,
                absent: Some(_),
            } => Some(steps.len() as u16),
            _ => None,
        }
    }

    /// Hits older than this (event time) are dropped, given the watermark.
    pub(super) fn drop_horizon(&self, watermark: i64) -> i64 {
        watermark - self.window - self.lateness
    }

    /// Kept hits older than this can no longer be in a window with an accepted
    /// hit: one window before the drop horizon.
    pub(super) fn keep_horizon(&self, watermark: i64) -> i64 {
        self.drop_horizon(watermark) - self.window
    }
}

fn check_sequence(s: &SequenceSpec) -> Result<Kind, String> {
    if s.steps.len() < 2 || s.steps.len() > MAX_STEPS {
        return Err(format!(
            "a sequence needs 2 to {MAX_STEPS} steps; this one has {}",
            s.steps.len()
        ));
    }
    let absent = match &s.absent {
        None => None,
        Some(OneOrMany::One(a)) => Some(a.clone()),
        Some(OneOrMany::Many(list)) if list.len() <= 1 => list.first().cloned(),
        Some(OneOrMany::Many(list)) => {
            return Err(format!(
                "at most one absent step is allowed; this one has {} ({})",
                list.len(),
                list.join(", ")
            ))
        }
    };
    let mut names: Vec<&str> = Vec::new();
    for name in s
        .steps
        .iter()
        .map(|st| st.name.as_str())
        .chain(absent.as_deref())
    {
        if name.trim().is_empty() {
            return Err("a step has an empty name".into());
        }
        if names.contains(&name) {
            return Err(format!("step name {name:?} is used twice"));
        }
        names.push(name);
    }
    if s.steps[0].within.is_some() {
        return Err(format!(
            "the first step ({}) has no previous step to be within",
            s.steps[0].name
        ));
    }
    let steps = s
        .steps
        .iter()
        .map(|st| (st.name.clone(), st.within.map(Span::secs)))
        .collect();
    Ok(Kind::Sequence { steps, absent })
}

//! How far a chain got for one group (`rules explain`): the hits of each step,
//! what is missing, when the window closes.

use std::fmt;

use serde::Serialize;

use super::chain::{Chain, Kind};
use super::sequence::{complete, layers};
use super::state::GroupState;
use super::time::format_event_time;
use super::GroupKey;

/// One group's progress in one chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Progress {
    /// The chain's id.
    pub chain: String,
    /// The group.
    pub group: GroupKey,
    /// Each step (a threshold has one, `count`) and the hits that reach it.
    pub steps: Vec<StepProgress>,
    /// What the most advanced open instance lacks: step names, or for a
    /// threshold "3 more hits" / "2 more distinct values of F".
    pub missing: Vec<String>,
    /// The event time after which that instance can no longer complete.
    pub window_closes: Option<i64>,
    /// A sequence whose steps are all there but an `absent` hit falls between.
    pub cancelled: bool,
    /// A threshold that fired: hits up to this event time are not counted again.
    pub muted_until: Option<i64>,
}

/// One step of a [`Progress`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepProgress {
    /// The step's name.
    pub name: String,
    /// The `absent` step of a sequence.
    pub absent: bool,
    /// Its hits (event time, event id) that count for the instance described.
    pub hits: Vec<(i64, String)>,
}

/// Describes one group's state.
pub fn describe(chain: &Chain, group: &GroupKey, state: &GroupState) -> Progress {
    let mut p = Progress {
        chain: chain.id.clone(),
        group: group.clone(),
        steps: Vec::new(),
        missing: Vec::new(),
        window_closes: None,
        cancelled: false,
        muted_until: state.fired.iter().max().map(|f| f + chain.window),
    };
    let hits = &state.hits;
    let entry = |i: usize| (hits[i].time, hits[i].event_id.clone());
    match &chain.kind {
        Kind::Threshold { gte, distinct } => {
            // The window holding the most hits (or values); the latest on a tie.
            let mut best: (usize, usize, usize) = (0, 0, 0);
            for start in 0..hits.len() {
                let end = hits.partition_point(|k| k.time <= hits[start].time + chain.window);
                let mut values: Vec<&Option<String>> =
                    hits[start..end].iter().map(|k| &k.value).collect();
                values.sort();
                values.dedup();
                let count = if distinct.is_some() {
                    values.len()
                } else {
                    end - start
                };
                if count >= best.2 {
                    best = (start, end, count);
                }
            }
            let (start, end, count) = best;
            p.steps.push(StepProgress {
                name: "count".into(),
                absent: false,
                hits: (start..end).map(entry).collect(),
            });
            let need = (*gte as usize).saturating_sub(count);
            p.missing.push(match distinct {
                Some(field) => format!("{need} more distinct values of {field}"),
                None => format!("{need} more hits"),
            });
            p.window_closes = hits.get(start).map(|k| k.time + chain.window);
        }
        Kind::Sequence { steps, absent } => {
            let openers = (0..hits.len()).filter(|&i| hits[i].step == 0 && !hits[i].used);
            // The furthest instance; the latest opener on a tie (it closes last).
            let best = openers
                .map(|o| layers(chain, hits, o, None))
                .max_by_key(|l| l.len());
            let reached = best.as_ref().map_or(0, Vec::len);
            for (i, (name, _)) in steps.iter().enumerate() {
                let mut found: Vec<(i64, String)> = match &best {
                    Some(l) if i < l.len() => l[i].iter().map(|&(h, _)| entry(h)).collect(),
                    _ => Vec::new(),
                };
                found.sort();
                p.steps.push(StepProgress {
                    name: name.clone(),
                    absent: false,
                    hits: found,
                });
            }
            p.missing = steps[reached..].iter().map(|(n, _)| n.clone()).collect();
            if let Some(l) = &best {
                let t0 = hits[l[0][0].0].time;
                p.window_closes = Some(t0 + chain.window);
                p.cancelled = l.len() == steps.len() && complete(chain, hits, l).is_none();
                if let Some(name) = absent {
                    let idx = chain.absent_index();
                    let found =
                        (0..hits.len()).filter(|&i| Some(hits[i].step) == idx && hits[i].time > t0);
                    p.steps.push(StepProgress {
                        name: name.clone(),
                        absent: true,
                        hits: found.map(entry).collect(),
                    });
                }
            }
        }
    }
    p
}

impl fmt::Display for Progress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "chain {} for [{}]", self.chain, self.group.0.join(", "))?;
        match self.window_closes {
            Some(t) => writeln!(f, ": window closes {}", format_event_time(t))?,
            None => writeln!(f, ": nothing open")?,
        }
        for step in &self.steps {
            let mark = match (step.absent, step.hits.is_empty()) {
                (true, _) => "absent",
                (false, true) => "missing",
                (false, false) => "seen",
            };
            write!(f, "  {mark} {}:", step.name)?;
            if step.hits.is_empty() {
                write!(f, " none")?;
            }
            for (t, id) in &step.hits {
                write!(f, " {} ({id})", format_event_time(*t))?;
            }
            writeln!(f)?;
        }
        if !self.missing.is_empty() {
            writeln!(f, "  still needs: {}", self.missing.join(", "))?;
        }
        if self.cancelled {
            writeln!(
                f,
                "  cancelled: an absent step's event falls between the first and last steps"
            )?;
        }
        if let Some(t) = self.muted_until {
            writeln!(f, "  fired; quiet until {}", format_event_time(t))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;

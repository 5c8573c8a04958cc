//! Runs chain rules' inline tests: the records judged by the whole set (so a
//! step's `rule:` sees the rules that fire), in event-time order, fed to an
//! evaluator of that chain alone.

use super::model::ChainTestSpec;
use super::ChainRule;
use serde_json::Value;

use crate::chains::{format_event_time, parse_event_time, Evaluator, Fired, Span};
use crate::rules::{CaseResult, RuleSet};
use crate::settings::LocalCache;
use crate::trail::Record;

impl RuleSet {
    /// Every chain rule's inline cases.
    pub(crate) fn run_chain_tests(&self) -> Vec<CaseResult> {
        let mut out = Vec::new();
        for (index, chain) in self.chains.iter().enumerate() {
            for test in &chain.tests {
                out.push(CaseResult {
                    rule_id: chain.id.clone(),
                    rule_line: chain.line,
                    name: test.name.clone(),
                    failure: self.run_chain_case(index, chain, test).err(),
                });
            }
        }
        out
    }

    /// What chain number `index` makes of a case's records: its firings.
    pub fn chain_case(&self, index: usize, test: &ChainTestSpec) -> Result<Vec<Fired>, String> {
        let records = expand(test.records.as_array().map_or(&[][..], Vec::as_slice))?;
        let mut bytes = Vec::with_capacity(records.len());
        for r in &records {
            bytes.push(serde_json::to_vec(r).map_err(|e| e.to_string())?);
        }
        let mut hits = Vec::new();
        let mut cache = LocalCache::new();
        for (i, raw) in bytes.iter().enumerate() {
            let record =
                Record::parse(raw).map_err(|e| format!("record {i} does not parse: {e}"))?;
            let verdict = self.evaluate_with(&record, &mut cache);
            let found = self.chain_hits(&record, verdict.as_ref());
            if let Some(v) = verdict {
                v.changes.commit(&mut cache);
            }
            hits.extend(
                found
                    .into_iter()
                    .filter(|h| h.chain == index)
                    .map(|h| h.hit),
            );
        }
        hits.sort_by_key(|h| h.time);
        let chain = self.chains[index].chain.clone();
        let mut evaluator = Evaluator::new(vec![chain]);
        Ok(hits
            .into_iter()
            .flat_map(|h| evaluator.push(0, h))
            .collect())
    }

    fn run_chain_case(
        &self,
        index: usize,
        chain: &ChainRule,
        test: &ChainTestSpec,
    ) -> Result<(), String> {
        let fired = self.chain_case(index, test)?;
        let want = &test.expect;
        if fired.len() != want.fires {
            let ids: Vec<Vec<&str>> = fired
                .iter()
                .map(|f| f.members.iter().map(|m| m.event_id.as_str()).collect())
                .collect();
            return Err(format!(
                "chain {} fired {} time(s) (members {ids:?}); expected {}",
                chain.id,
                fired.len(),
                want.fires
            ));
        }
        if let (Some(members), Some(first)) = (&want.members, fired.first()) {
            let got: Vec<&str> = first.members.iter().map(|m| m.event_id.as_str()).collect();
            if got != members.iter().map(String::as_str).collect::<Vec<_>>() {
                return Err(format!("members {got:?}; expected {members:?}"));
            }
        }
        Ok(())
    }
}

/// A case's records, each `{ repeat: N, every: SPAN, record: R }` entry
/// expanded into N copies of R, `every` apart from R's `eventTime`, their
/// `eventID`s suffixed `-0`, `-1`... (a burst in a few lines).
pub(crate) fn expand(entries: &[Value]) -> Result<Vec<Value>, String> {
    let mut out = Vec::new();
    for entry in entries {
        let Some(times) = entry.get("repeat") else {
            out.push(entry.clone());
            continue;
        };
        let bad = || format!("repeat entry {entry}: give repeat (1 to 1000), every and record");
        let times = times
            .as_u64()
            .filter(|n| (1..=1000).contains(n))
            .ok_or_else(bad)?;
        let every = entry.get("every").and_then(Value::as_str).ok_or_else(bad)?;
        let every = Span::try_from(every.to_owned())?.secs();
        let record = entry
            .get("record")
            .filter(|r| r.is_object())
            .ok_or_else(bad)?;
        let start = record
            .get("eventTime")
            .and_then(Value::as_str)
            .ok_or_else(bad)?;
        let start = parse_event_time(start)?;
        let id = record
            .get("eventID")
            .and_then(Value::as_str)
            .unwrap_or("event");
        for i in 0..times {
            let mut copy = record.clone();
            copy["eventTime"] = format_event_time(start + i as i64 * every).into();
            copy["eventID"] = format!("{id}-{i}").into();
            out.push(copy);
        }
    }
    Ok(out)
}

//! `rules explain`'s chains: for a record that hits a chain step, how far each
//! such chain got for its group with the file's hits up to that record's time
//! (in event time, as the scan feeds them).

use std::fs::File;
use std::io::{self, Write};
use std::path::Path;

use cognito_trail_alerts::chains::{format_event_time, Evaluator, Hit};
use cognito_trail_alerts::rules::chain::{ChainHit, ChainRule};
use cognito_trail_alerts::settings::LocalCache;
use cognito_trail_alerts::trail::{self, Framer, Item, Record};
use cognito_trail_alerts::RuleSet;

/// Every chain hit of the file at `path`, judged in file order.
pub fn file_hits(rules: &RuleSet, path: &Path) -> io::Result<Vec<ChainHit>> {
    if rules.chains().is_empty() {
        return Ok(Vec::new());
    }
    let (_, json) = trail::open(File::open(path)?)?;
    let mut framer = Framer::new(json);
    let mut cache = LocalCache::new();
    let mut hits = Vec::new();
    while let Some(item) = framer.next_item().map_err(io::Error::other)? {
        let Item::Record(raw) = item else { continue };
        let Ok(record) = Record::parse(raw) else {
            continue;
        };
        let verdict = rules.evaluate_with(&record, &mut cache);
        hits.extend(rules.chain_hits(&record, verdict.as_ref()));
        if let Some(v) = verdict {
            v.changes.commit(&mut cache);
        }
    }
    hits.sort_by_key(|h| h.hit.time);
    Ok(hits)
}

/// Writes the progress of each chain `record` hits.
pub fn write_progress(
    rules: &RuleSet,
    file_hits: &[ChainHit],
    record: &Record,
    out: &mut impl Write,
) -> io::Result<()> {
    let mine = rules.chain_hits(record, rules.evaluate(record).as_ref());
    let mut done: Vec<usize> = Vec::new();
    for hit in &mine {
        if done.contains(&hit.chain) {
            continue;
        }
        done.push(hit.chain);
        let chain = &rules.chains()[hit.chain];
        let name = match chain.kind {
            "all" => hit.hit.distinct.as_deref().unwrap_or_default(),
            _ => chain.chain.step_names()[usize::from(hit.hit.step)],
        };
        writeln!(
            out,
            "  chain {}: this record is a hit of step {name:?}",
            chain.id
        )?;
        let mut evaluator = Evaluator::new(vec![chain.chain.clone()]);
        let same = |h: &&ChainHit| h.chain == hit.chain && h.hit.group == hit.hit.group;
        let upto = file_hits
            .iter()
            .filter(same)
            .filter(|h| h.hit.time <= hit.hit.time);
        let mut fired = 0;
        for h in upto {
            fired += evaluator.push(0, Hit { ..h.hit.clone() }).len();
        }
        if fired > 0 {
            writeln!(
                out,
                "    fired {fired} time(s) with this file's hits up to this record"
            )?;
        }
        if chain.kind == "all" {
            write_all(chain, file_hits, hit, out)?;
            continue;
        }
        match evaluator.describe(0, &hit.hit.group) {
            Some(progress) => {
                for line in progress.to_string().lines() {
                    writeln!(out, "    {line}")?;
                }
            }
            None => writeln!(out, "    nothing open for its group")?,
        }
    }
    Ok(())
}

/// An `all` chain: which of its steps the group hit within the window that
/// ends at this record, and which it still needs.
fn write_all(
    chain: &ChainRule,
    file_hits: &[ChainHit],
    hit: &ChainHit,
    out: &mut impl Write,
) -> io::Result<()> {
    let (t, window) = (hit.hit.time, chain.chain.window());
    let seen: Vec<&ChainHit> = file_hits
        .iter()
        .filter(|h| h.chain == hit.chain && h.hit.group == hit.hit.group)
        .filter(|h| h.hit.time <= t && h.hit.time >= t - window)
        .collect();
    for step in chain.all_steps() {
        let hits: Vec<String> = seen
            .iter()
            .filter(|h| h.hit.distinct.as_deref() == Some(step.as_str()))
            .map(|h| format!("{} ({})", format_event_time(h.hit.time), h.hit.event_id))
            .collect();
        match hits.is_empty() {
            true => writeln!(out, "    missing {step}")?,
            false => writeln!(out, "    seen {step}: {}", hits.join(", "))?,
        }
    }
    let missing: Vec<&str> = chain
        .all_steps()
        .iter()
        .filter(|s| {
            !seen
                .iter()
                .any(|h| h.hit.distinct.as_deref() == Some(s.as_str()))
        })
        .map(String::as_str)
        .collect();
    if !missing.is_empty() {
        let closes = format_event_time(seen.iter().map(|h| h.hit.time).min().unwrap_or(t) + window);
        writeln!(out, "    still needs: {} (by {closes})", missing.join(", "))?;
    }
    Ok(())
}

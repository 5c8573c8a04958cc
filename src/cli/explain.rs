//! `rules explain FILE [--event-id ID]`: how the rules (and overlays) judge each
//! record of one trail file, so a suppression can be written exactly as wide as
//! it must be.

use std::fs::File;
use std::io::{self, Write};

use cognito_trail_alerts::trail::{self, Framer, Item, Record};
use cognito_trail_alerts::RuleSet;

use super::args::ExplainArgs;
use super::exit::{EXIT_OK, EXIT_UNREADABLE};
use super::explain_chains;
use super::load::load_rules;

/// Runs `rules explain`; returns the exit code (2 when the file cannot be read to
/// the end, or has no record with the given event id).
pub fn run(args: &ExplainArgs) -> u8 {
    let Some(rules) = load_rules(args.rules.as_ref(), &args.overlays) else {
        return EXIT_UNREADABLE;
    };
    let name = args.file.display().to_string();
    for (id, place) in rules.disabled() {
        println!("rule {id} is disabled by the override at {place}");
    }
    match explain_file(&rules, args, &mut io::stdout().lock()) {
        Ok(0) if args.event_id.is_some() => {
            let id = args.event_id.as_deref().unwrap_or_default();
            eprintln!("error: {name}: no record has eventID {id}");
            EXIT_UNREADABLE
        }
        Ok(_) => EXIT_OK,
        Err(e) => {
            eprintln!("error: {name}: {e}");
            EXIT_UNREADABLE
        }
    }
}

/// Writes the explanation of each record (or the one with `--event-id`); returns
/// how many records were explained.
fn explain_file(rules: &RuleSet, args: &ExplainArgs, out: &mut impl Write) -> io::Result<u64> {
    let chain_hits = explain_chains::file_hits(rules, &args.file)?;
    let (_, json) = trail::open(File::open(&args.file)?)?;
    let mut framer = Framer::new(json);
    let (mut index, mut explained) = (0u64, 0u64);
    while let Some(item) = framer.next_item().map_err(io::Error::other)? {
        let at = index;
        index += 1;
        let Item::Record(raw) = item else {
            writeln!(out, "record {at}: too large to read")?;
            continue;
        };
        let record = match Record::parse(raw) {
            Ok(r) => r,
            Err(e) if args.event_id.is_none() => {
                writeln!(out, "record {at}: unreadable: {e}")?;
                continue;
            }
            Err(_) => continue,
        };
        if args
            .event_id
            .as_deref()
            .is_some_and(|id| record.event_id.as_deref() != Some(id))
        {
            continue;
        }
        explained += 1;
        writeln!(out, "{}", heading(at, &record))?;
        write!(out, "{}", rules.explain(&record))?;
        explain_chains::write_progress(rules, &chain_hits, &record, out)?;
    }
    Ok(explained)
}

fn heading(index: u64, r: &Record) -> String {
    let or = |v: Option<&str>| v.unwrap_or("?").to_string();
    let who = r.principal_arns().next().unwrap_or("unknown caller");
    format!(
        "record {index}: {} ({}) eventID {} at {} by {who} in account {}",
        or(r.event_name.as_deref()),
        or(r.event_source.as_deref()),
        or(r.event_id.as_deref()),
        or(r.event_time.as_deref()),
        or(r.account_id()),
    )
}

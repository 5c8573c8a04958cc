//! `scan`: run the engine over files and directories, print alerts, summarise.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use cognito_trail_alerts::alert::render_text;
use cognito_trail_alerts::engine::{Outcome, Progress, RunSink, StepHit};
use cognito_trail_alerts::findings::ocsf_finding;
use cognito_trail_alerts::settings::LocalCache;
use cognito_trail_alerts::{engine, Alert, FileStats, Severity};
use indicatif::{ProgressBar, ProgressStyle};

use super::args::{Format, PostureFormat, ScanArgs};
use super::exit::{EXIT_FINDINGS, EXIT_OK, EXIT_UNREADABLE};
use super::inputs;
use super::load::load_rules;
use super::posture;
use super::tuning::{warn_expiring, SuppressionTally};

/// Show a progress bar only when a person is watching and the scan takes a while.
const PROGRESS_MIN_BYTES: u64 = 64 << 20;

#[derive(Debug, Default)]
struct Totals {
    files: u64,
    skipped: u64,
    unreadable: u64,
    records: u64,
    duplicates: u64,
    record_errors: u64,
    by_severity: [u64; 5],
    hidden: u64,
    chain_alerts: u64,
    suppressed: SuppressionTally,
}

/// Runs `scan`; returns the exit code.
pub fn run(args: &ScanArgs) -> u8 {
    let Some(rules) = load_rules(args.rules.as_ref(), &args.overlays) else {
        return EXIT_UNREADABLE;
    };
    warn_expiring(&rules);
    let inputs = inputs::collect(&args.paths);
    let mut totals = Totals {
        skipped: inputs.skipped,
        ..Totals::default()
    };
    let progress = progress_bar(&inputs.files);
    for (path, why) in &inputs.errors {
        progress.suspend(|| eprintln!("error: {path}: {why}"));
        totals.unreadable += 1;
    }
    let mut out = Output::new(args);
    // One cache of tracked settings for the run: files in path order are in time
    // order per account and region in a trail bucket, so a backfill over a directory
    // reports the same `changes` as the Lambda did file by file.
    let mut cache = LocalCache::new();
    let jobs = args.jobs.map_or_else(cpus, usize::from);
    let bar = progress.clone();
    let counter: Option<Progress> =
        (!progress.is_hidden()).then(|| Arc::new(move |n: u64| bar.inc(n)) as Progress);
    let mut report = Report {
        out: &mut out,
        totals: &mut totals,
        progress: &progress,
        hits: Vec::new(),
    };
    engine::scan_files(
        &rules,
        &inputs.files,
        jobs,
        &mut cache,
        counter,
        &mut report,
    );
    progress.finish_and_clear();
    // Chains judge the run's hits together, in event time: their alerts come
    // after every file's own.
    let hits = std::mem::take(&mut report.hits);
    let (chained, _) = engine::evaluate_hits(&rules, hits);
    let stats = &chained.stats;
    if stats.evicted + stats.late > 0 {
        // Bounded memory: a chain keeps at most maxGroups open groups.
        eprintln!(
            "warning: chains: {} open groups evicted (maxGroups), {} hits too late to count",
            stats.evicted, stats.late
        );
    }
    for alert in chained.alerts {
        report.totals.chain_alerts += 1;
        report.alert(alert);
    }
    let posture = args
        .posture_format
        .or(args.posture.then_some(PostureFormat::Text));
    if let Some(format) = posture.filter(|_| !out.closed) {
        if let Err(e) = posture::write(&rules, &cache, format, &mut out.writer) {
            out.closed = e.kind() == io::ErrorKind::BrokenPipe;
        }
    }
    if let Err(e) = out.writer.flush() {
        if e.kind() != io::ErrorKind::BrokenPipe {
            eprintln!("error: writing output: {e}");
        }
    }
    eprintln!(
        "{}{}",
        summary(&totals),
        totals.suppressed.summary(args.show_suppressed)
    );
    totals.suppressed.report_unused(&rules);
    exit_code(&totals, args.fail_on)
}

struct Output {
    writer: BufWriter<io::StdoutLock<'static>>,
    format: Format,
    min: Severity,
    show_suppressed: bool,
    closed: bool,
}

impl Output {
    fn new(args: &ScanArgs) -> Self {
        Output {
            writer: BufWriter::new(io::stdout().lock()),
            format: args.format,
            min: args.min_severity,
            show_suppressed: args.show_suppressed,
            closed: false,
        }
    }

    fn write(&mut self, alert: &Alert) {
        if self.closed {
            return;
        }
        let result = match self.format {
            Format::Jsonl => serde_json::to_writer(&mut self.writer, alert)
                .map_err(io::Error::from)
                .and_then(|_| self.writer.write_all(b"\n")),
            Format::Ocsf => serde_json::to_writer(&mut self.writer, &ocsf_finding(alert))
                .map_err(io::Error::from)
                .and_then(|_| self.writer.write_all(b"\n")),
            Format::Text => match &alert.suppressed_by {
                Some(id) => writeln!(self.writer, "[suppressed by {id}]\n{}", render_text(alert)),
                None => writeln!(self.writer, "{}", render_text(alert)),
            },
        };
        if let Err(e) = result {
            if e.kind() != io::ErrorKind::BrokenPipe {
                eprintln!("error: writing output: {e}");
            }
            self.closed = true;
        }
    }
}

/// The number of CPUs this process may use (1 if unknown).
fn cpus() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Prints each file's alerts and problems and adds up the totals, in path order.
struct Report<'a> {
    out: &'a mut Output,
    totals: &'a mut Totals,
    progress: &'a ProgressBar,
    /// The chain steps' hits of the run, evaluated after the last file.
    hits: Vec<StepHit>,
}

impl RunSink for Report<'_> {
    fn alert(&mut self, alert: Alert) {
        let (out, totals) = (&mut *self.out, &mut *self.totals);
        // A hidden alert counts toward neither the severities nor --fail-on.
        if totals.suppressed.note(&alert) {
            if out.show_suppressed && alert.severity >= out.min {
                out.write(&alert);
            }
            return;
        }
        totals.by_severity[alert.severity as usize] += 1;
        if alert.severity >= out.min {
            out.write(&alert);
        } else {
            totals.hidden += 1;
        }
    }

    fn hit(&mut self, hit: StepHit) {
        self.hits.push(hit);
    }

    fn file(&mut self, path: &Path, outcome: Outcome) -> bool {
        let name = path.display().to_string();
        let (progress, totals) = (self.progress, &mut *self.totals);
        let result = match outcome {
            Outcome::CannotOpen(e) => {
                progress.suspend(|| eprintln!("error: {name}: cannot open: {e}"));
                totals.unreadable += 1;
                return !self.out.closed;
            }
            Outcome::Scanned(result) => result,
        };
        totals.files += 1;
        let stats = match result {
            Ok(stats) => stats,
            Err(e) => {
                progress.suspend(|| eprintln!("error: {e}"));
                totals.unreadable += 1;
                *e.partial
            }
        };
        report_issues(&name, &stats, progress);
        totals.records += stats.records;
        totals.duplicates += stats.duplicates;
        totals.record_errors += stats.record_errors;
        // Stdout went away (e.g. `| head`): nothing left to do.
        !self.out.closed
    }
}

fn report_issues(name: &str, stats: &FileStats, progress: &ProgressBar) {
    progress.suspend(|| {
        for issue in &stats.issues {
            eprintln!("warning: {name}: record {}: {}", issue.index, issue.reason);
        }
        let more = stats.record_errors - stats.issues.len() as u64;
        if more > 0 {
            eprintln!("warning: {name}: {more} more record errors");
        }
    });
}

fn progress_bar(files: &[PathBuf]) -> ProgressBar {
    let total: u64 = files
        .iter()
        .filter_map(|f| f.metadata().ok())
        .map(|m| m.len())
        .sum();
    if !io::stderr().is_terminal() || total < PROGRESS_MIN_BYTES {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total);
    if let Ok(style) =
        ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {bytes_per_sec} eta {eta}")
    {
        bar.set_style(style);
    }
    bar
}

fn summary(t: &Totals) -> String {
    let alerts: u64 = t.by_severity.iter().sum();
    let by: Vec<String> = Severity::ALL
        .iter()
        .rev()
        .map(|s| format!("{} {}", s.as_str(), t.by_severity[*s as usize]))
        .collect();
    let hidden = if t.hidden > 0 {
        format!(", {} below --min-severity not shown", t.hidden)
    } else {
        String::new()
    };
    let chains = match t.chain_alerts {
        0 => String::new(),
        n => format!(", {n} of them from chains"),
    };
    format!(
        "scanned {} files ({} digest/insight skipped, {} unreadable): {} records, {alerts} alerts ({}{hidden}{chains}), {} duplicates, {} record errors",
        t.files,
        t.skipped,
        t.unreadable,
        t.records,
        by.join(", "),
        t.duplicates,
        t.record_errors
    )
}

/// Unreadable input (2) outranks findings (1), as with grep: an incomplete scan
/// must not pass for a clean one or a merely noisy one.
fn exit_code(t: &Totals, fail_on: Option<Severity>) -> u8 {
    if t.unreadable > 0 {
        return EXIT_UNREADABLE;
    }
    let found = |level: Severity| {
        Severity::ALL
            .iter()
            .any(|s| *s >= level && t.by_severity[*s as usize] > 0)
    };
    match fail_on {
        Some(level) if found(level) => EXIT_FINDINGS,
        _ => EXIT_OK,
    }
}

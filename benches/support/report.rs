//! The printed report: machine, per-file table, sanity counts, targets.

use std::process::Command;

use super::gen::Dataset;
use super::measure::Series;

/// `scan` must be at least this many times faster than `gzip -dc`.
pub const TARGET_VS_GZIP: f64 = 2.0;
/// ... and than the Python baseline.
pub const TARGET_VS_PYTHON: f64 = 30.0;
/// Peak RSS ceiling for `scan`, whatever the file size.
pub const TARGET_RSS_MIB: f64 = 64.0;

/// Figures for one file.
pub struct Results {
    pub mib: u64,
    pub data: Dataset,
    pub gzip: Series,
    pub python: Series,
    pub scan: Series,
    pub inflate: Series,
    pub alerts: u64,
    pub python_lines: Option<u64>,
    pub summary: String,
}

/// The trimmed content of a small file such as `/proc/loadavg`, or `?`.
pub fn read_trim(path: &str) -> String {
    std::fs::read_to_string(path)
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|_| "?".into())
}

/// The trimmed stdout of a command, or `?`.
fn command_output(program: &str, args: &[&str]) -> String {
    Command::new(program)
        .args(args)
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|_| "?".into())
}

/// Prints what the figures depend on: date, cores, CPU, load, tool versions.
pub fn print_machine(scan_bin: &str) {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines().find_map(|l| {
                l.strip_prefix("model name")?
                    .split_once(':')
                    .map(|x| x.1.trim().to_string())
            })
        })
        .unwrap_or_else(|| "?".into());
    println!(
        "date: {}",
        command_output("date", &["-u", "+%Y-%m-%d %H:%M UTC"])
    );
    println!("nproc: {}, cpu: {cpu}", command_output("nproc", &[]));
    println!("load average before: {}", read_trim("/proc/loadavg"));
    println!("scanner: {scan_bin}");
    println!(
        "gzip: {}",
        command_output("gzip", &["--version"])
            .lines()
            .next()
            .unwrap_or("?")
    );
    println!("python: {}", command_output("python3", &["--version"]));
}

/// Bytes to decimal megabytes.
fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

/// Prints one file's contents, its timing table and the alert counts.
pub fn print_file(r: &Results) {
    let d = &r.data;
    let name = d
        .path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    println!("== {name} ==");
    println!(
        "JSON {:.1} MB ({} MiB), gzip {:.1} MB, ratio {:.1}x; {} records (avg {} B, largest {} B), {} Cognito ({} distinct writes + {} repeats), {} repeated records",
        mb(d.json_bytes),
        d.json_bytes >> 20,
        mb(d.gz_bytes),
        d.json_bytes as f64 / d.gz_bytes as f64,
        d.records,
        d.json_bytes / d.records.max(1),
        d.largest_record,
        d.cognito,
        d.cognito_writes,
        d.cognito_write_repeats,
        d.repeats
    );
    println!(
        "{:<46} {:>8} {:>9} {:>7} {:>5} {:>10} {:>8} {:>13}",
        "command (stdout > /dev/null)",
        "best s",
        "median s",
        "CPU s",
        "runs",
        "JSON MB/s",
        "x floor",
        "peak RSS MiB"
    );
    let rows = [
        ("gzip -dc FILE", &r.gzip, true),
        ("python3 benches/baseline.py FILE", &r.python, true),
        (
            "cognito-trail-alerts scan --format jsonl FILE",
            &r.scan,
            true,
        ),
        (
            "flate2/zlib-rs inflate, in-process (floor)",
            &r.inflate,
            false,
        ),
    ];
    for (label, s, rss) in rows {
        if s.samples.is_empty() {
            println!("{label:<46} {:>8}", "skipped");
            continue;
        }
        let rss = if rss {
            format!("{:.1}", s.rss_mib())
        } else {
            "-".into()
        };
        println!(
            "{label:<46} {:>8.3} {:>9.3} {:>7.3} {:>5} {:>10.0} {:>8.2} {:>13}",
            s.best(),
            s.median(),
            s.best_cpu(),
            s.samples.len(),
            mb(d.json_bytes) / s.best(),
            s.best() / r.inflate.best(),
            rss
        );
    }
    println!("scan summary: {}", r.summary);
    let python = r
        .python_lines
        .map_or("not counted".into(), |n| n.to_string());
    println!(
        "alerts: scan {} | python baseline lines {python} | generator: {} distinct Cognito writes (+{} repeats)\n",
        r.alerts, d.cognito_writes, d.cognito_write_repeats
    );
}

/// `PASS` or `FAIL`.
fn verdict(ok: bool) -> &'static str {
    if ok {
        "PASS"
    } else {
        "FAIL"
    }
}

/// Prints each target with the measured ratio and its verdict.
pub fn print_targets(all: &[Results]) {
    println!("targets (ratios from best times):");
    for r in all {
        let scan = r.scan.best();
        let vs_gzip = r.gzip.best() / scan;
        println!(
            "  {:>4} MiB  scan vs gzip -dc: {vs_gzip:>6.2}x (target >= {TARGET_VS_GZIP}x) {}",
            r.mib,
            verdict(vs_gzip >= TARGET_VS_GZIP)
        );
        if r.python.samples.is_empty() {
            println!("  {:>4} MiB  scan vs python: not measured", r.mib);
        } else {
            let vs_py = r.python.best() / scan;
            println!(
                "  {:>4} MiB  scan vs python:   {vs_py:>6.2}x (target >= {TARGET_VS_PYTHON}x) {}",
                r.mib,
                verdict(vs_py >= TARGET_VS_PYTHON)
            );
        }
        let rss = r.scan.rss_mib();
        println!(
            "  {:>4} MiB  scan peak RSS:    {rss:>6.1} MiB (target <= {TARGET_RSS_MIB} MiB) {}",
            r.mib,
            verdict(rss <= TARGET_RSS_MIB)
        );
        println!(
            "  {:>4} MiB  scan vs in-process inflate alone: {:.2}x the inflate time",
            r.mib,
            scan / r.inflate.best()
        );
    }
}

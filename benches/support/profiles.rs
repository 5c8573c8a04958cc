//! The profiles beyond the standard files (issue 15): **Cognito-heavy** (a quarter
//! of the records are Cognito reads and sign-in calls) and **backfill** (the first
//! standard file's records in ~20,000 small files). Each is measured beside its
//! baselines in the same run: `gzip -dc` and the in-process inflate floor.

use std::ffi::OsString;
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::{Path, PathBuf};
use std::time::Instant;

use flate2::read::MultiGzDecoder;

use super::backfill::{self, Backfill};
use super::gen::{self, Dataset, HEAVY_READS};
use super::measure::{Job, Sample, Series, Spawner};
use super::report::TARGET_RSS_MIB;

/// One profile's figures.
pub struct Table {
    pub title: String,
    pub about: String,
    /// (command, series, whether peak RSS is meaningful)
    pub rows: Vec<(String, Series, bool)>,
    /// The in-process inflate of the same bytes, one thread.
    pub floor: Series,
    /// Lines of targets and derived figures, with PASS/FAIL.
    pub targets: Vec<String>,
}

fn scan_job(scan_bin: &str, label: &str, extra: &[&str], path: &Path) -> Job {
    let mut argv: Vec<OsString> = vec![
        scan_bin.into(),
        "scan".into(),
        "--format".into(),
        "jsonl".into(),
    ];
    argv.extend(extra.iter().map(OsString::from));
    argv.push(path.into());
    Job::new(label, &argv)
}

fn verdict(ok: bool) -> &'static str {
    if ok {
        "PASS"
    } else {
        "FAIL"
    }
}

/// The Cognito-heavy file of `mib` MiB: `gzip -dc`, `scan`, the floor.
pub fn heavy(
    spawner: &mut Spawner,
    scan_bin: &str,
    dir: &Path,
    mib: u64,
    seed: u64,
    runs: u64,
) -> io::Result<Table> {
    let d = gen::ensure_profile(dir, mib, seed, Some(HEAVY_READS))?;
    let gzip = Job::new(
        "gzip -dc",
        &["gzip".into(), "-dc".into(), d.path.clone().into()],
    );
    let scan = scan_job(scan_bin, "scan", &[], &d.path);
    spawner.run_quiet(&scan)?; // warms the page cache
    let (mut g, mut s, mut floor) = (Series::default(), Series::default(), Series::default());
    for _ in 0..runs {
        g.push(spawner.run_quiet(&gzip)?);
        s.push(spawner.run_quiet(&scan)?);
        floor.push(inflate_files(std::slice::from_ref(&d.path))?);
    }
    let mut targets = Vec::new();
    let vs_floor = s.best() / floor.best();
    targets.push(format!(
        "scan / inflate floor (wall): {vs_floor:.2}x (target <= 1.3x) {}",
        verdict(vs_floor <= 1.3)
    ));
    let vs_gzip = g.best() / s.best();
    targets.push(format!(
        "scan vs gzip -dc: {vs_gzip:.2}x faster (target >= 4x) {}",
        verdict(vs_gzip >= 4.0)
    ));
    rss_target(&mut targets, &s);
    Ok(Table {
        title: format!("Cognito-heavy: {}", name(&d.path)),
        about: describe(&d),
        rows: vec![
            ("gzip -dc FILE".into(), g, true),
            (
                "cognito-trail-alerts scan --format jsonl FILE".into(),
                s,
                true,
            ),
        ],
        floor,
        targets,
    })
}

/// The backfill of `source` in ~`files` files: `gzip -dcr`, `scan --jobs 1` and
/// `--jobs 2`, the floor (every file inflated in turn, one thread), and `scan
/// --jobs 1` of `source` itself, whose CPU time the backfill's is compared with.
pub fn backfill(
    spawner: &mut Spawner,
    scan_bin: &str,
    dir: &Path,
    source: &Dataset,
    files: u64,
    runs: u64,
) -> io::Result<Table> {
    let b = backfill::ensure(dir, source, files)?;
    let paths = backfill::files(&b.dir)?;
    let gzip = Job::new(
        "gzip -dcr",
        &["gzip".into(), "-dcr".into(), b.dir.clone().into()],
    );
    let one = scan_job(scan_bin, "scan --jobs 1", &["--jobs", "1"], &b.dir);
    let two = scan_job(scan_bin, "scan --jobs 2", &["--jobs", "2"], &b.dir);
    let whole = scan_job(
        scan_bin,
        "scan --jobs 1 (one file)",
        &["--jobs", "1"],
        &source.path,
    );
    spawner.run_quiet(&two)?; // warms the page cache
    let mut series: Vec<Series> = vec![Series::default(); 4];
    let mut floor = Series::default();
    for _ in 0..runs {
        for (job, s) in [&gzip, &one, &two, &whole]
            .into_iter()
            .zip(series.iter_mut())
        {
            s.push(spawner.run_quiet(job)?);
        }
        floor.push(inflate_files(&paths)?);
    }
    let [g, one, two, whole]: [Series; 4] =
        series.try_into().map_err(|_| io::Error::other("series"))?;
    let mut targets = Vec::new();
    let speedup = one.best() / two.best();
    targets.push(format!(
        "--jobs 2 vs --jobs 1: {speedup:.2}x faster (target >= 1.7x) {}",
        verdict(speedup >= 1.7)
    ));
    let vs_gzip = g.best() / two.best();
    targets.push(format!(
        "--jobs 2 vs gzip -dcr: {vs_gzip:.2}x (target >= 1, no slower) {}",
        verdict(vs_gzip >= 1.0)
    ));
    rss_target(&mut targets, &one);
    rss_target(&mut targets, &two);
    let per_file = (one.best_cpu() - whole.best_cpu()) / b.files as f64 * 1e6;
    targets.push(format!(
        "CPU per file beyond its bytes: ({:.3} s - {:.3} s for the same records in one file) / {} files = {per_file:.1} us (target <= 30 us) {}",
        one.best_cpu(),
        whole.best_cpu(),
        b.files,
        verdict(per_file <= 30.0)
    ));
    let lambda = lambda_per_file(&paths)?;
    targets.push(format!(
        "the Lambda's scan per small file (engine::scan_with on each file's bytes, in-process): {:.1} us of CPU, inflating alone {:.1} us: {:.1} us beyond the bytes",
        lambda.0, lambda.1, lambda.0 - lambda.1
    ));
    Ok(Table {
        title: format!("backfill: {}", b.dir.display()),
        about: describe_backfill(&b, source),
        rows: vec![
            ("gzip -dcr DIR".into(), g, true),
            (
                "cognito-trail-alerts scan --format jsonl --jobs 1 DIR".into(),
                one,
                true,
            ),
            (
                "cognito-trail-alerts scan --format jsonl --jobs 2 DIR".into(),
                two,
                true,
            ),
            (
                format!(
                    "... --jobs 1 {} (same records, one file)",
                    name(&source.path)
                ),
                whole,
                true,
            ),
        ],
        floor,
        targets,
    })
}

fn rss_target(targets: &mut Vec<String>, s: &Series) {
    let rss = s.rss_mib();
    targets.push(format!(
        "peak RSS {rss:.1} MiB (target <= {TARGET_RSS_MIB} MiB) {}",
        verdict(rss <= TARGET_RSS_MIB)
    ));
}

fn name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn describe(d: &Dataset) -> String {
    format!(
        "JSON {:.1} MB, gzip {:.1} MB; {} records, {} Cognito ({:.1} %: {} distinct writes + {} repeats, the rest reads and sign-in calls)",
        d.json_bytes as f64 / 1e6,
        d.gz_bytes as f64 / 1e6,
        d.records,
        d.cognito,
        100.0 * d.cognito as f64 / d.records.max(1) as f64,
        d.cognito_writes,
        d.cognito_write_repeats
    )
}

fn describe_backfill(b: &Backfill, source: &Dataset) -> String {
    format!(
        "{} files, {} records (those of {}), JSON {:.1} MB, gzip {:.1} MB (avg {:.1} KB per file)",
        b.files,
        b.records,
        name(&source.path),
        b.json_bytes as f64 / 1e6,
        b.gz_bytes as f64 / 1e6,
        b.gz_bytes as f64 / 1e3 / b.files.max(1) as f64
    )
}

/// Inflates each file in this process with the scanner's flate2 backend, output
/// discarded: the floor for any scan of them on one thread.
pub fn inflate_files(paths: &[PathBuf]) -> io::Result<Sample> {
    let started = Instant::now();
    let mut buf = vec![0u8; 256 << 10];
    for path in paths {
        let mut gz = MultiGzDecoder::new(BufReader::with_capacity(256 << 10, File::open(path)?));
        while gz.read(&mut buf)? > 0 {}
    }
    let secs = started.elapsed().as_secs_f64();
    Ok(Sample {
        secs,
        rss_kib: 0,
        cpu_secs: secs,
    })
}

/// CPU time of this process (all threads), seconds.
fn process_cpu() -> f64 {
    // SAFETY: rusage is plain data; getrusage fills it.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut u) };
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    secs(u.ru_utime) + secs(u.ru_stime)
}

/// Microseconds of CPU per file for `engine::scan_with` (what the Lambda's handler
/// runs on each object's body: read-ahead thread and buffers per file), and for
/// inflating the same bytes alone; files already in memory, best of three.
fn lambda_per_file(paths: &[PathBuf]) -> io::Result<(f64, f64)> {
    use cognito_trail_alerts::{engine, settings::LocalCache, Origin, RuleSet};
    let files: Vec<Vec<u8>> = paths.iter().map(std::fs::read).collect::<io::Result<_>>()?;
    let rules = RuleSet::bundled().map_err(io::Error::other)?;
    let origin = Origin::File { file: "f".into() };
    let (mut scan, mut inflate) = (f64::INFINITY, f64::INFINITY);
    let mut buf = vec![0u8; 256 << 10];
    for _ in 0..3 {
        let t = process_cpu();
        for bytes in &files {
            let mut cache = LocalCache::new();
            let reader = io::Cursor::new(bytes.clone());
            let _ = engine::scan_with(&rules, reader, &origin, &mut cache, |_| {});
        }
        scan = scan.min(process_cpu() - t);
        let t = process_cpu();
        for bytes in &files {
            let mut gz = MultiGzDecoder::new(&bytes[..]);
            while gz.read(&mut buf)? > 0 {}
        }
        inflate = inflate.min(process_cpu() - t);
    }
    let n = files.len().max(1) as f64;
    Ok((scan / n * 1e6, inflate / n * 1e6))
}

/// Prints one profile's table and targets.
pub fn print(t: &Table) {
    println!("== {} ==", t.title);
    println!("{}", t.about);
    println!(
        "{:<62} {:>8} {:>9} {:>7} {:>9} {:>13}",
        "command (stdout > /dev/null)", "best s", "median s", "CPU s", "x floor", "peak RSS MiB"
    );
    let floor = t.floor.best();
    let rows = t.rows.iter().map(|(l, s, r)| (l.as_str(), s, *r));
    for (label, s, rss) in rows.chain([(
        "flate2/zlib-rs inflate, in-process (floor)",
        &t.floor,
        false,
    )]) {
        let rss = if rss {
            format!("{:.1}", s.rss_mib())
        } else {
            "-".into()
        };
        println!(
            "{label:<62} {:>8.3} {:>9.3} {:>7.3} {:>9.2} {:>13}",
            s.best(),
            s.median(),
            s.best_cpu(),
            s.best() / floor,
            rss
        );
    }
    for line in &t.targets {
        println!("  {line}");
    }
    println!();
}

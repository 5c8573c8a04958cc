//! `cargo bench --bench scan`: times `cognito-trail-alerts scan` against `gzip -dc`
//! and a plain Python filter on large generated CloudTrail files, and checks the
//! targets (2x gzip, 30x Python, 64 MiB peak RSS). A measurement, not a test: it
//! always exits 0, and does nothing unless run by `cargo bench` (which passes
//! `--bench`), so `cargo test --benches` stays quick.
//!
//! Environment: `BENCH_JSON_MIB` (size of the first file, default 400; the second is
//! twice that), `BENCH_RUNS` (timed runs per command, default 3), `BENCH_PY_RUNS`
//! (runs of the Python baseline, default 1: it takes tens of seconds).
//!
//! Generate-only mode: `BENCH_GENERATE_MIB=550 cargo bench --bench scan` writes (or
//! reuses) `bench-data/trail-v<version>-550mib.json.gz`, prints its sizes and exits
//! without measuring anything (`benches/lambda_load.py` uses such a file).

#[path = "support/mod.rs"]
mod support;

use std::ffi::OsString;
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;
use std::time::Instant;

use flate2::read::MultiGzDecoder;
use support::gen::{self, Dataset};
use support::measure::{Job, Series, Spawner, SPAWNER_ENV};
use support::profiles;
use support::report::{self, read_trim, Results};

const SEED: u64 = 0x00c0_9a17_0b5e_ed01;
const SCAN_BIN: &str = env!("CARGO_BIN_EXE_cognito-trail-alerts");

/// A numeric environment variable, or `default`.
fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

fn main() {
    if std::env::var_os(SPAWNER_ENV).is_some() {
        return support::measure::serve();
    }
    // `cargo bench` passes `--bench`; `cargo test --benches` does not.
    if !std::env::args().any(|a| a == "--bench") {
        println!("scan benchmark: skipped (run it with `cargo bench --bench scan`)");
        return;
    }
    if let Some(mib) = std::env::var_os("BENCH_GENERATE_MIB") {
        return generate_only(&mib.to_string_lossy());
    }
    if let Err(e) = run() {
        eprintln!("benchmark aborted: {e}");
    }
}

/// Generates (or reuses) one file of `mib` MiB of JSON with the first file's seed,
/// prints where it is and what it holds, and measures nothing.
fn generate_only(mib: &str) {
    let Some(mib) = mib.trim().parse::<u64>().ok().filter(|&m| m > 0) else {
        eprintln!("BENCH_GENERATE_MIB must be a whole number of MiB, got {mib:?}");
        return;
    };
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("bench-data");
    match gen::ensure(&dir, mib, SEED) {
        Ok(d) => println!(
            "{}: {} bytes of JSON, {} bytes gzip, {} records, {} distinct Cognito writes",
            d.path.display(),
            d.json_bytes,
            d.gz_bytes,
            d.records,
            d.cognito_writes
        ),
        Err(e) => eprintln!("generation failed: {e}"),
    }
}

/// Generates (or reuses) both files, measures everything, prints the report.
fn run() -> io::Result<()> {
    let mib = env_u64("BENCH_JSON_MIB", 400).max(1);
    let runs = env_u64("BENCH_RUNS", 3).max(1);
    let py_runs = env_u64("BENCH_PY_RUNS", 1);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut spawner = Spawner::start()?;
    report::print_machine(SCAN_BIN);
    let floor = spawner.run_quiet(&Job::new("true", &["true".into()]))?;
    println!(
        "peak RSS floor (`true` through the spawner): {} KiB",
        floor.rss_kib
    );
    let profiles =
        std::env::var("BENCH_PROFILES").unwrap_or_else(|_| "standard,heavy,backfill".into());
    let wants = |p: &str| profiles.split(',').any(|w| w.trim() == p);
    let dir = root.join("bench-data");
    let mut all = Vec::new();
    let sizes = if wants("standard") {
        vec![mib, 2 * mib]
    } else {
        vec![]
    };
    for (i, size) in sizes.into_iter().enumerate() {
        let data = gen::ensure(&dir, size, SEED + i as u64)?;
        all.push(measure(
            &mut spawner,
            root,
            size,
            data,
            runs,
            py_runs,
            i == 0,
        )?);
    }
    let mut tables = Vec::new();
    if wants("heavy") {
        tables.push(profiles::heavy(
            &mut spawner,
            SCAN_BIN,
            &dir,
            mib,
            SEED + 15,
            runs,
        )?);
    }
    if wants("backfill") {
        let files = env_u64("BENCH_BACKFILL_FILES", 20_000).max(1);
        let source = gen::ensure(&dir, mib, SEED)?;
        tables.push(profiles::backfill(
            &mut spawner,
            SCAN_BIN,
            &dir,
            &source,
            files,
            runs,
        )?);
    }
    println!();
    for r in &all {
        report::print_file(r);
    }
    for t in &tables {
        profiles::print(t);
    }
    report::print_targets(&all);
    println!("load average after: {}", read_trim("/proc/loadavg"));
    Ok(())
}

/// Measures every command on one file. The first, untimed `scan` run counts the
/// alerts and warms the page cache; the timed runs of `gzip` and `scan` alternate.
fn measure(
    spawner: &mut Spawner,
    root: &Path,
    mib: u64,
    data: Dataset,
    runs: u64,
    py_runs: u64,
    count_python: bool,
) -> io::Result<Results> {
    let file: OsString = data.path.clone().into();
    let gzip = Job::new("gzip -dc", &["gzip".into(), "-dc".into(), file.clone()]);
    let python = Job::new(
        "python3 baseline.py",
        &[
            "python3".into(),
            root.join("benches/baseline.py").into(),
            file.clone(),
        ],
    );
    let scan = Job::new(
        "scan",
        &[
            SCAN_BIN.into(),
            "scan".into(),
            "--format".into(),
            "jsonl".into(),
            file,
        ],
    );
    eprintln!("measuring {} ...", data.path.display());
    let out = tempfile::NamedTempFile::new()?;
    let err = tempfile::NamedTempFile::new()?;
    spawner.run(&scan, out.path(), Some(err.path()))?;
    let alerts = count_lines(out.path())?;
    let summary = std::fs::read_to_string(err.path())?.trim().to_string();
    let mut r = Results {
        mib,
        data,
        gzip: Series::default(),
        python: Series::default(),
        scan: Series::default(),
        inflate: Series::default(),
        alerts,
        python_lines: None,
        summary,
    };
    for _ in 0..runs {
        r.gzip.push(spawner.run_quiet(&gzip)?);
        r.scan.push(spawner.run_quiet(&scan)?);
        r.inflate.push(inflate_in_process(&r.data.path)?);
    }
    for i in 0..py_runs {
        if i == 0 && count_python {
            let out = tempfile::NamedTempFile::new()?;
            r.python.push(spawner.run(&python, out.path(), None)?);
            r.python_lines = Some(count_lines(out.path())?);
        } else {
            r.python.push(spawner.run_quiet(&python)?);
        }
    }
    Ok(r)
}

/// Decompresses the file in this process with the same flate2 backend the scanner
/// uses, discarding the output: the floor for any scan of it.
fn inflate_in_process(path: &Path) -> io::Result<support::measure::Sample> {
    let started = Instant::now();
    let mut gz = MultiGzDecoder::new(BufReader::with_capacity(256 << 10, File::open(path)?));
    let mut buf = vec![0u8; 256 << 10];
    while gz.read(&mut buf)? > 0 {}
    let secs = started.elapsed().as_secs_f64();
    Ok(support::measure::Sample {
        secs,
        rss_kib: 0,
        cpu_secs: secs,
    })
}

/// Lines in a file (alerts in JSON Lines output).
fn count_lines(path: &Path) -> io::Result<u64> {
    let bytes = std::fs::read(path)?;
    Ok(memchr::memchr_iter(b'\n', &bytes).count() as u64)
}

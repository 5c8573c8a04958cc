//! Writes the benchmark's CloudTrail log files (`{"Records":[...]}`, gzip level 6)
//! under `bench-data/`, or reuses them when a previous run left them complete.
//!
//! Each file has a `.meta` sidecar with its sizes and counts, written last: a file
//! without one, or whose size disagrees with it, is regenerated. Bump
//! [`GEN_VERSION`] whenever the generated content changes.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Instant;

use flate2::write::GzEncoder;
use flate2::Compression;

use super::records::{next_record, Ctx, Ev, Kind};

/// Part of the file names: a new version never reuses an old file.
pub const GEN_VERSION: u32 = 1;
/// JSON handed to the compressing thread at a time.
const CHUNK: usize = 1 << 20;
/// Chance that a record is repeated later in the file, as CloudTrail sometimes does.
const DUPLICATE: f64 = 1.0 / 4000.0;
/// Chance that a Cognito write is repeated (so the dedup shows in the counts).
const COGNITO_DUPLICATE: f64 = 0.03;

/// A generated file and what is in it.
#[derive(Debug, Clone, Default)]
pub struct Dataset {
    pub path: PathBuf,
    pub json_bytes: u64,
    pub gz_bytes: u64,
    pub records: u64,
    /// Records from the three Cognito event sources, reads and writes.
    pub cognito: u64,
    /// Distinct Cognito write records (what should alert).
    pub cognito_writes: u64,
    /// Repeats of Cognito write records (same eventID).
    pub cognito_write_repeats: u64,
    /// Repeated records of any kind.
    pub repeats: u64,
    pub largest_record: u64,
}

/// Weight of Cognito reads and sign-in calls that makes them a quarter of the
/// records: 33 233 / (99 700 + 33 233) = 25 %.
pub const HEAVY_READS: u32 = 33_233;

/// Returns the dataset of about `mib` MiB of JSON, generating it if needed.
pub fn ensure(dir: &Path, mib: u64, seed: u64) -> io::Result<Dataset> {
    ensure_profile(dir, mib, seed, None)
}

/// [`ensure`] with Cognito reads and sign-in calls at `reads` parts (the
/// Cognito-heavy profile, `trail-v1-heavy-<N>mib.json.gz`), or the standard mix.
pub fn ensure_profile(dir: &Path, mib: u64, seed: u64, reads: Option<u32>) -> io::Result<Dataset> {
    fs::create_dir_all(dir)?;
    let profile = if reads.is_some() { "heavy-" } else { "" };
    let path = dir.join(format!("trail-v{GEN_VERSION}-{profile}{mib}mib.json.gz"));
    let meta = path.with_extension("meta");
    if let Some(d) = load_meta(&path, &meta) {
        eprintln!("reusing {}", path.display());
        return Ok(d);
    }
    eprintln!("generating {} ({mib} MiB of JSON) ...", path.display());
    let started = Instant::now();
    let d = generate(&path, mib << 20, seed, reads)?;
    fs::write(&meta, to_meta(&d))?;
    eprintln!("  done in {:.1} s", started.elapsed().as_secs_f64());
    Ok(d)
}

/// Writes about `target` bytes of JSON, gzip-compressed on a second thread, to a
/// temporary name renamed to `path` once complete.
fn generate(path: &Path, target: u64, seed: u64, reads: Option<u32>) -> io::Result<Dataset> {
    let tmp = path.with_extension("partial");
    let (tx, rx) = mpsc::sync_channel::<Vec<u8>>(4);
    let out = File::create(&tmp)?;
    let writer = std::thread::spawn(move || -> io::Result<()> {
        let mut gz = GzEncoder::new(BufWriter::with_capacity(1 << 20, out), Compression::new(6));
        for chunk in rx {
            gz.write_all(&chunk)?;
        }
        gz.finish()?.flush()
    });
    let mut d = Dataset {
        path: path.to_path_buf(),
        ..Dataset::default()
    };
    let mut c = Ctx::new(seed);
    if let Some(weight) = reads {
        c.read_weight = weight;
    }
    let mut ev = Ev::default();
    let mut chunk = String::with_capacity(CHUNK + (64 << 10));
    chunk.push_str("{\"Records\":[");
    let mut pending: Option<(String, Kind, u64)> = None;
    while d.json_bytes + (chunk.len() as u64) < target {
        if d.records > 0 {
            chunk.push(',');
        }
        let start = chunk.len();
        let kind = match pending.take() {
            Some((text, kind, 0)) => {
                chunk.push_str(&text);
                d.repeats += 1;
                if kind == Kind::CognitoWrite {
                    d.cognito_write_repeats += 1;
                }
                kind
            }
            Some((text, kind, wait)) => {
                pending = Some((text, kind, wait - 1));
                fresh(&mut c, &mut ev, &mut chunk, &mut d)
            }
            None => {
                let kind = fresh(&mut c, &mut ev, &mut chunk, &mut d);
                let p = if kind == Kind::CognitoWrite {
                    COGNITO_DUPLICATE
                } else {
                    DUPLICATE
                };
                if c.rng.chance(p) {
                    pending = Some((chunk[start..].to_string(), kind, c.rng.range(0, 30)));
                }
                kind
            }
        };
        d.records += 1;
        if kind != Kind::Other {
            d.cognito += 1;
        }
        d.largest_record = d.largest_record.max((chunk.len() - start) as u64);
        if chunk.len() >= CHUNK {
            d.json_bytes += chunk.len() as u64;
            let full = std::mem::replace(&mut chunk, String::with_capacity(CHUNK + (64 << 10)));
            if tx.send(full.into_bytes()).is_err() {
                break;
            }
        }
    }
    chunk.push_str("]}");
    d.json_bytes += chunk.len() as u64;
    let _ = tx.send(chunk.into_bytes());
    drop(tx);
    writer
        .join()
        .map_err(|_| io::Error::other("compressing thread panicked"))??;
    fs::rename(&tmp, path)?;
    d.gz_bytes = fs::metadata(path)?.len();
    Ok(d)
}

/// Generates a new record (not a repeat) and counts it.
fn fresh(c: &mut Ctx, ev: &mut Ev, out: &mut String, d: &mut Dataset) -> Kind {
    let kind = next_record(c, ev, out);
    if kind == Kind::CognitoWrite {
        d.cognito_writes += 1;
    }
    kind
}

/// The sidecar text: one `key=value` per line.
fn to_meta(d: &Dataset) -> String {
    format!(
        "json_bytes={}\ngz_bytes={}\nrecords={}\ncognito={}\ncognito_writes={}\ncognito_write_repeats={}\nrepeats={}\nlargest_record={}\n",
        d.json_bytes,
        d.gz_bytes,
        d.records,
        d.cognito,
        d.cognito_writes,
        d.cognito_write_repeats,
        d.repeats,
        d.largest_record
    )
}

/// The dataset described by `meta`, if that file is readable and `path` has the
/// size it records.
fn load_meta(path: &Path, meta: &Path) -> Option<Dataset> {
    let text = fs::read_to_string(meta).ok()?;
    let get = |key: &str| -> Option<u64> {
        text.lines()
            .find_map(|l| l.strip_prefix(key)?.strip_prefix('='))?
            .parse()
            .ok()
    };
    let d = Dataset {
        path: path.to_path_buf(),
        json_bytes: get("json_bytes")?,
        gz_bytes: get("gz_bytes")?,
        records: get("records")?,
        cognito: get("cognito")?,
        cognito_writes: get("cognito_writes")?,
        cognito_write_repeats: get("cognito_write_repeats")?,
        repeats: get("repeats")?,
        largest_record: get("largest_record")?,
    };
    (fs::metadata(path).ok()?.len() == d.gz_bytes).then_some(d)
}

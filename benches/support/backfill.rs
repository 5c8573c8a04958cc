//! The backfill profile: the records of a generated file spread over ~20,000 small
//! gzip files laid out as CloudTrail writes them under `AWSLogs/`, as in a synced
//! copy of a trail bucket.

use std::fs::{self, File};
use std::io::{self, BufReader, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use cognito_trail_alerts::trail::{Framer, Item};
use flate2::read::MultiGzDecoder;
use flate2::write::GzEncoder;
use flate2::Compression;

use super::gen::Dataset;
use super::rng::Rng;

/// The account and region pairs files are spread over (one file per pair per
/// five minutes, as CloudTrail delivers).
const PLACES: [(&str, &str); 4] = [
    ("111122223333", "us-east-1"),
    ("111122223333", "eu-west-1"),
    ("444455556666", "us-east-1"),
    ("444455556666", "us-west-2"),
];

/// A generated backfill directory.
#[derive(Debug, Clone, Default)]
pub struct Backfill {
    pub dir: PathBuf,
    pub files: u64,
    pub records: u64,
    pub json_bytes: u64,
    pub gz_bytes: u64,
}

/// The backfill of `source` in about `files` files, generated unless a complete
/// one (its `.complete` marker beside it, written last) exists.
pub fn ensure(root: &Path, source: &Dataset, files: u64) -> io::Result<Backfill> {
    let stem = source
        .path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("trail");
    let stem = stem.trim_end_matches(".json.gz");
    let dir = root.join(format!("backfill-{stem}-{files}"));
    // Beside the directory, not in it: `gzip -dcr DIR` fails on a non-gzip file.
    let marker = dir.with_extension("complete");
    if let Ok(text) = fs::read_to_string(&marker) {
        let n: Vec<u64> = text
            .split_whitespace()
            .filter_map(|w| w.parse().ok())
            .collect();
        if let [files, records, json_bytes, gz_bytes] = n[..] {
            eprintln!("reusing {}", dir.display());
            return Ok(Backfill {
                dir,
                files,
                records,
                json_bytes,
                gz_bytes,
            });
        }
    }
    eprintln!("generating {} ({files} files) ...", dir.display());
    let started = Instant::now();
    let _ = fs::remove_dir_all(&dir);
    let b = split(source, &dir, files)?;
    let counts = format!(
        "{} {} {} {}\n",
        b.files, b.records, b.json_bytes, b.gz_bytes
    );
    fs::write(&marker, counts)?;
    eprintln!("  done in {:.1} s", started.elapsed().as_secs_f64());
    Ok(b)
}

/// Reads `source`'s records in order and writes them out a few at a time.
fn split(source: &Dataset, dir: &Path, files: u64) -> io::Result<Backfill> {
    let mut b = Backfill {
        dir: dir.to_path_buf(),
        ..Backfill::default()
    };
    let per_file = (source.records / files).max(1);
    let mut rng = Rng::new(source.records ^ 0xbac4_f111);
    let gz = MultiGzDecoder::new(BufReader::with_capacity(1 << 20, File::open(&source.path)?));
    let mut framer = Framer::new(gz);
    let mut doc: Vec<u8> = Vec::with_capacity(1 << 20);
    let mut in_doc = 0;
    let mut want = 1 + rng.below(2 * per_file as usize) as u64;
    while let Some(item) = framer.next_item().map_err(io::Error::other)? {
        let Item::Record(raw) = item else { continue };
        doc.extend_from_slice(if in_doc == 0 { b"{\"Records\":[" } else { b"," });
        doc.extend_from_slice(raw);
        in_doc += 1;
        b.records += 1;
        if in_doc == want {
            write_file(&mut b, &mut rng, &mut doc)?;
            in_doc = 0;
            want = 1 + rng.below(2 * per_file as usize) as u64;
        }
    }
    if in_doc > 0 {
        write_file(&mut b, &mut rng, &mut doc)?;
    }
    Ok(b)
}

/// Closes the document in `doc`, gzips it to the next file's path, clears `doc`.
fn write_file(b: &mut Backfill, rng: &mut Rng, doc: &mut Vec<u8>) -> io::Result<()> {
    doc.extend_from_slice(b"]}");
    let (account, region) = PLACES[(b.files % PLACES.len() as u64) as usize];
    // Five minutes per delivery, from 2026-11-01T00:00Z; days roll over.
    let minutes = (b.files / PLACES.len() as u64) * 5;
    let (day, hour, minute) = (1 + minutes / 1440, minutes / 60 % 24, minutes % 60);
    let folder = b.dir.join(format!(
        "AWSLogs/{account}/CloudTrail/{region}/2026/{:02}/{:02}",
        11 + (day - 1) / 30,
        1 + (day - 1) % 30
    ));
    fs::create_dir_all(&folder)?;
    let id: String = (0..16)
        .map(|_| {
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"[rng.below(62)] as char
        })
        .collect();
    let name = format!(
        "{account}_CloudTrail_{region}_2026{:02}{:02}T{hour:02}{minute:02}Z_{id}.json.gz",
        11 + (day - 1) / 30,
        1 + (day - 1) % 30
    );
    let mut gz = GzEncoder::new(Vec::with_capacity(doc.len() / 8), Compression::new(6));
    gz.write_all(doc)?;
    let bytes = gz.finish()?;
    fs::write(folder.join(name), &bytes)?;
    b.files += 1;
    b.json_bytes += doc.len() as u64;
    b.gz_bytes += bytes.len() as u64;
    doc.clear();
    Ok(())
}

/// Every `.json.gz` file under `dir`, in path order.
pub fn files(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.to_string_lossy().ends_with(".json.gz") {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

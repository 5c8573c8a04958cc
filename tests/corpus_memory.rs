//! The corpus's heavy cases scan in bounded memory: gzip bombs, a huge record and
//! deep nesting. A counting allocator measures the heap; this binary holds one test
//! so that nothing else allocates while it measures.

mod common;
mod corpus;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use cognito_trail_alerts::trail::MAX_RECORD_BYTES;

/// The system allocator, keeping the live heap size and its high-water mark.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let now = LIVE.fetch_add(by, Ordering::Relaxed) + by;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

// SAFETY: every call is forwarded to `System` unchanged; only sizes are counted.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            grew(new_size);
        }
        p
    }
}

#[global_allocator]
static HEAP: Counting = Counting;

const MIB: usize = 1 << 20;

/// Scans the named case; returns the heap growth during the scan and its duration.
fn measure(name: &str) -> (usize, Duration, u64) {
    let rules = corpus::rules();
    let case = corpus::all()
        .into_iter()
        .find(|c| c.name == name)
        .expect(name);
    let bytes = (case.build)();
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let started = Instant::now();
    let got = corpus::scan(&rules, name, bytes);
    let took = started.elapsed();
    let peak = PEAK.load(Ordering::Relaxed).saturating_sub(before);
    (peak, took, got.stats().json_bytes)
}

#[test]
fn heavy_cases_scan_in_bounded_memory() {
    // (case, heap bound, JSON bytes read): the framer's buffer (256 KiB, up to
    // 4 MiB + 512 KiB for a record being skipped) and about 2 MiB of read-ahead.
    let cases = [
        ("gzip-bomb-zeros.json.gz", 3 * MIB, 0),
        ("gzip-bomb-whitespace.json.gz", 3 * MIB, 32 * MIB as u64),
        (
            "huge-single-record.json",
            MAX_RECORD_BYTES + 3 * MIB,
            10 * MIB as u64,
        ),
        ("deep-nesting-in-record.json", 3 * MIB, 20_000),
    ];
    for (name, bound, read) in cases {
        let (peak, took, json_bytes) = measure(name);
        eprintln!(
            "{name}: heap +{} KiB, {took:?}, {json_bytes} JSON bytes",
            peak >> 10
        );
        assert!(peak < bound, "{name}: heap grew by {peak} bytes");
        assert!(json_bytes >= read, "{name}: read {json_bytes} JSON bytes");
    }
    // The 1 GiB bomb stops at its first byte instead of inflating it all.
    let (_, took, _) = measure("gzip-bomb-zeros.json.gz");
    assert!(took < Duration::from_secs(1), "{took:?}");
}

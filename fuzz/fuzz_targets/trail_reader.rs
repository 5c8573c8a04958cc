//! Any bytes as a trail file (gzip when they start with the magic number, else plain),
//! and the same bytes wrapped in gzip: never a panic, and every record read lands in
//! exactly one counter. The wrapping uses stored blocks: deflating every input cost
//! two thirds of the run time, and the decoder's paths are zlib-rs's, not ours.
#![no_main]

use std::io::{Cursor, Write};
use std::sync::OnceLock;

use cognito_trail_alerts::{engine, FileStats, Origin, RuleSet};
use libfuzzer_sys::fuzz_target;

fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| RuleSet::bundled().expect("bundled rules"))
}

fn check(bytes: Vec<u8>) {
    let origin = Origin::File {
        file: "fuzz".into(),
    };
    let mut alerts = 0u64;
    let stats: FileStats = match engine::scan(rules(), Cursor::new(bytes), &origin, |_| alerts += 1)
    {
        Ok(s) => s,
        Err(e) => {
            assert!(!e.reason.is_empty());
            *e.partial
        }
    };
    assert_eq!(
        stats.records,
        stats.matched + stats.unmatched + stats.duplicates + stats.record_errors
    );
    assert_eq!(stats.matched, alerts);
}

fuzz_target!(|data: &[u8]| {
    check(data.to_vec());
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::none());
    gz.write_all(data).unwrap();
    check(gz.finish().unwrap());
});

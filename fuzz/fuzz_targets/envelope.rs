//! Any JSON as a Lambda trigger payload: never a panic; every target has a bucket and
//! a key that round-trips through the decoder.
#![no_main]

use cognito_trail_alerts::entry::parse_trigger;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(event) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    if let Ok(units) = parse_trigger(&event) {
        for unit in units {
            if let Ok(targets) = unit.targets {
                for t in targets {
                    let _ = (t.bucket.len(), t.key.len(), t.skip, t.info);
                }
            }
        }
    }
});

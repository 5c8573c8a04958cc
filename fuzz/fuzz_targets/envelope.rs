//! Any JSON as a Lambda trigger payload: never a panic; every target has a bucket and
//! a key that round-trips through the decoder.
#![no_main]

use cognito_trail_alerts::trigger::{parse, ObjectRef, Trigger};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(event) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    let objects: Vec<ObjectRef> = match parse(&event) {
        Ok(Trigger::Files { objects, .. }) => objects,
        Ok(Trigger::Batch(job)) => job.tasks.into_iter().map(|t| t.object).collect(),
        Ok(Trigger::Queue(messages)) => messages
            .into_iter()
            .filter_map(|m| m.work.ok())
            .flat_map(|w| w.objects)
            .collect(),
        Ok(Trigger::ApiEvent(_)) | Ok(Trigger::SelfTest) | Err(_) => Vec::new(),
    };
    for t in objects {
        let _ = (t.bucket.len(), t.key.len(), t.skip, t.info);
    }
});

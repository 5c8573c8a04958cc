//! `cargo bench --bench change_sets`: what rendering a file's alerts as change
//! sets costs against rendering each alert as its own message (the baseline, what
//! the function did before change sets), in the same run. The function renders
//! once per file and topic, so this is CPU per file beside SNS round trips of
//! tens of milliseconds. A measurement, not a test: it always exits 0, and does
//! nothing unless run by `cargo bench` (which passes `--bench`).
//!
//! Cases: one Terraform apply (12 writes, one actor); 4 applies by 4 roles; 50
//! alerts of one actor (a set split into parts for Chatbot's limit).

use std::io::Cursor;
use std::time::{Duration, Instant};

use cognito_trail_alerts::notice::change_set::{change_sets, sns_parts, Window};
use cognito_trail_alerts::notice::{sns_message, Notice};
use cognito_trail_alerts::{scan, Alert, Origin, RuleSet};
use cognito_trail_alerts_testkit::files::trail_gz;
use cognito_trail_alerts_testkit::records::{terraform_apply, update_identity_pool, RecordExt};
use serde_json::{json, Value};

fn alerts_of(records: &[Value], rules: &RuleSet) -> Vec<Alert> {
    let origin = Origin::File {
        file: "bench.json.gz".into(),
    };
    let mut out = Vec::new();
    scan(rules, Cursor::new(trail_gz(records)), &origin, |a| {
        out.push(a)
    })
    .expect("scans");
    out
}

/// The median time of `f` over `runs` runs.
fn median(runs: usize, mut f: impl FnMut() -> usize) -> (Duration, usize) {
    let mut times = Vec::with_capacity(runs);
    let mut out = 0;
    for _ in 0..runs {
        let start = Instant::now();
        out = std::hint::black_box(f());
        times.push(start.elapsed());
    }
    times.sort();
    (times[runs / 2], out)
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let rules = RuleSet::bundled().expect("the bundled pack");
    let roles = ["deployer", "release-bot", "platform-ci", "data-ci"];
    let mut four = Vec::new();
    for (i, role) in roles.iter().enumerate() {
        let key = format!("ASIAQNZGKBENCH{i:06}");
        four.extend(terraform_apply(role, &key, &format!("r{i}"), i as u32 * 5));
    }
    let fifty: Vec<Value> = (0..50)
        .map(|i| {
            update_identity_pool(&format!("p-{i}"), false).with_params(
                json!({"identityPoolId": format!("eu-west-1:7c1ea0b2-0a4b-4e4e-9d52-{i:012}")}),
            )
        })
        .collect();
    let cases = [
        (
            "one Terraform apply",
            terraform_apply("deployer", "ASIAQNZGKDEPLOYER001", "tf", 0),
        ),
        ("four applies, four roles", four),
        ("50 alerts, one actor", fifty),
    ];
    println!("| case | alerts | per alert (baseline): messages, time | change sets: messages, time | ratio |");
    println!("|---|---:|---:|---:|---:|");
    for (name, records) in cases {
        let alerts = alerts_of(&records, &rules);
        let n = alerts.len();
        let (alone, alone_msgs) = median(201, || {
            let notices = alerts.iter().map(|a| Notice::Alert(Box::new(a.clone())));
            let messages = notices.map(|n| sns_message(&n));
            messages.filter(|m| !m.body.is_empty()).count()
        });
        let (sets, set_msgs) = median(201, || {
            let sets = change_sets(alerts.clone(), Window::DEFAULT);
            sets.iter().map(|s| sns_parts(s, None).len()).sum()
        });
        println!(
            "| {name} | {n} | {alone_msgs}, {:.1} µs | {set_msgs}, {:.1} µs | {:.2}x |",
            alone.as_secs_f64() * 1e6,
            sets.as_secs_f64() * 1e6,
            sets.as_secs_f64() / alone.as_secs_f64()
        );
    }
}

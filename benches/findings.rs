//! `cargo bench --bench findings`: what turning a file's alerts into Security Hub
//! findings (`asff_finding` for each, `import_batches`, and the JSON a call
//! sends) costs beside rendering each alert's SNS message (the baseline: what
//! the function does for every alert anyway), in the same run. A measurement,
//! not a test: it always exits 0, and does nothing unless run by `cargo bench`
//! (which passes `--bench`).
//!
//! Cases: one Terraform apply (12 alerts), 50 alerts (a file at
//! `MAX_ALERTS_PER_FILE`), 250 alerts (three calls).

use std::io::Cursor;
use std::time::{Duration, Instant};

use cognito_trail_alerts::findings::{asff_finding, import_batches, Importer};
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

/// The median time of `f` over `runs` runs, and its last answer.
fn median(runs: usize, mut f: impl FnMut() -> (usize, usize)) -> (Duration, (usize, usize)) {
    let mut times = Vec::with_capacity(runs);
    let mut out = (0, 0);
    for _ in 0..runs {
        let start = Instant::now();
        out = std::hint::black_box(f());
        times.push(start.elapsed());
    }
    times.sort();
    (times[runs / 2], out)
}

fn pools(n: usize) -> Vec<Value> {
    (0..n)
        .map(|i| {
            update_identity_pool(&format!("p-{i}"), true).with_params(
                json!({"identityPoolId": format!("eu-west-1:7c1ea0b2-0a4b-4e4e-9d52-{i:012}")}),
            )
        })
        .collect()
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let rules = RuleSet::bundled().expect("the bundled pack");
    let importer = Importer {
        account_id: "444455556666",
        region: "eu-west-1",
        updated_at: "2026-11-20T09:10:00Z",
    };
    let cases = [
        (
            "one Terraform apply",
            terraform_apply("deployer", "ASIAQNZGKDEPLOYER001", "tf", 0),
        ),
        ("50 alerts", pools(50)),
        ("250 alerts", pools(250)),
    ];
    println!("| case | alerts | SNS messages, one per alert (baseline): bytes, time | findings: calls, bytes, time | ratio |");
    println!("|---|---:|---:|---:|---:|");
    for (name, records) in cases {
        let alerts = alerts_of(&records, &rules);
        let n = alerts.len();
        let (sns, (_, sns_bytes)) = median(101, || {
            let bytes = alerts
                .iter()
                .map(|a| sns_message(&Notice::Alert(Box::new(a.clone()))).body.len())
                .sum();
            (n, bytes)
        });
        let (asff, (calls, asff_bytes)) = median(101, || {
            let findings = alerts.iter().map(|a| asff_finding(a, importer)).collect();
            let batches = import_batches(findings);
            let bytes = batches
                .iter()
                .map(|b| serde_json::to_vec(&b.findings).map_or(0, |v| v.len()))
                .sum();
            (batches.len(), bytes)
        });
        println!(
            "| {name} | {n} | {} KB, {:.0} µs | {calls}, {} KB, {:.0} µs | {:.2}x |",
            sns_bytes / 1000,
            sns.as_secs_f64() * 1e6,
            asff_bytes / 1000,
            asff.as_secs_f64() * 1e6,
            asff.as_secs_f64() / sns.as_secs_f64()
        );
    }
}

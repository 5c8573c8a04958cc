//! BatchImportFindings calls: 100 findings and 6 MB at most, one product each.

use super::*;

fn importer(account: &str) -> Importer<'_> {
    Importer {
        account_id: account,
        region: "eu-west-1",
        updated_at: "2026-11-20T09:10:00Z",
    }
}

/// `n` findings of distinct alerts (one alert, its event id varied).
fn findings(n: usize, account: &str) -> Vec<Value> {
    let mut a = alert(&create_client("seed"));
    (0..n)
        .map(|i| {
            a.event_id = Some(format!("00000000-0000-4000-8000-{i:012}"));
            asff_finding(&a, importer(account))
        })
        .collect()
}

fn ids(batch: &ImportBatch) -> Vec<String> {
    batch
        .findings
        .iter()
        .map(|f| f["Id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn two_hundred_and_fifty_alerts_make_three_calls() {
    let all = findings(250, ACCOUNT);
    let expected: Vec<Value> = all.iter().map(|f| f["Id"].clone()).collect();
    let batches = import_batches(all);
    let sizes: Vec<usize> = batches.iter().map(|b| b.findings.len()).collect();
    assert_eq!(sizes, [100, 100, 50]);
    let got: Vec<Value> = batches
        .iter()
        .flat_map(|b| b.findings.iter().map(|f| f["Id"].clone()))
        .collect();
    assert_eq!(got, expected, "every finding once, in order");
    for b in &batches {
        assert_eq!(b.product_arn, product_arn(ACCOUNT, "eu-west-1"));
        assert!(b.bytes() <= MAX_BATCH_BYTES);
    }
}

#[test]
fn a_call_stays_within_6_mb() {
    // Records of three-byte characters: findings of about 190 KB each.
    let mut a = alert(&create_client("seed"));
    a.request_parameters = Some(json!({"blob": "€".repeat(80_000)}));
    let big: Vec<Value> = (0..60)
        .map(|i| {
            a.event_id = Some(format!("big-{i}"));
            asff_finding(&a, importer(ACCOUNT))
        })
        .collect();
    let each = serde_json::to_vec(&big[0]).unwrap().len();
    assert!(each > 150_000 && each <= MAX_FINDING_BYTES, "{each}");
    let batches = import_batches(big);
    assert!(batches.len() >= 2, "{} calls", batches.len());
    assert_eq!(batches.iter().map(|b| b.findings.len()).sum::<usize>(), 60);
    for b in &batches {
        assert!(b.bytes() <= MAX_BATCH_BYTES, "{} bytes", b.bytes());
        assert!(b.findings.len() <= MAX_FINDINGS_PER_BATCH);
    }
    // Each call but the last is as full as 6 MB allows.
    assert!(batches[0].bytes() + each > MAX_BATCH_BYTES);
}

#[test]
fn findings_for_two_accounts_go_in_separate_calls() {
    let mut mixed = Vec::new();
    let (ours, theirs) = (findings(3, ACCOUNT), findings(2, "444455556666"));
    mixed.extend([
        ours[0].clone(),
        theirs[0].clone(),
        ours[1].clone(),
        theirs[1].clone(),
        ours[2].clone(),
    ]);
    let batches = import_batches(mixed);
    assert_eq!(batches.len(), 2);
    assert_eq!(batches[0].product_arn, product_arn(ACCOUNT, "eu-west-1"));
    assert_eq!(
        ids(&batches[0]),
        ours.iter()
            .map(|f| f["Id"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    );
    assert_eq!(
        batches[1].product_arn,
        product_arn("444455556666", "eu-west-1")
    );
    assert_eq!(batches[1].findings.len(), 2);
}

#[test]
fn no_findings_no_calls() {
    assert!(import_batches(Vec::new()).is_empty());
}

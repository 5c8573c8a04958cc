//! `BatchImportFindings` calls: findings grouped by the product they are imported
//! under (one account and region each), at most 100 and 6 MB a call.

use serde_json::Value;

/// Security Hub's limit of findings per `BatchImportFindings` call.
pub const MAX_FINDINGS_PER_BATCH: usize = 100;
/// Security Hub's limit for one call's findings (6 MB), in bytes of JSON.
pub const MAX_BATCH_BYTES: usize = 6_000_000;
/// `{"Findings":[` and `]}` around a call's findings.
const ENVELOPE_BYTES: usize = 16;

/// One call: the product ARN its findings share (which names the account and
/// region to call in) and the findings, in the order given.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportBatch {
    pub product_arn: String,
    pub findings: Vec<Value>,
}

impl ImportBatch {
    /// The request body's size: the findings' JSON, commas and envelope.
    pub fn bytes(&self) -> usize {
        ENVELOPE_BYTES + self.findings.iter().map(|f| size(f) + 1).sum::<usize>()
    }
}

fn size(finding: &Value) -> usize {
    serde_json::to_vec(finding).map_or(0, |b| b.len())
}

/// Splits `findings` (from `asff_finding`) into calls: grouped by `ProductArn`
/// (groups in order of first appearance, findings in the order given), a new
/// call whenever the next finding would make 101 findings or pass 6 MB. A
/// finding bigger than 6 MB by itself, which `asff_finding` never makes, goes
/// alone, for Security Hub to refuse.
pub fn import_batches(findings: Vec<Value>) -> Vec<ImportBatch> {
    let mut groups: Vec<(String, Vec<Value>)> = Vec::new();
    for f in findings {
        let arn = f["ProductArn"].as_str().unwrap_or_default().to_string();
        match groups.iter_mut().find(|(a, _)| *a == arn) {
            Some((_, list)) => list.push(f),
            None => groups.push((arn, vec![f])),
        }
    }
    let mut out = Vec::new();
    for (arn, list) in groups {
        let mut current = ImportBatch {
            product_arn: arn.clone(),
            findings: Vec::new(),
        };
        let mut bytes = ENVELOPE_BYTES;
        for f in list {
            let add = size(&f) + 1;
            let full = current.findings.len() == MAX_FINDINGS_PER_BATCH
                || (!current.findings.is_empty() && bytes + add > MAX_BATCH_BYTES);
            if full {
                let next = ImportBatch {
                    product_arn: arn.clone(),
                    findings: Vec::new(),
                };
                out.push(std::mem::replace(&mut current, next));
                bytes = ENVELOPE_BYTES;
            }
            bytes += add;
            current.findings.push(f);
        }
        if !current.findings.is_empty() {
            out.push(current);
        }
    }
    out
}

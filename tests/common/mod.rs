//! What the root crate's tests share beyond the testkit's builders (re-exported
//! here): a small rule set and the documentation's seed record.
#![allow(dead_code, unused_imports)] // each test binary uses a different subset

pub use cognito_trail_alerts_testkit::files::*;
pub use cognito_trail_alerts_testkit::records::*;
use serde_json::Value;

/// A small rule set independent of the bundled pack's contents: identity pool
/// writes, critical when they allow unauthenticated identities.
pub const RULES: &str = "rules:
  - id: identity-pool-writes
    title: Identity pool changed
    severity: medium
    description: An identity pool was changed.
    match:
      eventSource: cognito-identity.amazonaws.com
      eventName: [CreateIdentityPool, UpdateIdentityPool, DeleteIdentityPool]
    escalate:
      - severity: critical
        when: { requestParameters: { allowUnauthenticatedIdentities: { equals: true } } }
        say: Unauthenticated identities allowed.
";

/// The CreateIdentityPool record from the Cognito CloudTrail documentation (IAM user Alice).
pub fn seed_record() -> Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/seed-create-identity-pool.json"
    ))
    .expect("seed fixture");
    serde_json::from_str(&text).expect("seed fixture is JSON")
}

use super::*;
use crate::notice::{Notice, Unreadable};
use crate::{engine, Alert, Origin, RuleSet};
use cognito_trail_alerts_testkit::{records::update_identity_pool, trail};

const OWNER: &str = "container-a#1";
const OTHER: &str = "container-b#7";
const NOW: u64 = 1_795_165_361;

fn origin(key: &str) -> Origin {
    Origin::S3 {
        bucket: "trail-bucket".into(),
        key: key.into(),
    }
}

/// One rule, so that these tests do not depend on the bundled pack.
const RULES: &str = "rules:
  - id: cognito-identity.identity-pool.update
    title: Identity pool configuration replaced
    severity: medium
    description: UpdateIdentityPool replaces the whole configuration.
    match:
      eventSource: cognito-identity.amazonaws.com
      eventName: UpdateIdentityPool
";

/// The alerts the rules raise on a realistic trail file holding `records`.
fn alerts(key: &str, records: &[serde_json::Value]) -> Vec<Alert> {
    let doc = trail(records);
    let mut out = Vec::new();
    engine::scan(
        &RuleSet::from_yaml(RULES, "state-tests.yaml").unwrap(),
        std::io::Cursor::new(doc),
        &origin(key),
        |a| out.push(a),
    )
    .unwrap();
    out
}

fn key(pk: &str) -> Key {
    Key {
        pk: pk.into(),
        sk: "alert".into(),
    }
}

#[test]
fn status_covers_every_stored_state() {
    let claim = |owner: &str, lease: u64| Item {
        status: Status::InProgress,
        lease,
        owner: owner.into(),
        ttl: lease + CLAIM_TTL_SECS,
    };
    let sent = Item::completed(OTHER, NOW - 100);
    let cases = [
        (None, Claim::Free),
        (Some(sent.clone()), Claim::Sent),
        (
            Some(claim(OTHER, NOW + 30)),
            Claim::Held { until: NOW + 30 },
        ),
        (Some(claim(OTHER, NOW)), Claim::Held { until: NOW }),
        (Some(claim(OTHER, NOW - 1)), Claim::Expired),
        (Some(claim(OWNER, NOW + 30)), Claim::Ours),
        // TTL deletes within days: an item past it counts as gone.
        (
            Some(Item {
                ttl: NOW,
                ..sent.clone()
            }),
            Claim::Free,
        ),
    ];
    for (stored, want) in cases {
        assert_eq!(status(stored.as_ref(), OWNER, NOW), want, "{stored:?}");
    }
    assert!(Claim::Free.granted() && Claim::Expired.granted() && Claim::Ours.granted());
    assert!(!Claim::Sent.granted() && !Claim::Held { until: NOW }.granted());
}

#[test]
fn a_claim_is_exclusive_until_completed_or_its_lease_runs_out() {
    let table = FakeTable::default();
    let k = key("alert#111122223333#e-1");
    assert_eq!(table.claim(&k, OWNER, NOW), Claim::Free);
    let stored = table.get(&k).unwrap();
    assert_eq!(stored.status, Status::InProgress);
    assert_eq!(stored.lease, NOW + LEASE_SECS);
    // A second invocation, while the first is alive: held, and nothing written.
    assert_eq!(
        table.claim(&k, OTHER, NOW + 10),
        Claim::Held {
            until: NOW + LEASE_SECS
        }
    );
    assert_eq!(table.get(&k).unwrap().owner, OWNER);
    // The holder retries its own write (an answer lost on the way): still its own.
    assert_eq!(table.claim(&k, OWNER, NOW + 1), Claim::Ours);
    // Published: every later claim learns it was sent, for 14 days.
    table.complete(&k, OWNER, NOW + 2);
    assert_eq!(table.claim(&k, OTHER, NOW + 3), Claim::Sent);
    assert_eq!(
        table.claim(&k, OTHER, NOW + 2 + SENT_TTL_SECS - 1),
        Claim::Sent
    );
    assert_eq!(table.claim(&k, OTHER, NOW + 2 + SENT_TTL_SECS), Claim::Free);
}

#[test]
fn an_expired_claim_is_taken_over_and_the_old_holder_cannot_release_it() {
    let table = FakeTable::default();
    let k = key("alert#111122223333#e-2");
    table.claim(&k, OWNER, NOW);
    // The holder died: once the lease has run out the claim is taken over.
    assert_eq!(
        table.claim(&k, OTHER, NOW + LEASE_SECS),
        Claim::Held {
            until: NOW + LEASE_SECS
        }
    );
    assert_eq!(table.claim(&k, OTHER, NOW + LEASE_SECS + 1), Claim::Expired);
    assert_eq!(table.get(&k).unwrap().owner, OTHER);
    // The first holder, late, releases: the new holder's claim stays.
    assert!(!table.release(&k, OWNER));
    assert!(table.release(&k, OTHER));
    assert!(table.is_empty());
    // A completed notice is never released.
    table.complete(&k, OTHER, NOW);
    assert!(!table.release(&k, OTHER));
    assert_eq!(table.len(), 1);
}

#[test]
fn the_same_event_in_two_files_has_one_key() {
    let a = alerts(
        "AWSLogs/111122223333/CloudTrail/eu-west-1/2026/11/20/a.json.gz",
        &[update_identity_pool(
            "6c3f0e2a-1111-4d2b-9a59-0d4b8c1f2e3a",
            true,
        )],
    );
    let b = alerts(
        "AWSLogs/111122223333/CloudTrail/eu-west-1/2026/11/20/b.json.gz",
        &[
            update_identity_pool("0000-other", true),
            update_identity_pool("6c3f0e2a-1111-4d2b-9a59-0d4b8c1f2e3a", true),
        ],
    );
    let (first, second) = (
        Notice::Alert(Box::new(a[0].clone())),
        Notice::Alert(Box::new(b[1].clone())),
    );
    assert_ne!(a[0].source.origin, b[1].source.origin, "two files");
    let k = claim_key(&first, Some("etag-a"));
    assert_eq!(k, claim_key(&second, Some("etag-b")));
    assert_eq!(
        k,
        key("alert#111122223333#6c3f0e2a-1111-4d2b-9a59-0d4b8c1f2e3a")
    );
    assert_ne!(k, claim_key(&Notice::Alert(Box::new(b[0].clone())), None));
}

#[test]
fn alerts_without_a_usable_event_id_are_keyed_by_file_and_record() {
    let mut record = update_identity_pool("x", true);
    record.as_object_mut().unwrap().remove("eventID");
    let long = update_identity_pool(&"9".repeat(129), true);
    let got = alerts("k.json.gz", &[record, long]);
    let keys: Vec<Key> = got
        .into_iter()
        .map(|a| claim_key(&Notice::Alert(Box::new(a)), Some("v1")))
        .collect();
    assert_eq!(keys[0].pk, "object#s3://trail-bucket/k.json.gz#v1");
    assert_eq!(
        (keys[0].sk.as_str(), keys[1].sk.as_str()),
        ("record#0", "record#1")
    );
}

#[test]
fn file_notices_are_keyed_by_the_object_and_its_version() {
    let unreadable = |key: &str, reason: &str| {
        Notice::Unreadable(Unreadable {
            source: origin(key),
            account_id: Some("111122223333".into()),
            region: Some("eu-west-1".into()),
            reason: reason.into(),
            records_before_failure: 0,
        })
    };
    let k = claim_key(
        &unreadable("a.json.gz", "truncated"),
        Some("\"9b2cf535f27731c974343645a3985328\""),
    );
    assert_eq!(
        k,
        Key {
            pk: "object#s3://trail-bucket/a.json.gz#\"9b2cf535f27731c974343645a3985328\"".into(),
            sk: "unreadable".into()
        }
    );
    // The same object whatever the reason given; a new version is news again.
    assert_eq!(
        k,
        claim_key(
            &unreadable("a.json.gz", "AccessDenied"),
            Some("\"9b2cf535f27731c974343645a3985328\"")
        )
    );
    assert_ne!(
        k,
        claim_key(&unreadable("a.json.gz", "truncated"), Some("\"other\""))
    );
    assert_eq!(
        claim_key(&unreadable("a.json.gz", "NoSuchKey"), None).pk,
        "object#s3://trail-bucket/a.json.gz"
    );
    let digest = crate::notice::plan(
        alerts(
            "a.json.gz",
            &[
                update_identity_pool("e-1", true),
                update_identity_pool("e-2", true),
            ],
        ),
        1,
        &origin("a.json.gz"),
    );
    assert_eq!(digest.len(), 2);
    assert_eq!(claim_key(&digest[1], None).sk, "digest");
    assert_eq!(
        claim_key(&digest[1], None).pk,
        "object#s3://trail-bucket/a.json.gz"
    );
}

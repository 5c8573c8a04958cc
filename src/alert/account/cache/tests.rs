//! The account name cache's decisions: when to list, describe or ask nothing.

use super::*;

const T0: u64 = 1_800_000_000;

fn ids(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn listing(at: u64, pairs: &[(&str, &str)]) -> AccountListing {
    AccountListing {
        fetched: at,
        names: pairs
            .iter()
            .map(|(id, n)| (id.to_string(), n.to_string()))
            .collect(),
    }
}

#[test]
fn an_empty_cache_lists_then_knows_every_account_until_the_ttl() {
    let mut cache = AccountNameCache::default();
    let asked = ids(&["111122223333", "999999999999"]);
    assert_eq!(
        cache.plan(&asked, T0),
        NamePlan {
            list: true,
            describe: vec![]
        }
    );
    cache.listed(
        listing(T0, &[("111122223333", "prod-payments")]),
        &asked,
        T0,
    );
    assert!(cache.plan(&asked, T0 + 10).is_empty(), "the absent one too");
    assert_eq!(cache.name("111122223333", T0), Some(Some("prod-payments")));
    assert_eq!(cache.name("999999999999", T0), Some(None));
    assert_eq!(
        cache.at(T0).account_name("111122223333").as_deref(),
        Some("prod-payments")
    );
    assert_eq!(cache.at(T0).account_name("999999999999"), None);
    assert!(cache.plan(&asked, T0 + NAMES_TTL_SECS).list, "stale");
    assert_eq!(cache.name("111122223333", T0 + NAMES_TTL_SECS), None);
}

#[test]
fn an_account_an_older_listing_lacks_is_described_once() {
    let mut cache = AccountNameCache::default();
    cache.load(listing(T0 - 600, &[("111122223333", "prod-payments")]));
    assert_eq!(cache.unsaved(), None, "it came from the table");
    let asked = ids(&["111122223333", "444455556666"]);
    let plan = cache.plan(&asked, T0);
    assert_eq!((plan.list, plan.describe), (false, ids(&["444455556666"])));
    cache.described("444455556666".into(), Some("new-account".into()), T0);
    assert!(cache.plan(&asked, T0).is_empty());
    assert_eq!(cache.name("444455556666", T0), Some(Some("new-account")));
    let many: Vec<String> = (0..9).map(|i| format!("00000000000{i}")).collect();
    assert_eq!(cache.plan(&many, T0).describe.len(), MAX_DESCRIBES);
}

#[test]
fn a_failure_pauses_lookups_and_a_listing_resumes_them() {
    let mut cache = AccountNameCache::default();
    let asked = ids(&["111122223333"]);
    cache.failed(T0);
    assert!(cache.plan(&asked, T0 + FAILURE_PAUSE_SECS - 1).is_empty());
    assert!(cache.plan(&asked, T0 + FAILURE_PAUSE_SECS).list);
    cache.failed(T0);
    // A listing that finished late (after its lookup gave up) ends the pause.
    cache.listed(listing(T0 + 5, &[]), &[], T0 + 5);
    assert_eq!(
        cache.plan(&asked, T0 + 6).describe,
        asked,
        "not paused: the fresh listing lacks it"
    );
}

#[test]
fn a_listing_made_here_is_saved_once() {
    let mut cache = AccountNameCache::default();
    cache.listed(listing(T0, &[("1", "a")]), &[], T0);
    assert_eq!(cache.unsaved().map(|l| l.fetched), Some(T0));
    cache.saved(T0 - 1);
    assert!(cache.unsaved().is_some(), "another listing was saved");
    cache.saved(T0);
    assert_eq!(cache.unsaved(), None);
}

#[test]
fn freshness_allows_a_little_clock_skew_only() {
    let l = listing(T0, &[]);
    assert!(l.fresh(T0, 3600) && l.fresh(T0 + 3599, 3600));
    assert!(!l.fresh(T0 + 3600, 3600));
    assert!(l.fresh(T0 - 30, 3600), "stamped by a clock a little ahead");
    assert!(!l.fresh(T0 - 3000, 3600), "from the future: not trusted");
    let json = serde_json::to_string(&listing(T0, &[("1", "a")])).unwrap();
    assert_eq!(json, r#"{"fetched":1800000000,"names":{"1":"a"}}"#);
}

use std::collections::BTreeMap;

use serde_json::json;

use super::*;
use crate::alert::Source;
use crate::notice::{chatbot, text, Notice};
use crate::rules::RuleSet;
use crate::trail::Record;
use crate::Origin;
use cognito_trail_alerts_testkit::records::{self, RecordExt};

const IDP: &str = "cognito-idp.amazonaws.com";

const OWN: &str = "111122223333";
const MEMBER: &str = "444455556666";
const POOL: &str = "eu-west-1_Sh0pPoo1";

/// An AdminSetUserPassword alert as CloudTrail logs it: the user as
/// `additionalEventData.sub`, the user name hidden.
fn alert(account: &str, pool: Option<&str>, sub: &str) -> Alert {
    let mut params = json!({"username": "HIDDEN_DUE_TO_SECURITY_REASONS", "permanent": true});
    if let Some(pool) = pool {
        params["userPoolId"] = json!(pool);
    }
    let caller = json!({"type": "AssumedRole", "accountId": account,
        "arn": format!("arn:aws:sts::{account}:assumed-role/admin/jane")});
    let record = records::record(IDP, "AdminSetUserPassword", params, &format!("id-{sub}"))
        .by(caller)
        .set("recipientAccountId", json!(account))
        .set("additionalEventData", json!({"sub": sub}));
    let bytes = serde_json::to_vec(&record).unwrap();
    let record = Record::parse(&bytes).unwrap();
    let rules = RuleSet::from_yaml(
        "rules:\n  - {id: t, title: T, severity: medium, description: D, match: {eventSource: cognito-idp.amazonaws.com}}\n",
        "t.yaml",
    )
    .unwrap();
    let verdict = rules.evaluate(&record).unwrap();
    let origin = Origin::EventBridge {
        event_id: "e".into(),
    };
    Alert::new(
        &verdict,
        &record,
        Source {
            origin,
            record_index: 0,
        },
    )
}

fn policy(cross_account: bool, max_lookups: usize) -> Policy {
    Policy {
        own_account: Some(OWN.into()),
        cross_account,
        max_lookups,
    }
}

fn user(name: &str) -> CognitoUser {
    CognitoUser {
        username: name.into(),
        status: Some("CONFIRMED".into()),
        enabled: Some(true),
        created: Some("2026-01-05T10:00:00Z".into()),
        attributes: BTreeMap::new(),
    }
}

fn lookup(a: &Alert) -> &crate::alert::UserLookup {
    a.actor.user_lookup.as_ref().unwrap()
}

#[test]
fn one_lookup_per_distinct_user_within_the_bound() {
    let alerts: Vec<Alert> = ["s1", "s2", "s1", "s3", "s4"]
        .iter()
        .map(|s| alert(OWN, Some(POOL), s))
        .collect();
    let mut cache = UserCache::default();
    let mut lookups = Lookups::new(policy(false, 3));
    let asks = lookups.plan(&alerts, &mut cache, 1000);
    let subs: Vec<&str> = asks.iter().map(|(t, _)| t.sub.as_str()).collect();
    assert_eq!(subs, ["s1", "s2", "s3"]);
    assert!(asks.iter().all(|(t, via)| *via == Via::Own
        && t.region == "eu-west-1"
        && t.pool_id == POOL
        && t.account.as_deref() == Some(OWN)));
    for (t, _) in asks {
        let answer = match t.sub.as_str() {
            "s1" => Answer::Found(user("jane")),
            "s2" => Answer::NotFound,
            _ => Answer::Failed(Failure {
                cause: Cause::Throttled,
                detail: "TooManyRequestsException: Rate exceeded".into(),
            }),
        };
        lookups.record(t, answer, &mut cache, 1000);
    }
    // A second file in the same invocation: nothing asked again, s4 over the bound.
    assert!(lookups.plan(&alerts, &mut cache, 1001).is_empty());
    let mut alerts = alerts;
    alerts.iter_mut().for_each(|a| lookups.apply(a));
    let got: Vec<(LookupStatus, Option<String>)> = alerts
        .iter()
        .map(|a| (lookup(a).status, lookup(a).reason.clone()))
        .collect();
    assert_eq!(
        got,
        [
            (LookupStatus::Found, None),
            (LookupStatus::NotFound, None),
            (LookupStatus::Found, None),
            (
                LookupStatus::Failed,
                Some("throttled: TooManyRequestsException: Rate exceeded".into())
            ),
            (
                LookupStatus::Skipped,
                Some("the limit of 3 lookups per invocation was reached".into())
            ),
        ]
    );
    assert_eq!(lookup(&alerts[0]).user.as_ref().unwrap().username, "jane");
    assert!(lookup(&alerts[4]).hint.contains(r#"sub = "s4""#));
    // The container remembers the found and the deleted user, not the failure.
    assert_eq!(cache.len(), 2);
    assert_eq!(lookups.spent(), 3);
}

#[test]
fn a_failed_account_is_not_asked_again_in_the_invocation() {
    let mut cache = UserCache::default();
    let mut lookups = Lookups::new(policy(false, 10));
    let first = [alert(OWN, Some(POOL), "s1")];
    let (t, _) = lookups.plan(&first, &mut cache, 0).pop().unwrap();
    let denied = Failure {
        cause: Cause::AccessDenied,
        detail: "AccessDeniedException: not authorized to perform cognito-idp:ListUsers".into(),
    };
    lookups.record(t, Answer::Failed(denied), &mut cache, 0);
    let mut second = [alert(OWN, Some(POOL), "s2")];
    assert!(lookups.plan(&second, &mut cache, 0).is_empty());
    lookups.apply(&mut second[0]);
    let reason = lookup(&second[0]).reason.clone().unwrap();
    assert!(
        reason.starts_with("AccessDenied: AccessDeniedException")
            && reason.contains("an earlier lookup in this account failed"),
        "{reason}"
    );
    // The next invocation tries again.
    let mut next = Lookups::new(policy(false, 10));
    assert_eq!(next.plan(&second, &mut cache, 0).len(), 1);
}

#[test]
fn other_accounts_need_the_role() {
    let mut cache = UserCache::default();
    let mut alerts = [
        alert(MEMBER, Some(POOL), "s1"),
        alert(OWN, None, "s2"),
        alert(OWN, Some(POOL), r#"x" or username ^= "a"#),
    ];
    let mut lookups = Lookups::new(policy(false, 10));
    assert!(lookups.plan(&alerts, &mut cache, 0).is_empty());
    alerts.iter_mut().for_each(|a| lookups.apply(a));
    assert_eq!(lookup(&alerts[0]).status, LookupStatus::Skipped);
    assert_eq!(
        lookup(&alerts[0]).reason.as_deref(),
        Some("the pool is in account 444455556666, not the function's (111122223333): set ENRICH_ROLE_NAME to look up users in other accounts")
    );
    assert_eq!(
        lookup(&alerts[1]).reason.as_deref(),
        Some("the request names no user pool")
    );
    assert_eq!(
        lookup(&alerts[2]).reason.as_deref(),
        Some("the sub is not a Cognito user sub")
    );
    let mut lookups = Lookups::new(policy(true, 10));
    let asks = lookups.plan(&alerts, &mut cache, 0);
    assert_eq!(
        asks.iter().map(|(_, v)| v.clone()).collect::<Vec<_>>(),
        [Via::Role {
            account: MEMBER.into()
        }]
    );
    assert_eq!(
        role_arn(MEMBER, "eu-west-1", "cta-user-lookup"),
        "arn:aws:iam::444455556666:role/cta-user-lookup"
    );
    assert_eq!(
        role_arn(MEMBER, "cn-north-1", "r"),
        "arn:aws-cn:iam::444455556666:role/r"
    );
}

#[test]
fn the_cache_is_bounded_and_forgets_after_its_ttl() {
    let user_ref = |sub: &str| UserRef {
        account: Some(OWN.into()),
        region: "eu-west-1".into(),
        pool_id: POOL.into(),
        sub: sub.into(),
    };
    let mut cache = UserCache::new(2, 600);
    cache.put(user_ref("a"), Answer::Found(user("a")), 0);
    cache.put(user_ref("b"), Answer::NotFound, 0);
    cache.put(
        user_ref("x"),
        Answer::Failed(Failure {
            cause: Cause::Timeout,
            detail: "no answer within 1 s".into(),
        }),
        0,
    );
    assert_eq!(cache.len(), 2, "failures are not remembered");
    assert_eq!(
        cache.get(&user_ref("a"), 599),
        Some(Answer::Found(user("a")))
    );
    assert_eq!(cache.get(&user_ref("a"), 600), None, "expired");
    cache.put(user_ref("c"), Answer::NotFound, 600);
    cache.put(user_ref("d"), Answer::NotFound, 600);
    assert_eq!(
        cache.get(&user_ref("b"), 601),
        None,
        "the oldest went first"
    );
    assert_eq!(cache.len(), 2);
    // A cached answer is used without asking, in another invocation.
    let mut lookups = Lookups::new(policy(false, 10));
    let mut alerts = [alert(OWN, Some(POOL), "c")];
    assert!(lookups.plan(&alerts, &mut cache, 700).is_empty());
    lookups.apply(&mut alerts[0]);
    assert_eq!(lookup(&alerts[0]).status, LookupStatus::NotFound);
}

#[test]
fn every_rendering_shows_the_user_escaped() {
    let mut a = alert(OWN, Some(POOL), "5f3c2d1e");
    let mut found = user("<!channel> `x` @here\u{1b}[31m");
    found
        .attributes
        .insert("email".into(), "a&b@example.com".into());
    let mut cache = UserCache::default();
    let mut lookups = Lookups::new(policy(false, 10));
    let (t, _) = lookups.plan([&a], &mut cache, 0).pop().unwrap();
    lookups.record(t, Answer::Found(found), &mut cache, 0);
    lookups.apply(&mut a);
    let notice = Notice::Alert(Box::new(a.clone()));
    let email = text(&notice);
    let line = email.lines().find(|l| l.contains("user ")).unwrap();
    assert_eq!(
        line,
        "  user       sub 5f3c2d1e — <!channel> `x` @here\\u{1b}[31m (CONFIRMED, enabled, created 2026-01-05T10:00:00Z, email a&b@example.com)"
    );
    let slack = chatbot(&notice)["content"]["description"]
        .as_str()
        .unwrap()
        .to_string();
    let line = slack.lines().find(|l| l.starts_with("*User*")).unwrap();
    assert_eq!(
        line,
        "*User*: sub `5f3c2d1e` is `&lt;!channel&gt; ‵x‵ @\u{200b}here [31m` (`CONFIRMED`, enabled, created `2026-01-05T10:00:00Z`, `email` `a&amp;b@\u{200b}example.com`)"
    );
    assert!(!slack.contains("Find the user"), "found: no hint needed");
    let json = notice.json();
    assert_eq!(json["actor"]["user_lookup"]["status"], "found");
    assert_eq!(
        json["actor"]["user_lookup"]["user"]["username"],
        "<!channel> `x` @here\u{1b}[31m"
    );
    assert!(json["actor"]["user_lookup"]["hint"]
        .as_str()
        .unwrap()
        .contains("--user-pool-id eu-west-1_Sh0pPoo1"));
}

#[test]
fn not_found_and_failures_keep_the_hint_in_every_rendering() {
    let mut a = alert(OWN, Some(POOL), "gone");
    let mut cache = UserCache::default();
    let mut lookups = Lookups::new(policy(false, 10));
    let (t, _) = lookups.plan([&a], &mut cache, 0).pop().unwrap();
    lookups.record(t, Answer::NotFound, &mut cache, 0);
    lookups.apply(&mut a);
    let notice = Notice::Alert(Box::new(a));
    let email = text(&notice);
    assert!(
        email.contains("sub gone — not found (deleted?); find it with ListUsers"),
        "{email}"
    );
    let slack = chatbot(&notice);
    let description = slack["content"]["description"].as_str().unwrap();
    assert!(
        description.contains("*User*: sub `gone`: `not found (deleted?)`"),
        "{description}"
    );
    assert!(slack["content"]["nextSteps"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s.as_str().unwrap().starts_with("Find the user: `ListUsers")));
    assert_eq!(notice.json()["actor"]["user_lookup"]["status"], "not_found");
}

//! User lookups end to end (`ENRICH_USERS`): the function, built as `main` builds
//! it, against LocalStack (S3, SNS, SQS, CloudWatch) and moto's Cognito and STS
//! behind the routing proxy, which also injects Cognito's failures. Each case
//! uploads a trail file of user-specific admin writes and reads the alerts that
//! reach the queue: the user found, deleted, disabled; access denied, throttled,
//! slow (the time budget holds); a member account's pool through the role.

mod common;

use std::time::{Duration, Instant};

use common::faults::Service;
use common::proxy::{Fault, Rule};
use common::state::router;
use common::users::{admin_write, Pool};
use common::*;
use serde_json::Value;

const MEMBER: &str = "444455556666";

/// Uploads `records` as one trail file, invokes `app` on it, and returns the
/// `actor.user_lookup` of each alert delivered (by event id), and how long the
/// invocation took.
async fn run(
    world: &World,
    app: &cognito_trail_alerts_lambda::LambdaApp,
    name: &str,
    records: &[Value],
) -> (Vec<(String, Value)>, Duration) {
    let key = trail_key("", None, name);
    world.put(&key, trail_gz(records)).await;
    let start = Instant::now();
    app.handle(s3_event(&world.bucket, &[&key])).await.unwrap();
    let took = start.elapsed();
    let mut got: Vec<(String, Value)> = world
        .delivered(records.len())
        .await
        .into_iter()
        .map(|(_, a)| {
            let id = a["event_id"].as_str().unwrap().to_string();
            (id, a["actor"]["user_lookup"].clone())
        })
        .collect();
    got.sort_by(|a, b| a.0.cmp(&b.0));
    (got, took)
}

fn own() -> Vec<(&'static str, &'static str)> {
    vec![("ENRICH_USERS", "true"), ("ENRICH_ACCOUNT_ID", ACCOUNT)]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn found_deleted_and_disabled_users() {
    let (world, proxy) = (World::new("users").await, router().await);
    let pool = Pool::create(&world.name).await;
    let jane = pool.add_user("jane.doe", "jane@example.com").await;
    let gone = pool.add_user("old.account", "old@example.com").await;
    let off = pool.add_user("<!channel> mallory", "m@example.com").await;
    pool.delete("old.account").await;
    pool.disable("<!channel> mallory").await;
    let mut settings = own();
    settings.push(("ENRICH_USER_ATTRIBUTES", "email"));
    let app = world.function_with(&proxy.url(), &settings).await;
    let records = [
        admin_write("u-1", "AdminSetUserPassword", ACCOUNT, &pool.id, &jane),
        admin_write("u-2", "AdminUpdateUserAttributes", ACCOUNT, &pool.id, &gone),
        admin_write("u-3", "AdminDisableUser", ACCOUNT, &pool.id, &off),
    ];
    let (got, _) = run(&world, &app, "Us3rsF0undG0ne01", &records).await;
    assert_eq!(got.len(), 3, "{got:?}");
    let found = &got[0].1;
    assert_eq!(found["status"], "found", "{found}");
    assert_eq!(found["user"]["username"], "jane.doe");
    assert_eq!(found["user"]["enabled"], true);
    assert!(found["user"]["created"].as_str().unwrap().ends_with('Z'));
    assert!(found["user"]["status"].is_string());
    // Only what ENRICH_USER_ATTRIBUTES asks for: the email, not the phone number.
    assert_eq!(
        found["user"]["attributes"],
        serde_json::json!({"email": "jane@example.com"})
    );
    assert!(found["hint"].as_str().unwrap().contains(&jane));
    assert_eq!(got[1].1["status"], "not_found");
    assert_eq!(got[2].1["status"], "found");
    assert_eq!(got[2].1["user"]["enabled"], false);
    assert_eq!(got[2].1["user"]["username"], "<!channel> mallory");
    let lookups: Vec<_> = proxy
        .seen()
        .into_iter()
        .filter(|s| s.service == Some(Service::Cognito))
        .map(|s| s.operation)
        .collect();
    assert_eq!(lookups, ["ListUsers"; 3]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn access_denied_throttled_and_slow_lookups_are_said_and_never_hold_alerts() {
    let (world, proxy) = (World::new("users-faults").await, router().await);
    let pool = Pool::create(&world.name).await;
    let subs = [
        pool.add_user("a", "a@example.com").await,
        pool.add_user("b", "b@example.com").await,
        pool.add_user("c", "c@example.com").await,
    ];
    let app = world.function_with(&proxy.url(), &own()).await;
    let records = |tag: &str| -> Vec<Value> {
        subs.iter()
            .enumerate()
            .map(|(i, s)| {
                admin_write(
                    &format!("{tag}-{i}"),
                    "AdminSetUserPassword",
                    ACCOUNT,
                    &pool.id,
                    s,
                )
            })
            .collect()
    };
    let cognito = |fault| Rule::new(Service::Cognito, fault, 10).op("ListUsers");

    proxy.inject(cognito(Fault::Error("AccessDeniedException")));
    let (got, _) = run(&world, &app, "Us3rsDen1ed00001", &records("denied")).await;
    let reasons: Vec<&str> = got
        .iter()
        .map(|(_, l)| l["reason"].as_str().unwrap())
        .collect();
    assert!(got.iter().all(|(_, l)| l["status"] == "failed"), "{got:?}");
    assert!(
        reasons
            .iter()
            .all(|r| r.starts_with("AccessDenied: AccessDeniedException")),
        "{reasons:?}"
    );

    proxy.heal();
    proxy.inject(cognito(Fault::Error("TooManyRequestsException")));
    let (got, _) = run(&world, &app, "Us3rsThr0ttled01", &records("throttled")).await;
    assert!(got.iter().all(|(_, l)| l["status"] == "failed"), "{got:?}");
    let reason = got[0].1["reason"].as_str().unwrap();
    assert!(
        reason.starts_with("throttled: TooManyRequestsException"),
        "{reason}"
    );
    assert!(got[0].1["hint"].as_str().unwrap().contains("list-users"));

    // Cognito answers after 5 s: each lookup gives up at 1 s, in parallel.
    proxy.heal();
    proxy.inject(cognito(Fault::Delay(Duration::from_secs(5))));
    let (got, took) = run(&world, &app, "Us3rsSl0wC0gn1t0", &records("slow")).await;
    assert!(got.iter().all(|(_, l)| l["status"] == "failed"), "{got:?}");
    assert_eq!(
        got[0].1["reason"],
        "timeout: no answer from ListUsers within 1000 ms"
    );
    assert!(
        took < Duration::from_secs(4),
        "the invocation took {took:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_accounts_pool_through_the_role_and_not_without_it() {
    let (world, proxy) = (World::new("users-org").await, router().await);
    let pool = Pool::create_in(MEMBER, &world.name).await;
    let sub = pool.add_user("member.user", "mu@example.com").await;
    let record = |id: &str| {
        [admin_write(
            id,
            "AdminSetUserPassword",
            MEMBER,
            &pool.id,
            &sub,
        )]
    };

    let without = world.function_with(&proxy.url(), &own()).await;
    let (got, _) = run(&world, &without, "Us3rsN0R0le00001", &record("org-1")).await;
    assert_eq!(got[0].1["status"], "skipped");
    assert_eq!(
        got[0].1["reason"],
        "the pool is in account 444455556666, not the function's (111122223333): \
         set ENRICH_ROLE_NAME to look up users in other accounts"
    );

    let mut settings = own();
    settings.extend([
        ("ENRICH_ROLE_NAME", "cognito-trail-alerts-user-lookup"),
        ("ENRICH_EXTERNAL_ID", "o-a1b2c3d4e5"),
    ]);
    let with = world.function_with(&proxy.url(), &settings).await;
    // The member account refuses the role first: the alert says so.
    proxy.inject(Rule::new(Service::Sts, Fault::Error("AccessDenied"), 1).op("AssumeRole"));
    let (got, _) = run(&world, &with, "Us3rsR0leDen1ed1", &record("org-denied")).await;
    assert_eq!(got[0].1["status"], "failed", "{got:?}");
    let reason = got[0].1["reason"].as_str().unwrap();
    assert!(
        reason.starts_with(
            "AccessDenied: assuming arn:aws:iam::444455556666:role/cognito-trail-alerts-user-lookup"
        ),
        "{reason}"
    );
    let (got, _) = run(&world, &with, "Us3rsW1thR0le001", &record("org-2")).await;
    assert_eq!(got[0].1["status"], "found", "{got:?}");
    assert_eq!(got[0].1["user"]["username"], "member.user");
    // The pool exists in the member account only: the role's credentials found it.
    let seen: Vec<_> = proxy
        .seen()
        .into_iter()
        .map(|s| (s.service, s.operation))
        .collect();
    assert!(
        seen.contains(&(Some(Service::Sts), "AssumeRole".to_string())),
        "{seen:?}"
    );
}

/// The pool of the member account is not visible to the function's own
/// credentials: what makes the role case above prove anything.
#[tokio::test]
async fn member_pools_are_invisible_to_the_own_account() {
    let name = format!("cta-users-iso-{}", std::process::id());
    let member = Pool::create_in(MEMBER, &name).await;
    let own = Pool::create(&format!("{name}-own")).await;
    let err = own
        .client
        .list_users()
        .user_pool_id(&member.id)
        .send()
        .await
        .unwrap_err();
    let text = format!("{:?}", err.into_service_error());
    assert!(text.contains("ResourceNotFound"), "{text}");
}

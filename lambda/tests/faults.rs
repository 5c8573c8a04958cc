//! Fault injection: the function, built as in production (`build_with`, the same
//! timeouts and retries), talks to LocalStack through a proxy that fails, slows,
//! breaks or partly answers its requests. Whatever happens, every alert is
//! delivered, or the invocation fails so that Lambda retries it: never lost behind a
//! success. Each case counts the duplicates a retry costs; the table is printed
//! and written to `target/tmp/faults.md`. Every case runs without and with the
//! state store (a DynamoDB table in moto, behind the same proxy), and DynamoDB's
//! own faults run with it.

mod common;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use cognito_trail_alerts::claim::{Item, Key, LEASE_SECS};
use cognito_trail_alerts_lambda::clock::Clock;
use cognito_trail_alerts_lambda::LambdaApp;
use common::faults::Service::{self, CloudWatch, DynamoDb, Sns, S3};
use common::proxy::{Fault, Proxy, Rule};
use common::state::moto_endpoint;
use common::*;
use serde_json::Value;

/// Seconds since the epoch, as the function reads them.
fn now() -> u64 {
    Clock::system().unix_secs()
}

/// Alerts in the two files of every case: 12 (two PublishBatch calls) and 3.
const FIRST: usize = 12;
const SECOND: usize = 3;

/// How the retry after a failed invocation runs.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Retry {
    /// The same container (its memory of sent alerts intact).
    Warm,
    /// A new container.
    Cold,
}

struct Case {
    name: &'static str,
    rules: Vec<Rule>,
    /// Whether the first invocation succeeds.
    first_ok: bool,
    retry: Retry,
    /// Alerts delivered twice, in all.
    duplicates: usize,
    /// The function has a state store.
    store: bool,
    /// Alerts of the first file whose claims another, live invocation holds when
    /// the case starts; healing the faults makes that invocation die.
    held: usize,
}

fn case(name: &'static str, rules: Vec<Rule>, first_ok: bool, duplicates: usize) -> Case {
    Case {
        name,
        rules,
        first_ok,
        retry: Retry::Warm,
        duplicates,
        store: false,
        held: 0,
    }
}

fn cold(mut c: Case) -> Case {
    c.retry = Retry::Cold;
    c
}

fn stored(mut c: Case) -> Case {
    c.store = true;
    c
}

/// A case of [`cases`] again with the state store. The one duplicate window left
/// is an SNS answer lost after SNS published: the SDK sends that PublishBatch
/// again, inside one claim.
fn with_store(c: Case) -> Case {
    let duplicates = if c.name == "SNS answer lost" { 10 } else { 0 };
    Case {
        duplicates,
        ..stored(c)
    }
}

/// Faults of the state store itself: none loses an alert; a store that is down
/// costs what no store costs (the last case: a cold retry re-sends everything).
fn store_cases() -> Vec<Case> {
    use Fault::*;
    let down = || on(DynamoDb, Error("InternalServerError"), 1000);
    let held = |retry: fn(Case) -> Case| {
        let mut c = retry(stored(case(
            "3 claims held by a live invocation",
            vec![],
            false,
            0,
        )));
        c.held = 3;
        c
    };
    vec![
        stored(case(
            "DynamoDB throttled twice",
            vec![on(
                DynamoDb,
                Error("ProvisionedThroughputExceededException"),
                2,
            )],
            true,
            0,
        )),
        stored(case("DynamoDB 500 always (down)", vec![down()], true, 0)),
        stored(case(
            "DynamoDB no answer",
            vec![on(DynamoDb, Stall, 1)],
            true,
            0,
        )),
        stored(case(
            "DynamoDB no answer, always",
            vec![on(DynamoDb, Stall, 1000)],
            true,
            0,
        )),
        stored(case(
            "DynamoDB connection reset",
            vec![on(DynamoDb, Reset, 1)],
            true,
            0,
        )),
        stored(case(
            "claim written, answer lost",
            vec![on(DynamoDb, LoseResponse, 1).op("PutItem")],
            true,
            0,
        )),
        stored(case(
            "completion written, answer lost",
            vec![on(DynamoDb, LoseResponse, 1).op("BatchWriteItem")],
            true,
            0,
        )),
        stored(case(
            "completions fail always",
            vec![on(DynamoDb, Error("InternalServerError"), 1000).op("BatchWriteItem")],
            true,
            0,
        )),
        held(|c| c),
        held(cold),
        stored(cold(case(
            "DynamoDB down and CloudWatch throttled always",
            vec![down(), on(CloudWatch, Error("Throttling"), 1000)],
            false,
            FIRST + SECOND,
        ))),
    ]
}

fn on(service: Service, fault: Fault, times: usize) -> Rule {
    Rule::new(service, fault, times)
}

fn entries(positions: &[usize], sender: bool) -> Fault {
    Fault::FailEntries {
        positions: positions.to_vec(),
        sender,
    }
}

fn cases() -> Vec<Case> {
    use Fault::*;
    let ms = Duration::from_millis;
    vec![
        case("no fault", vec![], true, 0),
        case(
            "S3 500 once",
            vec![on(S3, Error("InternalError"), 1)],
            true,
            0,
        ),
        case(
            "S3 SlowDown twice",
            vec![on(S3, Error("SlowDown"), 2)],
            true,
            0,
        ),
        case(
            "S3 500 always",
            vec![on(S3, Error("InternalError"), 1000)],
            false,
            0,
        ),
        case("S3 connection reset", vec![on(S3, Reset, 1)], true, 0),
        case(
            "S3 body cut mid-file",
            vec![on(S3, CutBody(8 << 10), 1)],
            false,
            0,
        ),
        case("S3 slow (1.5 s)", vec![on(S3, Delay(ms(1500)), 2)], true, 0),
        case("S3 no answer", vec![on(S3, Stall, 1)], true, 0),
        case(
            "SNS 500 once",
            vec![on(Sns, Error("InternalError"), 1)],
            true,
            0,
        ),
        case(
            "SNS throttled 4 times",
            vec![on(Sns, Error("Throttling"), 4)],
            true,
            0,
        ),
        case(
            "SNS down",
            vec![on(Sns, Error("InternalError"), 1000)],
            false,
            0,
        ),
        case("SNS connection reset", vec![on(Sns, Reset, 1)], true, 0),
        case("SNS answer lost", vec![on(Sns, LoseResponse, 1)], true, 10),
        case(
            "SNS slow (1.5 s)",
            vec![on(Sns, Delay(ms(1500)), 2)],
            true,
            0,
        ),
        case("SNS no answer", vec![on(Sns, Stall, 1)], true, 0),
        case(
            "PublishBatch 2 entries failed",
            vec![on(Sns, entries(&[1, 6], false), 1)],
            true,
            0,
        ),
        case(
            "PublishBatch entry missing from the answer",
            vec![on(Sns, DropEntries(vec![3]), 1)],
            true,
            0,
        ),
        case(
            "PublishBatch entry rejected",
            vec![on(Sns, entries(&[0], true), 1)],
            false,
            0,
        ),
        case(
            "SNS down after the first file",
            vec![on(Sns, Error("InternalError"), 1000).after(2)],
            false,
            0,
        ),
        cold(case(
            "SNS down after the first file",
            vec![on(Sns, Error("InternalError"), 1000).after(2)],
            false,
            FIRST,
        )),
        case(
            "CloudWatch 500 once",
            vec![on(CloudWatch, Error("InternalServiceFault"), 1)],
            true,
            0,
        ),
        case(
            "CloudWatch throttled always",
            vec![on(CloudWatch, Error("Throttling"), 1000)],
            false,
            0,
        ),
        cold(case(
            "CloudWatch throttled always",
            vec![on(CloudWatch, Error("Throttling"), 1000)],
            false,
            FIRST + SECOND,
        )),
    ]
}

/// The function as `main` builds it, with its SDK clients pointed at `proxy`.
async fn app_through(proxy: &Proxy, world: &World) -> LambdaApp {
    world.function(&proxy.url(), &world.topic_arn, 50).await
}

/// Claims on the first `n` alerts by an invocation that is alive (`alive`) or
/// died a lease ago.
async fn hold(world: &World, n: usize, alive: bool) {
    let at = if alive { now() } else { now() - LEASE_SECS - 1 };
    for i in 0..n {
        let key = Key {
            pk: format!("alert#{ACCOUNT}#alert-{i:02}"),
            sk: "alert".into(),
        };
        world
            .table()
            .put(&key, &Item::claim("other-container#1", at))
            .await;
    }
}

/// A row of the report.
struct Row {
    name: String,
    store: bool,
    first: String,
    faults: usize,
    requests: usize,
    dynamodb: usize,
    delivered: usize,
    duplicates: usize,
    seconds: f64,
}

async fn run(c: Case) -> Row {
    let world = if c.store {
        World::with_state("faults").await
    } else {
        World::new("faults").await
    };
    let files = [("first", 0, FIRST), ("second", FIRST, SECOND)];
    let mut keys = Vec::new();
    let mut want = BTreeSet::new();
    for (name, from, count) in files {
        // Enough other traffic that the files span several reads (a cut body then
        // breaks a download under way, after the SDK has handed it over).
        let mut records: Vec<Value> = (0..4000).map(|i| noise(&format!("{name}-{i}"))).collect();
        for i in from..from + count {
            let id = format!("alert-{i:02}");
            // Each by its own actor: one message each, so that entries can fail.
            let record = cognito(&id, "UpdateIdentityPool", "shop", false);
            records.push(own_actor(record, i));
            want.insert(id);
        }
        let key = trail_key("", None, name);
        world.put(&key, trail_gz(&records)).await;
        keys.push(key);
    }
    let event = s3_event(&world.bucket, &[&keys[0], &keys[1]]);
    let proxy = Proxy::start_routed(endpoint(), moto_endpoint()).await;
    for rule in c.rules {
        proxy.inject(rule);
    }
    hold(&world, c.held, true).await;
    let started = Instant::now();
    let app = app_through(&proxy, &world).await;
    let first = app.handle(event.clone()).await;
    let first_text = match &first {
        Ok(_) => "success".to_string(),
        Err(e) => format!("failed: {}", short(&e.to_string())),
    };
    if std::env::var_os("FAULT_TRACE").is_some() {
        eprintln!("{}: {first:?} {:#?}", c.name, proxy.seen());
    }
    assert_eq!(first.is_ok(), c.first_ok, "{}: {first_text}", c.name);
    if first.is_err() {
        // The fault is gone when Lambda retries (a claim holder has died).
        proxy.heal();
        hold(&world, c.held, false).await;
        let retry_app = match c.retry {
            Retry::Warm => app,
            Retry::Cold => app_through(&proxy, &world).await,
        };
        let retried = retry_app.handle(event).await;
        retried.unwrap_or_else(|e| panic!("{} (store {}): the retry failed: {e}", c.name, c.store));
    }
    let seconds = started.elapsed().as_secs_f64();
    let got = world.delivered(want.len() + c.duplicates).await;
    let ids: Vec<String> = got
        .iter()
        .map(|(_, alert)| {
            assert_eq!(alert["kind"], "alert", "{}: {alert}", c.name);
            alert["event_id"].as_str().unwrap().to_string()
        })
        .collect();
    let unique: BTreeSet<String> = ids.iter().cloned().collect();
    assert_eq!(unique, want, "{}: every alert delivered", c.name);
    let duplicates = ids.len() - unique.len();
    assert_eq!(duplicates, c.duplicates, "{}: duplicates", c.name);
    let seen = proxy.seen();
    Row {
        name: format!("{} ({:?} retry)", c.name, c.retry).replace(" (Warm retry)", ""),
        store: c.store,
        first: first_text,
        faults: seen.iter().filter(|s| s.fault.is_some()).count(),
        requests: seen.len(),
        dynamodb: seen.iter().filter(|s| s.service == Some(DynamoDb)).count(),
        delivered: ids.len(),
        duplicates,
        seconds,
    }
}

/// The error without the object's long name, cut short.
fn short(error: &str) -> String {
    let mut cause = error.to_string();
    while let (Some(from), Some(to)) = (cause.find("s3://"), cause.find(".json.gz")) {
        if to < from {
            break;
        }
        cause.replace_range(from..to + ".json.gz".len(), "<file>");
    }
    let text: String = cause.chars().take(90).collect();
    text.replace('|', "/")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_alert_is_delivered_or_the_invocation_fails() {
    let mut tasks = tokio::task::JoinSet::new();
    // FAULT_CASE=<part of a name> runs only the matching cases.
    let only = std::env::var("FAULT_CASE").unwrap_or_default();
    let all = cases()
        .into_iter()
        .chain(cases().into_iter().map(with_store))
        .chain(store_cases());
    let chosen = all.filter(|c| c.name.contains(&only));
    // At most this many cases at once: LocalStack and moto are Python processes
    // sharing two cores with the cases, and an emulator that takes seconds to
    // answer is a fault of its own (a timed-out completion leaves claims held).
    let slots = std::sync::Arc::new(tokio::sync::Semaphore::new(12));
    for (i, c) in chosen.enumerate() {
        let slots = slots.clone();
        tasks.spawn(async move {
            let _slot = slots.acquire_owned().await.expect("semaphore open");
            (i, run(c).await)
        });
    }
    let mut rows = Vec::new();
    while let Some(done) = tasks.join_next().await {
        rows.push(done.unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic())));
    }
    rows.sort_by_key(|(i, _)| *i);
    let mut table = String::from("| fault | store | first invocation | faults injected | requests | of which DynamoDB | alerts delivered | duplicates | seconds |\n|---|---|---|---|---|---|---|---|---|\n");
    for (_, r) in &rows {
        let store = if r.store { "yes" } else { "no" };
        table += &format!(
            "| {} | {store} | {} | {} | {} | {} | {} | {} | {:.1} |\n",
            r.name, r.first, r.faults, r.requests, r.dynamodb, r.delivered, r.duplicates, r.seconds
        );
    }
    println!("{table}");
    std::fs::write(format!("{}/faults.md", env!("CARGO_TARGET_TMPDIR")), &table).unwrap();
}

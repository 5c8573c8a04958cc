use std::collections::HashSet;

use super::*;
use crate::claim::Key;

fn deployer() -> Value {
    session("deployer", "ASIAQNZGKDEPLOYER001")
}

fn event_ids(set: &ChangeSet) -> Vec<String> {
    set.alerts().map(|a| a.event_id.clone().unwrap()).collect()
}

/// The case: one role applies 12 changes with Terraform in 40 s. One
/// change set: one email and one Slack message with the 12 alerts inside, the
/// highest severity in the subject, and 12 whole alerts in the JSON.
#[test]
fn a_terraform_apply_of_12_changes_in_40_s_is_one_message() {
    let alerts = scan(&terraform_apply(&deployer(), "tf", 0));
    assert_eq!(alerts.len(), 12, "each call alerts");
    let highest = alerts.iter().map(|a| a.severity).max().unwrap();
    let own_json: Vec<Value> = alerts
        .iter()
        .map(|a| super::super::super::sns_message(&Notice::Alert(Box::new(a.clone()))))
        .map(|m| serde_json::from_str::<Value>(&m.body).unwrap())
        .map(|b| serde_json::from_str(b["sqs"].as_str().unwrap()).unwrap())
        .collect();

    let sets = change_sets(alerts, Window::default());
    assert_eq!(sets.len(), 1);
    let set = &sets[0];
    assert_eq!(
        (set.count(), set.severity(), set.tool()),
        (12, highest, Tool::Terraform)
    );
    let header = set.header();
    assert_eq!(header.span_secs, Some(40));
    assert_eq!(header.who.short, "role/deployer");

    let parts = sns_parts(set, None);
    assert_eq!(parts.len(), 1, "one message");
    let part = &parts[0];
    let subject = &part.message.subject;
    assert_eq!(
        subject,
        &format!(
            "[{}] 12 Cognito changes by role/deployer via Terraform in 111122223333/eu-west-1",
            highest.label()
        )
    );
    let body: Value = serde_json::from_str(&part.message.body).unwrap();
    let email = body["email"].as_str().unwrap();
    assert_eq!(body["default"], body["email"]);
    assert!(
        email.starts_with("12 Cognito changes by one actor within 40 s"),
        "{email}"
    );
    for n in 1..=12 {
        assert!(
            email.contains(&format!("--- change {n} of 12 ---")),
            "{email}"
        );
    }
    let slack: Value = serde_json::from_str(body["https"].as_str().unwrap()).unwrap();
    let description = slack["content"]["description"].as_str().unwrap();
    assert!(
        description.len() <= CHATBOT_DESCRIPTION_MAX,
        "{}",
        description.len()
    );
    assert_eq!(description.matches(" (rule `").count(), 12, "{description}");
    let title = slack["content"]["title"].as_str().unwrap();
    assert!(
        title.contains(&format!("*[{}]*", highest.label())),
        "{title}"
    );

    let machine: Value = serde_json::from_str(body["sqs"].as_str().unwrap()).unwrap();
    assert_eq!(body["sqs"], body["lambda"]);
    assert_eq!(machine["kind"], "change_set");
    assert_eq!(
        (machine["count"].as_u64(), machine["tool"].as_str()),
        (Some(12), Some("terraform"))
    );
    let inside = machine["alerts"].as_array().unwrap();
    assert_eq!(
        inside, &own_json,
        "each alert whole, as its own message's JSON"
    );
    assert_eq!(part.claim_keys, set.claim_keys(None));
}

/// A retry of the same file: every member's claim says delivered, so nothing is
/// sent; when only some were delivered, only the others are.
#[test]
fn a_retry_sends_nothing_already_delivered() {
    let records = terraform_apply(&deployer(), "tf", 0);
    let first = change_sets(scan(&records), Window::default());
    let delivered: HashSet<Key> = first
        .iter()
        .flat_map(|s| sns_parts(s, Some("v1")))
        .flat_map(|p| p.claim_keys)
        .collect();
    assert_eq!(delivered.len(), 12, "one claim per alert");

    let retry = change_sets(scan(&records), Window::default());
    let keys = retry[0].claim_keys(Some("v1"));
    let left = retry
        .into_iter()
        .next()
        .unwrap()
        .retain(|i, _| !delivered.contains(&keys[i]));
    assert!(left.is_none(), "nothing to send");

    // A crash after the first 5 were delivered: the retry sends the other 7.
    let partly: HashSet<&Key> = keys.iter().take(5).collect();
    let set = change_sets(scan(&records), Window::default()).remove(0);
    let rest = set.retain(|i, _| !partly.contains(&keys[i])).unwrap();
    assert_eq!(rest.count(), 7);
    assert_eq!(event_ids(&rest)[0], "tf-06");
    assert!(
        rest.subject().contains(" 7 Cognito changes "),
        "{}",
        rest.subject()
    );
}

/// Two deployers applying in the same minute, their records interleaved in one
/// file: two change sets, two messages.
#[test]
fn two_deployers_in_one_window_are_two_messages() {
    let a = terraform_apply(&deployer(), "a", 0);
    let b = terraform_apply(&session("ci-deployer", "ASIAQNZGKCIDEPLOY002"), "b", 1);
    let mut records = Vec::new();
    for (x, y) in a.into_iter().zip(b) {
        records.push(x);
        records.push(y);
    }
    let sets = change_sets(scan(&records), Window::default());
    assert_eq!(sets.len(), 2);
    assert!(event_ids(&sets[0]).iter().all(|id| id.starts_with("a-")));
    assert!(event_ids(&sets[1]).iter().all(|id| id.starts_with("b-")));
    assert_eq!(sets[1].header().who.short, "role/ci-deployer");
    assert!(sets
        .iter()
        .all(|s| s.count() == 12 && sns_parts(s, None).len() == 1));
}

/// One role, two sessions (two temporary keys, e.g. two CI jobs with the same
/// session name): two sets. Same key, same role: one.
#[test]
fn one_role_with_two_keys_is_two_sessions() {
    let mut records = terraform_apply(&deployer(), "a", 0);
    records.extend(terraform_apply(
        &session("deployer", "ASIAQNZGKDEPLOYER999"),
        "b",
        3,
    ));
    let sets = change_sets(scan(&records), Window::default());
    assert_eq!(
        sets.iter().map(ChangeSet::count).collect::<Vec<_>>(),
        [12, 12]
    );
}

/// The same actor after a pause longer than the window: two sets. Gaps within the
/// window chain (a long apply stays one set however long it runs).
#[test]
fn a_gap_longer_than_the_window_starts_a_new_set() {
    let who = deployer();
    let update = |id: &str, secs: u32| {
        call(
            IDP,
            "UpdateUserPool",
            json!({"userPoolId": USER_POOL_ID, "mfaConfiguration": "OFF"}),
            id,
            &who,
            TERRAFORM_UA,
            secs,
        )
    };
    // 0, 100, 200, 300: each gap 100 s, one set of 4 spanning 5 minutes.
    let chained: Vec<Value> = (0..4).map(|i| update(&format!("c{i}"), i * 100)).collect();
    let sets = change_sets(scan(&chained), Window::default());
    assert_eq!(sets.len(), 1);
    assert_eq!(sets[0].header().span_secs, Some(300));
    // 0, 60, then 181 (121 s later): two sets.
    let split = vec![update("s1", 0), update("s2", 60), update("s3", 181)];
    let sets = change_sets(scan(&split), Window::default());
    assert_eq!(
        sets.iter().map(event_ids).collect::<Vec<_>>(),
        [vec!["s1", "s2"], vec!["s3"]]
    );
    // A 3-minute window keeps them together; an explicit 30 s one splits them all.
    let long: Window = "3m".parse().unwrap();
    assert_eq!(change_sets(scan(&split), long).len(), 1);
    assert_eq!(
        change_sets(scan(&split), Window::from_secs(30).unwrap()).len(),
        3
    );
}

/// Records come in no particular order within a file: a set is ordered by event
/// time, and sets by their first alert in the file.
#[test]
fn members_are_in_event_time_order() {
    let mut records = terraform_apply(&deployer(), "tf", 0);
    records.reverse();
    let sets = change_sets(scan(&records), Window::default());
    assert_eq!(sets.len(), 1);
    let ids = event_ids(&sets[0]);
    assert_eq!(ids.first().map(String::as_str), Some("tf-01"));
    assert_eq!(ids.last().map(String::as_str), Some("tf-12"));
}

/// Alerts without a usable actor (an anonymous caller, an AWS service, no
/// principal at all) or without a readable event time stay alone, and each
/// renders exactly as its own notice.
#[test]
fn alerts_without_a_usable_actor_stay_alone() {
    let anonymous = json!({"type": "Unknown", "principalId": "Anonymous"});
    let service = json!({"type": "AWSService", "invokedBy": "cognito-idp.amazonaws.com"});
    let nobody = json!({"type": "AssumedRole", "accountId": "111122223333"});
    let update = |id: &str, who: &Value, secs: u32| {
        call(
            IDENTITY,
            "UpdateIdentityPool",
            json!({"identityPoolId": records::IDENTITY_POOL_ID,
            "identityPoolName": "shop", "allowUnauthenticatedIdentities": true}),
            id,
            who,
            "aws-cli/2.15.30",
            secs,
        )
    };
    let records = vec![
        update("anon-1", &anonymous, 0),
        update("anon-2", &anonymous, 1),
        update("svc-1", &service, 2),
        update("svc-2", &service, 3),
        update("none-1", &nobody, 4),
        update("none-2", &nobody, 5),
        update("late-1", &deployer(), 6).set("eventTime", json!("yesterday")),
        update("late-2", &deployer(), 7).set("eventTime", Value::Null),
    ];
    let sets = change_sets(scan(&records), Window::default());
    assert_eq!(sets.len(), 8, "all alone");
    for set in &sets {
        let one = &set.notices()[0];
        assert_eq!(set.subject(), crate::notice::subject(one));
        assert_eq!(set.text(), crate::notice::text(one));
    }
}

#[test]
fn window_off_keeps_every_alert_alone() {
    let alerts = scan(&terraform_apply(&deployer(), "tf", 0));
    assert_eq!(change_sets(alerts, Window::OFF).len(), 12);
}

#[test]
fn windows_are_read_from_configuration_text() {
    let secs = |s: &str| s.parse::<Window>().map(Window::secs);
    assert_eq!(secs("120"), Ok(120));
    assert_eq!(secs("90s"), Ok(90));
    assert_eq!(secs("2m"), Ok(120));
    assert_eq!(secs("1h"), Ok(3600));
    assert_eq!(secs("off"), Ok(0));
    assert_eq!(secs("0"), Ok(0));
    assert!(secs("2h").unwrap_err().contains("longer than"));
    assert!(secs("soon").is_err());
    assert_eq!(Window::default().secs(), DEFAULT_WINDOW_SECS);
}

use std::collections::HashSet;

use super::*;
use crate::notice::MAX_MESSAGE_BYTES;

/// What a part may weigh, attributes aside: SNS's 256 KiB less the room kept for
/// the subject, attributes and batch framing.
const PART_BUDGET: usize = MAX_MESSAGE_BYTES - 8 * 1024;

fn deployer() -> Value {
    session("deployer", "ASIAQNZGKDEPLOYER001")
}

/// Checks what every split must hold, and returns each part's JSON alerts' event ids.
fn check_parts(set: &ChangeSet, parts: &[ChangeSetPart]) -> Vec<Vec<String>> {
    let n = set.count();
    let of = parts.len();
    let mut next = 0;
    let mut ids = Vec::new();
    for (k, part) in parts.iter().enumerate() {
        assert_eq!((part.index, part.of), (k + 1, of));
        assert_eq!(part.members.start, next, "consecutive, none skipped");
        next = part.members.end;
        let m = &part.message;
        assert!(
            m.body.len() + m.subject.len() <= PART_BUDGET,
            "part {} is {} bytes",
            k + 1,
            m.body.len()
        );
        assert!(m.subject.len() < 100, "{}", m.subject);
        if of > 1 {
            assert!(
                m.subject.ends_with(&format!(" (part {}/{of})", k + 1)),
                "{}",
                m.subject
            );
            assert!(m
                .subject
                .starts_with(&format!("[{}] {n} Cognito changes", set.severity().label())));
        }
        let body: Value = serde_json::from_str(&m.body).unwrap();
        let slack: Value = serde_json::from_str(body["https"].as_str().unwrap()).unwrap();
        let description = slack["content"]["description"].as_str().unwrap();
        assert!(
            description.len() <= CHATBOT_DESCRIPTION_MAX,
            "{}",
            description.len()
        );
        let machine: Value = serde_json::from_str(body["sqs"].as_str().unwrap()).unwrap();
        assert_eq!(
            (machine["part"].as_u64(), machine["parts"].as_u64()),
            (Some(k as u64 + 1), Some(of as u64))
        );
        let inside: Vec<String> = machine["alerts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["event_id"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(inside.len(), part.members.len());
        assert_eq!(
            part.claim_keys,
            set.claim_keys(None)[part.members.clone()].to_vec()
        );
        if of > 1 {
            let email = body["email"].as_str().unwrap();
            assert!(
                email.contains(&format!("This is part {} of {of}", k + 1)),
                "{email}"
            );
        }
        ids.push(inside);
    }
    assert_eq!(next, n, "every alert in a part");
    let all: Vec<String> = ids.iter().flatten().cloned().collect();
    let expected: Vec<String> = set.alerts().map(|a| a.event_id.clone().unwrap()).collect();
    assert_eq!(all, expected, "no alert lost, none twice");
    let keys: HashSet<_> = parts.iter().flat_map(|p| p.claim_keys.clone()).collect();
    assert_eq!(keys.len(), n, "one claim key per alert");
    ids
}

/// Forty updates whose requests carry 20,000-character messages: far over 256 KiB
/// as one message, so numbered parts, each under the limit, every alert whole in
/// exactly one of them.
#[test]
fn a_set_too_big_for_one_message_splits_into_numbered_parts() {
    let who = deployer();
    let records: Vec<Value> = (0..40)
        .map(|i| {
            let message = format!(
                "Your \"shop\" code is {{####}}. {}",
                "Welcome to the shop! ".repeat(950)
            );
            call(
                IDP,
                "UpdateUserPool",
                json!({"userPoolId": USER_POOL_ID, "mfaConfiguration": "ON",
                "deletionProtection": "ACTIVE", "emailVerificationMessage": message,
                "emailVerificationSubject": format!("Verify {i}")}),
                &format!("big-{i:02}"),
                &who,
                TERRAFORM_UA,
                i,
            )
        })
        .collect();
    let set = change_sets(scan(&records), Window::default()).remove(0);
    assert_eq!(set.count(), 40);
    let parts = sns_parts(&set, None);
    assert!(parts.len() > 3, "{} parts", parts.len());
    check_parts(&set, &parts);
    assert!(
        parts.iter().all(|p| !p.message.truncated),
        "split, not shortened"
    );
}

/// Sixty small changes fit SNS easily but not one Slack message: parts keep each
/// Chatbot description within its limit.
#[test]
fn many_small_changes_split_for_chatbot() {
    let who = deployer();
    let records: Vec<Value> = (0..60)
        .map(|i| {
            call(
                IDP,
                "CreateGroup",
                json!({"userPoolId": USER_POOL_ID, "groupName": format!("team-{i:02}")}),
                &format!("grp-{i:02}"),
                &who,
                TERRAFORM_UA,
                i,
            )
        })
        .collect();
    let set = change_sets(scan(&records), Window::default()).remove(0);
    assert_eq!(set.count(), 60);
    assert!(
        set.chatbot()["content"]["description"]
            .as_str()
            .unwrap()
            .len()
            > CHATBOT_DESCRIPTION_MAX
    );
    let parts = sns_parts(&set, None);
    assert!(parts.len() >= 2, "{} parts", parts.len());
    check_parts(&set, &parts);
}

/// One alert too big for a message even alone (a SAML provider whose metadata
/// document is all quotes and angle brackets) has its request parameters
/// shortened, as its own message would, and is still delivered with the others.
#[test]
fn an_alert_too_big_alone_is_shortened_not_dropped() {
    let who = deployer();
    let metadata = format!(
        "<EntityDescriptor xmlns=\"urn:oasis:names:tc:SAML:2.0:metadata\">{}</EntityDescriptor>",
        "<KeyDescriptor use=\"signing\"><X509Data a=\"1\" b=\"2\"/></KeyDescriptor>".repeat(1300)
    );
    let records = vec![
        call(
            IDP,
            "CreateGroup",
            json!({"userPoolId": USER_POOL_ID, "groupName": "admins"}),
            "s-1",
            &who,
            TERRAFORM_UA,
            0,
        ),
        call(
            IDP,
            "CreateIdentityProvider",
            json!({"userPoolId": USER_POOL_ID, "providerName": "corp-idp",
            "providerType": "SAML", "providerDetails": {"MetadataFile": metadata}}),
            "s-2",
            &who,
            TERRAFORM_UA,
            2,
        ),
        call(
            IDP,
            "CreateGroup",
            json!({"userPoolId": USER_POOL_ID, "groupName": "support"}),
            "s-3",
            &who,
            TERRAFORM_UA,
            4,
        ),
    ];
    let set = change_sets(scan(&records), Window::default()).remove(0);
    let parts = sns_parts(&set, None);
    check_parts(&set, &parts);
    let shortened: Vec<&ChangeSetPart> = parts.iter().filter(|p| p.message.truncated).collect();
    assert_eq!(shortened.len(), 1);
    let body: Value = serde_json::from_str(&shortened[0].message.body).unwrap();
    let machine: Value = serde_json::from_str(body["sqs"].as_str().unwrap()).unwrap();
    let saml = machine["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["event_id"] == "s-2")
        .unwrap();
    assert_eq!(saml["truncated"], true);
    assert!(saml["request_parameters"]
        .as_str()
        .unwrap()
        .contains("[truncated: "));
    assert!(body["email"]
        .as_str()
        .unwrap()
        .contains("truncated to fit SNS's 256 KB"));
}

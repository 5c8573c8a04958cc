use super::*;
use crate::notice::{chatbot, sns_message, subject, text};

fn alice() -> Value {
    session("deployer", "ASIAQNZGKDEPLOYER001")
}

/// A change set of one is sent exactly as the alert alone is today.
#[test]
fn a_set_of_one_renders_exactly_as_its_alert() {
    let records = vec![records::update_identity_pool("solo-1", true).by(alice())];
    let sets = change_sets(scan(&records), Window::default());
    let set = &sets[0];
    let one = &set.notices()[0];
    assert_eq!(set.count(), 1);
    assert_eq!(set.subject(), subject(one));
    assert_eq!(set.text(), text(one));
    assert_eq!(set.chatbot(), chatbot(one));
    assert_eq!(set.json()["kind"], "alert");
    let parts = sns_parts(set, Some("v1"));
    assert_eq!(parts.len(), 1);
    let today = sns_message(one);
    assert_eq!(
        (&parts[0].message.subject, &parts[0].message.body),
        (&today.subject, &today.body)
    );
    assert_eq!(
        parts[0].claim_keys,
        vec![crate::claim::claim_key(one, Some("v1"))]
    );
}

/// Event text (pool and client names) cannot ping a channel or change the
/// formatting of the Slack message, and never puts a control character in a
/// subject.
#[test]
fn event_text_stays_inert_in_slack_and_subjects() {
    let name = "<!channel> @here *bold* `code` <https://evil|click>\u{1b}[2J";
    let records = vec![
        call(
            IDENTITY,
            "UpdateIdentityPool",
            json!({"identityPoolId": records::IDENTITY_POOL_ID,
            "identityPoolName": name, "allowUnauthenticatedIdentities": true}),
            "h-1",
            &alice(),
            TERRAFORM_UA,
            0,
        ),
        call(
            IDP,
            "CreateGroup",
            json!({"userPoolId": USER_POOL_ID, "groupName": name}),
            "h-2",
            &alice(),
            TERRAFORM_UA,
            3,
        ),
    ];
    let set = change_sets(scan(&records), Window::default()).remove(0);
    assert_eq!(set.count(), 2);
    let slack = set.chatbot();
    for field in ["title", "description"] {
        let text = slack["content"][field].as_str().unwrap();
        assert!(
            !text.contains("<!channel>") && !text.contains("<https://evil"),
            "{field}: {text}"
        );
        assert!(!text.contains("@here"), "{field}: {text}");
        assert!(!text.contains('\u{1b}'), "{field}: {text}");
        assert_eq!(
            text.matches('`').count() % 2,
            0,
            "balanced code spans in {field}: {text}"
        );
    }
    let subject = set.subject();
    assert!(
        subject.len() < 100 && subject.chars().all(|c| c.is_ascii_graphic() || c == ' '),
        "{subject}"
    );
    assert!(
        !set.text().contains('\u{1b}'),
        "the email shows control characters escaped"
    );
}

/// The header counts failed attempts, lists every region, and names the place
/// once for a set spanning regions.
#[test]
fn headers_count_failures_and_regions() {
    let who = alice();
    let records = vec![
        call(
            IDP,
            "UpdateUserPool",
            json!({"userPoolId": USER_POOL_ID, "mfaConfiguration": "OFF"}),
            "r-1",
            &who,
            TERRAFORM_UA,
            0,
        ),
        call(
            IDP,
            "UpdateUserPool",
            json!({"userPoolId": "us-east-1_Zz98Yx76W", "mfaConfiguration": "OFF"}),
            "r-2",
            &who,
            TERRAFORM_UA,
            4,
        )
        .set("awsRegion", json!("us-east-1"))
        .set("errorCode", json!("AccessDenied"))
        .set(
            "errorMessage",
            json!("User is not authorized to perform: cognito-idp:UpdateUserPool"),
        ),
    ];
    let set = change_sets(scan(&records), Window::default()).remove(0);
    let header = set.header();
    assert_eq!((header.count, header.failed), (2, 1));
    assert_eq!(header.regions, ["eu-west-1", "us-east-1"]);
    assert!(
        set.subject().ends_with("via Terraform in 111122223333"),
        "{}",
        set.subject()
    );
    let email = set.text();
    assert!(
        email.contains("failed     1 of them (attempts, not changes)"),
        "{email}"
    );
    assert!(email.contains("region eu-west-1, us-east-1"), "{email}");
    assert!(
        email.contains("UpdateUserPool (FAILED: AccessDenied)"),
        "{email}"
    );
    assert_eq!(set.json()["failed"], 1);
}

/// A long session name is clipped in the subject, which stays under 100
/// characters with the severity first.
#[test]
fn long_actors_are_clipped_in_subjects() {
    let role = "a-very-long-deployment-role-name-for-the-shop-platform-pipeline-x";
    let who = session(role, "ASIAQNZGKLONGROLE001");
    let records: Vec<Value> = (0..3)
        .map(|i| {
            call(
                IDP,
                "CreateGroup",
                json!({"userPoolId": USER_POOL_ID, "groupName": format!("g{i}")}),
                &format!("l-{i}"),
                &who,
                TERRAFORM_UA,
                i,
            )
        })
        .collect();
    let set = change_sets(scan(&records), Window::default()).remove(0);
    let subject = set.subject();
    assert!(subject.len() <= 99 && subject.ends_with("..."), "{subject}");
    assert!(
        subject.starts_with("[MEDIUM] 3 Cognito changes by role/a-very-long"),
        "{subject}"
    );
}

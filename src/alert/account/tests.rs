//! Account names on alerts: which source wins, and how the text, email and Slack
//! renderers and the JSON show them (exactly as before when there is none).

use std::collections::{BTreeMap, HashMap};

use serde_json::json;

use crate::alert::render_text;
use crate::notice::{chatbot, text, Notice};
use crate::rules::{Date, Overlay};
use crate::settings::LocalCache;
use crate::Alert;

const RULES: &str = "rules:
  - id: cognito-identity.identity-pool.update
    title: Identity pool updated
    severity: medium
    description: UpdateIdentityPool replaces the configuration.
    match: { eventSource: cognito-identity.amazonaws.com, eventName: UpdateIdentityPool }
";

/// The alert the engine makes of the testkit's UpdateIdentityPool, with `overlay` applied.
fn alert(overlay: Option<&str>) -> Alert {
    let overlays = overlay
        .map(|text| Overlay::from_yaml(text, "names.yaml").unwrap())
        .into_iter()
        .collect();
    let set = crate::RuleSet::from_yaml(RULES, "rules.yaml")
        .unwrap()
        .with_overlays(overlays, Date::parse("2026-11-30").unwrap())
        .unwrap();
    let record = cognito_trail_alerts_testkit::records::update_identity_pool("e-1", false);
    let raw = serde_json::to_vec(&record).unwrap();
    let origin = crate::Origin::File {
        file: "t.json".into(),
    };
    let mut out = Vec::new();
    crate::scan_record(&set, &raw, &origin, &mut LocalCache::new(), |a| out.push(a));
    out.pop().unwrap()
}

const NAMES: &str = "accounts:\n  \"111122223333\": prod-payments\n";

#[test]
fn the_engine_names_the_account_from_the_overlays() {
    let named = alert(Some(NAMES));
    assert_eq!(named.account_name.as_deref(), Some("prod-payments"));
    let json = serde_json::to_value(&named).unwrap();
    assert_eq!(json["account_name"], json!("prod-payments"));
    let plain = alert(None);
    assert_eq!(plain.account_name, None);
    let json = serde_json::to_value(&plain).unwrap();
    assert!(json.get("account_name").is_none(), "absent, not null");
}

#[test]
fn a_later_source_names_only_accounts_the_overlays_did_not() {
    let organizations = HashMap::from([("111122223333".to_string(), "Payments (Org)".to_string())]);
    let mut named = alert(Some(NAMES));
    assert!(!named.name_account(&organizations));
    assert_eq!(named.account_name.as_deref(), Some("prod-payments"));
    let mut plain = alert(None);
    assert!(plain.name_account(&organizations));
    assert_eq!(plain.account_name.as_deref(), Some("Payments (Org)"));
    let mut unknown = alert(None);
    assert!(!unknown.name_account(&BTreeMap::new()));
    assert_eq!(unknown.account_name, None);
}

#[test]
fn text_email_and_slack_show_the_name_beside_the_id_and_nothing_without_one() {
    let named = alert(Some(NAMES));
    let plain = alert(None);
    let where_line = |t: &str| {
        t.lines()
            .find(|l| l.trim_start().starts_with("where"))
            .unwrap()
            .to_string()
    };
    assert_eq!(
        where_line(&render_text(&named)),
        "  where      account 111122223333 (prod-payments) region eu-west-1"
    );
    assert_eq!(
        where_line(&render_text(&plain)),
        "  where      account 111122223333 region eu-west-1"
    );
    let email = text(&Notice::Alert(Box::new(named.clone())));
    assert!(
        email.contains("account 111122223333 (prod-payments) region eu-west-1"),
        "{email}"
    );
    let slack = chatbot(&Notice::Alert(Box::new(named)));
    let description = slack["content"]["description"].as_str().unwrap();
    assert!(
        description
            .contains("*Where*: account `111122223333` (`prod-payments`) region `eu-west-1`"),
        "{description}"
    );
    assert_eq!(
        slack["metadata"]["additionalContext"]["account_name"],
        json!("prod-payments")
    );
    let slack = chatbot(&Notice::Alert(Box::new(plain)));
    let description = slack["content"]["description"].as_str().unwrap();
    assert!(
        description.contains("*Where*: account `111122223333` region `eu-west-1`"),
        "{description}"
    );
    assert!(slack["metadata"]["additionalContext"]
        .get("account_name")
        .is_none());
}

#[test]
fn a_hostile_name_is_escaped_like_any_event_value() {
    let mut a = alert(None);
    a.account_name = Some("<!channel> `x`\u{1b}[31m".into());
    assert!(render_text(&a).contains("account 111122223333 (<!channel> `x`\\u{1b}[31m)"));
    let slack = chatbot(&Notice::Alert(Box::new(a)));
    let description = slack["content"]["description"].as_str().unwrap();
    assert!(
        description.contains("(`&lt;!channel&gt; \u{2035}x\u{2035} [31m`)"),
        "{description}"
    );
}

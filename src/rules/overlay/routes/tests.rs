//! `routes:` and `accounts:` as overlays write them: what is kept, in which order,
//! and every mistake named with file:line:column.

use crate::alert::AccountNames;
use crate::routes::SeverityMatch;
use crate::rules::{Date, Overlay, RulesError};
use crate::{RuleSet, Severity};

const BASE: &str = "rules:
  - id: cognito-idp.user-pool.delete
    title: User pool deleted
    severity: critical
    description: D
    match: { eventSource: cognito-idp.amazonaws.com, eventName: DeleteUserPool }
  - id: cognito.resource.tags
    title: Tags changed
    severity: info
    description: D
    match: { eventSource: cognito-idp.amazonaws.com, eventName: TagResource }
";

fn tuned(overlays: &[(&str, &str)]) -> Result<RuleSet, RulesError> {
    let parsed = overlays
        .iter()
        .map(|(name, text)| Overlay::from_yaml(text, name))
        .collect::<Result<Vec<_>, _>>()?;
    let today = Date::parse("2026-11-30").unwrap();
    RuleSet::from_yaml(BASE, "base.yaml")?.with_overlays(parsed, today)
}

const ROUTES: &str = r#"version: 1
routes:
  - name: paging
    severity: critical
    tag: pager
    topics:
      - arn:aws:sns:eu-west-1:111122223333:cognito-critical
  - name: shop-team
    severity: [low, medium]
    rules: ["cognito.*"]
    accounts: [111122223333, "444455556666"]
    regions: [eu-west-1, "us-*"]
    resources: ["eu-west-1_Sh0p*"]
    topics: ["arn:aws:sns:eu-west-1:111122223333:shop-team"]
    only: true
    stop: true
"#;

#[test]
fn routes_are_kept_in_order_with_their_place() {
    let set = tuned(&[("r.yaml", ROUTES)]).unwrap();
    let routes = set.routes();
    assert_eq!(routes.len(), 2);
    let (paging, team) = (&routes[0], &routes[1]);
    assert_eq!(paging.label(), "pager");
    assert_eq!(
        paging.severity,
        Some(SeverityMatch::AtLeast(Severity::Critical))
    );
    assert_eq!((paging.only, paging.stop), (false, false));
    assert_eq!(paging.place.to_string(), "r.yaml:3");
    assert_eq!(team.label(), "shop-team");
    assert_eq!(
        team.severity,
        Some(SeverityMatch::AnyOf(vec![Severity::Low, Severity::Medium]))
    );
    assert_eq!(
        team.accounts.as_deref(),
        Some(&["111122223333".to_string(), "444455556666".to_string()][..])
    );
    assert_eq!(
        team.topics[0].as_str(),
        "arn:aws:sns:eu-west-1:111122223333:shop-team"
    );
    assert_eq!((team.only, team.stop), (true, true));
    // A second overlay's routes come after the first's.
    let more =
        "routes:\n  - name: archive\n    topics: [arn:aws:sns:eu-west-1:111122223333:archive]\n";
    let set = tuned(&[("r.yaml", ROUTES), ("m.yaml", more)]).unwrap();
    let names: Vec<&str> = set.routes().iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["paging", "shop-team", "archive"]);
}

#[test]
fn route_mistakes_name_file_line_and_column() {
    let route = |body: &str| format!("routes:\n  - name: paging\n{body}");
    let topic = "    topics: [arn:aws:sns:eu-west-1:111122223333:t]\n";
    let cases = [
        (route("    topic: [x]\n"), "o.yaml:3:5: routes[0]: unknown field `topic`"),
        (route("    severity: low\n"), "o.yaml:2:5: routes[0]: missing field `topics`"),
        (route(&format!("    severity: urgent\n{topic}")), "o.yaml:3:15: routes[0].severity: unknown severity"),
        (route(&format!("    severity: [high, urgnt]\n{topic}")), "o.yaml:3:22: routes[0].severity[1]: unknown variant `urgnt`"),
        (route(&format!("    only: maybe\n{topic}")), "o.yaml:3:11: routes[0].only: invalid type"),
        (route("    topics: []\n"), "o.yaml:2:5: route \"paging\": `topics` is empty"),
        (route("    topics:\n      - arn:aws:sns:eu-west-1:111122223333:ok\n      - arn:aws:sqs:eu-west-1:111122223333:queue\n"),
            "o.yaml:5:9: route \"paging\": topic \"arn:aws:sqs:eu-west-1:111122223333:queue\" is not an SNS topic ARN (the service is not sns; expected arn:aws[-partition]:sns:<region>:<12-digit account>:<name>)"),
        (route("    topics: [\"arn:aws:sns:eu-west-1:1111222233:t\"]\n"), "o.yaml:3:15: route \"paging\": topic \"arn:aws:sns:eu-west-1:1111222233:t\" is not an SNS topic ARN (the account is not 12 digits"),
        (route(&format!("    accounts: [111122223333, 12345]\n{topic}")), "o.yaml:3:30: route \"paging\": account \"12345\" is not a 12-digit account id"),
        (route(&format!("    accounts: [\"1111*\"]\n{topic}")), "o.yaml:2:5: route \"paging\": `accounts` lists account ids, not globs"),
        (route(&format!("    regions: [eu-west1]\n{topic}")), "o.yaml:3:15: route \"paging\": \"eu-west1\" is not a region"),
        (route(&format!("    rules: [cognito-idp.user-pool.delet]\n{topic}")), "o.yaml:2:5: route \"paging\": `rules` matches no rule id of the set"),
        (route(&format!("    rules: [\"cognito-idp.[\"]\n{topic}")), "o.yaml:3:12: routes[0].rules: bad glob"),
        (route(&format!("    tag: \"pager duty\"\n{topic}")), "o.yaml:3:11: route \"paging\": tag must be 1-64 characters"),
        (format!("routes:\n  - name: pag ing\n{topic}"), "o.yaml:2:5: route \"pag ing\": name must be 1-64 characters"),
        (format!("{}{topic}  - name: paging\n{topic}", route("")), "o.yaml:4:5: route \"paging\": duplicate name (first at o.yaml:2)"),
    ];
    for (text, want) in cases {
        let got = tuned(&[("o.yaml", &text)]).unwrap_err().to_string();
        assert!(
            got.starts_with(want),
            "want {want:?}\n got {got:?}\nin\n{text}"
        );
    }
}

#[test]
fn a_route_name_taken_by_an_earlier_overlay_is_a_duplicate() {
    let text = "routes:\n  - name: paging\n    topics: [arn:aws:sns:eu-west-1:111122223333:t]\n";
    let err = tuned(&[("a.yaml", text), ("b.yaml", text)]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "b.yaml:2:5: route \"paging\": duplicate name (first at a.yaml:2)"
    );
}

#[test]
fn account_names_merge_in_order_and_the_later_overlay_wins() {
    let org = "accounts:\n  \"111122223333\": prod-payments\n  444455556666: sandbox\n";
    let team = "version: 1\naccounts: { \"111122223333\": payments-prod, \"012345678901\": shared-services }\n";
    let set = tuned(&[("org.yaml", org), ("team.yaml", team)]).unwrap();
    assert_eq!(
        set.account_name("111122223333").as_deref(),
        Some("payments-prod")
    );
    assert_eq!(set.account_name("444455556666").as_deref(), Some("sandbox"));
    assert_eq!(
        set.account_name("012345678901").as_deref(),
        Some("shared-services")
    );
    assert_eq!(set.account_name("999988887777"), None);
    // Unquoted ids are read as written, a leading 0 included.
    let unquoted = tuned(&[("u.yaml", "accounts:\n  012345678901: shared\n")]).unwrap();
    assert_eq!(
        unquoted.account_name("012345678901").as_deref(),
        Some("shared")
    );
    let (_, place) = &set.account_names()["111122223333"];
    assert_eq!(place.to_string(), "team.yaml:2");
    assert_eq!(
        set.account_names()["444455556666"].1.to_string(),
        "org.yaml:3"
    );
    // The other order: the organisation's list wins.
    let set = tuned(&[("team.yaml", team), ("org.yaml", org)]).unwrap();
    assert_eq!(
        set.account_name("111122223333").as_deref(),
        Some("prod-payments")
    );
}

#[test]
fn account_mistakes_name_file_line_and_column() {
    let cases = [
        (
            "accounts:\n  \"11112222333\": short\n",
            "o.yaml:2:4: account \"11112222333\": not a 12-digit account id",
        ),
        (
            "accounts:\n  \"111122223333\": \" \"\n",
            "o.yaml:2:4: account \"111122223333\": the name must be 1-64 characters",
        ),
        (
            "accounts:\n  \"111122223333\": [a]\n",
            "o.yaml:2:19: accounts.111122223333: invalid type: sequence, expected a string",
        ),
        (
            "accounts: [111122223333]\n",
            "o.yaml:1:11: accounts: invalid type: sequence, expected a mapping",
        ),
        (
            "accounts:\n  \"111122223333\": a\n  111122223333: b\n",
            "o.yaml:3:3: account \"111122223333\": named twice in this overlay (first at line 2)",
        ),
    ];
    for (text, want) in cases {
        let got = tuned(&[("o.yaml", text)]).unwrap_err().to_string();
        assert!(
            got.starts_with(want),
            "want {want:?}\n got {got:?}\nin\n{text}"
        );
    }
}

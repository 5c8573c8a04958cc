use super::*;
use std::collections::HashMap;

const TOPIC: &str = "arn:aws:sns:eu-west-1:111122223333:cognito-alerts";

fn read(pairs: &[(&str, &str)]) -> (Option<Enrich>, Vec<String>) {
    let env: HashMap<&str, &str> = pairs.iter().copied().collect();
    let get = |k: &str| env.get(k).map(|v| v.to_string());
    let mut problems = Vec::new();
    (
        Enrich::from_env(&get, TOPIC, &mut problems, false),
        problems,
    )
}

#[test]
fn off_by_default_and_minimal_when_on() {
    assert_eq!(read(&[]), (None, vec![]));
    let (e, problems) = read(&[("ENRICH_USERS", "true")]);
    assert!(problems.is_empty(), "{problems:?}");
    let e = e.unwrap();
    assert!(e.attributes.is_empty() && e.role.is_none());
    assert_eq!(e.own_account.as_deref(), Some("111122223333"));
    assert_eq!(e.max_lookups, DEFAULT_MAX_LOOKUPS);
    assert!(!e.policy().cross_account);
}

#[test]
fn every_setting_and_problem() {
    let (e, problems) = read(&[
        ("ENRICH_USERS", "TRUE"),
        ("ENRICH_USER_ATTRIBUTES", "email, custom:team"),
        ("ENRICH_ROLE_NAME", "cognito-trail-alerts-user-lookup"),
        ("ENRICH_EXTERNAL_ID", "o-a1b2c3d4e5"),
        ("ENRICH_MAX_LOOKUPS", "20"),
        ("ENRICH_ACCOUNT_ID", "999988887777"),
    ]);
    assert!(problems.is_empty(), "{problems:?}");
    let e = e.unwrap();
    assert_eq!(e.attributes, ["email", "custom:team"]);
    assert_eq!(
        e.role,
        Some(Role {
            name: "cognito-trail-alerts-user-lookup".into(),
            external_id: "o-a1b2c3d4e5".into()
        })
    );
    assert_eq!(
        (e.max_lookups, e.own_account.as_deref()),
        (20, Some("999988887777"))
    );
    let (_, problems) = read(&[
        ("ENRICH_USERS", "true"),
        ("ENRICH_USER_ATTRIBUTES", "email,,name with space"),
        ("ENRICH_ROLE_NAME", "no/slashes"),
        ("ENRICH_MAX_LOOKUPS", "0"),
        ("ENRICH_ACCOUNT_ID", "12"),
    ]);
    assert_eq!(problems.len(), 5, "{problems:?}");
    let (_, problems) = read(&[("ENRICH_ROLE_NAME", "r"), ("ENRICH_EXTERNAL_ID", "x1")]);
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].contains("ENRICH_USERS is not true"));
}

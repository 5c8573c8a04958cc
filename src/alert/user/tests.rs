use super::*;

fn user() -> CognitoUser {
    CognitoUser {
        username: "jane.doe".into(),
        status: Some("CONFIRMED".into()),
        enabled: Some(false),
        created: Some("2026-01-05T10:00:00Z".into()),
        attributes: BTreeMap::from([("email".to_string(), "jane@example.com".to_string())]),
    }
}

#[test]
fn summaries_say_what_was_found_or_why_not() {
    let mut l = UserLookup::hint_only("ListUsers ...".into());
    assert_eq!(l.summary(), None);
    assert!(l.needs_hint());
    l.reason = Some("the per-invocation limit of 10 lookups was reached".into());
    assert_eq!(
        l.summary().unwrap(),
        "not looked up: the per-invocation limit of 10 lookups was reached"
    );
    l.status = LookupStatus::Found;
    l.user = Some(user());
    assert_eq!(
        l.summary().unwrap(),
        "jane.doe (CONFIRMED, DISABLED, created 2026-01-05T10:00:00Z, email jane@example.com)"
    );
    assert!(!l.needs_hint());
    l.status = LookupStatus::NotFound;
    assert_eq!(l.summary().unwrap(), "not found (deleted?)");
}

#[test]
fn the_json_shape_is_the_contract() {
    let l = UserLookup {
        hint: "h".into(),
        status: LookupStatus::NotFound,
        user: None,
        reason: None,
    };
    assert_eq!(
        serde_json::to_value(&l).unwrap(),
        serde_json::json!({"hint": "h", "status": "not_found", "user": null, "reason": null})
    );
    let found = UserLookup {
        status: LookupStatus::Found,
        user: Some(user()),
        ..l
    };
    assert_eq!(
        serde_json::to_value(&found).unwrap()["user"],
        serde_json::json!({"username": "jane.doe", "status": "CONFIRMED", "enabled": false,
            "created": "2026-01-05T10:00:00Z", "attributes": {"email": "jane@example.com"}})
    );
}

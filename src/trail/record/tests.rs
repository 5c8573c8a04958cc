use super::*;

#[test]
fn parses_a_minimal_record_and_borrows() {
    let r = Record::parse(br#"{"eventName":"UpdateUserPool","x":[1,{"y":2}]}"#).unwrap();
    assert_eq!(r.event_name.as_deref(), Some("UpdateUserPool"));
    assert!(matches!(r.event_name, Some(Cow::Borrowed(_))));
    assert!(r.user_identity.is_none() && r.request_parameters.is_none());
}

#[test]
fn empty_error_code_means_success() {
    let r = Record::parse(br#"{"errorCode":""}"#).unwrap();
    assert_eq!(r.error_code(), None);
    let r = Record::parse(br#"{"errorCode":"AccessDenied"}"#).unwrap();
    assert_eq!(r.error_code(), Some("AccessDenied"));
}

#[test]
fn wrong_types_are_errors() {
    for bad in [
        r#"{"eventName":42}"#,
        r#"{"userIdentity":"root"}"#,
        r#"{"requestParameters":"x"}"#,
        r#"{"requestParameters":[1]}"#,
        r#"{"eventName":"A","eventName":"B"}"#,
    ] {
        assert!(Record::parse(bad.as_bytes()).is_err(), "{bad}");
    }
}

#[test]
fn objects_that_cannot_be_read_are_errors_not_absent() {
    let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
    for (bad, cause) in [
        (
            r#"{"requestParameters":{"n":"a\ud800"}}"#.to_string(),
            "hex escape",
        ),
        (
            r#"{"responseElements":{"n":1e999}}"#.to_string(),
            "number out of range",
        ),
        (
            format!(r#"{{"additionalEventData":{{"n":{deep}}}}}"#),
            "recursion limit",
        ),
    ] {
        let err = Record::parse(bad.as_bytes()).unwrap_err().to_string();
        let field = &bad[2..bad.find("\":").unwrap()];
        let want = format!("`{field}`: an object that cannot be read: ");
        assert!(err.starts_with(&want), "{err}");
        assert!(err.contains(cause), "{err}");
    }
    let r = Record::parse(br#"{"requestParameters":{"n":"\ud83d\ude00"}}"#).unwrap();
    assert_eq!(r.request_parameters.unwrap()["n"], "\u{1f600}");
}

#[test]
fn nulls_are_absent_values() {
    let r = Record::parse(
        br#"{"eventName":null,"userIdentity":null,"requestParameters":null,"errorCode":null}"#,
    )
    .unwrap();
    assert!(r.event_name.is_none() && r.user_identity.is_none());
    assert!(r.request_parameters.is_none() && r.error_code().is_none());
}

#[test]
fn principal_arns_include_the_session_issuer() {
    let r = Record::parse(
        br#"{"userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::1:assumed-role/ci/s",
        "sessionContext":{"sessionIssuer":{"arn":"arn:aws:iam::1:role/ci"}}}}"#,
    )
    .unwrap();
    let arns: Vec<_> = r.principal_arns().collect();
    assert_eq!(
        arns,
        ["arn:aws:sts::1:assumed-role/ci/s", "arn:aws:iam::1:role/ci"]
    );
}

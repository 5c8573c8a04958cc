use super::*;

fn keys(json: &str) -> Option<(Option<&str>, Option<&str>)> {
    top_keys(json.as_bytes()).map(|k| (k.event_source, k.event_name))
}

#[test]
fn reads_the_top_level_fields_only() {
    let r = r#"{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","eventName":"X"},
        "eventSource" : "cognito-idp.amazonaws.com", "eventName":
        "InitiateAuth","requestParameters":{"eventName":"UpdateUserPool"}}"#;
    assert_eq!(
        keys(r),
        Some((Some("cognito-idp.amazonaws.com"), Some("InitiateAuth")))
    );
    assert_eq!(
        keys(r#"{"eventName":"GetId"}"#),
        Some((None, Some("GetId")))
    );
    assert_eq!(
        keys(r#"{"eventName":null,"a":[1,{"b":"}"}]}"#),
        Some((None, None))
    );
    assert_eq!(keys(" { } "), Some((None, None)));
}

#[test]
fn is_unsure_whenever_the_parse_could_read_otherwise() {
    for unsure in [
        r#"{"eventName":"\u0055pdateUserPool","eventSource":"x"}"#,
        r#"{"event\u004eame":"UpdateUserPool","eventName":"GetId","eventSource":"x"}"#,
        r#"{"eventSource":"x","eventName":"GetId","event\u004eame":"UpdateUserPool"}"#,
        r#"{"eventSource":"x","eventName":"GetId","eventName":"UpdateUserPool"}"#,
        r#"{"eventSource":"x","eventName":"GetId","a":1,"eventSource":"y"}"#,
        r#"{"eventName":42}"#,
        r#"{"eventName":["UpdateUserPool"]}"#,
        "{\"eventName\":\"Get\u{1}\"}",
        r#"{"eventName":"GetId""#,
        r#"["eventName"]"#,
        r#"{"a" 1}"#,
    ] {
        assert_eq!(keys(unsure), None, "{unsure}");
    }
    assert_eq!(top_keys(b"{\"eventName\":\"Get\xff\"}"), None);
}

#[test]
fn stops_early_only_when_no_second_copy_can_follow() {
    // The walk ends after eventName; the broken tail is never looked at.
    let r = r#"{"eventSource":"s","eventName":"n","requestParameters":{"x":"#;
    assert_eq!(keys(r), Some((Some("s"), Some("n"))));
    let r = r#"{"eventSource":"s","eventName":"n","requestParameters":{"eventName":"m"}}"#;
    assert_eq!(keys(r), Some((Some("s"), Some("n"))));
}

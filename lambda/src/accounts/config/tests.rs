use crate::config::Config;

const TOPIC: &str = "arn:aws:sns:eu-west-1:111122223333:cognito-alerts";

fn read(role: Option<&str>) -> Result<Config, String> {
    Config::from_env(|k| match k {
        "ALERT_TOPIC_ARN" => Some(TOPIC.into()),
        "ACCOUNT_NAMES_ROLE_ARN" => role.map(str::to_string),
        _ => None,
    })
    .map_err(|e| e.to_string())
}

#[test]
fn off_unless_a_role_is_given() {
    assert_eq!(read(None).unwrap().account_names, None);
    assert_eq!(
        read(Some("  ")).unwrap().account_names,
        None,
        "empty = unset"
    );
}

#[test]
fn a_role_arn_in_any_partition_with_a_path() {
    for arn in [
        "arn:aws:iam::210987654321:role/cognito-trail-alerts-account-names",
        "arn:aws-us-gov:iam::210987654321:role/security/names+reader@x",
        "arn:aws-cn:iam::210987654321:role/a",
    ] {
        let names = read(Some(arn)).unwrap().account_names.unwrap();
        assert_eq!(names.role_arn, arn);
    }
}

#[test]
fn anything_else_is_refused_with_the_variable_named() {
    for bad in [
        "cognito-trail-alerts-account-names",
        "arn:aws:iam::210987654321:user/alice",
        "arn:aws:iam::21098765432:role/short-account",
        "arn:aws:sts::210987654321:role/wrong-service",
        "arn:aws:iam:eu-west-1:210987654321:role/regional",
        "arn:aws:iam::210987654321:role/",
        "arn:aws:iam::210987654321:role/has space",
        "arn:aws:iam::210987654321:role/path//name",
        "arn:AWS:iam::210987654321:role/upper",
    ] {
        let err = read(Some(bad)).unwrap_err();
        assert!(
            err.contains("ACCOUNT_NAMES_ROLE_ARN") && err.contains("not an IAM role ARN"),
            "{bad}: {err}"
        );
    }
    let long = format!("arn:aws:iam::210987654321:role/{}", "n".repeat(65));
    assert!(read(Some(&long)).is_err(), "a name of 65 characters");
}

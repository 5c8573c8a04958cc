use super::*;

#[test]
fn exact_and_glob() {
    let p = Pattern::new("arn:aws:iam::*:role/ci-*").unwrap();
    assert!(p.matches("arn:aws:iam::111122223333:role/ci-deploy"));
    assert!(!p.matches("arn:aws:iam::111122223333:role/admin"));
    assert_eq!(Pattern::new("Delete*").unwrap().exact(), None);
    assert_eq!(
        Pattern::new("UpdateUserPool").unwrap().exact(),
        Some("UpdateUserPool")
    );
    assert!(Pattern::new("Create{UserPool,Group}")
        .unwrap()
        .matches("CreateGroup"));
}

#[test]
fn ignoring_case() {
    let p: NoCasePatterns = serde_yaml_ng::from_str("[admin*, Ops]").unwrap();
    assert!(p.0.matches("Administrators") && p.0.matches("ADMIN") && p.0.matches("ops"));
    assert!(!p.0.matches("readers"));
    assert!(serde_yaml_ng::from_str::<NoCasePatterns>("[]").is_err());
}

#[test]
fn bad_glob_is_an_error() {
    let err = Pattern::new("Delete[User").unwrap_err();
    assert!(err.contains("bad glob"), "{err}");
}

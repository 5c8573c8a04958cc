use super::*;

#[test]
fn orders_and_parses() {
    assert!(Severity::Info < Severity::Low && Severity::High < Severity::Critical);
    assert_eq!("HIGH".parse::<Severity>().unwrap(), Severity::High);
    assert!("urgent".parse::<Severity>().is_err());
}

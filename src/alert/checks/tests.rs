use super::*;
use crate::rules::posture::State;

fn assessed(id: &str, severity: Severity, transition: Transition) -> Assessment {
    Assessment {
        check: id.into(),
        title: format!("title of {id}"),
        severity,
        fix: format!("fix {id}"),
        prowler: (id == "user-pool.mfa-on").then(|| "cognito_user_pool_mfa_enabled".into()),
        transition,
        after: State::Fail,
    }
}

#[test]
fn failed_fixed_and_still_failing_each_said_once() {
    let change = PostureChange::from_assessments(
        &[
            assessed(
                "user-pool.password-symbol",
                Severity::Low,
                Transition::StillFailing,
            ),
            assessed(
                "user-pool.mfa-on",
                Severity::High,
                Transition::Failed { before_known: true },
            ),
            assessed(
                "user-pool.deletion-protection",
                Severity::High,
                Transition::Fixed,
            ),
            assessed("user-pool.tier", Severity::Medium, Transition::Quiet),
            assessed("user-pool.threat", Severity::High, Transition::StillFailing),
            assessed(
                "user-pool.length",
                Severity::Medium,
                Transition::Failed {
                    before_known: false,
                },
            ),
        ],
        false,
    );
    assert_eq!(change.failed_severity(), Some(Severity::High));
    assert_eq!(
        change.lines(),
        [
            "FAILS NOW: title of user-pool.mfa-on (was passing) [user-pool.mfa-on; Prowler cognito_user_pool_mfa_enabled]. Fix: fix user-pool.mfa-on",
            "FAILS: title of user-pool.length (not known before) [user-pool.length]. Fix: fix user-pool.length",
            "fixed: title of user-pool.deletion-protection [user-pool.deletion-protection]",
            "still failing: title of user-pool.threat, title of user-pool.password-symbol",
        ]
    );
    let json = serde_json::to_value(&change).unwrap();
    assert_eq!(json["failed"][0]["wasPassing"], true);
    assert_eq!(json["stillFailing"].as_array().unwrap().len(), 2);
    assert!(PostureChange::from_assessments(&[], false).is_empty());
    let refused = PostureChange::from_assessments(
        &[assessed(
            "user-pool.mfa-on",
            Severity::High,
            Transition::Failed { before_known: true },
        )],
        true,
    );
    assert!(refused.lines()[0]
        .starts_with("WOULD FAIL (the call was refused): title of user-pool.mfa-on"));
    assert_eq!(serde_json::to_value(&refused).unwrap()["attempt"], true);
}

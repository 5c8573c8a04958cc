//! The bundled pack against the operation catalogue (`rules/catalogue.json`, written
//! from botocore's models by scripts/cognito-catalogue.py): every configuration and
//! admin write has a rule of its own, reads and end users' calls never alert, and an
//! operation newer than the catalogue still alerts once, through the fallback.

mod pack;

use std::collections::HashSet;

use cognito_trail_alerts::Severity;
use pack::*;

#[test]
fn the_catalogue_is_whole() {
    let all = catalogue();
    let unique: HashSet<_> = all
        .iter()
        .map(|o| (&o.event_source, &o.event_name))
        .collect();
    assert_eq!(unique.len(), all.len(), "an operation is listed twice");
    let count = |c| all.iter().filter(|o| o.class == c).count();
    // botocore 1.44.8: 153 + 23 + 17 operations; 10 documented endpoint events.
    assert_eq!(all.len(), 203);
    assert_eq!(
        [
            count(Class::ConfigWrite),
            count(Class::AdminWrite),
            count(Class::EndUser),
            count(Class::Read),
            count(Class::Endpoint),
        ],
        [59, 24, 42, 68, 10]
    );
    for op in all.iter().filter(|o| o.class == Class::Endpoint) {
        assert_eq!(op.event_source, IDP, "{}", op.event_name);
        assert_eq!(op.event_type.as_deref(), Some("AwsServiceEvent"));
        assert!(op.event_name.ends_with("_GET") || op.event_name.ends_with("_POST"));
    }
    for source in SOURCES {
        assert!(all.iter().any(|o| o.event_source == source), "{source}");
    }
}

#[test]
fn every_write_has_a_rule_of_its_own() {
    let rules = bundled();
    let mut problems = Vec::new();
    for op in writes() {
        let (source, name) = (op.event_source.as_str(), op.event_name.as_str());
        for error in [None, Some("AccessDenied")] {
            let bytes = record(source, name, ops_role(), params_for(source), error);
            assert!(rules.may_match(&bytes), "prefilter drops {source} {name}");
            match evaluate(&rules, &bytes) {
                None => problems.push(format!("{source} {name} ({error:?}): no rule")),
                Some(v) if v.rule.fallback => problems.push(format!(
                    "{source} {name} ({error:?}): only the fallback {} matches",
                    v.rule.id
                )),
                Some(v) if !v.rule.event_sources().unwrap_or_default().contains(&source) => {
                    problems.push(format!("{source} {name}: matched by {}", v.rule.id))
                }
                Some(_) => {}
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn reads_never_alert_whoever_calls() {
    let rules = bundled();
    for op in ops(Class::Read) {
        for caller in [ops_role(), anonymous(), app_user(), root_user()] {
            for error in [None, Some("AccessDenied")] {
                let src = op.event_source.as_str();
                let bytes = record(src, &op.event_name, caller.clone(), params_for(src), error);
                if let Some(v) = evaluate(&rules, &bytes) {
                    panic!("read {src} {} matched {}", op.event_name, v.rule.id);
                }
            }
        }
    }
}

/// The exact prefilter skips every read and every end user's call no rule names
/// unparsed: the fallback's names-only `unless` blocks cover them (an account whose
/// app signs users in through Cognito logs mostly these).
#[test]
fn reads_and_end_users_calls_are_not_even_parsed() {
    let rules = bundled();
    let named: HashSet<&str> = rules
        .rules()
        .iter()
        .flat_map(|r| r.event_names().unwrap_or_default())
        .collect();
    let mut parsed = Vec::new();
    for op in ops(Class::Read).into_iter().chain(ops(Class::EndUser)) {
        let src = op.event_source.as_str();
        let bytes = record(src, &op.event_name, app_user(), params_for(src), None);
        if rules.may_match(&bytes) && !named.contains(op.event_name.as_str()) {
            parsed.push(format!("{src} {}", op.event_name));
        }
    }
    assert!(parsed.is_empty(), "parsed: {parsed:?}");
}

#[test]
fn end_users_calls_never_alert_and_an_admins_are_low_at_most() {
    let rules = bundled();
    for op in ops(Class::EndUser) {
        let src = op.event_source.as_str();
        for caller in [anonymous(), app_user()] {
            let bytes = record(src, &op.event_name, caller, params_for(src), None);
            if let Some(v) = evaluate(&rules, &bytes) {
                panic!("end user's {src} {} matched {}", op.event_name, v.rule.id);
            }
        }
        let bytes = record(src, &op.event_name, ops_role(), params_for(src), None);
        if let Some(v) = evaluate(&rules, &bytes) {
            assert!(
                v.finding.severity <= Severity::Low && !v.rule.fallback,
                "{src} {} by an administrator: {} at {}",
                op.event_name,
                v.rule.id,
                v.finding.severity
            );
        }
    }
}

#[test]
fn an_operation_newer_than_the_catalogue_alerts_once_at_medium() {
    let rules = bundled();
    let known: HashSet<String> = catalogue().into_iter().map(|o| o.event_name).collect();
    for source in SOURCES {
        for name in [
            "CreateQuantumVault",
            "SetUserPoolQuantumPolicy",
            "AdminQuantumResetUser",
        ] {
            assert!(!known.contains(name));
            let bytes = record(source, name, ops_role(), params_for(source), None);
            assert!(rules.may_match(&bytes), "prefilter drops {source} {name}");
            let v = evaluate(&rules, &bytes).unwrap_or_else(|| panic!("{source} {name}: silent"));
            assert!(v.rule.fallback, "{source} {name}: {}", v.rule.id);
            assert!(v.rule.event_sources().unwrap().contains(&source));
            assert_eq!(v.finding.severity, Severity::Medium, "{source} {name}");
            assert!(v.also_matched.is_empty(), "{:?}", v.also_matched);
            let text = format!("{} {}", v.rule.title, v.rule.description);
            assert!(
                text.contains("does not know") && text.contains("catalogue"),
                "{text}"
            );
            // A new end-user call made by an app's user stays quiet.
            for caller in [anonymous(), app_user()] {
                let bytes = record(source, name, caller, params_for(source), None);
                assert!(
                    evaluate(&rules, &bytes).is_none(),
                    "{source} {name} by an end user"
                );
            }
        }
        for name in [
            "DescribeQuantumVault",
            "GetQuantumVault",
            "ListQuantumVaults",
            "AdminGetQuantumUser",
            "AdminListQuantumUsers",
        ] {
            let bytes = record(source, name, ops_role(), params_for(source), None);
            assert!(
                evaluate(&rules, &bytes).is_none(),
                "new read {source} {name} alerts"
            );
        }
    }
}

#[test]
fn rules_name_only_operations_of_their_source() {
    let known: HashSet<(String, String)> = catalogue()
        .into_iter()
        .map(|o| (o.event_source, o.event_name))
        .collect();
    for rule in bundled().rules() {
        let sources = rule.event_sources().expect("exact sources");
        // The catalogue is Cognito's; a rule may read another service's call that
        // acts on a Cognito resource (wafv2 AssociateWebACL on a user pool).
        if !sources.iter().any(|s| SOURCES.contains(s)) {
            continue;
        }
        let Some(names) = rule.event_names() else {
            assert!(rule.fallback, "{}: eventName must be exact", rule.id);
            continue;
        };
        for name in names {
            assert!(
                sources
                    .iter()
                    .any(|s| known.contains(&(s.to_string(), name.to_string()))),
                "{}: {name} is no operation of {sources:?} in the catalogue",
                rule.id
            );
        }
    }
}

/// Managed login and OAuth endpoint requests, in the shape the Developer Guide
/// documents (empty or set error fields, `readOnly` true, false or missing), never
/// alert: they are service events, and no rule of the pack names one.
#[test]
fn endpoint_events_never_alert() {
    let rules = bundled();
    let endpoints = ops(Class::Endpoint);
    assert!(endpoints.len() >= 10);
    for op in endpoints {
        for read_only in [Some(true), Some(false), None] {
            for error in ["", "NotAuthorizedException"] {
                let bytes = service_event(&op.event_source, &op.event_name, read_only, error);
                if let Some(v) = evaluate(&rules, &bytes) {
                    panic!(
                        "{} ({read_only:?}, {error:?}) matched {}",
                        op.event_name, v.rule.id
                    );
                }
            }
        }
    }
}

/// A service event of a name no list holds (a future endpoint, or one named like
/// an API operation) reaches no rule, the fallback included, on every source.
#[test]
fn a_service_event_of_an_unknown_name_never_alerts() {
    let rules = bundled();
    for source in SOURCES {
        for name in ["PasskeyEnroll_POST", "CreateQuantumVault", "UpdateUserPool"] {
            let bytes = service_event(source, name, Some(false), "");
            if let Some(v) = evaluate(&rules, &bytes) {
                panic!("service event {source} {name} matched {}", v.rule.id);
            }
        }
    }
}

/// `rules explain` says what each kind of Cognito event is.
#[test]
fn rules_explain_says_what_the_operation_is() {
    let rules = bundled();
    let explain = |bytes: Vec<u8>| {
        let record = cognito_trail_alerts::trail::Record::parse(&bytes).unwrap();
        rules.explain(&record).to_string()
    };
    let login = explain(service_event(IDP, "Login_GET", Some(true), ""));
    assert!(
        login.contains(
            "catalogue: Login_GET is a managed login (hosted UI) or OAuth 2.0 endpoint request"
        ),
        "{login}"
    );
    assert!(login.contains("result: no alert"), "{login}");
    let future = explain(service_event(IDP, "PasskeyEnroll_POST", None, ""));
    assert!(
        future.contains("it is a service event, not an API operation"),
        "{future}"
    );
    let read = explain(record(
        IDP,
        "DescribeUserPool",
        ops_role(),
        params_for(IDP),
        None,
    ));
    assert!(read.contains("DescribeUserPool is a read"), "{read}");
    let new = explain(record(
        IDP,
        "CreateQuantumVault",
        ops_role(),
        params_for(IDP),
        None,
    ));
    assert!(
        new.contains("an operation newer than the catalogue (botocore 1.44.8"),
        "{new}"
    );
    assert!(
        new.contains("alert medium from cognito.unknown-operation"),
        "{new}"
    );
}

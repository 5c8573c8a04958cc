use crate::rules::RuleSet;
use crate::trail::Record;

/// 600 rules: 200 names on each of 3 sources, plus one glob rule per source.
fn big_set() -> RuleSet {
    let mut yaml = String::from("rules:\n");
    for source in ["cognito-idp", "cognito-identity", "cognito-sync"] {
        for i in 0..200 {
            yaml += &format!(
                "  - {{id: {source}.r{i}, title: T, severity: low, description: D, \
                     match: {{eventSource: {source}.amazonaws.com, eventName: Op{i}}}}}\n"
            );
        }
        yaml += &format!(
            "  - {{id: {source}.deletes, title: T, severity: high, description: D, \
                 match: {{eventSource: {source}.amazonaws.com, eventName: 'Delete*'}}}}\n"
        );
    }
    RuleSet::from_yaml(&yaml, "big.yaml").unwrap()
}

#[test]
fn only_indexed_rules_are_candidates() {
    let set = big_set();
    assert_eq!(set.rules().len(), 603);
    let c = set
        .index
        .candidates(Some("cognito-sync.amazonaws.com"), Some("Op7"));
    let ids: Vec<_> = c.iter().map(|&i| set.rules()[i].id.as_str()).collect();
    assert_eq!(ids, ["cognito-sync.r7", "cognito-sync.deletes"]);
    assert!(set
        .index
        .candidates(Some("ec2.amazonaws.com"), Some("Op7"))
        .is_empty());
    let r = Record::parse(br#"{"eventSource":"cognito-idp.amazonaws.com","eventName":"DeleteX"}"#)
        .unwrap();
    assert_eq!(set.evaluate(&r).unwrap().rule.id, "cognito-idp.deletes");
}

#[test]
fn fallback_fires_only_on_api_calls_no_other_rule_names() {
    let yaml = "rules:
  - {id: idp.known, title: T, severity: high, description: D,
     match: {eventSource: cognito-idp.amazonaws.com, eventName: UpdateUserPool},
     unless: [{userIdentityType: Unknown}]}
  - {id: idp.unknown, title: T, severity: medium, description: D, fallback: true,
     match: {eventSource: cognito-idp.amazonaws.com},
     unless: [{eventName: 'Describe*'}]}
";
    let set = RuleSet::from_yaml(yaml, "fb.yaml").unwrap();
    let verdict = |json: &str| {
        let r = Record::parse(json.as_bytes()).unwrap();
        set.evaluate(&r)
            .map(|v| (v.rule.id.clone(), v.also_matched.len()))
    };
    let idp = r#""eventSource":"cognito-idp.amazonaws.com""#;
    assert_eq!(
        verdict(&format!(r#"{{{idp},"eventName":"UpdateUserPool"}}"#)),
        Some(("idp.known".into(), 0))
    );
    assert_eq!(
        verdict(&format!(r#"{{{idp},"eventName":"CreateShinyThing"}}"#)),
        Some(("idp.unknown".into(), 0))
    );
    assert_eq!(
        verdict(&format!(r#"{{{idp},"eventName":"DescribeX"}}"#)),
        None
    );
    // The known rule's own `unless` keeps the record quiet: the operation is
    // named, so it is not the fallback's.
    assert_eq!(
        verdict(&format!(
            r#"{{{idp},"eventName":"UpdateUserPool","userIdentity":{{"type":"Unknown"}}}}"#
        )),
        None
    );
    // A service event of an unknown name is not an operation: no rule that
    // names no eventType fires on it.
    assert_eq!(
        verdict(&format!(
            r#"{{{idp},"eventName":"Login_GET","eventType":"AwsServiceEvent"}}"#
        )),
        None
    );
    assert_eq!(
        verdict(&format!(
            r#"{{{idp},"eventName":"CreateShinyThing","eventType":"AwsApiCall"}}"#
        )),
        Some(("idp.unknown".into(), 0))
    );
    assert_eq!(set.prefilter.as_ref().unwrap().searches_prefix(), Some(1));
    assert!(!set.may_match(br#"{"eventSource":"kms.amazonaws.com"}"#));
    // The fallback's names-only `unless` holds on DescribeX: nothing can fire.
    assert!(!set.may_match(format!(r#"{{{idp},"eventName":"DescribeX"}}"#).as_bytes()));
    assert!(set.may_match(format!(r#"{{{idp},"eventName":"CreateShinyThing"}}"#).as_bytes()));
}

#[test]
fn prefilter_needs_exact_sources() {
    let set = big_set();
    let idp = r#""eventSource":"cognito-idp.amazonaws.com""#;
    assert!(set.may_match(format!(r#"{{{idp},"eventName":"Op7"}}"#).as_bytes()));
    assert!(set.may_match(format!(r#"{{{idp},"eventName":"DeleteX"}}"#).as_bytes()));
    assert!(!set.may_match(format!(r#"{{{idp},"eventName":"Op700"}}"#).as_bytes()));
    assert!(
        !set.may_match(format!("{{{idp}}}").as_bytes()),
        "no eventName"
    );
    assert!(!set.may_match(br#"{"eventSource":"kms.amazonaws.com","x":"cognito-idp"}"#));
    let open = RuleSet::from_yaml(
        "rules:\n  - {id: a, title: T, severity: low, description: D, match: {eventName: 'Delete*'}}\n",
        "open.yaml",
    )
    .unwrap();
    assert!(open.may_match(br#"{"eventSource":"kms.amazonaws.com","eventName":"DeleteKey"}"#));
    assert!(!open.may_match(br#"{"eventSource":"kms.amazonaws.com","eventName":"Decrypt"}"#));
}

#[test]
fn prefix_prefilter_checks_full_needles() {
    let set = big_set();
    assert_eq!(set.prefilter.as_ref().unwrap().searches_prefix(), Some(1));
    assert!(!set.may_match(br#"{"a":"cognito-idx","b":"cognito-"}"#));
    let sync =
        br#"{"a":"cognito-idx","eventSource":"cognito-sync.amazonaws.com","eventName":"Op1"}"#;
    assert!(set.may_match(sync));
    let mixed = RuleSet::from_yaml(
        "rules:\n  - {id: a, title: T, severity: low, description: D, match: {eventSource: [ec2.amazonaws.com, iam.amazonaws.com]}}\n",
        "mixed.yaml",
    )
    .unwrap();
    // Two sources with nothing in common: a search for each.
    assert_eq!(mixed.prefilter.as_ref().unwrap().searches_prefix(), Some(2));
    assert!(mixed.may_match(br#"{"eventSource":"iam.amazonaws.com"}"#));
    assert!(!mixed.may_match(br#"{"eventSource":"sts.amazonaws.com"}"#));
    // The bundled pack: the Cognito sources' prefix and wafv2's, in one pass.
    let pack = RuleSet::bundled().unwrap();
    let pack_search = pack.prefilter.as_ref().unwrap().searches_prefix();
    assert!(
        matches!(pack_search, Some(2) | Some(100)),
        "{pack_search:?}"
    );
    assert!(pack
        .may_match(br#"{"eventSource":"wafv2.amazonaws.com","eventName":"DisassociateWebACL"}"#));
    assert!(
        !pack.may_match(br#"{"eventSource":"waf.amazonaws.com","eventName":"DisassociateWebACL"}"#)
    );
    // Many unrelated sources: one Aho-Corasick pass.
    let many = RuleSet::from_yaml(
        "rules:\n  - {id: a, title: T, severity: low, description: D, match: {eventSource: [ec2.amazonaws.com, iam.amazonaws.com, sts.amazonaws.com, kms.amazonaws.com]}}\n",
        "many.yaml",
    )
    .unwrap();
    assert_eq!(many.prefilter.as_ref().unwrap().searches_prefix(), Some(0));
    assert!(many.may_match(br#"{"eventSource":"kms.amazonaws.com"}"#));
}

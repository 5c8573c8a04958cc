use super::*;

const HEAD: &str = "rules:\n";
const RULE: &str = "  - id: a.rule\n    title: T\n    severity: low\n    description: D\n    match:\n      eventName: X\n";

fn compile_one(text: &str) -> Result<Vec<Rule>, RulesError> {
    compile(text, "r.yaml", &mut Shared::default(), &mut HashSet::new()).map(|c| c.rules)
}

fn err(text: &str) -> String {
    compile_one(text).unwrap_err().to_string()
}

#[test]
fn errors_carry_file_and_line() {
    let cases = [
        (
            format!("{HEAD}{RULE}    bogus: 1\n"),
            "r.yaml:8:5: rules[0]: unknown field `bogus`",
        ),
        (
            format!("{HEAD}{}", RULE.replace("low", "urgent")),
            "r.yaml:4:15: rules[0].severity: unknown variant `urgent`",
        ),
        (
            format!("{HEAD}{}", RULE.replace("X\n", "'Delete[User'\n")),
            "r.yaml:7:18: rules[0].match.eventName: bad glob",
        ),
        (
            format!("{HEAD}{RULE}{RULE}"),
            "r.yaml:8:5: duplicate rule id \"a.rule\"",
        ),
        (
            format!("{HEAD}{}", RULE.replace("a.rule", "a rule")),
            "r.yaml:2:5: rule \"a rule\": id must be",
        ),
        (
            format!("{HEAD}{RULE}    escalate:\n      - severity: info\n        when: {{}}\n"),
            "r.yaml:2:5: rule \"a.rule\": escalate[0]: severity info does not raise",
        ),
        (
            format!("{HEAD}{RULE}    runbook: wiki/page\n"),
            "is not an http(s) URL",
        ),
        (
            format!("{HEAD}{}    fallback: true\n", RULE),
            "r.yaml:2:5: rule \"a.rule\": a fallback rule must name its event sources exactly",
        ),
        (
            format!("{HEAD}{RULE}    escalate:\n      - severity: high\n        when: {{ changed: [MFA] }}\n"),
            "r.yaml:2:5: rule \"a.rule\": \"MFA\" is not a setting of the rule's `track`",
        ),
        (
            format!("{HEAD}{RULE}    track: {{ kind: pool, id: [userPoolId], settings: [] }}\n"),
            "r.yaml:2:5: rule \"a.rule\": track.id: \"userPoolId\" must start with",
        ),
        (
            format!("version: 2\n{HEAD}{RULE}"),
            "r.yaml:1:1: unsupported version 2",
        ),
    ];
    for (text, want) in cases {
        let got = err(&text);
        assert!(
            got.starts_with(want) || got.contains(want),
            "want {want:?}, got {got:?}"
        );
    }
}

#[test]
fn a_valid_file_compiles() {
    let rules = compile_one(&format!("{HEAD}{RULE}")).unwrap();
    assert_eq!(rules.len(), 1);
    assert_eq!(rules[0].line, 2);
}

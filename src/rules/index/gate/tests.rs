use super::*;

#[test]
fn prefix_globs_answer_as_globs_do() {
    for glob in [
        "Describe*",
        "Get*",
        "*",
        "Get?*",
        "A[dm]*",
        "{Get,List}*",
        "x\\**",
    ] {
        let p = Patterns(vec![Pattern::new(glob).unwrap()]);
        let set = StrSet::of(&p);
        for name in [
            "DescribeUserPool",
            "Describe",
            "GetId",
            "Ge",
            "Admin",
            "List",
            "x*y",
            "",
        ] {
            assert_eq!(set.contains(name), p.matches(name), "{glob} on {name}");
        }
    }
    assert_eq!(plain_prefix("Describe*"), Some("Describe"));
    assert_eq!(plain_prefix("*"), Some(""));
    assert_eq!(plain_prefix("Get?*"), None);
}

use super::clip;

#[test]
fn clip_keeps_subjects_legal() {
    assert_eq!(clip("[HIGH] a\nb\u{7}c  é", 99), "[HIGH] a b?c ?");
    let long = "x".repeat(150);
    let c = clip(&long, 99);
    assert!(c.len() == 99 && c.ends_with("..."));
}

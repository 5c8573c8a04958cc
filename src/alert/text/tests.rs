use super::clean;

#[test]
fn control_characters_are_escaped() {
    assert_eq!(clean("pool\u{1b}[31mred\n"), "pool\\u{1b}[31mred\\u{a}");
    assert_eq!(clean("plain <!channel>"), "plain <!channel>");
}

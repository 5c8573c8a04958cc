use serde_json::json;

use super::*;

#[test]
fn bytes_and_values_have_the_same_words() {
    for v in [
        json!({}),
        json!([]),
        json!("s"),
        json!(null),
        json!(true),
        json!(-1),
    ] {
        assert_eq!(kind_of_text(v.to_string().as_bytes()), kind(&v), "{v}");
    }
    assert_eq!(kind_of_text(b""), "invalid JSON");
    assert_eq!(kind_of_text(b"x"), "invalid JSON");
}

use super::*;
use serde_json::json;

#[test]
fn reads_ids_from_request_then_response() {
    let req = json!({"identityPoolName": "TestPool"});
    let resp = json!({"identityPoolId": "us-east-1:1cf6", "identityPoolName": "TestPool"});
    let r = Resource::extract(Some(&req), Some(&resp));
    assert_eq!(r.identity_pool_id.as_deref(), Some("us-east-1:1cf6"));
    assert_eq!(
        r.describe().unwrap(),
        "identity pool TestPool (us-east-1:1cf6)"
    );
}

#[test]
fn create_user_pool_client_reads_the_response() {
    let req = json!({"userPoolId": "eu-west-1_AbC", "clientName": "web"});
    let resp = json!({"userPoolClient": {"clientId": "4tq1", "clientName": "web"}});
    let r = Resource::extract(Some(&req), Some(&resp));
    assert_eq!(r.client_id.as_deref(), Some("4tq1"));
    assert_eq!(
        r.describe().unwrap(),
        "user pool eu-west-1_AbC, app client web (4tq1)"
    );
    assert_eq!(Resource::extract(None, None).describe(), None);
}

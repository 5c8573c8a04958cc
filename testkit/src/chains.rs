//! Records of the bundled chains' steps, as CloudTrail logs them: the user a
//! request is about is its `sub` in `additionalEventData` (the user name is
//! redacted).

use serde_json::{json, Value};

use crate::records::{record, RecordExt, USER_POOL_ID};

/// The user the takeover records are about.
pub const USER_SUB: &str = "3f2a9c1e-7b4d-4e8a-9c21-5d6e7f8a9b0c";

const IDP: &str = "cognito-idp.amazonaws.com";

fn about_user(r: Value, sub: &str) -> Value {
    r.set("additionalEventData", json!({ "sub": sub }))
}

/// AdminUpdateUserAttributes changing user `sub`'s email (and marking it verified).
pub fn admin_change_email(event_id: &str, sub: &str) -> Value {
    let attrs = json!([{"name": "email", "value": "HIDDEN_DUE_TO_SECURITY_REASONS"},
                       {"name": "email_verified", "value": "true"}]);
    let params = json!({"userPoolId": USER_POOL_ID, "username": "HIDDEN_DUE_TO_SECURITY_REASONS",
                        "userAttributes": attrs});
    about_user(
        record(IDP, "AdminUpdateUserAttributes", params, event_id),
        sub,
    )
}

/// AdminSetUserMFAPreference disabling user `sub`'s authenticator app (TOTP).
pub fn admin_disable_totp(event_id: &str, sub: &str) -> Value {
    let params = json!({"userPoolId": USER_POOL_ID, "username": "HIDDEN_DUE_TO_SECURITY_REASONS",
                        "softwareTokenMfaSettings": {"enabled": false, "preferredMfa": false}});
    about_user(
        record(IDP, "AdminSetUserMFAPreference", params, event_id),
        sub,
    )
}

/// InitiateAuth refused for a wrong password, by an anonymous end user.
pub fn failed_sign_in(event_id: &str) -> Value {
    let params = json!({"authFlow": "USER_PASSWORD_AUTH", "clientId": "1example23456789abcdefghij",
                        "authParameters": "HIDDEN_DUE_TO_SECURITY_REASONS"});
    record(IDP, "InitiateAuth", params, event_id)
        .by(json!({"type": "Unknown", "principalId": "Anonymous"}))
        .set("errorCode", json!("NotAuthorizedException"))
        .set("errorMessage", json!("Incorrect username or password."))
}

//! Change sets over realistic CloudTrail records judged by the bundled pack:
//! grouping (`grouping.rs`), tool detection from real user agents (`tool.rs`),
//! rendering (`render.rs`) and numbered parts (`parts.rs`).

mod grouping;
mod parts;
mod render;
mod tool;

use std::io::Cursor;
use std::sync::OnceLock;

use serde_json::{json, Value};

use super::*;
use crate::rules::RuleSet;
use crate::Origin;
use cognito_trail_alerts_testkit::records::{self, assumed_role, RecordExt, USER_POOL_ID};
use cognito_trail_alerts_testkit::trail;

const IDP: &str = "cognito-idp.amazonaws.com";
const IDENTITY: &str = "cognito-identity.amazonaws.com";

/// What Terraform's AWS provider sends (Terraform 1.9, provider 5.80, SDK for Go v2).
const TERRAFORM_UA: &str = "APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+https://www.terraform.io) \
     terraform-provider-aws/5.80.0 (+https://registry.terraform.io/providers/hashicorp/aws) \
     aws-sdk-go-v2/1.32.6 ua/2.1 os/linux lang/go#1.23.3 md/GOOS#linux md/GOARCH#amd64 \
     api/cognitoidentityprovider#1.48.0 m/E,g";
/// A browser in the console.
const BROWSER_UA: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 \
     (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

fn bundled() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| RuleSet::bundled().expect("the bundled pack loads"))
}

fn origin() -> Origin {
    Origin::S3 {
        bucket: "trail-bucket".into(),
        key: cognito_trail_alerts_testkit::log_key("0905"),
    }
}

/// The alerts the bundled pack makes of `records`, one trail file, in file order.
fn scan(records: &[Value]) -> Vec<Alert> {
    let mut alerts = Vec::new();
    crate::scan(bundled(), Cursor::new(trail(records)), &origin(), |a| {
        alerts.push(a)
    })
    .expect("the file scans");
    alerts
}

/// `role`'s session (its own temporary key `key`) calling from `ua`.
fn session(role: &str, key: &str) -> Value {
    let mut id = assumed_role(role);
    id["accessKeyId"] = json!(key);
    id
}

/// `2026-11-20T09:MM:SS` + `secs` seconds after 09:02:41.
fn at(secs: u32) -> String {
    let t = 2 * 60 + 41 + secs;
    format!("2026-11-20T09:{:02}:{:02}Z", t / 60, t % 60)
}

/// A Cognito call `name` with `params` by `who` from `ua`, `secs` after 09:02:41.
fn call(
    source: &str,
    name: &str,
    params: Value,
    id: &str,
    who: &Value,
    ua: &str,
    secs: u32,
) -> Value {
    records::record(source, name, params, id)
        .by(who.clone())
        .at(&at(secs))
        .set("userAgent", json!(ua))
}

/// The twelve calls of one `terraform apply` creating a user pool and what hangs
/// off it, by `who`, spread over 40 s; event ids `{prefix}-01`...
fn terraform_apply(who: &Value, prefix: &str, start: u32) -> Vec<Value> {
    let pool = json!({"userPoolId": USER_POOL_ID});
    let with = |extra: Value| {
        let mut p = pool.clone();
        p.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        p
    };
    let calls: Vec<(&str, &str, Value)> = vec![
        (
            IDP,
            "CreateUserPool",
            json!({"poolName": "shop", "mfaConfiguration": "OFF",
            "adminCreateUserConfig": {"allowAdminCreateUserOnly": false},
            "policies": {"passwordPolicy": {"minimumLength": 8}}}),
        ),
        (
            IDP,
            "SetUserPoolMfaConfig",
            with(json!({"mfaConfiguration": "OPTIONAL",
            "softwareTokenMfaConfiguration": {"enabled": true}})),
        ),
        (
            IDP,
            "CreateUserPoolDomain",
            with(json!({"domain": "shop-auth"})),
        ),
        (
            IDP,
            "CreateUserPoolClient",
            with(json!({"clientName": "web", "generateSecret": false,
            "explicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]})),
        ),
        (
            IDP,
            "CreateUserPoolClient",
            with(json!({"clientName": "mobile",
            "explicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]})),
        ),
        (
            IDP,
            "CreateUserPoolClient",
            with(json!({"clientName": "backoffice", "generateSecret": true,
            "allowedOAuthFlows": ["client_credentials"], "allowedOAuthFlowsUserPoolClient": true})),
        ),
        (
            IDP,
            "CreateGroup",
            with(json!({"groupName": "admins", "precedence": 0})),
        ),
        (
            IDP,
            "CreateGroup",
            with(json!({"groupName": "customers", "precedence": 10})),
        ),
        (
            IDP,
            "CreateResourceServer",
            with(json!({"identifier": "https://api.shop.example",
            "name": "shop-api", "scopes": [{"scopeName": "orders.read", "scopeDescription": "read"}]})),
        ),
        (
            IDP,
            "CreateIdentityProvider",
            with(json!({"providerName": "Google", "providerType": "Google",
            "providerDetails": {"client_id": "1234.apps.googleusercontent.com",
                "client_secret": "HIDDEN_DUE_TO_SECURITY_REASONS", "authorize_scopes": "openid email"}})),
        ),
        (
            IDENTITY,
            "CreateIdentityPool",
            json!({"identityPoolName": "shop",
            "allowUnauthenticatedIdentities": true,
            "cognitoIdentityProviders": [{"providerName": "cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Ab12Cd34E",
                "clientId": "4tq8nexampleclient"}]}),
        ),
        (
            IDENTITY,
            "SetIdentityPoolRoles",
            json!({"identityPoolId": records::IDENTITY_POOL_ID,
            "roles": {"authenticated": "arn:aws:iam::111122223333:role/shop-auth",
                "unauthenticated": "arn:aws:iam::111122223333:role/shop-guest"}}),
        ),
    ];
    let offsets = [0, 2, 5, 9, 12, 15, 19, 23, 27, 31, 36, 40];
    calls
        .into_iter()
        .zip(offsets)
        .enumerate()
        .map(|(i, ((source, name, params), secs))| {
            call(
                source,
                name,
                params,
                &format!("{prefix}-{:02}", i + 1),
                who,
                TERRAFORM_UA,
                start + secs,
            )
        })
        .collect()
}

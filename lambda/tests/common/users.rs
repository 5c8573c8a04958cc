//! User lookups' side of a test world: user pools and users in moto's Cognito
//! (the function's own account, or a member account reached through an assumed
//! role), and the function built with `ENRICH_*` settings.

use aws_config::sts::AssumeRoleProvider;
use aws_sdk_cognitoidentityprovider::types::AttributeType;
use aws_sdk_cognitoidentityprovider::Client;
use cognito_trail_alerts_lambda::build_with;
use cognito_trail_alerts_lambda::config::Config;
use cognito_trail_alerts_lambda::LambdaApp;
use serde_json::{json, Value};

use super::state::moto_endpoint;
use super::{require, sdk_config_for, World};

/// The region of the test pools (the function's clients are in us-east-1: each
/// lookup goes to the pool's region, as its id says).
pub const POOL_REGION: &str = "eu-west-1";

/// A user pool in moto.
pub struct Pool {
    pub client: Client,
    pub id: String,
}

impl Pool {
    /// A pool in moto's default account (the function's own credentials reach it).
    pub async fn create(name: &str) -> Pool {
        let url = moto_endpoint();
        require(&url, "moto (Cognito)", "scripts/moto.sh start");
        let shared = sdk_config_for(&url).await;
        Pool::create_with(Client::from_conf(regional(&shared).build()), name).await
    }

    /// A pool in `account`, created through a role assumed there (moto serves
    /// each account's resources to the credentials of a role in it).
    pub async fn create_in(account: &str, name: &str) -> Pool {
        let shared = sdk_config_for(&moto_endpoint()).await;
        let provider =
            AssumeRoleProvider::builder(format!("arn:aws:iam::{account}:role/pool-admin"))
                .session_name("test-setup")
                .configure(&shared)
                .build()
                .await;
        let conf = regional(&shared).credentials_provider(provider).build();
        Pool::create_with(Client::from_conf(conf), name).await
    }

    async fn create_with(client: Client, name: &str) -> Pool {
        let out = client
            .create_user_pool()
            .pool_name(name)
            .send()
            .await
            .expect("create user pool");
        let id = out.user_pool.and_then(|p| p.id).unwrap();
        assert!(id.starts_with(POOL_REGION), "{id}");
        Pool { client, id }
    }

    /// Adds `username` with an email and a phone number; returns its sub.
    pub async fn add_user(&self, username: &str, email: &str) -> String {
        let attr = |n: &str, v: &str| AttributeType::builder().name(n).value(v).build().unwrap();
        self.client
            .admin_create_user()
            .user_pool_id(&self.id)
            .username(username)
            .user_attributes(attr("email", email))
            .user_attributes(attr("phone_number", "+15555550100"))
            .send()
            .await
            .expect("create user");
        let user = self
            .client
            .admin_get_user()
            .user_pool_id(&self.id)
            .username(username)
            .send()
            .await
            .expect("get user");
        let attrs = user.user_attributes.unwrap_or_default();
        let sub = attrs.iter().find(|a| a.name() == "sub").unwrap();
        sub.value().unwrap().to_string()
    }

    /// Disables `username`.
    pub async fn disable(&self, username: &str) {
        self.client
            .admin_disable_user()
            .user_pool_id(&self.id)
            .username(username)
            .send()
            .await
            .expect("disable user");
    }

    /// Deletes `username`.
    pub async fn delete(&self, username: &str) {
        self.client
            .admin_delete_user()
            .user_pool_id(&self.id)
            .username(username)
            .send()
            .await
            .expect("delete user");
    }
}

fn regional(shared: &aws_config::SdkConfig) -> aws_sdk_cognitoidentityprovider::config::Builder {
    aws_sdk_cognitoidentityprovider::config::Builder::from(shared).region(
        aws_sdk_cognitoidentityprovider::config::Region::new(POOL_REGION),
    )
}

impl World {
    /// The function as `main` builds it for this world, with `extra` settings
    /// (`ENRICH_*`), its clients talking to `endpoint` (a proxy that sends Cognito
    /// and STS to moto).
    pub async fn function_with(&self, endpoint: &str, extra: &[(&str, &str)]) -> LambdaApp {
        let shared = sdk_config_for(endpoint).await;
        let config = Config::from_env(|name| match name {
            "ALERT_TOPIC_ARN" => Some(self.topic_arn.clone()),
            "METRICS_NAMESPACE" => Some(self.namespace.clone()),
            "S3_FORCE_PATH_STYLE" => Some("true".into()),
            _ => extra
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string()),
        })
        .unwrap();
        build_with(&config, &shared).await.unwrap()
    }
}

/// A user-specific admin write as CloudTrail logs it: the user as its sub in
/// `additionalEventData`, the user name hidden.
pub fn admin_write(event_id: &str, name: &str, account: &str, pool: &str, sub: &str) -> Value {
    json!({
        "eventVersion": "1.09",
        "userIdentity": {"type": "AssumedRole", "principalId": "AROAEXAMPLE:i-0abc",
            "arn": format!("arn:aws:sts::{account}:assumed-role/support-api/i-0abc"), "accountId": account,
            "sessionContext": {"sessionIssuer": {"type": "Role", "arn": format!("arn:aws:iam::{account}:role/support-api"), "userName": "support-api"}}},
        "eventTime": "2026-11-20T09:02:41Z", "eventSource": "cognito-idp.amazonaws.com", "eventName": name,
        "awsRegion": POOL_REGION, "sourceIPAddress": "3.250.17.201", "userAgent": "Boto3/1.35.0",
        "requestParameters": {"userPoolId": pool, "username": "HIDDEN_DUE_TO_SECURITY_REASONS"},
        "responseElements": null, "additionalEventData": {"sub": sub},
        "requestID": format!("r-{event_id}"), "eventID": event_id, "readOnly": false,
        "eventType": "AwsApiCall", "managementEvent": true, "recipientAccountId": account,
        "eventCategory": "Management"
    })
}

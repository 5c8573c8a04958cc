//! Reading a Cognito resource's configuration (`SNAPSHOT_ON_FIRST_SIGHT`), in the
//! resource's region, with the function's credentials or a member account's role
//! (the user lookups' `ENRICH_ROLE_NAME`). Each Describe answer becomes one JSON
//! object shaped like the requests that set it: every member with a twin in
//! CreateUserPool / UpdateUserPool / SetUserPoolMfaConfig, UpdateUserPoolClient,
//! Create/UpdateIdentityPool / SetIdentityPoolRoles, UpdateUserPoolDomain and
//! SetRiskConfiguration, its key spelled as CloudTrail logs request keys (the wire
//! name with its first letter lowercased: `lambdaConfig.kMSKeyID`,
//! `inviteMessageTemplate.sMSMessage`). Members without a twin (ids, dates,
//! status, estimated users...) are left out.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use aws_config::retry::RetryConfig;
use aws_config::SdkConfig;
use aws_sdk_cognitoidentity as identity;
use aws_sdk_cognitoidentityprovider as idp;
use cognito_trail_alerts::users::{Failure, Via};
use serde_json::Value;

use super::cognito::{backstop_timeouts, client_config, failure, MemberRoles};
use crate::ports::{unsupported, BoxFuture, ConfigReader, ConfigTarget, Configuration};

/// Member accounts whose clients are kept; more, and the map starts over.
const MAX_MEMBER_CLIENTS: usize = 256;

/// The clients of one account.
#[derive(Clone)]
struct Clients {
    idp: idp::Client,
    identity: identity::Client,
}

/// The identity pools' client: like the user pools' (no retries, the caller's
/// one-second budget, a backstop timeout above it).
fn identity_config(shared: &SdkConfig) -> identity::config::Builder {
    identity::config::Builder::from(shared)
        .timeout_config(backstop_timeouts())
        .retry_config(RetryConfig::standard().with_max_attempts(1))
}

/// DescribeUserPool (+ GetUserPoolMfaConfig), DescribeUserPoolClient,
/// DescribeIdentityPool (+ GetIdentityPoolRoles), DescribeUserPoolDomain and
/// DescribeRiskConfiguration, through the function's or a member role's credentials.
pub struct CognitoConfigReader {
    own: Clients,
    shared: SdkConfig,
    roles: Arc<MemberRoles>,
    members: Mutex<HashMap<String, Clients>>,
}

impl CognitoConfigReader {
    /// A reader with clients built from `shared`, other accounts reached through
    /// `roles` (shared with the user lookups).
    pub fn new(shared: &SdkConfig, roles: Arc<MemberRoles>) -> Self {
        CognitoConfigReader {
            own: Clients {
                idp: idp::Client::from_conf(client_config(shared).build()),
                identity: identity::Client::from_conf(identity_config(shared).build()),
            },
            shared: shared.clone(),
            roles,
            members: Mutex::new(HashMap::new()),
        }
    }

    async fn clients(&self, via: &Via, region: &str) -> Result<Clients, Failure> {
        let account = match via {
            Via::Own => return Ok(self.own.clone()),
            Via::Role { account } => account,
        };
        if let Some(c) = self.members.lock().unwrap().get(account) {
            return Ok(c.clone());
        }
        let provider = self.roles.provider(account, region).await?;
        let clients = Clients {
            idp: idp::Client::from_conf(
                client_config(&self.shared)
                    .credentials_provider(provider.clone())
                    .build(),
            ),
            identity: identity::Client::from_conf(
                identity_config(&self.shared)
                    .credentials_provider(provider)
                    .build(),
            ),
        };
        let mut members = self.members.lock().unwrap();
        if members.len() >= MAX_MEMBER_CLIENTS {
            members.clear();
        }
        members.insert(account.clone(), clients.clone());
        Ok(clients)
    }

    async fn read_target(
        &self,
        target: &ConfigTarget,
        via: &Via,
    ) -> Result<Configuration, Failure> {
        let key = &target.key;
        let region = key.region.as_str();
        let c = self.clients(via, region).await?;
        let idp_region =
            || idp::config::Builder::default().region(idp::config::Region::new(key.region.clone()));
        let (doc, calls) = match key.kind.as_str() {
            "user-pool" => {
                let pool = c
                    .idp
                    .describe_user_pool()
                    .user_pool_id(&key.id)
                    .customize()
                    .config_override(idp_region())
                    .send();
                let mfa = c
                    .idp
                    .get_user_pool_mfa_config()
                    .user_pool_id(&key.id)
                    .customize()
                    .config_override(idp_region())
                    .send();
                let (pool, mfa) = tokio::join!(pool, mfa);
                let pool = pool
                    .map_err(|e| failure(e, via, region, &self.roles))?
                    .user_pool
                    .ok_or_else(|| missing(key))?;
                let mfa = mfa.map_err(|e| failure(e, via, region, &self.roles))?;
                let mut doc = user_pool(pool);
                merge(&mut doc, user_pool_mfa(mfa));
                (doc, "DescribeUserPool+GetUserPoolMfaConfig")
            }
            "app-client" => {
                let pool = target
                    .user_pool_id
                    .as_deref()
                    .ok_or_else(|| unsupported("an app client's snapshot needs its userPoolId"))?;
                let out = c
                    .idp
                    .describe_user_pool_client()
                    .user_pool_id(pool)
                    .client_id(&key.id)
                    .customize()
                    .config_override(idp_region())
                    .send()
                    .await
                    .map_err(|e| failure(e, via, region, &self.roles))?;
                let client = out.user_pool_client.ok_or_else(|| missing(key))?;
                (app_client(client), "DescribeUserPoolClient")
            }
            "domain" => {
                let out = c
                    .idp
                    .describe_user_pool_domain()
                    .domain(&key.id)
                    .customize()
                    .config_override(idp_region())
                    .send()
                    .await
                    .map_err(|e| failure(e, via, region, &self.roles))?;
                // Cognito answers an unknown domain with an empty description.
                let domain = out
                    .domain_description
                    .filter(|d| d.user_pool_id.is_some())
                    .ok_or_else(|| missing(key))?;
                (domain_doc(domain), "DescribeUserPoolDomain")
            }
            "risk-configuration" => {
                // The pool's configuration, or a client's when the key is a client
                // of the record's pool.
                let pool = target
                    .user_pool_id
                    .clone()
                    .unwrap_or_else(|| key.id.clone());
                let client = (pool != key.id).then(|| key.id.clone());
                let out = c
                    .idp
                    .describe_risk_configuration()
                    .user_pool_id(pool)
                    .set_client_id(client)
                    .customize()
                    .config_override(idp_region())
                    .send()
                    .await
                    .map_err(|e| failure(e, via, region, &self.roles))?;
                let risk = out.risk_configuration.ok_or_else(|| missing(key))?;
                (risk_doc(risk), "DescribeRiskConfiguration")
            }
            "identity-pool" => {
                let id_region = || {
                    identity::config::Builder::default()
                        .region(identity::config::Region::new(key.region.clone()))
                };
                let pool = c
                    .identity
                    .describe_identity_pool()
                    .identity_pool_id(&key.id)
                    .customize()
                    .config_override(id_region())
                    .send();
                let roles = c
                    .identity
                    .get_identity_pool_roles()
                    .identity_pool_id(&key.id)
                    .customize()
                    .config_override(id_region())
                    .send();
                let (pool, roles) = tokio::join!(pool, roles);
                let pool = pool.map_err(|e| failure(e, via, region, &self.roles))?;
                let roles = roles.map_err(|e| failure(e, via, region, &self.roles))?;
                let mut doc = identity_pool(pool);
                merge(&mut doc, identity_pool_roles(roles));
                (doc, "DescribeIdentityPool+GetIdentityPoolRoles")
            }
            other => return Err(unsupported(format!("no call reads a {other:?}"))),
        };
        Ok(Configuration {
            doc,
            calls: calls.to_string(),
        })
    }
}

impl ConfigReader for CognitoConfigReader {
    fn read<'a>(
        &'a self,
        target: &'a ConfigTarget,
        via: &'a Via,
    ) -> BoxFuture<'a, Result<Configuration, Failure>> {
        Box::pin(self.read_target(target, via))
    }
}

fn missing(key: &cognito_trail_alerts::settings::ResourceKey) -> Failure {
    unsupported(format!("{} {}: not found", key.kind, key.id))
}

/// Adds `more`'s members to `doc` (both objects).
fn merge(doc: &mut Value, more: Value) {
    if let (Value::Object(doc), Value::Object(more)) = (doc, more) {
        doc.extend(more);
    }
}

#[macro_use]
mod json;
mod resources;
mod user_pool;

use resources::{app_client, domain_doc, identity_pool, identity_pool_roles, risk_doc};
use user_pool::{user_pool, user_pool_mfa};
#[cfg(test)]
mod tests;

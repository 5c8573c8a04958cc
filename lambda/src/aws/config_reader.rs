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
use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::SdkConfig;
use aws_sdk_cognitoidentity as identity;
use aws_sdk_cognitoidentityprovider as idp;
use cognito_trail_alerts::users::{Failure, Via};
use serde_json::{Map, Value};

use super::cognito::{client_config, failure, MemberRoles};
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
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(Duration::from_millis(500))
                .operation_timeout(Duration::from_secs(2))
                .build(),
        )
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

/// A value for a document: `None` leaves the key out.
trait Json {
    fn json(self) -> Option<Value>;
}

impl Json for Value {
    fn json(self) -> Option<Value> {
        Some(self)
    }
}

impl Json for Option<Value> {
    fn json(self) -> Option<Value> {
        self
    }
}

impl Json for String {
    fn json(self) -> Option<Value> {
        Some(Value::String(self))
    }
}

impl Json for Option<String> {
    fn json(self) -> Option<Value> {
        self.map(Value::String)
    }
}

impl Json for bool {
    fn json(self) -> Option<Value> {
        Some(Value::Bool(self))
    }
}

impl Json for Option<bool> {
    fn json(self) -> Option<Value> {
        self.map(Value::Bool)
    }
}

impl Json for i32 {
    fn json(self) -> Option<Value> {
        Some(Value::from(self))
    }
}

impl Json for Option<i32> {
    fn json(self) -> Option<Value> {
        self.map(Value::from)
    }
}

impl Json for Option<Vec<String>> {
    fn json(self) -> Option<Value> {
        self.map(|v| v.into_iter().map(Value::String).collect())
    }
}

impl Json for Option<HashMap<String, String>> {
    fn json(self) -> Option<Value> {
        self.map(|m| {
            let sorted: std::collections::BTreeMap<_, _> = m.into_iter().collect();
            sorted
                .into_iter()
                .map(|(k, v)| (k, Value::String(v)))
                .collect::<Map<_, _>>()
                .into()
        })
    }
}

/// An object of the members given, those whose value is `None` left out.
macro_rules! obj {
    ($($key:literal => $value:expr),* $(,)?) => {{
        let mut map = Map::new();
        $(
            if let Some(v) = Json::json($value) {
                map.insert($key.to_string(), v);
            }
        )*
        Value::Object(map)
    }};
}

/// An SDK enum's wire name.
fn name<T: AsRef<str>>(v: T) -> String {
    v.as_ref().to_string()
}

fn opt_name<T: AsRef<str>>(v: Option<T>) -> Option<String> {
    v.map(name)
}

fn names<T: AsRef<str>>(v: Option<Vec<T>>) -> Option<Vec<String>> {
    v.map(|v| v.into_iter().map(name).collect())
}

fn list<T>(v: Option<Vec<T>>, each: impl Fn(T) -> Value) -> Option<Value> {
    v.map(|v| Value::Array(v.into_iter().map(each).collect()))
}

fn user_pool(p: idp::types::UserPoolType) -> Value {
    obj! {
        "userPoolId" => p.id,
        "poolName" => p.name,
        "policies" => p.policies.map(|p| obj! {
            "passwordPolicy" => p.password_policy.map(|pp| obj! {
                "minimumLength" => pp.minimum_length,
                "requireUppercase" => pp.require_uppercase,
                "requireLowercase" => pp.require_lowercase,
                "requireNumbers" => pp.require_numbers,
                "requireSymbols" => pp.require_symbols,
                "passwordHistorySize" => pp.password_history_size,
                "temporaryPasswordValidityDays" => pp.temporary_password_validity_days,
            }),
            "signInPolicy" => p.sign_in_policy.map(|s| obj! {
                "allowedFirstAuthFactors" => names(s.allowed_first_auth_factors),
            }),
        }),
        "deletionProtection" => opt_name(p.deletion_protection),
        "lambdaConfig" => p.lambda_config.map(lambda_config),
        "schema" => list(p.schema_attributes, |a| obj! {
            "name" => a.name,
            "attributeDataType" => opt_name(a.attribute_data_type),
            "developerOnlyAttribute" => a.developer_only_attribute,
            "mutable" => a.mutable,
            "required" => a.required,
            "numberAttributeConstraints" => a.number_attribute_constraints.map(|n| obj! {
                "minValue" => n.min_value,
                "maxValue" => n.max_value,
            }),
            "stringAttributeConstraints" => a.string_attribute_constraints.map(|s| obj! {
                "minLength" => s.min_length,
                "maxLength" => s.max_length,
            }),
        }),
        "autoVerifiedAttributes" => names(p.auto_verified_attributes),
        "aliasAttributes" => names(p.alias_attributes),
        "usernameAttributes" => names(p.username_attributes),
        "smsVerificationMessage" => p.sms_verification_message,
        "emailVerificationMessage" => p.email_verification_message,
        "emailVerificationSubject" => p.email_verification_subject,
        "verificationMessageTemplate" => p.verification_message_template.map(|t| obj! {
            "smsMessage" => t.sms_message,
            "emailMessage" => t.email_message,
            "emailSubject" => t.email_subject,
            "emailMessageByLink" => t.email_message_by_link,
            "emailSubjectByLink" => t.email_subject_by_link,
            "defaultEmailOption" => opt_name(t.default_email_option),
        }),
        "smsAuthenticationMessage" => p.sms_authentication_message,
        "userAttributeUpdateSettings" => p.user_attribute_update_settings.map(|u| obj! {
            "attributesRequireVerificationBeforeUpdate" =>
                names(u.attributes_require_verification_before_update),
        }),
        "mfaConfiguration" => opt_name(p.mfa_configuration),
        "deviceConfiguration" => p.device_configuration.map(|d| obj! {
            "challengeRequiredOnNewDevice" => d.challenge_required_on_new_device,
            "deviceOnlyRememberedOnUserPrompt" => d.device_only_remembered_on_user_prompt,
        }),
        "emailConfiguration" => p.email_configuration.map(|e| obj! {
            "sourceArn" => e.source_arn,
            "replyToEmailAddress" => e.reply_to_email_address,
            "emailSendingAccount" => opt_name(e.email_sending_account),
            "from" => e.from,
            "configurationSet" => e.configuration_set,
        }),
        "smsConfiguration" => p.sms_configuration.map(sms_configuration),
        "userPoolTags" => p.user_pool_tags,
        "adminCreateUserConfig" => p.admin_create_user_config.map(|a| obj! {
            "allowAdminCreateUserOnly" => a.allow_admin_create_user_only,
            "inviteMessageTemplate" => a.invite_message_template.map(|t| obj! {
                "sMSMessage" => t.sms_message,
                "emailMessage" => t.email_message,
                "emailSubject" => t.email_subject,
            }),
        }),
        "userPoolAddOns" => p.user_pool_add_ons.map(|a| obj! {
            "advancedSecurityMode" => name(a.advanced_security_mode),
            "advancedSecurityAdditionalFlows" => a.advanced_security_additional_flows.map(|f| obj! {
                "customAuthMode" => opt_name(f.custom_auth_mode),
            }),
        }),
        "usernameConfiguration" => p.username_configuration.map(|u| obj! {
            "caseSensitive" => u.case_sensitive,
        }),
        "accountRecoverySetting" => p.account_recovery_setting.map(|a| obj! {
            "recoveryMechanisms" => list(a.recovery_mechanisms, |m| obj! {
                "priority" => m.priority,
                "name" => name(m.name),
            }),
        }),
        "userPoolTier" => opt_name(p.user_pool_tier),
        "keyConfiguration" => p.key_configuration.map(|k| obj! {
            "keyType" => opt_name(k.key_type),
            "kmsKeyArn" => k.kms_key_arn,
        }),
        "issuerConfiguration" => p.issuer_configuration.map(|i| obj! {
            "type" => opt_name(i.r#type),
        }),
        "acrConfiguration" => p.acr_configuration.map(|m| {
            let sorted: std::collections::BTreeMap<_, _> = m.into_iter().collect();
            Value::Object(
                sorted
                    .into_iter()
                    .map(|(k, v)| (k, obj! { "acrValue" => v.acr_value }))
                    .collect(),
            )
        }),
    }
}

fn lambda_config(l: idp::types::LambdaConfigType) -> Value {
    obj! {
        "preSignUp" => l.pre_sign_up,
        "customMessage" => l.custom_message,
        "postConfirmation" => l.post_confirmation,
        "preAuthentication" => l.pre_authentication,
        "postAuthentication" => l.post_authentication,
        "defineAuthChallenge" => l.define_auth_challenge,
        "createAuthChallenge" => l.create_auth_challenge,
        "verifyAuthChallengeResponse" => l.verify_auth_challenge_response,
        "preTokenGeneration" => l.pre_token_generation,
        "userMigration" => l.user_migration,
        "preTokenGenerationConfig" => l.pre_token_generation_config.map(|c| obj! {
            "lambdaVersion" => name(c.lambda_version),
            "lambdaArn" => c.lambda_arn,
        }),
        "customSMSSender" => l.custom_sms_sender.map(|c| obj! {
            "lambdaVersion" => name(c.lambda_version),
            "lambdaArn" => c.lambda_arn,
        }),
        "customEmailSender" => l.custom_email_sender.map(|c| obj! {
            "lambdaVersion" => name(c.lambda_version),
            "lambdaArn" => c.lambda_arn,
        }),
        "kMSKeyID" => l.kms_key_id,
        "inboundFederation" => l.inbound_federation.map(|c| obj! {
            "lambdaVersion" => name(c.lambda_version),
            "lambdaArn" => c.lambda_arn,
        }),
    }
}

fn sms_configuration(s: idp::types::SmsConfigurationType) -> Value {
    obj! {
        "snsCallerArn" => s.sns_caller_arn,
        "externalId" => s.external_id,
        "snsRegion" => s.sns_region,
        "eumsSms" => s.eums_sms.map(|e| obj! {
            "callerArn" => e.caller_arn,
            "externalId" => e.external_id,
            "originationIdentity" => e.origination_identity,
            "configurationSetName" => e.configuration_set_name,
            "inEntityId" => e.in_entity_id,
            "inTemplateId" => e.in_template_id,
            "region" => e.region,
        }),
    }
}

fn user_pool_mfa(m: idp::operation::get_user_pool_mfa_config::GetUserPoolMfaConfigOutput) -> Value {
    obj! {
        "mfaConfiguration" => opt_name(m.mfa_configuration),
        "smsMfaConfiguration" => m.sms_mfa_configuration.map(|s| obj! {
            "smsAuthenticationMessage" => s.sms_authentication_message,
            "smsConfiguration" => s.sms_configuration.map(sms_configuration),
        }),
        "softwareTokenMfaConfiguration" => m.software_token_mfa_configuration.map(|s| obj! {
            "enabled" => s.enabled,
        }),
        "emailMfaConfiguration" => m.email_mfa_configuration.map(|e| obj! {
            "message" => e.message,
            "subject" => e.subject,
        }),
        "webAuthnConfiguration" => m.web_authn_configuration.map(|w| obj! {
            "relyingPartyId" => w.relying_party_id,
            "userVerification" => opt_name(w.user_verification),
            "factorConfiguration" => opt_name(w.factor_configuration),
        }),
    }
}

fn app_client(c: idp::types::UserPoolClientType) -> Value {
    obj! {
        "userPoolId" => c.user_pool_id,
        "clientId" => c.client_id,
        "clientName" => c.client_name,
        "refreshTokenValidity" => c.refresh_token_validity,
        "accessTokenValidity" => c.access_token_validity,
        "idTokenValidity" => c.id_token_validity,
        "tokenValidityUnits" => c.token_validity_units.map(|u| obj! {
            "accessToken" => opt_name(u.access_token),
            "idToken" => opt_name(u.id_token),
            "refreshToken" => opt_name(u.refresh_token),
        }),
        "readAttributes" => c.read_attributes,
        "writeAttributes" => c.write_attributes,
        "explicitAuthFlows" => names(c.explicit_auth_flows),
        "supportedIdentityProviders" => c.supported_identity_providers,
        "callbackURLs" => c.callback_urls,
        "logoutURLs" => c.logout_urls,
        "defaultRedirectURI" => c.default_redirect_uri,
        "allowedOAuthFlows" => names(c.allowed_o_auth_flows),
        "allowedOAuthScopes" => c.allowed_o_auth_scopes,
        "allowedOAuthFlowsUserPoolClient" => c.allowed_o_auth_flows_user_pool_client,
        "analyticsConfiguration" => c.analytics_configuration.map(|a| obj! {
            "applicationId" => a.application_id,
            "applicationArn" => a.application_arn,
            "roleArn" => a.role_arn,
            "externalId" => a.external_id,
            "userDataShared" => a.user_data_shared,
        }),
        "preventUserExistenceErrors" => opt_name(c.prevent_user_existence_errors),
        "enableTokenRevocation" => c.enable_token_revocation,
        "enablePropagateAdditionalUserContextData" => c.enable_propagate_additional_user_context_data,
        "authSessionValidity" => c.auth_session_validity,
        "refreshTokenRotation" => c.refresh_token_rotation.map(|r| obj! {
            "feature" => name(r.feature),
            "retryGracePeriodSeconds" => r.retry_grace_period_seconds,
        }),
    }
}

fn domain_doc(d: idp::types::DomainDescriptionType) -> Value {
    obj! {
        "domain" => d.domain,
        "userPoolId" => d.user_pool_id,
        "customDomainConfig" => d.custom_domain_config.map(|c| obj! {
            "certificateArn" => c.certificate_arn,
            "securityPolicy" => opt_name(c.security_policy),
        }),
        "managedLoginVersion" => d.managed_login_version,
        "routing" => d.routing.map(|r| obj! {
            "failover" => r.failover.map(|f| obj! {
                "secondaryRegion" => f.secondary_region,
                "primaryRoute53HealthCheckId" => f.primary_route53_health_check_id,
            }),
        }),
    }
}

fn risk_doc(r: idp::types::RiskConfigurationType) -> Value {
    let action = |a: idp::types::AccountTakeoverActionType| {
        obj! {
            "notify" => a.notify,
            "eventAction" => name(a.event_action),
        }
    };
    let email = |e: idp::types::NotifyEmailType| {
        obj! {
            "subject" => e.subject,
            "htmlBody" => e.html_body,
            "textBody" => e.text_body,
        }
    };
    obj! {
        "userPoolId" => r.user_pool_id,
        "clientId" => r.client_id,
        "compromisedCredentialsRiskConfiguration" =>
            r.compromised_credentials_risk_configuration.map(|c| obj! {
                "eventFilter" => names(c.event_filter),
                "actions" => c.actions.map(|a| obj! {
                    "eventAction" => name(a.event_action),
                }),
            }),
        "accountTakeoverRiskConfiguration" =>
            r.account_takeover_risk_configuration.map(|a| obj! {
                "notifyConfiguration" => a.notify_configuration.map(|n| obj! {
                    "from" => n.from,
                    "replyTo" => n.reply_to,
                    "sourceArn" => n.source_arn,
                    "blockEmail" => n.block_email.map(email),
                    "noActionEmail" => n.no_action_email.map(email),
                    "mfaEmail" => n.mfa_email.map(email),
                }),
                "actions" => a.actions.map(|x| obj! {
                    "lowAction" => x.low_action.map(action),
                    "mediumAction" => x.medium_action.map(action),
                    "highAction" => x.high_action.map(action),
                }),
            }),
        "riskExceptionConfiguration" => r.risk_exception_configuration.map(|e| obj! {
            "blockedIPRangeList" => e.blocked_ip_range_list,
            "skippedIPRangeList" => e.skipped_ip_range_list,
        }),
    }
}

fn identity_pool(
    p: identity::operation::describe_identity_pool::DescribeIdentityPoolOutput,
) -> Value {
    obj! {
        "identityPoolId" => p.identity_pool_id,
        "identityPoolName" => p.identity_pool_name,
        "allowUnauthenticatedIdentities" => p.allow_unauthenticated_identities,
        "allowClassicFlow" => p.allow_classic_flow,
        "supportedLoginProviders" => p.supported_login_providers,
        "developerProviderName" => p.developer_provider_name,
        "openIdConnectProviderARNs" => p.open_id_connect_provider_arns,
        "cognitoIdentityProviders" => list(p.cognito_identity_providers, |c| obj! {
            "providerName" => c.provider_name,
            "clientId" => c.client_id,
            "serverSideTokenCheck" => c.server_side_token_check,
        }),
        "samlProviderARNs" => p.saml_provider_arns,
        "identityPoolTags" => p.identity_pool_tags,
    }
}

fn identity_pool_roles(
    r: identity::operation::get_identity_pool_roles::GetIdentityPoolRolesOutput,
) -> Value {
    obj! {
        "roles" => r.roles,
        "roleMappings" => r.role_mappings.map(|m| {
            let sorted: std::collections::BTreeMap<_, _> = m.into_iter().collect();
            Value::Object(
                sorted
                    .into_iter()
                    .map(|(k, v)| {
                        let mapping = obj! {
                            "type" => name(v.r#type),
                            "ambiguousRoleResolution" => opt_name(v.ambiguous_role_resolution),
                            "rulesConfiguration" => v.rules_configuration.map(|c| obj! {
                                "rules" => list(Some(c.rules), |rule| obj! {
                                    "claim" => rule.claim,
                                    "matchType" => name(rule.match_type),
                                    "value" => rule.value,
                                    "roleARN" => rule.role_arn,
                                }),
                            }),
                        };
                        (k, mapping)
                    })
                    .collect(),
            )
        }),
    }
}

#[cfg(test)]
mod tests;

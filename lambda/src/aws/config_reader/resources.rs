//! App clients, domains, risk configurations and identity pools (with their roles)
//! as the requests that set them spell them.

use aws_sdk_cognitoidentity as identity;
use aws_sdk_cognitoidentityprovider as idp;
use serde_json::{Map, Value};

use super::json::{list, name, names, opt_name, Json};

pub(super) fn app_client(c: idp::types::UserPoolClientType) -> Value {
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

pub(super) fn domain_doc(d: idp::types::DomainDescriptionType) -> Value {
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

pub(super) fn risk_doc(r: idp::types::RiskConfigurationType) -> Value {
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

pub(super) fn identity_pool(
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

pub(super) fn identity_pool_roles(
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

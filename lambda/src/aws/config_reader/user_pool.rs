//! A user pool's configuration (DescribeUserPool, GetUserPoolMfaConfig) as the
//! requests that set it spell it.

use aws_sdk_cognitoidentityprovider as idp;
use serde_json::{Map, Value};

use super::json::{list, name, names, opt_name, Json};

pub(super) fn user_pool(p: idp::types::UserPoolType) -> Value {
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

pub(super) fn lambda_config(l: idp::types::LambdaConfigType) -> Value {
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

pub(super) fn sms_configuration(s: idp::types::SmsConfigurationType) -> Value {
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

pub(super) fn user_pool_mfa(
    m: idp::operation::get_user_pool_mfa_config::GetUserPoolMfaConfigOutput,
) -> Value {
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

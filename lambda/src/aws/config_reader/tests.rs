use aws_sdk_cognitoidentityprovider::types::{
    AdminCreateUserConfigType, AdvancedSecurityModeType, LambdaConfigType, MessageTemplateType,
    PasswordPolicyType, UserPoolAddOnsType, UserPoolMfaType, UserPoolPolicyType, UserPoolType,
};
use serde_json::json;

use super::*;

#[test]
fn a_user_pool_reads_as_its_requests_spell_it() {
    let pool = UserPoolType::builder()
        .id("eu-west-1_abc")
        .name("shop")
        .mfa_configuration(UserPoolMfaType::Optional)
        .deletion_protection(idp::types::DeletionProtectionType::Active)
        .policies(
            UserPoolPolicyType::builder()
                .password_policy(PasswordPolicyType::builder().minimum_length(12).build())
                .build(),
        )
        .lambda_config(
            LambdaConfigType::builder()
                .pre_sign_up("arn:aws:lambda:eu-west-1:111122223333:function:f")
                .kms_key_id("arn:aws:kms:eu-west-1:111122223333:key/k")
                .build(),
        )
        .admin_create_user_config(
            AdminCreateUserConfigType::builder()
                .allow_admin_create_user_only(true)
                .invite_message_template(
                    MessageTemplateType::builder()
                        .sms_message("hi {####}")
                        .build(),
                )
                .build(),
        )
        .user_pool_add_ons(
            UserPoolAddOnsType::builder()
                .advanced_security_mode(AdvancedSecurityModeType::Audit)
                .build()
                .unwrap(),
        )
        .estimated_number_of_users(7)
        .build();
    let doc = user_pool(pool);
    assert_eq!(doc["mfaConfiguration"], "OPTIONAL");
    assert_eq!(doc["deletionProtection"], "ACTIVE");
    assert_eq!(doc["poolName"], "shop");
    assert_eq!(doc["policies"]["passwordPolicy"]["minimumLength"], 12);
    assert_eq!(doc["userPoolAddOns"]["advancedSecurityMode"], "AUDIT");
    assert_eq!(
        doc["adminCreateUserConfig"]["allowAdminCreateUserOnly"],
        true
    );
    assert_eq!(
        doc["adminCreateUserConfig"]["inviteMessageTemplate"]["sMSMessage"],
        "hi {####}"
    );
    assert_eq!(
        doc["lambdaConfig"],
        json!({
            "preSignUp": "arn:aws:lambda:eu-west-1:111122223333:function:f",
            "kMSKeyID": "arn:aws:kms:eu-west-1:111122223333:key/k",
        })
    );
    // No request sets these: left out.
    for key in ["estimatedNumberOfUsers", "status", "arn", "creationDate"] {
        assert!(doc.get(key).is_none(), "{key}");
    }
}

#[test]
fn the_mfa_config_merges_into_the_pool() {
    let mut doc = json!({"mfaConfiguration": "OFF", "deletionProtection": "ACTIVE"});
    let mfa = idp::operation::get_user_pool_mfa_config::GetUserPoolMfaConfigOutput::builder()
        .mfa_configuration(UserPoolMfaType::On)
        .software_token_mfa_configuration(
            idp::types::SoftwareTokenMfaConfigType::builder()
                .enabled(true)
                .build(),
        )
        .build();
    merge(&mut doc, user_pool_mfa(mfa));
    assert_eq!(
        doc,
        json!({
            "mfaConfiguration": "ON",
            "deletionProtection": "ACTIVE",
            "softwareTokenMfaConfiguration": {"enabled": true},
        })
    );
}

#[test]
fn an_identity_pool_and_its_roles_read_as_requests_spell_them() {
    let pool = identity::operation::describe_identity_pool::DescribeIdentityPoolOutput::builder()
        .identity_pool_id("eu-west-1:1")
        .identity_pool_name("shop")
        .allow_unauthenticated_identities(true)
        .supported_login_providers("graph.facebook.com", "123")
        .open_id_connect_provider_arns("arn:aws:iam::111122223333:oidc-provider/x")
        .build()
        .unwrap();
    let roles = identity::operation::get_identity_pool_roles::GetIdentityPoolRolesOutput::builder()
        .roles("authenticated", "arn:aws:iam::111122223333:role/auth")
        .build();
    let mut doc = identity_pool(pool);
    merge(&mut doc, identity_pool_roles(roles));
    assert_eq!(doc["allowUnauthenticatedIdentities"], true);
    assert_eq!(doc["supportedLoginProviders"]["graph.facebook.com"], "123");
    assert_eq!(
        doc["openIdConnectProviderARNs"],
        json!(["arn:aws:iam::111122223333:oidc-provider/x"])
    );
    assert_eq!(
        doc["roles"]["authenticated"],
        "arn:aws:iam::111122223333:role/auth"
    );
    assert!(doc.get("roleMappings").is_none());
}

#[test]
fn an_app_client_reads_as_its_requests_spell_it() {
    let client = idp::types::UserPoolClientType::builder()
        .client_id("c1")
        .user_pool_id("eu-west-1_abc")
        .explicit_auth_flows(idp::types::ExplicitAuthFlowsType::AllowUserPasswordAuth)
        .callback_urls("https://example.com/cb")
        .allowed_o_auth_flows(idp::types::OAuthFlowType::Implicit)
        .refresh_token_validity(30)
        .prevent_user_existence_errors(idp::types::PreventUserExistenceErrorTypes::Legacy)
        .client_secret("s3cret")
        .build();
    let doc = app_client(client);
    assert_eq!(
        doc["explicitAuthFlows"],
        json!(["ALLOW_USER_PASSWORD_AUTH"])
    );
    assert_eq!(doc["callbackURLs"], json!(["https://example.com/cb"]));
    assert_eq!(doc["allowedOAuthFlows"], json!(["implicit"]));
    assert_eq!(doc["refreshTokenValidity"], 30);
    assert_eq!(doc["preventUserExistenceErrors"], "LEGACY");
    // The secret is no setting and never leaves the reader.
    assert!(!doc.to_string().contains("s3cret"));
}

//! Cognito records: configuration writes on user pools, identity pools and Cognito
//! Sync (the needles), and reads and sign-in calls that must not alert.

use std::fmt::Write as _;

use super::records::{Ctx, Ev, Kind, Who};
use super::rng::human_time;

const IDP: &str = "cognito-idp.amazonaws.com";
const IDENTITY: &str = "cognito-identity.amazonaws.com";
const SYNC: &str = "cognito-sync.amazonaws.com";
const HIDDEN: &str = "HIDDEN_DUE_TO_SECURITY_REASONS";

/// The write events generated, with their weights. `benches/baseline.py` lists
/// these names (and a few more) as its write set.
const WRITES: &[(u32, &str, &str)] = &[
    (10, IDP, "UpdateUserPool"),
    (6, IDP, "CreateUserPoolClient"),
    (8, IDP, "UpdateUserPoolClient"),
    (2, IDP, "DeleteUserPoolClient"),
    (1, IDP, "DeleteUserPool"),
    (1, IDP, "CreateUserPool"),
    (3, IDP, "SetUserPoolMfaConfig"),
    (1, IDP, "CreateUserPoolDomain"),
    (2, IDP, "CreateIdentityProvider"),
    (2, IDP, "UpdateIdentityProvider"),
    (20, IDP, "AdminCreateUser"),
    (10, IDP, "AdminAddUserToGroup"),
    (5, IDP, "AdminSetUserPassword"),
    (5, IDP, "AdminDeleteUser"),
    (3, IDP, "AdminDisableUser"),
    (2, IDENTITY, "CreateIdentityPool"),
    (4, IDENTITY, "UpdateIdentityPool"),
    (3, IDENTITY, "SetIdentityPoolRoles"),
    (1, IDENTITY, "DeleteIdentityPool"),
    (1, SYNC, "SetCognitoEvents"),
    (1, SYNC, "SetIdentityPoolConfiguration"),
];

/// Reads and sign-in calls, which must not alert.
const READS: &[(u32, &str, &str)] = &[
    (10, IDP, "DescribeUserPool"),
    (6, IDP, "DescribeUserPoolClient"),
    (6, IDP, "ListUsers"),
    (8, IDP, "AdminGetUser"),
    (30, IDP, "InitiateAuth"),
    (8, IDP, "RespondToAuthChallenge"),
    (15, IDENTITY, "GetId"),
    (15, IDENTITY, "GetCredentialsForIdentity"),
    (4, IDENTITY, "DescribeIdentityPool"),
    (2, SYNC, "DescribeIdentityPoolUsage"),
];

/// Picks a (source, name) pair in proportion to the weights.
fn choose(
    c: &mut Ctx,
    table: &[(u32, &'static str, &'static str)],
) -> (&'static str, &'static str) {
    let weights: Vec<u32> = table.iter().map(|t| t.0).collect();
    let (_, source, name) = table[c.rng.weighted(&weights)];
    (source, name)
}

/// A Cognito configuration or admin write.
pub fn write(c: &mut Ctx, ev: &mut Ev) {
    let (source, name) = choose(c, WRITES);
    ev.reset(source, name);
    ev.kind = Kind::CognitoWrite;
    let p = c.rng.below(c.world.user_pools.len());
    let pool = c.world.user_pools[p].id.clone();
    let pool_name = c.world.user_pools[p].name;
    let client = c.rng.pick(&c.world.user_pools[p].clients).clone();
    let ipool = c.rng.pick(&c.world.identity_pools).clone();
    let acct = c.acct().to_string();
    let lambda =
        |f: &str| format!("arn:aws:lambda:us-east-1:{acct}:function:auth-triggers-prod-{f}");
    let r = &mut ev.req;
    match name {
        "UpdateUserPool" | "CreateUserPool" => {
            if name == "CreateUserPool" {
                let _ = write!(r, "{{\"poolName\":\"{pool_name}-v2\"");
            } else {
                let _ = write!(r, "{{\"userPoolId\":\"{pool}\"");
            }
            let mfa = c.rng.pick(&["OFF", "OPTIONAL", "ON"]);
            let min = c.rng.pick(&[6, 8, 12, 14]);
            let _ = write!(
                r,
                ",\"policies\":{{\"passwordPolicy\":{{\"minimumLength\":{min},\"requireUppercase\":true,\"requireLowercase\":true,\"requireNumbers\":true,\"requireSymbols\":{},\"temporaryPasswordValidityDays\":7}}}},\"deletionProtection\":\"{}\",\"lambdaConfig\":{{\"preSignUp\":\"{}\",\"postConfirmation\":\"{}\",\"preTokenGenerationConfig\":{{\"lambdaVersion\":\"V2_0\",\"lambdaArn\":\"{}\"}}}},\"autoVerifiedAttributes\":[\"email\"],\"verificationMessageTemplate\":{{\"defaultEmailOption\":\"CONFIRM_WITH_CODE\"}},\"mfaConfiguration\":\"{mfa}\",\"deviceConfiguration\":{{\"challengeRequiredOnNewDevice\":false,\"deviceOnlyRememberedOnUserPrompt\":true}},\"emailConfiguration\":{{\"sourceArn\":\"arn:aws:ses:us-east-1:{acct}:identity/no-reply@example.com\",\"emailSendingAccount\":\"DEVELOPER\",\"from\":\"Example <no-reply@example.com>\"}},\"userPoolTags\":{{\"team\":\"identity\",\"env\":\"prod\"}},\"adminCreateUserConfig\":{{\"allowAdminCreateUserOnly\":{},\"unusedAccountValidityDays\":7}},\"userPoolAddOns\":{{\"advancedSecurityMode\":\"{}\"}},\"accountRecoverySetting\":{{\"recoveryMechanisms\":[{{\"priority\":1,\"name\":\"verified_email\"}}]}}}}",
                c.rng.chance(0.5),
                c.rng.pick(&["ACTIVE", "INACTIVE"]),
                lambda("preSignUp"),
                lambda("postConfirmation"),
                lambda("preTokenGeneration"),
                c.rng.chance(0.7),
                c.rng.pick(&["ENFORCED", "AUDIT", "OFF"])
            );
        }
        "CreateUserPoolClient" | "UpdateUserPoolClient" => {
            let _ = write!(
                r,
                "{{\"userPoolId\":\"{pool}\",\"clientName\":\"{pool_name}-web\",{}\"refreshTokenValidity\":30,\"accessTokenValidity\":60,\"idTokenValidity\":60,\"tokenValidityUnits\":{{\"accessToken\":\"minutes\",\"idToken\":\"minutes\",\"refreshToken\":\"days\"}},\"explicitAuthFlows\":[\"ALLOW_USER_SRP_AUTH\",\"ALLOW_REFRESH_TOKEN_AUTH\"{}],\"supportedIdentityProviders\":[\"COGNITO\"],\"callbackURLs\":[\"https://app.example.com/callback\",\"{}\"],\"logoutURLs\":[\"https://app.example.com/logout\"],\"allowedOAuthFlows\":[\"code\"{}],\"allowedOAuthScopes\":[\"openid\",\"email\",\"profile\"],\"allowedOAuthFlowsUserPoolClient\":true,\"preventUserExistenceErrors\":\"ENABLED\",\"enableTokenRevocation\":true}}",
                if name == "UpdateUserPoolClient" {
                    format!("\"clientId\":\"{client}\",")
                } else {
                    "\"generateSecret\":true,".to_string()
                },
                if c.rng.chance(0.2) { ",\"ALLOW_USER_PASSWORD_AUTH\"" } else { "" },
                c.rng.pick(&["http://localhost:3000/callback", "https://staging.example.com/callback"]),
                if c.rng.chance(0.15) { ",\"implicit\"" } else { "" }
            );
            let _ = write!(
                ev.resp,
                "{{\"userPoolClient\":{{\"userPoolId\":\"{pool}\",\"clientName\":\"{pool_name}-web\",\"clientId\":\"{client}\",\"clientSecret\":\"{HIDDEN}\",\"lastModifiedDate\":\""
            );
            human_time(&mut ev.resp, c.now);
            ev.resp.push_str("\",\"creationDate\":\"");
            human_time(&mut ev.resp, c.now - 86_400 * 30);
            ev.resp.push_str(
                "\",\"refreshTokenValidity\":30,\"allowedOAuthFlowsUserPoolClient\":true}}",
            );
        }
        "DeleteUserPoolClient" => {
            let _ = write!(r, "{{\"userPoolId\":\"{pool}\",\"clientId\":\"{client}\"}}");
        }
        "SetUserPoolMfaConfig" => {
            let _ = write!(
                r,
                "{{\"userPoolId\":\"{pool}\",\"softwareTokenMfaConfiguration\":{{\"enabled\":{}}},\"mfaConfiguration\":\"{}\"}}",
                c.rng.chance(0.7),
                c.rng.pick(&["OFF", "OPTIONAL", "ON"])
            );
        }
        "CreateUserPoolDomain" => {
            let _ = write!(
                r,
                "{{\"domain\":\"auth-{pool_name}\",\"userPoolId\":\"{pool}\"}}"
            );
        }
        "CreateIdentityProvider" | "UpdateIdentityProvider" => {
            let _ = write!(
                r,
                "{{\"userPoolId\":\"{pool}\",\"providerName\":\"Okta\",\"providerType\":\"SAML\",\"providerDetails\":{{\"MetadataURL\":\"https://example.okta.com/app/exk{}/sso/saml/metadata\",\"IDPSignout\":\"false\"}},\"attributeMapping\":{{\"email\":\"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress\"}},\"idpIdentifiers\":[\"example.com\"]}}",
                c.rng.string(|r, s| r.mixed(s, 16))
            );
        }
        "AdminCreateUser" => {
            let _ = write!(
                r,
                "{{\"userPoolId\":\"{pool}\",\"username\":\"{HIDDEN}\",\"userAttributes\":\"{HIDDEN}\",\"temporaryPassword\":\"{HIDDEN}\",\"messageAction\":\"SUPPRESS\",\"desiredDeliveryMediums\":[\"EMAIL\"]}}"
            );
            ev.resp.push_str("{\"user\":{\"username\":\"");
            ev.resp.push_str(HIDDEN);
            ev.resp.push_str("\",\"attributes\":\"");
            ev.resp.push_str(HIDDEN);
            ev.resp.push_str("\",\"userCreateDate\":\"");
            human_time(&mut ev.resp, c.now);
            ev.resp
                .push_str("\",\"enabled\":true,\"userStatus\":\"FORCE_CHANGE_PASSWORD\"}}");
            ev.extra.push_str("{\"sub\":\"");
            c.rng.uuid(&mut ev.extra);
            ev.extra.push_str("\"}");
        }
        "AdminAddUserToGroup" => {
            let g = c
                .rng
                .pick(&["admins", "support", "beta-testers", "billing"]);
            let _ = write!(
                r,
                "{{\"userPoolId\":\"{pool}\",\"username\":\"{HIDDEN}\",\"groupName\":\"{g}\"}}"
            );
        }
        "AdminSetUserPassword" => {
            let _ = write!(
                r,
                "{{\"userPoolId\":\"{pool}\",\"username\":\"{HIDDEN}\",\"password\":\"{HIDDEN}\",\"permanent\":{}}}",
                c.rng.chance(0.5)
            );
        }
        "CreateIdentityPool" | "UpdateIdentityPool" => {
            let id = if name == "UpdateIdentityPool" {
                format!("\"identityPoolId\":\"{ipool}\",")
            } else {
                String::new()
            };
            let _ = write!(
                r,
                "{{{id}\"identityPoolName\":\"{}_identities\",\"allowUnauthenticatedIdentities\":{},\"allowClassicFlow\":{},\"cognitoIdentityProviders\":[{{\"providerName\":\"cognito-idp.us-east-1.amazonaws.com/{pool}\",\"clientId\":\"{client}\",\"serverSideTokenCheck\":false}}],\"supportedLoginProviders\":{{\"accounts.google.com\":\"{}.apps.googleusercontent.com\"}}}}",
                pool_name.replace('-', "_"),
                c.rng.chance(0.3),
                c.rng.chance(0.1),
                c.rng.range(100_000_000_000, 999_999_999_999)
            );
            if name == "CreateIdentityPool" {
                let _ = write!(
                    ev.resp,
                    "{{\"identityPoolId\":\"{ipool}\",\"identityPoolName\":\"{}_identities\"}}",
                    pool_name.replace('-', "_")
                );
            }
        }
        "SetIdentityPoolRoles" => {
            let _ = write!(
                r,
                "{{\"identityPoolId\":\"{ipool}\",\"roles\":{{\"authenticated\":\"arn:aws:iam::{acct}:role/Cognito_{pool_name}Auth_Role\",\"unauthenticated\":\"arn:aws:iam::{acct}:role/Cognito_{pool_name}Unauth_Role\"}},\"roleMappings\":{{\"cognito-idp.us-east-1.amazonaws.com/{pool}:{client}\":{{\"type\":\"Token\",\"ambiguousRoleResolution\":\"AuthenticatedRole\"}}}}}}"
            );
        }
        "SetCognitoEvents" => {
            let _ = write!(
                r,
                "{{\"identityPoolId\":\"{ipool}\",\"events\":{{\"SyncTrigger\":\"{}\"}}}}",
                lambda("sync")
            );
        }
        "SetIdentityPoolConfiguration" => {
            let _ = write!(
                r,
                "{{\"identityPoolId\":\"{ipool}\",\"cognitoStreams\":{{\"streamName\":\"cognito-sync-prod\",\"roleArn\":\"arn:aws:iam::{acct}:role/cognito-streams\",\"streamingStatus\":\"ENABLED\"}}}}"
            );
        }
        "DeleteIdentityPool" => {
            let _ = write!(r, "{{\"identityPoolId\":\"{ipool}\"}}");
        }
        _ => {
            let _ = write!(r, "{{\"userPoolId\":\"{pool}\"");
            if name.starts_with("Admin") {
                let _ = write!(r, ",\"username\":\"{HIDDEN}\"");
            }
            r.push('}');
        }
    }
}

/// A Cognito read or sign-in call: must not alert.
pub fn read(c: &mut Ctx, ev: &mut Ev) {
    let (source, name) = choose(c, READS);
    ev.reset(source, name);
    ev.kind = Kind::CognitoRead;
    ev.read_only = true;
    let p = c.rng.below(c.world.user_pools.len());
    let pool = c.world.user_pools[p].id.clone();
    let client = c.rng.pick(&c.world.user_pools[p].clients).clone();
    let ipool = c.rng.pick(&c.world.identity_pools).clone();
    let r = &mut ev.req;
    match name {
        "InitiateAuth" | "RespondToAuthChallenge" => {
            ev.who = Who::Anonymous;
            ev.read_only = false;
            let flow = if name == "InitiateAuth" {
                "\"authFlow\":\"USER_SRP_AUTH\""
            } else {
                "\"challengeName\":\"PASSWORD_VERIFIER\""
            };
            let _ = write!(
                r,
                "{{{flow},\"clientId\":\"{client}\",\"authParameters\":\"{HIDDEN}\"}}"
            );
            ev.extra.push_str("{\"sub\":\"");
            c.rng.uuid(&mut ev.extra);
            ev.extra.push_str("\"}");
        }
        "GetId" | "GetCredentialsForIdentity" => {
            ev.who = Who::Anonymous;
            if name == "GetId" {
                let _ = write!(r, "{{\"identityPoolId\":\"{ipool}\",\"logins\":{{\"cognito-idp.us-east-1.amazonaws.com/{pool}\":\"{HIDDEN}\"}}}}");
            } else {
                let _ = write!(r, "{{\"identityId\":\"us-east-1:");
                c.rng.uuid(r);
                let _ = write!(r, "\",\"logins\":{{\"cognito-idp.us-east-1.amazonaws.com/{pool}\":\"{HIDDEN}\"}}}}");
            }
        }
        "DescribeIdentityPool" | "DescribeIdentityPoolUsage" => {
            let _ = write!(r, "{{\"identityPoolId\":\"{ipool}\"}}");
        }
        "DescribeUserPoolClient" => {
            let _ = write!(r, "{{\"userPoolId\":\"{pool}\",\"clientId\":\"{client}\"}}");
        }
        "ListUsers" => {
            let _ = write!(
                r,
                "{{\"userPoolId\":\"{pool}\",\"limit\":60,\"filter\":\"{HIDDEN}\"}}"
            );
        }
        "AdminGetUser" => {
            let _ = write!(r, "{{\"userPoolId\":\"{pool}\",\"username\":\"{HIDDEN}\"}}");
        }
        _ => {
            let _ = write!(r, "{{\"userPoolId\":\"{pool}\"}}");
        }
    }
}

//! The Cognito resources a finding names: the alert's user pool, app client,
//! domain, identity provider, group, resource server and identity pool, each with
//! its CloudFormation type and, for the two kinds that have one, its ARN.

use super::partition;
use crate::Alert;

/// Which kind of Cognito resource; its CloudFormation type names it in both
/// formats (OCSF `resources[].type`, ASFF `Details.Other.Type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResourceKind {
    UserPool,
    UserPoolClient,
    UserPoolDomain,
    UserPoolIdentityProvider,
    UserPoolGroup,
    UserPoolResourceServer,
    IdentityPool,
}

impl ResourceKind {
    /// The CloudFormation resource type (`AWS::Cognito::UserPool`...).
    pub fn cloudformation_type(self) -> &'static str {
        match self {
            ResourceKind::UserPool => "AWS::Cognito::UserPool",
            ResourceKind::UserPoolClient => "AWS::Cognito::UserPoolClient",
            ResourceKind::UserPoolDomain => "AWS::Cognito::UserPoolDomain",
            ResourceKind::UserPoolIdentityProvider => "AWS::Cognito::UserPoolIdentityProvider",
            ResourceKind::UserPoolGroup => "AWS::Cognito::UserPoolGroup",
            ResourceKind::UserPoolResourceServer => "AWS::Cognito::UserPoolResourceServer",
            ResourceKind::IdentityPool => "AWS::Cognito::IdentityPool",
        }
    }
}

/// One resource the alert's request touched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CognitoResource {
    pub kind: ResourceKind,
    /// Its identifier: the pool id, client id, domain prefix, provider name,
    /// group name or resource server identifier.
    pub id: String,
    /// `arn:<partition>:cognito-idp:<region>:<account>:userpool/<id>` or
    /// `arn:<partition>:cognito-identity:<region>:<account>:identitypool/<id>`;
    /// `None` for the kinds without an ARN of their own, or when the alert's
    /// account or region is unknown.
    pub arn: Option<String>,
    pub name: Option<String>,
    /// The user pool a client, domain, provider, group or resource server belongs to.
    pub user_pool_id: Option<String>,
}

impl CognitoResource {
    /// The ARN when there is one, else the identifier.
    pub fn uid(&self) -> &str {
        self.arn.as_deref().unwrap_or(&self.id)
    }
}

/// The resources of the alert (`Alert::resource`), user pool first, identity
/// pool last; a tagging call's `resourceArn` stands for its pool when the request
/// named no pool id. Empty when the request named none.
pub fn cognito_resources(alert: &Alert) -> Vec<CognitoResource> {
    let r = &alert.resource;
    let arn = |service: &str, path: &str, id: &str| {
        let (account, region) = (alert.account_id.as_deref()?, alert.region.as_deref()?);
        let partition = partition(region);
        Some(format!(
            "arn:{partition}:{service}:{region}:{account}:{path}/{id}"
        ))
    };
    let tagged = r.resource_arn.as_deref().and_then(pool_of_arn);
    let mut out = Vec::new();
    let user_pool_id = r.user_pool_id.clone().or_else(|| match &tagged {
        Some((ResourceKind::UserPool, id)) => Some(id.clone()),
        _ => None,
    });
    if let Some(id) = &user_pool_id {
        out.push(CognitoResource {
            kind: ResourceKind::UserPool,
            id: id.clone(),
            arn: arn("cognito-idp", "userpool", id),
            name: r.user_pool_name.clone(),
            user_pool_id: None,
        });
    }
    let in_pool = [
        (ResourceKind::UserPoolClient, &r.client_id, &r.client_name),
        (ResourceKind::UserPoolDomain, &r.domain, &None),
        (
            ResourceKind::UserPoolIdentityProvider,
            &r.identity_provider,
            &None,
        ),
        (ResourceKind::UserPoolGroup, &r.group_name, &None),
        (
            ResourceKind::UserPoolResourceServer,
            &r.resource_server,
            &None,
        ),
    ];
    for (kind, id, name) in in_pool {
        if let Some(id) = id {
            out.push(CognitoResource {
                kind,
                id: id.clone(),
                arn: None,
                name: name.clone(),
                user_pool_id: user_pool_id.clone(),
            });
        }
    }
    let identity_pool_id = r.identity_pool_id.clone().or_else(|| match &tagged {
        Some((ResourceKind::IdentityPool, id)) => Some(id.clone()),
        _ => None,
    });
    if let Some(id) = &identity_pool_id {
        out.push(CognitoResource {
            kind: ResourceKind::IdentityPool,
            id: id.clone(),
            arn: arn("cognito-identity", "identitypool", id),
            name: r.identity_pool_name.clone(),
            user_pool_id: None,
        });
    }
    out
}

/// The pool a Cognito ARN names: `...:userpool/<id>` or `...:identitypool/<id>`.
fn pool_of_arn(arn: &str) -> Option<(ResourceKind, String)> {
    let resource = arn.splitn(6, ':').nth(5)?;
    let (kind, id) = resource.split_once('/')?;
    let kind = match kind {
        "userpool" => ResourceKind::UserPool,
        "identitypool" => ResourceKind::IdentityPool,
        _ => return None,
    };
    (!id.is_empty()).then(|| (kind, id.to_string()))
}

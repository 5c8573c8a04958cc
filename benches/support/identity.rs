//! The `userIdentity` block: role sessions (most calls), IAM users, the root user,
//! AWS services, web identities and anonymous callers.

use std::fmt::Write as _;

use super::records::{Ctx, Who};
use super::rng::{iso_time, Rng};
use super::world::SERVICE_ACCOUNTS;

/// The kind of principal behind a burst of [`Who::Any`] calls.
#[derive(Clone, Copy, Default)]
pub enum Principal {
    #[default]
    Role,
    User,
    /// A role session whose calls a service such as CloudFormation makes.
    RoleViaService,
    Root,
}

impl Principal {
    /// Mostly role sessions, some IAM users, a few via services, rarely root.
    pub fn pick(rng: &mut Rng) -> Self {
        let all = [Self::Role, Self::User, Self::RoleViaService, Self::Root];
        all[rng.weighted(&[860, 100, 36, 4])]
    }
}

/// Where the call came from, as the identity implies.
pub enum Origin {
    Service(&'static str),
    Client,
}

/// Writes `userIdentity` for `who` and says where the call came from.
pub fn identity(c: &mut Ctx, who: Who, out: &mut String) -> Origin {
    let kind = match who {
        Who::Service(s) => {
            let _ = write!(out, "{{\"type\":\"AWSService\",\"invokedBy\":\"{s}\"}}");
            return Origin::Service(s);
        }
        Who::Anonymous => {
            out.push_str("{\"type\":\"Unknown\",\"principalId\":\"Anonymous\"}");
            return Origin::Client;
        }
        Who::WebIdentity(sa) => {
            let provider = c.world.oidc_provider_arn(c.account);
            let sa = SERVICE_ACCOUNTS[sa];
            let _ = write!(
                out,
                "{{\"type\":\"WebIdentityUser\",\"principalId\":\"{provider}:sts.amazonaws.com:{sa}\",\"userName\":\"{sa}\",\"identityProvider\":\"{provider}\"}}"
            );
            return Origin::Client;
        }
        Who::RoleVia(by) => return assumed_role(c, out, Some(by)),
        Who::Any => c.actor.principal,
    };
    match kind {
        Principal::Role => assumed_role(c, out, None),
        Principal::RoleViaService => {
            let by = [
                "cloudformation.amazonaws.com",
                "ecs-tasks.amazonaws.com",
                "athena.amazonaws.com",
                "glue.amazonaws.com",
            ][c.actor.session % 4];
            assumed_role(c, out, Some(by))
        }
        Principal::User => {
            let u = &c.world.users[c.actor.user];
            let _ = write!(
                out,
                "{{\"type\":\"IAMUser\",\"principalId\":\"{}\",\"arn\":\"arn:aws:iam::{}:user/{}\",\"accountId\":\"{}\",\"accessKeyId\":\"{}\",\"userName\":\"{}\"}}",
                u.id, c.world.accounts[0], u.name, c.world.accounts[0], u.key, u.name
            );
            Origin::Client
        }
        Principal::Root => {
            let a = &c.world.accounts[c.account];
            let s = &c.world.sessions[c.actor.session];
            let _ = write!(
                out,
                "{{\"type\":\"Root\",\"principalId\":\"{a}\",\"arn\":\"arn:aws:iam::{a}:root\",\"accountId\":\"{a}\",\"accessKeyId\":\"{}\",\"sessionContext\":{{\"sessionIssuer\":{{}},\"webIdFederationData\":{{}},\"attributes\":{{\"creationDate\":\"",
                s.key
            );
            iso_time(out, s.created);
            out.push_str("\",\"mfaAuthenticated\":\"true\"}}}");
            Origin::Client
        }
    }
}

/// An `AssumedRole` identity for the burst's session, with `invokedBy` when a
/// service made the call on its behalf.
fn assumed_role(c: &mut Ctx, out: &mut String, via: Option<&'static str>) -> Origin {
    let s = &c.world.sessions[c.actor.session];
    let role = &c.world.roles[s.role];
    let account = &c.world.accounts[role.account];
    let _ = write!(
        out,
        "{{\"type\":\"AssumedRole\",\"principalId\":\"{}:{}\",\"arn\":\"arn:aws:sts::{account}:assumed-role/{}/{}\",\"accountId\":\"{account}\",\"accessKeyId\":\"{}\",\"sessionContext\":{{\"sessionIssuer\":{{\"type\":\"Role\",\"principalId\":\"{}\",\"arn\":\"arn:aws:iam::{account}:role/{}\",\"accountId\":\"{account}\",\"userName\":\"{}\"}},\"webIdFederationData\":{{}},\"attributes\":{{\"creationDate\":\"",
        role.id, s.name, role.name, s.name, s.key, role.id, role.name, role.name
    );
    iso_time(out, s.created);
    out.push_str("\",\"mfaAuthenticated\":\"false\"}");
    if s.name.starts_with("i-0") {
        out.push_str(",\"ec2RoleDelivery\":\"2.0\"");
    }
    out.push('}');
    if let Some(by) = via {
        let _ = write!(out, ",\"invokedBy\":\"{by}\"}}");
        return Origin::Service(by);
    }
    out.push('}');
    Origin::Client
}

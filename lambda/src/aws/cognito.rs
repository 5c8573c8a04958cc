//! The user directory in Cognito: one ListUsers call per user, `Filter: sub =
//! "..."`, `Limit: 1`, in the pool's region, with the function's credentials or a
//! member account's role (`ENRICH_ROLE_NAME`, assumed with its external id).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::sts::AssumeRoleProvider;
use aws_config::timeout::TimeoutConfig;
use aws_config::SdkConfig;
use aws_sdk_cognitoidentityprovider::config::http::HttpResponse;
use aws_sdk_cognitoidentityprovider::config::{Builder, Region, SharedCredentialsProvider};
use aws_sdk_cognitoidentityprovider::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_cognitoidentityprovider::primitives::DateTimeFormat;
use aws_sdk_cognitoidentityprovider::types::UserType;
use aws_sdk_cognitoidentityprovider::Client;
use cognito_trail_alerts::alert::CognitoUser;
use cognito_trail_alerts::users::{role_arn, Cause, Failure, UserRef, Via};

use crate::failure::lookup_cause;
use crate::ports::{BoxFuture, UserDirectory};
use crate::users::config::{Enrich, Role};

/// Member accounts whose role client is kept; more, and the map starts over.
const MAX_MEMBER_CLIENTS: usize = 256;
/// Names the function's sessions in the member accounts' CloudTrail.
const SESSION_NAME: &str = "cognito-trail-alerts-user-lookup";

/// The member accounts' role (`ENRICH_ROLE_NAME`, assumed with its external id):
/// one credentials provider per account, shared by user lookups and snapshots, so
/// an account's role is assumed once and its credentials cached until they expire.
pub struct MemberRoles {
    shared: SdkConfig,
    role: Option<Role>,
    providers: Mutex<HashMap<String, SharedCredentialsProvider>>,
}

impl MemberRoles {
    /// The role `role` names (none: other accounts are out of reach).
    pub fn new(shared: &SdkConfig, role: Option<Role>) -> Self {
        MemberRoles {
            shared: shared.clone(),
            role,
            providers: Mutex::new(HashMap::new()),
        }
    }

    /// The role's name ("" without one).
    pub fn name(&self) -> &str {
        self.role.as_ref().map_or("", |r| r.name.as_str())
    }

    /// `account`'s role credentials (assumed on first use, in the partition of
    /// `region`).
    pub async fn provider(
        &self,
        account: &str,
        region: &str,
    ) -> Result<SharedCredentialsProvider, Failure> {
        let Some(role) = &self.role else {
            return Err(Failure {
                cause: Cause::Error,
                detail: "no ENRICH_ROLE_NAME for another account".into(),
            });
        };
        if let Some(p) = self.providers.lock().unwrap().get(account) {
            return Ok(p.clone());
        }
        let provider = AssumeRoleProvider::builder(role_arn(account, region, &role.name))
            .external_id(&role.external_id)
            .session_name(SESSION_NAME)
            .configure(&self.shared)
            .build()
            .await;
        let provider = SharedCredentialsProvider::new(provider);
        let mut providers = self.providers.lock().unwrap();
        if providers.len() >= MAX_MEMBER_CLIENTS {
            providers.clear();
        }
        providers.insert(account.to_string(), provider.clone());
        Ok(provider)
    }
}

/// A failed Cognito call as a [`Failure`]: its cause (denied, throttled, timed
/// out) and `code: message`. Without a service answer through a member role, the
/// role's credentials could not be had: the detail says so.
pub(super) fn failure<E>(
    err: SdkError<E, HttpResponse>,
    via: &Via,
    region: &str,
    roles: &MemberRoles,
) -> Failure
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let status = err.raw_response().map(|r| r.status().as_u16());
    let timed_out = match &err {
        SdkError::TimeoutError(_) => true,
        SdkError::DispatchFailure(d) => d.is_timeout(),
        _ => false,
    };
    let code = err.code().map(str::to_string);
    let mut detail = match (&code, err.message()) {
        (Some(code), Some(message)) => format!("{code}: {message}"),
        _ => DisplayErrorContext(&err).to_string(),
    };
    let mut cause = lookup_cause(code.as_deref(), status, timed_out);
    if let (Via::Role { account }, None) = (via, &code) {
        // No service answer: the role's credentials could not be had.
        detail = format!(
            "assuming {}: {detail}",
            role_arn(account, region, roles.name())
        );
        if detail.contains("AccessDenied") {
            cause = Cause::AccessDenied;
        }
    }
    Failure { cause, detail }
}

/// No retries: a lookup is a courtesy the alert does not wait for (a throttled
/// lookup says so at once). The one-second budget is the caller's
/// (`users::LOOKUP_TIMEOUT`, which names it in the alert); the operation timeout
/// here is only a backstop, above it.
pub(super) fn client_config(shared: &SdkConfig) -> Builder {
    Builder::from(shared)
        .timeout_config(backstop_timeouts())
        .retry_config(RetryConfig::standard().with_max_attempts(1))
}

/// The timeouts of a one-second lookup's client: a backstop above the caller's
/// budget (user lookups and snapshots share them).
pub(super) fn backstop_timeouts() -> TimeoutConfig {
    TimeoutConfig::builder()
        .connect_timeout(Duration::from_millis(500))
        .operation_timeout(Duration::from_secs(2))
        .build()
}

/// ListUsers through the function's or a member role's credentials.
pub struct CognitoDirectory {
    own: Client,
    shared: SdkConfig,
    roles: Arc<MemberRoles>,
    /// Asked for besides `sub`, and the only attributes kept.
    attributes: Vec<String>,
    members: Mutex<HashMap<String, Client>>,
}

impl CognitoDirectory {
    /// The directory `enrich` describes, its clients built from `shared`, other
    /// accounts reached through `roles`.
    pub fn new(shared: &SdkConfig, enrich: &Enrich, roles: Arc<MemberRoles>) -> Self {
        CognitoDirectory {
            own: Client::from_conf(client_config(shared).build()),
            shared: shared.clone(),
            roles,
            attributes: enrich.attributes.clone(),
            members: Mutex::new(HashMap::new()),
        }
    }

    /// The client for `account`'s role: its credentials come from AssumeRole (with
    /// the external id) on first use and are cached by the client until they expire.
    async fn member(&self, account: &str, region: &str) -> Result<Client, Failure> {
        if let Some(client) = self.members.lock().unwrap().get(account) {
            return Ok(client.clone());
        }
        let provider = self.roles.provider(account, region).await?;
        let client = Client::from_conf(
            client_config(&self.shared)
                .credentials_provider(provider)
                .build(),
        );
        let mut members = self.members.lock().unwrap();
        if members.len() >= MAX_MEMBER_CLIENTS {
            members.clear();
        }
        members.insert(account.to_string(), client.clone());
        Ok(client)
    }

    async fn list(&self, user: &UserRef, via: &Via) -> Result<Option<CognitoUser>, Failure> {
        let client = match via {
            Via::Own => self.own.clone(),
            Via::Role { account } => self.member(account, &user.region).await?,
        };
        // `sub` is always set and already known: asking for it alone returns no
        // other personal data (AttributesToGet left out would return them all).
        let mut wanted = vec!["sub".to_string()];
        wanted.extend(self.attributes.iter().filter(|a| *a != "sub").cloned());
        let answer = client
            .list_users()
            .user_pool_id(&user.pool_id)
            .filter(format!("sub = \"{}\"", user.sub))
            .limit(1)
            .set_attributes_to_get(Some(wanted))
            .customize()
            .config_override(Builder::default().region(Region::new(user.region.clone())))
            .send()
            .await;
        match answer {
            Ok(out) => Ok(out
                .users
                .unwrap_or_default()
                .into_iter()
                .next()
                .map(|u| self.user(u))),
            Err(e) => Err(failure(e, via, &user.region, &self.roles)),
        }
    }

    /// The user as the alert shows it: only the attributes asked for.
    fn user(&self, u: UserType) -> CognitoUser {
        let attributes = u
            .attributes
            .unwrap_or_default()
            .into_iter()
            .filter(|a| self.attributes.iter().any(|w| w == a.name()))
            .filter_map(|a| Some((a.name().to_string(), a.value?)))
            .collect();
        CognitoUser {
            username: u.username.unwrap_or_default(),
            status: u.user_status.map(|s| s.as_str().to_string()),
            enabled: Some(u.enabled),
            created: u
                .user_create_date
                .and_then(|d| d.fmt(DateTimeFormat::DateTime).ok()),
            attributes,
        }
    }
}

impl UserDirectory for CognitoDirectory {
    fn find<'a>(
        &'a self,
        user: &'a UserRef,
        via: &'a Via,
    ) -> BoxFuture<'a, Result<Option<CognitoUser>, Failure>> {
        Box::pin(self.list(user, via))
    }
}

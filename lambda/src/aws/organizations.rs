//! Account names from AWS Organizations: ListAccounts (every page) and
//! DescribeAccount, through the role `ACCOUNT_NAMES_ROLE_ARN` in the management or
//! delegated administrator account (only they may call them).

use std::collections::BTreeMap;

use aws_config::retry::RetryConfig;
use aws_config::sts::AssumeRoleProvider;
use aws_config::SdkConfig;
use aws_sdk_organizations::config::http::HttpResponse;
use aws_sdk_organizations::config::{Builder, SharedCredentialsProvider};
use aws_sdk_organizations::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_organizations::operation::describe_account::DescribeAccountError;
use aws_sdk_organizations::Client;
use cognito_trail_alerts::users::{Cause, Failure};

use super::cognito::backstop_timeouts;
use crate::failure::lookup_cause;
use crate::ports::{AccountDirectory, BoxFuture};

/// Names the function's sessions in the management account's CloudTrail.
const SESSION_NAME: &str = "cognito-trail-alerts-account-names";

/// ListAccounts and DescribeAccount with the role's credentials (assumed on
/// first use, cached until they expire). Organizations is a global service: the
/// SDK sends every region's calls to its one endpoint (us-east-1 in `aws`).
pub struct OrganizationsDirectory {
    client: Client,
    role_arn: String,
    page_size: Option<i32>,
}

impl OrganizationsDirectory {
    /// The directory behind `role_arn`, its clients built from `shared`.
    pub async fn new(shared: &SdkConfig, role_arn: &str) -> Self {
        let provider = AssumeRoleProvider::builder(role_arn)
            .session_name(SESSION_NAME)
            .configure(shared)
            .build()
            .await;
        // No retries, like user lookups: names are a courtesy the alert does not
        // wait for, and a failed listing is tried again after a pause. The time
        // budget is the caller's; these timeouts are only a backstop per page.
        let conf = Builder::from(shared)
            .credentials_provider(SharedCredentialsProvider::new(provider))
            .timeout_config(backstop_timeouts())
            .retry_config(RetryConfig::standard().with_max_attempts(1))
            .build();
        OrganizationsDirectory {
            client: Client::from_conf(conf),
            role_arn: role_arn.to_string(),
            page_size: None,
        }
    }

    /// The same, listing `n` accounts a page (tests: Organizations pages by 20
    /// unless asked for fewer).
    pub fn with_page_size(mut self, n: i32) -> Self {
        self.page_size = Some(n);
        self
    }

    async fn list_all(&self) -> Result<BTreeMap<String, String>, Failure> {
        let pages = self
            .client
            .list_accounts()
            .set_max_results(self.page_size)
            .into_paginator()
            .send()
            .collect::<Result<Vec<_>, _>>()
            .await
            .map_err(|e| self.failure("ListAccounts", e))?;
        Ok(pages
            .into_iter()
            .flat_map(|page| page.accounts.unwrap_or_default())
            .filter_map(|a| Some((a.id?, a.name?)))
            .collect())
    }

    async fn describe_one(&self, id: &str) -> Result<Option<String>, Failure> {
        let answer = self.client.describe_account().account_id(id).send().await;
        match answer {
            Ok(out) => Ok(out.account.and_then(|a| a.name)),
            Err(e) => match e.as_service_error() {
                Some(DescribeAccountError::AccountNotFoundException(_)) => Ok(None),
                _ => Err(self.failure("DescribeAccount", e)),
            },
        }
    }

    /// A failed call as a [`Failure`]: its cause and `Operation: code: message`.
    /// Without a service answer, the role's credentials could not be had (or
    /// Organizations was out of reach): the detail names the role.
    fn failure<E>(&self, operation: &str, err: SdkError<E, HttpResponse>) -> Failure
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
        let detail = match (&code, err.message()) {
            (Some(code), Some(message)) => format!("{operation}: {code}: {message}"),
            _ => format!(
                "{operation} as {}: {}",
                self.role_arn,
                DisplayErrorContext(&err)
            ),
        };
        let mut cause = lookup_cause(code.as_deref(), status, timed_out);
        if code.is_none() && detail.contains("AccessDenied") {
            cause = Cause::AccessDenied;
        }
        Failure { cause, detail }
    }
}

impl AccountDirectory for OrganizationsDirectory {
    fn list(&self) -> BoxFuture<'_, Result<BTreeMap<String, String>, Failure>> {
        Box::pin(self.list_all())
    }

    fn describe<'a>(&'a self, id: &'a str) -> BoxFuture<'a, Result<Option<String>, Failure>> {
        Box::pin(self.describe_one(id))
    }
}

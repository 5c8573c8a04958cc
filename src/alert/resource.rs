//! Which Cognito resource a request touched, read from its parameters and response.

use serde::Serialize;
use serde_json::Value;

/// Identifiers of the Cognito resource a request touched. Only fields found are set.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Resource {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_pool_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_pool_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identity_provider: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_server: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identity_pool_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identity_pool_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dataset_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_arn: Option<String>,
}

/// The first string found at any of `paths` (dotted) in the request, then the response.
fn find(req: Option<&Value>, resp: Option<&Value>, paths: &[&str]) -> Option<String> {
    [req, resp].into_iter().flatten().find_map(|root| {
        paths.iter().find_map(|p| {
            let v = p.split('.').try_fold(root, |v, k| v.get(k))?;
            v.as_str().map(str::to_string)
        })
    })
}

impl Resource {
    /// Reads the identifiers Cognito APIs use (request keys are lowerCamelCase in
    /// CloudTrail; create calls return the new id in the response).
    pub fn extract(req: Option<&Value>, resp: Option<&Value>) -> Resource {
        let f = |paths: &[&str]| find(req, resp, paths);
        Resource {
            user_pool_id: f(&["userPoolId", "userPool.id", "userPoolClient.userPoolId"]),
            user_pool_name: f(&["poolName", "userPool.name"]),
            client_id: f(&["clientId", "userPoolClient.clientId"]),
            client_name: f(&["clientName", "userPoolClient.clientName"]),
            domain: f(&["domain"]),
            identity_provider: f(&["providerName", "identityProvider.providerName"]),
            group_name: f(&["groupName", "group.groupName"]),
            resource_server: f(&["identifier", "resourceServer.identifier"]),
            identity_pool_id: f(&["identityPoolId"]),
            identity_pool_name: f(&["identityPoolName"]),
            dataset_name: f(&["datasetName"]),
            resource_arn: f(&["resourceArn"]),
        }
    }

    /// One short human phrase naming the resource, e.g. `identity pool TestPool (us-east-1:…)`.
    pub fn describe(&self) -> Option<String> {
        let named = |kind: &str, name: &Option<String>, id: &Option<String>| match (name, id) {
            (Some(n), Some(i)) => Some(format!("{kind} {n} ({i})")),
            (Some(x), None) | (None, Some(x)) => Some(format!("{kind} {x}")),
            (None, None) => None,
        };
        let parts: Vec<String> = [
            named(
                "identity pool",
                &self.identity_pool_name,
                &self.identity_pool_id,
            ),
            named("user pool", &self.user_pool_name, &self.user_pool_id),
            named("app client", &self.client_name, &self.client_id),
            named("domain", &self.domain, &None),
            named("identity provider", &self.identity_provider, &None),
            named("group", &self.group_name, &None),
            named("resource server", &self.resource_server, &None),
            named("dataset", &self.dataset_name, &None),
            named("resource", &self.resource_arn, &None),
        ]
        .into_iter()
        .flatten()
        .collect();
        (!parts.is_empty()).then(|| parts.join(", "))
    }
}

#[cfg(test)]
mod tests;

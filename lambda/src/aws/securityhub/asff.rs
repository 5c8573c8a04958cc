//! An ASFF finding as JSON (what `findings::asff_finding` writes) in the SDK's
//! types. Only the fields that function writes are carried over; the field list
//! is `docs/findings.md`'s.

use aws_sdk_securityhub::types::{
    Action, ActionRemoteIpDetails, AwsApiCallAction, AwsApiCallActionDomainDetails,
    AwsSecurityFinding, Partition, Recommendation, RecordState, Remediation, Resource,
    ResourceDetails, Severity, SeverityLabel,
};
use serde_json::Value;

/// The text at `key` of `v`, if it is a string.
fn text<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

/// The string pairs of the object at `key` (`ProductFields`, `Details.Other`).
fn pairs<'a>(v: &'a Value, key: &str) -> impl Iterator<Item = (&'a String, &'a str)> {
    v.get(key)
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(k, v)| v.as_str().map(|v| (k, v)))
}

/// The finding in the SDK's types.
pub fn sdk_finding(f: &Value) -> AwsSecurityFinding {
    let mut b = AwsSecurityFinding::builder()
        .set_schema_version(text(f, "SchemaVersion").map(Into::into))
        .set_id(text(f, "Id").map(Into::into))
        .set_product_arn(text(f, "ProductArn").map(Into::into))
        .set_product_name(text(f, "ProductName").map(Into::into))
        .set_company_name(text(f, "CompanyName").map(Into::into))
        .set_generator_id(text(f, "GeneratorId").map(Into::into))
        .set_aws_account_id(text(f, "AwsAccountId").map(Into::into))
        .set_created_at(text(f, "CreatedAt").map(Into::into))
        .set_updated_at(text(f, "UpdatedAt").map(Into::into))
        .set_first_observed_at(text(f, "FirstObservedAt").map(Into::into))
        .set_last_observed_at(text(f, "LastObservedAt").map(Into::into))
        .set_title(text(f, "Title").map(Into::into))
        .set_description(text(f, "Description").map(Into::into))
        .set_source_url(text(f, "SourceUrl").map(Into::into))
        .set_record_state(text(f, "RecordState").map(RecordState::from));
    for t in f["Types"].as_array().into_iter().flatten() {
        if let Some(t) = t.as_str() {
            b = b.types(t);
        }
    }
    if let Some(s) = f.get("Severity") {
        b = b.severity(
            Severity::builder()
                .set_label(text(s, "Label").map(SeverityLabel::from))
                .set_original(text(s, "Original").map(Into::into))
                .build(),
        );
    }
    for r in f["Resources"].as_array().into_iter().flatten() {
        b = b.resources(resource(r));
    }
    if let Some(url) = f
        .pointer("/Remediation/Recommendation/Url")
        .and_then(Value::as_str)
    {
        let recommendation = Recommendation::builder().url(url).build();
        b = b.remediation(
            Remediation::builder()
                .recommendation(recommendation)
                .build(),
        );
    }
    if let Some(a) = f.get("Action") {
        b = b.action(action(a));
    }
    for (k, v) in pairs(f, "ProductFields") {
        b = b.product_fields(k, v);
    }
    b.build()
}

fn resource(r: &Value) -> Resource {
    let mut b = Resource::builder()
        .set_type(text(r, "Type").map(Into::into))
        .set_id(text(r, "Id").map(Into::into))
        .set_partition(text(r, "Partition").map(Partition::from))
        .set_region(text(r, "Region").map(Into::into));
    if let Some(details) = r.get("Details") {
        let mut d = ResourceDetails::builder();
        for (k, v) in pairs(details, "Other") {
            d = d.other(k, v);
        }
        b = b.details(d.build());
    }
    b.build()
}

fn action(a: &Value) -> Action {
    let mut b = Action::builder().set_action_type(text(a, "ActionType").map(Into::into));
    if let Some(c) = a.get("AwsApiCallAction") {
        let mut call = AwsApiCallAction::builder()
            .set_api(text(c, "Api").map(Into::into))
            .set_service_name(text(c, "ServiceName").map(Into::into))
            .set_caller_type(text(c, "CallerType").map(Into::into))
            .set_first_seen(text(c, "FirstSeen").map(Into::into))
            .set_last_seen(text(c, "LastSeen").map(Into::into));
        if let Some(ip) = c
            .pointer("/RemoteIpDetails/IpAddressV4")
            .and_then(Value::as_str)
        {
            call =
                call.remote_ip_details(ActionRemoteIpDetails::builder().ip_address_v4(ip).build());
        }
        if let Some(domain) = c.pointer("/DomainDetails/Domain").and_then(Value::as_str) {
            let details = AwsApiCallActionDomainDetails::builder()
                .domain(domain)
                .build();
            call = call.domain_details(details);
        }
        b = b.aws_api_call_action(call.build());
    }
    b.build()
}

#[cfg(test)]
mod tests;

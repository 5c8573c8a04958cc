//! The envelope of a record: every member CloudTrail writes around a service's
//! request and response, in CloudTrail's order.

use std::fmt::Write as _;

use super::identity::{identity, Origin};
use super::records::{Ctx, Ev};
use super::rng::iso_time;

/// Appends the record for `ev`, as compact JSON.
pub fn write(c: &mut Ctx, ev: &Ev, out: &mut String) {
    let version = ["1.08", "1.09", "1.10", "1.11"][c.rng.weighted(&[20, 40, 25, 15])];
    let _ = write!(out, "{{\"eventVersion\":\"{version}\",\"userIdentity\":");
    let origin = identity(c, ev.who, out);
    out.push_str(",\"eventTime\":\"");
    let skew = if c.rng.chance(0.1) {
        c.rng.below(240) as i64
    } else {
        0
    };
    iso_time(out, c.now - skew);
    let region = ev.region.unwrap_or(c.region);
    let _ = write!(
        out,
        "\",\"eventSource\":\"{}\",\"eventName\":\"{}\",\"awsRegion\":\"{region}\",\"sourceIPAddress\":\"",
        ev.source, ev.name
    );
    match origin {
        Origin::Service(s) => {
            let _ = write!(out, "{s}\",\"userAgent\":\"{s}\"");
        }
        Origin::Client => {
            if c.rng.chance(0.02) {
                c.rng.ip(out);
            } else {
                out.push_str(&c.world.ips[c.actor.ip]);
            }
            let agent = &c.world.agents[c.actor.agent];
            let _ = write!(out, "\",\"userAgent\":\"{agent}\"");
        }
    }
    let failed = matches!(origin, Origin::Client) && c.rng.chance(0.02);
    if failed {
        let _ = write!(
            out,
            ",\"errorCode\":\"AccessDenied\",\"errorMessage\":\"User is not authorized to perform: {}:{} because no identity-based policy allows the {}:{} action\"",
            prefix(ev.source), ev.name, prefix(ev.source), ev.name
        );
    }
    raw_or_null(out, ",\"requestParameters\":", &ev.req);
    raw_or_null(
        out,
        ",\"responseElements\":",
        if failed { "" } else { &ev.resp },
    );
    if !ev.extra.is_empty() {
        let _ = write!(out, ",\"additionalEventData\":{}", ev.extra);
    }
    out.push_str(",\"requestID\":\"");
    if ev.short_request_id {
        c.rng.upper(out, 16);
    } else {
        c.rng.uuid(out);
    }
    out.push_str("\",\"eventID\":\"");
    c.rng.uuid(out);
    let _ = write!(out, "\",\"readOnly\":{}", ev.read_only);
    if !ev.resources.is_empty() {
        let _ = write!(out, ",\"resources\":[{}]", ev.resources);
    }
    let _ = write!(
        out,
        ",\"eventType\":\"AwsApiCall\",\"managementEvent\":{},\"recipientAccountId\":\"{}\"",
        !ev.data,
        c.acct()
    );
    if matches!(origin, Origin::Service(_)) && c.rng.chance(0.3) {
        out.push_str(",\"sharedEventID\":\"");
        c.rng.uuid(out);
        out.push('"');
    }
    if let (Origin::Client, Some(v)) = (&origin, c.actor.vpce) {
        let _ = write!(
            out,
            ",\"vpcEndpointId\":\"{}\",\"vpcEndpointAccountId\":\"{}\"",
            c.world.vpc_endpoints[v],
            c.acct()
        );
    }
    let category = if ev.data { "Data" } else { "Management" };
    let _ = write!(out, ",\"eventCategory\":\"{category}\"");
    if matches!(origin, Origin::Client) {
        let (tls, cipher) = if c.rng.chance(0.8) {
            ("TLSv1.3", "TLS_AES_128_GCM_SHA256")
        } else {
            ("TLSv1.2", "ECDHE-RSA-AES128-GCM-SHA256")
        };
        let _ = write!(
            out,
            ",\"tlsDetails\":{{\"tlsVersion\":\"{tls}\",\"cipherSuite\":\"{cipher}\",\"clientProvidedHostHeader\":\""
        );
        if ev.region.is_some() {
            out.push_str(ev.source);
        } else {
            let _ = write!(out, "{}.{region}.amazonaws.com", prefix(ev.source));
        }
        out.push_str("\"}");
        if c.world.agents[c.actor.agent].starts_with("Mozilla") {
            out.push_str(",\"sessionCredentialFromConsole\":\"true\"");
        }
    }
    out.push('}');
}

/// `kms` for `kms.amazonaws.com`.
fn prefix(source: &str) -> &str {
    source.strip_suffix(".amazonaws.com").unwrap_or(source)
}

/// Appends `key` and `value`, or `null` when `value` is empty.
fn raw_or_null(out: &mut String, key: &str, value: &str) {
    out.push_str(key);
    out.push_str(if value.is_empty() { "null" } else { value });
}

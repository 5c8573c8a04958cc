//! Control-plane noise: STS role assumptions, Lambda invocations, CloudWatch Logs
//! streams, CloudFormation reads, and calls logged with null bodies.

use std::fmt::Write as _;

use super::records::{function_arn, resource, Ctx, Ev, Who};
use super::rng::{human_time, Rng};
use super::world::SERVICE_ACCOUNTS;

const STACKS: &[&str] = &[
    "orders-api-prod",
    "auth-prod",
    "network-baseline",
    "eks-prod-nodegroup",
];
const SERVICES: &[&str] = &[
    "lambda.amazonaws.com",
    "ecs-tasks.amazonaws.com",
    "ec2.amazonaws.com",
    "events.amazonaws.com",
];

/// AssumeRole, by a service for its execution role or by a caller.
pub fn sts_assume_role(c: &mut Ctx, ev: &mut Ev) {
    ev.reset("sts.amazonaws.com", "AssumeRole");
    ev.read_only = true;
    if c.rng.chance(0.45) {
        ev.who = Who::Service(c.rng.one(SERVICES));
    }
    let role = c.rng.below(c.world.roles.len());
    let session = c.rng.pick(&c.world.sessions).name.clone();
    let duration = c.rng.chance(0.3).then_some(3600);
    credentials(c, ev, role, &session, duration);
    ev.resp.push('}');
}

/// AssumeRoleWithWebIdentity by a pod's service account through the cluster's
/// OIDC provider (IAM roles for service accounts).
pub fn sts_assume_role_with_web_identity(c: &mut Ctx, ev: &mut Ev) {
    ev.reset("sts.amazonaws.com", "AssumeRoleWithWebIdentity");
    ev.read_only = true;
    let sa = c.rng.below(SERVICE_ACCOUNTS.len());
    ev.who = Who::WebIdentity(sa);
    let role = c.rng.below(c.world.roles.len());
    let session = format!("botocore-session-{}", c.now - c.rng.range(0, 5) as i64);
    credentials(c, ev, role, &session, Some(86_400));
    let _ = write!(
        ev.resp,
        ",\"subjectFromWebIdentityToken\":\"{}\",\"provider\":\"{}\",\"audience\":\"sts.amazonaws.com\"}}",
        SERVICE_ACCOUNTS[sa],
        c.world.oidc_provider_arn(c.account)
    );
}

/// Writes the request of a role assumption and its response, left open for more
/// members; adds the role to `resources`.
fn credentials(c: &mut Ctx, ev: &mut Ev, role: usize, session: &str, duration: Option<u32>) {
    let role_arn = c.world.role_arn(role);
    let _ = write!(
        ev.req,
        "{{\"roleArn\":\"{role_arn}\",\"roleSessionName\":\"{session}\""
    );
    if let Some(d) = duration {
        let _ = write!(ev.req, ",\"durationSeconds\":{d}");
    }
    ev.req.push('}');
    let r = &c.world.roles[role];
    let account = &c.world.accounts[r.account];
    ev.resp.push_str("{\"credentials\":{\"accessKeyId\":\"ASIA");
    c.rng.upper(&mut ev.resp, 16);
    ev.resp.push_str("\",\"expiration\":\"");
    human_time(&mut ev.resp, c.now + i64::from(duration.unwrap_or(3600)));
    let _ = write!(
        ev.resp,
        "\"}},\"assumedRoleUser\":{{\"assumedRoleId\":\"{}:{session}\",\"arn\":\"arn:aws:sts::{account}:assumed-role/{}/{session}\"}}",
        r.id, r.name
    );
    resource(
        &mut ev.resources,
        Some(account),
        "AWS::IAM::Role",
        &role_arn,
    );
}

/// Lambda Invoke data events, often from API Gateway, SQS or EventBridge.
pub fn lambda_invoke(c: &mut Ctx, ev: &mut Ev) {
    ev.reset("lambda.amazonaws.com", "Invoke");
    ev.data = true;
    if c.rng.chance(0.5) {
        ev.who = Who::Service(c.rng.one(&[
            "apigateway.amazonaws.com",
            "sqs.amazonaws.com",
            "events.amazonaws.com",
        ]));
    }
    let arn = function_arn(c);
    let kind = c.rng.pick(&["RequestResponse", "Event"]);
    let _ = write!(
        ev.req,
        "{{\"functionName\":\"{arn}\",\"invocationType\":\"{kind}\",\"logType\":\"None\"}}"
    );
    let _ = write!(ev.extra, "{{\"functionVersion\":\"{arn}:$LATEST\"}}");
    resource(
        &mut ev.resources,
        Some(c.acct()),
        "AWS::Lambda::Function",
        &arn,
    );
}

/// CreateLogStream, as every Lambda cold start does.
pub fn logs_create_log_stream(c: &mut Ctx, ev: &mut Ev) {
    ev.reset("logs.amazonaws.com", "CreateLogStream");
    let f = c.rng.pick(&c.world.functions);
    let _ = write!(
        ev.req,
        "{{\"logGroupName\":\"/aws/lambda/{f}\",\"logStreamName\":\"2026/11/20/[$LATEST]"
    );
    c.rng.hex(&mut ev.req, 32);
    ev.req.push_str("\"}");
}

/// CloudFormation stack reads.
pub fn cloudformation_describe(c: &mut Ctx, ev: &mut Ev) {
    let name = *c.rng.pick(&[
        "DescribeStacks",
        "DescribeStackEvents",
        "ListStackResources",
    ]);
    ev.reset("cloudformation.amazonaws.com", name);
    ev.read_only = true;
    let i = c.rng.below(STACKS.len());
    let _ = write!(
        ev.req,
        "{{\"stackName\":\"arn:aws:cloudformation:{}:{}:stack/{}/",
        c.region,
        c.acct(),
        STACKS[i]
    );
    Rng::new(100 + i as u64).uuid(&mut ev.req);
    ev.req.push_str("\"}");
}

/// Calls CloudTrail logs with null request and response.
pub fn null_bodies(c: &mut Ctx, ev: &mut Ev) {
    let (source, name) = *c.rng.pick(&[
        ("sts.amazonaws.com", "GetCallerIdentity"),
        ("ecr.amazonaws.com", "GetAuthorizationToken"),
        ("iam.amazonaws.com", "ListAccountAliases"),
        ("ec2.amazonaws.com", "DescribeRegions"),
    ]);
    ev.reset(source, name);
    ev.read_only = true;
}

//! One CloudTrail record at a time: picks an event from a realistic service mix,
//! lets the service fill its parts, then writes the envelope around them in the
//! order CloudTrail uses, as compact JSON.

use std::fmt::Write as _;

use super::identity::Principal;
use super::rng::Rng;
use super::world::{World, START};
use super::{cognito, envelope, svc_data, svc_ec2_iam, svc_ops};

/// Per-record randomness and the shared cast.
pub struct Ctx {
    pub rng: Rng,
    pub world: World,
    /// Current time, Unix seconds; advances as records are written.
    pub now: i64,
    pub region: &'static str,
    /// Index of the account receiving the record.
    pub account: usize,
    pub actor: Actor,
    /// Weight of Cognito reads and sign-in calls in the mix (parts per 100 000 of
    /// the rest): 300 in the standard file, more in the Cognito-heavy profile.
    pub read_weight: u32,
}

/// The caller of the current burst: real trails come in runs of calls from one
/// session (a deploy, a Lambda cold start), which is much of why they compress.
#[derive(Default, Clone, Copy)]
pub struct Actor {
    pub session: usize,
    pub user: usize,
    pub ip: usize,
    pub agent: usize,
    /// The VPC endpoint the calls go through, if any.
    pub vpce: Option<usize>,
    /// The kind of call made last.
    pub call: Option<Fill>,
    /// Who calls when the service leaves it open ([`Who::Any`]).
    pub principal: Principal,
}

/// Chance that a record starts a new burst.
const NEW_ACTOR: f64 = 0.04;
/// Chance that a caller repeats its previous kind of call. Each kind keeps its
/// share of [`MIX`] over the file.
const SAME_CALL: f64 = 0.75;

/// Who makes the call.
#[derive(Clone, Copy, Default)]
pub enum Who {
    /// Mostly role sessions, some IAM users, rarely the root user.
    #[default]
    Any,
    /// An AWS service acting on its own (`AWSService`, `invokedBy`).
    Service(&'static str),
    /// A role session whose call a service makes on its behalf (`invokedBy`).
    RoleVia(&'static str),
    /// An unauthenticated caller (Cognito sign-in APIs).
    Anonymous,
    /// A pod's service account through the cluster's OIDC provider (IRSA).
    WebIdentity(usize),
}

/// What a record counts as for the sanity check.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
pub enum Kind {
    #[default]
    Other,
    CognitoRead,
    CognitoWrite,
}

/// The parts of a record a service decides; the envelope does the rest.
#[derive(Default)]
pub struct Ev {
    pub source: &'static str,
    pub name: &'static str,
    pub who: Who,
    pub kind: Kind,
    pub read_only: bool,
    pub data: bool,
    pub region: Option<&'static str>,
    /// `requestParameters` JSON; empty means `null`.
    pub req: String,
    /// `responseElements` JSON; empty means `null`.
    pub resp: String,
    /// `additionalEventData` JSON, or empty.
    pub extra: String,
    /// The elements of `resources`, comma-separated; empty means no `resources`.
    pub resources: String,
    /// S3 style request id (16 upper-case characters) instead of a UUID.
    pub short_request_id: bool,
}

impl Ev {
    pub fn reset(&mut self, source: &'static str, name: &'static str) {
        *self = Ev {
            source,
            name,
            req: std::mem::take(&mut self.req),
            resp: std::mem::take(&mut self.resp),
            extra: std::mem::take(&mut self.extra),
            resources: std::mem::take(&mut self.resources),
            ..Ev::default()
        };
        self.req.clear();
        self.resp.clear();
        self.extra.clear();
        self.resources.clear();
    }
}

impl Ctx {
    pub fn new(seed: u64) -> Self {
        let mut rng = Rng::new(seed);
        let world = World::new(&mut rng);
        Ctx {
            rng,
            world,
            now: START,
            region: "us-east-1",
            account: 0,
            actor: Actor::default(),
            read_weight: MIX[MIX.len() - 1].0,
        }
    }

    pub fn acct(&self) -> &str {
        &self.world.accounts[self.account]
    }
}

type Fill = fn(&mut Ctx, &mut Ev);

/// The service mix, in parts per 100 000 records: Cognito writes are 0.2 %.
const MIX: &[(u32, Fill)] = &[
    (9_000, svc_ops::sts_assume_role),
    (3_000, svc_ops::sts_assume_role_with_web_identity),
    (14_000, svc_data::kms_decrypt),
    (5_000, svc_data::kms_generate_data_key),
    (14_000, svc_ec2_iam::ec2_describe),
    (320, svc_ec2_iam::ec2_run_instances),
    (5_000, svc_data::s3_bucket_read),
    (11_000, svc_data::s3_object),
    (3_500, svc_ec2_iam::iam_read),
    (320, svc_ec2_iam::iam_policy_write),
    (9_000, svc_ops::lambda_invoke),
    (7_200, svc_ops::logs_create_log_stream),
    (6_000, svc_data::dynamodb),
    (4_500, svc_data::ssm_get_parameter),
    (3_000, svc_data::secrets_get),
    (2_500, svc_ops::cloudformation_describe),
    (2_160, svc_ops::null_bodies),
    (200, cognito::write),
    (300, cognito::read), // last: `Ctx::read_weight` replaces its weight
];

const _: () = {
    let (mut i, mut total) = (0, 0);
    while i < MIX.len() {
        total += MIX[i].0;
        i += 1;
    }
    assert!(total == 100_000, "MIX must add up to 100 000");
};

/// Generates the next record into `out` (appending) and says what it is.
pub fn next_record(c: &mut Ctx, ev: &mut Ev, out: &mut String) -> Kind {
    if c.rng.chance(0.35) {
        c.now += 1;
    }
    if c.rng.chance(NEW_ACTOR) {
        new_actor(c);
    }
    let fill = match c.actor.call {
        Some(f) if c.rng.chance(SAME_CALL) => f,
        _ => {
            let mut weights: [u32; MIX.len()] = std::array::from_fn(|i| MIX[i].0);
            weights[MIX.len() - 1] = c.read_weight;
            MIX[c.rng.weighted(&weights)].1
        }
    };
    c.actor.call = Some(fill);
    fill(c, ev);
    envelope::write(c, ev, out);
    ev.kind
}

/// Starts a burst: a new caller, region and receiving account.
fn new_actor(c: &mut Ctx) {
    let w = &c.world;
    c.actor = Actor {
        session: c.rng.skewed(w.sessions.len()),
        user: c.rng.below(w.users.len()),
        ip: c.rng.skewed(w.ips.len()),
        agent: c.rng.skewed(w.agents.len()),
        vpce: c
            .rng
            .chance(0.3)
            .then(|| c.rng.below(w.vpc_endpoints.len())),
        call: None,
        principal: Principal::pick(&mut c.rng),
    };
    c.region = *c.rng.pick(&[
        "us-east-1",
        "us-east-1",
        "us-east-1",
        "eu-west-1",
        "us-west-2",
        "eu-central-1",
    ]);
    c.account = if c.rng.chance(0.85) {
        0
    } else {
        c.rng.below(w.accounts.len())
    };
}

/// The ARN of one of the account's Lambda functions, in the current region.
pub fn function_arn(c: &mut Ctx) -> String {
    let f = *c.rng.pick(&c.world.functions);
    format!("arn:aws:lambda:{}:{}:function:{f}", c.region, c.acct())
}

/// Appends one element of `resources`.
pub fn resource(out: &mut String, account: Option<&str>, kind: &str, arn: &str) {
    if !out.is_empty() {
        out.push(',');
    }
    match account {
        Some(a) => {
            let _ = write!(
                out,
                "{{\"accountId\":\"{a}\",\"type\":\"{kind}\",\"ARN\":\"{arn}\"}}"
            );
        }
        None => {
            let _ = write!(out, "{{\"type\":\"{kind}\",\"ARN\":\"{arn}\"}}");
        }
    }
}

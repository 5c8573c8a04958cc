//! The fixed cast of a generated trail: accounts, roles and their sessions, users,
//! user agents and resources. Drawn once from the seed, then reused by records, as
//! in a real account where the same few hundred principals make most calls.

use super::rng::Rng;

/// How many concurrent role sessions the trail draws from.
const SESSIONS: usize = 800;
/// Start of the generated period: 2026-11-20T00:00:00Z.
pub const START: i64 = 1_795_132_800;

/// An IAM role and its unique id.
pub struct Role {
    pub name: String,
    pub id: String,
    pub account: usize,
}

/// A session of a role: who assumed it, with which key, since when.
pub struct Session {
    pub role: usize,
    pub name: String,
    pub key: String,
    pub created: i64,
}

/// An IAM user with a long-term access key.
pub struct User {
    pub name: &'static str,
    pub id: String,
    pub key: String,
}

/// A Cognito user pool and its app clients.
pub struct Pool {
    pub id: String,
    pub name: &'static str,
    pub clients: Vec<String>,
}

/// Everything records draw names and ids from.
pub struct World {
    pub accounts: Vec<String>,
    pub roles: Vec<Role>,
    pub sessions: Vec<Session>,
    pub users: Vec<User>,
    pub agents: Vec<String>,
    pub ips: Vec<String>,
    pub kms_keys: Vec<String>,
    pub buckets: Vec<String>,
    pub functions: Vec<&'static str>,
    pub instances: Vec<String>,
    pub vpcs: Vec<String>,
    pub user_pools: Vec<Pool>,
    pub identity_pools: Vec<String>,
    pub vpc_endpoints: Vec<String>,
    /// Id of the EKS cluster's OIDC provider.
    pub oidc_id: String,
}

/// Kubernetes service accounts that assume roles through the cluster's OIDC provider.
pub const SERVICE_ACCOUNTS: &[&str] = &[
    "system:serviceaccount:kube-system:aws-node",
    "system:serviceaccount:kube-system:cluster-autoscaler",
    "system:serviceaccount:kube-system:ebs-csi-controller-sa",
    "system:serviceaccount:karpenter:karpenter",
    "system:serviceaccount:external-dns:external-dns",
    "system:serviceaccount:orders:orders-api",
];

/// Roles found in a typical organisation account.
const ROLE_NAMES: &[&str] = &[
    "OrganizationAccountAccessRole",
    "AWSReservedSSO_AdministratorAccess_4f2c1d9b8e7a6f50",
    "AWSReservedSSO_ReadOnlyAccess_0a9b8c7d6e5f4a3b",
    "AWSReservedSSO_PowerUserAccess_77c1e2d3f4a5b6c7",
    "github-actions-deploy",
    "ci-deploy",
    "terraform-apply",
    "eks-node-group-prod-NodeInstanceRole",
    "ecsTaskExecutionRole",
    "orders-api-prod-lambda-role",
    "payments-worker-prod-lambda-role",
    "auth-triggers-prod-lambda-role",
    "datalake-glue-crawler-role",
    "AWSServiceRoleForConfig",
    "AWSServiceRoleForAmazonGuardDuty",
    "AWSServiceRoleForSecurityHub",
    "cloudtrail-to-s3-role",
    "backup-vault-role",
    "bastion-ssm-instance-role",
    "cognito-admin-automation",
];

pub const FUNCTIONS: &[&str] = &[
    "orders-api-prod-createOrder",
    "orders-api-prod-getOrder",
    "payments-worker-prod-settle",
    "auth-triggers-prod-preSignUp",
    "auth-triggers-prod-postConfirmation",
    "auth-triggers-prod-preTokenGeneration",
    "image-resizer-prod",
    "audit-forwarder",
    "nightly-report-generator",
    "datalake-partition-repair",
];

const BUCKET_NAMES: &[&str] = &[
    "acme-prod-assets",
    "acme-prod-uploads",
    "acme-datalake-raw",
    "acme-datalake-curated",
    "acme-cloudtrail-logs",
    "acme-terraform-state",
    "acme-backups-eu",
    "acme-athena-results",
    "acme-build-artifacts",
    "acme-static-website",
];

const USERS: &[&str] = &[
    "deploy-bot",
    "legacy-backup",
    "jenkins",
    "alice.martin",
    "bob.nguyen",
    "datadog-integration",
];

const POOL_NAMES: &[&str] = &[
    "customers-prod",
    "partners-prod",
    "internal-staff",
    "customers-staging",
];

impl World {
    pub fn new(rng: &mut Rng) -> Self {
        let accounts: Vec<String> = (0..6)
            .map(|_| format!("{:012}", rng.range(100_000_000_000, 999_999_999_999)))
            .collect();
        let roles: Vec<Role> = ROLE_NAMES
            .iter()
            .enumerate()
            .map(|(i, name)| Role {
                name: (*name).to_string(),
                id: format!("AROA{}", rng.string(|r, s| r.upper(s, 17))),
                account: if i % 5 == 4 { 1 + rng.below(5) } else { 0 },
            })
            .collect();
        let sessions = (0..SESSIONS).map(|_| session(rng, &roles)).collect();
        let users = USERS
            .iter()
            .map(|name| User {
                name,
                id: format!("AIDA{}", rng.string(|r, s| r.upper(s, 17))),
                key: format!("AKIA{}", rng.string(|r, s| r.upper(s, 16))),
            })
            .collect();
        let agents = (0..30).map(|_| agent(rng)).collect();
        let ips = (0..200).map(|_| rng.string(Rng::ip)).collect();
        let kms_keys = (0..8).map(|_| rng.uuid_string()).collect();
        let buckets = BUCKET_NAMES.iter().map(|b| b.to_string()).collect();
        let instances = (0..80)
            .map(|_| format!("i-0{}", rng.string(|r, s| r.hex(s, 16))))
            .collect();
        let vpcs = (0..4)
            .map(|_| format!("vpc-0{}", rng.string(|r, s| r.hex(s, 16))))
            .collect();
        let user_pools = POOL_NAMES
            .iter()
            .map(|name| Pool {
                id: format!("us-east-1_{}", rng.string(|r, s| r.mixed(s, 9))),
                name,
                clients: (0..3).map(|_| rng.string(|r, s| r.lower(s, 26))).collect(),
            })
            .collect();
        let identity_pools = (0..3)
            .map(|_| format!("us-east-1:{}", rng.uuid_string()))
            .collect();
        let vpc_endpoints = (0..6)
            .map(|_| format!("vpce-0{}", rng.string(|r, s| r.hex(s, 16))))
            .collect();
        let oidc_id = rng.string(|r, s| r.hex(s, 32)).to_uppercase();
        World {
            vpc_endpoints,
            oidc_id,
            accounts,
            roles,
            sessions,
            users,
            agents,
            ips,
            kms_keys,
            buckets,
            functions: FUNCTIONS.to_vec(),
            instances,
            vpcs,
            user_pools,
            identity_pools,
        }
    }

    pub fn oidc_provider_arn(&self, account: usize) -> String {
        format!(
            "arn:aws:iam::{}:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/{}",
            self.accounts[account], self.oidc_id
        )
    }

    pub fn role_arn(&self, role: usize) -> String {
        let r = &self.roles[role];
        format!("arn:aws:iam::{}:role/{}", self.accounts[r.account], r.name)
    }
}

/// A role session: who assumed which role, and when.
fn session(rng: &mut Rng, roles: &[Role]) -> Session {
    let role = rng.below(roles.len());
    let name = match rng.below(6) {
        0 => format!("i-0{}", rng.string(|r, s| r.hex(s, 16))),
        1 => format!("botocore-session-{}", START - rng.range(0, 40_000) as i64),
        2 => format!(
            "aws-go-sdk-{}",
            (START - rng.range(0, 40_000) as i64) * 1000
        ),
        3 => format!("GitHubActions-{}", rng.range(1_000_000_000, 9_999_999_999)),
        4 => format!(
            "{}.{}@example.com",
            rng.pick(&["jane", "omar", "li", "sam", "priya", "lukas"]),
            rng.pick(&["doe", "haddad", "chen", "okafor", "raman", "weber"])
        ),
        _ => rng.pick(FUNCTIONS).to_string(),
    };
    Session {
        role,
        name,
        key: format!("ASIA{}", rng.string(|r, s| r.upper(s, 16))),
        created: START - rng.range(0, 3600 * 6) as i64,
    }
}

/// A user agent as SDKs, tools and the console send them, with varied versions.
fn agent(rng: &mut Rng) -> String {
    let v = |rng: &mut Rng, a: u64, b: u64| format!("{}.{}", rng.range(a, b), rng.range(0, 140));
    let kernel = format!(
        "5.10.{}-{}.{}.amzn2.x86_64",
        rng.range(200, 230),
        rng.range(200, 230),
        rng.range(800, 999)
    );
    match rng.below(8) {
        0 => format!(
            "aws-sdk-java/2.{} Linux/{kernel} OpenJDK_64-Bit_Server_VM/17.0.11+9-LTS Java/17.0.11 vendor/Amazon.com_Inc. md/internal exec-env/AWS_Lambda_java17 io/sync http/Apache cfg/retry-mode/legacy",
            v(rng, 20, 29)
        ),
        1 => {
            let b = v(rng, 34, 35);
            format!("Boto3/1.{b} md/Botocore#1.{b} ua/2.0 os/linux#{kernel} md/arch#x86_64 lang/python#3.12.3 md/pyimpl#CPython exec-env/AWS_Lambda_python3.12 cfg/retry-mode#legacy Botocore/1.{b}")
        }
        2 => format!(
            "aws-cli/2.{} md/awscrt#0.20.11 ua/2.0 os/macos#23.5.0 md/arch#arm64 lang/python#3.11.9 md/pyimpl#CPython cfg/retry-mode#standard md/installer#source md/prompt#off md/command#{}",
            v(rng, 15, 22),
            rng.pick(&["ec2.describe-instances", "s3.cp", "sts.get-caller-identity", "logs.tail", "cognito-idp.update-user-pool"])
        ),
        3 => format!(
            "aws-sdk-go-v2/1.{} os/linux lang/go#1.22.5 md/GOOS#linux md/GOARCH#amd64 api/{}#1.{}",
            v(rng, 26, 32),
            rng.pick(&["kms", "s3", "sts", "dynamodb", "ssm", "ec2"]),
            v(rng, 20, 50)
        ),
        4 => format!(
            "APN/1.0 HashiCorp/1.0 Terraform/1.9.{} (+https://www.terraform.io) terraform-provider-aws/5.{} (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.30.3 ua/2.0 os/linux lang/go#1.22.5 md/GOOS#linux md/GOARCH#amd64 api/cognitoidentityprovider#1.43.3",
            rng.range(0, 8),
            v(rng, 50, 70)
        ),
        5 => format!(
            "[aws-sdk-js/3.{} ua/2.0 os/linux#{kernel} lang/js md/nodejs#20.15.1 api/{}#3.{} exec-env/AWS_Lambda_nodejs20.x]",
            v(rng, 500, 620),
            rng.pick(&["dynamodb", "s3", "sqs", "secrets-manager", "cognito-identity-provider"]),
            v(rng, 500, 620)
        ),
        6 => format!(
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{}.0.0.0 Safari/537.36",
            rng.range(120, 131)
        ),
        _ => "awslambda-worker/1.0 rusoto/0.48.0 rust/1.78.0 linux".to_string(),
    }
}

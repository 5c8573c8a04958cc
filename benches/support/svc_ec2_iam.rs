//! EC2 and IAM calls, including the rare large records: RunInstances responses
//! describing many instances and IAM policy writes carrying big policy documents.

use std::fmt::Write as _;

use super::records::{Ctx, Ev};

const ACTIONS: &[&str] = &[
    "s3:GetObject",
    "s3:PutObject",
    "s3:ListBucket",
    "kms:Decrypt",
    "kms:GenerateDataKey",
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:Query",
    "logs:CreateLogStream",
    "logs:PutLogEvents",
    "sqs:SendMessage",
    "sqs:ReceiveMessage",
    "ssm:GetParameter",
    "secretsmanager:GetSecretValue",
    "cognito-idp:AdminGetUser",
    "ec2:DescribeInstances",
];

/// Writes `"filterSet":{...}` with one item per `(name, values)`.
fn filters(out: &mut String, set: &[(&str, &[&str])]) {
    out.push_str("\"filterSet\":{\"items\":[");
    for (i, (name, values)) in set.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let _ = write!(out, "{{\"name\":\"{name}\",\"valueSet\":{{\"items\":[");
        for (j, v) in values.iter().enumerate() {
            let sep = if j > 0 { "," } else { "" };
            let _ = write!(out, "{sep}{{\"value\":\"{v}\"}}");
        }
        out.push_str("]}}");
    }
    out.push_str("]}");
}

const STATES: &[&str] = &["pending", "running", "stopping", "stopped", "shutting-down"];

/// Describe* calls as cluster autoscalers, Karpenter, Terraform and agents make them.
pub fn ec2_describe(c: &mut Ctx, ev: &mut Ev) {
    let name = *c.rng.pick(&[
        "DescribeInstances",
        "DescribeInstances",
        "DescribeSecurityGroups",
        "DescribeNetworkInterfaces",
        "DescribeVolumes",
        "DescribeTags",
        "DescribeInstanceStatus",
        "DescribeSubnets",
    ]);
    ev.reset("ec2.amazonaws.com", name);
    ev.read_only = true;
    let w = &c.world;
    let instance = w.instances[c.rng.skewed(w.instances.len())].as_str();
    let vpc = c.rng.pick(&w.vpcs).as_str();
    let req = &mut ev.req;
    match name {
        "DescribeInstances" if c.rng.chance(0.5) => {
            req.push_str("{\"instancesSet\":{},");
            filters(
                req,
                &[
                    ("tag:karpenter.sh/nodepool", &["default", "gpu", "batch"]),
                    ("instance-state-name", STATES),
                    ("tag-key", &["kubernetes.io/cluster/prod"]),
                ],
            );
            req.push('}');
        }
        "DescribeInstances" => {
            let _ = write!(
                req,
                "{{\"instancesSet\":{{\"items\":[{{\"instanceId\":\"{instance}\"}}]}},"
            );
            filters(req, &[("instance-state-name", STATES)]);
            req.push('}');
        }
        "DescribeSecurityGroups" | "DescribeSubnets" => {
            req.push_str(if name == "DescribeSubnets" {
                "{\"subnetSet\":{},"
            } else {
                "{\"securityGroupSet\":{},\"securityGroupIdSet\":{},"
            });
            filters(
                req,
                &[
                    ("vpc-id", &[vpc]),
                    ("tag:kubernetes.io/cluster/prod", &["owned", "shared"]),
                ],
            );
            req.push('}');
        }
        "DescribeNetworkInterfaces" | "DescribeVolumes" => {
            req.push_str(if name == "DescribeVolumes" {
                "{\"volumeSet\":{},"
            } else {
                "{\"networkInterfaceIdSet\":{},"
            });
            filters(
                req,
                &[
                    ("attachment.instance-id", &[instance]),
                    ("status", &["in-use", "attaching"]),
                ],
            );
            req.push('}');
        }
        "DescribeTags" => {
            req.push('{');
            filters(
                req,
                &[
                    ("resource-id", &[instance]),
                    (
                        "key",
                        &["aws:autoscaling:groupName", "eks:nodegroup-name", "Name"],
                    ),
                ],
            );
            req.push('}');
        }
        _ => {
            req.push_str("{\"instancesSet\":{},");
            filters(
                req,
                &[
                    ("tag:eks:cluster-name", &["prod"]),
                    ("instance-state-name", STATES),
                ],
            );
            req.push_str(",\"includeAllInstances\":false}");
        }
    }
}

/// A RunInstances call launching a batch: 10-50 KB, mostly the response.
pub fn ec2_run_instances(c: &mut Ctx, ev: &mut Ev) {
    ev.reset("ec2.amazonaws.com", "RunInstances");
    let n = c.rng.range(4, 28);
    let acct = c.acct().to_string();
    let vpc = c.rng.pick(&c.world.vpcs).clone();
    let subnet = format!("subnet-0{}", c.rng.string(|r, s| r.hex(s, 16)));
    let sg = format!("sg-0{}", c.rng.string(|r, s| r.hex(s, 16)));
    let ami = format!("ami-0{}", c.rng.string(|r, s| r.hex(s, 16)));
    let token = c.rng.uuid_string();
    let tags = "{\"items\":[{\"key\":\"eks:cluster-name\",\"value\":\"prod\"},{\"key\":\"eks:nodegroup-name\",\"value\":\"prod-general-2026\"},{\"key\":\"k8s.io/cluster-autoscaler/enabled\",\"value\":\"true\"},{\"key\":\"kubernetes.io/cluster/prod\",\"value\":\"owned\"}]}";
    let _ = write!(
        ev.req,
        "{{\"instancesSet\":{{\"items\":[{{\"imageId\":\"{ami}\",\"minCount\":{n},\"maxCount\":{n}}}]}},\"instanceType\":\"m6i.xlarge\",\"blockDeviceMapping\":{{}},\"monitoring\":{{\"enabled\":false}},\"disableApiTermination\":false,\"disableApiStop\":false,\"clientToken\":\"{token}\",\"tagSpecificationSet\":{{\"items\":[{{\"resourceType\":\"instance\",\"tags\":{tags}}}]}},\"launchTemplate\":{{\"launchTemplateId\":\"lt-0{}\",\"version\":\"7\"}}}}",
        c.rng.string(|r, s| r.hex(s, 16))
    );
    let _ = write!(
        ev.resp,
        "{{\"requestId\":\"{}\",\"reservationId\":\"r-0{}\",\"ownerId\":\"{acct}\",\"groupSet\":{{}},\"instancesSet\":{{\"items\":[",
        c.rng.uuid_string(),
        c.rng.string(|r, s| r.hex(s, 16))
    );
    let launch = c.now * 1000;
    for k in 0..n {
        if k > 0 {
            ev.resp.push(',');
        }
        let id = format!("i-0{}", c.rng.string(|r, s| r.hex(s, 16)));
        let ip = format!("10.0.{}.{}", c.rng.below(256), 1 + c.rng.below(254));
        let dns = format!("ip-{}.ec2.internal", ip.replace('.', "-"));
        let eni = c.rng.string(|r, s| r.hex(s, 16));
        let mac = c.rng.string(|r, s| r.hex(s, 10));
        let _ = write!(
            ev.resp,
            "{{\"instanceId\":\"{id}\",\"imageId\":\"{ami}\",\"currentInstanceBootMode\":\"uefi\",\"instanceState\":{{\"code\":0,\"name\":\"pending\"}},\"privateDnsName\":\"{dns}\",\"amiLaunchIndex\":{k},\"productCodes\":{{}},\"instanceType\":\"m6i.xlarge\",\"launchTime\":{launch},\"placement\":{{\"availabilityZone\":\"{}a\",\"tenancy\":\"default\"}},\"monitoring\":{{\"state\":\"disabled\"}},\"subnetId\":\"{subnet}\",\"vpcId\":\"{vpc}\",\"privateIpAddress\":\"{ip}\",\"stateReason\":{{\"code\":\"pending\",\"message\":\"pending\"}},\"architecture\":\"x86_64\",\"rootDeviceType\":\"ebs\",\"rootDeviceName\":\"/dev/xvda\",\"blockDeviceMapping\":{{}},\"virtualizationType\":\"hvm\",\"hypervisor\":\"xen\",\"tagSet\":{tags},\"clientToken\":\"{token}\",\"groupSet\":{{\"items\":[{{\"groupId\":\"{sg}\",\"groupName\":\"eks-cluster-sg-prod\"}}]}},\"sourceDestCheck\":true,\"networkInterfaceSet\":{{\"items\":[{{\"networkInterfaceId\":\"eni-0{eni}\",\"subnetId\":\"{subnet}\",\"vpcId\":\"{vpc}\",\"ownerId\":\"{acct}\",\"status\":\"in-use\",\"macAddress\":\"0a:{}:{}:{}:{}:{}\",\"privateIpAddress\":\"{ip}\",\"privateDnsName\":\"{dns}\",\"sourceDestCheck\":true,\"interfaceType\":\"interface\",\"groupSet\":{{\"items\":[{{\"groupId\":\"{sg}\",\"groupName\":\"eks-cluster-sg-prod\"}}]}},\"attachment\":{{\"attachmentId\":\"eni-attach-0{eni}\",\"deviceIndex\":0,\"networkCardIndex\":0,\"status\":\"attaching\",\"attachTime\":{launch},\"deleteOnTermination\":true}},\"privateIpAddressesSet\":{{\"item\":[{{\"privateIpAddress\":\"{ip}\",\"privateDnsName\":\"{dns}\",\"primary\":true}}]}},\"ipv6AddressesSet\":{{}},\"tagSet\":{{}}}}]}},\"ebsOptimized\":true,\"enaSupport\":true,\"cpuOptions\":{{\"coreCount\":2,\"threadsPerCore\":2}},\"capacityReservationSpecification\":{{\"capacityReservationPreference\":\"open\"}},\"enclaveOptions\":{{\"enabled\":false}},\"metadataOptions\":{{\"state\":\"pending\",\"httpTokens\":\"required\",\"httpPutResponseHopLimit\":2,\"httpEndpoint\":\"enabled\",\"httpProtocolIpv4\":\"enabled\",\"httpProtocolIpv6\":\"disabled\",\"instanceMetadataTags\":\"disabled\"}},\"maintenanceOptions\":{{\"autoRecovery\":\"default\"}},\"privateDnsNameOptions\":{{\"hostnameType\":\"ip-name\",\"enableResourceNameDnsARecord\":false,\"enableResourceNameDnsAAAARecord\":false}}}}",
            c.region,
            &mac[0..2],
            &mac[2..4],
            &mac[4..6],
            &mac[6..8],
            &mac[8..10]
        );
    }
    ev.resp.push_str("]},\"requesterId\":\"");
    ev.resp.push_str(&acct);
    ev.resp.push_str("\"}");
}

/// IAM reads (a global service: always us-east-1).
pub fn iam_read(c: &mut Ctx, ev: &mut Ev) {
    let name = *c.rng.pick(&[
        "GetRole",
        "ListAttachedRolePolicies",
        "GetRolePolicy",
        "ListRoles",
    ]);
    ev.reset("iam.amazonaws.com", name);
    ev.region = Some("us-east-1");
    ev.read_only = true;
    let role = &c.world.roles[c.rng.below(c.world.roles.len())].name;
    match name {
        "ListRoles" => ev.req.push_str("{\"maxItems\":100}"),
        "GetRolePolicy" => {
            let _ = write!(
                ev.req,
                "{{\"roleName\":\"{role}\",\"policyName\":\"inline-access\"}}"
            );
        }
        _ => {
            let _ = write!(ev.req, "{{\"roleName\":\"{role}\"}}");
        }
    }
}

/// A pretty-printed policy document as IAM logs it: a JSON string inside the JSON.
fn policy_document(c: &mut Ctx, out: &mut String, statements: u64) {
    out.push_str("{\\n    \\\"Version\\\": \\\"2012-10-17\\\",\\n    \\\"Statement\\\": [");
    for k in 0..statements {
        if k > 0 {
            out.push(',');
        }
        let _ = write!(
            out,
            "\\n        {{\\n            \\\"Sid\\\": \\\"Stmt{k}\\\",\\n            \\\"Effect\\\": \\\"Allow\\\",\\n            \\\"Action\\\": ["
        );
        for a in 0..c.rng.range(2, 7) {
            let sep = if a > 0 { "," } else { "" };
            let _ = write!(
                out,
                "{sep}\\n                \\\"{}\\\"",
                c.rng.pick(ACTIONS)
            );
        }
        out.push_str("\\n            ],\\n            \\\"Resource\\\": [");
        for r in 0..c.rng.range(1, 4) {
            let sep = if r > 0 { "," } else { "" };
            let b = c.rng.pick(&c.world.buckets);
            let _ = write!(
                out,
                "{sep}\\n                \\\"arn:aws:s3:::{b}/team-{}/*\\\"",
                c.rng.below(400)
            );
        }
        out.push_str("\\n            ]");
        if c.rng.chance(0.3) {
            let _ = write!(
                out,
                ",\\n            \\\"Condition\\\": {{\\n                \\\"StringEquals\\\": {{\\n                    \\\"aws:PrincipalOrgID\\\": \\\"o-a1b2c3d4e5\\\"\\n                }}\\n            }}"
            );
        }
        out.push_str("\\n        }");
    }
    out.push_str("\\n    ]\\n}");
}

/// PutRolePolicy or CreatePolicy with a large document (10-50 KB).
pub fn iam_policy_write(c: &mut Ctx, ev: &mut Ev) {
    let create = c.rng.chance(0.4);
    ev.reset(
        "iam.amazonaws.com",
        if create {
            "CreatePolicy"
        } else {
            "PutRolePolicy"
        },
    );
    ev.region = Some("us-east-1");
    let statements = c.rng.range(25, 110);
    let role = c.world.roles[c.rng.below(c.world.roles.len())].name.clone();
    if create {
        let name = format!("team-{}-data-access", c.rng.below(400));
        let _ = write!(ev.req, "{{\"policyName\":\"{name}\",\"policyDocument\":\"");
        policy_document(c, &mut ev.req, statements);
        ev.req.push_str("\"}");
        let _ = write!(
            ev.resp,
            "{{\"policy\":{{\"policyName\":\"{name}\",\"policyId\":\"ANPA{}\",\"arn\":\"arn:aws:iam::{}:policy/{name}\",\"path\":\"/\",\"defaultVersionId\":\"v1\",\"attachmentCount\":0,\"permissionsBoundaryUsageCount\":0,\"isAttachable\":true,\"createDate\":\"",
            c.rng.string(|r, s| r.upper(s, 17)),
            c.acct()
        );
        super::rng::human_time(&mut ev.resp, c.now);
        ev.resp.push_str("\",\"updateDate\":\"");
        super::rng::human_time(&mut ev.resp, c.now);
        ev.resp.push_str("\"}}");
    } else {
        let _ = write!(
            ev.req,
            "{{\"roleName\":\"{role}\",\"policyName\":\"inline-access\",\"policyDocument\":\""
        );
        policy_document(c, &mut ev.req, statements);
        ev.req.push_str("\"}");
    }
}

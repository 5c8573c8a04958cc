//! Tools from the user agents and service principals CloudTrail records. Shapes:
//! Terraform's AWS provider (`APN/1.0 HashiCorp/1.0 Terraform/...
//! terraform-provider-aws/... aws-sdk-go-v2/...`, as the provider documents and
//! debug logs show it), Pulumi's (`APN/1.0 Pulumi/1.0 PulumiAwsNative/...`, from
//! its provider's user-agent middleware), CloudFormation's service principal in
//! `invokedBy` / `sourceIPAddress` / `userAgent`, the CDK bootstrap's execution
//! role `cdk-hnb659fds-cfn-exec-role-<account>-<region>`, CloudTrail's
//! documented console agents (`console.amazonaws.com`, `signin.amazonaws.com`),
//! `AWS Internal`, browsers, the CLI (`aws-cli/2.x ... exec-env/CloudShell`) and
//! SDKs (`Boto3/...`, `aws-sdk-js/3...`).

use super::*;

fn ua(agent: &str) -> Tool {
    detect_from(Some(agent), None, None, None)
}

#[test]
fn user_agents_name_their_tool() {
    let cases: &[(&str, Tool)] = &[
        (TERRAFORM_UA, Tool::Terraform),
        ("APN/1.0 HashiCorp/1.0 Terraform/1.5.7 (+https://www.terraform.io) terraform-provider-aws/4.67.0 \
          (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go/1.44.261 (go1.19.8; linux; amd64)",
            Tool::Terraform),
        ("APN/1.0 HashiCorp/1.0 OpenTofu/1.8.0 (+https://opentofu.org) terraform-provider-aws/5.80.0", Tool::OpenTofu),
        ("APN/1.0 Pulumi/1.0 PulumiAwsNative/1.12.0 aws-sdk-go-v2/1.30.3", Tool::Pulumi),
        ("aws-cdk/2.170.0 aws-sdk-js/3.699.0 ua/2.1 os/linux lang/js md/nodejs#20.18.0", Tool::Cdk),
        ("cloudformation.amazonaws.com", Tool::CloudFormation),
        ("console.amazonaws.com", Tool::Console),
        ("signin.amazonaws.com", Tool::Console),
        ("AWS Internal", Tool::Console),
        (BROWSER_UA, Tool::Console),
        ("aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0-1016-aws exe/x86_64.ubuntu.22 prompt/off command/cognito-idp.update-user-pool",
            Tool::Cli),
        ("aws-cli/2.13.5 Python/3.11.4 Linux/4.14.255-314-253.539.amzn2.x86_64 exec-env/CloudShell exe/x86_64.amzn.2 prompt/off",
            Tool::Cli),
        ("aws-cli/1.29.0 Python/3.11.4 Linux/5.15 botocore/1.31.0", Tool::Cli),
        ("Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux#6.1 md/arch#x86_64 lang/python#3.11.6 cfg/retry-mode#legacy Botocore/1.34.0",
            Tool::Sdk("Boto3")),
        ("aws-sdk-js/3.700.0", Tool::Sdk("AWS SDK for JavaScript")),
        ("aws-sdk-go-v2/1.32.6 os/linux lang/go#1.23.3 md/GOOS#linux md/GOARCH#amd64", Tool::Sdk("AWS SDK for Go")),
        ("aws-sdk-java/2.29.0 Linux/6.1 OpenJDK_64-Bit_Server_VM/21 Java/21 vendor/Amazon.com_Inc.", Tool::Sdk("AWS SDK for Java")),
        ("aws-sdk-rust/1.3.3 os/linux lang/rust/1.83.0", Tool::Sdk("AWS SDK for Rust")),
        ("curl/8.5.0", Tool::Unknown),
        ("", Tool::Unknown),
    ];
    for (agent, tool) in cases {
        assert_eq!(ua(agent), *tool, "{agent}");
    }
    assert_eq!(detect_from(None, None, None, None), Tool::Unknown);
    assert_eq!(Tool::Sdk("Boto3").id(), "sdk");
    assert_eq!(serde_json::to_value(Tool::Cdk).unwrap(), "cdk");
}

/// CloudFormation acting for a stack: `invokedBy` (or the source address) names
/// it, whatever the user agent; the CDK when the role is the CDK bootstrap's
/// execution role.
#[test]
fn cloudformation_and_the_cdk_are_told_by_service_and_role() {
    let cfn = Some("cloudformation.amazonaws.com");
    assert_eq!(detect_from(None, cfn, None, None), Tool::CloudFormation);
    assert_eq!(
        detect_from(cfn, None, cfn, Some("stack-deployer")),
        Tool::CloudFormation
    );
    let exec = "cdk-hnb659fds-cfn-exec-role-111122223333-eu-west-1";
    assert_eq!(detect_from(cfn, cfn, cfn, Some(exec)), Tool::Cdk);
    let arn = format!("arn:aws:iam::111122223333:role/{exec}");
    assert_eq!(detect_from(None, cfn, None, Some(&arn)), Tool::Cdk);
    assert_eq!(
        detect_from(Some(TERRAFORM_UA), None, None, Some(exec)),
        Tool::Terraform
    );
    assert_eq!(
        super::super::tool::most_named([Tool::Unknown, Tool::Cli, Tool::Console, Tool::Console]),
        Tool::Console
    );
    assert_eq!(
        super::super::tool::most_named([Tool::Unknown]),
        Tool::Unknown
    );
}

/// A CloudFormation stack update: the stack's changes are made by CloudFormation
/// as the stack's service role, one change set "via CloudFormation".
#[test]
fn a_cloudformation_stack_update_is_one_set() {
    let mut role = session("shop-stack-role", "ASIAQNZGKSTACKROLE01");
    role["invokedBy"] = json!("cloudformation.amazonaws.com");
    let cfn = "cloudformation.amazonaws.com";
    let by_stack = |name: &str, params: Value, id: &str, secs: u32| {
        call(IDP, name, params, id, &role, cfn, secs).set("sourceIPAddress", json!(cfn))
    };
    let records = vec![
        by_stack(
            "UpdateUserPool",
            json!({"userPoolId": USER_POOL_ID, "mfaConfiguration": "OFF",
            "deletionProtection": "INACTIVE"}),
            "cfn-1",
            0,
        ),
        by_stack(
            "UpdateUserPoolClient",
            json!({"userPoolId": USER_POOL_ID, "clientId": "4tq8nexampleclient",
            "clientName": "web", "enableTokenRevocation": false}),
            "cfn-2",
            6,
        ),
        by_stack(
            "DeleteGroup",
            json!({"userPoolId": USER_POOL_ID, "groupName": "legacy"}),
            "cfn-3",
            11,
        ),
        by_stack(
            "UpdateResourceServer",
            json!({"userPoolId": USER_POOL_ID,
            "identifier": "https://api.shop.example", "name": "shop-api"}),
            "cfn-4",
            15,
        ),
    ];
    let sets = change_sets(scan(&records), Window::default());
    assert_eq!(sets.len(), 1);
    let set = &sets[0];
    assert_eq!((set.count(), set.tool()), (4, Tool::CloudFormation));
    let subject = set.subject();
    assert!(
        subject.contains("4 Cognito changes by role/shop-stack-role via CloudFormation"),
        "{subject}"
    );
    assert!(set
        .text()
        .contains("tool       CloudFormation (user agent cloudformation.amazonaws.com)"));

    // The same update deployed by the CDK: the CDK bootstrap's execution role.
    let exec = "cdk-hnb659fds-cfn-exec-role-111122223333-eu-west-1";
    let mut cdk = session(exec, "ASIAQNZGKCDKEXEC0001");
    cdk["invokedBy"] = json!(cfn);
    let records: Vec<Value> = records.into_iter().map(|r| r.by(cdk.clone())).collect();
    let set = change_sets(scan(&records), Window::default()).remove(0);
    assert_eq!(set.tool(), Tool::Cdk);
    assert!(set.subject().contains(" via CDK"), "{}", set.subject());
}

/// A console session: an administrator's edits in the Cognito console, the
/// browser's user agent on some calls and `AWS Internal` on others.
#[test]
fn a_console_session_is_one_set() {
    let admin = json!({
        "type": "AssumedRole",
        "principalId": "AROA3XFRBF535EXAMPLE1:jane.doe@example.com",
        "arn": "arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/jane.doe@example.com",
        "accountId": "111122223333",
        "accessKeyId": "ASIAQNZGKCONSOLE0001",
        "sessionContext": {
            "sessionIssuer": {"type": "Role", "principalId": "AROA3XFRBF535EXAMPLE1",
                "arn": "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123456789abcdef",
                "accountId": "111122223333", "userName": "AWSReservedSSO_Admin_0123456789abcdef"},
            "attributes": {"creationDate": "2026-11-20T08:51:09Z", "mfaAuthenticated": "false"}
        }
    });
    let records = vec![
        call(
            IDP,
            "UpdateUserPool",
            json!({"userPoolId": USER_POOL_ID, "mfaConfiguration": "OPTIONAL"}),
            "con-1",
            &admin,
            BROWSER_UA,
            0,
        ),
        call(
            IDP,
            "SetUserPoolMfaConfig",
            json!({"userPoolId": USER_POOL_ID, "mfaConfiguration": "OFF"}),
            "con-2",
            &admin,
            "AWS Internal",
            45,
        ),
        call(
            IDP,
            "UpdateUserPoolClient",
            json!({"userPoolId": USER_POOL_ID, "clientId": "4tq8nexampleclient",
            "explicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH"]}),
            "con-3",
            &admin,
            BROWSER_UA,
            150,
        ),
    ];
    let set = change_sets(scan(&records), Window::default()).remove(0);
    assert_eq!((set.count(), set.tool()), (3, Tool::Console));
    let subject = set.subject();
    assert!(
        subject.contains(
            "3 Cognito changes by role/AWSReservedSSO_Admin_0123456789abcdef via console"
        ),
        "{subject}"
    );
    assert!(subject.len() < 100, "{subject}");
}

//! CloudFormation templates: every table row is found with its logical path and kind, policies
//! written as strings point at the template's exact characters, values known only at deploy
//! time never raise a finding nor prove a grant, and real public templates are snapshot-tested.

use iamlint::engine::{decide, Caller, Context, Outcome, PolicyInput, Request};
use iamlint::policy::{self, Kind};
use iamlint::rules::{registry, CheckOptions, Checked, Discovery};
use iamlint::source::{self, FileId, LineIndex, Syntax};
use iamlint::template::table;

fn check(text: &str, syntax: Syntax) -> Checked {
    check_as(text, syntax, Discovery::Named)
}

fn check_as(text: &str, syntax: Syntax, discovery: Discovery) -> Checked {
    let options = CheckOptions {
        rules: registry::BUILTIN,
        kind: None,
        max_file_size: 1 << 24,
    };
    iamlint::rules::check(FileId(0), text.as_bytes(), syntax, &options, discovery)
}

/// The kind's name a document was checked as.
fn kind_name(document: &iamlint::rules::DocumentInfo) -> &'static str {
    document.kind.map_or("-", |(kind, _)| kind.as_str())
}

/// `line:column code [logical path] (the template text at the span)`, one finding a line.
fn findings(text: &str, checked: &Checked) -> Vec<String> {
    let index = LineIndex::new(text);
    checked
        .diagnostics
        .iter()
        .map(|d| {
            let at = index.line_col(text, d.span.start);
            format!(
                "{}:{} {} {} [{}] `{}`",
                at.line,
                at.column,
                d.rule.code,
                d.rule.name,
                d.logical_path.as_deref().unwrap_or("-"),
                &text[d.span.range()]
            )
        })
        .collect()
}

fn codes(checked: &Checked) -> Vec<&'static str> {
    checked.diagnostics.iter().map(|d| d.rule.name).collect()
}

/// A template with one resource of `resource_type` whose policy, at `path`, is `policy` (YAML
/// flow syntax), with `extra` properties.
fn template(resource_type: &str, path: &str, policy: &str, extra: &str) -> String {
    let mut body = policy.to_string();
    for step in path.rsplit('.') {
        body = match step.strip_suffix("[*]") {
            Some(name) => format!("{{{name}: [{body}]}}"),
            None => format!("{{{step}: {body}}}"),
        };
    }
    // Merge the innermost object with the extra properties.
    let properties = if extra.is_empty() {
        body
    } else {
        format!("{}, {extra}}}", &body[..body.len() - 1])
    };
    format!("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Thing:\n    Type: {resource_type}\n    Properties: {properties}\n")
}

#[test]
fn every_table_row_is_found_with_its_path_and_kind() {
    let policy = "{Version: '2012-10-17', Statement: [{Effect: Allow, Action: 's3:GetObjekt', Resource: '*', Principal: {AWS: '*'}}]}";
    // Policies built from properties have their own test below.
    for entry in table::entries().iter().filter(|e| e.build.is_none()) {
        let extra = match &entry.when {
            Some((property, value)) => format!("{property}: {value}"),
            None => String::new(),
        };
        let text = template(entry.resource_type, entry.path, policy, &extra);
        let checked = check(&text, Syntax::Yaml);
        let expected = format!(
            "Resources.Thing.Properties.{}",
            entry.path.replace("[*]", "[0]")
        );
        let found: Vec<_> = checked
            .documents
            .iter()
            .filter(|d| kind_name(d) == entry.kind)
            .collect();
        assert_eq!(
            found.len(),
            1,
            "{}: {:?}",
            entry.resource_type,
            checked.documents
        );
        assert_eq!(found[0].logical_path.as_deref(), Some(expected.as_str()));
        assert!(found[0].checked(), "{entry:?}");
        assert_eq!(found[0].kind.unwrap().1, policy::KindOrigin::Template);
        // The misspelt action is reported at its characters, whatever the kind.
        let unknown = checked
            .diagnostics
            .iter()
            .find(|d| d.rule.name == "unknown-action")
            .unwrap_or_else(|| panic!("{}: {:?}", entry.resource_type, codes(&checked)));
        assert_eq!(&text[unknown.span.range()], "'s3:GetObjekt'");
        assert!(unknown
            .logical_path
            .as_deref()
            .unwrap()
            .starts_with(&format!("{expected}.Statement[0].Action")));
    }
}

/// A VPC endpoint's policy and an Organizations policy are checked as the kinds they are: each
/// raises the finding only its kind's grammar has (`Type` picks SCP or RCP).
#[test]
fn endpoint_scp_and_rcp_documents_are_checked_as_their_kind() {
    let cases = [
        (
            "AWS::EC2::VPCEndpoint",
            "PolicyDocument",
            "",
            // Identity-shaped: an endpoint policy needs a Principal.
            "{Version: '2012-10-17', Statement: [{Effect: Allow, Action: 's3:GetObject', Resource: '*'}]}",
            "endpoint",
            "missing-principal",
        ),
        (
            "AWS::Organizations::Policy",
            "Content",
            "Type: SERVICE_CONTROL_POLICY",
            "{Version: '2012-10-17', Statement: [{Effect: Deny, Action: 's3:*Object', Resource: '*'}]}",
            "scp",
            "misplaced-action-wildcard",
        ),
        (
            "AWS::Organizations::Policy",
            "Content",
            "Type: RESOURCE_CONTROL_POLICY",
            "{Version: '2012-10-17', Statement: [{Effect: Deny, Principal: {AWS: 'arn:aws:iam::123456789012:root'}, Action: 's3:GetObject', Resource: '*'}]}",
            "rcp",
            "rcp-principal-not-wildcard",
        ),
    ];
    for (resource_type, path, extra, policy, kind, rule) in cases {
        let text = template(resource_type, path, policy, extra);
        let checked = check(&text, Syntax::Yaml);
        let [document] = checked.documents.as_slice() else {
            panic!("{kind}: {:?}", checked.documents)
        };
        assert_eq!(kind_name(document), kind);
        assert_eq!(document.kind.unwrap().1, policy::KindOrigin::Template);
        assert!(
            codes(&checked).contains(&rule),
            "{kind}: {:?}",
            findings(&text, &checked)
        );
        // The same document outside a template, as another kind, does not raise it.
        let identity = check(
            &template("AWS::IAM::ManagedPolicy", "PolicyDocument", policy, ""),
            Syntax::Yaml,
        );
        assert!(
            !codes(&identity).contains(&rule),
            "{kind}: {:?}",
            codes(&identity)
        );
    }
}

/// `PermissionsBoundary` names a boundary, not a document: the managed policy it `Ref`s is
/// checked as a `boundary` (so `*` on `*` is not `admin-access`), the same policy attached as a
/// plain managed policy is not.
#[test]
fn a_managed_policy_named_as_a_permissions_boundary_is_a_boundary() {
    let text = "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: 'sts:AssumeRole'}]}\n      PermissionsBoundary: !Ref Boundary\n  Boundary:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Action: '*', Resource: '*'}]}\n  Admin:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Action: '*', Resource: '*'}]}\n";
    let checked = check(text, Syntax::Yaml);
    let kinds: Vec<_> = checked
        .documents
        .iter()
        .map(|d| format!("{} {}", d.logical_path.as_deref().unwrap(), kind_name(d)))
        .collect();
    assert_eq!(
        kinds,
        [
            "Resources.Role.Properties.AssumeRolePolicyDocument trust",
            "Resources.Boundary.Properties.PolicyDocument boundary",
            "Resources.Admin.Properties.PolicyDocument identity",
        ]
    );
    let admin: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| d.rule.name == "admin-access")
        .map(|d| d.logical_path.as_deref().unwrap())
        .collect();
    assert_eq!(admin.len(), 1, "{:#?}", findings(text, &checked));
    assert!(admin[0].starts_with("Resources.Admin."), "{admin:?}");
}

#[test]
fn a_sam_policies_list_keeps_only_its_documents() {
    let text = "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Policies:\n        - AmazonS3ReadOnlyAccess\n        - S3ReadPolicy: {BucketName: b}\n        - Version: '2012-10-17'\n          Statement: [{Effect: Allow, Action: 's3:GetObjekt', Resource: '*'}]\n";
    let checked = check(text, Syntax::Yaml);
    let paths: Vec<_> = checked
        .documents
        .iter()
        .map(|d| d.logical_path.as_deref().unwrap())
        .collect();
    // A managed policy's name is not a document; a SAM policy template is expanded.
    assert_eq!(
        paths,
        [
            "Resources.Fn.Properties.Policies[1].S3ReadPolicy",
            "Resources.Fn.Properties.Policies[2]"
        ]
    );
    assert_eq!(codes(&checked), ["unknown-action"]);
}

/// An API's `Auth.ResourcePolicy.CustomStatements` (a list, or one statement) is the resource
/// policy SAM builds for the API, named at `ResourcePolicy`: its findings point at the statements
/// as written.
#[test]
fn sam_api_custom_statements_are_a_resource_policy() {
    for (statements, path) in [
        (
            "\n            - {Effect: Allow, Principal: '*', Action: 'execute-api:Invok', Resource: 'execute-api:/*'}\n",
            "Resources.Api.Properties.Auth.ResourcePolicy.CustomStatements[0].Action",
        ),
        (
            "\n            Effect: Allow\n            Principal: '*'\n            Action: 'execute-api:Invok'\n            Resource: 'execute-api:/*'\n",
            "Resources.Api.Properties.Auth.ResourcePolicy.CustomStatements.Action",
        ),
    ] {
        let text = format!("Transform: AWS::Serverless-2016-10-31\nResources:\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: Prod\n      Auth:\n        ResourcePolicy:\n          CustomStatements:{statements}");
        let checked = check(&text, Syntax::Yaml);
        let documents: Vec<_> = (checked.documents.iter())
            .map(|d| (kind_name(d), d.logical_path.as_deref().unwrap()))
            .collect();
        assert_eq!(
            documents,
            [("resource", "Resources.Api.Properties.Auth.ResourcePolicy")]
        );
        let unknown: Vec<_> = (checked.diagnostics.iter())
            .filter(|d| d.rule.name == "unknown-action")
            .collect();
        assert_eq!(unknown.len(), 1, "{:#?}", findings(&text, &checked));
        assert_eq!(unknown[0].logical_path.as_deref(), Some(path));
        assert_eq!(&text[unknown[0].span.range()], "'execute-api:Invok'");
    }
}

/// SAM's `Auth.ResourcePolicy` shorthands build the API's resource policy: each family is
/// silent when it keeps callers to its list, and a blacklist (everyone but...) or a `*` account
/// is public. Findings point at the shorthand or at the value as written.
#[test]
fn sam_api_resource_policy_shorthands() {
    let at = |name: &str| format!("Resources.Api.Properties.Auth.ResourcePolicy.{name}");
    let cases: [(&str, Vec<(&str, String)>); 12] = [
        ("{AwsAccountWhitelist: ['111122223333']}", vec![]),
        ("{AwsAccountBlacklist: ['111122223333']}", vec![]),
        (
            "{AwsAccountWhitelist: ['111122223333', '*']}",
            vec![("public-principal", at("AwsAccountWhitelist[1]"))],
        ),
        ("{IpRangeWhitelist: [203.0.113.0/24]}", vec![]),
        (
            "{IpRangeBlacklist: [203.0.113.0/24]}",
            vec![("public-principal", at("IpRangeBlacklist"))],
        ),
        (
            "{IpRangeWhitelist: [203.0.113.0/33]}",
            vec![("condition-value-type", at("IpRangeWhitelist[0]"))],
        ),
        (
            "{SourceVpcWhitelist: [vpc-0123456789abcdef0, vpce-0123456789abcdef0]}",
            vec![],
        ),
        (
            "{SourceVpcBlacklist: [vpce-0123456789abcdef0]}",
            vec![("public-principal", at("SourceVpcBlacklist"))],
        ),
        ("{IntrinsicVpcWhitelist: [!Ref Vpc], IntrinsicVpceWhitelist: [!Ref Endpoint]}", vec![]),
        (
            "{IntrinsicVpceBlacklist: [!Ref Endpoint]}",
            vec![("public-principal", at("IntrinsicVpceBlacklist"))],
        ),
        // Two fences deny everyone outside either list: one `Allow` for both.
        (
            "{IpRangeWhitelist: [203.0.113.0/24], SourceVpcWhitelist: [vpce-0123456789abcdef0]}",
            vec![],
        ),
        // The custom statements are checked with the statements SAM writes.
        (
            "{IpRangeWhitelist: [203.0.113.0/24], CustomStatements: [{Effect: Allow, Principal: {AWS: '111122223333'}, Action: 'execute-api:Invok', Resource: 'execute-api:/*'}]}",
            vec![("unknown-action", at("CustomStatements[0].Action"))],
        ),
    ];
    for (resource_policy, expected) in cases {
        let text = format!("Transform: AWS::Serverless-2016-10-31\nParameters:\n  Vpc: {{Type: String}}\n  Endpoint: {{Type: String}}\nResources:\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: Prod\n      Auth:\n        ResourcePolicy: {resource_policy}\n");
        let checked = check(&text, Syntax::Yaml);
        let documents: Vec<_> = (checked.documents.iter())
            .map(|d| (kind_name(d), d.logical_path.as_deref().unwrap()))
            .collect();
        assert_eq!(documents, [("resource", at("").trim_end_matches('.'))]);
        let got: Vec<_> = (checked.diagnostics.iter())
            .map(|d| (d.rule.name, d.logical_path.clone().unwrap()))
            .collect();
        assert_eq!(
            got,
            expected,
            "{resource_policy}: {:#?}",
            findings(&text, &checked)
        );
    }
}

/// `Globals.Api.Auth.ResourcePolicy` is merged into each API's own, as SAM merges `Globals` (maps
/// key by key, lists global first): checked once as its own document when an API (or the API SAM
/// makes for a function's `Api` events) takes it whole, merged into an API that has its own, and
/// not at all for an API that ignores the `Auth` globals.
#[test]
fn sam_globals_api_resource_policy() {
    let public = "CustomStatements: [{Effect: Allow, Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*'}]";
    let global = "Globals.Api.Auth.ResourcePolicy";
    let own = "Resources.Api.Properties.Auth.ResourcePolicy";
    let api = |extra: &str| {
        format!("  Api:\n    Type: AWS::Serverless::Api\n{extra}    Properties:\n      StageName: Prod\n")
    };
    let with_own =
        |policy: &str| format!("{}      Auth: {{ResourcePolicy: {{{policy}}}}}\n", api(""));
    let function = |rest_api: &str| {
        format!("  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Events:\n        Get:\n          Type: Api\n          Properties: {{Path: /, Method: get{rest_api}}}\n")
    };
    let public_at = format!("{global}.CustomStatements[0].Principal");
    let cases: [(String, Vec<&str>, Vec<&str>); 6] = [
        // An API without its own: the global policy, once.
        (
            format!("{}{}", api(""), api("").replace("Api:", "Other:")),
            vec![global],
            vec![&public_at],
        ),
        // The API SAM makes for a function's `Api` event.
        (function(""), vec![global], vec![&public_at]),
        // A function whose events all name their API, and no API: nothing takes it.
        (function(", RestApiId: !Ref X"), vec![], vec![]),
        // An API with its own: merged (the global statement found there), lists joined.
        (
            with_own("IpRangeWhitelist: [203.0.113.0/33]"),
            vec![own],
            vec![
                &public_at,
                "Resources.Api.Properties.Auth.ResourcePolicy.IpRangeWhitelist[0]",
            ],
        ),
        // `IgnoreGlobals` naming `Auth`, or `*`: its own only.
        (
            with_own("AwsAccountWhitelist: ['111122223333']")
                .replace("Properties:", "IgnoreGlobals: [Auth]\n    Properties:"),
            vec![own],
            vec![],
        ),
        // An `Fn::If` is the resource's own value, whole (SAM merges before it reads
        // intrinsics), and SAM reads no shorthand in it: no policy, not even the global one.
        (
            format!(
                "{}      Auth: {{ResourcePolicy: !If [C, {{{public}}}, {{}}]}}\n",
                api("")
            ),
            vec![],
            vec![],
        ),
    ];
    for (resources, documents, expected) in cases {
        let text = format!("Transform: AWS::Serverless-2016-10-31\nConditions:\n  C: !Equals [a, a]\nGlobals:\n  Api:\n    Auth:\n      ResourcePolicy:\n        IpRangeWhitelist: [198.51.100.0/24]\n        {public}\nResources:\n{resources}");
        let checked = check(&text, Syntax::Yaml);
        let got: Vec<_> = (checked.documents.iter())
            .map(|d| d.logical_path.as_deref().unwrap())
            .collect();
        assert_eq!(got, documents, "{text}");
        let got: Vec<_> = (checked.diagnostics.iter())
            .map(|d| d.logical_path.as_deref().unwrap())
            .collect();
        assert_eq!(got, expected, "{text}\n{:#?}", findings(&text, &checked));
    }
}

/// The `Auth.ResourcePolicy` of a function's or state machine's `Api` event is built as an API's
/// and checked as a document of its own; other event types have none.
#[test]
fn sam_api_event_resource_policy() {
    let event = |name: &str, kind: &str, policy: &str| {
        format!("        {name}:\n          Type: {kind}\n          Properties: {{Path: /{name}, Method: get, Auth: {{ResourcePolicy: {{{policy}}}}}}}\n")
    };
    let text = format!(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Events:\n{}{}{}  Machine:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      Events:\n{}",
        event("Open", "Api", "IpRangeBlacklist: [203.0.113.0/24]"),
        event("Fenced", "Api", "SourceVpcWhitelist: [vpce-0123456789abcdef0]"),
        event("Http", "HttpApi", "IpRangeBlacklist: [203.0.113.0/24]"),
        event("Start", "Api", "AwsAccountWhitelist: ['*']"),
    );
    let checked = check(&text, Syntax::Yaml);
    let at = |resource: &str, event: &str| {
        format!("Resources.{resource}.Properties.Events.{event}.Properties.Auth.ResourcePolicy")
    };
    let documents: Vec<_> = (checked.documents.iter())
        .map(|d| (kind_name(d), d.logical_path.clone().unwrap()))
        .collect();
    assert_eq!(
        documents,
        [
            ("resource", at("Fn", "Open")),
            ("resource", at("Fn", "Fenced")),
            ("resource", at("Machine", "Start")),
        ]
    );
    let got: Vec<_> = (checked.diagnostics.iter())
        .map(|d| (d.rule.name, d.logical_path.clone().unwrap()))
        .collect();
    assert_eq!(
        got,
        [
            (
                "public-principal",
                format!("{}.IpRangeBlacklist", at("Fn", "Open"))
            ),
            (
                "public-principal",
                format!("{}.AwsAccountWhitelist[0]", at("Machine", "Start"))
            ),
        ],
        "{:#?}",
        findings(&text, &checked)
    );
}

/// SAM's policy templates are expanded from AWS's published list with the values the entry
/// gives: a finding about a value points at it and names the entry; AWS's own definitions raise
/// nothing (AWS's integration templates, each template used once, are clean).
#[test]
fn sam_policy_templates_are_expanded_and_checked() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/templates/sam");
    let mut documents = 0;
    for name in [
        "all_policy_templates.yaml",
        "function_with_policy_templates.yaml",
        "state_machine_with_policy_templates.yaml",
    ] {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        let checked = check(&text, Syntax::Yaml);
        assert!(
            checked.diagnostics.is_empty(),
            "{name}: {:#?}",
            findings(&text, &checked)
        );
        assert!(checked.documents.iter().all(|d| d.checked()), "{name}");
        documents += checked.documents.len();
    }
    assert_eq!(documents, 76);
    let text = std::fs::read_to_string(dir.join("function_with_policy_templates.yaml"))
        .unwrap()
        .replace(
            "        - EC2DescribePolicy: {}

  MyQueue:",
            "        - AWSSecretsManagerGetSecretValuePolicy: {SecretArn: my-secret}

  MyQueue:",
        );
    let checked = check(&text, Syntax::Yaml);
    assert_eq!(
        findings(&text, &checked),
        ["38:62 IAM201 invalid-arn [Resources.MyFunction.Properties.Policies[3].Fn::If[2].AWSSecretsManagerGetSecretValuePolicy.SecretArn] `my-secret`"]
    );
    assert!(
        messages(&checked)[0].ends_with("(when `TrueCondition` is false)"),
        "{:#?}",
        messages(&checked)
    );
    // A document under an `!If` in the list is found too, and its findings name the side.
    let text = "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Policies:\n        - !If [IsProd, {Version: '2012-10-17', Statement: [{Effect: Allow, Action: 's3:GetObjekt', Resource: '*'}]}, !Ref AWS::NoValue]\n";
    let checked = check(text, Syntax::Yaml);
    assert_eq!(
        findings(text, &checked),
        ["6:84 IAM102 unknown-action [Resources.Fn.Properties.Policies[0].Fn::If[1].Statement[0].Action] `'s3:GetObjekt'`"]
    );
    assert!(messages(&checked)[0].ends_with("(when `IsProd` is true)"));
}

#[test]
fn policies_built_from_properties() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/templates/built.yaml"),
    )
    .unwrap();
    let checked = check(&text, Syntax::Yaml);
    assert_eq!(
        findings(&text, &checked),
        [
            // An S3 notification permission without SourceArn/SourceAccount: any account's
            // bucket can invoke the function (the scoped one beside it raises nothing).
            "8:18 IAM503 service-principal-without-source [Resources.FromS3.Properties.Principal] `s3.amazonaws.com`",
            "20:15 IAM102 unknown-action [Resources.Public.Properties.Action] `lambda:InvokeFunctio`",
            "22:18 IAM502 public-principal [Resources.Public.Properties.Principal] `\"*\"`",
            "30:17 IAM102 unknown-action [Resources.Bus.Properties.Statement.Action] `events:PutEvent`",
            // Alexa's principals are services too (not `AWS` principals, which need an account
            // or an ARN); its skill ID is the source (the skill beside it with one is silent).
            "44:18 IAM503 service-principal-without-source [Resources.FromAnyAlexaSkill.Properties.Principal] `alexa-connectedhome.amazon.com`",
        ]
    );
    assert_eq!(checked.documents.len(), 6);
}

#[test]
fn conditional_inline_policies_are_found_in_each_branch() {
    let text = "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      Policies:\n        - !If\n          - IsProd\n          - PolicyName: prod\n            PolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Action: 's3:GetObjekt', Resource: '*'}]}\n          - !Ref AWS::NoValue\n        - !If [IsProd, !Ref AWS::NoValue, {PolicyName: dev, PolicyDocument: {Version: '2012-10-17', Statement: [{Effect: alow, Action: 's3:GetObject', Resource: '*'}]}}]\n";
    let checked = check(text, Syntax::Yaml);
    let paths: Vec<_> = checked
        .documents
        .iter()
        .map(|d| d.logical_path.as_deref().unwrap())
        .collect();
    assert_eq!(
        paths,
        [
            "Resources.R.Properties.Policies[0].Fn::If[1].PolicyDocument",
            "Resources.R.Properties.Policies[1].Fn::If[2].PolicyDocument"
        ]
    );
    assert_eq!(codes(&checked), ["unknown-action", "invalid-effect"]);
}

#[test]
fn string_policies_point_at_the_template_characters() {
    let policy = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "*"}]}"#;
    let escaped = policy.replace('"', "\\\"");
    let cases = [
        // Single-quoted YAML: the JSON as written.
        (
            format!("PolicyDocument: '{policy}'"),
            Syntax::Yaml,
            "\"s3:GetObjekt\"",
        ),
        // Double-quoted YAML: escaped quotes.
        (
            format!("PolicyDocument: \"{escaped}\""),
            Syntax::Yaml,
            "\\\"s3:GetObjekt\\\"",
        ),
        // A literal block, indented.
        (
            format!("PolicyDocument: |\n        {policy}\n"),
            Syntax::Yaml,
            "\"s3:GetObjekt\"",
        ),
        // Fn::Sub of a string with a parameter elsewhere in it.
        (
            format!(
                "PolicyDocument: !Sub '{}'",
                policy.replace("\"*\"", "\"arn:${AWS::Partition}:s3:::b/*\"")
            ),
            Syntax::Yaml,
            "\"s3:GetObjekt\"",
        ),
    ];
    for (property, syntax, expected) in cases {
        let text = format!("Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      {property}\n");
        let checked = check(&text, syntax);
        assert_eq!(codes(&checked), ["unknown-action"], "{text}");
        let d = &checked.diagnostics[0];
        assert_eq!(&text[d.span.range()], expected, "{text}");
    }
    // A JSON template: the policy is a JSON string inside JSON.
    let json_policy = policy.replace('"', "\\\"");
    let text = format!(
        "{{\"Resources\": {{\"P\": {{\"Type\": \"AWS::IAM::ManagedPolicy\", \"Properties\": {{\"PolicyDocument\": \"{json_policy}\"}}}}}}}}"
    );
    let checked = check(&text, Syntax::Json);
    assert_eq!(codes(&checked), ["unknown-action"]);
    assert_eq!(
        &text[checked.diagnostics[0].span.range()],
        "\\\"s3:GetObjekt\\\""
    );
}

#[test]
fn a_string_policy_that_is_not_json_is_invalid_json_at_its_place() {
    let text = "Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument: '{\"Version\": \"2012-10-17\",}'\n";
    let checked = check(text, Syntax::Yaml);
    assert_eq!(codes(&checked), ["invalid-json"]);
    let span = checked.diagnostics[0].span;
    let at = LineIndex::new(text).line_col(text, span.start);
    // At the `}` after the trailing comma, inside the quoted string.
    assert_eq!((at.line, at.column), (5, 49));
    assert_eq!(&text[span.start as usize..span.start as usize + 1], "}");
}

const INTRINSICS_ONLY: &str = "AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Bucket: {Type: String}
  Account: {Type: String}
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal:
              AWS: !Sub 'arn:${AWS::Partition}:iam::${Account}:root'
              Service: !Sub 'lambda.${AWS::URLSuffix}'
            Action: sts:AssumeRole
            Condition:
              StringEquals: {'aws:SourceAccount': !Ref AWS::AccountId}
              ArnLike: {'aws:SourceArn': !GetAtt Fn.Arn}
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Effect: Allow
                Action: [s3:GetObject]
                Resource:
                  - !Sub 'arn:${AWS::Partition}:s3:::${Bucket}/${!aws:username}/*'
                  - !Join ['', ['arn:aws:s3:::', !Ref Bucket]]
                  - !ImportValue SharedBucketArn
                  - !If [IsProd, !GetAtt Other.Arn, !Ref AWS::NoValue]
                  - Fn::Sub: arn:${AWS::Partition}:s3:::${Bucket}
                  - Fn::GetAtt: [Other, Arn]
                  - 'arn:aws:s3:::home/${aws:username}/*'
              - Effect: !If [IsProd, Allow, Deny]
                Action: sqs:SendMessage
                Resource: !GetAtt Queue.Arn
                Condition:
                  IpAddress: {'aws:SourceIp': !Ref Cidr}
";

#[test]
fn intrinsics_raise_nothing() {
    let checked = check(INTRINSICS_ONLY, Syntax::Yaml);
    assert!(
        checked.diagnostics.is_empty(),
        "{:#?}",
        findings(INTRINSICS_ONLY, &checked)
    );
    assert_eq!(checked.documents.len(), 2);
}

/// `${AWS::AccountId}` in a `!Sub` (or `Fn::Sub` in JSON) is an intrinsic CloudFormation fills
/// in, not a placeholder left for a person: `placeholder-value` stays silent, and so does every
/// other rule. The same text in a plain policy file is a placeholder, and is reported.
#[test]
fn cloudformation_substitutions_are_not_placeholder_values() {
    let yaml = "Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Action: s3:GetObject\n            Resource: !Sub 'arn:${AWS::Partition}:s3:::${AWS::AccountId}-logs/*'\n            Condition:\n              StringEquals: {'aws:ResourceAccount': !Sub '${AWS::AccountId}'}\n";
    let json = r#"{"Resources": {"P": {"Type": "AWS::S3::BucketPolicy", "Properties": {"Bucket": "b", "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": {"Fn::Sub": "arn:aws:iam::${AWS::AccountId}:root"}}, "Action": "s3:GetObject", "Resource": {"Fn::Sub": "arn:aws:s3:::${Bucket}/*"}}]}}}}}"#;
    for (text, syntax) in [(yaml, Syntax::Yaml), (json, Syntax::Json)] {
        let checked = check(text, syntax);
        assert_eq!(checked.documents.len(), 1, "{text}");
        assert!(
            checked.diagnostics.is_empty(),
            "{:#?}",
            findings(text, &checked)
        );
    }
    let plain = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::${AccountId}-logs/*"}]}"#;
    assert_eq!(codes(&check(plain, Syntax::Json)), ["placeholder-value"]);
}

#[test]
fn a_policy_wrong_whatever_the_parameters_is_still_reported() {
    let text = INTRINSICS_ONLY
        .replace("Action: [s3:GetObject]", "Action: [s3:GetObjekt]")
        .replace(
            "Effect: !If [IsProd, Allow, Deny]",
            "Effect: !If [IsProd, Allow, Alow]",
        );
    let checked = check(&text, Syntax::Yaml);
    assert_eq!(
        findings(&text, &checked),
        [
            "26:26 IAM102 unknown-action [Resources.Role.Properties.Policies[0].PolicyDocument.Statement[0].Action[0]] `s3:GetObjekt`",
            // Each branch of `Fn::If` is checked, and the finding points into the branch.
            "35:45 IAM011 invalid-effect [Resources.Role.Properties.Policies[0].PolicyDocument.Statement[1].Effect] `Alow`",
        ]
    );
}

/// A policy holding placeholders, built as the template stage builds it.
fn load(kind: Kind, json: &str) -> PolicyInput<'static, 'static> {
    let text: &'static str = Box::leak(json.replace("?", "\\ufdd0").into_boxed_str());
    let node = Box::leak(Box::new(source::parse(text).expect("valid JSON")));
    let policy = Box::leak(Box::new(policy::build(node).0.expect("a policy")));
    PolicyInput {
        id: 0,
        kind,
        policy,
    }
}

#[test]
fn a_placeholder_never_proves_a_grant() {
    let request = |action: &str, resource: &str| Request {
        principal: Caller::Aws("arn:aws:iam::123456789012:role/R".into()),
        action: action.into(),
        resource: resource.into(),
        // An S3 ARN names no account: the bucket is the caller's, so no bucket policy is needed.
        resource_account: Some("123456789012".into()),
        context: Context::default(),
    };
    let object = "arn:aws:s3:::b/k";
    let cases = [
        // An Allow on a placeholder resource, action or condition value does not grant...
        r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::?/*"}"#,
        r#"{"Effect": "Allow", "Action": "?", "Resource": "*"}"#,
        r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalAccount": "?"}}}"#,
        // ...and a Deny on one may apply: the Allow beside it is not a proven grant.
        r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}, {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::?/*"}"#,
        r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}, {"Effect": "Deny", "Action": "?", "Resource": "*"}"#,
        r#"{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}, {"Effect": "Deny", "NotAction": "?", "Resource": "*"}"#,
    ];
    for statements in cases {
        let policy = load(
            Kind::Identity,
            &format!(r#"{{"Version": "2012-10-17", "Statement": [{statements}]}}"#),
        );
        let outcome = decide(&[policy], &request("s3:GetObject", object)).outcome;
        assert_ne!(outcome, Outcome::Allowed, "{statements}");
    }
    // A literal part that rules the request out still decides: the placeholder is bounded.
    let policy = load(
        Kind::Identity,
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "?"], "Resource": "*"}]}"#,
    );
    assert_eq!(
        decide(&[policy], &request("s3:GetObject", object)).outcome,
        Outcome::Allowed
    );
    // A trust policy naming a placeholder principal does not let a given role in.
    let trust = load(
        Kind::Trust,
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::?:root"}, "Action": "sts:AssumeRole"}]}"#,
    );
    let role = request("sts:AssumeRole", "arn:aws:iam::123456789012:role/T");
    assert_ne!(decide(&[trust], &role).outcome, Outcome::Allowed);
}

#[test]
fn yaml_that_is_not_a_template_is_not_checked() {
    let workflow = "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n";
    // Nor reported when it does not parse (a Helm chart), unless it looks like a template.
    let helm = "a: {{ .Values.x }}\n\tb";
    for text in [workflow, helm] {
        // Met by a walk: skipped, with the reason `--verbose` shows.
        let walked = check_as(text, Syntax::Yaml, Discovery::Walked);
        assert!(walked.diagnostics.is_empty() && walked.documents.is_empty());
        assert!(walked
            .skipped
            .unwrap()
            .contains("not a CloudFormation template"));
        // Named: one finding that says so, whatever its syntax, as for JSON that is not a
        // policy; the document is listed without a kind.
        let named = check(text, Syntax::Yaml);
        assert_eq!(codes(&named), ["not-a-policy"], "{text}");
        assert_eq!(named.diagnostics[0].span.start, 0);
        assert!(named.diagnostics[0].message.contains("CloudFormation"));
        assert!(named.skipped.is_none());
        assert!(named.documents.iter().all(|d| !d.checked()));
    }
    let broken = "Resources:\n  R:\n    Type: AWS::SQS::Queue\n\tProperties: {}\n";
    assert_eq!(codes(&check(broken, Syntax::Yaml)), ["invalid-yaml"]);
}

#[test]
fn real_templates() {
    // The documents found in a real template and the findings.
    let snapshot = |path: &std::path::Path| {
        let text = std::fs::read_to_string(path).unwrap();
        let syntax = Syntax::of(&path.to_string_lossy(), text.as_bytes());
        let checked = check(&text, syntax);
        let mut out = String::from("documents:\n");
        let index = LineIndex::new(&text);
        for d in &checked.documents {
            let at = index.line_col(&text, d.span.start);
            out.push_str(&format!(
                "  {}:{} {} {}{}\n",
                at.line,
                at.column,
                kind_name(d),
                d.logical_path.as_deref().unwrap_or("-"),
                if d.checked() { "" } else { " (not checked)" }
            ));
        }
        out.push_str("findings:\n");
        for line in findings(&text, &checked) {
            out.push_str(&format!("  {line}\n"));
        }
        insta::assert_snapshot!(out);
    };
    insta::glob!("../fixtures/templates/awslabs", "*.{yaml,json}", snapshot);
    insta::glob!("../fixtures/templates/public", "*.{yaml,json}", snapshot);
}

/// As the `yaml` fuzz target does: damaged templates never panic, and every finding's span is
/// inside the text, on character boundaries.
fn spans_sound(text: &str, syntax: Syntax) {
    for d in check(text, syntax).diagnostics {
        let (start, end) = (d.span.start as usize, d.span.end as usize);
        assert!(start <= end && end <= text.len(), "{text:?} {:?}", d.span);
        assert!(text.is_char_boundary(start) && text.is_char_boundary(end));
    }
}

const STRING_POLICIES: &str = "Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument: \"{\\\"Version\\\": \\\"2012-10-17\\\", \\\"Statement\\\": [{\\\"Effect\\\": \\\"Allow\\\", \\\"Action\\\": \\\"s3:Get\\u00e9\\\", \\\"Resource\\\": \\\"*\\\"}]}\"\n  Q:\n    Type: AWS::SQS::QueuePolicy\n    Properties:\n      PolicyDocument: !Sub |\n        {\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"sqs:*\", \"Resource\": \"${Q}\"}]}\n";

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
    #[test]
    fn damaged_templates_never_panic(
        which in 0..2usize,
        cut in 0..2000usize,
        len in 0..12usize,
        insert in "[ \\-:{}\\[\\]'\"\\\\!$é\n]{0,4}",
    ) {
        let base = [INTRINSICS_ONLY, STRING_POLICIES][which];
        let mut at = cut % base.len();
        while !base.is_char_boundary(at) {
            at -= 1;
        }
        let mut end = (at + len).min(base.len());
        while !base.is_char_boundary(end) {
            end -= 1;
        }
        let text = format!("{}{insert}{}", &base[..at], &base[end..]);
        spans_sound(&text, Syntax::Yaml);
    }
}

/// The README lists the policy table; it is generated from it, so it cannot drift. Run with
/// `UPDATE_README=1` to rewrite it.
#[test]
fn readme_lists_the_policy_table() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let (start, end) = (
        "<!-- template-table:start -->\n",
        "<!-- template-table:end -->",
    );
    let from = readme.find(start).expect("a template-table:start marker") + start.len();
    let to = readme.find(end).expect("a template-table:end marker");
    let mut table = String::from("| resource type | property | kind |\n| --- | --- | --- |\n");
    for entry in table::entries() {
        let mut kind = entry.kind.to_string();
        if let Some((property, value)) = &entry.when {
            kind.push_str(&format!(" (when `{property}` is `{value}`)"));
        }
        if entry.sam {
            kind.push_str(" (the documents among SAM's policies)");
        }
        for rule in &entry.ignore {
            kind.push_str(&format!(" (without `{rule}`)"));
        }
        match entry.build {
            Some(table::Build::Statement) => {
                kind.push_str(" (the statement, or list of statements, built into a policy)")
            }
            Some(table::Build::LambdaPermission) => {
                kind.push_str(" (the statement built from `Principal`, `Action`, `FunctionName`, `SourceArn`, `SourceAccount`, `PrincipalOrgID`)")
            }
            Some(table::Build::SamApi) => {
                kind.push_str(" (the policy SAM builds from `CustomStatements` and the account, IP range and VPC allow and deny lists)")
            }
            None => {}
        }
        table.push_str(&format!(
            "| `{}` | `{}` | {kind} |\n",
            entry.resource_type, entry.path
        ));
    }
    if std::env::var_os("UPDATE_README").is_some() {
        std::fs::write(
            &path,
            format!("{}{table}{}", &readme[..from], &readme[to..]),
        )
        .unwrap();
        return;
    }
    assert_eq!(
        &readme[from..to],
        table,
        "the README's policy table is stale: run `UPDATE_README=1 cargo test --test templates`"
    );
}

#[test]
fn a_policy_file_with_intrinsics_is_a_fragment_checked_with_placeholders() {
    // The shape of the policy files a template pulls in (`AWS::Include`, a macro's input): no
    // `Resources`, intrinsics where IAM wants strings.
    let text = r#"{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Principal": {"AWS": {"Ref": "AdminRoles"}},
    "Action": ["kms:Describe*", "kms:Decrypte"],
    "Resource": {"Fn::Sub": "arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/*"}
  }]
}"#;
    let checked = check(text, Syntax::Json);
    assert_eq!(
        findings(text, &checked),
        ["6:33 IAM102 unknown-action [-] `\"kms:Decrypte\"`"]
    );
    assert_eq!(checked.documents.len(), 1);
    assert_eq!(kind_name(&checked.documents[0]), "key");
    assert_eq!(checked.documents[0].logical_path, None);
    // Without the intrinsics the same file is a plain policy, the object an error.
    let plain = text.replace(r#"{"Ref": "AdminRoles"}"#, r#"{"Role": "AdminRoles"}"#);
    assert!(codes(&check(&plain, Syntax::Json)).contains(&"wrong-type"));
}

/// `severity code message` for each finding, to read what a finding says of the values it
/// rests on.
fn messages(checked: &Checked) -> Vec<String> {
    checked
        .diagnostics
        .iter()
        .map(|d| {
            format!(
                "{} {} {}{}",
                d.severity.as_str(),
                d.rule.name,
                d.message,
                if d.certain { "" } else { " [uncertain]" }
            )
        })
        .collect()
}

const PARAMETERS: &str = "Parameters:
  Verb: {Type: String, Default: 's3:GetObjekt'}
  Mode: {Type: String, AllowedValues: ['s3:GetObject', 's3:PutObjekt']}
  Eff: {Type: String, AllowedValues: [Alow, Dney], Default: Alow}
  Free: {Type: String}
  Names: {Type: CommaDelimitedList, Default: 's3:GetObjekt'}
Resources:
  P:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Action: [!Ref Verb, !Ref Mode, !Ref Free, !Select [0, !Ref Names]]
            Resource: '*'
          - Effect: !Ref Eff
            Action: !Sub '${Free}:GetObject'
            Resource: !Sub 'arn:${AWS::Partition}:s3:::${Free}/*'
";

/// A parameter's default is its value (the finding is at the `Ref` and says so); each allowed
/// value is a reading: what holds for some is a note naming them, what holds for all is
/// certain; a parameter with neither, or of a list type, stays a placeholder.
#[test]
fn parameter_defaults_and_allowed_values_are_read() {
    let checked = check(PARAMETERS, Syntax::Yaml);
    assert_eq!(
        findings(PARAMETERS, &checked),
        [
            "15:22 IAM102 unknown-action [Resources.P.Properties.PolicyDocument.Statement[0].Action[0]] `!Ref Verb`",
            "15:33 IAM102 unknown-action [Resources.P.Properties.PolicyDocument.Statement[0].Action[1]] `!Ref Mode`",
            "17:21 IAM011 invalid-effect [Resources.P.Properties.PolicyDocument.Statement[1].Effect] `!Ref Eff`",
        ],
        "{:#?}",
        messages(&checked)
    );
    let said = messages(&checked);
    assert!(
        said[0].starts_with("error unknown-action")
            && said[0].ends_with("(parameter `Verb` at its default `s3:GetObjekt`)"),
        "{said:#?}"
    );
    assert!(
        said[1].starts_with("suggestion unknown-action")
            && said[1].ends_with("(when `Mode` is `s3:PutObjekt`) [uncertain]"),
        "{said:#?}"
    );
    // `Alow` and `Dney` are both invalid: certain, whichever is deployed.
    assert!(
        said[2].starts_with("error invalid-effect")
            && said[2].ends_with("(and likewise with the other allowed values)"),
        "{said:#?}"
    );
}

/// A finding from one side of an `Fn::If` names the condition and the side, in the message (so
/// in every output format), whether the `Fn::If` is in the policy or on the way to it.
#[test]
fn findings_from_one_branch_name_the_condition() {
    let text = INTRINSICS_ONLY.replace(
        "Effect: !If [IsProd, Allow, Deny]",
        "Effect: !If [IsProd, Allow, Alow]",
    );
    let said = messages(&check(&text, Syntax::Yaml));
    assert_eq!(said.len(), 1, "{said:#?}");
    assert!(said[0].ends_with(" (when `IsProd` is false)"), "{said:#?}");
    let text = "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      Policies:\n        - !If [IsProd, !Ref AWS::NoValue, {PolicyName: dev, PolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Action: !If [Wide, 's3:GetObject', 's3:GetObjekt'], Resource: '*'}]}}]\n";
    let said = messages(&check(text, Syntax::Yaml));
    assert_eq!(said.len(), 1, "{said:#?}");
    assert!(
        said[0].ends_with(" (when `IsProd` is false and `Wide` is false)"),
        "{said:#?}"
    );
    // In a policy written as a `!Sub` string, a parameter's allowed values are readings too.
    let text = "Parameters:\n  A: {Type: String, AllowedValues: [GetObject, GetObjekt]}\nResources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument: !Sub '{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:${A}\", \"Resource\": \"*\"}]}'\n";
    let checked = check(text, Syntax::Yaml);
    assert_eq!(
        findings(text, &checked),
        ["7:99 IAM102 unknown-action [Resources.P.Properties.PolicyDocument.Statement[0].Action] `\"s3:${A}\"`"]
    );
    assert!(messages(&checked)[0].ends_with("(when `A` is `GetObjekt`) [uncertain]"));
}

/// `Fn::GetAtt` and `Ref` of a resource whose value is an ARN are that ARN with placeholders
/// (`arn:${…}:sqs:${…}:${…}:${…}`): never an ARN-format error, and the engine sees its literal
/// parts, so a Deny on a queue does not stand in the way of an S3 grant.
#[test]
fn resource_references_have_their_arn_shape() {
    let text = "Resources:\n  Q: {Type: 'AWS::SQS::Queue'}\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - {Effect: Allow, Action: 's3:GetObject', Resource: '*'}\n          - {Effect: Deny, Action: '*', Resource: !GetAtt Q.Arn}\n";
    let root = source::parse_yaml(text).unwrap();
    let found = iamlint::template::find(text, &root);
    let body = found[0].body(&found[0].readings()[0]).unwrap().unwrap();
    let deny = &body.get("Statement").unwrap().value.as_array().unwrap()[1];
    assert_eq!(
        deny.get("Resource").unwrap().value.as_str().unwrap(),
        "arn:\u{fdd1}:sqs:\u{fdd1}:\u{fdd1}:\u{fdd1}"
    );
    assert!(check(text, Syntax::Yaml).diagnostics.is_empty());
    let policy = PolicyInput {
        id: 0,
        kind: Kind::Identity,
        policy: Box::leak(Box::new(
            policy::build(Box::leak(Box::new(body))).0.unwrap(),
        )),
    };
    let request = Request {
        principal: Caller::Aws("arn:aws:iam::123456789012:role/R".into()),
        action: "s3:GetObject".into(),
        resource: "arn:aws:s3:::b/k".into(),
        resource_account: Some("123456789012".into()),
        context: Context::default(),
    };
    assert_eq!(decide(&[policy], &request).outcome, Outcome::Allowed);
}

/// A policy inside a template is measured as IAM stores it: the resolved document as minified
/// JSON, whatever the template's indentation and comments, each value known only at deploy
/// time counting as empty (so a policy that might fit is not reported).
#[test]
fn size_quotas_apply_to_the_policy_as_iam_stores_it() {
    let policy = |resource: &str, padding: &str, count: usize| {
        let mut text = String::from("Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Action: s3:GetObject\n            Resource:\n");
        for i in 0..count {
            text.push_str(&format!(
                "              - {}{padding}\n",
                resource.replace('#', &i.to_string())
            ));
        }
        text
    };
    let too_large = |text: &str| -> Vec<String> {
        check(text, Syntax::Yaml)
            .diagnostics
            .iter()
            .filter(|d| d.rule.name == "policy-too-large")
            .map(|d| format!("{} {}", d.span.start, d.message))
            .collect()
    };
    // 400 resources of 20 characters and more: over 6,144 however it is written.
    let large = policy("'arn:aws:s3:::bucket-#/*'", "", 400);
    let found = too_large(&large);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("characters, over AWS's quota of 6144"),
        "{found:?}"
    );
    // Text padded by comments is no larger once stored: 250 resources of 20 characters fit.
    let small = policy(
        "'arn:aws:s3:::b#'",
        "   # a comment that IAM never sees, long enough to pass the quota",
        250,
    );
    assert!(small.len() > 6144 * 3);
    assert!(too_large(&small).is_empty());
    // A parameter without a default might be empty: ten of them in each resource, written in
    // 40 characters, count as nothing.
    let unknown = format!(
        "Parameters:\n  B: {{Type: String}}\n{}",
        policy("!Sub '${B}${B}${B}${B}${B}${B}${B}${B}${B}${B}-#'", "", 400)
    );
    assert!(unknown.len() > 6144 * 3);
    assert!(too_large(&unknown).is_empty());
}

/// The two assumptions placeholders rest on. A value a parameter gives may hold colons, so an
/// ARN pattern with one before its resource part cannot say which part follows (a Deny on it
/// may apply), while the stack's own partition, region and account are one part each (a Deny
/// on another service's ARN does not). The stack's account is one account: the same as itself,
/// unknown beside a literal one (not proven cross-account).
#[test]
fn placeholders_stand_for_one_arn_part_only_when_the_stack_computes_them() {
    let request = |resource: &str, account: Option<&str>| Request {
        principal: Caller::Aws("arn:aws:iam::123456789012:role/R".into()),
        action: "logs:PutLogEvents".into(),
        resource: resource.into(),
        resource_account: account.map(str::to_string),
        context: Context::default(),
    };
    let group = "arn:aws:logs:us-east-1:123456789012:log-group:x";
    let deny = |resource: &str| {
        let text = format!("Parameters:\n  Where: {{Type: String}}\nResources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - {{Effect: Allow, Action: 'logs:*', Resource: '*'}}\n          - {{Effect: Deny, Action: 'logs:*', Resource: !Sub '{resource}'}}\n");
        let text: &'static str = Box::leak(text.into_boxed_str());
        let root = Box::leak(Box::new(source::parse_yaml(text).unwrap()));
        let found = Box::leak(Box::new(iamlint::template::find(text, root)));
        let body = Box::leak(Box::new(
            found[0].body(&found[0].readings()[0]).unwrap().unwrap(),
        ));
        PolicyInput {
            id: 0,
            kind: Kind::Identity,
            policy: Box::leak(Box::new(policy::build(body).0.unwrap())),
        }
    };
    // `Where` may be `us-east-1:123456789012`: the Deny may be on this very log group.
    let free = deny("arn:aws:logs:${Where}:log-group:x");
    assert_ne!(
        decide(&[free], &request(group, None)).outcome,
        Outcome::Allowed
    );
    // The stack's region and account are one part each: this Deny is on log group `y` only.
    let stack = deny("arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:y");
    assert_eq!(
        decide(&[stack], &request(group, None)).outcome,
        Outcome::Allowed
    );
    // A resource in the stack's account, asked for by a role of a literal account: which
    // accounts these are is not known, so a missing resource policy is "not proven", not a
    // proven cross-account denial.
    let allow = load(
        Kind::Identity,
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*"}]}"#,
    );
    let mut queue = request("arn:aws:sqs:us-east-1:\u{fdd1}:q", None);
    queue.action = "sqs:SendMessage".into();
    let decision = decide(&[allow], &queue);
    assert_ne!(decision.outcome, Outcome::Allowed);
    assert!(
        decision
            .note
            .is_some_and(|n| n.contains("account is unknown")),
        "{:?}",
        decision.note
    );
}

/// A policy written as a `!Sub` string under an `!If` is listed as checked, and checked.
#[test]
fn a_sub_string_policy_under_an_if_is_checked() {
    let text = "Parameters:\n  A: {Type: String, AllowedValues: [GetObject, GetObjekt]}\nResources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      Policies:\n        - !If\n          - IsProd\n          - PolicyName: p\n            PolicyDocument: !Sub '{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:${A}\", \"Resource\": \"*\"}]}'\n          - !Ref AWS::NoValue\n";
    let checked = check(text, Syntax::Yaml);
    assert_eq!(checked.documents.len(), 1);
    assert!(checked.documents[0].checked());
    let said = messages(&checked);
    assert_eq!(said.len(), 1, "{said:#?}");
    assert!(
        said[0].ends_with("(when `IsProd` is true and `A` is `GetObjekt`) [uncertain]"),
        "{said:#?}"
    );
}

//! Policies CloudFormation builds from a resource's properties rather than taking as a document:
//! an `AWS::Events::EventBusPolicy`'s single `Statement`, an `AWS::Serverless::Api`'s
//! `Auth.ResourcePolicy` (SAM builds the API's policy from its shorthands and `CustomStatements`),
//! and the statement an `AWS::Lambda::Permission` adds to a function's resource policy. Each becomes a policy tree
//! whose nodes are the properties' own (so findings point at them); the parts the template does
//! not write (`Version`, `Effect`) have empty spans at the start of the properties.

use std::borrow::Cow;

use crate::source::{Key, Member, Node, Span, Value};

fn member<'t>(name: &'static str, key_span: Span, value: Node<'t>) -> Member<'t> {
    Member {
        key: Key {
            span: key_span,
            name: Cow::Borrowed(name),
        },
        value,
    }
}

fn text<'t>(span: Span, value: &'static str) -> Node<'t> {
    Node {
        span,
        value: Value::String(Cow::Borrowed(value)),
    }
}

fn object<'t>(span: Span, mut members: Vec<Member<'t>>) -> Node<'t> {
    // Members in source order, as the parser makes them (lookups by span rely on it).
    members.sort_by_key(|m| m.key.span.start);
    Node {
        span,
        value: Value::Object(members),
    }
}

/// `{"Version": "2012-10-17", "Statement": statement}`: `statement` is one statement or a list.
pub fn statement_policy<'t>(statement: &Node<'t>) -> Node<'t> {
    let at = Span::empty(statement.span.start);
    object(
        statement.span,
        vec![
            member("Version", at, text(at, "2012-10-17")),
            member("Statement", at, statement.clone()),
        ],
    )
}

/// The resource policy SAM builds for an API from its `Auth.ResourcePolicy`, in SAM's order:
/// `AwsAccountWhitelist`/`Blacklist` allow/deny those accounts; `IpRange*` and the VPC lists allow
/// everyone, then deny everyone outside (whitelist) or inside (blacklist) the ranges, VPCs and
/// endpoints; then `CustomStatements`. `None` when it makes no statement.
///
/// SAM writes one statement per method of the API, on that method's execute-api ARN: here the
/// methods are one placeholder, empty at the start of the `ResourcePolicy` value (the same written
/// text in every statement, so a `Deny` is seen to cover its `Allow`; empty, so that it holds no
/// other finding's span: a finding on a placeholder is dropped). The parts SAM writes are at the
/// shorthand's key; an `Allow` at the key, a `Deny` at its value. A `SourceVpc*` item the template
/// computes is left out (SAM files it under `aws:SourceVpc` or `aws:SourceVpce` by the value it
/// resolves to), as is one that starts with neither `vpc-` nor `vpce-` (SAM drops it).
pub fn sam_api_policy<'t>(resource_policy: &Node<'t>) -> Option<Node<'t>> {
    let given = |name: &str| resource_policy.get(name).filter(|m| is_truthy(&m.value));
    let resource = Node::placeholder(Span::empty(resource_policy.span.start));
    let statement = |effect: &'static str, at: Span, span: Span, principal: Node<'t>| {
        let members = vec![
            member("Effect", at, text(at, effect)),
            member("Principal", at, principal),
            member("Action", at, text(at, "execute-api:Invoke")),
            member("Resource", at, resource.clone()),
        ];
        object(span, members)
    };
    let mut statements = Vec::new();
    for (name, effect) in [
        ("AwsAccountWhitelist", "Allow"),
        ("AwsAccountBlacklist", "Deny"),
    ] {
        // SAM refuses a string here: a list, or an intrinsic that makes one.
        if let Some(m) = given(name).filter(|m| m.value.as_str().is_none()) {
            let accounts = object(
                m.value.span,
                vec![member("AWS", m.key.span, m.value.clone())],
            );
            statements.push(statement(effect, m.key.span, m.value.span, accounts));
        }
    }
    // Everyone is allowed once; each shorthand then denies whom it keeps out.
    let mut everyone = false;
    let mut fence = |statements: &mut Vec<Node<'t>>, m: &Member<'t>, condition: Node<'t>| {
        let at = m.key.span;
        if !everyone {
            everyone = true;
            statements.push(statement("Allow", at, at, text(at, "*")));
        }
        let mut deny = statement("Deny", at, m.value.span, text(at, "*"));
        if let Value::Object(members) = &mut deny.value {
            members.push(member("Condition", at, condition));
        }
        statements.push(deny);
    };
    for (name, operator) in [
        ("IpRangeWhitelist", "NotIpAddress"),
        ("IpRangeBlacklist", "IpAddress"),
    ] {
        if let Some(m) = given(name) {
            let ranges = object(
                m.value.span,
                vec![member("aws:SourceIp", m.key.span, m.value.clone())],
            );
            let condition = object(m.value.span, vec![member(operator, m.key.span, ranges)]);
            fence(&mut statements, m, condition);
        }
    }
    for (list, vpcs, endpoints, operator) in [
        (
            "SourceVpcBlacklist",
            "IntrinsicVpcBlacklist",
            "IntrinsicVpceBlacklist",
            "StringEquals",
        ),
        (
            "SourceVpcWhitelist",
            "IntrinsicVpcWhitelist",
            "IntrinsicVpceWhitelist",
            "StringNotEquals",
        ),
    ] {
        let items = |name: &str| {
            resource_policy
                .get(name)
                .and_then(|m| m.value.as_array())
                .unwrap_or_default()
                .iter()
        };
        let prefixed = |prefix: &'static str| {
            items(list).filter(move |item| item.as_str().is_some_and(|s| s.starts_with(prefix)))
        };
        let vpc: Vec<Node<'t>> = prefixed("vpc-").chain(items(vpcs)).cloned().collect();
        let vpce: Vec<Node<'t>> = prefixed("vpce-").chain(items(endpoints)).cloned().collect();
        let Some(first) = [list, vpcs, endpoints]
            .iter()
            .filter_map(|name| resource_policy.get(name))
            .min_by_key(|m| m.key.span.start)
        else {
            continue;
        };
        let mut tests = Vec::new();
        for (key, values) in [("aws:SourceVpc", vpc), ("aws:SourceVpce", vpce)] {
            if !values.is_empty() {
                let list = Node {
                    span: first.value.span,
                    value: Value::Array(values),
                };
                tests.push(member(key, first.key.span, list));
            }
        }
        if tests.is_empty() {
            continue;
        }
        let tests = object(first.value.span, tests);
        let condition = object(
            first.value.span,
            vec![member(operator, first.key.span, tests)],
        );
        fence(&mut statements, first, condition);
    }
    if let Some(custom) = given("CustomStatements") {
        if statements.is_empty() {
            return Some(statement_policy(&custom.value));
        }
        match &custom.value.value {
            Value::Array(items) => statements.extend(items.iter().cloned()),
            _ => statements.push(custom.value.clone()),
        }
    }
    if statements.is_empty() {
        return None;
    }
    let at = Span::empty(resource_policy.span.start);
    let list = Node {
        span: resource_policy.span,
        value: Value::Array(statements),
    };
    Some(object(
        resource_policy.span,
        vec![
            member("Version", at, text(at, "2012-10-17")),
            member("Statement", at, list),
        ],
    ))
}

/// SAM's merge of a `Globals` value into a resource's own (its `Globals` plugin): maps merge key
/// by key, lists are the global items then the resource's, and anything else, an intrinsic too,
/// is the resource's value.
pub fn merge_global<'t>(global: &Node<'t>, local: &Node<'t>) -> Node<'t> {
    let map = |node: &'_ Node<'t>| match node.as_object() {
        Some([only]) if is_intrinsic(&only.key.name) => None,
        members => members.map(<[Member<'t>]>::to_vec),
    };
    match (map(global), map(local), &global.value, &local.value) {
        (Some(global), Some(local_members), ..) => {
            let mut members: Vec<Member<'t>> = (global.iter())
                .filter(|g| !local_members.iter().any(|l| l.key.name == g.key.name))
                .cloned()
                .collect();
            for l in local_members {
                match global.iter().find(|g| g.key.name == l.key.name) {
                    Some(g) => members.push(Member {
                        value: merge_global(&g.value, &l.value),
                        key: l.key,
                    }),
                    None => members.push(l),
                }
            }
            object(local.span, members)
        }
        (_, _, Value::Array(global), Value::Array(items)) => Node {
            span: local.span,
            value: Value::Array(global.iter().chain(items).cloned().collect()),
        },
        _ => local.clone(),
    }
}

/// An intrinsic function's key, as SAM tells them (`Condition` too).
fn is_intrinsic(key: &str) -> bool {
    key == "Condition" || super::resolve::is_intrinsic(key)
}

/// Whether Python takes the value SAM reads as true: not null, `false`, empty or zero.
fn is_truthy(node: &Node) -> bool {
    match &node.value {
        Value::Null | Value::Bool(false) => false,
        Value::String(s) => !s.is_empty(),
        Value::Array(items) => !items.is_empty(),
        Value::Object(members) => !members.is_empty(),
        Value::Number(n) => n.parse::<f64>() != Ok(0.0),
        Value::Bool(true) => true,
    }
}

/// The statement a Lambda permission grants: `Principal` (a service, an account or `*`) may call
/// `Action` on the function, under `SourceArn`, `SourceAccount` and `PrincipalOrgID`.
pub fn lambda_permission<'t>(properties: &Node<'t>) -> Option<Node<'t>> {
    let at = Span::empty(properties.span.start);
    let action = properties.get("Action")?;
    let principal = properties.get("Principal")?;
    // A service is named by its DNS name: mostly `*.amazonaws.com`, but Alexa's are
    // `alexa-appkit.amazon.com` and `alexa-connectedhome.amazon.com`. Accounts, ARNs and `*`
    // have no dot outside an ARN.
    let principal_kind = match principal.value.as_str() {
        Some(p) if !p.starts_with("arn:") && p.contains('.') => "Service",
        _ => "AWS",
    };
    let mut statement = vec![
        member("Effect", at, text(at, "Allow")),
        member(
            "Principal",
            principal.key.span,
            object(
                principal.value.span,
                vec![member(
                    principal_kind,
                    principal.key.span,
                    principal.value.clone(),
                )],
            ),
        ),
        member("Action", action.key.span, action.value.clone()),
    ];
    // The function may be named by name or partial ARN: the resource is the function, whatever
    // the ARN, so it is a placeholder (never an ARN-format error).
    if let Some(function) = properties.get("FunctionName") {
        statement.push(member(
            "Resource",
            function.key.span,
            Node::placeholder(function.value.span),
        ));
    }
    let mut conditions = Vec::new();
    for (property, operator, key) in [
        ("SourceArn", "ArnLike", "aws:SourceArn"),
        ("SourceAccount", "StringEquals", "aws:SourceAccount"),
        ("PrincipalOrgID", "StringEquals", "aws:PrincipalOrgID"),
        // An Alexa skill's ID: only that skill may invoke the function.
        (
            "EventSourceToken",
            "StringEquals",
            "lambda:EventSourceToken",
        ),
    ] {
        if let Some(m) = properties.get(property) {
            let entry = object(m.value.span, vec![member(key, m.key.span, m.value.clone())]);
            conditions.push(member(operator, m.key.span, entry));
        }
    }
    if !conditions.is_empty() {
        // Two conditions under one operator are one block, as IAM writes them.
        let mut blocks: Vec<Member<'t>> = Vec::new();
        for condition in conditions {
            match blocks.iter_mut().find(|b| b.key.name == condition.key.name) {
                Some(block) => {
                    if let (Value::Object(into), Value::Object(from)) =
                        (&mut block.value.value, condition.value.value)
                    {
                        into.extend(from);
                        block.value.span.end = block.value.span.end.max(condition.key.span.end);
                    }
                }
                None => blocks.push(condition),
            }
        }
        let first = blocks
            .iter()
            .map(|b| b.key.span.start)
            .min()
            .unwrap_or(at.start);
        statement.push(member(
            "Condition",
            Span::empty(first),
            object(properties.span, blocks),
        ));
    }
    Some(statement_policy(&object(properties.span, statement)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{parse_yaml, PLACEHOLDER};
    use serde_json::{json, Value as Json};

    /// The tree's values without spans.
    fn plain(node: &Node) -> Json {
        match &node.value {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(*b),
            Value::Number(n) => serde_json::from_str(n).unwrap(),
            Value::String(s) => Json::String(s.to_string()),
            Value::Array(items) => Json::Array(items.iter().map(plain).collect()),
            Value::Object(members) => Json::Object(
                (members.iter())
                    .map(|m| (m.key.name.to_string(), plain(&m.value)))
                    .collect(),
            ),
        }
    }

    /// The statements of SAM's own translator tests (aws/serverless-application-model,
    /// Apache-2.0, `tests/translator/input/api_with_*.yaml` and `output/*.json` at the mirrored
    /// commit), without the per-method `Resource`s and the repeats they make. In
    /// `api_with_source_vpc_whitelist` SAM resolved `!Ref Vpc1` to its default, `vpc-1234`.
    #[test]
    fn shorthands_build_the_statements_sam_builds() {
        let invoke = |effect: &str, principal: Json| json!({"Effect": effect, "Principal": principal, "Action": "execute-api:Invoke"});
        let deny = |condition: Json| {
            let mut statement = invoke("Deny", json!("*"));
            statement["Condition"] = condition;
            statement
        };
        let cases = [
            // api_with_ip_range_whitelist: everyone is allowed once.
            (
                "{IpRangeWhitelist: [1.2.3.4], IpRangeBlacklist: [1.2.3.4]}",
                vec![
                    invoke("Allow", json!("*")),
                    deny(json!({"NotIpAddress": {"aws:SourceIp": ["1.2.3.4"]}})),
                    deny(json!({"IpAddress": {"aws:SourceIp": ["1.2.3.4"]}})),
                ],
            ),
            // api_with_ip_range_blacklist
            (
                "{IpRangeBlacklist: [1.2.3.4], AwsAccountWhitelist: ['12345']}",
                vec![
                    invoke("Allow", json!({"AWS": ["12345"]})),
                    invoke("Allow", json!("*")),
                    deny(json!({"IpAddress": {"aws:SourceIp": ["1.2.3.4"]}})),
                ],
            ),
            // api_with_source_vpc_whitelist
            (
                "{SourceVpcWhitelist: [vpc-1234, vpc-5678]}",
                vec![
                    invoke("Allow", json!("*")),
                    deny(json!({"StringNotEquals": {"aws:SourceVpc": ["vpc-1234", "vpc-5678"]}})),
                ],
            ),
            // api_with_source_vpc_blacklist
            (
                "{SourceVpcBlacklist: [vpce-3456]}",
                vec![
                    invoke("Allow", json!("*")),
                    deny(json!({"StringEquals": {"aws:SourceVpce": ["vpce-3456"]}})),
                ],
            ),
            // api_with_aws_account_blacklist, api_with_aws_account_whitelist
            (
                "{AwsAccountBlacklist: ['12345']}",
                vec![invoke("Deny", json!({"AWS": ["12345"]}))],
            ),
            (
                "{AwsAccountWhitelist: ['12345'], AwsAccountBlacklist: ['67890']}",
                vec![
                    invoke("Allow", json!({"AWS": ["12345"]})),
                    invoke("Deny", json!({"AWS": ["67890"]})),
                ],
            ),
            // The intrinsic lists join the literal one, each under its key; the custom
            // statements come last.
            (
                "{SourceVpcWhitelist: [vpc-1, vpce-2, other], IntrinsicVpceWhitelist: [{Ref: E}], CustomStatements: [{Effect: Allow}]}",
                vec![
                    invoke("Allow", json!("*")),
                    deny(json!({"StringNotEquals": {
                        "aws:SourceVpc": ["vpc-1"],
                        "aws:SourceVpce": ["vpce-2", {"Ref": "E"}],
                    }})),
                    json!({"Effect": "Allow"}),
                ],
            ),
        ];
        for (resource_policy, expected) in cases {
            let root = parse_yaml(resource_policy).unwrap();
            let policy = plain(&sam_api_policy(&root).unwrap());
            assert_eq!(policy["Version"], "2012-10-17");
            let mut statements = policy["Statement"].as_array().unwrap().clone();
            for statement in &mut statements {
                // The API's methods, only known once SAM has read every event.
                if let Some(resource) = statement.as_object_mut().unwrap().remove("Resource") {
                    assert_eq!(resource, PLACEHOLDER.to_string(), "{resource_policy}");
                }
            }
            assert_eq!(statements, expected, "{resource_policy}");
        }
    }

    /// SAM's `Globals` merge (`samtranslator/plugins/globals/globals.py`, Apache-2.0).
    #[test]
    fn globals_merge_maps_by_key_and_join_lists() {
        for (global, local, merged) in [
            (
                "{IpRangeWhitelist: [a], AwsAccountWhitelist: [x]}",
                "{IpRangeWhitelist: [b], CustomStatements: {Effect: Allow}}",
                json!({"IpRangeWhitelist": ["a", "b"], "AwsAccountWhitelist": ["x"], "CustomStatements": {"Effect": "Allow"}}),
            ),
            // An intrinsic, or a value of another type, is the resource's own, whole.
            (
                "{CustomStatements: [{Effect: Allow}]}",
                "{CustomStatements: {Fn::If: [C, [], []]}}",
                json!({"CustomStatements": {"Fn::If": ["C", [], []]}}),
            ),
            ("{A: {B: [a]}}", "{A: {Ref: P}}", json!({"A": {"Ref": "P"}})),
            ("{A: [a]}", "{A: b}", json!({"A": "b"})),
        ] {
            let (global, local) = (parse_yaml(global).unwrap(), parse_yaml(local).unwrap());
            assert_eq!(plain(&merge_global(&global, &local)), merged);
        }
    }

    #[test]
    fn custom_statements_alone_are_the_policy_and_empty_lists_none() {
        let root = parse_yaml("{CustomStatements: {Effect: Allow}}").unwrap();
        let policy = plain(&sam_api_policy(&root).unwrap());
        assert_eq!(policy["Statement"], json!({"Effect": "Allow"}));
        // SAM makes nothing of empty lists, of VPC IDs of no known prefix, nor of an account
        // written as a string (it refuses that).
        for nothing in [
            "{}",
            "{IpRangeBlacklist: [], AwsAccountWhitelist: null, CustomStatements: []}",
            "{SourceVpcBlacklist: [my-vpc]}",
            "{AwsAccountWhitelist: '12345'}",
        ] {
            let root = parse_yaml(nothing).unwrap();
            assert!(sam_api_policy(&root).is_none(), "{nothing}");
        }
    }
}

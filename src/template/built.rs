//! Policies CloudFormation builds from a resource's properties rather than taking as a document:
//! an `AWS::Events::EventBusPolicy`'s single `Statement`, an `AWS::Serverless::Api`'s
//! `Auth.ResourcePolicy.CustomStatements` (SAM builds the API's policy from them), and the statement an
//! `AWS::Lambda::Permission` adds to a function's resource policy. Each becomes a policy tree
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

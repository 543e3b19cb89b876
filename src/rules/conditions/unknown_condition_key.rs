use crate::catalog::{self, KeyInfo};
use crate::rules::prelude::*;

use super::{for_each_test, key_info};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM302",
        name: "unknown-condition-key",
        severity: Severity::Error,
        summary: "A condition key that is neither a global `aws:` key nor a key of any service",
        doc: r#"## What it does
Reports a condition key that no service defines and that is not a global `aws:` key, such as
`aws:SourceAcount` or `s3:Prefix/x`. Identity-provider keys (`accounts.google.com:aud`,
`saml:aud`, `token.actions.githubusercontent.com:sub`, `<your OIDC host>:aud`) are known. The
deprecated `aws:ARN` is reported too: policy validation rejects it.

## Why is this bad?
IAM rejects unknown keys of known services; a key that is never in the request makes a
positive test always false (the statement never applies) and a negated one always true.

## Example
```json
{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
  "Condition": {"StringEquals": {"aws:SourceAcount": "111122223333"}}}}
```

## Fix
Use the key's exact name; the help names the closest known key.
"#,
        pack: None,
    },
    check,
};

/// The claims IAM exposes for any OIDC provider, as `<provider host>:<claim>`.
const OIDC_CLAIMS: &[&str] = &["aud", "sub", "amr", "azp", "email", "oaud"];

fn check(doc: &Document, out: &mut Findings) {
    for_each_test(doc, |test| {
        let key = test.entry.key;
        match key_info(doc, &key) {
            Some(KeyInfo::Global(global)) if !global.is_supported() => out.emit(
                out.at(
                    key.span,
                    format!("`{}` is not supported in policies", key.value),
                )
                .help("use `aws:PrincipalArn` for the caller's ARN or `aws:SourceArn` for the resource a service acts for"),
            ),
            Some(_) => {}
            None if is_oidc_claim(key.value) || is_undocumented(key.value) => {}
            None => out.emit(diagnose(key, out)),
        }
    });
}

fn diagnose(key: Text, out: &Findings) -> crate::rules::Diagnostic {
    let name = key.value;
    let message = format!("`{name}` is not a known condition key");
    let diagnostic = out.at(key.span, message);
    let Some((prefix, rest)) = name.split_once(':') else {
        return diagnostic.help(
            "a condition key is written `service:name`, such as `aws:SourceAccount` or `s3:prefix`",
        );
    };
    if let Some(near) = catalog::suggest_condition_key(name) {
        return diagnostic.help(format!("did you mean `{near}`?"));
    }
    if is_tag_family(name) && !rest.contains('/') {
        return diagnostic.help(format!("`{name}` needs a tag key: `{name}/<tag-key>`"));
    }
    if is_host(prefix) {
        return diagnostic.help(format!(
            "IAM exposes only these claims of an OIDC provider: {}",
            OIDC_CLAIMS
                .iter()
                .map(|c| format!("`{prefix}:{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if prefix.eq_ignore_ascii_case("aws") {
        return diagnostic.help("see the global condition keys in the IAM User Guide");
    }
    match catalog::service(prefix) {
        Some(service) => diagnostic.help(format!(
            "`{}` ({}) defines no such key; see its condition keys in the Service Authorization Reference",
            service.prefix(),
            service.name()
        )),
        None => diagnostic.help(format!("`{prefix}` is not a service prefix")),
    }
}

/// Keys AWS's own managed policies use that the Service Authorization Reference does not list
/// (yet): known to IAM, so not an error.
fn is_undocumented(name: &str) -> bool {
    [
        "aws:PrincipalOrgMasterAccountId",
        "deepracer:MultiUser",
        "deepracer:UserToken",
        "lakeformation:GlueARN",
    ]
    .iter()
    .any(|k| k.eq_ignore_ascii_case(name))
}

fn is_tag_family(name: &str) -> bool {
    ["aws:RequestTag", "aws:ResourceTag", "aws:PrincipalTag"]
        .iter()
        .any(|f| name.eq_ignore_ascii_case(f))
}

/// `oidc.eks.us-east-1.amazonaws.com/id/ABC:sub` and the like: any OIDC provider registered
/// in IAM contributes keys named after its URL, which no catalog can list.
fn is_oidc_claim(name: &str) -> bool {
    match name.rsplit_once(':') {
        Some((provider, claim)) => {
            is_host(provider.split('/').next().unwrap_or(provider))
                && OIDC_CLAIMS.iter().any(|c| c.eq_ignore_ascii_case(claim))
        }
        None => false,
    }
}

/// A DNS name with at least two labels, as an OIDC provider URL starts with.
fn is_host(text: &str) -> bool {
    let text = text.split('/').next().unwrap_or(text);
    text.contains('.')
        && text.split('.').all(|label| {
            !label.is_empty()
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

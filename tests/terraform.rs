//! Terraform files: policies found where the provider keeps them, written as `jsonencode`,
//! strings or policy-document data sources, findings at the exact characters of the `.tf` file
//! with a logical path; references only known at plan time never raise a finding; bad input
//! never panics and keeps every span inside the text.

use iamlint::rules::{self, registry, CheckOptions, Checked, Discovery};
use iamlint::source::{FileId, LineIndex, Syntax};

fn check(text: &str) -> Checked {
    let options = CheckOptions {
        rules: registry::BUILTIN,
        kind: None,
        max_file_size: 1 << 24,
    };
    rules::check(
        FileId(0),
        text.as_bytes(),
        Syntax::Hcl,
        &options,
        Discovery::Named,
    )
}

/// `line:column code [logical path] (the file's text at the span)`, one finding a line, then
/// the documents found.
fn report(text: &str, checked: &Checked) -> String {
    let index = LineIndex::new(text);
    let mut out = String::new();
    for d in &checked.diagnostics {
        let at = index.line_col(text, d.span.start);
        out.push_str(&format!(
            "{}:{} {} {} [{}] `{}`\n",
            at.line,
            at.column,
            d.rule.code,
            d.rule.name,
            d.logical_path.as_deref().unwrap_or("-"),
            &text[d.span.range()]
        ));
    }
    out.push_str("documents:\n");
    for d in &checked.documents {
        let at = index.line_col(text, d.span.start);
        out.push_str(&format!(
            "{}:{} {} ({}) {} checked={}\n",
            at.line,
            at.column,
            d.kind.map_or("-", |(kind, _)| kind.as_str()),
            d.kind.map_or("-", |(_, origin)| origin.as_str()),
            d.logical_path.as_deref().unwrap_or("-"),
            d.checked()
        ));
    }
    out
}

fn fixture(path: &str) -> String {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/terraform");
    std::fs::read_to_string(root.join(path)).unwrap()
}

fn names(checked: &Checked) -> Vec<&'static str> {
    checked.diagnostics.iter().map(|d| d.rule.name).collect()
}

#[test]
fn every_way_of_writing_a_policy_is_found_with_exact_spans() {
    let text = fixture("basic/main.tf");
    insta::assert_snapshot!(report(&text, &check(&text)));
}

#[test]
fn a_real_module_raises_nothing_on_what_it_cannot_resolve() {
    for path in ["iam-role/main.tf", "iam-policy-example/main.tf"] {
        let text = fixture(path);
        let checked = check(&text);
        insta::assert_snapshot!(path.replace('/', "__"), report(&text, &checked));
    }
}

#[test]
fn a_variable_default_resolves_and_other_references_are_placeholders() {
    let policy = |resource: &str, extra: &str| {
        format!(
            "{extra}\nresource \"aws_iam_policy\" \"p\" {{\n  policy = jsonencode({{\n    Version = \"2012-10-17\"\n    Statement = [{{ Effect = \"Allow\", Action = \"iam:PassRole\", Resource = {resource} }}]\n  }})\n}}\n"
        )
    };
    let with_default = policy("var.roles", "variable \"roles\" {\n  default = \"*\"\n}");
    assert_eq!(names(&check(&with_default)), ["passrole-wildcard-resource"]);
    // A `null` default says the caller gives the value (terraform-aws-lambda's
    // `dead_letter_target_arn`): it stays unknown, not a `null` Resource.
    let null_default = policy("var.roles", "variable \"roles\" {\n  default = null\n}");
    assert_eq!(names(&check(&null_default)), Vec::<&str>::new());
    for unknown in [
        "var.roles",
        "local.roles",
        "aws_iam_role.r.arn",
        "\"${aws_iam_role.r.arn}\"",
        "[for r in var.roles : r.arn]",
        "var.a ? \"x\" : \"y\"",
        "concat(var.a, var.b)",
    ] {
        let checked = check(&policy(unknown, ""));
        assert_eq!(names(&checked), Vec::<&str>::new(), "{unknown}");
        assert!(checked.documents[0].checked(), "{unknown}");
    }
}

#[test]
fn an_unknown_effect_or_pair_never_raises_a_finding() {
    let text = r#"
data "aws_iam_policy_document" "d" {
  dynamic "statement" {
    for_each = var.statements
    content {
      effect        = statement.value.effect
      actions       = statement.value.actions
      not_actions   = statement.value.not_actions
      resources     = statement.value.resources
      not_resources = statement.value.not_resources
      dynamic "principals" {
        for_each = statement.value.principals
        content {
          type        = principals.value.type
          identifiers = principals.value.identifiers
        }
      }
    }
  }
}
resource "aws_iam_role" "r" {
  assume_role_policy = data.aws_iam_policy_document.d.json
}
"#;
    let checked = check(text);
    assert_eq!(names(&checked), Vec::<&str>::new());
    assert_eq!(checked.documents.len(), 1);
    assert_eq!(
        checked.documents[0].kind.map(|(kind, _)| kind.as_str()),
        Some("trust")
    );
}

#[test]
fn a_policy_that_cannot_be_read_is_listed_as_not_checked() {
    let text = r#"
resource "aws_iam_policy" "a" {
  policy = var.policy
}
resource "aws_iam_policy" "b" {
  policy = data.aws_iam_policy_document.elsewhere.json
}
data "aws_iam_policy_document" "merged" {
  source_policy_documents = [var.base]
  statement {
    actions   = ["s3:GetObject"]
    resources = ["*"]
  }
}
resource "aws_iam_policy" "c" {
  policy = data.aws_iam_policy_document.merged.json
}
"#;
    let checked = check(text);
    assert!(checked.diagnostics.is_empty());
    let listed: Vec<(&str, bool)> = checked
        .documents
        .iter()
        .map(|d| (d.logical_path.as_deref().unwrap(), d.checked()))
        .collect();
    assert_eq!(
        listed,
        [
            ("aws_iam_policy.a.policy", false),
            ("aws_iam_policy.b.policy", false),
            ("aws_iam_policy.c.policy", false)
        ]
    );
}

#[test]
fn principals_and_conditions_merge_as_the_provider_renders_them() {
    let text = r#"
resource "aws_s3_bucket_policy" "b" {
  bucket = "b"
  policy = data.aws_iam_policy_document.b.json
}
data "aws_iam_policy_document" "b" {
  statement {
    sid       = "Read"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::b/&{aws:PrincipalAccount}/*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::444455556666:root"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = ["o-abcdefghij"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = ["o-bcdefghijk"]
    }
  }
  statement {
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::b/public/*"]
  }
}
"#;
    let checked = check(text);
    // Merged blocks are no duplicate keys; the `*` principal is public.
    assert_eq!(
        names(&checked),
        ["public-principal"],
        "{}",
        report(text, &checked)
    );
    assert_eq!(
        checked.diagnostics[0].logical_path.as_deref(),
        Some("aws_s3_bucket_policy.b.policy.Statement[1].Principal")
    );
}

#[test]
fn any_prefix_of_a_file_is_checked_without_panic_and_with_spans_inside_the_text() {
    let text = fixture("basic/main.tf");
    for end in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
        let prefix = &text[..end];
        for d in check(prefix).diagnostics {
            assert!(d.span.end as usize <= prefix.len(), "{end}: {d:?}");
            assert!(prefix.is_char_boundary(d.span.start as usize));
            assert!(prefix.is_char_boundary(d.span.end as usize));
        }
    }
    let deep = format!(
        "resource \"aws_iam_policy\" \"p\" {{\n  policy = jsonencode({}\n}}\n",
        "[".repeat(100_000)
    );
    assert_eq!(names(&check(&deep)), ["invalid-hcl"]);
}

/// The statements of the policy at `logical_path`, as `Sid: actions`.
fn statements(text: &str, logical_path: &str) -> Option<Vec<String>> {
    use iamlint::source::Value;
    use iamlint::template::{terraform, Reading};
    let file = std::sync::Arc::new(terraform::ModuleFile::new(text.to_string()));
    let index = terraform::ModuleIndex::new([file], &[]);
    let found = terraform::find(&index, 0, &[]);
    let found = found
        .iter()
        .find(|f| f.logical_path == logical_path)
        .unwrap();
    let root = found.body(&Reading::default())?.unwrap();
    let items = root
        .get("Statement")
        .unwrap()
        .value
        .as_array()
        .unwrap()
        .to_vec();
    Some(
        items
            .iter()
            .map(|s| {
                let sid = s.get("Sid").and_then(|m| m.value.as_str()).unwrap_or("-");
                let actions = match &s.get("Action").unwrap().value.value {
                    Value::Array(a) => a.iter().map(|a| a.as_str().unwrap()).collect::<Vec<_>>(),
                    _ => vec![],
                };
                format!("{sid}: {}", actions.join(","))
            })
            .collect(),
    )
}

#[test]
fn source_and_override_documents_merge_as_the_provider_merges_them() {
    let text = fixture("basic/merge.tf");
    // base's statements, then final's own (List replaces base's List), then extra's (Read
    // replaces base's Read in place).
    assert_eq!(
        statements(&text, "aws_iam_policy.p.policy").unwrap(),
        ["Read: s3:GetObjekt", "List: iam:PassRole"]
    );
    // A cycle ends as a document not checked, and a document merged elsewhere is still
    // checked on its own, its findings reported once.
    assert_eq!(statements(&text, "data.aws_iam_policy_document.a"), None);
    let checked = check(&text);
    insta::assert_snapshot!(report(&text, &checked));
    // A source only known later (a variable) leaves the merged document unknown.
    let unknown = text.replace(
        "[data.aws_iam_policy_document.base.json]",
        "[data.aws_iam_policy_document.base.json, var.more]",
    );
    assert_eq!(statements(&unknown, "aws_iam_policy.p.policy"), None);
    // A Sid only known later makes the replacement unknown too.
    let unknown = text.replace(
        "sid       = \"List\"\n    actions   = [\"iam",
        "sid       = var.sid\n    actions   = [\"iam",
    );
    assert_eq!(statements(&unknown, "aws_iam_policy.p.policy"), None);
}

#[test]
fn a_sid_known_only_later_replaces_nothing_among_a_blocks_own_statements() {
    // terraform-aws-lambda's trust: a written statement, then a `dynamic` one whose Sid is
    // computed. The provider rejects repeated Sids within one block, so the written statement
    // stays and is checked.
    let text = r#"
data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRolee"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
  dynamic "statement" {
    for_each = var.statements
    content {
      sid     = try(statement.value.sid, replace(statement.key, "/[^0-9A-Za-z]*/", ""))
      actions = statement.value.actions
    }
  }
}
resource "aws_iam_role" "r" {
  assume_role_policy = data.aws_iam_policy_document.assume.json
}
"#;
    assert_eq!(
        statements(text, "aws_iam_role.r.assume_role_policy").unwrap(),
        ["-: sts:AssumeRolee", "\u{fdd0}: "]
    );
    let checked = check(text);
    assert!(
        names(&checked).contains(&"unknown-action"),
        "{}",
        report(text, &checked)
    );
}

#[test]
fn a_plan_file_has_its_policies_checked_with_spans_and_addresses() {
    let text = fixture("plan/plan.json");
    let options = CheckOptions {
        rules: registry::BUILTIN,
        kind: None,
        max_file_size: 1 << 24,
    };
    let checked = rules::check(
        FileId(0),
        text.as_bytes(),
        Syntax::Json,
        &options,
        Discovery::Named,
    );
    // The policy known only after apply is listed, not checked.
    insta::assert_snapshot!(report(&text, &checked));
}

#[test]
fn planned_and_state_values_are_checked_to_any_module_depth_once() {
    let options = CheckOptions {
        rules: registry::BUILTIN,
        kind: None,
        max_file_size: 1 << 24,
    };
    for path in ["plan/planned-values.json", "plan/state.json"] {
        let text = fixture(path);
        let checked = rules::check(
            FileId(0),
            text.as_bytes(),
            Syntax::Json,
            &options,
            Discovery::Walked,
        );
        // `aws_iam_policy.changed` is in both the change and the planned values: found once; a
        // data source is not the module's own; child modules nest.
        insta::assert_snapshot!(path.replace('/', "__"), report(&text, &checked));
    }
}

#[test]
fn variables_resolve_from_the_other_files_of_the_module_and_tfvars() {
    use iamlint::rules::check_terraform;
    let main = "resource \"aws_iam_policy\" \"p\" {\n  policy = jsonencode({\n    Version = \"2012-10-17\"\n    Statement = [{ Effect = \"Allow\", Action = var.actions, Resource = var.roles }]\n  })\n}\nresource \"aws_iam_policy\" \"q\" {\n  policy = var.policy\n}\n";
    let variables = "variable \"actions\" {\n  default = [\"iam:PassRole\"]\n}\nvariable \"roles\" {\n  default = \"arn:aws:iam::111122223333:role/app\"\n}\nvariable \"policy\" {\n  default = <<EOT\n{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObjekt\", \"Resource\": \"*\"}]}\nEOT\n}\n";
    let options = CheckOptions {
        rules: registry::BUILTIN,
        kind: None,
        max_file_size: 1 << 24,
    };
    let run = |tfvars: &[String]| {
        let variables = iamlint::rules::ModuleFile::new(variables.to_string());
        let checked = check_terraform(
            FileId(0),
            main.as_bytes(),
            &[std::sync::Arc::new(variables)],
            tfvars,
            &[],
            &options,
        );
        report(main, &checked)
    };
    // Defaults of variables.tf apply, their findings at the reference in main.tf; a whole policy
    // text of another file cannot be pointed into, so it is listed as not checked.
    let defaults = run(&[]);
    assert_eq!(
        defaults,
        "documents:\n2:12 identity (template) aws_iam_policy.p.policy checked=true\n8:12 - (-) aws_iam_policy.q.policy checked=false\n"
    );
    let actions = run(&["actions = [\"iam:PassRole\", \"s3:GetObjekt\"]".into()]);
    assert!(
        actions.contains(
            "4:48 IAM102 unknown-action [aws_iam_policy.p.policy.Statement[0].Action[1]] `a`"
        ),
        "{actions}"
    );
    // terraform.tfvars wins over the default, and a later *.auto.tfvars over it.
    let tfvars = run(&[
        "roles = \"arn:aws:iam::111122223333:role/app\"".into(),
        "roles = \"*\"".into(),
    ]);
    assert!(
        tfvars.contains("4:71 IAM402 passrole-wildcard-resource [aws_iam_policy.p.policy.Statement[0].Resource] `var.roles`"),
        "{tfvars}"
    );
    // A value with a reference in it stays a placeholder.
    let unknown = run(&["roles = local.roles".into()]);
    assert!(!unknown.contains("passrole"), "{unknown}");
}

#[test]
fn a_dynamic_block_does_not_take_the_defaults_its_for_each_tests() {
    // From terraform-aws-modules/terraform-aws-s3-bucket: the block exists only when the list
    // is not empty, so its default `[]` is not the value inside it.
    let text = r#"
variable "orgs" {
  default = []
}
data "aws_iam_policy_document" "d" {
  statement {
    actions   = ["s3:GetBucketAcl"]
    resources = ["arn:aws:s3:::b"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }
    dynamic "condition" {
      for_each = length(var.orgs) > 0 ? [true] : []
      content {
        test     = "StringEquals"
        variable = "aws:ResourceOrgID"
        values   = var.orgs
      }
    }
  }
}
"#;
    let checked = check(text);
    assert_eq!(
        names(&checked),
        Vec::<&str>::new(),
        "{}",
        report(text, &checked)
    );
    // Outside a dynamic block an empty default is no value either: a caller gives it.
    let plain = text.replace("dynamic \"condition\"", "dynamic \"other\"").replace(
        "  statement {\n",
        "  statement {\n    condition {\n      test     = \"StringEquals\"\n      variable = \"aws:ResourceOrgID\"\n      values   = var.orgs\n    }\n",
    );
    assert_eq!(names(&check(&plain)), Vec::<&str>::new());
}

#[test]
fn a_json_syntax_file_has_its_policy_strings_checked() {
    let text = fixture("json/main.tf.json");
    let options = CheckOptions {
        rules: registry::BUILTIN,
        kind: None,
        max_file_size: 1 << 24,
    };
    let syntax = Syntax::of("main.tf.json", text.as_bytes());
    assert_eq!(syntax, Syntax::TerraformJson);
    // `${...}` is a placeholder, `$${aws:username}` the policy variable; a policy that is all
    // interpolation is listed as not checked.
    insta::assert_snapshot!(report(
        &text,
        &rules::check(
            FileId(0),
            text.as_bytes(),
            syntax,
            &options,
            Discovery::Named
        )
    ));
}

/// Checks each file of a module with the others as its siblings: `file:line:column code [path]
/// (text)` a finding, then `file: logical path checked` a document.
fn check_module(files: &[(&str, &str)]) -> String {
    use iamlint::rules::check_terraform;
    let options = CheckOptions {
        rules: registry::BUILTIN,
        kind: None,
        max_file_size: 1 << 24,
    };
    let mut out = String::new();
    for (i, (name, text)) in files.iter().enumerate() {
        let others: Vec<std::sync::Arc<iamlint::rules::ModuleFile>> = files
            .iter()
            .enumerate()
            .filter(|&(j, _)| j != i)
            .map(|(_, (_, text))| iamlint::rules::ModuleFile::new(text.to_string()).into())
            .collect();
        let checked = check_terraform(
            FileId(i as u32),
            text.as_bytes(),
            &others,
            &[],
            &[],
            &options,
        );
        let index = LineIndex::new(text);
        for d in &checked.diagnostics {
            assert_eq!(d.file, FileId(i as u32));
            let at = index.line_col(text, d.span.start);
            out.push_str(&format!(
                "{name}:{}:{} {} [{}] `{}`\n",
                at.line,
                at.column,
                d.rule.code,
                d.logical_path.as_deref().unwrap_or("-"),
                &text[d.span.range()]
            ));
        }
        for d in &checked.documents {
            out.push_str(&format!(
                "{name}: {} {} checked={}\n",
                d.logical_path.as_deref().unwrap_or("-"),
                d.kind.map_or("-", |(kind, _)| kind.as_str()),
                d.checked()
            ));
        }
    }
    out
}

#[test]
fn locals_resolve_at_the_reference_and_a_cycle_stays_unknown() {
    let policy = |resource: &str, locals: &str| {
        format!(
            "variable \"account\" {{\n  default = \"111122223333\"\n}}\nlocals {{\n{locals}\n}}\nresource \"aws_iam_policy\" \"p\" {{\n  policy = jsonencode({{\n    Version = \"2012-10-17\"\n    Statement = [{{ Effect = \"Allow\", Action = \"iam:PassRole\", Resource = {resource} }}]\n  }})\n}}\n"
        )
    };
    // A literal, a template of resolvable parts, a chain through locals and a variable: each
    // reaches the policy at the reference that uses it.
    for (resource, locals) in [
        ("local.roles", "  roles = \"*\""),
        ("local.roles", "  roles = [\"*\"]"),
        (
            "local.roles",
            "  roles = local.all\n  all = local.star\n  star = \"*\"",
        ),
        ("\"${local.any}\"", "  any = \"*\""),
    ] {
        let text = policy(resource, locals);
        let checked = check(&text);
        assert_eq!(
            names(&checked),
            ["passrole-wildcard-resource"],
            "{resource} {locals}"
        );
        let span = checked.diagnostics[0].span;
        let reference = text.find(&format!("Resource = {resource}")).unwrap() + 11;
        assert!(
            reference <= span.start as usize && span.end as usize <= reference + resource.len(),
            "{resource}: {}",
            &text[span.range()]
        );
    }
    let text = policy(
        "local.arn",
        "  arn = \"arn:aws:iam::${var.account}:role/${local.name}\"\n  name = \"app\"",
    );
    assert_eq!(
        statements_resources(&text),
        ["arn:aws:iam::111122223333:role/app"]
    );
    // What cannot be computed stays a placeholder: a function call, a resource attribute, a
    // cycle of any length, a local that names itself; no finding and no hang.
    for locals in [
        "  roles = concat([\"*\"], [])",
        "  roles = aws_iam_role.r.arn",
        "  roles = local.other\n  other = local.roles",
        "  roles = local.b\n  b = local.c\n  c = local.roles",
        "  roles = \"${local.roles}\"",
    ] {
        let text = policy("local.roles", locals);
        let checked = check(&text);
        assert!(
            !names(&checked).contains(&"passrole-wildcard-resource"),
            "{locals}"
        );
        assert!(checked.documents[0].checked(), "{locals}");
    }
}

/// The resources of the policy of `aws_iam_policy.p`, placeholders shown as `?`.
fn statements_resources(text: &str) -> Vec<String> {
    use iamlint::source::{Value, PLACEHOLDER};
    use iamlint::template::{terraform, Reading};
    let file = std::sync::Arc::new(terraform::ModuleFile::new(text.to_string()));
    let index = terraform::ModuleIndex::new([file], &[]);
    let found = terraform::find(&index, 0, &[]);
    let root = found[0].body(&Reading::default()).unwrap().unwrap();
    let statement = &root.get("Statement").unwrap().value.as_array().unwrap()[0];
    let resource = &statement.get("Resource").unwrap().value;
    let items = match &resource.value {
        Value::Array(items) => items.iter().collect(),
        _ => vec![resource],
    };
    items
        .iter()
        .map(|i| i.as_str().unwrap().replace(PLACEHOLDER, "?"))
        .collect()
}

#[test]
fn merges_across_the_files_of_a_module_report_each_finding_in_its_own_file_once() {
    let main = r#"resource "aws_iam_policy" "p" {
  policy = data.aws_iam_policy_document.final.json
}
data "aws_iam_policy_document" "final" {
  source_policy_documents   = [data.aws_iam_policy_document.base.json]
  override_policy_documents = [data.aws_iam_policy_document.fix.json]
  statement {
    sid       = "Pass"
    actions   = ["iam:PassRole"]
    resources = ["*"]
  }
  statement {
    sid       = "Own"
    actions   = ["s3:PutObjekt"]
    resources = ["arn:aws:s3:::b/*"]
  }
}
resource "aws_iam_role" "r" {
  assume_role_policy = data.aws_iam_policy_document.trust.json
}
"#;
    let documents = r#"data "aws_iam_policy_document" "base" {
  statement {
    sid       = "Read"
    actions   = ["s3:GetObjekt"]
    resources = ["arn:aws:s3:::b/*"]
  }
}
data "aws_iam_policy_document" "fix" {
  statement {
    sid       = "Pass"
    actions   = ["iam:PassRole"]
    resources = ["arn:aws:iam::111122223333:role/app"]
  }
}
data "aws_iam_policy_document" "trust" {
  statement {
    effect  = "allow"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}
"#;
    // main.tf's own statement is reported there; the override of policies.tf replaced the
    // `*` PassRole (no finding); base's defect and the trust policy's are policies.tf's, each
    // once (the trust document with the kind of its use in main.tf); every resource's policy is
    // checked.
    insta::assert_snapshot!(check_module(&[
        ("main.tf", main),
        ("policies.tf", documents)
    ]));
    // Without the override, main.tf's own `*` stays, reported in main.tf.
    let unfixed = documents.replace("sid       = \"Pass\"", "sid       = \"Other\"");
    let report = check_module(&[("main.tf", main), ("policies.tf", &unfixed)]);
    assert!(
        report.contains("main.tf:10:18 IAM402 [aws_iam_policy.p.policy.Statement[1].Resource[0]]"),
        "{report}"
    );
}

#[test]
fn a_reference_cycle_is_reported_once_in_the_file_of_its_first_local_and_never_hangs() {
    let a = "locals {\n  b = local.a\n}\n";
    let b = "locals {\n  a = \"x-${local.b}\"\n}\n";
    let report = check_module(&[("a.tf", a), ("b.tf", b)]);
    assert_eq!(report, "b.tf:2:3 IAM042 [-] `a`\n");
    // A long cycle, and a policy that reads it: one finding, the value unknown, no overflow.
    let n = 20_000;
    let mut text = String::from("locals {\n");
    for i in 0..n {
        text.push_str(&format!("  l{i:05} = local.l{:05}\n", (i + 1) % n));
    }
    text.push_str("}\nresource \"aws_iam_policy\" \"p\" {\n  policy = local.l00000\n}\nresource \"aws_iam_policy\" \"q\" {\n  policy = jsonencode({ Statement = [{ Effect = \"Allow\", Action = \"iam:PassRole\", Resource = local.l00007 }] })\n}\n");
    let checked = check(&text);
    let cycles: Vec<&str> = checked
        .diagnostics
        .iter()
        .filter(|d| d.rule.name == "reference-cycle")
        .map(|d| &text[d.span.range()])
        .collect();
    assert_eq!(cycles, ["l00000"]);
    assert!(checked.diagnostics[0].message.ends_with("→ local.l00000"));
    assert!(!names(&checked).contains(&"passrole-wildcard-resource"));
}

#[test]
fn locals_each_used_twice_by_the_next_do_not_blow_up() {
    // Read afresh at each reference, `l40` would be 2^40 reads of `l0` (and a string as long):
    // past a bound of reads a local is unknown, so the check ends and says nothing wrong.
    let mut text = String::from("locals {\n  l0 = \"arn:aws:s3:::b\"\n");
    for i in 1..=40 {
        text.push_str(&format!(
            "  l{i} = \"${{local.l{}}}${{local.l{}}}\"\n",
            i - 1,
            i - 1
        ));
    }
    text.push_str("  a0 = [\"*\"]\n");
    for i in 1..=40 {
        text.push_str(&format!("  a{i} = [local.a{}, local.a{}]\n", i - 1, i - 1));
    }
    text.push_str("}\nresource \"aws_iam_policy\" \"p\" {\n  policy = jsonencode({ Version = \"2012-10-17\", Statement = [{ Effect = \"Allow\", Action = \"s3:GetObject\", Resource = [local.l40, local.a40] }] })\n}\n");
    let checked = check(&text);
    assert!(
        !names(&checked).contains(&"invalid-arn"),
        "{:?}",
        names(&checked)
    );
}

#[test]
fn resource_arns_have_their_shape_so_a_certainly_wrong_type_is_found() {
    // A bucket named literally is a bucket, never an object; a key is never a bucket; the
    // provider's log group ARN has no `:*`, so it is no log stream; a topic is no queue. A name
    // not written (`anon`), a `/*` or `:*` added, or an undeclared queue may be right: silent.
    let text = fixture("arns/main.tf");
    insta::assert_snapshot!(report(&text, &check(&text)));
    // The shape's literal parts and the names the module writes (the role's path included).
    let role = "resource \"aws_iam_role\" \"r\" {\n  name = \"app\"\n  path = \"/service/\"\n}\nresource \"aws_iam_role\" \"anon\" {\n  name_prefix = \"app\"\n}\nresource \"aws_iam_policy\" \"p\" {\n  policy = jsonencode({\n    Version = \"2012-10-17\"\n    Statement = [{ Effect = \"Allow\", Action = \"iam:PassRole\", Resource = [aws_iam_role.r.arn, aws_iam_role.anon.arn, data.aws_iam_role.d.arn, aws_kms_key.k[0].arn, aws_s3_bucket.b[\"x\"].arn, \"${aws_sqs_queue.q.arn}-dlq\", aws_iam_role.r.name] }]\n  })\n}\n";
    assert_eq!(
        statements_resources(role),
        [
            "arn:?:iam::?:role/service/app",
            "arn:?:iam::?:role/?",
            "arn:?:iam::?:role??",
            "arn:?:kms:?:?:key/?",
            "arn:?:s3:::?",
            "arn:?:sqs:?:?:?-dlq",
            "?"
        ]
    );
}

#[test]
fn a_computed_service_principal_raises_no_confused_deputy_finding() {
    // It may be `lambda.amazonaws.com`, and a message naming a placeholder cannot be acted on;
    // a written one in the same trust is still reported.
    let text = r#"
data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = local.services
    }
  }
}
resource "aws_iam_role" "r" {
  assume_role_policy = data.aws_iam_policy_document.assume.json
}
"#;
    let checked = check(text);
    assert!(
        !names(&checked).contains(&"service-principal-without-source"),
        "{}",
        report(text, &checked)
    );
    let written = text.replace("local.services", r#"["sns.amazonaws.com"]"#);
    assert!(names(&check(&written)).contains(&"service-principal-without-source"));
}

#[test]
fn a_condition_the_module_computes_may_be_the_test_a_rule_looks_for() {
    // terraform-aws-iam's OIDC trust: the provider and its `:sub` key come from a variable.
    let text = r#"
data "aws_iam_policy_document" "this" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = ["arn:aws:iam::111122223333:oidc-provider/${var.provider}"]
    }
    condition {
      test     = "StringEquals"
      variable = "${var.provider}:sub"
      values   = ["repo:octo-org/octo-repo:ref:refs/heads/main"]
    }
  }
}
resource "aws_iam_role" "this" {
  assume_role_policy = data.aws_iam_policy_document.this.json
}
"#;
    let checked = check(text);
    let names = names(&checked);
    assert!(
        !names.contains(&"oidc-trust-without-subject")
            && !names.contains(&"oidc-trust-without-audience"),
        "{}",
        report(text, &checked)
    );
    // With no condition at all, the subject is missing whatever the provider is.
    let bare = text.replace(
        "    condition {\n      test     = \"StringEquals\"\n      variable = \"${var.provider}:sub\"\n      values   = [\"repo:octo-org/octo-repo:ref:refs/heads/main\"]\n    }\n",
        "",
    );
    assert_ne!(bare, text);
    assert!(names_of(&bare).contains(&"oidc-trust-without-subject"));
}

fn names_of(text: &str) -> Vec<&'static str> {
    names(&check(text))
}

#[test]
fn an_empty_default_is_not_the_value_a_caller_gives() {
    // terraform-aws-iam's iam-role-for-service-accounts: `default = []`, callers pass the ARNs.
    let text = r#"
variable "zones" {
  type    = list(string)
  default = []
}
data "aws_iam_policy_document" "d" {
  statement {
    actions   = ["route53:ChangeResourceRecordSets"]
    resources = var.zones
  }
}
resource "aws_iam_policy" "p" {
  policy = data.aws_iam_policy_document.d.json
}
"#;
    let checked = check(text);
    assert!(
        !names(&checked).contains(&"empty-value"),
        "{}",
        report(text, &checked)
    );
    // A written default is still the value.
    let written = text.replace(
        "default = []",
        r#"default = ["arn:aws:route53:::hostedzone/Z1"]"#,
    );
    assert_eq!(
        statements(&written, "aws_iam_policy.p.policy").unwrap(),
        ["-: route53:ChangeResourceRecordSets"]
    );
    let checked = check(&written);
    assert!(checked.documents.iter().all(|d| d.checked()));
}

#[test]
fn a_computed_resource_is_no_proof_of_another_users_credentials() {
    // terraform-aws-iam's iam-group: the caller's own user, built by a `for` expression.
    let text = r#"
locals {
  user_resources = [for pattern in ["user/$${aws:username}", "user/*/$${aws:username}"] :
    "arn:aws:iam::111122223333:${pattern}"
  ]
}
data "aws_iam_policy_document" "d" {
  statement {
    actions   = ["iam:CreateAccessKey", "iam:UpdateLoginProfile"]
    resources = local.user_resources
  }
}
resource "aws_iam_policy" "p" {
  policy = data.aws_iam_policy_document.d.json
}
"#;
    let checked = check(text);
    assert!(
        !names(&checked).contains(&"privilege-escalation"),
        "{}",
        report(text, &checked)
    );
    // On every user it is one.
    let every = text.replace("resources = local.user_resources", r#"resources = ["*"]"#);
    assert!(names_of(&every).contains(&"privilege-escalation"));
}

#[test]
fn a_document_whose_principal_and_actions_are_computed_is_read_as_a_trust_policy() {
    // cloudposse/terraform-aws-iam-role: the principal's type comes from a map's keys, the
    // actions from a variable; with no `Resource` anywhere, only a trust policy fits.
    let text = r#"
data "aws_iam_policy_document" "assume_role" {
  count = length(keys(var.principals))
  statement {
    effect  = "Allow"
    actions = var.assume_role_actions
    principals {
      type        = element(keys(var.principals), count.index)
      identifiers = var.principals[element(keys(var.principals), count.index)]
    }
  }
}
"#;
    let checked = check(text);
    assert_eq!(
        names(&checked),
        Vec::<&str>::new(),
        "{}",
        report(text, &checked)
    );
    assert_eq!(
        checked.documents[0].kind.map(|(k, _)| k.as_str()),
        Some("trust")
    );
    // Known sts actions with a computed principal: still nothing to report.
    let known = text.replace("var.assume_role_actions", r#"["sts:AssumeRole"]"#);
    assert_eq!(names_of(&known), Vec::<&str>::new());
}

#[test]
fn a_private_api_fenced_by_a_deny_on_the_same_computed_arn_is_not_public() {
    // serverless-patterns' public-alb-private-api-terraform: both statements name the API by
    // the same reference.
    let text = r#"
resource "aws_api_gateway_rest_api_policy" "policy" {
  rest_api_id = aws_api_gateway_rest_api.private_api.id
  policy      = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke",
     "Resource": "${aws_api_gateway_rest_api.private_api.execution_arn}*",
     "Condition": {"StringNotEquals": {"aws:sourceVpce": "${aws_vpc_endpoint.api.id}"}}},
    {"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke",
     "Resource": "${aws_api_gateway_rest_api.private_api.execution_arn}*"}
  ]
}
EOF
}
"#;
    let checked = check(text);
    assert!(
        !names(&checked).contains(&"public-principal"),
        "{}",
        report(text, &checked)
    );
    // A Deny on another API leaves this one open.
    let other = text.replacen("private_api.execution_arn", "other_api.execution_arn", 1);
    assert!(names_of(&other).contains(&"public-principal"));
}

/// An Organizations policy is an SCP or an RCP by its type, read the same way by every front
/// end (`table::Entry::applies`); Terraform's provider, unlike CloudFormation, makes an SCP
/// when the type is absent. Another type (a tag policy) is not an IAM policy: nothing is read.
#[test]
fn an_organizations_policy_is_read_as_the_kind_its_type_names() {
    let content = r#"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}"#;
    let template = |t: Option<&str>| {
        let t = t.map_or(String::new(), |t| format!("\n      Type: {t}"));
        format!("Resources:\n  P:\n    Type: AWS::Organizations::Policy\n    Properties:{t}\n      Content: \"{content}\"\n")
    };
    let hcl = |t: Option<&str>| {
        let t = t.map_or(String::new(), |t| format!("\n  type = \"{t}\""));
        format!(
            "resource \"aws_organizations_policy\" \"p\" {{{t}\n  content = \"{content}\"\n}}\n"
        )
    };
    let json = |t: Option<&str>| {
        let t = t.map_or(String::new(), |t| format!("\"type\": \"{t}\", "));
        format!("{{\"resource\": {{\"aws_organizations_policy\": {{\"p\": {{{t}\"content\": \"{content}\"}}}}}}}}")
    };
    let plan = |t: Option<&str>| {
        let t = t.map_or(String::new(), |t| format!("\"type\": \"{t}\", "));
        format!("{{\"format_version\": \"1.2\", \"resource_changes\": [{{\"address\": \"aws_organizations_policy.p\", \"mode\": \"managed\", \"type\": \"aws_organizations_policy\", \"name\": \"p\", \"change\": {{\"actions\": [\"create\"], \"after\": {{{t}\"content\": \"{content}\"}}, \"after_unknown\": {{}}}}}}]}}")
    };
    type Write<'a> = &'a dyn Fn(Option<&str>) -> String;
    let front_ends: [(&str, Syntax, Write, &str); 4] = [
        ("template", Syntax::Yaml, &template, "-"),
        ("hcl", Syntax::Hcl, &hcl, "scp"),
        ("tf.json", Syntax::TerraformJson, &json, "scp"),
        ("plan", Syntax::Json, &plan, "scp"),
    ];
    let options = CheckOptions {
        rules: registry::BUILTIN,
        kind: None,
        max_file_size: 1 << 24,
    };
    for (name, syntax, write, without_type) in front_ends {
        for (t, expected) in [
            (None, without_type),
            (Some("SERVICE_CONTROL_POLICY"), "scp"),
            (Some("RESOURCE_CONTROL_POLICY"), "rcp"),
            (Some("TAG_POLICY"), "-"),
        ] {
            let text = write(t);
            let checked = rules::check(
                FileId(0),
                text.as_bytes(),
                syntax,
                &options,
                Discovery::Named,
            );
            let kinds: Vec<&str> = (checked.documents.iter())
                .filter_map(|d| Some(d.kind?.0.as_str()))
                .collect();
            let expected: &[&str] = if expected == "-" { &[] } else { &[expected] };
            assert_eq!(kinds, expected, "{name}, type {t:?}:\n{text}");
        }
    }
}

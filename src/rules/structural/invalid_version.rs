use crate::rules::prelude::*;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        code: "IAM008",
        name: "invalid-version",
        severity: Severity::Error,
        summary: "`Version` is not `2012-10-17` or `2008-10-17`",
        doc: r#"## What it does
Reports a `Version` value other than the two IAM policy language versions, `2012-10-17` and the
legacy `2008-10-17`.

## Why is this bad?
`Version` is the version of the policy language, not a date of your choosing. AWS rejects any
other value. Writing today's date there is a common mistake.

## Example
```json
{"Version": "2024-01-01", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}
```

## Fix
Use `"Version": "2012-10-17"`.
"#,
        pack: None,
    },
    check,
};

fn check(doc: &Document, out: &mut Findings) {
    let Some(version) = doc.policy.and_then(|p| p.version) else {
        return;
    };
    if version.value == "2012-10-17" || version.value == "2008-10-17" {
        return;
    }
    let message = match look_alike(version.value) {
        // It reads right but is not: name the character, which no one can see.
        Some((at, c, name)) => format!(
            "`{}` is not a policy language version: character {} is {name} (U+{:04X}), not a hyphen",
            version.value,
            at + 1,
            c as u32
        ),
        None => format!("`{}` is not a policy language version", version.value),
    };
    out.emit(
        out.at(version.span, message)
            .help("use \"2012-10-17\" (the only other valid value is the legacy \"2008-10-17\")"),
    );
}

/// The first dash-like character that is not `-`, with its character position and name, in a
/// version that is one of the valid ones once such characters are replaced by `-`.
fn look_alike(version: &str) -> Option<(usize, char, &'static str)> {
    let name = |c: char| match c {
        '\u{2010}' => Some("a Unicode hyphen"),
        '\u{2011}' => Some("a non-breaking hyphen"),
        '\u{2012}' => Some("a figure dash"),
        '\u{2013}' => Some("an en dash"),
        '\u{2014}' => Some("an em dash"),
        '\u{2015}' => Some("a horizontal bar"),
        '\u{2212}' => Some("a minus sign"),
        '\u{FE63}' => Some("a small hyphen-minus"),
        '\u{FF0D}' => Some("a fullwidth hyphen-minus"),
        _ => None,
    };
    let normalised: String = version
        .chars()
        .map(|c| if name(c).is_some() { '-' } else { c })
        .collect();
    if normalised != "2012-10-17" && normalised != "2008-10-17" {
        return None;
    }
    version
        .chars()
        .enumerate()
        .find_map(|(i, c)| name(c).map(|n| (i, c, n)))
}

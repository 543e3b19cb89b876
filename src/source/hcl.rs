//! Terraform's HCL through `hcl-edit`, which keeps the byte range of every expression and
//! template element (the Terraform front end reads policies from its syntax tree directly). What
//! is decided here is only how a parse error is reported: at a byte offset on a character
//! boundary, with `hcl-edit`'s message. Nesting is bounded by `hcl-edit` itself (64 levels), so
//! deep input is an error, never a stack overflow.

pub use hcl_edit::structure::Body;

use super::parse::ParseError;

/// Parses one HCL text (a `.tf` file).
pub fn parse_hcl(text: &str) -> Result<Body, ParseError> {
    hcl_edit::parser::parse_body(text).map_err(|error| {
        let mut offset = error.location().offset().min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let mut parse_error = ParseError::at(offset, error.message().to_string());
        // The commonest reason in a policy: an IAM policy variable read as an interpolation.
        let line = &text[text[..offset].rfind('\n').map_or(0, |i| i + 1)..offset];
        if line.rfind("${").is_some_and(|at| !line[at..].contains('}')) {
            parse_error.help = Some(
                "an IAM policy variable is written `$${aws:username}` in Terraform (`&{aws:username}` in an `aws_iam_policy_document`); `${...}` is Terraform's own interpolation".into(),
            );
        }
        parse_error
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_points_at_the_offending_byte() {
        let text = "resource \"aws_iam_policy\" \"p\" {\n  policy = jsonencode({\n    Version = \"2012-10-17\" ]\n  })\n}\n";
        let error = parse_hcl(text).unwrap_err();
        assert_eq!(
            error.span.start as usize,
            text.find(']').unwrap(),
            "{error:?}"
        );
        assert!(error.help.is_none());
        let text = "x = jsonencode({ Resource = \"arn:${aws:username}\" })";
        let error = parse_hcl(text).unwrap_err();
        assert_eq!(
            error.span.start as usize,
            text.find(':').unwrap() + 6,
            "{error:?}"
        );
        assert!(error.help.unwrap().contains("$${aws:username}"));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        for open in ["[", "{", "(", "jsonencode("] {
            let text = format!("a = {}", open.repeat(10_000));
            assert!(parse_hcl(&text).is_err(), "{open}");
        }
        let text = format!("a = \"{}\"", "${\"".repeat(5_000));
        assert!(parse_hcl(&text).is_err());
        let blocks = "b {\n".repeat(5_000);
        assert!(parse_hcl(&blocks).is_err());
    }

    #[test]
    fn non_ascii_error_offsets_are_char_boundaries() {
        for text in ["é = ", "a = \"é", "# é\nx = {é}", "a = <<EOF\né"] {
            if let Err(error) = parse_hcl(text) {
                assert!(text.is_char_boundary(error.span.start as usize), "{text}");
            }
        }
    }
}

//! Resource rules: is each `Resource`/`NotResource` entry a well-formed ARN that the
//! statement's actions can act on?

pub mod action_needs_wildcard_resource;
pub mod invalid_arn;
pub mod redundant_resource;
pub mod redundant_statement;
pub mod resource_type_mismatch;

use crate::engine::split_arn;
use crate::policy::glob;
use crate::rules::prelude::*;

/// The partitions AWS has; a partition part with a wildcard is fine too.
/// The start of an ARN's resource part (or a template's) before any wildcard or variable:
/// every string the pattern matches starts with it.
pub(crate) fn literal_head(resource: &str) -> &str {
    &resource[..resource.find(['*', '?', '$']).unwrap_or(resource.len())]
}

pub(crate) const PARTITIONS: [&str; 8] = [
    "aws",
    "aws-cn",
    "aws-us-gov",
    "aws-iso",
    "aws-iso-b",
    "aws-iso-e",
    "aws-iso-f",
    "aws-eusc",
];

/// Why a resource value is not a usable ARN.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ArnProblem<'a> {
    TooFewParts,
    NotArn,
    UnknownPartition(&'a str),
    EmptyService,
    WildcardInService(&'a str),
    ServiceNotLowercase(&'a str),
}

/// `None` for `*` and for well-formed ARNs. A part holding a policy variable is not judged:
/// its value is only known at request time.
pub(crate) fn arn_problem(text: &str) -> Option<ArnProblem<'_>> {
    if text == "*" {
        return None;
    }
    let Some([arn, partition, service, ..]) = split_arn(text) else {
        return Some(ArnProblem::TooFewParts);
    };
    let templated = |part: &str| part.contains("${");
    if arn != "arn" && !templated(arn) {
        return Some(ArnProblem::NotArn);
    }
    if !PARTITIONS.contains(&partition) && !glob::has_wildcard(partition) && !templated(partition) {
        return Some(ArnProblem::UnknownPartition(partition));
    }
    if templated(service) {
        return None;
    }
    if service.is_empty() {
        return Some(ArnProblem::EmptyService);
    }
    if glob::has_wildcard(service) {
        return Some(ArnProblem::WildcardInService(service));
    }
    if service.chars().any(|c| c.is_ascii_uppercase()) {
        return Some(ArnProblem::ServiceNotLowercase(service));
    }
    None
}

/// Whether every resource `narrow` can match, `broad` matches too, by a test that is simple
/// enough to be sure: equal text, `broad` is `*`, or `broad` is a literal ARN start followed by
/// a single `*` in the resource part (`arn:aws:s3:::bucket/*`) that `narrow` starts with.
/// Patterns with variables are compared only as equal text.
pub(crate) fn resource_covers(broad: &str, narrow: &str) -> bool {
    if broad == narrow || broad == "*" {
        return true;
    }
    let Some(head) = broad.strip_suffix('*') else {
        return false;
    };
    // The star must be in the resource part (after the fifth colon): a star in an earlier part
    // matches only within that part.
    let in_resource_part = head.matches(':').count() >= 5;
    in_resource_part
        && !head.contains(['*', '?', '$'])
        && narrow.starts_with(head)
        && !narrow.contains('$')
}

/// Every `Resource`/`NotResource` entry, with its statement and whether it is negated.
pub(crate) fn entries<'d, 'a>(
    doc: &'d Document<'a>,
) -> impl Iterator<Item = (&'a Statement<'a>, &'a Text<'a>, bool)> + 'd {
    doc.statements().iter().flat_map(|statement| {
        statement
            .resources()
            .into_iter()
            .flat_map(move |(list, negated)| {
                list.items
                    .iter()
                    .map(move |item| (statement, item, negated))
            })
    })
}

#[cfg(test)]
mod tests {
    use super::{arn_problem, resource_covers, ArnProblem};

    #[test]
    fn resource_coverage() {
        for (broad, narrow) in [
            ("*", "arn:aws:s3:::b/*"),
            ("arn:aws:s3:::b/*", "arn:aws:s3:::b/logs/*"),
            ("arn:aws:s3:::b/*", "arn:aws:s3:::b/x.txt"),
            ("arn:aws:s3:::b*", "arn:aws:s3:::b/x"),
            (
                "arn:aws:logs:*:*:log-group:*",
                "arn:aws:logs:*:*:log-group:x",
            ),
            (
                "arn:aws:s3:::b/${aws:username}",
                "arn:aws:s3:::b/${aws:username}",
            ),
        ] {
            assert!(resource_covers(broad, narrow), "{broad} covers {narrow}");
        }
        for (broad, narrow) in [
            ("arn:aws:s3:::b/*", "arn:aws:s3:::b"),
            ("arn:aws:s3:::b/*", "*"),
            ("arn:aws:s3:*", "arn:aws:s3:::b"),
            ("arn:aws:iam::*:role/*", "arn:aws:iam::123456789012:role/x"),
            ("arn:aws:s3:::b/*", "arn:aws:s3:::b/${aws:username}/*"),
            ("arn:aws:s3:::B/*", "arn:aws:s3:::b/x"),
        ] {
            assert!(
                !resource_covers(broad, narrow),
                "{broad} does not cover {narrow}"
            );
        }
    }

    #[test]
    fn arn_problems() {
        for fine in [
            "*",
            "arn:aws:s3:::bucket/*",
            "arn:*:logs:*:*:log-group:x:*",
            "arn:aws-cn:iam::123456789012:role/x",
            "arn:aws:iam::${aws:PrincipalAccount}:role/x",
            "arn:aws:s3:::home/${aws:username}/*",
        ] {
            assert_eq!(arn_problem(fine), None, "{fine}");
        }
        assert_eq!(arn_problem("bucket"), Some(ArnProblem::TooFewParts));
        assert_eq!(
            arn_problem("arn:aws:s3:bucket"),
            Some(ArnProblem::TooFewParts)
        );
        assert_eq!(arn_problem("ARN:aws:s3:::b"), Some(ArnProblem::NotArn));
        assert_eq!(
            arn_problem("arn:amazon:s3:::b"),
            Some(ArnProblem::UnknownPartition("amazon"))
        );
        assert_eq!(arn_problem("arn:aws::::b"), Some(ArnProblem::EmptyService));
        assert_eq!(
            arn_problem("arn:aws:s*:::b"),
            Some(ArnProblem::WildcardInService("s*"))
        );
        assert_eq!(
            arn_problem("arn:aws:S3:::b"),
            Some(ArnProblem::ServiceNotLowercase("S3"))
        );
    }
}

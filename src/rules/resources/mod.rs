//! Resource rules: is each `Resource`/`NotResource` entry a well-formed ARN that the
//! statement's actions can act on?

pub mod action_needs_wildcard_resource;
pub mod invalid_arn;
pub mod redundant_resource;
pub mod redundant_statement;
pub mod resource_type_mismatch;

use crate::catalog;
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
    /// The ARNs of this service (or of this kind of its resources) have no region.
    RegionNotAllowed {
        service: &'a str,
        region: &'a str,
    },
    /// An availability zone (`us-east-1a`) where a region belongs.
    AvailabilityZone(&'a str),
    /// Not the shape of a region name (`us-east-1`, `us-gov-west-1`, `cn-north-1`).
    NotARegion(&'a str),
    /// Neither 12 digits nor `aws`.
    InvalidAccount(&'a str),
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
    // A variable's own colon (`${aws:PrincipalAccount}`) would shift the parts; and a service
    // the catalog does not know is `unknown-service`'s, not judged here.
    if text.contains("${") || catalog::service(service).is_none() {
        return None;
    }
    let [.., region, account, resource] = split_arn(text)?;
    // A wildcard may stand for anything, the empty string included.
    let literal = |part: &str| !part.is_empty() && !glob::has_wildcard(part);
    if literal(region) {
        if !regional(service, resource) {
            return Some(ArnProblem::RegionNotAllowed { service, region });
        }
        let trimmed = region.trim_end_matches(|c: char| c.is_ascii_lowercase());
        if trimmed.len() < region.len() && is_region(trimmed) {
            return Some(ArnProblem::AvailabilityZone(region));
        }
        if !is_region(region) {
            return Some(ArnProblem::NotARegion(region));
        }
    }
    if literal(account)
        && account != "aws"
        && !(account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()))
    {
        return Some(ArnProblem::InvalidAccount(account));
    }
    None
}

/// The shape of an AWS region name: lower-case words and a number, `us-east-1`,
/// `us-gov-west-1`, `us-isob-east-1`, `eusc-de-east-1`.
fn is_region(text: &str) -> bool {
    let mut words: Vec<&str> = text.split('-').collect();
    let Some(number) = words.pop() else {
        return false;
    };
    (1..=2).contains(&number.len())
        && number.bytes().all(|b| b.is_ascii_digit())
        && words.len() >= 2
        && words
            .iter()
            .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase()))
}

/// Whether an ARN of `service` with this resource part may have a region: some catalog template
/// of the service whose resource part can start like this one has a region part, or none can. IAM,
/// CloudFront, Route 53 and S3 buckets and objects have none; S3 access points do. A service
/// whose templates name another service's prefix is given the benefit of the doubt.
fn regional(service: &str, resource: &str) -> bool {
    let Some(known) = catalog::service(service) else {
        return true;
    };
    let head = literal_head(resource);
    let mut compatible = known
        .resource_types()
        .filter_map(|t| split_arn(t.arn_template()))
        .filter(|t| {
            let template_head = literal_head(t[5]);
            t[2] == service && (head.starts_with(template_head) || template_head.starts_with(head))
        })
        .peekable();
    // No template fits at all: a wrong resource type (`resource-type-mismatch`), not a region.
    compatible.peek().is_none() || compatible.any(|t| !t[3].is_empty())
}

/// Whether every resource `narrow` can match, `broad` matches too, by a test that is simple
/// enough to be sure: equal text, `broad` is `*`, or part by part each of `broad`'s first five
/// parts is `narrow`'s or a lone `*` (which matches any one part), and its resource part is
/// `narrow`'s or a literal start of it followed by one `*` (`arn:aws:s3:::bucket/*`).
/// Patterns with variables are compared only as equal text.
pub(crate) fn resource_covers(broad: &str, narrow: &str) -> bool {
    if broad == narrow || broad == "*" {
        return true;
    }
    if broad.contains('$') || narrow.contains('$') {
        return false;
    }
    let (Some(b), Some(n)) = (split_arn(broad), split_arn(narrow)) else {
        return false;
    };
    let bounded = b[..5].iter().zip(&n[..5]).all(|(b, n)| b == n || *b == "*");
    let resource = b[5] == n[5]
        || b[5]
            .strip_suffix('*')
            .is_some_and(|head| !head.contains(['*', '?']) && n[5].starts_with(head));
    bounded && resource
}

/// [`resource_covers`] for two entries of `doc`: a value a template computes
/// (`{"Fn::GetAtt": ["BuildRole", "Arn"]}`) covers only the same written computation, since two
/// roles' ARNs are the same placeholder, not the same role.
pub(crate) fn entry_covers(doc: &Document, broad: &Text, narrow: &Text) -> bool {
    if crate::source::has_placeholder(broad.value) || crate::source::has_placeholder(narrow.value) {
        let written = |span: Span| {
            doc.text
                .get(span.range())
                .map(|t| t.split_whitespace().collect::<String>())
        };
        return written(broad.span) == written(narrow.span);
    }
    resource_covers(broad.value, narrow.value)
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
            ("arn:aws:iam::1*:role/*", "arn:aws:iam::123456789012:role/x"),
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

//! Paths as SARIF wants them: relative to the repository root, `/`-separated, percent-encoded.

use std::path::{Component, Path, PathBuf};

/// The directory SARIF's relative URIs start from (`%SRCROOT%`), and the directory the reported
/// paths are relative to.
#[derive(Debug, Clone)]
pub struct UriBase {
    pub root: PathBuf,
    pub cwd: PathBuf,
}

impl UriBase {
    /// The repository root is the nearest directory at or above `cwd` holding `.git` (a
    /// directory, or a file in worktrees and submodules); without one, `cwd` itself.
    pub fn discover(cwd: &Path) -> Self {
        let root = cwd
            .ancestors()
            .find(|dir| dir.join(".git").exists())
            .unwrap_or(cwd)
            .to_path_buf();
        UriBase {
            root,
            cwd: cwd.to_path_buf(),
        }
    }

    /// The URI of a reported path: relative to the root when the file is below it, otherwise an
    /// absolute `file://` URI (then GitHub cannot place it, but other viewers can).
    pub fn uri(&self, reported: &str) -> String {
        let path = lexical(&self.cwd.join(reported));
        match path.strip_prefix(&self.root) {
            Ok(relative) => encode(&slashed(relative)),
            Err(_) => file_uri(&path),
        }
    }

    /// The root as an absolute `file://` URI ending in `/`, as `originalUriBaseIds` requires.
    pub fn root_uri(&self) -> String {
        let mut uri = file_uri(&self.root);
        if !uri.ends_with('/') {
            uri.push('/');
        }
        uri
    }
}

/// Folds `.` and `..` without touching the file system, so paths compare as written.
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

fn slashed(path: &Path) -> String {
    path.components()
        .filter_map(|c| match c {
            Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// An absolute `file://` URI for a path, percent-encoded.
pub fn file_uri(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let text = if text.starts_with('/') {
        text
    } else {
        format!("/{text}")
    };
    format!("file://{}", encode(&text))
}

/// Percent-encodes everything but RFC 3986's unreserved characters and the path's `/`, so a
/// file name with spaces, `%` or `#` still yields a valid URI reference.
pub fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_relative_to_the_root_and_encoded() {
        let base = UriBase {
            root: PathBuf::from("/repo"),
            cwd: PathBuf::from("/repo/infra"),
        };
        assert_eq!(base.uri("iam/a.json"), "infra/iam/a.json");
        assert_eq!(base.uri("./iam/../x y#%.json"), "infra/x%20y%23%25.json");
        assert_eq!(base.uri("/repo/top.json"), "top.json");
        assert_eq!(base.uri("../other.json"), "other.json");
        assert_eq!(
            base.uri("/elsewhere/é.json"),
            "file:///elsewhere/%C3%A9.json"
        );
        assert_eq!(base.root_uri(), "file:///repo/");
    }
}

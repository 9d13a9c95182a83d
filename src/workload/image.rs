//! Container image references: upstream `operator.BuildImagePath` (`pkg/operator/image.go`)
//! and the parts of `github.com/distribution/reference` it relies on
//! (`ParseNormalizedNamed`, `WithTag`).

use crate::workload::WorkloadError;

/// Registry of references without a domain.
const DEFAULT_DOMAIN: &str = "docker.io";
/// Longest tag the reference grammar accepts.
const MAX_TAG_LENGTH: usize = 128;
/// Longest repository name (domain and path) the reference grammar accepts.
const MAX_NAME_LENGTH: usize = 255;

/// The image the operator runs: `spec_image` verbatim when set; else `base` as is when it
/// already carries a tag or digest; else `base@sha256:<sha>`, `base:<tag>` (normalized) or
/// `base:<version>`, in that order of preference.
pub(crate) fn build_image_path(
    spec_image: &str,
    base: &str,
    version: &str,
    tag: &str,
    sha: &str,
) -> Result<String, WorkloadError> {
    if !spec_image.trim().is_empty() {
        return Ok(spec_image.to_owned());
    }
    let error = |reason: String| WorkloadError::Image {
        image: base.to_owned(),
        reason,
    };
    let reference = parse_normalized(base).map_err(error)?;
    if reference.tag.is_some() || reference.digested {
        return Ok(base.to_owned());
    }
    if !sha.is_empty() {
        return Ok(format!("{base}@sha256:{sha}"));
    }
    if !tag.is_empty() {
        if !is_tag(tag) {
            return Err(WorkloadError::Image {
                image: format!("{base}:{tag}"),
                reason: "invalid tag format".to_owned(),
            });
        }
        return Ok(format!("{}/{}:{tag}", reference.domain, reference.path));
    }
    if version.is_empty() {
        return Err(error(
            "couldn't generate an image reference since version is empty".to_owned(),
        ));
    }
    Ok(format!("{base}:{version}"))
}

/// A parsed, normalized reference.
struct Reference {
    domain: String,
    path: String,
    tag: Option<String>,
    digested: bool,
}

/// `reference.ParseNormalizedNamed`: a reference as a user types it, with `docker.io` (and
/// `library/` for single-component names) filled in.
fn parse_normalized(text: &str) -> Result<Reference, String> {
    if text.len() == 64 && text.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err("cannot specify 64-byte hexadecimal strings".to_owned());
    }
    let (named, digested) = match text.split_once('@') {
        Some((named, digest)) => {
            if !is_digest(digest) {
                return Err("invalid digest format".to_owned());
            }
            (named, true)
        }
        None => (text, false),
    };
    let (name, tag) = match named.rsplit_once(':') {
        Some((name, tag)) if !tag.contains('/') => {
            if !is_tag(tag) {
                return Err("invalid reference format".to_owned());
            }
            (name, Some(tag.to_owned()))
        }
        _ => (named, None),
    };
    let (domain, path) = match name.split_once('/') {
        Some((first, rest))
            if first.contains(['.', ':'])
                || first == "localhost"
                || first.to_lowercase() != first =>
        {
            (first.to_owned(), rest.to_owned())
        }
        _ => (DEFAULT_DOMAIN.to_owned(), name.to_owned()),
    };
    let path = if domain == DEFAULT_DOMAIN && !path.contains('/') {
        format!("library/{path}")
    } else {
        path
    };
    if path.to_lowercase() != path {
        return Err(format!("repository name ({path}) must be lowercase"));
    }
    if !is_domain(&domain) || !path.split('/').all(is_path_component) {
        return Err("invalid reference format".to_owned());
    }
    if domain.len() + 1 + path.len() > MAX_NAME_LENGTH {
        return Err(format!(
            "repository name must not be more than {MAX_NAME_LENGTH} characters"
        ));
    }
    Ok(Reference {
        domain,
        path,
        tag,
        digested,
    })
}

/// `[\w][\w.-]{0,127}`.
fn is_tag(tag: &str) -> bool {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    tag.len() <= MAX_TAG_LENGTH
        && tag.chars().next().is_some_and(word)
        && tag.chars().all(|c| word(c) || c == '.' || c == '-')
}

/// `algorithm:hex`, with at least 32 hex digits.
fn is_digest(digest: &str) -> bool {
    let Some((algorithm, hex)) = digest.split_once(':') else {
        return false;
    };
    let algorithm_ok = algorithm
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && algorithm
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+' | '.'));
    algorithm_ok && hex.len() >= 32 && hex.chars().all(|c| c.is_ascii_hexdigit())
}

/// A host name, IPv4 or bracketed IPv6 address, with an optional port.
fn is_domain(domain: &str) -> bool {
    let (host, port) = if let Some(rest) = domain.strip_prefix('[') {
        match rest.split_once(']') {
            Some((ip, port)) => {
                if ip.is_empty() || !ip.chars().all(|c| c.is_ascii_hexdigit() || c == ':') {
                    return false;
                }
                (None, port.strip_prefix(':'))
            }
            None => return false,
        }
    } else {
        match domain.split_once(':') {
            Some((host, port)) => (Some(host), Some(port)),
            None => (Some(domain), None),
        }
    };
    let host_ok = host.is_none_or(|h| {
        h.split('.').all(|component| {
            component
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-')
                && component
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphanumeric())
                && component
                    .chars()
                    .last()
                    .is_some_and(|c| c.is_ascii_alphanumeric())
        })
    });
    let port_ok = port.is_none_or(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    host_ok && port_ok
}

/// `[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*`.
fn is_path_component(component: &str) -> bool {
    let alphanumeric = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
    let mut chars = component.chars().peekable();
    if !chars.peek().copied().is_some_and(alphanumeric) {
        return false;
    }
    let mut previous = ' ';
    let mut separator = String::new();
    for c in chars {
        if alphanumeric(c) {
            if !separator.is_empty() {
                let valid = matches!(separator.as_str(), "." | "_" | "__")
                    || separator.chars().all(|s| s == '-');
                if !valid {
                    return false;
                }
                separator.clear();
            }
        } else if matches!(c, '.' | '_' | '-') {
            separator.push(c);
        } else {
            return false;
        }
        previous = c;
    }
    alphanumeric(previous)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHA: &str = "7384a79f4b4991bf8269e7452390249b7c70bcdd10509c8c1c6c6e30e32fb324";

    #[test]
    fn precedence_of_image_sha_tag_version() {
        let base = "quay.io/prometheus/prometheus";
        assert_eq!(
            build_image_path("", base, "v2.3.2", "my-tag", "").unwrap(),
            "quay.io/prometheus/prometheus:my-tag"
        );
        assert_eq!(
            build_image_path("", base, "v2.3.2", "my-tag", SHA).unwrap(),
            format!("quay.io/prometheus/prometheus@sha256:{SHA}")
        );
        assert_eq!(
            build_image_path("my-reg/prometheus", base, "v1", "t", SHA).unwrap(),
            "my-reg/prometheus"
        );
        assert_eq!(
            build_image_path("", base, "v3.13.2", "", "").unwrap(),
            "quay.io/prometheus/prometheus:v3.13.2"
        );
        assert_eq!(
            build_image_path("", "quay.io/prometheus/prometheus:v1", "v2", "t", "").unwrap(),
            "quay.io/prometheus/prometheus:v1"
        );
    }

    #[test]
    fn tags_are_normalized_and_bad_references_fail() {
        assert_eq!(
            build_image_path("", "prometheus", "", "t1", "").unwrap(),
            "docker.io/library/prometheus:t1"
        );
        assert_eq!(
            build_image_path("", "nondefault/quay.io/prometheus/am", "v0.33.1", "", "").unwrap(),
            "nondefault/quay.io/prometheus/am:v0.33.1"
        );
        assert!(build_image_path("", "Quay.io/Upper/Case", "v1", "", "").is_err());
        assert!(build_image_path("", "", "v1", "", "").is_err());
        assert!(build_image_path("", "quay.io/x", "", "", "").is_err());
    }
}

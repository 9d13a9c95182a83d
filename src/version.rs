//! Prometheus versions and the comparisons that version gates use.
//!
//! Mirrors upstream's use of `semver` in `promcfg.go` (`cg.version.GTE(...)`); every gate
//! compares through [`Version`].

use std::fmt;

/// The Alertmanager version the operator assumes when `spec.version` is empty
/// (`operator.DefaultAlertmanagerVersion`).
pub const DEFAULT_ALERTMANAGER_VERSION: &str = "v0.33.1";

/// The Prometheus version the operator assumes when `spec.version` is empty.
pub const DEFAULT_PROMETHEUS_VERSION: &str = "v3.13.2";

/// The Thanos version the operator assumes when a version is not given
/// (`operator.DefaultThanosVersion`).
pub const DEFAULT_THANOS_VERSION: &str = "v0.42.4";

/// The version text in effect: `spec_version`, unless it is missing or blank, else the
/// operator's `default` (upstream `operator.StringValOrDefault`). Every "which version runs"
/// question of Prometheus, Alertmanager and ThanosRuler goes through here.
pub fn text_in_effect<'v>(spec_version: Option<&'v str>, default: &'v str) -> &'v str {
    spec_version
        .filter(|v| !v.trim().is_empty())
        .unwrap_or(default)
}

/// A parsed `vMAJOR.MINOR.PATCH[-pre][+build]` version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Version {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
    /// Pre-release identifiers (`rc.0`); a pre-release sorts before its release.
    pub pre: String,
}

/// A version string that is not semver.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid Prometheus version {0:?}: want vMAJOR.MINOR.PATCH")]
pub struct VersionError(pub String);

impl Version {
    /// Parses `v3.13.2`, `3.13.2`, `v2.45.0-rc.1`; a missing minor or patch counts as 0.
    pub fn parse(text: &str) -> Result<Self, VersionError> {
        let err = || VersionError(text.to_owned());
        let trimmed = text.trim();
        let body = trimmed.strip_prefix('v').unwrap_or(trimmed);
        let body = body.split('+').next().unwrap_or("");
        let (core, pre) = match body.split_once('-') {
            Some((c, p)) => (c, p.to_owned()),
            None => (body, String::new()),
        };
        let mut parts = core.split('.');
        let mut next = |required: bool| -> Result<u64, VersionError> {
            match parts.next() {
                Some(p) => p.parse().map_err(|_| err()),
                None if required => Err(err()),
                None => Ok(0),
            }
        };
        let major = next(true)?;
        let minor = next(false)?;
        let patch = next(false)?;
        if parts.next().is_some() {
            return Err(err());
        }
        Ok(Version {
            major,
            minor,
            patch,
            pre,
        })
    }

    /// The operator's default Prometheus version.
    pub fn default_prometheus() -> Self {
        Self::parse(DEFAULT_PROMETHEUS_VERSION).expect("default version is valid")
    }

    /// `self >= other`, where `other` is written like `"v2.45.0"`.
    ///
    /// # Panics
    /// Only on an invalid literal in our own code.
    pub fn gte(&self, other: &str) -> bool {
        *self >= Self::parse(other).expect("version literal in code is valid")
    }

    /// `self < other`.
    pub fn lt(&self, other: &str) -> bool {
        !self.gte(other)
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.major, self.minor, self.patch)
            .cmp(&(other.major, other.minor, other.patch))
            .then_with(|| match (self.pre.is_empty(), other.pre.is_empty()) {
                (true, true) => std::cmp::Ordering::Equal,
                (true, false) => std::cmp::Ordering::Greater,
                (false, true) => std::cmp::Ordering::Less,
                (false, false) => self.pre.cmp(&other.pre),
            })
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "v{}.{}.{}", self.major, self.minor, self.patch)?;
        if !self.pre.is_empty() {
            write!(f, "-{}", self.pre)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compares_like_semver() {
        let v = Version::parse("v2.45.0").unwrap();
        assert!(v.gte("v2.45.0"));
        assert!(v.gte("2.44.9"));
        assert!(v.lt("v3.0.0"));
        assert!(Version::parse("v3.0.0-rc.0").unwrap().lt("v3.0.0"));
        assert_eq!(Version::parse("v3.1").unwrap().to_string(), "v3.1.0");
        assert!(Version::parse("latest").is_err());
    }

    #[test]
    fn a_blank_version_is_the_default() {
        for (spec, want) in [
            (None, "v1.0.0"),
            (Some(""), "v1.0.0"),
            (Some("  "), "v1.0.0"),
            (Some("v2.0.0"), "v2.0.0"),
        ] {
            assert_eq!(text_in_effect(spec, "v1.0.0"), want, "{spec:?}");
        }
    }
}

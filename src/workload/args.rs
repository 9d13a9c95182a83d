//! Command-line arguments of the generated containers: upstream `operator.BuildArgs` and
//! `ArgumentsIntersection` (`pkg/operator/argument.go`), and the version gates of
//! `ConfigGenerator.AppendCommandlineArgument`.

use crate::monitoring::v1::common::Argument;
use crate::render::Warning;
use crate::version::Version;
use crate::workload::WorkloadError;

/// `--name=value` arguments collected in order, with the flags dropped for the version in use.
pub(crate) struct ArgList {
    pub args: Vec<Argument>,
    version: Version,
    component: &'static str,
    bypass_version_check: bool,
    pub warnings: Vec<Warning>,
}

impl ArgList {
    /// An empty list for a container running `component` at `version`.
    pub fn new(component: &'static str, version: Version, bypass_version_check: bool) -> Self {
        ArgList {
            args: Vec::new(),
            version,
            component,
            bypass_version_check,
            warnings: Vec::new(),
        }
    }

    /// Appends `--name=value` (`--name` when `value` is empty).
    pub fn push(&mut self, name: &str, value: impl Into<String>) {
        self.args.push(Argument {
            name: name.to_owned(),
            value: value.into(),
        });
    }

    /// Whether the version in use is at least `minimum` (upstream
    /// `WithMinimumVersion(minimum).IsCompatible()`).
    pub fn supports(&self, minimum: &str) -> bool {
        self.bypass_version_check || self.version.gte(minimum)
    }

    /// Appends the flag when the version is at least `minimum`, else records that it was
    /// dropped.
    pub fn push_min(&mut self, minimum: &str, name: &str, value: impl Into<String>) {
        if self.supports(minimum) {
            self.push(name, value);
        } else {
            self.warn(
                name,
                &format!("requires {} {minimum} or later", self.component),
            );
        }
    }

    /// Appends the flag when `minimum <= version < maximum`, else records that it was dropped.
    pub fn push_between(&mut self, minimum: &str, maximum: &str, name: &str) {
        let below_maximum = self.bypass_version_check || self.version.lt(maximum);
        if self.supports(minimum) && below_maximum {
            self.push(name, "");
        } else {
            self.warn(
                name,
                &format!(
                    "requires {} {minimum} or later and before {maximum}",
                    self.component
                ),
            );
        }
    }

    /// Appends `--log.level` unless it is unset, empty or the default `info`.
    pub fn push_log_level(&mut self, level: Option<&str>) {
        if let Some(level) = level.filter(|l| !l.is_empty() && *l != "info") {
            self.push("log.level", level);
        }
    }

    fn warn(&mut self, name: &str, requirement: &str) {
        self.warnings.push(Warning {
            field: format!("--{name}"),
            message: format!("ignored: {requirement}, version in use is {}", self.version),
        });
    }
}

/// Upstream `BuildArgs`: the operator's arguments followed by the user's `additionalArgs`, as
/// `--name=value` strings; an additional argument naming a managed flag (or its `no-` twin) is
/// an error.
pub(crate) fn build_args(
    args: &[Argument],
    additional: &[Argument],
) -> Result<Vec<String>, WorkloadError> {
    let clashes = intersection(args, additional);
    if !clashes.is_empty() {
        return Err(WorkloadError::ManagedArguments(clashes));
    }
    Ok(args
        .iter()
        .chain(additional)
        .map(|arg| {
            if arg.value.is_empty() {
                format!("--{}", arg.name)
            } else {
                format!("--{}={}", arg.name, arg.value)
            }
        })
        .collect())
}

/// Upstream `ArgumentsIntersection`: names of `b` found in `a`, directly or through the
/// `no-` prefix in either direction (reported with the spelling in `a`).
pub(crate) fn intersection(a: &[Argument], b: &[Argument]) -> Vec<String> {
    let in_a = |name: &str| a.iter().any(|arg| arg.name == name);
    let mut found = Vec::new();
    for arg in b {
        if in_a(&arg.name) {
            found.push(arg.name.clone());
            continue;
        }
        let negated = match arg.name.strip_prefix("no-") {
            Some(positive) => positive.to_owned(),
            None => format!("no-{}", arg.name),
        };
        if in_a(&negated) {
            found.push(negated);
        }
    }
    found
}

/// The log format to pass as `--log.format`: none when unset, empty or the default `logfmt`.
pub(crate) fn log_format_flag(format: Option<&str>) -> Option<&str> {
    format.filter(|f| !f.is_empty() && *f != "logfmt")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arg(name: &str, value: &str) -> Argument {
        Argument {
            name: name.into(),
            value: value.into(),
        }
    }

    #[test]
    fn additional_args_follow_and_must_not_clash() {
        let managed = [
            arg("config.file", "/c"),
            arg("storage.tsdb.wal-compression", ""),
        ];
        assert_eq!(
            build_args(&managed, &[arg("x", "1")]).unwrap(),
            [
                "--config.file=/c",
                "--storage.tsdb.wal-compression",
                "--x=1"
            ]
        );
        assert_eq!(
            build_args(&managed, &[arg("no-storage.tsdb.wal-compression", "")]),
            Err(WorkloadError::ManagedArguments(vec![
                "storage.tsdb.wal-compression".into()
            ]))
        );
    }

    #[test]
    fn version_gates_record_dropped_flags() {
        let version = Version::parse("v2.4.0").unwrap();
        let mut list = ArgList::new("Prometheus", version, false);
        list.push_min("2.5.0", "query.max-samples", "10");
        list.push_between("2.11.0", "2.39.0", "storage.tsdb.allow-overlapping-blocks");
        assert!(list.args.is_empty());
        assert_eq!(list.warnings.len(), 2);
    }
}

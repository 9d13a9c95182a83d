//! Scrape jobs and the custom resources they come from: the operator names every job it
//! generates `serviceMonitor/NAMESPACE/NAME/INDEX` (`podMonitor/`, `probe/`, `scrapeConfig/`),
//! so a job leads back to its resource and a resource to its jobs.

use std::fmt;

use regex::Regex;

use crate::kinds::{self, Resource};
use crate::yaml::{Map, Yaml};

/// The custom resource a scrape job comes from.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ResourceRef {
    /// `ServiceMonitor`, `PodMonitor`, `Probe` or `ScrapeConfig`.
    pub kind: &'static str,
    /// Its namespace.
    pub namespace: String,
    /// Its name.
    pub name: String,
}

impl fmt::Display for ResourceRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}/{}", self.kind, self.namespace, self.name)
    }
}

/// The resource behind a job name the operator generates (`serviceMonitor/NS/NAME/I`,
/// `podMonitor/...`, `probe/NS/NAME...`, `scrapeConfig/NS/NAME...`); `None` for other jobs
/// (additional scrape configurations).
pub fn job_resource(job_name: &str) -> Option<ResourceRef> {
    let mut parts = job_name.splitn(4, '/');
    let kind = match parts.next()? {
        "serviceMonitor" => "ServiceMonitor",
        "podMonitor" => "PodMonitor",
        "probe" => "Probe",
        "scrapeConfig" => "ScrapeConfig",
        _ => return None,
    };
    let namespace = parts.next().filter(|s| !s.is_empty())?;
    let name = parts.next().filter(|s| !s.is_empty())?;
    Some(ResourceRef {
        kind,
        namespace: namespace.to_owned(),
        name: name.to_owned(),
    })
}

/// The job-name prefix the operator uses for a kind (`serviceMonitor`), for the kinds that
/// produce scrape jobs.
fn job_prefix(resource: &Resource) -> Option<&'static str> {
    Some(match resource.kind {
        "ServiceMonitor" => "serviceMonitor",
        "PodMonitor" => "podMonitor",
        "Probe" => "probe",
        "ScrapeConfig" => "scrapeConfig",
        _ => return None,
    })
}

/// Which scrape jobs to keep.
#[derive(Clone, Debug)]
pub enum JobSelector {
    /// Jobs whose name matches a regular expression (anywhere in the name).
    Pattern(Regex),
    /// The jobs of one resource.
    Resource(ResourceRef),
}

/// Why a job selector cannot be built.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum JobSelectorError {
    /// The regular expression does not compile.
    #[error("invalid regular expression: {0}")]
    Pattern(String),
    /// The resource is not `KIND/[NAMESPACE/]NAME` of a kind that produces scrape jobs.
    #[error("{0:?}: use servicemonitor|podmonitor|probe|scrapeconfig/[NAMESPACE/]NAME")]
    Resource(String),
}

impl JobSelector {
    /// `--job REGEX`.
    pub fn pattern(pattern: &str) -> Result<Self, JobSelectorError> {
        Regex::new(pattern)
            .map(JobSelector::Pattern)
            .map_err(|e| JobSelectorError::Pattern(e.to_string()))
    }

    /// `--for KIND/[NAMESPACE/]NAME`, the namespace defaulting to `default_namespace`.
    pub fn resource(text: &str, default_namespace: &str) -> Result<Self, JobSelectorError> {
        let invalid = || JobSelectorError::Resource(text.to_owned());
        let mut parts = text.split('/');
        let kind_text = parts.next().ok_or_else(invalid)?;
        let rest: Vec<&str> = parts.collect();
        let (namespace, name) = match rest.as_slice() {
            [name] => (default_namespace, *name),
            [namespace, name] => (*namespace, *name),
            _ => return Err(invalid()),
        };
        let kind = kinds::MONITORING
            .iter()
            .filter(|r| job_prefix(r).is_some())
            .find(|r| r.is_named_by(kind_text))
            .ok_or_else(invalid)?;
        if name.is_empty() || namespace.is_empty() {
            return Err(invalid());
        }
        Ok(JobSelector::Resource(ResourceRef {
            kind: kind.kind,
            namespace: namespace.to_owned(),
            name: name.to_owned(),
        }))
    }

    /// Whether the job `job_name` is kept.
    pub fn keeps(&self, job_name: &str) -> bool {
        match self {
            JobSelector::Pattern(regex) => regex.is_match(job_name),
            JobSelector::Resource(wanted) => {
                job_resource(job_name).is_some_and(|found| found == *wanted)
            }
        }
    }

    /// A configuration holding only the kept scrape jobs of `config`, and how many there are.
    pub fn keep_jobs(&self, config: &Yaml) -> (Yaml, usize) {
        let jobs = match config.as_map().and_then(|m| m.get("scrape_configs")) {
            Some(Yaml::Seq(jobs)) => jobs.as_slice(),
            _ => &[],
        };
        let kept: Vec<Yaml> = jobs
            .iter()
            .filter(|job| {
                job.as_map()
                    .and_then(|m| m.get("job_name"))
                    .and_then(Yaml::as_str)
                    .is_some_and(|name| self.keeps(name))
            })
            .cloned()
            .collect();
        let count = kept.len();
        (
            Yaml::Map(Map::new().with("scrape_configs", Yaml::Seq(kept))),
            count,
        )
    }
}

impl fmt::Display for JobSelector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JobSelector::Pattern(regex) => write!(f, "jobs matching {regex}"),
            JobSelector::Resource(resource) => write!(f, "{resource}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resources_map_to_their_jobs() {
        let selector = JobSelector::resource("smon/web", "shop").unwrap();
        assert!(selector.keeps("serviceMonitor/shop/web/0"));
        assert!(!selector.keeps("serviceMonitor/shop/web-2/0"));
        assert!(!selector.keeps("podMonitor/shop/web/0"));
        assert!(JobSelector::resource("pod/x", "a").is_err());
        assert!(JobSelector::resource("prom/x", "a").is_err());
        let Ok(JobSelector::Resource(r)) = JobSelector::resource("scrapeconfig/ns/a", "x") else {
            panic!("parses");
        };
        assert_eq!(r.to_string(), "ScrapeConfig ns/a");
    }

    #[test]
    fn job_names_lead_to_resources() {
        assert_eq!(
            job_resource("probe/ns/p/extra").map(|r| r.to_string()),
            Some("Probe ns/p".to_owned())
        );
        assert_eq!(job_resource("kubernetes-pods"), None);
    }
}

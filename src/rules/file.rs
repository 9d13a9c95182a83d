//! The rule file of one PrometheusRule: the per-version sanitizer
//! (pkg/operator/rules.go, `sanitizePrometheusRulesSpec`) and the text `yaml.Marshal` of the
//! spec gives (sigs.k8s.io/yaml: JSON field names, then go-yaml v2's layout and key order).

use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::monitoring::v1::prometheus_rule::{PrometheusRuleSpec, Rule, RuleGroup};
use crate::version::Version;
use crate::yaml::{Map, Yaml, emit, go_map_sorted};

/// Which program loads the rule files: the version gates differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Prometheus (`operator.PrometheusFormat`).
    Prometheus,
    /// Thanos Ruler (`operator.ThanosFormat`).
    Thanos,
}

/// A field the sanitizer removed because the version does not support it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DroppedField {
    /// Field path, e.g. `spec.groups[0].limit`.
    pub field: String,
    /// The first version that supports it (`None`: never supported by this format).
    pub minimum_version: Option<&'static str>,
}

/// The first versions supporting group `limit`, `query_offset`, `labels` and rule
/// `keep_firing_for`, per format.
fn minimum_versions(format: Format) -> [&'static str; 4] {
    match format {
        Format::Prometheus => ["2.31.0", "2.53.0", "3.0.0", "2.42.0"],
        Format::Thanos => ["0.24.0", "0.38.0", "0.39.0", "0.34.0"],
    }
}

/// Drops what `version` does not support; `partial_response_strategy` is always dropped for
/// Prometheus. The operator logs a warning for each and keeps the rule.
pub fn sanitize(
    spec: &mut PrometheusRuleSpec,
    format: Format,
    version: &Version,
) -> Vec<DroppedField> {
    let [limit, query_offset, labels, keep_firing_for] = minimum_versions(format);
    let mut dropped = Vec::new();
    let mut drop = |field: String, minimum_version| {
        dropped.push(DroppedField {
            field,
            minimum_version,
        })
    };
    for (g, group) in spec.groups.iter_mut().enumerate() {
        if group.limit.is_some() && version.lt(limit) {
            group.limit = None;
            drop(format!("spec.groups[{g}].limit"), Some(limit));
        }
        if group.query_offset.is_some() && version.lt(query_offset) {
            group.query_offset = None;
            drop(format!("spec.groups[{g}].query_offset"), Some(query_offset));
        }
        if format == Format::Prometheus {
            // Not logged upstream: the field is Thanos-only.
            group.partial_response_strategy = None;
        }
        if !group.labels.is_empty() && version.lt(labels) {
            group.labels.clear();
            drop(format!("spec.groups[{g}].labels"), Some(labels));
        }
        for (r, rule) in group.rules.iter_mut().enumerate() {
            if rule.keep_firing_for.is_some() && version.lt(keep_firing_for) {
                rule.keep_firing_for = None;
                drop(
                    format!("spec.groups[{g}].rules[{r}].keep_firing_for"),
                    Some(keep_firing_for),
                );
            }
        }
    }
    dropped
}

/// The spec as `yaml.Marshal` writes it.
pub fn render(spec: &PrometheusRuleSpec) -> String {
    emit(&spec_yaml(spec))
}

fn spec_yaml(spec: &PrometheusRuleSpec) -> Yaml {
    let mut map = Map::new();
    if !spec.groups.is_empty() {
        map.push(
            "groups",
            Yaml::Seq(spec.groups.iter().map(group_yaml).collect()),
        );
    }
    Yaml::Map(map)
}

/// A group's keys in go-yaml's order: interval, labels, limit, name, partial_response_strategy,
/// query_offset, rules (JSON `omitempty` decides presence).
fn group_yaml(group: &RuleGroup) -> Yaml {
    let mut map = Map::new();
    if let Some(interval) = &group.interval {
        map.push("interval", interval.as_str());
    }
    if !group.labels.is_empty() {
        map.push("labels", go_map_sorted(&group.labels));
    }
    if let Some(limit) = group.limit {
        map.push("limit", limit);
    }
    map.push("name", group.name.as_str());
    if let Some(strategy) = group.partial_response_strategy.as_deref()
        && !strategy.is_empty()
    {
        map.push("partial_response_strategy", strategy);
    }
    if let Some(offset) = &group.query_offset {
        map.push("query_offset", offset.as_str());
    }
    if !group.rules.is_empty() {
        map.push(
            "rules",
            Yaml::Seq(group.rules.iter().map(rule_yaml).collect()),
        );
    }
    Yaml::Map(map)
}

/// A rule's keys in go-yaml's order: alert, annotations, expr, for, keep_firing_for, labels,
/// record.
fn rule_yaml(rule: &Rule) -> Yaml {
    let mut map = Map::new();
    if let Some(alert) = rule.alert.as_deref().filter(|a| !a.is_empty()) {
        map.push("alert", alert);
    }
    if !rule.annotations.is_empty() {
        map.push("annotations", go_map_sorted(&rule.annotations));
    }
    match &rule.expr {
        IntOrString::Int(i) => map.push("expr", i64::from(*i)),
        IntOrString::String(s) => map.push("expr", s.as_str()),
    }
    if let Some(for_) = &rule.for_ {
        map.push("for", for_.as_str());
    }
    if let Some(keep) = &rule.keep_firing_for {
        map.push("keep_firing_for", keep.as_str());
    }
    if !rule.labels.is_empty() {
        map.push("labels", go_map_sorted(&rule.labels));
    }
    if let Some(record) = rule.record.as_deref().filter(|r| !r.is_empty()) {
        map.push("record", record);
    }
    Yaml::Map(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(yaml: &str) -> PrometheusRuleSpec {
        let value = crate::yaml::parse(yaml).unwrap().to_json();
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn renders_like_sigs_yaml() {
        let s = spec(
            "groups:\n- name: g\n  partial_response_strategy: warn\n  interval: ''\n  rules:\n  \
             - alert: A\n    expr: up == 0\n    for: 5m\n    labels: {b: '1', a10: x, a9: 'y'}\n    \
             annotations: {summary: 'on'}\n  - record: r\n    expr: 1\n",
        );
        assert_eq!(
            render(&s),
            "groups:\n- interval: \"\"\n  name: g\n  partial_response_strategy: warn\n  rules:\n  \
             - alert: A\n    annotations:\n      summary: \"on\"\n    expr: up == 0\n    for: 5m\n    \
             labels:\n      a9: \"y\"\n      a10: x\n      b: \"1\"\n  - expr: 1\n    record: r\n"
        );
        assert_eq!(render(&PrometheusRuleSpec::default()), "{}\n");
    }

    #[test]
    fn sanitizes_by_version() {
        let mut s = spec(
            "groups:\n- name: g\n  limit: 5\n  query_offset: 1m\n  labels: {a: b}\n  \
             partial_response_strategy: warn\n  rules:\n  - alert: A\n    expr: x\n    keep_firing_for: 1m\n",
        );
        let mut thanos = s.clone();
        let dropped = sanitize(
            &mut s,
            Format::Prometheus,
            &Version::parse("2.30.0").unwrap(),
        );
        assert_eq!(dropped.len(), 4);
        assert_eq!(s.groups[0].partial_response_strategy, None);
        let dropped = sanitize(
            &mut thanos,
            Format::Thanos,
            &Version::parse("0.42.4").unwrap(),
        );
        assert!(dropped.is_empty());
        assert_eq!(
            thanos.groups[0].partial_response_strategy.as_deref(),
            Some("warn")
        );
    }
}

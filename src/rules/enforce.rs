//! `enforcedNamespaceLabel` on PrometheusRules: the operator's namespace labeler
//! (pkg/namespacelabeler/labeler.go, `New`, `IsExcluded`, `EnforceNamespaceLabel`) with
//! prom-label-proxy's PromQL enforcer (injectproxy/enforce.go, `EnforceNode`,
//! `EnforceMatchers`, errorOnReplace = false).

use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use promql_parser::label::{MatchOp, Matcher};
use promql_parser::parser::Expr;

use crate::monitoring::v1::PrometheusRule;
use crate::monitoring::v1::common::{ObjectReference, PrometheusRuleExcludeConfig};

use super::printer::print;
use super::promql::{self, ParseError, ParserOptions};
use crate::snapshot::name_of;

/// Why enforcement fails for one rule: the operator then drops the whole PrometheusRule
/// without an event.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("spec.groups[{group}].rules[{rule}].expr: failed to parse promql expression: {error}")]
pub struct EnforceError {
    /// Group index.
    pub group: usize,
    /// Rule index in the group.
    pub rule: usize,
    /// The parse error (with the default parser options, whatever the instance enables).
    pub error: ParseError,
}

impl EnforceError {
    /// The expression's field.
    pub fn field(&self) -> String {
        format!("spec.groups[{}].rules[{}].expr", self.group, self.rule)
    }

    /// What the failure means for the PrometheusRule.
    pub fn consequence(&self) -> String {
        format!(
            "enforcedNamespaceLabel cannot rewrite this expression ({}): the operator skips the \
             PrometheusRule without an event",
            self.error
        )
    }
}

const PROMETHEUS_RULES: &str = "prometheusrules";

/// The enforced label and the exclusions of one Prometheus or ThanosRuler.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Labeler {
    /// `enforcedNamespaceLabel`; empty disables enforcement.
    pub label: String,
    /// The excluded PrometheusRules.
    excluded: Vec<ObjectReference>,
}

impl Labeler {
    /// The labeler of an instance: `excludedFromEnforcement` entries (those naming
    /// PrometheusRules count) plus the deprecated `prometheusRulesExcludedFromEnforce`.
    pub fn new(
        label: &str,
        excluded_from_enforcement: &[ObjectReference],
        deprecated: &[PrometheusRuleExcludeConfig],
    ) -> Self {
        let deprecated = deprecated.iter().map(|entry| ObjectReference {
            resource: PROMETHEUS_RULES.to_owned(),
            namespace: entry.rule_namespace.clone(),
            name: entry.rule_name.clone(),
            ..ObjectReference::default()
        });
        Labeler {
            label: label.to_owned(),
            excluded: excluded_from_enforcement
                .iter()
                .cloned()
                .chain(deprecated)
                .collect(),
        }
    }

    /// Whether `namespace/name` is left alone (no label set, or an exclusion matches).
    pub fn is_excluded(&self, namespace: &str, name: &str) -> bool {
        self.label.is_empty()
            || self
                .excluded
                .iter()
                .any(|r| r.names(PROMETHEUS_RULES, namespace, name))
    }

    /// Rewrites `rule` in place as the operator does before generating its file: every rule
    /// gets the label (overwriting), every expression the matcher, reprinted.
    pub fn enforce(&self, rule: &mut PrometheusRule) -> Result<(), EnforceError> {
        let namespace = rule.metadata.namespace.clone().unwrap_or_default();
        let name = name_of(&rule.metadata);
        if self.is_excluded(&namespace, name) {
            return Ok(());
        }
        for (g, group) in rule.spec.groups.iter_mut().enumerate() {
            for (r, item) in group.rules.iter_mut().enumerate() {
                item.labels.insert(self.label.clone(), namespace.clone());
                let text = item.expr_text();
                let enforced =
                    enforce(&text, &self.label, &namespace).map_err(|error| EnforceError {
                        group: g,
                        rule: r,
                        error,
                    })?;
                item.expr = IntOrString::String(enforced);
            }
        }
        Ok(())
    }
}

/// Adds `label="value"` to every vector and matrix selector of `expr` (replacing any matcher on
/// that label) and returns it in Prometheus's format. Parses with the default options, as the
/// operator does.
pub fn enforce(expr: &str, label: &str, value: &str) -> Result<String, ParseError> {
    let mut parsed = promql::parse(expr, &ParserOptions::default())?;
    inject(&mut parsed.expr, label, value);
    Ok(print(&parsed))
}

/// `EnforceNode`: recursion follows the AST, bounded by the parser's limits.
fn inject(expr: &mut Expr, label: &str, value: &str) {
    match expr {
        Expr::Aggregate(a) => inject(&mut a.expr, label, value),
        Expr::Unary(u) => inject(&mut u.expr, label, value),
        Expr::Binary(b) => {
            inject(&mut b.lhs, label, value);
            inject(&mut b.rhs, label, value);
        }
        Expr::Paren(p) => inject(&mut p.expr, label, value),
        Expr::Subquery(s) => inject(&mut s.expr, label, value),
        Expr::Call(call) => {
            for arg in &mut call.args.args {
                inject(arg, label, value);
            }
        }
        Expr::VectorSelector(vs) => enforce_matchers(&mut vs.matchers.matchers, label, value),
        Expr::MatrixSelector(ms) => enforce_matchers(&mut ms.vs.matchers.matchers, label, value),
        Expr::NumberLiteral(_) | Expr::StringLiteral(_) | Expr::Extension(_) => {}
    }
}

/// `EnforceMatchers` for one `=` matcher: existing matchers on the label are dropped, the
/// enforced one is appended.
fn enforce_matchers(matchers: &mut Vec<Matcher>, label: &str, value: &str) {
    matchers.retain(|m| m.name != label);
    matchers.push(Matcher {
        op: MatchOp::Equal,
        name: label.to_owned(),
        value: value.to_owned(),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injects_and_reprints() {
        assert_eq!(
            enforce(
                "rate(requests_total{job=\"myjob\"}[5m])",
                "namespace",
                "bar"
            )
            .unwrap(),
            "rate(requests_total{job=\"myjob\",namespace=\"bar\"}[5m])"
        );
        assert_eq!(
            enforce(
                "node_cpu_seconds_total{namespace=\"dummy\",mode=\"idle\"}",
                "namespace",
                "bar"
            )
            .unwrap(),
            "node_cpu_seconds_total{mode=\"idle\",namespace=\"bar\"}"
        );
        assert_eq!(
            enforce("sum by(a)(x) / on(a) group_left y", "ns", "n").unwrap(),
            "sum by (a) (x{ns=\"n\"}) / on (a) group_left () y{ns=\"n\"}"
        );
        assert_eq!(enforce("vector(1)", "ns", "n").unwrap(), "vector(1)");
        assert!(enforce("mad_over_time(x[5m])", "ns", "n").is_err());
    }

    #[test]
    fn exclusions() {
        let labeler = Labeler::new(
            "namespace",
            &[ObjectReference {
                group: String::new(),
                resource: "prometheusrules".to_owned(),
                namespace: "bar".to_owned(),
                name: String::new(),
            }],
            &[PrometheusRuleExcludeConfig {
                rule_namespace: "foo".to_owned(),
                rule_name: "x".to_owned(),
            }],
        );
        assert!(labeler.is_excluded("bar", "anything"));
        assert!(labeler.is_excluded("foo", "x"));
        assert!(!labeler.is_excluded("foo", "y"));
        assert!(Labeler::default().is_excluded("a", "b"));
    }
}

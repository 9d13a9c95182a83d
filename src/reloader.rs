//! What the config-reloader does to the configuration before Prometheus reads it: it expands
//! `$(NAME)` with its environment (`POD_NAME`, `SHARD`, ...), which is set per pod.

use std::collections::BTreeMap;

use crate::instance::InstanceKind;

/// The pod whose reloader environment to use.
#[derive(Clone, Debug, Default)]
pub struct Pod {
    /// Replica number.
    pub replica: u32,
    /// Shard number.
    pub shard: u32,
    /// `NODE_NAME` (agents in DaemonSet mode).
    pub node: Option<String>,
    /// `TOPOLOGY_ZONE` (topology sharding).
    pub zone: Option<String>,
}

/// The environment the config-reloader of `pod` of instance `kind`/`name` expands.
pub fn environment(kind: InstanceKind, name: &str, pod: &Pod) -> BTreeMap<&'static str, String> {
    let set_name = kind.statefulset_name(name, i32::try_from(pod.shard).unwrap_or(i32::MAX));
    let mut variables = BTreeMap::new();
    variables.insert("POD_NAME", format!("{set_name}-{}", pod.replica));
    variables.insert("SHARD", pod.shard.to_string());
    variables.insert("INZONE_SHARD", pod.shard.to_string());
    if let Some(node) = &pod.node {
        variables.insert("NODE_NAME", node.clone());
    }
    if let Some(zone) = &pod.zone {
        variables.insert("TOPOLOGY_ZONE", zone.clone());
    }
    variables
}

/// Replaces `$(NAME)` as the config-reloader does; returns the text and the names that were
/// left alone because they are not set.
pub fn expand(text: &str, variables: &BTreeMap<&str, String>) -> (String, Vec<String>) {
    let mut out = String::with_capacity(text.len());
    let mut unset = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("$(") {
        let (before, from) = rest.split_at(start);
        out.push_str(before);
        let inner = from.get(2..).unwrap_or("");
        let name_len = inner
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(inner.len());
        let name = inner.get(..name_len).unwrap_or("");
        if name_len > 0 && inner.get(name_len..name_len + 1) == Some(")") {
            match variables.get(name) {
                Some(value) => out.push_str(value),
                None => {
                    if !unset.iter().any(|u| u == name) {
                        unset.push(name.to_owned());
                    }
                    out.push_str(from.get(..name_len + 3).unwrap_or(""));
                }
            }
            rest = inner.get(name_len + 1..).unwrap_or("");
        } else {
            out.push_str("$(");
            rest = inner;
        }
    }
    out.push_str(rest);
    (out, unset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expands_known_variables_and_keeps_unknown_ones() {
        let mut vars = BTreeMap::new();
        vars.insert("POD_NAME", "prometheus-k8s-1".to_owned());
        vars.insert("SHARD", "2".to_owned());
        let (text, unset) = expand(
            "replica: $(POD_NAME)\nshard: $(SHARD)\nother: $(NOPE) $( x $(\n",
            &vars,
        );
        assert_eq!(
            text,
            "replica: prometheus-k8s-1\nshard: 2\nother: $(NOPE) $( x $(\n"
        );
        assert_eq!(unset, ["NOPE"]);
    }

    #[test]
    fn pods_are_named_like_the_statefulsets() {
        let pod = Pod {
            replica: 1,
            shard: 2,
            ..Pod::default()
        };
        let env = environment(InstanceKind::Prometheus, "k8s", &pod);
        assert_eq!(env["POD_NAME"], "prometheus-k8s-shard-2-1");
        let env = environment(InstanceKind::Alertmanager, "main", &pod);
        assert_eq!(env["POD_NAME"], "alertmanager-main-1");
    }
}

//! A ThanosRuler's part of an alert's path. Thanos Ruler evaluates rules with Prometheus's
//! rule engine, then its alert queue (`pkg/alert` `Queue.Push`) removes the labels of
//! `--alert.label-drop`, sets the external labels over the alert's own (Prometheus only adds
//! those the alert lacks) and applies the alert relabelings. The Alertmanagers are the
//! addresses of `alertmanagersConfig` or `alertmanagersUrl`, followed where one names a
//! Service in the cluster.

use std::net::IpAddr;

use super::{
    ExternalLabel, Labels, Loading, NamedService, Outgoing, RulePosition, RuleRouteRequest, Sender,
    apply_relabel, begin_sender, joined_note, rule_labels, send_to_service, step,
};
use crate::monitoring::v1::ThanosRuler;
use crate::operator::OperatorOptions;
use crate::relabel::NameValidationScheme;
use crate::rules::Instance;
use crate::snapshot::{Snapshot, name_of, namespace_of};
use crate::yaml::Yaml;

/// The external label the operator gives every Thanos Ruler pod (its name), and always drops
/// from alerts.
const REPLICA_LABEL: &str = "thanos_ruler_replica";

/// The prefixes by which Thanos resolves an address through DNS (`dns.QType`).
const DNS_PREFIXES: [&str; 3] = ["dnssrvnoa+", "dnssrv+", "dns+"];

/// The path of the alerts of the rule at `position` through `ruler`.
pub(super) fn follow_thanos_ruler(
    snapshot: &Snapshot,
    ruler: &ThanosRuler,
    loading: Loading,
    position: RulePosition<'_>,
    request: &RuleRouteRequest<'_>,
    options: &OperatorOptions,
) -> Sender {
    let (mut sender, evaluated) = begin_sender(Instance::ThanosRuler(ruler), loading, position);
    let Some(evaluated) = evaluated else {
        return sender;
    };
    let external = external_labels(ruler);
    let values: Labels = external
        .iter()
        .map(|l| (l.name.clone(), l.value.clone()))
        .collect();
    let mut labels = rule_labels(
        &evaluated.in_file(),
        request.labels,
        Ok(&values),
        &mut sender,
    );
    let dropped: Vec<&str> = std::iter::once(REPLICA_LABEL)
        .chain(ruler.spec.alert_drop_labels.iter().map(String::as_str))
        .collect();
    for name in &dropped {
        if labels.remove(*name).is_some() {
            sender.undetermined.remove(*name);
            sender.label_steps.push(step(
                "alertDropLabels",
                name,
                None,
                "Thanos Ruler removes it from every alert",
            ));
        }
    }
    for ExternalLabel { name, value, note } in external {
        if dropped.contains(&name.as_str()) {
            let why = if name == REPLICA_LABEL {
                "not applied: the operator has Thanos Ruler drop it from alerts"
            } else {
                "not applied: it is in alertDropLabels"
            };
            sender.label_steps.push(step(
                "external label",
                &name,
                Some(&value),
                joined_note(&[&note, why]),
            ));
            continue;
        }
        let note = match labels.get(&name) {
            Some(existing) if *existing != value => joined_note(&[
                &note,
                &format!(
                    "overrides the alert's {existing:?}: Thanos Ruler sets external labels over \
                     the alert's own"
                ),
            ]),
            _ => note,
        };
        sender.undetermined.remove(&name);
        sender
            .label_steps
            .push(step("external label", &name, Some(&value), note));
        labels.insert(name, value);
    }
    let relabeled = relabel_alerts(snapshot, ruler, &mut labels, &mut sender);
    let labels = (!relabeled.dropped).then_some(labels);
    sender.labels.clone_from(&labels);
    let undetermined = sender.undetermined.clone();
    for (endpoint, service) in alertmanager_addresses(snapshot, ruler, &mut sender) {
        send_to_service(
            snapshot,
            options,
            request,
            &mut sender,
            &Outgoing {
                endpoint,
                service,
                port: None,
                labels: labels.as_ref(),
                undetermined: &undetermined,
                steps: Vec::new(),
                relabeled: super::Relabeled {
                    read: relabeled.read.clone(),
                    ..Default::default()
                },
            },
        );
    }
    sender
}

/// The external labels of `ruler`'s first pod, in the operator's order (the replica label,
/// then `spec.labels` by name), each with how its value was worked out.
fn external_labels(ruler: &ThanosRuler) -> Vec<ExternalLabel> {
    let pod = format!("thanos-ruler-{}-0", name_of(&ruler.metadata));
    std::iter::once(ExternalLabel {
        name: REPLICA_LABEL.to_owned(),
        value: pod.clone(),
        note: format!("the pod's name, of pod {pod} shown"),
    })
    .chain(ruler.spec.labels.iter().map(|(name, value)| ExternalLabel {
        name: name.clone(),
        value: value.clone(),
        note: String::new(),
    }))
    .collect()
}

/// Applies `ruler`'s alert relabelings to `labels`, recording steps and what cannot be known
/// in `sender`.
fn relabel_alerts(
    snapshot: &Snapshot,
    ruler: &ThanosRuler,
    labels: &mut Labels,
    sender: &mut Sender,
) -> super::Relabeled {
    if let Some(file) = &ruler.spec.alert_relabel_config_file {
        sender.may_drop.push(format!(
            "spec.alertRelabelConfigFile ({file:?}) is read in the pod and not known here: its \
             relabelings may change or drop the alert"
        ));
        return super::Relabeled::default();
    }
    let Some(selector) = &ruler.spec.alert_relabel_configs else {
        return super::Relabeled::default();
    };
    let namespace = namespace_of(&ruler.metadata);
    let Some(text) = snapshot.secret_value(namespace, &selector.name, &selector.key) else {
        sender.may_drop.push(format!(
            "spec.alertRelabelConfigs: key {:?} of Secret {namespace}/{} is not in the input, so \
             its relabelings are not known: they may change or drop the alert",
            selector.key, selector.name
        ));
        return super::Relabeled::default();
    };
    let applied = crate::yaml::parse(&text)
        .map_err(|e| e.to_string())
        .and_then(|rules| {
            apply_relabel(
                labels,
                &mut sender.undetermined,
                Some(&rules),
                // Thanos validates the relabelings with UTF-8 label names.
                NameValidationScheme::Utf8,
                "alertRelabelConfigs",
                &mut sender.label_steps,
            )
        });
    match applied {
        Ok(relabeled) => {
            sender.may_drop.extend(relabeled.may_drop.iter().cloned());
            relabeled
        }
        Err(e) => {
            sender.notes.push(format!(
                "spec.alertRelabelConfigs cannot be applied (Thanos Ruler refuses to start): {e}"
            ));
            super::Relabeled::default()
        }
    }
}

/// The Alertmanager addresses `ruler` sends to, as shown, each with the Service it names or
/// why it names none. `alertmanagersConfig` wins over `alertmanagersUrl`, as in the operator.
fn alertmanager_addresses(
    snapshot: &Snapshot,
    ruler: &ThanosRuler,
    sender: &mut Sender,
) -> Vec<(String, NamedService)> {
    let namespace = namespace_of(&ruler.metadata);
    let Some(selector) = &ruler.spec.alertmanagers_config else {
        if ruler.spec.alertmanagers_url.is_empty() {
            sender.notes.push(
                "spec.alertmanagersUrl and spec.alertmanagersConfig are unset: this ThanosRuler \
                 sends its alerts nowhere"
                    .to_owned(),
            );
        }
        return ruler
            .spec
            .alertmanagers_url
            .iter()
            .map(|url| {
                (
                    crate::redact::shown_address(url),
                    service_of_url(url, namespace),
                )
            })
            .collect();
    };
    let source = format!(
        "spec.alertmanagersConfig (key {:?} of Secret {namespace}/{})",
        selector.key, selector.name
    );
    let Some(text) = snapshot.secret_value(namespace, &selector.name, &selector.key) else {
        sender.notes.push(format!(
            "{source} is not in the input: the Alertmanagers it lists are not known"
        ));
        return Vec::new();
    };
    let config = match crate::yaml::parse(&text) {
        Ok(config) => config,
        Err(e) => {
            sender.notes.push(format!(
                "{source} cannot be read (Thanos Ruler refuses it): {e}"
            ));
            return Vec::new();
        }
    };
    let sets = config
        .as_map()
        .and_then(|m| m.get("alertmanagers"))
        .and_then(Yaml::as_seq)
        .unwrap_or_default();
    if sets.is_empty() {
        sender.notes.push(format!(
            "{source} lists no Alertmanager: this ThanosRuler sends its alerts nowhere"
        ));
    }
    let mut addresses = Vec::new();
    for (i, set) in sets.iter().enumerate() {
        let field = |name: &str| {
            set.as_map()
                .and_then(|m| m.get(name))
                .and_then(Yaml::as_seq)
                .unwrap_or_default()
        };
        for address in field("static_configs") {
            let text = address.as_str().unwrap_or_default();
            addresses.push((
                crate::redact::shown_address(text),
                service_of_address(text, namespace),
            ));
        }
        if !field("file_sd_configs").is_empty() {
            addresses.push((
                format!("alertmanagers[{i}].file_sd_configs"),
                Err("addresses read from files in the pod are not followed".to_owned()),
            ));
        }
    }
    addresses
}

/// The Service an `--alertmanagers.url` names, as Thanos reads the URL
/// (`alert.BuildAlertmanagerConfig`), or why it names none.
fn service_of_url(url: &str, namespace: &str) -> NamedService {
    let parsed = crate::go::url::parse(url)
        .map_err(|e| format!("Thanos Ruler refuses the URL and does not start: {e}"))?;
    if parsed.scheme.is_empty() {
        return Err("Thanos Ruler refuses a URL without a scheme and does not start".to_owned());
    }
    if parsed.host.is_empty() {
        return Err("Thanos Ruler refuses a URL without a host and does not start".to_owned());
    }
    service_of_host(&parsed.host, namespace)
}

/// The Service an address of `static_configs` names (`host:port`, maybe with a DNS prefix),
/// or why it names none.
fn service_of_address(address: &str, namespace: &str) -> NamedService {
    let host = DNS_PREFIXES
        .iter()
        .find_map(|prefix| address.strip_prefix(prefix))
        .unwrap_or(address);
    // A `user:password@` is not part of the host, and never shown.
    let host = host.rsplit_once('@').map_or(host, |(_, host)| host);
    service_of_host(host, namespace)
}

/// The Service (`namespace`, `name`) the host of `host_port` names in the cluster's DNS:
/// `svc`, `svc.ns`, `svc.ns.svc[.domain]` (the pod form `pod.svc.ns.svc...` names the
/// Service too), SRV names (`_port._proto.` first) alike; `namespace` is the sender's, for a
/// bare name.
fn service_of_host(host_port: &str, namespace: &str) -> NamedService {
    let shown = crate::redact::shown_address(host_port);
    let host = match host_port.rsplit_once(':') {
        Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => host,
        _ => host_port,
    };
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if bare.parse::<IpAddr>().is_ok() {
        return Err(format!(
            "{shown} is an IP address, not a Service's name: not followed"
        ));
    }
    let lowered = host.trim_end_matches('.').to_ascii_lowercase();
    let labels: Vec<&str> = lowered
        .split('.')
        .skip_while(|label| label.starts_with('_'))
        .collect();
    let service = match labels.as_slice() {
        [name] if !name.is_empty() => Some((namespace, *name)),
        [name, ns] if !name.is_empty() && !ns.is_empty() => Some((*ns, *name)),
        // The first `svc` after a name and a namespace (either may be named `svc` too).
        _ => (2..labels.len())
            .find(|&k| labels[k] == "svc")
            .map(|k| (labels[k - 1], labels[k - 2])),
    };
    service
        .map(|(ns, name)| (ns.to_owned(), name.to_owned()))
        .ok_or_else(|| {
            format!("{shown} is not the DNS name of a Service in the cluster: not followed")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service(ns: &str, name: &str) -> NamedService {
        Ok((ns.to_owned(), name.to_owned()))
    }

    #[test]
    fn addresses_name_services_as_the_cluster_dns_resolves_them() {
        let cases = [
            (
                "http://alertmanager-operated:9093",
                service("mon", "alertmanager-operated"),
            ),
            ("http://am.team:9093", service("team", "am")),
            (
                "dnssrv+http://_web._tcp.alertmanager-operated.monitoring.svc.cluster.local",
                service("monitoring", "alertmanager-operated"),
            ),
            (
                "http://alertmanager-main-0.alertmanager-operated.monitoring.svc:9093/prefix",
                service("monitoring", "alertmanager-operated"),
            ),
            (
                "dns+http://AM.Mon.SVC.cluster.local.:9093",
                service("mon", "am"),
            ),
        ];
        for (url, expected) in cases {
            assert_eq!(service_of_url(url, "mon"), expected, "{url}");
        }
        for url in [
            "http://10.0.0.1:9093",
            "http://[::1]:9093",
            "https://am.example.com",
        ] {
            assert!(service_of_url(url, "mon").is_err(), "{url}");
        }
        assert!(
            service_of_url("am:9093", "mon")
                .unwrap_err()
                .contains("does not start")
        );
        let refused = service_of_url("http://u:SECRET@10.0.0.1:9093", "mon").unwrap_err();
        assert!(!refused.contains("SECRET"), "{refused}");
        assert_eq!(
            service_of_address("dnssrv+_web._tcp.am.mon.svc.cluster.local", "x"),
            service("mon", "am")
        );
        assert_eq!(
            service_of_address("u:hunter2pass@am.mon:9093", "x"),
            service("mon", "am")
        );
        for (address, expected) in [
            (
                "alertmanager-operated.svc.svc.cluster.local:9093",
                service("svc", "alertmanager-operated"),
            ),
            ("svc.mon.svc:9093", service("mon", "svc")),
        ] {
            assert_eq!(service_of_address(address, "x"), expected, "{address}");
        }
    }
}

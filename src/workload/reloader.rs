//! The config-reloader sidecar and init container: upstream `operator.CreateConfigReloader`
//! and its options (`pkg/operator/config_reloader.go`).

use k8s_openapi::api::core::v1::{
    Capabilities, Container, EnvVar, EnvVarSource, ExecAction, HTTPGetAction, ObjectFieldSelector,
    Probe, SecurityContext, VolumeMount,
};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::workload::meta::container_port;
use crate::workload::paths;
use crate::workload::settings::Settings;

/// Name of the reloader sidecar, whose environment expands the configuration.
pub const CONFIG_RELOADER_CONTAINER: &str = "config-reloader";
/// Port of the reloader's web server in the sidecar.
const RELOADER_PORT: i32 = 8080;
/// Port of the init container, distinct to avoid client warnings about duplicate ports.
const INIT_RELOADER_PORT: i32 = 8081;
/// Name of the termination message policy every operator container uses.
pub(crate) const FALLBACK_TO_LOGS_ON_ERROR: &str = "FallbackToLogsOnError";

/// What the reloader is told to do; unset options leave their flag out.
#[derive(Default)]
pub(crate) struct ReloaderOptions {
    pub init_container: bool,
    pub listen_local: bool,
    pub web_config_file: String,
    pub reload_url: Option<String>,
    pub runtime_info_url: Option<String>,
    pub use_signal: bool,
    pub config_file: String,
    pub config_envsubst_file: String,
    pub watched_directories: Vec<String>,
    pub log_level: String,
    pub log_format: String,
    pub shard: Option<i32>,
    pub zone: String,
    pub inzone_shard: Option<i32>,
    pub node_name_env: bool,
    pub image_pull_policy: Option<String>,
    pub volume_mounts: Vec<VolumeMount>,
}

/// The container named `name`, configured by `options` and the operator flags.
pub(crate) fn config_reloader(
    name: &str,
    mut options: ReloaderOptions,
    settings: &Settings<'_>,
) -> Container {
    let mut args = Vec::new();
    let mut env = vec![field_env("POD_NAME", "metadata.name")];
    let mut ports = Vec::new();
    if options.node_name_env {
        env.push(field_env("NODE_NAME", "spec.nodeName"));
    }
    if options.init_container {
        args.push("--watch-interval=0".to_owned());
    }
    if options.listen_local {
        args.push(format!(
            "--listen-address={}:{RELOADER_PORT}",
            settings.localhost
        ));
    } else {
        let (port, port_name) = if options.init_container {
            (INIT_RELOADER_PORT, "reloader-init")
        } else {
            (RELOADER_PORT, "reloader-web")
        };
        args.push(format!("--listen-address=:{port}"));
        ports.push(container_port(port_name, port, Some("TCP")));
    }
    if !options.web_config_file.is_empty() {
        args.push(format!("--web-config-file={}", options.web_config_file));
    }
    if options.use_signal {
        args.push("--reload-method=signal".to_owned());
        if let Some(url) = &options.runtime_info_url {
            args.push(format!("--runtimeinfo-url={url}"));
        }
    } else if let Some(url) = &options.reload_url {
        args.push(format!("--reload-url={url}"));
    }
    if !options.config_file.is_empty() {
        args.push(format!("--config-file={}", options.config_file));
        // Watching the configuration's directory makes reloads follow kubelet's Secret sync
        // instead of the reloader's polling interval.
        let config_dir = paths::dir(&options.config_file);
        if !options.watched_directories.contains(&config_dir) {
            options.watched_directories.push(config_dir);
        }
    }
    if !options.config_envsubst_file.is_empty() {
        args.push(format!(
            "--config-envsubst-file={}",
            options.config_envsubst_file
        ));
    }
    for directory in &options.watched_directories {
        args.push(format!("--watched-dir={directory}"));
    }
    if !options.log_level.is_empty() && options.log_level != "info" {
        args.push(format!("--log-level={}", options.log_level));
    }
    if !options.log_format.is_empty() && options.log_format != "logfmt" {
        args.push(format!("--log-format={}", options.log_format));
    }
    if let Some(shard) = options.shard {
        env.push(value_env("SHARD", shard.to_string()));
    }
    if !options.zone.is_empty() {
        env.push(value_env("TOPOLOGY_ZONE", options.zone.clone()));
    }
    if let Some(inzone) = options.inzone_shard {
        env.push(value_env("INZONE_SHARD", inzone.to_string()));
    }
    let mut container = Container {
        name: name.to_owned(),
        image: Some(settings.reloader_image.clone()),
        image_pull_policy: options.image_pull_policy.clone(),
        termination_message_policy: Some(FALLBACK_TO_LOGS_ON_ERROR.to_owned()),
        env: Some(env),
        command: Some(vec!["/bin/prometheus-config-reloader".to_owned()]),
        args: Some(args),
        ports: Some(ports).filter(|p| !p.is_empty()),
        volume_mounts: Some(options.volume_mounts).filter(|m| !m.is_empty()),
        resources: Some(settings.reloader_resources.clone()),
        security_context: Some(restricted_security_context()),
        ..Container::default()
    };
    if !options.init_container && settings.options.config_reloader_probes {
        let probe = reloader_probe(options.listen_local);
        container.liveness_probe = Some(probe.clone());
        container.readiness_probe = Some(probe.clone());
        container.startup_probe = Some(probe);
    }
    container
}

/// The security context of every operator container: read-only root, no privilege
/// escalation, all capabilities dropped.
pub(crate) fn restricted_security_context() -> SecurityContext {
    SecurityContext {
        allow_privilege_escalation: Some(false),
        read_only_root_filesystem: Some(true),
        capabilities: Some(Capabilities {
            drop: Some(vec!["ALL".to_owned()]),
            ..Capabilities::default()
        }),
        ..SecurityContext::default()
    }
}

/// Upstream `operator.ExecAction`: probe a URL with curl, else wget.
pub(crate) fn exec_probe_action(url: &str) -> ExecAction {
    ExecAction {
        command: Some(vec![
            "sh".to_owned(),
            "-c".to_owned(),
            format!(
                r#"if [ -x "$(command -v curl)" ]; then exec curl --fail {url}; elif [ -x "$(command -v wget)" ]; then exec wget -q -O /dev/null {url}; else exit 1; fi"#
            ),
        ]),
    }
}

fn reloader_probe(listen_local: bool) -> Probe {
    if listen_local {
        Probe {
            exec: Some(exec_probe_action(&format!(
                "http://localhost:{RELOADER_PORT}/healthz"
            ))),
            ..Probe::default()
        }
    } else {
        Probe {
            http_get: Some(HTTPGetAction {
                path: Some("/healthz".to_owned()),
                port: IntOrString::Int(RELOADER_PORT),
                ..HTTPGetAction::default()
            }),
            ..Probe::default()
        }
    }
}

/// An environment variable read from the pod's own fields.
pub(crate) fn field_env(name: &str, field_path: &str) -> EnvVar {
    EnvVar {
        name: name.to_owned(),
        value_from: Some(EnvVarSource {
            field_ref: Some(ObjectFieldSelector {
                field_path: field_path.to_owned(),
                ..ObjectFieldSelector::default()
            }),
            ..EnvVarSource::default()
        }),
        ..EnvVar::default()
    }
}

fn value_env(name: &str, value: String) -> EnvVar {
    EnvVar {
        name: name.to_owned(),
        value: Some(value),
        ..EnvVar::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operator::OperatorOptions;

    #[test]
    fn sidecar_args_in_upstream_order() {
        let options = OperatorOptions::default();
        let settings = Settings::new(&options);
        let container = config_reloader(
            "config-reloader",
            ReloaderOptions {
                reload_url: Some("http://localhost:9090/-/reload".into()),
                config_file: "/etc/prometheus/config/prometheus.yaml.gz".into(),
                config_envsubst_file: "/etc/prometheus/config_out/prometheus.env.yaml".into(),
                shard: Some(0),
                ..ReloaderOptions::default()
            },
            &settings,
        );
        assert_eq!(
            container.args.unwrap(),
            [
                "--listen-address=:8080",
                "--reload-url=http://localhost:9090/-/reload",
                "--config-file=/etc/prometheus/config/prometheus.yaml.gz",
                "--config-envsubst-file=/etc/prometheus/config_out/prometheus.env.yaml",
                "--watched-dir=/etc/prometheus/config",
            ]
        );
        assert_eq!(container.env.unwrap()[1].value.as_deref(), Some("0"));
    }
}

//! The per-version sanitizer (upstream `amcfg.go`: `alertmanagerConfig.sanitize` and the
//! `sanitize` methods of every struct it holds): fields the Alertmanager version does not know
//! are dropped (each drop is returned as a [`Warning`]), settings it cannot run are refused.
//!
//! Works on a tree already canonical ([`super::schema::decode_config`]): a field that is
//! present is set, a zero value of an `omitempty` field is absent.

use std::fmt;

use crate::version::Version;
use crate::yaml::{Map, Yaml};

/// A field dropped because the Alertmanager version does not support it, or because a
/// mutually exclusive field takes precedence (the operator logs these as warnings).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    /// Where, e.g. `receivers[0].slack_configs[0].timeout`.
    pub path: String,
    /// The operator's message.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// A setting the Alertmanager version cannot run, or an invalid value; the operator refuses
/// the whole configuration.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SanitizeError {
    /// Where, e.g. `receivers[0].msteams_configs[0].webhook_url`.
    pub path: String,
    /// The operator's error, wrapped as upstream wraps it.
    pub message: String,
}

type Checked = Result<(), SanitizeError>;

/// Sanitizes a canonical `alertmanager.yaml` tree for `version`; returns the dropped fields.
pub fn sanitize(config: &mut Yaml, version: &Version) -> Result<Vec<Warning>, SanitizeError> {
    let mut s = Sanitizer {
        version,
        warnings: Vec::new(),
    };
    if let Yaml::Map(root) = config {
        s.config(root)?;
    }
    Ok(s.warnings)
}

struct Sanitizer<'v> {
    version: &'v Version,
    warnings: Vec<Warning>,
}

fn err(path: &str, message: impl Into<String>) -> SanitizeError {
    SanitizeError {
        path: path.to_owned(),
        message: message.into(),
    }
}

fn at(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// The string value of `key`, empty when absent.
fn text<'m>(map: &'m Map, key: &str) -> &'m str {
    map.get(key).and_then(Yaml::as_str).unwrap_or("")
}

fn has(map: &Map, key: &str) -> bool {
    match map.get(key) {
        None | Some(Yaml::Null) => false,
        Some(_) => true,
    }
}

fn is_true(map: &Map, key: &str) -> bool {
    matches!(map.get(key), Some(Yaml::Bool(true)))
}

/// Go's `%v` of a `[]string`.
fn go_list(map: &Map, key: &str) -> String {
    let items: Vec<&str> = map
        .get(key)
        .and_then(Yaml::as_seq)
        .unwrap_or(&[])
        .iter()
        .filter_map(Yaml::as_str)
        .collect();
    format!("[{}]", items.join(" "))
}

fn maps_mut<'a>(map: &'a mut Map, key: &str) -> impl Iterator<Item = &'a mut Map> {
    match map.get_mut(key) {
        Some(Yaml::Seq(items)) => items.as_mut_slice(),
        _ => &mut [],
    }
    .iter_mut()
    .filter_map(|item| match item {
        Yaml::Map(m) => Some(m),
        _ => None,
    })
}

impl Sanitizer<'_> {
    fn lt(&self, min: &str) -> bool {
        self.version.lt(min)
    }

    /// Refuses the `name` integration below Alertmanager `min`, which does not have it.
    fn integration_since(&self, path: &str, name: &str, min: &str) -> Checked {
        if self.lt(min) {
            return Err(err(
                path,
                format!(
                    "invalid syntax in receivers config; {name} integration is available in Alertmanager >= {min}"
                ),
            ));
        }
        Ok(())
    }

    fn warn(&mut self, path: String, message: impl Into<String>) {
        self.warnings.push(Warning {
            path,
            message: message.into(),
        });
    }

    /// Drops `key` when present and the version is below `min`.
    fn drop_below(&mut self, map: &mut Map, path: &str, key: &str, min: &str, message: &str) {
        if has(map, key) && self.lt(min) {
            map.remove(key);
            self.warn(at(path, key), message);
        }
    }

    /// Drops `key` when present and the version is below `min`, with the operator's usual
    /// warning.
    fn drop_newer(&mut self, map: &mut Map, path: &str, key: &str, min: &str) {
        if has(map, key) && self.lt(min) {
            let message = format!(
                "'{key}' supported in Alertmanager >= {min} only - dropping field from provided \
                 config"
            );
            map.remove(key);
            self.warn(at(path, key), message);
        }
    }

    /// The file alternative `file_key` of `key` (added in `min`): dropped when too new for the
    /// version, then when `key` is set too (warning `message`).
    fn file_variant(
        &mut self,
        map: &mut Map,
        path: &str,
        key: &str,
        file_key: &str,
        min: &str,
        message: &str,
    ) {
        self.drop_newer(map, path, file_key, min);
        self.exclusive(map, path, key, file_key, message);
    }

    /// Drops `loser` when both it and `winner` are set.
    fn exclusive(&mut self, map: &mut Map, path: &str, winner: &str, loser: &str, message: &str) {
        if has(map, winner) && has(map, loser) {
            map.remove(loser);
            self.warn(at(path, loser), message);
        }
    }

    fn config(&mut self, root: &mut Map) -> Checked {
        if let Some(Yaml::Map(global)) = root.get_mut("global") {
            self.global(global, "global")?;
        }
        for (i, receiver) in maps_mut(root, "receivers").enumerate() {
            self.receiver(receiver, &format!("receivers[{i}]"))?;
        }
        for (i, rule) in maps_mut(root, "inhibit_rules").enumerate() {
            let path = format!("inhibit_rules[{i}]");
            self.inhibit_rule(rule).map_err(|e| SanitizeError {
                message: format!("{path}: {}", e.message),
                path,
            })?;
        }
        // Both are already reported with the routes that reference them.
        if has(root, "mute_time_intervals") && self.lt("0.22.0") {
            root.remove("mute_time_intervals");
        }
        if has(root, "time_intervals") && self.lt("0.24.0") {
            root.remove("time_intervals");
        }
        for key in ["mute_time_intervals", "time_intervals"] {
            let drop_location = self.lt("0.25.0");
            let mut dropped = Vec::new();
            for (i, interval) in maps_mut(root, key).enumerate() {
                for (j, period) in maps_mut(interval, "time_intervals").enumerate() {
                    if drop_location && period.remove("location").is_some() {
                        dropped.push(format!("{key}[{i}].time_intervals[{j}].location"));
                    }
                }
            }
            for path in dropped {
                self.warn(
                    path,
                    "time_interval location is supported in Alertmanager >= 0.25.0 only - dropping config",
                );
            }
        }
        if let Some(Yaml::Map(route)) = root.get_mut("route") {
            self.route(route, "route")?;
        }
        Ok(())
    }

    fn global(&mut self, g: &mut Map, path: &str) -> Checked {
        if let Some(Yaml::Map(http)) = g.get_mut("http_config") {
            self.http_config(http, &at(path, "http_config"))?;
        }
        self.drop_newer(g, path, "smtp_tls_config", "0.28.0");
        if has(g, "slack_api_url_file") {
            self.exclusive(g, path, "slack_api_url", "slack_api_url_file", "'slack_api_url' and 'slack_api_url_file' are mutually exclusive - 'slack_api_url' has taken precedence");
            self.drop_newer(g, path, "slack_api_url_file", "0.22.0");
        }
        for key in ["slack_app_token", "slack_app_token_file", "slack_app_url"] {
            self.drop_newer(g, path, key, "0.30.0");
        }
        self.exclusive(g, path, "slack_app_token", "slack_app_token_file", "'slack_app_token' and 'slack_app_token_file' are mutually exclusive - 'slack_app_token' has taken precedence");
        if (has(g, "slack_app_token") || has(g, "slack_app_token_file"))
            && (has(g, "slack_api_url") || has(g, "slack_api_url_file"))
            && has(g, "slack_api_url")
            && has(g, "slack_app_url")
            && text(g, "slack_api_url") != text(g, "slack_app_url")
        {
            return Err(err(
                path,
                "at most one of slack_app_token/slack_app_token_file & slack_api_url/slack_api_url_file must be configured (unless slack_api_url matches slack_app_url)",
            ));
        }
        self.drop_newer(g, path, "opsgenie_api_key_file", "0.24.0");
        self.file_variant(g, path, "smtp_auth_password", "smtp_auth_password_file", "0.25.0", "'smtp_auth_password' and 'smtp_auth_password_file' are mutually exclusive - 'smtp_auth_password' has taken precedence");
        self.file_variant(g, path, "victorops_api_key", "victorops_api_key_file", "0.25.0", "'victorops_api_key' and 'victorops_api_key_file' are mutually exclusive - 'victorops_api_key' has taken precedence");
        self.file_variant(g, path, "wechat_api_secret", "wechat_api_secret_file", "0.31.0", "'wechat_api_secret' and 'wechat_api_secret_file' are mutually exclusive - 'wechat_api_secret' has taken precedence");
        self.drop_newer(g, path, "telegram_bot_token", "0.31.0");
        self.file_variant(g, path, "telegram_bot_token", "telegram_bot_token_file", "0.31.0", "'telegram_bot_token' and 'telegram_bot_token_file' are mutually exclusive - 'telegram_bot_token' has taken precedence");
        self.file_variant(g, path, "smtp_auth_secret", "smtp_auth_secret_file", "0.31.0", "'smtp_auth_secret' and 'smtp_auth_secret_file' are mutually exclusive - 'smtp_auth_secret' has taken precedence");
        self.drop_newer(g, path, "smtp_force_implicit_tls", "0.31.0");
        self.drop_newer(g, path, "mattermost_webhook_url", "0.32.0");
        self.file_variant(g, path, "mattermost_webhook_url", "mattermost_webhook_url_file", "0.32.0", "'mattermost_webhook_url' and 'mattermost_webhook_url_file' are mutually exclusive - 'mattermost_webhook_url' has taken precedence");
        Ok(())
    }

    /// `httpClientConfig.sanitize`; a missing `http_config` is fine.
    fn http_of(&mut self, map: &mut Map, path: &str) -> Checked {
        match map.get_mut("http_config") {
            Some(Yaml::Map(http)) => self.http_config(http, &at(path, "http_config")),
            _ => Ok(()),
        }
    }

    fn http_config(&mut self, hc: &mut Map, path: &str) -> Checked {
        if has(hc, "authorization") && self.lt("0.22.0") {
            return Err(err(
                path,
                "'authorization' set in 'http_config' but supported in Alertmanager >= 0.22.0 only",
            ));
        }
        if has(hc, "oauth2") && self.lt("0.22.0") {
            return Err(err(
                path,
                "'oauth2' set in 'http_config' but supported in Alertmanager >= 0.22.0 only",
            ));
        }
        self.drop_below(hc, path, "follow_redirects", "0.22.0", "'follow_redirects' set in 'http_config' but supported in Alertmanager >= 0.22.0 only - dropping field from provided config");
        self.drop_below(hc, path, "enable_http2", "0.25.0", "'enable_http2' set in 'http_config' but supported in Alertmanager >= 0.25.0 only - dropping field from provided config");
        if let Some(Yaml::Map(headers)) = hc.get("http_headers") {
            for (name, _) in headers.iter() {
                let canonical = canonical_header_key(name);
                if RESERVED_HEADERS.contains(&canonical.as_str()) {
                    return Err(err(
                        &at(path, "http_headers"),
                        format!("setting header {canonical:?} is not allowed"),
                    ));
                }
            }
            self.drop_below(hc, path, "http_headers", "0.28.0", "'http_headers' set in 'http_config' but supported in Alertmanager >= 0.28.0 only - dropping field from provided config");
        }
        if let Some(Yaml::Map(tls)) = hc.get_mut("tls_config") {
            self.tls_config(tls, &at(path, "tls_config"))?;
        }
        self.proxy(hc, path)?;
        if let Some(Yaml::Map(oauth2)) = hc.get_mut("oauth2") {
            let path = at(path, "oauth2");
            if (has(oauth2, "proxy_url")
                || has(oauth2, "no_proxy")
                || has(oauth2, "proxy_connect_header"))
                && self.lt("0.25.0")
            {
                for key in [
                    "proxy_url",
                    "no_proxy",
                    "proxy_from_environment",
                    "proxy_connect_header",
                ] {
                    oauth2.remove(key);
                }
                self.warn(path, "'proxyConfig' set in 'oauth2' but supported in Alertmanager >= 0.25.0 only - dropping field from provided config");
            }
        }
        Ok(())
    }

    fn tls_config(&mut self, tc: &mut Map, path: &str) -> Checked {
        self.drop_below(tc, path, "min_version", "0.25.0", "'min_version' set in 'tls_config' but supported in Alertmanager >= 0.25.0 only - dropping field from provided config");
        self.drop_below(tc, path, "max_version", "0.25.0", "'max_version' set in 'tls_config' but supported in Alertmanager >= 0.25.0 only - dropping field from provided config");
        let rank = |v: &str| -> Result<u16, SanitizeError> {
            match v {
                "" => Ok(0),
                "TLS10" => Ok(0x0301),
                "TLS11" => Ok(0x0302),
                "TLS12" => Ok(0x0303),
                "TLS13" => Ok(0x0304),
                other => Err(err(path, format!("unknown TLS version: {other}"))),
            }
        };
        let (min_text, max_text) = (text(tc, "min_version"), text(tc, "max_version"));
        let min = rank(min_text)?;
        let max = rank(max_text)?;
        if min != 0 && max != 0 && min > max {
            return Err(err(
                path,
                format!(
                    "max TLS version {max_text:?} must be greater than or equal to min TLS version {min_text:?}"
                ),
            ));
        }
        Ok(())
    }

    fn proxy(&mut self, pc: &mut Map, path: &str) -> Checked {
        let from_env = is_true(pc, "proxy_from_environment");
        let url = has(pc, "proxy_url");
        let no_proxy = has(pc, "no_proxy");
        let connect = has(pc, "proxy_connect_header");
        if !self.lt("0.26.0") {
            let message = if connect && !from_env && !url {
                Some(
                    "if 'proxy_connect_header' is configured, 'proxy_url' or 'proxy_from_environment' must also be configured",
                )
            } else if from_env && url {
                Some(
                    "if 'proxy_from_environment' is configured, 'proxy_url' must not be configured",
                )
            } else if from_env && no_proxy {
                Some("if 'proxy_from_environment' is configured, 'no_proxy' must not be configured")
            } else if !url && no_proxy {
                Some("if 'no_proxy' is configured, 'proxy_url' must also be configured")
            } else {
                None
            };
            return match message {
                Some(m) => Err(err(path, m)),
                None => Ok(()),
            };
        }
        self.drop_below(pc, path, "proxy_from_environment", "0.26.0", "'proxy_from_environment' set to true but supported in Alertmanager >= 0.26.0 only - dropping field from provided config");
        self.drop_below(pc, path, "no_proxy", "0.26.0", "'no_proxy' configured but supported in Alertmanager >= 0.26.0 only - dropping field from provided config");
        self.drop_below(pc, path, "proxy_connect_header", "0.26.0", "'proxy_connect_header' configured but supported in Alertmanager >= 0.26.0 only - dropping field from provided config");
        Ok(())
    }

    fn receiver(&mut self, r: &mut Map, path: &str) -> Checked {
        type Step<'v> = fn(&mut Sanitizer<'v>, &mut Map, &str) -> Checked;
        // The operator's order; it sanitizes pagerduty_configs a second time at the end, which
        // changes nothing.
        let steps: [(&str, Step<'_>); 18] = [
            ("email_configs", Sanitizer::email),
            ("opsgenie_configs", Sanitizer::opsgenie),
            ("pagerduty_configs", Sanitizer::pagerduty),
            ("pushover_configs", Sanitizer::pushover),
            ("slack_configs", Sanitizer::slack),
            ("victorops_configs", Sanitizer::victorops),
            ("webhook_configs", Sanitizer::webhook),
            ("wechat_configs", Sanitizer::wechat),
            ("sns_configs", Sanitizer::sns),
            ("telegram_configs", Sanitizer::telegram),
            ("discord_configs", Sanitizer::discord),
            ("webex_configs", Sanitizer::webex),
            ("msteams_configs", Sanitizer::msteams),
            ("msteamsv2_configs", Sanitizer::msteams_v2),
            ("jira_configs", Sanitizer::jira),
            ("rocketchat_configs", Sanitizer::rocketchat),
            ("mattermost_configs", Sanitizer::mattermost),
            ("incidentio_configs", Sanitizer::incidentio),
        ];
        for (key, step) in steps {
            for (i, conf) in maps_mut(r, key).enumerate() {
                step(self, conf, &format!("{path}.{key}[{i}]"))?;
            }
        }
        Ok(())
    }

    fn email(&mut self, c: &mut Map, path: &str) -> Checked {
        self.file_variant(c, path, "auth_password", "auth_password_file", "0.25.0", "'auth_password' and 'auth_password_file' are mutually exclusive for email receiver config - 'auth_password' has taken precedence");
        self.drop_newer(c, path, "force_implicit_tls", "0.31.0");
        self.file_variant(c, path, "auth_secret", "auth_secret_file", "0.31.0", "'auth_secret' and 'auth_secret_file' are mutually exclusive for email receiver config - 'auth_secret' has taken precedence");
        self.drop_newer(c, path, "threading", "0.30.0");
        if let Some(Yaml::Map(t)) = c.get("threading") {
            let by_date = text(t, "thread_by_date");
            if by_date != "daily" && by_date != "none" {
                return Err(err(
                    &at(path, "threading"),
                    "invalid 'thread_by_date': the value must be empty, 'daily' or 'none'",
                ));
            }
        }
        Ok(())
    }

    fn opsgenie(&mut self, c: &mut Map, path: &str) -> Checked {
        self.http_of(c, path)?;
        self.drop_below(c, path, "actions", "0.24.0", "opsgenie_config 'actions' supported in Alertmanager >= 0.24.0 only - dropping field from provided config");
        self.drop_below(c, path, "entity", "0.24.0", "opsgenie_config 'entity' supported in Alertmanager >= 0.24.0 only - dropping field from provided config");
        self.drop_below(c, path, "update_alerts", "0.24.0", "update_alerts 'entity' supported in Alertmanager >= 0.24.0 only - dropping field from provided config");
        let teams_unsupported = self.lt("0.24.0");
        for responder in maps_mut(c, "responders") {
            if teams_unsupported && text(responder, "type") == "teams" {
                return Err(err(
                    &at(path, "responders"),
                    "'teams' set in 'opsgenieResponder' but supported in Alertmanager >= 0.24.0 only",
                ));
            }
        }
        valid_url(c, path, "api_url", super::url::validate_url)?;
        self.exclusive(c, path, "api_key", "api_key_file", "'api_key' and 'api_key_file' are mutually exclusive for OpsGenie receiver config - 'api_key' has taken precedence");
        self.drop_newer(c, path, "api_key_file", "0.24.0");
        Ok(())
    }

    fn pagerduty(&mut self, c: &mut Map, path: &str) -> Checked {
        self.drop_newer(c, path, "source", "0.25.0");
        self.drop_newer(c, path, "routing_key_file", "0.25.0");
        self.file_variant(c, path, "service_key", "service_key_file", "0.25.0", "'service_key' and 'service_key_file' are mutually exclusive for pagerdury receiver config - 'service_key' has taken precedence");
        self.exclusive(c, path, "routing_key", "routing_key_file", "'routing_key' and 'routing_key_file' are mutually exclusive for pagerdury receiver config - 'routing_key' has taken precedence");
        self.drop_newer(c, path, "timeout", "0.30.0");
        if self.lt("0.30.0")
            && let Some(Yaml::Map(details)) = c.get("details")
            && details.iter().any(|(_, v)| !matches!(v, Yaml::Str(_)))
        {
            return Err(err(
                &at(path, "details"),
                "'details' value in non-string format is supported in Alertmanager >= 0.30.0 only",
            ));
        }
        self.http_of(c, path)
    }

    fn pushover(&mut self, c: &mut Map, path: &str) -> Checked {
        self.drop_below(c, path, "user_key_file", "0.26.0", "'user_key_file' supported in Alertmanager >= 0.26.0 only - dropping field from pushover receiver config");
        if !has(c, "user_key") && !has(c, "user_key_file") {
            return Err(err(
                path,
                "missing mandatory field user_key or user_key_file",
            ));
        }
        self.exclusive(c, path, "user_key", "user_key_file", "'user_key' and 'user_key_file' are mutually exclusive for pushover receiver config - 'user_key' has taken precedence");
        self.drop_below(c, path, "token_file", "0.26.0", "'token_file' supported in Alertmanager >= 0.26.0 only - dropping field from pushover receiver config");
        if !has(c, "token") && !has(c, "token_file") {
            return Err(err(path, "missing mandatory field token or token_file"));
        }
        self.exclusive(c, path, "token", "token_file", "'token' and 'token_file' are mutually exclusive for pushover receiver config - 'token' has taken precedence");
        self.drop_below(c, path, "ttl", "0.27.0", "'ttl' supported in Alertmanager >= 0.27.0 only - dropping field from pushover receiver config");
        self.drop_below(c, path, "device", "0.26.0", "'device' supported in Alertmanager >= 0.26.0 only - dropping field from pushover receiver config");
        if is_true(c, "monospace") && self.lt("0.29.0") {
            // The operator sets the pointer to false rather than dropping it.
            c.set("monospace", false);
            self.warn(at(path, "monospace"), "'monospace' supported in Alertmanager >= 0.29.0 only - dropping field from pushover receiver config");
        }
        if is_true(c, "html") && is_true(c, "monospace") {
            return Err(err(path, "either monospace or html must be configured"));
        }
        valid_url(c, path, "url", super::url::validate_template_url)?;
        self.http_of(c, path)
    }

    fn slack(&mut self, c: &mut Map, path: &str) -> Checked {
        self.http_of(c, path)?;
        self.drop_newer(c, path, "timeout", "0.30.0");
        for key in ["app_token", "app_token_file", "app_url"] {
            self.drop_newer(c, path, key, "0.30.0");
        }
        self.drop_newer(c, path, "message_text", "0.31.0");
        if has(c, "update_message") {
            if self.lt("0.32.0") {
                self.drop_newer(c, path, "update_message", "0.32.0");
            } else if is_true(c, "update_message")
                && has(c, "api_url")
                && text(c, "api_url") != "https://slack.com/api/chat.postMessage"
            {
                return Err(err(
                    path,
                    "update_message' can only be used with bot tokens. api_url must be set to https://slack.com/api/chat.postMessage",
                ));
            }
        }
        self.exclusive(c, path, "app_token", "app_token_file", "'app_token' and 'app_token_file' are mutually exclusive for slack receiver config - 'app_token' has taken precedence");
        if (has(c, "app_token") || has(c, "app_token_file"))
            && (has(c, "api_url") || has(c, "api_url_file"))
        {
            return Err(err(
                path,
                "at most one of app_token/app_token_file & api_url/api_url_file must be configured",
            ));
        }
        if !has(c, "api_url_file") {
            return Ok(());
        }
        self.file_variant(c, path, "api_url", "api_url_file", "0.22.0", "'api_url' and 'api_url_file' are mutually exclusive for slack receiver config - 'api_url' has taken precedence");
        Ok(())
    }

    fn victorops(&mut self, c: &mut Map, path: &str) -> Checked {
        self.http_of(c, path)?;
        self.file_variant(c, path, "api_key", "api_key_file", "0.25.0", "'api_key' and 'api_key_file' are mutually exclusive for victorops receiver config - 'api_url' has taken precedence");
        valid_url(c, path, "api_url", super::url::validate_url)
    }

    fn webhook(&mut self, c: &mut Map, path: &str) -> Checked {
        self.http_of(c, path)?;
        self.file_variant(c, path, "url", "url_file", "0.26.0", "'url' and 'url_file' are mutually exclusive for webhook receiver config - 'url' has taken precedence");
        self.drop_newer(c, path, "timeout", "0.28.0");
        self.drop_newer(c, path, "payload", "0.32.0");
        valid_url(c, path, "url", super::url::validate_template_url)
    }

    fn msteams(&mut self, c: &mut Map, path: &str) -> Checked {
        if self.lt("0.26.0") {
            return Err(err(
                path,
                "invalid syntax in receivers config; msteams integration is only available in Alertmanager >= 0.26.0",
            ));
        }
        if !has(c, "webhook_url") || text(c, "webhook_url").is_empty() {
            return Err(err(path, "mandatory field \"webhook_url\" is empty"));
        }
        valid_url(c, path, "webhook_url", super::url::validate_url)?;
        self.drop_below(c, path, "summary", "0.27.0", "'summary' supported in Alertmanager >= 0.27.0 only - dropping field `summary` from msteams config");
        self.http_of(c, path)
    }

    fn msteams_v2(&mut self, c: &mut Map, path: &str) -> Checked {
        self.integration_since(path, "msteams v2", "0.28.0")?;
        exactly_one(
            c,
            path,
            "webhook_url",
            "webhook_url_file",
            "no webhook_url or webhook_url_file provided",
            "both webhook_url and webhook_url_file cannot be set at the same time",
        )?;
        valid_url(c, path, "webhook_url", super::url::validate_url)?;
        self.http_of(c, path)
    }

    fn wechat(&mut self, c: &mut Map, path: &str) -> Checked {
        valid_url(c, path, "api_url", super::url::validate_url)?;
        self.drop_below(c, path, "api_secret_file", "0.31.0", "'api_secret_file' supported in Alertmanager >= 0.31.0 only - dropping field `api_secret_file` from wechat config");
        self.exclusive(c, path, "api_secret", "api_secret_file", "'api_secret' and 'api_secret_file' are mutually exclusive for telegram receiver config - 'api_secret' has taken precedence");
        self.http_of(c, path)
    }

    fn sns(&mut self, c: &mut Map, path: &str) -> Checked {
        valid_url(c, path, "api_url", super::url::validate_template_url)?;
        let old = self.lt("0.33.0");
        if let Some(Yaml::Map(sigv4)) = c.get_mut("sigv4")
            && has(sigv4, "external_id")
        {
            if !has(sigv4, "role_arn") {
                return Err(err(
                    &at(path, "sigv4"),
                    "'external_id' in sigv4 config requires 'role_arn' to be set",
                ));
            }
            if old {
                sigv4.remove("external_id");
                self.warn(
                    at(path, "sigv4.external_id"),
                    "'external_id' supported in Alertmanager >= 0.33.0 only - dropping field `external_id` from sigv4 config",
                );
            }
        }
        if matches!(c.get("sigv4"), Some(Yaml::Map(m)) if m.is_empty()) {
            // A value struct with `omitempty` disappears once all its fields are zero.
            c.remove("sigv4");
        }
        self.drop_below(c, path, "use_aws_http_client", "0.33.0", "'use_aws_http_client' supported in Alertmanager >= 0.33.0 only - dropping field `use_aws_http_client` from sns config");
        self.http_of(c, path)
    }

    fn telegram(&mut self, c: &mut Map, path: &str) -> Checked {
        self.integration_since(path, "telegram", "0.24.0")?;
        self.drop_newer(c, path, "chat_id_file", "0.31.0");
        if !has(c, "chat_id") && !has(c, "chat_id_file") {
            return Err(err(path, "missing mandatory field chat_id or chat_id_file"));
        }
        self.exclusive(c, path, "chat_id", "chat_id_file", "'chat_id' and 'chat_id_file' are mutually exclusive for telegram receiver config - 'chat_id' has taken precedence");
        self.file_variant(c, path, "bot_token", "bot_token_file", "0.26.0", "'bot_token' and 'bot_token_file' are mutually exclusive for telegram receiver config - 'bot_token' has taken precedence");
        if !has(c, "bot_token") && !has(c, "bot_token_file") && self.lt("0.31.0") {
            return Err(err(
                path,
                "missing mandatory field botToken or botTokenFile",
            ));
        }
        self.drop_newer(c, path, "message_thread_id", "0.26.0");
        valid_url(c, path, "api_url", super::url::validate_url)?;
        self.http_of(c, path)
    }

    fn discord(&mut self, c: &mut Map, path: &str) -> Checked {
        self.integration_since(path, "discord", "0.25.0")?;
        for key in ["content", "username", "avatar_url"] {
            self.drop_newer(c, path, key, "0.28.0");
        }
        self.http_of(c, path)
    }

    fn webex(&mut self, c: &mut Map, path: &str) -> Checked {
        self.integration_since(path, "webex", "0.25.0")?;
        if text(c, "room_id").is_empty() {
            return Err(err(path, "mandatory field \"room_id\" is empty"));
        }
        valid_url(c, path, "api_url", super::url::validate_url)?;
        self.http_of(c, path)
    }

    fn jira(&mut self, c: &mut Map, path: &str) -> Checked {
        self.integration_since(path, "jira", "0.28.0")?;
        if !has(c, "project") {
            return Err(err(path, "missing project in jira_config"));
        }
        if !has(c, "issue_type") {
            return Err(err(path, "missing issue_type in jira_config"));
        }
        if has(c, "api_type") {
            if self.lt("0.29.0") {
                self.drop_newer(c, path, "api_type", "0.29.0");
            } else if !matches!(text(c, "api_type"), "auto" | "cloud" | "datacenter") {
                return Err(err(
                    path,
                    "invalid 'api_type': a value must be 'auto', 'cloud' or 'datacenter'",
                ));
            }
        }
        valid_url(c, path, "api_url", super::url::validate_url)?;
        self.http_of(c, path)
    }

    fn rocketchat(&mut self, c: &mut Map, path: &str) -> Checked {
        self.integration_since(path, "rocketchat", "0.28.0")?;
        if has(c, "token") && has(c, "token_file") {
            return Err(err(
                path,
                "at most one of token & token_file must be configured",
            ));
        }
        if has(c, "token_id") && has(c, "token_id_file") {
            return Err(err(
                path,
                "at most one of token_id & token_id_file must be configured",
            ));
        }
        self.http_of(c, path)
    }

    fn mattermost(&mut self, c: &mut Map, path: &str) -> Checked {
        self.integration_since(path, "mattermost", "0.30.0")?;
        let old = self.lt("0.32.0");
        if !has(c, "webhook_url") && !has(c, "webhook_url_file") && old {
            return Err(err(
                path,
                "one of 'webhook_url' or 'webhook_url_file' must be configured",
            ));
        }
        self.exclusive(c, path, "webhook_url", "webhook_url_file", "'webhook_url' and 'webhook_url_file' are mutually exclusive for mattermost receiver config - 'webhook_url' has taken precedence");
        if old {
            for key in [
                "fallback",
                "color",
                "pretext",
                "author_name",
                "author_link",
                "author_icon",
                "title",
                "title_link",
                "thumb_url",
                "footer",
                "footer_icon",
                "image_url",
                "fields",
            ] {
                self.drop_newer(c, path, key, "0.32.0");
            }
        }
        valid_url(c, path, "webhook_url", super::url::validate_url)?;
        valid_url(c, path, "icon_url", super::url::validate_template_url)?;
        // Go ranges over a map here: with several invalid URLs the one reported varies.
        for key in MATTERMOST_LINKS {
            valid_url(c, path, key, super::url::validate_template_url)?;
        }
        for (i, attachment) in maps_mut(c, "attachments").enumerate() {
            for key in MATTERMOST_LINKS {
                validated(
                    attachment,
                    &format!("{path}.attachments[{i}]"),
                    key,
                    super::url::validate_template_url,
                    &format!("invalid '{key}' in attachments[{i}]"),
                )?;
            }
        }
        self.http_of(c, path)
    }

    fn incidentio(&mut self, c: &mut Map, path: &str) -> Checked {
        self.integration_since(path, "incident.io", "0.29.0")?;
        exactly_one(
            c,
            path,
            "url",
            "url_file",
            "one of url or url_file must be configured",
            "at most one of url & url_file must be configured",
        )?;
        validated(c, path, "url", super::url::validate_url, "invalid url")?;
        let token = has(c, "alert_source_token");
        let token_file = has(c, "alert_source_token_file");
        if token && token_file {
            return Err(err(
                path,
                "at most one of alert_source_token & alert_source_token_file must be configured",
            ));
        }
        let authorization =
            matches!(c.get("http_config"), Some(Yaml::Map(h)) if has(h, "authorization"));
        if authorization && (token || token_file) {
            return Err(err(
                path,
                "cannot specify alert_source_token or alert_source_token_file when using http_config.authorization",
            ));
        }
        if !token && !token_file && !authorization {
            return Err(err(
                path,
                "at least one of alert_source_token, alert_source_token_file or http_config.authorization must be configured",
            ));
        }
        self.http_of(c, path)
    }

    fn inhibit_rule(&mut self, rule: &mut Map) -> Checked {
        if self.lt("0.22.0") && (has(rule, "source_matchers") || has(rule, "target_matchers")) {
            return Err(err(
                "",
                format!(
                    "target_matchers and source_matchers matching is supported in Alertmanager >= 0.22.0 only (target_matchers={}, source_matchers={})",
                    go_list(rule, "target_matchers"),
                    go_list(rule, "source_matchers")
                ),
            ));
        }
        Ok(())
    }

    fn route(&mut self, r: &mut Map, path: &str) -> Checked {
        if self.lt("0.22.0") && has(r, "matchers") {
            return Err(err(
                path,
                format!(
                    "invalid syntax in route config for 'matchers' comparison based matching is supported in Alertmanager >= 0.22.0 only (matchers={})",
                    go_list(r, "matchers")
                ),
            ));
        }
        self.drop_below(r, path, "mute_time_intervals", "0.22.0", "named mute time intervals in route is supported in Alertmanager >= 0.22.0 only - dropping config");
        self.drop_below(r, path, "active_time_intervals", "0.24.0", "active time intervals in route is supported in Alertmanager >= 0.24.0 only - dropping config");
        if has(r, "group_wait") {
            super::duration::parse(text(r, "group_wait"))
                .map_err(|e| err(&at(path, "group_wait"), format!("group_wait: {e}")))?;
        }
        for key in ["group_interval", "repeat_interval"] {
            if has(r, key) {
                let millis = super::duration::parse(text(r, key))
                    .map_err(|e| err(&at(path, key), format!("{key}: {e}")))?;
                if millis == 0 {
                    r.remove(key);
                }
            }
        }
        for (i, child) in maps_mut(r, "routes").enumerate() {
            self.route(child, &format!("{path}.routes[{i}]"))
                .map_err(|e| SanitizeError {
                    message: format!("route[{i}]: {}", e.message),
                    path: e.path,
                })?;
        }
        Ok(())
    }
}

/// The URL fields of a Mattermost receiver and of each of its attachments that may be templates.
const MATTERMOST_LINKS: [&str; 6] = [
    "author_link",
    "author_icon",
    "title_link",
    "thumb_url",
    "footer_icon",
    "image_url",
];

/// Exactly one of `key` and `file_key` must be set; the errors for none and for both are the
/// operator's.
fn exactly_one(
    map: &Map,
    path: &str,
    key: &str,
    file_key: &str,
    none: &str,
    both: &str,
) -> Checked {
    match (has(map, key), has(map, file_key)) {
        (false, false) => Err(err(path, none)),
        (true, true) => Err(err(path, both)),
        _ => Ok(()),
    }
}

/// Checks the URL `map[key]` (when set) with `check`; the error reads `invalid '<key>': <why>`.
fn valid_url(map: &Map, path: &str, key: &str, check: fn(&str) -> Result<(), String>) -> Checked {
    validated(map, path, key, check, &format!("invalid '{key}'"))
}

/// Checks the URL `map[key]` (when set) with `check`; the error reads `<prefix>: <why>`.
/// Receiver URLs often embed a token and may come from a Secret, so the error names the URL
/// as `<secret>`.
fn validated(
    map: &Map,
    path: &str,
    key: &str,
    check: fn(&str) -> Result<(), String>,
    prefix: &str,
) -> Checked {
    let value = text(map, key);
    if value.is_empty() {
        return Ok(());
    }
    check(value).map_err(|why| {
        let why = crate::redact::hide_value(&why, value, crate::redact::REDACTED);
        err(&at(path, key), format!("{prefix}: {why}"))
    })
}

/// Headers prometheus/common refuses to let a configuration set.
const RESERVED_HEADERS: &[&str] = &[
    "Authorization",
    "Host",
    "Content-Encoding",
    "Content-Length",
    "Content-Type",
    "User-Agent",
    "Connection",
    "Keep-Alive",
    "Proxy-Authenticate",
    "Proxy-Authorization",
    "Www-Authenticate",
    "Accept-Encoding",
    "X-Prometheus-Remote-Write-Version",
    "X-Prometheus-Remote-Read-Version",
    "X-Prometheus-Scrape-Timeout-Seconds",
    "X-Amz-Date",
    "X-Amz-Security-Token",
    "X-Amz-Content-Sha256",
];

/// Go's `http.CanonicalHeaderKey` for ASCII names.
fn canonical_header_key(name: &str) -> String {
    let mut upper = true;
    name.chars()
        .map(|c| {
            let out = if upper {
                c.to_ascii_uppercase()
            } else {
                c.to_ascii_lowercase()
            };
            upper = c == '-';
            out
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, version: &str) -> Result<(String, Vec<Warning>), SanitizeError> {
        let mut doc =
            super::super::schema::decode_config(&crate::yaml::parse(text).unwrap()).unwrap();
        let warnings = sanitize(&mut doc, &Version::parse(version).unwrap())?;
        Ok((crate::yaml::emit(&doc), warnings))
    }

    #[test]
    fn drops_unsupported_fields_with_a_warning() {
        let (out, warnings) = run(
            "receivers:\n- name: r\n  slack_configs:\n  - timeout: 5s\n    channel: c\n",
            "v0.29.0",
        )
        .unwrap();
        assert!(!out.contains("timeout"), "{out}");
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].path, "receivers[0].slack_configs[0].timeout");
        assert_eq!(
            warnings[0].message,
            "'timeout' supported in Alertmanager >= 0.30.0 only - dropping field from provided config"
        );
    }

    #[test]
    fn refuses_integrations_the_version_lacks() {
        let e = run(
            "receivers:\n- name: r\n  jira_configs: [{project: p, issue_type: t}]\n",
            "v0.27.0",
        )
        .unwrap_err();
        assert!(
            e.message
                .contains("jira integration is available in Alertmanager >= 0.28.0")
        );
    }

    #[test]
    fn zero_intervals_are_dropped() {
        let (out, _) = run(
            "route: {receiver: r, group_interval: 0s, repeat_interval: 1h}",
            "v0.27.0",
        )
        .unwrap();
        assert_eq!(
            out,
            "route:\n  receiver: r\n  repeat_interval: 1h\ntemplates: []\n"
        );
        assert_eq!(canonical_header_key("x-custom-header"), "X-Custom-Header");
    }
}

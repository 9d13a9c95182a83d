//! Loading the user's base configuration (upstream `alertmanagerConfigFromBytes`): the
//! whole-file checks of Alertmanager's `config.Load`, a strict decode into the operator's
//! structs, then `checkAlertmanagerConfigRootRoute`.

use std::collections::BTreeSet;

use super::schema::{self, DecodeError};
use crate::yaml::{Map, Yaml, YamlError};

/// Why a base configuration is refused.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum LoadError {
    /// Not YAML.
    #[error(transparent)]
    Yaml(#[from] YamlError),
    /// Unknown fields or values of the wrong type.
    #[error(transparent)]
    Decode(#[from] DecodeError),
    /// Alertmanager's own whole-file checks (`config.Load`).
    #[error("{0}")]
    Alertmanager(String),
    /// The operator's root-route check.
    #[error("check AlertmanagerConfig root route failed: {0}")]
    RootRoute(String),
}

/// Parses and checks an `alertmanager.yaml`; returns it as the operator re-serialises it.
pub fn load_base(text: &str) -> Result<Yaml, LoadError> {
    let doc = crate::yaml::parse(text)?;
    let config = schema::decode_config(&doc)?;
    let Yaml::Map(root) = &config else {
        return Err(LoadError::Alertmanager("no route provided".to_owned()));
    };
    alertmanager_checks(root).map_err(LoadError::Alertmanager)?;
    check_root_route(root.get("route")).map_err(LoadError::RootRoute)?;
    Ok(config)
}

/// `checkAlertmanagerConfigRootRoute`.
pub fn check_root_route(route: Option<&Yaml>) -> Result<(), String> {
    let Some(Yaml::Map(route)) = route else {
        return Err("root route must exist".to_owned());
    };
    if route.get("continue") == Some(&Yaml::Bool(true)) {
        return Err("cannot have continue in root route".to_owned());
    }
    if text(route, "receiver").is_empty() {
        return Err("root route's receiver must exist".to_owned());
    }
    if ["matchers", "match", "match_re"]
        .iter()
        .any(|k| route.contains_key(k))
    {
        return Err("'matchers' not permitted on root route".to_owned());
    }
    if route.contains_key("mute_time_intervals") {
        return Err("'mute_time_intervals' not permitted on root route".to_owned());
    }
    if route.contains_key("active_time_intervals") {
        return Err("'active_time_intervals' not permitted on root route".to_owned());
    }
    Ok(())
}

fn text<'m>(map: &'m Map, key: &str) -> &'m str {
    map.get(key).and_then(Yaml::as_str).unwrap_or("")
}

fn set(map: &Map, key: &str) -> bool {
    map.contains_key(key)
}

/// Whether `map` sets `key` inline or as `<key>_file`. Checked by value, not by key: the
/// operator's structs write some of these fields even when empty (`msTeamsConfig`'s
/// `webhook_url` has no `omitempty`).
fn inline_or_file(map: &Map, key: &str) -> bool {
    !text(map, key).is_empty() || !text(map, &format!("{key}_file")).is_empty()
}

/// Whether an integration sets `key` or `<key>_file`, or the global section its default
/// `global_key` or `<global_key>_file`.
fn inline_or_global(c: &Map, global: &Map, key: &str, global_key: &str) -> bool {
    inline_or_file(c, key) || inline_or_file(global, global_key)
}

fn maps<'a>(map: &'a Map, key: &str) -> impl Iterator<Item = &'a Map> {
    map.get(key)
        .and_then(Yaml::as_seq)
        .unwrap_or(&[])
        .iter()
        .filter_map(Yaml::as_map)
}

/// The checks of Alertmanager's `Config.UnmarshalYAML` that concern the file as a whole:
/// mutually exclusive global settings, settings a receiver needs either itself or from
/// `global`, unique names, and routes that name existing receivers and time intervals.
fn alertmanager_checks(root: &Map) -> Result<(), String> {
    let empty = Map::new();
    let global = root.get("global").and_then(Yaml::as_map).unwrap_or(&empty);
    for (a, b) in [
        ("slack_app_token", "slack_app_token_file"),
        ("slack_api_url", "slack_api_url_file"),
        ("opsgenie_api_key", "opsgenie_api_key_file"),
        ("victorops_api_key", "victorops_api_key_file"),
        ("telegram_bot_token", "telegram_bot_token_file"),
        ("smtp_auth_password", "smtp_auth_password_file"),
        ("rocketchat_token", "rocketchat_token_file"),
        ("rocketchat_token_id", "rocketchat_token_id_file"),
        ("smtp_auth_secret", "smtp_auth_secret_file"),
        ("wechat_api_secret", "wechat_api_secret_file"),
        ("mattermost_webhook_url", "mattermost_webhook_url_file"),
    ] {
        if set(global, a) && set(global, b) {
            return Err(format!("at most one of {a} & {b} must be configured"));
        }
    }
    let mut names = BTreeSet::new();
    for receiver in maps(root, "receivers") {
        let name = text(receiver, "name");
        if !names.insert(name.to_owned()) {
            return Err(format!("notification config name {name:?} is not unique"));
        }
        receiver_checks(receiver, global)?;
    }
    let Some(Yaml::Map(route)) = root.get("route") else {
        return Err("no routes provided".to_owned());
    };
    if text(route, "receiver").is_empty() {
        return Err("root route must specify a default receiver".to_owned());
    }
    if ["match", "match_re", "matchers"]
        .iter()
        .any(|k| set(route, k))
    {
        return Err("root route must not have any matchers".to_owned());
    }
    if set(route, "mute_time_intervals") {
        return Err("root route must not have any mute time intervals".to_owned());
    }
    if set(route, "active_time_intervals") {
        return Err("root route must not have any active time intervals".to_owned());
    }
    check_route_names(route, &names, "receiver", 0)?;
    let mut intervals = BTreeSet::new();
    for (key, what) in [
        ("mute_time_intervals", "mute time interval"),
        ("time_intervals", "time interval"),
    ] {
        for interval in maps(root, key) {
            let name = text(interval, "name");
            if !intervals.insert(name.to_owned()) {
                return Err(format!("{what} {name:?} is not unique"));
            }
        }
    }
    check_route_names(route, &intervals, "interval", 0)
}

/// `checkReceiver` / `checkTimeInterval`: children first, then the route itself.
fn check_route_names(
    route: &Map,
    known: &BTreeSet<String>,
    what: &str,
    depth: usize,
) -> Result<(), String> {
    if depth > schema::MAX_DEPTH {
        return Err("routes nest too deep".to_owned());
    }
    for child in maps(route, "routes") {
        check_route_names(child, known, what, depth + 1)?;
    }
    if what == "receiver" {
        let receiver = text(route, "receiver");
        if !receiver.is_empty() && !known.contains(receiver) {
            return Err(format!("undefined receiver {receiver:?} used in route"));
        }
        return Ok(());
    }
    for key in ["active_time_intervals", "mute_time_intervals"] {
        for name in route
            .get(key)
            .and_then(Yaml::as_seq)
            .unwrap_or(&[])
            .iter()
            .filter_map(Yaml::as_str)
        {
            if !known.contains(name) {
                return Err(format!("undefined time interval {name:?} used in route"));
            }
        }
    }
    Ok(())
}

/// The settings an integration needs either itself or from `global`.
fn receiver_checks(receiver: &Map, global: &Map) -> Result<(), String> {
    for c in maps(receiver, "email_configs") {
        if !set(c, "smarthost") && !set(global, "smtp_smarthost") {
            return Err("no global SMTP smarthost set".to_owned());
        }
        if !set(c, "from") && !set(global, "smtp_from") {
            return Err("no global SMTP from set".to_owned());
        }
    }
    for c in maps(receiver, "slack_configs") {
        let has_own = ["api_url", "api_url_file", "app_token", "app_token_file"]
            .iter()
            .any(|k| set(c, k));
        let has_global = [
            "slack_api_url",
            "slack_api_url_file",
            "slack_app_token",
            "slack_app_token_file",
        ]
        .iter()
        .any(|k| set(global, k));
        if !has_own && !has_global {
            return Err("no Slack API URL nor App token set either inline or in a file".to_owned());
        }
    }
    for c in maps(receiver, "opsgenie_configs") {
        if !inline_or_global(c, global, "api_key", "opsgenie_api_key") {
            return Err("no global OpsGenie API Key set either inline or in a file".to_owned());
        }
    }
    for c in maps(receiver, "wechat_configs") {
        if !inline_or_global(c, global, "api_secret", "wechat_api_secret") {
            return Err("no global Wechat Api Secret set either inline or in a file".to_owned());
        }
        if !set(c, "corp_id") && !set(global, "wechat_api_corp_id") {
            return Err("no global Wechat CorpID set".to_owned());
        }
    }
    for c in maps(receiver, "victorops_configs") {
        if !inline_or_global(c, global, "api_key", "victorops_api_key") {
            return Err("no global VictorOps API Key set".to_owned());
        }
    }
    for c in maps(receiver, "telegram_configs") {
        if !inline_or_global(c, global, "bot_token", "telegram_bot_token") {
            return Err("missing bot_token or bot_token_file on telegram_config".to_owned());
        }
    }
    for (key, name) in [
        ("discord_configs", "discord"),
        ("msteams_configs", "msteams"),
        ("msteamsv2_configs", "msteamsv2"),
    ] {
        if maps(receiver, key).any(|c| !inline_or_file(c, "webhook_url")) {
            return Err(format!("no {name} webhook URL or URLFile provided"));
        }
    }
    for c in maps(receiver, "rocketchat_configs") {
        if !inline_or_global(c, global, "token_id", "rocketchat_token_id") {
            return Err("no global Rocketchat TokenID set either inline or in a file".to_owned());
        }
        if !inline_or_global(c, global, "token", "rocketchat_token") {
            return Err("no global Rocketchat Token set either inline or in a file".to_owned());
        }
    }
    for c in maps(receiver, "mattermost_configs") {
        if !inline_or_global(c, global, "webhook_url", "mattermost_webhook_url") {
            return Err("missing webhook_url or webhook_url_file on mattermost_config".to_owned());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_a_minimal_file() {
        let doc = load_base("route: {receiver: 'null'}\nreceivers: [{name: 'null'}]").unwrap();
        assert_eq!(
            crate::yaml::emit(&doc),
            "route:\n  receiver: \"null\"\nreceivers:\n- name: \"null\"\ntemplates: []\n"
        );
    }

    #[test]
    fn refuses_what_alertmanager_refuses() {
        assert!(load_base("invalid").is_err());
        let undefined = load_base("route: {receiver: x}").unwrap_err();
        assert_eq!(
            undefined.to_string(),
            "undefined receiver \"x\" used in route"
        );
        let cont =
            load_base("route: {receiver: x, continue: true}\nreceivers: [{name: x}]").unwrap_err();
        assert!(cont.to_string().contains("cannot have continue"), "{cont}");
    }

    #[test]
    fn webhook_url_checks() {
        for integration in ["discord", "msteams", "msteamsv2"] {
            let with = |config: &str| {
                load_base(&format!(
                    "route: {{receiver: r}}\nreceivers: [{{name: r, {integration}_configs: [{config}]}}]"
                ))
            };
            assert_eq!(
                with("{}").unwrap_err().to_string(),
                format!("no {integration} webhook URL or URLFile provided")
            );
            // Alertmanager accepts a URL file for all three; the operator's own structs, which
            // the file is then decoded into strictly, know it only for msteamsv2.
            let file = with("{webhook_url_file: /etc/url}");
            match integration {
                "msteamsv2" => assert!(file.is_ok(), "{file:?}"),
                _ => assert!(matches!(file, Err(LoadError::Decode(_))), "{file:?}"),
            }
        }
    }
}

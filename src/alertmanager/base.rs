//! Loading the user's base configuration (upstream `alertmanagerConfigFromBytes`): the
//! whole-file checks of Alertmanager's `config.Load`, a strict decode into the operator's
//! structs, then `checkAlertmanagerConfigRootRoute`.

use std::collections::BTreeSet;

use super::schema::{self, DecodeError};
use crate::duration::DurationError;
use crate::go::strconv::quote;
use crate::routing::{ParseMode, RoutingError, Tree};
use crate::version::Version;
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

/// Parses and checks an `alertmanager.yaml` as the operator does; returns it as the operator
/// re-serialises it. matcher/compat parses matchers and validates label names in classic mode
/// unless a binary calls `compat.InitFromFlags`, and the operator never does.
pub fn load_base(text: &str) -> Result<Yaml, LoadError> {
    load_base_in_mode(text, ParseMode::Classic)
}

/// [`load_base`] reading matchers with `mode`: as the Alertmanager binary loads the file, in
/// its version's mode ([`super::loading::matcher_parse_mode`]).
pub fn load_base_in_mode(text: &str, mode: ParseMode) -> Result<Yaml, LoadError> {
    load(text, mode, None, None)
}

/// What the Alertmanager binary makes of a base configuration the operator copies as is.
#[derive(Clone, Debug, PartialEq)]
pub struct CopiedBase {
    /// Keys the configuration types of the reproduced operator lack
    /// ([`super::schema::DecodeError::UnknownField`]): a newer Alertmanager may know them.
    pub unknown_fields: Vec<DecodeError>,
    /// Why it refuses the rest of the file, if it does.
    pub refusal: Option<LoadError>,
}

/// [`load_base_in_mode`] as the binary of `version` loads a copied file: a key the reproduced
/// types lack is set aside rather than ending the check, so a certain refusal later in the
/// file is still found.
pub fn judge_copied_base(text: &str, version: &Version, mode: ParseMode) -> CopiedBase {
    let mut unknown_fields = Vec::new();
    let refusal = load(text, mode, Some(version), Some(&mut unknown_fields)).err();
    CopiedBase {
        unknown_fields,
        refusal,
    }
}

/// Loads `text`, reading matchers with `mode` and judging names as `version` does (the
/// newest without one). With `unknown_fields`, the keys the structs lack are collected there
/// instead of refused: left out of the decode, then put back for Alertmanager's checks by key.
fn load(
    text: &str,
    mode: ParseMode,
    version: Option<&Version>,
    unknown_fields: Option<&mut Vec<DecodeError>>,
) -> Result<Yaml, LoadError> {
    let mut doc = crate::yaml::parse(text)?;
    let mut unknown = Vec::new();
    if unknown_fields.is_some() {
        (doc, unknown) = schema::without_unknown_fields(&doc);
    }
    let mut config = schema::decode_config(&doc)?;
    schema::check_unique_keys(&doc)?;
    schema::with_unknown_fields(&mut config, &unknown);
    if let Some(found) = unknown_fields {
        *found = unknown.into_iter().map(|u| u.error).collect();
    }
    let Yaml::Map(root) = &config else {
        return Err(LoadError::Alertmanager("no route provided".to_owned()));
    };
    alertmanager_checks(&doc, root, mode, version).map_err(LoadError::Alertmanager)?;
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

/// `config.Load` in the order it refuses things: what its decoder checks as it reads each
/// part (routes, matchers, inhibition rules, receivers' names and integrations, time
/// intervals, HTTP client settings), then `Config.UnmarshalYAML`'s whole-file checks.
fn alertmanager_checks(
    doc: &Yaml,
    root: &Map,
    mode: ParseMode,
    version: Option<&Version>,
) -> Result<(), String> {
    let empty = Map::new();
    let global = root.get("global").and_then(Yaml::as_map).unwrap_or(&empty);
    if let Some(hc) = global.get("http_config").and_then(Yaml::as_map) {
        check_http_config(hc)?;
    }
    if let Some(tls) = global.get("smtp_tls_config").and_then(Yaml::as_map) {
        check_tls_config(tls)?;
    }
    let routing = Tree::from_config_as(doc, mode, version).err();
    if let Some(error) = routing.as_ref().filter(|e| !is_whole_file(e)) {
        return Err(routing_message(error));
    }
    for receiver in maps(root, "receivers") {
        integration_checks(receiver)?;
    }
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
    routing.map_or(Ok(()), |e| Err(routing_message(&e)))
}

/// The routing library's refusal in `config.Load`'s words: a route's duration is a
/// `model.Duration`, whose parser names every malformed string the same way.
fn routing_message(error: &RoutingError) -> String {
    match error {
        RoutingError::Duration {
            path,
            error: DurationError::Invalid(text) | DurationError::UnknownUnit { duration: text, .. },
        } => format!("{path}: not a valid duration string: {}", quote(text)),
        other => other.to_string(),
    }
}

/// Whether the routing library refused the file for something `Config.UnmarshalYAML` checks
/// only after every part was read (and so after the receivers' settings).
fn is_whole_file(error: &RoutingError) -> bool {
    matches!(
        error,
        RoutingError::NoRouteInConfig
            | RoutingError::NoRoutes
            | RoutingError::RootWithoutReceiver
            | RoutingError::RootHasMatchers
            | RoutingError::RootHasMuteTimeIntervals
            | RoutingError::RootHasActiveTimeIntervals
            | RoutingError::RootContinue
            | RoutingError::UndefinedReceiver(_)
            | RoutingError::DuplicateReceiver(_)
            | RoutingError::UndefinedTimeInterval(_)
            | RoutingError::DuplicateMuteTimeInterval(_)
            | RoutingError::DuplicateTimeInterval(_)
    )
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

/// Whether `key` holds a value Alertmanager's struct would not leave at its zero value.
fn filled(map: &Map, key: &str) -> bool {
    match map.get(key) {
        None | Some(Yaml::Null) => false,
        Some(Yaml::Str(s)) => !s.is_empty(),
        Some(Yaml::Int(i)) => *i != 0,
        Some(Yaml::Bool(b)) => *b,
        Some(_) => true,
    }
}

fn refuse(bad: bool, message: &str) -> Result<(), String> {
    if bad { Err(message.to_owned()) } else { Ok(()) }
}

/// `<key>` or `<key>_file` must be set.
fn one_of(c: &Map, key: &str) -> Result<(), String> {
    let file = format!("{key}_file");
    refuse(
        !filled(c, key) && !filled(c, &file),
        &format!("one of {key} or {file} must be configured"),
    )
}

/// `<key>` and `<key>_file` exclude each other.
fn at_most_one(c: &Map, key: &str) -> Result<(), String> {
    let file = format!("{key}_file");
    refuse(
        filled(c, key) && filled(c, &file),
        &format!("at most one of {key} & {file} must be configured"),
    )
}

type IntegrationCheck = fn(&Map) -> Result<(), String>;

/// Each integration's own `UnmarshalYAML` checks, by receiver key.
const INTEGRATION_CHECKS: [(&str, IntegrationCheck); 18] = [
    ("discord_configs", webhook_url_checks),
    ("email_configs", email_checks),
    ("incidentio_configs", incidentio_checks),
    ("pagerduty_configs", pagerduty_checks),
    ("slack_configs", slack_checks),
    ("webhook_configs", webhook_checks),
    ("opsgenie_configs", opsgenie_checks),
    ("wechat_configs", wechat_checks),
    ("pushover_configs", pushover_checks),
    ("victorops_configs", victorops_checks),
    ("sns_configs", sns_checks),
    ("telegram_configs", telegram_checks),
    ("webex_configs", webex_checks),
    ("msteams_configs", webhook_url_checks),
    ("msteamsv2_configs", webhook_url_checks),
    ("jira_configs", jira_checks),
    ("rocketchat_configs", rocketchat_checks),
    ("mattermost_configs", mattermost_checks),
];

/// What Alertmanager's decoder refuses in one receiver's integrations, in `Receiver`'s field
/// order; an integration's HTTP client settings are read (and checked) before its own checks.
fn integration_checks(receiver: &Map) -> Result<(), String> {
    for (key, check) in INTEGRATION_CHECKS {
        for c in maps(receiver, key) {
            if let Some(hc) = c.get("http_config").and_then(Yaml::as_map) {
                check_http_config(hc)?;
            }
            check(c)?;
        }
    }
    Ok(())
}

fn webhook_url_checks(c: &Map) -> Result<(), String> {
    one_of(c, "webhook_url")?;
    at_most_one(c, "webhook_url")
}

fn webhook_checks(c: &Map) -> Result<(), String> {
    one_of(c, "url")?;
    at_most_one(c, "url")
}

fn email_checks(c: &Map) -> Result<(), String> {
    if let Some(tls) = c.get("tls_config").and_then(Yaml::as_map) {
        check_tls_config(tls)?;
    }
    refuse(!filled(c, "to"), "missing to address in email config")?;
    let empty = Map::new();
    let threading = c.get("threading").and_then(Yaml::as_map).unwrap_or(&empty);
    if filled(threading, "enabled") {
        let headers = c.get("headers").and_then(Yaml::as_map).unwrap_or(&empty);
        for header in ["References", "In-Reply-To"] {
            refuse(
                headers
                    .iter()
                    .any(|(name, _)| name.eq_ignore_ascii_case(header)),
                &format!(
                    "conflicting configuration: threading.enabled conflicts with custom {header} header"
                ),
            )?;
        }
        refuse(
            !matches!(text(threading, "thread_by_date"), "none" | "daily"),
            "threading.thread_by_date must be either 'none' or 'daily'",
        )?;
    }
    Ok(())
}

fn pagerduty_checks(c: &Map) -> Result<(), String> {
    refuse(
        ![
            "routing_key",
            "service_key",
            "routing_key_file",
            "service_key_file",
        ]
        .iter()
        .any(|k| filled(c, k)),
        "missing service or routing key in PagerDuty config",
    )?;
    at_most_one(c, "routing_key")?;
    at_most_one(c, "service_key")
}

/// The URL `update_message` requires: only bot tokens can update a message.
const SLACK_POST_MESSAGE_URL: &str = "https://slack.com/api/chat.postMessage";

fn slack_checks(c: &Map) -> Result<(), String> {
    for field in maps(c, "fields") {
        refuse(
            !filled(field, "title"),
            "missing title in Slack field configuration",
        )?;
        refuse(
            !filled(field, "value"),
            "missing value in Slack field configuration",
        )?;
    }
    for action in maps(c, "actions") {
        if let Some(confirm) = action.get("confirm").and_then(Yaml::as_map) {
            refuse(
                !filled(confirm, "text"),
                "missing text in Slack confirmation configuration",
            )?;
        }
        refuse(
            !filled(action, "type"),
            "missing type in Slack action configuration",
        )?;
        refuse(
            !filled(action, "text"),
            "missing text in Slack action configuration",
        )?;
        refuse(
            !filled(action, "url") && !filled(action, "name"),
            "missing name or url in Slack action configuration",
        )?;
    }
    at_most_one(c, "api_url")?;
    at_most_one(c, "app_token")?;
    refuse(
        inline_or_file(c, "api_url") && inline_or_file(c, "app_token"),
        "at most one of api_url/api_url_file & app_token/app_token_file must be configured",
    )?;
    // Without api_url Alertmanager's own check dereferences a nil URL; only a set one that
    // differs is a refusal it reports.
    refuse(
        filled(c, "update_message")
            && filled(c, "api_url")
            && text(c, "api_url") != SLACK_POST_MESSAGE_URL,
        "update_message can only be used with bot tokens. api_url must be set to https://slack.com/api/chat.postMessage",
    )
}

fn wechat_checks(c: &Map) -> Result<(), String> {
    let message_type = text(c, "message_type");
    if !matches!(message_type, "" | "text" | "markdown") {
        return Err(format!(
            "weChat message type {message_type:?} does not match valid options ^(text|markdown)$"
        ));
    }
    at_most_one(c, "api_secret")
}

fn opsgenie_checks(c: &Map) -> Result<(), String> {
    at_most_one(c, "api_key")?;
    for r in maps(c, "responders") {
        // Go prints the responder struct with `%v`: its fields in declaration order.
        let shown = format!(
            "{{{} {} {} {}}}",
            text(r, "id"),
            text(r, "name"),
            text(r, "username"),
            text(r, "type")
        );
        refuse(
            !["id", "username", "name"].iter().any(|k| filled(r, k)),
            &format!(
                "opsGenieConfig responder {shown} has to have at least one of id, username or name specified"
            ),
        )?;
        let kind = text(r, "type");
        if kind.contains("{{") {
            super::template::check(kind).map_err(|e| {
                format!(
                    "opsGenieConfig responder {shown} type contains invalid template syntax: {e}"
                )
            })?;
        } else {
            refuse(
                !matches!(
                    kind.to_lowercase().as_str(),
                    "team" | "teams" | "user" | "escalation" | "schedule"
                ),
                &format!(
                    "opsGenieConfig responder {shown} type does not match valid options ^(team|teams|user|escalation|schedule)$"
                ),
            )?;
        }
    }
    Ok(())
}

fn victorops_checks(c: &Map) -> Result<(), String> {
    refuse(
        !filled(c, "routing_key"),
        "missing Routing key in VictorOps config",
    )?;
    at_most_one(c, "api_key")?;
    let empty = Map::new();
    let custom = c
        .get("custom_fields")
        .and_then(Yaml::as_map)
        .unwrap_or(&empty);
    match super::validation::VICTOROPS_RESERVED_FIELDS
        .iter()
        .find(|f| custom.contains_key(f))
    {
        Some(field) => Err(format!(
            "victorOps config contains custom field {field} which cannot be used as it conflicts with the fixed/static fields"
        )),
        None => Ok(()),
    }
}

fn pushover_checks(c: &Map) -> Result<(), String> {
    one_of(c, "user_key")?;
    at_most_one(c, "user_key")?;
    one_of(c, "token")?;
    at_most_one(c, "token")?;
    refuse(
        filled(c, "html") && filled(c, "monospace"),
        "at most one of monospace & html must be configured",
    )
}

fn sns_checks(c: &Map) -> Result<(), String> {
    // Alertmanager compares the three emptiness flags with `!=` twice: it refuses an odd
    // number of empty destinations (none set, two set), not "exactly one".
    let empty = ["target_arn", "topic_arn", "phone_number"]
        .iter()
        .filter(|k| !filled(c, k))
        .count();
    refuse(
        empty % 2 == 1,
        "must provide either a Target ARN, Topic ARN, or Phone Number for SNS config",
    )
}

fn telegram_checks(c: &Map) -> Result<(), String> {
    at_most_one(c, "bot_token")?;
    refuse(
        !filled(c, "chat_id") && !filled(c, "chat_id_file"),
        "missing chat_id or chat_id_file on telegram_config",
    )?;
    at_most_one(c, "chat_id")?;
    refuse(
        !matches!(
            text(c, "parse_mode"),
            "" | "Markdown" | "MarkdownV2" | "HTML"
        ),
        "unknown parse_mode on telegram_config, must be Markdown, MarkdownV2, HTML or empty string",
    )
}

fn webex_checks(c: &Map) -> Result<(), String> {
    refuse(!filled(c, "room_id"), "missing room_id on webex_config")?;
    let authorized = c
        .get("http_config")
        .and_then(Yaml::as_map)
        .is_some_and(|hc| hc.contains_key("authorization"));
    refuse(
        !authorized,
        "missing webex_configs.http_config.authorization",
    )
}

fn jira_checks(c: &Map) -> Result<(), String> {
    refuse(!filled(c, "project"), "missing project in jira_config")?;
    refuse(
        !filled(c, "issue_type"),
        "missing issue_type in jira_config",
    )?;
    // Unset, api_type keeps Alertmanager's default, `auto`.
    refuse(
        !matches!(text(c, "api_type"), "" | "auto" | "cloud" | "datacenter"),
        "unknown api_type on jira_config, must be auto, cloud or datacenter",
    )
}

fn rocketchat_checks(c: &Map) -> Result<(), String> {
    at_most_one(c, "token")?;
    at_most_one(c, "token_id")
}

fn mattermost_checks(c: &Map) -> Result<(), String> {
    let attachment_fields = maps(c, "attachments").flat_map(|a| maps(a, "fields"));
    for field in maps(c, "fields").chain(attachment_fields) {
        refuse(
            !filled(field, "title"),
            "missing title in Mattermost field configuration",
        )?;
        refuse(
            !filled(field, "value"),
            "missing value in Mattermost field configuration",
        )?;
    }
    at_most_one(c, "webhook_url")
}

fn incidentio_checks(c: &Map) -> Result<(), String> {
    one_of(c, "url")?;
    at_most_one(c, "url")?;
    at_most_one(c, "alert_source_token")?;
    let http = c.get("http_config").and_then(Yaml::as_map);
    let authorized = http.is_some_and(|hc| hc.contains_key("authorization"));
    let token = inline_or_file(c, "alert_source_token");
    refuse(
        authorized && token,
        "cannot specify alert_source_token or alert_source_token_file when using http_config.authorization",
    )?;
    refuse(
        http.is_some() && !authorized && !token,
        "at least one of alert_source_token, alert_source_token_file or http_config.authorization must be configured",
    )
}

/// prometheus/common's `HTTPClientConfig.Validate`, after the nested TLS and OAuth 2.0
/// settings have been read (and checked) with it.
fn check_http_config(hc: &Map) -> Result<(), String> {
    if let Some(tls) = hc.get("tls_config").and_then(Yaml::as_map) {
        check_tls_config(tls)?;
    }
    let oauth2 = hc.get("oauth2").and_then(Yaml::as_map);
    if let Some(o) = oauth2 {
        if let Some(tls) = o.get("tls_config").and_then(Yaml::as_map) {
            check_tls_config(tls)?;
        }
        check_proxy(o)?;
    }
    let bearer = filled(hc, "bearer_token") || filled(hc, "bearer_token_file");
    let basic_auth = hc.get("basic_auth").and_then(Yaml::as_map);
    let (basic, authorization) = (basic_auth.is_some(), hc.get("authorization"));
    at_most_one(hc, "bearer_token")?;
    refuse(
        (basic || oauth2.is_some()) && bearer,
        "at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured",
    )?;
    if let Some(b) = basic_auth {
        refuse(
            filled(b, "password") && filled(b, "password_file"),
            "at most one of basic_auth password, password_file & password_ref must be configured",
        )?;
    }
    let exclusive = "at most one of basic_auth, oauth2 & authorization must be configured";
    if let Some(a) = authorization {
        let empty = Map::new();
        let a = a.as_map().unwrap_or(&empty);
        refuse(
            bearer,
            "authorization is not compatible with bearer_token & bearer_token_file",
        )?;
        refuse(
            filled(a, "credentials") && filled(a, "credentials_file"),
            "at most one of authorization credentials & credentials_file must be configured",
        )?;
        refuse(
            text(a, "type").trim().eq_ignore_ascii_case("basic"),
            r#"authorization type cannot be set to "basic", use "basic_auth" instead"#,
        )?;
        refuse(basic || oauth2.is_some(), exclusive)?;
    }
    if let Some(o) = oauth2 {
        refuse(basic, exclusive)?;
        refuse(
            !filled(o, "client_id"),
            "oauth2 client_id must be configured",
        )?;
        refuse(
            !filled(o, "token_url"),
            "oauth2 token_url must be configured",
        )?;
        refuse(
            filled(o, "client_secret") && filled(o, "client_secret_file"),
            "at most one of oauth2 client_secret, client_secret_file & client_secret_ref must be configured using grant-type=client_credentials",
        )?;
    }
    check_proxy(hc)
}

/// prometheus/common's `ProxyConfig.Validate`.
fn check_proxy(c: &Map) -> Result<(), String> {
    let from_environment = filled(c, "proxy_from_environment");
    let (proxy_url, no_proxy) = (filled(c, "proxy_url"), filled(c, "no_proxy"));
    refuse(
        filled(c, "proxy_connect_header") && !from_environment && !proxy_url,
        "if proxy_connect_header is configured, proxy_url or proxy_from_environment must also be configured",
    )?;
    refuse(
        from_environment && proxy_url,
        "if proxy_from_environment is configured, proxy_url must not be configured",
    )?;
    refuse(
        from_environment && no_proxy,
        "if proxy_from_environment is configured, no_proxy must not be configured",
    )?;
    refuse(
        !proxy_url && no_proxy,
        "if no_proxy is configured, proxy_url must also be configured",
    )
}

/// prometheus/common's `TLSConfig.Validate`, for the file settings the operator's structs
/// carry.
fn check_tls_config(tls: &Map) -> Result<(), String> {
    let (cert, key) = (filled(tls, "cert_file"), filled(tls, "key_file"));
    refuse(
        cert && !key,
        "exactly one of key or key_file must be configured when a client certificate is configured",
    )?;
    refuse(
        key && !cert,
        "exactly one of cert or cert_file must be configured when a client key is configured",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_value_alertmanager_refuses_is_not_quoted() {
        let error = load_base(
            "global: {slack_api_url: 'htt p://x/TOKEN'}\nroute: {receiver: d}\nreceivers: [{name: d}]",
        )
        .unwrap_err()
        .to_string();
        assert!(!error.contains("TOKEN"), "{error}");
        assert!(
            error.contains("global.slack_api_url: parse \"<secret>\""),
            "{error}"
        );
    }

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
    fn utf8_matcher_names_load_only_outside_classic_mode() {
        let text = "route:\n  receiver: d\n  routes:\n  - receiver: d\n    matchers: ['app.kubernetes.io/name=\"x\"']\nreceivers: [{name: d}]";
        assert_eq!(
            load_base(text).unwrap_err().to_string(),
            "bad matcher format: app.kubernetes.io/name=\"x\""
        );
        assert!(load_base_in_mode(text, ParseMode::Fallback).is_ok());
    }

    #[test]
    fn a_copied_file_is_judged_past_its_unknown_keys() {
        let text = "route:\n  receiver: d\n  routes:\n  - receiver: d\n    matchers: ['app.kubernetes.io/name=\"x\"']\n\
                    receivers: [{name: d, discord_configs: [{webhook_url_file: /f}]}]";
        let v = |text: &str| Version::parse(text).unwrap();
        let old = judge_copied_base(text, &v("v0.26.0"), ParseMode::Classic);
        let [DecodeError::UnknownField { key, .. }] = old.unknown_fields.as_slice() else {
            panic!("{old:?}")
        };
        assert_eq!(key, "webhook_url_file");
        assert_eq!(
            old.refusal.map(|e| e.to_string()).as_deref(),
            Some("bad matcher format: app.kubernetes.io/name=\"x\"")
        );
        let new = judge_copied_base(text, &v("v0.33.1"), ParseMode::Fallback);
        assert_eq!((new.unknown_fields.len(), new.refusal), (1, None));
        // An `equal` name is judged as the version reads it (`model.LabelNames` before 0.28).
        let equal = "route: {receiver: d}\nreceivers: [{name: d}]\n\
                     inhibit_rules: [{source_matchers: [a=b], equal: [service.name]}]";
        for (version, mode, refused) in [
            (
                "v0.26.0",
                ParseMode::Classic,
                Some("\"service.name\" is not a valid label name"),
            ),
            (
                "v0.27.0",
                ParseMode::Fallback,
                Some("\"service.name\" is not a valid label name"),
            ),
            ("v0.28.0", ParseMode::Fallback, None),
            (
                "v0.28.0",
                ParseMode::Classic,
                Some("invalid label name \"service.name\" in equal list"),
            ),
        ] {
            let judged = judge_copied_base(equal, &v(version), mode);
            assert_eq!(
                judged.refusal.map(|e| e.to_string()).as_deref(),
                refused,
                "{version} {mode:?}"
            );
        }
    }

    /// The message `load_base` refuses `text` with.
    fn refusal(text: &str) -> String {
        load_base(text).unwrap_err().to_string()
    }

    /// A file whose single receiver `r` has `integration` set to `config`.
    fn with_integration(integration: &str, config: &str) -> String {
        refusal(&format!(
            "route: {{receiver: r}}\nreceivers: [{{name: r, {integration}: [{config}]}}]"
        ))
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
                "one of webhook_url or webhook_url_file must be configured"
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

    #[test]
    fn route_checks_are_alertmanager_s() {
        for (route, message) in [
            (
                "{receiver: r, repeat_interval: 0s}",
                "repeat_interval cannot be zero",
            ),
            (
                "{receiver: r, routes: [{group_interval: 0s}]}",
                "group_interval cannot be zero",
            ),
            (
                "{receiver: r, group_by: [a, a]}",
                r#"duplicated label "a" in group_by"#,
            ),
            (
                "{receiver: r, group_by: ['...', a]}",
                "cannot have wildcard group_by (`...`) and other labels at the same time",
            ),
            (
                "{receiver: r, group_by: [a-b]}",
                r#"invalid label name "a-b" in group_by list"#,
            ),
            (
                "{receiver: r, routes: [{match: {a-b: x}}]}",
                r#"invalid label name "a-b""#,
            ),
            (
                "{receiver: r, routes: [{match_re: {a-b: x}}]}",
                r#"invalid label name "a-b""#,
            ),
            (
                "{receiver: r, routes: [{group_wait: 5x}]}",
                r#"route.routes[0].group_wait: not a valid duration string: "5x""#,
            ),
            (
                "{receiver: r, continue: true}",
                "cannot have continue in root route",
            ),
        ] {
            assert_eq!(
                refusal(&format!("route: {route}\nreceivers: [{{name: r}}]")),
                message,
                "{route}"
            );
        }
        assert!(
            refusal(
                "route: {receiver: r, routes: [{matchers: ['a=~\"(\"']}]}\nreceivers: [{name: r}]"
            )
            .starts_with("error parsing regexp: ")
        );
        assert_eq!(refusal(""), "no route provided in config");
    }

    #[test]
    fn label_names_are_classic() {
        let otel = "receivers: [{name: r}]\nroute:\n  receiver: r";
        assert_eq!(
            refusal(&format!(
                "{otel}\n  routes: [{{matchers: ['\"service.name\"=\"checkout\"']}}]"
            )),
            r#"bad matcher format: "service.name"="checkout""#
        );
        assert_eq!(
            refusal(&format!("{otel}\n  group_by: [service.name]")),
            r#"invalid label name "service.name" in group_by list"#
        );
        assert_eq!(
            refusal(&format!(
                "{otel}\ninhibit_rules: [{{source_matchers: [a=b], equal: [service.name]}}]"
            )),
            r#"invalid label name "service.name" in equal list"#
        );
        assert_eq!(
            refusal("route: {receiver: r}\nreceivers: [{name: r}, {name: ''}]"),
            "missing name in receiver"
        );
    }

    #[test]
    fn decoder_refusals_come_before_whole_file_checks() {
        // An undefined receiver is checked after the integrations, a malformed route before.
        assert_eq!(
            refusal("route: {receiver: nope}\nreceivers: [{name: r, email_configs: [{to: a@b}]}]"),
            "no global SMTP smarthost set"
        );
        assert_eq!(
            refusal(
                "route: {receiver: nope, group_by: [a, a]}\nreceivers: [{name: r, email_configs: [{to: a@b}]}]"
            ),
            r#"duplicated label "a" in group_by"#
        );
        assert_eq!(
            refusal("route: {receiver: nope}\nreceivers: [{name: r, webhook_configs: [{}]}]"),
            "one of url or url_file must be configured"
        );
    }

    #[test]
    fn integration_settings_are_checked() {
        for (integration, config, message) in [
            (
                "email_configs",
                "{from: a@b, smarthost: 'a:25'}",
                "missing to address in email config",
            ),
            (
                "email_configs",
                "{to: a@b, threading: {enabled: true, thread_by_date: weekly}}",
                "threading.thread_by_date must be either 'none' or 'daily'",
            ),
            (
                "email_configs",
                "{to: a@b, headers: {references: x}, threading: {enabled: true}}",
                "conflicting configuration: threading.enabled conflicts with custom References header",
            ),
            (
                "pagerduty_configs",
                "{url: 'http://x'}",
                "missing service or routing key in PagerDuty config",
            ),
            (
                "pagerduty_configs",
                "{routing_key: k, routing_key_file: /f}",
                "at most one of routing_key & routing_key_file must be configured",
            ),
            (
                "victorops_configs",
                "{api_key: k}",
                "missing Routing key in VictorOps config",
            ),
            (
                "victorops_configs",
                "{api_key: k, routing_key: r, custom_fields: {entity_state: x}}",
                "victorOps config contains custom field entity_state which cannot be used as it conflicts with the fixed/static fields",
            ),
            (
                "sns_configs",
                "{sigv4: {region: x}}",
                "must provide either a Target ARN, Topic ARN, or Phone Number for SNS config",
            ),
            (
                "sns_configs",
                "{topic_arn: a, phone_number: p}",
                "must provide either a Target ARN, Topic ARN, or Phone Number for SNS config",
            ),
            (
                "pushover_configs",
                "{token: t}",
                "one of user_key or user_key_file must be configured",
            ),
            (
                "pushover_configs",
                "{user_key: u}",
                "one of token or token_file must be configured",
            ),
            (
                "pushover_configs",
                "{user_key: u, token: t, html: true, monospace: true}",
                "at most one of monospace & html must be configured",
            ),
            (
                "telegram_configs",
                "{bot_token: t}",
                "missing chat_id or chat_id_file on telegram_config",
            ),
            (
                "telegram_configs",
                "{bot_token: t, chat_id: 1, parse_mode: md}",
                "unknown parse_mode on telegram_config, must be Markdown, MarkdownV2, HTML or empty string",
            ),
            (
                "webhook_configs",
                "{url: 'http://x', url_file: /f}",
                "at most one of url & url_file must be configured",
            ),
            (
                "webex_configs",
                "{api_url: 'http://x'}",
                "missing room_id on webex_config",
            ),
            (
                "webex_configs",
                "{room_id: x}",
                "missing webex_configs.http_config.authorization",
            ),
            (
                "jira_configs",
                "{issue_type: Bug}",
                "missing project in jira_config",
            ),
            (
                "jira_configs",
                "{project: P}",
                "missing issue_type in jira_config",
            ),
            (
                "jira_configs",
                "{project: P, issue_type: Bug, api_type: server}",
                "unknown api_type on jira_config, must be auto, cloud or datacenter",
            ),
            (
                "wechat_configs",
                "{api_secret: s, corp_id: c, message_type: html}",
                r#"weChat message type "html" does not match valid options ^(text|markdown)$"#,
            ),
            (
                "opsgenie_configs",
                "{api_key: k, responders: [{type: team}]}",
                "opsGenieConfig responder {   team} has to have at least one of id, username or name specified",
            ),
            (
                "opsgenie_configs",
                "{api_key: k, responders: [{name: nm, type: group}]}",
                "opsGenieConfig responder { nm  group} type does not match valid options ^(team|teams|user|escalation|schedule)$",
            ),
            (
                "slack_configs",
                "{api_url: 'http://x', actions: [{type: button, text: t}]}",
                "missing name or url in Slack action configuration",
            ),
            (
                "slack_configs",
                "{api_url: 'http://x', fields: [{title: t}]}",
                "missing value in Slack field configuration",
            ),
            (
                "slack_configs",
                "{api_url: 'http://x', app_token: t}",
                "at most one of api_url/api_url_file & app_token/app_token_file must be configured",
            ),
            (
                "rocketchat_configs",
                "{token: t, token_file: /f}",
                "at most one of token & token_file must be configured",
            ),
            (
                "mattermost_configs",
                "{webhook_url: 'http://x', attachments: [{fields: [{value: v}]}]}",
                "missing title in Mattermost field configuration",
            ),
            (
                "incidentio_configs",
                "{alert_source_token: t}",
                "one of url or url_file must be configured",
            ),
            (
                "incidentio_configs",
                "{url: 'http://x', http_config: {}}",
                "at least one of alert_source_token, alert_source_token_file or http_config.authorization must be configured",
            ),
        ] {
            assert_eq!(
                with_integration(integration, config),
                message,
                "{integration}: {config}"
            );
        }
        let ok = "route: {receiver: r}\nreceivers: [{name: r, sns_configs: [{topic_arn: a}], telegram_configs: [{bot_token: t, chat_id: 1}]}]";
        assert!(load_base(ok).is_ok());
    }

    #[test]
    fn http_client_settings_are_checked() {
        for (http_config, message) in [
            (
                "{bearer_token: a, basic_auth: {username: u}}",
                "at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured",
            ),
            (
                "{bearer_token: a, bearer_token_file: /f}",
                "at most one of bearer_token & bearer_token_file must be configured",
            ),
            (
                "{authorization: {credentials: c}, bearer_token: a}",
                "authorization is not compatible with bearer_token & bearer_token_file",
            ),
            (
                "{authorization: {type: ' Basic '}}",
                r#"authorization type cannot be set to "basic", use "basic_auth" instead"#,
            ),
            (
                "{authorization: {credentials: c}, basic_auth: {username: u}}",
                "at most one of basic_auth, oauth2 & authorization must be configured",
            ),
            (
                "{oauth2: {client_id: i, token_url: 'http://t'}, basic_auth: {username: u}}",
                "at most one of basic_auth, oauth2 & authorization must be configured",
            ),
            (
                "{oauth2: {client_id: i}}",
                "oauth2 token_url must be configured",
            ),
            (
                "{basic_auth: {password: p, password_file: /f}}",
                "at most one of basic_auth password, password_file & password_ref must be configured",
            ),
            (
                "{no_proxy: localhost}",
                "if no_proxy is configured, proxy_url must also be configured",
            ),
            (
                "{proxy_from_environment: true, proxy_url: 'http://p'}",
                "if proxy_from_environment is configured, proxy_url must not be configured",
            ),
            (
                "{tls_config: {cert_file: /c}}",
                "exactly one of key or key_file must be configured when a client certificate is configured",
            ),
        ] {
            assert_eq!(
                with_integration(
                    "webhook_configs",
                    &format!("{{url: 'http://x', http_config: {http_config}}}")
                ),
                message,
                "{http_config}"
            );
            assert_eq!(
                refusal(&format!(
                    "global: {{http_config: {http_config}}}\nroute: {{receiver: r}}\nreceivers: [{{name: r}}]"
                )),
                message,
                "global {http_config}"
            );
        }
    }

    #[test]
    fn duplicate_keys_are_refused() {
        assert_eq!(
            refusal("route: {receiver: r}\nroute: {receiver: r}\nreceivers: [{name: r}]"),
            "yaml: unmarshal errors:\n  field route already set in type alertmanager.alertmanagerConfig"
        );
    }
}

//! Semantic validation of an AlertmanagerConfig, whatever the Alertmanager version (upstream
//! `pkg/alertmanager/validation/v1alpha1` and `v1beta1` `ValidateAlertmanagerConfig`, with the
//! `Validate` methods of the API types they call). The admission webhook runs exactly this; the
//! operator runs it first when selecting.
//!
//! Errors carry the operator's message (wrapped as upstream wraps it) and the JSON path of the
//! offending field.

use std::collections::BTreeSet;

use super::timeinterval::{self, cr};
use super::url::{validate_template_url, validate_url};
use crate::monitoring::v1alpha1::alertmanager_config::{
    AlertmanagerConfigSpec, ApiVersion, HTTPConfig, Matcher, MuteTimeInterval, Receiver, Route,
};
use crate::validate::{
    Check, Violation, validate_authorization, validate_oauth2, validate_proxy, validate_safe_tls,
};

/// Deepest nesting of an AlertmanagerConfig's child routes followed.
pub const MAX_CONFIG_ROUTE_DEPTH: usize = 64;

pub(super) type Checked = Result<(), Violation>;

/// A malformed or missing field (most of what these checks find).
pub(super) fn invalid(field: impl Into<String>, message: impl Into<String>) -> Violation {
    Violation::new(Check::Field, field, message)
}

/// VictorOps fields a receiver sets itself, which custom fields may not name.
pub(super) const VICTOROPS_RESERVED_FIELDS: [&str; 7] = [
    "routing_key",
    "message_type",
    "state_message",
    "entity_display_name",
    "monitoring_tool",
    "entity_id",
    "entity_state",
];

/// Prefixes a violation's message the way Go's `fmt.Errorf("...: %w", err)` does.
fn wrap(prefix: String) -> impl FnOnce(Violation) -> Violation {
    move |v| v.wrapped(&prefix)
}

/// `ValidateAlertmanagerConfig`.
pub fn validate(spec: &AlertmanagerConfigSpec, api: ApiVersion) -> Checked {
    let receivers = receivers(&spec.receivers)?;
    let intervals = time_intervals(&spec.mute_time_intervals, api)?;
    if let Some(route) = &spec.route {
        self::route(route, &receivers, &intervals, true, "spec.route", api, 0)?;
    }
    Ok(())
}

fn receivers(receivers: &[Receiver]) -> Result<BTreeSet<String>, Violation> {
    let mut names = BTreeSet::new();
    for (i, r) in receivers.iter().enumerate() {
        let at = format!("spec.receivers[{i}]");
        if !names.insert(r.name.clone()) {
            return Err(invalid(
                format!("{at}.name"),
                format!("{:?} receiver is not unique", r.name),
            ));
        }
        receiver(r, &at).map_err(wrap(format!("failed to validate receiver {:?}", r.name)))?;
    }
    Ok(names)
}

/// Runs `check` on each config of a list; errors read `'<key>'[i]: ...`.
fn each<T>(items: &[T], key: &str, at: &str, check: impl Fn(&T, &str) -> Checked) -> Checked {
    for (i, item) in items.iter().enumerate() {
        check(item, &format!("{at}.{key}[{i}]")).map_err(wrap(format!("'{key}'[{i}]")))?;
    }
    Ok(())
}

/// The URL field `name` under `at`, when set, as the operator's `ValidateURL` checks it.
fn url_field(value: Option<&str>, at: &str, name: &str) -> Checked {
    checked_url(value, &format!("{at}.{name}"), name, validate_url)
}

/// The URL field `name` under `at`, when set, as the operator's `ValidateTemplateURL` checks it.
fn template_url_field(value: Option<&str>, at: &str, name: &str) -> Checked {
    checked_url(value, &format!("{at}.{name}"), name, validate_template_url)
}

/// `value` (at `field`), when set, checked with `check`; errors say `invalid '<name>'`.
fn checked_url(
    value: Option<&str>,
    field: &str,
    name: &str,
    check: fn(&str) -> Result<(), String>,
) -> Checked {
    match value {
        Some(v) if !v.is_empty() => {
            check(v).map_err(|e| invalid(field, format!("invalid '{name}': {e}")))
        }
        _ => Ok(()),
    }
}

fn http(hc: Option<&HTTPConfig>, at: &str) -> Checked {
    http_config(hc, &format!("{at}.httpConfig")).map_err(wrap("'httpConfig'".to_owned()))
}

fn receiver(r: &Receiver, at: &str) -> Checked {
    each(&r.opsgenie_configs, "opsgenieConfigs", at, |c, at| {
        for (j, responder) in c.responders.iter().enumerate() {
            let field = format!("{at}.responders[{j}]");
            let blank = |v: &Option<String>| v.as_deref().unwrap_or("").is_empty();
            if blank(&responder.id) && blank(&responder.name) && blank(&responder.username) {
                return Err(invalid(
                    field,
                    "responder must have at least an ID, a Name or an Username defined",
                ));
            }
            let kind = &responder.type_;
            if kind.contains("{{") {
                super::template::check(kind).map_err(|e| {
                    invalid(
                        format!("{field}.type"),
                        format!("responder type is not a valid template: {e}"),
                    )
                })?;
            } else if !matches!(
                kind.to_lowercase().as_str(),
                "team" | "teams" | "user" | "escalation" | "schedule"
            ) {
                return Err(Violation::new(
                    Check::Field,
                    format!("{field}.type"),
                    format!(
                        "opsGenieConfig responder type {kind:?} does not match valid options ^(team|teams|user|escalation|schedule)$"
                    ),
                ));
            }
        }
        url_field(c.api_url.as_deref(), at, "apiURL")?;
        http(c.http_config.as_ref(), at)
    })?;
    each(&r.pagerduty_configs, "pagerdutyConfigs", at, |c, at| {
        url_field(c.url.as_deref(), at, "url")?;
        template_url_field(c.client_url.as_deref(), at, "clientURL")?;
        if c.routing_key.is_none() && c.service_key.is_none() {
            return Err(invalid(
                at,
                "one of 'routingKey' or 'serviceKey' is required",
            ));
        }
        for (j, link) in c.pager_duty_link_configs.iter().enumerate() {
            template_url_field(
                link.href.as_deref(),
                &format!("{at}.pagerDutyLinkConfigs[{j}]"),
                "href",
            )
            .map_err(wrap(format!("'pagerDutyLinkConfigs'[{j}]")))?;
        }
        for (j, image) in c.pager_duty_image_configs.iter().enumerate() {
            template_url_field(
                image.href.as_deref(),
                &format!("{at}.pagerDutyImageConfigs[{j}]"),
                "href",
            )
            .map_err(wrap(format!("'pagerDutyImageConfigs'[{j}]")))?;
        }
        http(c.http_config.as_ref(), at)
    })?;
    each(&r.discord_configs, "discordConfigs", at, |c, at| {
        http(c.http_config.as_ref(), at)
    })?;
    each(&r.slack_configs, "slackConfigs", at, |c, at| {
        for (j, action) in c.actions.iter().enumerate() {
            let field = format!("{at}.actions[{j}]");
            let missing = if action.type_.is_empty() {
                Some("missing 'type' in Slack action configuration")
            } else if action.text.is_empty() {
                Some("missing 'text' in Slack action configuration")
            } else if action.url.as_deref().unwrap_or("").is_empty()
                && action.name.as_deref().unwrap_or("").is_empty()
            {
                Some("missing 'name' or 'url' in Slack action configuration")
            } else if action.confirm.as_ref().is_some_and(|c| c.text.is_empty()) {
                Some("missing 'text' in Slack confirmation configuration")
            } else {
                None
            };
            if let Some(message) = missing {
                return Err(invalid(field, message));
            }
        }
        for (j, f) in c.fields.iter().enumerate() {
            let field = format!("{at}.fields[{j}]");
            if f.title.is_empty() {
                return Err(invalid(
                    field,
                    "missing 'title' in Slack field configuration",
                ));
            }
            if f.value.is_empty() {
                return Err(invalid(
                    field,
                    "missing 'value' in Slack field configuration",
                ));
            }
        }
        http(c.http_config.as_ref(), at)
    })?;
    each(&r.webhook_configs, "webhookConfigs", at, |c, at| {
        if c.url.is_none() && c.url_secret.is_none() {
            return Err(invalid(at, "one of 'url' or 'urlSecret' must be specified"));
        }
        template_url_field(c.url.as_deref(), at, "url")?;
        http(c.http_config.as_ref(), at)
    })?;
    each(&r.wechat_configs, "wechatConfigs", at, |c, at| {
        url_field(c.api_url.as_deref(), at, "apiURL")?;
        http(c.http_config.as_ref(), at)
    })?;
    each(&r.email_configs, "emailConfigs", at, |c, at| {
        if c.to.as_deref().unwrap_or("").is_empty() {
            return Err(invalid(format!("{at}.to"), "missing 'to' address"));
        }
        if let Some(host) = c.smarthost.as_deref().filter(|h| !h.is_empty()) {
            super::url::split_host_port(host).map_err(|e| {
                invalid(
                    format!("{at}.smarthost"),
                    format!("invalid 'smarthost' {host:?}: {e}"),
                )
            })?;
        }
        let mut seen = BTreeSet::new();
        for (j, h) in c.headers.iter().enumerate() {
            let normalized = h.key.to_lowercase();
            if !seen.insert(normalized.clone()) {
                return Err(invalid(
                    format!("{at}.headers[{j}]"),
                    format!("duplicate header {normalized:?}"),
                ));
            }
        }
        Ok(())
    })?;
    each(&r.victorops_configs, "victoropsConfigs", at, |c, at| {
        for (j, f) in c.custom_fields.iter().enumerate() {
            if VICTOROPS_RESERVED_FIELDS.contains(&f.key.as_str()) {
                return Err(Violation::new(
                    Check::Field,
                    format!("{at}.customFields[{j}]"),
                    format!(
                        "usage of reserved word {:?} is not allowed in custom fields",
                        f.key
                    ),
                ));
            }
        }
        if c.routing_key.is_empty() {
            return Err(invalid(
                format!("{at}.routingKey"),
                "missing 'routingKey' key",
            ));
        }
        // The field path spells it `apiUrl` here.
        checked_url(
            c.api_url.as_deref(),
            &format!("{at}.apiUrl"),
            "apiURL",
            validate_url,
        )?;
        http(c.http_config.as_ref(), at)
    })?;
    each(&r.pushover_configs, "pushoverConfigs", at, |c, at| {
        if c.user_key.is_none() && c.user_key_file.is_none() {
            return Err(invalid(
                at,
                "one of 'userKey' or 'userKeyFile' must be configured",
            ));
        }
        if c.token.is_none() && c.token_file.is_none() {
            return Err(invalid(
                at,
                "one of 'token' or 'tokenFile' must be configured",
            ));
        }
        if c.html == Some(true) && c.monospace == Some(true) {
            return Err(invalid(
                at,
                "'html' and 'monospace' options are mutually exclusive",
            ));
        }
        template_url_field(c.url.as_deref(), at, "url")?;
        http(c.http_config.as_ref(), at)
    })?;
    each(&r.sns_configs, "snsConfigs", at, |c, at| {
        let empty = |v: &Option<String>| v.as_deref().unwrap_or("").is_empty();
        // Upstream chains `!=` over the three emptiness flags; reproduced as written.
        if (empty(&c.target_arn) != empty(&c.topic_arn)) != empty(&c.phone_number) {
            return Err(invalid(
                at,
                "must provide one of 'targetARN', 'topicARN', or 'phoneNumber'",
            ));
        }
        if let Some(url) = &c.api_url {
            validate_template_url(url)
                .map_err(|e| invalid(format!("{at}.apiURL"), format!("invalid 'apiURL': {e}")))?;
        }
        http(c.http_config.as_ref(), at)
    })?;
    each(&r.telegram_configs, "telegramConfigs", at, |c, at| {
        if c.bot_token.is_none() && c.bot_token_file.is_none() {
            return Err(invalid(
                at,
                "mandatory field botToken or botTokenfile is empty",
            ));
        }
        if c.bot_token.is_some() && c.bot_token_file.is_some() {
            return Err(invalid(
                at,
                "only one of 'botToken' or 'botTokenfile' must be configured",
            ));
        }
        if c.chat_id.unwrap_or(0) == 0 {
            return Err(invalid(
                format!("{at}.chatID"),
                "mandatory field 'chatID' is empty",
            ));
        }
        url_field(c.api_url.as_deref(), at, "apiURL")?;
        http(c.http_config.as_ref(), at)
    })?;
    each(&r.webex_configs, "webexConfigs", at, |c, at| {
        url_field(c.api_url.as_deref(), at, "apiURL")?;
        http(c.http_config.as_ref(), at)
    })?;
    each(&r.msteams_configs, "msteamsConfigs", at, |c, at| {
        http(c.http_config.as_ref(), at)
    })?;
    each(&r.msteamsv2_configs, "msteamsv2Configs", at, |c, at| {
        http(c.http_config.as_ref(), at)
    })?;
    each(&r.rocketchat_configs, "rocketchatConfigs", at, |c, at| {
        url_field(c.api_url.as_deref(), at, "apiURL")?;
        template_url_field(c.icon_url.as_deref(), at, "iconURL")?;
        template_url_field(c.image_url.as_deref(), at, "imageURL")?;
        template_url_field(c.thumb_url.as_deref(), at, "thumbURL")?;
        for (j, action) in c.actions.iter().enumerate() {
            template_url_field(action.url.as_deref(), &format!("{at}.actions[{j}]"), "url")
                .map_err(wrap(format!("'actions'[{j}]")))?;
        }
        http(c.http_config.as_ref(), at)
    })
}

/// `HTTPConfig.Validate` (v1alpha1).
pub fn http_config(hc: Option<&HTTPConfig>, at: &str) -> Checked {
    let Some(hc) = hc else { return Ok(()) };
    let auth = |m: &str| Err(Violation::new(Check::Authentication, at, m));
    if (hc.basic_auth.is_some() || hc.oauth2.is_some()) && hc.bearer_token_secret.is_some() {
        return auth(
            "at most one of 'basicAuth', 'oauth2' and 'bearerTokenSecret' must be configured",
        );
    }
    if let Some(a) = &hc.authorization {
        if hc.bearer_token_secret.is_some() {
            return auth("'authorization' is not compatible with 'bearerTokenSecret'");
        }
        if hc.basic_auth.is_some() || hc.oauth2.is_some() {
            return auth(
                "at most one of 'basicAuth', 'oauth2' and 'authorization' must be configured",
            );
        }
        validate_authorization(a, &format!("{at}.authorization"))?;
    }
    if let Some(o) = &hc.oauth2 {
        if hc.basic_auth.is_some() {
            return auth(
                "at most one of 'basicAuth', 'oauth2' and 'authorization' must be configured",
            );
        }
        validate_oauth2(o, &format!("{at}.oauth2"))?;
    }
    if let Some(tls) = &hc.tls_config {
        validate_safe_tls(tls, &format!("{at}.tlsConfig"))?;
    }
    validate_proxy(at, &hc.proxy_config())
}

fn time_intervals(
    intervals: &[MuteTimeInterval],
    api: ApiVersion,
) -> Result<BTreeSet<String>, Violation> {
    let (field, what) = match api {
        ApiVersion::V1alpha1 => ("muteTimeIntervals", "mute time interval"),
        ApiVersion::V1beta1 => ("timeIntervals", "time interval"),
    };
    let mut names = BTreeSet::new();
    for (i, mti) in intervals.iter().enumerate() {
        let at = format!("spec.{field}[{i}]");
        time_interval(mti, &at, api).map_err(wrap(format!("{what}[{i}] is invalid")))?;
        names.insert(mti.name.clone().unwrap_or_default());
    }
    Ok(names)
}

/// `MuteTimeInterval.Validate` (v1beta1: `TimeInterval.Validate`).
fn time_interval(mti: &MuteTimeInterval, at: &str, api: ApiVersion) -> Checked {
    if mti.name.as_deref().unwrap_or("").is_empty() {
        let message = match api {
            ApiVersion::V1alpha1 => "empty name field for mute time interval",
            ApiVersion::V1beta1 => "empty name field for time interval",
        };
        return Err(invalid(format!("{at}.name"), message));
    }
    for (i, ti) in mti.time_intervals.iter().enumerate() {
        let at = format!("{at}.timeIntervals[{i}]");
        let bad = |field: String, prefix: String| {
            move |e: String| invalid(field, format!("{prefix}: {e}"))
        };
        // Each range of a list field `key`, parsed with `parse`; errors name the `what` range.
        let ranges = |list: &[String], key: &str, parse: cr::Parser, what: &str| -> Checked {
            for (j, text) in list.iter().enumerate() {
                parse(text).map_err(bad(
                    format!("{at}.{key}[{j}]"),
                    format!("{what} range at {i} is invalid"),
                ))?;
            }
            Ok(())
        };
        for (j, t) in ti.times.iter().enumerate() {
            cr::time_range(
                t.start_time.as_deref().unwrap_or(""),
                t.end_time.as_deref().unwrap_or(""),
            )
            .map_err(bad(
                format!("{at}.times[{j}]"),
                format!("time range at {i} is invalid"),
            ))?;
        }
        ranges(&ti.weekdays, "weekdays", cr::weekday_range, "weekday")?;
        for (j, d) in ti.days_of_month.iter().enumerate() {
            let range = timeinterval::Range {
                start: d.start.unwrap_or(0),
                end: d.end.unwrap_or(0),
            };
            let prefix = match api {
                ApiVersion::V1alpha1 => {
                    format!("mute time interval is invalid - day of month range at {i} is invalid")
                }
                ApiVersion::V1beta1 => format!("day of month range at {i} is invalid"),
            };
            timeinterval::check_days_of_month(range)
                .map_err(bad(format!("{at}.daysOfMonth[{j}]"), prefix))?;
        }
        ranges(&ti.months, "months", cr::month_range, "month")?;
        ranges(&ti.years, "years", cr::year_range, "year")?;
    }
    Ok(())
}

/// `Matcher.Validate`.
pub fn matcher(m: &Matcher) -> Result<(), String> {
    let Some(kind) = m.match_type.as_deref().filter(|t| !t.is_empty()) else {
        return Ok(());
    };
    if !matches!(kind, "=" | "!=" | "=~" | "!~") {
        return Err(format!("invalid 'matchType' '{kind}' provided'"));
    }
    if m.name.trim().is_empty() {
        return Err("matcher 'name' is required".to_owned());
    }
    Ok(())
}

/// `Route.ChildRoutes`: decodes the child routes, refusing unknown fields.
pub fn child_routes(route: &Route) -> Result<Vec<Route>, String> {
    const KNOWN: [&str; 10] = [
        "receiver",
        "groupBy",
        "groupWait",
        "groupInterval",
        "repeatInterval",
        "matchers",
        "continue",
        "routes",
        "muteTimeIntervals",
        "activeTimeIntervals",
    ];
    route
        .routes
        .iter()
        .enumerate()
        .map(|(i, raw)| {
            if raw.is_null() {
                // Go decodes `null` into a zero Route.
                return Ok(Route::default());
            }
            let Some(object) = raw.as_object() else {
                return Err(format!(
                    "route[{i}]: json: cannot unmarshal {} into Go value of type v1alpha1.Route",
                    crate::go::json::type_name(raw)
                ));
            };
            if let Some(unknown) = object.keys().find(|k| !KNOWN.contains(&k.as_str())) {
                return Err(format!("route[{i}]: json: unknown field {unknown:?}"));
            }
            <Route as serde::Deserialize>::deserialize(raw).map_err(|e| format!("route[{i}]: {e}"))
        })
        .collect()
}

/// `validateRoute`.
fn route(
    r: &Route,
    receivers: &BTreeSet<String>,
    intervals: &BTreeSet<String>,
    top_level: bool,
    at: &str,
    api: ApiVersion,
    depth: usize,
) -> Checked {
    if depth > MAX_CONFIG_ROUTE_DEPTH {
        return Err(invalid(at, "routes nest too deep"));
    }
    if r.receiver.is_empty() {
        if top_level {
            return Err(invalid(
                format!("{at}.receiver"),
                "root route must define a receiver",
            ));
        }
    } else if !receivers.contains(&r.receiver) {
        return Err(invalid(
            format!("{at}.receiver"),
            format!("receiver {:?} not found", r.receiver),
        ));
    }
    let mut seen = BTreeSet::new();
    for g in &r.group_by {
        if !seen.insert(g.as_str()) {
            return Err(Violation::new(
                Check::Field,
                format!("{at}.groupBy"),
                format!(
                    "duplicate values not permitted in route 'groupBy': [{}]",
                    r.group_by.join(" ")
                ),
            ));
        }
    }
    if seen.contains("...") && r.group_by.len() > 1 {
        return Err(Violation::new(
            Check::Field,
            format!("{at}.groupBy"),
            format!(
                "'...' must be a sole value in route 'groupBy': [{}]",
                r.group_by.join(" ")
            ),
        ));
    }
    let mute_what = match api {
        ApiVersion::V1alpha1 => "mute time interval",
        ApiVersion::V1beta1 => "time interval",
    };
    for (key, what, names) in [
        ("muteTimeIntervals", mute_what, &r.mute_time_intervals),
        (
            "activeTimeIntervals",
            "time interval",
            &r.active_time_intervals,
        ),
    ] {
        if let Some(missing) = names.iter().find(|n| !intervals.contains(*n)) {
            return Err(invalid(
                format!("{at}.{key}"),
                format!("{what} {missing:?} not found"),
            ));
        }
    }
    for (i, m) in r.matchers.iter().enumerate() {
        matcher(m)
            .map_err(|e| invalid(format!("{at}.matchers[{i}]"), format!("matcher[{i}]: {e}")))?;
    }
    let children = child_routes(r).map_err(|e| invalid(format!("{at}.routes"), e))?;
    for (i, child) in children.iter().enumerate() {
        route(
            child,
            receivers,
            intervals,
            false,
            &format!("{at}.routes[{i}]"),
            api,
            depth + 1,
        )
        .map_err(wrap(format!("route[{i}]")))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(json: serde_json::Value) -> AlertmanagerConfigSpec {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn duplicate_receivers_and_missing_receivers() {
        let s = spec(serde_json::json!({"receivers": [{"name": "a"}, {"name": "a"}]}));
        let v = validate(&s, ApiVersion::V1alpha1).unwrap_err();
        assert_eq!(v.message, "\"a\" receiver is not unique");
        assert_eq!(v.field, "spec.receivers[1].name");

        let s = spec(serde_json::json!({
            "receivers": [{"name": "a"}],
            "route": {"receiver": "a", "routes": [{"receiver": "b"}]}
        }));
        let v = validate(&s, ApiVersion::V1alpha1).unwrap_err();
        assert_eq!(v.message, "route[0]: receiver \"b\" not found");
        assert_eq!(v.field, "spec.route.routes[0].receiver");
    }

    #[test]
    fn nested_receiver_errors_are_wrapped() {
        let s = spec(serde_json::json!({
            "receivers": [{"name": "r", "slackConfigs": [{"fields": [{"title": "", "value": "v"}]}]}]
        }));
        let v = validate(&s, ApiVersion::V1alpha1).unwrap_err();
        assert_eq!(
            v.message,
            "failed to validate receiver \"r\": 'slackConfigs'[0]: missing 'title' in Slack field configuration"
        );
    }

    #[test]
    fn time_interval_wording_follows_the_api_version() {
        let s = spec(serde_json::json!({
            "receivers": [{"name": "r"}],
            "muteTimeIntervals": [{"name": "t", "timeIntervals": [{"weekdays": ["Xaturday"]}]}]
        }));
        let alpha = validate(&s, ApiVersion::V1alpha1).unwrap_err();
        assert!(
            alpha
                .message
                .starts_with("mute time interval[0] is invalid: weekday range at 0")
        );
        let beta = validate(&s, ApiVersion::V1beta1).unwrap_err();
        assert!(beta.message.starts_with("time interval[0] is invalid"));
    }
}

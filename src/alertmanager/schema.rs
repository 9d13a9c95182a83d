//! The operator's Alertmanager configuration structs as data: every struct of upstream
//! `pkg/alertmanager/types.go` (`alertmanagerConfig` and what it holds, with Alertmanager's
//! `config.TimeInterval` and prometheus/common's `Headers`), field by field in declaration
//! order, with each field's `yaml` tag semantics.
//!
//! [`decode`] does what `yaml.UnmarshalStrict` into those structs followed by `yaml.Marshal`
//! does: unknown fields are errors, scalars are coerced to the field's type, fields come out in
//! struct order, zero values of `omitempty` fields disappear, maps are sorted. Generation builds
//! its tree in any order and runs it through [`decode`] too, so field order lives only here.
//! [`Field::secrecy`] marks what Alertmanager itself treats as a secret (`Secret`, `SecretURL`,
//! `SecretTemplateURL`), and header values, which [`redact`] hides.

use super::timeinterval::RangeKind;
use crate::redact::HiddenValues;
use crate::yaml::{Map, Yaml};
use std::collections::{HashMap, HashSet};

/// Deepest nesting [`decode`] follows (the parser already bounds documents to this depth).
pub const MAX_DEPTH: usize = crate::yaml::MAX_DEPTH;

/// How a field's presence is written (its `yaml` tag).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Presence {
    /// A value field with `omitempty`: dropped when zero.
    OmitZero,
    /// A pointer, interface or slice-of-pointer field with `omitempty`: dropped only when unset
    /// (an explicit `false`, `""` or `{}` is kept).
    OmitNil,
    /// No `omitempty`: always written, as the zero value when unset.
    Always,
    /// A pointer without `omitempty`: always written, `null` when unset.
    AlwaysNullable,
}

/// The Go type of a field.
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    /// `string`.
    Str,
    /// `bool`.
    Bool,
    /// `int`, `int32`, `int64`.
    Int,
    /// prometheus `model.Duration`: parsed and written back in its canonical form.
    Duration,
    /// `*commoncfg.URL`: parsed with Go's `url.Parse`, written back (password redacted).
    Url,
    /// Alertmanager `config.HostPort` (`host:port`).
    HostPort,
    /// `[]string`.
    StrList,
    /// `map[string]string`, written with sorted keys.
    StrMap,
    /// `map[string][]string` (proxy CONNECT headers).
    StrListMap,
    /// `map[string]any`, written with sorted keys (nested maps too).
    AnyMap,
    /// `any`.
    Any,
    /// prometheus/common `Headers`: header name to `{values, secrets, files}`.
    Headers,
    /// A nested struct.
    Struct(&'static Schema),
    /// A list of structs.
    StructList(&'static Schema),
    /// Alertmanager `timeinterval.TimeRange` (`{start_time, end_time}`).
    TimeRanges,
    /// Alertmanager `[]WeekdayRange`, `[]DayOfMonthRange`, `[]MonthRange` or `[]YearRange`.
    Ranges(RangeKind),
    /// Alertmanager `*timeinterval.Location` (an IANA zone name).
    Location,
}

/// One struct field.
#[derive(Clone, Copy, Debug)]
pub struct Field {
    /// The `yaml` key.
    pub key: &'static str,
    /// The Go type.
    pub kind: Kind,
    /// How presence is written.
    pub presence: Presence,
    /// Whether the value is shown.
    pub secrecy: Secrecy,
}

/// Whether a field's value is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Secrecy {
    /// Shown.
    Shown,
    /// Alertmanager treats it as a secret (`Secret`, `SecretURL`, `SecretTemplateURL`).
    Secret,
    /// A header value: Alertmanager shows it, but it carries an API key as often, so it is
    /// hidden too. Unlike a secret's, its copies elsewhere are left alone (a header such as
    /// `X-Scope-OrgID` often equals a name the configuration uses).
    Header,
}

/// One struct: its Go name (for error messages) and fields in declaration order (embedded
/// `,inline` structs flattened where they are declared).
#[derive(Debug)]
pub struct Schema {
    /// The Go type name, as yaml.v2 names it in errors.
    pub name: &'static str,
    /// The fields.
    pub fields: &'static [Field],
}

impl Schema {
    /// The field named `key`.
    pub fn field(&self, key: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.key == key)
    }
}

const fn opt(key: &'static str, kind: Kind) -> Field {
    Field {
        key,
        kind,
        presence: Presence::OmitZero,
        secrecy: Secrecy::Shown,
    }
}

const fn ptr(key: &'static str, kind: Kind) -> Field {
    Field {
        key,
        kind,
        presence: Presence::OmitNil,
        secrecy: Secrecy::Shown,
    }
}

const fn req(key: &'static str, kind: Kind) -> Field {
    Field {
        key,
        kind,
        presence: Presence::Always,
        secrecy: Secrecy::Shown,
    }
}

impl Field {
    const fn secret(self) -> Field {
        Field {
            secrecy: Secrecy::Secret,
            ..self
        }
    }

    const fn header(self) -> Field {
        Field {
            secrecy: Secrecy::Header,
            ..self
        }
    }
}

use Kind::*;

const SEND_RESOLVED: Field = ptr("send_resolved", Bool);
const HTTP_CONFIG_FIELD: Field = ptr("http_config", Struct(&HTTP_CONFIG));

/// `alertmanagerConfig`: the whole file.
pub static CONFIG: Schema = Schema {
    name: "alertmanager.alertmanagerConfig",
    fields: &[
        ptr("global", Struct(&GLOBAL)),
        ptr("route", Struct(&ROUTE)),
        opt("inhibit_rules", StructList(&INHIBIT_RULE)),
        opt("receivers", StructList(&RECEIVER)),
        opt("mute_time_intervals", StructList(&TIME_INTERVAL)),
        opt("time_intervals", StructList(&TIME_INTERVAL)),
        req("templates", StrList),
    ],
};

/// `globalConfig`.
pub static GLOBAL: Schema = Schema {
    name: "alertmanager.globalConfig",
    fields: &[
        ptr("resolve_timeout", Duration),
        HTTP_CONFIG_FIELD,
        opt("smtp_from", Str),
        opt("smtp_hello", Str),
        opt("smtp_smarthost", HostPort),
        opt("smtp_auth_username", Str),
        opt("smtp_auth_password", Str).secret(),
        opt("smtp_auth_password_file", Str),
        opt("smtp_auth_secret", Str).secret(),
        opt("smtp_auth_secret_file", Str),
        opt("smtp_auth_identity", Str),
        ptr("smtp_require_tls", Bool),
        ptr("smtp_tls_config", Struct(&TLS_CONFIG)),
        ptr("smtp_force_implicit_tls", Bool),
        ptr("slack_api_url", Url).secret(),
        opt("slack_api_url_file", Str),
        ptr("pagerduty_url", Url),
        ptr("hipchat_api_url", Url),
        opt("hipchat_auth_token", Str).secret(),
        ptr("opsgenie_api_url", Url),
        opt("opsgenie_api_key", Str).secret(),
        opt("opsgenie_api_key_file", Str),
        ptr("wechat_api_url", Url),
        opt("wechat_api_secret", Str).secret(),
        opt("wechat_api_corp_id", Str),
        ptr("victorops_api_url", Url),
        opt("victorops_api_key", Str).secret(),
        opt("victorops_api_key_file", Str),
        ptr("telegram_api_url", Url),
        opt("telegram_bot_token", Str).secret(),
        opt("telegram_bot_token_file", Str),
        ptr("webex_api_url", Url),
        ptr("jira_api_url", Url),
        ptr("rocketchat_api_url", Url),
        opt("rocketchat_token", Str).secret(),
        opt("rocketchat_token_file", Str),
        opt("rocketchat_token_id", Str).secret(),
        opt("rocketchat_token_id_file", Str),
        opt("slack_app_token", Str).secret(),
        opt("slack_app_token_file", Str),
        ptr("slack_app_url", Url),
        opt("wechat_api_secret_file", Str),
        ptr("mattermost_webhook_url", Url).secret(),
        opt("mattermost_webhook_url_file", Str),
    ],
};

/// `route`.
pub static ROUTE: Schema = Schema {
    name: "alertmanager.route",
    fields: &[
        opt("receiver", Str),
        opt("group_by", StrList),
        opt("match", StrMap),
        opt("match_re", StrMap),
        opt("matchers", StrList),
        opt("continue", Bool),
        opt("routes", StructList(&ROUTE)),
        opt("group_wait", Str),
        opt("group_interval", Str),
        opt("repeat_interval", Str),
        opt("mute_time_intervals", StrList),
        opt("active_time_intervals", StrList),
    ],
};

/// `inhibitRule`.
pub static INHIBIT_RULE: Schema = Schema {
    name: "alertmanager.inhibitRule",
    fields: &[
        opt("target_match", StrMap),
        opt("target_match_re", StrMap),
        opt("target_matchers", StrList),
        opt("source_match", StrMap),
        opt("source_match_re", StrMap),
        opt("source_matchers", StrList),
        opt("equal", StrList),
    ],
};

/// `receiver`.
pub static RECEIVER: Schema = Schema {
    name: "alertmanager.receiver",
    fields: &[
        req("name", Str),
        opt("opsgenie_configs", StructList(&OPSGENIE)),
        opt("pagerduty_configs", StructList(&PAGERDUTY)),
        opt("slack_configs", StructList(&SLACK)),
        opt("webhook_configs", StructList(&WEBHOOK)),
        opt("wechat_configs", StructList(&WECHAT)),
        opt("email_configs", StructList(&EMAIL)),
        opt("pushover_configs", StructList(&PUSHOVER)),
        opt("victorops_configs", StructList(&VICTOROPS)),
        opt("sns_configs", StructList(&SNS)),
        opt("telegram_configs", StructList(&TELEGRAM)),
        opt("discord_configs", StructList(&DISCORD)),
        opt("webex_configs", StructList(&WEBEX)),
        opt("msteams_configs", StructList(&MSTEAMS)),
        opt("msteamsv2_configs", StructList(&MSTEAMS_V2)),
        opt("jira_configs", StructList(&JIRA)),
        opt("rocketchat_configs", StructList(&ROCKETCHAT)),
        opt("mattermost_configs", StructList(&MATTERMOST)),
        opt("incidentio_configs", StructList(&INCIDENTIO)),
    ],
};

/// `webhookConfig`.
pub static WEBHOOK: Schema = Schema {
    name: "alertmanager.webhookConfig",
    fields: &[
        SEND_RESOLVED,
        opt("url", Str).secret(),
        opt("url_file", Str),
        HTTP_CONFIG_FIELD,
        opt("max_alerts", Int),
        ptr("timeout", Duration),
        ptr("payload", Any),
    ],
};

/// `pagerdutyConfig`.
pub static PAGERDUTY: Schema = Schema {
    name: "alertmanager.pagerdutyConfig",
    fields: &[
        SEND_RESOLVED,
        HTTP_CONFIG_FIELD,
        opt("service_key", Str).secret(),
        opt("service_key_file", Str),
        opt("routing_key", Str).secret(),
        opt("routing_key_file", Str),
        opt("url", Str),
        opt("client", Str),
        opt("client_url", Str),
        opt("description", Str),
        opt("details", AnyMap),
        opt("images", StructList(&PAGERDUTY_IMAGE)),
        opt("links", StructList(&PAGERDUTY_LINK)),
        opt("severity", Str),
        opt("class", Str),
        opt("component", Str),
        opt("group", Str),
        opt("source", Str),
        ptr("timeout", Duration),
    ],
};

static PAGERDUTY_LINK: Schema = Schema {
    name: "alertmanager.pagerdutyLink",
    fields: &[opt("href", Str), opt("text", Str)],
};

static PAGERDUTY_IMAGE: Schema = Schema {
    name: "alertmanager.pagerdutyImage",
    fields: &[opt("src", Str), opt("alt", Str), opt("href", Str)],
};

/// `opsgenieConfig`.
pub static OPSGENIE: Schema = Schema {
    name: "alertmanager.opsgenieConfig",
    fields: &[
        SEND_RESOLVED,
        HTTP_CONFIG_FIELD,
        opt("api_key", Str).secret(),
        opt("api_key_file", Str),
        opt("api_url", Str),
        opt("message", Str),
        opt("description", Str),
        opt("source", Str),
        opt("details", StrMap),
        opt("responders", StructList(&OPSGENIE_RESPONDER)),
        opt("tags", Str),
        opt("note", Str),
        opt("priority", Str),
        ptr("update_alerts", Bool),
        opt("entity", Str),
        opt("actions", Str),
    ],
};

static OPSGENIE_RESPONDER: Schema = Schema {
    name: "alertmanager.opsgenieResponder",
    fields: &[
        opt("id", Str),
        opt("name", Str),
        opt("username", Str),
        opt("type", Str),
    ],
};

/// `weChatConfig`.
pub static WECHAT: Schema = Schema {
    name: "alertmanager.weChatConfig",
    fields: &[
        SEND_RESOLVED,
        opt("api_secret", Str).secret(),
        opt("api_url", Str),
        opt("corp_id", Str),
        opt("agent_id", Str),
        opt("to_user", Str),
        opt("to_party", Str),
        opt("to_tag", Str),
        opt("message", Str),
        opt("message_type", Str),
        HTTP_CONFIG_FIELD,
        opt("api_secret_file", Str),
    ],
};

/// `slackConfig`.
pub static SLACK: Schema = Schema {
    name: "alertmanager.slackConfig",
    fields: &[
        SEND_RESOLVED,
        HTTP_CONFIG_FIELD,
        opt("api_url", Str).secret(),
        opt("api_url_file", Str),
        opt("app_token", Str).secret(),
        opt("app_token_file", Str),
        opt("app_url", Str),
        opt("channel", Str),
        opt("username", Str),
        opt("color", Str),
        opt("title", Str),
        opt("title_link", Str),
        opt("pretext", Str),
        opt("text", Str),
        opt("fields", StructList(&SLACK_FIELD)),
        opt("short_fields", Bool),
        opt("footer", Str),
        opt("fallback", Str),
        opt("callback_id", Str),
        opt("icon_emoji", Str),
        opt("icon_url", Str),
        opt("image_url", Str),
        opt("thumb_url", Str),
        opt("link_names", Bool),
        opt("mrkdwn_in", StrList),
        opt("actions", StructList(&SLACK_ACTION)),
        ptr("timeout", Duration),
        opt("message_text", Str),
        ptr("update_message", Bool),
    ],
};

static SLACK_FIELD: Schema = Schema {
    name: "alertmanager.slackField",
    fields: &[opt("title", Str), opt("value", Str), opt("short", Bool)],
};

static SLACK_ACTION: Schema = Schema {
    name: "alertmanager.slackAction",
    fields: &[
        opt("type", Str),
        opt("text", Str),
        opt("url", Str),
        opt("style", Str),
        opt("name", Str),
        opt("value", Str),
        ptr("confirm", Struct(&SLACK_CONFIRM)),
    ],
};

static SLACK_CONFIRM: Schema = Schema {
    name: "alertmanager.slackConfirmationField",
    fields: &[
        opt("text", Str),
        opt("title", Str),
        opt("ok_text", Str),
        opt("dismiss_text", Str),
    ],
};

/// `httpClientConfig` (with its inline `proxyConfig`).
pub static HTTP_CONFIG: Schema = Schema {
    name: "alertmanager.httpClientConfig",
    fields: &[
        ptr("authorization", Struct(&AUTHORIZATION)),
        ptr("basic_auth", Struct(&BASIC_AUTH)),
        ptr("oauth2", Struct(&OAUTH2)),
        opt("bearer_token", Str).secret(),
        opt("bearer_token_file", Str),
        ptr("tls_config", Struct(&TLS_CONFIG)),
        ptr("follow_redirects", Bool),
        ptr("enable_http2", Bool),
        ptr("http_headers", Headers),
        opt("proxy_url", Str),
        opt("no_proxy", Str),
        opt("proxy_from_environment", Bool),
        opt("proxy_connect_header", StrListMap).secret(),
    ],
};

/// `tlsConfig`.
pub static TLS_CONFIG: Schema = Schema {
    name: "alertmanager.tlsConfig",
    fields: &[
        opt("ca_file", Str),
        opt("cert_file", Str),
        opt("key_file", Str),
        opt("server_name", Str),
        req("insecure_skip_verify", Bool),
        opt("min_version", Str),
        opt("max_version", Str),
    ],
};

static AUTHORIZATION: Schema = Schema {
    name: "alertmanager.authorization",
    fields: &[
        opt("type", Str),
        opt("credentials", Str).secret(),
        opt("credentials_file", Str),
    ],
};

static BASIC_AUTH: Schema = Schema {
    name: "alertmanager.basicAuth",
    fields: &[
        opt("username", Str),
        opt("password", Str).secret(),
        opt("password_file", Str),
    ],
};

/// `oauth2` (with its inline `proxyConfig`).
pub static OAUTH2: Schema = Schema {
    name: "alertmanager.oauth2",
    fields: &[
        req("client_id", Str),
        req("client_secret", Str).secret(),
        opt("client_secret_file", Str),
        opt("scopes", StrList),
        req("token_url", Str),
        opt("endpoint_params", StrMap),
        opt("proxy_url", Str),
        opt("no_proxy", Str),
        opt("proxy_from_environment", Bool),
        opt("proxy_connect_header", StrListMap).secret(),
        ptr("tls_config", Struct(&TLS_CONFIG)),
    ],
};

/// `emailConfig`.
pub static EMAIL: Schema = Schema {
    name: "alertmanager.emailConfig",
    fields: &[
        SEND_RESOLVED,
        opt("to", Str),
        opt("from", Str),
        opt("hello", Str),
        opt("smarthost", HostPort),
        opt("auth_username", Str),
        opt("auth_password", Str).secret(),
        opt("auth_password_file", Str),
        opt("auth_secret", Str).secret(),
        opt("auth_secret_file", Str),
        opt("auth_identity", Str),
        opt("headers", StrMap).header(),
        ptr("html", Str),
        ptr("text", Str),
        ptr("require_tls", Bool),
        ptr("tls_config", Struct(&TLS_CONFIG)),
        ptr("force_implicit_tls", Bool),
        ptr("threading", Struct(&EMAIL_THREADING)),
    ],
};

static EMAIL_THREADING: Schema = Schema {
    name: "alertmanager.emailThreadingConfig",
    fields: &[ptr("enabled", Bool), opt("thread_by_date", Str)],
};

/// `pushoverConfig`.
pub static PUSHOVER: Schema = Schema {
    name: "alertmanager.pushoverConfig",
    fields: &[
        SEND_RESOLVED,
        HTTP_CONFIG_FIELD,
        opt("user_key", Str).secret(),
        opt("user_key_file", Str),
        opt("token", Str).secret(),
        opt("token_file", Str),
        opt("title", Str),
        opt("message", Str),
        opt("url", Str),
        opt("url_title", Str),
        opt("ttl", Str),
        opt("device", Str),
        opt("sound", Str),
        opt("priority", Str),
        ptr("retry", Duration),
        ptr("expire", Duration),
        ptr("html", Bool),
        ptr("monospace", Bool),
    ],
};

/// `snsConfig`.
pub static SNS: Schema = Schema {
    name: "alertmanager.snsConfig",
    fields: &[
        SEND_RESOLVED,
        HTTP_CONFIG_FIELD,
        opt("api_url", Str),
        opt("sigv4", Struct(&SIGV4)),
        opt("topic_arn", Str),
        opt("phone_number", Str),
        opt("target_arn", Str),
        opt("subject", Str),
        opt("message", Str),
        opt("attributes", StrMap),
        opt("use_aws_http_client", Bool),
    ],
};

static SIGV4: Schema = Schema {
    name: "alertmanager.sigV4Config",
    fields: &[
        opt("region", Str),
        opt("access_key", Str),
        opt("secret_key", Str).secret(),
        opt("profile", Str),
        opt("role_arn", Str),
        opt("external_id", Str),
    ],
};

/// `telegramConfig`.
pub static TELEGRAM: Schema = Schema {
    name: "alertmanager.telegramConfig",
    fields: &[
        SEND_RESOLVED,
        opt("api_url", Str),
        opt("bot_token", Str).secret(),
        opt("bot_token_file", Str),
        opt("chat_id", Int),
        opt("chat_id_file", Str),
        opt("message_thread_id", Int),
        opt("message", Str),
        opt("disable_notifications", Bool),
        opt("parse_mode", Str),
        HTTP_CONFIG_FIELD,
    ],
};

/// `discordConfig`.
pub static DISCORD: Schema = Schema {
    name: "alertmanager.discordConfig",
    fields: &[
        SEND_RESOLVED,
        HTTP_CONFIG_FIELD,
        opt("webhook_url", Str).secret(),
        opt("title", Str),
        opt("message", Str),
        opt("content", Str),
        opt("username", Str),
        opt("avatar_url", Str),
    ],
};

/// `webexConfig`.
pub static WEBEX: Schema = Schema {
    name: "alertmanager.webexConfig",
    fields: &[
        SEND_RESOLVED,
        HTTP_CONFIG_FIELD,
        opt("api_url", Str),
        opt("message", Str),
        req("room_id", Str),
    ],
};

/// `victorOpsConfig`.
pub static VICTOROPS: Schema = Schema {
    name: "alertmanager.victorOpsConfig",
    fields: &[
        SEND_RESOLVED,
        HTTP_CONFIG_FIELD,
        opt("api_key", Str).secret(),
        opt("api_key_file", Str),
        opt("api_url", Str),
        opt("routing_key", Str),
        opt("message_type", Str),
        opt("state_message", Str),
        opt("entity_display_name", Str),
        opt("monitoring_tool", Str),
        opt("custom_fields", StrMap),
    ],
};

/// `msTeamsConfig`.
pub static MSTEAMS: Schema = Schema {
    name: "alertmanager.msTeamsConfig",
    fields: &[
        SEND_RESOLVED,
        req("webhook_url", Str).secret(),
        opt("title", Str),
        opt("summary", Str),
        opt("text", Str),
        HTTP_CONFIG_FIELD,
    ],
};

/// `msTeamsV2Config`.
pub static MSTEAMS_V2: Schema = Schema {
    name: "alertmanager.msTeamsV2Config",
    fields: &[
        SEND_RESOLVED,
        opt("webhook_url", Str).secret(),
        opt("webhook_url_file", Str),
        opt("title", Str),
        opt("text", Str),
        HTTP_CONFIG_FIELD,
    ],
};

/// `jiraConfig`.
pub static JIRA: Schema = Schema {
    name: "alertmanager.jiraConfig",
    fields: &[
        HTTP_CONFIG_FIELD,
        SEND_RESOLVED,
        opt("api_url", Str),
        opt("project", Str),
        opt("summary", Str),
        opt("description", Str),
        opt("labels", StrList),
        opt("priority", Str),
        opt("issue_type", Str),
        opt("reopen_transition", Str),
        opt("resolve_transition", Str),
        opt("wont_fix_resolution", Str),
        opt("reopen_duration", Duration),
        opt("fields", AnyMap),
        opt("api_type", Str),
    ],
};

static ROCKETCHAT_FIELD: Schema = Schema {
    name: "alertmanager.rocketchatAttachmentField",
    fields: &[
        Field {
            presence: Presence::AlwaysNullable,
            ..req("short", Bool)
        },
        opt("title", Str),
        opt("value", Str),
    ],
};

static ROCKETCHAT_ACTION: Schema = Schema {
    name: "alertmanager.rocketchatAttachmentAction",
    fields: &[
        opt("type", Str),
        opt("text", Str),
        opt("url", Str),
        opt("image_url", Str),
        req("is_webview", Bool),
        opt("webview_height_ratio", Str),
        opt("msg", Str),
        req("msg_in_chat_window", Bool),
        opt("msg_processing_type", Str),
    ],
};

/// `rocketChatConfig`.
pub static ROCKETCHAT: Schema = Schema {
    name: "alertmanager.rocketChatConfig",
    fields: &[
        SEND_RESOLVED,
        HTTP_CONFIG_FIELD,
        opt("api_url", Str),
        ptr("token_id", Str).secret(),
        opt("token_id_file", Str),
        ptr("token", Str).secret(),
        opt("token_file", Str),
        opt("channel", Str),
        opt("color", Str),
        opt("title", Str),
        opt("title_link", Str),
        opt("text", Str),
        opt("fields", StructList(&ROCKETCHAT_FIELD)),
        req("short_fields", Bool),
        opt("emoji", Str),
        opt("icon_url", Str),
        opt("image_url", Str),
        opt("thumb_url", Str),
        req("link_names", Bool),
        opt("actions", StructList(&ROCKETCHAT_ACTION)),
    ],
};

/// `mattermostConfig`.
pub static MATTERMOST: Schema = Schema {
    name: "alertmanager.mattermostConfig",
    fields: &[
        SEND_RESOLVED,
        opt("webhook_url", Str).secret(),
        opt("webhook_url_file", Str),
        opt("channel", Str),
        opt("username", Str),
        opt("text", Str),
        opt("icon_url", Str),
        opt("icon_emoji", Str),
        opt("attachments", StructList(&MATTERMOST_ATTACHMENT)),
        ptr("props", Struct(&MATTERMOST_PROPS)),
        ptr("priority", Struct(&MATTERMOST_PRIORITY)),
        opt("fallback", Str),
        opt("color", Str),
        opt("pretext", Str),
        opt("author_name", Str),
        opt("author_link", Str),
        opt("author_icon", Str),
        opt("title", Str),
        opt("title_link", Str),
        opt("fields", StructList(&MATTERMOST_FIELD)),
        opt("thumb_url", Str),
        opt("footer", Str),
        opt("footer_icon", Str),
        opt("image_url", Str),
        HTTP_CONFIG_FIELD,
    ],
};

/// `mattermostAttachmentConfig`.
pub static MATTERMOST_ATTACHMENT: Schema = Schema {
    name: "alertmanager.mattermostAttachmentConfig",
    fields: &[
        opt("fallback", Str),
        opt("color", Str),
        opt("pretext", Str),
        opt("text", Str),
        opt("author_name", Str),
        opt("author_link", Str),
        opt("author_icon", Str),
        opt("title", Str),
        opt("title_link", Str),
        opt("fields", StructList(&MATTERMOST_FIELD)),
        opt("thumb_url", Str),
        opt("footer", Str),
        opt("footer_icon", Str),
        opt("image_url", Str),
    ],
};

static MATTERMOST_FIELD: Schema = Schema {
    name: "alertmanager.mattermostField",
    fields: &[opt("title", Str), opt("value", Str), opt("short", Bool)],
};

static MATTERMOST_PROPS: Schema = Schema {
    name: "alertmanager.mattermostPropsConfig",
    fields: &[ptr("card", Str)],
};

static MATTERMOST_PRIORITY: Schema = Schema {
    name: "alertmanager.mattermostPriorityConfig",
    fields: &[
        opt("priority", Str),
        ptr("requested_ack", Bool),
        ptr("persistent_notifications", Bool),
    ],
};

/// `incidentioConfig`.
pub static INCIDENTIO: Schema = Schema {
    name: "alertmanager.incidentioConfig",
    fields: &[
        SEND_RESOLVED,
        HTTP_CONFIG_FIELD,
        opt("url", Str),
        opt("url_file", Str),
        opt("alert_source_token", Str).secret(),
        opt("alert_source_token_file", Str),
        ptr("max_alerts", Int),
        ptr("timeout", Duration),
    ],
};

/// Alertmanager `config.TimeInterval`: a named list of periods.
pub static TIME_INTERVAL: Schema = Schema {
    name: "alertmanager.timeInterval",
    fields: &[
        req("name", Str),
        req("time_intervals", StructList(&TIME_PERIOD)),
    ],
};

/// Alertmanager `timeinterval.TimeInterval`: one period.
pub static TIME_PERIOD: Schema = Schema {
    name: "timeinterval.TimeInterval",
    fields: &[
        opt("times", TimeRanges),
        opt("weekdays", Ranges(RangeKind::Weekdays)),
        opt("days_of_month", Ranges(RangeKind::DaysOfMonth)),
        opt("months", Ranges(RangeKind::Months)),
        opt("years", Ranges(RangeKind::Years)),
        ptr("location", Location),
    ],
};

/// Why a document does not decode into the structs.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// A key the struct does not have (`UnmarshalStrict`).
    #[error("yaml: unmarshal errors:\n  field {key} not found in type {ty}")]
    UnknownField {
        /// The key.
        key: String,
        /// The Go struct.
        ty: &'static str,
    },
    /// A value of the wrong shape for its field.
    #[error("yaml: unmarshal errors:\n  {path}: cannot unmarshal {found} into {target}")]
    Type {
        /// Where, as a dotted path.
        path: String,
        /// What the document holds.
        found: &'static str,
        /// The Go type wanted.
        target: &'static str,
    },
    /// A value its type's own unmarshaller refuses (a duration, URL, time range…).
    #[error("{path}: {message}")]
    Value {
        /// Where, as a dotted path.
        path: String,
        /// Why.
        message: String,
    },
    /// A struct field written twice in one mapping (`UnmarshalStrict`).
    #[error("yaml: unmarshal errors:\n  field {key} already set in type {ty}")]
    DuplicateField {
        /// The key.
        key: String,
        /// The Go struct.
        ty: &'static str,
    },
    /// A map key written twice in one mapping (`UnmarshalStrict`).
    #[error("yaml: unmarshal errors:\n  key {} already set in map", crate::go::strconv::quote(.0))]
    DuplicateKey(String),
    /// Nesting deeper than [`MAX_DEPTH`].
    #[error("{path}: nesting deeper than {MAX_DEPTH} levels")]
    TooDeep {
        /// Where.
        path: String,
    },
}

/// Decodes `doc` as a whole `alertmanager.yaml` (see the module documentation).
pub fn decode_config(doc: &Yaml) -> Result<Yaml, DecodeError> {
    decode_struct(doc, &CONFIG, Path::Root, 0).map(Yaml::from)
}

/// Refuses a key written twice in one mapping of `doc`, the first in document order, as
/// `yaml.UnmarshalStrict` does: a struct's field or a Go map's key. [`decode_config`] itself
/// keeps the first entry, which generation relies on when it appends to a mapping.
pub fn check_unique_keys(doc: &Yaml) -> Result<(), DecodeError> {
    unique_in(doc, Struct(&CONFIG), 0)
}

/// A key of a document that the structs lack.
#[derive(Clone, Debug, PartialEq)]
pub struct UnknownKey {
    /// What [`decode_config`] says of it.
    pub error: DecodeError,
    /// The mapping holding it, from the document's root.
    at: Vec<Step>,
    key: String,
    value: Yaml,
}

/// One step down a document: a mapping's key or a sequence's index.
#[derive(Clone, Debug, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
}

/// `doc` without the keys the structs lack, and each of them in document order: what
/// [`decode_config`] would refuse first, set aside so that the rest of a file can be judged.
pub fn without_unknown_fields(doc: &Yaml) -> (Yaml, Vec<UnknownKey>) {
    let mut walk = KnownWalk {
        at: Vec::new(),
        unknown: Vec::new(),
    };
    let kept = walk.node(doc, Struct(&CONFIG), 0);
    (kept, walk.unknown)
}

/// Puts `unknown` back into `config`, decoded from the document without them, where they
/// were: Alertmanager's own checks by key (a newer integration's `*_file` setting) see them.
pub fn with_unknown_fields(config: &mut Yaml, unknown: &[UnknownKey]) {
    let pending: Vec<(&[Step], &UnknownKey)> = unknown.iter().map(|u| (&u.at[..], u)).collect();
    put_back(config, pending);
}

/// Puts each of `pending` (the rest of its path below `node`, the key) in place in one walk:
/// looking every path up from the root again is quadratic in a large mapping. Keys land in
/// document order, and a mapping decoding dropped as empty is added where the first key
/// below it needs it.
fn put_back(node: &mut Yaml, pending: Vec<(&[Step], &UnknownKey)>) {
    type Below<'a, K> = HashMap<K, Vec<(&'a [Step], &'a UnknownKey)>>;
    match node {
        Yaml::Map(map) => {
            let mut below: Below<'_, String> = HashMap::new();
            let mut present: HashSet<String> = map.iter().map(|(k, _)| k.to_owned()).collect();
            for (rest, u) in pending {
                match rest.split_first() {
                    None => {
                        present.insert(u.key.clone());
                        map.push(u.key.clone(), u.value.clone());
                    }
                    Some((Step::Key(key), rest)) => {
                        if present.insert(key.clone()) {
                            map.push(key.clone(), Map::new());
                        }
                        below.entry(key.clone()).or_default().push((rest, u));
                    }
                    Some((Step::Index(_), _)) => {}
                }
            }
            // The first entry of a key is the one decoding kept.
            for (key, child) in map.iter_mut() {
                if let Some(pending) = below.remove(key) {
                    put_back(child, pending);
                }
            }
        }
        Yaml::Seq(items) => {
            let mut below: Below<'_, usize> = HashMap::new();
            for (rest, u) in pending {
                if let Some((Step::Index(i), rest)) = rest.split_first() {
                    below.entry(*i).or_default().push((rest, u));
                }
            }
            for (i, pending) in below {
                if let Some(item) = items.get_mut(i) {
                    put_back(item, pending);
                }
            }
        }
        _ => {}
    }
}

/// The walk of [`without_unknown_fields`]: where it is, and what it set aside.
struct KnownWalk {
    at: Vec<Step>,
    unknown: Vec<UnknownKey>,
}

impl KnownWalk {
    fn node(&mut self, node: &Yaml, kind: Kind, depth: usize) -> Yaml {
        if depth > MAX_DEPTH {
            return node.clone();
        }
        match (kind, node) {
            (Struct(schema), Yaml::Map(m)) => self.fields(
                m,
                schema.name,
                |key| schema.field(key).map(|f| f.kind),
                depth,
            ),
            (StructList(schema), Yaml::Seq(items)) => self.items(items, |walk, item| {
                walk.node(item, Struct(schema), depth + 1)
            }),
            // Any header name; each value is a struct.
            (Headers, Yaml::Map(m)) => self.fields(m, "", |_| Some(Struct(&HEADER)), depth),
            (TimeRanges, Yaml::Seq(items)) => self.items(items, |walk, item| match item {
                Yaml::Map(m) => walk.fields(
                    m,
                    TIME_RANGE_TYPE,
                    |key| ["start_time", "end_time"].contains(&key).then_some(Str),
                    depth,
                ),
                other => other.clone(),
            }),
            _ => node.clone(),
        }
    }

    /// The entries of `m` (Go type `ty`) whose key `field` knows, each value walked as its
    /// kind; the others set aside.
    fn fields(
        &mut self,
        m: &Map,
        ty: &'static str,
        field: impl Fn(&str) -> Option<Kind>,
        depth: usize,
    ) -> Yaml {
        let mut kept = Map::new();
        for (key, value) in m.iter() {
            let Some(kind) = field(key) else {
                self.unknown.push(UnknownKey {
                    error: DecodeError::UnknownField {
                        key: key.to_owned(),
                        ty,
                    },
                    at: self.at.clone(),
                    key: key.to_owned(),
                    value: value.clone(),
                });
                continue;
            };
            self.at.push(Step::Key(key.to_owned()));
            kept.push(key.to_owned(), self.node(value, kind, depth + 1));
            self.at.pop();
        }
        Yaml::Map(kept)
    }

    fn items(&mut self, items: &[Yaml], mut walk: impl FnMut(&mut Self, &Yaml) -> Yaml) -> Yaml {
        let mut kept = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            self.at.push(Step::Index(i));
            kept.push(walk(self, item));
            self.at.pop();
        }
        Yaml::Seq(kept)
    }
}

fn unique_in(node: &Yaml, kind: Kind, depth: usize) -> Result<(), DecodeError> {
    if depth > MAX_DEPTH {
        return Ok(());
    }
    match (kind, node) {
        (Struct(schema), Yaml::Map(m)) => {
            let mut seen = HashSet::new();
            for (key, value) in m.iter() {
                if !seen.insert(key) {
                    return Err(DecodeError::DuplicateField {
                        key: key.to_owned(),
                        ty: schema.name,
                    });
                }
                if let Some(field) = schema.field(key) {
                    unique_in(value, field.kind, depth + 1)?;
                }
            }
            Ok(())
        }
        (StructList(schema), Yaml::Seq(items)) => items
            .iter()
            .try_for_each(|item| unique_in(item, Struct(schema), depth + 1)),
        (StrMap | StrListMap | Headers | AnyMap | Any, Yaml::Map(m)) => {
            let mut seen = HashSet::new();
            for (key, value) in m.iter() {
                if !seen.insert(key) {
                    return Err(DecodeError::DuplicateKey(key.to_owned()));
                }
                let inner = match kind {
                    Headers => Struct(&HEADER),
                    AnyMap | Any => Any,
                    _ => StrList,
                };
                unique_in(value, inner, depth + 1)?;
            }
            Ok(())
        }
        (Any, Yaml::Seq(items)) => items
            .iter()
            .try_for_each(|item| unique_in(item, Any, depth + 1)),
        _ => Ok(()),
    }
}

/// Where a value sits, for error messages; only turned into text when an error is reported
/// (a large configuration has hundreds of thousands of fields).
#[derive(Clone, Copy, Debug)]
enum Path<'a> {
    Root,
    Key(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl<'a> Path<'a> {
    fn key(&'a self, key: &'a str) -> Path<'a> {
        Path::Key(self, key)
    }

    fn index(&'a self, i: usize) -> Path<'a> {
        Path::Index(self, i)
    }
}

impl std::fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Path::Root => Ok(()),
            Path::Key(Path::Root, key) => f.write_str(key),
            Path::Key(parent, key) => write!(f, "{parent}.{key}"),
            Path::Index(parent, i) => write!(f, "{parent}[{i}]"),
        }
    }
}

/// Decodes `node` as struct `schema`.
fn decode_struct(
    node: &Yaml,
    schema: &'static Schema,
    path: Path<'_>,
    depth: usize,
) -> Result<Map, DecodeError> {
    if depth > MAX_DEPTH {
        return Err(DecodeError::TooDeep {
            path: path.to_string(),
        });
    }
    let input = match node {
        Yaml::Null => return Ok(Map::new()),
        Yaml::Map(m) => m,
        other => {
            return Err(type_error(path, other, schema.name));
        }
    };
    for (key, _) in input.iter() {
        if schema.field(key).is_none() {
            return Err(DecodeError::UnknownField {
                key: key.to_owned(),
                ty: schema.name,
            });
        }
    }
    let mut out = Map::new();
    for field in schema.fields {
        let at = path.key(field.key);
        let value = match input.get(field.key) {
            // A null value leaves a Go field at its zero value (a nil pointer).
            None | Some(Yaml::Null) => None,
            Some(v) => {
                Some(decode_value(v, field.kind, at, depth + 1).map_err(
                    |e| match field.secrecy {
                        Secrecy::Shown => e,
                        Secrecy::Secret | Secrecy::Header => without_value(e, v),
                    },
                )?)
            }
        };
        let keep = match (value, field.presence) {
            (None, Presence::Always) => Some(zero(field.kind)),
            (None, Presence::AlwaysNullable) => Some(Yaml::Null),
            (None, _) => None,
            (Some(v), Presence::OmitZero) if is_zero(&v) => None,
            (Some(v), _) => Some(v),
        };
        if let Some(v) = keep {
            out.push(field.key, v);
        }
    }
    Ok(out)
}

/// The value written for an unset field without `omitempty`.
fn zero(kind: Kind) -> Yaml {
    match kind {
        Str | Url | HostPort | Duration => Yaml::from(String::new()),
        Bool => Yaml::Bool(false),
        Int => Yaml::Int(0),
        StrList | StructList(_) | TimeRanges | Ranges(_) => Yaml::Seq(Vec::new()),
        StrMap | StrListMap | AnyMap | Headers | Struct(_) => Yaml::Map(Map::new()),
        Any | Location => Yaml::Null,
    }
}

/// yaml.v2's `omitempty` test on a canonical value.
fn is_zero(value: &Yaml) -> bool {
    match value {
        Yaml::Null => true,
        Yaml::Bool(b) => !b,
        Yaml::Int(i) => *i == 0,
        Yaml::Float(f) => *f == 0.0,
        Yaml::Str(s) => s.is_empty(),
        Yaml::Seq(items) => items.is_empty(),
        Yaml::Map(m) => m.is_empty(),
    }
}

/// The YAML tag of a node's kind, as type errors name it.
pub fn tag(node: &Yaml) -> &'static str {
    match node {
        Yaml::Null => "!!null",
        Yaml::Bool(_) => "!!bool",
        Yaml::Int(_) => "!!int",
        Yaml::Float(_) => "!!float",
        Yaml::Str(_) => "!!str",
        Yaml::Seq(_) => "!!seq",
        Yaml::Map(_) => "!!map",
    }
}

fn type_error(path: Path<'_>, node: &Yaml, target: &'static str) -> DecodeError {
    DecodeError::Type {
        path: path.to_string(),
        found: tag(node),
        target,
    }
}

/// `error` about the value `node` of a secret field, the value (as written or as Go quotes it)
/// not quoted: Alertmanager's messages would show it.
fn without_value(error: DecodeError, node: &Yaml) -> DecodeError {
    let (DecodeError::Value { path, message }, Some(text)) = (&error, scalar_text(node)) else {
        return error;
    };
    let quoted = crate::redact::hide_value(message, &format!("{text:?}"), "\"<secret>\"");
    DecodeError::Value {
        path: path.clone(),
        message: crate::redact::hide_value(&quoted, &text, crate::redact::REDACTED),
    }
}

fn value_error(path: Path<'_>, message: impl Into<String>) -> DecodeError {
    DecodeError::Value {
        path: path.to_string(),
        message: message.into(),
    }
}

/// A scalar as a Go `string` field receives it (yaml.v2 keeps the scalar's text).
fn scalar_text(node: &Yaml) -> Option<String> {
    match node {
        Yaml::Str(s) => Some(s.to_string()),
        Yaml::Bool(b) => Some(b.to_string()),
        Yaml::Int(i) => Some(i.to_string()),
        Yaml::Float(f) => Some(crate::yaml::emit(&Yaml::Float(*f)).trim_end().to_owned()),
        Yaml::Null => Some(String::new()),
        Yaml::Seq(_) | Yaml::Map(_) => None,
    }
}

fn string(node: &Yaml, path: Path<'_>) -> Result<String, DecodeError> {
    scalar_text(node).ok_or_else(|| type_error(path, node, "string"))
}

fn decode_value(
    node: &Yaml,
    kind: Kind,
    path: Path<'_>,
    depth: usize,
) -> Result<Yaml, DecodeError> {
    if depth > MAX_DEPTH {
        return Err(DecodeError::TooDeep {
            path: path.to_string(),
        });
    }
    Ok(match kind {
        Str => Yaml::from(string(node, path)?),
        Bool => match node {
            Yaml::Bool(b) => Yaml::Bool(*b),
            other => return Err(type_error(path, other, "bool")),
        },
        Int => match node {
            Yaml::Int(i) => Yaml::Int(*i),
            Yaml::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Yaml::Int(*f as i64),
            other => return Err(type_error(path, other, "int")),
        },
        Duration => {
            let text = string(node, path)?;
            let millis = super::duration::parse(&text).map_err(|m| value_error(path, m))?;
            Yaml::from(super::duration::format(millis))
        }
        Url => {
            let text = string(node, path)?;
            let url = super::url::parse(&text).map_err(|m| value_error(path, m))?;
            Yaml::from(url.redacted())
        }
        HostPort => {
            let text = string(node, path)?;
            if text.is_empty() {
                Yaml::from(text)
            } else {
                let (host, port) =
                    super::url::split_host_port(&text).map_err(|m| value_error(path, m))?;
                if port.is_empty() {
                    return Err(value_error(
                        path,
                        format!("address {text:?}: port cannot be empty"),
                    ));
                }
                Yaml::from(super::url::join_host_port(host, port))
            }
        }
        StrList => Yaml::Seq(
            seq(node, path, "[]string")?
                .iter()
                .enumerate()
                .map(|(i, item)| string(item, path.index(i)).map(Yaml::from))
                .collect::<Result<_, _>>()?,
        ),
        StrMap => {
            let mut entries = Vec::new();
            for (k, v) in map(node, path, "map[string]string")?.iter() {
                entries.push((k.to_owned(), string(v, path.key(k))?));
            }
            sorted(
                entries
                    .into_iter()
                    .map(|(k, v)| (k, Yaml::from(v)))
                    .collect(),
            )
        }
        StrListMap => {
            let mut entries = Vec::new();
            for (k, v) in map(node, path, "map[string][]string")?.iter() {
                entries.push((
                    k.to_owned(),
                    decode_value(v, StrList, path.key(k), depth + 1)?,
                ));
            }
            sorted(entries)
        }
        AnyMap => {
            let entries = map(node, path, "map[string]interface {}")?
                .iter()
                .map(|(k, v)| (k.to_owned(), any(v)))
                .collect();
            sorted(entries)
        }
        Any => any(node),
        Headers => {
            let mut entries = Vec::new();
            for (k, v) in map(node, path, "config.Headers")?.iter() {
                entries.push((
                    k.to_owned(),
                    Yaml::from(decode_struct(v, &HEADER, path.key(k), depth + 1)?),
                ));
            }
            sorted(entries)
        }
        Struct(schema) => Yaml::from(decode_struct(node, schema, path, depth + 1)?),
        StructList(schema) => Yaml::Seq(
            seq(node, path, schema.name)?
                .iter()
                .enumerate()
                .map(|(i, item)| match item {
                    // A null element stays a nil pointer.
                    Yaml::Null => Ok(Yaml::Null),
                    _ => decode_struct(item, schema, path.index(i), depth + 1).map(Yaml::from),
                })
                .collect::<Result<_, _>>()?,
        ),
        TimeRanges => Yaml::Seq(
            seq(node, path, "[]timeinterval.TimeRange")?
                .iter()
                .enumerate()
                .map(|(i, item)| time_range(item, path.index(i)))
                .collect::<Result<_, _>>()?,
        ),
        Ranges(range_kind) => Yaml::Seq(
            seq(node, path, "[]timeinterval range")?
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    let at = path.index(i);
                    let text = string(item, at)?;
                    super::timeinterval::canonical_range(range_kind, &text)
                        .map(Yaml::from)
                        .map_err(|m| value_error(at, m))
                })
                .collect::<Result<_, _>>()?,
        ),
        Location => {
            let text = string(node, path)?;
            super::timeinterval::check_location(&text).map_err(|m| value_error(path, m))?;
            Yaml::from(text)
        }
    })
}

/// prometheus/common `Header`.
static HEADER: Schema = Schema {
    name: "config.Header",
    fields: &[
        opt("values", StrList).header(),
        opt("secrets", StrList).secret(),
        opt("files", StrList),
    ],
};

fn seq<'a>(
    node: &'a Yaml,
    path: Path<'_>,
    target: &'static str,
) -> Result<&'a [Yaml], DecodeError> {
    match node {
        Yaml::Seq(items) => Ok(items),
        other => Err(type_error(path, other, target)),
    }
}

fn map<'a>(node: &'a Yaml, path: Path<'_>, target: &'static str) -> Result<&'a Map, DecodeError> {
    match node {
        Yaml::Map(m) => Ok(m),
        other => Err(type_error(path, other, target)),
    }
}

/// A Go map's entries in yaml.v2's key order.
fn sorted(entries: Vec<(String, Yaml)>) -> Yaml {
    let order: std::collections::BTreeMap<String, String> = entries
        .iter()
        .map(|(k, _)| (k.clone(), String::new()))
        .collect();
    let mut values: std::collections::BTreeMap<String, Yaml> = entries.into_iter().collect();
    let keys = crate::yaml::go_map_sorted(&order);
    Yaml::from(
        keys.into_iter()
            .map(|(k, _)| {
                let v = values.remove(k.as_ref()).unwrap_or(Yaml::Null);
                (k.into_owned(), v)
            })
            .collect::<Map>(),
    )
}

/// An `any` value: yaml.v2 decodes mappings into Go maps, which marshal with sorted keys.
fn any(node: &Yaml) -> Yaml {
    match node {
        Yaml::Map(m) => sorted(m.iter().map(|(k, v)| (k.to_owned(), any(v))).collect()),
        Yaml::Seq(items) => Yaml::Seq(items.iter().map(any).collect()),
        other => other.clone(),
    }
}

/// The Go type a time range's keys are decoded into.
const TIME_RANGE_TYPE: &str = "timeinterval.yamlTimeRange";

fn time_range(node: &Yaml, path: Path<'_>) -> Result<Yaml, DecodeError> {
    let m = map(node, path, "timeinterval.TimeRange")?;
    for (k, _) in m.iter() {
        if k != "start_time" && k != "end_time" {
            return Err(DecodeError::UnknownField {
                key: k.to_owned(),
                ty: TIME_RANGE_TYPE,
            });
        }
    }
    let get = |k: &str| -> Result<String, DecodeError> {
        m.get(k)
            .map(|v| string(v, path.key(k)))
            .transpose()
            .map(Option::unwrap_or_default)
    };
    let (start, end) = super::timeinterval::time_range(&get("start_time")?, &get("end_time")?)
        .map_err(|e| value_error(path, e))?;
    Ok(Yaml::from(
        Map::new()
            .with("start_time", super::timeinterval::format_minutes(start))
            .with("end_time", super::timeinterval::format_minutes(end)),
    ))
}

/// Replaces every value Alertmanager keeps secret with `<secret>`, as Alertmanager prints its
/// own configuration; returns how many were replaced. Empty values are left alone.
pub fn redact(config: &mut Yaml) -> usize {
    let mut hidden = HiddenValues::new();
    let count = redact_struct(config, &CONFIG, 0, &mut hidden)
        + hide_url_passwords(config, 0)
        + crate::redact::redact_read_from_secrets(config);
    count + crate::redact::hide_copies(config, &hidden)
}

/// Hides the password of every URL left in the file (`proxy_url`, `oauth2.token_url`, ...):
/// the operator writes such URLs as plain strings, userinfo included.
fn hide_url_passwords(node: &mut Yaml, depth: usize) -> usize {
    if depth > MAX_DEPTH {
        return 0;
    }
    match node {
        Yaml::Str(text) => match crate::redact::redact_url_password(text) {
            Some(redacted) => {
                *text = redacted.into();
                1
            }
            None => 0,
        },
        Yaml::Seq(items) => items
            .iter_mut()
            .map(|item| hide_url_passwords(item, depth + 1))
            .sum(),
        Yaml::Map(map) => map
            .iter_mut()
            .map(|(_, value)| hide_url_passwords(value, depth + 1))
            .sum(),
        _ => 0,
    }
}

fn redact_struct(
    node: &mut Yaml,
    schema: &'static Schema,
    depth: usize,
    hidden: &mut HiddenValues,
) -> usize {
    let Yaml::Map(map) = node else { return 0 };
    if depth > MAX_DEPTH {
        return 0;
    }
    let mut count = 0;
    for (key, value) in map.iter_mut() {
        count += match schema.field(key) {
            Some(field) => match field.secrecy {
                Secrecy::Shown => redact_kind(value, field.kind, depth + 1, hidden),
                Secrecy::Secret => crate::redact::hide_all(value, Some(hidden)),
                Secrecy::Header => crate::redact::hide_all(value, None),
            },
            // A key the types lack, in a configuration copied as stored: a misspelt secret
            // key (`routing_kye`) holds a credential all the same.
            None => crate::redact::hide_all(value, None),
        };
    }
    count
}

fn redact_kind(value: &mut Yaml, kind: Kind, depth: usize, hidden: &mut HiddenValues) -> usize {
    match (kind, value) {
        (Struct(schema), v) => redact_struct(v, schema, depth, hidden),
        (StructList(schema), Yaml::Seq(items)) => items
            .iter_mut()
            .map(|item| redact_struct(item, schema, depth, hidden))
            .sum(),
        (Headers, Yaml::Map(headers)) => headers
            .iter_mut()
            .map(|(_, header)| redact_struct(header, &HEADER, depth, hidden))
            .sum(),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(text: &str) -> Result<String, DecodeError> {
        let doc = crate::yaml::parse(text).unwrap();
        decode_config(&doc).map(|d| crate::yaml::emit(&d))
    }

    #[test]
    fn reorders_drops_zero_values_and_keeps_explicit_pointers() {
        let out = decoded(
            "receivers:\n- slack_configs:\n  - channel: ''\n    send_resolved: false\n    title: t\n  name: r\nroute: {receiver: r, continue: false}\n",
        )
        .unwrap();
        assert_eq!(
            out,
            "route:\n  receiver: r\nreceivers:\n- name: r\n  slack_configs:\n  - send_resolved: false\n    title: t\ntemplates: []\n"
        );
    }

    #[test]
    fn unknown_fields_are_errors() {
        let err = decoded("route: {receiver: r, foo: 1}").unwrap_err();
        assert!(err.to_string().contains("field foo not found"), "{err}");
    }

    #[test]
    fn unknown_fields_can_be_set_aside() {
        let doc = crate::yaml::parse(
            "route: {receiver: r, foo: 1}\nreceivers: [{name: r, discord_configs: \
             [{webhook_url_file: /f, http_config: {http_headers: {X: {values: [a], bar: 2}}}}]}]\n\
             time_intervals: [{name: t, time_intervals: [{times: [{start_time: '00:00', \
             end_time: '01:00', baz: 3}]}]}]",
        )
        .unwrap();
        let (kept, unknown) = without_unknown_fields(&doc);
        let found: Vec<String> = (unknown.iter())
            .map(|u| match &u.error {
                DecodeError::UnknownField { key, ty } => format!("{ty}.{key}"),
                other => other.to_string(),
            })
            .collect();
        assert_eq!(
            found,
            [
                "alertmanager.route.foo",
                "alertmanager.discordConfig.webhook_url_file",
                "config.Header.bar",
                "timeinterval.yamlTimeRange.baz",
            ]
        );
        let mut config = decode_config(&kept).unwrap();
        with_unknown_fields(&mut config, &unknown);
        let receiver = "receivers:\n- name: r\n  discord_configs:\n  - http_config:\n      http_headers:\n        X:\n          values:\n          - a\n          bar: 2\n    webhook_url_file: /f\n";
        let emitted = crate::yaml::emit(&config);
        assert!(
            emitted.contains("foo: 1") && emitted.contains("baz: 3"),
            "{emitted}"
        );
        assert!(emitted.contains(receiver), "{emitted}");
    }

    #[test]
    fn keys_written_twice_are_errors() {
        let first = |text: &str| {
            check_unique_keys(&crate::yaml::parse(text).unwrap())
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            first("route: {receiver: d}\nroute: {receiver: d}"),
            "yaml: unmarshal errors:\n  field route already set in type alertmanager.alertmanagerConfig"
        );
        assert_eq!(
            first("route: {routes: [{match: {a: x, a: y}}]}"),
            "yaml: unmarshal errors:\n  key \"a\" already set in map"
        );
        assert_eq!(
            first("receivers: [{name: r, webhook_configs: [{payload: {x: [{k: 1, k: 2}]}}]}]"),
            "yaml: unmarshal errors:\n  key \"k\" already set in map"
        );
        let unique = crate::yaml::parse("route: {receiver: d, match: {a: x}}").unwrap();
        assert_eq!(check_unique_keys(&unique), Ok(()));
    }

    #[test]
    fn durations_and_maps_are_canonical() {
        let out =
            decoded("global: {resolve_timeout: 24h}\nroute: {match: {b: '1', a: x}}").unwrap();
        assert_eq!(
            out,
            "global:\n  resolve_timeout: 1d\nroute:\n  match:\n    a: x\n    b: \"1\"\ntemplates: []\n"
        );
    }

    #[test]
    fn redacts_alertmanager_secrets_only() {
        let mut doc = decode_config(
            &crate::yaml::parse(
                "global: {slack_api_url: 'http://x', smtp_from: a}\nreceivers:\n- name: r\n  victorops_configs: [{routing_key: k, api_key: s}]\n  webhook_configs: [{url: 'http://h', http_config: {basic_auth: {username: u, password: p}}}]\n",
            )
            .unwrap(),
        )
        .unwrap();
        // The username too: the operator reads it from a Secret.
        assert_eq!(redact(&mut doc), 5);
        let text = crate::yaml::emit(&doc);
        assert!(text.contains("routing_key: k"), "{text}");
        assert!(!text.contains("username: u"), "{text}");
        assert!(!text.contains("http://h"), "{text}");
        let mut raw = crate::yaml::parse(
            "receivers:\n- name: r\n  webhook_configs:\n  - url: http://h\n    http_config: {proxy_url: 'http://u:pw@proxy:3128'}\n",
        )
        .unwrap();
        assert_eq!(redact(&mut raw), 2);
        let text = crate::yaml::emit(&raw);
        assert!(!text.contains("pw"), "{text}");
        assert!(text.contains("proxy:3128"), "{text}");
        // A copied configuration may hold keys the types lack, a misspelt secret key among
        // them.
        let mut copied = crate::yaml::parse(
            "receivers:\n- name: r\n  pagerduty_configs: [{routing_kye: LEAK, url: 'http://pd'}]\n",
        )
        .unwrap();
        assert_eq!(redact(&mut copied), 1);
        let text = crate::yaml::emit(&copied);
        assert!(
            !text.contains("LEAK") && text.contains("http://pd"),
            "{text}"
        );
    }
}

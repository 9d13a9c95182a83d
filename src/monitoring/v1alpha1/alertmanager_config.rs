//! `AlertmanagerConfig`: a namespaced piece of Alertmanager configuration.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

crate::monitoring::custom_resource!(
    /// Routes, receivers and inhibition rules merged into an Alertmanager's configuration.
    AlertmanagerConfig, AlertmanagerConfigSpec, "monitoring.coreos.com/v1alpha1", "alertmanagerconfigs",
    /// The version the object was written in: the operator reads every AlertmanagerConfig as
    /// v1alpha1, but a path said to the user names the field as they wrote it.
    written_as: ApiVersion
);

/// A served version of the AlertmanagerConfig API (they differ only around time intervals).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ApiVersion {
    /// `monitoring.coreos.com/v1alpha1` (`muteTimeIntervals`), the version the operator reads.
    #[default]
    V1alpha1,
    /// `monitoring.coreos.com/v1beta1` (`timeIntervals`).
    V1beta1,
}

impl AlertmanagerConfig {
    /// The object as JSON, its fields named as in the version it was written in.
    pub fn written_json(&self) -> serde_json::Value {
        let mut json = serde_json::to_value(self).unwrap_or_default();
        if self.written_as == ApiVersion::V1beta1
            && let Some(spec) = json.get_mut("spec").and_then(|s| s.as_object_mut())
            && let Some(intervals) = spec.remove("muteTimeIntervals")
        {
            spec.insert("timeIntervals".to_owned(), intervals);
        }
        json
    }
}

impl ApiVersion {
    /// The path in an object of this version of the field at `path` in its v1alpha1 form.
    pub fn field_path(self, path: &str) -> String {
        match (self, path.strip_prefix("spec.muteTimeIntervals")) {
            (ApiVersion::V1beta1, Some(rest)) => format!("spec.timeIntervals{rest}"),
            _ => path.to_owned(),
        }
    }
}

/// Routing, receivers, inhibition and time intervals, scoped to its namespace.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AlertmanagerConfigSpec {
    /// Route (`route`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route: Option<Route>,
    /// Receivers (`receivers`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub receivers: Vec<Receiver>,
    /// Inhibit rules (`inhibitRules`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inhibit_rules: Vec<InhibitRule>,
    /// Mute time intervals (`muteTimeIntervals`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mute_time_intervals: Vec<MuteTimeInterval>,
}

/// A routing tree node.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Route {
    /// Receiver (`receiver`).
    #[serde(default)]
    pub receiver: String,
    /// Group by (`groupBy`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub group_by: Vec<String>,
    /// Group wait (`groupWait`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_wait: Option<String>,
    /// Group interval (`groupInterval`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_interval: Option<String>,
    /// Repeat interval (`repeatInterval`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repeat_interval: Option<String>,
    /// Matchers (`matchers`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub matchers: Vec<Matcher>,
    /// Continue (`continue`).
    #[serde(
        rename = "continue",
        default,
        deserialize_with = "crate::monitoring::de::bool",
        skip_serializing_if = "std::ops::Not::not"
    )]
    pub continue_: bool,
    /// Routes (`routes`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub routes: Vec<serde_json::Value>,
    /// Mute time intervals (`muteTimeIntervals`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mute_time_intervals: Vec<String>,
    /// Active time intervals (`activeTimeIntervals`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub active_time_intervals: Vec<String>,
}

/// A named set of notification integrations.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Receiver {
    /// Name (`name`).
    #[serde(default)]
    pub name: String,
    /// Ops genie configs (`opsgenieConfigs`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub opsgenie_configs: Vec<OpsGenieConfig>,
    /// Pager duty configs (`pagerdutyConfigs`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pagerduty_configs: Vec<PagerDutyConfig>,
    /// Discord configs (`discordConfigs`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub discord_configs: Vec<DiscordConfig>,
    /// Slack configs (`slackConfigs`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub slack_configs: Vec<SlackConfig>,
    /// Webhook configs (`webhookConfigs`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub webhook_configs: Vec<WebhookConfig>,
    /// We chat configs (`wechatConfigs`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub wechat_configs: Vec<WeChatConfig>,
    /// Email configs (`emailConfigs`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub email_configs: Vec<EmailConfig>,
    /// Victor ops configs (`victoropsConfigs`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub victorops_configs: Vec<VictorOpsConfig>,
    /// Pushover configs (`pushoverConfigs`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pushover_configs: Vec<PushoverConfig>,
    /// SNS configs (`snsConfigs`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sns_configs: Vec<SNSConfig>,
    /// Telegram configs (`telegramConfigs`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub telegram_configs: Vec<TelegramConfig>,
    /// Webex configs (`webexConfigs`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub webex_configs: Vec<WebexConfig>,
    /// Ms teams configs (`msteamsConfigs`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub msteams_configs: Vec<MSTeamsConfig>,
    /// Ms teams v2 configs (`msteamsv2Configs`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub msteamsv2_configs: Vec<MSTeamsV2Config>,
    /// Rocket chat configs (`rocketchatConfigs`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rocketchat_configs: Vec<RocketChatConfig>,
}

crate::monitoring::inline_fields! {
    /// PagerDuty notifications.
    pub struct PagerDutyConfig {
        ..notifier,
        /// Routing key (`routingKey`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub routing_key: Option<k8s_openapi::api::core::v1::SecretKeySelector>,
        /// Service key (`serviceKey`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub service_key: Option<k8s_openapi::api::core::v1::SecretKeySelector>,
        /// URL (`url`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub url: Option<String>,
        /// Client (`client`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub client: Option<String>,
        /// Client URL (`clientURL`).
        #[serde(rename = "clientURL", default, skip_serializing_if = "Option::is_none")]
        pub client_url: Option<String>,
        /// Description (`description`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub description: Option<String>,
        /// Severity (`severity`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub severity: Option<String>,
        /// Class (`class`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub class: Option<String>,
        /// Group (`group`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub group: Option<String>,
        /// Component (`component`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub component: Option<String>,
        /// Details (`details`).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub details: Vec<KeyValue>,
        /// Pager duty image configs (`pagerDutyImageConfigs`).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub pager_duty_image_configs: Vec<PagerDutyImageConfig>,
        /// Pager duty link configs (`pagerDutyLinkConfigs`).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub pager_duty_link_configs: Vec<PagerDutyLinkConfig>,
        /// HTTP config (`httpConfig`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub http_config: Option<HTTPConfig>,
        /// Source (`source`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub source: Option<String>,
        /// Timeout (`timeout`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub timeout: Option<String>,
    }
}

/// An image attached to a PagerDuty incident.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PagerDutyImageConfig {
    /// Src (`src`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub src: Option<String>,
    /// Href (`href`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    /// Alt (`alt`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alt: Option<String>,
}

/// A link attached to a PagerDuty incident.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PagerDutyLinkConfig {
    /// Href (`href`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    /// Text (`alt`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alt: Option<String>,
}

crate::monitoring::inline_fields! {
    /// Discord notifications.
    pub struct DiscordConfig {
        ..notifier,
        /// API URL (`apiURL`).
        #[serde(rename = "apiURL", default)]
        pub api_url: k8s_openapi::api::core::v1::SecretKeySelector,
        /// Title (`title`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub title: Option<String>,
        /// Message (`message`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub message: Option<String>,
        /// Content (`content`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub content: Option<String>,
        /// Username (`username`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub username: Option<String>,
        /// Avatar URL (`avatarURL`).
        #[serde(rename = "avatarURL", default, skip_serializing_if = "Option::is_none")]
        pub avatar_url: Option<String>,
        /// HTTP config (`httpConfig`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub http_config: Option<HTTPConfig>,
    }
}

crate::monitoring::inline_fields! {
    /// Slack notifications.
    pub struct SlackConfig {
        ..notifier,
        /// API URL (`apiURL`).
        #[serde(rename = "apiURL", default, skip_serializing_if = "Option::is_none")]
        pub api_url: Option<k8s_openapi::api::core::v1::SecretKeySelector>,
        /// Channel (`channel`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub channel: Option<String>,
        /// Username (`username`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub username: Option<String>,
        /// Color (`color`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub color: Option<String>,
        /// Title (`title`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub title: Option<String>,
        /// Title link (`titleLink`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub title_link: Option<String>,
        /// Pretext (`pretext`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub pretext: Option<String>,
        /// Text (`text`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub text: Option<String>,
        /// Fields (`fields`).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub fields: Vec<SlackField>,
        /// Short fields (`shortFields`).
        #[serde(
            default,
            deserialize_with = "crate::monitoring::de::opt_bool",
            skip_serializing_if = "Option::is_none"
        )]
        pub short_fields: Option<bool>,
        /// Footer (`footer`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub footer: Option<String>,
        /// Fallback (`fallback`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub fallback: Option<String>,
        /// Callback ID (`callbackId`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub callback_id: Option<String>,
        /// Icon emoji (`iconEmoji`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub icon_emoji: Option<String>,
        /// Icon URL (`iconURL`).
        #[serde(rename = "iconURL", default, skip_serializing_if = "Option::is_none")]
        pub icon_url: Option<String>,
        /// Image URL (`imageURL`).
        #[serde(rename = "imageURL", default, skip_serializing_if = "Option::is_none")]
        pub image_url: Option<String>,
        /// Thumb URL (`thumbURL`).
        #[serde(rename = "thumbURL", default, skip_serializing_if = "Option::is_none")]
        pub thumb_url: Option<String>,
        /// Link names (`linkNames`).
        #[serde(
            default,
            deserialize_with = "crate::monitoring::de::opt_bool",
            skip_serializing_if = "Option::is_none"
        )]
        pub link_names: Option<bool>,
        /// Mrkdwn in (`mrkdwnIn`).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub mrkdwn_in: Vec<String>,
        /// Actions (`actions`).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub actions: Vec<SlackAction>,
        /// HTTP config (`httpConfig`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub http_config: Option<HTTPConfig>,
        /// Timeout (`timeout`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub timeout: Option<String>,
        /// Message text (`messageText`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub message_text: Option<String>,
        /// Update message (`updateMessage`).
        #[serde(
            default,
            deserialize_with = "crate::monitoring::de::opt_bool",
            skip_serializing_if = "Option::is_none"
        )]
        pub update_message: Option<bool>,
    }
}

/// An interactive Slack message action.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SlackAction {
    /// Type (`type`).
    #[serde(rename = "type", default)]
    pub type_: String,
    /// Text (`text`).
    #[serde(default)]
    pub text: String,
    /// URL (`url`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Style (`style`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style: Option<String>,
    /// Name (`name`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Value (`value`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Confirm field (`confirm`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirm: Option<SlackConfirmationField>,
}

/// A confirmation dialog of a Slack action.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SlackConfirmationField {
    /// Text (`text`).
    #[serde(default)]
    pub text: String,
    /// Title (`title`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Ok text (`okText`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ok_text: Option<String>,
    /// Dismiss text (`dismissText`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dismiss_text: Option<String>,
}

/// A field of a Slack message attachment.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SlackField {
    /// Title (`title`).
    #[serde(default)]
    pub title: String,
    /// Value (`value`).
    #[serde(default)]
    pub value: String,
    /// Short (`short`).
    #[serde(
        default,
        deserialize_with = "crate::monitoring::de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub short: Option<bool>,
}

crate::monitoring::inline_fields! {
    /// Generic webhook notifications.
    pub struct WebhookConfig {
        ..notifier,
        /// URL (`url`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub url: Option<String>,
        /// URL secret (`urlSecret`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub url_secret: Option<k8s_openapi::api::core::v1::SecretKeySelector>,
        /// HTTP config (`httpConfig`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub http_config: Option<HTTPConfig>,
        /// Max alerts (`maxAlerts`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub max_alerts: Option<i32>,
        /// Timeout (`timeout`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub timeout: Option<String>,
        /// Payload (`payload`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub payload: Option<String>,
    }
}

crate::monitoring::inline_fields! {
    /// OpsGenie notifications.
    pub struct OpsGenieConfig {
        ..notifier,
        /// API key (`apiKey`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub api_key: Option<k8s_openapi::api::core::v1::SecretKeySelector>,
        /// API URL (`apiURL`).
        #[serde(rename = "apiURL", default, skip_serializing_if = "Option::is_none")]
        pub api_url: Option<String>,
        /// Message (`message`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub message: Option<String>,
        /// Description (`description`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub description: Option<String>,
        /// Source (`source`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub source: Option<String>,
        /// Tags (`tags`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub tags: Option<String>,
        /// Note (`note`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub note: Option<String>,
        /// Priority (`priority`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub priority: Option<String>,
        /// Update alerts (`updateAlerts`).
        #[serde(
            default,
            deserialize_with = "crate::monitoring::de::opt_bool",
            skip_serializing_if = "Option::is_none"
        )]
        pub update_alerts: Option<bool>,
        /// Details (`details`).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub details: Vec<KeyValue>,
        /// Responders (`responders`).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub responders: Vec<OpsGenieConfigResponder>,
        /// HTTP config (`httpConfig`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub http_config: Option<HTTPConfig>,
        /// Entity (`entity`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub entity: Option<String>,
        /// Actions (`actions`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub actions: Option<String>,
    }
}

/// An OpsGenie responder.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OpsGenieConfigResponder {
    /// ID (`id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Name (`name`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Username (`username`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// Type (`type`).
    #[serde(rename = "type", default)]
    pub type_: String,
}

crate::monitoring::inline_fields! {
    /// HTTP client settings of a receiver.
    pub struct HTTPConfig {
        /// Authorization (`authorization`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub authorization: Option<crate::monitoring::v1::common::SafeAuthorization>,
        /// Basic auth (`basicAuth`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub basic_auth: Option<crate::monitoring::v1::common::BasicAuth>,
        /// Oauth2 (`oauth2`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub oauth2: Option<crate::monitoring::v1::common::OAuth2>,
        /// Bearer token secret (`bearerTokenSecret`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub bearer_token_secret: Option<k8s_openapi::api::core::v1::SecretKeySelector>,
        /// TLS config (`tlsConfig`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub tls_config: Option<crate::monitoring::v1::tls::SafeTLSConfig>,
        /// Deprecated spelling of `proxyUrl` (`proxyURL`).
        #[serde(rename = "proxyURL", default, skip_serializing_if = "Option::is_none")]
        pub proxy_url_original: Option<String>,
        ..proxy,
        /// Follow redirects (`followRedirects`).
        #[serde(
            default,
            deserialize_with = "crate::monitoring::de::opt_bool",
            skip_serializing_if = "Option::is_none"
        )]
        pub follow_redirects: Option<bool>,
        /// Enable HTTP/2 (`enableHttp2`).
        #[serde(
            default,
            deserialize_with = "crate::monitoring::de::opt_bool",
            skip_serializing_if = "Option::is_none"
        )]
        pub enable_http2: Option<bool>,
    }
}

crate::monitoring::inline_fields! {
    /// Webex notifications.
    pub struct WebexConfig {
        ..notifier,
        /// API URL (`apiURL`).
        #[serde(rename = "apiURL", default, skip_serializing_if = "Option::is_none")]
        pub api_url: Option<String>,
        /// HTTP config (`httpConfig`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub http_config: Option<HTTPConfig>,
        /// Message (`message`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub message: Option<String>,
        /// Room ID (`roomID`).
        #[serde(rename = "roomID", default)]
        pub room_id: String,
    }
}

crate::monitoring::inline_fields! {
    /// WeChat notifications.
    pub struct WeChatConfig {
        ..notifier,
        /// API secret (`apiSecret`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub api_secret: Option<k8s_openapi::api::core::v1::SecretKeySelector>,
        /// API URL (`apiURL`).
        #[serde(rename = "apiURL", default, skip_serializing_if = "Option::is_none")]
        pub api_url: Option<String>,
        /// Corp ID (`corpID`).
        #[serde(rename = "corpID", default, skip_serializing_if = "Option::is_none")]
        pub corp_id: Option<String>,
        /// Agent ID (`agentID`).
        #[serde(rename = "agentID", default, skip_serializing_if = "Option::is_none")]
        pub agent_id: Option<String>,
        /// To user (`toUser`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub to_user: Option<String>,
        /// To party (`toParty`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub to_party: Option<String>,
        /// To tag (`toTag`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub to_tag: Option<String>,
        /// Message (`message`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub message: Option<String>,
        /// Message type (`messageType`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub message_type: Option<String>,
        /// HTTP config (`httpConfig`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub http_config: Option<HTTPConfig>,
    }
}

crate::monitoring::inline_fields! {
    /// Email notifications.
    pub struct EmailConfig {
        ..notifier,
        /// To (`to`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub to: Option<String>,
        /// From (`from`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub from: Option<String>,
        /// Hello (`hello`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub hello: Option<String>,
        /// Smarthost (`smarthost`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub smarthost: Option<String>,
        /// Auth username (`authUsername`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub auth_username: Option<String>,
        /// Auth password (`authPassword`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub auth_password: Option<k8s_openapi::api::core::v1::SecretKeySelector>,
        /// Auth secret (`authSecret`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub auth_secret: Option<k8s_openapi::api::core::v1::SecretKeySelector>,
        /// Auth identity (`authIdentity`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub auth_identity: Option<String>,
        /// Headers (`headers`).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub headers: Vec<KeyValue>,
        /// HTML (`html`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub html: Option<String>,
        /// Text (`text`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub text: Option<String>,
        /// Require TLS (`requireTLS`).
        #[serde(
            rename = "requireTLS",
            default,
            deserialize_with = "crate::monitoring::de::opt_bool",
            skip_serializing_if = "Option::is_none"
        )]
        pub require_tls: Option<bool>,
        /// TLS config (`tlsConfig`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub tls_config: Option<crate::monitoring::v1::tls::SafeTLSConfig>,
        /// Force implicit TLS (`forceImplicitTLS`).
        #[serde(
            rename = "forceImplicitTLS",
            default,
            deserialize_with = "crate::monitoring::de::opt_bool",
            skip_serializing_if = "Option::is_none"
        )]
        pub force_implicit_tls: Option<bool>,
        /// Threading (`threading`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub threading: Option<EmailThreadingConfig>,
    }
}

/// Email threading settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EmailThreadingConfig {
    /// Thread by date (`threadByDate`).
    #[serde(default)]
    pub thread_by_date: String,
}

crate::monitoring::inline_fields! {
    /// VictorOps notifications.
    pub struct VictorOpsConfig {
        ..notifier,
        /// API key (`apiKey`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub api_key: Option<k8s_openapi::api::core::v1::SecretKeySelector>,
        /// API URL (`apiUrl`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub api_url: Option<String>,
        /// Routing key (`routingKey`).
        #[serde(default)]
        pub routing_key: String,
        /// Message type (`messageType`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub message_type: Option<String>,
        /// Entity display name (`entityDisplayName`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub entity_display_name: Option<String>,
        /// State message (`stateMessage`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub state_message: Option<String>,
        /// Monitoring tool (`monitoringTool`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub monitoring_tool: Option<String>,
        /// Custom fields (`customFields`).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub custom_fields: Vec<KeyValue>,
        /// HTTP config (`httpConfig`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub http_config: Option<HTTPConfig>,
    }
}

crate::monitoring::inline_fields! {
    /// Pushover notifications.
    pub struct PushoverConfig {
        ..notifier,
        /// User key (`userKey`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub user_key: Option<k8s_openapi::api::core::v1::SecretKeySelector>,
        /// User key file (`userKeyFile`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub user_key_file: Option<String>,
        /// Token (`token`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub token: Option<k8s_openapi::api::core::v1::SecretKeySelector>,
        /// Token file (`tokenFile`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub token_file: Option<String>,
        /// Title (`title`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub title: Option<String>,
        /// Message (`message`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub message: Option<String>,
        /// URL (`url`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub url: Option<String>,
        /// URL title (`urlTitle`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub url_title: Option<String>,
        /// TTL (`ttl`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub ttl: Option<String>,
        /// Device (`device`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub device: Option<String>,
        /// Sound (`sound`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub sound: Option<String>,
        /// Priority (`priority`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub priority: Option<String>,
        /// Retry (`retry`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub retry: Option<String>,
        /// Expire (`expire`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub expire: Option<String>,
        /// HTML (`html`).
        #[serde(
            default,
            deserialize_with = "crate::monitoring::de::opt_bool",
            skip_serializing_if = "Option::is_none"
        )]
        pub html: Option<bool>,
        /// Monospace (`monospace`).
        #[serde(
            default,
            deserialize_with = "crate::monitoring::de::opt_bool",
            skip_serializing_if = "Option::is_none"
        )]
        pub monospace: Option<bool>,
        /// HTTP config (`httpConfig`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub http_config: Option<HTTPConfig>,
    }
}

crate::monitoring::inline_fields! {
    /// AWS SNS notifications.
    pub struct SNSConfig {
        ..notifier,
        /// API URL (`apiURL`).
        #[serde(rename = "apiURL", default, skip_serializing_if = "Option::is_none")]
        pub api_url: Option<String>,
        /// Sigv4 (`sigv4`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub sigv4: Option<crate::monitoring::v1::common::Sigv4>,
        /// Topic ARN (`topicARN`).
        #[serde(rename = "topicARN", default, skip_serializing_if = "Option::is_none")]
        pub topic_arn: Option<String>,
        /// Subject (`subject`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub subject: Option<String>,
        /// Phone number (`phoneNumber`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub phone_number: Option<String>,
        /// Target ARN (`targetARN`).
        #[serde(rename = "targetARN", default, skip_serializing_if = "Option::is_none")]
        pub target_arn: Option<String>,
        /// Message (`message`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub message: Option<String>,
        /// Attributes (`attributes`).
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        pub attributes: BTreeMap<String, String>,
        /// HTTP config (`httpConfig`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub http_config: Option<HTTPConfig>,
        /// Use awshttp client (`useAWSHTTPClient`).
        #[serde(
            rename = "useAWSHTTPClient",
            default,
            deserialize_with = "crate::monitoring::de::opt_bool",
            skip_serializing_if = "Option::is_none"
        )]
        pub use_awshttp_client: Option<bool>,
    }
}

crate::monitoring::inline_fields! {
    /// Telegram notifications.
    pub struct TelegramConfig {
        ..notifier,
        /// API URL (`apiURL`).
        #[serde(rename = "apiURL", default, skip_serializing_if = "Option::is_none")]
        pub api_url: Option<String>,
        /// Bot token (`botToken`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub bot_token: Option<k8s_openapi::api::core::v1::SecretKeySelector>,
        /// Bot token file (`botTokenFile`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub bot_token_file: Option<String>,
        /// Chat ID (`chatID`).
        #[serde(rename = "chatID", default, skip_serializing_if = "Option::is_none")]
        pub chat_id: Option<i64>,
        /// Message thread ID (`messageThreadID`).
        #[serde(
            rename = "messageThreadID",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        pub message_thread_id: Option<i64>,
        /// Message (`message`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub message: Option<String>,
        /// Disable notifications (`disableNotifications`).
        #[serde(
            default,
            deserialize_with = "crate::monitoring::de::opt_bool",
            skip_serializing_if = "Option::is_none"
        )]
        pub disable_notifications: Option<bool>,
        /// Parse mode (`parseMode`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub parse_mode: Option<String>,
        /// HTTP config (`httpConfig`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub http_config: Option<HTTPConfig>,
    }
}

crate::monitoring::inline_fields! {
    /// Microsoft Teams notifications (connectors).
    pub struct MSTeamsConfig {
        ..notifier,
        /// Webhook URL (`webhookUrl`).
        #[serde(default)]
        pub webhook_url: k8s_openapi::api::core::v1::SecretKeySelector,
        /// Title (`title`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub title: Option<String>,
        /// Summary (`summary`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub summary: Option<String>,
        /// Text (`text`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub text: Option<String>,
        /// HTTP config (`httpConfig`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub http_config: Option<HTTPConfig>,
    }
}

crate::monitoring::inline_fields! {
    /// Microsoft Teams notifications (workflows).
    pub struct MSTeamsV2Config {
        ..notifier,
        /// Webhook URL (`webhookURL`).
        #[serde(
            rename = "webhookURL",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        pub webhook_url: Option<k8s_openapi::api::core::v1::SecretKeySelector>,
        /// Title (`title`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub title: Option<String>,
        /// Text (`text`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub text: Option<String>,
        /// HTTP config (`httpConfig`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub http_config: Option<HTTPConfig>,
    }
}

crate::monitoring::inline_fields! {
    /// Rocket.Chat notifications.
    pub struct RocketChatConfig {
        ..notifier,
        /// API URL (`apiURL`).
        #[serde(rename = "apiURL", default, skip_serializing_if = "Option::is_none")]
        pub api_url: Option<String>,
        /// Channel (`channel`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub channel: Option<String>,
        /// Token (`token`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub token: Option<k8s_openapi::api::core::v1::SecretKeySelector>,
        /// Token ID (`tokenID`).
        #[serde(rename = "tokenID", default, skip_serializing_if = "Option::is_none")]
        pub token_id: Option<k8s_openapi::api::core::v1::SecretKeySelector>,
        /// Color (`color`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub color: Option<String>,
        /// Emoji (`emoji`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub emoji: Option<String>,
        /// Icon URL (`iconURL`).
        #[serde(rename = "iconURL", default, skip_serializing_if = "Option::is_none")]
        pub icon_url: Option<String>,
        /// Text (`text`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub text: Option<String>,
        /// Title (`title`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub title: Option<String>,
        /// Title link (`titleLink`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub title_link: Option<String>,
        /// Fields (`fields`).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub fields: Vec<RocketChatFieldConfig>,
        /// Short fields (`shortFields`).
        #[serde(
            default,
            deserialize_with = "crate::monitoring::de::opt_bool",
            skip_serializing_if = "Option::is_none"
        )]
        pub short_fields: Option<bool>,
        /// Image URL (`imageURL`).
        #[serde(rename = "imageURL", default, skip_serializing_if = "Option::is_none")]
        pub image_url: Option<String>,
        /// Thumb URL (`thumbURL`).
        #[serde(rename = "thumbURL", default, skip_serializing_if = "Option::is_none")]
        pub thumb_url: Option<String>,
        /// Link names (`linkNames`).
        #[serde(
            default,
            deserialize_with = "crate::monitoring::de::opt_bool",
            skip_serializing_if = "Option::is_none"
        )]
        pub link_names: Option<bool>,
        /// Actions (`actions`).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub actions: Vec<RocketChatActionConfig>,
        /// HTTP config (`httpConfig`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub http_config: Option<HTTPConfig>,
    }
}

/// A field of a Rocket.Chat message.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RocketChatFieldConfig {
    /// Title (`title`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Value (`value`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Short (`short`).
    #[serde(
        default,
        deserialize_with = "crate::monitoring::de::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub short: Option<bool>,
}

/// A button of a Rocket.Chat message.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RocketChatActionConfig {
    /// Text (`text`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// URL (`url`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Msg (`msg`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub msg: Option<String>,
}

/// Mutes target alerts while matching source alerts fire.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InhibitRule {
    /// Target match (`targetMatch`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub target_match: Vec<Matcher>,
    /// Source match (`sourceMatch`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub source_match: Vec<Matcher>,
    /// Equal (`equal`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub equal: Vec<String>,
}

/// A key/value pair.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyValue {
    /// Key (`key`).
    #[serde(default)]
    pub key: String,
    /// Value (`value`).
    #[serde(default)]
    pub value: String,
}

/// A label matcher.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Matcher {
    /// Name (`name`).
    #[serde(default)]
    pub name: String,
    /// Value (`value`).
    #[serde(default)]
    pub value: String,
    /// Match type (`matchType`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub match_type: Option<String>,
    /// Regex (`regex`).
    #[serde(
        default,
        deserialize_with = "crate::monitoring::de::bool",
        skip_serializing_if = "std::ops::Not::not"
    )]
    pub regex: bool,
}

/// A named set of time intervals.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MuteTimeInterval {
    /// Name (`name`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Time intervals (`timeIntervals`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub time_intervals: Vec<TimeInterval>,
}

/// A recurring period of time.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TimeInterval {
    /// Times (`times`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub times: Vec<TimeRange>,
    /// Weekdays (`weekdays`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub weekdays: Vec<String>,
    /// Days of month (`daysOfMonth`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub days_of_month: Vec<DayOfMonthRange>,
    /// Months (`months`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub months: Vec<String>,
    /// Years (`years`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub years: Vec<String>,
}

/// A start and end time of day.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TimeRange {
    /// Start time (`startTime`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    /// End time (`endTime`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time: Option<String>,
}

/// A range of days of the month.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DayOfMonthRange {
    /// Start (`start`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<i64>,
    /// End (`end`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyword_and_acronym_fields_deserialize() {
        let cfg: AlertmanagerConfig = crate::yaml::from_str(
            "metadata: {name: a, namespace: b}\n\
             spec:\n\
             \x20 route: {receiver: r, continue: yes, groupBy: [job], routes: [{receiver: x}]}\n\
             \x20 receivers:\n\
             \x20 - name: r\n\
             \x20   opsgenieConfigs: [{responders: [{type: team, name: t}]}]\n\
             \x20   webhookConfigs: [{url: 'http://x', httpConfig: {proxyURL: 'http://p'}}]\n",
        )
        .unwrap();
        let route = cfg.spec.route.unwrap();
        assert!(route.continue_);
        assert_eq!(route.routes.len(), 1);
        let receiver = &cfg.spec.receivers[0];
        assert_eq!(receiver.opsgenie_configs[0].responders[0].type_, "team");
        let http = receiver.webhook_configs[0].http_config.as_ref().unwrap();
        assert_eq!(http.proxy_url_original.as_deref(), Some("http://p"));
    }
}

//! The routing tree, mirroring Alertmanager's `dispatch/route.go` (`NewRoute` with its option
//! inheritance, `Route.Match`, `Key`, `ID`, `Walk`) and the dispatcher's group labels and
//! group key (`getGroupLabels`, `aggrGroup`).

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::Serialize;

use super::RoutingError;
use super::compat::ParseMode;
use super::config::{RouteConfig, decode_route, load_config};
use super::inhibit::Inhibitor;
use super::labels::{
    LabelSet, Matcher, MatcherCheck, check_matchers, render_label_set, render_matchers,
    sort_matchers,
};
use super::timeinterval::{Intervener, TimeStatus};
use crate::duration::Duration;
use crate::version::Version;
use crate::yaml::Yaml;

/// Default `group_wait`.
const DEFAULT_GROUP_WAIT_MS: u64 = 30_000;
/// Default `group_interval`.
const DEFAULT_GROUP_INTERVAL_MS: u64 = 5 * 60_000;
/// Default `repeat_interval`.
const DEFAULT_REPEAT_INTERVAL_MS: u64 = 4 * 3_600_000;

/// A route's effective options, after inheritance from its ancestors.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RouteOpts {
    /// The receiver (inherited when the route names none).
    pub receiver: String,
    /// Labels to group by, sorted (inherited unless the route sets `group_by`).
    pub group_by: Vec<String>,
    /// `group_by: ['...']`: group by all labels.
    pub group_by_all: bool,
    /// `group_wait` (default 30s).
    pub group_wait: Duration,
    /// `group_interval` (default 5m).
    pub group_interval: Duration,
    /// `repeat_interval` (default 4h).
    pub repeat_interval: Duration,
    /// The route's own `mute_time_intervals` (never inherited).
    pub mute_time_intervals: Vec<String>,
    /// The route's own `active_time_intervals` (never inherited).
    pub active_time_intervals: Vec<String>,
    /// Route `labels`, merged over the ancestors' (the route's own win).
    pub labels: BTreeMap<String, String>,
}

impl Default for RouteOpts {
    fn default() -> Self {
        RouteOpts {
            receiver: String::new(),
            group_by: Vec::new(),
            group_by_all: false,
            group_wait: Duration::from_millis(DEFAULT_GROUP_WAIT_MS),
            group_interval: Duration::from_millis(DEFAULT_GROUP_INTERVAL_MS),
            repeat_interval: Duration::from_millis(DEFAULT_REPEAT_INTERVAL_MS),
            mute_time_intervals: Vec::new(),
            active_time_intervals: Vec::new(),
            labels: BTreeMap::new(),
        }
    }
}

/// One node of the routing tree.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Node {
    /// Position in the configuration: `""` for the root, `"0/2"` for `routes[0].routes[2]`.
    pub path: String,
    /// Alertmanager's `Route.ID()`: unique, used in its API and logs.
    pub id: String,
    /// Alertmanager's `Route.Key()`: the start of the group keys of this route's groups.
    pub key: String,
    /// Nesting depth (root 0).
    pub depth: usize,
    /// The parent's index in [`Tree::nodes`].
    #[serde(skip)]
    pub parent: Option<usize>,
    /// The children's indices in [`Tree::nodes`], in configuration order.
    #[serde(skip)]
    pub children: Vec<usize>,
    /// `match`, `match_re` (anchored) and `matchers`, sorted as Alertmanager sorts them.
    pub matchers: Vec<Matcher>,
    /// `continue`: after matching, later siblings are tried too.
    #[serde(rename = "continue")]
    pub continue_matching: bool,
    /// Effective options.
    #[serde(flatten)]
    pub opts: RouteOpts,
}

/// A route an alert was routed to.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RouteMatch<'a> {
    /// Index in [`Tree::nodes`].
    #[serde(skip)]
    pub index: usize,
    /// The route.
    #[serde(flatten)]
    pub node: &'a Node,
    /// The alert's labels the route groups by (all of them for `...`; absent ones left out).
    pub group_labels: BTreeMap<&'a str, &'a str>,
    /// The key of the aggregation group the alert joins: `Key()` + `:` + group labels.
    pub group_key: String,
}

/// One step of the depth-first search, in the order Alertmanager takes them.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "step", rename_all = "camelCase")]
pub enum TraceStep<'a> {
    /// A route was tested: each of its matchers against the alert.
    #[serde(rename_all = "camelCase")]
    Tried {
        /// Index in [`Tree::nodes`].
        node: usize,
        /// The route's path.
        path: &'a str,
        /// Its depth.
        depth: usize,
        /// Whether all matchers held.
        matched: bool,
        /// Each matcher's outcome.
        matchers: Vec<MatcherCheck<'a>>,
    },
    /// A matched route has `continue: true`: its later siblings are tried as well.
    Continued {
        /// Index in [`Tree::nodes`].
        node: usize,
        /// The route's path.
        path: &'a str,
    },
    /// A route matched without `continue`: its later siblings are not tried.
    Stopped {
        /// Index in [`Tree::nodes`].
        node: usize,
        /// The route's path.
        path: &'a str,
        /// Paths of the siblings left untried.
        skipped: Vec<&'a str>,
    },
    /// A matched route none of whose children matched is a result.
    Selected {
        /// Index in [`Tree::nodes`].
        node: usize,
        /// The route's path.
        path: &'a str,
    },
}

/// Where an alert goes: the matched routes in Alertmanager's order, and how the search went.
#[derive(Clone, Debug, Serialize)]
pub struct Routed<'a> {
    /// The matched routes (`Route.Match`), in order; never empty.
    pub matches: Vec<RouteMatch<'a>>,
    /// Every route tried and why it matched or not, and where `continue` carried on.
    pub trace: Vec<TraceStep<'a>>,
}

impl Routed<'_> {
    /// The receivers of the matched routes, in order, duplicates kept (what
    /// `amtool config routes test` prints).
    pub fn receivers(&self) -> Vec<&str> {
        self.matches
            .iter()
            .map(|m| m.node.opts.receiver.as_str())
            .collect()
    }
}

/// A routing tree built from an alertmanager.yaml, with its time intervals and inhibition
/// rules.
#[derive(Clone, Debug)]
pub struct Tree {
    nodes: Vec<Node>,
    receivers: Vec<String>,
    intervals: Intervener,
    inhibitor: Inhibitor,
    mode: ParseMode,
}

impl Tree {
    /// Loads a whole alertmanager.yaml with the checks `config.Load` makes that routing relies
    /// on, parsing matchers as the `alertmanager` binary does by default
    /// ([`ParseMode::Fallback`]).
    pub fn from_config(config: &Yaml) -> Result<Tree, RoutingError> {
        Tree::from_config_with_mode(config, ParseMode::default())
    }

    /// [`Tree::from_config`] under another matcher-parsing mode.
    pub fn from_config_with_mode(config: &Yaml, mode: ParseMode) -> Result<Tree, RoutingError> {
        Tree::from_config_as(config, mode, None)
    }

    /// [`Tree::from_config_with_mode`] judging names as the Alertmanager binary of `version`
    /// does (the newest without one): see [`super::refused_equal_label`].
    pub fn from_config_as(
        config: &Yaml,
        mode: ParseMode,
        version: Option<&Version>,
    ) -> Result<Tree, RoutingError> {
        let parts = load_config(config, mode, version)?;
        let mut tree = Tree::build(&parts.route, mode);
        tree.receivers = parts.receivers;
        tree.intervals = Intervener::new(parts.time_intervals);
        tree.inhibitor = Inhibitor::new(parts.inhibit_rules);
        Ok(tree)
    }

    /// Builds a tree from a bare `route:` mapping with only the route-level checks
    /// (`Route.UnmarshalYAML`), as `dispatch.NewRoute` on a decoded route: no receivers, time
    /// intervals or inhibition rules, and no root constraints.
    pub fn from_route(route: &Yaml, mode: ParseMode) -> Result<Tree, RoutingError> {
        let config = decode_route(route, "route", mode, 0)?;
        Ok(Tree::build(&config, mode))
    }

    fn build(root: &RouteConfig, mode: ParseMode) -> Tree {
        let mut tree = Tree {
            nodes: Vec::new(),
            receivers: Vec::new(),
            intervals: Intervener::default(),
            inhibitor: Inhibitor::default(),
            mode,
        };
        tree.add(root, None, 0);
        tree
    }

    /// Adds `config` and its subtree in pre-order (Go's `newRoute`); depth was bounded when the
    /// configuration was decoded.
    fn add(&mut self, config: &RouteConfig, parent: Option<usize>, sibling: usize) -> usize {
        let parent_node = parent.and_then(|p| self.nodes.get(p));
        let mut opts = parent_node.map_or_else(RouteOpts::default, |p| p.opts.clone());
        opts.labels.extend(config.labels.iter().cloned());
        if !config.receiver.is_empty() {
            opts.receiver.clone_from(&config.receiver);
        }
        if let Some(group_by) = &config.group_by {
            opts.group_by = group_by.clone();
            opts.group_by.sort();
            opts.group_by_all = false;
        } else if config.group_by_all {
            opts.group_by_all = true;
        }
        opts.group_wait = config.group_wait.unwrap_or(opts.group_wait);
        opts.group_interval = config.group_interval.unwrap_or(opts.group_interval);
        opts.repeat_interval = config.repeat_interval.unwrap_or(opts.repeat_interval);
        opts.mute_time_intervals
            .clone_from(&config.mute_time_intervals);
        opts.active_time_intervals
            .clone_from(&config.active_time_intervals);
        let mut matchers = config.matchers.clone();
        sort_matchers(&mut matchers);
        let rendered = render_matchers(&matchers);
        let (path, id, key, depth) = match parent_node {
            None => (String::new(), rendered.clone(), rendered, 0),
            Some(p) => (
                if p.path.is_empty() {
                    sibling.to_string()
                } else {
                    format!("{}/{sibling}", p.path)
                },
                format!("{}/{rendered}/{sibling}", p.id),
                format!("{}/{rendered}", p.key),
                p.depth + 1,
            ),
        };
        let index = self.nodes.len();
        self.nodes.push(Node {
            path,
            id,
            key,
            depth,
            parent,
            children: Vec::with_capacity(config.routes.len()),
            matchers,
            continue_matching: config.continue_matching,
            opts,
        });
        for (i, child) in config.routes.iter().enumerate() {
            let child_index = self.add(child, Some(index), i);
            if let Some(node) = self.nodes.get_mut(index) {
                node.children.push(child_index);
            }
        }
        index
    }

    /// Every route in depth-first pre-order (Go's `Route.Walk`); index 0 is the root.
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// The route at `path` (`""` = root, `"0/2"`).
    pub fn node_at(&self, path: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.path == path)
    }

    /// The receivers the configuration defines, in order (empty for [`Tree::from_route`]).
    pub fn receivers(&self) -> &[String] {
        &self.receivers
    }

    /// The named time intervals (`time_intervals` and `mute_time_intervals`).
    pub fn intervals(&self) -> &Intervener {
        &self.intervals
    }

    /// The inhibition rules.
    pub fn inhibitor(&self) -> &Inhibitor {
        &self.inhibitor
    }

    /// The matcher-parsing mode the configuration was read with.
    pub fn mode(&self) -> ParseMode {
        self.mode
    }

    /// Routes an alert (Go's `Route.Match` from the root): depth-first, children in order,
    /// stopping after a matching child unless it has `continue: true`; a matching route none
    /// of whose children match is a result.
    pub fn route<'a>(&'a self, labels: &'a LabelSet) -> Routed<'a> {
        let mut routed = Routed {
            matches: Vec::new(),
            trace: Vec::new(),
        };
        if !self.nodes.is_empty() {
            self.visit(0, labels, &mut routed);
        }
        routed
    }

    /// Tests node `index` and its subtree; whether it matched. Recursion is bounded by the
    /// tree's depth, itself bounded by `MAX_ROUTE_DEPTH` when the configuration was read.
    fn visit<'a>(&'a self, index: usize, labels: &'a LabelSet, out: &mut Routed<'a>) -> bool {
        let Some(node) = self.nodes.get(index) else {
            return false;
        };
        let (matched, checks) = check_matchers(&node.matchers, labels);
        out.trace.push(TraceStep::Tried {
            node: index,
            path: &node.path,
            depth: node.depth,
            matched,
            matchers: checks,
        });
        if !matched {
            return false;
        }
        let before = out.matches.len();
        for (position, &child) in node.children.iter().enumerate() {
            if !self.visit(child, labels, out) {
                continue;
            }
            let Some(child_node) = self.nodes.get(child) else {
                continue;
            };
            if child_node.continue_matching {
                out.trace.push(TraceStep::Continued {
                    node: child,
                    path: &child_node.path,
                });
            } else {
                let later = node.children.get(position + 1..).unwrap_or_default();
                out.trace.push(TraceStep::Stopped {
                    node: child,
                    path: &child_node.path,
                    skipped: later
                        .iter()
                        .filter_map(|&i| self.nodes.get(i))
                        .map(|n| n.path.as_str())
                        .collect(),
                });
                break;
            }
        }
        if out.matches.len() == before {
            out.trace.push(TraceStep::Selected {
                node: index,
                path: &node.path,
            });
            out.matches.push(route_match(index, node, labels));
        }
        true
    }

    /// Whether `node`'s notifications are muted or outside its active times at `at`.
    pub fn time_status(&self, node: &Node, at: Timestamp) -> Result<TimeStatus, RoutingError> {
        Ok(self.intervals.route_status(
            &node.opts.mute_time_intervals,
            &node.opts.active_time_intervals,
            at,
        )?)
    }
}

fn route_match<'a>(index: usize, node: &'a Node, labels: &'a LabelSet) -> RouteMatch<'a> {
    let group_labels: BTreeMap<&str, &str> = if node.opts.group_by_all {
        labels.iter().collect()
    } else {
        node.opts
            .group_by
            .iter()
            .filter_map(|name| labels.get(name).map(|v| (name.as_str(), v)))
            .collect()
    };
    let group_key = format!(
        "{}:{}",
        node.key,
        render_label_set(group_labels.iter().map(|(k, v)| (*k, *v)))
    );
    RouteMatch {
        index,
        node,
        group_labels,
        group_key,
    }
}

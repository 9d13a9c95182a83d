//! Shell completion: `completion bash|zsh|fish` prints a static script for `kubectl-promop`, and
//! the hidden `__complete ARGS...` answers kubectl (1.26+), which runs the
//! `kubectl_complete-promop` executable to complete `kubectl promop ...`, in Cobra's format: one
//! candidate a line (`candidate<TAB>description`), then `:<directive>`.

use std::path::Path;
use std::time::Duration;

use clap::CommandFactory;
use clap_complete::Shell;
use promop::cluster::{Cluster, ConnectOptions};
use promop::kinds::{self, Resource};

use super::render_rules::RULE_INSTANCE_TYPES;
use super::resource_arg::{self, Kind};
use super::{Cli, CliError, output};

/// Arguments of `completion`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shell to print a completion script for.
    #[arg(value_enum)]
    shell: Shell,
}

/// Prints the completion script for `args.shell`.
pub fn run(args: &Args) -> Result<(), CliError> {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "kubectl-promop", &mut script);
    let mut script = String::from_utf8_lossy(&script).into_owned();
    if args.shell == Shell::Bash {
        // clap_complete spells a hyphenated name's subcommand states two ways, so none matches
        // and nothing past the subcommand completes (clap-rs/clap#6421): one spelling here.
        script = script.replace("kubectl__subcmd__promop", "kubectl__promop");
    }
    output::print(&script)
}

/// Cobra's directive: let the shell complete file names.
const DIRECTIVE_DEFAULT: u32 = 0;
/// Cobra's directive: do not add a space after the candidate.
const DIRECTIVE_NO_SPACE: u32 = 2;
/// Cobra's directive: no file-name completion when there are no candidates.
const DIRECTIVE_NO_FILE: u32 = 4;

/// How long a completion may wait for the cluster: a slow answer is worse than none.
const CLUSTER_TIMEOUT: Duration = Duration::from_secs(2);

/// The answer to one `__complete` request.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Completions {
    /// `candidate` or `candidate\tdescription`.
    pub candidates: Vec<String>,
    /// Cobra's directive bits.
    pub directive: u32,
}

impl Completions {
    fn of(candidates: Vec<String>, directive: u32) -> Self {
        Completions {
            candidates,
            directive,
        }
    }

    /// Cobra's output format.
    pub fn to_cobra(&self) -> String {
        let mut text = String::new();
        for candidate in &self.candidates {
            text.push_str(candidate);
            text.push('\n');
        }
        text.push_str(&format!(":{}\n", self.directive));
        text
    }
}

/// Runs `__complete WORDS...` (the last word is the one being completed) and prints the answer.
/// Never fails: an unreachable cluster just gives no names.
pub fn run_complete(words: &[String]) -> std::process::ExitCode {
    let answer = complete(words, &|query| query_cluster(query).unwrap_or_default());
    let _ = output::print(&answer.to_cobra());
    std::process::ExitCode::SUCCESS
}

/// What completion asks the cluster for.
#[derive(Clone, Debug, Default)]
pub struct ClusterQuery {
    /// The type whose names are wanted.
    pub resource: Option<&'static Resource>,
    /// The connection flags on the command line so far.
    pub connection: ConnectOptions,
    /// `-A`: names from every namespace.
    pub all_namespaces: bool,
}

/// The words before the one being completed, read against the command tree.
struct Parsed {
    /// Path of subcommand names from the root.
    subcommand: Vec<String>,
    positionals: Vec<String>,
    /// The value-taking flag the current word is the value of.
    pending_flag: Option<String>,
    query: ClusterQuery,
}

/// Answers a completion request; `names` lists the objects a query names (empty on failure).
pub fn complete(words: &[String], names: &dyn Fn(&ClusterQuery) -> Vec<String>) -> Completions {
    let (current, before) = match words.split_last() {
        Some((last, rest)) => (last.as_str(), rest),
        None => ("", &[][..]),
    };
    let mut root = Cli::command();
    root.build();
    let parsed = parse_words(&root, before);
    let mut command = &root;
    for name in &parsed.subcommand {
        if let Some(sub) = command.find_subcommand(name) {
            command = sub;
        }
    }
    let subcommand = parsed.subcommand.first().map(String::as_str).unwrap_or("");

    if let Some(flag) = &parsed.pending_flag {
        return complete_flag_value(command, flag, current, &parsed.query, names);
    }
    if let Some((flag, value)) = current.split_once('=')
        && flag.starts_with("--")
    {
        let prefixed = complete_flag_value(command, flag, value, &parsed.query, names);
        let candidates = prefixed
            .candidates
            .into_iter()
            .map(|c| format!("{flag}={c}"))
            .collect();
        return Completions::of(candidates, prefixed.directive);
    }
    if current.starts_with('-') {
        return Completions::of(flags(command, current), DIRECTIVE_NO_FILE);
    }
    if command.has_subcommands() {
        let candidates = command
            .get_subcommands()
            .filter(|s| !s.is_hide_set() && s.get_name().starts_with(current))
            .map(|s| with_description(s.get_name(), s.get_about()))
            .collect();
        return Completions::of(candidates, DIRECTIVE_NO_FILE);
    }
    let Some(accepted) = accepted_kinds(subcommand) else {
        // A positional with fixed values (e.g. the shell of `completion`).
        let candidates = command
            .get_positionals()
            .nth(parsed.positionals.len())
            .map(|arg| possible_values(arg, current))
            .unwrap_or_default();
        return Completions::of(candidates, DIRECTIVE_NO_FILE);
    };
    // `render|diff rules KIND NAME` and `render|diff statefulset KIND NAME` take a word first.
    let (accepted, positionals, words) = match (subcommand, parsed.positionals.as_slice()) {
        ("render" | "diff", [word, rest @ ..]) if word == "rules" => {
            (RULE_INSTANCE_TYPES.to_vec(), rest, false)
        }
        ("render" | "diff", [word, rest @ ..]) if word == "statefulset" => {
            (resources(resource_arg::INSTANCE_KINDS), rest, false)
        }
        ("render" | "diff", positionals) => (resources(accepted), positionals, true),
        (_, positionals) => (resources(accepted), positionals, false),
    };
    let accepted = accepted.as_slice();
    match positionals {
        [] if words => {
            let mut completions = complete_resource(accepted, current, &parsed.query, names);
            let generated = [
                ("rules", "the rule-file ConfigMaps"),
                ("statefulset", "the workload"),
            ];
            completions.candidates.extend(
                generated
                    .iter()
                    .filter(|(word, _)| word.starts_with(current))
                    .map(|(word, about)| format!("{word}\t{about}")),
            );
            completions
        }
        [] => complete_resource(accepted, current, &parsed.query, names),
        [type_word] if !type_word.contains('/') => match named_by(accepted, type_word) {
            Some(resource) => {
                let query = ClusterQuery {
                    resource: Some(resource),
                    ..parsed.query
                };
                let candidates = names(&query)
                    .into_iter()
                    .filter(|n| n.starts_with(current))
                    .collect();
                Completions::of(candidates, DIRECTIVE_NO_FILE)
            }
            _ => Completions::of(Vec::new(), DIRECTIVE_NO_FILE),
        },
        _ => Completions::of(Vec::new(), DIRECTIVE_NO_FILE),
    }
}

/// The kinds a subcommand's resource argument takes.
fn accepted_kinds(subcommand: &str) -> Option<&'static [Kind]> {
    match subcommand {
        "render" | "diff" => Some(resource_arg::INSTANCE_KINDS),
        "decode-config" | "status" => Some(resource_arg::INSTANCE_KINDS),
        "explain" => Some(resource_arg::EXPLAINABLE_KINDS),
        "route" => Some(resource_arg::ROUTABLE_KINDS),
        _ => None,
    }
}

fn resources(kinds: &[Kind]) -> Vec<&'static Resource> {
    kinds.iter().map(|kind| kind.resource()).collect()
}

/// The type of `accepted` that `type_word` names.
fn named_by(accepted: &[&'static Resource], type_word: &str) -> Option<&'static Resource> {
    accepted.iter().copied().find(|r| r.is_named_by(type_word))
}

/// TYPE (the spelling the user started), or TYPE/NAME once a `/` is typed.
fn complete_resource(
    accepted: &[&'static Resource],
    current: &str,
    query: &ClusterQuery,
    names: &dyn Fn(&ClusterQuery) -> Vec<String>,
) -> Completions {
    if let Some((type_word, name_prefix)) = current.split_once('/') {
        let Some(resource) = named_by(accepted, type_word) else {
            return Completions::of(Vec::new(), DIRECTIVE_NO_FILE);
        };
        let query = ClusterQuery {
            resource: Some(resource),
            ..query.clone()
        };
        let candidates = names(&query)
            .into_iter()
            .filter(|n| n.starts_with(name_prefix))
            .map(|n| format!("{type_word}/{n}"))
            .collect();
        return Completions::of(candidates, DIRECTIVE_NO_FILE);
    }
    let lower = current.to_ascii_lowercase();
    let candidates = accepted
        .iter()
        .filter_map(|resource| {
            let name = resource.kind.to_ascii_lowercase();
            let spelling = [name.as_str(), resource.plural, resource.short_name()]
                .into_iter()
                .find(|s| s.starts_with(&lower))?
                .to_owned();
            Some(format!("{spelling}\t{}", resource.kind))
        })
        .collect();
    Completions::of(candidates, DIRECTIVE_NO_FILE)
}

fn complete_flag_value(
    command: &clap::Command,
    flag: &str,
    current: &str,
    query: &ClusterQuery,
    names: &dyn Fn(&ClusterQuery) -> Vec<String>,
) -> Completions {
    let Some(arg) = find_flag(command, flag) else {
        return Completions::of(Vec::new(), DIRECTIVE_NO_FILE);
    };
    let starting = |list: Vec<String>| -> Vec<String> {
        list.into_iter()
            .filter(|c| c.starts_with(current))
            .collect()
    };
    match arg.get_id().as_str() {
        "files" | "kubeconfig" => Completions::of(Vec::new(), DIRECTIVE_DEFAULT),
        "namespace" => {
            let query = ClusterQuery {
                resource: Some(&kinds::NAMESPACES),
                connection: ConnectOptions {
                    namespace: None,
                    ..query.connection.clone()
                },
                all_namespaces: false,
            };
            Completions::of(starting(names(&query)), DIRECTIVE_NO_FILE)
        }
        id @ ("context" | "cluster" | "user") => Completions::of(
            starting(kubeconfig_entries(
                query.connection.kubeconfig.as_deref(),
                id,
            )),
            DIRECTIVE_NO_FILE,
        ),
        "for_resource" => {
            let sources = resources(resource_arg::SCRAPE_SOURCE_KINDS);
            complete_resource(&sources, current, query, names).with_no_space_after_type(current)
        }
        _ => Completions::of(possible_values(arg, current), DIRECTIVE_NO_FILE),
    }
}

impl Completions {
    /// While only TYPE is typed, offers `TYPE/` without a trailing space.
    fn with_no_space_after_type(self, current: &str) -> Completions {
        if current.contains('/') {
            return self;
        }
        let candidates = self
            .candidates
            .into_iter()
            .map(|c| match c.split_once('\t') {
                Some((spelling, description)) => format!("{spelling}/\t{description}"),
                None => format!("{c}/"),
            })
            .collect();
        Completions::of(candidates, DIRECTIVE_NO_FILE | DIRECTIVE_NO_SPACE)
    }
}

fn possible_values(arg: &clap::Arg, current: &str) -> Vec<String> {
    arg.get_possible_values()
        .into_iter()
        .filter(|v| !v.is_hide_set() && v.get_name().starts_with(current))
        .map(|v| with_description(v.get_name(), v.get_help()))
        .collect()
}

fn with_description(name: &str, help: Option<&clap::builder::StyledStr>) -> String {
    match help {
        Some(help) => {
            let text = help.to_string();
            let first = text.lines().next().unwrap_or("").trim_end_matches('.');
            format!("{name}\t{first}")
        }
        None => name.to_owned(),
    }
}

/// Every flag of `command` starting with `current`, long names first.
fn flags(command: &clap::Command, current: &str) -> Vec<String> {
    let mut candidates = Vec::new();
    for arg in command.get_arguments().filter(|a| !a.is_hide_set()) {
        if let Some(long) = arg.get_long() {
            let flag = format!("--{long}");
            if flag.starts_with(current) {
                candidates.push(with_description(&flag, arg.get_help()));
            }
        }
    }
    if current.len() <= 2 && !current.starts_with("--") {
        for arg in command.get_arguments().filter(|a| !a.is_hide_set()) {
            if let Some(short) = arg.get_short() {
                let flag = format!("-{short}");
                if flag.starts_with(current) {
                    candidates.push(with_description(&flag, arg.get_help()));
                }
            }
        }
    }
    candidates
}

fn find_flag<'a>(command: &'a clap::Command, flag: &str) -> Option<&'a clap::Arg> {
    if let Some(long) = flag.strip_prefix("--") {
        return command.get_arguments().find(|a| {
            a.get_long() == Some(long) || a.get_all_aliases().is_some_and(|al| al.contains(&long))
        });
    }
    let short = flag.strip_prefix('-')?.chars().next()?;
    command
        .get_arguments()
        .find(|a| a.get_short() == Some(short))
}

fn takes_value(arg: &clap::Arg) -> bool {
    arg.get_action().takes_values()
}

fn parse_words(root: &clap::Command, words: &[String]) -> Parsed {
    let mut parsed = Parsed {
        subcommand: Vec::new(),
        positionals: Vec::new(),
        pending_flag: None,
        query: ClusterQuery::default(),
    };
    let mut command = root;
    let mut words = words.iter();
    while let Some(word) = words.next() {
        if word == "--" {
            parsed.positionals.extend(words.by_ref().cloned());
            break;
        }
        if word.starts_with('-') && word.len() > 1 {
            let (flag, attached) = match word.split_once('=') {
                Some((f, v)) if f.starts_with("--") => (f.to_owned(), Some(v.to_owned())),
                _ if !word.starts_with("--") && word.len() > 2 => {
                    // -nmonitoring
                    (word[..2].to_owned(), Some(word[2..].to_owned()))
                }
                _ => (word.clone(), None),
            };
            let Some(arg) = find_flag(command, &flag) else {
                continue;
            };
            if !takes_value(arg) {
                if arg.get_id() == "all_namespaces" {
                    parsed.query.all_namespaces = true;
                }
                continue;
            }
            let value = match attached {
                Some(v) => v,
                None => match words.next() {
                    Some(v) => v.clone(),
                    None => {
                        parsed.pending_flag = Some(flag);
                        break;
                    }
                },
            };
            let connection = &mut parsed.query.connection;
            match arg.get_id().as_str() {
                "kubeconfig" => connection.kubeconfig = Some(value.into()),
                "context" => connection.context = Some(value),
                "cluster" => connection.cluster = Some(value),
                "user" => connection.user = Some(value),
                "namespace" => connection.namespace = Some(value).filter(|n| !n.is_empty()),
                _ => {}
            }
            continue;
        }
        if parsed.positionals.is_empty()
            && let Some(sub) = command.find_subcommand(word)
        {
            parsed.subcommand.push(sub.get_name().to_owned());
            command = sub;
            continue;
        }
        parsed.positionals.push(word.clone());
    }
    parsed
}

fn kubeconfig_entries(path: Option<&Path>, what: &str) -> Vec<String> {
    let Ok(Some(config)) = promop::cluster::read_kubeconfig(path) else {
        return Vec::new();
    };
    match what {
        "context" => config.contexts.into_iter().map(|c| c.name).collect(),
        "cluster" => config.clusters.into_iter().map(|c| c.name).collect(),
        _ => config.auth_infos.into_iter().map(|u| u.name).collect(),
    }
}

/// Names of the objects `query` asks for: one LIST in the namespace, bounded by a short timeout.
fn query_cluster(query: &ClusterQuery) -> Option<Vec<String>> {
    let resource = query.resource?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .ok()?;
    let names = runtime.block_on(async {
        let options = ConnectOptions {
            request_timeout: CLUSTER_TIMEOUT,
            retries: 0,
            ..query.connection.clone()
        };
        let listing = async {
            let cluster = Cluster::connect(&options).await.ok()?;
            let namespace = (resource.namespaced && !query.all_namespaces)
                .then(|| cluster.namespace().to_owned());
            cluster
                .list(resource, namespace.as_deref(), None)
                .await
                .ok()
        };
        let items = tokio::time::timeout(CLUSTER_TIMEOUT, listing)
            .await
            .ok()??;
        let mut names: Vec<String> = items
            .iter()
            .filter_map(|item| item["metadata"]["name"].as_str().map(str::to_owned))
            .collect();
        names.sort();
        names.dedup();
        Some(names)
    });
    // A credential plugin that never answers holds a blocking thread; completion goes on.
    runtime.shutdown_background();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        let mut words: Vec<String> = text.split(' ').map(str::to_owned).collect();
        if text.is_empty() {
            words = vec![String::new()];
        }
        words
    }

    fn no_cluster(_: &ClusterQuery) -> Vec<String> {
        Vec::new()
    }

    fn first_words(c: &Completions) -> Vec<&str> {
        c.candidates
            .iter()
            .map(|c| c.split('\t').next().unwrap_or(""))
            .collect()
    }

    #[test]
    fn subcommands_at_the_top() {
        let c = complete(&words(""), &no_cluster);
        let names = first_words(&c);
        assert!(
            names.contains(&"render") && names.contains(&"explain"),
            "{names:?}"
        );
        assert!(!names.contains(&"__complete"));
        assert_eq!(c.directive, DIRECTIVE_NO_FILE);
        assert_eq!(
            first_words(&complete(&words("dec"), &no_cluster)),
            ["decode-config"]
        );
    }

    #[test]
    fn resource_types_then_names_from_the_cluster() {
        let c = complete(&words("explain sm"), &no_cluster);
        assert_eq!(first_words(&c), ["smon"]);
        for subcommand in ["decode-config ", "status "] {
            let c = complete(&words(subcommand), &no_cluster);
            assert_eq!(
                first_words(&c),
                ["prometheus", "prometheusagent", "alertmanager"]
            );
        }

        let seen = std::cell::RefCell::new(None);
        let names = |q: &ClusterQuery| {
            *seen.borrow_mut() = Some((q.resource.map(|r| r.kind), q.connection.namespace.clone()));
            vec!["web".to_owned(), "api".to_owned()]
        };
        let c = complete(&words("explain -n shop servicemonitor w"), &names);
        assert_eq!(first_words(&c), ["web"]);
        assert_eq!(
            *seen.borrow(),
            Some((Some("ServiceMonitor"), Some("shop".to_owned())))
        );
        let c = complete(&words("explain smon/a"), &names);
        assert_eq!(first_words(&c), ["smon/api"]);
        // Types a command does not take are not looked up.
        let c = complete(&words("render smon "), &names);
        assert!(c.candidates.is_empty());
    }

    #[test]
    fn render_and_diff_offer_every_instance_and_what_else_they_generate() {
        let c = complete(&words("render "), &no_cluster);
        assert_eq!(
            first_words(&c),
            [
                "prometheus",
                "prometheusagent",
                "alertmanager",
                "rules",
                "statefulset"
            ]
        );
        let c = complete(&words("diff s"), &no_cluster);
        assert_eq!(first_words(&c), ["statefulset"]);
        let c = complete(&words("render rules "), &no_cluster);
        assert_eq!(first_words(&c), ["prometheus", "thanosruler"]);
        let c = complete(&words("diff rules rul"), &no_cluster);
        assert_eq!(first_words(&c), ["ruler"]);
        let c = complete(&words("diff statefulset a"), &no_cluster);
        assert_eq!(first_words(&c), ["alertmanager"]);
    }

    #[test]
    fn flags_and_their_values() {
        let c = complete(&words("render --out"), &no_cluster);
        assert_eq!(first_words(&c), ["--output"]);
        let c = complete(&words("render -o "), &no_cluster);
        assert_eq!(first_words(&c), ["yaml", "json"]);
        let c = complete(&words("render --output=j"), &no_cluster);
        assert_eq!(first_words(&c), ["--output=json"]);
        let c = complete(&words("render -f "), &no_cluster);
        assert_eq!(c.directive, DIRECTIVE_DEFAULT);
        let c = complete(&words("completion "), &no_cluster);
        assert!(first_words(&c).contains(&"zsh"));
        let c = complete(&words("decode-config --for s"), &no_cluster);
        assert_eq!(first_words(&c), ["servicemonitor/", "scrapeconfig/"]);
        assert_eq!(c.directive, DIRECTIVE_NO_FILE | DIRECTIVE_NO_SPACE);
    }

    #[test]
    fn cobra_format() {
        let c = Completions::of(vec!["a\tthe a".to_owned(), "b".to_owned()], 4);
        assert_eq!(c.to_cobra(), "a\tthe a\nb\n:4\n");
    }
}

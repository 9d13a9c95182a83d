//! `kubectl promop validate`: checks manifests before they reach the cluster (exit 0 valid,
//! 1 invalid, 2 usage or I/O error).

use std::path::PathBuf;

use anyhow::{Context, anyhow};
use promop::cluster::{Cluster, FetchPlan};
use promop::schema::{self, Options, Problem, Report, Severity, Source};
use promop::snapshot::{MAX_SOURCE_BYTES, Snapshot};

use super::CliError;
use super::input::{InputBudget, manifest_files, read_limited_bytes, warn_placed};
use super::kube_args::KubeArgs;
use super::live::{block_on, cluster_error};
use super::operator::OperatorArgs;
use super::output::{print, print_text, warn};
use super::progress::Progress;

/// Arguments of `validate`.
#[derive(Debug, clap::Args)]
#[command(mut_arg("namespace", |arg| arg.help(super::kube_args::NAMESPACE_OF_MANIFESTS)))]
pub struct Args {
    #[command(flatten)]
    checked: CheckedFiles,
    /// Also resolve references and selection against the live cluster (the one --kubeconfig,
    /// --context, --cluster and --user select); without it no cluster is read.
    #[arg(long)]
    live: bool,
    /// List every object skipped because the operator does not read its kind.
    #[arg(short = 'v', long)]
    verbose: bool,
    /// Output format: text (one line per problem) or json.
    #[arg(short = 'o', long = "output", value_enum, default_value_t = Format::Text)]
    output: Format,
    #[command(flatten)]
    kube: KubeArgs,
}

/// The manifests `validate` and `apply` check, and how strictly.
#[derive(Debug, clap::Args)]
pub(super) struct CheckedFiles {
    /// Manifest files or directories (`*.yaml`, `*.yml`, `*.json`); `-` reads stdin. One per
    /// -f, or a comma list, as in kubectl.
    #[arg(short = 'f', long = "filename", value_name = "FILE", required = true)]
    files: Vec<PathBuf>,
    /// Descend into sub-directories of the directories given with -f.
    #[arg(short = 'R', long)]
    recursive: bool,
    /// Treat unresolved Secret/ConfigMap references and unchecked operator kinds as errors
    /// (objects of kinds the operator does not read are never errors).
    #[arg(long)]
    strict: bool,
    #[command(flatten)]
    operator: OperatorArgs,
}

impl CheckedFiles {
    /// Reads the files, with a problem for each one that cannot be read, and puts objects
    /// without a namespace where kubectl would apply them; refuses operator flags the operator
    /// itself would refuse.
    pub(super) fn read(&self, kube: &KubeArgs) -> Result<(Vec<Source>, Vec<Problem>), CliError> {
        self.operator.overrides().check().map_err(CliError::usage)?;
        let (mut sources, unreadable) = read_sources(&self.files, self.recursive)?;
        let (namespace, decided_by) = kube.file_namespace();
        let placed = sources
            .iter_mut()
            .map(|source| source.place_missing_namespaces(&namespace))
            .sum();
        warn_placed(placed, &namespace, decided_by);
        Ok((sources, unreadable))
    }

    /// Checks the sources, against `live` objects when given.
    pub(super) fn validate(
        &self,
        sources: &[Source],
        unreadable: Vec<Problem>,
        live: Option<&Snapshot>,
    ) -> Report {
        let options = Options {
            strict: self.strict,
            live,
            operator: self.operator.overrides(),
        };
        with_unreadable(schema::validate(sources, &options), unreadable)
    }
}

/// Output formats of `validate`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

/// Runs `validate`.
pub fn run(args: &Args) -> Result<(), CliError> {
    let (sources, unreadable) = args.checked.read(&args.kube)?;
    let report = if args.live {
        let live = block_on(live_snapshot(&args.kube, &sources))??;
        args.checked.validate(&sources, unreadable, Some(&live))
    } else {
        args.checked.validate(&sources, unreadable, None)
    };
    match args.output {
        Format::Text => print_text(&text_report(&report, args.verbose))?,
        Format::Json => print(&json_report(&report))?,
    }
    if report.is_valid() {
        Ok(())
    } else {
        Err(CliError::Differences)
    }
}

/// Adds the problems of sources that could not be split into documents.
fn with_unreadable(mut report: Report, unreadable: Vec<Problem>) -> Report {
    report.problems.splice(0..0, unreadable);
    report
}

/// One line per problem (skipped objects only when `verbose`), then a summary line.
pub(super) fn text_report(report: &Report, verbose: bool) -> String {
    let mut out = String::new();
    let shown = report
        .problems
        .iter()
        .filter(|p| verbose || p.severity != Severity::Skipped);
    for problem in shown {
        out.push_str(&problem.to_string());
        out.push('\n');
    }
    out.push_str(&summary(report));
    out.push('\n');
    out
}

fn summary(report: &Report) -> String {
    let invalid = report.objects.iter().filter(|o| !o.valid).count();
    let plural = |n: usize, word: &str| {
        if n == 1 {
            format!("{n} {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    let skipped = match report.skipped() {
        0 => String::new(),
        n => format!(
            "; {} skipped (kinds the operator does not read; -v lists them)",
            plural(n, "object")
        ),
    };
    format!(
        "{}: {} ({} invalid), {} ({} invalid); {}, {}{skipped}",
        if report.is_valid() {
            "valid"
        } else {
            "invalid"
        },
        plural(report.documents, "document"),
        report.invalid_documents,
        plural(report.objects.len(), "object"),
        invalid,
        plural(report.errors(), "error"),
        plural(report.warnings(), "warning"),
    )
}

fn json_report(report: &Report) -> String {
    let value = serde_json::json!({
        "valid": report.is_valid(),
        "documents": report.documents,
        "errors": report.errors(),
        "warnings": report.warnings(),
        "skipped": report.skipped(),
        "objects": report.objects,
        "problems": report.problems,
    });
    super::output::json_text(&value).unwrap_or_default()
}

/// The cluster's objects, plus the Secrets and ConfigMaps the sources refer to.
pub(super) async fn live_snapshot(
    kube: &KubeArgs,
    sources: &[Source],
) -> Result<Snapshot, CliError> {
    let cluster: Cluster = kube.connect().await?;
    let progress = Progress::start("reading the cluster");
    let (mut snapshot, notices) = cluster
        .fetch_snapshot(FetchPlan {
            operator: true,
            ..FetchPlan::default()
        })
        .await
        .map_err(cluster_error)?;
    drop(progress);
    for notice in notices {
        warn(&format!("{}: {}", notice.what, notice.message));
    }
    let references =
        schema::references(sources)
            .into_iter()
            .map(|r| promop::snapshot::references::Reference {
                namespace: r.namespace,
                name: r.name,
                key: r.key,
                config_map: r.config_map,
                field: r.field,
            });
    let notices = cluster
        .fetch_references(&mut snapshot, references)
        .await
        .map_err(cluster_error)?;
    for notice in notices {
        warn(&format!("{}: {}", notice.what, notice.message));
    }
    Ok(snapshot)
}

/// A problem with a whole file (document 0).
fn file_problem(name: &str, message: String) -> Problem {
    Problem {
        source: name.to_owned(),
        line: 1,
        document: 0,
        object: None,
        field: String::new(),
        message,
        severity: Severity::Error,
    }
}

/// Reads every manifest into sources. Files that cannot be split into documents (too large, not
/// UTF-8, a broken JSON stream) become problems; files that cannot be read are usage errors.
fn read_sources(
    paths: &[PathBuf],
    recursive: bool,
) -> Result<(Vec<Source>, Vec<Problem>), CliError> {
    let mut sources = Vec::new();
    let mut unreadable = Vec::new();
    let mut texts = Vec::new();
    let mut budget = InputBudget::default();
    for path in paths {
        let named: Vec<(String, Vec<u8>)> = if path.as_os_str() == "-" {
            budget.stdin()?;
            let bytes = read_limited_bytes(std::io::stdin().lock(), "<stdin>")?;
            budget.take(bytes.len())?;
            vec![("<stdin>".to_owned(), bytes)]
        } else {
            let files = manifest_files(path, recursive)?;
            if files.is_empty() {
                return Err(CliError::usage(anyhow!(
                    "{}: no manifests (*.yaml, *.yml, *.json) found",
                    path.display()
                )));
            }
            let mut named = Vec::new();
            for file in files {
                let name = file.display().to_string();
                let handle = std::fs::File::open(&file)
                    .with_context(|| format!("cannot open {name}"))
                    .map_err(CliError::usage)?;
                let bytes = read_limited_bytes(handle, &name)?;
                budget.take(bytes.len())?;
                named.push((name.clone(), bytes));
            }
            named
        };
        for (name, bytes) in named {
            if bytes.len() > MAX_SOURCE_BYTES {
                unreadable.push(file_problem(
                    &name,
                    format!("larger than the {MAX_SOURCE_BYTES}-byte limit"),
                ));
                continue;
            }
            match String::from_utf8(bytes) {
                Ok(text) => texts.push((name, text)),
                Err(_) => unreadable.push(file_problem(&name, "not UTF-8 text".to_owned())),
            }
        }
    }
    for ((name, _), read) in texts.iter().zip(Source::read_each(&texts)) {
        match read {
            Ok(source) if source.documents.is_empty() => {
                unreadable.push(file_problem(
                    name,
                    "no Kubernetes objects in the file".to_owned(),
                ));
            }
            Ok(source) => sources.push(source),
            Err(error) => {
                let (line, message) = match &error {
                    promop::snapshot::LoadError::Invalid { line, message, .. } => {
                        (*line, message.clone())
                    }
                    other => (1, other.to_string()),
                };
                unreadable.push(Problem {
                    line,
                    ..file_problem(name, message)
                });
            }
        }
    }
    Ok((sources, unreadable))
}

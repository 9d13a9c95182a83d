//! Reading manifests from files, directories and stdin into a [`Snapshot`].

use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow};
use std::collections::BTreeMap;

use promop::snapshot::{
    LoadError, MAX_SOURCE_BYTES, MAX_TOTAL_SOURCE_BYTES, NoticeKind, Objects, Origin, Snapshot,
};

use super::CliError;
use super::kube_args::KubeArgs;
use super::output::warn;

/// Where manifests come from (shared by every subcommand that reads files).
#[derive(Debug, clap::Args)]
pub struct InputArgs {
    /// Manifest files or directories (`*.yaml`, `*.yml`, `*.json`); `-` reads stdin. One per
    /// -f, or a comma list, as in kubectl.
    #[arg(short = 'f', long = "filename", value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Descend into sub-directories of the directories given with -f.
    #[arg(short = 'R', long)]
    pub recursive: bool,
    /// List every object skipped because kubectl-promop does not use its kind.
    #[arg(short = 'v', long)]
    pub verbose: bool,
    /// Whether the subcommand offers -v (those that declare -f themselves do not).
    #[arg(skip = true)]
    offers_verbose: bool,
}

impl InputArgs {
    /// The `-f` and `-R` of a subcommand that declares them itself (with help of its own), and
    /// no `-v`.
    pub fn new(files: &[PathBuf], recursive: bool) -> Self {
        InputArgs {
            files: files.to_vec(),
            recursive,
            verbose: false,
            offers_verbose: false,
        }
    }

    /// Loads every manifest into one snapshot, as the API server would hold it: objects without
    /// a namespace are put where kubectl would put them ([`KubeArgs::file_namespace`], said
    /// once), an object given twice is an error naming both places, a YAML file that is not a
    /// manifest is skipped with a warning, and objects of kinds the plugin does not use are
    /// summed up in one line (listed with `-v`).
    pub fn load(&self, kube: &KubeArgs) -> Result<Snapshot, CliError> {
        if self.files.is_empty() {
            return Err(CliError::usage(anyhow!(
                "no manifests given: use -f FILE (or - for stdin)"
            )));
        }
        let mut texts = Vec::new();
        let mut budget = InputBudget::default();
        for path in &self.files {
            if path.as_os_str() == "-" {
                budget.stdin()?;
                let text = read_limited(std::io::stdin().lock(), "<stdin>")?;
                budget.take(text.len())?;
                texts.push(("<stdin>".to_owned(), text));
                continue;
            }
            let files = manifest_files(path, self.recursive)?;
            if files.is_empty() {
                return Err(CliError::usage(anyhow!(
                    "{}: no manifests (*.yaml, *.yml, *.json) found",
                    path.display()
                )));
            }
            for file in files {
                let name = file.display().to_string();
                let handle = std::fs::File::open(&file)
                    .with_context(|| format!("cannot open {name}"))
                    .map_err(CliError::usage)?;
                let text = read_limited(handle, &name)?;
                budget.take(text.len())?;
                texts.push((name, text));
            }
        }
        let mut loaded = Loaded::default();
        for read in promop::snapshot::load_sources(&texts) {
            loaded.add(read, self.verbose)?;
        }
        let (namespace, decided_by) = kube.file_namespace();
        let lists_them = if self.offers_verbose {
            "-v lists them"
        } else {
            "`kubectl promop validate -v` lists them"
        };
        loaded.finish(&namespace, decided_by, lists_them)
    }
}

/// What has been read so far.
#[derive(Default)]
struct Loaded {
    snapshot: Snapshot,
    origins: Vec<Origin>,
    /// Objects skipped for their kind, by kind.
    skipped: BTreeMap<String, usize>,
}

impl Loaded {
    fn add(&mut self, read: Result<Objects, LoadError>, verbose: bool) -> Result<(), CliError> {
        let Objects {
            snapshot,
            notices,
            origins,
        } = match read {
            Ok(objects) => objects,
            Err(error @ LoadError::NotAManifest { .. }) => {
                warn(&format!("{error}; skipped"));
                return Ok(());
            }
            Err(error) => return Err(CliError::invalid(error)),
        };
        for notice in notices {
            match &notice.kind {
                NoticeKind::Skipped { .. } => {
                    let kind = notice.object.split(' ').next().unwrap_or("").to_owned();
                    *self.skipped.entry(kind).or_default() += 1;
                    if verbose {
                        warn(&notice.to_string());
                    }
                }
                NoticeKind::UnknownField { .. } => warn(&notice.to_string()),
            }
        }
        self.snapshot.extend(snapshot);
        self.origins.extend(origins);
        Ok(())
    }

    fn finish(
        mut self,
        namespace: &str,
        decided_by: &str,
        lists_them: &str,
    ) -> Result<Snapshot, CliError> {
        if !self.skipped.is_empty() {
            let total: usize = self.skipped.values().sum();
            let kinds: Vec<String> = self
                .skipped
                .iter()
                .map(|(kind, count)| format!("{kind} {count}"))
                .collect();
            warn(&format!(
                "skipped {total} object(s) of kinds kubectl-promop does not use ({}); {lists_them}",
                kinds.join(", ")
            ));
        }
        warn_placed(
            self.snapshot.set_missing_namespaces(namespace),
            namespace,
            decided_by,
        );
        let mut seen: BTreeMap<(String, String, String), &Origin> = BTreeMap::new();
        for origin in &self.origins {
            let object_namespace = origin
                .namespace
                .clone()
                .unwrap_or_else(|| namespace.to_owned());
            let key = (origin.kind.clone(), object_namespace, origin.name.clone());
            if let Some(first) = seen.get(&key) {
                return Err(CliError::invalid(anyhow!(
                    "{} {}/{} is given twice: {}:{} and {}:{} (remove one)",
                    key.0,
                    key.1,
                    key.2,
                    first.source_name,
                    first.line,
                    origin.source_name,
                    origin.line
                )));
            }
            seen.insert(key, origin);
        }
        Ok(self.snapshot)
    }
}

/// What one command has read so far: at most [`MAX_TOTAL_SOURCE_BYTES`] in all, and stdin
/// once.
#[derive(Default)]
pub struct InputBudget {
    bytes: usize,
    stdin: bool,
}

impl InputBudget {
    /// Counts `len` more bytes read; an error past [`MAX_TOTAL_SOURCE_BYTES`].
    pub fn take(&mut self, len: usize) -> Result<(), CliError> {
        self.bytes = self.bytes.saturating_add(len);
        if self.bytes > MAX_TOTAL_SOURCE_BYTES {
            return Err(CliError::invalid(anyhow!(
                "the inputs total more than {MAX_TOTAL_SOURCE_BYTES} bytes \
                 (MAX_TOTAL_SOURCE_BYTES): give fewer or smaller files"
            )));
        }
        Ok(())
    }

    /// Notes that stdin is read; an error the second time (`-f -` given twice).
    pub fn stdin(&mut self) -> Result<(), CliError> {
        if std::mem::replace(&mut self.stdin, true) {
            return Err(CliError::usage(anyhow!(
                "-f - is given twice: stdin can be read once"
            )));
        }
        Ok(())
    }
}

/// Says how many objects without `metadata.namespace` were put in `namespace`, and why there.
pub fn warn_placed(placed: usize, namespace: &str, decided_by: &str) {
    if placed > 0 {
        warn(&format!(
            "{placed} object(s) without metadata.namespace placed in namespace {namespace:?} \
             ({decided_by}), as kubectl would"
        ));
    }
}

/// Reads at most [`MAX_SOURCE_BYTES`] of UTF-8 text.
fn read_limited(reader: impl Read, name: &str) -> Result<String, CliError> {
    let bytes = read_limited_bytes(reader, name)?;
    if bytes.len() > MAX_SOURCE_BYTES {
        return Err(CliError::invalid(anyhow!(
            "{name}: larger than the {MAX_SOURCE_BYTES}-byte limit"
        )));
    }
    String::from_utf8(bytes).map_err(|_| CliError::invalid(anyhow!("{name}: not UTF-8 text")))
}

/// Reads at most one byte more than [`MAX_SOURCE_BYTES`], so that callers can tell an
/// oversized input without holding all of it.
pub fn read_limited_bytes(reader: impl Read, name: &str) -> Result<Vec<u8>, CliError> {
    let mut bytes = Vec::new();
    let limit = u64::try_from(MAX_SOURCE_BYTES).unwrap_or(u64::MAX);
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .with_context(|| format!("cannot read {name}"))
        .map_err(CliError::usage)?;
    Ok(bytes)
}

fn is_manifest(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml" | "json")
    )
}

/// The file itself, or the manifests in a directory (sorted; sub-directories with `recursive`).
/// Symbolic links to directories are not followed, so loops cannot occur. A `-f` value that
/// names nothing and holds commas is kubectl's list of paths (`-f a.yaml,b/`); a path that
/// exists is taken whole, commas and all.
pub fn manifest_files(path: &Path, recursive: bool) -> Result<Vec<PathBuf>, CliError> {
    if let Some(list) = path.to_str().filter(|p| p.contains(',') && !path.exists()) {
        let mut files = Vec::new();
        for part in list.split(',').filter(|p| !p.is_empty()) {
            files.extend(manifest_files(Path::new(part), recursive)?);
        }
        return Ok(files);
    }
    if let Some(url) = path
        .to_str()
        .filter(|p| (p.starts_with("https://") || p.starts_with("http://")) && !path.exists())
    {
        return Err(CliError::usage(anyhow!(
            "{}: URLs are not read (nothing is downloaded); save the file first, e.g. with \
             `curl -fsSLo manifest.yaml URL`",
            promop::redact::redact_url_password(url).unwrap_or_else(|| url.to_owned())
        )));
    }
    let metadata = std::fs::metadata(path)
        .with_context(|| format!("cannot read {}", path.display()))
        .map_err(CliError::usage)?;
    if !metadata.is_dir() {
        return Ok(vec![path.to_owned()]);
    }
    let mut entries: Vec<_> = std::fs::read_dir(path)
        .and_then(|dir| dir.collect::<Result<Vec<_>, _>>())
        .with_context(|| format!("cannot list {}", path.display()))
        .map_err(CliError::usage)?;
    entries.sort_by_key(|e| e.file_name());
    let mut files = Vec::new();
    for entry in entries {
        let entry_path = entry.path();
        let file_type = entry
            .file_type()
            .with_context(|| format!("cannot read {}", entry_path.display()))
            .map_err(CliError::usage)?;
        if file_type.is_dir() {
            if recursive {
                files.extend(manifest_files(&entry_path, true)?);
            }
        } else if is_manifest(&entry_path)
            // Regular files only (links to them too): reading a FIFO or a device never ends.
            && std::fs::metadata(&entry_path).is_ok_and(|m| m.is_file())
        {
            files.push(entry_path);
        }
    }
    Ok(files)
}

//! Reading manifests from files, directories and stdin into a [`Snapshot`].

use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow};
use promop::snapshot::{MAX_SOURCE_BYTES, Snapshot};

use super::CliError;
use super::output::warn;

/// Where manifests come from (shared by every subcommand that reads files).
#[derive(Debug, clap::Args)]
pub struct InputArgs {
    /// Manifest files or directories (`*.yaml`, `*.yml`, `*.json`); `-` reads stdin.
    #[arg(short = 'f', long = "filename", value_name = "FILE", num_args = 1..)]
    pub files: Vec<PathBuf>,
    /// Descend into sub-directories of the directories given with -f.
    #[arg(short = 'R', long)]
    pub recursive: bool,
}

impl InputArgs {
    /// Loads every manifest into one snapshot, printing loader notices to stderr.
    pub fn load(&self) -> Result<Snapshot, CliError> {
        if self.files.is_empty() {
            return Err(CliError::usage(anyhow!(
                "no manifests given: use -f FILE (or - for stdin)"
            )));
        }
        let mut snapshot = Snapshot::default();
        for path in &self.files {
            if path.as_os_str() == "-" {
                let text = read_limited(std::io::stdin().lock(), "<stdin>")?;
                load_text(&mut snapshot, "<stdin>", &text)?;
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
                load_text(&mut snapshot, &name, &text)?;
            }
        }
        Ok(snapshot)
    }
}

fn load_text(snapshot: &mut Snapshot, name: &str, text: &str) -> Result<(), CliError> {
    let notices = snapshot.load(name, text).map_err(CliError::invalid)?;
    for notice in notices {
        warn(&notice.to_string());
    }
    Ok(())
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
/// Symbolic links to directories are not followed, so loops cannot occur.
pub fn manifest_files(path: &Path, recursive: bool) -> Result<Vec<PathBuf>, CliError> {
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
        } else if is_manifest(&entry_path) {
            files.push(entry_path);
        }
    }
    Ok(files)
}

//! The payload of the Secret the operator writes its generated configuration into
//! (`prometheus-<name>`, key `prometheus.yaml.gz`): gzip encoding as the operator does it, bounded
//! decoding of what a cluster holds, base64 helpers and the Kubernetes Secret size limit.
//!
//! The header matches Go's `gzip.NewWriter` at its default level (no name, modification time 0,
//! OS byte 255); the deflate stream itself comes from zlib, not Go's `compress/flate`, so the
//! compressed bytes differ from the operator's while the decompressed text is the same.
//! Compare configurations after decoding, never as compressed bytes.

use std::io::{Read, Write};

use base64::Engine as _;
use flate2::Compression;
use flate2::read::MultiGzDecoder;
use flate2::write::GzEncoder;

use crate::yaml::{self, Yaml};

/// The key of the generated configuration in the operator's Secret.
pub const CONFIG_FILENAME: &str = "prometheus.yaml.gz";

/// Largest total size of a Secret's data that the Kubernetes API accepts (`corev1.MaxSecretSize`).
pub const MAX_SECRET_SIZE: usize = 1024 * 1024;

/// Default bound on a decompressed configuration: generous for real configurations (a full
/// Secret of well-compressing YAML), small enough to stop a decompression bomb.
pub const DEFAULT_DECOMPRESSED_LIMIT: usize = 64 * 1024 * 1024;

/// The compression level Go's `gzip.DefaultCompression` stands for.
const GO_DEFAULT_LEVEL: u32 = 6;

/// Why a payload could not be encoded or decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The text is not valid base64.
    #[error("invalid base64: {reason}")]
    Base64 { reason: String },
    /// The bytes are not a valid gzip stream.
    #[error("invalid gzip data: {reason}")]
    Gzip { reason: String },
    /// Decompressing would produce more than `limit` bytes.
    #[error("decompressed data exceeds the limit of {limit} bytes")]
    TooLarge { limit: usize },
    /// The decompressed configuration is not UTF-8 text.
    #[error("decompressed data is not UTF-8 text (invalid byte at offset {offset})")]
    NotUtf8 { offset: usize },
    /// The Secret's data would exceed what the Kubernetes API accepts.
    #[error(
        "Secret data is {size} bytes, over the Kubernetes limit of {limit} bytes; \
         the API server would reject it"
    )]
    SecretTooLarge { size: usize, limit: usize },
}

/// Gzips `data` as the operator does before storing the configuration. Like the operator, an
/// empty input gives an empty payload rather than an empty gzip stream.
pub fn gzip(data: &[u8]) -> Result<Vec<u8>, DecodeError> {
    if data.is_empty() {
        return Ok(Vec::new());
    }
    gzip_written(|encoder| encoder.write_all(data))
}

/// The gzip stream of what `write` writes, at the level of Go's default gzip writer.
fn gzip_written(
    write: impl FnOnce(&mut GzEncoder<Vec<u8>>) -> std::io::Result<()>,
) -> Result<Vec<u8>, DecodeError> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::new(GO_DEFAULT_LEVEL));
    write(&mut encoder)
        .and_then(|()| encoder.finish())
        .map_err(|e| DecodeError::Gzip {
            reason: e.to_string(),
        })
}

/// Decompresses a gzip payload (several concatenated members are read in turn, as Go does),
/// refusing to produce more than `limit` bytes. An empty payload decodes to nothing.
pub fn gunzip(data: &[u8], limit: usize) -> Result<Vec<u8>, DecodeError> {
    if data.is_empty() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    let bound = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    MultiGzDecoder::new(data)
        .take(bound)
        .read_to_end(&mut out)
        .map_err(|e| DecodeError::Gzip {
            reason: e.to_string(),
        })?;
    if out.len() > limit {
        return Err(DecodeError::TooLarge { limit });
    }
    Ok(out)
}

/// [`gunzip`] for a configuration file: the result must be UTF-8 text.
pub fn gunzip_text(data: &[u8], limit: usize) -> Result<String, DecodeError> {
    String::from_utf8(gunzip(data, limit)?).map_err(|e| DecodeError::NotUtf8 {
        offset: e.utf8_error().valid_up_to(),
    })
}

/// Standard base64 with padding, as Kubernetes stores Secret data.
pub fn base64_encode(data: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(data)
}

/// Decodes standard base64, ignoring line breaks and surrounding whitespace (as found in
/// hand-written manifests).
pub fn base64_decode(text: &str) -> Result<Vec<u8>, DecodeError> {
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    base64::engine::general_purpose::STANDARD
        .decode(compact)
        .map_err(|e| DecodeError::Base64 {
            reason: e.to_string(),
        })
}

/// Checks that Secret data values (the API server counts value bytes only) fit the Kubernetes
/// limit; returns the total size.
pub fn check_secret_size<'a>(
    values: impl IntoIterator<Item = &'a [u8]>,
) -> Result<usize, DecodeError> {
    let size = values.into_iter().map(<[u8]>::len).sum();
    if size > MAX_SECRET_SIZE {
        return Err(DecodeError::SecretTooLarge {
            size,
            limit: MAX_SECRET_SIZE,
        });
    }
    Ok(size)
}

/// The `prometheus.yaml.gz` value for a configuration: emitted straight into gzip (the text of
/// thousands of jobs is never held whole), and checked against the Secret size limit.
pub fn encode_config(config: &Yaml) -> Result<Vec<u8>, DecodeError> {
    let payload = gzip_written(|encoder| yaml::emit_to(config, encoder))?;
    check_secret_size([payload.as_slice()])?;
    Ok(payload)
}

/// The configuration text from a `prometheus.yaml.gz` value, bounded by
/// [`DEFAULT_DECOMPRESSED_LIMIT`].
pub fn decode_config(payload: &[u8]) -> Result<String, DecodeError> {
    gunzip_text(payload, DEFAULT_DECOMPRESSED_LIMIT)
}

/// A generated configuration as a cluster stores it in its Secret.
#[derive(Clone, Debug)]
pub struct StoredConfig {
    /// `namespace/name` of the Secret.
    pub secret: String,
    /// The decompressed configuration text.
    pub text: String,
    /// Size of the gzipped value.
    pub compressed_bytes: usize,
    /// Size of all the Secret's data values, as the API server counts them.
    pub secret_data_bytes: usize,
}

/// Why a Secret does not give a configuration.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoredConfigError {
    /// The key is not in the Secret.
    #[error("Secret {secret} has no key {key} (keys: {}); it was not written by the operator?", if .keys.is_empty() { "none".to_owned() } else { .keys.join(", ") })]
    MissingKey {
        secret: String,
        key: String,
        keys: Vec<String>,
    },
    /// The value is not base64 of gzip of UTF-8 text within the limit.
    #[error("Secret {secret}, key {key}: {error}")]
    Payload {
        secret: String,
        key: String,
        error: DecodeError,
    },
}

/// The configuration under `key` of `secret` (a Secret object as JSON), decompressed to at
/// most `limit` bytes.
pub fn stored_config(
    secret: &serde_json::Value,
    key: &str,
    limit: usize,
) -> Result<StoredConfig, StoredConfigError> {
    let text = |pointer: &str| {
        secret
            .pointer(pointer)
            .and_then(serde_json::Value::as_str)
            .unwrap_or("")
    };
    let name = format!("{}/{}", text("/metadata/namespace"), text("/metadata/name"));
    let data = secret.get("data").and_then(serde_json::Value::as_object);
    let secret_data_bytes = data
        .map(|d| {
            d.values()
                .filter_map(serde_json::Value::as_str)
                .filter_map(|v| base64_decode(v).ok())
                .map(|v| v.len())
                .sum()
        })
        .unwrap_or(0);
    let Some(encoded) = data
        .and_then(|d| d.get(key))
        .and_then(serde_json::Value::as_str)
    else {
        return Err(StoredConfigError::MissingKey {
            secret: name,
            key: key.to_owned(),
            keys: data
                .map(|d| d.keys().cloned().collect())
                .unwrap_or_default(),
        });
    };
    let payload_error = |error| StoredConfigError::Payload {
        secret: name.clone(),
        key: key.to_owned(),
        error,
    };
    let compressed = base64_decode(encoded).map_err(payload_error)?;
    let text = gunzip_text(&compressed, limit).map_err(payload_error)?;
    Ok(StoredConfig {
        secret: name,
        text,
        compressed_bytes: compressed.len(),
        secret_data_bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = "global:\n  scrape_interval: 30s\nscrape_configs: []\n";

    #[test]
    fn round_trip() {
        let config = yaml::parse(CONFIG).expect("parses");
        let payload = encode_config(&config).expect("encodes");
        assert_eq!(decode_config(&payload), Ok(CONFIG.to_owned()));
    }

    #[test]
    fn header_matches_go_default_writer() {
        let payload = gzip(b"x").expect("encodes");
        // Magic, deflate, no flags, mtime 0, no extra flags at level 6, OS unknown.
        assert_eq!(
            payload.get(..10),
            Some(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff][..])
        );
    }

    #[test]
    fn empty_payloads() {
        assert_eq!(gzip(b""), Ok(Vec::new()));
        assert_eq!(gunzip(b"", 10), Ok(Vec::new()));
    }

    #[test]
    fn concatenated_members_are_read() {
        let mut payload = gzip(b"a: 1\n").expect("encodes");
        payload.extend(gzip(b"b: 2\n").expect("encodes"));
        assert_eq!(gunzip_text(&payload, 100), Ok("a: 1\nb: 2\n".to_owned()));
    }

    #[test]
    fn decompression_is_bounded() {
        let bomb = gzip(&vec![b'a'; 1_000_000]).expect("encodes");
        assert!(bomb.len() < 10_000);
        assert_eq!(
            gunzip(&bomb, 1000),
            Err(DecodeError::TooLarge { limit: 1000 })
        );
        assert_eq!(gunzip(&bomb, 1_000_000).map(|v| v.len()), Ok(1_000_000));
    }

    #[test]
    fn invalid_inputs() {
        assert!(matches!(
            gunzip(b"not gzip", 100),
            Err(DecodeError::Gzip { .. })
        ));
        let truncated = gzip(CONFIG.as_bytes()).expect("encodes");
        let truncated = truncated.get(..truncated.len() - 4).unwrap_or_default();
        assert!(matches!(
            gunzip(truncated, 1000),
            Err(DecodeError::Gzip { .. })
        ));
        let binary = gzip(&[0xff, 0xfe]).expect("encodes");
        assert_eq!(
            gunzip_text(&binary, 10),
            Err(DecodeError::NotUtf8 { offset: 0 })
        );
        assert!(matches!(
            base64_decode("!!"),
            Err(DecodeError::Base64 { .. })
        ));
    }

    #[test]
    fn base64_helpers() {
        assert_eq!(base64_encode(b"hello"), "aGVsbG8=");
        assert_eq!(base64_decode("aGVs\nbG8=\n"), Ok(b"hello".to_vec()));
    }

    #[test]
    fn secret_size_limit() {
        let big = vec![0u8; MAX_SECRET_SIZE];
        assert_eq!(check_secret_size([big.as_slice()]), Ok(MAX_SECRET_SIZE));
        let err = check_secret_size([big.as_slice(), b"x".as_slice()]).expect_err("too large");
        assert_eq!(
            err,
            DecodeError::SecretTooLarge {
                size: MAX_SECRET_SIZE + 1,
                limit: MAX_SECRET_SIZE
            }
        );
        assert!(err.to_string().contains("1048577 bytes"));
    }
}

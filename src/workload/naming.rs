//! Volume names derived from Secret and ConfigMap names: upstream `k8s.ResourceNamer`
//! (`DNS1123Label`, `UniqueDNS1123Label`, in `pkg/k8s/resource_namer.go`), with the xxHash64
//! its unique names are suffixed with.

use crate::workload::WorkloadError;

/// Longest DNS-1123 label Kubernetes accepts.
const DNS1123_LABEL_MAX_LENGTH: usize = 63;
/// Length of the `-` and 8 hex digits that `UniqueDNS1123Label` appends.
const HASH_SUFFIX_LENGTH: usize = 9;

/// `ResourceNamer{prefix}.DNS1123Label(name)`: `<prefix>-<name>` sanitized and truncated.
pub(crate) fn dns1123_label(prefix: &str, name: &str) -> Result<String, WorkloadError> {
    let mut label = sanitized_label(prefix, name);
    label.truncate(DNS1123_LABEL_MAX_LENGTH);
    validate(label)
}

/// `ResourceNamer{prefix}.UniqueDNS1123Label(name)`: like [`dns1123_label`], truncated further
/// and suffixed with the first 8 hex digits of the xxHash64 of the unsanitized name, so that
/// two long names sharing a prefix stay distinct.
pub(crate) fn unique_dns1123_label(prefix: &str, name: &str) -> Result<String, WorkloadError> {
    // Go prints the hash with `%x`, without leading zeros, then keeps "-" and 8 characters.
    let hash: String = format!("-{:x}", xxh64(name.as_bytes()))
        .chars()
        .take(HASH_SUFFIX_LENGTH)
        .collect();
    let mut label = sanitized_label(prefix, name);
    label.truncate(DNS1123_LABEL_MAX_LENGTH - HASH_SUFFIX_LENGTH);
    label.push_str(&hash);
    validate(label)
}

/// Prefix and name joined with `-`, lower-cased, every run of characters outside `[-a-z0-9]`
/// replaced by `-`, and `-` trimmed from both ends. The result is ASCII, so byte truncation is
/// safe.
fn sanitized_label(prefix: &str, name: &str) -> String {
    let joined = if prefix.is_empty() {
        name.to_lowercase()
    } else {
        format!("{}-{name}", prefix.trim_end_matches('-')).to_lowercase()
    };
    let mut out = String::with_capacity(joined.len());
    let mut in_invalid_run = false;
    for c in joined.chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' {
            out.push(c);
            in_invalid_run = false;
        } else if !in_invalid_run {
            out.push('-');
            in_invalid_run = true;
        }
    }
    out.trim_matches('-').to_owned()
}

/// Kubernetes `IsDNS1123Label`.
fn validate(label: String) -> Result<String, WorkloadError> {
    let valid_chars = label
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    let alphanumeric_ends = label
        .chars()
        .next()
        .zip(label.chars().last())
        .is_some_and(|(first, last)| first.is_ascii_alphanumeric() && last.is_ascii_alphanumeric());
    if valid_chars && alphanumeric_ends && label.len() <= DNS1123_LABEL_MAX_LENGTH {
        Ok(label)
    } else {
        Err(WorkloadError::VolumeName {
            name: label,
            reason: "a lowercase RFC 1123 label must consist of lower case alphanumeric \
                     characters or '-', and must start and end with an alphanumeric character"
                .to_owned(),
        })
    }
}

const PRIME64_1: u64 = 0x9E37_79B1_85EB_CA87;
const PRIME64_2: u64 = 0xC2B2_AE3D_27D4_EB4F;
const PRIME64_3: u64 = 0x1656_67B1_9E37_79F9;
const PRIME64_4: u64 = 0x85EB_CA77_C2B2_AE63;
const PRIME64_5: u64 = 0x27D4_EB2F_1656_67C5;

/// xxHash64 with seed 0 (`github.com/cespare/xxhash/v2`).
fn xxh64(data: &[u8]) -> u64 {
    let mut stripes = data.chunks_exact(32);
    let mut hash = if data.len() >= 32 {
        let mut acc = [
            PRIME64_1.wrapping_add(PRIME64_2),
            PRIME64_2,
            0,
            0u64.wrapping_sub(PRIME64_1),
        ];
        for stripe in stripes.by_ref() {
            for (lane, word) in acc.iter_mut().zip(stripe.chunks_exact(8)) {
                *lane = round(*lane, read_u64(word));
            }
        }
        let [v1, v2, v3, v4] = acc;
        let mut h = v1
            .rotate_left(1)
            .wrapping_add(v2.rotate_left(7))
            .wrapping_add(v3.rotate_left(12))
            .wrapping_add(v4.rotate_left(18));
        for lane in acc {
            h = (h ^ round(0, lane))
                .wrapping_mul(PRIME64_1)
                .wrapping_add(PRIME64_4);
        }
        h
    } else {
        PRIME64_5
    };
    hash = hash.wrapping_add(data.len() as u64);

    let mut rest = stripes.remainder();
    while let Some((word, tail)) = rest.split_first_chunk::<8>() {
        hash ^= round(0, u64::from_le_bytes(*word));
        hash = hash
            .rotate_left(27)
            .wrapping_mul(PRIME64_1)
            .wrapping_add(PRIME64_4);
        rest = tail;
    }
    if let Some((word, tail)) = rest.split_first_chunk::<4>() {
        hash ^= u64::from(u32::from_le_bytes(*word)).wrapping_mul(PRIME64_1);
        hash = hash
            .rotate_left(23)
            .wrapping_mul(PRIME64_2)
            .wrapping_add(PRIME64_3);
        rest = tail;
    }
    for byte in rest {
        hash ^= u64::from(*byte).wrapping_mul(PRIME64_5);
        hash = hash.rotate_left(11).wrapping_mul(PRIME64_1);
    }

    hash ^= hash >> 33;
    hash = hash.wrapping_mul(PRIME64_2);
    hash ^= hash >> 29;
    hash = hash.wrapping_mul(PRIME64_3);
    hash ^ (hash >> 32)
}

fn round(acc: u64, input: u64) -> u64 {
    acc.wrapping_add(input.wrapping_mul(PRIME64_2))
        .rotate_left(31)
        .wrapping_mul(PRIME64_1)
}

fn read_u64(word: &[u8]) -> u64 {
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(word);
    u64::from_le_bytes(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xxh64_reference_values() {
        for (input, want) in [
            ("", 0xEF46_DB37_51D8_E999),
            ("a", 0xD24E_C4F1_A98C_6E5B),
            ("abc", 0x44BC_2CF5_AD77_0999),
            ("small", 0xA8CE_38F9_9756_B7B3),
            (
                "Nobody inspects the spammish repetition",
                0xFBCE_A83C_8A37_8BF1,
            ),
        ] {
            assert_eq!(xxh64(input.as_bytes()), want, "{input:?}");
        }
    }

    /// Names the operator's own tests expect (`pkg/k8s/resource_namer_test.go`,
    /// `pkg/webconfig/config_test.go`).
    #[test]
    fn unique_labels_match_the_operator() {
        for (prefix, name, want) in [
            ("", "NAME", "name-4cfd3574"),
            ("", "foo--", "foo-e705c7c8"),
            ("", "fOo^%#$bar", "foo-bar-ee5c3c18"),
            ("with-prefix-", "name", "with-prefix-name-6c5f7b2e"),
            (
                "web-config-tls-secret-key-",
                "some-secret",
                "web-config-tls-secret-key-some-secret-3556f148",
            ),
        ] {
            assert_eq!(unique_dns1123_label(prefix, name).unwrap(), want, "{name}");
        }
        assert_eq!(
            unique_dns1123_label("", &"a".repeat(126)).unwrap(),
            format!("{}-4ed69ce2", "a".repeat(54))
        );
        assert!(unique_dns1123_label("", "@$!!@$%!#$%!#").is_err());
    }

    #[test]
    fn labels_are_sanitized() {
        assert_eq!(
            dns1123_label("secret", "etcd-certs").unwrap(),
            "secret-etcd-certs"
        );
        assert_eq!(
            dns1123_label("configmap", "My_CM.v1").unwrap(),
            "configmap-my-cm-v1"
        );
        let long = "x".repeat(80);
        assert_eq!(dns1123_label("secret", &long).unwrap().len(), 63);
        let unique = unique_dns1123_label("web-config-tls-secret-key-", "some-secret").unwrap();
        assert!(unique.starts_with("web-config-tls-secret-key-some-secret-"));
        assert_eq!(
            unique.len(),
            "web-config-tls-secret-key-some-secret-".len() + 8
        );
    }
}

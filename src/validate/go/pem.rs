//! PEM blocks, as Go's `encoding/pem` finds them, and what `tls.X509KeyPair` checks
//! before matching the key to the certificate.

use base64::Engine;

pub(in crate::validate) struct Block {
    pub label: String,
    pub der: Vec<u8>,
}

/// All PEM blocks of `text` that decode, in order.
pub(in crate::validate) fn blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("-----BEGIN ") {
        let after = rest.get(start + 11..).unwrap_or("");
        let Some(label_end) = after.find("-----") else {
            break;
        };
        let label = after.get(..label_end).unwrap_or("").to_owned();
        let body_start = after.get(label_end + 5..).unwrap_or("");
        let end_marker = format!("-----END {label}-----");
        let Some(end) = body_start.find(&end_marker) else {
            rest = body_start;
            continue;
        };
        let body = body_start.get(..end).unwrap_or("");
        // Skip RFC 1421 headers (`Name: value` lines) before the base64 body.
        let body: String = body
            .lines()
            .filter(|l| !l.contains(':'))
            .flat_map(|l| l.chars())
            .filter(|c| !c.is_whitespace())
            .collect();
        if let Ok(der) = base64::engine::general_purpose::STANDARD.decode(body) {
            out.push(Block { label, der });
        }
        rest = body_start.get(end + end_marker.len()..).unwrap_or("");
    }
    out
}

/// The first PEM block, if any decodes.
pub(in crate::validate) fn first_block(text: &str) -> Option<Block> {
    blocks(text).into_iter().next()
}

/// What `tls.X509KeyPair` checks, short of matching the key to the certificate.
pub(in crate::validate) fn check_key_pair(cert: &str, key: &str) -> Result<(), String> {
    let cert_blocks = blocks(cert);
    let certs: Vec<&Block> = cert_blocks
        .iter()
        .filter(|b| b.label == "CERTIFICATE")
        .collect();
    let Some(first) = certs.first() else {
        return Err("tls: failed to find any PEM data in certificate input".to_owned());
    };
    if !super::der::is_certificate(&first.der) {
        return Err("tls: failed to parse certificate".to_owned());
    }
    let key_blocks = blocks(key);
    let Some(key_block) = key_blocks
        .iter()
        .find(|b| b.label == "PRIVATE KEY" || b.label.ends_with(" PRIVATE KEY"))
    else {
        return Err("tls: failed to find any PEM data in key input".to_owned());
    };
    if !super::der::is_sequence(&key_block.der) {
        return Err("tls: failed to parse private key".to_owned());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pem_garbage_is_refused() {
        assert!(first_block("garbage").is_none());
        assert!(!super::super::der::is_certificate(&[
            0x30, 0x03, 0x02, 0x01, 0x01
        ]));
    }
}

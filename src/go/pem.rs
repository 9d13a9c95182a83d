//! PEM blocks (read with the `pem` crate), and what `tls.X509KeyPair` checks
//! before matching the key to the certificate.

pub(crate) struct Block {
    pub label: String,
    pub der: Vec<u8>,
}

/// The PEM blocks of `text`, in order; none when a block is malformed (Go skips only that
/// block, which changes no verdict below: a malformed certificate or key fails either way).
pub(crate) fn blocks(text: &str) -> Vec<Block> {
    pem::parse_many(text)
        .unwrap_or_default()
        .into_iter()
        .map(|block| Block {
            label: block.tag().to_owned(),
            der: block.into_contents(),
        })
        .collect()
}

/// The first PEM block, if any decodes.
pub(crate) fn first_block(text: &str) -> Option<Block> {
    blocks(text).into_iter().next()
}

/// What `tls.X509KeyPair` checks, short of matching the key to the certificate.
pub(crate) fn check_key_pair(cert: &str, key: &str) -> Result<(), String> {
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

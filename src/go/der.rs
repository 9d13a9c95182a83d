//! The DER outline of certificates and keys, as far as telling them from garbage goes
//! (what Go's `x509` parsers refuse first).

/// Reads one DER element: (tag, content, rest).
fn element(bytes: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = bytes.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let (len_bytes, rest) = rest.split_at(n);
        let len = len_bytes
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
        (len, rest)
    };
    if rest.len() < len {
        return None;
    }
    let (content, rest) = rest.split_at(len);
    Some((tag, content, rest))
}

/// A single DER SEQUENCE spanning all of `bytes`.
pub(crate) fn is_sequence(bytes: &[u8]) -> bool {
    matches!(element(bytes), Some((0x30, _, rest)) if rest.is_empty())
}

/// The outline of an X.509 certificate: SEQUENCE { SEQUENCE, SEQUENCE, BIT STRING }.
pub(crate) fn is_certificate(bytes: &[u8]) -> bool {
    let Some((0x30, body, rest)) = element(bytes) else {
        return false;
    };
    if !rest.is_empty() {
        return false;
    }
    let Some((0x30, _, body)) = element(body) else {
        return false;
    };
    let Some((0x30, _, body)) = element(body) else {
        return false;
    };
    matches!(element(body), Some((0x03, _, rest)) if rest.is_empty())
}

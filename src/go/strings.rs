//! Go's `strings.ToLower` and `strings.ToUpper`.
//!
//! Go maps each character through Unicode's simple case mapping (`unicode.ToLower`,
//! `unicode.ToUpper`). Rust's `char::to_lowercase` / `to_uppercase` give the full mapping,
//! which equals the simple one except where the full mapping has several characters.

/// `strings.ToLower`.
pub fn to_lower(s: &str) -> String {
    s.chars().map(|c| simple_case(c, false)).collect()
}

/// `strings.ToUpper`.
pub fn to_upper(s: &str) -> String {
    s.chars().map(|c| simple_case(c, true)).collect()
}

fn simple_case(c: char, upper: bool) -> char {
    let (first, second) = if upper {
        let mut full = c.to_uppercase();
        (full.next(), full.next())
    } else {
        let mut full = c.to_lowercase();
        (full.next(), full.next())
    };
    match (first, second) {
        (Some(single), None) => single,
        _ => multi_character_exception(c, upper).unwrap_or(c),
    }
}

/// The simple mapping of the characters whose full mapping has several characters and
/// whose simple mapping is not the character itself (UnicodeData.txt against
/// SpecialCasing.txt): `İ` lowers to `i`; the Greek letters with ypogegrammeni upper to
/// their prosgegrammeni forms (`ᾳ` → `ᾼ`). Every other such character (`ß`, `ŉ`, …) has no
/// simple mapping and stays as it is.
fn multi_character_exception(c: char, upper: bool) -> Option<char> {
    let code = u32::from(c);
    let mapped = match (upper, code) {
        (false, 0x130) => 0x69,
        (true, 0x1F80..=0x1F87 | 0x1F90..=0x1F97 | 0x1FA0..=0x1FA7) => code + 8,
        (true, 0x1FB3 | 0x1FC3 | 0x1FF3) => code + 9,
        _ => return None,
    };
    char::from_u32(mapped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simple_mappings_as_go() {
        assert_eq!(to_lower("İSTANBUL Ǆ"), "istanbul ǆ");
        assert_eq!(to_upper("straße ŉ ǆ"), "STRAßE ŉ Ǆ");
        // unicode.ToUpper: U+1F80 → U+1F88, U+1FB3 → U+1FBC, U+1FC3 → U+1FCC, U+1FF3 → U+1FFC.
        assert_eq!(to_upper("ᾀᾳῃῳ"), "ᾈᾼῌῼ");
        // Titlecase letters have no simple upper case of their own.
        assert_eq!(to_upper("ᾈᾼ"), "ᾈᾼ");
    }
}

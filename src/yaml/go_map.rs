//! Go `map[string]string` values in the order `gopkg.in/yaml.v2` writes their keys.

use std::collections::BTreeMap;

use super::{Map, Yaml};

/// A Go `map[string]string` as `gopkg.in/yaml.v2` marshals it: keys in that library's
/// "natural" order (runs of digits compare as numbers, non-letters sort before letters).
pub fn go_map_sorted(map: &BTreeMap<String, String>) -> Map {
    let mut entries: Vec<(&String, &String)> = map.iter().collect();
    entries.sort_by(|a, b| go_yaml_key_order(a.0, b.0));
    entries
        .into_iter()
        .map(|(k, v)| (k.clone(), Yaml::from(v.clone())))
        .collect()
}

/// The key order of `gopkg.in/yaml.v2` for string keys.
fn go_yaml_key_order(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let ar: Vec<char> = a.chars().collect();
    let br: Vec<char> = b.chars().collect();
    let less = |x: bool| if x { Ordering::Less } else { Ordering::Greater };
    for i in 0..ar.len().min(br.len()) {
        let (ac, bc) = (ar[i], br[i]);
        if ac == bc {
            continue;
        }
        let (al, bl) = (ac.is_alphabetic(), bc.is_alphabetic());
        if al && bl {
            return ac.cmp(&bc);
        }
        if al || bl {
            return less(bl);
        }
        // Both are non-letters: compare the digit runs starting here as numbers.
        let mut an: i64 = 0;
        let mut bn: i64 = 0;
        if ac == '0' || bc == '0' {
            let mut j = i;
            while j > 0 && ar[j - 1].is_ascii_digit() {
                j -= 1;
                if ar[j] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let digits = |s: &[char], mut n: i64| {
            let mut end = i;
            while end < s.len() && s[end].is_ascii_digit() {
                n = n
                    .wrapping_mul(10)
                    .wrapping_add(i64::from(s[end] as u8 - b'0'));
                end += 1;
            }
            (end, n)
        };
        let (ai, an) = digits(&ar, an);
        let (bi, bn) = digits(&br, bn);
        if an != bn {
            return an.cmp(&bn);
        }
        if ai != bi {
            return ai.cmp(&bi);
        }
        return ac.cmp(&bc);
    }
    ar.len().cmp(&br.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_yaml_orders_digit_runs_numerically() {
        use std::cmp::Ordering::Less;
        assert_eq!(go_yaml_key_order("a2", "a10"), Less);
        assert_eq!(go_yaml_key_order("a_b", "aB"), Less);
        assert_eq!(go_yaml_key_order("ab", "abc"), Less);
    }
}

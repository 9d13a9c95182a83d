//! The did-you-mean suggestion for an unknown field. The decoder reports, with each unknown
//! field, the names its enclosing type does know ([`UnknownField`]).

use super::UnknownField;

impl UnknownField {
    /// The known field it is most likely a misspelling of (`apiVersion` and `kind` count at the
    /// top of an object).
    pub fn suggestion(&self) -> Option<&'static str> {
        let unknown = self.path.rsplit(['.', ']']).next().unwrap_or(&self.path);
        let mut known = self.known.to_vec();
        if !self.path.contains(['.', '[']) {
            known.extend(["apiVersion", "kind"]);
        }
        did_you_mean(unknown, &known)
    }
}

/// The longest unknown key a suggestion is looked for.
const MAX_SUGGESTED_KEY_BYTES: usize = 128;

/// The known name closest to `unknown`, when one is close enough to be a likely typo or a
/// different spelling (`source_labels` for `sourceLabels`).
pub fn did_you_mean(unknown: &str, known: &[&'static str]) -> Option<&'static str> {
    let squash = |s: &str| -> String {
        s.chars()
            .filter(|c| *c != '_' && *c != '-')
            .flat_map(char::to_lowercase)
            .collect()
    };
    // No field name is this long: a longer key is no typo of one, and comparing it would cost
    // its length times theirs.
    if unknown.len() > MAX_SUGGESTED_KEY_BYTES {
        return None;
    }
    let wanted = squash(unknown);
    if let Some(same) = known.iter().find(|k| squash(k) == wanted) {
        return Some(same);
    }
    let length = wanted.chars().count();
    let limit = (length / 3).clamp(1, 3);
    known
        .iter()
        .map(|k| squash(k))
        .zip(known)
        .filter(|(k, _)| k.chars().count().abs_diff(length) <= limit)
        .map(|(k, name)| (edit_distance(&wanted, &k), *name))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, k)| k)
}

/// Edit distance over characters where swapping two neighbours counts as one edit
/// (optimal string alignment).
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    for (i, cell) in d.iter_mut().step_by(width).enumerate() {
        *cell = i;
    }
    for (j, cell) in d.iter_mut().take(width).enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[(i - 1) * width + j] + 1)
                .min(d[i * width + j - 1] + 1)
                .min(d[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = best;
        }
    }
    d[a.len() * width + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        let fields = &["sourceLabels", "targetLabel", "regex"];
        assert_eq!(did_you_mean("source_labels", fields), Some("sourceLabels"));
        assert_eq!(did_you_mean("targetLable", fields), Some("targetLabel"));
        assert_eq!(did_you_mean("zzzzzzzz", fields), None);
        assert_eq!(did_you_mean(&"x".repeat(100_000), fields), None);
    }

    #[test]
    fn suggestions_for_fields_know_the_top_of_an_object() {
        let field = |path: &str| UnknownField {
            path: path.to_owned(),
            line: 0,
            known: &["metadata", "spec"],
        };
        assert_eq!(field("apiversion").suggestion(), Some("apiVersion"));
        assert_eq!(field("spec.apiversion").suggestion(), None);
        assert_eq!(field("items[0].spce").suggestion(), Some("spec"));
    }
}

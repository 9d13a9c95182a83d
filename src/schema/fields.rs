//! The did-you-mean suggestion for an unknown field. The decoder reports, with each unknown
//! field, the names its enclosing type does know ([`crate::yaml::UnknownField`]).

/// The known name closest to `unknown`, when one is close enough to be a likely typo or a
/// different spelling (`source_labels` for `sourceLabels`).
pub fn did_you_mean(unknown: &str, known: &[&'static str]) -> Option<&'static str> {
    let squash = |s: &str| -> String {
        s.chars()
            .filter(|c| *c != '_' && *c != '-')
            .flat_map(char::to_lowercase)
            .collect()
    };
    let wanted = squash(unknown);
    if let Some(same) = known.iter().find(|k| squash(k) == wanted) {
        return Some(same);
    }
    let limit = (wanted.chars().count() / 3).clamp(1, 3);
    known
        .iter()
        .map(|k| (edit_distance(&wanted, &squash(k)), *k))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, k)| k)
}

pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = Vec::with_capacity(b.len() + 1);
        current.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            let deletion = previous[j + 1] + 1;
            let insertion = current[j] + 1;
            current.push(substitution.min(deletion).min(insertion));
        }
        previous = current;
    }
    previous[b.len()]
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
    }
}

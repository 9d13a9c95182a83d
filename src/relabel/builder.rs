//! A label set under modification, with the iteration order of Prometheus's `labels.Builder`.
//!
//! The order matters only where one rule writes the same label twice (e.g. two labels mapped
//! onto one name by `labelmap`): the last write wins, and Prometheus visits the untouched
//! original labels (sorted) before the labels set since, in the order they were set.

use super::Labels;

/// Original labels plus pending additions and deletions.
#[derive(Clone, Debug, Default)]
pub struct LabelBuilder {
    /// The starting labels, sorted by name, without empty values.
    base: Vec<(String, String)>,
    /// Names deleted from `base` (a later `set` of the same name lives in `added`).
    deleted: Vec<String>,
    /// Labels set, in the order they were first set.
    added: Vec<(String, String)>,
}

impl LabelBuilder {
    /// A builder starting from `labels`; empty values count as absent, as in Prometheus.
    pub fn new(labels: &Labels) -> Self {
        LabelBuilder {
            base: labels
                .iter()
                .filter(|(_, v)| !v.is_empty())
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            ..LabelBuilder::default()
        }
    }

    /// The value of `name`, or `""` when absent.
    pub fn get(&self, name: &str) -> &str {
        if let Some((_, v)) = self.added.iter().find(|(n, _)| n == name) {
            return v;
        }
        if self.deleted.iter().any(|n| n == name) {
            return "";
        }
        self.base
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Sets `name` to `value`; an empty value deletes the label.
    pub fn set(&mut self, name: &str, value: &str) {
        if value.is_empty() {
            self.delete(name);
            return;
        }
        match self.added.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => value.clone_into(&mut slot.1),
            None => self.added.push((name.to_owned(), value.to_owned())),
        }
    }

    /// Deletes `name`.
    pub fn delete(&mut self, name: &str) {
        self.added.retain(|(n, _)| n != name);
        self.deleted.push(name.to_owned());
    }

    /// The current labels in Prometheus's visiting order: untouched original labels first
    /// (sorted), then the labels set since (in the order they were set).
    pub fn visit_order(&self) -> Vec<(String, String)> {
        let mut labels: Vec<(String, String)> = self
            .base
            .iter()
            .filter(|(n, _)| {
                !self.deleted.contains(n) && !self.added.iter().any(|(added, _)| added == n)
            })
            .cloned()
            .collect();
        labels.extend(self.added.iter().cloned());
        labels
    }

    /// The current labels.
    pub fn labels(&self) -> Labels {
        self.visit_order().into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::relabel::labels_of as labels;

    #[test]
    fn set_get_delete() {
        let mut b = LabelBuilder::new(&labels(&[("a", "1"), ("b", "2"), ("e", "")]));
        assert_eq!(b.get("e"), "");
        b.delete("a");
        assert_eq!(b.get("a"), "");
        b.set("a", "3");
        assert_eq!(b.get("a"), "3");
        b.set("b", "");
        b.set("c", "4");
        assert_eq!(b.labels(), labels(&[("a", "3"), ("c", "4")]));
    }

    #[test]
    fn visit_order_puts_set_labels_last() {
        let mut b = LabelBuilder::new(&labels(&[("a", "1"), ("b", "2"), ("c", "3")]));
        b.set("z", "9");
        b.set("a", "0");
        let names: Vec<String> = b.visit_order().into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["b", "c", "z", "a"]);
    }
}

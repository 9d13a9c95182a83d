//! Where each field of a document is (file-absolute line per field path), and the mapping keys
//! a document repeats — which the typed decoding would otherwise let the last one win.

use std::collections::{BTreeMap, BTreeSet};

use saphyr_parser::{Event, Parser};

/// The lines of a document's fields, and its repeated keys.
#[derive(Clone, Debug, Default)]
pub struct LineMap {
    lines: BTreeMap<String, usize>,
    /// Repeated keys: field path and the line of the repetition.
    pub duplicates: Vec<(String, usize)>,
}

enum Frame {
    Map {
        /// Length of the path string before this mapping's key was appended.
        base: usize,
        expecting_key: bool,
        keys: BTreeSet<String>,
    },
    Seq {
        base: usize,
        index: usize,
    },
}

impl LineMap {
    /// Reads `text` (whose line `n` is line `n + offset` of the file). A document that does not
    /// parse gives an empty map: the loader reports why.
    pub fn read(text: &str, offset: usize) -> Self {
        let mut map = LineMap::default();
        let mut path = String::new();
        let mut stack: Vec<Frame> = Vec::new();
        for event in Parser::new_from_str(text) {
            let Ok((event, span)) = event else {
                break;
            };
            let line = span.start.line() + offset;
            match event {
                Event::Scalar(value, ..) => {
                    if let Some(Frame::Map {
                        base,
                        expecting_key: expecting @ true,
                        keys,
                    }) = stack.last_mut()
                    {
                        path.truncate(*base);
                        if !path.is_empty() {
                            path.push('.');
                        }
                        path.push_str(&value);
                        if !keys.insert(value.into_owned()) {
                            map.duplicates.push((path.clone(), line));
                        }
                        map.lines.entry(path.clone()).or_insert(line);
                        *expecting = false;
                        continue;
                    }
                    map.value_done(&mut stack, &mut path, line);
                }
                Event::Alias(_) => map.value_done(&mut stack, &mut path, line),
                Event::MappingStart(..) | Event::SequenceStart(..) => {
                    map.enter_value(&mut stack, &mut path, line);
                    let base = path.len();
                    stack.push(if matches!(event, Event::MappingStart(..)) {
                        Frame::Map {
                            base,
                            expecting_key: true,
                            keys: BTreeSet::new(),
                        }
                    } else {
                        Frame::Seq { base, index: 0 }
                    });
                }
                Event::MappingEnd | Event::SequenceEnd => {
                    let base = match stack.pop() {
                        Some(Frame::Map { base, .. } | Frame::Seq { base, .. }) => base,
                        None => 0,
                    };
                    path.truncate(base);
                    map.value_done(&mut stack, &mut path, line);
                }
                _ => {}
            }
        }
        map
    }

    /// A collection starts as a value: inside a list it gets its index in the path.
    fn enter_value(&mut self, stack: &mut [Frame], path: &mut String, line: usize) {
        match stack.last_mut() {
            Some(Frame::Map {
                expecting_key: expecting @ true,
                ..
            }) => {
                // A collection used as a key: name it so its value still gets a path.
                path.push_str(".?");
                *expecting = false;
            }
            Some(Frame::Seq { base, index }) => {
                path.truncate(*base);
                path.push_str(&format!("[{index}]"));
                self.lines.entry(path.clone()).or_insert(line);
            }
            _ => {}
        }
    }

    /// A value (scalar, alias or collection) has ended.
    fn value_done(&mut self, stack: &mut [Frame], path: &mut String, line: usize) {
        match stack.last_mut() {
            Some(Frame::Map {
                base,
                expecting_key,
                ..
            }) => {
                path.truncate(*base);
                *expecting_key = true;
            }
            Some(Frame::Seq { base, index }) => {
                path.truncate(*base);
                let item = format!("{path}[{index}]");
                self.lines.entry(item).or_insert(line);
                *index += 1;
            }
            None => {}
        }
    }

    /// The line of `path`, or of its nearest ancestor that has one.
    pub fn line_of(&self, path: &str) -> Option<usize> {
        let mut path = path;
        loop {
            if let Some(line) = self.lines.get(path) {
                return Some(*line);
            }
            let cut = path.rfind(['.', '['])?;
            path = &path[..cut];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_duplicates() {
        let text = "a: 1\nb:\n  c: [x, y]\n  d:\n  - e: 1\n    e: 2\n  - f: {g: h}\n";
        let map = LineMap::read(text, 10);
        assert_eq!(map.line_of("a"), Some(11));
        assert_eq!(map.line_of("b.c"), Some(13));
        assert_eq!(map.line_of("b.d[0].e"), Some(15));
        assert_eq!(map.line_of("b.d[1].f.g"), Some(17));
        assert_eq!(map.line_of("b.d[1].f.zz"), Some(17));
        assert_eq!(map.duplicates, vec![("b.d[0].e".to_owned(), 16)]);
    }
}

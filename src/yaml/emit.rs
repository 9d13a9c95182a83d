//! The emitter: writes a [`Yaml`] tree byte for byte as `gopkg.in/yaml.v2` v2.4.0 marshals the
//! equivalent `yaml.MapSlice` (block style, 2-space indentation, sequences in mappings not
//! indented, empty collections as `{}` / `[]`, YAML 1.1 quoting, line folding at column 80).
//!
//! The structure follows the libyaml emitter that yaml.v2 carries (its state is the same set of
//! flags: column, indentation stack, "just wrote whitespace", "only indentation on this line"),
//! reduced to the events a `MapSlice` can produce.
//!
//! One exception to block style: Alertmanager's time-interval ranges are tagged `flow` in its Go
//! types, so yaml.v2 writes them as `weekdays: [saturday, sunday]`. No other configuration this
//! crate writes (Prometheus's, rule files, Kubernetes objects) has a sequence under these keys.

use std::io::{self, Write};

use super::resolve::{format_go_float, needs_quotes};
use super::{Map, Yaml};

/// Preferred line width: plain and quoted scalars fold at a space once a line is longer.
const BEST_WIDTH: usize = 80;
/// Indentation step.
const BEST_INDENT: isize = 2;
/// Longest key (in bytes) written as `key: value`; longer keys use the `? key` form.
const MAX_SIMPLE_KEY_LEN: usize = 128;

/// Keys whose sequence values yaml.v2 writes in flow style (Alertmanager's
/// `timeinterval.TimeInterval` fields tagged `flow`).
const FLOW_SEQUENCE_KEYS: [&str; 4] = ["weekdays", "days_of_month", "months", "years"];

/// How much text [`emit_to`] gathers before handing it to its sink. Smaller chunks made the
/// gzipped configuration a few percent larger.
const CHUNK: usize = 1024 * 1024;

/// Writes `doc` as yaml.v2's `Marshal` does, ending with a newline.
pub fn emit(doc: &Yaml) -> String {
    let mut emitter = Emitter::new(None);
    emitter.document(doc);
    emitter.out
}

/// Writes `doc` as [`emit`] does, into `sink` a chunk at a time: a configuration of thousands of
/// jobs on its way into gzip then never exists as one string next to its tree.
pub fn emit_to(doc: &Yaml, sink: &mut dyn Write) -> io::Result<()> {
    let mut emitter = Emitter::new(Some(sink));
    emitter.document(doc);
    emitter.flush()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Style {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
}

struct Emitter<'s> {
    out: String,
    /// Where full chunks of `out` go; without one, `out` holds the whole document.
    sink: Option<&'s mut dyn Write>,
    /// The first error the sink returned; nothing is written after it.
    sink_error: Option<io::Error>,
    /// Characters (not bytes) written on the current line.
    column: usize,
    indent: isize,
    indents: Vec<isize>,
    /// The last thing written was whitespace (or the start of the stream).
    whitespace: bool,
    /// Only indentation has been written on the current line so far.
    indention: bool,
    /// Inside a flow sequence: plain scalars then may not hold flow indicators.
    in_flow: bool,
}

impl<'s> Emitter<'s> {
    fn new(sink: Option<&'s mut dyn Write>) -> Self {
        Emitter {
            out: String::new(),
            sink,
            sink_error: None,
            column: 0,
            indent: -1,
            indents: Vec::new(),
            whitespace: true,
            indention: true,
            in_flow: false,
        }
    }

    fn node(&mut self, node: &Yaml, in_mapping: bool) {
        match node {
            Yaml::Null => self.scalar("null", Style::Plain, false),
            Yaml::Bool(b) => self.scalar(if *b { "true" } else { "false" }, Style::Plain, false),
            Yaml::Int(i) => self.scalar(&i.to_string(), Style::Plain, false),
            Yaml::Float(f) => self.scalar(&format_go_float(*f), Style::Plain, false),
            Yaml::Str(s) => self.scalar(s, string_style(s), false),
            Yaml::Seq(items) if items.is_empty() => self.empty_flow("[", "]"),
            Yaml::Map(map) if map.is_empty() => self.empty_flow("{", "}"),
            Yaml::Seq(items) => self.block_sequence(items, in_mapping),
            Yaml::Map(map) => self.block_mapping(map),
        }
    }

    fn empty_flow(&mut self, open: &str, close: &str) {
        self.write_indicator(open, true, true, false);
        self.increase_indent(true, false);
        self.pop_indent();
        self.write_indicator(close, false, false, false);
    }

    fn block_sequence(&mut self, items: &[Yaml], in_mapping: bool) {
        // A sequence that is a mapping value starts at the key's column (`key:\n- a`).
        let indentless = in_mapping && !self.indention;
        self.increase_indent(false, indentless);
        for item in items {
            self.write_indent();
            self.write_indicator("-", true, false, true);
            self.node(item, false);
        }
        self.pop_indent();
    }

    fn block_mapping(&mut self, map: &Map) {
        self.increase_indent(false, false);
        for (key, value) in map.iter() {
            self.write_indent();
            let style = string_style(key);
            if is_simple_key(key) {
                self.scalar(key, style, true);
                self.write_indicator(":", false, false, false);
            } else {
                self.write_indicator("?", true, false, true);
                self.scalar(key, style, false);
                self.write_indent();
                self.write_indicator(":", true, false, true);
            }
            match value {
                Yaml::Seq(items) if !items.is_empty() && FLOW_SEQUENCE_KEYS.contains(&key) => {
                    self.flow_sequence(items);
                }
                _ => self.node(value, true),
            }
        }
        self.pop_indent();
    }

    /// `[a, b]`, as libyaml writes a flow sequence of scalars.
    fn flow_sequence(&mut self, items: &[Yaml]) {
        self.write_indicator("[", true, true, false);
        self.increase_indent(true, false);
        self.in_flow = true;
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.write_indicator(",", false, false, false);
            }
            if self.column > BEST_WIDTH {
                self.write_indent();
            }
            self.node(item, false);
        }
        self.in_flow = false;
        self.pop_indent();
        self.write_indicator("]", false, false, false);
    }

    fn scalar(&mut self, value: &str, requested: Style, simple_key: bool) {
        let word = analyze_word(value.as_bytes());
        let is_word = word.is_some();
        let analysis = word.unwrap_or_else(|| analyze(value));
        let style = select_style(value, requested, &analysis, simple_key, self.in_flow);
        self.increase_indent(true, false);
        let allow_breaks = !simple_key;
        match style {
            Style::Plain if is_word => self.write_word(value),
            Style::Plain => self.write_plain(value, allow_breaks),
            Style::SingleQuoted => self.write_single_quoted(value, allow_breaks),
            Style::DoubleQuoted => self.write_double_quoted(value, allow_breaks),
            Style::Literal => self.write_literal(value),
        }
        self.pop_indent();
    }

    fn increase_indent(&mut self, flow: bool, indentless: bool) {
        self.indents.push(self.indent);
        if self.indent < 0 {
            self.indent = if flow { BEST_INDENT } else { 0 };
        } else if !indentless {
            self.indent += BEST_INDENT;
        }
    }

    fn pop_indent(&mut self) {
        self.indent = self.indents.pop().unwrap_or(-1);
    }

    fn put(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
        if self.out.len() >= CHUNK {
            self.hand_over();
        }
    }

    /// Passes what has been written to the sink, if there is one.
    fn hand_over(&mut self) {
        let Some(sink) = self.sink.as_mut() else {
            return;
        };
        if self.sink_error.is_none()
            && let Err(e) = sink.write_all(self.out.as_bytes())
        {
            self.sink_error = Some(e);
        }
        self.out.clear();
    }

    /// The last chunk, and the sink's first error if it had one.
    fn flush(mut self) -> io::Result<()> {
        self.hand_over();
        self.sink_error.map_or(Ok(()), Err)
    }

    fn document(&mut self, doc: &Yaml) {
        self.node(doc, false);
        // Document end: yaml.v2 closes the (implicit) document by moving to a fresh line.
        self.write_indent();
    }

    fn write_break(&mut self, c: char) {
        if c == '\n' {
            self.put_break();
        } else {
            self.put(c);
            self.column = 0;
        }
    }

    fn write_indent(&mut self) {
        let indent = usize::try_from(self.indent).unwrap_or(0);
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(' ');
        }
        self.whitespace = true;
        self.indention = true;
    }

    fn write_indicator(
        &mut self,
        indicator: &str,
        need_whitespace: bool,
        is_whitespace: bool,
        is_indention: bool,
    ) {
        if need_whitespace && !self.whitespace {
            self.put(' ');
        }
        for c in indicator.chars() {
            self.put(c);
        }
        self.whitespace = is_whitespace;
        self.indention = self.indention && is_indention;
    }

    /// A plain scalar of printable ASCII without blanks: nothing to fold, one column a byte.
    fn write_word(&mut self, value: &str) {
        if !self.whitespace {
            self.put(' ');
        }
        self.out.push_str(value);
        self.column += value.len();
        self.whitespace = false;
        self.indention = false;
    }

    fn write_plain(&mut self, value: &str, allow_breaks: bool) {
        if !self.whitespace {
            self.put(' ');
        }
        // Without spaces or breaks there is nothing to fold: the common case, written at once.
        if !value.contains(|c: char| c == ' ' || is_break(c)) {
            self.out.push_str(value);
            self.column += if value.is_ascii() {
                value.len()
            } else {
                value.chars().count()
            };
            self.whitespace = false;
            self.indention = false;
            return;
        }
        self.write_folding(value, allow_breaks, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_single_quoted(&mut self, value: &str, allow_breaks: bool) {
        self.write_indicator("'", true, false, false);
        self.write_folding(value, allow_breaks, true);
        self.write_indicator("'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    /// Writes a plain or single-quoted scalar's text, folding long lines at single spaces.
    fn write_folding(&mut self, value: &str, allow_breaks: bool, single_quoted: bool) {
        let mut chars = value.chars().peekable();
        let mut first = true;
        let mut spaces = false;
        let mut breaks = false;
        while let Some(c) = chars.next() {
            let is_first = std::mem::replace(&mut first, false);
            if c == ' ' {
                let next = chars.peek();
                // A quoted scalar's first and last spaces stay: a break there would fold away.
                let at_quote = single_quoted && (is_first || next.is_none());
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && !at_quote
                    && next != Some(&' ')
                {
                    self.write_indent();
                } else {
                    self.put(c);
                }
                spaces = true;
            } else if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                if single_quoted && c == '\'' {
                    self.put('\'');
                }
                self.put(c);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
    }

    fn write_double_quoted(&mut self, value: &str, allow_breaks: bool) {
        self.write_indicator("\"", true, false, false);
        let mut chars = value.chars().peekable();
        let mut first = true;
        // libyaml tests for a byte-order mark at the start of the value rather than at the
        // current character, so a leading BOM escapes every character; kept for fidelity.
        let leading_bom = value.starts_with('\u{FEFF}');
        let mut spaces = false;
        while let Some(c) = chars.next() {
            let (is_first, is_last) =
                (std::mem::replace(&mut first, false), chars.peek().is_none());
            if !is_printable(c) || leading_bom || is_break(c) || c == '"' || c == '\\' {
                self.put('\\');
                self.write_escape(c);
                spaces = false;
            } else if c == ' ' {
                if allow_breaks && !spaces && self.column > BEST_WIDTH && !is_first && !is_last {
                    self.write_indent();
                    if chars.peek() == Some(&' ') {
                        self.put('\\');
                    }
                } else {
                    self.put(c);
                }
                spaces = true;
            } else {
                self.put(c);
                spaces = false;
            }
        }
        self.write_indicator("\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_escape(&mut self, c: char) {
        let short = match c {
            '\0' => Some('0'),
            '\u{07}' => Some('a'),
            '\u{08}' => Some('b'),
            '\t' => Some('t'),
            '\n' => Some('n'),
            '\u{0B}' => Some('v'),
            '\u{0C}' => Some('f'),
            '\r' => Some('r'),
            '\u{1B}' => Some('e'),
            '"' => Some('"'),
            '\\' => Some('\\'),
            '\u{85}' => Some('N'),
            '\u{A0}' => Some('_'),
            '\u{2028}' => Some('L'),
            '\u{2029}' => Some('P'),
            _ => None,
        };
        if let Some(letter) = short {
            self.put(letter);
            return;
        }
        let code = u32::from(c);
        let escaped = if code <= 0xFF {
            format!("x{code:02X}")
        } else if code <= 0xFFFF {
            format!("u{code:04X}")
        } else {
            format!("U{code:08X}")
        };
        for ch in escaped.chars() {
            self.put(ch);
        }
    }

    fn write_literal(&mut self, value: &str) {
        self.write_indicator("|", true, false, false);
        if value.starts_with(' ') || value.starts_with(is_break) {
            self.write_indicator("2", false, false, false);
        }
        if let Some(chomp) = chomping_indicator(value) {
            self.write_indicator(chomp, false, false, false);
        }
        self.put_break();
        self.indention = true;
        self.whitespace = true;
        let mut breaks = true;
        for c in value.chars() {
            if is_break(c) {
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.put(c);
                self.indention = false;
                breaks = false;
            }
        }
    }
}

/// `-` (strip) when there is no final line break, `+` (keep) when there are several, none
/// (clip) for exactly one.
fn chomping_indicator(value: &str) -> Option<&'static str> {
    let mut rev = value.chars().rev();
    match (rev.next(), rev.next()) {
        (None, _) => Some("-"),
        (Some(last), _) if !is_break(last) => Some("-"),
        (Some(_), None) => Some("+"),
        (Some(_), Some(before)) if is_break(before) => Some("+"),
        _ => None,
    }
}

/// The style yaml.v2's encoder asks for when marshalling a Go string.
fn string_style(s: &str) -> Style {
    if s.contains('\n') {
        Style::Literal
    } else if needs_quotes(s) {
        Style::DoubleQuoted
    } else {
        Style::Plain
    }
}

fn is_simple_key(key: &str) -> bool {
    key.len() <= MAX_SIMPLE_KEY_LEN
        && if key.is_ascii() {
            !key.bytes().any(|b| b == b'\n' || b == b'\r')
        } else {
            !key.contains(is_break)
        }
}

/// Which styles can represent a scalar faithfully.
#[derive(Debug, PartialEq)]
struct Analysis {
    multiline: bool,
    flow_plain_allowed: bool,
    block_plain_allowed: bool,
    single_quoted_allowed: bool,
    block_allowed: bool,
}

fn analyze(value: &str) -> Analysis {
    if value.is_empty() {
        return Analysis {
            multiline: false,
            flow_plain_allowed: false,
            block_plain_allowed: true,
            single_quoted_allowed: true,
            block_allowed: false,
        };
    }
    if let Some(analysis) = analyze_word(value.as_bytes()) {
        return analysis;
    }
    let document_marker = value.starts_with("---") || value.starts_with("...");
    // Most scalars are ASCII: read as bytes, they need no UTF-8 decoding.
    if value.is_ascii() {
        scan(value.bytes().map(char::from), document_marker)
    } else {
        scan(value.chars(), document_marker)
    }
}

/// A byte of [`WORD_BYTE_CLASS`] that is a flow indicator.
const FLOW_INDICATOR: u8 = 1;
/// A byte of [`WORD_BYTE_CLASS`] that ends the word fast path (a blank, a control character,
/// non-ASCII).
const NOT_IN_WORD: u8 = 2;
/// Each byte's class for [`analyze_word`]: printable ASCII is 0 or [`FLOW_INDICATOR`].
const WORD_BYTE_CLASS: [u8; 256] = {
    let mut classes = [NOT_IN_WORD; 256];
    let mut b = 0x21;
    while b <= 0x7E {
        classes[b] = match b as u8 {
            b',' | b'?' | b'[' | b']' | b'{' | b'}' | b':' => FLOW_INDICATOR,
            _ => 0,
        };
        b += 1;
    }
    classes
};

/// [`analyze`] of the commonest scalar, a non-empty run of printable ASCII without blanks
/// (names, label values, durations, paths): one pass over bytes instead of the character scan.
/// `None` when the scalar is anything else, or starts with what could be an indicator; the full
/// scan decides those.
fn analyze_word(bytes: &[u8]) -> Option<Analysis> {
    let (&first, rest) = bytes.split_first()?;
    if !first.is_ascii_alphanumeric() && !matches!(first, b'_' | b'.' | b'/' | b'$' | b'(' | b'^')
        || bytes.starts_with(b"...")
    {
        return None;
    }
    // A `:` at the end is followed by "whitespace": the full scan handles it.
    if rest.last() == Some(&b':') {
        return None;
    }
    // No early exit: the loop is a branch-free OR over the bytes' classes.
    let class = rest
        .iter()
        .fold(0, |class, &b| class | WORD_BYTE_CLASS[usize::from(b)]);
    if class & NOT_IN_WORD != 0 {
        return None;
    }
    Some(Analysis {
        multiline: false,
        flow_plain_allowed: class & FLOW_INDICATOR == 0,
        block_plain_allowed: true,
        single_quoted_allowed: true,
        block_allowed: true,
    })
}

/// Whether `c` is a flow indicator and a block indicator where it stands: first in the scalar
/// or not, after white space or not, before white space (or the end) or not.
fn indicator(c: char, first: bool, after_blank: bool, before_blank: bool) -> (bool, bool) {
    match (first, c) {
        (
            true,
            '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"' | '%'
            | '@' | '`',
        ) => (true, true),
        (true, '?') | (_, ':') => (true, before_blank),
        (true, '-') if before_blank => (true, true),
        (false, ',' | '?' | '[' | ']' | '{' | '}') => (true, false),
        (false, '#') if after_blank => (true, true),
        _ => (false, false),
    }
}

/// [`analyze`] of a non-empty scalar's characters.
fn scan(chars: impl Iterator<Item = char>, document_marker: bool) -> Analysis {
    let mut block_indicators = document_marker;
    let mut flow_indicators = block_indicators;
    let mut line_breaks = false;
    let mut special_characters = false;
    let mut leading_space = false;
    let mut leading_break = false;
    let mut break_space = false;
    let mut space_break = false;
    let mut preceded_by_whitespace = true;
    let mut previous_space = false;
    let mut previous_break = false;
    let mut last_char = ' ';

    let mut chars = chars.peekable();
    let mut first = true;
    while let Some(c) = chars.next() {
        let followed_by_whitespace = chars.peek().is_none_or(|&n| is_blank(n));
        let (flow, block) = indicator(c, first, preceded_by_whitespace, followed_by_whitespace);
        flow_indicators |= flow;
        block_indicators |= block;
        if !is_printable(c) {
            special_characters = true;
        }
        if c == ' ' {
            leading_space |= first;
            break_space |= previous_break;
            previous_space = true;
            previous_break = false;
        } else if is_break(c) {
            line_breaks = true;
            leading_break |= first;
            space_break |= previous_space;
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_whitespace = is_blank(c) || is_break(c) || c == '\0';
        last_char = c;
        first = false;
    }
    let trailing_space = last_char == ' ';
    let trailing_break = is_break(last_char);

    let mut analysis = Analysis {
        multiline: line_breaks,
        flow_plain_allowed: !flow_indicators,
        block_plain_allowed: true,
        single_quoted_allowed: true,
        block_allowed: true,
    };
    if leading_space || leading_break || trailing_space || trailing_break {
        analysis.flow_plain_allowed = false;
        analysis.block_plain_allowed = false;
    }
    if trailing_space {
        analysis.block_allowed = false;
    }
    if break_space {
        analysis.flow_plain_allowed = false;
        analysis.block_plain_allowed = false;
        analysis.single_quoted_allowed = false;
    }
    if space_break || special_characters {
        analysis.flow_plain_allowed = false;
        analysis.block_plain_allowed = false;
        analysis.single_quoted_allowed = false;
        analysis.block_allowed = false;
    }
    if line_breaks {
        analysis.flow_plain_allowed = false;
        analysis.block_plain_allowed = false;
    }
    if block_indicators {
        analysis.block_plain_allowed = false;
    }
    analysis
}

fn select_style(
    value: &str,
    requested: Style,
    analysis: &Analysis,
    simple_key: bool,
    in_flow: bool,
) -> Style {
    let mut style = requested;
    if simple_key && analysis.multiline {
        style = Style::DoubleQuoted;
    }
    let plain_allowed = if in_flow {
        analysis.flow_plain_allowed
    } else {
        analysis.block_plain_allowed
    };
    if style == Style::Plain && (!plain_allowed || (value.is_empty() && simple_key)) {
        style = Style::SingleQuoted;
    }
    if style == Style::SingleQuoted && !analysis.single_quoted_allowed {
        style = Style::DoubleQuoted;
    }
    if style == Style::Literal && (!analysis.block_allowed || simple_key || in_flow) {
        style = Style::DoubleQuoted;
    }
    style
}

fn is_break(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

fn is_blank(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// Characters libyaml writes as they are; everything else needs a double-quoted escape.
fn is_printable(c: char) -> bool {
    matches!(c, '\n' | '\u{20}'..='\u{7E}' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}')
        && c != '\u{FEFF}'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(entries: &[(&str, Yaml)]) -> Yaml {
        Yaml::Map(
            entries
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect(),
        )
    }

    fn s(v: &str) -> Yaml {
        Yaml::from(v.to_owned())
    }

    fn one(v: Yaml) -> String {
        emit(&map(&[("k", v)]))
    }

    #[test]
    fn chunked_output_is_the_same_text() {
        let jobs = (0..30_000)
            .map(|i| {
                map(&[
                    ("job_name", s(&format!("job-{i}"))),
                    ("honor_labels", Yaml::Bool(false)),
                ])
            })
            .collect();
        let doc = map(&[("scrape_configs", Yaml::Seq(jobs))]);
        let mut chunked = Vec::new();
        emit_to(&doc, &mut chunked).unwrap();
        assert!(chunked.len() > CHUNK);
        assert_eq!(String::from_utf8(chunked).unwrap(), emit(&doc));
    }

    #[test]
    fn block_layout() {
        let doc = map(&[
            ("global", map(&[("scrape_interval", s("30s"))])),
            (
                "scrape_configs",
                Yaml::Seq(vec![map(&[
                    ("job_name", s("a")),
                    (
                        "static_configs",
                        Yaml::Seq(vec![map(&[("targets", Yaml::Seq(vec![s("x:1")]))])]),
                    ),
                ])]),
            ),
            ("empty_map", Yaml::Map(Map::new())),
            ("empty_seq", Yaml::Seq(vec![])),
            (
                "nested",
                Yaml::Seq(vec![Yaml::Seq(vec![s("a"), s("b")]), Yaml::Seq(vec![])]),
            ),
        ]);
        assert_eq!(
            emit(&doc),
            "global:\n  scrape_interval: 30s\nscrape_configs:\n- job_name: a\n  static_configs:\n  - targets:\n    - x:1\nempty_map: {}\nempty_seq: []\nnested:\n- - a\n  - b\n- []\n"
        );
    }

    #[test]
    fn roots() {
        assert_eq!(emit(&Yaml::Null), "null\n");
        assert_eq!(emit(&Yaml::Map(Map::new())), "{}\n");
        assert_eq!(emit(&Yaml::Seq(vec![])), "[]\n");
        assert_eq!(emit(&Yaml::Seq(vec![s("a"), Yaml::Int(1)])), "- a\n- 1\n");
        assert_eq!(emit(&s("a\nb")), "|-\n  a\n  b\n");
    }

    #[test]
    fn the_word_fast_path_agrees_with_the_full_scan() {
        let samples = [
            "a",
            "job-1",
            "__name__",
            "go_.*",
            "(.+)",
            "$1",
            "^x$",
            "/metrics",
            "a:b",
            "a:",
            "http://h:9090/x",
            "a,b",
            "a[0]",
            "{x}",
            "a?b",
            "a#b",
            ".5",
            "...",
            "..x",
            "_",
            "x\"y",
            "~",
            "a'b",
            "a|b",
            "a>b",
            "a@b",
            "a%b",
            "a!b",
            "a&b",
            "a*b",
            "a`b",
            "/",
            "$",
        ];
        for v in samples {
            let word = analyze_word(v.as_bytes());
            if let Some(word) = word {
                assert_eq!(word, scan(v.chars(), false), "{v:?}");
            }
        }
        for v in [
            "-", "-x", "--- a", "a b", "a\tb", "é", "#x", ":x", "?x", "a\u{7f}",
        ] {
            assert_eq!(analyze_word(v.as_bytes()), None, "{v:?}");
        }
    }

    #[test]
    fn scalars_that_resolve_to_other_types_are_double_quoted() {
        for v in [
            "",
            "true",
            "yes",
            "on",
            "Off",
            "y",
            "N",
            "1",
            "1.5",
            "~",
            "null",
            "NULL",
            "0x1F",
            "0o17",
            "1e3",
            ".5",
            "-1",
            "+1",
            ".inf",
            "-.Inf",
            ".nan",
            "1_000",
            "2001-12-14",
            "2001-12-14t21:59:43.10-05:00",
            "2001-12-14 21:59:43.10",
            "1:20",
            "190:20:30.15",
        ] {
            assert_eq!(one(s(v)), format!("k: \"{v}\"\n"), "{v:?}");
        }
        for v in [
            "no way",
            "yess",
            "1.2.3",
            "0x",
            "1e",
            "abc",
            "<<",
            "2001-13-01",
            "2001-02-30",
            "1:70",
            "--1",
            "1e400",
            "Infinity",
        ] {
            assert_eq!(one(s(v)), format!("k: {v}\n"), "{v:?}");
        }
    }

    #[test]
    fn time_interval_ranges_are_flow_sequences() {
        let seq = |items: &[&str]| Yaml::Seq(items.iter().map(|i| s(i)).collect());
        let interval = map(&[
            ("weekdays", seq(&["saturday", "sunday"])),
            ("days_of_month", seq(&["1:10", "-3:-1"])),
            ("years", seq(&["2030:2050"])),
            ("months", seq(&[])),
            ("other", seq(&["a:b"])),
        ]);
        assert_eq!(
            emit(&interval),
            "weekdays: [saturday, sunday]\ndays_of_month: [\"1:10\", '-3:-1']\nyears: ['2030:2050']\nmonths: []\nother:\n- a:b\n"
        );
    }

    #[test]
    fn indicators_need_single_quotes() {
        for (value, want) in [
            ("{job=\"x\"}", "k: '{job=\"x\"}'\n"),
            ("it's: x", "k: 'it''s: x'\n"),
            ("- a", "k: '- a'\n"),
            ("-a", "k: -a\n"),
            ("-", "k: '-'\n"),
            ("a #b", "k: 'a #b'\n"),
            ("a#b", "k: a#b\n"),
            ("a: b", "k: 'a: b'\n"),
            ("a:b", "k: a:b\n"),
            ("*x", "k: '*x'\n"),
            (" lead", "k: ' lead'\n"),
            ("---x", "k: '---x'\n"),
            ("a,b[c]", "k: a,b[c]\n"),
            ("$1", "k: $1\n"),
            ("(.*)", "k: (.*)\n"),
            (
                "Service.Meta.env == \"prod\"",
                "k: Service.Meta.env == \"prod\"\n",
            ),
        ] {
            assert_eq!(one(s(value)), want, "{value:?}");
        }
    }

    #[test]
    fn special_characters_are_escaped() {
        for (value, want) in [
            ("trail ", "k: 'trail '\n"),
            ("a\tb", "k: \"a\\tb\"\n"),
            ("\u{1F600}", "k: \"\\U0001F600\"\n"),
            ("é", "k: é\n"),
            ("a\u{7F}", "k: \"a\\x7F\"\n"),
            ("\u{FEFF}ab", "k: \"\\uFEFF\\x61\\x62\"\n"),
            ("x\r", "k: \"x\\r\"\n"),
            // yaml.v2 closes a single-quoted scalar right after a trailing line separator
            // (newer libyaml re-indents first).
            ("a\u{2028}", "k: 'a\u{2028}'\n"),
        ] {
            assert_eq!(one(s(value)), want, "{value:?}");
        }
        // A kept final line break leaves no `...` document end marker.
        assert_eq!(emit(&s("a\n\n")), "|+\n  a\n\n");
    }

    #[test]
    fn multi_line_strings_use_literal_style() {
        for (value, want) in [
            ("a\nb", "k: |-\n  a\n  b\n"),
            ("a\nb\n", "k: |\n  a\n  b\n"),
            ("a\n\n", "k: |+\n  a\n\n"),
            ("\n", "k: |2+\n\n"),
            (" a\nb", "k: |2-\n   a\n  b\n"),
            ("a \nb", "k: \"a \\nb\"\n"),
            ("a\n\tb", "k: \"a\\n\\tb\"\n"),
        ] {
            assert_eq!(one(s(value)), want, "{value:?}");
        }
        let doc = map(&[("k", s("a\n")), ("j", Yaml::Seq(vec![s("x\ny")]))]);
        assert_eq!(emit(&doc), "k: |\n  a\nj:\n- |-\n  x\n  y\n");
        let doc = map(&[("o", map(&[("k", s("a\nb"))])), ("z", Yaml::Int(1))]);
        assert_eq!(emit(&doc), "o:\n  k: |-\n    a\n    b\nz: 1\n");
    }

    #[test]
    fn keys() {
        assert_eq!(emit(&map(&[("", s("v"))])), "\"\": v\n");
        assert_eq!(emit(&map(&[("true", s("v"))])), "\"true\": v\n");
        assert_eq!(
            emit(&map(&[("match[]", Yaml::Seq(vec![s("up")]))])),
            "match[]:\n- up\n"
        );
        assert_eq!(emit(&map(&[("a\nb", s("v"))])), "? |-\n  a\n  b\n: v\n");
        let long = "k".repeat(129);
        assert_eq!(
            emit(&map(&[(long.as_str(), s("v"))])),
            format!("? {long}\n: v\n")
        );
        assert_eq!(
            emit(&map(&[(
                long.as_str(),
                map(&[("a", Yaml::Int(1)), ("b", Yaml::Int(2))])
            )])),
            format!("? {long}\n: a: 1\n  b: 2\n")
        );
    }

    #[test]
    fn numbers_and_bools() {
        assert_eq!(one(Yaml::Int(-3)), "k: -3\n");
        assert_eq!(one(Yaml::Bool(true)), "k: true\n");
        assert_eq!(one(Yaml::Float(0.5)), "k: 0.5\n");
        assert_eq!(one(Yaml::Float(1e6)), "k: 1e+06\n");
        assert_eq!(one(Yaml::Float(f64::NEG_INFINITY)), "k: -.inf\n");
    }

    #[test]
    fn long_plain_scalars_fold_after_column_80() {
        let words = vec!["word"; 30].join(" ");
        let out = one(s(&words));
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 2, "{out}");
        // The first line stops at the first space after column 80 has been passed.
        assert_eq!(lines[0].len(), 82);
        assert!(lines[1].starts_with("  word"));
        // Without spaces nothing folds.
        let long = "x".repeat(200);
        assert_eq!(one(s(&long)), format!("k: {long}\n"));
        // Keys never fold.
        let key = vec!["w"; 60].join(" ");
        assert_eq!(
            emit(&map(&[(key.as_str(), Yaml::Int(1))])),
            format!("{key}: 1\n")
        );
    }

    #[test]
    fn long_quoted_scalars_fold_too() {
        let words = format!("{} ", vec!["word"; 30].join(" "));
        let out = one(s(&words));
        assert!(out.starts_with("k: 'word"), "{out}");
        assert_eq!(out.lines().count(), 2, "{out}");
        let words = format!("{}\t", vec!["word"; 30].join(" "));
        let out = one(s(&words));
        assert!(out.starts_with("k: \"word"), "{out}");
        assert_eq!(out.lines().count(), 2, "{out}");
    }

    #[test]
    fn matches_yaml_v2_marshal_behaviour() {
        let alphabet = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 1234567890";
        let text = format!("{alphabet} {alphabet} ");
        let (first, second) = alphabet.split_at(26);
        assert_eq!(
            emit(&map(&[("a", s(&text))])),
            format!("a: '{alphabet} {first}\n {second} '\n")
        );
        assert_eq!(emit(&map(&[("a", s("1:1"))])), "a: \"1:1\"\n");
        assert_eq!(emit(&map(&[("a", s("\0"))])), "a: \"\\0\"\n");
        assert_eq!(emit(&map(&[("a", s("<foo>"))])), "a: <foo>\n");
        assert_eq!(emit(&map(&[("a", s("1.2.3.4"))])), "a: 1.2.3.4\n");
        assert_eq!(
            emit(&map(&[("a", s("Hello #comment"))])),
            "a: 'Hello #comment'\n"
        );
        assert_eq!(
            emit(&map(&[("a", s("你好 #comment"))])),
            "a: '你好 #comment'\n"
        );
        assert_eq!(
            emit(&map(&[("a", s("2015-02-24T18:19:39Z"))])),
            "a: \"2015-02-24T18:19:39Z\"\n"
        );
        assert_eq!(
            emit(&map(&[("v", Yaml::Seq(vec![s("A"), s("B\nC")]))])),
            "v:\n- A\n- |-\n  B\n  C\n"
        );
    }

    #[test]
    fn go_float_format() {
        for (f, want) in [
            (0.0, "0"),
            (-0.0, "-0"),
            (1.0, "1"),
            (0.1, "0.1"),
            (100000.0, "100000"),
            (1e6, "1e+06"),
            (1234567.0, "1.234567e+06"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (1.5e300, "1.5e+300"),
            (-2.5, "-2.5"),
            (123456.789, "123456.789"),
            // The exponent is that of the shortest digits, not of the value's logarithm.
            (999999.9999999999, "999999.9999999999"),
            (9.999999999999999e-05, "9.999999999999999e-05"),
        ] {
            assert_eq!(format_go_float(f), want, "{f}");
        }
    }
}

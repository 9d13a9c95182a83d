//! Go (RE2) regular expressions on top of the `regex` crate, as Prometheus uses them in
//! relabeling: fully anchored, `.` matching newlines, Go's ASCII-only Perl classes, and Go's
//! `regexp.Expand` template rules.

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

/// Go's `\d`, `\w` and `\s` as ASCII class bodies (the `regex` crate's are Unicode-aware).
const DIGIT: &str = "0-9";
const WORD: &str = "0-9A-Za-z_";
const SPACE: &str = r"\t\n\f\r ";

/// A compiled relabeling regex, anchored as Prometheus anchors it: `^(?s:PATTERN)$`.
#[derive(Clone, Debug)]
pub struct GoRegex {
    /// The pattern as written in the configuration.
    source: String,
    compiled: regex::Regex,
}

/// Distinct patterns kept compiled: thousands of monitors repeat the same few relabeling
/// regexes, and compiling one costs far more than looking it up.
const MAX_CACHED_PATTERNS: usize = 4096;

/// The compiled size a pattern may take beyond the `regex` crate's default (10 MiB): Go
/// compiles a Unicode class as one instruction, the `regex` crate as a UTF-8 automaton, so a
/// pattern Go takes easily (`[\pL\pN_-]{1,253}`, `\pL{1000}`) needs up to this much here.
const LARGE_PATTERN_BYTES: usize = 64 << 20;

/// How many distinct patterns may take [`LARGE_PATTERN_BYTES`] in one run: each stays
/// compiled for the run, so this bounds their memory (512 MiB).
const MAX_LARGE_PATTERNS: usize = 8;

/// Why a pattern does not compile, in Go's words where Go refuses it too.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum GoRegexError {
    /// Go's parser refuses it: `error parsing regexp: CODE: `EXPR``.
    #[error("error parsing regexp: {code}: `{expr}`")]
    Syntax {
        /// Go's error code text (`missing closing )`, `invalid escape sequence`, ...).
        code: &'static str,
        /// The part of the expression Go names.
        expr: String,
    },
    /// Go takes it, but it compiles larger than this tool allows: this tool cannot apply it,
    /// though Prometheus and Alertmanager would.
    #[error("kubectl-promop cannot evaluate this pattern, which Go accepts: {0}")]
    TooLarge(String),
}

/// How a pattern is anchored before Go compiles it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Anchoring {
    /// Prometheus's relabeling: `^(?s:PATTERN)$`, `.` matching newlines.
    Prometheus,
    /// Alertmanager's matchers: `^(?:PATTERN)$`.
    Alertmanager,
}

impl Anchoring {
    fn wrap(self, pattern: &str) -> String {
        match self {
            Anchoring::Prometheus => format!("^(?s:{pattern})$"),
            Anchoring::Alertmanager => format!("^(?:{pattern})$"),
        }
    }
}

/// What compiling a pattern gave.
type Compiled = Result<regex::Regex, GoRegexError>;

/// `pattern` compiled with Go's syntax and `anchoring`, from the cache when it was compiled
/// before (a `Regex` clone shares the compiled program; a refusal is kept too, so a pattern
/// too large is not built again for every object that repeats it).
fn compiled(pattern: &str, anchoring: Anchoring) -> Compiled {
    static CACHE: OnceLock<Mutex<HashMap<(Anchoring, String), Compiled>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Mutex::default);
    let key = (anchoring, pattern.to_owned());
    if let Some(found) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return found;
    }
    let result = compile(pattern, anchoring);
    if let Ok(mut cache) = cache.lock()
        && cache.len() < MAX_CACHED_PATTERNS
    {
        cache.insert(key, result.clone());
    }
    result
}

fn compile(pattern: &str, anchoring: Anchoring) -> Compiled {
    static LARGE: AtomicUsize = AtomicUsize::new(0);
    let anchored = anchoring.wrap(&translate(pattern));
    let go_error = |error: &regex::Error| go_error(&anchoring.wrap(pattern), &anchored, error);
    match regex::Regex::new(&anchored) {
        Err(regex::Error::CompiledTooBig(_)) => {
            // Every attempt counts, built or not (a failed one costs as much time); the result
            // is cached, so a repeat costs nothing.
            if LARGE.fetch_add(1, Ordering::Relaxed) >= MAX_LARGE_PATTERNS {
                return Err(GoRegexError::TooLarge(format!(
                    "more than {MAX_LARGE_PATTERNS} patterns in this run compile larger than the \
                     regex library's default; kubectl-promop compiles no more of them \
                     (MAX_LARGE_PATTERNS)"
                )));
            }
            regex::RegexBuilder::new(&anchored)
                .size_limit(LARGE_PATTERN_BYTES)
                .build()
                .map_err(|e| match e {
                    regex::Error::CompiledTooBig(limit) => GoRegexError::TooLarge(format!(
                        "the compiled expression exceeds {} MiB (LARGE_PATTERN_BYTES)",
                        limit >> 20
                    )),
                    other => go_error(&other),
                })
        }
        Err(error) => Err(go_error(&error)),
        Ok(regex) => Ok(regex),
    }
}

impl GoRegex {
    /// Compiles `pattern` with Go's syntax and Prometheus's anchoring.
    pub fn new(pattern: &str) -> Result<Self, GoRegexError> {
        Self::anchored(pattern, Anchoring::Prometheus)
    }

    /// Compiles an Alertmanager matcher's `pattern`: anchored as `^(?:PATTERN)$`, `.` not
    /// matching a newline.
    pub fn matcher(pattern: &str) -> Result<Self, GoRegexError> {
        Self::anchored(pattern, Anchoring::Alertmanager)
    }

    fn anchored(pattern: &str, anchoring: Anchoring) -> Result<Self, GoRegexError> {
        if let Some(error) = go_repetition_error(pattern) {
            // Go's RE2 refuses these; the `regex` crate would accept them.
            return Err(error);
        }
        Ok(GoRegex {
            source: pattern.to_owned(),
            compiled: compiled(pattern, anchoring)?,
        })
    }

    /// The pattern as written in the configuration (without the anchoring).
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// Whether the whole of `text` matches.
    pub fn is_match(&self, text: &str) -> bool {
        self.compiled.is_match(text)
    }

    /// Matches the whole of `text` and expands `template` with the match's groups, or `None`
    /// when `text` does not match.
    pub fn expand_match(&self, text: &str, template: &str) -> Option<String> {
        let captures = self.compiled.captures(text)?;
        Some(expand(template, &captures, &self.compiled))
    }
}

impl PartialEq for GoRegex {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source
    }
}

impl fmt::Display for GoRegex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

/// Expands `$1`, `${1}`, `$name`, `${name}` and `$$` in `template` like Go's `Regexp.Expand`:
/// a name is the longest run of letters, digits and `_`; an unknown or non-participating group
/// expands to nothing; a malformed `$` is kept as text.
fn expand(template: &str, captures: &regex::Captures<'_>, regex: &regex::Regex) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(dollar) = rest.find('$') {
        out.push_str(&rest[..dollar]);
        rest = &rest[dollar + 1..];
        if let Some(after) = rest.strip_prefix('$') {
            out.push('$');
            rest = after;
            continue;
        }
        let Some((name, after)) = template_reference(rest) else {
            out.push('$');
            continue;
        };
        rest = after;
        let group = match group_number(name) {
            Some(index) => captures.get(index),
            None => regex
                .capture_names()
                .position(|n| n == Some(name))
                .and_then(|index| captures.get(index)),
        };
        if let Some(group) = group {
            out.push_str(group.as_str());
        }
    }
    out.push_str(rest);
    out
}

/// The group name after a `$` (`name` or `{name}`) and the text after it.
fn template_reference(text: &str) -> Option<(&str, &str)> {
    let (braced, body) = match text.strip_prefix('{') {
        Some(body) => (true, body),
        None => (false, text),
    };
    let end = body
        .char_indices()
        .find(|&(_, c)| !(c.is_alphabetic() || c.is_numeric() || c == '_'))
        .map_or(body.len(), |(i, _)| i);
    if end == 0 {
        return None;
    }
    let name = &body[..end];
    let after = &body[end..];
    if braced {
        let after = after.strip_prefix('}')?;
        return Some((name, after));
    }
    Some((name, after))
}

/// The group number `name` spells, following Go: ASCII digits, no leading zero, below 10^8.
fn group_number(name: &str) -> Option<usize> {
    if !name.bytes().all(|b| b.is_ascii_digit()) || (name.len() > 1 && name.starts_with('0')) {
        return None;
    }
    let mut number: usize = 0;
    for digit in name.bytes() {
        if number >= 100_000_000 {
            return None;
        }
        number = number * 10 + usize::from(digit - b'0');
    }
    Some(number)
}

/// The largest repetition count Go's `regexp/syntax` accepts.
pub const MAX_REPEAT: u64 = 1000;

/// The error Go's `regexp/syntax` parser gives the repetitions of `pattern` where the `regex`
/// crate would accept them: a count over [`MAX_REPEAT`] or a minimum above the maximum
/// (`a{1001}`), a repetition of a repetition (`a**`, `x{2}{3}`, `x+?*`), and nested counts
/// whose product along any path exceeds [`MAX_REPEAT`] (`(?:a{100}){20}`).
fn go_repetition_error(pattern: &str) -> Option<GoRegexError> {
    let chars: Vec<char> = pattern.chars().collect();
    let text = |from: usize, to: usize| {
        chars
            .get(from..to)
            .map(String::from_iter)
            .unwrap_or_default()
    };
    // Per open group, the largest product of counts on a path inside it so far.
    let mut groups: Vec<u64> = vec![1];
    // The product of counts of the latest atom: what a repetition repeats.
    let mut atom: u64 = 1;
    // Where the repetition that was the previous token began.
    let mut previous_repetition: Option<usize> = None;
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        let (op_end, counts) = match c {
            '*' | '+' | '?' => (i + 1, None),
            '{' => match repetition(&chars, i) {
                Some(counts) => {
                    if !counts.allowed() {
                        return Some(GoRegexError::Syntax {
                            code: INVALID_REPEAT_SIZE,
                            expr: text(i, counts.end),
                        });
                    }
                    (counts.end, Some(counts))
                }
                None => (i, None),
            },
            _ => (i, None),
        };
        if op_end == i {
            // Not a repetition: an atom, a group's opening or closing, or an operator.
            previous_repetition = None;
            i = match c {
                '(' => {
                    let (after, opens_group) = group_opening(&chars, i);
                    if opens_group {
                        groups.push(1);
                    }
                    atom = 1;
                    after
                }
                ')' if groups.len() > 1 => {
                    atom = groups.pop().unwrap_or(1);
                    i + 1
                }
                '|' => {
                    atom = 1;
                    i + 1
                }
                _ => {
                    atom = 1;
                    literal_end(&chars, i).unwrap_or(i + 1)
                }
            };
            if let Some(group) = groups.last_mut() {
                *group = (*group).max(atom);
            }
            continue;
        }
        let op_end = if chars.get(op_end) == Some(&'?') {
            op_end + 1
        } else {
            op_end
        };
        if let Some(from) = previous_repetition {
            return Some(GoRegexError::Syntax {
                code: "invalid nested repetition operator",
                expr: text(from, op_end),
            });
        }
        if let Some(counts) = counts {
            let copies = counts.max.unwrap_or(counts.min);
            // A count of zero repeats nothing, so nothing inside it counts.
            atom = if copies == 0 {
                1
            } else {
                atom.saturating_mul(copies)
            };
            let repeats = counts.min >= 2 || counts.max.is_some_and(|max| max >= 2);
            if repeats && atom > MAX_REPEAT {
                return Some(GoRegexError::Syntax {
                    code: INVALID_REPEAT_SIZE,
                    expr: text(i, op_end),
                });
            }
            if let Some(group) = groups.last_mut() {
                *group = (*group).max(atom);
            }
        }
        previous_repetition = Some(i);
        i = op_end;
    }
    None
}

/// Go's code for a repetition count it refuses.
const INVALID_REPEAT_SIZE: &str = "invalid repeat count";

/// The `regex` crate's refusal of `anchored` (the translation of `whole`, the pattern as Go
/// anchors it) in Go's words: Go's error code for the kind of mistake, and the part of the expression Go names
/// (the whole anchored expression for an unbalanced parenthesis, the rest of the expression
/// from an unclosed `[`, else the offending piece).
fn go_error(whole: &str, anchored: &str, error: &regex::Error) -> GoRegexError {
    use regex_syntax::ast::ErrorKind as Ast;
    use regex_syntax::hir::ErrorKind as Hir;
    let whole = whole.to_owned();
    let (kind, span) = match regex_syntax::Parser::new().parse(anchored) {
        Err(regex_syntax::Error::Parse(e)) => (Ok(e.kind().clone()), *e.span()),
        Err(regex_syntax::Error::Translate(e)) => (Err(e.kind().clone()), *e.span()),
        _ => {
            // Parsed, so refused later: the crate's words on one line.
            let message = error.to_string();
            return GoRegexError::Syntax {
                code: "invalid expression",
                expr: message.split_whitespace().collect::<Vec<_>>().join(" "),
            };
        }
    };
    let (start, end) = (span.start.offset, span.end.offset);
    let text = |from: usize, to: usize| anchored.get(from..to).unwrap_or_default().to_owned();
    // The piece the error points at; an empty span points at the character there.
    let piece = if end > start {
        text(start, end)
    } else {
        anchored
            .get(start..)
            .and_then(|rest| rest.chars().next())
            .map(String::from)
            .unwrap_or_default()
    };
    let (code, expr) = match kind {
        Ok(Ast::GroupUnclosed) => ("missing closing )", whole),
        Ok(Ast::GroupUnopened) => ("unexpected )", whole),
        Ok(Ast::ClassUnclosed) => ("missing closing ]", text(start, anchored.len())),
        Ok(Ast::ClassRangeInvalid | Ast::ClassRangeLiteral) => {
            ("invalid character class range", piece)
        }
        Ok(Ast::RepetitionMissing) => ("missing argument to repetition operator", piece),
        Ok(
            Ast::RepetitionCountInvalid
            | Ast::RepetitionCountUnclosed
            | Ast::RepetitionCountDecimalEmpty,
        ) => (INVALID_REPEAT_SIZE, piece),
        Ok(Ast::EscapeUnexpectedEof) => ("trailing backslash at end of expression", String::new()),
        Ok(
            Ast::EscapeUnrecognized
            | Ast::EscapeHexEmpty
            | Ast::EscapeHexInvalid
            | Ast::EscapeHexInvalidDigit
            | Ast::ClassEscapeInvalid
            | Ast::UnsupportedBackreference,
        ) => ("invalid escape sequence", piece),
        Ok(
            Ast::GroupNameDuplicate { .. }
            | Ast::GroupNameEmpty
            | Ast::GroupNameInvalid
            | Ast::GroupNameUnexpectedEof,
        ) => {
            // Go names the group's opening up to the `>` closing its name.
            let open = anchored
                .get(..start)
                .and_then(|t| t.rfind("(?"))
                .unwrap_or(start);
            let close = anchored
                .get(start..)
                .and_then(|rest| rest.find('>'))
                .map_or(anchored.len(), |i| start + i + 1);
            ("invalid named capture", text(open, close))
        }
        Ok(Ast::NestLimitExceeded(_)) => ("expression nests too deeply", whole),
        Ok(_) => ("invalid or unsupported Perl syntax", piece),
        Err(Hir::UnicodePropertyNotFound | Hir::UnicodePropertyValueNotFound) => {
            ("invalid character class range", piece)
        }
        Err(Hir::InvalidUtf8) => ("invalid UTF-8", piece),
        Err(_) => ("invalid character class", piece),
    };
    GoRegexError::Syntax { code, expr }
}

/// Reads the `(` at `chars[start]`: the index after its opening (`(`, `(?:`, `(?P<name>`,
/// `(?<name>`, `(?i:`, or a whole flag directive `(?i)`) and whether it opens a group.
fn group_opening(chars: &[char], start: usize) -> (usize, bool) {
    if chars.get(start + 1) != Some(&'?') {
        return (start + 1, true);
    }
    let mut i = start + 2;
    if matches!(chars.get(i), Some('P' | '<')) {
        while chars.get(i).is_some_and(|&c| c != '>') {
            i += 1;
        }
        return (i + 1, true);
    }
    while chars
        .get(i)
        .is_some_and(|c| c.is_ascii_alphabetic() || *c == '-')
    {
        i += 1;
    }
    (i + 1, chars.get(i) != Some(&')'))
}

/// The characters of a pattern the parser reads as syntax, with their indexes: everything
/// but escapes, `\Q…\E` quoted text and character classes.
pub(crate) fn outside_literals(chars: &[char]) -> impl Iterator<Item = (usize, char)> + '_ {
    let mut i = 0;
    std::iter::from_fn(move || {
        while let Some(end) = literal_end(chars, i) {
            i = end;
        }
        let c = *chars.get(i)?;
        i += 1;
        Some((i - 1, c))
    })
}

/// Where the text that `chars[i]` opens and that the parser reads literally ends: an escape,
/// `\Q…\E` quoted text or a character class. `None` when `chars[i]` opens none of these.
fn literal_end(chars: &[char], i: usize) -> Option<usize> {
    match chars.get(i)? {
        '\\' if chars.get(i + 1) == Some(&'Q') => Some(past(chars, i + 2, ['\\', 'E'])),
        // `\x{41}`, `\p{Greek}`, `\P{Greek}`: the braces belong to the escape.
        '\\' if matches!(chars.get(i + 1), Some('x' | 'p' | 'P'))
            && chars.get(i + 2) == Some(&'{') =>
        {
            let close = chars[i + 3..].iter().position(|&c| c == '}');
            Some(close.map_or(chars.len(), |n| i + 3 + n + 1))
        }
        '\\' => Some(i + 2),
        '[' => Some(class_end(chars, i)),
        _ => None,
    }
}

/// The index after the first `end` pair at or after `from` (past the text's end when there is
/// none).
fn past(chars: &[char], from: usize, end: [char; 2]) -> usize {
    let mut i = from;
    while i < chars.len() && !(chars.get(i) == Some(&end[0]) && chars.get(i + 1) == Some(&end[1])) {
        i += 1;
    }
    i + 2
}

/// The index after the character class opening at `chars[start]`.
fn class_end(chars: &[char], start: usize) -> usize {
    let mut i = start + 1;
    if chars.get(i) == Some(&'^') {
        i += 1;
    }
    // A `]` right after the opening is a literal.
    if chars.get(i) == Some(&']') {
        i += 1;
    }
    while let Some(&c) = chars.get(i) {
        match c {
            '\\' => i += 2,
            // A POSIX class `[:alpha:]`: skip to its `:]`.
            '[' if chars.get(i + 1) == Some(&':') => i = past(chars, i + 2, [':', ']']),
            ']' => return i + 1,
            _ => i += 1,
        }
    }
    i
}

/// A repetition's counts, as Go reads them.
pub(crate) struct Counts {
    /// The index after the closing `}`.
    pub end: usize,
    /// The minimum.
    pub min: u64,
    /// The maximum; `None` for `{n,}`.
    pub max: Option<u64>,
}

impl Counts {
    /// Whether Go accepts the counts: at most [`MAX_REPEAT`], minimum not above maximum.
    pub fn allowed(&self) -> bool {
        self.min <= MAX_REPEAT
            && self
                .max
                .is_none_or(|max| max <= MAX_REPEAT && self.min <= max)
    }
}

/// A repetition `{n}`, `{n,}` or `{n,m}` starting at `chars[start]`, as Go reads one. Leading
/// zeros make it a literal, as in Go.
pub(crate) fn repetition(chars: &[char], start: usize) -> Option<Counts> {
    // A count too long to read is out of range, as Go's parser treats it.
    let number = |i: &mut usize| -> Option<u64> {
        let from = *i;
        while chars.get(*i).is_some_and(char::is_ascii_digit) {
            *i += 1;
        }
        let digits = chars.get(from..*i)?;
        if digits.is_empty() || (digits.len() > 1 && digits.first() == Some(&'0')) {
            return None;
        }
        Some(digits.iter().fold(0u64, |n, d| {
            n.saturating_mul(10)
                .saturating_add(u64::from(d.to_digit(10).unwrap_or(0)))
        }))
    };
    let mut i = start + 1;
    let min = number(&mut i)?;
    let mut max = Some(min);
    if chars.get(i) == Some(&',') {
        i += 1;
        max = if chars.get(i) == Some(&'}') {
            None
        } else {
            Some(number(&mut i)?)
        };
    }
    (chars.get(i) == Some(&'}')).then_some(Counts {
        end: i + 1,
        min,
        max,
    })
}

/// Rewrites a Go regexp pattern into the `regex` crate's dialect with the same meaning.
///
/// Only the spots where the two syntaxes disagree are touched: Perl classes and `\b` are
/// ASCII in Go; a `{` that does not start a valid repetition is a literal in Go; `[`, `&&`
/// and `~~` inside a class are literals in Go (nesting and set operators in Rust); Go has
/// `\Q...\E` and octal escapes; `\<` and `\>` are plain characters in Go.
pub fn translate(pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        match c {
            '\\' => i = translate_escape(&chars, i, &mut out, false),
            '[' => i = translate_class(&chars, i, &mut out),
            '{' => {
                if let Some(counts) = repetition(&chars, i) {
                    out.extend(&chars[i..counts.end]);
                    i = counts.end;
                } else {
                    out.push_str(r"\{");
                    i += 1;
                }
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// Translates the escape starting at `chars[start]` (a backslash); returns the index after it.
fn translate_escape(chars: &[char], start: usize, out: &mut String, in_class: bool) -> usize {
    let Some(&c) = chars.get(start + 1) else {
        // A trailing backslash: leave it for the regex compiler to reject.
        out.push('\\');
        return start + 1;
    };
    let next = start + 2;
    match c {
        'd' | 'D' | 'w' | 'W' | 's' | 'S' => {
            let body = match c.to_ascii_lowercase() {
                'd' => DIGIT,
                'w' => WORD,
                _ => SPACE,
            };
            let negated = c.is_ascii_uppercase();
            match (in_class, negated) {
                (true, false) => out.push_str(body),
                (_, true) => {
                    out.push_str("[^");
                    out.push_str(body);
                    out.push(']');
                }
                (false, false) => {
                    out.push('[');
                    out.push_str(body);
                    out.push(']');
                }
            }
            next
        }
        'b' | 'B' if !in_class => {
            out.push_str("(?-u:\\");
            out.push(c);
            out.push(')');
            next
        }
        'Q' => {
            let mut i = next;
            while let Some(&literal) = chars.get(i) {
                if literal == '\\' && chars.get(i + 1) == Some(&'E') {
                    return i + 2;
                }
                push_literal(literal, out);
                i += 1;
            }
            i
        }
        '0'..='7' => {
            // Go reads up to three octal digits; a lone non-zero digit is a backreference,
            // which neither dialect supports (kept so the compiler rejects it).
            let mut value = 0u32;
            let mut i = start + 1;
            while i < start + 4 && chars.get(i).is_some_and(|d| ('0'..='7').contains(d)) {
                value = value * 8 + chars.get(i).and_then(|d| d.to_digit(8)).unwrap_or(0);
                i += 1;
            }
            if c != '0' && i == start + 2 {
                out.push('\\');
                out.push(c);
                return next;
            }
            out.push_str(&format!("\\x{{{value:X}}}"));
            i
        }
        'x' | 'p' | 'P' => {
            out.push('\\');
            out.push(c);
            if chars.get(next) == Some(&'{') {
                let mut i = next;
                while let Some(&part) = chars.get(i) {
                    out.push(part);
                    i += 1;
                    if part == '}' {
                        break;
                    }
                }
                i
            } else {
                next
            }
        }
        _ if c.is_ascii_punctuation() => {
            push_literal(c, out);
            next
        }
        _ => {
            out.push('\\');
            out.push(c);
            next
        }
    }
}

/// Writes `c` so that the `regex` crate reads it as itself, in or out of a class.
fn push_literal(c: char, out: &mut String) {
    if regex_syntax_meta(c) {
        out.push('\\');
    }
    out.push(c);
}

/// Characters that are special somewhere in the `regex` crate's syntax.
fn regex_syntax_meta(c: char) -> bool {
    matches!(
        c,
        '\\' | '.'
            | '+'
            | '*'
            | '?'
            | '('
            | ')'
            | '|'
            | '['
            | ']'
            | '{'
            | '}'
            | '^'
            | '$'
            | '#'
            | '&'
            | '-'
            | '~'
    )
}

/// Translates the character class starting at `chars[start]` (a `[`); returns the index after
/// it. An unterminated class is copied as-is for the compiler to reject.
fn translate_class(chars: &[char], start: usize, out: &mut String) -> usize {
    let mut body = String::from("[");
    let mut i = start + 1;
    if chars.get(i) == Some(&'^') {
        body.push('^');
        i += 1;
    }
    // A `]` right after the opening (and optional `^`) is a literal in Go.
    if chars.get(i) == Some(&']') {
        body.push_str(r"\]");
        i += 1;
    }
    while let Some(&c) = chars.get(i) {
        match c {
            ']' => {
                body.push(']');
                out.push_str(&body);
                return i + 1;
            }
            '\\' => i = translate_escape(chars, i, &mut body, true),
            '[' => {
                if let Some(end) = posix_class_end(chars, i) {
                    body.extend(&chars[i..end]);
                    i = end;
                } else {
                    body.push_str(r"\[");
                    i += 1;
                }
            }
            '&' | '~' => {
                body.push('\\');
                body.push(c);
                i += 1;
            }
            _ => {
                body.push(c);
                i += 1;
            }
        }
    }
    out.push_str(&body);
    i
}

/// If a POSIX class such as `[:alpha:]` or `[:^space:]` starts at `start`, the index after it.
fn posix_class_end(chars: &[char], start: usize) -> Option<usize> {
    if chars.get(start + 1) != Some(&':') {
        return None;
    }
    let mut i = start + 2;
    while let Some(&c) = chars.get(i) {
        if c == ':' {
            return (chars.get(i + 1) == Some(&']')).then_some(i + 2);
        }
        if !(c.is_ascii_alphabetic() || c == '^') {
            return None;
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_are_worded_as_go_words_them() {
        for (pattern, message) in [
            ("(foo", "missing closing ): `^(?s:(foo)$`"),
            ("foo)", "unexpected ): `^(?s:foo))$`"),
            ("[z-a]", "invalid character class range: `z-a`"),
            ("*a", "missing argument to repetition operator: `*`"),
            (r"\8", r"invalid escape sequence: `\8`"),
            ("[abc", "missing closing ]: `[abc)$`"),
            ("(?P<>a)", "invalid named capture: `(?P<>`"),
            ("(?P<a-b>x)", "invalid named capture: `(?P<a-b>`"),
            ("(?=a)", "invalid or unsupported Perl syntax: `(?=`"),
            (r"\pX", r"invalid character class range: `\pX`"),
        ] {
            let error = GoRegex::new(pattern).unwrap_err().to_string();
            assert_eq!(
                error,
                format!("error parsing regexp: {message}"),
                "{pattern}"
            );
        }
    }

    #[test]
    fn unicode_class_repetitions_go_takes_compile() {
        let regex = GoRegex::new(r"[\pL\pN_-]{1,253}").unwrap();
        assert!(regex.is_match("Grüße-42"));
    }

    #[test]
    fn repetitions_go_refuses() {
        for (pattern, message) in [
            ("go_.**", "invalid nested repetition operator: `**`"),
            ("a++", "invalid nested repetition operator: `++`"),
            ("x{2}{3}", "invalid nested repetition operator: `{2}{3}`"),
            ("x+?*", "invalid nested repetition operator: `+?*`"),
            ("a{1001}", "invalid repeat count: `{1001}`"),
            ("a{3,2}", "invalid repeat count: `{3,2}`"),
            ("(?:a{100}){20}", "invalid repeat count: `{20}`"),
            ("((a{10}){10}){11}", "invalid repeat count: `{11}`"),
            ("(?P<n>(x|y{50})){21}", "invalid repeat count: `{21}`"),
        ] {
            assert_eq!(
                GoRegex::new(pattern).unwrap_err().to_string(),
                format!("error parsing regexp: {message}"),
                "{pattern}"
            );
        }
        for pattern in [
            "a*?",
            "a??",
            "a+?b*",
            "(a{10}){100}",
            "a{1000}",
            "(a{0}){1000}",
            "[*+]{2}",
            r"\*+",
            "a{,5}",
            "(?i)a*",
            "(?P<n>a)*",
            "(a|b{500})c{2}",
            r"\Q**\E+",
            "x{2}y{3}",
            r"\x{41}+",
            r"\x{2028}",
            r"\p{Greek}{2}",
        ] {
            assert_eq!(go_repetition_error(pattern), None, "{pattern}");
        }
    }

    fn re(p: &str) -> GoRegex {
        GoRegex::new(p).unwrap()
    }

    #[test]
    fn anchored_and_dot_matches_newline() {
        assert!(re("f.*").is_match("foo"));
        assert!(!re("o").is_match("foo"));
        assert!(re("line1.*line2").is_match("line1\nline2"));
        assert!(re("").is_match(""));
        assert!(!re("").is_match("x"));
        assert!(re("a|b").is_match("b"));
        // Go pastes the pattern between the anchors, so unbalanced parentheses escape them.
        assert!(re("a)|(b").is_match("axyz"));
    }

    #[test]
    fn perl_classes_are_ascii() {
        assert!(!re(r"\d").is_match("٣"));
        assert!(re(r"\d+").is_match("123"));
        assert!(!re(r"\w").is_match("é"));
        assert!(re(r"[\w.]+").is_match("a_b.c"));
        assert!(re(r"[^\d]").is_match("é"));
        assert!(re(r"[\D]").is_match("x"));
        assert!(!re(r"\s").is_match("\u{a0}"));
        assert!(re(r"a\b.*").is_match("a b"));
    }

    #[test]
    fn go_literals_that_rust_reads_differently() {
        assert!(re("a{").is_match("a{"));
        assert!(re("x{foo}").is_match("x{foo}"));
        assert!(re("a{,2}").is_match("a{,2}"));
        assert!(re("a{2}").is_match("aa"));
        assert!(re("a{1,}").is_match("aaa"));
        assert!(re("[a[b]+").is_match("a[b"));
        assert!(re("[a&&b]+").is_match("&ab"));
        assert!(re("[]a]+").is_match("]a"));
        assert!(re("[[:alpha:]]+").is_match("abc"));
        assert!(re(r"\<a\>").is_match("<a>"));
        assert!(re(r"\Qa.b\E").is_match("a.b"));
        assert!(!re(r"\Qa.b\E").is_match("axb"));
        assert!(re(r"\101").is_match("A"));
        assert!(re(r"\x41\x{42}").is_match("AB"));
        assert!(re(r"\pL+").is_match("é"));
        assert!(re(r"\:\d+").is_match(":80"));
    }

    #[test]
    fn invalid_patterns_are_errors() {
        assert!(GoRegex::new("(").is_err());
        assert!(GoRegex::new(r"\1").is_err());
        assert!(GoRegex::new("[a").is_err());
    }

    fn expanded(pattern: &str, text: &str, template: &str) -> Option<String> {
        re(pattern).expand_match(text, template)
    }

    #[test]
    fn expansion_follows_go() {
        assert_eq!(
            expanded("f(.*)", "foo", "ch${1}-ch$1").as_deref(),
            Some("choo-choo")
        );
        // `$1x` names group "1x", which does not exist.
        assert_eq!(expanded("(a)", "a", "$1x").as_deref(), Some(""));
        assert_eq!(expanded("(a)", "a", "${1}x").as_deref(), Some("ax"));
        assert_eq!(expanded("(a)", "a", "$$1").as_deref(), Some("$1"));
        assert_eq!(expanded("(a)", "a", "$").as_deref(), Some("$"));
        assert_eq!(expanded("(a)", "a", "${1").as_deref(), Some("${1"));
        assert_eq!(expanded("(a)", "a", "$-").as_deref(), Some("$-"));
        assert_eq!(expanded("(a)", "a", "$01").as_deref(), Some(""));
        assert_eq!(expanded("(a)", "a", "$0").as_deref(), Some("a"));
        assert_eq!(expanded("(a)", "a", "$2").as_deref(), Some(""));
        assert_eq!(
            expanded("(?P<x>a)(?<y>b)", "ab", "${y}$x").as_deref(),
            Some("ba")
        );
        assert_eq!(expanded("(a)|(b)", "b", "[$1]").as_deref(), Some("[]"));
        assert_eq!(expanded("(a)", "b", "$1"), None);
    }

    #[test]
    fn repeat_counts_over_go_limit_are_refused() {
        assert!(GoRegex::new("a{1000}").is_ok());
        assert!(GoRegex::new("a{1001}").is_err());
        assert!(GoRegex::new("a{2,1001}").is_err());
        assert!(GoRegex::new(r"a\{1001}").is_ok());
        assert!(GoRegex::new("[{1001}]").is_ok());
        assert!(GoRegex::new(r"\Qa{1001}\E").is_ok());
        assert!(GoRegex::new("a{3,2}").is_err());
        // Leading zeros make `{` a literal in Go, not a repetition.
        assert!(GoRegex::new("a{01}").unwrap().is_match("a{01}"));
    }
}

//! YAML 1.1 scalar resolution as `gopkg.in/yaml.v2` performs it, and Go's number formatting.
//!
//! The same rules decide two things: what a plain scalar in a user's file means when parsed, and
//! whether the emitter must quote a string so that it is not read back as another type.

/// What a plain (unquoted, untagged) scalar resolves to.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Resolved {
    Null,
    Bool(bool),
    Int(i64),
    /// An integer above `i64::MAX` (Go decodes it as `uint64`).
    Uint(u64),
    Float(f64),
    /// Looks like a timestamp; yaml.v2 hands it to `interface{}` as the original string.
    Timestamp,
    Str,
}

impl Resolved {
    /// Whether the scalar stays a string (a timestamp is handed over as its text).
    pub(crate) fn is_string(&self) -> bool {
        matches!(self, Resolved::Str | Resolved::Timestamp)
    }
}

/// Resolves a plain scalar the way yaml.v2's `resolve("", s)` does.
pub(crate) fn resolve_plain(s: &str) -> Resolved {
    let Some(&first) = s.as_bytes().first() else {
        return Resolved::Null;
    };
    match first {
        b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~' => {
            lookup_word(s).unwrap_or(Resolved::Str)
        }
        b'.' => {
            if let Some(word) = lookup_word(s) {
                return word;
            }
            match parse_go_float(s) {
                Some(f) => Resolved::Float(f),
                None => Resolved::Str,
            }
        }
        b'+' | b'-' | b'0'..=b'9' => {
            if let Some(word) = lookup_word(s) {
                return word;
            }
            resolve_number(s)
        }
        _ => Resolved::Str,
    }
}

/// Whether a string must be quoted because, written plain, it would not read back as a string.
pub(crate) fn needs_quotes(s: &str) -> bool {
    resolve_plain(s) != Resolved::Str || is_base60_float(s)
}

/// The boolean a YAML 1.1 word (`yes`, `Off`, `true`, ...) stands for, as yaml.v2 reads it.
fn yaml11_bool(s: &str) -> Option<bool> {
    match s {
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            Some(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            Some(false)
        }
        _ => None,
    }
}

fn lookup_word(s: &str) -> Option<Resolved> {
    if let Some(b) = yaml11_bool(s) {
        return Some(Resolved::Bool(b));
    }
    Some(match s {
        "~" | "null" | "Null" | "NULL" => Resolved::Null,
        ".nan" | ".NaN" | ".NAN" => Resolved::Float(f64::NAN),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => Resolved::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => Resolved::Float(f64::NEG_INFINITY),
        _ => return None,
    })
}

fn resolve_number(s: &str) -> Resolved {
    if is_timestamp(s) {
        return Resolved::Timestamp;
    }
    let plain: String = s.chars().filter(|&c| c != '_').collect();
    if let Some(i) = parse_go_int(&plain) {
        return Resolved::Int(i);
    }
    if let Some(u) = parse_go_uint(&plain) {
        return Resolved::Uint(u);
    }
    if let Some(f) = parse_go_float(&plain) {
        return Resolved::Float(f);
    }
    Resolved::Str
}

/// Splits Go's base-0 integer syntax into (negative, radix, digits).
fn split_radix(s: &str) -> (bool, u32, &str) {
    let (negative, rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let lower = rest.get(..2).map(str::to_ascii_lowercase);
    match lower.as_deref() {
        Some("0x") => (negative, 16, &rest[2..]),
        Some("0o") => (negative, 8, &rest[2..]),
        Some("0b") => (negative, 2, &rest[2..]),
        _ if rest.len() > 1 && rest.starts_with('0') => (negative, 8, &rest[1..]),
        _ => (negative, 10, rest),
    }
}

fn parse_magnitude(digits: &str, radix: u32) -> Option<u64> {
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    u64::from_str_radix(digits, radix).ok()
}

/// Go's `strconv.ParseInt(s, 0, 64)` (underscores already removed).
fn parse_go_int(s: &str) -> Option<i64> {
    let (negative, radix, digits) = split_radix(s);
    let magnitude = parse_magnitude(digits, radix)?;
    if negative {
        0i64.checked_sub_unsigned(magnitude)
    } else {
        i64::try_from(magnitude).ok()
    }
}

/// Go's `strconv.ParseUint(s, 0, 64)`: no sign allowed.
fn parse_go_uint(s: &str) -> Option<u64> {
    if s.starts_with(['+', '-']) {
        return None;
    }
    let (_, radix, digits) = split_radix(s);
    parse_magnitude(digits, radix)
}

/// yaml.v2's float syntax `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, parsed as Go
/// does: a value out of range is an error, not an infinity.
fn parse_go_float(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let int_start = i;
    while b.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    let int_digits = i - int_start;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let frac_start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if int_digits == 0 && i == frac_start {
            return None;
        }
    } else if int_digits == 0 {
        return None;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let exp_start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == exp_start {
            return None;
        }
    }
    if i != b.len() {
        return None;
    }
    let f: f64 = s.parse().ok()?;
    f.is_finite().then_some(f)
}

/// YAML 1.1 sexagesimal numbers (`1:20`, `-3:25:45.5`), which yaml.v2 quotes on output although
/// it does not parse them.
fn is_base60_float(s: &str) -> bool {
    let b = s.as_bytes();
    if !matches!(b.first(), Some(b'+' | b'-' | b'0'..=b'9')) || !s.contains(':') {
        return false;
    }
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    if !b.get(i).is_some_and(u8::is_ascii_digit) {
        return false;
    }
    i += 1;
    while b.get(i).is_some_and(|c| c.is_ascii_digit() || *c == b'_') {
        i += 1;
    }
    let mut groups = 0;
    while b.get(i) == Some(&b':') {
        i += 1;
        // `[0-5]?[0-9]`: one or two digits, the first of two at most 5.
        match (b.get(i).copied(), b.get(i + 1).copied()) {
            (Some(b'0'..=b'5'), Some(b'0'..=b'9')) => i += 2,
            (Some(b'0'..=b'9'), _) => i += 1,
            _ => return false,
        }
        groups += 1;
    }
    if groups == 0 {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        while b.get(i).is_some_and(|c| c.is_ascii_digit() || *c == b'_') {
            i += 1;
        }
    }
    i == b.len()
}

/// Whether yaml.v2 would read `s` as a timestamp: Go's `time.Parse` with one of the layouts
/// `2006-1-2T15:4:5.999999999Z07:00` (also with `t`), `2006-1-2 15:4:5.999999999`, `2006-1-2`.
pub(crate) fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 5 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != b'-' {
        return false;
    }
    let mut cur = Cursor { b, i: 0 };
    let Some((year, month, day)) = cur.date() else {
        return false;
    };
    if day > days_in_month(year, month) {
        return false;
    }
    if cur.at_end() {
        return true;
    }
    let separator = cur.next_byte();
    match separator {
        Some(b'T' | b't') => cur.clock() && cur.zone() && cur.at_end(),
        Some(b' ') => cur.clock() && cur.at_end(),
        _ => false,
    }
}

struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn at_end(&self) -> bool {
        self.i == self.b.len()
    }

    fn next_byte(&mut self) -> Option<u8> {
        let c = self.b.get(self.i).copied();
        self.i += 1;
        c
    }

    fn literal(&mut self, c: u8) -> bool {
        if self.b.get(self.i) == Some(&c) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    /// One or two digits, as Go reads a non-padded field.
    fn short_number(&mut self) -> Option<u32> {
        let d1 = self.b.get(self.i).filter(|c| c.is_ascii_digit())?;
        self.i += 1;
        let mut n = u32::from(d1 - b'0');
        if let Some(d2) = self.b.get(self.i).filter(|c| c.is_ascii_digit()) {
            self.i += 1;
            n = n * 10 + u32::from(d2 - b'0');
        }
        Some(n)
    }

    fn date(&mut self) -> Option<(u32, u32, u32)> {
        let year = self
            .b
            .get(..4)?
            .iter()
            .fold(0u32, |acc, d| acc * 10 + u32::from(d.wrapping_sub(b'0')));
        self.i = 4;
        if !self.literal(b'-') {
            return None;
        }
        let month = self.short_number().filter(|m| (1..=12).contains(m))?;
        if !self.literal(b'-') {
            return None;
        }
        let day = self.short_number().filter(|d| (1..=31).contains(d))?;
        Some((year, month, day))
    }

    fn clock(&mut self) -> bool {
        let ok = self.short_number().is_some_and(|h| h < 24)
            && self.literal(b':')
            && self.short_number().is_some_and(|m| m < 60)
            && self.literal(b':')
            && self.short_number().is_some_and(|s| s < 60);
        if !ok {
            return false;
        }
        // Optional fraction: a period or comma followed by at least one digit.
        if matches!(self.b.get(self.i), Some(b'.' | b','))
            && self.b.get(self.i + 1).is_some_and(u8::is_ascii_digit)
        {
            self.i += 1;
            while self.b.get(self.i).is_some_and(u8::is_ascii_digit) {
                self.i += 1;
            }
        }
        true
    }

    fn zone(&mut self) -> bool {
        if self.literal(b'Z') {
            return true;
        }
        let Some(rest) = self.b.get(self.i..self.i + 6) else {
            return false;
        };
        let ok = matches!(rest[0], b'+' | b'-')
            && rest[1].is_ascii_digit()
            && rest[2].is_ascii_digit()
            && rest[3] == b':'
            && rest[4].is_ascii_digit()
            && rest[5].is_ascii_digit();
        if ok {
            self.i += 6;
        }
        ok
    }
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Formats a float as Go's `strconv.FormatFloat(f, 'g', -1, 64)`, with yaml.v2's spellings of
/// infinities and NaN.
pub(crate) fn format_go_float(f: f64) -> String {
    if f.is_nan() {
        return ".nan".to_owned();
    }
    if f.is_infinite() {
        return if f > 0.0 { ".inf" } else { "-.inf" }.to_owned();
    }
    format_finite_float(f)
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 64)` (also `%v`) of a finite float: the shortest
/// digits that read back as `f`, in exponent form when the exponent of those digits is below
/// -4 or at least 6.
pub(crate) fn format_finite_float(f: f64) -> String {
    // Rust's `{:e}` gives the shortest round-trip digits, like Go's precision -1.
    let sci = format!("{:e}", f.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let sign = if f.is_sign_negative() { "-" } else { "" };
    if f == 0.0 {
        return format!("{sign}0");
    }
    // With the shortest precision Go switches to the exponent form outside [1e-4, 1e6).
    if !(-4..6).contains(&exp) {
        return format!("{sign}{}", exponent_form(&digits, exp));
    }
    format!("{sign}{}", fixed_form(&digits, exp))
}

fn exponent_form(digits: &str, exp: i32) -> String {
    let (first, rest) = digits.split_at(1);
    let mut out = String::from(first);
    if !rest.is_empty() {
        out.push('.');
        out.push_str(rest);
    }
    out.push('e');
    out.push(if exp < 0 { '-' } else { '+' });
    let abs = exp.unsigned_abs();
    if abs < 10 {
        out.push('0');
    }
    out.push_str(&abs.to_string());
    out
}

fn fixed_form(digits: &str, exp: i32) -> String {
    let point = exp + 1;
    if point <= 0 {
        let zeros = "0".repeat(usize::try_from(-point).unwrap_or(0));
        return format!("0.{zeros}{digits}");
    }
    let point = usize::try_from(point).unwrap_or(0);
    if point >= digits.len() {
        let zeros = "0".repeat(point - digits.len());
        return format!("{digits}{zeros}");
    }
    format!("{}.{}", &digits[..point], &digits[point..])
}

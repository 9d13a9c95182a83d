//! Prometheus's PromQL printer (promql/parser/printer.go, `Expr.String()`) over the
//! `promql-parser` crate's AST, byte for byte: the crate's own `Display` differs (it keeps the
//! order of label matchers, prints duration literals as seconds, and more).
//!
//! Recursion follows the AST, whose depth the parser's limits bound
//! ([`super::promql::MAX_NESTING_DEPTH`], [`super::promql::MAX_OPERATORS`]).

use std::collections::VecDeque;
use std::fmt::Write;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use promql_parser::label::{MatchOp, Matcher};
use promql_parser::parser::{
    AtModifier, BinModifier, Expr, LabelModifier, Offset, VectorMatchCardinality, VectorSelector,
};

use super::go::format_float;
use super::promql::Parsed;
use crate::go::strconv::quote;
use crate::relabel::is_legacy_label_name;

/// The expression as Prometheus prints it.
pub fn print(parsed: &Parsed) -> String {
    let mut printer = Printer {
        out: String::new(),
        literals: parsed.literals.iter().copied().collect(),
    };
    printer.expr(&parsed.expr);
    printer.out
}

struct Printer {
    out: String,
    /// Value-position literals still to print, to recover the duration flag.
    literals: VecDeque<(f64, bool)>,
}

impl Printer {
    fn expr(&mut self, expr: &Expr) {
        match expr {
            Expr::Aggregate(a) => {
                self.out.push_str(&a.op.to_string());
                match &a.modifier {
                    Some(LabelModifier::Exclude(labels)) => {
                        self.out.push_str(" without (");
                        self.labels(&labels.labels);
                        self.out.push_str(") ");
                    }
                    Some(LabelModifier::Include(labels)) if !labels.labels.is_empty() => {
                        self.out.push_str(" by (");
                        self.labels(&labels.labels);
                        self.out.push_str(") ");
                    }
                    _ => {}
                }
                self.out.push('(');
                if let Some(param) = &a.param {
                    self.expr(param);
                    self.out.push_str(", ");
                }
                self.expr(&a.expr);
                self.out.push(')');
            }
            Expr::Unary(u) => {
                self.out.push('-');
                self.expr(&u.expr);
            }
            Expr::Binary(b) => {
                self.expr(&b.lhs);
                self.out.push(' ');
                self.out.push_str(&b.op.to_string());
                if let Some(modifier) = &b.modifier {
                    self.bin_modifier(modifier);
                }
                self.out.push(' ');
                self.expr(&b.rhs);
            }
            Expr::Paren(p) => {
                self.out.push('(');
                self.expr(&p.expr);
                self.out.push(')');
            }
            Expr::Subquery(s) => {
                self.expr(&s.expr);
                let _ = write!(self.out, "[{}:", duration(s.range));
                if let Some(step) = s.step
                    && !step.is_zero()
                {
                    self.out.push_str(&duration(step));
                }
                self.out.push(']');
                self.at(s.at.as_ref());
                self.offset(s.offset.as_ref());
            }
            Expr::NumberLiteral(n) => self.number(n.val),
            Expr::StringLiteral(s) => self.out.push_str(&quote(&s.val)),
            Expr::VectorSelector(vs) => {
                self.selector(vs);
                self.at(vs.at.as_ref());
                self.offset(vs.offset.as_ref());
            }
            Expr::MatrixSelector(ms) => {
                self.selector(&ms.vs);
                let _ = write!(self.out, "[{}]", duration(ms.range));
                self.at(ms.vs.at.as_ref());
                self.offset(ms.vs.offset.as_ref());
            }
            Expr::Call(call) => {
                self.out.push_str(call.func.name);
                self.out.push('(');
                for (i, arg) in call.args.args.iter().enumerate() {
                    if i > 0 {
                        self.out.push_str(", ");
                    }
                    self.expr(arg);
                }
                self.out.push(')');
            }
            Expr::Extension(e) => {
                let _ = write!(self.out, "{}", Expr::Extension(e.clone()));
            }
        }
    }

    /// A number literal: a duration when it was written as one (`NumberLiteral.Duration`).
    fn number(&mut self, value: f64) {
        let same = |a: f64, b: f64| a == b || (a.is_nan() && b.is_nan());
        let written_as_duration = match self.literals.front() {
            Some(&(literal, is_duration)) if same(literal, value.abs()) || same(literal, value) => {
                self.literals.pop_front();
                is_duration
            }
            _ => false,
        };
        if written_as_duration && value.is_finite() {
            if value < 0.0 {
                self.out.push('-');
            }
            self.out
                .push_str(&duration(Duration::from_secs_f64(value.abs())));
        } else {
            self.out.push_str(&format_float(value));
        }
    }

    fn bin_modifier(&mut self, modifier: &BinModifier) {
        if modifier.return_bool {
            self.out.push_str(" bool");
        }
        let grouped = matches!(
            modifier.card,
            VectorMatchCardinality::ManyToOne(_) | VectorMatchCardinality::OneToMany(_)
        );
        let (on, labels) = match &modifier.matching {
            Some(LabelModifier::Include(l)) => (true, l.labels.as_slice()),
            Some(LabelModifier::Exclude(l)) => (false, l.labels.as_slice()),
            None => (false, &[][..]),
        };
        if !labels.is_empty() || on || grouped {
            self.out.push_str(if on { " on (" } else { " ignoring (" });
            self.labels(labels);
            self.out.push(')');
        }
        match &modifier.card {
            VectorMatchCardinality::ManyToOne(include) => {
                self.out.push_str(" group_left (");
                self.labels(&include.labels);
                self.out.push(')');
            }
            VectorMatchCardinality::OneToMany(include) => {
                self.out.push_str(" group_right (");
                self.labels(&include.labels);
                self.out.push(')');
            }
            _ => {}
        }
        let fill = &modifier.fill_values;
        match (fill.lhs, fill.rhs) {
            (Some(l), Some(r)) if l == r => {
                let _ = write!(self.out, " fill ({})", go_v(l));
            }
            (l, r) => {
                if let Some(l) = l {
                    let _ = write!(self.out, " fill_left ({})", go_v(l));
                }
                if let Some(r) = r {
                    let _ = write!(self.out, " fill_right ({})", go_v(r));
                }
            }
        }
    }

    /// Grouping labels: bare when a legacy label name, quoted otherwise (`writeLabels`).
    fn labels(&mut self, labels: &[String]) {
        for (i, label) in labels.iter().enumerate() {
            if i > 0 {
                self.out.push_str(", ");
            }
            if is_legacy_label_name(label) {
                self.out.push_str(label);
            } else {
                self.out.push_str(&quote(label));
            }
        }
    }

    /// `name{matchers}` with the matchers sorted as strings, the name matcher left out when the
    /// name says it (`VectorSelector.String`).
    fn selector(&mut self, vs: &VectorSelector) {
        let name = vs.name.as_deref().unwrap_or("");
        let mut matchers: Vec<String> = vs
            .matchers
            .matchers
            .iter()
            .filter(|m| {
                !(m.name == "__name__"
                    && matches!(m.op, MatchOp::Equal)
                    && m.value == name
                    && !m.value.is_empty())
            })
            .map(matcher_string)
            .collect();
        self.out.push_str(name);
        if !matchers.is_empty() {
            matchers.sort();
            self.out.push('{');
            self.out.push_str(&matchers.join(","));
            self.out.push('}');
        }
    }

    fn at(&mut self, at: Option<&AtModifier>) {
        match at {
            Some(AtModifier::At(time)) => {
                let _ = write!(self.out, " @ {:.3}", unix_seconds(*time));
            }
            Some(AtModifier::Start) => self.out.push_str(" @ start()"),
            Some(AtModifier::End) => self.out.push_str(" @ end()"),
            None => {}
        }
    }

    fn offset(&mut self, offset: Option<&Offset>) {
        match offset {
            Some(Offset::Pos(d)) if !d.is_zero() => {
                let _ = write!(self.out, " offset {}", duration(*d));
            }
            Some(Offset::Neg(d)) if !d.is_zero() => {
                let _ = write!(self.out, " offset -{}", duration(*d));
            }
            _ => {}
        }
    }
}

/// `labels.Matcher.String()`: the name quoted unless it is a legacy name, then the operator and
/// the quoted value.
pub(crate) fn matcher_string(m: &Matcher) -> String {
    let op = match m.op {
        MatchOp::Equal => "=",
        MatchOp::NotEqual => "!=",
        MatchOp::Re(_) => "=~",
        MatchOp::NotRe(_) => "!~",
    };
    let name = if is_legacy_label_name(&m.name) {
        m.name.clone()
    } else {
        quote(&m.name)
    };
    format!("{name}{op}{}", quote(&m.value))
}

/// Go's `%v` of a `float64`, for fill values.
fn go_v(v: f64) -> String {
    super::go::format_json_value(&serde_json::Value::from(v))
}

fn unix_seconds(time: SystemTime) -> f64 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_secs_f64(),
        Err(before) => -before.duration().as_secs_f64(),
    }
}

/// `model.Duration.String()` of a PromQL range, step or offset.
pub(crate) fn duration(d: Duration) -> String {
    crate::duration::Duration::from_millis(u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::promql::{ParserOptions, parse};

    fn reprint(input: &str) -> String {
        print(&parse(input, &ParserOptions::default()).unwrap())
    }

    #[test]
    fn prints_like_prometheus() {
        for (input, expected) in [
            ("round(x,3)", "round(x, 3)"),
            ("sum by(a)(x)", "sum by (a) (x)"),
            ("sum(x) by (a)", "sum by (a) (x)"),
            ("sum without(a,b)(x)", "sum without (a, b) (x)"),
            ("sum by()(x)", "sum(x)"),
            ("x{b=\"1\",a=\"2\"}", "x{a=\"2\",b=\"1\"}"),
            ("{__name__=\"a\"}", "{__name__=\"a\"}"),
            ("{\"a.b\"=\"c\"}", "{\"a.b\"=\"c\"}"),
            (
                "count by(\"app.version\") ({\"app.info\"})",
                "count by (\"app.version\") ({__name__=\"app.info\"})",
            ),
            ("x > 5m", "x > 5m"),
            ("x > -5m", "x > -5m"),
            ("x > 300", "x > 300"),
            ("1e21", "1000000000000000000000"),
            ("0x1f", "31"),
            ("Inf", "+Inf"),
            ("x[300]", "x[5m]"),
            ("x[90m]", "x[1h30m]"),
            ("x[7d]", "x[1w]"),
            ("x[5m:]", "x[5m:]"),
            ("x[5m:1m] @ 100 offset 1h", "x[5m:1m] @ 100.000 offset 1h"),
            ("x @ start() offset -5m", "x @ start() offset -5m"),
            ("x offset 0s", "x"),
            ("rate(x[5m] offset 1w)", "rate(x[5m] offset 1w)"),
            ("a + on(b) group_left(c) d", "a + on (b) group_left (c) d"),
            (
                "a + ignoring(b) group_right d",
                "a + ignoring (b) group_right () d",
            ),
            ("a and on() b", "a and on () b"),
            ("a > bool 1", "a > bool 1"),
            ("-x", "-x"),
            ("- 1", "-1"),
            ("`a\\b`", "\"a\\\\b\""),
            ("topk(3, x)", "topk(3, x)"),
            ("count_values(\"a\", x)", "count_values(\"a\", x)"),
            ("(1 + 2) * 3", "(1 + 2) * 3"),
            (
                "x{a=~\"b.*\",c!~\"d\",e!=\"f\"}",
                "x{a=~\"b.*\",c!~\"d\",e!=\"f\"}",
            ),
        ] {
            assert_eq!(reprint(input), expected, "{input}");
        }
    }

    #[test]
    fn durations_like_model_duration() {
        assert_eq!(duration(Duration::from_millis(0)), "0s");
        assert_eq!(duration(Duration::from_millis(1500)), "1s500ms");
        assert_eq!(duration(Duration::from_secs(365 * 86400)), "1y");
        assert_eq!(duration(Duration::from_secs(8 * 86400)), "8d");
    }
}

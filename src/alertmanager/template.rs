//! The part of Go's `text/template` parser the operator relies on: whether a URL that contains
//! `{{` is a well-formed template (actions closed, blocks balanced, strings terminated).

/// Deepest nesting of `if`/`range`/`with`/`define`/`block` checked.
const MAX_BLOCK_DEPTH: usize = 256;

/// `template.New("").Parse(text)`, as far as its errors on malformed actions go.
pub fn check(text: &str) -> Result<(), String> {
    let mut blocks: Vec<&str> = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = rest.get(start + 2..).unwrap_or("");
        let end = action_end(after).ok_or_else(|| "template: :1: unclosed action".to_owned())?;
        let action = after.get(..end).unwrap_or("");
        rest = after.get(end + 2..).unwrap_or("");
        let action = action.strip_prefix("- ").unwrap_or(action);
        let action = action.strip_suffix(" -").unwrap_or(action).trim();
        if action.starts_with("/*") {
            continue;
        }
        if action.is_empty() {
            return Err("template: :1: missing value for command".to_owned());
        }
        balanced(action)?;
        let keyword = action.split_whitespace().next().unwrap_or("");
        match keyword {
            "if" | "range" | "with" | "define" | "block" => {
                if blocks.len() >= MAX_BLOCK_DEPTH {
                    return Err("template: nesting too deep".to_owned());
                }
                blocks.push(keyword);
            }
            "else" | "break" | "continue" if blocks.is_empty() => {
                return Err(format!("template: :1: unexpected {{{{{keyword}}}}}"));
            }
            "end" if blocks.pop().is_none() => {
                return Err("template: :1: unexpected {{end}}".to_owned());
            }
            _ => {}
        }
    }
    if let Some(open) = blocks.last() {
        return Err(format!("template: :1: unexpected EOF in {open}"));
    }
    Ok(())
}

/// Where the action starting after `{{` ends (the index of `}}`), skipping quoted strings.
fn action_end(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' | b'`' | b'\'' => {
                let quote = b;
                i += 1;
                while let Some(&c) = bytes.get(i) {
                    if c == b'\\' && quote != b'`' {
                        i += 2;
                        continue;
                    }
                    if c == quote {
                        break;
                    }
                    i += 1;
                }
                bytes.get(i)?;
            }
            b'}' if bytes.get(i + 1) == Some(&b'}') => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

fn balanced(action: &str) -> Result<(), String> {
    let mut depth: usize = 0;
    for c in action.chars() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth = depth
                    .checked_sub(1)
                    .ok_or_else(|| "template: :1: unexpected right paren".to_owned())?;
            }
            _ => {}
        }
    }
    if depth != 0 {
        return Err("template: :1: unclosed left paren".to_owned());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn malformed_templates() {
        for (template, ok) in [
            ("{{ .labels.url }}", true),
            ("http://{{ if .X }}a{{ else }}b{{ end }}", true),
            ("{{ .labels.url", false),
            ("{{ if .X }}", false),
            ("{{ end }}", false),
            ("{{ }}", false),
        ] {
            assert_eq!(check(template).is_ok(), ok, "{template}");
        }
    }
}

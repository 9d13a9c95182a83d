//! Go templates in Alertmanager settings as the operator checks them: a URL or a responder
//! type that contains `{{` must parse as `template.New("").Parse(text)` does, with Go's
//! builtin functions only.

/// `template.New("").Parse(text)`; `Err` is Go's error text.
pub fn check(text: &str) -> Result<(), String> {
    crate::go::template::parse("", text, &[crate::go::template::BUILTINS], &["$"])
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
            // Go's parser knows its functions and variables.
            ("{{ toUpper .X }}", false),
            ("{{ $x }}", false),
            ("{{ printf \"%s\" .X }}", true),
        ] {
            assert_eq!(check(template).is_ok(), ok, "{template}");
        }
    }
}

//! `github.com/alecthomas/units`' `ParseBase2Bytes`, which the operator reads byte sizes with
//! (`bodySizeLimit`, Alertmanager's `maxPerSilenceBytes`).

/// `ParseBase2Bytes`: `[-+]?([0-9]*(\.[0-9]*)?unit)+` with powers of 1024, first with the
/// `KiB` family of units, then with the `KB` one (a size mixing the two is refused); `0` alone
/// is zero. The error is Go's text.
pub(crate) fn parse_base2_bytes(text: &str) -> Result<i64, String> {
    parse_unit(text, &["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"])
        .or_else(|_| parse_unit(text, &["B", "KB", "MB", "GB", "TB", "PB", "EB"]))
}

/// `ParseUnit` with a unit table whose n-th name stands for 1024ⁿ bytes.
fn parse_unit(original: &str, units: &[&str; 7]) -> Result<i64, String> {
    let invalid = || format!("units: invalid {original}");
    let (negative, mut rest) = match original.as_bytes().first() {
        Some(b'-') => (true, &original[1..]),
        Some(b'+') => (false, &original[1..]),
        _ => (false, original),
    };
    if rest == "0" {
        return Ok(0);
    }
    if rest.is_empty() {
        return Err(invalid());
    }
    let mut total = 0f64;
    while !rest.is_empty() {
        if !rest.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
            return Err(invalid());
        }
        let digits = |text: &str| {
            text.find(|c: char| !c.is_ascii_digit())
                .unwrap_or(text.len())
        };
        let whole = &rest[..digits(rest)];
        rest = &rest[whole.len()..];
        let mut fraction = "";
        if let Some(after_point) = rest.strip_prefix('.') {
            fraction = &after_point[..digits(after_point)];
            rest = &after_point[fraction.len()..];
        }
        if whole.is_empty() && fraction.is_empty() {
            return Err(invalid());
        }
        let value: f64 = format!("0{whole}.{fraction}0")
            .parse()
            .map_err(|_| invalid())?;
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let unit = &rest[..unit_len];
        rest = &rest[unit_len..];
        let Some(power) = units.iter().position(|u| *u == unit) else {
            return Err(format!("units: unknown unit {unit} in {original}"));
        };
        total += value * 1024f64.powi(i32::try_from(power).unwrap_or(0));
    }
    if negative {
        total = -total;
    }
    // i64's range as f64, the bound Go checks before converting.
    if !(-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&total) {
        return Err("units: overflow parsing unit".to_owned());
    }
    Ok(total as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_sizes_as_go_units_does() {
        for (text, want) in [
            ("0", Ok(0)),
            ("10MB", Ok(10 << 20)),
            ("1GiB", Ok(1 << 30)),
            ("1KiB512B", Ok(1536)),
            ("1.5KB", Ok(1536)),
            ("-2KB", Ok(-2048)),
            (
                "1GiB512MB",
                Err("units: unknown unit GiB in 1GiB512MB".to_owned()),
            ),
            ("bogus", Err("units: invalid bogus".to_owned())),
            ("", Err("units: invalid ".to_owned())),
            ("5", Err("units: unknown unit  in 5".to_owned())),
            (" 5MB", Err("units: invalid  5MB".to_owned())),
            ("9EB", Err("units: overflow parsing unit".to_owned())),
            (".5KB", Ok(512)),
            ("1.2.3KB", Err("units: unknown unit  in 1.2.3KB".to_owned())),
        ] {
            assert_eq!(parse_base2_bytes(text), want, "{text:?}");
        }
    }
}

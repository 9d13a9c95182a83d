//! Resource quantities as the operator writes them: it copies them into typed
//! `resource.Quantity` values, whose JSON form is the canonical one (`0.5` becomes `500m`,
//! `1024Mi` becomes `1Gi`, `2000000000` becomes `2G`), and the API server stores that form,
//! so a rendered workload compares with a live one only in it.

use k8s_openapi::api::core::v1::{PersistentVolumeClaimSpec, PodSpec, ResourceRequirements};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

/// Digits of a quantity's number read at most; longer ones are left as written.
const MAX_DIGITS: usize = 30;

/// How a quantity was written, which decides how it is written back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    /// `k`, `M`, `m`, ... or no suffix.
    DecimalSI,
    /// `Ki`, `Mi`, ...
    BinarySI,
    /// `e3`, `E-2`.
    DecimalExponent,
}

/// `text` in Kubernetes' canonical form, or `None` when it is not a quantity this reads (the
/// API server would refuse it; it is left as written).
fn canonical(text: &str) -> Option<String> {
    let (negative, rest) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let number_end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(rest.len());
    let (number, suffix) = rest.split_at(number_end);
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    if whole.is_empty() && fraction.is_empty()
        || fraction.contains('.')
        || whole.len() + fraction.len() > MAX_DIGITS
    {
        return None;
    }
    let mut mantissa: i128 = format!("{whole}{fraction}").parse().ok()?;
    let mut scale = -i32::try_from(fraction.len()).ok()?;
    let format = match suffix {
        "" => Format::DecimalSI,
        "n" | "u" | "m" | "k" | "M" | "G" | "T" | "P" | "E" => {
            scale += match suffix {
                "n" => -9,
                "u" => -6,
                "m" => -3,
                "k" => 3,
                "M" => 6,
                "G" => 9,
                "T" => 12,
                "P" => 15,
                _ => 18,
            };
            Format::DecimalSI
        }
        "Ki" | "Mi" | "Gi" | "Ti" | "Pi" | "Ei" => {
            let power = match suffix {
                "Ki" => 1,
                "Mi" => 2,
                "Gi" => 3,
                "Ti" => 4,
                "Pi" => 5,
                _ => 6,
            };
            mantissa = mantissa.checked_mul(1024_i128.checked_pow(power)?)?;
            Format::BinarySI
        }
        _ => {
            let exponent = suffix.strip_prefix(['e', 'E'])?;
            scale = scale.checked_add(exponent.parse::<i32>().ok()?)?;
            Format::DecimalExponent
        }
    };
    // Nothing finer than a nano unit is kept: the value is rounded up to it.
    if scale < -9 {
        let drop = u32::try_from(-9 - scale).ok()?;
        let divisor = 10_i128.checked_pow(drop)?;
        let rounded_up = mantissa % divisor != 0;
        mantissa = mantissa / divisor + i128::from(rounded_up);
        scale = -9;
    }
    // Keep the written value representable: very large exponents are left as written.
    if scale > 18 {
        mantissa = mantissa.checked_mul(10_i128.checked_pow(u32::try_from(scale - 18).ok()?)?)?;
        scale = 18;
    }
    let sign = if negative && mantissa != 0 { "-" } else { "" };
    // Trailing zeros of a fraction are no fraction: 1.50Gi is a whole number of bytes.
    while scale < 0 && mantissa != 0 && mantissa % 10 == 0 {
        mantissa /= 10;
        scale += 1;
    }
    let integer = (scale >= 0)
        .then(|| mantissa.checked_mul(10_i128.checked_pow(u32::try_from(scale).ok()?)?))
        .flatten();
    let format = match (format, integer) {
        // Small or fractional binary amounts are written in decimal, as upstream does.
        (Format::BinarySI, Some(value)) if value >= 1024 => Format::BinarySI,
        (Format::BinarySI, _) => Format::DecimalSI,
        (other, _) => other,
    };
    if format == Format::BinarySI {
        let (mut amount, mut power) = (integer?, 0);
        while amount % 1024 == 0 && power < 6 {
            amount /= 1024;
            power += 1;
        }
        let suffix = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"][power];
        return Some(format!("{sign}{amount}{suffix}"));
    }
    if mantissa == 0 {
        return Some("0".to_owned());
    }
    while mantissa % 10 == 0 {
        mantissa /= 10;
        scale += 1;
    }
    match scale.rem_euclid(3) {
        1 => {
            mantissa = mantissa.checked_mul(10)?;
            scale -= 1;
        }
        2 => {
            mantissa = mantissa.checked_mul(100)?;
            scale -= 2;
        }
        _ => {}
    }
    let suffix = match (format, scale) {
        (Format::DecimalExponent, 0) => String::new(),
        (Format::DecimalExponent, e) => format!("e{e}"),
        (_, -9) => "n".to_owned(),
        (_, -6) => "u".to_owned(),
        (_, -3) => "m".to_owned(),
        (_, 0) => String::new(),
        (_, 3) => "k".to_owned(),
        (_, 6) => "M".to_owned(),
        (_, 9) => "G".to_owned(),
        (_, 12) => "T".to_owned(),
        (_, 15) => "P".to_owned(),
        (_, 18) => "E".to_owned(),
        (_, e) => format!("e{e}"),
    };
    Some(format!("{sign}{mantissa}{suffix}"))
}

fn canonicalize(quantity: &mut Quantity) {
    if let Some(text) = canonical(&quantity.0) {
        quantity.0 = text;
    }
}

fn canonicalize_requirements(resources: &mut ResourceRequirements) {
    for map in [&mut resources.limits, &mut resources.requests]
        .into_iter()
        .flatten()
    {
        map.values_mut().for_each(canonicalize);
    }
}

/// Every quantity of `pod`'s containers and volumes in canonical form.
pub(crate) fn canonicalize_pod(pod: &mut PodSpec) {
    let containers = pod
        .containers
        .iter_mut()
        .chain(pod.init_containers.iter_mut().flatten());
    for container in containers {
        if let Some(resources) = &mut container.resources {
            canonicalize_requirements(resources);
        }
    }
    for volume in pod.volumes.iter_mut().flatten() {
        if let Some(size) = volume
            .empty_dir
            .as_mut()
            .and_then(|e| e.size_limit.as_mut())
        {
            canonicalize(size);
        }
        if let Some(claim) = volume
            .ephemeral
            .as_mut()
            .and_then(|e| e.volume_claim_template.as_mut())
        {
            canonicalize_claim(&mut claim.spec);
        }
    }
}

/// Every quantity of a claim's resources in canonical form.
pub(crate) fn canonicalize_claim(claim: &mut PersistentVolumeClaimSpec) {
    if let Some(resources) = &mut claim.resources {
        for map in [&mut resources.limits, &mut resources.requests]
            .into_iter()
            .flatten()
        {
            map.values_mut().for_each(canonicalize);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::canonical;

    #[test]
    fn quantities_take_the_api_servers_canonical_form() {
        for (written, stored) in [
            ("0.5", "500m"),
            ("1024Mi", "1Gi"),
            ("2000000000", "2G"),
            ("10240Mi", "10Gi"),
            ("1536Mi", "1536Mi"),
            ("1500", "1500"),
            ("100m", "100m"),
            ("0.1Gi", "107374182400m"),
            ("512", "512"),
            ("1e3", "1e3"),
            ("1.5e3", "1500"),
            ("0", "0"),
            ("0.0000000001", "1n"),
            ("1k", "1k"),
            ("1000k", "1M"),
            ("-0.5", "-500m"),
            ("1.5Gi", "1536Mi"),
            ("1.0Gi", "1Gi"),
            ("+2Gi", "2Gi"),
        ] {
            assert_eq!(canonical(written).as_deref(), Some(stored), "{written}");
        }
        // Too large to hold: left as written, never a crash.
        assert_eq!(canonical("1234567890123456789.1Ei"), None);
        for bad in ["", "abc", "1.2.3", "5Q", "1e", "Gi"] {
            assert_eq!(canonical(bad), None, "{bad}");
        }
    }
}

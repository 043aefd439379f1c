//! Time-based one-time passwords (RFC 6238: SHA-1, 6 digits, 30-second steps) with a window of
//! one step either side. A code is accepted only for a step later than the last one used, so a
//! code cannot be replayed. Time is a parameter.

use qrcode::render::svg;
use qrcode::QrCode;
use rand::rngs::OsRng;
use rand::RngCore;
use totp_rs::{Algorithm, Builder, Totp};

pub const ISSUER: &str = "EVN Conduct Portal";

/// A fresh 160-bit secret.
pub fn generate_secret() -> Vec<u8> {
    let mut bytes = vec![0u8; 20];
    OsRng.fill_bytes(&mut bytes);
    bytes
}

fn totp(secret: &[u8], account: &str) -> Option<Totp> {
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_skew(1)
        .with_step_duration(30)
        .with_secret(secret.to_vec())
        .with_account_name(account)
        .with_issuer(Some(ISSUER))
        .build()
        .ok()
}

/// The step a valid, unused code belongs to; `None` for a wrong, stale or replayed code.
pub fn verify(
    secret: &[u8],
    code: &str,
    unix_time: u64,
    last_used_step: Option<i64>,
) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let step = i64::try_from(totp(secret, "x")?.check(&code, unix_time)?).ok()?;
    match last_used_step {
        Some(last) if step <= last => None,
        _ => Some(step),
    }
}

/// The code for `unix_time` (tests and the enrolment self-check use it).
pub fn code_at(secret: &[u8], unix_time: u64) -> Option<String> {
    Some(totp(secret, "x")?.generate(unix_time).to_string())
}

/// The secret as base32 text, for typing into an authenticator app.
pub fn secret_text(secret: &[u8]) -> String {
    base32::encode(base32::Alphabet::Rfc4648 { padding: false }, secret)
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The `otpauth://` URL rendered as an SVG QR code, on the server.
pub fn qr_svg(secret: &[u8], account: &str) -> Option<String> {
    let url = totp(secret, account)?.to_url().ok()?;
    let code = QrCode::new(url.as_bytes()).ok()?;
    Some(
        code.render::<svg::Color<'_>>()
            .min_dimensions(200, 200)
            .quiet_zone(true)
            .build(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"12345678901234567890";
    const T: u64 = 1_800_000_000;

    #[test]
    fn a_current_code_is_accepted_and_a_reused_one_refused() {
        let code = code_at(SECRET, T).unwrap();
        let step = verify(SECRET, &code, T, None).unwrap();
        assert_eq!(step, (T / 30) as i64);
        assert_eq!(verify(SECRET, &code, T, Some(step)), None);
    }

    #[test]
    fn one_step_either_side_is_accepted_and_two_steps_off_refused() {
        let previous = code_at(SECRET, T - 30).unwrap();
        let next = code_at(SECRET, T + 30).unwrap();
        assert!(verify(SECRET, &previous, T, None).is_some());
        assert!(verify(SECRET, &next, T, None).is_some());
        let two_back = code_at(SECRET, T - 60).unwrap();
        let two_ahead = code_at(SECRET, T + 60).unwrap();
        assert_eq!(verify(SECRET, &two_back, T, None), None);
        assert_eq!(verify(SECRET, &two_ahead, T, None), None);
    }

    #[test]
    fn an_older_step_than_the_last_used_is_refused() {
        let previous = code_at(SECRET, T - 30).unwrap();
        assert_eq!(verify(SECRET, &previous, T, Some((T / 30) as i64)), None);
    }

    #[test]
    fn rfc_6238_reference_value() {
        // RFC 6238 appendix B, SHA-1, T = 59 → 94287082 (8 digits); 6 digits → 287082.
        assert_eq!(code_at(SECRET, 59).unwrap(), "287082");
    }

    #[test]
    fn malformed_codes_are_refused_and_qr_renders_as_svg() {
        assert_eq!(verify(SECRET, "12a456", T, None), None);
        assert_eq!(verify(SECRET, "1234567", T, None), None);
        let svg = qr_svg(SECRET, "thanh.tra@evn.vn").unwrap();
        assert!(svg.contains("<svg"));
        assert_eq!(secret_text(b"\0\0\0\0\0").len(), 8 + 1);
    }
}

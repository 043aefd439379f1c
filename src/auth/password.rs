//! Password rules: 12 to 128 characters, not on the shipped list of common passwords, not the
//! account's own e-mail. Hashing (Argon2id, OWASP minimum) is the shared `SlowHasher`.

use std::collections::HashSet;
use std::sync::OnceLock;

pub const MIN_LEN: usize = 12;
pub const MAX_LEN: usize = 128;

const COMMON: &str = include_str!("../../reference/common-passwords.txt");

fn common() -> &'static HashSet<String> {
    static SET: OnceLock<HashSet<String>> = OnceLock::new();
    SET.get_or_init(|| {
        COMMON
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_lowercase)
            .collect()
    })
}

/// Why a new password is refused; the value is the catalogue key.
pub fn check_new_password(password: &str, email: &str) -> Result<(), &'static str> {
    let length = password.chars().count();
    if length < MIN_LEN {
        return Err("error-password-short");
    }
    if length > MAX_LEN {
        return Err("error-password-long");
    }
    let lowered = password.to_lowercase();
    if common().contains(&lowered) {
        return Err("error-password-common");
    }
    let local = email.split('@').next().unwrap_or_default().to_lowercase();
    if lowered == email.to_lowercase() || (!local.is_empty() && lowered == local) {
        return Err("error-password-email");
    }
    if lowered.chars().all(|c| lowered.starts_with(c)) {
        return Err("error-password-common");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_limits_are_twelve_and_one_hundred_twenty_eight() {
        assert_eq!(
            check_new_password("short", "a@evn.vn"),
            Err("error-password-short")
        );
        assert!(check_new_password(&"x1".repeat(64), "a@evn.vn").is_ok());
        assert_eq!(
            check_new_password(&format!("{}z", "x1".repeat(64)), "a@evn.vn"),
            Err("error-password-long")
        );
    }

    #[test]
    fn common_passwords_and_the_email_are_refused() {
        assert_eq!(
            check_new_password("password1234", "a@evn.vn"),
            Err("error-password-common")
        );
        assert_eq!(
            check_new_password("PASSWORD1234", "a@evn.vn"),
            Err("error-password-common")
        );
        assert_eq!(
            check_new_password("aaaaaaaaaaaaaaa", "a@evn.vn"),
            Err("error-password-common")
        );
        assert_eq!(
            check_new_password("thanh.tra@evn.vn", "thanh.tra@evn.vn"),
            Err("error-password-email")
        );
        assert!(check_new_password("cây lúa vàng trên đồng xanh", "a@evn.vn").is_ok());
    }
}

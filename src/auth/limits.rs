//! Which counters a guess at a staff credential is held against, and what a right guess may
//! clear. Every guess is reserved before its slow check (`web::throttle`), so concurrent guesses
//! count against each other.
//!
//! - From an unknown browser: the step's account counter (passwords by e-mail, second-factor
//!   codes by account, apart) **and** the address counter shared by both steps.
//! - From a browser that completed a sign-in of the account before (`auth::device`): that
//!   device's own counter for the step, and no address counter; so a flood of wrong guesses at
//!   an account or from a shared address cannot keep the account's owner out of their browser.
//! - A right guess clears only its own step's account (or device) counter: a right password never
//!   clears second-factor failures, and nothing clears the address counter, from which a right
//!   guess only takes back its own reservation.
//! - The current-password check of a password change has its own account counter.

use chrono::{DateTime, Utc};

use crate::web::state::AppState;
use crate::web::throttle::{AttemptLimiter, Refusal, Reservation, Verdict};

/// The sign-in step a guess belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Password,
    SecondFactor,
    /// The current password, checked when changing it.
    PasswordChange,
}

impl Step {
    pub fn as_str(self) -> &'static str {
        match self {
            Step::Password => "password",
            Step::SecondFactor => "second_factor",
            Step::PasswordChange => "password_change",
        }
    }
}

/// Who is guessing: the account's scope and, for unknown browsers, the client's address.
pub struct Guesser<'a> {
    /// `email:<normalised e-mail>` before the account is known, else `user:<id>`.
    pub account: String,
    /// This browser's device id for the account (`auth::device`).
    pub device: Option<&'a str>,
    pub address: Option<&'a str>,
}

/// A guess reserved against its counters; [`Held::succeeded`] when it was right.
#[must_use = "a held guess counts as a failure unless it succeeds"]
pub struct Held<'a> {
    own: (&'a AttemptLimiter, Reservation),
    address: Option<(&'a AttemptLimiter, Reservation)>,
}

/// A guess refused before its check.
#[derive(Debug, Clone, Copy)]
pub struct Refused {
    pub verdict: Verdict,
    /// Which counter refused: `account`, `device` or `address`.
    pub by: &'static str,
    /// The first refusal since that counter last allowed a guess (worth an audit entry).
    pub first: bool,
}

/// Reserves the guess against every counter it is held to, or says which one refuses it.
pub async fn hold<'a>(
    state: &'a AppState,
    step: Step,
    who: &Guesser<'_>,
    now: DateTime<Utc>,
) -> Result<Held<'a>, Refused> {
    let limiter = &state.sign_in_account_limiter;
    let (own_key, by) = match who.device {
        Some(device) => (
            format!("device:{}:{device}:{}", who.account, step.as_str()),
            "device",
        ),
        None => (format!("{}:{}", who.account, step.as_str()), "account"),
    };
    let own = limiter
        .reserve(&own_key, now)
        .await
        .map_err(|refusal| refused(refusal, by))?;
    let address = match (who.device, who.address) {
        (None, Some(address)) => {
            let address_limiter = &state.sign_in_address_limiter;
            match address_limiter
                .reserve(&format!("address:{address}"), now)
                .await
            {
                Ok(reservation) => Some((address_limiter, reservation)),
                Err(refusal) => {
                    // Not evaluated, so not a failure of the account either.
                    limiter.forgive(own).await;
                    return Err(refused(refusal, "address"));
                }
            }
        }
        _ => None,
    };
    Ok(Held {
        own: (limiter, own),
        address,
    })
}

fn refused(refusal: Refusal, by: &'static str) -> Refused {
    Refused {
        verdict: refusal.verdict,
        by,
        first: refusal.first,
    }
}

impl Held<'_> {
    /// The guess was right: its own counter is cleared, the address counter forgets only it.
    pub async fn succeeded(self) {
        let (limiter, reservation) = self.own;
        limiter.clear(reservation.key()).await;
        if let Some((limiter, reservation)) = self.address {
            limiter.forgive(reservation).await;
        }
    }

    /// The guess was wrong: its reservations stay as failures.
    pub fn failed(self) {}
}

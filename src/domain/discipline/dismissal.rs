//! Dismissal (sa thải) only on a ground of Labour Code 2019 Art. 125, and the re-offending
//! ground of Art. 125(3) only when the record shows an uncleared pay-rise deferral or removal
//! from post. Part of [`crate::domain::discipline`]; its items are re-exported there.

use chrono::NaiveDate;

use super::{standing, AppealStatus, Measure};

/// The grounds of Art. 125 on which an employer may dismiss.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DismissalGround {
    /// 125(1): theft, embezzlement, gambling, intentional injury or drug use at the workplace.
    TheftViolenceDrugs,
    /// 125(2): disclosure of business or technology secrets or infringement of intellectual
    /// property; serious damage, or threat of serious damage, to the employer's assets or
    /// interests; sexual harassment at the workplace under the internal labour regulations.
    SecretsDamageHarassment,
    /// 125(3): re-offending while a pay-rise deferral or removal from post is not yet cleared.
    Reoffending,
    /// 125(4): 5 cumulative working days of absence in 30 days, or 20 in 365 days, without a
    /// legitimate reason.
    Absence,
}

impl DismissalGround {
    pub const ALL: [DismissalGround; 4] = [
        DismissalGround::TheftViolenceDrugs,
        DismissalGround::SecretsDamageHarassment,
        DismissalGround::Reoffending,
        DismissalGround::Absence,
    ];

    /// The stored code (`discipline_decision.dismissal_ground`).
    pub fn as_str(self) -> &'static str {
        match self {
            DismissalGround::TheftViolenceDrugs => "art125_1",
            DismissalGround::SecretsDamageHarassment => "art125_2",
            DismissalGround::Reoffending => "art125_3",
            DismissalGround::Absence => "art125_4",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.as_str() == text.trim())
    }

    /// The catalogue key of its description.
    pub fn label_key(self) -> String {
        format!(
            "discipline-dismissal-ground-{}",
            self.as_str().replace('_', "-")
        )
    }
}

/// One earlier decision of the person, as Art. 125(3) reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PriorRecord {
    pub measure: Measure,
    pub decided: NaiveDate,
    pub clears_on: Option<NaiveDate>,
    pub appeal: AppealStatus,
}

/// Art. 125(3): a violation on `violation` re-offends when an earlier pay-rise deferral or
/// removal from post, decided before that day and not overturned, still counted on it (its
/// [`standing`] that day: not yet cleared).
pub fn reoffends(prior: &[PriorRecord], violation: NaiveDate) -> bool {
    prior.iter().any(|r| {
        matches!(
            r.measure,
            Measure::PayRiseDeferral { .. } | Measure::RemovalFromPost
        ) && r.decided < violation
            && standing(r.measure, r.decided, r.clears_on, r.appeal, &[], violation).counts()
    })
}

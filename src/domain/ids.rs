//! Typed ids: a handler that takes a `CaseId` cannot be handed a unit's id by mistake, and an id
//! that is not a positive number is refused (404) before any handler runs (`web::params`).

use std::fmt;

use serde::{Deserialize, Serialize};

/// Declares id newtypes over the database's `i32` keys.
macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i32);

        impl $name {
            /// The id, when `raw` is a positive number.
            pub fn parse(raw: &str) -> Option<Self> {
                raw.parse::<i32>().ok().filter(|id| *id > 0).map(Self)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl From<$name> for i32 {
            fn from(id: $name) -> i32 {
                id.0
            }
        }
    )*};
}

ids! {
    /// A case, which is a report seen from the investigation side (`report.id`).
    CaseId,
    /// An evidence file.
    FileId,
    /// An org unit.
    UnitId,
    /// A staff account.
    UserId,
    /// An inspection team.
    TeamId,
    /// A violation category.
    CategoryId,
    /// A culture-code article version.
    ArticleId,
    /// A chapter of the culture code.
    ChapterId,
    /// A staff-directory entry.
    StaffId,
    /// A routing rule.
    RuleId,
    /// A canned reply.
    ReplyId,
    /// An internal disciplinary measure.
    MeasureId,
    /// An article of the internal labour regulations.
    LabourRuleId,
    /// A public holiday.
    HolidayId,
    /// A request to see a denouncer's identity.
    IdentityRequestId,
    /// A disciplinary finding.
    FindingId,
    /// A disciplinary decision.
    DecisionId,
    /// A staff session.
    SessionId,
    /// A request to download the original of an evidence file.
    OriginalRequestId,
    /// A message in the notification outbox.
    NotificationId,
    /// An API token issued to an integration.
    ApiTokenId,
    /// A scope asked for on an API token, pending a custodian's approval.
    ApiScopeRequestId,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_positive_numbers_are_ids() {
        assert_eq!(CaseId::parse("42"), Some(CaseId(42)));
        assert_eq!(CaseId::parse("0"), None);
        assert_eq!(CaseId::parse("-3"), None);
        assert_eq!(CaseId::parse("4x"), None);
        assert_eq!(CaseId::parse("99999999999"), None);
        assert_eq!(UnitId(7).to_string(), "7");
    }
}

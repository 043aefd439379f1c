//! The status of a case as stored and as shown. Transitions between them belong to the
//! investigation workflow; here is only the vocabulary every slice shares.

use std::fmt;
use std::str::FromStr;

/// Where a case stands. Stored as the `as_str` text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CaseStatus {
    Received,
    Accepted,
    Declined,
    Investigating,
    AwaitingReporter,
    Concluded,
    Closed,
    /// A denunciation's resolution suspended; its clock stands still (Art. 34(1)–(2)).
    Suspended,
    /// A denunciation's resolution terminated without a conclusion (Art. 34(3)).
    Terminated,
}

impl CaseStatus {
    pub const ALL: [CaseStatus; 9] = [
        CaseStatus::Received,
        CaseStatus::Accepted,
        CaseStatus::Declined,
        CaseStatus::Investigating,
        CaseStatus::AwaitingReporter,
        CaseStatus::Concluded,
        CaseStatus::Closed,
        CaseStatus::Suspended,
        CaseStatus::Terminated,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::Received => "received",
            CaseStatus::Accepted => "accepted",
            CaseStatus::Declined => "declined",
            CaseStatus::Investigating => "investigating",
            CaseStatus::AwaitingReporter => "awaiting_reporter",
            CaseStatus::Concluded => "concluded",
            CaseStatus::Closed => "closed",
            CaseStatus::Suspended => "suspended",
            CaseStatus::Terminated => "terminated",
        }
    }

    /// The catalogue key of the plain-words explanation shown to the reporter.
    pub fn reporter_message_key(self) -> String {
        format!("status-{}-explained", self.as_str().replace('_', "-"))
    }

    /// The catalogue key of the short label.
    pub fn label_key(self) -> String {
        format!("status-{}", self.as_str().replace('_', "-"))
    }
}

impl fmt::Display for CaseStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A stored status text that is not one of ours.
#[derive(Debug, thiserror::Error)]
#[error("unknown case status {0:?}")]
pub struct UnknownStatus(pub String);

impl FromStr for CaseStatus {
    type Err = UnknownStatus;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CaseStatus::ALL
            .into_iter()
            .find(|status| status.as_str() == s)
            .ok_or_else(|| UnknownStatus(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_round_trips_through_its_stored_text() {
        for status in CaseStatus::ALL {
            assert_eq!(status.as_str().parse::<CaseStatus>().unwrap(), status);
        }
        assert!("open".parse::<CaseStatus>().is_err());
    }

    #[test]
    fn catalogue_keys_use_dashes() {
        assert_eq!(
            CaseStatus::AwaitingReporter.reporter_message_key(),
            "status-awaiting-reporter-explained"
        );
    }
}

//! Which law a report runs under: the *track* (Law on Denunciations 2018, Art. 22–25).
//!
//! - A report whose author is unknown is a **tip** (phản ánh, Art. 25): received and used for
//!   inspection and management, with no thụ lý decision and no statutory clock. It runs on the
//!   portal's own service targets (a review within 7 working days, a result within 30 days of
//!   receipt, both settings) and is never called a tố cáo.
//! - A named report from the web form is a **denunciation candidate**: Art. 22–23 want a
//!   denunciation signed, or made in person and recorded, with the denouncer's name and
//!   address, so the team first verifies who sent it (by phone, at a counter, or a signed
//!   paper brought in or scanned). Verified, it becomes a **denunciation** (tố cáo) and the
//!   clocks of Art. 24, 29 and 30 start from that day. One that cannot be verified continues
//!   as a tip, and the reporter is told why.
//! - A tip whose reporter later gives a name becomes a candidate again, to be verified.
//!
//! Pure: no I/O.

use chrono::{Days, NaiveDate};

use super::calendar::{DeadlineSettings, WorkingCalendar};
use super::status::CaseStatus;

/// The track a case runs on. Stored as the `as_str` text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Track {
    Tip,
    Candidate,
    Denunciation,
}

impl Track {
    pub const ALL: [Track; 3] = [Track::Tip, Track::Candidate, Track::Denunciation];

    pub fn as_str(self) -> &'static str {
        match self {
            Track::Tip => "tip",
            Track::Candidate => "candidate",
            Track::Denunciation => "denunciation",
        }
    }

    /// Unknown text reads as a tip: the track without legal clocks, never wrongly a tố cáo.
    pub fn parse(text: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|t| t.as_str() == text.trim())
            .unwrap_or(Track::Tip)
    }

    pub fn label_key(self) -> String {
        format!("track-{}", self.as_str())
    }

    /// The track of a new report.
    pub fn at_intake(named: bool) -> Self {
        if named {
            Track::Candidate
        } else {
            Track::Tip
        }
    }

    /// Whether the Law on Denunciations' clocks and words apply.
    pub fn is_denunciation(self) -> bool {
        self == Track::Denunciation
    }
}

/// How the team made sure who sent a named report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Verification {
    /// Called back on the number given and confirmed name, address and content.
    Phone,
    /// The denouncer came to a transaction office or the inspection office; minutes recorded.
    Counter,
    /// A signed paper denunciation brought in or scanned.
    SignedPaper,
}

impl Verification {
    pub const ALL: [Verification; 3] = [
        Verification::Phone,
        Verification::Counter,
        Verification::SignedPaper,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Verification::Phone => "phone",
            Verification::Counter => "counter",
            Verification::SignedPaper => "signed_paper",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == text.trim())
    }

    pub fn label_key(self) -> String {
        format!("verification-{}", self.as_str().replace('_', "-"))
    }
}

/// Why a track change or a legal-period action is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrackRefusal {
    /// Only a denunciation candidate is verified (or found unverifiable).
    NotACandidate,
    /// A candidate is accepted (thụ lý) only once its denouncer is verified.
    NotVerified,
    /// Lengthening or extending a legal period applies to a denunciation only.
    NotADenunciation,
    NoMethod,
}

impl TrackRefusal {
    pub fn message_key(self) -> &'static str {
        match self {
            TrackRefusal::NotACandidate => "error-track-not-candidate",
            TrackRefusal::NotVerified => "error-track-not-verified",
            TrackRefusal::NotADenunciation => "error-track-not-denunciation",
            TrackRefusal::NoMethod => "error-track-no-method",
        }
    }
}

/// Checks that a case on `track` may be accepted (thụ lý for a denunciation, taken up for a tip).
pub fn check_accept(track: Track) -> Result<(), TrackRefusal> {
    match track {
        Track::Candidate => Err(TrackRefusal::NotVerified),
        Track::Tip | Track::Denunciation => Ok(()),
    }
}

/// Checks verifying (or giving up verifying) the denouncer of a case on `track`.
pub fn check_verification(track: Track) -> Result<(), TrackRefusal> {
    match track {
        Track::Candidate => Ok(()),
        Track::Tip | Track::Denunciation => Err(TrackRefusal::NotACandidate),
    }
}

/// Checks an action on the Law on Denunciations' periods (lengthening, extension).
pub fn check_legal_period(track: Track) -> Result<(), TrackRefusal> {
    if track.is_denunciation() {
        Ok(())
    } else {
        Err(TrackRefusal::NotADenunciation)
    }
}

/// Whether the case page offers `action` on a case on `track` (the workflow table decides the
/// state and the role): verification only for a candidate, acceptance not before it, the
/// legal periods only for a denunciation.
pub fn offers(track: Track, action: super::workflow::Action) -> bool {
    use super::workflow::Action;
    match action {
        Action::VerifyDenouncer | Action::TreatAsTip => check_verification(track).is_ok(),
        Action::Accept => check_accept(track).is_ok(),
        Action::LengthenAcceptance
        | Action::ExtendDeadline
        | Action::RecordWithdrawal
        | Action::Suspend
        | Action::ResumeResolution
        | Action::Terminate
        | Action::RecordNotice
        | Action::PublishConclusion => check_legal_period(track).is_ok(),
        _ => true,
    }
}

/// The catalogue key of a status's short label on `track`: a denunciation is accepted (thụ lý)
/// or not; a tip is taken up or not, in other words.
pub fn status_label_key(status: CaseStatus, track: Track) -> String {
    match (status, track) {
        (CaseStatus::Accepted | CaseStatus::Declined, Track::Denunciation) => {
            format!("{}-denunciation", status.label_key())
        }
        _ => status.label_key(),
    }
}

/// The catalogue key of a status's plain-words explanation for the reporter on `track`.
pub fn status_explained_key(status: CaseStatus, track: Track) -> String {
    let base = format!("status-{}", status.as_str().replace('_', "-"));
    match (status, track) {
        (
            CaseStatus::Received | CaseStatus::Accepted | CaseStatus::Declined,
            Track::Denunciation,
        ) => {
            format!("{base}-denunciation-explained")
        }
        (CaseStatus::Received, Track::Candidate) => format!("{base}-candidate-explained"),
        _ => status.reporter_message_key(),
    }
}

/// The portal's own service targets for tips (EVN wants them shorter than the law's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TipTargets {
    /// Reviewed within this many working days of receipt.
    pub review_due: NaiveDate,
    /// A result within this many days of receipt, moved off a day off.
    pub result_due: NaiveDate,
}

/// A tip's (or an unverified candidate's) targets, counted from receipt.
pub fn tip_targets(
    calendar: &WorkingCalendar,
    settings: &DeadlineSettings,
    received: NaiveDate,
) -> TipTargets {
    TipTargets {
        review_due: calendar.add_working_days(received, settings.tip_review_working_days),
        result_due: calendar
            .roll_to_working_day(received + Days::new(u64::from(settings.tip_result_days))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn anonymous_reports_are_tips_and_named_ones_candidates() {
        assert_eq!(Track::at_intake(false), Track::Tip);
        assert_eq!(Track::at_intake(true), Track::Candidate);
        assert!(!Track::Candidate.is_denunciation());
        for t in Track::ALL {
            assert_eq!(Track::parse(t.as_str()), t);
        }
        assert_eq!(Track::parse("unknown"), Track::Tip);
        for v in Verification::ALL {
            assert_eq!(Verification::parse(v.as_str()), Some(v));
        }
    }

    #[test]
    fn a_candidate_is_verified_before_it_is_accepted_and_legal_periods_are_for_denunciations() {
        assert_eq!(
            check_accept(Track::Candidate),
            Err(TrackRefusal::NotVerified)
        );
        assert_eq!(check_accept(Track::Tip), Ok(()));
        assert_eq!(check_accept(Track::Denunciation), Ok(()));
        assert_eq!(check_verification(Track::Candidate), Ok(()));
        assert_eq!(
            check_verification(Track::Tip),
            Err(TrackRefusal::NotACandidate)
        );
        assert_eq!(
            check_verification(Track::Denunciation),
            Err(TrackRefusal::NotACandidate)
        );
        assert_eq!(check_legal_period(Track::Denunciation), Ok(()));
        assert_eq!(
            check_legal_period(Track::Tip),
            Err(TrackRefusal::NotADenunciation)
        );
        assert_eq!(
            check_legal_period(Track::Candidate),
            Err(TrackRefusal::NotADenunciation)
        );
    }

    #[test]
    fn only_a_denunciation_is_worded_as_accepted_or_declined_thu_ly() {
        assert_eq!(
            status_label_key(CaseStatus::Accepted, Track::Denunciation),
            "status-accepted-denunciation"
        );
        assert_eq!(
            status_label_key(CaseStatus::Accepted, Track::Tip),
            "status-accepted"
        );
        assert_eq!(
            status_explained_key(CaseStatus::Received, Track::Candidate),
            "status-received-candidate-explained"
        );
        assert_eq!(
            status_explained_key(CaseStatus::Received, Track::Tip),
            "status-received-explained"
        );
        assert_eq!(
            status_explained_key(CaseStatus::Declined, Track::Denunciation),
            "status-declined-denunciation-explained"
        );
    }

    #[test]
    fn a_tip_is_reviewed_within_seven_working_days_and_answered_within_thirty_days() {
        // Tết 2027 (05–11/02) in the calendar; received Thursday 07/01/2027.
        let cal = WorkingCalendar::new((5..=11).map(|n| d(2027, 2, n)));
        let s = DeadlineSettings::default();
        let t = tip_targets(&cal, &s, d(2027, 1, 7));
        assert_eq!(t.review_due, d(2027, 1, 18));
        // Day 30 is Saturday 06/02, in Tết: the result is due on Friday 12/02.
        assert_eq!(t.result_due, d(2027, 2, 12));
    }
}

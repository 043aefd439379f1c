//! The steps of a denunciation's procedure beside investigating it (Law on Denunciations 2018):
//! the denouncer's withdrawal (Art. 33), suspending and resuming the resolution with its clock
//! paused (Art. 34(1)–(2)), terminating it (Art. 34(3)), the written notices each step owes the
//! two parties (Art. 29, 30, 34(4), 35), and publishing the conclusion (Art. 40).
//!
//! Only a denunciation has them: a tip is not under this law (`domain::track`). Which states
//! each step starts from and who may take it is the workflow table's (`domain::workflow`);
//! here are the rules about their contents. Pure: no I/O.

use chrono::NaiveDate;

use super::track::Track;

/// Defines a closed list stored as text, with its catalogue keys.
macro_rules! stored_list {
    ($(#[$doc:meta])* $name:ident, $prefix:literal, { $($(#[$vdoc:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
        pub enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            pub fn parse(text: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == text.trim())
            }

            /// The catalogue key of its label.
            pub fn label_key(self) -> String {
                format!("{}-{}", $prefix, self.as_str().replace('_', "-"))
            }
        }
    };
}

stored_list!(
    /// How much of the denunciation is withdrawn (Art. 33(1)).
    Scope, "withdrawal-scope", {
        Whole = "whole",
        Part = "part",
    }
);

stored_list!(
    /// How the withdrawal reached the team: in writing, or said in person and recorded in
    /// minutes the denouncer signs (Art. 33(1)–(2)).
    WithdrawalForm, "withdrawal-form", {
        Written = "written",
        Minutes = "minutes",
    }
);

stored_list!(
    /// Why a withdrawn denunciation is still resolved (Art. 33(3)).
    ContinueGround, "withdrawal-continue", {
        /// The conduct denounced shows signs of a violation.
        SignsOfViolation = "signs_of_violation",
        /// The withdrawal was made under threat or for a bribe.
        Coerced = "coerced",
        /// The denouncer used the denunciation to slander or harm the person accused.
        Abuse = "abuse",
    }
);

stored_list!(
    /// Why the resolution is suspended (Art. 34(1)).
    SuspensionGround, "suspension-ground", {
        /// Waiting for another body's result, or for a related matter to be resolved.
        OtherResult = "other_result",
        /// Waiting for an additional or repeated expert assessment.
        Assessment = "assessment",
    }
);

stored_list!(
    /// Why the resolution is terminated (Art. 34(3)).
    TerminationGround, "termination-ground", {
        /// The denouncer withdrew the whole denunciation, and no ground of Art. 33(3) holds.
        Withdrawn = "withdrawn",
        /// The person accused died and the denunciation concerns only their own liability.
        AccusedDied = "accused_died",
        /// A court judgment or a competent decision in force has already settled the matter.
        AlreadySettled = "already_settled",
    }
);

stored_list!(
    /// A written notice the procedure owes, recorded when it is sent.
    Notice, "notice", {
        /// Notice of acceptance to the denouncer (Art. 29(1)).
        AcceptanceToDenouncer = "acceptance_to_denouncer",
        /// Notice of the content to the person accused, without the denouncer (Art. 29(1)).
        ContentToAccused = "content_to_accused",
        /// The extension decision to both parties (Art. 30(1)).
        ExtensionToParties = "extension_to_parties",
        /// The suspension, resumption or termination decision to both parties (Art. 34(4)).
        SuspensionToParties = "suspension_to_parties",
        TerminationToParties = "termination_to_parties",
        /// The conclusion to the denouncer, as to its content (Art. 35(4)).
        ConclusionToDenouncer = "conclusion_to_denouncer",
        /// The conclusion to the person accused (Art. 35(4)).
        ConclusionToAccused = "conclusion_to_accused",
    }
);

/// A withdrawal as recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Withdrawal {
    pub scope: Scope,
    pub form: WithdrawalForm,
    /// Set when the denunciation is still resolved (Art. 33(3)).
    pub continues: Option<ContinueGround>,
}

/// Why a procedural step is refused; each message cites its article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProcedureRefusal {
    /// The step belongs to a denunciation's procedure; a tip has none.
    NotDenunciation,
    /// A withdrawal needs its scope and form.
    WithdrawalIncomplete,
    /// The whole denunciation is already withdrawn.
    AlreadyWithdrawn,
    /// A suspension, resumption or termination needs its ground and decision number.
    NoGround,
    NoDecision,
    /// Terminating on withdrawal needs a recorded withdrawal of the whole denunciation…
    NotWithdrawn,
    /// … that the team did not decide to resolve anyway (Art. 33(3)).
    WithdrawnButContinues,
    /// A resumption is dated on or after its suspension, and never in the future.
    BadResumption,
    /// A notice that this case does not owe yet.
    NoticeNotDue,
    /// A publication needs a summary of 20 to 2,000 characters…
    SummaryLength,
    /// … in which no party can be recognised.
    SummaryIdentifies,
}

impl ProcedureRefusal {
    pub fn message_key(self) -> &'static str {
        match self {
            ProcedureRefusal::NotDenunciation => "error-procedure-not-denunciation",
            ProcedureRefusal::WithdrawalIncomplete => "error-withdrawal-incomplete",
            ProcedureRefusal::AlreadyWithdrawn => "error-withdrawal-already",
            ProcedureRefusal::NoGround => "error-procedure-ground",
            ProcedureRefusal::NoDecision => "error-procedure-decision",
            ProcedureRefusal::NotWithdrawn => "error-termination-not-withdrawn",
            ProcedureRefusal::WithdrawnButContinues => "error-termination-continues",
            ProcedureRefusal::BadResumption => "error-resumption-date",
            ProcedureRefusal::NoticeNotDue => "error-notice-not-due",
            ProcedureRefusal::SummaryLength => "error-publication-length",
            ProcedureRefusal::SummaryIdentifies => "error-publication-identifies",
        }
    }
}

/// Refuses every step on a case that is not a denunciation.
pub fn check_track(track: Track) -> Result<(), ProcedureRefusal> {
    if track.is_denunciation() {
        Ok(())
    } else {
        Err(ProcedureRefusal::NotDenunciation)
    }
}

/// Checks a withdrawal against the ones recorded before it.
pub fn check_withdrawal(
    scope: Option<Scope>,
    form: Option<WithdrawalForm>,
    earlier: &[Withdrawal],
) -> Result<(), ProcedureRefusal> {
    if scope.is_none() || form.is_none() {
        return Err(ProcedureRefusal::WithdrawalIncomplete);
    }
    if earlier.iter().any(|w| w.scope == Scope::Whole) {
        return Err(ProcedureRefusal::AlreadyWithdrawn);
    }
    Ok(())
}

/// A decision's ground and number are both required.
pub fn check_decision<G>(ground: Option<G>, number: &str) -> Result<G, ProcedureRefusal> {
    let ground = ground.ok_or(ProcedureRefusal::NoGround)?;
    if number.trim().is_empty() {
        return Err(ProcedureRefusal::NoDecision);
    }
    Ok(ground)
}

/// Checks a termination on `ground` against the withdrawals recorded: terminating because the
/// denouncer withdrew needs the whole denunciation withdrawn, and none of Art. 33(3)'s grounds
/// to resolve it anyway.
pub fn check_termination(
    ground: TerminationGround,
    withdrawals: &[Withdrawal],
) -> Result<(), ProcedureRefusal> {
    if ground != TerminationGround::Withdrawn {
        return Ok(());
    }
    let whole = withdrawals.iter().find(|w| w.scope == Scope::Whole);
    match whole {
        None => Err(ProcedureRefusal::NotWithdrawn),
        Some(w) if w.continues.is_some() => Err(ProcedureRefusal::WithdrawnButContinues),
        Some(_) => Ok(()),
    }
}

/// The days a suspension from `suspended` to `resumed` kept the clock stopped: the calendar
/// days between them, none counted twice (Art. 34(2): the time suspended does not count).
pub fn check_resumption(
    suspended: NaiveDate,
    resumed: NaiveDate,
    today: NaiveDate,
) -> Result<u32, ProcedureRefusal> {
    if resumed < suspended || resumed > today {
        return Err(ProcedureRefusal::BadResumption);
    }
    Ok((resumed - suspended).num_days() as u32)
}

/// Whether `notice` is owed by a case in this position of its procedure.
pub fn notice_due(notice: Notice, at: &Position) -> bool {
    match notice {
        Notice::AcceptanceToDenouncer | Notice::ContentToAccused => at.accepted,
        Notice::ExtensionToParties => at.extensions > 0,
        Notice::SuspensionToParties => at.suspended_ever,
        Notice::TerminationToParties => at.terminated,
        Notice::ConclusionToDenouncer | Notice::ConclusionToAccused => at.concluded,
    }
}

/// How far a denunciation's procedure has gone, for [`notice_due`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Position {
    pub accepted: bool,
    pub extensions: usize,
    pub suspended_ever: bool,
    pub terminated: bool,
    pub concluded: bool,
}

/// Checks a conclusion summary before publication: its length, and that it names none of
/// `identifying` (the denouncer's name, phone and address, the accused's name and number),
/// compared on folded text so neither case nor diacritics hide one.
pub fn check_publication(summary: &str, identifying: &[String]) -> Result<(), ProcedureRefusal> {
    let count = summary.trim().chars().count();
    if !(20..=2000).contains(&count) {
        return Err(ProcedureRefusal::SummaryLength);
    }
    let folded = super::text::fold(summary);
    let named = identifying
        .iter()
        .map(|s| super::text::fold(s.trim()))
        .filter(|s| s.chars().count() >= 3)
        .any(|s| folded.contains(&s));
    if named {
        return Err(ProcedureRefusal::SummaryIdentifies);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::{self, DeadlineSettings, WorkingCalendar};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn whole(continues: Option<ContinueGround>) -> Withdrawal {
        Withdrawal {
            scope: Scope::Whole,
            form: WithdrawalForm::Written,
            continues,
        }
    }

    #[test]
    fn only_a_denunciation_has_the_procedure() {
        assert!(check_track(Track::Denunciation).is_ok());
        for track in [Track::Tip, Track::Candidate] {
            assert_eq!(check_track(track), Err(ProcedureRefusal::NotDenunciation));
        }
    }

    #[test]
    fn a_withdrawal_needs_scope_and_form_and_comes_once_for_the_whole() {
        let part = Withdrawal {
            scope: Scope::Part,
            form: WithdrawalForm::Minutes,
            continues: None,
        };
        assert_eq!(
            check_withdrawal(None, Some(WithdrawalForm::Written), &[]),
            Err(ProcedureRefusal::WithdrawalIncomplete)
        );
        assert_eq!(
            check_withdrawal(Some(Scope::Part), None, &[]),
            Err(ProcedureRefusal::WithdrawalIncomplete)
        );
        let both = (Some(Scope::Whole), Some(WithdrawalForm::Written));
        assert!(check_withdrawal(both.0, both.1, &[part]).is_ok());
        assert_eq!(
            check_withdrawal(both.0, both.1, &[whole(None)]),
            Err(ProcedureRefusal::AlreadyWithdrawn)
        );
    }

    #[test]
    fn a_withdrawn_denunciation_showing_a_violation_cannot_be_terminated_on_withdrawal() {
        let withdrawn = TerminationGround::Withdrawn;
        assert_eq!(
            check_termination(withdrawn, &[]),
            Err(ProcedureRefusal::NotWithdrawn)
        );
        let part = Withdrawal {
            scope: Scope::Part,
            ..whole(None)
        };
        assert_eq!(
            check_termination(withdrawn, &[part]),
            Err(ProcedureRefusal::NotWithdrawn)
        );
        for ground in ContinueGround::ALL {
            assert_eq!(
                check_termination(withdrawn, &[whole(Some(*ground))]),
                Err(ProcedureRefusal::WithdrawnButContinues)
            );
        }
        assert!(check_termination(withdrawn, &[whole(None)]).is_ok());
        // The other grounds do not depend on a withdrawal.
        assert!(check_termination(TerminationGround::AccusedDied, &[]).is_ok());
        assert!(check_termination(TerminationGround::AlreadySettled, &[]).is_ok());
    }

    #[test]
    fn a_decision_needs_a_ground_and_a_number() {
        let ground = Some(SuspensionGround::Assessment);
        assert_eq!(
            check_decision::<SuspensionGround>(None, "12/QĐ"),
            Err(ProcedureRefusal::NoGround)
        );
        assert_eq!(
            check_decision(ground, "  "),
            Err(ProcedureRefusal::NoDecision)
        );
        assert_eq!(
            check_decision(ground, "12/QĐ"),
            Ok(SuspensionGround::Assessment)
        );
    }

    #[test]
    fn the_pause_is_counted_in_calendar_days_and_cannot_run_backwards_or_ahead() {
        let today = d(2027, 3, 20);
        assert_eq!(
            check_resumption(d(2027, 3, 1), d(2027, 3, 11), today),
            Ok(10)
        );
        assert_eq!(check_resumption(d(2027, 3, 1), d(2027, 3, 1), today), Ok(0));
        assert_eq!(
            check_resumption(d(2027, 3, 2), d(2027, 3, 1), today),
            Err(ProcedureRefusal::BadResumption)
        );
        assert_eq!(
            check_resumption(d(2027, 3, 1), d(2027, 3, 21), today),
            Err(ProcedureRefusal::BadResumption)
        );
    }

    #[test]
    fn each_notice_is_owed_once_its_step_has_happened() {
        let accepted = Position {
            accepted: true,
            ..Position::default()
        };
        assert!(notice_due(Notice::AcceptanceToDenouncer, &accepted));
        assert!(notice_due(Notice::ContentToAccused, &accepted));
        assert!(!notice_due(Notice::ExtensionToParties, &accepted));
        assert!(!notice_due(Notice::ConclusionToAccused, &accepted));
        assert!(!notice_due(Notice::TerminationToParties, &accepted));
        let later = Position {
            extensions: 1,
            suspended_ever: true,
            terminated: true,
            concluded: true,
            ..accepted
        };
        for notice in Notice::ALL {
            assert!(notice_due(*notice, &later), "{notice:?}");
        }
        assert!(!notice_due(
            Notice::AcceptanceToDenouncer,
            &Position::default()
        ));
    }

    #[test]
    fn a_publication_names_no_party_even_without_diacritics_or_capitals() {
        let names = vec!["Trần Văn Bình".to_string(), "0912 345 678".to_string()];
        let clean = "Nội dung tố cáo về việc thu tiền sai quy định là đúng một phần.";
        assert!(check_publication(clean, &names).is_ok());
        assert_eq!(
            check_publication(
                "Ông TRAN VAN BINH đã thu tiền sai quy định của khách.",
                &names
            ),
            Err(ProcedureRefusal::SummaryIdentifies)
        );
        assert_eq!(
            check_publication("Ngắn quá.", &names),
            Err(ProcedureRefusal::SummaryLength)
        );
        // Fragments too short to identify anyone are not matched.
        assert!(check_publication(clean, &["Đ".to_string(), String::new()]).is_ok());
    }

    #[test]
    fn days_suspended_do_not_count_and_the_end_still_rolls_off_days_off() {
        let cal = WorkingCalendar::new((5..=11).map(|n| d(2027, 2, n)));
        let s = DeadlineSettings::default();
        let due =
            |paused| calendar::clocks(&cal, &s, d(2027, 1, 1), Some(d(2027, 1, 1)), &[], paused);
        // Accepted Friday 1/1/2027: day 30 is Sunday 31/1 → Monday 1/2.
        assert_eq!(due(0).resolution_due, Some(d(2027, 2, 1)));
        // Suspended 4 days: Thursday 4/2, a working day.
        assert_eq!(due(4).resolution_due, Some(d(2027, 2, 4)));
        // Suspended 5 days: Friday 5/2 is Tết; the period ends on Friday 12/2.
        assert_eq!(due(5).resolution_due, Some(d(2027, 2, 12)));
        // The pause adds to extensions, and never moves the notice clock.
        let both = calendar::clocks(&cal, &s, d(2027, 1, 1), Some(d(2027, 1, 1)), &[30], 10);
        assert_eq!(both.resolution_due, Some(d(2027, 3, 12)));
        assert_eq!(both.notify_due, due(0).notify_due);
    }
}

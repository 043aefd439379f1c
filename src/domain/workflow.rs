//! The investigation workflow as a typed state machine with one explicit transition table.
//!
//! Received → Accepted (thụ lý) or Declined → Investigating (with an assignee) ⇄ Awaiting
//! reporter → Concluded → Closed; plus transfer, escalation, reassignment, deadline extension
//! and reopening; and a denunciation's own steps (`domain::procedure`): withdrawal, suspension
//! ⇄ resumption, termination, notices and publication. Every action names the roles that may take it and the states it starts from;
//! anything not in [`TABLE`] is refused. Pure: no I/O, exhaustively tested.

use super::roles::Role;
use super::status::CaseStatus;

/// Something a staff member can do to a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Accept,
    Decline,
    StartInvestigation,
    Reassign,
    AskReporter,
    ResumeInvestigation,
    Conclude,
    Close,
    Transfer,
    Escalate,
    Reopen,
    ExtendDeadline,
    /// Lengthen the acceptance period to 10 working days (Art. 24(1)).
    LengthenAcceptance,
    /// The denouncer of a named report is verified: it becomes a denunciation (`track`).
    VerifyDenouncer,
    /// The denouncer cannot be verified: the report continues as a tip (`track`).
    TreatAsTip,
    /// The denouncer withdraws all or part of the denunciation (Art. 33, `procedure`).
    RecordWithdrawal,
    /// Suspend the resolution; its clock stops (Art. 34(1)).
    Suspend,
    /// Resume a suspended resolution; its clock runs again (Art. 34(2)).
    ResumeResolution,
    /// Terminate the resolution without a conclusion (Art. 34(3)).
    Terminate,
    /// Record that a written notice owed to a party was sent (Art. 29, 30, 34, 35).
    RecordNotice,
    /// Publish an identity-free summary of the conclusion (Art. 40).
    PublishConclusion,
}

impl Action {
    pub const ALL: [Action; 21] = [
        Action::Accept,
        Action::Decline,
        Action::StartInvestigation,
        Action::Reassign,
        Action::AskReporter,
        Action::ResumeInvestigation,
        Action::Conclude,
        Action::Close,
        Action::Transfer,
        Action::Escalate,
        Action::Reopen,
        Action::ExtendDeadline,
        Action::LengthenAcceptance,
        Action::VerifyDenouncer,
        Action::TreatAsTip,
        Action::RecordWithdrawal,
        Action::Suspend,
        Action::ResumeResolution,
        Action::Terminate,
        Action::RecordNotice,
        Action::PublishConclusion,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Accept => "accept",
            Action::Decline => "decline",
            Action::StartInvestigation => "start_investigation",
            Action::Reassign => "reassign",
            Action::AskReporter => "ask_reporter",
            Action::ResumeInvestigation => "resume_investigation",
            Action::Conclude => "conclude",
            Action::Close => "close",
            Action::Transfer => "transfer",
            Action::Escalate => "escalate",
            Action::Reopen => "reopen",
            Action::ExtendDeadline => "extend_deadline",
            Action::LengthenAcceptance => "lengthen_acceptance",
            Action::VerifyDenouncer => "verify_denouncer",
            Action::TreatAsTip => "treat_as_tip",
            Action::RecordWithdrawal => "record_withdrawal",
            Action::Suspend => "suspend",
            Action::ResumeResolution => "resume_resolution",
            Action::Terminate => "terminate",
            Action::RecordNotice => "record_notice",
            Action::PublishConclusion => "publish_conclusion",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Action::ALL.into_iter().find(|a| a.as_str() == text)
    }

    /// The URL segment and catalogue-key fragment (dashes instead of underscores).
    pub fn slug(self) -> String {
        self.as_str().replace('_', "-")
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        Action::parse(&slug.replace('-', "_"))
    }
}

/// Where a permitted action leaves the case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    To(CaseStatus),
    /// The status does not change (transfer, escalation, reassignment, extension).
    Same,
}

/// One row of the transition table.
pub struct Rule {
    pub action: Action,
    pub from: &'static [CaseStatus],
    pub roles: &'static [Role],
    pub target: Target,
}

use CaseStatus::*;

const WORKERS: &[Role] = &[Role::Inspector, Role::TeamLead];
const LEADS: &[Role] = &[Role::TeamLead];
const OPEN: &[CaseStatus] = &[Received, Accepted, Investigating, AwaitingReporter];
const RUNNING: &[CaseStatus] = &[Accepted, Investigating, AwaitingReporter];
/// Before a conclusion: what a withdrawal may still reach (Art. 33(1)).
const UNRESOLVED: &[CaseStatus] = &[
    Received,
    Accepted,
    Investigating,
    AwaitingReporter,
    Suspended,
];
/// A resolution under way, suspended or not: what may be terminated.
const RESOLVING: &[CaseStatus] = &[Accepted, Investigating, AwaitingReporter, Suspended];
/// Once accepted: a notice may be owed.
const NOTIFIABLE: &[CaseStatus] = &[
    Accepted,
    Investigating,
    AwaitingReporter,
    Suspended,
    Concluded,
    Closed,
    Terminated,
];

/// The whole workflow.
pub const TABLE: &[Rule] = &[
    Rule {
        action: Action::Accept,
        from: &[Received],
        roles: WORKERS,
        target: Target::To(Accepted),
    },
    Rule {
        action: Action::Decline,
        from: &[Received],
        roles: WORKERS,
        target: Target::To(Declined),
    },
    Rule {
        action: Action::StartInvestigation,
        from: &[Accepted],
        roles: WORKERS,
        target: Target::To(Investigating),
    },
    Rule {
        action: Action::Reassign,
        from: &[Investigating, AwaitingReporter],
        roles: LEADS,
        target: Target::Same,
    },
    Rule {
        action: Action::AskReporter,
        from: &[Investigating],
        roles: WORKERS,
        target: Target::To(AwaitingReporter),
    },
    Rule {
        action: Action::ResumeInvestigation,
        from: &[AwaitingReporter],
        roles: WORKERS,
        target: Target::To(Investigating),
    },
    Rule {
        action: Action::Conclude,
        from: &[Investigating],
        roles: WORKERS,
        target: Target::To(Concluded),
    },
    Rule {
        action: Action::Close,
        from: &[Concluded],
        roles: LEADS,
        target: Target::To(Closed),
    },
    Rule {
        action: Action::Transfer,
        from: OPEN,
        roles: LEADS,
        target: Target::Same,
    },
    Rule {
        action: Action::Escalate,
        from: OPEN,
        roles: LEADS,
        target: Target::Same,
    },
    Rule {
        action: Action::Reopen,
        from: &[Declined, Concluded, Closed],
        roles: LEADS,
        target: Target::To(Investigating),
    },
    Rule {
        action: Action::ExtendDeadline,
        from: RUNNING,
        roles: LEADS,
        target: Target::Same,
    },
    Rule {
        action: Action::LengthenAcceptance,
        from: &[Received],
        roles: LEADS,
        target: Target::Same,
    },
    Rule {
        action: Action::VerifyDenouncer,
        from: OPEN,
        roles: WORKERS,
        target: Target::Same,
    },
    Rule {
        action: Action::TreatAsTip,
        from: OPEN,
        roles: WORKERS,
        target: Target::Same,
    },
    Rule {
        action: Action::RecordWithdrawal,
        from: UNRESOLVED,
        roles: WORKERS,
        target: Target::Same,
    },
    Rule {
        action: Action::Suspend,
        from: RUNNING,
        roles: LEADS,
        target: Target::To(Suspended),
    },
    Rule {
        action: Action::ResumeResolution,
        from: &[Suspended],
        roles: LEADS,
        target: Target::To(Investigating),
    },
    Rule {
        action: Action::Terminate,
        from: RESOLVING,
        roles: LEADS,
        target: Target::To(Terminated),
    },
    Rule {
        action: Action::RecordNotice,
        from: NOTIFIABLE,
        roles: WORKERS,
        target: Target::Same,
    },
    Rule {
        action: Action::PublishConclusion,
        from: &[Concluded, Closed],
        roles: LEADS,
        target: Target::Same,
    },
];

/// Why an action was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The action does not apply in this state.
    WrongState,
    /// The action applies, but none of the user's roles may take it.
    WrongRole,
}

impl Refusal {
    pub fn message_key(self) -> &'static str {
        match self {
            Refusal::WrongState => "error-case-wrong-state",
            Refusal::WrongRole => "error-case-wrong-role",
        }
    }
}

/// Decides `action` on a case in `state` for a user holding `roles`.
pub fn decide(state: CaseStatus, action: Action, roles: &[Role]) -> Result<CaseStatus, Refusal> {
    let rule = TABLE
        .iter()
        .find(|rule| rule.action == action)
        .filter(|rule| rule.from.contains(&state))
        .ok_or(Refusal::WrongState)?;
    if !roles.iter().any(|role| rule.roles.contains(role)) {
        return Err(Refusal::WrongRole);
    }
    Ok(match rule.target {
        Target::To(next) => next,
        Target::Same => state,
    })
}

/// The actions a user may take now, in table order (what the case page offers).
pub fn available(state: CaseStatus, roles: &[Role]) -> Vec<Action> {
    Action::ALL
        .into_iter()
        .filter(|action| decide(state, *action, roles).is_ok())
        .collect()
}

/// How an investigation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finding {
    Substantiated,
    PartlySubstantiated,
    Unsubstantiated,
    CannotBeVerified,
}

impl Finding {
    pub const ALL: [Finding; 4] = [
        Finding::Substantiated,
        Finding::PartlySubstantiated,
        Finding::Unsubstantiated,
        Finding::CannotBeVerified,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Finding::Substantiated => "substantiated",
            Finding::PartlySubstantiated => "partly_substantiated",
            Finding::Unsubstantiated => "unsubstantiated",
            Finding::CannotBeVerified => "cannot_be_verified",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Finding::ALL.into_iter().find(|f| f.as_str() == text)
    }

    pub fn label_key(self) -> String {
        format!("finding-{}", self.as_str().replace('_', "-"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table restated independently: (action, from-states, roles, resulting state or None
    /// for "unchanged").
    fn expected(action: Action) -> (&'static [CaseStatus], &'static [Role], Option<CaseStatus>) {
        match action {
            Action::Accept => (&[Received], WORKERS, Some(Accepted)),
            Action::Decline => (&[Received], WORKERS, Some(Declined)),
            Action::StartInvestigation => (&[Accepted], WORKERS, Some(Investigating)),
            Action::Reassign => (&[Investigating, AwaitingReporter], LEADS, None),
            Action::AskReporter => (&[Investigating], WORKERS, Some(AwaitingReporter)),
            Action::ResumeInvestigation => (&[AwaitingReporter], WORKERS, Some(Investigating)),
            Action::Conclude => (&[Investigating], WORKERS, Some(Concluded)),
            Action::Close => (&[Concluded], LEADS, Some(Closed)),
            Action::Transfer | Action::Escalate => (OPEN, LEADS, None),
            Action::Reopen => (&[Declined, Concluded, Closed], LEADS, Some(Investigating)),
            Action::ExtendDeadline => (RUNNING, LEADS, None),
            Action::LengthenAcceptance => (&[Received], LEADS, None),
            Action::VerifyDenouncer | Action::TreatAsTip => (OPEN, WORKERS, None),
            Action::RecordWithdrawal => (
                &[
                    Received,
                    Accepted,
                    Investigating,
                    AwaitingReporter,
                    Suspended,
                ],
                WORKERS,
                None,
            ),
            Action::Suspend => (RUNNING, LEADS, Some(Suspended)),
            Action::ResumeResolution => (&[Suspended], LEADS, Some(Investigating)),
            Action::Terminate => (
                &[Accepted, Investigating, AwaitingReporter, Suspended],
                LEADS,
                Some(Terminated),
            ),
            Action::RecordNotice => (
                &[
                    Accepted,
                    Investigating,
                    AwaitingReporter,
                    Suspended,
                    Concluded,
                    Closed,
                    Terminated,
                ],
                WORKERS,
                None,
            ),
            Action::PublishConclusion => (&[Concluded, Closed], LEADS, None),
        }
    }

    #[test]
    fn every_state_action_and_role_is_decided_as_the_table_says() {
        let mut checked = 0;
        for state in CaseStatus::ALL {
            for action in Action::ALL {
                let (from, roles, to) = expected(action);
                for role in Role::ALL {
                    let outcome = decide(state, action, &[role]);
                    if !from.contains(&state) {
                        assert_eq!(
                            outcome,
                            Err(Refusal::WrongState),
                            "{state} {action:?} {role}"
                        );
                    } else if !roles.contains(&role) {
                        assert_eq!(
                            outcome,
                            Err(Refusal::WrongRole),
                            "{state} {action:?} {role}"
                        );
                    } else {
                        assert_eq!(
                            outcome,
                            Ok(to.unwrap_or(state)),
                            "{state} {action:?} {role}"
                        );
                    }
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 9 * 21 * 7);
    }

    #[test]
    fn a_user_with_several_roles_gets_the_union() {
        assert_eq!(
            decide(Concluded, Action::Close, &[Role::Inspector]),
            Err(Refusal::WrongRole)
        );
        assert_eq!(
            decide(Concluded, Action::Close, &[Role::Inspector, Role::TeamLead]),
            Ok(Closed)
        );
        assert_eq!(
            decide(Received, Action::Accept, &[]),
            Err(Refusal::WrongRole)
        );
    }

    #[test]
    fn closed_is_reached_only_through_conclusion_and_left_only_by_reopening() {
        for state in CaseStatus::ALL {
            for action in Action::ALL {
                if decide(state, action, &Role::ALL) == Ok(Closed) && state != Closed {
                    assert_eq!((state, action), (Concluded, Action::Close));
                }
                if state == Closed {
                    if let Ok(next) = decide(state, action, &Role::ALL) {
                        if next != Closed {
                            assert_eq!((action, next), (Action::Reopen, Investigating));
                        }
                    }
                }
                // Terminated is final: nothing leaves it.
                if state == Terminated {
                    if let Ok(next) = decide(state, action, &Role::ALL) {
                        assert_eq!(next, Terminated, "{action:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn offered_actions_follow_the_table() {
        assert_eq!(
            available(Received, &[Role::Inspector]),
            vec![
                Action::Accept,
                Action::Decline,
                Action::VerifyDenouncer,
                Action::TreatAsTip,
                Action::RecordWithdrawal
            ]
        );
        assert_eq!(
            available(Received, &[Role::TeamLead]),
            vec![
                Action::Accept,
                Action::Decline,
                Action::Transfer,
                Action::Escalate,
                Action::LengthenAcceptance,
                Action::VerifyDenouncer,
                Action::TreatAsTip,
                Action::RecordWithdrawal
            ]
        );
        assert_eq!(
            available(Closed, &[Role::Inspector]),
            vec![Action::RecordNotice]
        );
        assert_eq!(
            available(Suspended, &[Role::TeamLead]),
            vec![
                Action::RecordWithdrawal,
                Action::ResumeResolution,
                Action::Terminate,
                Action::RecordNotice
            ]
        );
        // A terminated resolution is final: only its notices remain.
        assert_eq!(
            available(Terminated, &Role::ALL),
            vec![Action::RecordNotice]
        );
        assert!(available(Investigating, &[Role::Leadership, Role::Admin]).is_empty());
    }

    #[test]
    fn actions_and_findings_round_trip_through_text() {
        for action in Action::ALL {
            assert_eq!(Action::parse(action.as_str()), Some(action));
            assert_eq!(Action::from_slug(&action.slug()), Some(action));
        }
        for finding in Finding::ALL {
            assert_eq!(Finding::parse(finding.as_str()), Some(finding));
        }
    }
}

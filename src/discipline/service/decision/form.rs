//! Step 1 of recording a decision: reading the form into [`super::DecisionFields`], every
//! problem collected beside its field.

use super::*;

// ---------------------------------------------------------------------------------------------
// Step 1: read the form
// ---------------------------------------------------------------------------------------------

/// Reads every field of the form; what does not parse goes to `problems`.
pub(super) fn read_decision(
    input: &DecisionInput,
    max_deferral: u32,
    problems: &mut Problems,
) -> DecisionFields {
    let (primary, others) = read_measures(input, max_deferral, problems);
    let number = required_text(
        problems,
        "decision_number",
        &input.decision_number,
        DECISION_NUMBER_MAX,
    );
    let date = match parse_date(&input.decision_date) {
        Ok(date) => Some(date),
        Err(problem) => {
            problems.insert("decision_date", problem);
            None
        }
    };
    DecisionFields {
        primary,
        others,
        number,
        date,
        signer_name: required_text(problems, "signer_name", &input.signer_name, SIGNER_MAX),
        signer_title: required_text(problems, "signer_title", &input.signer_title, SIGNER_MAX),
        minutes: optional_text(
            problems,
            "minutes_reference",
            &input.minutes_reference,
            MINUTES_MAX,
        ),
        found: read_protected_state(&input.protected_state_found, problems),
        extension: read_extension(input, problems),
        dismissal_ground: read_dismissal_ground(&input.dismissal_ground, problems),
    }
}

/// The Art. 125 ground chosen, if any; whether a dismissal needs it is the rules' to say.
fn read_dismissal_ground(raw: &str, problems: &mut Problems) -> Option<DismissalGround> {
    match raw.trim() {
        "" => None,
        raw => {
            let ground = DismissalGround::parse(raw);
            if ground.is_none() {
                problems.insert(
                    "dismissal_ground",
                    Problem::new("error-discipline-dismissal-ground-required"),
                );
            }
            ground
        }
    }
}

/// The measure proposed for the case's own violation and those for the others chosen.
fn read_measures(
    input: &DecisionInput,
    max_deferral: u32,
    problems: &mut Problems,
) -> (Option<Measure>, Vec<(i32, Measure)>) {
    let months = input.deferral_months.trim().parse::<u32>().ok();
    let mut choice = |field: &'static str, raw: &str| -> Option<Measure> {
        Measure::from_choice(raw, months, max_deferral)
            .map_err(|e| {
                let field = if e == MeasureError::DeferralMonths {
                    "deferral_months"
                } else {
                    field
                };
                let args = vec![("max", max_deferral.to_string())];
                problems.insert(field, Problem::with(e.message_key(), args));
            })
            .ok()
    };
    let primary = choice("measure", &input.measure);
    let others = input
        .others
        .iter()
        .filter(|(_, raw)| !raw.trim().is_empty())
        .filter_map(|(id, raw)| choice("others", raw).map(|m| (*id, m)))
        .collect();
    (primary, others)
}

/// The protected state found, when one was chosen.
fn read_protected_state(raw: &str, problems: &mut Problems) -> Option<ProtectedState> {
    match raw.trim() {
        "" => None,
        raw => {
            let state = ProtectedState::parse(raw);
            if state.is_none() {
                problems.insert(
                    "protected_state",
                    Problem::new("error-discipline-protected-unchecked"),
                );
            }
            state
        }
    }
}

/// A lawful extension needs its reason, its legal basis and the day the protected period
/// ended; any one of them alone is refused beside the others.
fn read_extension(input: &DecisionInput, problems: &mut Problems) -> Option<LawfulExtension> {
    let reason = optional_text(
        problems,
        "extension_reason",
        &input.extension_reason,
        EXTENSION_MAX,
    );
    let basis = optional_text(
        problems,
        "extension_legal_basis",
        &input.extension_legal_basis,
        EXTENSION_MAX,
    );
    let ended = match input.extension_period_ended.trim() {
        "" => None,
        raw => match parse_date(raw) {
            Ok(date) => Some(date),
            Err(problem) => {
                problems.insert("extension_period_ended", problem);
                return None;
            }
        },
    };
    if let (Some(reason), Some(legal_basis), Some(period_ended)) = (&reason, &basis, ended) {
        return Some(LawfulExtension {
            reason: reason.clone(),
            legal_basis: legal_basis.clone(),
            period_ended,
        });
    }
    if reason.is_none() && basis.is_none() && ended.is_none() {
        return None;
    }
    for (field, given) in [
        ("extension_reason", reason.is_some()),
        ("extension_legal_basis", basis.is_some()),
        ("extension_period_ended", ended.is_some()),
    ] {
        if !given {
            problems.insert(field, Problem::new("error-discipline-extension-incomplete"));
        }
    }
    None
}

/// The internal measures chosen must exist and be in use.
pub(super) async fn check_internal_measures<C: ConnectionTrait>(
    conn: &C,
    fields: &DecisionFields,
    problems: &mut Problems,
) -> Result<(), DbErr> {
    let active: BTreeSet<i32> = internal_measure::Entity::find()
        .filter(internal_measure::Column::Active.eq(true))
        .all(conn)
        .await?
        .into_iter()
        .map(|m| m.id)
        .collect();
    let unknown = fields
        .primary
        .into_iter()
        .chain(fields.others.iter().map(|(_, m)| *m))
        .any(|m| matches!(m, Measure::Internal(id) if !active.contains(&id)));
    if unknown {
        problems.insert("measure", Problem::new("error-discipline-measure-required"));
    }
    Ok(())
}

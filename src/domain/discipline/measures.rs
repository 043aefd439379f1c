//! Measures (Labour Code 2019 Art. 124) and the "heaviest of several" rule (Art. 122(1)–(3)).
//! Part of [`crate::domain::discipline`]; its items are re-exported there, which is the path
//! every caller uses.

use std::cmp::Ordering;

/// What a decision applies to a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Measure {
    /// An internal, non-disciplinary measure from the admin list (its id).
    Internal(i32),
    /// Khiển trách.
    Reprimand,
    /// Kéo dài thời hạn nâng lương, for 1–6 months.
    PayRiseDeferral { months: u32 },
    /// Cách chức.
    RemovalFromPost,
    /// Sa thải.
    Dismissal,
}

/// The stored kinds, lightest first.
pub const KINDS: [&str; 5] = [
    "internal",
    "reprimand",
    "pay_rise_deferral",
    "removal_from_post",
    "dismissal",
];

/// Why a chosen measure is not a measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeasureError {
    Unknown,
    DeferralMonths,
}

impl MeasureError {
    pub fn message_key(self) -> &'static str {
        match self {
            MeasureError::Unknown => "error-discipline-measure-required",
            MeasureError::DeferralMonths => "error-discipline-deferral-months",
        }
    }
}

impl Measure {
    /// The stored kind (`measure` column).
    pub fn kind(self) -> &'static str {
        match self {
            Measure::Internal(_) => "internal",
            Measure::Reprimand => "reprimand",
            Measure::PayRiseDeferral { .. } => "pay_rise_deferral",
            Measure::RemovalFromPost => "removal_from_post",
            Measure::Dismissal => "dismissal",
        }
    }

    /// Severity: internal measures 0, then the Art. 124 forms in order.
    pub fn rank(self) -> u8 {
        match self {
            Measure::Internal(_) => 0,
            Measure::Reprimand => 1,
            Measure::PayRiseDeferral { .. } => 2,
            Measure::RemovalFromPost => 3,
            Measure::Dismissal => 4,
        }
    }

    /// True for the Labour Code forms (Art. 124).
    pub fn is_disciplinary(self) -> bool {
        !matches!(self, Measure::Internal(_))
    }

    /// The catalogue key of a Labour Code form's name; internal measures are named by data.
    pub fn label_key(self) -> &'static str {
        match self {
            Measure::Internal(_) => "measure-internal",
            Measure::Reprimand => "measure-reprimand",
            Measure::PayRiseDeferral { .. } => "measure-pay-rise-deferral",
            Measure::RemovalFromPost => "measure-removal-from-post",
            Measure::Dismissal => "measure-dismissal",
        }
    }

    /// The value of a `<select>` option: the kind, or `internal:<id>`.
    pub fn choice(self) -> String {
        match self {
            Measure::Internal(id) => format!("internal:{id}"),
            other => other.kind().to_string(),
        }
    }

    /// Reads a `<select>` choice; `deferral_months` is used by a pay-rise deferral only and
    /// must lie in `1..=max_months`.
    pub fn from_choice(
        choice: &str,
        deferral_months: Option<u32>,
        max_months: u32,
    ) -> Result<Self, MeasureError> {
        match choice.trim() {
            "reprimand" => Ok(Measure::Reprimand),
            "pay_rise_deferral" => match deferral_months {
                Some(months) if (1..=max_months).contains(&months) => {
                    Ok(Measure::PayRiseDeferral { months })
                }
                _ => Err(MeasureError::DeferralMonths),
            },
            "removal_from_post" => Ok(Measure::RemovalFromPost),
            "dismissal" => Ok(Measure::Dismissal),
            other => other
                .strip_prefix("internal:")
                .and_then(|id| id.parse::<i32>().ok())
                .filter(|id| *id > 0)
                .map(Measure::Internal)
                .ok_or(MeasureError::Unknown),
        }
    }

    /// Rebuilds a stored measure.
    pub fn from_stored(kind: &str, months: Option<i32>, internal_id: Option<i32>) -> Option<Self> {
        match kind {
            "internal" => internal_id.map(Measure::Internal),
            "reprimand" => Some(Measure::Reprimand),
            "pay_rise_deferral" => months
                .and_then(|m| u32::try_from(m).ok())
                .map(|months| Measure::PayRiseDeferral { months }),
            "removal_from_post" => Some(Measure::RemovalFromPost),
            "dismissal" => Some(Measure::Dismissal),
            _ => None,
        }
    }

    /// Orders two measures by severity; a longer deferral is heavier than a shorter one.
    pub fn severity_cmp(self, other: Measure) -> Ordering {
        let months = |m: Measure| match m {
            Measure::PayRiseDeferral { months } => months,
            _ => 0,
        };
        (self.rank(), months(self)).cmp(&(other.rank(), months(other)))
    }
}

/// The one measure a decision applies to several violations handled together: the heaviest
/// (Art. 122(3)). Among equally heavy internal measures the first proposed wins.
pub fn heaviest(measures: &[Measure]) -> Option<Measure> {
    measures.iter().copied().fold(None, |best, m| match best {
        Some(b) if m.severity_cmp(b) != Ordering::Greater => Some(b),
        _ => Some(m),
    })
}

/// Money and pay wording an internal measure's name may not contain, folded (lower case, no
/// diacritics): fining or cutting pay instead of disciplining is forbidden (Labour Code 2019
/// Art. 127(2)), so an internal measure is never one, whatever it is called.
pub const SANCTION_WORDING: [&str; 7] = [
    "phat tien",
    "tru luong",
    "cat luong",
    "tru thuong",
    "fine",
    "pay cut",
    "salary",
];

/// The first of [`SANCTION_WORDING`] that `name` contains as whole words (either language,
/// any case, with or without diacritics; an English plural or past form counts: "fines",
/// "fined", "pay cuts", "salaries"), or `None`. "Define" or "refinement" are not "fine".
pub fn sanction_wording(name: &str) -> Option<&'static str> {
    let folded = crate::domain::text::fold(name);
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    SANCTION_WORDING.into_iter().find(|phrase| {
        let wanted: Vec<&str> = phrase.split(' ').collect();
        words
            .windows(wanted.len())
            .any(|window| window.iter().zip(&wanted).all(|(w, p)| word_is(w, p)))
    })
}

/// `word` is `pattern` or its English plural / past form.
fn word_is(word: &str, pattern: &str) -> bool {
    word == pattern
        || word.strip_suffix('s') == Some(pattern)
        || word.strip_suffix('d') == Some(pattern)
        || pattern
            .strip_suffix('y')
            .is_some_and(|stem| word.strip_suffix("ies") == Some(stem))
}

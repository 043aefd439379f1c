//! A Labour Code form only for violations the internal labour regulations set out
//! (Art. 127(3)); the decision cites the regulation articles that do.

use std::collections::BTreeSet;

use super::*;

/// UXKH-01 is set out by regulation articles 10 and 19, UXKH-02 only by 13, which is no
/// longer in force; UXKH-03 by nothing.
fn map() -> LabourRuleMap {
    LabourRuleMap::new([
        RuleLink {
            article_key: "UXKH-01",
            labour_rule_id: 10,
            active: true,
        },
        RuleLink {
            article_key: "UXKH-01",
            labour_rule_id: 19,
            active: true,
        },
        RuleLink {
            article_key: "UXKH-02",
            labour_rule_id: 13,
            active: false,
        },
    ])
}

fn set_out_by(id: i32, keys: &[&str], measure: Measure) -> ViolationFacts {
    ViolationFacts {
        labour_rules: map().setting_out(keys.iter().copied()),
        ..violation(id, day(2026, 11, 20), measure)
    }
}

#[test]
fn only_active_regulation_articles_set_a_violation_out() {
    let map = map();
    assert_eq!(map.setting_out(["UXKH-01"]), BTreeSet::from([10, 19]));
    assert_eq!(map.setting_out(["UXKH-02"]), BTreeSet::new());
    assert_eq!(map.setting_out(["UXKH-03"]), BTreeSet::new());
    assert_eq!(
        map.setting_out(["UXKH-02", "UXKH-01", "UXKH-03"]),
        BTreeSet::from([10, 19])
    );
}

#[test]
fn a_labour_code_form_for_a_violation_the_regulations_do_not_set_out_is_refused() {
    for measure in [
        Measure::Reprimand,
        Measure::PayRiseDeferral { months: 3 },
        Measure::RemovalFromPost,
        Measure::Dismissal,
    ] {
        let v = [set_out_by(7, &["UXKH-02", "UXKH-03"], measure)];
        assert_eq!(
            judge(&facts(&v)),
            Err(vec![Refusal::NotSetOut {
                finding_id: 7,
                violation: day(2026, 11, 20),
            }]),
            "{measure:?}"
        );
    }
    let refusal = Refusal::NotSetOut {
        finding_id: 7,
        violation: day(2026, 11, 20),
    };
    assert_eq!(refusal.field(), "measure");
    assert_eq!(
        refusal.message_key(),
        "error-discipline-not-in-labour-rules"
    );
}

#[test]
fn each_violation_handled_together_must_be_set_out() {
    // The heaviest measure applies to every violation handled, so each needs its basis.
    let v = [
        set_out_by(1, &["UXKH-01"], Measure::Reprimand),
        set_out_by(2, &["UXKH-03"], Measure::Internal(4)),
    ];
    assert_eq!(
        judge(&facts(&v)),
        Err(vec![Refusal::NotSetOut {
            finding_id: 2,
            violation: day(2026, 11, 20),
        }])
    );
}

#[test]
fn an_internal_measure_needs_no_regulation_article() {
    let v = [set_out_by(1, &["UXKH-03"], Measure::Internal(4))];
    let ruling = judge(&facts(&v)).expect("an internal measure is not discipline");
    assert!(ruling.labour_rules.is_empty());
}

#[test]
fn the_decision_cites_every_regulation_article_setting_out_its_violations() {
    let second = ViolationFacts {
        labour_rules: [13, 19].into(),
        ..violation(2, day(2026, 11, 1), Measure::Reprimand)
    };
    let v = [
        set_out_by(1, &["UXKH-01", "UXKH-03"], Measure::Reprimand),
        second,
    ];
    let ruling = judge(&facts(&v)).unwrap();
    assert_eq!(ruling.labour_rules, BTreeSet::from([10, 13, 19]));
}

//! Internal measures are never fines, pay cuts or disguised sanctions (Art. 127(2)).

use super::*;

#[test]
fn money_and_pay_wording_is_found_in_either_language() {
    for (name, wording) in [
        ("Phạt tiền 500.000 đồng", "phat tien"),
        ("PHẠT TIỀN", "phat tien"),
        ("phat tien", "phat tien"),
        ("Trừ lương tháng", "tru luong"),
        ("Cắt lương 10%", "cat luong"),
        ("Trừ thưởng quý", "tru thuong"),
        ("Fine", "fine"),
        ("Small fines", "fine"),
        ("Fined for lateness", "fine"),
        ("Pay cut", "pay cut"),
        ("Temporary pay cuts", "pay cut"),
        ("Pay-cut", "pay cut"),
        ("Salary deduction", "salary"),
        ("Reduced salaries", "salary"),
    ] {
        assert_eq!(sanction_wording(name), Some(wording), "{name}");
    }
}

#[test]
fn ordinary_names_and_look_alike_words_pass() {
    for name in [
        "Nhắc nhở",
        "Phê bình",
        "Đào tạo lại",
        "Reminder",
        "Retraining",
        "Refinement of work habits",
        "Defined coaching plan",
        "Finest customer service course",
        "Payment procedure training",
        "Cut-off review",
        "Lương tâm nghề nghiệp",
        "Tiền đề",
        "",
    ] {
        assert_eq!(sanction_wording(name), None, "{name}");
    }
}

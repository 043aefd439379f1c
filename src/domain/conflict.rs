//! Conflict of interest by name: whether the name a reporter typed may be a given person.
//! Reporters often give only a name ("anh Tuấn", "Nguyễn Văn An"), so the rule is conservative:
//! on a possible match the person (and their unit) must not handle the case.
//!
//! After folding (`text::fold`) and dropping leading forms of address ("anh", "chị", "ông",
//! "nhân viên" …), the typed name is that person when
//! - it contains the person's whole name as consecutive words ("ông Mai Văn Kháng, tổ 3"), or
//! - it has two words or more and they are consecutive words of the person's name ("Văn Kháng"),
//!   or
//! - it is one word and that is the person's given name (the last word: "Kháng").

use std::collections::{BTreeSet, HashSet};

use sha2::{Digest, Sha256};

use super::text::fold;

/// Forms of address and job words a reporter puts before a name, folded.
const ADDRESS: &[&str] = &[
    "anh", "chi", "ong", "ba", "co", "chu", "bac", "em", "ban", "thay", "di", "cau", "nhan",
    "vien", "nv", "a", "c",
];

/// The folded words of `text` (letters and digits only).
fn words(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Whether `needle` occurs in `hay` as consecutive words.
fn contains_run(hay: &[String], needle: &[String]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

/// Whether the name a reporter typed (`typed`) may be the person called `full_name`.
pub fn may_name(typed: &str, full_name: &str) -> bool {
    names_person(&words(typed), &words(full_name))
}

/// [`may_name`] on folded words.
fn names_person(all: &[String], person: &[String]) -> bool {
    if person.is_empty() || all.is_empty() {
        return false;
    }
    if contains_run(all, person) {
        return true;
    }
    let start = all
        .iter()
        .position(|w| !ADDRESS.contains(&w.as_str()))
        .unwrap_or(all.len());
    let name = &all[start..];
    match name.len() {
        0 => false,
        1 => person.last() == name.first(),
        _ => contains_run(person, name),
    }
}

/// Several people's names, folded once, for testing many typed names against all of them (a
/// viewer's colleagues against every named report of their teams).
pub struct People {
    names: Vec<Vec<String>>,
    /// Every word of every name: each rule above needs a typed word among them.
    words: HashSet<String>,
}

impl People {
    pub fn new<'a>(full_names: impl IntoIterator<Item = &'a str>) -> Self {
        let names: Vec<Vec<String>> = full_names.into_iter().map(words).collect();
        let words = names.iter().flatten().cloned().collect();
        Self { names, words }
    }

    /// Whether `typed` may name any of these people ([`may_name`] for each).
    pub fn any_named_by(&self, typed: &str) -> bool {
        let all = words(typed);
        all.iter().any(|w| self.words.contains(w))
            && self.names.iter().any(|person| names_person(&all, person))
    }
}

/// A key of the conflict index: the first eight bytes of SHA-256 over its kind and folded text.
/// Keys only narrow the search; the rule above decides, so a collision costs one extra check.
fn key(kind: &str, text: &str) -> i64 {
    let digest = Sha256::new()
        .chain_update(kind.as_bytes())
        .chain_update(b":")
        .chain_update(text.as_bytes())
        .finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    i64::from_be_bytes(first)
}

/// The key of an employee number as typed or recorded (trimmed, upper case).
pub fn number_key(number: &str) -> i64 {
    key("#", &number.trim().to_uppercase())
}

/// The key of a typed name as a whole, folded (for finding other reports giving the same name).
pub fn same_name_key(typed: &str) -> i64 {
    key("=", &fold(typed))
}

/// The longest run of words [`typed_keys`] stores: a person's whole name is found through its
/// first `RUN_MAX` words (longer names are rare; the rule checks the rest).
const RUN_MAX: usize = 6;

/// The index keys of what a reporter typed for the person (name, employee number), stored with
/// the report. Whenever [`may_name`] holds for a person, or the number is theirs, these share a
/// key with [`person_keys`]: every run of up to [`RUN_MAX`] consecutive words (`r`: a person's
/// whole name found anywhere), the name after the forms of address (`n`: a run of the person's
/// name, or their given name), the number (`#`) and the whole folded name (`=`,
/// [`same_name_key`]). Each key is as selective as the rule: "Nguyễn Văn Bình" shares none with
/// "Nguyễn Văn An".
pub fn typed_keys(typed: Option<&str>, number: Option<&str>) -> BTreeSet<i64> {
    let mut out = BTreeSet::new();
    if let Some(number) = number {
        out.insert(number_key(number));
    }
    let Some(typed) = typed else {
        return out;
    };
    out.insert(same_name_key(typed));
    let all = words(typed);
    for len in 1..=RUN_MAX.min(all.len()) {
        out.extend(all.windows(len).map(|run| key("r", &run.join(" "))));
    }
    let start = all
        .iter()
        .position(|w| !ADDRESS.contains(&w.as_str()))
        .unwrap_or(all.len());
    if start < all.len() {
        out.insert(key("n", &all[start..].join(" ")));
    }
    out
}

/// The index keys under which a report may name the person called `full_name` (see
/// [`typed_keys`]): their whole name (its first [`RUN_MAX`] words), their given name and every
/// run of two words or more of their name.
pub fn person_keys(full_name: &str) -> Vec<i64> {
    let person = words(full_name);
    let Some(given) = person.last() else {
        return Vec::new();
    };
    let mut out = vec![
        key("r", &person[..RUN_MAX.min(person.len())].join(" ")),
        key("n", given),
    ];
    for len in 2..=person.len() {
        out.extend(person.windows(len).map(|run| key("n", &run.join(" "))));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::may_name;

    #[test]
    fn the_whole_name_anywhere_in_what_was_typed_matches() {
        assert!(may_name("Mai Văn Kháng", "Mai Văn Kháng"));
        assert!(may_name(
            "ông MAI VAN KHANG (tổ ghi chỉ số)",
            "Mai Văn Kháng"
        ));
        assert!(may_name("Đinh Văn Lặp", "dinh van lap"));
    }

    #[test]
    fn a_given_name_alone_or_behind_a_form_of_address_matches() {
        assert!(may_name("anh Xác", "Hoàng Văn Xác"));
        assert!(may_name("Xác", "Hoàng Văn Xác"));
        assert!(may_name("nhân viên Văn Xác", "Hoàng Văn Xác"));
        assert!(
            !may_name("anh Hoàng", "Hoàng Văn Xác"),
            "a family name alone"
        );
        assert!(!may_name("anh", "Hoàng Văn Anh"), "only a form of address");
    }

    #[test]
    fn other_names_do_not_match() {
        assert!(!may_name("Nguyễn Văn An", "Mai Văn Kháng"));
        assert!(!may_name("Văn", "Mai Văn Kháng"));
        assert!(!may_name("Kháng Mai", "Mai Văn Kháng"));
        assert!(!may_name("", "Mai Văn Kháng"));
        assert!(!may_name("Mai Văn Kháng", ""));
    }

    #[test]
    fn people_folded_once_answer_as_may_name_for_each() {
        let people = ["Mai Văn Kháng", "Hoàng Văn Xác", "dinh van lap"];
        let typed = [
            "ông MAI VAN KHANG (tổ ghi chỉ số)",
            "anh Xác",
            "Văn Kháng",
            "Lặp",
            "chị Lan",
            "nhân viên",
            "Nguyễn Văn",
            "",
        ];
        for one in people {
            for t in typed {
                assert_eq!(
                    super::People::new([one]).any_named_by(t),
                    may_name(t, one),
                    "{t} / {one}"
                );
            }
        }
        let all = super::People::new(people);
        for t in typed {
            let expected = people.iter().any(|p| may_name(t, p));
            assert_eq!(all.any_named_by(t), expected, "{t}");
        }
        assert!(all.any_named_by("anh Xác"));
        assert!(!all.any_named_by("chị Lan"));
        assert!(!super::People::new([]).any_named_by("anh Xác"));
    }

    #[test]
    fn whenever_a_name_may_be_a_person_their_keys_meet() {
        use super::{number_key, person_keys, typed_keys};
        let people = [
            "Mai Văn Kháng",
            "Hoàng Văn Xác",
            "dinh van lap",
            "Lan",
            "Nguyễn Thị Minh Khai",
            "Tôn Nữ Thị Hoàng Lan Phương Anh",
            "Văn An",
            "",
        ];
        let typed = [
            "ông MAI VAN KHANG (tổ ghi chỉ số)",
            "anh Xác",
            "Văn Kháng",
            "Mai Văn",
            "Lặp",
            "chị Lan",
            "cô Lan ở tổ thu ngân",
            "Minh Khai",
            "bà Nguyễn Thị Minh Khai phòng kinh doanh",
            "Thị Minh",
            "bà Tôn Nữ Thị Hoàng Lan Phương Anh ở phòng kế toán",
            "Phương Anh",
            "anh An",
            "nhân viên",
            "Nguyễn Văn",
            "Nguyễn Văn Bình",
            "Trần Văn Kháng",
            "",
        ];
        for person in people {
            let theirs: std::collections::BTreeSet<i64> = person_keys(person).into_iter().collect();
            for t in typed {
                let meet = !typed_keys(Some(t), None).is_disjoint(&theirs);
                if may_name(t, person) {
                    assert!(meet, "{t} may name {person} but no key is shared");
                }
            }
        }
        // The keys narrow as the rule does: another person of the same family, middle or given
        // name shares none.
        for (typed, other) in [
            ("Nguyễn Văn Bình", "Nguyễn Văn An"),
            ("Trần Văn Kháng", "Mai Văn Kháng"),
            ("anh Hùng", "Nguyễn Văn Hùng Anh"),
        ] {
            assert!(!may_name(typed, other));
            let keys = typed_keys(Some(typed), None);
            assert!(
                person_keys(other).iter().all(|k| !keys.contains(k)),
                "{typed} / {other}"
            );
        }
        assert!(typed_keys(Some("x"), Some(" nv-0042 ")).contains(&number_key("NV-0042")));
        assert!(typed_keys(None, None).is_empty());
    }
}

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

use std::collections::HashSet;

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
}

//! An inbox text search as SQL that reads the text index of each database (migration
//! `m20261220_000001_text_search`): a case matches a word when the folded word is a substring of
//! `case_file.search_text` (reference, named staff member) or when its keyed hash is one of the
//! case's `text_tokens` (a whole word of the sealed report text); it matches the search when it
//! matches every word (at most five).
//!
//! - PostgreSQL: `string_to_array(text_tokens, ' ') @> ARRAY['hash']` (GIN index on that
//!   expression) and `search_text LIKE '%word%'` (`pg_trgm` GIN index); its planner weighs the
//!   indexes against the other filters' with its statistics. Splitting each row's hashes into
//!   an array is what a row-by-row check costs, though (62 ms for a team's 8,500 overdue cases at
//!   a million reports), so a word the statistics call common (more than [`INDEXED_MAX`]
//!   matches: the index would not be read for it anyway) is checked with `strpos` on the
//!   space-delimited hashes instead (28 ms), which no index serves. A rare word's matches are
//!   listed by the two indexes in a subquery kept apart from the outer query (`OFFSET 0`).
//! - SQLite: FTS5 tables `case_file_words` (unicode61 over the hashes) and `case_file_text`
//!   (trigram over `search_text`, substrings of three characters or more). SQLite's planner
//!   always starts from a virtual table's rows when it may, even for a word in most reports, where
//!   reading the rows the other filters select (the team's overdue cases, say) is far cheaper. So
//!   [`Search::plan`] first counts each word's matches in the index, stopping at
//!   [`INDEXED_MAX`]: the rarest word under that bound is looked up in the index; the other
//!   words are checked on the rows selected (`instr`, exact for folded text).
//! - SQLite with a deadline filter ([`Search::plan_open`]): only open cases can match, read
//!   from `case_open`, whose word hashes are in the FTS5 index `case_open_words` (migration
//!   `m20261224_000001_open_case_words`) keyed by team, due day and id. Every word is looked up
//!   there, within the key range of each of the viewer's teams and the filter's due days;
//!   FTS5 intersects the words' lists itself.
//!
//! `%`, `_` and `\` in a word are matched literally on both databases.

use std::ops::RangeInclusive;

use chrono::NaiveDate;
use sea_orm::sea_query::{Expr, LikeExpr};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, DbBackend, DbErr, Statement};

use crate::domain::text::fold;
use crate::platform::crypto::SecretKey32;
use crate::platform::evidence::text::token;
use crate::platform::persistence::entities::case_file;

/// A word with more matches than this in SQLite's index is checked on the selected rows.
pub const INDEXED_MAX: i64 = 20_000;

/// The words searched at most.
const MAX_WORDS: usize = 5;

#[derive(Debug, Clone)]
struct Word {
    folded: String,
    hashed: String,
}

/// A planned text search.
#[derive(Debug, Clone)]
pub struct Search {
    backend: DbBackend,
    words: Vec<Word>,
    /// SQLite: the word looked up in the index, if one is selective enough.
    indexed: Option<usize>,
    /// PostgreSQL: the words checked on the rows (`strpos`), not through the array index.
    common: Vec<usize>,
    /// SQLite: the search reads `case_open` (under the name `case_file`) for these teams, and
    /// looks each word's hash up in their ranges of `case_open_words`.
    open_teams: Option<Vec<i32>>,
    /// SQLite: the days (since 2000-01-01) the cases' running clocks may fall due on.
    open_days: (i64, i64),
}

impl Search {
    /// The words of `query` (folded), without asking the database which to look up: every
    /// word is checked on the rows (SQLite) or left to the planner (PostgreSQL).
    pub fn words(backend: DbBackend, query: &str, search_key: &SecretKey32) -> Self {
        // A control character (a NUL from a scanner, say) separates words: SQLite's FTS5
        // query parser ends a string at a NUL, and PostgreSQL refuses one in text.
        let words = fold(query.trim())
            .split(|c: char| c.is_whitespace() || c.is_control())
            .filter(|word| !word.is_empty())
            .take(MAX_WORDS)
            .map(|word| {
                let bare = word.trim_matches(|c: char| !c.is_alphanumeric());
                Word {
                    folded: word.to_string(),
                    hashed: token(search_key, bare),
                }
            })
            .collect();
        Self {
            backend,
            words,
            indexed: None,
            common: Vec::new(),
            open_teams: None,
            open_days: (0, MAX_DAY),
        }
    }

    /// The search of [`Search::plan`] over the open cases of `team_ids` whose running clock
    /// falls due within `due` (a superset of what the deadline filter selects), read from
    /// `case_open` on SQLite (`inbox::open_cases`): there each word's hash is looked up in the
    /// teams' ranges of `case_open_words` for those days, whatever the word's frequency. On
    /// PostgreSQL, [`Search::plan`].
    pub async fn plan_open<C: ConnectionTrait>(
        conn: &C,
        query: &str,
        search_key: &SecretKey32,
        team_ids: &[i32],
        due: RangeInclusive<NaiveDate>,
    ) -> Result<Self, DbErr> {
        if conn.get_database_backend() != DbBackend::Sqlite {
            return Self::plan(conn, query, search_key).await;
        }
        let mut search = Self::words(DbBackend::Sqlite, query, search_key);
        search.open_teams = Some(team_ids.to_vec());
        search.open_days = (day_number(*due.start()), day_number(*due.end()));
        Ok(search)
    }

    /// [`Search::words`], every word checked on the rows: on PostgreSQL with `strpos` instead
    /// of the array index's operator (the plan [`Search::plan`] makes for common words).
    pub fn scanned(backend: DbBackend, query: &str, search_key: &SecretKey32) -> Self {
        let mut search = Self::words(backend, query, search_key);
        search.common = (0..search.words.len()).collect();
        search
    }

    /// [`Search::words`], and on SQLite the rarest word under [`INDEXED_MAX`] matches, to be
    /// looked up in the index; on PostgreSQL the words over it by the statistics, to be
    /// checked on the rows.
    pub async fn plan<C: ConnectionTrait>(
        conn: &C,
        query: &str,
        search_key: &SecretKey32,
    ) -> Result<Self, DbErr> {
        Self::plan_with(conn, query, search_key, INDEXED_MAX).await
    }

    /// [`Search::plan`] with another bound than [`INDEXED_MAX`].
    pub async fn plan_with<C: ConnectionTrait>(
        conn: &C,
        query: &str,
        search_key: &SecretKey32,
        indexed_max: i64,
    ) -> Result<Self, DbErr> {
        let backend = conn.get_database_backend();
        let mut search = Self::words(backend, query, search_key);
        if backend == DbBackend::Postgres {
            search.common = common_words(conn, &search.words, indexed_max).await?;
            return Ok(search);
        }
        if backend != DbBackend::Sqlite {
            return Ok(search);
        }
        let mut best: Option<(usize, i64)> = None;
        for (i, word) in search.words.iter().enumerate() {
            if word.folded.chars().count() < 3 {
                continue;
            }
            let mut n = matches(conn, "case_file_words", &word.hashed).await?;
            if n <= indexed_max {
                n += matches(conn, "case_file_text", &word.folded).await?;
            }
            if n <= indexed_max && best.is_none_or(|(_, least)| n < least) {
                best = Some((i, n));
            }
        }
        search.indexed = best.map(|(i, _)| i);
        Ok(search)
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// SQLite, reading `case_open`: the cases holding every word among their hashes (one
    /// list, which FTS5 intersects itself), or, for the few with a word in their reference or
    /// staff name, every word either way. Each word's own list is read only if such a case
    /// comes up: listing a common word's cases costs as much as the rest of the query.
    fn open_condition(&self, teams: &[i32]) -> Condition {
        let every: Vec<String> = self.words.iter().map(|w| phrase(&w.hashed)).collect();
        let mut named = Condition::any();
        let mut each = Condition::all();
        for word in &self.words {
            named = named.add(instr(case_file::Column::SearchText, &word.folded));
            each = each.add(
                Condition::any()
                    .add(instr(case_file::Column::SearchText, &word.folded))
                    .add(open_words(teams, self.open_days, &phrase(&word.hashed))),
            );
        }
        Condition::any()
            .add(open_words(teams, self.open_days, &every.join(" AND ")))
            .add(Condition::all().add(named).add(each))
    }

    /// Every word's condition.
    pub fn condition(&self) -> Condition {
        if let (DbBackend::Sqlite, Some(teams)) = (self.backend, &self.open_teams) {
            if !self.words.is_empty() {
                return self.open_condition(teams);
            }
        }
        let mut all = Condition::all();
        for (i, word) in self.words.iter().enumerate() {
            all = all.add(match self.backend {
                DbBackend::Postgres if self.common.contains(&i) => Condition::any()
                    .add(Expr::cust_with_values(
                        "strpos(\"case_file\".\"text_tokens\", $1) > 0",
                        [format!(" {} ", word.hashed)],
                    ))
                    .add(like(&word.folded)),
                // The two indexes give the few matching ids, and the other filters are checked
                // on those rows. `OFFSET 0` keeps the subquery whole: merged into the outer
                // query, PostgreSQL also read the team's whole index into a bitmap to AND with
                // them (98 ms for the 154,000 cases of a team at a million reports, to keep 1).
                DbBackend::Postgres => Condition::all().add(Expr::cust_with_values(
                    "\"case_file\".\"id\" IN (SELECT \"m\".\"id\" FROM \"case_file\" AS \"m\" \
                     WHERE string_to_array(\"m\".\"text_tokens\", ' ') @> string_to_array($1, ',') \
                     OR \"m\".\"search_text\" LIKE $2 ESCAPE '!' OFFSET 0)",
                    [word.hashed.clone(), like_pattern(&word.folded, '!')],
                )),
                _ if self.indexed == Some(i) => Condition::any()
                    .add(fts5("case_file_words", &word.hashed))
                    .add(fts5("case_file_text", &word.folded)),
                _ => Condition::any()
                    .add(instr(
                        case_file::Column::TextTokens,
                        &format!(" {} ", word.hashed),
                    ))
                    .add(instr(case_file::Column::SearchText, &word.folded)),
            });
        }
        all
    }
}

/// PostgreSQL: which of `words` its statistics on the hash-array index expect in more than
/// `indexed_max` rows (`pg_stats.most_common_elems`, frequency × the table's estimated rows).
/// Before the first `ANALYZE`, none.
async fn common_words<C: ConnectionTrait>(
    conn: &C,
    words: &[Word],
    indexed_max: i64,
) -> Result<Vec<usize>, DbErr> {
    if words.is_empty() {
        return Ok(Vec::new());
    }
    let hashes: Vec<String> = words.iter().map(|w| w.hashed.clone()).collect();
    // The frequencies array ends with three more figures (minimum, maximum, nulls): the
    // elements array is shorter, so `unnest` pairs them with no element.
    let rows = conn
        .query_all_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT e.elem, e.freq * GREATEST(c.reltuples, 0)::float8 AS n \
             FROM pg_stats s \
             JOIN pg_class c ON c.relname = 'case_file' AND c.relkind = 'r' \
             AND c.relnamespace = to_regnamespace(s.schemaname) \
             CROSS JOIN LATERAL unnest(s.most_common_elems::text::text[], \
                 s.most_common_elem_freqs) AS e(elem, freq) \
             WHERE s.tablename = 'idx_case_file_text_tokens' \
             AND s.schemaname = current_schema() AND e.elem = ANY($1)",
            [hashes.into()],
        ))
        .await?;
    let mut common = Vec::new();
    for row in rows {
        let elem: String = row.try_get("", "elem")?;
        let n: f64 = row.try_get("", "n")?;
        if n > indexed_max as f64 {
            common.extend(
                words
                    .iter()
                    .enumerate()
                    .filter(|(_, w)| w.hashed == elem)
                    .map(|(i, _)| i),
            );
        }
    }
    Ok(common)
}

/// How many rows of the FTS5 `table` match `text` as one phrase, counted up to one more than
/// [`INDEXED_MAX`].
async fn matches<C: ConnectionTrait>(conn: &C, table: &str, text: &str) -> Result<i64, DbErr> {
    let row = conn
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            format!(
                "SELECT COUNT(*) AS n FROM (SELECT 1 FROM {table} WHERE {table} MATCH ? LIMIT {})",
                INDEXED_MAX + 1
            ),
            [phrase(text).into()],
        ))
        .await?;
    Ok(match row {
        Some(row) => row.try_get::<i64>("", "n")?,
        None => 0,
    })
}

/// `text` as one FTS5 phrase.
fn phrase(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// `column LIKE '%word%'`, the word taken literally.
fn like(word: &str) -> Expr {
    case_file::Column::SearchText.like(LikeExpr::new(like_pattern(word, '\\')).escape('\\'))
}

/// `%word%` with the word's `%`, `_` and `escape` characters escaped by `escape`.
fn like_pattern(word: &str, escape: char) -> String {
    let mut pattern = String::with_capacity(word.len() + 2);
    pattern.push('%');
    for c in word.chars() {
        if matches!(c, '%' | '_') || c == escape {
            pattern.push(escape);
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// SQLite: `column` contains `text` (byte comparison; both sides are folded).
fn instr(column: case_file::Column, text: &str) -> Expr {
    Expr::cust_with_exprs(
        "instr(?, ?) > 0",
        [
            Expr::col((case_file::Entity, column)),
            Expr::val(text.to_string()),
        ],
    )
}

/// The cases whose indexed column in the FTS5 `table` holds `text` as one phrase (the trigram
/// table: as a substring; the word table: as a whole token).
fn fts5(table: &str, text: &str) -> Expr {
    Expr::cust_with_values(
        format!("\"case_file\".\"id\" IN (SELECT rowid FROM {table} WHERE {table} MATCH ?)"),
        [phrase(text)],
    )
}

/// The last day a key of `case_open_words` can hold (16 bits). Its team takes the top 16 bits
/// of a signed key: team ids stay below 32,768 (there are a few dozen teams).
const MAX_DAY: i64 = 65_535;

/// Days since 2000-01-01, as the keys of `case_open_words` hold them (migration
/// `m20261224_000001_open_case_words`, clamped the same way).
fn day_number(date: NaiveDate) -> i64 {
    let epoch = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default();
    (date - epoch).num_days().clamp(0, MAX_DAY)
}

/// SQLite, reading `case_open` under the name `case_file`: the open cases of `teams` whose
/// running clock falls due within the day numbers `days` and whose word hashes match the
/// FTS5 query `matching`. The keys of `case_open_words` are team, due day and id (16 + 16 +
/// 32 bits), so each team's cases due within those days are one range, turned into the
/// keys of `case_open` (team × 2³² + id). The unary `+` keeps SQLite from starting from these
/// keys: the other filters' index selects fewer rows, whose membership is then checked in the
/// list.
fn open_words(teams: &[i32], days: (i64, i64), matching: &str) -> Expr {
    if teams.is_empty() {
        return Expr::cust("0");
    }
    let mut sql = String::from("+\"case_file\".\"slot\" IN (");
    let mut values: Vec<sea_orm::Value> = Vec::new();
    for (n, team) in teams.iter().enumerate() {
        if n > 0 {
            sql.push_str(" UNION ALL ");
        }
        sql.push_str(
            "SELECT ((rowid >> 48) << 32) + (rowid & 4294967295) FROM case_open_words \
             WHERE case_open_words MATCH ? AND rowid BETWEEN ? AND ?",
        );
        let team = i64::from(*team) << 48;
        values.push(matching.into());
        values.push((team + (days.0 << 32)).into());
        values.push((team + (days.1 << 32) + u32::MAX as i64).into());
    }
    sql.push(')');
    Expr::cust_with_values(sql, values)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::{EntityTrait, QueryFilter, QueryTrait};

    fn sql(search: &Search) -> String {
        case_file::Entity::find()
            .filter(search.condition())
            .build(search.backend)
            .to_string()
    }

    fn key() -> SecretKey32 {
        SecretKey32::from_bytes([5; 32])
    }

    #[test]
    fn sqlite_looks_up_the_indexed_word_and_checks_the_others_on_the_rows() {
        let mut search = Search::words(DbBackend::Sqlite, "Nhân  ab", &key());
        let hashed = token(&key(), "nhan");
        let scan = sql(&search);
        assert!(scan.contains(&format!(
            "instr(\"case_file\".\"text_tokens\", ' {hashed} ') > 0"
        )));
        assert!(scan.contains("instr(\"case_file\".\"search_text\", 'nhan') > 0"));
        assert!(!scan.contains("MATCH"));
        search.indexed = Some(0);
        let indexed = sql(&search);
        assert!(indexed.contains(&format!("case_file_words MATCH '\"{hashed}\"'")));
        assert!(indexed.contains("case_file_text MATCH '\"nhan\"'"));
        assert!(indexed.contains("instr(\"case_file\".\"search_text\", 'ab') > 0"));
    }

    #[test]
    fn postgres_reads_the_token_array_and_search_text() {
        let search = Search::words(DbBackend::Postgres, "nhan", &key());
        let query = sql(&search);
        let hashed = token(&key(), "nhan");
        assert!(query.contains(&format!(
            "\"case_file\".\"id\" IN (SELECT \"m\".\"id\" FROM \"case_file\" AS \"m\" \
             WHERE string_to_array(\"m\".\"text_tokens\", ' ') @> string_to_array('{hashed}', ',') \
             OR \"m\".\"search_text\" LIKE '%nhan%' ESCAPE '!' OFFSET 0)"
        )));
        let scanned = sql(&Search::scanned(DbBackend::Postgres, "nhan", &key()));
        assert!(scanned.contains(&format!(
            "strpos(\"case_file\".\"text_tokens\", ' {hashed} ') > 0"
        )));
        assert!(!scanned.contains("string_to_array"));
        assert!(scanned.contains("\"search_text\" LIKE '%nhan%'"));
    }

    #[test]
    fn over_open_cases_each_team_is_a_range_of_the_words_of_its_cases() {
        let (nhan, vien) = (token(&key(), "nhan"), token(&key(), "vien"));
        let mut search = Search::words(DbBackend::Sqlite, "nhan vien", &key());
        search.open_teams = Some(vec![6, 7]);
        let day = |d: u32| NaiveDate::from_ymd_opt(2026, 12, d).unwrap();
        assert_eq!(day_number(day(6)), 9836);
        assert_eq!(day_number(NaiveDate::from_ymd_opt(1999, 1, 1).unwrap()), 0);
        search.open_days = (0, day_number(day(6)));
        let query = sql(&search);
        // Team 6: 6 × 2⁴⁸ + 0 × 2³² up to 6 × 2⁴⁸ + 9836 × 2³² + 2³² − 1.
        let range = "AND rowid BETWEEN 1688849860263936 AND 1731099453554687";
        assert!(query.contains(&format!(
            "+\"case_file\".\"slot\" IN (SELECT ((rowid >> 48) << 32) + (rowid & 4294967295) \
             FROM case_open_words WHERE case_open_words MATCH '\"{nhan}\" AND \"{vien}\"' \
             {range} UNION ALL SELECT"
        )));
        assert!(query.contains("AND rowid BETWEEN 1970324836974592 AND 2012574430265343"));
        assert!(query.contains(&format!("MATCH '\"{vien}\"' {range}")));
        assert!(query.contains("instr(\"case_file\".\"search_text\", 'nhan') > 0"));
    }

    #[test]
    fn wildcards_and_quotes_are_literal_and_five_words_at_most() {
        let search = Search::words(DbBackend::Postgres, "a_%!", &key());
        assert!(sql(&search).contains("LIKE '%a!_!%!!%' ESCAPE '!'"));
        let search = Search::scanned(DbBackend::Postgres, "a_%", &key());
        assert!(sql(&search).contains("LIKE E'%a\\\\_\\\\%%' ESCAPE E'\\\\'"));
        assert_eq!(phrase("x\"yz"), "\"x\"\"yz\"");
        assert_eq!(
            Search::words(DbBackend::Sqlite, "a b c d e f", &key())
                .words
                .len(),
            5
        );
        assert!(Search::words(DbBackend::Sqlite, "  ", &key()).is_empty());
    }

    #[test]
    fn control_characters_separate_words_and_never_reach_the_sql() {
        let search = Search::words(DbBackend::Sqlite, "e.php\0\u{7}x\0", &key());
        let folded: Vec<&str> = search.words.iter().map(|w| w.folded.as_str()).collect();
        assert_eq!(folded, ["e.php", "x"]);
        assert!(Search::words(DbBackend::Postgres, "\0", &key()).is_empty());
    }
}

//! Loads the shipped reference data (`reference/reference.toml`, compiled into the binary) on
//! start-up. Each shipped row is inserted once, recorded in `reference_seed`, and never touched
//! again: rows an admin edited or removed stay as the admin left them.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde::Deserialize;

use super::entities::{
    category_article, culture_article, culture_article_labour_rule, culture_chapter, holiday,
    inspection_team, labour_rule, org_unit, reference_seed, violation_category,
};
use super::Db;
use crate::domain::calendar;

/// The shipped file.
pub const REFERENCE_TOML: &str = include_str!("../../../reference/reference.toml");

#[derive(Debug, Deserialize)]
pub struct ReferenceData {
    pub units: Vec<UnitSeed>,
    pub chapters: Vec<ChapterSeed>,
    pub articles: Vec<ArticleSeed>,
    /// The internal labour regulations (nội quy lao động) and what each sets out.
    #[serde(default)]
    pub labour_rules: Vec<LabourRuleSeed>,
    pub categories: Vec<CategorySeed>,
    pub holidays: Vec<HolidaySeed>,
    /// Years whose holidays are the government's published plan, its own days in lieu and
    /// swapped days included. Other years get their days in lieu derived (Labour Code 2019,
    /// Art. 111(3); `domain::calendar::days_in_lieu`).
    #[serde(default)]
    pub official_plans: Vec<i32>,
    #[serde(default)]
    pub teams: Vec<TeamSeed>,
}

#[derive(Debug, Deserialize)]
pub struct TeamSeed {
    /// Code of the org unit the team belongs to.
    pub unit: String,
    pub name: String,
}

#[derive(Debug, Deserialize)]
pub struct UnitSeed {
    pub code: String,
    pub parent: String,
    pub kind: String,
    pub name_vi: String,
    pub name_en: String,
    pub active_from: Option<NaiveDate>,
    /// Customer-care hotline numbers (`domain::phone`), set once on the unit's row.
    #[serde(default)]
    pub hotline: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct ChapterSeed {
    pub code: String,
    pub title_vi: String,
    pub title_en: String,
    pub illustrative: bool,
}

#[derive(Debug, Deserialize)]
pub struct ArticleSeed {
    pub key: String,
    pub chapter: String,
    pub number: i32,
    pub title_vi: String,
    pub title_en: String,
    pub text_vi: String,
    pub text_en: String,
    pub effective_from: NaiveDate,
}

#[derive(Debug, Deserialize)]
pub struct LabourRuleSeed {
    pub code: String,
    pub title_vi: String,
    pub title_en: String,
    pub text_vi: String,
    /// The culture-code article keys it sets out (Labour Code 2019 Art. 127(3)).
    pub articles: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct CategorySeed {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub description_vi: String,
    pub description_en: String,
    pub severity: String,
    pub finance_assets_secrets: bool,
    pub articles: Vec<String>,
    pub sort: i32,
}

#[derive(Debug, Deserialize)]
pub struct HolidaySeed {
    pub date: NaiveDate,
    pub name_vi: String,
    pub name_en: String,
}

/// Why the reference data could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ReferenceError {
    #[error("reference data file is invalid: {0}")]
    Parse(#[from] toml::de::Error),
    #[error("reference data is inconsistent: {0}")]
    Inconsistent(String),
    #[error("database error while loading reference data: {0}")]
    Db(#[from] sea_orm::DbErr),
}

pub fn parse(text: &str) -> Result<ReferenceData, ReferenceError> {
    Ok(toml::from_str(text)?)
}

/// Inserts every shipped row not seeded before, in one transaction. Returns how many rows
/// were inserted.
pub async fn load(
    db: &Db,
    data: &ReferenceData,
    now: DateTime<Utc>,
) -> Result<usize, ReferenceError> {
    let tx = db.begin_write().await?;
    let seeded: HashSet<(String, String)> = reference_seed::Entity::find()
        .all(&*tx)
        .await?
        .into_iter()
        .map(|row| (row.kind, row.seed_key))
        .collect();
    let is_new = |kind: &str, key: &str| !seeded.contains(&(kind.to_string(), key.to_string()));
    let mut inserted = 0;

    let mut unit_ids: HashMap<String, i32> = org_unit::Entity::find()
        .all(&*tx)
        .await?
        .into_iter()
        .map(|unit| (unit.code, unit.id))
        .collect();
    for unit in &data.units {
        if !is_new("unit", &unit.code) || unit_ids.contains_key(&unit.code) {
            continue;
        }
        let parent_id = match unit.parent.as_str() {
            "" => None,
            parent => Some(*unit_ids.get(parent).ok_or_else(|| {
                ReferenceError::Inconsistent(format!(
                    "unit {} names parent {parent}, which is not defined before it",
                    unit.code
                ))
            })?),
        };
        let row = org_unit::ActiveModel {
            parent_id: Set(parent_id),
            kind: Set(unit.kind.clone()),
            code: Set(unit.code.clone()),
            name_vi: Set(unit.name_vi.clone()),
            name_en: Set(unit.name_en.clone()),
            active_from: Set(unit.active_from),
            active_to: Set(None),
            hotline: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&*tx)
        .await?;
        unit_ids.insert(row.code, row.id);
        mark_seeded(&tx, "unit", &unit.code, now).await?;
        inserted += 1;
    }

    let mut chapter_ids: HashMap<String, i32> = culture_chapter::Entity::find()
        .all(&*tx)
        .await?
        .into_iter()
        .map(|chapter| (chapter.code, chapter.id))
        .collect();
    for chapter in &data.chapters {
        if !is_new("chapter", &chapter.code) || chapter_ids.contains_key(&chapter.code) {
            continue;
        }
        let row = culture_chapter::ActiveModel {
            code: Set(chapter.code.clone()),
            title_vi: Set(chapter.title_vi.clone()),
            title_en: Set(chapter.title_en.clone()),
            illustrative: Set(chapter.illustrative),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&*tx)
        .await?;
        chapter_ids.insert(row.code, row.id);
        mark_seeded(&tx, "chapter", &chapter.code, now).await?;
        inserted += 1;
    }

    for article in &data.articles {
        if !is_new("article", &article.key) {
            continue;
        }
        let exists = culture_article::Entity::find()
            .filter(culture_article::Column::ArticleKey.eq(article.key.as_str()))
            .one(&*tx)
            .await?
            .is_some();
        if exists {
            continue;
        }
        let chapter_id = *chapter_ids.get(&article.chapter).ok_or_else(|| {
            ReferenceError::Inconsistent(format!(
                "article {} names unknown chapter {}",
                article.key, article.chapter
            ))
        })?;
        culture_article::ActiveModel {
            chapter_id: Set(chapter_id),
            article_key: Set(article.key.clone()),
            version: Set(1),
            number: Set(article.number),
            title_vi: Set(article.title_vi.clone()),
            title_en: Set(article.title_en.clone()),
            text_vi: Set(article.text_vi.clone()),
            text_en: Set(article.text_en.clone()),
            effective_from: Set(article.effective_from),
            effective_to: Set(None),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&*tx)
        .await?;
        mark_seeded(&tx, "article", &article.key, now).await?;
        inserted += 1;
    }

    inserted += load_labour_rules(&tx, data, &is_new, now).await?;
    inserted += load_hotlines(&tx, data, &is_new, now).await?;

    let existing_categories: HashSet<String> = violation_category::Entity::find()
        .all(&*tx)
        .await?
        .into_iter()
        .map(|category| category.code)
        .collect();
    for category in &data.categories {
        if !is_new("category", &category.code) || existing_categories.contains(&category.code) {
            continue;
        }
        let row = violation_category::ActiveModel {
            code: Set(category.code.clone()),
            name_vi: Set(category.name_vi.clone()),
            name_en: Set(category.name_en.clone()),
            description_vi: Set(category.description_vi.clone()),
            description_en: Set(category.description_en.clone()),
            severity: Set(category.severity.clone()),
            finance_assets_secrets: Set(category.finance_assets_secrets),
            active: Set(true),
            sort_order: Set(category.sort),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&*tx)
        .await?;
        for key in &category.articles {
            category_article::ActiveModel {
                category_id: Set(row.id),
                article_key: Set(key.clone()),
                ..Default::default()
            }
            .insert(&*tx)
            .await?;
        }
        mark_seeded(&tx, "category", &category.code, now).await?;
        inserted += 1;
    }

    let existing_days: HashSet<NaiveDate> = holiday::Entity::find()
        .all(&*tx)
        .await?
        .into_iter()
        .map(|day| day.day)
        .collect();
    for day in data.holidays.iter().chain(&in_lieu(data)) {
        let key = day.date.to_string();
        if !is_new("holiday", &key) || existing_days.contains(&day.date) {
            continue;
        }
        holiday::ActiveModel {
            day: Set(day.date),
            name_vi: Set(day.name_vi.clone()),
            name_en: Set(day.name_en.clone()),
            ..Default::default()
        }
        .insert(&*tx)
        .await?;
        mark_seeded(&tx, "holiday", &key, now).await?;
        inserted += 1;
    }

    for team in &data.teams {
        let key = format!("{}:{}", team.unit, team.name);
        if !is_new("team", &key) {
            continue;
        }
        let unit_id = *unit_ids.get(&team.unit).ok_or_else(|| {
            ReferenceError::Inconsistent(format!(
                "team {} names unknown unit {}",
                team.name, team.unit
            ))
        })?;
        inspection_team::ActiveModel {
            name: Set(team.name.clone()),
            org_unit_id: Set(unit_id),
            active: Set(true),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&*tx)
        .await?;
        mark_seeded(&tx, "team", &key, now).await?;
        inserted += 1;
    }

    tx.commit().await?;
    Ok(inserted)
}

/// Inserts the shipped regulation articles not seeded before, each with its links to the
/// culture-code articles it sets out; returns how many were inserted.
async fn load_labour_rules(
    tx: &super::WriteTx,
    data: &ReferenceData,
    is_new: &impl Fn(&str, &str) -> bool,
    now: DateTime<Utc>,
) -> Result<usize, sea_orm::DbErr> {
    let existing: HashSet<String> = labour_rule::Entity::find()
        .all(&**tx)
        .await?
        .into_iter()
        .map(|rule| rule.code)
        .collect();
    let mut inserted = 0;
    for rule in &data.labour_rules {
        if !is_new("labour_rule", &rule.code) || existing.contains(&rule.code) {
            continue;
        }
        let row = labour_rule::ActiveModel {
            code: Set(rule.code.clone()),
            title_vi: Set(rule.title_vi.clone()),
            title_en: Set(rule.title_en.clone()),
            text_vi: Set(rule.text_vi.clone()),
            active: Set(true),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&**tx)
        .await?;
        for key in &rule.articles {
            culture_article_labour_rule::ActiveModel {
                article_key: Set(key.clone()),
                labour_rule_id: Set(row.id),
                ..Default::default()
            }
            .insert(&**tx)
            .await?;
        }
        mark_seeded(tx, "labour_rule", &rule.code, now).await?;
        inserted += 1;
    }
    Ok(inserted)
}

/// Sets each shipped hotline once on its unit (kind `hotline`, keyed by the unit's code), also
/// on databases whose units were seeded before hotlines existed; a unit whose hotline an admin
/// has set keeps it, and one an admin cleared after seeding stays clear.
async fn load_hotlines(
    tx: &super::WriteTx,
    data: &ReferenceData,
    is_new: &impl Fn(&str, &str) -> bool,
    now: DateTime<Utc>,
) -> Result<usize, sea_orm::DbErr> {
    let mut set = 0;
    for seed in &data.units {
        let Some(hotline) = &seed.hotline else {
            continue;
        };
        if !is_new("hotline", &seed.code) {
            continue;
        }
        let unit = org_unit::Entity::find()
            .filter(org_unit::Column::Code.eq(seed.code.as_str()))
            .one(&**tx)
            .await?;
        let Some(unit) = unit else {
            continue;
        };
        if unit.hotline.is_none() {
            let mut active: org_unit::ActiveModel = unit.into();
            active.hotline = Set(Some(hotline.clone()));
            active.update(&**tx).await?;
            set += 1;
        }
        mark_seeded(tx, "hotline", &seed.code, now).await?;
    }
    Ok(set)
}

async fn mark_seeded(
    tx: &super::WriteTx,
    kind: &str,
    key: &str,
    now: DateTime<Utc>,
) -> Result<(), sea_orm::DbErr> {
    reference_seed::ActiveModel {
        kind: Set(kind.to_string()),
        seed_key: Set(key.to_string()),
        seeded_at: Set(now),
        ..Default::default()
    }
    .insert(&**tx)
    .await?;
    Ok(())
}

/// The days in lieu of the years without an official plan, named after the holiday they stand
/// for. Seeded like the listed days: once, and an admin may delete or rename them.
fn in_lieu(data: &ReferenceData) -> Vec<HolidaySeed> {
    let provisional = |d: &NaiveDate| !data.official_plans.contains(&d.year());
    let days: BTreeMap<NaiveDate, &HolidaySeed> = (data.holidays.iter())
        .filter(|h| provisional(&h.date))
        .map(|h| (h.date, h))
        .collect();
    let set = days.keys().copied().collect();
    let sources = days.values().filter(|h| {
        matches!(
            h.date.weekday(),
            chrono::Weekday::Sat | chrono::Weekday::Sun
        )
    });
    calendar::days_in_lieu(&set)
        .into_iter()
        .zip(sources)
        .map(|(date, source)| HolidaySeed {
            date,
            name_vi: format!("Nghỉ bù {}", source.name_vi),
            name_en: format!("Day in lieu: {}", source.name_en),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_reference_data_is_consistent() {
        let data = parse(REFERENCE_TOML).unwrap();
        let mut codes = HashSet::new();
        for unit in &data.units {
            assert!(
                unit.parent.is_empty() || codes.contains(&unit.parent),
                "{}",
                unit.code
            );
            assert!(codes.insert(unit.code.clone()), "duplicate {}", unit.code);
            assert!(["group", "corporation", "company", "district", "office"]
                .contains(&unit.kind.as_str()));
        }
        let corporations: Vec<_> = data
            .units
            .iter()
            .filter(|u| u.kind == "corporation")
            .collect();
        assert_eq!(corporations.len(), 5);
        for corporation in &corporations {
            let hotline = corporation.hotline.as_deref();
            assert!(
                crate::domain::phone::Hotline::from_stored(hotline).is_some(),
                "{} ships a valid hotline",
                corporation.code
            );
        }
        assert!(data
            .units
            .iter()
            .all(|u| u.hotline.is_none() || u.kind == "corporation"));
        for corporation in corporations {
            let companies: Vec<_> = data
                .units
                .iter()
                .filter(|u| u.parent == corporation.code && u.kind == "company")
                .collect();
            assert!(companies.len() >= 3, "{}", corporation.code);
            for company in companies {
                let children = data
                    .units
                    .iter()
                    .filter(|u| u.parent == company.code)
                    .count();
                assert!(children >= 2, "{}", company.code);
            }
        }
        let article_keys: HashSet<_> = data.articles.iter().map(|a| a.key.clone()).collect();
        assert_eq!(data.categories.len(), 11);
        for category in &data.categories {
            assert!(["minor", "normal", "severe"].contains(&category.severity.as_str()));
            assert!(!category.articles.is_empty());
            assert!(category
                .articles
                .iter()
                .all(|key| article_keys.contains(key)));
        }
        for year in 2025..=2027 {
            assert!(data
                .holidays
                .iter()
                .any(|h| h.date.to_string().starts_with(&year.to_string())));
        }
    }

    /// Labour Code 2019 Art. 127(3): a violation of a shipped culture-code article can be
    /// disciplined only when a regulation article sets it out, so every one is.
    #[test]
    fn every_shipped_article_is_set_out_by_a_shipped_labour_rule() {
        let data = parse(REFERENCE_TOML).unwrap();
        let article_keys: HashSet<_> = data.articles.iter().map(|a| a.key.as_str()).collect();
        let mut codes = HashSet::new();
        let mut set_out = HashSet::new();
        for rule in &data.labour_rules {
            assert!(codes.insert(rule.code.as_str()), "duplicate {}", rule.code);
            for key in &rule.articles {
                assert!(article_keys.contains(key.as_str()), "{}: {key}", rule.code);
                set_out.insert(key.as_str());
            }
        }
        assert!(data.labour_rules.len() >= 8);
        let missing: Vec<_> = article_keys.difference(&set_out).collect();
        assert!(missing.is_empty(), "set out by no labour rule: {missing:?}");
    }
}

//! The names the dashboard shows beside the figures: violation categories in form order and
//! the culture-code articles each category cites (current version titles). Read once per
//! dashboard request by `analytics::view`.

use std::collections::{BTreeMap, HashMap};

use sea_orm::{ConnectionTrait, DbErr, EntityTrait};

use crate::platform::persistence::entities::{
    category_article, culture_article, intake_channel, violation_category,
};
use crate::web::i18n::Lang;

/// Category names and the culture-code articles each cites (current version titles).
#[derive(Debug, Default)]
pub struct Reference {
    /// (id, name), in the order the report form shows them.
    pub categories: Vec<(i32, String)>,
    /// (article key, label, categories citing it), by article number.
    pub articles: Vec<(String, String, Vec<i32>)>,
    /// Intake channels (code, name, active), in their sort order.
    pub channels: Vec<(String, String, bool)>,
}

impl Reference {
    pub async fn load<C: ConnectionTrait>(conn: &C, lang: Lang) -> Result<Self, DbErr> {
        let mut categories = violation_category::Entity::find().all(conn).await?;
        categories.sort_by_key(|c| (c.sort_order, c.id));
        let links = category_article::Entity::find().all(conn).await?;
        let latest = latest_articles(conn).await?;
        let mut by_article: BTreeMap<String, Vec<i32>> = BTreeMap::new();
        for link in links {
            by_article
                .entry(link.article_key)
                .or_default()
                .push(link.category_id);
        }
        let mut articles: Vec<(i32, String, String, Vec<i32>)> = by_article
            .into_iter()
            .map(|(key, cats)| {
                let (number, label) = article_label(lang, latest.get(&key), &key);
                (number, key, label, cats)
            })
            .collect();
        articles.sort();
        let mut channels = intake_channel::Entity::find().all(conn).await?;
        channels.sort_by_key(|c| (c.sort_order, c.id));
        Ok(Self {
            channels: channels
                .into_iter()
                .map(|c| (c.code, lang.pick(&c.name_vi, &c.name_en), c.active))
                .collect(),
            categories: categories
                .into_iter()
                .map(|c| (c.id, lang.pick(&c.name_vi, &c.name_en)))
                .collect(),
            articles: articles
                .into_iter()
                .map(|(_, key, label, cats)| (key, label, cats))
                .collect(),
        })
    }

    pub fn category_name(&self, id: i32) -> Option<&str> {
        self.categories
            .iter()
            .find(|(c, _)| *c == id)
            .map(|(_, n)| n.as_str())
    }
}

/// Reads `id` into a category filter only when such a category exists.
pub fn known_category(reference: &Reference, id: Option<i32>) -> Option<i32> {
    id.filter(|id| reference.category_name(*id).is_some())
}

/// The current version of every culture-code article, by key.
async fn latest_articles<C: ConnectionTrait>(
    conn: &C,
) -> Result<HashMap<String, culture_article::Model>, DbErr> {
    let mut latest: HashMap<String, culture_article::Model> = HashMap::new();
    for v in culture_article::Entity::find().all(conn).await? {
        if latest
            .get(&v.article_key)
            .is_none_or(|known| v.version > known.version)
        {
            latest.insert(v.article_key.clone(), v);
        }
    }
    Ok(latest)
}

/// An article's sort number and label; an article without a version sorts last by its key.
fn article_label(lang: Lang, article: Option<&culture_article::Model>, key: &str) -> (i32, String) {
    match article {
        Some(a) => (
            a.number,
            lang.t_args(
                "analytics-article-label",
                &[
                    ("number", a.number.to_string()),
                    ("title", lang.pick(&a.title_vi, &a.title_en)),
                ],
            ),
        ),
        None => (i32::MAX, key.to_string()),
    }
}

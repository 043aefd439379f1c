//! The context every page template receives: language, CSRF token, the path for the language
//! switch, the request id, a one-shot flash message and the corporations' hotlines (footer).

use rocket::http::Status;
use rocket::request::{FlashMessage, FromRequest, Outcome, Request};
use rocket_dyn_templates::Template;
use serde::Serialize;
use serde_json::{json, Value};

use super::csrf::CsrfToken;
use super::headers::{request_id, RequestId};
use super::i18n::Lang;

/// Everything a page needs besides its own data.
pub struct PageCtx {
    pub lang: Lang,
    pub csrf: String,
    pub path: String,
    pub request_id: RequestId,
    pub flash: Option<(String, String)>,
    /// The corporations' hotlines, shown in the footer of every page.
    pub hotlines: Vec<super::hotlines::HotlineView>,
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for PageCtx {
    type Error = std::convert::Infallible;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        Outcome::Success(PageCtx::of(req).await)
    }
}

impl PageCtx {
    pub async fn of(req: &Request<'_>) -> Self {
        let lang = match req.guard::<Lang>().await {
            Outcome::Success(lang) => lang,
            _ => Lang::Vi,
        };
        let csrf = match req.guard::<CsrfToken>().await {
            Outcome::Success(token) => token.0,
            _ => String::new(),
        };
        let flash = match req.guard::<Option<FlashMessage<'_>>>().await {
            Outcome::Success(Some(flash)) => {
                Some((flash.kind().to_string(), flash.message().to_string()))
            }
            _ => None,
        };
        Self {
            lang,
            csrf,
            path: super::i18n::switch_target(req),
            request_id: request_id(req),
            flash,
            hotlines: footer_hotlines(req, lang).await,
        }
    }

    /// Renders `name` with `view` (a `…View` struct, serialized as an object) plus the common
    /// fields every page reads.
    pub fn render(&self, name: &'static str, view: impl Serialize) -> Template {
        let mut context = match serde_json::to_value(view) {
            Ok(Value::Object(map)) => map,
            Ok(_) => serde_json::Map::new(),
            Err(error) => {
                // A view is plain data; failing to serialize it is a programming error.
                tracing::error!(template = name, %error, "page view did not serialize");
                serde_json::Map::new()
            }
        };
        // A flash carries a catalogue key, never user text.
        let flash = self
            .flash
            .as_ref()
            .map(|(kind, key)| json!({"kind": kind, "text": self.lang.t(key)}));
        context.insert("lang".into(), json!(self.lang.code()));
        context.insert("other_lang".into(), json!(self.lang.other().code()));
        context.insert("csrf_token".into(), json!(self.csrf));
        context.insert("current_path".into(), json!(self.path));
        context.insert("request_id".into(), json!(self.request_id.0));
        context.insert("flash".into(), json!(flash));
        context.insert("footer_hotlines".into(), json!(self.hotlines));
        Template::render(name, Value::Object(context))
    }

    /// Renders with a status other than 200.
    pub fn render_status(
        &self,
        status: Status,
        name: &'static str,
        view: impl Serialize,
    ) -> (Status, Template) {
        (status, self.render(name, view))
    }
}

/// The footer's hotlines, from the reference data in memory.
async fn footer_hotlines(req: &Request<'_>, lang: Lang) -> Vec<super::hotlines::HotlineView> {
    match req.rocket().state::<super::state::AppState>() {
        Some(state) => super::hotlines::of_corporations(state, lang).await,
        None => Vec::new(),
    }
}

/// The failure side of a form handler: the form again with its own status (errors to correct)
/// or an error page.
#[derive(rocket::Responder)]
#[expect(
    clippy::large_enum_variant,
    reason = "one value per request; Rocket has no Responder for a boxed tuple"
)]
pub enum AppResultPage {
    Page((Status, Template)),
    Error(crate::web::error::AppError),
}

//! The context every page template receives: language, CSRF token, the path for the language
//! switch, the request id, a one-shot flash message and the corporations' hotlines (footer).

use rocket::http::Status;
use rocket::request::{FlashMessage, FromRequest, Outcome, Request};
use rocket_dyn_templates::Template;
use serde::Serialize;

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
    /// fields every page reads. The context is serialized once, straight into the template's
    /// (no intermediate JSON tree: see docs/performance.md).
    pub fn render(&self, name: &'static str, view: impl Serialize) -> Template {
        Template::render(
            name,
            Common {
                view,
                lang: self.lang.code(),
                other_lang: self.lang.other().code(),
                csrf_token: &self.csrf,
                current_path: &self.path,
                request_id: &self.request_id.0,
                // A flash carries a catalogue key, never user text.
                flash: self.flash.as_ref().map(|(kind, key)| Flash {
                    kind,
                    text: self.lang.t(key),
                }),
                footer_hotlines: &self.hotlines,
            },
        )
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

/// A page's own view with the fields every page reads; later fields win over the view's.
#[derive(Serialize)]
struct Common<'a, V: Serialize> {
    #[serde(flatten)]
    view: V,
    lang: &'static str,
    other_lang: &'static str,
    csrf_token: &'a str,
    current_path: &'a str,
    request_id: &'a str,
    flash: Option<Flash<'a>>,
    footer_hotlines: &'a [super::hotlines::HotlineView],
}

#[derive(Serialize)]
struct Flash<'a> {
    kind: &'a str,
    text: String,
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

//! `GET /healthz`: 200 `{"status":"ok"}` when the database answers, 503 otherwise.

use rocket::http::Status;
use rocket::serde::json::Json;
use rocket::{get, routes, Route, State};
use serde_json::{json, Value};

use crate::web::state::AppState;

pub fn routes() -> Vec<Route> {
    routes![healthz]
}

#[get("/healthz")]
async fn healthz(state: &State<AppState>) -> (Status, Json<Value>) {
    if state.db.ping().await {
        (Status::Ok, Json(json!({"status": "ok"})))
    } else {
        (
            Status::ServiceUnavailable,
            Json(json!({"status": "unavailable"})),
        )
    }
}

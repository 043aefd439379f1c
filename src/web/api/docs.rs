//! The OpenAPI 3.1 document of `/api/v1` and its reference page. The document is put together
//! once at launch (`app` merges every slice's part into [`base`]) and kept in managed state;
//! `/api/v1/openapi.json` serves it and `/api/v1/docs` renders it server-side with Tera,
//! loading nothing from another origin.

use rocket::http::ContentType;
use rocket::{get, routes, Route, State};
use rocket_dyn_templates::Template;
use serde::Serialize;
use serde_json::Value;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::OpenApi as Document;
use utoipa::{Modify, OpenApi};

use super::problem::{FieldProblem, Problem};
use crate::web::page::PageCtx;

/// Names of the two security schemes the slices' operations refer to.
pub const INTEGRATION: &str = "integration";
pub const REPORTER: &str = "reporter";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "EVN conduct portal API",
        version = "1.0.0",
        description = "Reports in, status and figures out: the same rules, limits and anonymity \
                       as the portal's pages. Errors are RFC 9457 problem details in the \
                       language of `Accept-Language` (Vietnamese by default)."
    ),
    components(schemas(Problem, FieldProblem)),
    modifiers(&SecuritySchemes),
    tags(
        (name = "public", description = "No account: reference lists and report submission"),
        (name = "follow-up", description = "A reporter holding a receipt code"),
        (name = "cases", description = "Integration tokens with `cases:read` (and `cases:text`, \
                                         once a custodian approved it)"),
        (name = "intake", description = "Integration tokens with `intake:write`: reports \
                                          entered on a caller's behalf, as an operator does"),
        (name = "analytics", description = "Figures, with the pages' small-count suppression")
    )
)]
struct Base;

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut Document) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let mut integration = Http::new(HttpAuthScheme::Bearer);
        integration.description = Some(
            "A token an admin issued to a named integration (`/admin/api-tokens`), with scopes."
                .into(),
        );
        let mut reporter = Http::new(HttpAuthScheme::Bearer);
        reporter.description = Some(
            "A short-lived token from `POST /api/v1/follow-up/session` (the receipt code).".into(),
        );
        components.add_security_scheme(INTEGRATION, SecurityScheme::Http(integration));
        components.add_security_scheme(REPORTER, SecurityScheme::Http(reporter));
    }
}

/// The base document the slices' parts are merged into.
pub fn base() -> Document {
    Base::openapi()
}

/// The assembled document, serialized once (managed state).
pub struct ApiDocument {
    json: String,
    value: Value,
}

impl ApiDocument {
    /// Merges `parts` into the base document.
    pub fn assemble(parts: Vec<Document>) -> Self {
        let mut document = base();
        for part in parts {
            document.merge(part);
        }
        let mut value = serde_json::to_value(&document).unwrap_or(Value::Null);
        add_problem_responses(&mut value);
        let json = serde_json::to_string_pretty(&value).unwrap_or_default();
        Self { json, value }
    }

    pub fn json(&self) -> &str {
        &self.json
    }
}

/// Adds the problem responses every operation can give, derived from what it declares: 400
/// and 429 (with `Retry-After`) always; 401 with a security requirement, 403 with an
/// integration token's; 415 and 422 with a request body; 404 and 422 with a path parameter;
/// 422 with a query parameter.
fn add_problem_responses(document: &mut Value) {
    let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for operation in paths
        .values_mut()
        .filter_map(Value::as_object_mut)
        .flat_map(|item| item.values_mut())
        .filter_map(Value::as_object_mut)
    {
        let mut statuses = vec!["400", "429"];
        let security = operation
            .get("security")
            .map(Value::to_string)
            .unwrap_or_default();
        if security.contains(REPORTER) || security.contains(INTEGRATION) {
            statuses.push("401");
        }
        if security.contains(INTEGRATION) {
            statuses.push("403");
        }
        if operation.contains_key("requestBody") {
            statuses.extend(["415", "422"]);
        }
        let places = operation
            .get("parameters")
            .map(Value::to_string)
            .unwrap_or_default();
        if places.contains("\"in\":\"path\"") {
            // A typed id that does not parse (not a positive 32-bit number) is refused.
            statuses.extend(["404", "422"]);
        }
        if places.contains("\"in\":\"query\"") {
            statuses.push("422");
        }
        let Some(responses) = operation
            .entry("responses")
            .or_insert_with(|| Value::Object(Default::default()))
            .as_object_mut()
        else {
            continue;
        };
        for status in statuses {
            responses
                .entry(status)
                .or_insert_with(|| problem_response(status));
        }
    }
}

fn problem_response(status: &str) -> Value {
    let description = match status {
        "400" => "Malformed body or header",
        "401" => "No valid bearer token",
        "403" => "The token lacks the scope",
        "404" => "No such resource, or not yours to see",
        "415" => "Not `application/json`",
        "422" => "Refused values (see `errors`)",
        "429" => "Too many requests; retry after `Retry-After` seconds",
        _ => "Problem",
    };
    let mut response = serde_json::json!({
        "description": description,
        "content": {"application/problem+json": {
            "schema": {"$ref": "#/components/schemas/Problem"}
        }}
    });
    if status == "429" {
        response["headers"] = serde_json::json!({"Retry-After": {
            "description": "Seconds to wait",
            "schema": {"type": "integer", "minimum": 1}
        }});
    }
    response
}

#[get("/api/v1/openapi.json")]
fn openapi_json(document: &State<ApiDocument>) -> (ContentType, String) {
    (ContentType::JSON, document.json.clone())
}

#[get("/api/v1/docs")]
fn show_api_docs(page: PageCtx, document: &State<ApiDocument>) -> Template {
    page.render("api/docs", DocsView::of(&document.value))
}

pub fn routes() -> Vec<Route> {
    routes![openapi_json, show_api_docs]
}

/// The reference page: every operation and every schema of the document.
#[derive(Serialize)]
struct DocsView {
    title: String,
    version: String,
    description: String,
    operations: Vec<OperationView>,
    schemas: Vec<SchemaView>,
}

#[derive(Serialize)]
struct OperationView {
    anchor: String,
    method: String,
    path: String,
    summary: String,
    description: String,
    tag: String,
    security: Vec<String>,
    parameters: Vec<FieldView>,
    request: Vec<String>,
    responses: Vec<ResponseView>,
}

#[derive(Serialize)]
struct ResponseView {
    status: String,
    description: String,
    body: Vec<String>,
}

#[derive(Serialize)]
struct SchemaView {
    name: String,
    description: String,
    fields: Vec<FieldView>,
}

#[derive(Serialize)]
struct FieldView {
    name: String,
    place: String,
    kind: String,
    required: bool,
    description: String,
}

fn text(value: &Value, key: &str) -> String {
    value
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// A schema as a short type expression: `UnitItem`, `array of CaseItem`, `string (date)`.
fn kind_of(schema: &Value) -> String {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        return reference
            .rsplit('/')
            .next()
            .unwrap_or(reference)
            .to_string();
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        if let Some(options) = schema.get(key).and_then(Value::as_array) {
            let kinds: Vec<String> = options.iter().map(kind_of).collect();
            return kinds.join(" | ");
        }
    }
    let base = match schema.get("type") {
        Some(Value::Array(types)) => types
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(" | "),
        Some(Value::String(kind)) if kind == "array" => {
            let items = schema.get("items").map(kind_of).unwrap_or_default();
            format!("array of {items}")
        }
        Some(Value::String(kind)) => kind.clone(),
        _ => "any".into(),
    };
    match (
        schema.get("format").and_then(Value::as_str),
        schema.get("enum"),
    ) {
        (_, Some(Value::Array(values))) => format!(
            "{base}: {}",
            values
                .iter()
                .map(Value::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        (Some(format), _) => format!("{base} ({format})"),
        _ => base,
    }
}

fn bodies(content: Option<&Value>) -> Vec<String> {
    content
        .and_then(Value::as_object)
        .map(|types| {
            types
                .iter()
                .map(|(media, body)| match body.get("schema") {
                    Some(schema) => format!("{media}: {}", kind_of(schema)),
                    None => media.clone(),
                })
                .collect()
        })
        .unwrap_or_default()
}

impl DocsView {
    fn of(document: &Value) -> Self {
        let info = document.get("info").cloned().unwrap_or(Value::Null);
        let mut operations = Vec::new();
        let paths = document.get("paths").and_then(Value::as_object);
        for (path, item) in paths.into_iter().flatten() {
            let Some(methods) = item.as_object() else {
                continue;
            };
            for (method, operation) in methods {
                operations.push(OperationView::of(path, method, operation));
            }
        }
        let schemas = document
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .map(|all| all.iter().map(|(n, s)| SchemaView::of(n, s)).collect())
            .unwrap_or_default();
        Self {
            title: text(&info, "title"),
            version: text(&info, "version"),
            description: text(&info, "description"),
            operations,
            schemas,
        }
    }
}

impl OperationView {
    fn of(path: &str, method: &str, operation: &Value) -> Self {
        let parameters = operation
            .get("parameters")
            .and_then(Value::as_array)
            .map(|all| all.iter().map(FieldView::parameter).collect())
            .unwrap_or_default();
        let security = operation
            .get("security")
            .and_then(Value::as_array)
            .map(|all| {
                all.iter()
                    .filter_map(Value::as_object)
                    .flat_map(|requirement| {
                        requirement.iter().map(|(scheme, scopes)| {
                            let scopes = scopes.as_array().cloned().unwrap_or_default();
                            let scopes: Vec<&str> =
                                scopes.iter().filter_map(Value::as_str).collect();
                            match scopes.is_empty() {
                                true => scheme.clone(),
                                false => format!("{scheme} ({})", scopes.join(", ")),
                            }
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        let responses = operation
            .get("responses")
            .and_then(Value::as_object)
            .map(|all| {
                all.iter()
                    .map(|(status, response)| ResponseView {
                        status: status.clone(),
                        description: text(response, "description"),
                        body: bodies(response.get("content")),
                    })
                    .collect()
            })
            .unwrap_or_default();
        Self {
            anchor: text(operation, "operationId"),
            method: method.to_uppercase(),
            path: path.to_string(),
            summary: text(operation, "summary"),
            description: text(operation, "description"),
            tag: operation
                .pointer("/tags/0")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            security,
            parameters,
            request: bodies(operation.pointer("/requestBody/content")),
            responses,
        }
    }
}

impl FieldView {
    fn parameter(parameter: &Value) -> Self {
        Self {
            name: text(parameter, "name"),
            place: text(parameter, "in"),
            kind: parameter.get("schema").map(kind_of).unwrap_or_default(),
            required: parameter
                .get("required")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            description: text(parameter, "description"),
        }
    }
}

impl SchemaView {
    fn of(name: &str, schema: &Value) -> Self {
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|all| all.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let fields: Vec<FieldView> = schema
            .get("properties")
            .and_then(Value::as_object)
            .map(|all| {
                all.iter()
                    .map(|(field, property)| FieldView {
                        name: field.clone(),
                        place: String::new(),
                        kind: kind_of(property),
                        required: required.contains(&field.as_str()),
                        description: text(property, "description"),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let description = match text(schema, "description") {
            empty if empty.is_empty() && fields.is_empty() => kind_of(schema),
            description => description,
        };
        Self {
            name: name.to_string(),
            description,
            fields,
        }
    }
}

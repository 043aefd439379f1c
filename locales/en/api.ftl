# The JSON API /api/v1: problem titles and details (RFC 9457), the API reference page, the admin pages of API tokens.

api-title-400 = Bad request
api-title-401 = Not authenticated
api-title-403 = Not allowed
api-title-404 = Not found
api-title-405 = Method not allowed
api-title-406 = Not acceptable
api-title-413 = Content too large
api-title-415 = Unsupported media type
api-title-422 = Content refused
api-title-429 = Too many requests
api-title-500 = Server error
api-detail-400 = The request body or one of its headers is malformed.
api-detail-401 = A valid, unexpired and unrevoked bearer token is needed in the Authorization header.
api-detail-403 = This token does not have the scope this operation needs.
api-detail-404 = There is no such resource, or you may not see it.
api-detail-415 = The body must be application/json (files: multipart/form-data).
api-detail-422 = The request body does not match this operation's schema.
api-detail-500 = Something went wrong. Please quote the request id when you get in touch.
api-detail-invalid = Some fields need correcting.
api-detail-key-reused = This Idempotency-Key was already used for a report with other content.
api-detail-retry = Please try again in { $seconds } seconds.

api-docs-title = API reference
api-docs-intro = The portal's versioned JSON API, described by OpenAPI 3.1. The machine-readable document:
api-docs-operations = Operations
api-docs-schemas = Schemas
api-docs-parameters = Parameters
api-docs-request = Request body
api-docs-responses = Responses
api-docs-security = Authentication
api-docs-none = none
api-docs-required = required
api-docs-optional = optional
api-docs-problems = Errors are RFC 9457 problem details (application/problem+json), with title and detail in the language of Accept-Language (Vietnamese by default).
api-docs-problem-invalid = problem-invalid-fields: some fields were refused; the errors list names each field, its code and its message.
api-docs-problem-key = problem-idempotency-key-reused: the Idempotency-Key was already used with other content.

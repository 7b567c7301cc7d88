//! Every error leaves as RFC 9457 `application/problem+json` with a stable `code`. Internal
//! details are logged, never returned.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use bosun_app::Error;

/// One rule a submitted field broke.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FieldError {
    /// The field, dotted for nesting.
    pub field: String,
    /// A stable code (`too_long`, `bad_check_digit`, ...).
    pub code: String,
    /// For people.
    pub message: String,
}

/// An RFC 9457 problem document.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the problem type (`/problems/{code}`).
    #[serde(rename = "type")]
    pub kind: String,
    /// A short summary.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// This occurrence, for people.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// A stable machine-readable code.
    pub code: String,
    /// Per-field violations (validation errors).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// Companies to choose from (`company_required`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub companies: Option<Vec<String>>,
}

/// Every problem `code` Bosun answers, with its HTTP status and what it means: the catalogue
/// the OpenAPI document lists as the values of `Problem.code`, so a client can switch on them.
/// In debug builds (the tests) an answer with a code missing here, or under another status,
/// panics, so the catalogue cannot fall behind the code.
pub const CODES: &[(&str, u16, &str)] = &[
    ("bad_request", 400, "The body or another part of the request could not be read."),
    ("invalid_path", 400, "A path parameter is malformed (an id that is not a UUID, ...)."),
    ("invalid_query", 400, "A query parameter is malformed."),
    ("malformed_json", 400, "The body is not valid JSON."),
    ("invalid_credentials", 401, "The email or password is wrong (the same answer for an unknown email)."),
    ("invalid_mfa_code", 401, "The second-factor or recovery code is wrong."),
    ("invalid_session", 401, "The session has ended (signed out, expired or replaced)."),
    ("invalid_token", 401, "No valid access token or API key (missing, expired or revoked)."),
    ("mfa_required", 401, "The password was right; now send the code from the authenticator app."),
    ("cross_site_request", 403, "A cookie-authenticated request without the header that proves it is not cross-site."),
    ("forbidden", 403, "The caller's role does not allow this."),
    ("mfa_enrollment_required", 403, "The company requires a second factor of this role: set one up first."),
    ("not_found", 404, "No such record, or one the caller may not know exists."),
    ("method_not_allowed", 405, "The path exists but not with this method."),
    ("request_timeout", 408, "The request took longer than the server allows."),
    ("already_acknowledged", 409, "The handover was already acknowledged."),
    ("already_decommissioned", 409, "The item was already decommissioned."),
    ("already_member", 409, "The person already belongs to the company."),
    ("already_received", 409, "The transfer was received already."),
    ("already_revoked", 409, "The API key was already revoked."),
    ("client_mismatch", 409, "The sync client id belongs to another person or API key: make a new one."),
    (
        "client_outdated",
        409,
        "The client's schema is older than the server serves: update the app (its queued changes are still taken).",
    ),
    ("company_required", 409, "The person belongs to several companies: name one (`companies` lists them)."),
    ("conflict", 409, "The request conflicts with stored data."),
    ("conflict_resolved", 409, "The sync conflict is resolved already."),
    ("decommissioned", 409, "The item is decommissioned and takes no new records."),
    ("department_exists", 409, "The vessel already has a department of that name."),
    ("double_booked", 409, "The item is already assigned for part of that period."),
    ("email_taken", 409, "Another person of the company has that email."),
    ("equipment_decommissioned", 409, "The fault's item is decommissioned."),
    ("fault_not_acknowledged", 409, "The fault must be acknowledged before this move."),
    ("fault_resolved", 409, "The fault is resolved and takes no more orders or changes."),
    ("file_pending", 409, "The attachment's full file has not arrived yet; its thumbnail is served meanwhile."),
    ("id_taken", 409, "The client-made id belongs to a different record."),
    ("imo_taken", 409, "Another vessel of the company has that IMO number."),
    ("insufficient_stock", 409, "Less is on hand at the location than the movement takes away."),
    ("invalid_transition", 409, "The record's lifecycle does not allow this move from its status."),
    ("invitation_invalid", 409, "The invitation link is used, withdrawn or expired."),
    ("location_name_taken", 409, "The vessel already has a stock location of that name."),
    ("last_owner", 409, "The company's last owner cannot be removed or demoted."),
    ("meter_linked", 409, "The item counts its parent's running hours: record the parent's meter, or unlink it."),
    ("mfa_already_enabled", 409, "A second factor is already set up."),
    ("mfa_not_enabled", 409, "No second factor is set up."),
    ("mfa_not_enrolling", 409, "No second-factor setup is under way to confirm."),
    ("mfa_required_by_company", 409, "The company requires a second factor of this role: it cannot be turned off."),
    ("no_parent", 409, "The item sits under no other item."),
    ("not_approved", 409, "Only an approved requisition goes on a purchase order."),
    (
        "not_assigned",
        409,
        "Not assigned to the caller: crew work on orders assigned to them or their department, operators report on \
         items assigned to them.",
    ),
    ("not_receivable", 409, "Nothing is received on a purchase order in draft, received in full or cancelled."),
    ("not_on_vessel", 409, "Only a person on the vessel's rotation may do this."),
    ("not_the_operator", 409, "Only the assignment's or report's operator may do this."),
    (
        "not_resolvable",
        409,
        "The losing value of this sync conflict cannot be written back; change the record by hand.",
    ),
    ("occurrence_passed", 409, "The plan's occurrence named is not the one now due; look at the plan again."),
    (
        "over_receipt",
        409,
        "More received than the transfer still has in transit, or than a purchase-order line has outstanding.",
    ),
    ("own_handover", 409, "A person cannot acknowledge their own handover."),
    ("own_report", 409, "Someone other than the operator validates or returns a daily report."),
    ("own_work", 409, "The person who completed a work order cannot verify it."),
    ("parent_has_no_meter", 409, "The parent has no running hours to count: record its meter first."),
    (
        "part_number_taken",
        409,
        "Another part of the catalogue has that number (compared ignoring case, spaces, -, . and /).",
    ),
    ("qr_code_taken", 409, "A new QR code clashed with one in use; send the request again."),
    ("report_changed", 409, "The operator sent a newer revision of the report; read it first."),
    ("report_exists", 409, "The operator already has a report of that item and day; correct that one."),
    ("report_validated", 409, "The daily report was validated and no longer changes."),
    ("reset_invalid", 409, "The password-reset link is used or expired."),
    ("same_location", 409, "A transfer goes to another location than the one it leaves."),
    ("self_approval", 409, "A requisition is approved or rejected by someone other than its requester."),
    ("shared_login", 409, "The login belongs to other companies too: only its owner changes it."),
    ("signature_required", 409, "The work order must be signed to be completed."),
    ("slug_taken", 409, "Another company has that slug."),
    ("supplier_name_taken", 409, "Another supplier of the company has that name (ignoring case and spacing)."),
    ("steps_incomplete", 409, "Required steps of the work order have no answer yet."),
    ("upload_offset_mismatch", 409, "The upload holds another number of bytes: GET it and send from its offset."),
    ("upload_size_mismatch", 409, "A file with this hash was announced with another size, or a chunk ends past it."),
    ("version_conflict", 409, "The record changed since the caller read it (`version`)."),
    ("work_order_closed", 409, "A done, verified or cancelled work order is not edited."),
    ("work_order_not_workable", 409, "Work is recorded only on a work order in progress or on hold."),
    ("body_too_large", 413, "The body is larger than the server takes."),
    ("chunk_too_large", 413, "An upload chunk is larger than 256 KiB."),
    ("file_too_large", 413, "The file is larger than attachments may be."),
    ("unsupported_file_type", 415, "The file's content is not a type Bosun takes."),
    ("unsupported_encoding", 415, "The body's content encoding is not one this operation takes (zstd or none)."),
    ("unsupported_media_type", 415, "The body's content type is not one this operation takes."),
    ("websocket_required", 426, "Connect with a WebSocket."),
    ("validation_failed", 422, "Submitted values break rules; `errors` names each field and its rule."),
    ("rate_limited", 429, "The plan's requests a minute are used up; `Retry-After` says when to come back."),
    ("too_many_attempts", 429, "Too many failed attempts; `Retry-After` says when to try again."),
    ("too_many_connections", 429, "The person or company holds as many live connections as allowed."),
    ("internal", 500, "Something went wrong on the server's side (logged, never detailed)."),
    ("unavailable", 503, "The database cannot be reached for now; try again later."),
];

/// An error answer.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    problem: Box<Problem>,
    retry_after: Option<i64>,
}

impl ApiError {
    /// A problem with `status`, `code` and `title`.
    pub fn new(status: StatusCode, code: &str, title: impl Into<String>) -> Self {
        debug_assert!(
            CODES.iter().any(|(c, s, _)| *c == code && *s == status.as_u16()),
            "problem code {code:?} with status {status} is not in error::CODES"
        );
        Self {
            status,
            problem: Box::new(Problem {
                kind: format!("/problems/{code}"),
                title: title.into(),
                status: status.as_u16(),
                detail: None,
                code: code.to_owned(),
                errors: Vec::new(),
                companies: None,
            }),
            retry_after: None,
        }
    }

    /// The problem document.
    pub(crate) fn problem(&self) -> &Problem {
        &self.problem
    }

    /// Seconds to wait before asking again, for a 429 or 503.
    pub(crate) fn retry_after(&self) -> Option<i64> {
        self.retry_after
    }

    /// With a sentence about this occurrence.
    pub fn detail(mut self, d: impl Into<String>) -> Self {
        self.problem.detail = Some(d.into());
        self
    }

    /// Not found, or not visible to the caller.
    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", "Not found")
    }

    /// A body or query value that breaks a rule.
    pub fn invalid(field: &str, code: &str, message: &str) -> Self {
        let mut e = Self::new(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", "The request has invalid fields");
        e.problem.errors.push(FieldError { field: field.into(), code: code.into(), message: message.into() });
        e
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        match e {
            Error::NotFound => Self::not_found(),
            Error::Conflict { code, message } => Self::new(StatusCode::CONFLICT, code, "Conflict").detail(message),
            Error::Invalid(violations) => {
                let mut a =
                    Self::new(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", "The request has invalid fields");
                a.problem.errors = violations
                    .into_iter()
                    .map(|v| FieldError { field: v.field, code: v.code.into(), message: v.message })
                    .collect();
                a
            }
            Error::Forbidden | Error::Refused(_) => {
                Self::new(StatusCode::FORBIDDEN, "forbidden", "Your role does not allow this")
            }
            Error::MfaEnrollmentRequired => Self::new(
                StatusCode::FORBIDDEN,
                "mfa_enrollment_required",
                "Set up a second factor first: your company requires one of owners and admins",
            ),
            Error::Unauthorized { code, message } => Self::new(StatusCode::UNAUTHORIZED, code, message),
            Error::TooManyAttempts { retry_after } => {
                let mut a = Self::new(StatusCode::TOO_MANY_REQUESTS, "too_many_attempts", "Too many failed attempts")
                    .detail(format!("try again in {retry_after} s"));
                a.retry_after = Some(retry_after);
                a
            }
            Error::RateLimited { retry_after } => {
                let mut a = Self::new(StatusCode::TOO_MANY_REQUESTS, "rate_limited", "Too many requests")
                    .detail(format!("the plan's requests a minute are used up; try again in {retry_after} s"));
                a.retry_after = Some(retry_after);
                a
            }
            Error::CompanyRequired { companies } => {
                let mut a = Self::new(StatusCode::CONFLICT, "company_required", "Choose a company")
                    .detail("you belong to several companies; name one in `company`");
                a.problem.companies = Some(companies);
                a
            }
            Error::TooLarge { code, limit } => Self::new(StatusCode::PAYLOAD_TOO_LARGE, code, "The file is too large")
                .detail(format!("files may have at most {limit} bytes")),
            Error::TooMany { code, message } => {
                Self::new(StatusCode::TOO_MANY_REQUESTS, code, "Too many at once").detail(message)
            }
            Error::BodyUnreadable(m) => {
                tracing::info!(error = %m, "request body unreadable");
                Self::new(StatusCode::BAD_REQUEST, "bad_request", "The body could not be read")
            }
            Error::UnsupportedType { code, message } => {
                Self::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, code, "This type of file is not accepted").detail(message)
            }
            Error::Unavailable(m) => {
                tracing::error!(error = %m, "database unavailable");
                Self::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    "The service is unavailable; try again shortly",
                )
            }
            Error::Internal(m) => {
                tracing::error!(error = %m, "internal error");
                Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "Something went wrong on our side")
            }
        }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> Self {
        match r {
            JsonRejection::JsonDataError(e) => {
                let v = json_data_violation(&e.body_text());
                Self::invalid(&v.field, &v.code, &v.message)
            }
            JsonRejection::JsonSyntaxError(e) => {
                Self::new(StatusCode::BAD_REQUEST, "malformed_json", "The body is not valid JSON").detail(e.body_text())
            }
            JsonRejection::MissingJsonContentType(_) => Self::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "Send the body as application/json",
            ),
            JsonRejection::BytesRejection(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                Self::new(StatusCode::PAYLOAD_TOO_LARGE, "body_too_large", "The body is too large")
            }
            other => Self::new(StatusCode::BAD_REQUEST, "bad_request", "The body could not be read")
                .detail(other.body_text()),
        }
    }
}

/// Reads axum's text for a body that is JSON but not the expected shape — serde's
/// `path: message at line L column C` after a fixed prefix — into the field it names.
fn json_data_violation(text: &str) -> FieldError {
    let text = text.strip_prefix("Failed to deserialize the JSON body into the target type: ").unwrap_or(text);
    let text = text.rfind(" at line ").map_or(text, |i| &text[..i]);
    // The path is absent (or ".") at the top level, and never holds spaces or backticks.
    let (path, message) = match text.split_once(": ") {
        Some((p, m)) if !p.is_empty() && !p.contains([' ', '`']) => (p.trim_start_matches('.'), m),
        _ => ("", text),
    };
    let named = |prefix: &str| message.strip_prefix(prefix).and_then(|r| r.split('`').next());
    let join = |name: &str| if path.is_empty() { name.to_owned() } else { format!("{path}.{name}") };
    let (field, code) = if let Some(name) = named("missing field `") {
        (join(name), "required")
    } else if let Some(name) = named("unknown field `") {
        // serde reports an unknown field at its own path.
        (if path.is_empty() { name.to_owned() } else { path.to_owned() }, "unknown_field")
    } else if message.starts_with("invalid type") {
        (path.to_owned(), "invalid_type")
    } else {
        (path.to_owned(), "invalid_value")
    };
    let field = if field.is_empty() { "body".to_owned() } else { field };
    FieldError { field, code: code.to_owned(), message: message.to_owned() }
}

impl From<PathRejection> for ApiError {
    fn from(r: PathRejection) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_path", "A path parameter is malformed").detail(r.body_text())
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_query", "A query parameter is malformed").detail(r.body_text())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut res = (self.status, axum::Json(&*self.problem)).into_response();
        res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        if let Some(s) = self.retry_after
            && let Ok(v) = HeaderValue::from_str(&s.to_string())
        {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
        res
    }
}

#[cfg(test)]
mod tests {
    use super::json_data_violation;

    const PREFIX: &str = "Failed to deserialize the JSON body into the target type: ";

    fn read(rest: &str) -> (String, String) {
        let v = json_data_violation(&format!("{PREFIX}{rest} at line 1 column 9"));
        (v.field, v.code)
    }

    #[test]
    fn serde_messages_name_the_field_they_are_about() {
        let pair = |f: &str, c: &str| (f.to_owned(), c.to_owned());
        assert_eq!(read("name: invalid type: integer `5`, expected a string"), pair("name", "invalid_type"));
        assert_eq!(read("flag: unknown field `flag`, expected one of `id`, `kind`"), pair("flag", "unknown_field"));
        assert_eq!(read("unknown field `flag`, expected `id`"), pair("flag", "unknown_field"));
        assert_eq!(read("missing field `name`"), pair("name", "required"));
        assert_eq!(read("specs.engine: missing field `model`"), pair("specs.engine.model", "required"));
        assert_eq!(read("invalid type: sequence, expected struct VesselBody"), pair("body", "invalid_type"));
        assert_eq!(read("rotation_start: input contains invalid characters"), pair("rotation_start", "invalid_value"));
    }
}

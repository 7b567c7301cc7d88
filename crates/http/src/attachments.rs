//! `/attachments`: photos and documents on equipment, faults and handovers.
//!
//! An upload is the raw file as the request body (any `Content-Type`; it is ignored, the type
//! is judged by the content) with the parent and the file name in the query:
//! `POST /attachments?parent_kind=fault&parent_id=…&file_name=pump.jpg`. A raw body needs no
//! multipart parser; it is read only once the caller may upload to the parent, and streams
//! into a temporary file (see `crate::spool`).
//!
//! Downloads carry headers that keep a stored file from acting as a page of this site:
//! `X-Content-Type-Options: nosniff`, a `Content-Security-Policy` that sandboxes it and allows
//! nothing to load, and `Content-Disposition: attachment` (images `inline`, so the app can show
//! them) with a name the server makes.

use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bosun_domain::AttachmentId;
use bosun_domain::attachment::{Attachment, AttachmentKind};
use chrono::{DateTime, Utc};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::error::{ApiError, Problem};
use crate::extract::{ApiPath, ApiQuery, RawBody};
use crate::names::{AttachmentKindName, ParentKindName};
use crate::state::AppState;
use bosun_app::Actor;
use bosun_app::maintenance::attachments::{Upload, download_name};

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_attachments, upload))
        .routes(routes!(get_attachment))
        .routes(routes!(content))
        .routes(routes!(thumbnail))
}

/// A stored photo or document.
#[derive(Debug, Serialize, ToSchema)]
pub struct AttachmentView {
    /// Id.
    pub id: Uuid,
    /// `equipment`, `fault` or `handover`.
    #[schema(value_type = ParentKindName)]
    pub parent_kind: String,
    /// The record it belongs to.
    pub parent_id: Uuid,
    /// That record's vessel.
    pub vessel_id: Uuid,
    /// `photo` or `document`.
    #[schema(value_type = AttachmentKindName)]
    pub kind: String,
    /// The name it was uploaded with.
    pub file_name: String,
    /// The type judged from its content (`application/octet-stream` while `pending`).
    pub content_type: String,
    /// Size in bytes (while `pending`, the size its upload announced).
    pub size_bytes: i64,
    /// SHA-256 of the bytes (hex).
    pub sha256: String,
    /// Whether `thumbnail_url` serves a thumbnail.
    pub has_thumbnail: bool,
    /// The full file is still on its way: the thumbnail is the preview's and `content_url`
    /// answers `409 file_pending` until its upload completes.
    pub pending: bool,
    /// SHA-256 of the preview (the device's thumbnail, uploaded first), if one was named.
    pub preview_sha256: Option<String>,
    /// Who uploaded it.
    pub uploaded_by: Uuid,
    /// When.
    pub created_at: DateTime<Utc>,
    /// Server sequence of its last change.
    pub version: i64,
    /// Where its bytes are served.
    pub content_url: String,
    /// Where its thumbnail is served (images only).
    pub thumbnail_url: Option<String>,
}

impl From<&Attachment> for AttachmentView {
    fn from(a: &Attachment) -> Self {
        let base = format!("/api/v1/attachments/{}", a.id);
        Self {
            id: a.id.0,
            parent_kind: a.parent_kind.as_str().into(),
            parent_id: a.parent_id,
            vessel_id: a.vessel_id.0,
            kind: a.kind.as_str().into(),
            file_name: a.file_name.clone(),
            content_type: a.content_type.clone(),
            size_bytes: a.size_bytes,
            sha256: a.sha256.clone(),
            has_thumbnail: a.has_thumbnail,
            pending: a.pending,
            preview_sha256: a.preview_sha256.clone(),
            uploaded_by: a.uploaded_by.0,
            created_at: a.created_at,
            version: a.version,
            content_url: format!("{base}/content"),
            thumbnail_url: a.has_thumbnail.then(|| format!("{base}/thumbnail")),
        }
    }
}

/// A record's attachments.
#[derive(Debug, Serialize, ToSchema)]
pub struct AttachmentList {
    /// Oldest first.
    pub items: Vec<AttachmentView>,
}

/// The raw bytes of a file (documents the upload body).
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct FileBytes(pub Vec<u8>);

/// Where an upload goes.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    /// `equipment`, `fault` or `handover`.
    #[param(value_type = ParentKindName)]
    pub parent_kind: String,
    /// The record to attach to.
    pub parent_id: Uuid,
    /// The file's name on the uploader's device (1–200 characters once surrounding spaces are
    /// trimmed; no folders, so no `/` or `\`, and not `.` or `..`).
    #[param(
        pattern = r"^[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*(?:[^./\\ \u0000-\u001f\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]|[^./\\ \u0000-\u001f\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000][^/\\ \u0000-\u001f\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]|\.[^./\\ \u0000-\u001f\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]|[^/\\ \u0000-\u001f\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000][^/\\\u0000-\u001f\u007f-\u009f]{1,198}[^/\\ \u0000-\u001f\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000])[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
    )]
    pub file_name: String,
    /// Client-made UUIDv7 (offline uploads); made by the server when absent.
    pub id: Option<Uuid>,
}

/// Whose attachments to list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ParentQuery {
    /// `equipment`, `fault` or `handover`.
    #[param(value_type = ParentKindName)]
    pub parent_kind: String,
    /// The record.
    pub parent_id: Uuid,
}

/// Attach a photo or document to a record the caller may see. The body is the raw file
/// (JPEG, PNG, WebP, PDF or UTF-8 text, judged by its content; at most
/// `attachments.max_bytes`, 20 MiB by default).
#[utoipa::path(post, path = "/api/v1/attachments", tag = "attachments", operation_id = "upload_attachment", security(("bearer" = [])), params(UploadQuery),
    request_body(content = FileBytes, content_type = "application/octet-stream", description = "The file's bytes"),
    responses((status = 201, body = AttachmentView),
              (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json"),
              (status = 413, body = Problem, content_type = "application/problem+json"),
              (status = 415, body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn upload(
    State(app): State<AppState>,
    actor: Actor,
    ApiQuery(q): ApiQuery<UploadQuery>,
    body: Body,
) -> Result<(StatusCode, Json<AttachmentView>), ApiError> {
    let input = Upload {
        id: q.id.map(AttachmentId),
        parent_kind: q.parent_kind,
        parent_id: q.parent_id,
        file_name: q.file_name,
    };
    let received = app.attachments.receive(&actor, input, &mut RawBody(body)).await?;
    let a = app.mutate(&actor, received).await?;
    Ok((StatusCode::CREATED, Json((&a).into())))
}

/// The attachments of a record the caller may see.
#[utoipa::path(get, path = "/api/v1/attachments", tag = "attachments", operation_id = "list_attachments", security(("bearer" = [])), params(ParentQuery),
    responses((status = 200, body = AttachmentList),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn list_attachments(
    State(app): State<AppState>,
    actor: Actor,
    ApiQuery(q): ApiQuery<ParentQuery>,
) -> Result<Json<AttachmentList>, ApiError> {
    let rows = app.attachments.list(&actor, &q.parent_kind, q.parent_id).await?;
    Ok(Json(AttachmentList { items: rows.iter().map(Into::into).collect() }))
}

/// An attachment's metadata.
#[utoipa::path(get, path = "/api/v1/attachments/{id}", tag = "attachments", operation_id = "get_attachment", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = AttachmentView), (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn get_attachment(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<AttachmentView>, ApiError> {
    let a = app.attachments.get(&actor, AttachmentId(id)).await?;
    Ok(Json((&a).into()))
}

/// An attachment's bytes, with headers that keep them inert in a browser.
#[utoipa::path(get, path = "/api/v1/attachments/{id}/content", tag = "attachments", operation_id = "attachment_content", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, description = "The file, as the type judged from its content when it was uploaded",
               content((FileBytes = "image/jpeg"), (FileBytes = "image/png"), (FileBytes = "image/webp"),
                       (FileBytes = "application/pdf"), (FileBytes = "text/plain"))),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json", description = "`file_pending`: the full file has not arrived yet (the thumbnail is served)")))]
async fn content(State(app): State<AppState>, actor: Actor, ApiPath(id): ApiPath<Uuid>) -> Result<Response, ApiError> {
    let (a, bytes) = app.attachments.content(&actor, AttachmentId(id)).await?;
    let name = download_name(&a.file_name, &a.content_type, "");
    Ok(serve(bytes, &a.content_type, a.kind == AttachmentKind::Photo, &name))
}

/// An image attachment's thumbnail (JPEG, at most 320 pixels a side; while the attachment is
/// pending, its preview's); 404 for documents.
#[utoipa::path(get, path = "/api/v1/attachments/{id}/thumbnail", tag = "attachments", operation_id = "attachment_thumbnail", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, description = "The thumbnail", content_type = "image/jpeg"),
              (status = 404, body = Problem, content_type = "application/problem+json")))]
async fn thumbnail(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Response, ApiError> {
    let (a, bytes) = app.attachments.thumbnail(&actor, AttachmentId(id)).await?;
    let name = download_name(&a.file_name, "image/jpeg", "-thumbnail");
    Ok(serve(bytes, "image/jpeg", true, &name))
}

/// Characters kept as they are in an RFC 8187 `filename*` value (its `attr-char`).
const ATTR_CHAR: &AsciiSet =
    &NON_ALPHANUMERIC.remove(b'!').remove(b'#').remove(b'$').remove(b'&').remove(b'+').remove(b'-').remove(b'.');
const ATTR_CHAR_REST: &AsciiSet = &ATTR_CHAR.remove(b'^').remove(b'_').remove(b'`').remove(b'|').remove(b'~');

/// `inline` or `attachment`, with an ASCII `filename` for old clients and the exact one in
/// `filename*`.
pub fn content_disposition(inline: bool, name: &str) -> String {
    let ascii: String = name.chars().map(|c| if c.is_ascii_graphic() || c == ' ' { c } else { '_' }).collect();
    let ascii = ascii.replace(['"', '\\'], "_");
    let disposition = if inline { "inline" } else { "attachment" };
    format!("{disposition}; filename=\"{ascii}\"; filename*=UTF-8''{}", utf8_percent_encode(name, ATTR_CHAR_REST))
}

fn serve(bytes: Vec<u8>, content_type: &str, inline: bool, name: &str) -> Response {
    let content_type = if content_type == "text/plain" { "text/plain; charset=utf-8" } else { content_type };
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    let set =
        |v: &str| HeaderValue::from_str(v).unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"));
    h.insert(header::CONTENT_TYPE, set(content_type));
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&content_disposition(inline, name))
            .unwrap_or_else(|_| HeaderValue::from_static("attachment")),
    );
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'none'; sandbox"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=300"));
    h.insert(HeaderName::from_static("cross-origin-resource-policy"), HeaderValue::from_static("same-origin"));
    res
}

#[cfg(test)]
mod tests {
    use super::content_disposition;

    #[test]
    fn file_names_are_encoded_for_both_old_and_new_clients() {
        assert_eq!(
            content_disposition(false, "Ölkühler Motor.pdf"),
            "attachment; filename=\"_lk_hler Motor.pdf\"; filename*=UTF-8''%C3%96lk%C3%BChler%20Motor.pdf"
        );
        assert_eq!(content_disposition(true, "pump.jpg"), "inline; filename=\"pump.jpg\"; filename*=UTF-8''pump.jpg");
    }
}

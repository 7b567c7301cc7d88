//! `/sync`: the offline sync protocol's push and pull (`docs/SYNC.md`).

use std::collections::BTreeMap;

use std::io::Read;

use axum::Json;
use axum::body::Body;
use axum::extract::{FromRequest, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bosun_app::Actor;
use bosun_app::conflicts::{Keep, ResolveConflict};
use bosun_app::maintenance::uploads::{BeginUpload, MAX_CHUNK, UploadState};
use bosun_app::sync::{Pull, Pulled, Push, Pushed, QueuedMutation};
use bosun_store::{ConflictFilter, SyncConflict};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::IntoParams;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::error::{ApiError, Problem};
use crate::extract::{ApiJson, ApiPath, ApiQuery, PageQuery, encode_cursor};
use crate::state::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(push))
        .routes(routes!(pull))
        .routes(routes!(list_conflicts))
        .routes(routes!(resolve_conflict))
        .routes(routes!(begin_upload))
        .routes(routes!(upload_state, append_upload))
}

/// The largest zstd window a compressed body may use (2^22 = 4 MiB): what a decoder allocates
/// is bounded whatever a frame declares; every usual encoder setting for a body this size fits.
const ZSTD_WINDOW_LOG_MAX: u32 = 22;

/// A JSON body sent plain or zstd-compressed (`Content-Encoding: zstd`). Decompressed at most
/// to the server's body limit (`413 body_too_large`); another encoding is `415
/// unsupported_encoding`; anything but one whole, intact frame is `400 bad_request`. Then read exactly
/// as [`ApiJson`].
pub struct SyncJson<T>(pub T);

impl<T: serde::de::DeserializeOwned> FromRequest<AppState> for SyncJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let encoding = req.headers().get(header::CONTENT_ENCODING).map(|v| v.to_str().unwrap_or("?").trim().to_owned());
        let zstd = match encoding.as_deref() {
            None | Some("" | "identity") => false,
            Some("zstd") => true,
            Some(_) => {
                return Err(ApiError::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "unsupported_encoding",
                    "Send the body plain or zstd-compressed",
                ));
            }
        };
        let limit = state.config.server.max_body_bytes;
        let (mut parts, body) = req.into_parts();
        let sent = axum::body::to_bytes(body, limit).await.map_err(|_| too_large())?;
        let plain = if zstd { unzstd(&sent, limit)?.into() } else { sent };
        // An object, as the schema says: serde would also read a struct from an array.
        if plain.iter().find(|b| !b.is_ascii_whitespace()).is_some_and(|b| *b == b'[') {
            return Err(ApiError::invalid("body", "invalid_type", "must be a JSON object"));
        }
        parts.headers.remove(header::CONTENT_ENCODING);
        parts.headers.remove(header::CONTENT_LENGTH);
        let req = Request::from_parts(parts, Body::from(plain));
        ApiJson::<T>::from_request(req, state).await.map(|ApiJson(v)| Self(v))
    }
}

fn too_large() -> ApiError {
    ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "body_too_large", "The body is too large")
}

/// Decompresses a zstd body of at most `limit` bytes.
pub(crate) fn unzstd(sent: &[u8], limit: usize) -> Result<Vec<u8>, ApiError> {
    let corrupt = || ApiError::new(StatusCode::BAD_REQUEST, "bad_request", "The body is not a whole zstd frame");
    // One whole frame, nothing after it: a body cut short in transit is refused, never read in
    // part (the stream decoder alone ends quietly where the bytes end).
    if zstd::zstd_safe::find_frame_compressed_size(sent) != Ok(sent.len()) {
        return Err(corrupt());
    }
    let mut decoder = zstd::stream::read::Decoder::new(sent).map_err(|_| corrupt())?;
    decoder.window_log_max(ZSTD_WINDOW_LOG_MAX).map_err(|_| corrupt())?;
    let mut plain = Vec::new();
    decoder.take(limit as u64 + 1).read_to_end(&mut plain).map_err(|_| corrupt())?;
    if plain.len() > limit {
        return Err(too_large());
    }
    Ok(plain)
}

/// A JSON answer, zstd-compressed when the request's `Accept-Encoding` names zstd.
struct SyncAnswer<T>(T, bool);

impl<T> SyncAnswer<T> {
    fn new(headers: &HeaderMap, value: T) -> Self {
        let zstd = headers
            .get_all(header::ACCEPT_ENCODING)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .any(|e| {
                let mut parts = e.split(';');
                let named = parts.next().is_some_and(|name| name.trim() == "zstd");
                // `zstd;q=0` refuses it; any other weight accepts it.
                let q = parts.find_map(|p| p.trim().strip_prefix("q=")).and_then(|q| q.trim().parse::<f32>().ok());
                named && q.is_none_or(|q| q > 0.0)
            });
        Self(value, zstd)
    }
}

impl<T: Serialize> IntoResponse for SyncAnswer<T> {
    fn into_response(self) -> Response {
        let json = match serde_json::to_vec(&self.0) {
            Ok(json) => json,
            Err(e) => return ApiError::from(bosun_app::Error::Internal(format!("sync answer: {e}"))).into_response(),
        };
        let vary = (header::VARY, HeaderValue::from_static("accept-encoding"));
        let json_type = (header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        // A JSON answer loads nothing: the web app's longer policy would only cost the link
        // bytes on every poll.
        let csp = (header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'none'"));
        if self.1
            && let Ok(packed) = zstd::bulk::compress(&json, 3)
        {
            let zstd = (header::CONTENT_ENCODING, HeaderValue::from_static("zstd"));
            return ([json_type, zstd, vary, csp], packed).into_response();
        }
        ([json_type, vary, csp], json).into_response()
    }
}

/// One mutation a client queued while offline.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QueuedMutationBody {
    /// The client's id for it: positive and increasing within the client. A mutation at or
    /// below the client's acknowledged id is skipped, never applied twice.
    #[schema(minimum = 1)]
    #[serde(deserialize_with = "crate::extract::integral")]
    pub id: i64,
    /// The mutator, with its version (`report_fault.v1`); the names are listed in
    /// `docs/SYNC.md`.
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    /// Its arguments, as the mutator takes them.
    #[schema(value_type = Object)]
    pub args: serde_json::Value,
    /// The client's hybrid logical clock when the mutation was made.
    #[schema(max_length = 64)]
    pub hlc: Option<String>,
    /// The version of the row the mutation was made against (null for inserts).
    #[schema(minimum = 0)]
    #[serde(default, deserialize_with = "crate::extract::optional_integral")]
    pub base_version: Option<i64>,
}

/// A client's queued mutations.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PushBody {
    /// The client: one replica on one device, a UUID it made when installed. Bound to the
    /// first person or API key that pushes with it.
    pub client_id: Uuid,
    /// The schema version the client was built for.
    #[schema(minimum = 1, maximum = 1_000_000)]
    #[serde(deserialize_with = "crate::extract::integral")]
    pub schema_version: i64,
    /// The mutations, applied in id order.
    #[schema(max_items = 500)]
    pub mutations: Vec<QueuedMutationBody>,
}

/// A mutation refused for good.
#[derive(Debug, Serialize, ToSchema)]
pub struct RejectedView {
    /// The mutation's id.
    pub id: i64,
    /// The problem code an HTTP request would have been answered with.
    pub code: String,
    /// Why.
    pub detail: String,
}

/// Where a push stopped early.
#[derive(Debug, Serialize, ToSchema)]
pub struct StoppedView {
    /// The first mutation not applied: push it again later.
    pub id: i64,
    /// Why (`unavailable`, `rate_limited`, `mutator_too_new`).
    pub code: String,
}

/// What became of a push.
#[derive(Debug, Serialize, ToSchema)]
pub struct PushedView {
    /// Every mutation at or below this id is applied or rejected.
    pub last_mutation_id: i64,
    /// Applied by this push.
    pub applied: Vec<i64>,
    /// Applied or rejected before.
    pub skipped: Vec<i64>,
    /// Refused for good (by this push or an earlier one whose answer may have been lost).
    pub rejected: Vec<RejectedView>,
    /// Set when the push stopped early at a temporary error.
    pub stopped: Option<StoppedView>,
    /// Conflicts this push recorded: fields it wrote that someone changed meanwhile (the
    /// records arrive with the next pull and are listed at `GET /api/v1/sync/conflicts`).
    pub conflicts: Vec<Uuid>,
    /// The client's schema is older than the oldest the server serves: its queue was applied,
    /// but its pulls answer `409 client_outdated` until it is updated.
    pub update_required: bool,
}

impl From<Pushed> for PushedView {
    fn from(p: Pushed) -> Self {
        Self {
            last_mutation_id: p.last_mutation_id,
            applied: p.applied,
            skipped: p.skipped,
            rejected: p
                .rejected
                .into_iter()
                .map(|r| RejectedView { id: r.id, code: r.code, detail: r.detail })
                .collect(),
            stopped: p.stopped.map(|s| StoppedView { id: s.id, code: s.code }),
            conflicts: p.conflicts,
            update_required: p.update_required,
        }
    }
}

/// Apply mutations queued offline, each exactly once: a mutation is one unit of work (its
/// effects, change-log entries and audit entry commit with the client's acknowledged id); a
/// permanent error is recorded as a rejection and still acknowledged; a temporary one stops
/// the push.
#[utoipa::path(post, path = "/api/v1/sync/push", tag = "sync", security(("bearer" = [])),
    request_body(content = PushBody, description = "JSON, plain or `Content-Encoding: zstd`"),
    responses((status = 200, body = PushedView, description = "zstd-compressed when `Accept-Encoding` names zstd"),
              (status = 400, body = Problem, content_type = "application/problem+json", description = "`bad_request`: a corrupt zstd frame"),
              (status = 413, body = Problem, content_type = "application/problem+json", description = "`body_too_large`, also once decompressed"),
              (status = 415, body = Problem, content_type = "application/problem+json", description = "`unsupported_encoding`"),
              (status = 409, body = Problem, content_type = "application/problem+json",
               description = "`client_mismatch`: the client id is bound to someone else"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn push(
    State(app): State<AppState>,
    actor: Actor,
    headers: HeaderMap,
    SyncJson(body): SyncJson<PushBody>,
) -> Result<SyncAnswer<PushedView>, ApiError> {
    Ok(SyncAnswer::new(&headers, app.sync_push(&actor, body.into()).await?.into()))
}

impl From<PushBody> for Push {
    fn from(body: PushBody) -> Self {
        Self {
            client_id: body.client_id,
            schema_version: body.schema_version,
            mutations: body
                .mutations
                .into_iter()
                .map(|m| QueuedMutation {
                    id: m.id,
                    name: m.name,
                    args: m.args,
                    hlc: m.hlc,
                    base_version: m.base_version,
                })
                .collect(),
        }
    }
}

/// A pull.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PullBody {
    /// The client pulling, for its acknowledgements.
    pub client_id: Option<Uuid>,
    /// The previous answer's cookie; null for a first pull.
    #[schema(max_length = 65536, pattern = "^[A-Za-z0-9_-]*$")]
    pub cookie: Option<String>,
    /// The most bytes of changes to answer (uncompressed JSON; default 131072).
    #[schema(minimum = 1024, maximum = 262144, value_type = Option<u32>)]
    #[serde(default, deserialize_with = "crate::extract::optional_integral")]
    pub max_bytes: Option<i64>,
    /// Answer the checksum of every scope held (by default only of the scopes the answer
    /// changes), to verify the whole replica.
    #[serde(default)]
    pub verify: Option<bool>,
    /// Scopes whose replica failed its checksum: the client has dropped their rows, and they
    /// are sent again from their beginning.
    #[schema(max_items = 1000)]
    #[serde(default)]
    pub repair: Option<Vec<ScopeName>>,
    /// For scopes in `repair`: the replica's 16 bucket sums (bucket = the first 4 bits of
    /// SHA-256 over entity, 0x00 and the id's 16 bytes; each the sum mod 2^64 of its rows'
    /// hashes, 16 hex digits). Only the buckets whose sums differ are sent again, with what
    /// changed after the client's position in the others.
    /// Sums given for a scope not in `repair` are ignored.
    #[schema(schema_with = bucket_sums_schema)]
    #[serde(default)]
    pub buckets: Option<BTreeMap<String, Vec<BucketSum>>>,
    /// The schema version the client was built for; one older than the server serves answers
    /// `409 client_outdated`.
    #[schema(minimum = 1, maximum = 1_000_000, value_type = Option<i64>)]
    #[serde(default, deserialize_with = "crate::extract::optional_integral")]
    pub schema_version: Option<i64>,
}

/// A scope's name: `company:{id}` or `vessel:{id}`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(transparent)]
#[schema(value_type = String, pattern = "^(vessel|company):[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
pub struct ScopeName(pub String);

/// One bucket's sum: 16 lowercase hex digits.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(value_type = String, pattern = "^[0-9a-f]{16}$")]
pub struct BucketSum(pub String);

/// `buckets` of a pull: by scope, its 16 bucket sums, bucket 0 first.
fn bucket_sums_schema() -> utoipa::openapi::schema::Object {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, SchemaType, Type};
    let sum = ObjectBuilder::new().schema_type(Type::String).pattern(Some("^[0-9a-f]{16}$"));
    let sums = ArrayBuilder::new().items(sum).min_items(Some(16)).max_items(Some(16));
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::Object, Type::Null]))
        .additional_properties(Some(sums))
        .max_properties(Some(1000))
        .description(Some(
            "For scopes in `repair`: the replica's 16 bucket sums (bucket = the first 4 bits of SHA-256 over \
             entity, 0x00 and the id's 16 bytes; each the sum mod 2^64 of its rows' hashes, 16 hex digits). \
             Only the buckets whose sums differ are sent again, with what changed after the client's position \
             in the others. Sums of a scope not in `repair` are ignored.",
        ))
        .build()
}

/// One change.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChangeView {
    /// Its number in its scope.
    pub seq: i64,
    /// The kind of row.
    pub entity: String,
    /// The row.
    pub id: Uuid,
    /// `insert`, `update` or `delete`.
    pub op: String,
    /// The row's fields the caller may read.
    #[schema(value_type = Object)]
    pub fields: serde_json::Value,
}

/// What changed.
#[derive(Debug, Serialize, ToSchema)]
pub struct PulledView {
    /// Send it with the next pull.
    pub cookie: String,
    /// Changes by scope (`company:{id}`, `vessel:{id}`), each in sequence order.
    pub changes: BTreeMap<String, Vec<ChangeView>>,
    /// Scopes the caller no longer reaches: delete their rows, keep the outbox.
    pub clear: Vec<String>,
    /// The pulling client's acknowledged mutation id (only when `more` is false).
    pub last_mutation_ids: BTreeMap<Uuid, i64>,
    /// More changes wait: pull again at once.
    pub more: bool,
    /// When `more` is false: per scope this answer changed (every scope held, with `verify`),
    /// the checksum of the caller's view as the replica holds it now: the sum mod 2^64 of each
    /// row's hash (the first 8 bytes of SHA-256 over entity, 0x00, the id's 16 bytes and the
    /// fields as canonical JSON), 16 hex digits. A replica that differs pulls that scope again
    /// with `repair`.
    pub checksums: BTreeMap<String, String>,
    /// Scopes walked again from their start because the caller's position was older than
    /// their horizon (a delete it may have missed was dropped by compaction): when a scope
    /// first appears here, mark its rows unconfirmed; each change confirms its row; once the
    /// scope is `done`, delete the rows still unconfirmed. Absent when no scope is walked.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub resets: BTreeMap<String, ResetView>,
    /// Scopes repaired bucket by bucket: when a scope first appears here, drop its rows in
    /// `buckets`; the changes that follow bring them back. Absent when none is repaired.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub repairs: BTreeMap<String, RepairView>,
}

/// A bucket repair of a scope.
#[derive(Debug, Serialize, ToSchema)]
pub struct RepairView {
    /// The buckets sent again (0–15).
    pub buckets: Vec<u8>,
    /// The repair reached the scope's head in this answer.
    pub done: bool,
}

/// How far a scope's walk has come.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResetView {
    /// The walk reached the scope's head in this answer.
    pub done: bool,
}

impl From<Pulled> for PulledView {
    fn from(p: Pulled) -> Self {
        Self {
            cookie: p.cookie,
            changes: p
                .changes
                .into_iter()
                .map(|(scope, changes)| {
                    let changes = changes
                        .into_iter()
                        .map(|c| ChangeView {
                            seq: c.seq,
                            entity: c.entity.to_owned(),
                            id: c.id,
                            op: c.op.to_owned(),
                            fields: c.fields,
                        })
                        .collect();
                    (scope, changes)
                })
                .collect(),
            clear: p.clear,
            last_mutation_ids: p.last_mutation_ids,
            more: p.more,
            checksums: p.checksums,
            resets: p.resets.into_iter().map(|(scope, r)| (scope, ResetView { done: r.done })).collect(),
            repairs: p
                .repairs
                .into_iter()
                .map(|(scope, r)| (scope, RepairView { buckets: r.buckets, done: r.done }))
                .collect(),
        }
    }
}

/// What changed in the scopes the caller reaches since the cookie, filtered by the field
/// policy for the caller, paged by `max_bytes`.
#[utoipa::path(post, path = "/api/v1/sync/pull", tag = "sync", security(("bearer" = [])),
    request_body(content = PullBody, description = "JSON, plain or `Content-Encoding: zstd`"),
    responses((status = 200, body = PulledView, description = "zstd-compressed when `Accept-Encoding` names zstd"),
              (status = 400, body = Problem, content_type = "application/problem+json", description = "`bad_request`: a corrupt zstd frame"),
              (status = 413, body = Problem, content_type = "application/problem+json", description = "`body_too_large`, also once decompressed"),
              (status = 415, body = Problem, content_type = "application/problem+json", description = "`unsupported_encoding`"),
              (status = 409, body = Problem, content_type = "application/problem+json",
               description = "`client_outdated`: the client's schema is older than the server serves"),
              (status = 422, body = Problem, content_type = "application/problem+json",
               description = "`invalid_cookie` (pull without one), `out_of_range`")))]
async fn pull(
    State(app): State<AppState>,
    actor: Actor,
    headers: HeaderMap,
    SyncJson(body): SyncJson<PullBody>,
) -> Result<SyncAnswer<PulledView>, ApiError> {
    Ok(SyncAnswer::new(&headers, app.sync_pull(&actor, body.into()).await?.into()))
}

impl From<PullBody> for Pull {
    fn from(body: PullBody) -> Self {
        Self {
            client_id: body.client_id,
            cookie: body.cookie,
            // Out of range (also past u32) is the use case's `out_of_range`.
            max_bytes: body.max_bytes.map(|n| u32::try_from(n).unwrap_or(u32::MAX)),
            verify: body.verify.unwrap_or(false),
            repair: body.repair.unwrap_or_default().into_iter().map(|s| s.0).collect(),
            buckets: body
                .buckets
                .unwrap_or_default()
                .into_iter()
                .map(|(s, b)| (s, b.into_iter().map(|b| b.0).collect()))
                .collect(),
            schema_version: body.schema_version,
        }
    }
}

/// Which conflicts to list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ConflictQuery {
    /// Only this scope (`vessel:{id}`).
    #[param(
        pattern = "^(vessel|company):[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
    )]
    pub scope: Option<String>,
    /// `open` (the default) or `resolved`; `all` for both.
    #[param(pattern = "^(open|resolved|all)$")]
    pub state: Option<String>,
    /// Rows per page, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// A concurrent write of one field: the value stored and the one that lost, with where each
/// came from.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConflictView {
    /// The record.
    pub id: Uuid,
    /// The row's scope (`vessel:{id}`).
    pub scope: String,
    /// The kind of row (`fault`, `equipment`, `parts_order`).
    pub entity: String,
    /// The row.
    pub row_id: Uuid,
    /// The field.
    pub field: String,
    /// The value stored.
    #[schema(value_type = Object)]
    pub winner: serde_json::Value,
    /// The value not stored, or overwritten.
    #[schema(value_type = Object)]
    pub loser: serde_json::Value,
    /// Whether the pushed mutation's value is the `winner` or the `loser`.
    pub mutation_side: String,
    /// The pushed mutation.
    pub mutation_name: String,
    /// Its client.
    pub client_id: Uuid,
    /// Its id within the client.
    pub mutation_id: i64,
    /// Its clock (clamped to when the server received it).
    pub mutation_hlc: String,
    /// Whose mutation it was.
    pub by_user: Uuid,
    /// The change that wrote the other value: its number in the scope.
    pub other_seq: i64,
    /// Its clock.
    pub other_hlc: String,
    /// Its client (none for a write made online).
    pub other_client_id: Option<Uuid>,
    /// `open` or `resolved`.
    pub state: String,
    /// The side the resolution kept.
    pub kept: Option<String>,
    /// Who resolved it.
    pub resolved_by: Option<Uuid>,
    /// When.
    pub resolved_at: Option<DateTime<Utc>>,
    /// When it was recorded.
    pub created_at: DateTime<Utc>,
}

impl From<SyncConflict> for ConflictView {
    fn from(c: SyncConflict) -> Self {
        Self {
            id: c.id,
            scope: c.scope,
            entity: c.entity,
            row_id: c.row_id,
            field: c.field,
            winner: c.winner,
            loser: c.loser,
            mutation_side: c.mutation_side,
            mutation_name: c.mutation_name,
            client_id: c.client_id,
            mutation_id: c.mutation_id,
            mutation_hlc: c.mutation_hlc,
            by_user: c.by_user,
            other_seq: c.other_seq,
            other_hlc: c.other_hlc,
            other_client_id: c.other_client_id,
            state: c.state,
            kept: c.kept,
            resolved_by: c.resolved_by,
            resolved_at: c.resolved_at,
            created_at: c.created_at,
        }
    }
}

/// A page of conflicts.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConflictPage {
    /// The conflicts, oldest first.
    pub items: Vec<ConflictView>,
    /// Pass as `cursor` for the next page; absent on the last.
    pub next_cursor: Option<String>,
}

/// Conflicts in the vessels the caller reaches, on fields their role may read, oldest first.
#[utoipa::path(get, path = "/api/v1/sync/conflicts", tag = "sync", security(("bearer" = [])), params(ConflictQuery),
    responses((status = 200, body = ConflictPage),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn list_conflicts(
    State(app): State<AppState>,
    actor: Actor,
    ApiQuery(q): ApiQuery<ConflictQuery>,
) -> Result<Json<ConflictPage>, ApiError> {
    let paging = PageQuery { limit: q.limit, cursor: q.cursor };
    let state = match q.state.as_deref() {
        None | Some("open") => Some("open".to_owned()),
        Some("resolved") => Some("resolved".to_owned()),
        Some("all") => None,
        Some(_) => return Err(ApiError::invalid("state", "unknown_value", "must be open, resolved or all")),
    };
    let scope_ok = |s: &str| {
        s.split_once(':').is_some_and(|(kind, id)| matches!(kind, "vessel" | "company") && Uuid::parse_str(id).is_ok())
    };
    if q.scope.as_deref().is_some_and(|s| !scope_ok(s)) {
        return Err(ApiError::invalid("scope", "invalid_scope", "must be vessel:{id} or company:{id}"));
    }
    let filter = ConflictFilter { scope: q.scope, state };
    let (rows, next) = app.list_conflicts(&actor, filter, paging.after::<Uuid>()?, paging.limit()?).await?;
    Ok(Json(ConflictPage { items: rows.into_iter().map(Into::into).collect(), next_cursor: next.map(encode_cursor) }))
}

/// Which side of a conflict to keep.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResolveConflictBody {
    /// `winner` keeps the stored value; `loser` writes the other one back through the
    /// field's own write (its rules and permission apply).
    #[schema(value_type = String, pattern = "^(winner|loser)$")]
    pub keep: Keep,
}

/// Settle a conflict (the same write as the `resolve_conflict.v1` mutator).
#[utoipa::path(post, path = "/api/v1/sync/conflicts/{id}/resolve", tag = "sync", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = ResolveConflictBody,
    responses((status = 200, body = ConflictView),
              (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json",
               description = "`conflict_resolved`, `not_resolvable`, or the field's own write refused"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn resolve_conflict(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<ResolveConflictBody>,
) -> Result<Json<ConflictView>, ApiError> {
    let c = app.mutate(&actor, ResolveConflict { conflict_id: id, keep: body.keep }).await?;
    Ok(Json(c.into()))
}

/// An upload to begin, before any byte.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BeginUploadBody {
    /// SHA-256 of the whole file, 64 lowercase hex digits.
    #[schema(pattern = "^[0-9a-f]{64}$")]
    pub sha256: String,
    /// Its size in bytes, at most the attachment limit (`attachments.max_bytes`, 20 MiB by
    /// default, the maximum stated here; a server set higher takes more).
    #[schema(minimum = 1, maximum = 20_971_520)]
    #[serde(deserialize_with = "crate::extract::integral")]
    pub size: i64,
    /// The vessel whose records it is for.
    pub vessel_id: Uuid,
}

/// What the server found a whole file to be, by its content.
#[derive(Debug, Serialize, ToSchema)]
pub struct UploadedFileView {
    /// SHA-256 of its bytes.
    pub sha256: String,
    /// Its size.
    pub size_bytes: i64,
    /// Its type, by content.
    pub content_type: String,
    /// `photo` or `document`.
    pub kind: String,
    /// Whether a thumbnail was made.
    pub has_thumbnail: bool,
}

/// Where an upload stands.
#[derive(Debug, Serialize, ToSchema)]
pub struct UploadView {
    /// SHA-256 of the file.
    pub sha256: String,
    /// Its size.
    pub size: i64,
    /// Bytes the server holds: send the next chunk from here.
    pub offset: i64,
    /// Every byte arrived and was checked: attach it with `attach_file.v1` and `file` below
    /// (a photo's attach may come earlier, once the upload is begun, naming a completed upload
    /// of its thumbnail as `preview`: it is pending until this upload completes).
    pub complete: bool,
    /// The file, once complete.
    pub file: Option<UploadedFileView>,
}

impl From<UploadState> for UploadView {
    fn from(u: UploadState) -> Self {
        Self {
            complete: u.file.is_some(),
            file: u.file.map(|f| UploadedFileView {
                sha256: f.sha256,
                size_bytes: f.size_bytes,
                content_type: f.content_type,
                kind: f.kind.as_str().to_owned(),
                has_thumbnail: f.has_thumbnail,
            }),
            sha256: u.sha256,
            size: u.size,
            offset: u.offset,
        }
    }
}

/// Begin a resumable upload of a file (or learn how much of it the server holds: all of it
/// when the company has these bytes already). Needs `attachment.upload` on the vessel.
#[utoipa::path(post, path = "/api/v1/sync/uploads", tag = "sync", security(("bearer" = [])), request_body = BeginUploadBody,
    responses((status = 200, body = UploadView),
              (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json", description = "`upload_size_mismatch`"),
              (status = 422, body = Problem, content_type = "application/problem+json",
               description = "`out_of_range`: a size past `attachments.max_bytes`; `invalid_hash`")))]
async fn begin_upload(
    State(app): State<AppState>,
    actor: Actor,
    ApiJson(body): ApiJson<BeginUploadBody>,
) -> Result<Json<UploadView>, ApiError> {
    let begin = BeginUpload { sha256: body.sha256, size: body.size, vessel_id: bosun_domain::VesselId(body.vessel_id) };
    Ok(Json(app.begin_upload(&actor, begin).await?.into()))
}

/// How much of a file the server holds.
#[utoipa::path(get, path = "/api/v1/sync/uploads/{sha256}", tag = "sync", security(("bearer" = [])),
    params(("sha256" = String, Path, pattern = "^[0-9a-f]{64}$")),
    responses((status = 200, body = UploadView),
              (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 422, body = Problem, content_type = "application/problem+json")))]
async fn upload_state(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(sha256): ApiPath<String>,
) -> Result<Json<UploadView>, ApiError> {
    Ok(Json(app.attachments.upload_state(&actor, &sha256).await?.into()))
}

/// Append one chunk (at most 256 KiB) at `Upload-Offset`, which must be what the server holds;
/// with the last byte the file is checked (hash, type, decode budget) and stored.
#[utoipa::path(patch, path = "/api/v1/sync/uploads/{sha256}", tag = "sync", security(("bearer" = [])),
    params(("sha256" = String, Path, pattern = "^[0-9a-f]{64}$"),
           ("Upload-Offset" = i64, Header, minimum = 0, description = "Where this chunk starts in the file")),
    request_body(content = crate::attachments::FileBytes, content_type = "application/octet-stream", description = "The chunk's bytes"),
    responses((status = 200, body = UploadView),
              (status = 403, body = Problem, content_type = "application/problem+json"),
              (status = 404, body = Problem, content_type = "application/problem+json"),
              (status = 409, body = Problem, content_type = "application/problem+json",
               description = "`upload_offset_mismatch`: the server holds another offset (GET the upload)"),
              (status = 413, body = Problem, content_type = "application/problem+json", description = "`chunk_too_large`"),
              (status = 415, body = Problem, content_type = "application/problem+json", description = "`unsupported_file_type`"),
              (status = 422, body = Problem, content_type = "application/problem+json",
               description = "`upload_hash_mismatch` (the part is discarded), a missing `Upload-Offset`")))]
async fn append_upload(
    State(app): State<AppState>,
    actor: Actor,
    ApiPath(sha256): ApiPath<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<UploadView>, ApiError> {
    let offset = headers
        .get("upload-offset")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok())
        .filter(|o| *o >= 0)
        .ok_or_else(|| ApiError::invalid("Upload-Offset", "required", "name where the chunk starts: a whole number"))?;
    let chunk = axum::body::to_bytes(body, MAX_CHUNK)
        .await
        .map_err(|_| ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "chunk_too_large", "A chunk is at most 256 KiB"))?;
    Ok(Json(app.append_upload(&actor, &sha256, offset, chunk).await?.into()))
}

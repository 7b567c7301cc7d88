//! Resumable uploads (`docs/SYNC.md` "Attachments"): a file's bytes sent in chunks over a link
//! that drops, addressed by their SHA-256 within the company, before the `attach_file.v1`
//! mutation that records them syncs like any other write.
//!
//! - Beginning an upload needs `attachment.upload` and a vessel the caller reaches, before any
//!   byte; the answer is how many bytes the server holds (0, part-way, or all of them when the
//!   company has the file already: nothing is sent twice).
//! - Each chunk (at most [`MAX_CHUNK`]) is appended only at the offset the server holds, in one
//!   transaction that moves the offset, so a retried or duplicated chunk is stored once; the
//!   chunks live in the database, so any instance takes the next one.
//! - With the last byte, the chunks are read back through the same checks as a direct upload
//!   (size, type by content, decode budget, thumbnail), their hash compared with the one the
//!   upload named (`upload_hash_mismatch`: the part is discarded), the file stored, the chunks
//!   deleted, and what the server found kept for the mutation: a pushed `attach_file.v1` takes
//!   the file's type, kind and size from there, never from the client.
//! - A pushed `attach_file.v1` may come before its file's upload completes, naming a preview (a
//!   completed upload of the device's thumbnail): the attachment is then pending. The upload
//!   that completes the file completes those attachments in its own unit of work (row, change,
//!   audit; `attachment.completed` after commit). Bytes that do not match their hash, or an
//!   upload that expires, leave them pending with their preview until an upload completes.

use bosun_domain::VesselId;
use bosun_domain::attachment::{AttachmentKind, TextCheck, sniff_parts};
use bosun_domain::permissions::Action;
use bosun_store::{Store, StoredUpload, SyncUpload};
use bytes::Bytes;
use std::sync::Arc;

use crate::files::{ContentHash, FileKey};
use crate::maintenance::attachments::{AttachmentService, StoredFile};
use crate::spool::ByteSource;
use bosun_domain::Violation;

use crate::work::{Effects, UnitOfWork};
use crate::{Actor, App, Error, Result};

/// How long an upload may stay unfinished before its chunks are discarded (the client begins
/// again; a finished upload is never discarded).
pub const UPLOAD_EXPIRY_DAYS: i64 = 14;

/// Discards, in every company, the uploads begun before `before` and never finished, with
/// their chunks (the background job's work); answers how many went.
pub async fn expire_uploads(store: &dyn Store, before: chrono::DateTime<chrono::Utc>) -> Result<u64> {
    let companies = {
        let mut tx = store.begin_read(None).await?;
        tx.list_company_ids().await?
    };
    let mut gone = 0;
    for company in companies {
        let mut tx = store.begin(Some(company)).await?;
        gone += tx.expire_sync_uploads(company, before).await?;
        tx.commit().await?;
    }
    Ok(gone)
}

/// The largest chunk one request may carry.
pub const MAX_CHUNK: usize = 256 * 1024;

/// Chunks read back at a time when an upload completes (at most 4 MiB).
const CHUNKS_PER_READ: u32 = 16;

/// An upload to begin.
#[derive(Debug, Clone)]
pub struct BeginUpload {
    /// SHA-256 of the whole file, hex.
    pub sha256: String,
    /// Its size in bytes.
    pub size: i64,
    /// The vessel whose records it is for.
    pub vessel_id: VesselId,
}

/// Where an upload stands.
#[derive(Debug, Clone)]
pub struct UploadState {
    /// SHA-256 of the file, hex.
    pub sha256: String,
    /// Its size.
    pub size: i64,
    /// Bytes the server holds: send the rest from here.
    pub offset: i64,
    /// Once every byte arrived and was checked: what the file is.
    pub file: Option<StoredFile>,
}

fn state_of(u: &SyncUpload) -> Result<UploadState> {
    let file = match &u.stored {
        Some(s) => Some(StoredFile {
            sha256: u.sha256.clone(),
            size_bytes: u.size,
            content_type: s.content_type.clone(),
            kind: s.kind.parse::<AttachmentKind>().map_err(|_| Error::Internal(format!("upload kind {}", s.kind)))?,
            has_thumbnail: s.has_thumbnail,
        }),
        None => None,
    };
    Ok(UploadState { sha256: u.sha256.clone(), size: u.size, offset: u.received, file })
}

fn parse_hash(sha256: &str) -> Result<ContentHash> {
    ContentHash::parse(sha256)
        .map_err(|_| Violation::new("sha256", "invalid_hash", "must be a SHA-256 in lowercase hex").into())
}

/// An upload's chunks read back from the database, in order, as a body.
struct Chunks {
    store: Arc<dyn Store>,
    company: bosun_domain::CompanyId,
    sha256: String,
    from: i64,
    size: i64,
    pending: std::collections::VecDeque<Vec<u8>>,
}

#[async_trait::async_trait]
impl ByteSource for Chunks {
    async fn next_piece(&mut self) -> Option<std::result::Result<Bytes, String>> {
        if self.pending.is_empty() && self.from < self.size {
            let read = async {
                let mut tx = self.store.begin_read(Some(self.company)).await?;
                tx.sync_upload_chunks(self.company, &self.sha256, self.from, CHUNKS_PER_READ).await
            };
            match read.await {
                Ok(page) => {
                    for (offset, bytes) in page {
                        if offset != self.from {
                            return Some(Err(format!("a chunk at {offset}, expected {}", self.from)));
                        }
                        self.from += i64::try_from(bytes.len()).unwrap_or(i64::MAX);
                        self.pending.push_back(bytes);
                    }
                }
                Err(e) => return Some(Err(e.to_string())),
            }
        }
        self.pending.pop_front().map(|b| Ok(Bytes::from(b)))
    }

    fn announced_len(&self) -> Option<u64> {
        u64::try_from(self.size).ok()
    }
}

impl AttachmentService {
    async fn may_upload_to(&self, actor: &Actor, vessel: VesselId) -> Result<()> {
        let mut tx = self.deps.store.begin_read(Some(actor.company_id)).await?;
        if !self.deps.sees_vessel(&mut tx, actor, vessel).await? {
            return Err(Error::NotFound);
        }
        drop(tx);
        self.deps.authorize(actor, Action::AttachmentUpload, "attachment", None).await
    }

    /// Begins the upload of a file, or finds where it stands (see the module documentation);
    /// answers the effects of the attachments it completed ([`App::begin_upload`] runs them).
    pub(crate) async fn begin_upload(&self, actor: &Actor, b: BeginUpload) -> Result<(UploadState, Effects)> {
        let hash = parse_hash(&b.sha256)?;
        let limit = i64::try_from(self.limits.max_bytes).unwrap_or(i64::MAX);
        if b.size < 1 {
            return Err(Violation::new("size", "out_of_range", "must be at least 1").into());
        }
        if b.size > limit {
            // A field out of range, not a body too large: nothing was sent yet.
            return Err(Violation::new(
                "size",
                "out_of_range",
                format!("must be at most {limit} (attachments.max_bytes)"),
            )
            .into());
        }
        self.may_upload_to(actor, b.vessel_id).await?;
        let company = actor.company_id;
        let mut tx = self.deps.store.begin(Some(company)).await?;
        if tx.sync_upload(company, hash.as_str()).await?.is_none() {
            let u = SyncUpload {
                sha256: hash.to_string(),
                size: b.size,
                received: 0,
                vessel_id: b.vessel_id.0,
                created_by: actor.user_id.0,
                created_at: self.deps.clock.now(),
                stored: None,
            };
            tx.begin_sync_upload(company, &u).await?;
        }
        let u = tx.sync_upload(company, hash.as_str()).await?.ok_or(Error::NotFound)?;
        tx.commit().await?;
        if u.size != b.size {
            return Err(Error::Conflict {
                code: "upload_size_mismatch",
                message: format!("a file with this hash has {} bytes, not {}", u.size, b.size),
            });
        }
        if u.stored.is_none() && self.files.exists(company, &FileKey::Original(hash.clone())).await? {
            // The company has these bytes already (uploaded directly): nothing to send.
            return self.judge_stored(actor, &u, &hash).await;
        }
        Ok((state_of(&u)?, Effects::default()))
    }

    /// Where the upload of the file with this hash stands.
    pub async fn upload_state(&self, actor: &Actor, sha256: &str) -> Result<UploadState> {
        let hash = parse_hash(sha256)?;
        let mut tx = self.deps.store.begin_read(Some(actor.company_id)).await?;
        let u = tx.sync_upload(actor.company_id, hash.as_str()).await?.ok_or(Error::NotFound)?;
        drop(tx);
        self.may_upload_to(actor, VesselId(u.vessel_id)).await?;
        state_of(&u)
    }

    /// Appends a chunk at `offset`; with the last byte, checks and stores the file and answers
    /// the effects of the attachments it completed ([`App::append_upload`] runs them).
    pub(crate) async fn append_upload(
        &self,
        actor: &Actor,
        sha256: &str,
        offset: i64,
        chunk: Bytes,
    ) -> Result<(UploadState, Effects)> {
        let hash = parse_hash(sha256)?;
        if chunk.is_empty() {
            return Err(Violation::new("body", "empty", "a chunk has at least one byte").into());
        }
        if chunk.len() > MAX_CHUNK {
            return Err(Error::TooLarge { code: "chunk_too_large", limit: MAX_CHUNK as u64 });
        }
        let company = actor.company_id;
        let mut tx = self.deps.store.begin_read(Some(company)).await?;
        let u = tx.sync_upload(company, hash.as_str()).await?.ok_or(Error::NotFound)?;
        drop(tx);
        self.may_upload_to(actor, VesselId(u.vessel_id)).await?;
        if u.stored.is_some() {
            // Complete already: a repeated last chunk whose answer was lost.
            return Ok((state_of(&u)?, Effects::default()));
        }
        let mismatch = |held: i64| Error::Conflict {
            code: "upload_offset_mismatch",
            message: format!("the server holds {held} bytes of this file: send from offset {held}"),
        };
        let len = i64::try_from(chunk.len()).map_err(|e| Error::Internal(e.to_string()))?;
        if offset != u.received {
            return Err(mismatch(u.received));
        }
        if offset + len > u.size {
            return Err(Error::Conflict {
                code: "upload_size_mismatch",
                message: format!("the chunk ends past the file's {} bytes", u.size),
            });
        }
        let mut tx = self.deps.store.begin(Some(company)).await?;
        if !tx.append_sync_upload(company, hash.as_str(), offset, &chunk).await? {
            let held = tx.sync_upload(company, hash.as_str()).await?.map_or(0, |u| u.received);
            return Err(mismatch(held));
        }
        tx.commit().await?;
        let u = SyncUpload { received: offset + len, ..u };
        if u.received < u.size {
            return Ok((state_of(&u)?, Effects::default()));
        }
        self.complete(actor, u, hash).await
    }

    /// Reads the whole upload back through the checks of a direct upload and stores it.
    async fn complete(&self, actor: &Actor, u: SyncUpload, hash: ContentHash) -> Result<(UploadState, Effects)> {
        let company = actor.company_id;
        let mut body = Chunks {
            store: self.deps.store.clone(),
            company,
            sha256: u.sha256.clone(),
            from: 0,
            size: u.size,
            pending: Default::default(),
        };
        let checked = self.store_bytes(actor, &mut body).await;
        let file = match checked {
            Ok(file) if file.sha256 == hash.as_str() => file,
            other => {
                let mut tx = self.deps.store.begin(Some(company)).await?;
                tx.discard_sync_upload(company, hash.as_str()).await?;
                tx.commit().await?;
                other?;
                return Err(Violation::new(
                    "sha256",
                    "upload_hash_mismatch",
                    "the bytes received do not have this hash; the upload was discarded, begin it again",
                )
                .into());
            }
        };
        self.finish(actor, u, file).await
    }

    /// Records what a stored file is, judged from the file store (bytes that arrived directly).
    async fn judge_stored(&self, actor: &Actor, u: &SyncUpload, hash: &ContentHash) -> Result<(UploadState, Effects)> {
        let company = actor.company_id;
        let bytes = self.files.get(company, &FileKey::Original(hash.clone())).await?.ok_or(Error::NotFound)?;
        let mut text = TextCheck::default();
        text.feed(&bytes);
        let Some((content_type, kind)) = sniff_parts(&bytes, text.is_text()) else {
            return Err(Error::Internal("a stored file of no accepted type".into()));
        };
        let has_thumbnail = self.files.exists(company, &FileKey::Thumbnail(hash.clone())).await?;
        let size_bytes = i64::try_from(bytes.len()).map_err(|e| Error::Internal(e.to_string()))?;
        let file = StoredFile {
            sha256: hash.to_string(),
            size_bytes,
            content_type: content_type.to_owned(),
            kind,
            has_thumbnail,
        };
        self.finish(actor, u.clone(), file).await
    }

    /// Marks the upload complete and, in the same unit of work, completes the attachments
    /// pushed pending while it was under way; answers the unit's effects, to run after commit.
    async fn finish(&self, actor: &Actor, u: SyncUpload, file: StoredFile) -> Result<(UploadState, Effects)> {
        let company = actor.company_id;
        let stored = StoredUpload {
            content_type: file.content_type.clone(),
            kind: file.kind.as_str().to_owned(),
            has_thumbnail: file.has_thumbnail,
            completed_at: self.deps.clock.now(),
        };
        let mut uow = UnitOfWork::begin(&*self.deps.store, company).await?;
        // The update takes the upload's row lock first: an attach of this file either committed
        // before (and is listed here pending) or waits and finds the upload complete.
        uow.tx.complete_sync_upload(company, &u.sha256, &stored).await?;
        self.complete_waiting(&mut uow, actor, &file).await?;
        uow.poke_scopes(company, self.deps.clock.now());
        let effects = uow.commit().await?;
        let state = UploadState { sha256: u.sha256, size: file.size_bytes, offset: file.size_bytes, file: Some(file) };
        Ok((state, effects))
    }
}

impl App {
    /// Begins the upload of a file, or finds where it stands ([`AttachmentService`]); when the
    /// company had the bytes already, publishes what the completed upload changed.
    pub async fn begin_upload(&self, actor: &Actor, b: BeginUpload) -> Result<UploadState> {
        let (state, effects) = self.attachments.begin_upload(actor, b).await?;
        effects.run(self).await;
        Ok(state)
    }

    /// Appends a chunk of an upload ([`AttachmentService`]); with the last byte, publishes what
    /// the completed upload changed (attachments that were waiting for it).
    pub async fn append_upload(&self, actor: &Actor, sha256: &str, offset: i64, chunk: Bytes) -> Result<UploadState> {
        let (state, effects) = self.attachments.append_upload(actor, sha256, offset, chunk).await?;
        effects.run(self).await;
        Ok(state)
    }
}

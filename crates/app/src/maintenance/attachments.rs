//! Attachments: photos and documents on equipment, faults and handovers.
//!
//! - An upload names its parent record, which must exist and be visible to the caller (vessel
//!   scope: anything else is "not found"); uploading needs `attachment.upload`.
//! - The body is read only after those checks, into a temporary file ([`Spool`]): counted
//!   (413 past `attachments.max_bytes`, reading stops there), hashed and checked for text on
//!   the way; the temporary file is deleted whatever the outcome.
//! - The type is judged by the file's signature (`attachment::sniff_parts`), never by its name
//!   or the content type the client claims; anything outside the allow-list answers 415.
//! - Images are decoded once, within limits (a small file declaring a huge image is refused),
//!   to make a JPEG thumbnail of at most [`THUMBNAIL_PX`] pixels a side.
//! - The bytes go to the [`FileStore`] by SHA-256 (stored once per company)
//!   ([`AttachmentService::receive`]); then the [`AttachFile`] mutation checks the parent and
//!   the permission again and writes the metadata row, its change-log row and the audit entry
//!   in one unit of work; `attachment.added` is published after commit.
//! - A pushed attach may name a `preview` (a completed upload of a photo: the device's
//!   thumbnail) while its file's upload is begun and not finished: the attachment is then
//!   pending, its thumbnail the preview's and its content refused `file_pending`, until the
//!   upload completing the file completes it ([`AttachmentService::complete_waiting`]).
//! - Reading an attachment, its content or thumbnail needs the parent's read permission and
//!   visibility, checked against the parent as it is now (a refusal is audited like a refused
//!   write).

use std::io::{BufReader, Read, Seek, SeekFrom};
use std::sync::Arc;

use bosun_domain::attachment::{
    Attachment, AttachmentKind, JudgedFile, PENDING_CONTENT_TYPE, ParentKind, TextCheck, sniff_parts,
};
use bosun_domain::permissions::Action;
use bosun_domain::{AttachmentId, EquipmentId, FaultId, HandoverId, VesselId, Violation, check_text};
use bosun_store::{Change, Tx};
use serde::Deserialize;
use serde_json::json;
use tokio::sync::Semaphore;

use crate::config::AttachmentsConfig;
use crate::files::{ContentHash, FileError, FileKey, FileStore};
use crate::realtime::LiveEvent;
use crate::spool::{ByteSource, Spool};
use crate::work::{UnitOfWork, mutator};
use crate::{Actor, Audit, Deps, Error, Result};

/// The longest side of a thumbnail, in pixels.
pub const THUMBNAIL_PX: u32 = 320;

/// The most memory decoding one image may take, everything counted: the decoded pixels, the
/// decoder's own working memory and the thumbnail.
pub const DECODE_BUDGET_BYTES: u64 = 256 * 1024 * 1024;

/// What the PNG decoder may allocate for itself (inflate state, rows, metadata chunks); the
/// `png` crate enforces it.
const PNG_WORKING_BYTES: u64 = 16 * 1024 * 1024;

/// Images decoded at once; more wait, so a burst of uploads cannot exhaust memory.
pub const CONCURRENT_DECODES: usize = 2;

/// A file to attach, as received.
#[derive(Debug, Clone)]
pub struct Upload {
    /// Client-made id (offline clients), else a new one.
    pub id: Option<AttachmentId>,
    /// `equipment`, `fault` or `handover`.
    pub parent_kind: String,
    /// The record it belongs to.
    pub parent_id: uuid::Uuid,
    /// The name it had on the uploader's device.
    pub file_name: String,
}

/// A file kept in the file store under its content hash, as [`AttachmentService::receive`]
/// found it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoredFile {
    /// SHA-256 of its bytes, hex.
    pub sha256: String,
    /// Its size.
    pub size_bytes: i64,
    /// Its type, judged by its content.
    pub content_type: String,
    /// Photo or document.
    pub kind: AttachmentKind,
    /// Whether a thumbnail was made (photos).
    pub has_thumbnail: bool,
}

/// Attaches a received file to a record (`attach_file.v1`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttachFile {
    /// Client-made id (offline clients), else a new one.
    #[serde(default)]
    pub id: Option<AttachmentId>,
    /// The kind of record it belongs to.
    pub parent_kind: ParentKind,
    /// The record it belongs to.
    pub parent_id: uuid::Uuid,
    /// The name it had on the uploader's device.
    pub file_name: String,
    /// The file, already in the file store (pushed: its upload, begun at least).
    pub file: StoredFile,
    /// SHA-256 of a preview (the device's thumbnail, uploaded first) to show until the file's
    /// upload completes: with it, a pushed attach of a file whose upload is begun and not
    /// finished is taken, pending.
    #[serde(default)]
    pub preview: Option<String>,
}

mutator!(AttachFile, "attach_file.v1", Attachment, |app, uow, actor, m| {
    app.attachments.attach(uow, actor, m).await
});

/// Attachment use cases.
#[derive(Clone)]
pub struct AttachmentService {
    /// The store, clock and event hub it works with.
    pub deps: Deps,
    pub(crate) files: Arc<dyn FileStore>,
    pub(crate) limits: AttachmentsConfig,
    pub(crate) decoding: Arc<Semaphore>,
    pub(crate) spool: Spool,
}

impl From<FileError> for Error {
    fn from(e: FileError) -> Self {
        match e {
            // A full or failing disk: the upload may work later.
            FileError::Io(m) => Self::Unavailable(m),
            FileError::BadKey(m) => Self::Internal(format!("stored digest {m:?} is not a digest")),
        }
    }
}

/// The permission reading a record of `kind` needs.
fn read_action(kind: ParentKind) -> Action {
    match kind {
        ParentKind::Equipment => Action::EquipmentRead,
        ParentKind::Fault => Action::FaultRead,
        ParentKind::Handover => Action::HandoverRead,
    }
}

fn parse_kind(field: &str, kind: &str) -> Result<ParentKind> {
    kind.parse::<ParentKind>().map_err(|v| Violation::new(field, v.code, v.message).into())
}

/// Checks an uploaded file's name: shown back on download only, never used as a path.
fn check_file_name(name: &str) -> std::result::Result<String, Violation> {
    let name = check_text("file_name", name, 1, 200)?;
    if name.contains(['/', '\\']) || name == "." || name == ".." {
        return Err(Violation::new("file_name", "not_a_file_name", "must be a file name without folders"));
    }
    Ok(name)
}

/// The name a download is offered under, made by the server: the uploaded name's stem with
/// anything but letters, digits, spaces, `-` and `_` replaced, and the extension of the type
/// the content really has.
pub fn download_name(file_name: &str, content_type: &str, suffix: &str) -> String {
    let ext = match content_type {
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "image/webp" => "webp",
        "application/pdf" => "pdf",
        _ => "txt",
    };
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or_default();
    let stem = base.rsplit_once('.').map_or(base, |(s, _)| s);
    let clean: String = stem
        .chars()
        .map(|c| if c.is_alphanumeric() || matches!(c, ' ' | '-' | '_') { c } else { '_' })
        .take(100)
        .collect();
    let clean = clean.trim();
    let clean = if clean.is_empty() { "attachment" } else { clean };
    format!("{clean}{suffix}.{ext}")
}

/// Decodes an image within its memory budget and makes its thumbnail (JPEG, longest side
/// [`THUMBNAIL_PX`], EXIF orientation applied).
///
/// What the decode will allocate is counted from the file's headers before any pixel is read:
/// the decoded pixels, the decoder's own working memory and the thumbnail; more than
/// [`DECODE_BUDGET_BYTES`] is refused (`image_too_large`), as is a side over `max_side`.
pub fn make_thumbnail<R: Read + Seek>(
    file: R,
    content_type: &str,
    max_side: u32,
) -> std::result::Result<Vec<u8>, Violation> {
    use image::{DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader, Limits};
    let format = match content_type {
        "image/jpeg" => ImageFormat::Jpeg,
        "image/png" => ImageFormat::Png,
        "image/webp" => ImageFormat::WebP,
        other => return Err(Violation::new("body", "unreadable_image", format!("{other} is not an image"))),
    };
    let too_large = || {
        Violation::new(
            "body",
            "image_too_large",
            format!("images may be at most {max_side} pixels wide and high, and take at most 256 MiB to decode"),
        )
    };
    let unreadable = || Violation::new("body", "unreadable_image", "the image cannot be read");
    let refuse = |e: ImageError| match e {
        ImageError::Limits(_) => too_large(),
        _ => unreadable(),
    };
    let mut file = BufReader::new(file);
    let file_len = file.seek(SeekFrom::End(0)).map_err(|_| unreadable())?;
    file.rewind().map_err(|_| unreadable())?;
    let jpeg_coefficients = if format == ImageFormat::Jpeg {
        let bytes = jpeg_coefficient_bytes(&mut file).ok_or_else(unreadable)?;
        file.rewind().map_err(|_| unreadable())?;
        bytes
    } else {
        0
    };

    let mut limits = Limits::default();
    limits.max_image_width = Some(max_side);
    limits.max_image_height = Some(max_side);
    // Only the PNG decoder takes this, at construction, for its own buffers; the pixels are
    // counted below (`into_decoder` does not: `from_decoder` would allocate whatever the header
    // declares).
    limits.max_alloc = Some(PNG_WORKING_BYTES);
    let mut reader = ImageReader::with_format(file, format);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(refuse)?;
    let (width, height) = decoder.dimensions();
    let pixels = u64::from(width) * u64::from(height);
    let working = match format {
        ImageFormat::Png => PNG_WORKING_BYTES,
        // The JPEG decoder reads the whole file into memory, keeps the coefficients of every
        // block when the components come in several scans, and a few rows of blocks besides.
        ImageFormat::Jpeg => file_len + jpeg_coefficients + (u64::from(width) + 32) * 1024,
        // The WebP decoder builds frames and, for animations, a canvas, each up to 4 bytes a pixel.
        _ => pixels * 8,
    };
    let bytes_per_pixel = u64::from(decoder.color_type().bytes_per_pixel());
    // The thumbnail in the image's own type, its turned copy, its RGB copy and its JPEG.
    let thumbnail = u64::from(THUMBNAIL_PX).pow(2) * (2 * bytes_per_pixel + 6);
    let cost = decoder.total_bytes().saturating_add(working).saturating_add(thumbnail);
    if cost > DECODE_BUDGET_BYTES {
        return Err(too_large());
    }

    let orientation = decoder.orientation().map_err(refuse)?;
    let image = DynamicImage::from_decoder(decoder).map_err(refuse)?;
    let mut thumb = image.thumbnail(THUMBNAIL_PX, THUMBNAIL_PX);
    drop(image);
    // Turned after shrinking: turning the whole image by 90° would copy all of it. The box is
    // square, so the result is the same.
    thumb.apply_orientation(orientation);
    let thumb = thumb.into_rgb8();
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80)
        .encode_image(&thumb)
        .map_err(|_| Violation::new("body", "unreadable_image", "no thumbnail can be made of the image"))?;
    Ok(out)
}

/// Runs `work` on a blocking thread in one of the decoding `slots`, held until `work` returns.
///
/// The slot moves into the blocking task: when the client goes away and axum drops the
/// handler, the decode still runs to its end, and a slot freed by the dropped future would let
/// more decodes run at once than [`CONCURRENT_DECODES`] (each up to [`DECODE_BUDGET_BYTES`]).
async fn in_decode_slot<T: Send + 'static>(
    slots: &Arc<Semaphore>,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T> {
    let slot = slots.clone().acquire_owned().await.map_err(|e| Error::Internal(e.to_string()))?;
    tokio::task::spawn_blocking(move || {
        let _slot = slot;
        work()
    })
    .await
    .map_err(|e| Error::Internal(format!("decoding task: {e}")))
}

/// The coefficients the JPEG decoder keeps for the whole image, in bytes, read from the
/// headers up to the first scan; `None` when those cannot be read.
///
/// When every component comes in the first scan (most baseline files) the decoder turns each
/// row of blocks into pixels at once and keeps nothing. Otherwise (progressive files, and
/// baseline files with a scan per component) it keeps a 16-bit coefficient per sample of every
/// component, padded to whole blocks, until the last scan: per component `hs × vs` blocks of
/// 64 per unit of 8 × 8 pixels (interleaved scans count units of the largest sampling).
fn jpeg_coefficient_bytes<R: Read + Seek>(file: &mut R) -> Option<u64> {
    let mut byte = || {
        let mut b = [0u8; 1];
        file.read_exact(&mut b).ok().map(|()| b[0])
    };
    if (byte()?, byte()?) != (0xFF, 0xD8) {
        return None;
    }
    // Progressive, width, height, and each component's horizontal and vertical sampling.
    type Frame = (bool, u64, u64, Vec<(u64, u64)>);
    let mut frame: Option<Frame> = None;
    // A file may carry many metadata segments; a few hundred is more than any camera writes.
    for _ in 0..1000 {
        let mut b = [0u8; 1];
        file.read_exact(&mut b).ok()?;
        if b[0] != 0xFF {
            return None;
        }
        let mut marker = 0xFF;
        while marker == 0xFF {
            file.read_exact(&mut b).ok()?;
            marker = b[0];
        }
        if matches!(marker, 0x01 | 0xD0..=0xD8) {
            continue;
        }
        let mut len = [0u8; 2];
        file.read_exact(&mut len).ok()?;
        let len = u16::from_be_bytes(len).checked_sub(2)?;
        let mut segment = vec![0u8; usize::from(len)];
        match marker {
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                file.read_exact(&mut segment).ok()?;
                let (h, w, n) = (
                    u64::from(u16::from_be_bytes([*segment.get(1)?, *segment.get(2)?])),
                    u64::from(u16::from_be_bytes([*segment.get(3)?, *segment.get(4)?])),
                    usize::from(*segment.get(5)?),
                );
                let sampling = (0..n)
                    .map(|i| segment.get(7 + 3 * i).map(|s| (u64::from(s >> 4), u64::from(s & 0x0F))))
                    .collect::<Option<Vec<_>>>()?;
                frame = Some((matches!(marker, 0xC2 | 0xC6 | 0xCA | 0xCE), w, h, sampling));
            }
            0xDA => {
                file.read_exact(&mut segment).ok()?;
                let (progressive, w, h, sampling) = frame?;
                let in_first_scan = usize::from(*segment.first()?);
                if !progressive && in_first_scan >= sampling.len() {
                    return Some(0);
                }
                let h_max = sampling.iter().map(|s| s.0).max()?.max(1);
                let v_max = sampling.iter().map(|s| s.1).max()?.max(1);
                let (unit_w, unit_h) = if in_first_scan > 1 { (8 * h_max, 8 * v_max) } else { (8, 8) };
                let units = w.div_ceil(unit_w) * h.div_ceil(unit_h);
                return Some(sampling.iter().map(|(hs, vs)| units * 64 * hs * vs * 2).sum());
            }
            0xD9 => return None,
            _ => {
                file.seek(SeekFrom::Current(i64::from(len))).ok()?;
            }
        }
    }
    None
}

impl AttachmentService {
    /// The vessel of the parent record if it exists and the caller may see it, else `NotFound`.
    async fn parent_vessel(
        &self,
        tx: &mut Box<dyn Tx>,
        actor: &Actor,
        kind: ParentKind,
        id: uuid::Uuid,
    ) -> Result<VesselId> {
        let c = actor.company_id;
        let vessel = match kind {
            ParentKind::Equipment => tx.equipment(c, EquipmentId(id)).await?.map(|e| e.vessel_id),
            ParentKind::Fault => tx.fault(c, FaultId(id)).await?.map(|f| f.vessel_id),
            ParentKind::Handover => tx.handover(c, HandoverId(id)).await?.map(|h| h.vessel_id),
        }
        .ok_or(Error::NotFound)?;
        if !self.deps.sees_vessel(tx, actor, vessel).await? {
            return Err(Error::NotFound);
        }
        Ok(vessel)
    }

    /// Receives a file for a record: checks that the caller may attach files to it, reads the
    /// body to a temporary file (counted, hashed, checked for text on the way, never whole into
    /// memory), judges its type by its content, makes a photo's thumbnail and keeps both in the
    /// file store under their content hash. Answers the [`AttachFile`] mutation that records
    /// it; until that commits, the stored bytes belong to no record.
    #[tracing::instrument(skip_all, fields(parent.kind = %input.parent_kind, parent.id = %input.parent_id))]
    pub async fn receive(&self, actor: &Actor, input: Upload, body: &mut dyn ByteSource) -> Result<AttachFile> {
        let kind = parse_kind("parent_kind", &input.parent_kind)?;
        let mut tx = self.deps.store.begin_read(Some(actor.company_id)).await?;
        self.parent_vessel(&mut tx, actor, kind, input.parent_id).await?;
        drop(tx);
        self.deps.authorize(actor, Action::AttachmentUpload, "attachment", None).await?;
        let file_name = check_file_name(&input.file_name)?;

        let file = self.store_bytes(actor, body).await?;
        Ok(AttachFile { id: input.id, parent_kind: kind, parent_id: input.parent_id, file_name, file, preview: None })
    }

    /// Reads a file's bytes to a temporary file (counted, hashed, checked for text on the way),
    /// judges its type by its content, makes a photo's thumbnail and keeps both in the file
    /// store under their content hash. Answers what the file is.
    pub(crate) async fn store_bytes(&self, actor: &Actor, body: &mut dyn ByteSource) -> Result<StoredFile> {
        let limit = self.limits.max_bytes as u64;
        let mut text = TextCheck::default();
        let spooled = self
            .spool
            .take(body, limit, |piece| text.feed(piece))
            .await
            .map_err(|e| Error::from_spool(e, "file_too_large"))?;
        if spooled.is_empty() {
            return Err(Violation::new("body", "empty", "the file is empty").into());
        }
        let Some((content_type, file_kind)) = sniff_parts(spooled.head(), text.is_text()) else {
            return Err(Error::UnsupportedType {
                code: "unsupported_file_type",
                message: "accepted are JPEG, PNG and WebP images, PDF documents and UTF-8 text, \
                          judged by the file's content"
                    .into(),
            });
        };
        let (spooled, thumbnail) = match file_kind {
            AttachmentKind::Photo => {
                let side = self.limits.max_image_pixels_side;
                // The spooled file travels with the decode, so it outlives a dropped request
                // exactly as long as the decode reads it.
                let (spooled, made) = in_decode_slot(&self.decoding, move || {
                    let made = make_thumbnail(spooled.file(), content_type, side);
                    (spooled, made)
                })
                .await?;
                (spooled, Some(made?))
            }
            AttachmentKind::Document => (spooled, None),
        };

        let hash = spooled.hash().clone();
        let size_bytes = i64::try_from(spooled.len()).map_err(|e| Error::Internal(e.to_string()))?;
        self.files.put_file(actor.company_id, &FileKey::Original(hash.clone()), spooled.path()).await?;
        drop(spooled);
        let has_thumbnail = thumbnail.is_some();
        if let Some(t) = thumbnail {
            self.files.put(actor.company_id, &FileKey::Thumbnail(hash.clone()), t).await?;
        }
        Ok(StoredFile {
            sha256: hash.to_string(),
            size_bytes,
            content_type: content_type.to_owned(),
            kind: file_kind,
            has_thumbnail,
        })
    }

    async fn attach(&self, uow: &mut UnitOfWork, actor: &Actor, input: &AttachFile) -> Result<Attachment> {
        let tx = &mut uow.tx;
        let vessel = self.parent_vessel(tx, actor, input.parent_kind, input.parent_id).await?;
        actor.permit_new(Action::AttachmentUpload, "attachment", input.id)?;
        let file_name = check_file_name(&input.file_name)?;
        let f = &input.file;
        let hash = ContentHash::parse(&f.sha256)
            .map_err(|_| Violation::new("file.sha256", "invalid_hash", "must be a SHA-256 in hex"))?;
        let missing = || Violation::new("file.sha256", "file_missing", "no file with this hash was received");
        let no_upload = || -> Error {
            Violation::new(
                "file.sha256",
                "file_missing",
                "no completed upload of this file: upload it first (POST /api/v1/sync/uploads)",
            )
            .into()
        };
        // A pushed mutation's claims about the file are not taken: its upload says what it is.
        let server_side;
        let mut preview = None;
        let mut pending = false;
        let f = if uow.sync.is_some() {
            // Ordered with the upload completing this file: it either completed before (and
            // the attach is complete) or sees this attach pending when it does.
            uow.tx.hold_sync_upload(actor.company_id, hash.as_str()).await?;
            let upload = uow.tx.sync_upload(actor.company_id, hash.as_str()).await?;
            if let Some(named) = &input.preview {
                preview = Some(self.check_preview(&mut uow.tx, actor, named).await?);
            }
            server_side = match upload {
                Some(u) => match u.stored {
                    Some(stored) => StoredFile {
                        sha256: u.sha256,
                        size_bytes: u.size,
                        content_type: stored.content_type,
                        kind: stored
                            .kind
                            .parse::<AttachmentKind>()
                            .map_err(|_| Error::Internal(format!("upload kind {}", stored.kind)))?,
                        has_thumbnail: stored.has_thumbnail,
                    },
                    // Begun, not finished, and a preview to show meanwhile: pending, as far as
                    // the upload knows the file (its announced size), a photo by its preview.
                    None if preview.is_some() => {
                        pending = true;
                        StoredFile {
                            sha256: u.sha256,
                            size_bytes: u.size,
                            content_type: PENDING_CONTENT_TYPE.to_owned(),
                            kind: AttachmentKind::Photo,
                            has_thumbnail: true,
                        }
                    }
                    None => return Err(no_upload()),
                },
                None => return Err(no_upload()),
            };
            &server_side
        } else {
            f
        };
        let tx = &mut uow.tx;
        if !pending {
            if !self.files.exists(actor.company_id, &FileKey::Original(hash.clone())).await? {
                return Err(missing().into());
            }
            if f.has_thumbnail && !self.files.exists(actor.company_id, &FileKey::Thumbnail(hash.clone())).await? {
                return Err(missing().into());
            }
        }
        let now = self.deps.clock.now();
        let mut a = Attachment {
            id: input.id.unwrap_or_else(|| self.deps.ids.id()),
            company_id: actor.company_id,
            parent_kind: input.parent_kind,
            parent_id: input.parent_id,
            vessel_id: vessel,
            kind: f.kind,
            file_name,
            content_type: f.content_type.clone(),
            size_bytes: f.size_bytes,
            sha256: hash.to_string(),
            has_thumbnail: f.has_thumbnail,
            pending,
            preview_sha256: preview.map(|p| p.to_string()),
            uploaded_by: actor.user_id,
            version: 0,
            created_at: now,
        };
        let fields = attachment_json(&a);
        if tx.attachment(actor.company_id, a.id).await?.is_some() {
            return Err(Error::Conflict { code: "id_taken", message: format!("attachment {} already exists", a.id) });
        }
        let change = Change {
            scope: format!("vessel:{vessel}"),
            entity: "attachment",
            row_id: a.id.0,
            op: "insert",
            fields: fields.clone(),
            at: now,
        };
        a.version = tx.record_change(actor.company_id, &change).await?;
        tx.insert_attachment(&a).await?;
        self.deps
            .audit(
                tx,
                actor.company_id,
                Some(actor.user_id),
                &actor.meta,
                Audit::ok("attachment.upload", "attachment", a.id).after(fields),
            )
            .await?;
        uow.publish(LiveEvent {
            company_id: a.company_id,
            vessel_id: Some(a.vessel_id),
            kind: "attachment.added".into(),
            entity_id: a.id.0,
            summary: json!({
                "parent_kind": a.parent_kind.as_str(), "parent_id": a.parent_id,
                "kind": a.kind.as_str(), "file_name": a.file_name, "pending": a.pending,
            }),
            at: now,
        });
        Ok(a)
    }

    /// The preview a pushed attach names: a completed upload of a photo whose thumbnail the
    /// server made, else a field error.
    async fn check_preview(&self, tx: &mut Box<dyn Tx>, actor: &Actor, named: &str) -> Result<ContentHash> {
        let hash = ContentHash::parse(named)
            .map_err(|_| Violation::new("preview", "invalid_hash", "must be a SHA-256 in lowercase hex"))?;
        let stored = tx.sync_upload(actor.company_id, hash.as_str()).await?.and_then(|u| u.stored);
        let Some(stored) = stored else {
            return Err(Violation::new(
                "preview",
                "preview_missing",
                "no completed upload of this preview: upload the thumbnail first (POST /api/v1/sync/uploads)",
            )
            .into());
        };
        let has_thumbnail =
            stored.has_thumbnail && self.files.exists(actor.company_id, &FileKey::Thumbnail(hash.clone())).await?;
        if stored.kind != AttachmentKind::Photo.as_str() || !has_thumbnail {
            return Err(Violation::new("preview", "preview_not_a_photo", "the preview must be an image").into());
        }
        Ok(hash)
    }

    /// Completes, in `uow`, every pending attachment of the company waiting for `file` (its
    /// upload just completed): each row takes what the server judged the file to be, with its
    /// change-log row, its audit entry and `attachment.completed` after commit.
    pub(crate) async fn complete_waiting(&self, uow: &mut UnitOfWork, actor: &Actor, file: &StoredFile) -> Result<()> {
        let company = actor.company_id;
        let waiting = uow.tx.list_pending_attachments_of_file(company, &file.sha256).await?;
        let now = self.deps.clock.now();
        for a in waiting {
            let before = attachment_json(&a);
            let judged = JudgedFile {
                kind: file.kind,
                content_type: file.content_type.clone(),
                size_bytes: file.size_bytes,
                has_thumbnail: file.has_thumbnail,
            };
            // Listed as pending, so it completes.
            let mut done = a.completed(judged).map_err(|e| Error::Internal(e.to_string()))?;
            let fields = attachment_json(&done);
            let change = crate::vessel_change(done.vessel_id, "attachment", done.id.0, "update", fields.clone(), now);
            done.version = uow.tx.record_change(company, &change).await?;
            uow.tx.complete_attachment(&done).await?;
            self.deps
                .audit(
                    &mut uow.tx,
                    company,
                    Some(actor.user_id),
                    &actor.meta,
                    Audit::ok("attachment.complete", "attachment", done.id).before(before).after(fields),
                )
                .await?;
            uow.publish(LiveEvent {
                company_id: company,
                vessel_id: Some(done.vessel_id),
                kind: "attachment.completed".into(),
                entity_id: done.id.0,
                summary: json!({
                    "parent_kind": done.parent_kind.as_str(), "parent_id": done.parent_id,
                    "kind": done.kind.as_str(), "file_name": done.file_name,
                }),
                at: now,
            });
        }
        Ok(())
    }

    /// An attachment's metadata, if the caller may see its parent.
    pub async fn get(&self, actor: &Actor, id: AttachmentId) -> Result<Attachment> {
        let mut tx = self.deps.store.begin_read(Some(actor.company_id)).await?;
        let a = tx.attachment(actor.company_id, id).await?.ok_or(Error::NotFound)?;
        self.parent_vessel(&mut tx, actor, a.parent_kind, a.parent_id).await?;
        drop(tx);
        self.deps.authorize(actor, read_action(a.parent_kind), "attachment", Some(id.to_string())).await?;
        Ok(a)
    }

    /// An attachment and its bytes.
    pub async fn content(&self, actor: &Actor, id: AttachmentId) -> Result<(Attachment, Vec<u8>)> {
        let a = self.get(actor, id).await?;
        if a.pending {
            return Err(Error::Conflict {
                code: "file_pending",
                message: "the full file has not arrived yet; its thumbnail is served meanwhile".into(),
            });
        }
        let key = FileKey::Original(ContentHash::parse(&a.sha256)?);
        let bytes = self
            .files
            .get(actor.company_id, &key)
            .await?
            .ok_or_else(|| Error::Internal(format!("the file of attachment {id} is missing")))?;
        Ok((a, bytes))
    }

    /// An image attachment and its thumbnail (JPEG; a pending photo's is its preview's);
    /// `NotFound` for documents.
    pub async fn thumbnail(&self, actor: &Actor, id: AttachmentId) -> Result<(Attachment, Vec<u8>)> {
        let a = self.get(actor, id).await?;
        if !a.has_thumbnail {
            return Err(Error::NotFound);
        }
        let key = FileKey::Thumbnail(ContentHash::parse(a.thumbnail_sha256())?);
        let bytes = self
            .files
            .get(actor.company_id, &key)
            .await?
            .ok_or_else(|| Error::Internal(format!("the thumbnail of attachment {id} is missing")))?;
        Ok((a, bytes))
    }

    /// The attachments of a record the caller may see, oldest first.
    pub async fn list(&self, actor: &Actor, parent_kind: &str, parent_id: uuid::Uuid) -> Result<Vec<Attachment>> {
        let kind = parse_kind("parent_kind", parent_kind)?;
        let mut tx = self.deps.store.begin_read(Some(actor.company_id)).await?;
        self.parent_vessel(&mut tx, actor, kind, parent_id).await?;
        if !actor.role.may(read_action(kind)) {
            drop(tx);
            return Err(self.deps.refuse(actor, read_action(kind), kind.as_str(), Some(parent_id.to_string())).await);
        }
        Ok(tx.list_attachments(actor.company_id, kind, parent_id).await?)
    }
}

/// The synced and audited fields of an attachment.
fn attachment_json(a: &Attachment) -> serde_json::Value {
    json!({
        "id": a.id, "parent_kind": a.parent_kind.as_str(), "parent_id": a.parent_id, "vessel_id": a.vessel_id,
        "kind": a.kind.as_str(), "file_name": a.file_name, "content_type": a.content_type,
        "size_bytes": a.size_bytes, "sha256": a.sha256, "has_thumbnail": a.has_thumbnail,
        "pending": a.pending, "preview_sha256": a.preview_sha256,
        "uploaded_by": a.uploaded_by, "created_at": a.created_at,
    })
}

#[cfg(test)]
#[path = "../../tests/support/png_bomb.rs"]
mod png_bomb;

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use super::*;

    #[test]
    fn download_names_are_made_by_the_server_from_the_real_type() {
        assert_eq!(download_name("pump.jpg", "image/jpeg", ""), "pump.jpg");
        assert_eq!(download_name("evil.html", "text/plain", ""), "evil.txt");
        assert_eq!(download_name("report.v2.pdf", "application/pdf", ""), "report_v2.pdf");
        assert_eq!(download_name("\"quoted\";.pdf", "application/pdf", ""), "_quoted__.pdf");
        assert_eq!(download_name("Ölkühler Motor.png", "image/png", "-thumbnail"), "Ölkühler Motor-thumbnail.png");
        assert_eq!(download_name(".png", "image/png", ""), "attachment.png");
    }

    #[test]
    fn file_names_with_folders_are_refused() {
        assert!(check_file_name("pump.jpg").is_ok());
        for bad in ["../etc/passwd", "a\\b.txt", "", "..", "tab\there"] {
            assert!(check_file_name(bad).is_err(), "{bad:?}");
        }
    }

    fn png(width: u32, height: u32) -> Vec<u8> {
        let img = image::RgbImage::from_pixel(width, height, image::Rgb([200, 30, 30]));
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn thumbnails_keep_the_aspect_within_320_pixels() {
        let thumb = make_thumbnail(Cursor::new(png(1000, 500)), "image/png", 12_000).unwrap();
        let img = image::load_from_memory_with_format(&thumb, image::ImageFormat::Jpeg).unwrap();
        assert_eq!((img.width(), img.height()), (320, 160));
    }

    #[test]
    fn an_image_larger_than_the_limit_is_refused_before_it_is_decoded() {
        let v = make_thumbnail(Cursor::new(png(800, 10)), "image/png", 500).unwrap_err();
        assert_eq!(v.code, "image_too_large");
        let v = make_thumbnail(Cursor::new(b"\x89PNG\r\n\x1a\nnot really"), "image/png", 500).unwrap_err();
        assert_eq!(v.code, "unreadable_image");
    }

    #[tokio::test]
    async fn a_decode_keeps_its_slot_until_it_ends_even_when_nobody_waits_for_it() {
        let slots = Arc::new(Semaphore::new(CONCURRENT_DECODES));
        let (started, has_started) = tokio::sync::oneshot::channel();
        let (let_end, may_end) = std::sync::mpsc::channel::<()>();
        let mut decode = Box::pin(in_decode_slot(&slots, move || {
            let _ = started.send(());
            let _ = may_end.recv();
        }));
        // Run the upload until its decode has started, then drop it, as axum drops the handler
        // of a client that went away.
        tokio::select! {
            _ = &mut decode => panic!("the decode cannot end before it is let"),
            _ = has_started => {}
        }
        drop(decode);
        assert_eq!(slots.available_permits(), CONCURRENT_DECODES - 1, "the slot stays taken while the decode runs");
        let_end.send(()).unwrap();
        // Every slot comes back once the decode has ended (the timeout only bounds a failure).
        let all = u32::try_from(CONCURRENT_DECODES).unwrap();
        let back = tokio::time::timeout(std::time::Duration::from_secs(30), slots.acquire_many(all)).await;
        assert!(back.is_ok(), "a slot was never given back");
    }

    #[test]
    fn a_baseline_jpeg_keeps_no_coefficients_and_its_thumbnail_is_made() {
        let img = image::RgbImage::from_pixel(400, 200, image::Rgb([10, 120, 200]));
        let mut jpeg = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90).encode_image(&img).unwrap();
        assert_eq!(jpeg_coefficient_bytes(&mut Cursor::new(&jpeg)), Some(0));
        let thumb = make_thumbnail(Cursor::new(&jpeg), "image/jpeg", 12_000).unwrap();
        let thumb = image::load_from_memory_with_format(&thumb, image::ImageFormat::Jpeg).unwrap();
        assert_eq!((thumb.width(), thumb.height()), (320, 160));
        assert_eq!(jpeg_coefficient_bytes(&mut Cursor::new(b"\xFF\xD8\xFF\xD9")), None);
        assert_eq!(jpeg_coefficient_bytes(&mut Cursor::new(b"GIF89a")), None);
    }

    #[test]
    fn the_test_bomb_is_a_real_png_of_one_colour() {
        let img = image::load_from_memory_with_format(&png_bomb::one_colour_rgb16_png(40), image::ImageFormat::Png)
            .unwrap()
            .into_rgb16();
        assert_eq!(img.dimensions(), (40, 40));
        assert!(img.pixels().all(|p| p.0 == [0xC800, 0x1E00, 0x1E00]));
    }

    #[test]
    fn a_small_png_of_864_mb_of_pixels_is_refused_before_they_are_decoded() {
        // 12,000 × 12,000 is within the side limit; at 6 bytes a pixel it is 3.2 times the budget.
        let bomb = png_bomb::one_colour_rgb16_png(12_000);
        assert!(bomb.len() < 2 * 1024 * 1024, "the bomb is {} bytes", bomb.len());
        let refused = make_thumbnail(Cursor::new(bomb), "image/png", 12_000).err().map(|v| v.code);
        assert_eq!(refused, Some("image_too_large"));
    }
}

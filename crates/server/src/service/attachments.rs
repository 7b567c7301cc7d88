//! Attachments: photos and documents on equipment, faults and handovers.
//!
//! - An upload names its parent record, which must exist and be visible to the caller (vessel
//!   scope: anything else is "not found"); uploading needs `attachment.upload`.
//! - The type is judged by the file's signature (`attachment::sniff`), never by its name or
//!   the content type the client claims; anything outside the allow-list answers 415.
//! - Images are decoded once, within limits (a small file declaring a huge image is refused),
//!   to make a JPEG thumbnail of at most [`THUMBNAIL_PX`] pixels a side.
//! - The bytes go to the [`FileStore`] by SHA-256 (stored once per company); the metadata row,
//!   its change-log row and the audit entry commit together; `attachment.added` is published
//!   after commit.
//! - Reading an attachment, its content or thumbnail needs the parent's read permission and
//!   visibility, checked against the parent as it is now (a refusal is audited like a refused
//!   write).

use std::io::Cursor;
use std::sync::Arc;

use bosun_domain::attachment::{Attachment, AttachmentKind, ParentKind, sniff};
use bosun_domain::permissions::Action;
use bosun_domain::{AttachmentId, EquipmentId, FaultId, HandoverId, VesselId, Violation, check_text};
use bosun_store::{Change, Tx};
use serde_json::json;
use tokio::sync::Semaphore;

use super::{Actor, Audit, Deps, Error, Result};
use crate::config::AttachmentsConfig;
use crate::files::{ContentHash, FileError, FileKey, FileStore};
use crate::realtime::LiveEvent;

/// The longest side of a thumbnail, in pixels.
pub const THUMBNAIL_PX: u32 = 320;

/// The most memory one image may take once decoded.
const MAX_DECODED_BYTES: u64 = 256 * 1024 * 1024;

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
    /// The bytes (already within the size cap).
    pub bytes: Vec<u8>,
}

/// Attachment use cases.
#[derive(Clone)]
pub struct AttachmentService {
    pub(crate) deps: Deps,
    pub(crate) files: Arc<dyn FileStore>,
    pub(crate) limits: AttachmentsConfig,
    pub(crate) decoding: Arc<Semaphore>,
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

/// Decodes an image within limits and makes its thumbnail (JPEG, longest side
/// [`THUMBNAIL_PX`], EXIF orientation applied).
pub fn make_thumbnail(bytes: &[u8], content_type: &str, max_side: u32) -> std::result::Result<Vec<u8>, Violation> {
    use image::{DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader, Limits};
    let format = match content_type {
        "image/jpeg" => ImageFormat::Jpeg,
        "image/png" => ImageFormat::Png,
        "image/webp" => ImageFormat::WebP,
        other => return Err(Violation::new("body", "unreadable_image", format!("{other} is not an image"))),
    };
    let refuse = |e: ImageError| match e {
        ImageError::Limits(_) => Violation::new(
            "body",
            "image_too_large",
            format!("images may be at most {max_side} pixels wide and high, and 256 MiB once decoded"),
        ),
        _ => Violation::new("body", "unreadable_image", "the image cannot be read"),
    };
    let mut limits = Limits::default();
    limits.max_image_width = Some(max_side);
    limits.max_image_height = Some(max_side);
    limits.max_alloc = Some(MAX_DECODED_BYTES);
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(refuse)?;
    let orientation = decoder.orientation().map_err(refuse)?;
    let mut image = DynamicImage::from_decoder(decoder).map_err(refuse)?;
    image.apply_orientation(orientation);
    let thumb = image.thumbnail(THUMBNAIL_PX, THUMBNAIL_PX).into_rgb8();
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80)
        .encode_image(&thumb)
        .map_err(|_| Violation::new("body", "unreadable_image", "no thumbnail can be made of the image"))?;
    Ok(out)
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

    /// Attaches a file to a record.
    #[tracing::instrument(skip_all, fields(parent.kind = %input.parent_kind, parent.id = %input.parent_id))]
    pub async fn upload(&self, actor: &Actor, input: Upload) -> Result<Attachment> {
        let kind = parse_kind("parent_kind", &input.parent_kind)?;
        let mut tx = self.deps.store.begin(Some(actor.company_id)).await?;
        let vessel = self.parent_vessel(&mut tx, actor, kind, input.parent_id).await?;
        drop(tx);
        self.deps.authorize(actor, Action::AttachmentUpload, "attachment", None).await?;

        let file_name = check_file_name(&input.file_name)?;
        if input.bytes.is_empty() {
            return Err(Violation::new("body", "empty", "the file is empty").into());
        }
        if input.bytes.len() > self.limits.max_bytes {
            return Err(Error::TooLarge { limit: self.limits.max_bytes });
        }
        let Some((content_type, file_kind)) = sniff(&input.bytes) else {
            return Err(Error::UnsupportedType {
                code: "unsupported_file_type",
                message: "accepted are JPEG, PNG and WebP images, PDF documents and UTF-8 text, \
                          judged by the file's content"
                    .into(),
            });
        };
        let (bytes, thumbnail) = match file_kind {
            AttachmentKind::Photo => {
                let _permit = self.decoding.acquire().await.map_err(|e| Error::Internal(e.to_string()))?;
                let (bytes, side) = (input.bytes, self.limits.max_image_pixels_side);
                let (bytes, made) = tokio::task::spawn_blocking(move || {
                    let made = make_thumbnail(&bytes, content_type, side);
                    (bytes, made)
                })
                .await
                .map_err(|e| Error::Internal(format!("thumbnail task: {e}")))?;
                (bytes, Some(made?))
            }
            AttachmentKind::Document => (input.bytes, None),
        };

        let hash = ContentHash::of(&bytes);
        let size_bytes = i64::try_from(bytes.len()).map_err(|e| Error::Internal(e.to_string()))?;
        self.files.put(actor.company_id, &FileKey::Original(hash.clone()), bytes).await?;
        if let Some(t) = thumbnail.clone() {
            self.files.put(actor.company_id, &FileKey::Thumbnail(hash.clone()), t).await?;
        }

        let now = self.deps.clock.now();
        let mut a = Attachment {
            id: input.id.unwrap_or_default(),
            company_id: actor.company_id,
            parent_kind: kind,
            parent_id: input.parent_id,
            vessel_id: vessel,
            kind: file_kind,
            file_name,
            content_type: content_type.to_owned(),
            size_bytes,
            sha256: hash.to_string(),
            has_thumbnail: thumbnail.is_some(),
            uploaded_by: actor.user_id,
            version: 0,
            created_at: now,
        };
        let fields = attachment_json(&a);
        let mut tx = self.deps.store.begin(Some(actor.company_id)).await?;
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
                &mut tx,
                actor.company_id,
                Some(actor.user_id),
                &actor.meta,
                Audit::ok("attachment.upload", "attachment", a.id).after(fields),
            )
            .await?;
        tx.commit().await?;
        self.deps
            .events
            .publish(LiveEvent {
                company_id: a.company_id,
                vessel_id: a.vessel_id,
                kind: "attachment.added".into(),
                entity_id: a.id.0,
                summary: json!({
                    "parent_kind": a.parent_kind.as_str(), "parent_id": a.parent_id,
                    "kind": a.kind.as_str(), "file_name": a.file_name,
                }),
                at: now,
            })
            .await;
        Ok(a)
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
        let key = FileKey::Original(ContentHash::parse(&a.sha256)?);
        let bytes = self
            .files
            .get(actor.company_id, &key)
            .await?
            .ok_or_else(|| Error::Internal(format!("the file of attachment {id} is missing")))?;
        Ok((a, bytes))
    }

    /// An image attachment and its thumbnail (JPEG); `NotFound` for documents.
    pub async fn thumbnail(&self, actor: &Actor, id: AttachmentId) -> Result<(Attachment, Vec<u8>)> {
        let a = self.get(actor, id).await?;
        if !a.has_thumbnail {
            return Err(Error::NotFound);
        }
        let key = FileKey::Thumbnail(ContentHash::parse(&a.sha256)?);
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
        "uploaded_by": a.uploaded_by, "created_at": a.created_at,
    })
}

#[cfg(test)]
mod tests {
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
        let thumb = make_thumbnail(&png(1000, 500), "image/png", 12_000).unwrap();
        let img = image::load_from_memory_with_format(&thumb, image::ImageFormat::Jpeg).unwrap();
        assert_eq!((img.width(), img.height()), (320, 160));
    }

    #[test]
    fn an_image_larger_than_the_limit_is_refused_before_it_is_decoded() {
        let v = make_thumbnail(&png(800, 10), "image/png", 500).unwrap_err();
        assert_eq!(v.code, "image_too_large");
        let v = make_thumbnail(b"\x89PNG\r\n\x1a\nnot really", "image/png", 500).unwrap_err();
        assert_eq!(v.code, "unreadable_image");
    }
}

//! Attachments: photos and documents on equipment, faults and handovers. The bytes are stored
//! once per company by their SHA-256; this is the metadata row that syncs.

use chrono::{DateTime, Utc};

use crate::equipment::text_enum;
use crate::{AttachmentId, CompanyId, UserId, VesselId};

text_enum!(
    /// What an attachment belongs to.
    ParentKind, "parent_kind", {
        /// An item of equipment.
        Equipment => "equipment",
        /// A fault.
        Fault => "fault",
        /// A handover.
        Handover => "handover",
    }
);

text_enum!(
    /// Photo or document.
    AttachmentKind, "kind", {
        /// An image (JPEG, PNG, WebP); gets a thumbnail.
        Photo => "photo",
        /// A PDF or text document.
        Document => "document",
    }
);

/// The content types Bosun accepts, each with the file signature that must match it.
pub const ALLOWED: [(&str, AttachmentKind, &[u8]); 5] = [
    ("image/jpeg", AttachmentKind::Photo, b"\xFF\xD8\xFF"),
    ("image/png", AttachmentKind::Photo, b"\x89PNG\r\n\x1a\n"),
    ("image/webp", AttachmentKind::Photo, b"RIFF"),
    ("application/pdf", AttachmentKind::Document, b"%PDF-"),
    ("text/plain", AttachmentKind::Document, b""),
];

/// The content type and kind of `bytes`, judged by their signature (never by the name or the
/// type a client claims). Text must be valid UTF-8 without NUL bytes.
pub fn sniff(bytes: &[u8]) -> Option<(&'static str, AttachmentKind)> {
    let mut text = TextCheck::default();
    text.feed(bytes);
    sniff_parts(bytes, text.is_text())
}

/// As [`sniff`], for a file read in pieces: its first bytes (16 are enough for every signature)
/// and whether the whole of it is text ([`TextCheck`]).
pub fn sniff_parts(head: &[u8], is_text: bool) -> Option<(&'static str, AttachmentKind)> {
    for (ct, kind, sig) in ALLOWED {
        let matches = match ct {
            "image/webp" => head.len() >= 12 && head.starts_with(sig) && &head[8..12] == b"WEBP",
            "text/plain" => is_text,
            _ => head.starts_with(sig),
        };
        if matches {
            return Some((ct, kind));
        }
    }
    None
}

/// Whether bytes fed in pieces are text: not empty, valid UTF-8, no NUL byte. A character may
/// be split between two pieces.
#[derive(Debug, Clone, Default)]
pub struct TextCheck {
    seen: bool,
    broken: bool,
    /// The start of a character the last piece ended in (at most 3 bytes).
    pending: Vec<u8>,
}

impl TextCheck {
    /// Checks the next piece.
    pub fn feed(&mut self, mut piece: &[u8]) {
        if self.broken || piece.is_empty() {
            return;
        }
        self.seen = true;
        if piece.contains(&0) {
            self.broken = true;
            return;
        }
        while !self.pending.is_empty() {
            let Some((&next, rest)) = piece.split_first() else { return };
            self.pending.push(next);
            piece = rest;
            match std::str::from_utf8(&self.pending) {
                Ok(_) => self.pending.clear(),
                Err(e) if e.error_len().is_some() => {
                    self.broken = true;
                    return;
                }
                Err(_) => {}
            }
        }
        match std::str::from_utf8(piece) {
            Ok(_) => {}
            Err(e) if e.error_len().is_none() => self.pending = piece[e.valid_up_to()..].to_vec(),
            Err(_) => self.broken = true,
        }
    }

    /// Whether everything fed so far is text.
    pub fn is_text(&self) -> bool {
        self.seen && !self.broken && self.pending.is_empty()
    }
}

/// A stored file's metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// Its id.
    pub id: AttachmentId,
    /// Its company.
    pub company_id: CompanyId,
    /// What it belongs to.
    pub parent_kind: ParentKind,
    /// Which one.
    pub parent_id: uuid::Uuid,
    /// The vessel of the parent (for visibility).
    pub vessel_id: VesselId,
    /// Photo or document.
    pub kind: AttachmentKind,
    /// The name it was uploaded with (for downloads only; never a path).
    pub file_name: String,
    /// The sniffed content type.
    pub content_type: String,
    /// Size in bytes.
    pub size_bytes: i64,
    /// SHA-256 of the bytes (hex), which address them in storage.
    pub sha256: String,
    /// Whether a thumbnail was made (for a pending photo: the preview's).
    pub has_thumbnail: bool,
    /// Whether the full file is still on its way: the attachment was pushed naming a preview
    /// before its upload completed. Its thumbnail is the preview's; its bytes are not served.
    pub pending: bool,
    /// SHA-256 of the preview (the device's thumbnail, uploaded first), when one was named.
    pub preview_sha256: Option<String>,
    /// Who uploaded it.
    pub uploaded_by: UserId,
    /// Server sequence of its last change.
    pub version: i64,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// The content type of a pending attachment, whose full file the server has not judged yet.
pub const PENDING_CONTENT_TYPE: &str = "application/octet-stream";

/// What the server found a file to be once all of its bytes arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JudgedFile {
    /// Photo or document.
    pub kind: AttachmentKind,
    /// The type judged by its content.
    pub content_type: String,
    /// Its size in bytes.
    pub size_bytes: i64,
    /// Whether the server made a thumbnail of it.
    pub has_thumbnail: bool,
}

/// Why an attachment cannot move as asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AttachmentError {
    /// Only a pending attachment is completed.
    #[error("attachment {id} is complete already")]
    AlreadyComplete {
        /// The attachment.
        id: AttachmentId,
    },
}

impl Attachment {
    /// The hash whose thumbnail is shown: the preview's while the full file is on its way.
    pub fn thumbnail_sha256(&self) -> &str {
        match (&self.preview_sha256, self.pending) {
            (Some(preview), true) => preview,
            _ => &self.sha256,
        }
    }

    /// The attachment once its full file arrived, as the server judged that file (the preview
    /// stays named; the thumbnail is the full file's from now on).
    pub fn completed(self, file: JudgedFile) -> Result<Self, AttachmentError> {
        if !self.pending {
            return Err(AttachmentError::AlreadyComplete { id: self.id });
        }
        Ok(Self {
            kind: file.kind,
            content_type: file.content_type,
            size_bytes: file.size_bytes,
            has_thumbnail: file.has_thumbnail,
            pending: false,
            ..self
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_fed_in_pieces_is_judged_as_a_whole() {
        let samples: [&[u8]; 5] =
            ["Ölkühler läuft heiß ⚓ 🚢".as_bytes(), b"plain", b"bad \xff byte", b"nul \0 byte", "ß".as_bytes()];
        for sample in samples {
            let whole = !sample.contains(&0) && std::str::from_utf8(sample).is_ok();
            for cut in 0..=sample.len() {
                let mut t = TextCheck::default();
                t.feed(&sample[..cut]);
                t.feed(&sample[cut..]);
                assert_eq!(t.is_text(), whole, "{sample:?} cut at {cut}");
            }
        }
        let mut t = TextCheck::default();
        t.feed("ß".as_bytes().get(..1).unwrap());
        assert!(!t.is_text(), "a character cut short at the end is no text");
        assert!(!TextCheck::default().is_text(), "nothing is no text");
    }

    fn pending_photo() -> Attachment {
        Attachment {
            id: AttachmentId(uuid::Uuid::nil()),
            company_id: CompanyId(uuid::Uuid::nil()),
            parent_kind: ParentKind::Fault,
            parent_id: uuid::Uuid::nil(),
            vessel_id: VesselId(uuid::Uuid::nil()),
            kind: AttachmentKind::Photo,
            file_name: "pump.jpg".into(),
            content_type: PENDING_CONTENT_TYPE.into(),
            size_bytes: 400_000,
            sha256: "aa".repeat(32),
            has_thumbnail: true,
            pending: true,
            preview_sha256: Some("bb".repeat(32)),
            uploaded_by: UserId(uuid::Uuid::nil()),
            version: 1,
            created_at: DateTime::<Utc>::UNIX_EPOCH,
        }
    }

    #[test]
    fn a_pending_photo_shows_its_preview_until_its_full_file_completes_it_once() {
        let a = pending_photo();
        assert_eq!(a.thumbnail_sha256(), "bb".repeat(32));
        let judged = JudgedFile {
            kind: AttachmentKind::Photo,
            content_type: "image/jpeg".into(),
            size_bytes: 400_000,
            has_thumbnail: true,
        };
        let done = a.completed(judged.clone()).unwrap();
        assert!(!done.pending);
        assert_eq!((done.content_type.as_str(), done.thumbnail_sha256()), ("image/jpeg", "aa".repeat(32).as_str()));
        assert_eq!(done.clone().completed(judged), Err(AttachmentError::AlreadyComplete { id: done.id }));
    }

    #[test]
    fn types_are_judged_by_signature_not_by_claim() {
        assert_eq!(sniff(b"\xFF\xD8\xFF\xE0rest"), Some(("image/jpeg", AttachmentKind::Photo)));
        assert_eq!(sniff(b"%PDF-1.7\n"), Some(("application/pdf", AttachmentKind::Document)));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some(("image/webp", AttachmentKind::Photo)));
        assert_eq!(sniff(b"RIFF\0\0\0\0WAVEfmt "), None);
        assert_eq!(sniff(b"MZ\x90\0\x03\0\0\0"), None, "an executable is refused");
        assert_eq!(sniff(b"plain notes"), Some(("text/plain", AttachmentKind::Document)));
        assert_eq!(sniff(b""), None);
    }
}

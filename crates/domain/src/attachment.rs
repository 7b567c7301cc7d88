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
    for (ct, kind, sig) in ALLOWED {
        let matches = match ct {
            "image/webp" => bytes.len() >= 12 && bytes.starts_with(sig) && &bytes[8..12] == b"WEBP",
            "text/plain" => !bytes.is_empty() && !bytes.contains(&0) && std::str::from_utf8(bytes).is_ok(),
            _ => bytes.starts_with(sig),
        };
        if matches {
            return Some((ct, kind));
        }
    }
    None
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
    /// Whether a thumbnail was made.
    pub has_thumbnail: bool,
    /// Who uploaded it.
    pub uploaded_by: UserId,
    /// Server sequence of its last change.
    pub version: i64,
    /// When.
    pub created_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

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

//! Where the bytes of attachments live: the [`FileStore`] port, addressed by company and
//! SHA-256. The composition root picks its implementation (the server's local disk).
//!
//! Files are content-addressed, so the same bytes uploaded twice (by anyone of the company)
//! are stored once, and a put is idempotent: a retried upload or a second instance writing the
//! same file changes nothing. Every path is made by the server from a company id (a UUID) and a
//! checked hex digest; nothing a client sends becomes part of a path.
//!
//! An S3-compatible store can follow as a second implementation of the trait (the
//! `object_store` crate's `aws` feature); it is not built in because it brings a TLS stack
//! Bosun otherwise does not need, and `object_store`'s own local store renames without the
//! `fsync` this one does.

use std::fmt;
use std::path::Path;

use async_trait::async_trait;
use bosun_domain::CompanyId;

/// A SHA-256 digest as 64 lowercase hex characters, checked so it is safe in a path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ContentHash(String);

impl ContentHash {
    /// The digest of `bytes`.
    pub fn of(bytes: &[u8]) -> Self {
        use sha2::{Digest, Sha256};
        Self(hex::encode(Sha256::digest(bytes)))
    }

    /// Checks a stored digest.
    pub fn parse(s: &str) -> Result<Self, FileError> {
        if s.len() == 64 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
            Ok(Self(s.to_owned()))
        } else {
            Err(FileError::BadKey(s.chars().take(80).collect()))
        }
    }

    /// The hex text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ContentHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Computes a [`ContentHash`] over bytes that arrive in pieces.
#[derive(Default)]
pub struct ContentHasher(sha2::Sha256);

impl ContentHasher {
    /// Adds the next piece.
    pub fn update(&mut self, bytes: &[u8]) {
        sha2::Digest::update(&mut self.0, bytes);
    }

    /// The digest of every piece added.
    pub fn finish(self) -> ContentHash {
        ContentHash(hex::encode(sha2::Digest::finalize(self.0)))
    }
}

/// Which file of an attachment.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FileKey {
    /// The uploaded bytes.
    Original(ContentHash),
    /// The thumbnail made from the uploaded image with this digest.
    Thumbnail(ContentHash),
}

impl FileKey {
    fn hash(&self) -> &ContentHash {
        match self {
            Self::Original(h) | Self::Thumbnail(h) => h,
        }
    }

    /// The object name below the company's folder: `ab/abcd…` or `ab/abcd….thumb`.
    pub fn object_name(&self) -> String {
        let h = self.hash().as_str();
        match self {
            Self::Original(_) => format!("{}/{h}", &h[..2]),
            Self::Thumbnail(_) => format!("{}/{h}.thumb", &h[..2]),
        }
    }
}

/// What can go wrong storing files.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// A digest that is not 64 lowercase hex characters.
    #[error("not a SHA-256 digest: {0:?}")]
    BadKey(String),
    /// The disk (or the remote store) failed.
    #[error("file storage failed: {0}")]
    Io(String),
}

/// Stores the bytes of attachments, per company, addressed by their digest.
#[async_trait]
pub trait FileStore: Send + Sync + 'static {
    /// Stores `bytes` under `key` unless already there (idempotent: same key, same bytes).
    async fn put(&self, company: CompanyId, key: &FileKey, bytes: Vec<u8>) -> Result<(), FileError>;
    /// Stores the contents of the file at `source` under `key` unless already there, reading it
    /// piece by piece (uploads are spooled to a temporary file, never held in memory).
    async fn put_file(&self, company: CompanyId, key: &FileKey, source: &Path) -> Result<(), FileError>;
    /// The bytes under `key`, if stored.
    async fn get(&self, company: CompanyId, key: &FileKey) -> Result<Option<Vec<u8>>, FileError>;
    /// Whether `key` is stored.
    async fn exists(&self, company: CompanyId, key: &FileKey) -> Result<bool, FileError>;
}

//! Request bodies spooled to temporary files: uploads and CSV imports are never held whole in
//! memory.
//!
//! A body is read piece by piece into a temporary file under `<data_dir>/tmp` (created on
//! demand), counted and hashed (SHA-256) on the way. Reading stops at the first byte over the
//! limit, or at once when the body announces more than the limit. The file is deleted when the
//! [`Spooled`] is dropped, whatever the outcome (success, refusal, error, or the request
//! abandoned mid-way), so only a process killed mid-request leaves one behind.
//!
//! Callers check who may send a body before they read it: a refusal costs no read.

use std::path::{Path, PathBuf};

use async_trait::async_trait;
use bytes::Bytes;
use tokio::io::AsyncWriteExt;

use crate::files::{ContentHash, ContentHasher};

/// Where a body's bytes come from, piece by piece (the HTTP request body; tests feed their own).
#[async_trait]
pub trait ByteSource: Send {
    /// The next piece; `None` at the end, an error when the body cannot be read.
    async fn next_piece(&mut self) -> Option<Result<Bytes, String>>;

    /// The length the body announces (`Content-Length`), when it does.
    fn announced_len(&self) -> Option<u64> {
        None
    }
}

/// A whole body already in memory, as one piece.
#[async_trait]
impl ByteSource for Bytes {
    async fn next_piece(&mut self) -> Option<Result<Bytes, String>> {
        (!self.is_empty()).then(|| Ok(std::mem::take(self)))
    }

    fn announced_len(&self) -> Option<u64> {
        u64::try_from(self.len()).ok()
    }
}

/// Pieces sent through a channel, at the sender's pace.
#[async_trait]
impl ByteSource for tokio::sync::mpsc::Receiver<Bytes> {
    async fn next_piece(&mut self) -> Option<Result<Bytes, String>> {
        self.recv().await.map(Ok)
    }
}

/// Why a body was not spooled.
#[derive(Debug, thiserror::Error)]
pub enum SpoolError {
    /// The body is longer than the limit (announced or read).
    #[error("the body is longer than {limit} bytes")]
    TooLarge {
        /// The limit, in bytes.
        limit: u64,
    },
    /// The body could not be read (the client went away, a malformed chunk).
    #[error("the body could not be read: {0}")]
    Unreadable(String),
    /// The temporary file could not be written (a full disk).
    #[error("spooling failed: {0}")]
    Io(String),
}

/// Where bodies are spooled.
#[derive(Debug, Clone)]
pub struct Spool {
    dir: PathBuf,
}

/// A body on disk, deleted when dropped.
#[derive(Debug)]
pub struct Spooled {
    file: tempfile::NamedTempFile,
    len: u64,
    hash: ContentHash,
    head: Vec<u8>,
}

/// How many first bytes a [`Spooled`] keeps in memory (enough for any file signature).
pub const HEAD_BYTES: usize = 64;

impl Spooled {
    /// Where the bytes are.
    pub fn path(&self) -> &Path {
        self.file.path()
    }

    /// The open file (positioned anywhere; seek before reading).
    pub fn file(&self) -> &std::fs::File {
        self.file.as_file()
    }

    /// The body's length in bytes.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Whether the body is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The SHA-256 of the body.
    pub fn hash(&self) -> &ContentHash {
        &self.hash
    }

    /// The first [`HEAD_BYTES`] bytes (fewer when the body is shorter).
    pub fn head(&self) -> &[u8] {
        &self.head
    }
}

impl Spool {
    /// Spools into `dir` (created on first use).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    /// The folder temporary files go to.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Reads `body` into a temporary file, at most `limit` bytes, handing every piece to
    /// `inspect` as it passes.
    pub async fn take(
        &self,
        body: &mut dyn ByteSource,
        limit: u64,
        mut inspect: impl FnMut(&[u8]) + Send,
    ) -> Result<Spooled, SpoolError> {
        if body.announced_len().is_some_and(|n| n > limit) {
            return Err(SpoolError::TooLarge { limit });
        }
        let io = |e: std::io::Error| SpoolError::Io(e.to_string());
        let dir = self.dir.clone();
        let file = tokio::task::spawn_blocking(move || {
            std::fs::create_dir_all(&dir)?;
            tempfile::Builder::new().prefix(".body-").suffix(".tmp").tempfile_in(&dir)
        })
        .await
        .map_err(|e| SpoolError::Io(e.to_string()))?
        .map_err(io)?;
        // Writes go through a second handle; `file` keeps the path and deletes it when dropped,
        // also when this future is dropped half-way.
        let mut out = tokio::fs::File::from_std(file.as_file().try_clone().map_err(io)?);
        let (mut len, mut hasher, mut head) = (0u64, ContentHasher::default(), Vec::new());
        while let Some(piece) = body.next_piece().await {
            let piece = piece.map_err(SpoolError::Unreadable)?;
            len += piece.len() as u64;
            if len > limit {
                return Err(SpoolError::TooLarge { limit });
            }
            if head.len() < HEAD_BYTES {
                let take = (HEAD_BYTES - head.len()).min(piece.len());
                head.extend_from_slice(&piece[..take]);
            }
            hasher.update(&piece);
            inspect(&piece);
            out.write_all(&piece).await.map_err(io)?;
        }
        out.flush().await.map_err(io)?;
        Ok(Spooled { file, len, hash: hasher.finish(), head })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files_in(dir: &Path) -> usize {
        std::fs::read_dir(dir).map_or(0, |d| d.count())
    }

    #[tokio::test]
    async fn a_body_is_counted_hashed_and_deleted_with_its_spool() {
        let dir = tempfile::tempdir().unwrap();
        let spool = Spool::new(dir.path().join("tmp"));
        let (tx, mut rx) = tokio::sync::mpsc::channel(4);
        tx.send(Bytes::from_static(b"pump ")).await.unwrap();
        tx.send(Bytes::from_static(b"photo")).await.unwrap();
        drop(tx);
        let mut seen = Vec::new();
        let spooled = spool.take(&mut rx, 100, |p| seen.extend_from_slice(p)).await.unwrap();
        assert_eq!((spooled.len(), spooled.head()), (10, &b"pump photo"[..]));
        assert_eq!(spooled.hash(), &ContentHash::of(b"pump photo"));
        assert_eq!(std::fs::read(spooled.path()).unwrap(), b"pump photo");
        assert_eq!(seen, b"pump photo");
        assert_eq!(files_in(spool.dir()), 1);
        drop(spooled);
        assert_eq!(files_in(spool.dir()), 0, "the file goes with its spool");
    }

    #[tokio::test]
    async fn reading_stops_at_the_first_byte_over_the_limit_and_leaves_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let spool = Spool::new(dir.path());
        let (tx, mut rx) = tokio::sync::mpsc::channel(4);
        tx.send(Bytes::from(vec![b'a'; 8])).await.unwrap();
        tx.send(Bytes::from(vec![b'a'; 8])).await.unwrap();
        // The channel stays open: a spool that read on would wait here forever.
        let refused = spool.take(&mut rx, 10, |_| {}).await;
        assert!(matches!(refused, Err(SpoolError::TooLarge { limit: 10 })), "{refused:?}");
        assert_eq!(files_in(spool.dir()), 0);
        drop(tx);
        // A body announcing more than the limit is not read at all.
        let refused = spool.take(&mut Bytes::from(vec![b'a'; 11]), 10, |_| panic!("read")).await;
        assert!(matches!(refused, Err(SpoolError::TooLarge { .. })));
    }
}

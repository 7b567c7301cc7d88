//! The local-disk implementation of the app's [`FileStore`] port.
//!
//! Layout on disk: `<root>/<company_id>/<sha256[0..2]>/<sha256>` for the file and
//! `<sha256>.thumb` beside it for an image's thumbnail. A write goes to a temporary file in the
//! same folder, is flushed to disk (`fsync`), renamed into place, and the folder is flushed, so
//! a crash leaves either the whole file or none. An upload is copied from the temporary file it
//! was spooled to (`put_file`), piece by piece, under the same rules.

use std::io::Write;
use std::path::{Path, PathBuf};

use async_trait::async_trait;
use bosun_app::files::{FileError, FileKey, FileStore};
use bosun_domain::CompanyId;

/// Files on the local disk under one root folder (`<data_dir>/files`).
#[derive(Debug, Clone)]
pub struct LocalDisk {
    root: PathBuf,
}

impl LocalDisk {
    /// A store under `root` (created on first write).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    /// Where `key` of `company` lives.
    pub fn path_of(&self, company: CompanyId, key: &FileKey) -> PathBuf {
        self.root.join(company.0.to_string()).join(key.object_name())
    }
}

fn io(e: std::io::Error) -> FileError {
    FileError::Io(e.to_string())
}

/// Writes what `write` writes to `path` durably: temporary file, fsync, rename, fsync of the
/// folder.
fn write_durably(path: &Path, write: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>) -> Result<(), FileError> {
    if path.exists() {
        return Ok(());
    }
    let dir = path.parent().ok_or_else(|| FileError::Io("a file path has a folder".into()))?;
    std::fs::create_dir_all(dir).map_err(io)?;
    let mut tmp = tempfile::Builder::new().prefix(".upload-").suffix(".tmp").tempfile_in(dir).map_err(io)?;
    write(tmp.as_file_mut()).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    // Another writer may have put the same bytes meanwhile; renaming over it is harmless.
    tmp.persist(path).map_err(|e| io(e.error))?;
    std::fs::File::open(dir).and_then(|d| d.sync_all()).map_err(io)?;
    Ok(())
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, FileError> + Send + 'static,
) -> Result<T, FileError> {
    tokio::task::spawn_blocking(f).await.map_err(|e| FileError::Io(e.to_string()))?
}

#[async_trait]
impl FileStore for LocalDisk {
    async fn put(&self, company: CompanyId, key: &FileKey, bytes: Vec<u8>) -> Result<(), FileError> {
        let path = self.path_of(company, key);
        blocking(move || write_durably(&path, |f| f.write_all(&bytes))).await
    }

    async fn put_file(&self, company: CompanyId, key: &FileKey, source: &Path) -> Result<(), FileError> {
        let (path, source) = (self.path_of(company, key), source.to_path_buf());
        blocking(move || {
            write_durably(&path, |f| {
                std::io::copy(&mut std::fs::File::open(&source)?, f)?;
                Ok(())
            })
        })
        .await
    }

    async fn get(&self, company: CompanyId, key: &FileKey) -> Result<Option<Vec<u8>>, FileError> {
        let path = self.path_of(company, key);
        blocking(move || match std::fs::read(&path) {
            Ok(b) => Ok(Some(b)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io(e)),
        })
        .await
    }

    async fn exists(&self, company: CompanyId, key: &FileKey) -> Result<bool, FileError> {
        let path = self.path_of(company, key);
        blocking(move || path.try_exists().map_err(io)).await
    }
}

#[cfg(test)]
mod tests {
    use bosun_app::files::{ContentHash, ContentHasher};

    use super::*;

    fn files_under(dir: &Path) -> Vec<PathBuf> {
        let mut out = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() { stack.push(p) } else { out.push(p) }
            }
        }
        out
    }

    #[tokio::test]
    async fn the_same_bytes_are_stored_once_per_company_under_their_digest() {
        let dir = tempfile::tempdir().unwrap();
        let store = LocalDisk::new(dir.path());
        let (a, b) = (CompanyId::new(), CompanyId::new());
        let key = FileKey::Original(ContentHash::of(b"pump photo"));
        assert!(!store.exists(a, &key).await.unwrap());
        store.put(a, &key, b"pump photo".to_vec()).await.unwrap();
        store.put(a, &key, b"pump photo".to_vec()).await.unwrap();
        store.put(b, &key, b"pump photo".to_vec()).await.unwrap();
        assert_eq!(store.get(a, &key).await.unwrap().as_deref(), Some(&b"pump photo"[..]));
        let files = files_under(dir.path());
        assert_eq!(files.len(), 2, "one file per company, no temporary files left: {files:?}");
        let h = ContentHash::of(b"pump photo");
        let expected = dir.path().join(a.to_string()).join(&h.as_str()[..2]).join(h.as_str());
        assert!(files.contains(&expected), "{files:?}");
        assert_eq!(store.get(a, &FileKey::Thumbnail(h)).await.unwrap(), None);
    }

    #[tokio::test]
    async fn a_file_is_stored_from_its_path_like_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let store = LocalDisk::new(dir.path().join("files"));
        let source = dir.path().join("spooled");
        std::fs::write(&source, b"manual").unwrap();
        let company = CompanyId::new();
        let mut hasher = ContentHasher::default();
        hasher.update(b"man");
        hasher.update(b"ual");
        let key = FileKey::Original(hasher.finish());
        assert_eq!(key, FileKey::Original(ContentHash::of(b"manual")));
        store.put_file(company, &key, &source).await.unwrap();
        store.put_file(company, &key, &source).await.unwrap();
        assert_eq!(store.get(company, &key).await.unwrap().as_deref(), Some(&b"manual"[..]));
        assert_eq!(files_under(&dir.path().join("files")).len(), 1, "no temporary files left");
    }

    #[test]
    fn only_hex_digests_become_paths() {
        assert!(ContentHash::parse(&"a".repeat(64)).is_ok());
        for bad in ["../../etc/passwd", &"A".repeat(64), &"a".repeat(63), &format!("{}/", "a".repeat(63))] {
            assert!(ContentHash::parse(bad).is_err(), "{bad}");
        }
    }
}

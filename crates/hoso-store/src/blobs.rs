//! Content-addressed blob files: `blobs/<first two hex digits>/<sha256>`.
//!
//! A blob is written to `blobs/tmp/`, flushed, renamed into place and the name
//! made durable ([`crate::durable`]: the folder fsynced on Unix, the move written
//! through on Windows), so after [`Blobs::put`] returns the bytes survive a power cut; only
//! then may a row refer to it. Blobs are never rewritten: equal names mean equal
//! bytes.

use std::fs;
use std::path::{Path, PathBuf};

use hoso_model::BlobHash;
use ring::digest::{SHA256, digest};

use crate::{Result, StoreError, durable};

/// The blob folder.
#[derive(Debug, Clone)]
pub struct Blobs {
    root: PathBuf,
}

/// SHA-256 of bytes.
pub fn sha256(bytes: &[u8]) -> BlobHash {
    let d = digest(&SHA256, bytes);
    BlobHash(d.as_ref().try_into().expect("SHA-256 is 32 bytes"))
}

impl Blobs {
    pub(crate) fn open(root: &Path) -> Result<Blobs> {
        let tmp = root.join("tmp");
        fs::create_dir_all(&tmp).map_err(|e| StoreError::io(&tmp, e))?;
        // Files left in tmp/ belong to writes a crash interrupted; no row can point
        // at them, so they go.
        for entry in fs::read_dir(&tmp).map_err(|e| StoreError::io(&tmp, e))? {
            let path = entry.map_err(|e| StoreError::io(&tmp, e))?.path();
            log::info!("removing unfinished blob write {}", path.display());
            fs::remove_file(&path).map_err(|e| StoreError::io(&path, e))?;
        }
        Ok(Blobs { root: root.to_owned() })
    }

    /// Where the blob with this hash lives.
    pub fn path(&self, hash: &BlobHash) -> PathBuf {
        let hex = hash.to_hex();
        self.root.join(&hex[..2]).join(hex)
    }

    /// Hashes and durably writes `bytes`; a blob already present is not rewritten.
    pub fn put(&self, bytes: &[u8]) -> Result<BlobHash> {
        let hash = sha256(bytes);
        let path = self.path(&hash);
        if let Ok(meta) = fs::metadata(&path)
            && meta.len() == bytes.len() as u64
        {
            return Ok(hash);
        }
        let dir = path.parent().expect("blob paths have a folder");
        if !dir.exists() {
            fs::create_dir_all(dir).map_err(|e| StoreError::io(dir, e))?;
            durable::sync_dir(&self.root).map_err(|e| StoreError::io(&self.root, e))?;
        }
        let tmp = self.root.join("tmp").join(format!("{}.{}.part", hash.to_hex(), std::process::id()));
        durable::write_new(&tmp, bytes, false).map_err(|e| StoreError::io(&tmp, e))?;
        durable::rename(&tmp, &path).map_err(|e| StoreError::io(&path, e))?;
        Ok(hash)
    }

    /// Reads a blob and checks its bytes still hash to its name.
    pub fn read(&self, hash: &BlobHash) -> Result<Vec<u8>> {
        let path = self.path(hash);
        let bytes = fs::read(&path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => StoreError::BlobDamaged { hash: hash.to_hex() },
            _ => StoreError::io(&path, e),
        })?;
        if sha256(&bytes) != *hash {
            return Err(StoreError::BlobDamaged { hash: hash.to_hex() });
        }
        Ok(bytes)
    }

    /// Whether the file exists with the expected size (cheap check, no hashing).
    pub fn has(&self, hash: &BlobHash, size: u64) -> bool {
        fs::metadata(self.path(hash)).is_ok_and(|m| m.len() == size)
    }
}

//! Durable file writes on every platform: a file's bytes reach the disk, then it
//! takes its final name in one step, and the name itself is made durable.
//!
//! - Unix: `fsync` the file, `rename`, `fsync` the folder.
//! - Windows: `FlushFileBuffers` through the handle that wrote (a read-only handle
//!   is refused), then `MoveFileExW` with `MOVEFILE_WRITE_THROUGH`, which returns
//!   only once the move is on the disk (folders cannot be flushed there; NTFS
//!   journals the metadata the move changes).
//!
//! Used for blobs, and by hoso-core for the files it owns outside the store
//! (the user's config file, the device key), so the rule lives in one place.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::Path;

/// Writes `bytes` to `path` through a temporary file beside it, durably, so a
/// crash leaves either the old file or the whole new one. `private`: readable by
/// this user only (mode 0600 on Unix, set before any byte is written; on Windows
/// the file inherits the folder's ACL, which for the user's profile is the user).
pub fn write_file(path: &Path, bytes: &[u8], private: bool) -> io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = write_new(&tmp, bytes, private).and_then(|()| rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Writes `bytes` to `path` (replacing a file a crash left there) and flushes
/// them to the disk, without giving the file a final name: for a file that is
/// checked before [`rename`] puts it in place.
pub fn write_new(path: &Path, bytes: &[u8], private: bool) -> io::Result<()> {
    let mut f = create(path, private)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// A new file for writing, truncating one left by an earlier crash.
fn create(path: &Path, private: bool) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = private;
    options.open(path)
}

/// Gives the (already flushed) file `from` the name `to`, replacing what was
/// there, and makes the new name durable.
pub fn rename(from: &Path, to: &Path) -> io::Result<()> {
    move_file(from, to)?;
    match to.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => sync_dir(dir),
        _ => Ok(()),
    }
}

#[cfg(not(windows))]
fn move_file(from: &Path, to: &Path) -> io::Result<()> {
    std::fs::rename(from, to)
}

#[cfg(windows)]
#[allow(unsafe_code)]
fn move_file(from: &Path, to: &Path) -> io::Result<()> {
    use std::os::windows::ffi::OsStrExt;
    use windows_sys::Win32::Storage::FileSystem::{
        MOVEFILE_REPLACE_EXISTING, MOVEFILE_WRITE_THROUGH, MoveFileExW,
    };
    let wide = |p: &Path| p.as_os_str().encode_wide().chain(Some(0)).collect::<Vec<u16>>();
    let (from_w, to_w) = (wide(from), wide(to));
    // SAFETY: both arguments are NUL-terminated UTF-16 strings that outlive the call;
    // MoveFileExW only reads them.
    let ok = unsafe {
        MoveFileExW(from_w.as_ptr(), to_w.as_ptr(), MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)
    };
    if ok == 0 { Err(io::Error::last_os_error()) } else { Ok(()) }
}

/// Makes a new or renamed entry of `dir` durable (Unix); nothing to do on
/// Windows, where the move itself was written through.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_replaced_whole_and_no_temporary_file_is_left() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        write_file(&path, b"first", false).unwrap();
        write_file(&path, b"second, longer", true).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second, longer");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("config.toml")]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
    }

    #[test]
    fn a_write_into_a_missing_folder_fails_and_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("no such folder").join("device.key");
        assert!(write_file(&path, b"key", true).is_err());
        assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none());
    }
}

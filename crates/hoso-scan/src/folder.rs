//! A watched folder, for scanners whose own software saves files (a network
//! scanner's "scan to folder", a vendor's Windows tool).
//!
//! Scanners write a file over seconds, so a file is handed out only once it is
//! stable: non-empty, with the same size and modification time seen by polls at
//! least [`Watcher::settle`] apart. Hidden and temporary names (`.x`, `~x`,
//! `*.tmp`, `*.part`, `*.crdownload`) are ignored. The caller moves a handled
//! file out of the folder ([`Watcher::finish`]), so the folder works as a queue
//! that survives restarts: what is still in it has not been taken.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

/// Where [`Watcher::finish`] puts a file.
pub const IMPORTED: &str = "imported";
pub const REJECTED: &str = "rejected";

/// Polls one folder for finished scan files.
#[derive(Debug)]
pub struct Watcher {
    dir: PathBuf,
    settle: Duration,
    /// Last size and time seen for each candidate, and since when they held.
    seen: HashMap<PathBuf, (u64, SystemTime, Instant)>,
}

fn ignored(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    name.starts_with('.')
        || name.starts_with('~')
        || [".tmp", ".part", ".crdownload", ".partial"].iter().any(|s| lower.ends_with(s))
}

fn is_image(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".png", ".jpg", ".jpeg", ".tif", ".tiff"].iter().any(|s| lower.ends_with(s))
}

impl Watcher {
    /// Watches `dir` (created if missing, with its `imported/` and `rejected/`).
    pub fn new(dir: &Path, settle: Duration) -> std::io::Result<Watcher> {
        for sub in [IMPORTED, REJECTED] {
            std::fs::create_dir_all(dir.join(sub))?;
        }
        Ok(Watcher { dir: dir.to_owned(), settle, seen: HashMap::new() })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// How long a file must stay unchanged.
    pub fn settle(&self) -> Duration {
        self.settle
    }

    /// Looks at the folder once; returns the image files that have been stable
    /// for the settle time, oldest first. A file is returned by every poll until
    /// it is moved out with [`Watcher::finish`].
    pub fn poll(&mut self) -> std::io::Result<Vec<PathBuf>> {
        let now = Instant::now();
        let mut present = Vec::new();
        let mut ready = Vec::new();
        for entry in std::fs::read_dir(&self.dir)? {
            let Ok(entry) = entry else { continue };
            let name = entry.file_name().to_string_lossy().into_owned();
            if ignored(&name) || !is_image(&name) {
                continue;
            }
            let Ok(meta) = entry.metadata() else { continue };
            if !meta.is_file() {
                continue;
            }
            let path = entry.path();
            let (len, modified) = (meta.len(), meta.modified().unwrap_or(SystemTime::UNIX_EPOCH));
            present.push(path.clone());
            let since = match self.seen.get(&path) {
                Some(&(l, m, since)) if l == len && m == modified => since,
                _ => {
                    self.seen.insert(path.clone(), (len, modified, now));
                    now
                }
            };
            if len > 0 && now.duration_since(since) >= self.settle {
                ready.push((modified, path));
            }
        }
        self.seen.retain(|p, _| present.contains(p));
        ready.sort();
        Ok(ready.into_iter().map(|(_, p)| p).collect())
    }

    /// Moves a handled file into `imported/` or `rejected/` (with a `.txt` note
    /// saying why), never overwriting: a name taken gets a numbered suffix.
    pub fn finish(&mut self, file: &Path, rejected_because: Option<&str>) -> std::io::Result<PathBuf> {
        let sub = if rejected_because.is_some() { REJECTED } else { IMPORTED };
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let mut target = self.dir.join(sub).join(&name);
        let mut n = 1;
        while target.exists() {
            target = self.dir.join(sub).join(format!("{n}-{name}"));
            n += 1;
        }
        std::fs::rename(file, &target)?;
        if let Some(reason) = rejected_because {
            let mut note = target.clone().into_os_string();
            note.push(".txt");
            std::fs::write(note, format!("{reason}\n"))?;
        }
        self.seen.remove(file);
        Ok(target)
    }
}

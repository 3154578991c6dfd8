//! Importing page files (PNG, JPEG, TIFF with any number of pages) into a record.
//!
//! Each file is read, fully decoded within the limits of hoso-imaging, written as
//! a blob and registered with its pages in one transaction, before the next file
//! is touched. A bad file is reported and skipped; what was stored before it
//! stays. Importing the same file into the same record again adds nothing, so an
//! interrupted import is resumed by running it again.

use std::path::{Path, PathBuf};

use anyhow::Context;
use hoso_i18n::{Localized, Message, err, msg};
use hoso_imaging::{Format, ImageError, Limits};
use hoso_model::Record;
use hoso_store::{NewPages, PageInput, PageResult};
use serde::Serialize;

use crate::{App, now};

/// Largest file accepted; a 100-page colour TIFF at 300 dpi stays well below.
const MAX_FILE_BYTES: u64 = 512 << 20;

/// Why one file could not be imported. Nothing already stored is affected.
#[derive(Debug)]
#[non_exhaustive]
pub enum ImportError {
    /// The file cannot be opened or read.
    Unreadable {
        /// The file.
        path: PathBuf,
        /// Cause.
        source: std::io::Error,
    },
    /// Larger than [`MAX_FILE_BYTES`].
    TooBig {
        /// The file.
        path: PathBuf,
        /// Its size in MB.
        mb: u64,
    },
    /// Not a usable image.
    Image {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        source: ImageError,
    },
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.message().fmt(f)
    }
}

impl std::error::Error for ImportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ImportError::Unreadable { source, .. } => Some(source),
            ImportError::Image { source, .. } => Some(source),
            ImportError::TooBig { .. } => None,
        }
    }
}

impl ImportError {
    /// Stable code for the UI and scripts.
    pub fn code(&self) -> &'static str {
        match self {
            ImportError::Unreadable { source, .. } => match source.kind() {
                std::io::ErrorKind::NotFound => "not_found",
                std::io::ErrorKind::PermissionDenied => "permission_denied",
                _ => "unreadable",
            },
            ImportError::TooBig { .. } => "too_large",
            ImportError::Image { source, .. } => source.code(),
        }
    }

    /// What happened and what to do.
    pub fn message(&self) -> Message {
        let file = |p: &Path| p.display().to_string();
        match self {
            ImportError::Unreadable { path, source } => match self.code() {
                "not_found" => msg!("import-not-found", file = file(path)),
                "permission_denied" => msg!("import-permission-denied", file = file(path)),
                _ => msg!("import-unreadable", file = file(path), why = source.to_string()),
            },
            ImportError::TooBig { path, mb } => msg!("import-too-big", file = file(path), mb = *mb),
            ImportError::Image { path, source } => {
                msg!("import-image", file = file(path), why = source.message())
            }
        }
    }
}

/// What happened to one file.
#[derive(Debug, Clone, Serialize)]
pub struct FileOutcome {
    /// The file as given.
    pub path: PathBuf,
    /// Pages stored now.
    pub added: Vec<i64>,
    /// Pages the record already had from this file.
    pub already: Vec<i64>,
    /// Why it was skipped: stable code.
    pub error_code: Option<&'static str>,
    /// Why it was skipped.
    pub error: Option<Localized>,
}

/// Outcome of [`App::import`].
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    /// Record code.
    pub record: String,
    /// Component the pages went to.
    pub component: u16,
    /// One entry per file, in order.
    pub files: Vec<FileOutcome>,
}

impl ImportReport {
    /// Pages stored by this run.
    pub fn pages_added(&self) -> usize {
        self.files.iter().map(|f| f.added.len()).sum()
    }

    /// Pages the record already held (the same file imported again).
    pub fn pages_already(&self) -> usize {
        self.files.iter().map(|f| f.already.len()).sum()
    }

    /// Files skipped because of an error.
    pub fn failed(&self) -> usize {
        self.files.iter().filter(|f| f.error_code.is_some()).count()
    }
}

/// Expands folders into the image files they hold, sorted by name; files stay as given.
fn expand(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut inside: Vec<PathBuf> = std::fs::read_dir(p)
                .with_context(|| err!("folder-unreadable", folder = p))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.is_file() && crate::is_image_path(f))
                .collect();
            inside.sort();
            out.extend(inside);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

fn read_image(path: &Path) -> Result<(Vec<u8>, Format, Vec<PageInput>), ImportError> {
    let unreadable = |source| ImportError::Unreadable { path: path.to_owned(), source };
    let meta = std::fs::metadata(path).map_err(unreadable)?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(ImportError::TooBig { path: path.to_owned(), mb: meta.len() >> 20 });
    }
    let bytes = std::fs::read(path).map_err(unreadable)?;
    inspect(path, bytes)
}

/// Checks bytes that claim to be one image file named `path`.
fn inspect(path: &Path, bytes: Vec<u8>) -> Result<(Vec<u8>, Format, Vec<PageInput>), ImportError> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(ImportError::TooBig { path: path.to_owned(), mb: (bytes.len() >> 20) as u64 });
    }
    let (format, frames) = hoso_imaging::inspect(&bytes, &Limits::default())
        .map_err(|source| ImportError::Image { path: path.to_owned(), source })?;
    let frames = frames
        .iter()
        .map(|f| PageInput { frame: f.index, width: f.width, height: f.height, dpi: f.dpi })
        .collect();
    Ok((bytes, format, frames))
}

/// One image file (already decoded and checked) to store as pages.
pub(crate) struct ImageFile<'a> {
    pub bytes: &'a [u8],
    pub format: Format,
    pub frames: &'a [PageInput],
    /// Where it came from, for the audit log.
    pub origin: &'a str,
    /// A scan profile's blank threshold (share of ink), if any.
    pub blank_below: Option<f32>,
}

impl App {
    /// Stores one image file as a blob and its frames as pages of
    /// `component`, in one transaction with their jobs.
    pub(crate) fn store_image(
        &mut self,
        record: &Record,
        component: u16,
        image: &ImageFile<'_>,
    ) -> anyhow::Result<Vec<PageResult>> {
        let ImageFile { bytes, format, frames, origin, blank_below } = *image;
        let hash = self.store.blobs().put(bytes)?;
        let media = match format {
            Format::Png => "image/png",
            Format::Jpeg => "image/jpeg",
            Format::Tiff => "image/tiff",
        };
        let added = self.store.add_pages(
            &record.id,
            &NewPages {
                component,
                source: &hash,
                size: bytes.len() as u64,
                media_type: media,
                frames,
                origin,
                blank_below,
                actor: self.actor.name(),
                now: now(),
            },
        )?;
        Ok(added.pages)
    }

    /// The record `key` if pages may still be added to it.
    pub(crate) fn record_taking_pages(&self, key: &str) -> anyhow::Result<Record> {
        let record = self.store.record(key)?;
        if !record.state.accepts_pages() {
            anyhow::bail!(err!(
                "state-wrong-for-pages",
                record = record.code.to_string(),
                state = record.state.message()
            ));
        }
        Ok(record)
    }

    /// Imports files (folders are expanded to the images in them) as pages of
    /// component `component` of the record `key` (UUID or code).
    pub fn import(&mut self, key: &str, component: u16, paths: &[PathBuf]) -> anyhow::Result<ImportReport> {
        self.require_signed_in()?;
        let record = self.record_taking_pages(key)?;
        let files = expand(paths)?.into_iter().map(|path| {
            let read = read_image(&path);
            (path, read)
        });
        self.import_read(key, &record, component, files)
    }

    /// Imports files handed over as their name and bytes (the desktop's file
    /// picker sends them so), exactly as [`App::import`] would import them
    /// from disk. Only the name's last part is kept, as the page's origin.
    pub fn import_files(
        &mut self,
        key: &str,
        component: u16,
        files: Vec<(String, Vec<u8>)>,
    ) -> anyhow::Result<ImportReport> {
        self.require_signed_in()?;
        let record = self.record_taking_pages(key)?;
        let files = files.into_iter().map(|(name, bytes)| {
            let path = PathBuf::from(Path::new(&name).file_name().unwrap_or(name.as_ref()));
            let read = inspect(&path, bytes);
            (path, read)
        });
        self.import_read(key, &record, component, files)
    }

    /// Stores each file that was read, in turn; one that was not is reported.
    fn import_read(
        &mut self,
        key: &str,
        record: &Record,
        component: u16,
        files: impl Iterator<Item = (PathBuf, Result<(Vec<u8>, Format, Vec<PageInput>), ImportError>)>,
    ) -> anyhow::Result<ImportReport> {
        let mut report = ImportReport { record: record.code.to_string(), component, files: Vec::new() };
        for (path, read) in files {
            let mut outcome = FileOutcome {
                path: path.clone(),
                added: Vec::new(),
                already: Vec::new(),
                error_code: None,
                error: None,
            };
            match read {
                Err(e) => {
                    log::warn!("import skipped {}: {e}", path.display());
                    outcome.error_code = Some(e.code());
                    outcome.error = Some(Localized(e.message()));
                }
                Ok((bytes, format, frames)) => {
                    let origin =
                        path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                    let image = ImageFile {
                        bytes: &bytes,
                        format,
                        frames: &frames,
                        origin: &origin,
                        blank_below: None,
                    };
                    for r in self.store_image(record, component, &image)? {
                        match r {
                            PageResult::Added(p) => outcome.added.push(p),
                            PageResult::AlreadyThere(p) => outcome.already.push(p),
                        }
                    }
                }
            }
            report.files.push(outcome);
        }
        self.settle_after_adding(key)?;
        Ok(report)
    }
}

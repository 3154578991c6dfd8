//! Sealing records and sending them to the hub: the outbox.
//!
//! `seal` fixes the manifest (every raw page and document with its SHA-256,
//! the audit head) and queues the record; `sync` works the queue: blobs first
//! (resumable, each checked by the hub against its name), then the manifest;
//! the hub's signed receipt is checked and kept, and the record is Synced.
//! Transient failures back off with jitter and are retried; a record the hub
//! refuses (or a conflicting manifest) becomes Rejected with the reason and
//! never blocks the others.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, bail};
use hoso_i18n::err;
use hoso_model::{PageState, RecordState};
use hoso_store::{Document, DocumentKind, NewDocument, SYNC_JOB, jobs};
use hoso_sync::client::{Client, SyncError};
use hoso_sync::{Manifest, ManifestFile, Receipt, SigningKey};
use serde::Serialize;

use crate::{App, now};

/// A sync lease lasts this long; a killed sync is taken back after it.
const LEASE_MS: i64 = 5 * 60 * 1000;

/// What one `sync` run did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SyncReport {
    pub synced: Vec<String>,
    pub rejected: Vec<(String, String)>,
    /// Records left for a later attempt, with the reason.
    pub postponed: Vec<(String, String)>,
    pub blobs_sent: usize,
    pub bytes_sent: u64,
}

/// A line of the sync ledger.
#[derive(Debug, Clone, Serialize)]
pub struct LedgerEntry {
    pub record: String,
    pub state: RecordState,
    pub attempts: i64,
    pub last_error: Option<String>,
}

/// Whether records may go to `url`: over HTTPS, or plain HTTP to this machine
/// only (a hub on loopback: tests, demos). Names, ID numbers and the pages
/// never cross a network in clear.
pub(crate) fn hub_transport_ok(url: &str) -> bool {
    if url.starts_with("https://") {
        return true;
    }
    let Some(rest) = url.strip_prefix("http://") else { return false };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => authority.rsplit_once(':').map_or(authority, |(h, _)| h),
    };
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

impl App {
    fn device_key_path(&self) -> PathBuf {
        self.config.data_dir.join("device.key")
    }

    /// The workstation's Ed25519 key (made on first use) and its public half,
    /// which IT enrols at the hub (`hoso-hub enrol`).
    pub fn device_key(&self) -> anyhow::Result<String> {
        Ok(self.load_device_key()?.public_hex())
    }

    fn load_device_key(&self) -> anyhow::Result<SigningKey> {
        let path = self.device_key_path();
        if !path.exists() {
            let pkcs8 = SigningKey::generate();
            // Private from its first byte (0600), flushed and renamed durably.
            hoso_store::durable::write_file(&path, &pkcs8, true)
                .with_context(|| err!("file-cannot-write", file = &path))?;
        }
        SigningKey::from_pkcs8(&std::fs::read(&path)?).context(err!("sync-device-key-damaged"))
    }

    /// Seals a record: its manifest is fixed and it is queued for the hub.
    pub fn seal(&mut self, key: &str) -> anyhow::Result<Manifest> {
        self.require_signed_in()?;
        let record = self.store.record(key)?;
        if !record.state.can_go_to(RecordState::Sealed) {
            bail!(err!(
                "state-wrong-for-seal",
                record = record.code.to_string(),
                state = record.state.message()
            ));
        }
        let audit = hoso_store::audit::verify(self.store.conn())?;
        if let Some(b) = audit.broken {
            bail!(err!("audit-damaged-no-seal", at = format!("{b:?}")));
        }
        let documents = self.store.documents(&record.id)?;
        let components = self.store.components(&record.id)?;
        let mut files = Vec::new();
        for page in self.store.pages(&record.id)?.into_iter().filter(|p| p.state == PageState::Processed) {
            let size = self.store.blob_size(&page.source)?.context("page blob row missing")?;
            files.push(ManifestFile {
                role: "page".into(),
                component: page.component,
                ordinal: page.ordinal,
                sha256: page.source.to_hex(),
                size,
                media_type: String::new(),
                original_record: None,
            });
        }
        for c in &components {
            let has_pages = files.iter().any(|f| f.component == c.ordinal);
            let pdfa = crate::certify::pdfa_of(&documents, c.ordinal);
            if has_pages && pdfa.is_none() {
                bail!(err!("component-no-pdfa-build", component = c.ordinal));
            }
            if has_pages && pdfa.is_some_and(|d| d.stale) {
                bail!(err!("component-pdfa-stale", component = c.ordinal));
            }
            // A certified copy of an older PDF/A does not show the pages as they are.
            let certified = crate::certify::current_certified(&documents, c.ordinal);
            // The sealed record carries the copy with its validation data
            // when it can be had now (PAdES B-LT), else the copy as signed.
            let certified = match certified {
                Some(d) => Some(self.complete_validation_data(&record.id, d)?),
                None => None,
            };
            let certified = certified.as_ref();
            if has_pages && c.needs_certification && certified.is_none() {
                bail!(err!("component-needs-certification", component = c.ordinal));
            }
            for (d, role) in [(pdfa, "pdfa"), (certified, "certified")] {
                if let Some(d) = d {
                    files.push(ManifestFile {
                        role: role.into(),
                        component: c.ordinal,
                        ordinal: 0,
                        sha256: d.blob.to_hex(),
                        size: d.size,
                        media_type: "application/pdf".into(),
                        original_record: None,
                    });
                }
            }
        }
        // Components attached by reference: the original's document, by hash.
        for r in self.store.reused(&record.id)? {
            files.push(ManifestFile {
                role: "reused".into(),
                component: r.component,
                ordinal: 0,
                sha256: r.sha256,
                size: r.size,
                media_type: "application/pdf".into(),
                original_record: Some(r.original_record),
            });
        }
        let manifest = Manifest {
            version: 1,
            record_id: record.id.to_string(),
            code: record.code.to_string(),
            procedure: record.procedure.clone(),
            unit: record.code.unit().to_string(),
            channel: record.channel.portal_code(),
            applicant_name: record.applicant.name.clone(),
            applicant_id: record.applicant.personal_id.as_ref().map(|p| p.as_str().to_owned()),
            applicant_identity: Some(manifest_identity(&record.applicant.identity)),
            received_at: record.received_at.format("%Y-%m-%dT%H:%M:%S%:z").to_string(),
            sealed_at: now().format("%Y-%m-%dT%H:%M:%S%:z").to_string(),
            components: components
                .iter()
                .map(|c| hoso_sync::ManifestComponent {
                    ordinal: c.ordinal,
                    code: c.code.clone(),
                    name: c.name.clone(),
                })
                .collect(),
            files,
            audit_head: audit.head,
        };
        let json = serde_json::to_string(&manifest)?;
        self.store.seal(&record.id, record.state, &json, &manifest.digest(), self.actor.name(), now())?;
        Ok(manifest)
    }

    /// A certified copy with the validation data of PAdES B-LT, stored as the
    /// component's newest certified document when it was missing and can be
    /// had now; else `doc` itself (what is missing is logged).
    pub(crate) fn complete_validation_data(
        &mut self,
        record: &hoso_model::RecordId,
        doc: &Document,
    ) -> anyhow::Result<Document> {
        // Nothing to add without a TSA and roots: the copy is not read.
        if self.ltv_roots().is_none() {
            return Ok(doc.clone());
        }
        let pdf = self.store.blobs().read(&doc.blob)?;
        match self.validation_data(&pdf) {
            Some((Some(lt), _)) => {
                let blob = self.store.blobs().put(&lt)?;
                let at = now();
                let id = self.store.add_document(&NewDocument {
                    record,
                    component: doc.component,
                    blob: &blob,
                    size: lt.len() as u64,
                    pages: doc.pages,
                    kind: DocumentKind::Certified,
                    actor: self.actor.name(),
                    now: at,
                })?;
                Ok(Document { id, blob, size: lt.len() as u64, created_at: at.to_rfc3339(), ..doc.clone() })
            }
            Some((None, crate::ValidationData::Pending { missing })) => {
                let why: Vec<String> = missing.iter().map(|m| m.0.text(hoso_i18n::Lang::En)).collect();
                log::warn!(
                    "record {record}, component {}: sealed without validation data: {}",
                    doc.component,
                    why.join("; ")
                );
                Ok(doc.clone())
            }
            _ => Ok(doc.clone()),
        }
    }

    /// A client of the hub (`hub` overrides `hub_url`): over HTTPS (plain
    /// HTTP to this machine only), with `hub_key` set, as this device.
    pub(crate) fn hub_client(&self, hub: Option<&str>) -> anyhow::Result<Client> {
        let hub =
            hub.map(str::to_owned).or_else(|| self.config.hub_url.clone()).context(err!("sync-no-hub"))?;
        let device = self.config.device_id.clone().context(err!("sync-no-device"))?;
        if !hub_transport_ok(&hub) {
            bail!(err!("sync-hub-not-https", url = &hub));
        }
        // Without the hub's key a receipt proves nothing: no record leaves unanchored.
        if self.config.hub_key.is_none() {
            bail!(err!("sync-no-hub-key"));
        }
        let ca = match &self.config.hub_ca {
            Some(path) => {
                Some(std::fs::read(path).with_context(|| err!("sync-hub-ca-unreadable", file = path))?)
            }
            None => None,
        };
        Ok(Client::new(&hub, &device, self.load_device_key()?, Duration::from_secs(60), ca.as_deref())?)
    }

    /// Works the outbox until no record is due. `hub` overrides `hub_url`;
    /// `now` makes records waiting for their next attempt due at once.
    pub fn sync(&mut self, hub: Option<&str>, now_please: bool) -> anyhow::Result<SyncReport> {
        self.require_signed_in()?;
        // One sender per store: its leases are recovered only under this lock.
        let _lock = crate::WorkerLock::acquire_named(&self.config.data_dir, "sync.lock")?;
        let client = self.hub_client(hub)?;
        let owner = format!("sync-pid{}", std::process::id());
        jobs::recover_kind(self.store.conn(), SYNC_JOB, now().timestamp_millis())?;
        if now_please {
            jobs::run_now(self.store.conn(), SYNC_JOB, now().timestamp_millis())?;
        }
        let mut report = SyncReport::default();
        while let Some(job) =
            jobs::lease(self.store.conn(), SYNC_JOB, &owner, now().timestamp_millis(), LEASE_MS)?
        {
            let id: hoso_model::RecordId = job.subject.parse().context("sync job without a record id")?;
            let record = self.store.record(&job.subject)?;
            let code = record.code.to_string();
            match self.send(&client, &id, &mut report) {
                Ok(receipt) => {
                    self.store.synced(&id, &serde_json::to_string(&receipt)?, self.actor.name(), now())?;
                    jobs::complete(self.store.conn(), job.id, &owner, now().timestamp_millis())?;
                    report.synced.push(code);
                }
                Err(e) => {
                    let retry =
                        if e.is_transient() { jobs::Retry::Transient } else { jobs::Retry::Permanent };
                    let reason = e.to_string();
                    jobs::fail(self.store.conn(), &job, &owner, &reason, retry, now().timestamp_millis())?;
                    if e.is_transient() {
                        report.postponed.push((code, reason));
                    } else {
                        self.store.sync_rejected(&id, &reason, self.actor.name(), now())?;
                        report.rejected.push((code, reason));
                    }
                }
            }
        }
        Ok(report)
    }

    fn send(
        &self,
        client: &Client,
        id: &hoso_model::RecordId,
        report: &mut SyncReport,
    ) -> Result<Receipt, SyncError> {
        let local = |e: anyhow::Error| SyncError::Transient(format!("local store: {e}"));
        let (json, digest) = self
            .store
            .sealed_manifest(id)
            .map_err(|e| local(e.into()))?
            .ok_or_else(|| SyncError::Permanent("not sealed".into()))?;
        let manifest: Manifest =
            serde_json::from_str(&json).map_err(|e| SyncError::Permanent(format!("manifest: {e}")))?;
        for f in &manifest.files {
            let hash: hoso_model::BlobHash =
                f.sha256.parse().map_err(|_| SyncError::Permanent("bad hash".into()))?;
            if client.blob_state(&f.sha256)? == Some((f.size, true)) {
                continue;
            }
            if f.role == "reused" {
                // The hub answered the lookup with it: it cannot be sent from here.
                return Err(SyncError::Permanent(format!(
                    "the reused document {} is not at the hub",
                    f.sha256
                )));
            }
            let bytes = self.store.blobs().read(&hash).map_err(|e| local(e.into()))?;
            client.put_blob(&f.sha256, &bytes)?;
            report.blobs_sent += 1;
            report.bytes_sent += bytes.len() as u64;
        }
        let receipt = client.put_record(&manifest)?;
        if receipt.manifest_sha256 != digest || receipt.record_id != manifest.record_id {
            return Err(SyncError::Transient("the receipt is for another manifest".into()));
        }
        if self.config.hub_key.as_deref().is_none_or(|hub_key| !receipt.verify(hub_key)) {
            return Err(SyncError::Transient("the receipt's signature is not the hub's".into()));
        }
        Ok(receipt)
    }

    /// The sync ledger: every sealed record with its state and last error.
    /// Queues a rejected record again; the next `sync` sends it.
    pub fn retry_sync(&mut self, key: &str) -> anyhow::Result<()> {
        self.require_signed_in()?;
        let record = self.store.record(key)?;
        Ok(self.store.requeue_rejected(&record.id, self.actor.name(), now())?)
    }

    pub fn sync_ledger(&self) -> anyhow::Result<Vec<LedgerEntry>> {
        self.require_signed_in()?;
        let mut out = Vec::new();
        for state in [RecordState::Queued, RecordState::Rejected, RecordState::Synced] {
            for s in self.store.list_records(Some(state), u32::MAX)? {
                let (attempts, last_error) = self
                    .store
                    .conn()
                    .query_row(
                        "SELECT attempts, last_error FROM jobs WHERE kind = ?1 AND subject = ?2",
                        [SYNC_JOB, &s.record.id.to_string()],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .unwrap_or((0, None));
                out.push(LedgerEntry { record: s.record.code.to_string(), state, attempts, last_error });
            }
        }
        Ok(out)
    }
}

/// A record's identity check as the manifest carries it.
fn manifest_identity(i: &hoso_model::IdentityCheck) -> hoso_sync::ManifestIdentity {
    hoso_sync::ManifestIdentity {
        source: i.source.as_str().to_owned(),
        verified: i.verified,
        passive_auth: i.passive_auth.clone(),
        signer: i.signer.clone(),
        csca: i.csca.clone(),
        checked_at: i.checked_at.map(|t| t.format("%Y-%m-%dT%H:%M:%S%:z").to_string()),
        problems: i.problems.clone(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn records_go_over_https_or_to_this_machine_only() {
        for ok in
            ["https://hub.tphcm.gov.vn", "http://127.0.0.1:8470", "http://localhost:1/x", "http://[::1]:9/"]
        {
            assert!(super::hub_transport_ok(ok), "{ok}");
        }
        for bad in
            ["http://10.0.0.5:8470", "http://hub.tphcm.gov.vn", "http://127.0.0.1.evil.vn", "ftp://x", ""]
        {
            assert!(!super::hub_transport_ok(bad), "{bad}");
        }
    }
}

//! Reuse of what is already digitised: once a record's applicant has a
//! personal ID, the counter asks the hub which components were digitised
//! for this person at any counter of the city (each component's PDF/A and
//! certified copies, by hash, with the record and unit that made them). The
//! hub audits every lookup (this counter, the clerk, the ID, the purpose,
//! whether the chip verified the identity first); so does the counter
//! (`reuse.lookup`).

use anyhow::{Context, bail};
use hoso_i18n::err;
use serde_json::json;

use crate::{App, now};

impl App {
    /// The documents already digitised for record `key`'s applicant.
    pub fn reusable(&mut self, key: &str) -> anyhow::Result<Vec<hoso_sync::ReusableDocument>> {
        self.require_signed_in()?;
        let clerk = self.actor.name().to_owned();
        let record = self.store.record(key)?;
        let personal_id = record
            .applicant
            .personal_id
            .as_ref()
            .context(err!("reuse-no-personal-id", record = record.code.to_string()))?;
        let lookup = hoso_sync::Lookup {
            personal_id: personal_id.to_string(),
            clerk,
            purpose: format!("{} ({})", record.code, record.procedure),
            identity_verified: record.applicant.identity.verified,
        };
        let documents = self.hub_client(None)?.lookup(&lookup)?;
        self.store.audit_event(
            "reuse.lookup",
            &record.id.to_string(),
            &json!({ "personal_id": lookup.personal_id, "purpose": lookup.purpose,
                     "identity_verified": lookup.identity_verified, "found": documents.len() }),
            self.actor.name(),
            now(),
        )?;
        // The record being received is not a document to reuse.
        Ok(documents.into_iter().filter(|d| d.record_id != record.id.to_string()).collect())
    }

    /// Attaches the document `sha256` the hub lists for record `key`'s
    /// applicant to the record's component `component`, by reference: the
    /// record names the original, and no page is scanned again.
    pub fn attach_reused(
        &mut self,
        key: &str,
        component: u16,
        sha256: &str,
    ) -> anyhow::Result<hoso_store::Reused> {
        let record = self.store.record(key)?;
        if !record.state.accepts_pages() {
            bail!(err!(
                "state-wrong-for-pages",
                record = record.code.to_string(),
                state = record.state.message()
            ));
        }
        if !self.store.components(&record.id)?.iter().any(|c| c.ordinal == component) {
            bail!(err!("component-unknown", component = component));
        }
        let doc = self
            .reusable(key)?
            .into_iter()
            .find(|d| d.sha256 == sha256)
            .context(err!("reuse-not-offered", sha256 = sha256))?;
        let at = now();
        let reused = hoso_store::Reused {
            component,
            original_record: doc.record_id,
            original_code: doc.record_code,
            unit: doc.unit,
            role: doc.role,
            sha256: doc.sha256,
            size: doc.size,
            sealed_at: doc.sealed_at,
            attached_at: at.to_rfc3339(),
            actor: self.actor.name().to_owned(),
        };
        self.store.add_reused(&record.id, &reused, at)?;
        Ok(reused)
    }
}

//! The hub's metadata (devices, blobs, records) behind one trait, in SQLite
//! (embedded mode) or PostgreSQL (scale-out: many hub replicas share it).
//!
//! Accepting a record is an insert-if-absent on its id, so two replicas racing
//! with the same record agree: one inserts, the other reads the first receipt
//! (same manifest) or answers 409 (another manifest).

use std::sync::Mutex;

use rusqlite::{Connection, OptionalExtension, params};

/// A record as accepted: manifest hash, receipt JSON.
pub type Accepted = (String, String);

pub trait Meta: Send + Sync + std::fmt::Debug {
    fn device_key(&self, id: &str) -> anyhow::Result<Option<String>>;
    fn enrol(&self, id: &str, public_key: &str, note: &str, at: &str) -> anyhow::Result<()>;
    fn blob_size(&self, hash: &str) -> anyhow::Result<Option<i64>>;
    fn add_blob(&self, hash: &str, size: i64, device: &str, at: &str) -> anyhow::Result<()>;
    fn record(&self, id: &str) -> anyhow::Result<Option<Accepted>>;
    fn manifest(&self, id: &str) -> anyhow::Result<Option<String>>;
    /// Inserts unless the id exists; returns what is stored for the id afterwards.
    #[allow(clippy::too_many_arguments)]
    fn accept(
        &self,
        id: &str,
        digest: &str,
        manifest: &str,
        receipt: &str,
        device: &str,
        at: &str,
    ) -> anyhow::Result<Accepted>;
    fn record_count(&self) -> anyhow::Result<i64>;
}

const SQLITE_SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS devices (id TEXT PRIMARY KEY, public_key TEXT NOT NULL, note TEXT, enrolled_at TEXT NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS blobs (hash TEXT PRIMARY KEY, size INTEGER NOT NULL, device TEXT NOT NULL, received_at TEXT NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS records (id TEXT PRIMARY KEY, manifest_sha256 TEXT NOT NULL, manifest TEXT NOT NULL,
    receipt TEXT NOT NULL, device TEXT NOT NULL, accepted_at TEXT NOT NULL) STRICT;
";

const PG_SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS devices (id TEXT PRIMARY KEY, public_key TEXT NOT NULL, note TEXT, enrolled_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS blobs (hash TEXT PRIMARY KEY, size BIGINT NOT NULL, device TEXT NOT NULL, received_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS records (id TEXT PRIMARY KEY, manifest_sha256 TEXT NOT NULL, manifest TEXT NOT NULL,
    receipt TEXT NOT NULL, device TEXT NOT NULL, accepted_at TEXT NOT NULL);
";

/// Embedded mode: one SQLite file.
#[derive(Debug)]
pub struct SqliteMeta(Mutex<Connection>);

impl SqliteMeta {
    pub fn open(path: &std::path::Path) -> anyhow::Result<SqliteMeta> {
        let db = Connection::open(path)?;
        db.execute_batch("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000;")?;
        db.execute_batch(SQLITE_SCHEMA)?;
        Ok(SqliteMeta(Mutex::new(db)))
    }

    fn db(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Meta for SqliteMeta {
    fn device_key(&self, id: &str) -> anyhow::Result<Option<String>> {
        Ok(self
            .db()
            .query_row("SELECT public_key FROM devices WHERE id = ?1", [id], |r| r.get(0))
            .optional()?)
    }

    fn enrol(&self, id: &str, public_key: &str, note: &str, at: &str) -> anyhow::Result<()> {
        self.db().execute(
            "INSERT INTO devices (id, public_key, note, enrolled_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (id) DO UPDATE SET public_key = excluded.public_key, note = excluded.note",
            params![id, public_key, note, at],
        )?;
        Ok(())
    }

    fn blob_size(&self, hash: &str) -> anyhow::Result<Option<i64>> {
        Ok(self.db().query_row("SELECT size FROM blobs WHERE hash = ?1", [hash], |r| r.get(0)).optional()?)
    }

    fn add_blob(&self, hash: &str, size: i64, device: &str, at: &str) -> anyhow::Result<()> {
        self.db().execute(
            "INSERT INTO blobs (hash, size, device, received_at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (hash) DO NOTHING",
            params![hash, size, device, at],
        )?;
        Ok(())
    }

    fn record(&self, id: &str) -> anyhow::Result<Option<Accepted>> {
        Ok(self
            .db()
            .query_row("SELECT manifest_sha256, receipt FROM records WHERE id = ?1", [id], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?)
    }

    fn manifest(&self, id: &str) -> anyhow::Result<Option<String>> {
        Ok(self
            .db()
            .query_row("SELECT manifest FROM records WHERE id = ?1", [id], |r| r.get(0))
            .optional()?)
    }

    fn accept(
        &self,
        id: &str,
        digest: &str,
        manifest: &str,
        receipt: &str,
        device: &str,
        at: &str,
    ) -> anyhow::Result<Accepted> {
        let db = self.db();
        db.execute(
            "INSERT INTO records (id, manifest_sha256, manifest, receipt, device, accepted_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (id) DO NOTHING",
            params![id, digest, manifest, receipt, device, at],
        )?;
        Ok(db.query_row("SELECT manifest_sha256, receipt FROM records WHERE id = ?1", [id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?)
    }

    fn record_count(&self) -> anyhow::Result<i64> {
        Ok(self.db().query_row("SELECT count(*) FROM records", [], |r| r.get(0))?)
    }
}

/// Scale-out mode: PostgreSQL shared by every hub replica.
pub struct PgMeta(Mutex<postgres::Client>);

impl std::fmt::Debug for PgMeta {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PgMeta")
    }
}

impl PgMeta {
    pub fn connect(url: &str) -> anyhow::Result<PgMeta> {
        let mut client = postgres::Client::connect(url, postgres::NoTls)?;
        client.batch_execute(PG_SCHEMA)?;
        Ok(PgMeta(Mutex::new(client)))
    }

    /// Runs `f` with the client. The postgres crate drives its own runtime, so
    /// from inside the hub's async handlers the call leaves the async context.
    fn with<T>(
        &self,
        f: impl FnOnce(&mut postgres::Client) -> Result<T, postgres::Error>,
    ) -> anyhow::Result<T> {
        let run = || {
            let mut client = self.0.lock().unwrap_or_else(|e| e.into_inner());
            f(&mut client)
        };
        let in_runtime = tokio::runtime::Handle::try_current().is_ok();
        Ok(if in_runtime { tokio::task::block_in_place(run)? } else { run()? })
    }
}

impl Meta for PgMeta {
    fn device_key(&self, id: &str) -> anyhow::Result<Option<String>> {
        self.with(|c| {
            Ok(c.query_opt("SELECT public_key FROM devices WHERE id = $1", &[&id])?.map(|r| r.get(0)))
        })
    }

    fn enrol(&self, id: &str, public_key: &str, note: &str, at: &str) -> anyhow::Result<()> {
        self.with(|c| {
            c.execute(
                "INSERT INTO devices (id, public_key, note, enrolled_at) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (id) DO UPDATE SET public_key = excluded.public_key, note = excluded.note",
                &[&id, &public_key, &note, &at],
            )
            .map(|_| ())
        })
    }

    fn blob_size(&self, hash: &str) -> anyhow::Result<Option<i64>> {
        self.with(|c| Ok(c.query_opt("SELECT size FROM blobs WHERE hash = $1", &[&hash])?.map(|r| r.get(0))))
    }

    fn add_blob(&self, hash: &str, size: i64, device: &str, at: &str) -> anyhow::Result<()> {
        self.with(|c| {
            c.execute(
                "INSERT INTO blobs (hash, size, device, received_at) VALUES ($1, $2, $3, $4) ON CONFLICT (hash) DO NOTHING",
                &[&hash, &size, &device, &at],
            )
            .map(|_| ())
        })
    }

    fn record(&self, id: &str) -> anyhow::Result<Option<Accepted>> {
        self.with(|c| {
            Ok(c.query_opt("SELECT manifest_sha256, receipt FROM records WHERE id = $1", &[&id])?
                .map(|r| (r.get(0), r.get(1))))
        })
    }

    fn manifest(&self, id: &str) -> anyhow::Result<Option<String>> {
        self.with(|c| {
            Ok(c.query_opt("SELECT manifest FROM records WHERE id = $1", &[&id])?.map(|r| r.get(0)))
        })
    }

    fn accept(
        &self,
        id: &str,
        digest: &str,
        manifest: &str,
        receipt: &str,
        device: &str,
        at: &str,
    ) -> anyhow::Result<Accepted> {
        self.with(|c| {
            c.execute(
                "INSERT INTO records (id, manifest_sha256, manifest, receipt, device, accepted_at)
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING",
                &[&id, &digest, &manifest, &receipt, &device, &at],
            )?;
            let r = c.query_one("SELECT manifest_sha256, receipt FROM records WHERE id = $1", &[&id])?;
            Ok((r.get(0), r.get(1)))
        })
    }

    fn record_count(&self) -> anyhow::Result<i64> {
        self.with(|c| Ok(c.query_one("SELECT count(*) FROM records", &[])?.get(0)))
    }
}

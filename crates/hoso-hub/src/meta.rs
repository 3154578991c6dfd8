//! The hub's metadata (devices, blobs, records) behind one trait, in SQLite
//! (embedded mode) or PostgreSQL (scale-out: many hub replicas share it).
//!
//! Accepting a record is an insert-if-absent on its id, so two replicas racing
//! with the same record agree: one inserts, the other reads the first receipt
//! (same manifest) or answers 409 (another manifest). A record id belongs to
//! the device that sent it first. A device sends for one receiving unit: the
//! one IT named at enrolment, or else the one of its first record.
//!
//! A device's key: enrolment never replaces one silently; a rotation keeps
//! the previous key valid until a time (the overlap while the counter changes
//! over); a revoked device is refused. The hub's own decisions (enrol, rotate,
//! revoke, every refusal) go to its `audit` table.

use std::sync::Mutex;

use rusqlite::{Connection, OptionalExtension, params};

/// A record as accepted: manifest hash, receipt JSON.
pub type Accepted = (String, String);

/// An enrolled device's keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceKeys {
    pub current: String,
    /// The key before the last rotation, and until when (RFC 3339) it still counts.
    pub previous: Option<(String, String)>,
    /// When it was revoked (RFC 3339), if it was.
    pub revoked_at: Option<String>,
}

/// One decision of the hub, as its audit keeps it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct HubEvent {
    pub seq: i64,
    pub at: String,
    /// `enrol`, `rotate`, `revoke`, `refuse`.
    pub action: String,
    pub device: String,
    pub detail: String,
}

pub trait Meta: Send + Sync + std::fmt::Debug {
    fn device_keys(&self, id: &str) -> anyhow::Result<Option<DeviceKeys>>;
    /// Enrols a new device; an enrolled id keeps its key (the same key again is
    /// no change). Returns whether the device was new.
    fn enrol(&self, id: &str, public_key: &str, note: &str, at: &str) -> anyhow::Result<bool>;
    /// Gives an enrolled device a new key; the old one counts until `until`.
    fn rotate(&self, id: &str, public_key: &str, until: &str) -> anyhow::Result<bool>;
    /// Revokes a device: its requests are refused from now on.
    fn revoke(&self, id: &str, at: &str) -> anyhow::Result<bool>;
    /// The unit `device` sends for: `unit`, if it was bound to none before.
    fn bind_unit(&self, device: &str, unit: &str) -> anyhow::Result<Option<String>>;
    /// The device that sent record `id`, if it was accepted.
    fn record_device(&self, id: &str) -> anyhow::Result<Option<String>>;
    fn log(&self, at: &str, action: &str, device: &str, detail: &str) -> anyhow::Result<()>;
    /// Notes a request's signature as seen until `expires` (Unix seconds);
    /// false when it was seen before: a replay. Forgets expired ones.
    fn first_seen(&self, signature: &str, expires: i64, now: i64) -> anyhow::Result<bool>;
    fn events(&self) -> anyhow::Result<Vec<HubEvent>>;
    fn blob_size(&self, hash: &str) -> anyhow::Result<Option<i64>>;
    fn add_blob(&self, hash: &str, size: i64, device: &str, at: &str) -> anyhow::Result<()>;
    fn record(&self, id: &str) -> anyhow::Result<Option<Accepted>>;
    fn manifest(&self, id: &str) -> anyhow::Result<Option<String>>;
    /// The manifest and receipt of the record `device` had accepted last.
    fn last_record(&self, device: &str) -> anyhow::Result<Option<Accepted>>;
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
CREATE TABLE IF NOT EXISTS audit (seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, action TEXT NOT NULL,
    device TEXT NOT NULL, detail TEXT NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS seen (signature TEXT PRIMARY KEY, expires INTEGER NOT NULL) STRICT;
CREATE INDEX IF NOT EXISTS seen_expires ON seen (expires);
CREATE TABLE IF NOT EXISTS blobs (hash TEXT PRIMARY KEY, size INTEGER NOT NULL, device TEXT NOT NULL, received_at TEXT NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS records (id TEXT PRIMARY KEY, manifest_sha256 TEXT NOT NULL, manifest TEXT NOT NULL,
    receipt TEXT NOT NULL, device TEXT NOT NULL, accepted_at TEXT NOT NULL) STRICT;
";

const PG_SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS devices (id TEXT PRIMARY KEY, public_key TEXT NOT NULL, note TEXT, enrolled_at TEXT NOT NULL);
ALTER TABLE devices ADD COLUMN IF NOT EXISTS previous_key TEXT;
ALTER TABLE devices ADD COLUMN IF NOT EXISTS previous_until TEXT;
ALTER TABLE devices ADD COLUMN IF NOT EXISTS revoked_at TEXT;
ALTER TABLE devices ADD COLUMN IF NOT EXISTS unit TEXT;
CREATE TABLE IF NOT EXISTS audit (seq BIGSERIAL PRIMARY KEY, at TEXT NOT NULL, action TEXT NOT NULL,
    device TEXT NOT NULL, detail TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS seen (signature TEXT PRIMARY KEY, expires BIGINT NOT NULL);
CREATE INDEX IF NOT EXISTS seen_expires ON seen (expires);
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
        // Columns a hub made before key rotation and revocation lacks.
        for column in ["previous_key", "previous_until", "revoked_at", "unit"] {
            let has: bool = db.query_row(
                "SELECT count(*) > 0 FROM pragma_table_info('devices') WHERE name = ?1",
                [column],
                |r| r.get(0),
            )?;
            if !has {
                db.execute_batch(&format!("ALTER TABLE devices ADD COLUMN {column} TEXT"))?;
            }
        }
        Ok(SqliteMeta(Mutex::new(db)))
    }

    fn db(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Meta for SqliteMeta {
    fn device_keys(&self, id: &str) -> anyhow::Result<Option<DeviceKeys>> {
        Ok(self
            .db()
            .query_row(
                "SELECT public_key, previous_key, previous_until, revoked_at FROM devices WHERE id = ?1",
                [id],
                |r| {
                    let previous: Option<String> = r.get(1)?;
                    let until: Option<String> = r.get(2)?;
                    Ok(DeviceKeys {
                        current: r.get(0)?,
                        previous: previous.zip(until),
                        revoked_at: r.get(3)?,
                    })
                },
            )
            .optional()?)
    }

    fn enrol(&self, id: &str, public_key: &str, note: &str, at: &str) -> anyhow::Result<bool> {
        let n = self.db().execute(
            "INSERT INTO devices (id, public_key, note, enrolled_at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (id) DO NOTHING",
            params![id, public_key, note, at],
        )?;
        Ok(n == 1)
    }

    fn rotate(&self, id: &str, public_key: &str, until: &str) -> anyhow::Result<bool> {
        let n = self.db().execute(
            "UPDATE devices SET previous_key = public_key, previous_until = ?3, public_key = ?2
             WHERE id = ?1 AND revoked_at IS NULL",
            params![id, public_key, until],
        )?;
        Ok(n == 1)
    }

    fn revoke(&self, id: &str, at: &str) -> anyhow::Result<bool> {
        let n = self.db().execute(
            "UPDATE devices SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
            params![id, at],
        )?;
        Ok(n == 1)
    }

    fn bind_unit(&self, device: &str, unit: &str) -> anyhow::Result<Option<String>> {
        let db = self.db();
        db.execute("UPDATE devices SET unit = ?2 WHERE id = ?1 AND unit IS NULL", params![device, unit])?;
        Ok(db
            .query_row("SELECT unit FROM devices WHERE id = ?1", [device], |r| r.get(0))
            .optional()?
            .flatten())
    }

    fn record_device(&self, id: &str) -> anyhow::Result<Option<String>> {
        Ok(self.db().query_row("SELECT device FROM records WHERE id = ?1", [id], |r| r.get(0)).optional()?)
    }

    fn log(&self, at: &str, action: &str, device: &str, detail: &str) -> anyhow::Result<()> {
        self.db().execute(
            "INSERT INTO audit (at, action, device, detail) VALUES (?1, ?2, ?3, ?4)",
            params![at, action, device, detail],
        )?;
        Ok(())
    }

    fn first_seen(&self, signature: &str, expires: i64, now: i64) -> anyhow::Result<bool> {
        let db = self.db();
        db.execute("DELETE FROM seen WHERE expires < ?1", [now])?;
        let n = db.execute(
            "INSERT INTO seen (signature, expires) VALUES (?1, ?2) ON CONFLICT (signature) DO NOTHING",
            params![signature, expires],
        )?;
        Ok(n == 1)
    }

    fn events(&self) -> anyhow::Result<Vec<HubEvent>> {
        let db = self.db();
        let mut stmt = db.prepare("SELECT seq, at, action, device, detail FROM audit ORDER BY seq")?;
        let rows = stmt.query_map([], |r| {
            Ok(HubEvent {
                seq: r.get(0)?,
                at: r.get(1)?,
                action: r.get(2)?,
                device: r.get(3)?,
                detail: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
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

    fn last_record(&self, device: &str) -> anyhow::Result<Option<Accepted>> {
        Ok(self
            .db()
            .query_row(
                "SELECT manifest, receipt FROM records WHERE device = ?1 ORDER BY accepted_at DESC, rowid DESC LIMIT 1",
                [device],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
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
    fn device_keys(&self, id: &str) -> anyhow::Result<Option<DeviceKeys>> {
        self.with(|c| {
            Ok(c.query_opt(
                "SELECT public_key, previous_key, previous_until, revoked_at FROM devices WHERE id = $1",
                &[&id],
            )?
            .map(|r| {
                let previous: Option<String> = r.get(1);
                let until: Option<String> = r.get(2);
                DeviceKeys { current: r.get(0), previous: previous.zip(until), revoked_at: r.get(3) }
            }))
        })
    }

    fn enrol(&self, id: &str, public_key: &str, note: &str, at: &str) -> anyhow::Result<bool> {
        self.with(|c| {
            c.execute(
                "INSERT INTO devices (id, public_key, note, enrolled_at) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING",
                &[&id, &public_key, &note, &at],
            )
            .map(|n| n == 1)
        })
    }

    fn rotate(&self, id: &str, public_key: &str, until: &str) -> anyhow::Result<bool> {
        self.with(|c| {
            c.execute(
                "UPDATE devices SET previous_key = public_key, previous_until = $3, public_key = $2
                 WHERE id = $1 AND revoked_at IS NULL",
                &[&id, &public_key, &until],
            )
            .map(|n| n == 1)
        })
    }

    fn revoke(&self, id: &str, at: &str) -> anyhow::Result<bool> {
        self.with(|c| {
            c.execute("UPDATE devices SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL", &[&id, &at])
                .map(|n| n == 1)
        })
    }

    fn bind_unit(&self, device: &str, unit: &str) -> anyhow::Result<Option<String>> {
        self.with(|c| {
            c.execute("UPDATE devices SET unit = $2 WHERE id = $1 AND unit IS NULL", &[&device, &unit])?;
            Ok(c.query_opt("SELECT unit FROM devices WHERE id = $1", &[&device])?.and_then(|r| r.get(0)))
        })
    }

    fn record_device(&self, id: &str) -> anyhow::Result<Option<String>> {
        self.with(|c| Ok(c.query_opt("SELECT device FROM records WHERE id = $1", &[&id])?.map(|r| r.get(0))))
    }

    fn log(&self, at: &str, action: &str, device: &str, detail: &str) -> anyhow::Result<()> {
        self.with(|c| {
            c.execute(
                "INSERT INTO audit (at, action, device, detail) VALUES ($1, $2, $3, $4)",
                &[&at, &action, &device, &detail],
            )
            .map(|_| ())
        })
    }

    fn first_seen(&self, signature: &str, expires: i64, now: i64) -> anyhow::Result<bool> {
        self.with(|c| {
            c.execute("DELETE FROM seen WHERE expires < $1", &[&now])?;
            c.execute(
                "INSERT INTO seen (signature, expires) VALUES ($1, $2) ON CONFLICT (signature) DO NOTHING",
                &[&signature, &expires],
            )
            .map(|n| n == 1)
        })
    }

    fn events(&self) -> anyhow::Result<Vec<HubEvent>> {
        self.with(|c| {
            Ok(c.query("SELECT seq, at, action, device, detail FROM audit ORDER BY seq", &[])?
                .into_iter()
                .map(|r| HubEvent {
                    seq: r.get(0),
                    at: r.get(1),
                    action: r.get(2),
                    device: r.get(3),
                    detail: r.get(4),
                })
                .collect())
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

    fn last_record(&self, device: &str) -> anyhow::Result<Option<Accepted>> {
        self.with(|c| {
            Ok(c.query_opt(
                "SELECT manifest, receipt FROM records WHERE device = $1 ORDER BY accepted_at DESC, id DESC LIMIT 1",
                &[&device],
            )?
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

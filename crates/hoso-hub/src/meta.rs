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

use anyhow::Context;
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
    /// The manifests of the records accepted for the applicant with this
    /// personal ID, newest first, at most `limit` (an index on the
    /// manifest's `applicant_id` serves it).
    fn person_manifests(&self, personal_id: &str, limit: i64) -> anyhow::Result<Vec<String>>;
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
CREATE INDEX IF NOT EXISTS records_applicant ON records (json_extract(manifest, '$.applicant_id'));
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
CREATE INDEX IF NOT EXISTS records_applicant ON records (((manifest::jsonb) ->> 'applicant_id'));
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

    fn person_manifests(&self, personal_id: &str, limit: i64) -> anyhow::Result<Vec<String>> {
        let db = self.db();
        let mut q = db.prepare(
            "SELECT manifest FROM records WHERE json_extract(manifest, '$.applicant_id') = ?1
             ORDER BY accepted_at DESC, rowid DESC LIMIT ?2",
        )?;
        let rows = q.query_map(params![personal_id, limit], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

/// How the hub reaches PostgreSQL.
#[derive(Debug, Clone)]
pub struct PgConfig {
    /// A libpq connection string (`host=… user=… dbname=… sslmode=require`)
    /// or a `postgres://` URL.
    pub url: String,
    /// PEM certificates of the CA that signed the server's certificate,
    /// trusted besides the system's roots.
    pub ca_pem: Option<Vec<u8>>,
    /// Connections this replica keeps at most.
    pub connections: u32,
}

impl PgConfig {
    pub fn new(url: &str) -> PgConfig {
        PgConfig { url: url.to_owned(), ca_pem: None, connections: 16 }
    }
}

/// Whether every host of the connection string is this machine (loopback or
/// a Unix socket), where the traffic never crosses a network.
fn local_only(config: &postgres::Config) -> bool {
    use postgres::config::Host;
    config.get_hosts().iter().all(|h| match h {
        Host::Tcp(name) => {
            name == "localhost" || name.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
        }
        #[cfg(unix)]
        Host::Unix(_) => true,
    })
}

/// The TLS of the database connections: rustls with ring, the system's roots
/// and IT's CA.
fn pg_tls(ca_pem: Option<&[u8]>) -> anyhow::Result<tokio_postgres_rustls::MakeRustlsConnect> {
    let mut roots = rustls::RootCertStore::empty();
    let system = rustls_native_certs::load_native_certs();
    roots.add_parsable_certificates(system.certs);
    if let Some(pem) = ca_pem {
        let mut added = 0;
        for cert in rustls_pki_types::pem::PemObject::pem_slice_iter(pem) {
            let cert: rustls_pki_types::CertificateDer<'static> =
                cert.map_err(|e| anyhow::anyhow!("--postgres-ca: not PEM certificates: {e}"))?;
            roots.add(cert).map_err(|e| anyhow::anyhow!("--postgres-ca: {e}"))?;
            added += 1;
        }
        anyhow::ensure!(added > 0, "--postgres-ca: the file holds no certificate");
    }
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(tls))
}

type PgPool = r2d2::Pool<r2d2_postgres::PostgresConnectionManager<tokio_postgres_rustls::MakeRustlsConnect>>;

/// Scale-out mode: PostgreSQL shared by every hub replica, through a pool of
/// connections; a connection found broken (the server restarted, the network
/// cut it) is replaced when it is next taken, so the hub outlives the
/// database's restarts.
pub struct PgMeta(PgPool);

impl std::fmt::Debug for PgMeta {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PgMeta")
    }
}

impl PgMeta {
    /// Connects (TLS whenever the server is on another machine: there
    /// `sslmode=disable` is refused, and `prefer`, the default, becomes
    /// `require`) and makes the schema.
    pub fn connect(pg: &PgConfig) -> anyhow::Result<PgMeta> {
        use postgres::config::SslMode;
        let mut config: postgres::Config =
            pg.url.parse().map_err(|e| anyhow::anyhow!("--postgres: not a connection string: {e}"))?;
        if !local_only(&config) {
            anyhow::ensure!(
                config.get_ssl_mode() != SslMode::Disable,
                "--postgres: sslmode=disable for a server on another machine: the hub's database \
                 holds names and ID numbers and is reached over TLS only"
            );
            config.ssl_mode(SslMode::Require);
        }
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(std::time::Duration::from_secs(10));
        }
        let tls = pg_tls(pg.ca_pem.as_deref())?;
        // One connection first, to fail at once and say why (a refused
        // certificate, a wrong password) rather than after the pool's retries.
        let mut first = config.connect(tls.clone()).context("PostgreSQL")?;
        first.batch_execute(PG_SCHEMA).context("PostgreSQL: the hub's tables")?;
        drop(first);
        let manager = r2d2_postgres::PostgresConnectionManager::new(config, tls);
        let pool = r2d2::Pool::builder()
            .max_size(pg.connections.max(1))
            .min_idle(Some(1))
            .connection_timeout(std::time::Duration::from_secs(15))
            .error_handler(Box::new(r2d2::LoggingErrorHandler))
            .build(manager)
            .map_err(|e| anyhow::anyhow!("PostgreSQL: {e}"))?;
        Ok(PgMeta(pool))
    }

    /// Runs `f` with a connection of the pool. The postgres crate drives its
    /// own runtime, so from inside the hub's async handlers the call leaves
    /// the async context.
    fn with<T>(
        &self,
        f: impl FnOnce(&mut postgres::Client) -> Result<T, postgres::Error>,
    ) -> anyhow::Result<T> {
        let run = || -> anyhow::Result<T> {
            let mut client = self.0.get().map_err(|e| anyhow::anyhow!("PostgreSQL: {e}"))?;
            Ok(f(&mut client)?)
        };
        let in_runtime = tokio::runtime::Handle::try_current().is_ok();
        if in_runtime { tokio::task::block_in_place(run) } else { run() }
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

    fn person_manifests(&self, personal_id: &str, limit: i64) -> anyhow::Result<Vec<String>> {
        self.with(|c| {
            Ok(c.query(
                "SELECT manifest FROM records WHERE (manifest::jsonb) ->> 'applicant_id' = $1
                 ORDER BY accepted_at DESC, id DESC LIMIT $2",
                &[&personal_id, &limit],
            )?
            .iter()
            .map(|r| r.get(0))
            .collect())
        })
    }
}

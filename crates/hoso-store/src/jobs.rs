//! The durable job queue.
//!
//! A job is a row (kind, subject) with a state (`ready`, `leased`, `done`,
//! `failed`), attempts, a maximum, a next-run time and a lease. A worker leases
//! a job for a while; if it dies, the lease runs out and another worker (or the
//! next start, through [`recover`]) takes it again. Transient failures come back
//! later with exponential backoff; permanent ones, or the last attempt, end in
//! `failed` with the error kept for people to read. Enqueueing the same
//! (kind, subject) twice is a no-op, so producers can be re-run safely.

use rusqlite::{Connection, OptionalExtension, named_params, params};
use serde::Serialize;

use crate::{Result, StoreError};

/// A leased job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Job {
    /// Row id.
    pub id: i64,
    /// What to do, e.g. `page.process`.
    pub kind: String,
    /// To what, e.g. a page id.
    pub subject: String,
    /// Attempts so far, this one included.
    pub attempts: i64,
    /// Attempts allowed.
    pub max_attempts: i64,
    /// Error of the previous attempt.
    pub last_error: Option<String>,
}

/// Whether an error may go away by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// Try again later (busy disk, network, lock).
    Transient,
    /// Trying again gives the same answer (a damaged file).
    Permanent,
}

/// State of a job after a failure was recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterFailure {
    /// It will run again after the backoff.
    WillRetry,
    /// It gave up.
    Failed,
}

/// How many jobs are in each state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Waiting to run (some maybe not yet due).
    pub ready: i64,
    /// Being worked on.
    pub leased: i64,
    /// Finished.
    pub done: i64,
    /// Given up.
    pub failed: i64,
}

/// Adds a job unless the same (kind, subject) exists; returns whether it was added.
pub fn enqueue(conn: &Connection, kind: &str, subject: &str, max_attempts: i64, now_ms: i64) -> Result<bool> {
    let n = conn.execute(
        "INSERT INTO jobs (kind, subject, state, max_attempts, run_after, created_at, updated_at)
         VALUES (?1, ?2, 'ready', ?3, ?4, ?4, ?4)
         ON CONFLICT (kind, subject) DO NOTHING",
        params![kind, subject, max_attempts, now_ms],
    )?;
    Ok(n == 1)
}

/// Leases the next due job of `kind` for `lease_ms` milliseconds.
pub fn lease(conn: &Connection, kind: &str, owner: &str, now_ms: i64, lease_ms: i64) -> Result<Option<Job>> {
    Ok(conn
        .query_row(
            include_str!("sql/job_lease.sql"),
            named_params! { ":kind": kind, ":owner": owner, ":until": now_ms + lease_ms, ":now": now_ms },
            |r| {
                Ok(Job {
                    id: r.get(0)?,
                    kind: r.get(1)?,
                    subject: r.get(2)?,
                    attempts: r.get(3)?,
                    max_attempts: r.get(4)?,
                    last_error: r.get(5)?,
                })
            },
        )
        .optional()?)
}

/// Marks a leased job done; fails with [`StoreError::LeaseLost`] if the lease is gone.
pub fn complete(conn: &Connection, id: i64, owner: &str, now_ms: i64) -> Result<()> {
    let n = conn.execute(
        "UPDATE jobs SET state = 'done', lease_owner = NULL, lease_until = NULL, last_error = NULL,
                         updated_at = ?3
         WHERE id = ?1 AND state = 'leased' AND lease_owner = ?2",
        params![id, owner, now_ms],
    )?;
    if n == 0 {
        return Err(StoreError::LeaseLost(id));
    }
    Ok(())
}

/// Delay before attempt `attempts + 1`: 2 s doubling to at most 10 min, plus up to
/// 1 s of jitter spread by job id so that a burst of failures does not retry in step.
pub fn backoff_ms(id: i64, attempts: i64) -> i64 {
    let base = 2_000i64.saturating_mul(1 << attempts.clamp(1, 20).saturating_sub(1));
    base.min(600_000) + (id.wrapping_mul(7919)).rem_euclid(1000)
}

/// Records a failed attempt.
pub fn fail(
    conn: &Connection,
    job: &Job,
    owner: &str,
    error: &str,
    retry: Retry,
    now_ms: i64,
) -> Result<AfterFailure> {
    let state: Option<String> = conn
        .query_row(
            include_str!("sql/job_fail.sql"),
            named_params! {
                ":retry": retry == Retry::Transient,
                ":run_after": now_ms + backoff_ms(job.id, job.attempts),
                ":error": error,
                ":now": now_ms,
                ":id": job.id,
                ":owner": owner,
            },
            |r| r.get(0),
        )
        .optional()?;
    match state.as_deref() {
        Some("ready") => Ok(AfterFailure::WillRetry),
        Some(_) => Ok(AfterFailure::Failed),
        None => Err(StoreError::LeaseLost(job.id)),
    }
}

/// Makes every leased job ready again. Call at start-up by the one process that
/// holds the worker lock: any lease then belongs to a process that died.
pub fn recover(conn: &Connection, now_ms: i64) -> Result<usize> {
    Ok(conn.execute(
        "UPDATE jobs SET state = 'ready', lease_owner = NULL, lease_until = NULL, updated_at = ?1
         WHERE state = 'leased'",
        [now_ms],
    )?)
}

/// Like [`recover`], for one kind of job only (its own worker lock held).
pub fn recover_kind(conn: &Connection, kind: &str, now_ms: i64) -> Result<usize> {
    Ok(conn.execute(
        "UPDATE jobs SET state = 'ready', lease_owner = NULL, lease_until = NULL, updated_at = ?2
         WHERE state = 'leased' AND kind = ?1",
        params![kind, now_ms],
    )?)
}

/// Makes every waiting job of a kind due now (a person asked to retry at once).
pub fn run_now(conn: &Connection, kind: &str, now_ms: i64) -> Result<usize> {
    Ok(conn.execute(
        "UPDATE jobs SET run_after = ?2, updated_at = ?2 WHERE state = 'ready' AND kind = ?1 AND run_after > ?2",
        params![kind, now_ms],
    )?)
}

/// Puts a failed job back in the queue with a fresh set of attempts (a person decided to retry).
pub fn retry_failed(conn: &Connection, id: i64, now_ms: i64) -> Result<()> {
    let n = conn.execute(
        "UPDATE jobs SET state = 'ready', attempts = 0, run_after = ?2, updated_at = ?2
         WHERE id = ?1 AND state = 'failed'",
        params![id, now_ms],
    )?;
    if n == 0 {
        return Err(StoreError::NotFound(format!("failed job {id}")));
    }
    Ok(())
}

/// Jobs per state, optionally for one kind.
pub fn counts(conn: &Connection, kind: Option<&str>) -> Result<Counts> {
    let mut stmt =
        conn.prepare("SELECT state, count(*) FROM jobs WHERE ?1 IS NULL OR kind = ?1 GROUP BY state")?;
    let mut out = Counts::default();
    let rows = stmt.query_map([kind], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
    for row in rows {
        let (state, n) = row?;
        match state.as_str() {
            "ready" => out.ready = n,
            "leased" => out.leased = n,
            "done" => out.done = n,
            "failed" => out.failed = n,
            other => return Err(StoreError::Corrupt(format!("job state {other:?}"))),
        }
    }
    Ok(out)
}

//! Local accounts of the desktop app: who may do what at the counter.
//! Passwords are PBKDF2-HMAC-SHA256 (ring) with a random salt; logins and
//! account changes go to the audit log; accounts are disabled, never deleted.

use std::num::NonZeroU32;

use chrono::{DateTime, FixedOffset};
use hoso_i18n::err;
use ring::{pbkdf2, rand::SecureRandom};
use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::records::stamp;
use crate::{Result, Store, StoreError, audit};

/// What an account may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Opens, scans, reviews and seals records.
    Reception,
    /// Also certifies copies with a signing token.
    Supervisor,
    /// IT: manages accounts and settings; everything a supervisor may do.
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Reception => "reception",
            Role::Supervisor => "supervisor",
            Role::Admin => "admin",
        }
    }

    /// Whether this role may certify copies.
    pub fn can_certify(self) -> bool {
        matches!(self, Role::Supervisor | Role::Admin)
    }
}

impl std::str::FromStr for Role {
    type Err = StoreError;
    fn from_str(s: &str) -> Result<Role> {
        match s {
            "reception" => Ok(Role::Reception),
            "supervisor" => Ok(Role::Supervisor),
            "admin" => Ok(Role::Admin),
            other => Err(StoreError::Invalid(
                format!("unknown role {other:?} (reception, supervisor, admin)").into(),
            )),
        }
    }
}

/// An account, without its password hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Account {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub disabled: bool,
    pub created_at: String,
}

/// Consecutive wrong passwords after which an account is locked until an
/// administrator sets a new password.
pub const MAX_FAILED_LOGINS: i64 = 10;
/// Shortest password accepted.
pub const MIN_PASSWORD_LEN: usize = 8;
const ITERATIONS: u32 = 100_000;

fn hash_password(password: &str) -> Result<String> {
    let mut salt = [0u8; 16];
    ring::rand::SystemRandom::new()
        .fill(&mut salt)
        .map_err(|_| StoreError::Invalid("no system randomness".into()))?;
    let mut out = [0u8; 32];
    let iterations = NonZeroU32::new(ITERATIONS).expect("non-zero");
    pbkdf2::derive(pbkdf2::PBKDF2_HMAC_SHA256, iterations, &salt, password.as_bytes(), &mut out);
    Ok(format!("pbkdf2-sha256${ITERATIONS}${}${}", hex(&salt), hex(&out)))
}

fn check_password(stored: &str, password: &str) -> bool {
    let parts: Vec<&str> = stored.split('$').collect();
    let [scheme, iterations, salt, hash] = parts[..] else { return false };
    let (Some(iterations), Some(salt), Some(hash)) =
        (iterations.parse::<u32>().ok().and_then(NonZeroU32::new), unhex(salt), unhex(hash))
    else {
        return false;
    };
    scheme == "pbkdf2-sha256"
        && pbkdf2::verify(pbkdf2::PBKDF2_HMAC_SHA256, iterations, &salt, password.as_bytes(), &hash).is_ok()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    (s.len().is_multiple_of(2))
        .then(|| (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok()).collect())
        .flatten()
}

fn valid_password(password: &str) -> Result<()> {
    if password.chars().count() < MIN_PASSWORD_LEN {
        return Err(StoreError::Invalid(err!("account-password-short", min = MIN_PASSWORD_LEN)));
    }
    Ok(())
}

fn row_account(r: &rusqlite::Row<'_>) -> rusqlite::Result<(String, String, String, bool, String)> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get::<_, i64>(3)? != 0, r.get(4)?))
}

fn account(
    (username, display_name, role, disabled, created_at): (String, String, String, bool, String),
) -> Result<Account> {
    Ok(Account { username, display_name, role: role.parse()?, disabled, created_at })
}

const SELECT: &str = "SELECT username, display_name, role, disabled, created_at FROM accounts";

impl Store {
    /// Adds an account.
    pub fn add_account(
        &mut self,
        username: &str,
        display_name: &str,
        role: Role,
        password: &str,
        actor: &str,
        now: DateTime<FixedOffset>,
    ) -> Result<Account> {
        let username = username.trim();
        if username.is_empty() || username.chars().any(char::is_whitespace) {
            return Err(StoreError::Invalid(err!("account-bad-username")));
        }
        valid_password(password)?;
        let tx = self.write()?;
        let exists: bool =
            tx.query_row("SELECT count(*) FROM accounts WHERE username = ?1", [username], |r| {
                r.get::<_, i64>(0)
            })? > 0;
        if exists {
            return Err(StoreError::Invalid(err!("account-exists", username = username)));
        }
        tx.execute(
            "INSERT INTO accounts (username, display_name, role, password_hash, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
            params![username, display_name, role.as_str(), hash_password(password)?, stamp(now)],
        )?;
        audit::append(&tx, now, actor, "account.added", username, &json!({ "role": role.as_str() }))?;
        tx.commit()?;
        self.account(username)?.ok_or_else(|| StoreError::NotFound(username.into()))
    }

    /// One account.
    pub fn account(&self, username: &str) -> Result<Option<Account>> {
        self.conn()
            .query_row(&format!("{SELECT} WHERE username = ?1"), [username], row_account)
            .optional()?
            .map(account)
            .transpose()
    }

    /// Every account, by username.
    pub fn accounts(&self) -> Result<Vec<Account>> {
        let mut stmt = self.conn().prepare(&format!("{SELECT} ORDER BY username"))?;
        let rows = stmt.query_map([], row_account)?.collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter().map(account).collect()
    }

    /// Checks a password. Wrong passwords are counted; after
    /// [`MAX_FAILED_LOGINS`] in a row the account is locked until an
    /// administrator sets a new password. Both outcomes are audited.
    pub fn login(&mut self, username: &str, password: &str, now: DateTime<FixedOffset>) -> Result<Account> {
        let refused = || StoreError::Invalid(err!("account-wrong-password"));
        let tx = self.write()?;
        let row: Option<(String, bool, i64)> = tx
            .query_row(
                "SELECT password_hash, disabled, failed_logins FROM accounts WHERE username = ?1",
                [username],
                |r| Ok((r.get(0)?, r.get::<_, i64>(1)? != 0, r.get(2)?)),
            )
            .optional()?;
        let Some((hash, disabled, failed)) = row else {
            return Err(refused());
        };
        if disabled {
            return Err(StoreError::Invalid(err!("account-disabled", username = username)));
        }
        if failed >= MAX_FAILED_LOGINS {
            return Err(StoreError::Invalid(err!("account-locked", username = username, failed = failed)));
        }
        if !check_password(&hash, password) {
            tx.execute(
                "UPDATE accounts SET failed_logins = failed_logins + 1 WHERE username = ?1",
                [username],
            )?;
            audit::append(
                &tx,
                now,
                username,
                "account.login_failed",
                username,
                &json!({ "failed": failed + 1 }),
            )?;
            tx.commit()?;
            return Err(refused());
        }
        tx.execute("UPDATE accounts SET failed_logins = 0 WHERE username = ?1", [username])?;
        audit::append(&tx, now, username, "account.login", username, &json!({}))?;
        tx.commit()?;
        self.account(username)?.ok_or_else(|| StoreError::NotFound(username.into()))
    }

    /// Sets a new password (and unlocks the account).
    pub fn set_password(
        &mut self,
        username: &str,
        password: &str,
        actor: &str,
        now: DateTime<FixedOffset>,
    ) -> Result<()> {
        valid_password(password)?;
        let tx = self.write()?;
        let n = tx.execute(
            "UPDATE accounts SET password_hash = ?2, failed_logins = 0, updated_at = ?3 WHERE username = ?1",
            params![username, hash_password(password)?, stamp(now)],
        )?;
        if n == 0 {
            return Err(StoreError::NotFound(username.into()));
        }
        audit::append(&tx, now, actor, "account.password_set", username, &json!({}))?;
        tx.commit()?;
        Ok(())
    }

    /// Disables or re-enables an account.
    pub fn set_account_disabled(
        &mut self,
        username: &str,
        disabled: bool,
        actor: &str,
        now: DateTime<FixedOffset>,
    ) -> Result<()> {
        let tx = self.write()?;
        let n = tx.execute(
            "UPDATE accounts SET disabled = ?2, updated_at = ?3 WHERE username = ?1",
            params![username, disabled as i64, stamp(now)],
        )?;
        if n == 0 {
            return Err(StoreError::NotFound(username.into()));
        }
        let action = if disabled { "account.disabled" } else { "account.enabled" };
        audit::append(&tx, now, actor, action, username, &json!({}))?;
        tx.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_hash_round_trip() {
        let h = hash_password("mật khẩu quầy 1").unwrap();
        assert!(h.starts_with("pbkdf2-sha256$100000$"));
        assert!(check_password(&h, "mật khẩu quầy 1"));
        assert!(!check_password(&h, "mật khẩu quầy 2"));
        assert_ne!(h, hash_password("mật khẩu quầy 1").unwrap(), "salted");
        assert!(!check_password("garbage", "x"));
    }
}

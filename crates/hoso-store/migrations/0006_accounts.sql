-- Local accounts of the desktop app. Reception staff open, scan and seal
-- records; supervisors also certify copies; administrators (IT) manage
-- accounts. Passwords are stored as PBKDF2-HMAC-SHA256 hashes, never in clear.
-- An account is disabled, never deleted: the audit log names its actions.
CREATE TABLE accounts (
    username      TEXT PRIMARY KEY,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('reception', 'supervisor', 'admin')),
    password_hash TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
) STRICT;

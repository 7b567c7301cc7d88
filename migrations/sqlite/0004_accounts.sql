-- Accounts: invitations, password resets, second factors, sessions a person can see and end,
-- API keys, the company's plan (rate limits) and security settings, and rate-limit windows
-- (used by several instances on PostgreSQL; kept here so both schemas match).

ALTER TABLE companies ADD COLUMN plan TEXT NOT NULL DEFAULT 'basic' CHECK (plan IN ('basic', 'pro', 'enterprise'));
-- Requests per minute per person or API key on the enterprise plan (NULL: the server's default).
ALTER TABLE companies ADD COLUMN rate_limit_per_minute INTEGER CHECK (rate_limit_per_minute > 0);
-- Owners and admins must sign in with a second factor.
ALTER TABLE companies ADD COLUMN require_mfa INTEGER NOT NULL DEFAULT 0 CHECK (require_mfa IN (0, 1));

-- A person invited to a company: no access until accepted (by signing in with their existing
-- login, or by setting the password of a new one). The token is single-use and kept hashed.
CREATE TABLE invitations (
    company_id BLOB NOT NULL REFERENCES companies (id),
    id BLOB NOT NULL,
    email TEXT NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'manager', 'engineer', 'crew', 'viewer')),
    specialisation TEXT CHECK (specialisation IN ('mechanical', 'electrical', 'electronics', 'hydraulics', 'deck', 'hull', 'safety', 'general')),
    token_hash BLOB NOT NULL,
    invited_by BLOB,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    accepted_at TEXT,
    accepted_by BLOB,
    revoked_at TEXT,
    PRIMARY KEY (company_id, id),
    UNIQUE (company_id, token_hash)
);
-- At most one open invitation per email and company.
CREATE UNIQUE INDEX invitations_open ON invitations (company_id, email) WHERE accepted_at IS NULL AND revoked_at IS NULL;

-- Password resets belong to the login (global, like users): single-use, expiring, hashed.
CREATE TABLE password_resets (
    id BLOB PRIMARY KEY,
    user_id BLOB NOT NULL REFERENCES users (id),
    token_hash BLOB NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);
CREATE INDEX password_resets_by_user ON password_resets (user_id);

-- A login's TOTP second factor (RFC 6238): the seed sealed with a server key, confirmed once a
-- first code matched, and the last time step accepted (each code is accepted once).
CREATE TABLE user_mfa (
    user_id BLOB PRIMARY KEY REFERENCES users (id),
    sealed_secret BLOB NOT NULL,
    confirmed_at TEXT,
    last_step INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Single-use recovery codes, kept hashed.
CREATE TABLE mfa_recovery_codes (
    user_id BLOB NOT NULL REFERENCES users (id),
    code_hash BLOB NOT NULL,
    used_at TEXT,
    PRIMARY KEY (user_id, code_hash)
);

-- A session: one sign-in and every refresh token descended from it (the id is the family id).
CREATE TABLE sessions (
    company_id BLOB NOT NULL,
    id BLOB NOT NULL,
    user_id BLOB NOT NULL,
    created_at TEXT NOT NULL,
    last_used_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    ip TEXT,
    user_agent TEXT,
    last_ip TEXT,
    mfa INTEGER NOT NULL CHECK (mfa IN (0, 1)),
    revoked_at TEXT,
    PRIMARY KEY (company_id, id),
    FOREIGN KEY (company_id, user_id) REFERENCES memberships (company_id, user_id)
);
CREATE INDEX sessions_by_user ON sessions (company_id, user_id);
INSERT INTO sessions (company_id, id, user_id, created_at, last_used_at, expires_at, mfa, revoked_at)
SELECT company_id, family_id, min(user_id), min(issued_at), max(coalesce(used_at, issued_at)),
       max(family_expires_at), 0, max(revoked_at)
  FROM refresh_tokens GROUP BY company_id, family_id;

-- API keys for integrations and edge nodes: a role in one company, optionally only some
-- vessels; shown once, kept hashed, expiring, revocable.
CREATE TABLE api_keys (
    company_id BLOB NOT NULL REFERENCES companies (id),
    id BLOB NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'manager', 'engineer', 'crew', 'viewer')),
    token_hash BLOB NOT NULL,
    created_by BLOB,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT,
    last_used_at TEXT,
    last_used_ip TEXT,
    PRIMARY KEY (company_id, id),
    UNIQUE (company_id, token_hash)
);

CREATE TABLE api_key_vessels (
    company_id BLOB NOT NULL,
    key_id BLOB NOT NULL,
    vessel_id BLOB NOT NULL,
    PRIMARY KEY (company_id, key_id, vessel_id),
    FOREIGN KEY (company_id, key_id) REFERENCES api_keys (company_id, id),
    FOREIGN KEY (company_id, vessel_id) REFERENCES vessels (company_id, id)
);

-- Requests counted per rate-limit key and minute (PostgreSQL instances share them; a single
-- SQLite process counts in memory and leaves this table empty).
CREATE TABLE rate_windows (
    key TEXT NOT NULL,
    window_start TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (key, window_start)
);

-- Throttle keys are now bounded (hashed emails) and decay; the old unbounded keys go.
DELETE FROM auth_throttle;

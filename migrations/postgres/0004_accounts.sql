-- Accounts: invitations, password resets, second factors, sessions a person can see and end,
-- API keys, the company's plan (rate limits) and security settings, and rate-limit windows
-- shared by instances. Runs as the owner role; see 0001 for the runtime role and policies.

ALTER TABLE companies ADD COLUMN plan text NOT NULL DEFAULT 'basic' CHECK (plan IN ('basic', 'pro', 'enterprise'));
-- Requests per minute per person or API key on the enterprise plan (NULL: the server's default).
ALTER TABLE companies ADD COLUMN rate_limit_per_minute bigint CHECK (rate_limit_per_minute > 0);
-- Owners and admins must sign in with a second factor.
ALTER TABLE companies ADD COLUMN require_mfa boolean NOT NULL DEFAULT false;

-- A person invited to a company: no access until accepted (by signing in with their existing
-- login, or by setting the password of a new one). The token is single-use and kept hashed.
CREATE TABLE invitations (
    company_id uuid NOT NULL REFERENCES companies (id),
    id uuid NOT NULL,
    email text NOT NULL,
    name text NOT NULL,
    role text NOT NULL CHECK (role IN ('owner', 'admin', 'manager', 'engineer', 'crew', 'viewer')),
    specialisation text CHECK (specialisation IN ('mechanical', 'electrical', 'electronics', 'hydraulics', 'deck', 'hull', 'safety', 'general')),
    token_hash bytea NOT NULL,
    invited_by uuid,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    accepted_at timestamptz,
    accepted_by uuid,
    revoked_at timestamptz,
    PRIMARY KEY (company_id, id),
    UNIQUE (company_id, token_hash)
);
-- At most one open invitation per email and company.
CREATE UNIQUE INDEX invitations_open ON invitations (company_id, email) WHERE accepted_at IS NULL AND revoked_at IS NULL;

-- Password resets belong to the login (global, like users): single-use, expiring, hashed.
CREATE TABLE password_resets (
    id uuid PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users (id),
    token_hash bytea NOT NULL UNIQUE,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at timestamptz
);
CREATE INDEX password_resets_by_user ON password_resets (user_id);

-- A login's TOTP second factor (RFC 6238): the seed sealed with a server key, confirmed once a
-- first code matched, and the last time step accepted (each code is accepted once).
CREATE TABLE user_mfa (
    user_id uuid PRIMARY KEY REFERENCES users (id),
    sealed_secret bytea NOT NULL,
    confirmed_at timestamptz,
    last_step bigint NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);

-- Single-use recovery codes, kept hashed.
CREATE TABLE mfa_recovery_codes (
    user_id uuid NOT NULL REFERENCES users (id),
    code_hash bytea NOT NULL,
    used_at timestamptz,
    PRIMARY KEY (user_id, code_hash)
);

-- A session: one sign-in and every refresh token descended from it (the id is the family id).
CREATE TABLE sessions (
    company_id uuid NOT NULL,
    id uuid NOT NULL,
    user_id uuid NOT NULL,
    created_at timestamptz NOT NULL,
    last_used_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    ip text,
    user_agent text,
    last_ip text,
    mfa boolean NOT NULL,
    revoked_at timestamptz,
    PRIMARY KEY (company_id, id),
    FOREIGN KEY (company_id, user_id) REFERENCES memberships (company_id, user_id)
);
CREATE INDEX sessions_by_user ON sessions (company_id, user_id);
INSERT INTO sessions (company_id, id, user_id, created_at, last_used_at, expires_at, mfa, revoked_at)
SELECT company_id, family_id, min(user_id::text)::uuid, min(issued_at), max(coalesce(used_at, issued_at)),
       max(family_expires_at), false, max(revoked_at)
  FROM refresh_tokens GROUP BY company_id, family_id;

-- API keys for integrations and edge nodes: a role in one company, optionally only some
-- vessels; shown once, kept hashed, expiring, revocable.
CREATE TABLE api_keys (
    company_id uuid NOT NULL REFERENCES companies (id),
    id uuid NOT NULL,
    name text NOT NULL,
    role text NOT NULL CHECK (role IN ('admin', 'manager', 'engineer', 'crew', 'viewer')),
    token_hash bytea NOT NULL,
    created_by uuid,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz,
    last_used_at timestamptz,
    last_used_ip text,
    PRIMARY KEY (company_id, id),
    UNIQUE (company_id, token_hash)
);

CREATE TABLE api_key_vessels (
    company_id uuid NOT NULL,
    key_id uuid NOT NULL,
    vessel_id uuid NOT NULL,
    PRIMARY KEY (company_id, key_id, vessel_id),
    FOREIGN KEY (company_id, key_id) REFERENCES api_keys (company_id, id),
    FOREIGN KEY (company_id, vessel_id) REFERENCES vessels (company_id, id)
);

-- Requests counted per rate-limit key and minute, added to by every instance about once a
-- second (never once per request).
CREATE TABLE rate_windows (
    key text NOT NULL,
    window_start timestamptz NOT NULL,
    count bigint NOT NULL,
    PRIMARY KEY (key, window_start)
);

-- Throttle keys are now bounded (hashed emails) and decay; the old unbounded keys go.
DELETE FROM auth_throttle;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['invitations', 'sessions', 'api_keys', 'api_key_vessels']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY tenant ON %I
            USING (company_id = NULLIF(current_setting('app.company_id', true), '')::uuid)
            WITH CHECK (company_id = NULLIF(current_setting('app.company_id', true), '')::uuid)$p$, t);
    END LOOP;
END
$$;

GRANT SELECT, INSERT, UPDATE ON invitations, password_resets, user_mfa, sessions, api_keys, rate_windows TO bosun_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON mfa_recovery_codes TO bosun_app;
GRANT SELECT, INSERT, DELETE ON api_key_vessels TO bosun_app;
GRANT DELETE ON user_mfa, rate_windows TO bosun_app;

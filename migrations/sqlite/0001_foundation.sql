-- Foundation: companies, people, vessels, sessions, audit chain, sync change log.
-- Ids are UUIDv7 (16-byte BLOBs here, uuid in PostgreSQL); times are UTC.

CREATE TABLE companies (
    id BLOB PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    display_name TEXT NOT NULL,
    logo_url TEXT,
    primary_color TEXT NOT NULL,
    subscription_status TEXT NOT NULL CHECK (subscription_status IN ('trial', 'active', 'past_due', 'cancelled')),
    parts_markup_bp INTEGER NOT NULL DEFAULT 2000 CHECK (parts_markup_bp >= 0),
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);

CREATE TABLE users (
    id BLOB PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE memberships (
    company_id BLOB NOT NULL REFERENCES companies (id),
    user_id BLOB NOT NULL REFERENCES users (id),
    role TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'manager', 'engineer', 'crew', 'viewer')),
    specialisation TEXT CHECK (specialisation IN ('mechanical', 'electrical', 'electronics', 'hydraulics', 'deck', 'hull', 'safety', 'general')),
    active INTEGER NOT NULL CHECK (active IN (0, 1)),
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT,
    PRIMARY KEY (company_id, user_id)
);
CREATE INDEX memberships_by_user ON memberships (user_id);

CREATE TABLE vessels (
    company_id BLOB NOT NULL REFERENCES companies (id),
    id BLOB NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('vessel', 'site', 'project')),
    name TEXT NOT NULL,
    vessel_type TEXT,
    imo TEXT,
    specs TEXT NOT NULL DEFAULT '{}',
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT,
    PRIMARY KEY (company_id, id),
    UNIQUE (company_id, imo)
);

CREATE TABLE departments (
    company_id BLOB NOT NULL,
    id BLOB NOT NULL,
    vessel_id BLOB NOT NULL,
    name TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT,
    PRIMARY KEY (company_id, id),
    UNIQUE (company_id, vessel_id, name),
    FOREIGN KEY (company_id, vessel_id) REFERENCES vessels (company_id, id)
);

CREATE TABLE vessel_members (
    company_id BLOB NOT NULL,
    vessel_id BLOB NOT NULL,
    user_id BLOB NOT NULL,
    department_id BLOB,
    rotation_start TEXT NOT NULL,
    rotation_end TEXT,
    version INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT,
    PRIMARY KEY (company_id, vessel_id, user_id),
    FOREIGN KEY (company_id, vessel_id) REFERENCES vessels (company_id, id),
    FOREIGN KEY (company_id, user_id) REFERENCES memberships (company_id, user_id),
    FOREIGN KEY (company_id, department_id) REFERENCES departments (company_id, id)
);
CREATE INDEX vessel_members_by_user ON vessel_members (company_id, user_id);

CREATE TABLE refresh_tokens (
    company_id BLOB NOT NULL,
    id BLOB NOT NULL,
    family_id BLOB NOT NULL,
    user_id BLOB NOT NULL,
    token_hash BLOB NOT NULL,
    issued_at TEXT NOT NULL,
    family_expires_at TEXT NOT NULL,
    used_at TEXT,
    revoked_at TEXT,
    PRIMARY KEY (company_id, id),
    UNIQUE (company_id, token_hash),
    FOREIGN KEY (company_id, user_id) REFERENCES memberships (company_id, user_id)
);
CREATE INDEX refresh_tokens_by_family ON refresh_tokens (company_id, family_id);
CREATE INDEX refresh_tokens_by_user ON refresh_tokens (company_id, user_id);

CREATE TABLE audit_heads (
    company_id BLOB PRIMARY KEY REFERENCES companies (id),
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL
);

CREATE TABLE audit_log (
    company_id BLOB NOT NULL REFERENCES companies (id),
    seq INTEGER NOT NULL,
    id BLOB NOT NULL,
    at TEXT NOT NULL,
    actor_id BLOB,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT,
    before TEXT,
    after TEXT,
    outcome TEXT NOT NULL CHECK (outcome IN ('success', 'failure')),
    ip TEXT,
    user_agent TEXT,
    request_id TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (company_id, seq)
);
CREATE INDEX audit_log_by_entity ON audit_log (company_id, entity, entity_id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TABLE sync_scopes (
    company_id BLOB NOT NULL,
    scope TEXT NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (company_id, scope)
);

CREATE TABLE sync_changes (
    company_id BLOB NOT NULL,
    scope TEXT NOT NULL,
    seq INTEGER NOT NULL,
    entity TEXT NOT NULL,
    row_id BLOB NOT NULL,
    op TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
    fields TEXT NOT NULL,
    hlc TEXT,
    client_id BLOB,
    mutation_id INTEGER,
    at TEXT NOT NULL,
    PRIMARY KEY (company_id, scope, seq)
);

CREATE TABLE sync_clients (
    company_id BLOB NOT NULL,
    client_id BLOB NOT NULL,
    user_id BLOB NOT NULL,
    last_mutation_id INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (company_id, client_id)
);

-- Global tables (no tenant): login throttling and server secrets shared by every instance.
CREATE TABLE auth_throttle (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    locked_until TEXT,
    updated_at TEXT NOT NULL
);

CREATE TABLE server_secrets (
    name TEXT PRIMARY KEY,
    value BLOB NOT NULL,
    created_at TEXT NOT NULL
);

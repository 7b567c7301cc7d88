-- Foundation: companies, people, vessels, sessions, audit chain, sync change log.
-- Runs as the owner role. The server runs as `bosun_app` (NOSUPERUSER, NOBYPASSRLS, owns no
-- table); every table with company_id has row-level security enabled and forced.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bosun_app') THEN
        CREATE ROLE bosun_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL; -- another database's migration created it at the same moment
END
$$;

CREATE TABLE companies (
    id uuid PRIMARY KEY,
    slug text NOT NULL UNIQUE,
    name text NOT NULL,
    display_name text NOT NULL,
    logo_url text,
    primary_color text NOT NULL,
    subscription_status text NOT NULL CHECK (subscription_status IN ('trial', 'active', 'past_due', 'cancelled')),
    parts_markup_bp bigint NOT NULL DEFAULT 2000 CHECK (parts_markup_bp >= 0),
    version bigint NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    deleted_at timestamptz
);

CREATE TABLE users (
    id uuid PRIMARY KEY,
    email text NOT NULL UNIQUE,
    name text NOT NULL,
    password_hash text NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);

CREATE TABLE memberships (
    company_id uuid NOT NULL REFERENCES companies (id),
    user_id uuid NOT NULL REFERENCES users (id),
    role text NOT NULL CHECK (role IN ('owner', 'admin', 'manager', 'engineer', 'crew', 'viewer')),
    specialisation text CHECK (specialisation IN ('mechanical', 'electrical', 'electronics', 'hydraulics', 'deck', 'hull', 'safety', 'general')),
    active boolean NOT NULL,
    version bigint NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    deleted_at timestamptz,
    PRIMARY KEY (company_id, user_id)
);
CREATE INDEX memberships_by_user ON memberships (user_id);

CREATE TABLE vessels (
    company_id uuid NOT NULL REFERENCES companies (id),
    id uuid NOT NULL,
    kind text NOT NULL CHECK (kind IN ('vessel', 'site', 'project')),
    name text NOT NULL,
    vessel_type text,
    imo text,
    specs jsonb NOT NULL DEFAULT '{}',
    version bigint NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    deleted_at timestamptz,
    PRIMARY KEY (company_id, id),
    UNIQUE (company_id, imo)
);

CREATE TABLE departments (
    company_id uuid NOT NULL,
    id uuid NOT NULL,
    vessel_id uuid NOT NULL,
    name text NOT NULL,
    version bigint NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    deleted_at timestamptz,
    PRIMARY KEY (company_id, id),
    UNIQUE (company_id, vessel_id, name),
    FOREIGN KEY (company_id, vessel_id) REFERENCES vessels (company_id, id)
);

CREATE TABLE vessel_members (
    company_id uuid NOT NULL,
    vessel_id uuid NOT NULL,
    user_id uuid NOT NULL,
    department_id uuid,
    rotation_start date NOT NULL,
    rotation_end date,
    version bigint NOT NULL,
    updated_at timestamptz NOT NULL,
    deleted_at timestamptz,
    PRIMARY KEY (company_id, vessel_id, user_id),
    FOREIGN KEY (company_id, vessel_id) REFERENCES vessels (company_id, id),
    FOREIGN KEY (company_id, user_id) REFERENCES memberships (company_id, user_id),
    FOREIGN KEY (company_id, department_id) REFERENCES departments (company_id, id)
);
CREATE INDEX vessel_members_by_user ON vessel_members (company_id, user_id);

CREATE TABLE refresh_tokens (
    company_id uuid NOT NULL,
    id uuid NOT NULL,
    family_id uuid NOT NULL,
    user_id uuid NOT NULL,
    token_hash bytea NOT NULL,
    issued_at timestamptz NOT NULL,
    family_expires_at timestamptz NOT NULL,
    used_at timestamptz,
    revoked_at timestamptz,
    PRIMARY KEY (company_id, id),
    UNIQUE (company_id, token_hash),
    FOREIGN KEY (company_id, user_id) REFERENCES memberships (company_id, user_id)
);
CREATE INDEX refresh_tokens_by_family ON refresh_tokens (company_id, family_id);
CREATE INDEX refresh_tokens_by_user ON refresh_tokens (company_id, user_id);

CREATE TABLE audit_heads (
    company_id uuid PRIMARY KEY REFERENCES companies (id),
    seq bigint NOT NULL,
    hash text NOT NULL
);

CREATE TABLE audit_log (
    company_id uuid NOT NULL REFERENCES companies (id),
    seq bigint NOT NULL,
    id uuid NOT NULL,
    at timestamptz NOT NULL,
    actor_id uuid,
    action text NOT NULL,
    entity text NOT NULL,
    entity_id text,
    before text,
    after text,
    outcome text NOT NULL CHECK (outcome IN ('success', 'failure')),
    ip text,
    user_agent text,
    request_id text,
    prev_hash text NOT NULL,
    hash text NOT NULL,
    PRIMARY KEY (company_id, seq)
);
CREATE INDEX audit_log_by_entity ON audit_log (company_id, entity, entity_id);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

CREATE TABLE sync_scopes (
    company_id uuid NOT NULL,
    scope text NOT NULL,
    seq bigint NOT NULL,
    PRIMARY KEY (company_id, scope)
);

CREATE TABLE sync_changes (
    company_id uuid NOT NULL,
    scope text NOT NULL,
    seq bigint NOT NULL,
    entity text NOT NULL,
    row_id uuid NOT NULL,
    op text NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
    fields jsonb NOT NULL,
    hlc text,
    client_id uuid,
    mutation_id bigint,
    at timestamptz NOT NULL,
    PRIMARY KEY (company_id, scope, seq)
);

CREATE TABLE sync_clients (
    company_id uuid NOT NULL,
    client_id uuid NOT NULL,
    user_id uuid NOT NULL,
    last_mutation_id bigint NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (company_id, client_id)
);

-- Global tables (no tenant): login throttling and server secrets shared by every instance.
CREATE TABLE auth_throttle (
    key text PRIMARY KEY,
    failures bigint NOT NULL,
    locked_until timestamptz,
    updated_at timestamptz NOT NULL
);

CREATE TABLE server_secrets (
    name text PRIMARY KEY,
    value bytea NOT NULL,
    created_at timestamptz NOT NULL
);

-- Row-level security: the tenant is set per transaction with
-- set_config('app.company_id', id, true); an unset tenant matches no row.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['memberships', 'vessels', 'departments', 'vessel_members', 'refresh_tokens',
                             'audit_heads', 'audit_log', 'sync_scopes', 'sync_changes', 'sync_clients']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY tenant ON %I
            USING (company_id = NULLIF(current_setting('app.company_id', true), '')::uuid)
            WITH CHECK (company_id = NULLIF(current_setting('app.company_id', true), '')::uuid)$p$, t);
    END LOOP;
END
$$;

-- A person may read their own memberships before a company is chosen (login).
CREATE POLICY own_memberships ON memberships FOR SELECT
    USING (user_id = NULLIF(current_setting('app.user_id', true), '')::uuid);

GRANT USAGE ON SCHEMA public TO bosun_app;
GRANT SELECT, INSERT, UPDATE ON companies, users, memberships, vessels, departments, vessel_members,
    refresh_tokens, audit_heads, sync_scopes, sync_clients, auth_throttle TO bosun_app;
GRANT DELETE ON vessel_members, auth_throttle TO bosun_app;
GRANT SELECT, INSERT ON audit_log, sync_changes, server_secrets TO bosun_app;

//! Sessions and their refresh-token families, login throttling and shared server secrets.

use async_trait::async_trait;
use bosun_domain::account::{Session, ThrottleCount};
use bosun_domain::person::Membership;
use bosun_domain::{CompanyId, RefreshTokenId, SessionFamilyId, UserId};
use bosun_store::{CompanyTerms, RateWindowRepo, RefreshToken, SessionRepo, SessionStanding, StoreError, StoreResult};
use chrono::{DateTime, Utc};

use crate::rows::DbRow;
use crate::{Conn, SqlTx, classify, expect_one, run};

fn token_from(r: &DbRow) -> StoreResult<RefreshToken> {
    Ok(RefreshToken {
        id: RefreshTokenId(r.get("id")?),
        company_id: CompanyId(r.get("company_id")?),
        family_id: SessionFamilyId(r.get("family_id")?),
        user_id: UserId(r.get("user_id")?),
        token_hash: r.get("token_hash")?,
        issued_at: r.get("issued_at")?,
        family_expires_at: r.get("family_expires_at")?,
        used_at: r.get("used_at")?,
        revoked_at: r.get("revoked_at")?,
    })
}

macro_rules! session_columns {
    () => {
        "company_id, id, user_id, created_at, last_used_at, expires_at, ip, user_agent, last_ip, mfa, revoked_at"
    };
}

fn session_from(r: &DbRow) -> StoreResult<Session> {
    Ok(Session {
        id: SessionFamilyId(r.get("id")?),
        company_id: CompanyId(r.get("company_id")?),
        user_id: UserId(r.get("user_id")?),
        created_at: r.get("created_at")?,
        last_used_at: r.get("last_used_at")?,
        expires_at: r.get("expires_at")?,
        ip: r.get("ip")?,
        user_agent: r.get("user_agent")?,
        last_ip: r.get("last_ip")?,
        mfa: r.get("mfa")?,
        revoked_at: r.get("revoked_at")?,
    })
}

#[async_trait]
impl SessionRepo for SqlTx {
    async fn insert_session(&mut self, s: &Session) -> StoreResult<()> {
        self.scoped(s.company_id)?;
        run!(
            self,
            execute,
            "INSERT INTO sessions (company_id, id, user_id, created_at, last_used_at, expires_at, ip, user_agent,
                                   last_ip, mfa, revoked_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            s.company_id.0,
            s.id.0,
            s.user_id.0,
            s.created_at,
            s.last_used_at,
            s.expires_at,
            &s.ip,
            &s.user_agent,
            &s.last_ip,
            s.mfa,
            s.revoked_at
        )?;
        Ok(())
    }

    async fn session(&mut self, company: CompanyId, id: SessionFamilyId) -> StoreResult<Option<Session>> {
        self.scoped(company)?;
        const SQL: &str = concat!("SELECT ", session_columns!(), " FROM sessions WHERE company_id = $1 AND id = $2");
        run!(self, fetch_optional, SQL, company.0, id.0)?.as_ref().map(session_from).transpose()
    }

    async fn list_sessions(&mut self, company: CompanyId, user: UserId) -> StoreResult<Vec<Session>> {
        self.scoped(company)?;
        const SQL: &str = concat!(
            "SELECT ",
            session_columns!(),
            " FROM sessions WHERE company_id = $1 AND user_id = $2 AND revoked_at IS NULL
              ORDER BY last_used_at DESC, id DESC LIMIT 500"
        );
        run!(self, fetch_all, SQL, company.0, user.0)?.iter().map(session_from).collect()
    }

    async fn touch_session(
        &mut self,
        company: CompanyId,
        id: SessionFamilyId,
        at: DateTime<Utc>,
        ip: Option<&str>,
    ) -> StoreResult<()> {
        self.scoped(company)?;
        let n = run!(
            self,
            execute,
            "UPDATE sessions SET last_used_at = $3, last_ip = $4 WHERE company_id = $1 AND id = $2",
            company.0,
            id.0,
            at,
            ip
        )?;
        expect_one(n)
    }

    async fn mark_session_mfa(&mut self, company: CompanyId, id: SessionFamilyId) -> StoreResult<()> {
        self.scoped(company)?;
        self.mark_standing_changed();
        let n = run!(
            self,
            execute,
            "UPDATE sessions SET mfa = $3 WHERE company_id = $1 AND id = $2",
            company.0,
            id.0,
            true
        )?;
        expect_one(n)
    }

    async fn insert_refresh_token(&mut self, t: &RefreshToken) -> StoreResult<()> {
        self.scoped(t.company_id)?;
        run!(
            self,
            execute,
            "INSERT INTO refresh_tokens (company_id, id, family_id, user_id, token_hash, issued_at, family_expires_at,
                                         used_at, revoked_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            t.company_id.0,
            t.id.0,
            t.family_id.0,
            t.user_id.0,
            &t.token_hash,
            t.issued_at,
            t.family_expires_at,
            t.used_at,
            t.revoked_at
        )?;
        Ok(())
    }

    async fn refresh_token_by_hash(&mut self, company: CompanyId, hash: &[u8]) -> StoreResult<Option<RefreshToken>> {
        self.scoped(company)?;
        run!(
            self,
            fetch_optional,
            "SELECT company_id, id, family_id, user_id, token_hash, issued_at, family_expires_at, used_at, revoked_at
               FROM refresh_tokens WHERE company_id = $1 AND token_hash = $2",
            company.0,
            hash
        )?
        .as_ref()
        .map(token_from)
        .transpose()
    }

    async fn mark_refresh_token_used(
        &mut self,
        company: CompanyId,
        id: RefreshTokenId,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.scoped(company)?;
        let n = run!(
            self,
            execute,
            "UPDATE refresh_tokens SET used_at = $3 WHERE company_id = $1 AND id = $2 AND used_at IS NULL",
            company.0,
            id.0,
            at
        )?;
        expect_one(n)
    }

    async fn family_used_after(&mut self, t: &RefreshToken) -> StoreResult<bool> {
        self.scoped(t.company_id)?;
        // Ids are UUIDv7: equal issue times (a coarse clock) still order by id.
        let row = run!(
            self,
            fetch_optional,
            "SELECT count(*) AS n FROM refresh_tokens
              WHERE company_id = $1 AND family_id = $2 AND used_at IS NOT NULL
                AND (issued_at > $3 OR (issued_at = $3 AND id > $4))",
            t.company_id.0,
            t.family_id.0,
            t.issued_at,
            t.id.0
        )?;
        Ok(row.map_or(Ok(0i64), |r| r.get("n"))? > 0)
    }

    async fn revoke_family(
        &mut self,
        company: CompanyId,
        family: SessionFamilyId,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.scoped(company)?;
        self.mark_standing_changed();
        run!(
            self,
            execute,
            "UPDATE sessions SET revoked_at = $3 WHERE company_id = $1 AND id = $2 AND revoked_at IS NULL",
            company.0,
            family.0,
            at
        )?;
        run!(
            self,
            execute,
            "UPDATE refresh_tokens SET revoked_at = $3 WHERE company_id = $1 AND family_id = $2 AND revoked_at IS NULL",
            company.0,
            family.0,
            at
        )?;
        Ok(())
    }

    async fn revoke_user_sessions(
        &mut self,
        company: CompanyId,
        user: UserId,
        keep: Option<SessionFamilyId>,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.scoped(company)?;
        self.mark_standing_changed();
        // A session id no family has (the nil UUID) keeps nothing.
        let keep = keep.map_or(uuid::Uuid::nil(), |k| k.0);
        run!(
            self,
            execute,
            "UPDATE sessions SET revoked_at = $3
              WHERE company_id = $1 AND user_id = $2 AND revoked_at IS NULL AND id <> $4",
            company.0,
            user.0,
            at,
            keep
        )?;
        run!(
            self,
            execute,
            "UPDATE refresh_tokens SET revoked_at = $3
              WHERE company_id = $1 AND user_id = $2 AND revoked_at IS NULL AND family_id <> $4",
            company.0,
            user.0,
            at,
            keep
        )?;
        Ok(())
    }

    async fn session_standing(
        &mut self,
        company: CompanyId,
        user: UserId,
        family: SessionFamilyId,
    ) -> StoreResult<Option<SessionStanding>> {
        self.scoped(company)?;
        // A session stands while it is not revoked; an unknown family counts as revoked.
        let row =
            run!(self, fetch_optional,
            "SELECT m.company_id, m.user_id, m.role, m.specialisation, m.active, m.version, m.created_at, m.updated_at,
                    s.revoked_at AS session_revoked_at, s.id AS session_id, s.mfa,
                    c.plan, c.rate_limit_per_minute, c.require_mfa
               FROM memberships m
               JOIN companies c ON c.id = m.company_id
               LEFT JOIN sessions s ON s.company_id = m.company_id AND s.user_id = m.user_id AND s.id = $3
              WHERE m.company_id = $1 AND m.user_id = $2 AND m.deleted_at IS NULL",
            company.0, user.0, family.0)?;
        let Some(r) = row else { return Ok(None) };
        let session_id: Option<uuid::Uuid> = r.get("session_id")?;
        let revoked_at: Option<DateTime<Utc>> = r.get("session_revoked_at")?;
        let mfa: Option<bool> = r.get("mfa")?;
        Ok(Some(SessionStanding {
            membership: Membership {
                company_id: CompanyId(r.get("company_id")?),
                user_id: UserId(r.get("user_id")?),
                role: r.parse("role")?,
                specialisation: r.parse_opt("specialisation")?,
                active: r.get("active")?,
                version: r.get("version")?,
                created_at: r.get("created_at")?,
                updated_at: r.get("updated_at")?,
            },
            family_revoked: session_id.is_none() || revoked_at.is_some(),
            mfa: mfa.unwrap_or(false),
            company: CompanyTerms {
                plan: r.parse("plan")?,
                rate_limit_per_minute: r.get("rate_limit_per_minute")?,
                require_mfa: r.get("require_mfa")?,
            },
        }))
    }

    async fn throttle_state(&mut self, key: &str) -> StoreResult<Option<ThrottleCount>> {
        // The caller reads the count, then writes count + 1. Under READ COMMITTED two instances
        // (or two requests) failing at once would read the same count and lose a failure, so
        // the key is held until the transaction ends. SQLite's BEGIN IMMEDIATE already
        // serialises every writer.
        if let Conn::Pg(tx) = &mut self.conn {
            sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
                .bind(key)
                .execute(&mut **tx)
                .await
                .map_err(classify)?;
        }
        run!(self, fetch_optional, "SELECT failures, locked_until, updated_at FROM auth_throttle WHERE key = $1", key)?
            .map(|r| {
                Ok(ThrottleCount {
                    failures: r.get("failures")?,
                    locked_until: r.get("locked_until")?,
                    updated_at: r.get("updated_at")?,
                })
            })
            .transpose()
    }

    async fn throttle_record(&mut self, key: &str, c: &ThrottleCount) -> StoreResult<()> {
        run!(
            self,
            execute,
            "INSERT INTO auth_throttle (key, failures, locked_until, updated_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until,
                                             updated_at = excluded.updated_at",
            key,
            c.failures,
            c.locked_until,
            c.updated_at
        )?;
        Ok(())
    }

    async fn throttle_clear(&mut self, key: &str) -> StoreResult<()> {
        run!(self, execute, "DELETE FROM auth_throttle WHERE key = $1", key)?;
        Ok(())
    }

    async fn server_secret(&mut self, name: &str, fresh: &[u8], at: DateTime<Utc>) -> StoreResult<Vec<u8>> {
        run!(
            self,
            execute,
            "INSERT INTO server_secrets (name, value, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING",
            name,
            fresh,
            at
        )?;
        run!(self, fetch_optional, "SELECT value FROM server_secrets WHERE name = $1", name)?
            .ok_or(StoreError::NotFound)?
            .get("value")
    }
}

#[async_trait]
impl RateWindowRepo for SqlTx {
    async fn add_rate_counts(&mut self, counts: &[(String, DateTime<Utc>, i64)]) -> StoreResult<Vec<i64>> {
        let mut totals = Vec::with_capacity(counts.len());
        for (key, window, n) in counts {
            let total: i64 = run!(
                self,
                fetch_optional,
                "INSERT INTO rate_windows (key, window_start, count) VALUES ($1, $2, $3)
                 ON CONFLICT (key, window_start) DO UPDATE SET count = rate_windows.count + excluded.count
                 RETURNING count",
                key,
                window,
                n
            )?
            .ok_or(StoreError::NotFound)?
            .get("count")?;
            totals.push(total);
        }
        Ok(totals)
    }

    async fn prune_rate_windows(&mut self, before: DateTime<Utc>) -> StoreResult<u64> {
        run!(self, execute, "DELETE FROM rate_windows WHERE window_start < $1", before)
    }
}

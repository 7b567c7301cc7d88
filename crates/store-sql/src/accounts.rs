//! Invitations, password resets, passwords, second factors and API keys.

use async_trait::async_trait;
use bosun_domain::account::{ApiKey, Invitation, PasswordReset, UserMfa};
use bosun_domain::person::Email;
use bosun_domain::{ApiKeyId, CompanyId, InvitationId, PasswordResetId, UserId, VesselId};
use bosun_store::{AccountRepo, ApiKeyRepo, Page, StoreError, StoreResult};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::rows::DbRow;
use crate::{SqlTx, expect_one, limit, run};

macro_rules! invitation_columns {
    () => {
        "company_id, id, email, name, role, specialisation, token_hash, invited_by, created_at, expires_at, \
         accepted_at, accepted_by, revoked_at"
    };
}

fn invitation_from(r: &DbRow) -> StoreResult<Invitation> {
    let email: String = r.get("email")?;
    Ok(Invitation {
        id: InvitationId(r.get("id")?),
        company_id: CompanyId(r.get("company_id")?),
        email: Email::parse("email", &email).map_err(|v| StoreError::Other(v.message))?,
        name: r.get("name")?,
        role: r.parse("role")?,
        specialisation: r.parse_opt("specialisation")?,
        token_hash: r.get("token_hash")?,
        invited_by: r.get::<Option<Uuid>>("invited_by")?.map(UserId),
        created_at: r.get("created_at")?,
        expires_at: r.get("expires_at")?,
        accepted_at: r.get("accepted_at")?,
        accepted_by: r.get::<Option<Uuid>>("accepted_by")?.map(UserId),
        revoked_at: r.get("revoked_at")?,
    })
}

fn reset_from(r: &DbRow) -> StoreResult<PasswordReset> {
    Ok(PasswordReset {
        id: PasswordResetId(r.get("id")?),
        user_id: UserId(r.get("user_id")?),
        token_hash: r.get("token_hash")?,
        created_at: r.get("created_at")?,
        expires_at: r.get("expires_at")?,
        used_at: r.get("used_at")?,
    })
}

#[async_trait]
impl AccountRepo for SqlTx {
    async fn insert_invitation(&mut self, i: &Invitation) -> StoreResult<()> {
        self.scoped(i.company_id)?;
        run!(
            self,
            execute,
            "INSERT INTO invitations (company_id, id, email, name, role, specialisation, token_hash, invited_by,
                                      created_at, expires_at, accepted_at, accepted_by, revoked_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
            i.company_id.0,
            i.id.0,
            i.email.as_str(),
            &i.name,
            i.role.as_str(),
            i.specialisation.map(|s| s.as_str()),
            &i.token_hash,
            i.invited_by.map(|u| u.0),
            i.created_at,
            i.expires_at,
            i.accepted_at,
            i.accepted_by.map(|u| u.0),
            i.revoked_at
        )?;
        Ok(())
    }

    async fn invitation(&mut self, company: CompanyId, id: InvitationId) -> StoreResult<Option<Invitation>> {
        self.scoped(company)?;
        const SQL: &str =
            concat!("SELECT ", invitation_columns!(), " FROM invitations WHERE company_id = $1 AND id = $2");
        run!(self, fetch_optional, SQL, company.0, id.0)?.as_ref().map(invitation_from).transpose()
    }

    async fn invitation_by_token(&mut self, company: CompanyId, hash: &[u8]) -> StoreResult<Option<Invitation>> {
        self.scoped(company)?;
        const SQL: &str =
            concat!("SELECT ", invitation_columns!(), " FROM invitations WHERE company_id = $1 AND token_hash = $2");
        run!(self, fetch_optional, SQL, company.0, hash)?.as_ref().map(invitation_from).transpose()
    }

    async fn open_invitation_for(&mut self, company: CompanyId, email: &Email) -> StoreResult<Option<Invitation>> {
        self.scoped(company)?;
        const SQL: &str = concat!(
            "SELECT ",
            invitation_columns!(),
            " FROM invitations WHERE company_id = $1 AND email = $2 AND accepted_at IS NULL AND revoked_at IS NULL"
        );
        run!(self, fetch_optional, SQL, company.0, email.as_str())?.as_ref().map(invitation_from).transpose()
    }

    async fn list_open_invitations(
        &mut self,
        company: CompanyId,
        page: Page<InvitationId>,
    ) -> StoreResult<Vec<Invitation>> {
        self.scoped(company)?;
        const SQL: &str = concat!(
            "SELECT ",
            invitation_columns!(),
            " FROM invitations
              WHERE company_id = $1 AND accepted_at IS NULL AND revoked_at IS NULL AND ($2 IS NULL OR id > $2)
              ORDER BY id LIMIT $3"
        );
        run!(self, fetch_all, SQL, company.0, page.after.map(|a| a.0), limit(page.limit))?
            .iter()
            .map(invitation_from)
            .collect()
    }

    async fn accept_invitation(
        &mut self,
        company: CompanyId,
        id: InvitationId,
        by: UserId,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.scoped(company)?;
        let n = run!(
            self,
            execute,
            "UPDATE invitations SET accepted_at = $3, accepted_by = $4
              WHERE company_id = $1 AND id = $2 AND accepted_at IS NULL AND revoked_at IS NULL",
            company.0,
            id.0,
            at,
            by.0
        )?;
        expect_one(n)
    }

    async fn revoke_invitation(&mut self, company: CompanyId, id: InvitationId, at: DateTime<Utc>) -> StoreResult<()> {
        self.scoped(company)?;
        let n = run!(
            self,
            execute,
            "UPDATE invitations SET revoked_at = $3
              WHERE company_id = $1 AND id = $2 AND accepted_at IS NULL AND revoked_at IS NULL",
            company.0,
            id.0,
            at
        )?;
        expect_one(n)
    }

    async fn insert_password_reset(&mut self, r: &PasswordReset) -> StoreResult<()> {
        run!(
            self,
            execute,
            "INSERT INTO password_resets (id, user_id, token_hash, created_at, expires_at, used_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
            r.id.0,
            r.user_id.0,
            &r.token_hash,
            r.created_at,
            r.expires_at,
            r.used_at
        )?;
        Ok(())
    }

    async fn password_reset_by_token(&mut self, hash: &[u8]) -> StoreResult<Option<PasswordReset>> {
        run!(
            self,
            fetch_optional,
            "SELECT id, user_id, token_hash, created_at, expires_at, used_at FROM password_resets WHERE token_hash = $1",
            hash
        )?
        .as_ref()
        .map(reset_from)
        .transpose()
    }

    async fn spend_password_resets(&mut self, id: PasswordResetId, user: UserId, at: DateTime<Utc>) -> StoreResult<()> {
        let n =
            run!(self, execute, "UPDATE password_resets SET used_at = $2 WHERE id = $1 AND used_at IS NULL", id.0, at)?;
        expect_one(n)?;
        run!(
            self,
            execute,
            "UPDATE password_resets SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL",
            user.0,
            at
        )?;
        Ok(())
    }

    async fn update_user_password(&mut self, user: UserId, hash: &str, at: DateTime<Utc>) -> StoreResult<()> {
        let n = run!(
            self,
            execute,
            "UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1",
            user.0,
            hash,
            at
        )?;
        expect_one(n)
    }

    async fn user_mfa(&mut self, user: UserId) -> StoreResult<Option<UserMfa>> {
        run!(
            self,
            fetch_optional,
            "SELECT user_id, sealed_secret, confirmed_at, last_step, created_at, updated_at FROM user_mfa WHERE user_id = $1",
            user.0
        )?
        .map(|r| {
            Ok(UserMfa {
                user_id: UserId(r.get("user_id")?),
                sealed_secret: r.get("sealed_secret")?,
                confirmed_at: r.get("confirmed_at")?,
                last_step: r.get("last_step")?,
                created_at: r.get("created_at")?,
                updated_at: r.get("updated_at")?,
            })
        })
        .transpose()
    }

    async fn begin_mfa_enrolment(&mut self, m: &UserMfa) -> StoreResult<()> {
        // Only an unconfirmed enrolment is replaced; a confirmed factor is removed on purpose,
        // never overwritten.
        let n = run!(
            self,
            execute,
            "INSERT INTO user_mfa (user_id, sealed_secret, confirmed_at, last_step, created_at, updated_at)
             VALUES ($1, $2, NULL, 0, $3, $3)
             ON CONFLICT (user_id) DO UPDATE SET sealed_secret = excluded.sealed_secret, last_step = 0,
                                                 created_at = excluded.created_at, updated_at = excluded.updated_at
              WHERE user_mfa.confirmed_at IS NULL",
            m.user_id.0,
            &m.sealed_secret,
            m.created_at
        )?;
        if n == 0 { Err(StoreError::Conflict("the second factor is already confirmed".into())) } else { Ok(()) }
    }

    async fn confirm_mfa(&mut self, user: UserId, step: i64, at: DateTime<Utc>) -> StoreResult<()> {
        let n = run!(
            self,
            execute,
            "UPDATE user_mfa SET confirmed_at = $3, last_step = $2, updated_at = $3
              WHERE user_id = $1 AND confirmed_at IS NULL",
            user.0,
            step,
            at
        )?;
        expect_one(n)
    }

    async fn use_mfa_step(&mut self, user: UserId, step: i64, at: DateTime<Utc>) -> StoreResult<bool> {
        let n = run!(
            self,
            execute,
            "UPDATE user_mfa SET last_step = $2, updated_at = $3 WHERE user_id = $1 AND last_step < $2",
            user.0,
            step,
            at
        )?;
        Ok(n == 1)
    }

    async fn remove_mfa(&mut self, user: UserId) -> StoreResult<()> {
        run!(self, execute, "DELETE FROM mfa_recovery_codes WHERE user_id = $1", user.0)?;
        run!(self, execute, "DELETE FROM user_mfa WHERE user_id = $1", user.0)?;
        Ok(())
    }

    async fn replace_recovery_codes(&mut self, user: UserId, hashes: &[Vec<u8>]) -> StoreResult<()> {
        run!(self, execute, "DELETE FROM mfa_recovery_codes WHERE user_id = $1", user.0)?;
        for h in hashes {
            run!(
                self,
                execute,
                "INSERT INTO mfa_recovery_codes (user_id, code_hash, used_at) VALUES ($1, $2, NULL)",
                user.0,
                h
            )?;
        }
        Ok(())
    }

    async fn use_recovery_code(&mut self, user: UserId, hash: &[u8], at: DateTime<Utc>) -> StoreResult<bool> {
        let n = run!(
            self,
            execute,
            "UPDATE mfa_recovery_codes SET used_at = $3 WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL",
            user.0,
            hash,
            at
        )?;
        Ok(n == 1)
    }

    async fn count_recovery_codes(&mut self, user: UserId) -> StoreResult<i64> {
        run!(
            self,
            fetch_optional,
            "SELECT count(*) AS n FROM mfa_recovery_codes WHERE user_id = $1 AND used_at IS NULL",
            user.0
        )?
        .map_or(Ok(0), |r| r.get("n"))
    }
}

macro_rules! key_columns {
    () => {
        "company_id, id, name, role, token_hash, created_by, created_at, expires_at, revoked_at, last_used_at, \
         last_used_ip"
    };
}

impl SqlTx {
    /// A key row with the vessels it may reach.
    async fn api_key_from(&mut self, r: &DbRow) -> StoreResult<ApiKey> {
        let company = CompanyId(r.get("company_id")?);
        let id = ApiKeyId(r.get("id")?);
        let vessels = run!(
            self,
            fetch_all,
            "SELECT vessel_id FROM api_key_vessels WHERE company_id = $1 AND key_id = $2 ORDER BY vessel_id",
            company.0,
            id.0
        )?
        .iter()
        .map(|v| v.get("vessel_id").map(VesselId))
        .collect::<StoreResult<Vec<_>>>()?;
        Ok(ApiKey {
            id,
            company_id: company,
            name: r.get("name")?,
            role: r.parse("role")?,
            vessels,
            token_hash: r.get("token_hash")?,
            created_by: r.get::<Option<Uuid>>("created_by")?.map(UserId),
            created_at: r.get("created_at")?,
            expires_at: r.get("expires_at")?,
            revoked_at: r.get("revoked_at")?,
            last_used_at: r.get("last_used_at")?,
            last_used_ip: r.get("last_used_ip")?,
        })
    }
}

#[async_trait]
impl ApiKeyRepo for SqlTx {
    async fn insert_api_key(&mut self, k: &ApiKey) -> StoreResult<()> {
        self.scoped(k.company_id)?;
        run!(
            self,
            execute,
            "INSERT INTO api_keys (company_id, id, name, role, token_hash, created_by, created_at, expires_at,
                                   revoked_at, last_used_at, last_used_ip)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            k.company_id.0,
            k.id.0,
            &k.name,
            k.role.as_str(),
            &k.token_hash,
            k.created_by.map(|u| u.0),
            k.created_at,
            k.expires_at,
            k.revoked_at,
            k.last_used_at,
            &k.last_used_ip
        )?;
        for v in &k.vessels {
            run!(
                self,
                execute,
                "INSERT INTO api_key_vessels (company_id, key_id, vessel_id) VALUES ($1, $2, $3)",
                k.company_id.0,
                k.id.0,
                v.0
            )?;
        }
        Ok(())
    }

    async fn api_key_by_token(&mut self, company: CompanyId, hash: &[u8]) -> StoreResult<Option<ApiKey>> {
        self.scoped(company)?;
        const SQL: &str =
            concat!("SELECT ", key_columns!(), " FROM api_keys WHERE company_id = $1 AND token_hash = $2");
        match run!(self, fetch_optional, SQL, company.0, hash)? {
            Some(r) => self.api_key_from(&r).await.map(Some),
            None => Ok(None),
        }
    }

    async fn api_key(&mut self, company: CompanyId, id: ApiKeyId) -> StoreResult<Option<ApiKey>> {
        self.scoped(company)?;
        const SQL: &str = concat!("SELECT ", key_columns!(), " FROM api_keys WHERE company_id = $1 AND id = $2");
        match run!(self, fetch_optional, SQL, company.0, id.0)? {
            Some(r) => self.api_key_from(&r).await.map(Some),
            None => Ok(None),
        }
    }

    async fn list_api_keys(&mut self, company: CompanyId) -> StoreResult<Vec<ApiKey>> {
        self.scoped(company)?;
        const SQL: &str =
            concat!("SELECT ", key_columns!(), " FROM api_keys WHERE company_id = $1 ORDER BY id DESC LIMIT 1000");
        let rows = run!(self, fetch_all, SQL, company.0)?;
        let mut keys = Vec::with_capacity(rows.len());
        for r in &rows {
            keys.push(self.api_key_from(r).await?);
        }
        Ok(keys)
    }

    async fn revoke_api_key(&mut self, company: CompanyId, id: ApiKeyId, at: DateTime<Utc>) -> StoreResult<()> {
        self.scoped(company)?;
        self.mark_standing_changed();
        let n = run!(
            self,
            execute,
            "UPDATE api_keys SET revoked_at = $3 WHERE company_id = $1 AND id = $2 AND revoked_at IS NULL",
            company.0,
            id.0,
            at
        )?;
        expect_one(n)
    }

    async fn touch_api_key(
        &mut self,
        company: CompanyId,
        id: ApiKeyId,
        at: DateTime<Utc>,
        ip: Option<&str>,
    ) -> StoreResult<()> {
        self.scoped(company)?;
        run!(
            self,
            execute,
            "UPDATE api_keys SET last_used_at = $3, last_used_ip = $4 WHERE company_id = $1 AND id = $2",
            company.0,
            id.0,
            at,
            ip
        )?;
        Ok(())
    }
}

//! Logins, sessions and access tokens (SECURITY.md, "Authentication and sessions").
//!
//! - Passwords: argon2id (m = 19456 KiB, t = 2, p = 1), hashed on blocking threads with at most
//!   `max_concurrent_hashes` at once.
//! - Throttling per account and per address, kept in the database so every instance shares
//!   it: after `lock_after_failures` failures the key locks for 1 s, doubling per further
//!   failure up to `max_lock_secs`; a locked key is not even evaluated.
//! - Access tokens: HS256 JWTs, `exp`/`nbf`/`iss`/`aud` checked, at most 15 minutes. Every
//!   request re-reads the membership and session, so a role change, disable or logout applies
//!   at once.
//! - Refresh tokens: 256 random bits, stored as SHA-256, rotated on every use; presenting a
//!   spent token after the grace period revokes its whole family.

use std::sync::Arc;

use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use bosun_domain::company::{Company, CompanySlug};
use bosun_domain::person::{Email, Membership, User};
use bosun_domain::{CompanyId, RefreshTokenId, SessionFamilyId, UserId};
use bosun_store::RefreshToken;
use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tokio::sync::Semaphore;
use uuid::Uuid;

use super::standings::{Standings, Verified, VerifiedTokens};
use super::{Actor, Audit, Deps, Error, RequestMeta, Result};
use crate::config::AuthConfig;

const ISSUER: &str = "bosun";
const AUDIENCE: &str = "bosun-api";

/// Hashes and checks passwords with bounded concurrency.
#[derive(Clone)]
pub struct PasswordHasherPool {
    permits: Arc<Semaphore>,
    dummy_hash: Arc<str>,
}

fn argon2id() -> Argon2<'static> {
    #[allow(clippy::expect_used)]
    let params = Params::new(19_456, 2, 1, None).expect("constant argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

impl PasswordHasherPool {
    /// A pool allowing `concurrency` hashes at once.
    pub async fn new(concurrency: usize) -> Result<Self> {
        let permits = Arc::new(Semaphore::new(concurrency));
        let dummy = hash_blocking("a password nobody has".to_owned()).await?;
        Ok(Self { permits, dummy_hash: dummy.into() })
    }

    /// Hashes a new password.
    pub async fn hash(&self, password: &str) -> Result<String> {
        let _permit = self.permits.acquire().await.map_err(|e| Error::Internal(e.to_string()))?;
        hash_blocking(password.to_owned()).await
    }

    /// Waits for a hashing slot. Login holds it across the throttle check, the password check
    /// and the failure count, so a burst of guesses cannot all pass the check before the first
    /// failures are counted: at most `max_concurrent_hashes - 1` guesses beyond the lock limit
    /// are ever evaluated.
    pub async fn slot(&self) -> Result<tokio::sync::SemaphorePermit<'_>> {
        self.permits.acquire().await.map_err(|e| Error::Internal(e.to_string()))
    }

    /// Checks a password against a stored hash while holding a slot; with no hash, spends the
    /// same time and fails.
    pub async fn verify_in_slot(
        &self,
        _slot: &tokio::sync::SemaphorePermit<'_>,
        password: &str,
        hash: Option<&str>,
    ) -> Result<bool> {
        let known = hash.is_some();
        let hash = hash.map(str::to_owned).unwrap_or_else(|| self.dummy_hash.to_string());
        let password = password.to_owned();
        let ok =
            tokio::task::spawn_blocking(move || argon2id().verify_password(password.as_bytes(), hash.as_str()).is_ok())
                .await
                .map_err(|e| Error::Internal(e.to_string()))?;
        Ok(ok && known)
    }
}

async fn hash_blocking(password: String) -> Result<String> {
    tokio::task::spawn_blocking(move || argon2id().hash_password(password.as_bytes()).map(|h| h.to_string()))
        .await
        .map_err(|e| Error::Internal(e.to_string()))?
        .map_err(|e| Error::Internal(format!("password hashing failed: {e}")))
}

/// The claims of an access token.
#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: Uuid,
    cid: Uuid,
    sid: Uuid,
    role: String,
    iss: String,
    aud: String,
    iat: i64,
    nbf: i64,
    exp: i64,
    jti: Uuid,
}

/// A signed-in session, as handed to the client.
#[derive(Debug, Clone)]
pub struct Session {
    /// The bearer token.
    pub access_token: String,
    /// Its lifetime in seconds.
    pub expires_in: i64,
    /// The refresh token, for the cookie.
    pub refresh_token: String,
    /// Seconds until the session's absolute expiry, for the cookie's Max-Age.
    pub refresh_max_age: i64,
    /// Who.
    pub user: User,
    /// Their standing.
    pub membership: Membership,
    /// Where.
    pub company: Company,
}

/// Logins, refreshes, logouts and token checks.
#[derive(Clone)]
pub struct AuthService {
    deps: Deps,
    cfg: AuthConfig,
    hasher: PasswordHasherPool,
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Arc<Validation>,
    tokens: Arc<VerifiedTokens>,
    standings: Arc<Standings>,
}

/// A login request, unchecked.
#[derive(Debug, Clone)]
pub struct LoginRequest {
    /// The login.
    pub email: String,
    /// The password.
    pub password: String,
    /// The company slug, needed when the person belongs to several.
    pub company: Option<String>,
}

impl AuthService {
    /// Builds the service, reading (or creating) the shared signing key.
    pub async fn new(deps: Deps, cfg: AuthConfig, hasher: PasswordHasherPool) -> Result<Self> {
        let key: Vec<u8> = match &cfg.jwt_secret {
            Some(s) => s.expose_secret().as_bytes().to_vec(),
            None => {
                let mut fresh = [0u8; 32];
                rand::rng().fill_bytes(&mut fresh);
                let mut tx = deps.store.begin(None).await?;
                let key = tx.server_secret("jwt_hs256", &fresh, deps.clock.now()).await?;
                tx.commit().await?;
                key
            }
        };
        Ok(Self {
            encoding: EncodingKey::from_secret(&key),
            decoding: DecodingKey::from_secret(&key),
            deps,
            cfg,
            hasher,
            validation: Arc::new(access_validation()),
            tokens: Arc::default(),
            standings: Arc::default(),
        })
    }

    /// The password hasher, for services that set passwords.
    pub fn hasher(&self) -> &PasswordHasherPool {
        &self.hasher
    }

    /// Checks the credentials and opens a session.
    #[tracing::instrument(skip_all)]
    pub async fn login(&self, req: LoginRequest, meta: &RequestMeta) -> Result<Session> {
        let now = self.deps.clock.now();
        let email = Email::parse("email", &req.email).ok();
        // An address that does not parse still counts against its own key; control characters
        // are dropped from it (PostgreSQL text cannot hold U+0000).
        let account_key = format!(
            "acct:{}",
            email.as_ref().map_or_else(
                || req.email.trim().to_lowercase().chars().filter(|c| !c.is_control()).collect(),
                |e| e.to_string()
            )
        );
        let ip_key = meta.ip.as_ref().map(|ip| format!("ip:{ip}"));
        let keys: Vec<&str> = std::iter::once(account_key.as_str()).chain(ip_key.as_deref()).collect();

        let slot = self.hasher.slot().await?;
        let mut tx = self.deps.store.begin(None).await?;
        for key in &keys {
            if let Some((_, Some(until))) = tx.throttle_state(key).await?
                && until > now
            {
                return Err(Error::TooManyAttempts { retry_after: (until - now).num_seconds().max(1) });
            }
        }
        let user = match &email {
            Some(e) => tx.user_by_email(e).await?,
            None => None,
        };
        drop(tx);

        let password_ok =
            self.hasher.verify_in_slot(&slot, &req.password, user.as_ref().map(|u| u.password_hash.as_str())).await?;
        let slug = req.company.as_deref().map(str::trim).filter(|s| !s.is_empty());

        let chosen = match (&user, password_ok) {
            (Some(user), true) => self.choose_company(user.id, slug).await?,
            _ => None,
        };
        let (Some(user), Some((company, membership))) = (user.clone(), chosen) else {
            self.record_login_failure(&keys, user.as_ref(), slug, meta).await?;
            drop(slot);
            return Err(Error::Unauthorized { code: "invalid_credentials", message: "Email or password is wrong" });
        };

        let mut tx = self.deps.store.begin(Some(company.id)).await?;
        tx.throttle_clear(&account_key).await?;
        let (refresh_token, refresh_max_age) = self
            .issue_refresh(
                &mut tx,
                company.id,
                user.id,
                SessionFamilyId::new(),
                now + Duration::days(self.cfg.session_days),
                now,
            )
            .await?;
        let family = refresh_token.1;
        self.deps.audit(&mut tx, company.id, Some(user.id), meta, Audit::ok("auth.login", "user", user.id)).await?;
        tx.commit().await?;
        Ok(Session {
            access_token: self.access_token(&user, &membership, family, now)?,
            expires_in: self.cfg.access_token_secs,
            refresh_token: refresh_token.0,
            refresh_max_age,
            user,
            membership,
            company,
        })
    }

    /// Picks the company a verified person signs in to.
    async fn choose_company(&self, user: UserId, slug: Option<&str>) -> Result<Option<(Company, Membership)>> {
        let mut tx = self.deps.store.begin_read(None).await?;
        let memberships: Vec<Membership> =
            tx.memberships_of_user(user).await?.into_iter().filter(|m| m.active).collect();
        let wanted = match slug {
            Some(s) => match CompanySlug::parse("company", s) {
                Ok(slug) => tx.company_by_slug(&slug).await?,
                Err(_) => None,
            },
            None => None,
        };
        let pick = match (slug, wanted) {
            (Some(_), None) => None,
            (Some(_), Some(c)) => memberships.into_iter().find(|m| m.company_id == c.id).map(|m| (c, m)),
            (None, _) if memberships.len() > 1 => {
                let mut companies = Vec::new();
                for m in &memberships {
                    if let Some(c) = tx.company_by_id(m.company_id).await? {
                        companies.push(c.slug.to_string());
                    }
                }
                return Err(Error::CompanyRequired { companies });
            }
            (None, _) => match memberships.into_iter().next() {
                Some(m) => tx.company_by_id(m.company_id).await?.map(|c| (c, m)),
                None => None,
            },
        };
        Ok(pick)
    }

    /// Counts a failure against every key and records it in the company's trail when the
    /// company is known (named, or the person's only one).
    async fn record_login_failure(
        &self,
        keys: &[&str],
        user: Option<&User>,
        slug: Option<&str>,
        meta: &RequestMeta,
    ) -> Result<()> {
        let now = self.deps.clock.now();
        let mut tx = self.deps.store.begin(None).await?;
        for key in keys {
            let failures = tx.throttle_state(key).await?.map_or(0, |(n, _)| n) + 1;
            let over = failures - self.cfg.lock_after_failures;
            let locked_until = (over >= 0).then(|| {
                let secs = 1i64.checked_shl(u32::try_from(over.min(30)).unwrap_or(30)).unwrap_or(i64::MAX);
                now + Duration::seconds(secs.min(self.cfg.max_lock_secs))
            });
            tx.throttle_record_failure(key, failures, locked_until, now).await?;
        }
        let company: Option<CompanyId> = match (slug.and_then(|s| CompanySlug::parse("company", s).ok()), user) {
            (Some(slug), _) => tx.company_by_slug(&slug).await?.map(|c| c.id),
            (None, Some(u)) => {
                let ms = tx.memberships_of_user(u.id).await?;
                if ms.len() == 1 { ms.first().map(|m| m.company_id) } else { None }
            }
            (None, None) => None,
        };
        tx.commit().await?;
        match company {
            Some(company) => {
                let mut tx = self.deps.store.begin(Some(company)).await?;
                self.deps
                    .audit(
                        &mut tx,
                        company,
                        user.map(|u| u.id),
                        meta,
                        Audit::failed("auth.login", "user", user.map(|u| u.id.to_string())),
                    )
                    .await?;
                tx.commit().await?;
            }
            None => tracing::info!(ip = meta.ip.as_deref(), "failed login for an unknown company"),
        }
        Ok(())
    }

    async fn issue_refresh(
        &self,
        tx: &mut Box<dyn bosun_store::Tx>,
        company: CompanyId,
        user: UserId,
        family: SessionFamilyId,
        family_expires_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<((String, SessionFamilyId), i64)> {
        let mut secret = [0u8; 32];
        rand::rng().fill_bytes(&mut secret);
        let mut raw = Vec::with_capacity(48);
        raw.extend_from_slice(company.0.as_bytes());
        raw.extend_from_slice(&secret);
        tx.insert_refresh_token(&RefreshToken {
            id: RefreshTokenId::new(),
            company_id: company,
            family_id: family,
            user_id: user,
            token_hash: Sha256::digest(secret).to_vec(),
            issued_at: now,
            family_expires_at,
            used_at: None,
            revoked_at: None,
        })
        .await?;
        Ok(((URL_SAFE_NO_PAD.encode(raw), family), (family_expires_at - now).num_seconds().max(0)))
    }

    fn access_token(&self, user: &User, m: &Membership, family: SessionFamilyId, now: DateTime<Utc>) -> Result<String> {
        let claims = Claims {
            sub: user.id.0,
            cid: m.company_id.0,
            sid: family.0,
            role: m.role.as_str().to_owned(),
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            iat: now.timestamp(),
            nbf: now.timestamp(),
            exp: now.timestamp() + self.cfg.access_token_secs,
            jti: Uuid::now_v7(),
        };
        jsonwebtoken::encode(&Header::new(jsonwebtoken::Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| Error::Internal(e.to_string()))
    }

    fn invalid_session() -> Error {
        Error::Unauthorized { code: "invalid_session", message: "The session has ended; sign in again" }
    }

    /// Exchanges a refresh token for a new session, detecting reuse.
    #[tracing::instrument(skip_all)]
    pub async fn refresh(&self, token: &str, meta: &RequestMeta) -> Result<Session> {
        let now = self.deps.clock.now();
        let raw = URL_SAFE_NO_PAD.decode(token.trim()).map_err(|_| Self::invalid_session())?;
        if raw.len() != 48 {
            return Err(Self::invalid_session());
        }
        let (company_bytes, secret) = raw.split_at(16);
        let company = CompanyId(Uuid::from_slice(company_bytes).map_err(|_| Self::invalid_session())?);
        let hash = Sha256::digest(secret).to_vec();

        let mut tx = self.deps.store.begin(Some(company)).await?;
        let Some(stored) = tx.refresh_token_by_hash(company, &hash).await? else {
            return Err(Self::invalid_session());
        };
        let fail = |action: &'static str| Audit::failed(action, "session", Some(stored.family_id.to_string()));
        if stored.revoked_at.is_some() || stored.family_expires_at <= now {
            self.deps.audit(&mut tx, company, Some(stored.user_id), meta, fail("auth.refresh")).await?;
            tx.commit().await?;
            return Err(Self::invalid_session());
        }
        let reused = match stored.used_at {
            None => false,
            // Within the grace period only the immediately preceding token is honoured: one
            // whose successor has not been used yet (a reply lost on a poor link).
            Some(used) if now - used <= Duration::seconds(self.cfg.refresh_grace_secs) => {
                tx.family_used_after(&stored).await?
            }
            Some(_) => true,
        };
        if reused {
            // A spent token came back: someone holds a copy. End the whole family.
            tx.revoke_family(company, stored.family_id, now).await?;
            self.deps.audit(&mut tx, company, Some(stored.user_id), meta, fail("auth.refresh_reuse")).await?;
            tx.commit().await?;
            return Err(Self::invalid_session());
        }
        let standing = tx.session_standing(company, stored.user_id, stored.family_id).await?;
        let user = tx.user_by_id(stored.user_id).await?;
        let company_row = tx.company_by_id(company).await?;
        let (Some(standing), Some(user), Some(company_row)) = (standing, user, company_row) else {
            return Err(Self::invalid_session());
        };
        if !standing.membership.active {
            self.deps.audit(&mut tx, company, Some(stored.user_id), meta, fail("auth.refresh")).await?;
            tx.commit().await?;
            return Err(Self::invalid_session());
        }
        if stored.used_at.is_none() {
            tx.mark_refresh_token_used(company, stored.id, now).await?;
        }
        let ((refresh_token, family), refresh_max_age) =
            self.issue_refresh(&mut tx, company, user.id, stored.family_id, stored.family_expires_at, now).await?;
        self.deps.audit(&mut tx, company, Some(user.id), meta, Audit::ok("auth.refresh", "session", family)).await?;
        tx.commit().await?;
        Ok(Session {
            access_token: self.access_token(&user, &standing.membership, family, now)?,
            expires_in: self.cfg.access_token_secs,
            refresh_token,
            refresh_max_age,
            user,
            membership: standing.membership,
            company: company_row,
        })
    }

    /// Ends the caller's session (and the cookie's, when it names another).
    pub async fn logout(&self, actor: Option<&Actor>, refresh_token: Option<&str>, meta: &RequestMeta) -> Result<()> {
        let now = self.deps.clock.now();
        let mut targets: Vec<(CompanyId, UserId, SessionFamilyId)> = Vec::new();
        if let Some(a) = actor {
            targets.push((a.company_id, a.user_id, a.family_id));
        }
        if let Some(token) = refresh_token
            && let Some(raw) = URL_SAFE_NO_PAD.decode(token.trim()).ok().filter(|r| r.len() == 48)
            && let Ok(company) = Uuid::from_slice(&raw[..16]).map(CompanyId)
        {
            let mut tx = self.deps.store.begin(Some(company)).await?;
            if let Some(t) = tx.refresh_token_by_hash(company, &Sha256::digest(&raw[16..])).await?
                && !targets.iter().any(|(_, _, f)| *f == t.family_id)
            {
                targets.push((company, t.user_id, t.family_id));
            }
        }
        if targets.is_empty() {
            return Err(Self::invalid_session());
        }
        for (company, user, family) in targets {
            let mut tx = self.deps.store.begin(Some(company)).await?;
            tx.revoke_family(company, family, now).await?;
            self.deps.audit(&mut tx, company, Some(user), meta, Audit::ok("auth.logout", "session", family)).await?;
            tx.commit().await?;
        }
        Ok(())
    }

    /// Checks a bearer token and the session behind it, giving the caller as they stand now.
    pub async fn authenticate(&self, token: &str, meta: RequestMeta) -> Result<Actor> {
        self.authenticate_until(token, meta).await.map(|(actor, _)| actor)
    }

    /// Like [`Self::authenticate`], also answering when the token expires (a live-event
    /// connection ends then).
    pub async fn authenticate_until(&self, token: &str, meta: RequestMeta) -> Result<(Actor, DateTime<Utc>)> {
        let v = match self.tokens.get(token, jsonwebtoken::get_current_timestamp() as i64, LEEWAY_SECS) {
            Some(v) => v,
            None => {
                let claims = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
                    .map_err(|_| invalid_token())?
                    .claims;
                let v = Verified {
                    company: CompanyId(claims.cid),
                    user: UserId(claims.sub),
                    family: SessionFamilyId(claims.sid),
                    exp: claims.exp,
                };
                self.tokens.put(token, v);
                v
            }
        };
        let expires = DateTime::from_timestamp(v.exp, 0).ok_or_else(invalid_token)?;
        let actor = Actor {
            user_id: v.user,
            company_id: v.company,
            role: bosun_domain::person::Role::Viewer,
            family_id: v.family,
            meta,
        };
        Ok((self.recheck(&actor).await?, expires))
    }

    /// Re-reads the session and membership behind `actor`: their role as it is now, or
    /// `Unauthorized` once the session was revoked or the person disabled.
    /// A standing that let a request through is kept in memory while the store can vouch that
    /// nothing changed it (see [`crate::service::standings`]).
    pub async fn recheck(&self, actor: &Actor) -> Result<Actor> {
        let key = (actor.company_id, actor.user_id, actor.family_id);
        // Taken before the read: a change committed meanwhile moves it past this entry.
        let epoch = self.deps.store.standing_epoch();
        if let Some(role) = epoch.and_then(|e| self.standings.get(key, e)) {
            return Ok(Actor { role, ..actor.clone() });
        }
        let mut tx = self.deps.store.begin_read(Some(actor.company_id)).await?;
        let standing =
            tx.session_standing(actor.company_id, actor.user_id, actor.family_id).await?.ok_or_else(invalid_token)?;
        drop(tx);
        if standing.family_revoked || !standing.membership.active {
            return Err(invalid_token());
        }
        if let Some(e) = epoch {
            self.standings.put(key, e, standing.membership.role);
        }
        Ok(Actor { role: standing.membership.role, ..actor.clone() })
    }
}

/// Clock skew allowed on an access token's `exp` and `nbf`.
const LEEWAY_SECS: i64 = 5;

/// What an access token must be: HS256 only, from us, for us, current, with a subject.
fn access_validation() -> Validation {
    let mut v = Validation::new(jsonwebtoken::Algorithm::HS256);
    v.set_issuer(&[ISSUER]);
    v.set_audience(&[AUDIENCE]);
    v.validate_nbf = true;
    v.leeway = LEEWAY_SECS as u64;
    v.set_required_spec_claims(&["exp", "nbf", "iss", "aud", "sub"]);
    v
}

fn invalid_token() -> Error {
    Error::Unauthorized { code: "invalid_token", message: "The access token is missing, invalid or expired" }
}

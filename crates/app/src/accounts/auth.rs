//! Logins, sessions, access tokens and API keys (docs/SECURITY.md, "Authentication").
//!
//! - Passwords: argon2id (m = 19456 KiB, t = 2, p = 1; test servers use the least cost,
//!   [`PasswordCost::TestOnly`]), hashed on blocking threads with at most
//!   `max_concurrent_hashes` at once; a check keeps its slot until the hash is done, even when
//!   the client went away.
//! - Throttling: [`crate::accounts::throttle`]. A login runs to its end in a task of its own, so a client
//!   that disconnects mid-check still has its attempt counted and audited.
//! - Second factor: a person with a confirmed TOTP factor signs in with password and code
//!   (`mfa_required` until the code is sent); see [`crate::accounts::mfa`].
//! - Access tokens: HS256 JWTs, `exp`/`nbf`/`iss`/`aud` checked, at most 15 minutes. Every
//!   request re-reads the membership and session, so a role change, disable or logout applies
//!   at once.
//! - Sessions: one per sign-in, listed to their person and ended by them; a session not
//!   refreshed for `session_idle_hours` or older than `session_days` ends.
//! - Refresh tokens: 256 random bits, stored as SHA-256, rotated on every use. A token's
//!   successor is derived from it (HMAC under a server key), so a retry within the grace period
//!   gets the very same successor back instead of forking the session; a spent token presented
//!   otherwise revokes its whole session.
//! - API keys (`bsk_…` bearer tokens) act with their role in their company, on their vessels.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use bosun_domain::account::Session as SessionRecord;
use bosun_domain::company::{Company, CompanySlug};
use bosun_domain::person::{Email, Membership, Role, User, check_new_password};
use bosun_domain::{ApiKeyId, CompanyId, SessionFamilyId, UserId};
use bosun_store::{CompanyTerms, RefreshToken, Tx};
use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use uuid::Uuid;

use crate::accounts::mail::{Mail, Outbox};
use crate::accounts::mfa::{SecondFactor, is_required};
use crate::accounts::secrets::{ServerKeys, TenantSecret, hmac_sha256};
use crate::accounts::standings::{Kept, Standings, Verified, VerifiedTokens};
use crate::accounts::throttle::{Attempt, Caller, LoginThrottle};
use crate::config::{AuthConfig, PasswordCost};
use crate::{Actor, Audit, Deps, Error, Principal, RequestMeta, Result};

const ISSUER: &str = "bosun";
const AUDIENCE: &str = "bosun-api";

/// The prefix of an API key's text, telling it from an access token.
pub const API_KEY_PREFIX: &str = "bsk_";

/// Hashes and checks passwords with bounded concurrency.
#[derive(Clone)]
pub struct PasswordHasherPool {
    permits: Arc<Semaphore>,
    dummy_hash: Arc<str>,
    cost: PasswordCost,
}

/// argon2id at `cost`. Checking a hash uses the parameters the hash records, whatever `cost`.
fn argon2id(cost: PasswordCost) -> Argon2<'static> {
    let (memory_kib, passes) = match cost {
        PasswordCost::Standard => (19_456, 2),
        PasswordCost::TestOnly => (Params::MIN_M_COST, Params::MIN_T_COST),
    };
    #[allow(clippy::expect_used)]
    let params = Params::new(memory_kib, passes, 1, None).expect("constant argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

impl PasswordHasherPool {
    /// A pool allowing `concurrency` hashes at once, each of `cost`.
    pub async fn new(concurrency: usize, cost: PasswordCost) -> Result<Self> {
        let permits = Arc::new(Semaphore::new(concurrency));
        let dummy = hash_blocking("a password nobody has".to_owned(), cost).await?;
        Ok(Self { permits, dummy_hash: dummy.into(), cost })
    }

    async fn permit(&self) -> Result<OwnedSemaphorePermit> {
        self.permits.clone().acquire_owned().await.map_err(|e| Error::Internal(e.to_string()))
    }

    /// Hashes a new password.
    pub async fn hash(&self, password: &str) -> Result<String> {
        let permit = self.permit().await?;
        let password = password.to_owned();
        let cost = self.cost;
        tokio::task::spawn_blocking(move || {
            // The slot is held by the blocking work itself: it ends only when the hash is done.
            let _permit = permit;
            argon2id(cost).hash_password(password.as_bytes()).map(|h| h.to_string())
        })
        .await
        .map_err(|e| Error::Internal(e.to_string()))?
        .map_err(|e| Error::Internal(format!("password hashing failed: {e}")))
    }

    /// Checks a password against a stored hash; with no hash, spends the same time and fails.
    /// The hashing slot is held by the blocking work until it finishes, whatever happens to the
    /// caller.
    pub async fn verify(&self, password: &str, hash: Option<&str>) -> Result<bool> {
        let permit = self.permit().await?;
        let known = hash.is_some();
        let hash = hash.map(str::to_owned).unwrap_or_else(|| self.dummy_hash.to_string());
        let password = password.to_owned();
        let cost = self.cost;
        let ok = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            argon2id(cost).verify_password(password.as_bytes(), hash.as_str()).is_ok()
        })
        .await
        .map_err(|e| Error::Internal(e.to_string()))?;
        Ok(ok && known)
    }

    /// Slots free right now (for tests of cancellation).
    pub fn free_slots(&self) -> usize {
        self.permits.available_permits()
    }
}

async fn hash_blocking(password: String, cost: PasswordCost) -> Result<String> {
    tokio::task::spawn_blocking(move || argon2id(cost).hash_password(password.as_bytes()).map(|h| h.to_string()))
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
    /// A device cookie for the login throttle, when a sign-in makes one.
    pub device_cookie: Option<String>,
    /// Who.
    pub user: User,
    /// Their standing.
    pub membership: Membership,
    /// Where.
    pub company: Company,
    /// Whether the person must set up a second factor before doing anything else.
    pub mfa_enrollment_required: bool,
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
    /// A TOTP or recovery code, for a login with a second factor.
    pub mfa_code: Option<String>,
    /// The device cookie the client holds, if any.
    pub device_cookie: Option<String>,
}

/// One of a person's sessions, as they see it.
#[derive(Debug, Clone)]
pub struct SessionListing {
    /// The session.
    pub session: SessionRecord,
    /// Whether it is the one asking.
    pub current: bool,
}

/// Logins, refreshes, logouts, sessions and token checks.
#[derive(Clone)]
pub struct AuthService {
    deps: Deps,
    cfg: AuthConfig,
    hasher: PasswordHasherPool,
    throttle: LoginThrottle,
    factor: SecondFactor,
    outbox: Outbox,
    encoding: EncodingKey,
    decoding: DecodingKey,
    successor_key: [u8; 32],
    validation: Arc<Validation>,
    tokens: Arc<VerifiedTokens>,
    standings: Arc<Standings>,
    key_touches: Arc<Mutex<HashMap<ApiKeyId, Instant>>>,
}

/// What a password check found.
struct Checked {
    attempt: Attempt,
    user: Option<User>,
    password_ok: bool,
    account: Option<String>,
}

impl AuthService {
    /// Builds the service over the server's keys.
    pub fn new(
        deps: Deps,
        cfg: AuthConfig,
        hasher: PasswordHasherPool,
        keys: &ServerKeys,
        factor: SecondFactor,
        outbox: Outbox,
    ) -> Self {
        Self {
            encoding: EncodingKey::from_secret(keys.master()),
            decoding: DecodingKey::from_secret(keys.master()),
            successor_key: keys.derive("refresh-successor"),
            throttle: LoginThrottle::new(&cfg, keys.derive("device-cookie"), deps.ids.clone()),
            factor,
            outbox,
            deps,
            cfg,
            hasher,
            validation: Arc::new(access_validation()),
            tokens: Arc::default(),
            standings: Arc::default(),
            key_touches: Arc::default(),
        }
    }

    /// The password hasher, for services that set passwords.
    pub fn hasher(&self) -> &PasswordHasherPool {
        &self.hasher
    }

    /// The login throttle, shared with the password-reset worker.
    pub fn throttle(&self) -> &LoginThrottle {
        &self.throttle
    }

    /// Checks the credentials (and second factor) and opens a session. The check runs to its
    /// end in a task of its own: a client that disconnects still has its attempt counted.
    #[tracing::instrument(skip_all)]
    pub async fn login(&self, req: LoginRequest, meta: &RequestMeta) -> Result<Session> {
        let this = self.clone();
        let meta = meta.clone();
        tokio::spawn(async move { this.login_to_the_end(req, &meta).await })
            .await
            .map_err(|e| Error::Internal(format!("login task: {e}")))?
    }

    async fn login_to_the_end(&self, req: LoginRequest, meta: &RequestMeta) -> Result<Session> {
        let checked = self.check_password(&req.email, &req.password, req.device_cookie.as_deref(), meta).await?;
        let slug = req.company.as_deref().map(str::trim).filter(|s| !s.is_empty());
        let chosen = match (&checked.user, checked.password_ok) {
            (Some(user), true) => match self.choose_company(user.id, slug).await {
                Ok(chosen) => chosen,
                Err(e @ Error::CompanyRequired { .. }) => {
                    // The password was right; the person only has to say where: no failure.
                    self.throttle.succeed(&*self.deps.store, checked.attempt, self.deps.clock.now()).await?;
                    return Err(e);
                }
                Err(e) => return Err(e),
            },
            _ => None,
        };
        let (Some(user), Some((company, membership))) = (checked.user.clone(), chosen) else {
            self.audit_login_failure(checked.user.as_ref(), "auth.login", meta).await;
            return Err(invalid_credentials());
        };
        let mfa = self.second_factor(&user, req.mfa_code.as_deref(), checked.attempt, meta).await?;
        let device = checked.account.as_deref().map(|a| self.throttle.device_cookie(a));
        let mut session = self.open_session(&user, membership, company, mfa, meta, "auth.login").await?;
        session.device_cookie = device;
        Ok(session)
    }

    /// Counts the attempt in advance, then checks the password of the login `email` names.
    async fn check_password(
        &self,
        email: &str,
        password: &str,
        device_cookie: Option<&str>,
        meta: &RequestMeta,
    ) -> Result<Checked> {
        let now = self.deps.clock.now();
        let account = LoginThrottle::account_of(email);
        let caller = Caller { account: account.clone(), address: meta.ip.as_deref(), device_cookie };
        let attempt = self.throttle.begin(&*self.deps.store, &caller, now).await?;
        // An over-long email is refused up front: counted against the address, never looked up.
        let email = account.as_ref().and_then(|_| Email::parse("email", email).ok());
        let user = match &email {
            Some(e) => self.deps.store.begin_read(None).await?.user_by_email(e).await?,
            None => None,
        };
        let password_ok = self.hasher.verify(password, user.as_ref().map(|u| u.password_hash.as_str())).await?;
        Ok(Checked { attempt, user, password_ok, account })
    }

    /// The second-factor step of a sign-in whose password was right: answers whether a second
    /// factor was passed, or why the sign-in stops. The attempt is taken back only when it
    /// succeeds (a missing code is not a failure: the password was right).
    async fn second_factor(
        &self,
        user: &User,
        code: Option<&str>,
        attempt: Attempt,
        meta: &RequestMeta,
    ) -> Result<bool> {
        let now = self.deps.clock.now();
        let mut tx = self.deps.store.begin(None).await?;
        let enabled = self.factor.is_enabled(&mut tx, user.id).await?;
        let passed = match (enabled, code.map(str::trim).filter(|c| !c.is_empty())) {
            (false, _) => false,
            (true, None) => {
                drop(tx);
                self.throttle.succeed(&*self.deps.store, attempt, now).await?;
                return Err(Error::Unauthorized {
                    code: "mfa_required",
                    message: "Enter the code from your authenticator app (or a recovery code)",
                });
            }
            (true, Some(code)) => {
                if !self.factor.verify(&mut tx, user.id, code, now).await? {
                    drop(tx);
                    self.audit_login_failure(Some(user), "auth.mfa", meta).await;
                    return Err(Error::Unauthorized {
                        code: "invalid_mfa_code",
                        message: "The code is wrong or was already used",
                    });
                }
                true
            }
        };
        tx.commit().await?;
        self.throttle.succeed(&*self.deps.store, attempt, now).await?;
        Ok(passed)
    }

    /// Checks the email, password and second factor of a person who is not signed in (an
    /// invitation accepted with an existing login), throttled and audited like a login.
    pub(crate) async fn verify_person(
        &self,
        email: &Email,
        password: &str,
        mfa_code: Option<&str>,
        meta: &RequestMeta,
    ) -> Result<(User, bool)> {
        let this = self.clone();
        let (email, password, code, meta) =
            (email.clone(), password.to_owned(), mfa_code.map(str::to_owned), meta.clone());
        tokio::spawn(async move {
            let checked = this.check_password(email.as_str(), &password, None, &meta).await?;
            let (Some(user), true) = (checked.user.clone(), checked.password_ok) else {
                this.audit_login_failure(checked.user.as_ref(), "auth.login", &meta).await;
                return Err(invalid_credentials());
            };
            let mfa = this.second_factor(&user, code.as_deref(), checked.attempt, &meta).await?;
            Ok((user, mfa))
        })
        .await
        .map_err(|e| Error::Internal(format!("login task: {e}")))?
    }

    /// Checks the signed-in caller's own password (before changing it or their second factor),
    /// throttled like a login from their address.
    pub(crate) async fn check_own_password(&self, actor: &Actor, password: &str) -> Result<()> {
        let user = {
            let mut tx = self.deps.store.begin_read(None).await?;
            tx.user_by_id(actor.user_id).await?.ok_or(Error::NotFound)?
        };
        let this = self.clone();
        let (email, password, meta) = (user.email.to_string(), password.to_owned(), actor.meta.clone());
        tokio::spawn(async move {
            let checked = this.check_password(&email, &password, None, &meta).await?;
            if checked.password_ok && checked.user.as_ref().is_some_and(|u| u.id == user.id) {
                this.throttle.succeed(&*this.deps.store, checked.attempt, this.deps.clock.now()).await
            } else {
                Err(Error::Unauthorized { code: "invalid_credentials", message: "The password is wrong" })
            }
        })
        .await
        .map_err(|e| Error::Internal(format!("password task: {e}")))?
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

    /// Records a failed sign-in in every company the login belongs to (never in one it does
    /// not belong to: a stranger naming a company leaves no trace there). Failures to record
    /// are logged; the answer stays the same.
    async fn audit_login_failure(&self, user: Option<&User>, action: &str, meta: &RequestMeta) {
        let Some(user) = user else {
            tracing::info!(ip = meta.ip.as_deref(), "failed sign-in for an unknown login");
            return;
        };
        let recorded = async {
            let memberships = self.deps.store.begin_read(None).await?.memberships_of_user(user.id).await?;
            for m in memberships {
                let mut tx = self.deps.store.begin(Some(m.company_id)).await?;
                self.deps
                    .audit(
                        &mut tx,
                        m.company_id,
                        Some(user.id),
                        meta,
                        Audit::failed(action, "user", Some(user.id.to_string())),
                    )
                    .await?;
                tx.commit().await?;
            }
            Ok::<_, Error>(())
        };
        if let Err(e) = recorded.await {
            tracing::warn!(error = %e, "could not record a failed sign-in in the audit trail");
        }
    }

    /// Opens a session for a person who proved who they are (a login, an accepted invitation):
    /// the session row, its first refresh token and the audit entry `action`.
    pub(crate) async fn open_session(
        &self,
        user: &User,
        membership: Membership,
        company: Company,
        mfa: bool,
        meta: &RequestMeta,
        action: &str,
    ) -> Result<Session> {
        let now = self.deps.clock.now();
        let family: SessionFamilyId = self.deps.ids.id();
        let expires_at = now + Duration::days(self.cfg.session_days);
        let mut tx = self.deps.store.begin(Some(company.id)).await?;
        tx.insert_session(&SessionRecord {
            id: family,
            company_id: company.id,
            user_id: user.id,
            created_at: now,
            last_used_at: now,
            expires_at,
            ip: meta.ip.clone(),
            user_agent: meta.user_agent.clone(),
            last_ip: meta.ip.clone(),
            mfa,
            revoked_at: None,
        })
        .await?;
        let refresh = TenantSecret::generate(&*self.deps.ids, company.id);
        self.store_refresh(&mut tx, &refresh, family, user.id, expires_at, now).await?;
        self.deps
            .audit(
                &mut tx,
                company.id,
                Some(user.id),
                meta,
                Audit::ok(action, "user", user.id).after(serde_json::json!({ "session": family, "mfa": mfa })),
            )
            .await?;
        tx.commit().await?;
        Ok(Session {
            access_token: self.access_token(user.id, &membership, family, now)?,
            expires_in: self.cfg.access_token_secs,
            refresh_token: refresh.encode(),
            refresh_max_age: (expires_at - now).num_seconds().max(0),
            device_cookie: None,
            mfa_enrollment_required: is_required(company.require_mfa, membership.role) && !mfa,
            user: user.clone(),
            membership,
            company,
        })
    }

    async fn store_refresh(
        &self,
        tx: &mut Box<dyn Tx>,
        token: &TenantSecret,
        family: SessionFamilyId,
        user: UserId,
        family_expires_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        tx.insert_refresh_token(&RefreshToken {
            id: self.deps.ids.id(),
            company_id: token.company,
            family_id: family,
            user_id: user,
            token_hash: token.hash(),
            issued_at: now,
            family_expires_at,
            used_at: None,
            revoked_at: None,
        })
        .await?;
        Ok(())
    }

    /// The refresh token that follows `token`: derived from it, so a retry gets the same one.
    fn successor(&self, token: &TenantSecret) -> TenantSecret {
        TenantSecret { company: token.company, secret: hmac_sha256(&self.successor_key, &[&token.secret]) }
    }

    fn access_token(
        &self,
        user: UserId,
        m: &Membership,
        family: SessionFamilyId,
        now: DateTime<Utc>,
    ) -> Result<String> {
        let claims = Claims {
            sub: user.0,
            cid: m.company_id.0,
            sid: family.0,
            role: m.role.as_str().to_owned(),
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            iat: now.timestamp(),
            nbf: now.timestamp(),
            exp: now.timestamp() + self.cfg.access_token_secs,
            jti: self.deps.ids.uuid(),
        };
        jsonwebtoken::encode(&Header::new(jsonwebtoken::Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| Error::Internal(e.to_string()))
    }

    fn invalid_session() -> Error {
        Error::Unauthorized { code: "invalid_session", message: "The session has ended; sign in again" }
    }

    /// Exchanges a refresh token for a new access token and the token's successor. Within the
    /// grace period the same token gets the same successor back (a reply lost on a poor link);
    /// otherwise a spent token ends its whole session.
    #[tracing::instrument(skip_all)]
    pub async fn refresh(&self, token: &str, meta: &RequestMeta) -> Result<Session> {
        let now = self.deps.clock.now();
        let token = TenantSecret::parse(token).ok_or_else(Self::invalid_session)?;
        let company = token.company;
        let mut tx = self.deps.store.begin(Some(company)).await?;
        let Some(stored) = tx.refresh_token_by_hash(company, &token.hash()).await? else {
            return Err(Self::invalid_session());
        };
        let fail = |action: &'static str| Audit::failed(action, "session", Some(stored.family_id.to_string()));
        let session = tx.session(company, stored.family_id).await?;
        let idle = Duration::hours(self.cfg.session_idle_hours);
        let live = session.as_ref().is_some_and(|s| s.is_live(now, idle));
        if stored.revoked_at.is_some() || stored.family_expires_at <= now || !live {
            if session.as_ref().is_some_and(|s| s.revoked_at.is_none()) {
                // Idle too long, or past its end: it ends now, for every token of it.
                tx.revoke_family(company, stored.family_id, now).await?;
            }
            self.deps.audit(&mut tx, company, Some(stored.user_id), meta, fail("auth.refresh")).await?;
            tx.commit().await?;
            return Err(Self::invalid_session());
        }
        let successor = self.successor(&token);
        let first_use = stored.used_at.is_none() && {
            // A concurrent refresh with the same token may have spent it meanwhile; then this
            // one is a retry like any other.
            match tx.mark_refresh_token_used(company, stored.id, now).await {
                Ok(()) => true,
                Err(bosun_store::StoreError::NotFound) => false,
                Err(e) => return Err(e.into()),
            }
        };
        if first_use {
            self.store_refresh(&mut tx, &successor, stored.family_id, stored.user_id, stored.family_expires_at, now)
                .await?;
        } else {
            // A retry within the grace period gets the successor already issued, provided it was
            // not used itself (then this token is not the newest one's predecessor any more).
            let used_at = stored.used_at.unwrap_or(now);
            let within_grace = now - used_at <= Duration::seconds(self.cfg.refresh_grace_secs);
            let next = tx.refresh_token_by_hash(company, &successor.hash()).await?;
            let unspent = next.as_ref().is_some_and(|n| n.used_at.is_none() && n.revoked_at.is_none());
            if !(within_grace && unspent) {
                // A spent token came back: someone holds a copy. End the whole session.
                tx.revoke_family(company, stored.family_id, now).await?;
                self.deps.audit(&mut tx, company, Some(stored.user_id), meta, fail("auth.refresh_reuse")).await?;
                tx.commit().await?;
                return Err(Self::invalid_session());
            }
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
        tx.touch_session(company, stored.family_id, now, meta.ip.as_deref()).await?;
        self.deps
            .audit(&mut tx, company, Some(user.id), meta, Audit::ok("auth.refresh", "session", stored.family_id))
            .await?;
        tx.commit().await?;
        Ok(Session {
            access_token: self.access_token(user.id, &standing.membership, stored.family_id, now)?,
            expires_in: self.cfg.access_token_secs,
            refresh_token: successor.encode(),
            refresh_max_age: (stored.family_expires_at - now).num_seconds().max(0),
            device_cookie: None,
            mfa_enrollment_required: is_required(standing.company.require_mfa, standing.membership.role)
                && !standing.mfa,
            user,
            membership: standing.membership,
            company: company_row,
        })
    }

    /// Ends the caller's session (and the cookie's, when it names another).
    pub async fn logout(&self, actor: Option<&Actor>, refresh_token: Option<&str>, meta: &RequestMeta) -> Result<()> {
        let now = self.deps.clock.now();
        let mut targets: Vec<(CompanyId, UserId, SessionFamilyId)> = Vec::new();
        if let Some(a) = actor.filter(|a| a.principal == Principal::Person) {
            targets.push((a.company_id, a.user_id, a.family_id));
        }
        if let Some(token) = refresh_token.and_then(TenantSecret::parse) {
            let mut tx = self.deps.store.begin(Some(token.company)).await?;
            if let Some(t) = tx.refresh_token_by_hash(token.company, &token.hash()).await?
                && !targets.iter().any(|(_, _, f)| *f == t.family_id)
            {
                targets.push((token.company, t.user_id, t.family_id));
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

    /// The caller's live sessions in this company, most recently used first.
    pub async fn sessions(&self, actor: &Actor) -> Result<Vec<SessionListing>> {
        let actor = person(actor)?;
        let now = self.deps.clock.now();
        let idle = Duration::hours(self.cfg.session_idle_hours);
        let mut tx = self.deps.store.begin_read(Some(actor.company_id)).await?;
        Ok(tx
            .list_sessions(actor.company_id, actor.user_id)
            .await?
            .into_iter()
            .filter(|s| s.is_live(now, idle))
            .map(|s| SessionListing { current: s.id == actor.family_id, session: s })
            .collect())
    }

    /// Ends one of the caller's sessions (another device, or this one).
    pub async fn end_session(&self, actor: &Actor, id: SessionFamilyId) -> Result<()> {
        let actor = person(actor)?;
        let now = self.deps.clock.now();
        let mut tx = self.deps.store.begin(Some(actor.company_id)).await?;
        let s =
            tx.session(actor.company_id, id).await?.filter(|s| s.user_id == actor.user_id).ok_or(Error::NotFound)?;
        if s.revoked_at.is_some() {
            return Err(Error::NotFound);
        }
        tx.revoke_family(actor.company_id, id, now).await?;
        self.deps
            .audit(&mut tx, actor.company_id, Some(actor.user_id), &actor.meta, Audit::ok("session.end", "session", id))
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Changes the caller's password after checking the current one. Every other session of
    /// the login ends, in every company; the person is told by e-mail.
    pub async fn change_password(&self, actor: &Actor, current: &str, new: &str) -> Result<()> {
        let actor = person(actor)?;
        check_new_password("new_password", new)?;
        self.check_own_password(actor, current).await?;
        let hash = self.hasher.hash(new).await?;
        let now = self.deps.clock.now();
        let mut tx = self.deps.store.begin(Some(actor.company_id)).await?;
        let user = tx.user_by_id(actor.user_id).await?.ok_or(Error::NotFound)?;
        tx.update_user_password(actor.user_id, &hash, now).await?;
        tx.revoke_user_sessions(actor.company_id, actor.user_id, Some(actor.family_id), now).await?;
        self.deps
            .audit(
                &mut tx,
                actor.company_id,
                Some(actor.user_id),
                &actor.meta,
                Audit::ok("user.password_change", "user", actor.user_id),
            )
            .await?;
        tx.commit().await?;
        self.end_sessions_elsewhere(actor.user_id, actor.company_id, &actor.meta, "user.password_change").await?;
        self.outbox.post(Mail {
            to: user.email.to_string(),
            subject: "Your Bosun password was changed".into(),
            text: format!(
                "Hello {},\n\nthe password of your Bosun login was changed just now, and your other sessions \
                 were signed out.\n\nIf this was not you, reset your password at once from the sign-in page and \
                 tell your company's administrator.\n",
                user.name
            ),
        });
        Ok(())
    }

    /// Ends every session the login has in its other companies (after a password or second
    /// factor change made in `here`), auditing `action` in each.
    pub(crate) async fn end_sessions_elsewhere(
        &self,
        user: UserId,
        here: CompanyId,
        meta: &RequestMeta,
        action: &str,
    ) -> Result<()> {
        let now = self.deps.clock.now();
        let memberships = self.deps.store.begin_read(None).await?.memberships_of_user(user).await?;
        for m in memberships.into_iter().filter(|m| m.company_id != here) {
            let mut tx = self.deps.store.begin(Some(m.company_id)).await?;
            tx.revoke_user_sessions(m.company_id, user, None, now).await?;
            self.deps.audit(&mut tx, m.company_id, Some(user), meta, Audit::ok(action, "user", user)).await?;
            tx.commit().await?;
        }
        Ok(())
    }

    /// Checks a bearer token (an access token or an API key) and what stands behind it, giving
    /// the caller as they stand now.
    pub async fn authenticate(&self, token: &str, meta: RequestMeta) -> Result<Actor> {
        self.authenticate_until(token, meta).await.map(|(actor, _, _)| actor)
    }

    /// Like [`Self::authenticate`], also answering when the credential expires (a live-event
    /// connection ends then) and the company's terms (rate limits).
    pub async fn authenticate_until(
        &self,
        token: &str,
        meta: RequestMeta,
    ) -> Result<(Actor, DateTime<Utc>, CompanyTerms)> {
        if let Some(key) = token.strip_prefix(API_KEY_PREFIX) {
            return self.authenticate_key(token, key, meta).await;
        }
        let now = self.deps.clock.now().timestamp();
        let v = match self.tokens.get(token, now, LEEWAY_SECS) {
            Some(v) => v,
            None => {
                let claims = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
                    .map_err(|_| invalid_token())?
                    .claims;
                // Times are checked against the server's clock (the injected one), not the
                // library's reading of the wall clock.
                if claims.exp < now - LEEWAY_SECS || claims.nbf > now + LEEWAY_SECS {
                    return Err(invalid_token());
                }
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
            role: Role::Viewer,
            family_id: v.family,
            meta,
            principal: Principal::Person,
            mfa_pending: false,
        };
        let (actor, terms) = self.recheck_with_terms(&actor).await?;
        Ok((actor, expires, terms))
    }

    async fn authenticate_key(
        &self,
        text: &str,
        key: &str,
        meta: RequestMeta,
    ) -> Result<(Actor, DateTime<Utc>, CompanyTerms)> {
        let now = self.deps.clock.now();
        let v = match self.tokens.get(text, now.timestamp(), 0) {
            Some(v) => v,
            None => {
                let secret = TenantSecret::parse(key).ok_or_else(invalid_token)?;
                let mut tx = self.deps.store.begin_read(Some(secret.company)).await?;
                let stored = tx
                    .api_key_by_token(secret.company, &secret.hash())
                    .await?
                    .filter(|k| k.is_usable(now))
                    .ok_or_else(invalid_token)?;
                let v = Verified {
                    company: stored.company_id,
                    user: UserId(stored.id.0),
                    family: SessionFamilyId(stored.id.0),
                    exp: stored.expires_at.timestamp(),
                };
                self.tokens.put(text, v);
                v
            }
        };
        let expires = DateTime::from_timestamp(v.exp, 0).ok_or_else(invalid_token)?;
        let actor = Actor {
            user_id: v.user,
            company_id: v.company,
            role: Role::Viewer,
            family_id: v.family,
            meta,
            principal: Principal::ApiKey { vessel_scoped: true },
            mfa_pending: false,
        };
        let (actor, terms) = self.recheck_with_terms(&actor).await?;
        self.touch_key(&actor, now);
        Ok((actor, expires, terms))
    }

    /// Records an API key's use at most once a minute, off the request's path.
    fn touch_key(&self, actor: &Actor, now: DateTime<Utc>) {
        let id = ApiKeyId(actor.user_id.0);
        {
            let mut touched = self.key_touches.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            if touched.get(&id).is_some_and(|t| t.elapsed() < std::time::Duration::from_secs(60)) {
                return;
            }
            if touched.len() >= 10_000 {
                touched.clear();
            }
            touched.insert(id, Instant::now());
        }
        let (store, company, ip) = (self.deps.store.clone(), actor.company_id, actor.meta.ip.clone());
        tokio::spawn(async move {
            let touched = async {
                let mut tx = store.begin(Some(company)).await?;
                tx.touch_api_key(company, id, now, ip.as_deref()).await?;
                tx.commit().await
            };
            if let Err(e) = touched.await {
                tracing::warn!(error = %e, "could not record an API key's use");
            }
        });
    }

    /// Re-reads the session (or API key) and membership behind `actor`: their role as it is
    /// now, or `Unauthorized` once the session was revoked, the key revoked or expired, or the
    /// person disabled. A standing that let a request through is kept in memory while the
    /// store can vouch that nothing changed it (see [`crate::accounts::standings`]).
    pub async fn recheck(&self, actor: &Actor) -> Result<Actor> {
        self.recheck_with_terms(actor).await.map(|(a, _)| a)
    }

    async fn recheck_with_terms(&self, actor: &Actor) -> Result<(Actor, CompanyTerms)> {
        let key = (actor.company_id, actor.user_id, actor.family_id);
        // Taken before the read: a change committed meanwhile moves it past this entry.
        let epoch = self.deps.store.standing_epoch();
        if let Some(kept) = epoch.and_then(|e| self.standings.get(key, e)) {
            return Ok((kept.apply(actor), kept.terms));
        }
        let kept = match actor.principal {
            Principal::Person => {
                let mut tx = self.deps.store.begin_read(Some(actor.company_id)).await?;
                let standing = tx
                    .session_standing(actor.company_id, actor.user_id, actor.family_id)
                    .await?
                    .ok_or_else(invalid_token)?;
                if standing.family_revoked || !standing.membership.active {
                    return Err(invalid_token());
                }
                let role = standing.membership.role;
                Kept {
                    role,
                    principal: Principal::Person,
                    mfa_pending: is_required(standing.company.require_mfa, role) && !standing.mfa,
                    terms: standing.company,
                }
            }
            Principal::ApiKey { .. } => {
                let now = self.deps.clock.now();
                let mut tx = self.deps.store.begin_read(Some(actor.company_id)).await?;
                let key = tx
                    .api_key(actor.company_id, ApiKeyId(actor.user_id.0))
                    .await?
                    .filter(|k| k.is_usable(now))
                    .ok_or_else(invalid_token)?;
                let company = tx.company_by_id(actor.company_id).await?.ok_or_else(invalid_token)?;
                Kept {
                    role: key.role,
                    principal: Principal::ApiKey { vessel_scoped: key.is_vessel_scoped() },
                    mfa_pending: false,
                    terms: CompanyTerms {
                        plan: company.plan,
                        rate_limit_per_minute: company.rate_limit_per_minute,
                        require_mfa: company.require_mfa,
                    },
                }
            }
        };
        if let Some(e) = epoch {
            self.standings.put(key, e, kept);
        }
        Ok((kept.apply(actor), kept.terms))
    }
}

/// The caller as a person; API keys have no sessions, passwords or second factors.
fn person(actor: &Actor) -> Result<&Actor> {
    match actor.principal {
        Principal::Person => Ok(actor),
        Principal::ApiKey { .. } => Err(Error::Forbidden),
    }
}

fn invalid_credentials() -> Error {
    Error::Unauthorized { code: "invalid_credentials", message: "Email or password is wrong" }
}

/// Clock skew allowed on an access token's `exp` and `nbf`.
const LEEWAY_SECS: i64 = 5;

/// What an access token must be: HS256 only, from us, for us, with a subject.
/// `exp` and `nbf` must be present; their times are checked against the server's clock by
/// [`AuthService::authenticate_until`].
fn access_validation() -> Validation {
    let mut v = Validation::new(jsonwebtoken::Algorithm::HS256);
    v.set_issuer(&[ISSUER]);
    v.set_audience(&[AUDIENCE]);
    v.validate_exp = false;
    v.validate_nbf = false;
    v.set_required_spec_claims(&["exp", "nbf", "iss", "aud", "sub"]);
    v
}

fn invalid_token() -> Error {
    Error::Unauthorized { code: "invalid_token", message: "The access token is missing, invalid or expired" }
}

#[cfg(test)]
mod tests {
    use futures::FutureExt;

    use super::*;

    #[tokio::test]
    async fn a_hash_records_its_cost_and_is_checked_at_it_by_either_pool() {
        let standard = PasswordHasherPool::new(1, PasswordCost::Standard).await.unwrap_or_else(|_| unreachable!());
        let cheap = PasswordHasherPool::new(1, PasswordCost::TestOnly).await.unwrap_or_else(|_| unreachable!());
        let strong = standard.hash("a password").await.unwrap_or_default();
        let weak = cheap.hash("a password").await.unwrap_or_default();
        assert!(strong.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{strong}");
        assert!(weak.starts_with("$argon2id$v=19$m=8,t=1,p=1$"), "{weak}");
        for (pool, hash) in [(&standard, &weak), (&cheap, &strong), (&standard, &strong), (&cheap, &weak)] {
            assert!(pool.verify("a password", Some(hash)).await.unwrap_or(false), "{hash}");
            assert!(!pool.verify("a guess", Some(hash)).await.unwrap_or(true), "{hash}");
        }
    }

    #[tokio::test]
    async fn a_password_check_keeps_its_slot_until_the_hash_is_done_even_when_nobody_waits() {
        let pool = PasswordHasherPool::new(1, PasswordCost::Standard).await.unwrap_or_else(|_| unreachable!());
        let hash = pool.hash("a password").await.unwrap_or_default();
        // Polled once (the slot taken, the hash started), then dropped: the caller went away.
        let check = pool.verify("a guess", Some(&hash));
        assert!(check.now_or_never().is_none(), "the check runs on a blocking thread");
        assert_eq!(pool.free_slots(), 0, "the slot stays taken while the hash runs");
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
        while pool.free_slots() == 0 {
            assert!(tokio::time::Instant::now() < deadline, "the slot was never given back");
            tokio::task::yield_now().await;
        }
    }
}

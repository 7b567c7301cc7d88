//! Second factors: TOTP (RFC 6238: SHA-1, six digits, 30-second steps, one step of skew
//! either way; what every common authenticator app reads from an `otpauth://` link) and
//! single-use recovery codes.
//!
//! - The seed belongs to the login (global, like the login itself). It is stored sealed
//!   (ChaCha20-Poly1305 under a key derived from the server's master secret, bound to the
//!   login's id), so a copy of the table alone does not give codes away.
//! - A code is accepted once: the step it belongs to must be later than the last accepted one.
//! - Ten recovery codes are made at confirmation (and on request), shown once, stored as
//!   SHA-256, each accepted once.
//! - Enrolling, confirming, disabling and new recovery codes are audited in the company of the
//!   session they are made in; signing in with a second factor is part of `auth.login`.
//! - A company may require a second factor of its owners and admins (`require_mfa`): their
//!   sessions without one may only enrol (`mfa_enrollment_required` elsewhere).

use bosun_domain::IdSource;
use bosun_domain::UserId;
use bosun_domain::account::UserMfa;
use bosun_domain::person::Role;
use bosun_store::{StoreError, Tx};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Nonce};
use chrono::{DateTime, Utc};
use serde_json::json;
use totp_rs::{Algorithm, Builder, Totp};

use crate::accounts::auth::AuthService;
use crate::accounts::secrets::{random_secret, sha256};
use crate::{Actor, Audit, Deps, Error, Principal, Result};

/// Recovery codes made at a time.
pub const RECOVERY_CODES: usize = 10;

/// The letters a recovery code is made of (no 0/O or 1/I/L to misread).
const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// Checks second factors and seals their seeds.
#[derive(Clone)]
pub struct SecondFactor {
    seal_key: [u8; 32],
    issuer: String,
    ids: std::sync::Arc<dyn IdSource>,
}

/// A TOTP seed being enrolled, for the person's authenticator app.
#[derive(Debug, Clone)]
pub struct Enrolment {
    /// The seed in base32, to type in by hand.
    pub secret: String,
    /// The `otpauth://totp/...` link, to scan as a QR code.
    pub otpauth_url: String,
}

/// Where a person's second factor stands.
#[derive(Debug, Clone, Copy)]
pub struct MfaStatus {
    /// A confirmed second factor is required at every sign-in.
    pub enabled: bool,
    /// An enrolment is waiting for its first code.
    pub pending: bool,
    /// Recovery codes left.
    pub recovery_codes_left: i64,
    /// The company requires one of this person (an owner or admin where `require_mfa` is set).
    pub required: bool,
}

impl SecondFactor {
    /// A checker sealing seeds with `seal_key`, naming itself `issuer` in authenticator apps.
    pub fn new(seal_key: [u8; 32], issuer: &str, ids: std::sync::Arc<dyn IdSource>) -> Self {
        Self { seal_key, issuer: issuer.to_owned(), ids }
    }

    fn cipher(&self) -> ChaCha20Poly1305 {
        ChaCha20Poly1305::new(&self.seal_key.into())
    }

    /// Seals a seed for `user`: a random nonce, then the ciphertext bound to the user's id.
    fn seal(&self, user: UserId, seed: &[u8]) -> Result<Vec<u8>> {
        let nonce: [u8; 12] =
            random_secret(&*self.ids)[..12].try_into().map_err(|_| Error::Internal("nonce".into()))?;
        let sealed = self
            .cipher()
            .encrypt(&Nonce::from(nonce), Payload { msg: seed, aad: user.0.as_bytes() })
            .map_err(|_| Error::Internal("sealing a second-factor seed failed".into()))?;
        Ok([nonce.as_slice(), &sealed].concat())
    }

    fn open(&self, user: UserId, sealed: &[u8]) -> Result<Vec<u8>> {
        let (nonce, body) =
            sealed.split_at_checked(12).ok_or_else(|| Error::Internal("a sealed seed is too short".into()))?;
        let nonce: [u8; 12] = nonce.try_into().map_err(|_| Error::Internal("a sealed seed is too short".into()))?;
        self.cipher()
            .decrypt(&Nonce::from(nonce), Payload { msg: body, aad: user.0.as_bytes() })
            .map_err(|_| Error::Internal("a second-factor seed cannot be opened with this server's key".into()))
    }

    fn totp(&self, seed: Vec<u8>, account: &str) -> Result<Totp> {
        Builder::new()
            .with_algorithm(Algorithm::SHA1)
            .with_digits(6)
            .with_skew(1)
            .with_step_duration(30)
            .with_secret(seed)
            .with_issuer(Some(self.issuer.as_str()))
            .with_account_name(account.replace(':', ""))
            .build()
            .map_err(|e| Error::Internal(format!("TOTP: {e}")))
    }

    /// The time step of `code` for this seed at `now`, if it is the code of the current step
    /// or one step either side.
    fn step_of(&self, seed: Vec<u8>, code: &str, now: DateTime<Utc>) -> Result<Option<i64>> {
        let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
            return Ok(None);
        }
        let totp = self.totp(seed, "-")?;
        let secs = u64::try_from(now.timestamp()).unwrap_or_default();
        Ok(totp.check(&code, secs).and_then(|step| i64::try_from(step).ok()))
    }

    /// Starts (or restarts) enrolment: a fresh 160-bit seed, sealed and stored unconfirmed.
    pub async fn enrol(
        &self,
        tx: &mut Box<dyn Tx>,
        user: UserId,
        account: &str,
        now: DateTime<Utc>,
    ) -> Result<Enrolment> {
        let seed = random_secret(&*self.ids)[..20].to_vec();
        let totp = self.totp(seed.clone(), account)?;
        let enrolment = Enrolment {
            secret: totp_rs::Secret::from(seed.clone()).to_base32(),
            otpauth_url: totp.to_url().map_err(|e| Error::Internal(format!("TOTP link: {e}")))?,
        };
        let mfa = UserMfa {
            user_id: user,
            sealed_secret: self.seal(user, &seed)?,
            confirmed_at: None,
            last_step: 0,
            created_at: now,
            updated_at: now,
        };
        tx.begin_mfa_enrolment(&mfa).await.map_err(|e| match e {
            StoreError::Conflict(_) => Error::Conflict {
                code: "mfa_already_enabled",
                message: "a second factor is already set up; turn it off first to set up another".into(),
            },
            e => e.into(),
        })?;
        Ok(enrolment)
    }

    /// Confirms an enrolment with its first code, answering new recovery codes.
    pub async fn confirm(
        &self,
        tx: &mut Box<dyn Tx>,
        user: UserId,
        code: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<String>> {
        let mfa = tx.user_mfa(user).await?.filter(|m| m.confirmed_at.is_none()).ok_or(Error::Conflict {
            code: "mfa_not_enrolling",
            message: "no second factor is being set up; start again".into(),
        })?;
        let Some(step) = self.step_of(self.open(user, &mfa.sealed_secret)?, code, now)? else {
            return Err(invalid_code());
        };
        tx.confirm_mfa(user, step, now).await?;
        self.new_recovery_codes(tx, user).await
    }

    /// Replaces the recovery codes, answering the new ones (shown once).
    pub async fn new_recovery_codes(&self, tx: &mut Box<dyn Tx>, user: UserId) -> Result<Vec<String>> {
        let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| recovery_code(&*self.ids)).collect();
        let hashes: Vec<Vec<u8>> = codes.iter().map(|c| sha256(normalise_code(c).as_bytes())).collect();
        tx.replace_recovery_codes(user, &hashes).await?;
        Ok(codes)
    }

    /// Whether the login has a confirmed second factor.
    pub async fn is_enabled(&self, tx: &mut Box<dyn Tx>, user: UserId) -> Result<bool> {
        Ok(tx.user_mfa(user).await?.is_some_and(|m| m.confirmed_at.is_some()))
    }

    /// Checks a code against a confirmed second factor, spending it: a TOTP code of a step
    /// later than the last accepted, or an unused recovery code.
    pub async fn verify(&self, tx: &mut Box<dyn Tx>, user: UserId, code: &str, now: DateTime<Utc>) -> Result<bool> {
        let Some(mfa) = tx.user_mfa(user).await?.filter(|m| m.confirmed_at.is_some()) else { return Ok(false) };
        if code.len() > 64 {
            return Ok(false);
        }
        if let Some(step) = self.step_of(self.open(user, &mfa.sealed_secret)?, code, now)? {
            return Ok(tx.use_mfa_step(user, step, now).await?);
        }
        Ok(tx.use_recovery_code(user, &sha256(normalise_code(code).as_bytes()), now).await?)
    }
}

/// A recovery code as typed: letters upper-cased, dashes and spaces dropped.
fn normalise_code(code: &str) -> String {
    code.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect()
}

/// A new recovery code: ten letters and digits (about 50 bits), shown as `XXXXX-XXXXX`.
fn recovery_code(ids: &dyn IdSource) -> String {
    let mut bytes = [0u8; 10];
    ids.fill(&mut bytes);
    // 31 letters and digits: a byte's remainder is near enough uniform (256 = 8 × 31 + 8), and
    // the code's strength comes from its length.
    let mut s: String = bytes.iter().map(|b| CODE_ALPHABET[usize::from(*b) % CODE_ALPHABET.len()] as char).collect();
    s.insert(5, '-');
    s
}

fn invalid_code() -> Error {
    Error::Unauthorized { code: "invalid_mfa_code", message: "The code is wrong or was already used" }
}

/// Whether `role` in a company that sets `require_mfa` must sign in with a second factor.
pub fn is_required(require_mfa: bool, role: Role) -> bool {
    require_mfa && matches!(role, Role::Owner | Role::Admin)
}

/// Second-factor use cases of the signed-in person.
#[derive(Clone)]
pub struct MfaService {
    /// The store, clock and event hub it works with.
    pub deps: Deps,
    pub(crate) factor: SecondFactor,
    pub(crate) auth: AuthService,
}

impl MfaService {
    fn person(actor: &Actor) -> Result<()> {
        match actor.principal {
            Principal::Person => Ok(()),
            Principal::ApiKey { .. } => Err(Error::Forbidden),
        }
    }

    /// Where the caller's second factor stands.
    pub async fn status(&self, actor: &Actor) -> Result<MfaStatus> {
        Self::person(actor)?;
        let mut tx = self.deps.store.begin_read(Some(actor.company_id)).await?;
        let mfa = tx.user_mfa(actor.user_id).await?;
        let company = tx.company_by_id(actor.company_id).await?.ok_or(Error::NotFound)?;
        Ok(MfaStatus {
            enabled: mfa.as_ref().is_some_and(|m| m.confirmed_at.is_some()),
            pending: mfa.as_ref().is_some_and(|m| m.confirmed_at.is_none()),
            recovery_codes_left: tx.count_recovery_codes(actor.user_id).await?,
            required: is_required(company.require_mfa, actor.role),
        })
    }

    /// Starts enrolment: a new seed for the caller's authenticator app.
    pub async fn begin(&self, actor: &Actor) -> Result<Enrolment> {
        Self::person(actor)?;
        let now = self.deps.clock.now();
        let mut tx = self.deps.store.begin(Some(actor.company_id)).await?;
        let user = tx.user_by_id(actor.user_id).await?.ok_or(Error::NotFound)?;
        let enrolment = self.factor.enrol(&mut tx, actor.user_id, user.email.as_str(), now).await?;
        self.audit(&mut tx, actor, "mfa.enrol").await?;
        tx.commit().await?;
        Ok(enrolment)
    }

    /// Confirms enrolment with a first code: the factor is on from now, this session counts as
    /// signed in with it, and the recovery codes are answered (once).
    pub async fn confirm(&self, actor: &Actor, code: &str) -> Result<Vec<String>> {
        Self::person(actor)?;
        let now = self.deps.clock.now();
        let mut tx = self.deps.store.begin(Some(actor.company_id)).await?;
        let codes = self.factor.confirm(&mut tx, actor.user_id, code, now).await?;
        tx.mark_session_mfa(actor.company_id, actor.family_id).await?;
        self.audit(&mut tx, actor, "mfa.confirm").await?;
        tx.commit().await?;
        Ok(codes)
    }

    /// Turns the second factor off, after the password and a current code (or a recovery
    /// code). Refused while the company requires one of the caller. Other sessions end.
    pub async fn disable(&self, actor: &Actor, password: &str, code: &str) -> Result<()> {
        Self::person(actor)?;
        let status = self.status(actor).await?;
        if status.required {
            return Err(Error::Conflict {
                code: "mfa_required_by_company",
                message: "your company requires a second factor of owners and admins".into(),
            });
        }
        if !status.enabled && !status.pending {
            return Err(Error::Conflict { code: "mfa_not_enabled", message: "no second factor is set up".into() });
        }
        self.auth.check_own_password(actor, password).await?;
        let now = self.deps.clock.now();
        let mut tx = self.deps.store.begin(Some(actor.company_id)).await?;
        if status.enabled && !self.factor.verify(&mut tx, actor.user_id, code, now).await? {
            drop(tx);
            return Err(invalid_code());
        }
        tx.remove_mfa(actor.user_id).await?;
        tx.revoke_user_sessions(actor.company_id, actor.user_id, Some(actor.family_id), now).await?;
        self.audit(&mut tx, actor, "mfa.disable").await?;
        tx.commit().await?;
        self.auth.end_sessions_elsewhere(actor.user_id, actor.company_id, &actor.meta, "mfa.disable").await
    }

    /// New recovery codes (the old ones stop working), after the password.
    pub async fn new_recovery_codes(&self, actor: &Actor, password: &str) -> Result<Vec<String>> {
        Self::person(actor)?;
        self.auth.check_own_password(actor, password).await?;
        let mut tx = self.deps.store.begin(Some(actor.company_id)).await?;
        if !self.factor.is_enabled(&mut tx, actor.user_id).await? {
            return Err(Error::Conflict { code: "mfa_not_enabled", message: "no second factor is set up".into() });
        }
        let codes = self.factor.new_recovery_codes(&mut tx, actor.user_id).await?;
        self.audit(&mut tx, actor, "mfa.recovery_codes").await?;
        tx.commit().await?;
        Ok(codes)
    }

    async fn audit(&self, tx: &mut Box<dyn Tx>, actor: &Actor, action: &str) -> Result<()> {
        self.deps
            .audit(
                tx,
                actor.company_id,
                Some(actor.user_id),
                &actor.meta,
                Audit::ok(action, "user", actor.user_id).after(json!({ "session": actor.family_id })),
            )
            .await
    }
}

#[cfg(test)]
mod tests {
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;

    use super::*;

    fn factor() -> SecondFactor {
        SecondFactor::new([9; 32], "Bosun", std::sync::Arc::new(bosun_domain::SeqIds::new(9)))
    }

    #[test]
    fn a_sealed_seed_opens_only_for_its_login_and_key() {
        let f = factor();
        let user = UserId::new();
        let sealed = f.seal(user, b"twenty bytes of seed").unwrap_or_default();
        assert_eq!(f.open(user, &sealed).unwrap_or_default(), b"twenty bytes of seed");
        assert!(f.open(UserId::new(), &sealed).is_err(), "bound to the login");
        assert!(
            SecondFactor::new([8; 32], "Bosun", std::sync::Arc::new(bosun_domain::SeqIds::new(8)))
                .open(user, &sealed)
                .is_err(),
            "bound to the key"
        );
        assert!(!STANDARD.encode(&sealed).contains(&STANDARD.encode(b"twenty bytes")));
    }

    #[test]
    fn codes_of_the_current_and_neighbouring_steps_match_and_no_others() {
        let f = factor();
        let seed = vec![1u8; 20];
        let totp = f.totp(seed.clone(), "ana@example.com").unwrap_or_else(|_| unreachable!());
        let now = DateTime::from_timestamp(1_800_000_015, 0).unwrap_or_default();
        let step = now.timestamp() / 30;
        for (offset, expected) in [(-2i64, None), (-1, Some(step - 1)), (0, Some(step)), (1, Some(step + 1)), (2, None)]
        {
            let code = totp.generate(u64::try_from((step + offset) * 30).unwrap_or_default()).to_string();
            assert_eq!(f.step_of(seed.clone(), &code, now).unwrap_or_default(), expected, "offset {offset}");
        }
        assert_eq!(f.step_of(seed.clone(), "12345", now).unwrap_or_default(), None);
        assert_eq!(f.step_of(seed, "abcdef", now).unwrap_or_default(), None);
    }

    #[test]
    fn recovery_codes_read_back_however_they_are_typed() {
        let code = recovery_code(&bosun_domain::SeqIds::new(3));
        assert_eq!(code.len(), 11);
        assert_eq!(normalise_code(&code.to_lowercase().replace('-', " ")), code.replace('-', ""));
    }

    #[test]
    fn only_owners_and_admins_of_a_requiring_company_need_a_second_factor() {
        assert!(is_required(true, Role::Owner) && is_required(true, Role::Admin));
        assert!(!is_required(true, Role::Manager) && !is_required(false, Role::Owner));
    }
}

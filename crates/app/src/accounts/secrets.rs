//! Server keys and the secrets Bosun hands out once.
//!
//! - **Keys.** One master secret (`auth.jwt_secret`, or 256 random bits made by the first
//!   instance and kept in `server_secrets`) signs access tokens, as it always has; every other
//!   use gets its own key derived from it (HMAC-SHA256 of the master and the use's name), so
//!   no two uses share a key and a new use needs no new secret.
//! - **Handed-out secrets.** Refresh tokens, invitation links and API keys carry the company's
//!   id (so they are looked up inside that tenant, never across tenants) and 256 random bits,
//!   of which only the SHA-256 is stored: a copy of the database cannot be used to sign in.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use bosun_domain::{CompanyId, IdSource};
use hmac::{Hmac, Mac};
use secrecy::ExposeSecret;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::config::AuthConfig;
use crate::{Deps, Result};

/// The server's master secret and the keys derived from it.
#[derive(Clone)]
pub struct ServerKeys {
    master: std::sync::Arc<[u8]>,
}

impl ServerKeys {
    /// The configured master secret, or the one kept in the database (made by the first
    /// instance to start).
    pub async fn load(deps: &Deps, cfg: &AuthConfig) -> Result<Self> {
        let master: Vec<u8> = match &cfg.jwt_secret {
            Some(s) => s.expose_secret().as_bytes().to_vec(),
            None => {
                let fresh = random_secret(&*deps.ids);
                let mut tx = deps.store.begin(None).await?;
                let key = tx.server_secret("jwt_hs256", &fresh, deps.clock.now()).await?;
                tx.commit().await?;
                key
            }
        };
        Ok(Self { master: master.into() })
    }

    /// The master secret itself: the access-token signing key.
    pub fn master(&self) -> &[u8] {
        &self.master
    }

    /// The key of one use (`"refresh-successor"`, `"device-cookie"`, `"mfa-seal"`, ...).
    pub fn derive(&self, purpose: &str) -> [u8; 32] {
        let mut out = [0u8; 32];
        out.copy_from_slice(&hmac_sha256(&self.master, &[b"bosun/", purpose.as_bytes()]));
        out
    }
}

/// HMAC-SHA256 of the concatenated `parts` under `key`.
pub fn hmac_sha256(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    #[allow(clippy::expect_used)]
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    for p in parts {
        mac.update(p);
    }
    mac.finalize().into_bytes().into()
}

/// 256 random bits from the injected source (the operating system's generator in the server).
pub fn random_secret(ids: &dyn IdSource) -> [u8; 32] {
    let mut s = [0u8; 32];
    ids.fill(&mut s);
    s
}

/// SHA-256 of a secret: what is stored in its place.
pub fn sha256(bytes: &[u8]) -> Vec<u8> {
    Sha256::digest(bytes).to_vec()
}

/// A secret handed out once that belongs to one company: a refresh token, an invitation link
/// or (behind its prefix) an API key.
#[derive(Clone, PartialEq, Eq)]
pub struct TenantSecret {
    /// The company it belongs to (not secret: it tells where to look the secret up).
    pub company: CompanyId,
    /// The random part, of which only the SHA-256 is stored.
    pub secret: [u8; 32],
}

impl std::fmt::Debug for TenantSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TenantSecret").field("company", &self.company).finish_non_exhaustive()
    }
}

/// The length of an encoded [`TenantSecret`] (16 + 32 bytes, base64url without padding).
const ENCODED_LEN: usize = 64;

impl TenantSecret {
    /// A new random secret of `company`.
    pub fn generate(ids: &dyn IdSource, company: CompanyId) -> Self {
        Self { company, secret: random_secret(ids) }
    }

    /// The text handed out: base64url of the company id and the secret.
    pub fn encode(&self) -> String {
        let mut raw = Vec::with_capacity(48);
        raw.extend_from_slice(self.company.0.as_bytes());
        raw.extend_from_slice(&self.secret);
        URL_SAFE_NO_PAD.encode(raw)
    }

    /// Reads a handed-out text back; `None` for anything that is not one (of any length).
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        if text.len() != ENCODED_LEN {
            return None;
        }
        let raw = URL_SAFE_NO_PAD.decode(text).ok()?;
        let (company, secret) = raw.split_at_checked(16)?;
        Some(Self { company: CompanyId(Uuid::from_slice(company).ok()?), secret: secret.try_into().ok()? })
    }

    /// What is stored: the SHA-256 of the random part.
    pub fn hash(&self) -> Vec<u8> {
        sha256(&self.secret)
    }
}

/// A secret handed out once that belongs to no company (a password-reset link: a login is
/// global).
pub fn encode_global(secret: &[u8; 32]) -> String {
    URL_SAFE_NO_PAD.encode(secret)
}

/// Reads a global secret back; `None` for anything that is not one.
pub fn parse_global(text: &str) -> Option<[u8; 32]> {
    let text = text.trim();
    if text.len() != 43 {
        return None;
    }
    URL_SAFE_NO_PAD.decode(text).ok()?.try_into().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tenant_secret_reads_back_and_nothing_else_does() {
        let s = TenantSecret::generate(&bosun_domain::SeqIds::new(1), CompanyId::new());
        assert_eq!(TenantSecret::parse(&s.encode()), Some(s.clone()));
        assert_eq!(TenantSecret::parse(&format!(" {} ", s.encode())), Some(s.clone()));
        for bad in ["", "x", &"A".repeat(64 * 100), &s.encode()[1..], "!".repeat(64).as_str()] {
            assert_eq!(TenantSecret::parse(bad), None, "{bad:?}");
        }
        assert!(!format!("{s:?}").contains(&hex::encode(s.secret)), "Debug never shows the secret");
    }

    #[test]
    fn derived_keys_differ_by_use_and_are_stable() {
        let keys = ServerKeys { master: vec![7u8; 32].into() };
        assert_eq!(keys.derive("a"), keys.derive("a"));
        assert_ne!(keys.derive("a"), keys.derive("b"));
        assert_ne!(keys.derive("a").as_slice(), keys.master());
    }

    #[test]
    fn a_global_secret_reads_back() {
        let s = random_secret(&bosun_domain::SeqIds::new(2));
        assert_eq!(parse_global(&encode_global(&s)), Some(s));
        assert_eq!(parse_global("short"), None);
    }
}

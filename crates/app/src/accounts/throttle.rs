//! The login throttle: slows password (and second-factor) guessing without letting a stranger
//! lock anyone else out.
//!
//! An attempt counts against a few keys, each a [`ThrottleRule`] (failures decay; past a
//! threshold the key locks for a second, doubling up to a maximum):
//!
//! | key | counts | threshold | on success |
//! |---|---|---|---|
//! | `ai:{account}:{address}` | this account from this address | `lock_after_failures` | cleared |
//! | `d:{device}` | this account from a device it signed in on before | `lock_after_failures` | cleared |
//! | `a:{account}` | this account from devices it never signed in on | `account_failures` | refunded |
//! | `i:{address}` | any account from this address, unknown devices | `address_failures` | refunded |
//!
//! A device the account signed in on before carries a signed device cookie and counts only
//! against its own key: a stranger guessing from elsewhere, even from many addresses, never
//! locks the owner's phone out, and a vessel's shared satellite address locks only devices
//! nobody signed in on. The account is a hash of the normalised email, so keys are bounded
//! whatever is typed; an email of more than 254 characters counts against the address alone.
//!
//! Every attempt counts as a failure *before* the password is checked, in its own
//! transaction, and is taken back when it succeeds: an attempt cancelled by a client that
//! disconnects, or cut off by a crash, has still counted, and a burst of guesses cannot pass the
//! lock check together before the first failures are counted.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use bosun_domain::account::{ThrottleCount, ThrottleRule};
use bosun_store::Store;
use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};

use crate::accounts::secrets::{hmac_sha256, random_secret};
use crate::config::AuthConfig;
use crate::{Error, Result};

/// The longest email accepted (RFC 5321's path limit); a longer one is refused up front.
pub const MAX_EMAIL_CHARS: usize = 254;

/// One throttle key and its rule, as an attempt counts it.
#[derive(Debug, Clone)]
struct Key {
    name: String,
    rule: ThrottleRule,
    /// Cleared by a success (the caller's own counter) rather than refunded (a shared one).
    clears_on_success: bool,
}

/// An attempt counted in advance: the keys it counted against, and what each held before and
/// after, so a success can take back exactly its own count.
#[derive(Debug)]
pub struct Attempt {
    counted: Vec<(Key, Option<ThrottleCount>, ThrottleCount)>,
}

/// The login throttle.
#[derive(Clone)]
pub struct LoginThrottle {
    per_caller: ThrottleRule,
    per_account: ThrottleRule,
    per_address: ThrottleRule,
    device_key: [u8; 32],
    ids: std::sync::Arc<dyn bosun_domain::IdSource>,
}

/// Who is trying, as the throttle tells them apart.
#[derive(Debug, Clone, Default)]
pub struct Caller<'a> {
    /// A hash of the normalised email typed (absent when it was over-long).
    pub account: Option<String>,
    /// The client's address.
    pub address: Option<&'a str>,
    /// The device cookie it sent, if any (checked against `account` here).
    pub device_cookie: Option<&'a str>,
}

impl LoginThrottle {
    /// A throttle with the configured thresholds, signing device cookies with `device_key`.
    pub fn new(cfg: &AuthConfig, device_key: [u8; 32], ids: std::sync::Arc<dyn bosun_domain::IdSource>) -> Self {
        let rule = |threshold| ThrottleRule {
            threshold,
            decay: Duration::seconds(cfg.failure_decay_secs),
            max_lock: Duration::seconds(cfg.max_lock_secs),
        };
        Self {
            per_caller: rule(cfg.lock_after_failures),
            per_account: rule(cfg.account_failures),
            per_address: rule(cfg.address_failures),
            device_key,
            ids,
        }
    }

    /// The bounded account key of what was typed as an email: a hash of its normalised form,
    /// or `None` when it is too long to be one (refused up front).
    pub fn account_of(email: &str) -> Option<String> {
        let normalised = email.trim().to_lowercase();
        if normalised.chars().count() > MAX_EMAIL_CHARS {
            return None;
        }
        Some(hex::encode(&Sha256::digest(normalised.as_bytes())[..16]))
    }

    /// A device cookie for `account`: a random device id signed with the server's key.
    pub fn device_cookie(&self, account: &str) -> String {
        let id = &random_secret(&*self.ids)[..16];
        let mac = hmac_sha256(&self.device_key, &[account.as_bytes(), id]);
        let mut raw = id.to_vec();
        raw.extend_from_slice(&mac[..16]);
        URL_SAFE_NO_PAD.encode(raw)
    }

    /// The device id of a cookie signed for `account`; `None` for any other cookie.
    fn device_of(&self, account: &str, cookie: &str) -> Option<String> {
        if cookie.len() > 64 {
            return None;
        }
        let raw = URL_SAFE_NO_PAD.decode(cookie.trim()).ok()?;
        let (id, mac) = raw.split_at_checked(16)?;
        let want = hmac_sha256(&self.device_key, &[account.as_bytes(), id]);
        // Compared whole; a timing difference would tell nothing useful about a random id.
        (mac == &want[..16]).then(|| hex::encode(id))
    }

    fn keys(&self, caller: &Caller<'_>) -> Vec<Key> {
        let key = |name: String, rule, clears_on_success| Key { name, rule, clears_on_success };
        let address = caller.address.unwrap_or("-");
        let device =
            caller.account.as_deref().zip(caller.device_cookie).and_then(|(account, c)| self.device_of(account, c));
        let mut keys = Vec::with_capacity(3);
        match (&caller.account, device) {
            (Some(_), Some(device)) => keys.push(key(format!("d:{device}"), self.per_caller, true)),
            (Some(account), None) => {
                keys.push(key(format!("ai:{account}:{address}"), self.per_caller, true));
                keys.push(key(format!("a:{account}"), self.per_account, false));
                keys.push(key(format!("i:{address}"), self.per_address, false));
            }
            (None, _) => keys.push(key(format!("i:{address}"), self.per_address, false)),
        }
        keys
    }

    /// Counts an attempt as a failure in advance, unless one of its keys is locked: then
    /// nothing is counted and the answer is `TooManyAttempts`.
    pub async fn begin(&self, store: &dyn Store, caller: &Caller<'_>, now: DateTime<Utc>) -> Result<Attempt> {
        let keys = self.keys(caller);
        let mut tx = store.begin(None).await?;
        let mut counted = Vec::with_capacity(keys.len());
        let mut locked_for = Duration::zero();
        for key in keys {
            let before = tx.throttle_state(&key.name).await?;
            if let Some(left) = key.rule.locked_for(before.as_ref(), now) {
                locked_for = locked_for.max(left);
                continue;
            }
            let after = key.rule.after_failure(before.as_ref(), now);
            counted.push((key, before, after));
        }
        if locked_for > Duration::zero() {
            // Dropping the transaction counts nothing: a locked key is not evaluated at all.
            return Err(Error::TooManyAttempts { retry_after: locked_for.num_seconds().max(1) });
        }
        for (key, _, after) in &counted {
            tx.throttle_record(&key.name, after).await?;
        }
        tx.commit().await?;
        Ok(Attempt { counted })
    }

    /// Takes back an attempt that succeeded: the caller's own counters are cleared, the shared
    /// ones lose this attempt's failure (and the lock it set, if it set one).
    pub async fn succeed(&self, store: &dyn Store, attempt: Attempt, now: DateTime<Utc>) -> Result<()> {
        let mut tx = store.begin(None).await?;
        for (key, before, after) in attempt.counted {
            if key.clears_on_success {
                tx.throttle_clear(&key.name).await?;
                continue;
            }
            let Some(current) = tx.throttle_state(&key.name).await? else { continue };
            let mut refunded = key.rule.after_refund(&current, now);
            let own_lock = after.locked_until.filter(|l| Some(*l) != before.and_then(|b| b.locked_until));
            if own_lock.is_some() && current.locked_until == own_lock {
                refunded.locked_until = before.and_then(|b| b.locked_until);
            }
            tx.throttle_record(&key.name, &refunded).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

/// Password-reset mails per login within about an hour, and per address.
const RESETS_PER_ACCOUNT: i64 = 3;
const RESETS_PER_ADDRESS: i64 = 30;

impl LoginThrottle {
    /// Whether a password-reset mail may go to `account` asked from `address` (at most a few
    /// an hour to one login, a few dozen from one address: nobody's inbox is flooded), counting
    /// it when it may.
    pub async fn allow_reset_mail(
        &self,
        store: &dyn Store,
        account: &str,
        address: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let rule = ThrottleRule { threshold: i64::MAX, decay: Duration::minutes(20), max_lock: Duration::zero() };
        let keys = [
            (format!("r:{account}"), RESETS_PER_ACCOUNT),
            (format!("ri:{}", address.unwrap_or("-")), RESETS_PER_ADDRESS),
        ];
        let mut tx = store.begin(None).await?;
        let mut counts = Vec::with_capacity(keys.len());
        for (key, most) in &keys {
            let count = tx.throttle_state(key).await?;
            if count.as_ref().is_some_and(|c| rule.remembered(c, now) >= *most) {
                return Ok(false);
            }
            counts.push(rule.after_failure(count.as_ref(), now));
        }
        for ((key, _), count) in keys.iter().zip(&counts) {
            tx.throttle_record(key, count).await?;
        }
        tx.commit().await?;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn throttle() -> LoginThrottle {
        LoginThrottle::new(
            &crate::config::AuthConfig::default(),
            [3; 32],
            std::sync::Arc::new(bosun_domain::SeqIds::new(3)),
        )
    }

    #[test]
    fn account_keys_are_bounded_hashes_of_the_normalised_email() {
        let a = LoginThrottle::account_of(" Ana@Example.COM ").unwrap_or_default();
        assert_eq!(Some(a.clone()), LoginThrottle::account_of("ana@example.com"));
        assert_eq!(a.len(), 32);
        assert_eq!(LoginThrottle::account_of(&"x".repeat(4000)), None);
        assert!(LoginThrottle::account_of(&"x".repeat(254)).is_some());
    }

    #[test]
    fn a_device_cookie_is_good_only_for_its_account() {
        let t = throttle();
        let cookie = t.device_cookie("acct-a");
        assert!(t.device_of("acct-a", &cookie).is_some());
        assert_eq!(t.device_of("acct-b", &cookie), None);
        assert_eq!(t.device_of("acct-a", "forged"), None);
        assert!(throttle().device_of("acct-a", &t.device_cookie("acct-a")).is_some(), "the same key, another copy");
        let other = LoginThrottle::new(
            &crate::config::AuthConfig::default(),
            [4; 32],
            std::sync::Arc::new(bosun_domain::SeqIds::new(4)),
        );
        assert_eq!(other.device_of("acct-a", &cookie), None, "signed by another server key");
    }

    #[test]
    fn a_known_device_counts_only_against_itself() {
        let t = throttle();
        let account = LoginThrottle::account_of("ana@example.com");
        let cookie = t.device_cookie(account.as_deref().unwrap_or_default());
        let names = |c: &Caller<'_>| {
            t.keys(c).into_iter().map(|k| k.name.split(':').next().map(str::to_owned)).collect::<Vec<_>>()
        };
        let known = Caller { account: account.clone(), address: Some("192.0.2.1"), device_cookie: Some(&cookie) };
        assert_eq!(names(&known), [Some("d".to_owned())]);
        let unknown = Caller { account, address: Some("192.0.2.1"), device_cookie: None };
        assert_eq!(names(&unknown), [Some("ai".to_owned()), Some("a".to_owned()), Some("i".to_owned())]);
        let over_long = Caller { account: None, address: Some("192.0.2.1"), device_cookie: Some(&cookie) };
        assert_eq!(names(&over_long), [Some("i".to_owned())]);
    }
}

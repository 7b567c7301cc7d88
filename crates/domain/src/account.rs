//! Accounts: invitations to a company, password resets, second factors, sessions, API keys,
//! and the login throttle's rule. What a record is and when it is still good; storage and
//! delivery live elsewhere.

use chrono::{DateTime, Duration, Utc};

use crate::person::{Email, Role, Specialisation};
use crate::{ApiKeyId, CompanyId, InvitationId, PasswordResetId, SessionFamilyId, UserId, VesselId};

/// An invitation to join a company. Until it is accepted the person has no access; accepting
/// it (by signing in with an existing login, or by setting the password of a new one) makes
/// the membership.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    /// Its id.
    pub id: InvitationId,
    /// The inviting company.
    pub company_id: CompanyId,
    /// Who is invited.
    pub email: Email,
    /// The name the company knows them by (a new login takes it).
    pub name: String,
    /// The role they will have.
    pub role: Role,
    /// Their trade.
    pub specialisation: Option<Specialisation>,
    /// SHA-256 of the token's secret; the token itself is shown once.
    pub token_hash: Vec<u8>,
    /// Who invited them (absent for the command line).
    pub invited_by: Option<UserId>,
    /// When.
    pub created_at: DateTime<Utc>,
    /// When the token stops working.
    pub expires_at: DateTime<Utc>,
    /// When it was accepted.
    pub accepted_at: Option<DateTime<Utc>>,
    /// The login that accepted it.
    pub accepted_by: Option<UserId>,
    /// When it was withdrawn (or replaced by a new one).
    pub revoked_at: Option<DateTime<Utc>>,
}

/// Where an invitation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvitationStatus {
    /// Waiting to be accepted.
    Pending,
    /// Accepted: the person is a member.
    Accepted,
    /// Withdrawn or replaced.
    Revoked,
    /// Not accepted in time.
    Expired,
}

impl InvitationStatus {
    /// Every status, in order.
    pub const ALL: [Self; 4] = [Self::Pending, Self::Accepted, Self::Revoked, Self::Expired];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Accepted => "accepted",
            Self::Revoked => "revoked",
            Self::Expired => "expired",
        }
    }
}

impl Invitation {
    /// Where it stands at `now`.
    pub fn status(&self, now: DateTime<Utc>) -> InvitationStatus {
        if self.accepted_at.is_some() {
            InvitationStatus::Accepted
        } else if self.revoked_at.is_some() {
            InvitationStatus::Revoked
        } else if self.expires_at <= now {
            InvitationStatus::Expired
        } else {
            InvitationStatus::Pending
        }
    }
}

/// A password reset asked for by e-mail: single-use, expiring, its token kept hashed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordReset {
    /// Its id.
    pub id: PasswordResetId,
    /// Whose login.
    pub user_id: UserId,
    /// SHA-256 of the token's secret.
    pub token_hash: Vec<u8>,
    /// When it was asked for.
    pub created_at: DateTime<Utc>,
    /// When the token stops working.
    pub expires_at: DateTime<Utc>,
    /// When it was used.
    pub used_at: Option<DateTime<Utc>>,
}

impl PasswordReset {
    /// Whether the token may still set a password at `now`.
    pub fn is_usable(&self, now: DateTime<Utc>) -> bool {
        self.used_at.is_none() && self.expires_at > now
    }
}

/// A login's TOTP second factor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserMfa {
    /// Whose login.
    pub user_id: UserId,
    /// The shared secret, sealed with a server key (never stored in the clear).
    pub sealed_secret: Vec<u8>,
    /// When the first code matched; until then the factor is being enrolled and not required.
    pub confirmed_at: Option<DateTime<Utc>>,
    /// The last 30-second time step whose code was accepted (each code works once).
    pub last_step: i64,
    /// When enrolment began.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

/// One sign-in and the refresh tokens descended from it, as its person sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// Its id (the refresh-token family).
    pub id: SessionFamilyId,
    /// The company it is for.
    pub company_id: CompanyId,
    /// Whose.
    pub user_id: UserId,
    /// When they signed in.
    pub created_at: DateTime<Utc>,
    /// When it was last used to sign in or refresh.
    pub last_used_at: DateTime<Utc>,
    /// Its absolute end, however often it is refreshed.
    pub expires_at: DateTime<Utc>,
    /// The address it was opened from.
    pub ip: Option<String>,
    /// The device (user agent) it was opened from.
    pub user_agent: Option<String>,
    /// The address it was last used from.
    pub last_ip: Option<String>,
    /// Whether the sign-in passed a second factor.
    pub mfa: bool,
    /// When it was ended.
    pub revoked_at: Option<DateTime<Utc>>,
}

impl Session {
    /// Whether it still stands at `now`: not ended, not past its absolute end, and used within
    /// `idle` (a session left idle longer must sign in again).
    pub fn is_live(&self, now: DateTime<Utc>, idle: Duration) -> bool {
        self.revoked_at.is_none() && self.expires_at > now && now - self.last_used_at <= idle
    }
}

/// An API key: an integration or a vessel's edge node acting in one company with one role,
/// optionally on some vessels only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKey {
    /// Its id (also the actor id its writes are recorded under).
    pub id: ApiKeyId,
    /// The company it acts in.
    pub company_id: CompanyId,
    /// What it is for ("Telemetry gateway, Spirit").
    pub name: String,
    /// The role it acts with (never owner).
    pub role: Role,
    /// The vessels it may reach; empty for every vessel its role may see.
    pub vessels: Vec<VesselId>,
    /// SHA-256 of the key's secret; the key itself is shown once.
    pub token_hash: Vec<u8>,
    /// Who made it.
    pub created_by: Option<UserId>,
    /// When.
    pub created_at: DateTime<Utc>,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
    /// When it was revoked.
    pub revoked_at: Option<DateTime<Utc>>,
    /// When it was last used (recorded at most once a minute).
    pub last_used_at: Option<DateTime<Utc>>,
    /// The address it was last used from.
    pub last_used_ip: Option<String>,
}

impl ApiKey {
    /// Whether the key authenticates at `now`.
    pub fn is_usable(&self, now: DateTime<Utc>) -> bool {
        self.revoked_at.is_none() && self.expires_at > now
    }

    /// Whether it reaches only the vessels it lists.
    pub fn is_vessel_scoped(&self) -> bool {
        !self.vessels.is_empty() || self.role.is_vessel_scoped()
    }
}

/// The rule of one login-throttle counter: failures decay (one every `decay`), and once
/// `threshold` are counted the key locks, for a second at first and twice as long with each
/// further failure, up to `max_lock`. A locked key is not evaluated at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottleRule {
    /// Failures that lock the key.
    pub threshold: i64,
    /// How long one failure is remembered.
    pub decay: Duration,
    /// The longest lock.
    pub max_lock: Duration,
}

/// A throttle counter as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottleCount {
    /// Failures counted at `updated_at`.
    pub failures: i64,
    /// Until when the key is locked.
    pub locked_until: Option<DateTime<Utc>>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

impl ThrottleRule {
    /// The failures still remembered at `now`.
    pub fn remembered(&self, count: &ThrottleCount, now: DateTime<Utc>) -> i64 {
        let decay = self.decay.num_milliseconds().max(1);
        let elapsed = (now - count.updated_at).num_milliseconds().max(0);
        (count.failures - elapsed / decay).max(0)
    }

    /// How long the key stays locked at `now`, if it is.
    pub fn locked_for(&self, count: Option<&ThrottleCount>, now: DateTime<Utc>) -> Option<Duration> {
        count.and_then(|c| c.locked_until).filter(|until| *until > now).map(|until| until - now)
    }

    /// The counter after one more failure at `now`.
    pub fn after_failure(&self, count: Option<&ThrottleCount>, now: DateTime<Utc>) -> ThrottleCount {
        let failures = count.map_or(0, |c| self.remembered(c, now)) + 1;
        let over = failures - self.threshold;
        let locked_until = (over >= 0).then(|| {
            let secs = 1i64.checked_shl(u32::try_from(over.min(30)).unwrap_or(30)).unwrap_or(i64::MAX);
            now + Duration::seconds(secs).min(self.max_lock)
        });
        // A lock already running is never shortened by a decayed count.
        let locked_until = match (locked_until, count.and_then(|c| c.locked_until)) {
            (Some(new), Some(old)) => Some(new.max(old)),
            (new, old) => new.or(old.filter(|o| *o > now)),
        };
        ThrottleCount { failures, locked_until, updated_at: now }
    }

    /// The counter after a failure counted in advance turned out not to be one (the attempt
    /// succeeded): one failure fewer, the lock as it was.
    pub fn after_refund(&self, count: &ThrottleCount, now: DateTime<Utc>) -> ThrottleCount {
        ThrottleCount {
            failures: (self.remembered(count, now) - 1).max(0),
            locked_until: count.locked_until,
            updated_at: now,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + secs, 0).unwrap_or_default()
    }

    const RULE: ThrottleRule =
        ThrottleRule { threshold: 3, decay: Duration::seconds(60), max_lock: Duration::seconds(900) };

    #[test]
    fn failures_lock_at_the_threshold_and_the_lock_doubles() {
        let mut c = None;
        for _ in 0..2 {
            c = Some(RULE.after_failure(c.as_ref(), at(0)));
        }
        assert_eq!(RULE.locked_for(c.as_ref(), at(0)), None);
        c = Some(RULE.after_failure(c.as_ref(), at(0)));
        assert_eq!(RULE.locked_for(c.as_ref(), at(0)), Some(Duration::seconds(1)));
        c = Some(RULE.after_failure(c.as_ref(), at(1)));
        assert_eq!(RULE.locked_for(c.as_ref(), at(1)), Some(Duration::seconds(2)));
    }

    #[test]
    fn the_lock_never_exceeds_its_maximum() {
        let mut c = None;
        for _ in 0..40 {
            c = Some(RULE.after_failure(c.as_ref(), at(0)));
        }
        assert_eq!(RULE.locked_for(c.as_ref(), at(0)), Some(Duration::seconds(900)));
    }

    #[test]
    fn failures_decay_so_a_key_is_not_locked_for_ever() {
        let mut c = None;
        for _ in 0..10 {
            c = Some(RULE.after_failure(c.as_ref(), at(0)));
        }
        let c = c.unwrap_or(ThrottleCount { failures: 0, locked_until: None, updated_at: at(0) });
        assert_eq!(RULE.remembered(&c, at(0)), 10);
        assert_eq!(RULE.remembered(&c, at(60 * 4)), 6);
        assert_eq!(RULE.remembered(&c, at(60 * 20)), 0);
        // Long after the lock ran out and the failures decayed, one failure does not lock.
        let next = RULE.after_failure(Some(&c), at(60 * 20));
        assert_eq!(next.failures, 1);
        assert_eq!(RULE.locked_for(Some(&next), at(60 * 20)), None);
    }

    #[test]
    fn a_refund_takes_back_one_failure_but_no_lock() {
        let c = RULE.after_failure(None, at(0));
        assert_eq!(RULE.after_refund(&c, at(0)).failures, 0);
        let locked = ThrottleCount { failures: 5, locked_until: Some(at(30)), updated_at: at(0) };
        let refunded = RULE.after_refund(&locked, at(1));
        assert_eq!((refunded.failures, refunded.locked_until), (4, Some(at(30))));
    }

    #[test]
    fn an_invitation_is_pending_until_accepted_revoked_or_expired() {
        let inv = Invitation {
            id: InvitationId::new(),
            company_id: CompanyId::new(),
            email: Email::parse("email", "a@b.example").unwrap_or_else(|_| unreachable!()),
            name: "A".into(),
            role: Role::Crew,
            specialisation: None,
            token_hash: vec![0; 32],
            invited_by: None,
            created_at: at(0),
            expires_at: at(100),
            accepted_at: None,
            accepted_by: None,
            revoked_at: None,
        };
        assert_eq!(inv.status(at(99)), InvitationStatus::Pending);
        assert_eq!(inv.status(at(100)), InvitationStatus::Expired);
        assert_eq!(Invitation { revoked_at: Some(at(5)), ..inv.clone() }.status(at(6)), InvitationStatus::Revoked);
        assert_eq!(Invitation { accepted_at: Some(at(5)), ..inv }.status(at(200)), InvitationStatus::Accepted);
    }
}

//! Request rate limits, by the company's plan.
//!
//! - **Buckets.** Each person and each API key may make `per_minute` requests a minute (the
//!   plan's tier: `limits.basic_per_minute`, `limits.pro_per_minute`, or an enterprise's agreed
//!   rate, else `limits.enterprise_per_minute`); a whole company `company_factor` times that.
//!   Requests without credentials count per client address (`limits.anonymous_per_minute`).
//!   Windows are whole minutes of the injected clock.
//! - **Answers.** Every `/api/` answer carries `X-RateLimit-Limit`, `X-RateLimit-Remaining` and
//!   `X-RateLimit-Reset` (seconds until the window ends) of its tightest bucket; a request over
//!   a limit answers 429 `rate_limited` with `Retry-After`, and is not counted.
//! - **Several instances.** Counting is in memory, never a database write per request. On
//!   PostgreSQL a task adds each instance's new counts to the shared `rate_windows` about once a
//!   second (`limits.sync_millis`) and learns every instance's totals back, so a limit holds
//!   across instances to within what they admit between two syncs. One SQLite process counts
//!   alone and writes nothing.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use bosun_domain::company::Plan;
use bosun_domain::{Clock, CompanyId};
use bosun_store::{CompanyTerms, Store};
use chrono::{DateTime, DurationRound, TimeDelta, Utc};

use crate::config::LimitsConfig;
use crate::{Actor, Result};

/// What a request's buckets say: whether it may go on, and the headers of its tightest bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    /// Whether the request is within every limit (then it was counted).
    pub allowed: bool,
    /// The tightest bucket's limit a minute.
    pub limit: i64,
    /// What is left of it in this window.
    pub remaining: i64,
    /// Seconds until the window ends.
    pub reset_secs: i64,
}

/// One bucket's window as this instance knows it.
#[derive(Debug, Clone, Copy)]
struct Window {
    start: DateTime<Utc>,
    /// Every instance's count at the last sync (this one's included).
    synced: i64,
    /// This instance's count since.
    unsynced: i64,
}

impl Window {
    fn used(&self) -> i64 {
        self.synced + self.unsynced
    }
}

/// What a bucket counts: a person or API key of a company, a company, or an address without
/// credentials. A plain value, so counting a request allocates nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Bucket {
    Principal(CompanyId, uuid::Uuid),
    Company(CompanyId),
    Address(Option<IpAddr>),
}

impl Bucket {
    /// The bucket's name in the shared `rate_windows`.
    fn key(&self) -> String {
        match self {
            Self::Principal(c, p) => format!("p:{c}:{p}"),
            Self::Company(c) => format!("c:{c}"),
            Self::Address(Some(ip)) => format!("ip:{ip}"),
            Self::Address(None) => "ip:-".to_owned(),
        }
    }
}

/// The process's rate limits.
pub struct RateLimits {
    cfg: LimitsConfig,
    clock: Arc<dyn Clock>,
    windows: Mutex<HashMap<Bucket, Window>>,
}

/// Buckets kept at most; past it, windows of earlier minutes are dropped first.
const MAX_BUCKETS: usize = 100_000;

fn minute_of(t: DateTime<Utc>) -> DateTime<Utc> {
    t.duration_trunc(TimeDelta::minutes(1)).unwrap_or(t)
}

impl RateLimits {
    /// Limits by `cfg`, windows by `clock`.
    pub fn new(cfg: LimitsConfig, clock: Arc<dyn Clock>) -> Self {
        Self { cfg, clock, windows: Mutex::default() }
    }

    /// Requests a minute one person or API key of a company on these terms may make.
    pub fn per_minute(&self, terms: &CompanyTerms) -> i64 {
        match terms.plan {
            Plan::Basic => self.cfg.basic_per_minute,
            Plan::Pro => self.cfg.pro_per_minute,
            Plan::Enterprise => terms.rate_limit_per_minute.unwrap_or(self.cfg.enterprise_per_minute),
        }
    }

    /// Counts a request of `actor` against their own bucket and their company's.
    pub fn for_actor(&self, actor: &Actor, terms: &CompanyTerms) -> Decision {
        let per = self.per_minute(terms);
        self.count(&[
            (Bucket::Principal(actor.company_id, actor.user_id.0), per),
            (Bucket::Company(actor.company_id), per.saturating_mul(self.cfg.company_factor)),
        ])
    }

    /// Counts a request without credentials against its address's bucket.
    pub fn for_address(&self, address: Option<IpAddr>) -> Decision {
        self.count(&[(Bucket::Address(address), self.cfg.anonymous_per_minute)])
    }

    /// Counts a request against every bucket when each has room; otherwise counts nothing.
    fn count(&self, buckets: &[(Bucket, i64)]) -> Decision {
        let now = self.clock.now();
        let start = minute_of(now);
        // Rounded up: waiting this long always reaches the next window.
        let reset_secs = (((start + TimeDelta::minutes(1)) - now).num_milliseconds() + 999) / 1000;
        let mut windows = self.windows.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if windows.len() >= MAX_BUCKETS {
            windows.retain(|_, w| w.start >= start);
            if windows.len() >= MAX_BUCKETS {
                windows.clear();
            }
        }
        let mut tightest: Option<(i64, i64)> = None;
        let mut allowed = true;
        for (key, limit) in buckets {
            let w = windows.entry(*key).or_insert(Window { start, synced: 0, unsynced: 0 });
            if w.start != start {
                *w = Window { start, synced: 0, unsynced: 0 };
            }
            let left = limit - w.used();
            allowed &= left > 0;
            if tightest.is_none_or(|(_, l)| left < l) {
                tightest = Some((*limit, left));
            }
        }
        if allowed {
            for (key, _) in buckets {
                if let Some(w) = windows.get_mut(key) {
                    w.unsynced += 1;
                }
            }
        }
        let (limit, left) = tightest.unwrap_or((0, 0));
        let remaining = if allowed { left - 1 } else { left }.max(0);
        Decision { allowed, limit, remaining, reset_secs }
    }

    /// Adds this instance's new counts to the shared windows and learns every instance's totals
    /// back (PostgreSQL), for every bucket this instance used this minute (so one idle here
    /// still learns what the others count); forgets windows of earlier minutes.
    pub async fn sync(&self, store: &dyn Store) -> Result<()> {
        let current = minute_of(self.clock.now());
        let counted: Vec<(Bucket, DateTime<Utc>, i64)> = {
            let mut windows = self.windows.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            windows.retain(|_, w| w.start >= current);
            windows.iter().map(|(b, w)| (*b, w.start, w.unsynced)).collect()
        };
        let deltas: Vec<_> = counted.iter().map(|(b, start, n)| (b.key(), *start, *n)).collect();
        if deltas.is_empty() {
            return Ok(());
        }
        let mut tx = store.begin(None).await?;
        let totals = tx.add_rate_counts(&deltas).await?;
        tx.prune_rate_windows(current - TimeDelta::minutes(2)).await?;
        tx.commit().await?;
        let mut windows = self.windows.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        for ((bucket, start, sent), total) in counted.into_iter().zip(totals) {
            if let Some(w) = windows.get_mut(&bucket).filter(|w| w.start == start) {
                // What was counted here meanwhile stays to be sent next time.
                w.unsynced -= sent;
                w.synced = total;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use bosun_domain::FixedClock;
    use bosun_domain::person::Role;

    use super::*;

    fn limits(clock: Arc<FixedClock>) -> RateLimits {
        let cfg = LimitsConfig { basic_per_minute: 3, company_factor: 2, ..crate::config::LimitsConfig::default() };
        RateLimits::new(cfg, clock)
    }

    fn terms() -> CompanyTerms {
        CompanyTerms { plan: Plan::Basic, rate_limit_per_minute: None, require_mfa: false }
    }

    fn at(secs: i64) -> Arc<FixedClock> {
        Arc::new(FixedClock::at(DateTime::from_timestamp(1_800_000_000 + secs, 0).unwrap_or_default()))
    }

    #[test]
    fn a_person_gets_their_plans_requests_a_minute_then_waits_for_the_next() {
        let clock = at(20);
        let l = limits(clock.clone());
        let company = CompanyId::new();
        let ana = Actor::system(company, bosun_domain::UserId::new(), Role::Crew);
        let seen: Vec<(bool, i64)> =
            (0..4).map(|_| l.for_actor(&ana, &terms())).map(|d| (d.allowed, d.remaining)).collect();
        assert_eq!(seen, [(true, 2), (true, 1), (true, 0), (false, 0)]);
        assert_eq!(l.for_actor(&ana, &terms()).reset_secs, 40);
        clock.advance(TimeDelta::seconds(40));
        assert!(l.for_actor(&ana, &terms()).allowed, "a new minute, a new window");
    }

    #[test]
    fn a_company_shares_a_bucket_of_its_factor_times_a_persons() {
        let l = limits(at(0));
        let company = CompanyId::new();
        let people: Vec<Actor> =
            (0..3).map(|_| Actor::system(company, bosun_domain::UserId::new(), Role::Crew)).collect();
        let allowed =
            people.iter().flat_map(|p| (0..3).map(|_| l.for_actor(p, &terms()).allowed)).filter(|a| *a).count();
        assert_eq!(allowed, 6, "three people of three each, but the company's six");
        let other = Actor::system(CompanyId::new(), bosun_domain::UserId::new(), Role::Crew);
        assert!(l.for_actor(&other, &terms()).allowed, "another company has its own");
    }

    #[test]
    fn the_plan_sets_the_rate() {
        let l = RateLimits::new(crate::config::LimitsConfig::default(), at(0));
        let of = |plan, agreed| l.per_minute(&CompanyTerms { plan, rate_limit_per_minute: agreed, require_mfa: false });
        assert_eq!((of(Plan::Basic, None), of(Plan::Pro, None)), (100, 1_000));
        assert_eq!(of(Plan::Enterprise, Some(5_000)), 5_000);
        assert_eq!(of(Plan::Enterprise, None), crate::config::LimitsConfig::default().enterprise_per_minute);
    }
}

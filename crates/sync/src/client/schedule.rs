//! When to run the next cycle (docs/SYNC.md, "The client engine"): 1 s after a local write, at
//! once on a poke or a reconnect, every 60 s while online; after a failure 5 s, doubling to
//! 5 min, each shortened by up to a fifth at random so that a fleet of devices that lost the
//! same link do not return in step.
//!
//! The schedule only computes delays; the host owns the timer. Keep one deadline, move it to
//! `now + delay` when the delay is earlier, and replace it after each cycle. Randomness comes
//! from an injected [`Jitter`], so a simulation replays the same schedule from its seed.

use std::time::Duration;

/// The delay after a local write while the link works.
pub const LOCAL_WRITE_DELAY: Duration = Duration::from_secs(1);
/// The delay between cycles while online with nothing to send.
pub const ONLINE_INTERVAL: Duration = Duration::from_secs(60);
/// The delay after a first failure.
pub const FIRST_RETRY: Duration = Duration::from_secs(5);
/// The longest delay after failures.
pub const MAX_RETRY: Duration = Duration::from_secs(300);

/// A source of random delay reductions.
pub trait Jitter {
    /// A number of milliseconds in `0..=bound_ms`; larger answers count as `bound_ms`.
    fn up_to(&mut self, bound_ms: u64) -> u64;
}

/// No randomness: every delay is the full one.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoJitter;

impl Jitter for NoJitter {
    fn up_to(&mut self, _bound_ms: u64) -> u64 {
        0
    }
}

impl<F: FnMut(u64) -> u64> Jitter for F {
    fn up_to(&mut self, bound_ms: u64) -> u64 {
        self(bound_ms)
    }
}

/// What just happened, as far as the schedule cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncEvent {
    /// A write was queued.
    LocalWrite,
    /// The server announced changes (a live event).
    Poke,
    /// The link came back.
    Reconnect,
    /// A cycle ended without failure.
    Succeeded,
    /// A cycle failed.
    Failed,
}

/// The failures in a row since the last successful cycle, and the delays they lead to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SyncSchedule {
    failures: u32,
}

impl SyncSchedule {
    /// A schedule with no failure behind it.
    pub fn new() -> Self {
        Self::default()
    }

    /// Failed cycles since the last successful one.
    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// Takes in `event` and returns how long from now the next cycle should start.
    pub fn next_attempt_after(&mut self, event: SyncEvent, jitter: &mut impl Jitter) -> Duration {
        match event {
            SyncEvent::Succeeded => {
                self.failures = 0;
                ONLINE_INTERVAL
            }
            SyncEvent::Failed => {
                self.failures = self.failures.saturating_add(1);
                shorten_by_jitter(self.retry_delay(), jitter)
            }
            // A write does not hurry a retry: the full retry delay is never earlier than the
            // pending one, so the host keeps that.
            SyncEvent::LocalWrite if self.failures > 0 => self.retry_delay(),
            SyncEvent::LocalWrite => LOCAL_WRITE_DELAY,
            // Both say the link works now.
            SyncEvent::Poke | SyncEvent::Reconnect => Duration::ZERO,
        }
    }

    /// The full delay after the current run of failures: 5 s doubling, at most 5 min.
    fn retry_delay(&self) -> Duration {
        let doublings = self.failures.saturating_sub(1).min(16);
        FIRST_RETRY.saturating_mul(1 << doublings).min(MAX_RETRY)
    }
}

/// Takes up to a fifth off `delay`.
fn shorten_by_jitter(delay: Duration, jitter: &mut impl Jitter) -> Duration {
    let bound = u64::try_from(delay.as_millis() / 5).unwrap_or(u64::MAX);
    delay.saturating_sub(Duration::from_millis(jitter.up_to(bound).min(bound)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(d: Duration) -> u64 {
        d.as_secs()
    }

    #[test]
    fn failures_wait_five_seconds_doubling_to_five_minutes() {
        let mut schedule = SyncSchedule::new();
        let delays: Vec<u64> =
            (0..9).map(|_| secs(schedule.next_attempt_after(SyncEvent::Failed, &mut NoJitter))).collect();
        assert_eq!(delays, vec![5, 10, 20, 40, 80, 160, 300, 300, 300]);
        assert_eq!(schedule.failures(), 9);
    }

    #[test]
    fn a_success_resets_the_backoff() {
        let mut schedule = SyncSchedule::new();
        for _ in 0..4 {
            schedule.next_attempt_after(SyncEvent::Failed, &mut NoJitter);
        }
        assert_eq!(schedule.next_attempt_after(SyncEvent::Succeeded, &mut NoJitter), ONLINE_INTERVAL);
        assert_eq!(schedule.failures(), 0);
        assert_eq!(schedule.next_attempt_after(SyncEvent::Failed, &mut NoJitter), FIRST_RETRY);
    }

    #[test]
    fn jitter_takes_off_at_most_a_fifth() {
        let mut schedule = SyncSchedule::new();
        let mut most = |bound: u64| bound;
        assert_eq!(schedule.next_attempt_after(SyncEvent::Failed, &mut most), Duration::from_secs(4));
        let mut too_much = |_: u64| u64::MAX;
        assert_eq!(schedule.next_attempt_after(SyncEvent::Failed, &mut too_much), Duration::from_secs(8));
        let mut some = |_: u64| 250;
        assert_eq!(schedule.next_attempt_after(SyncEvent::Failed, &mut some), Duration::from_millis(19_750));
    }

    #[test]
    fn writes_pokes_and_reconnects_while_online() {
        let mut schedule = SyncSchedule::new();
        assert_eq!(schedule.next_attempt_after(SyncEvent::LocalWrite, &mut NoJitter), LOCAL_WRITE_DELAY);
        assert_eq!(schedule.next_attempt_after(SyncEvent::Poke, &mut NoJitter), Duration::ZERO);
        assert_eq!(schedule.next_attempt_after(SyncEvent::Reconnect, &mut NoJitter), Duration::ZERO);
    }

    #[test]
    fn a_write_during_a_backoff_does_not_bring_the_retry_forward() {
        let mut schedule = SyncSchedule::new();
        schedule.next_attempt_after(SyncEvent::Failed, &mut NoJitter);
        let pending = schedule.next_attempt_after(SyncEvent::Failed, &mut |b: u64| b);
        let on_write = schedule.next_attempt_after(SyncEvent::LocalWrite, &mut NoJitter);
        assert_eq!((pending, on_write), (Duration::from_secs(8), Duration::from_secs(10)));
        assert_eq!(schedule.failures(), 2, "a write is neither a success nor a failure");
        assert_eq!(schedule.next_attempt_after(SyncEvent::Reconnect, &mut NoJitter), Duration::ZERO);
    }
}

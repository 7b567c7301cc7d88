/**
 * When to run the next sync cycle, as `crates/sync/src/client/schedule.rs` (docs/SYNC.md, "The
 * client engine"): 1 s after a local write, at once on a poke or a reconnect, every 60 s while
 * online; after a failure 5 s, doubling to 5 min, each shortened by up to a fifth at random so
 * that a fleet of devices that lost the same link do not return in step.
 *
 * The schedule only computes delays; the runner owns the timer. Randomness is injected.
 */

/** The delay after a local write while the link works. */
export const LOCAL_WRITE_DELAY_MS = 1_000;
/** The delay between cycles while online with nothing to send. */
export const ONLINE_INTERVAL_MS = 60_000;
/** The delay after a first failure. */
export const FIRST_RETRY_MS = 5_000;
/** The longest delay after failures. */
export const MAX_RETRY_MS = 300_000;

/** A number of milliseconds in `0..=boundMs` (larger answers count as `boundMs`). */
export type Jitter = (boundMs: number) => number;

/** No randomness: every delay is the full one. */
export const noJitter: Jitter = () => 0;

/** What just happened, as far as the schedule cares. */
export type SyncEvent = 'local-write' | 'poke' | 'reconnect' | 'succeeded' | 'failed';

/** The failures in a row since the last successful cycle, and the delays they lead to. */
export class SyncSchedule {
  private failuresInRow = 0;

  /** Failed cycles since the last successful one. */
  get failures(): number {
    return this.failuresInRow;
  }

  /** Takes in `event` and returns how long from now the next cycle should start, in ms. */
  nextAttemptAfter(event: SyncEvent, jitter: Jitter = noJitter): number {
    switch (event) {
      case 'succeeded':
        this.failuresInRow = 0;
        return ONLINE_INTERVAL_MS;
      case 'failed':
        this.failuresInRow += 1;
        return shortenByJitter(this.retryDelay(), jitter);
      // A write does not hurry a retry: the full retry delay is never earlier than the
      // pending one, so the runner keeps that.
      case 'local-write':
        return this.failuresInRow > 0 ? this.retryDelay() : LOCAL_WRITE_DELAY_MS;
      // Both say the link works now.
      case 'poke':
      case 'reconnect':
        return 0;
    }
  }

  /** The full delay after the current run of failures: 5 s doubling, at most 5 min. */
  private retryDelay(): number {
    const doublings = Math.min(Math.max(this.failuresInRow - 1, 0), 16);
    return Math.min(FIRST_RETRY_MS * 2 ** doublings, MAX_RETRY_MS);
  }
}

/** Takes up to a fifth off `delay`. */
function shortenByJitter(delay: number, jitter: Jitter): number {
  const bound = Math.floor(delay / 5);
  return delay - Math.min(Math.max(jitter(bound), 0), bound);
}

/**
 * When this tab runs the engine: on start after sign-in, when the browser comes back online,
 * when the page is shown again, on a timer (every minute online, backing off after failures:
 * `schedule.ts`), on pokes and after local writes (debounced by the schedule's 1 s).
 *
 * Only one tab syncs at a time: each cycle runs under the Web Lock `bosun-sync:<database>`,
 * asked for `ifAvailable`, so a tab that finds another syncing skips its turn (the others see
 * the replica through Dexie's live queries). The runner keeps one deadline: an event moves it
 * earlier, a finished cycle replaces it.
 */
import { AlreadySyncing, type SyncEngine, type SyncReport } from './engine';
import { ONLINE_INTERVAL_MS, SyncSchedule, type Jitter, type SyncEvent } from './schedule';

/** The part of the Web Locks API the runner uses (`navigator.locks`). */
export interface LockManagerLike {
  request<T>(name: string, options: { ifAvailable: boolean }, callback: (lock: unknown) => Promise<T>): Promise<T>;
}

/** What the runner is doing, for the UI. */
export interface RunnerStatus {
  syncing: boolean;
  /** The last cycle this tab ran. */
  lastReport: SyncReport | null;
}

/** A runner's collaborators, injected so tests control time and tabs. */
export interface RunnerOptions {
  engine: Pick<SyncEngine, 'syncOnce'>;
  /** The Web Lock's name: one per database. */
  lockName: string;
  /** `navigator.locks`; null where the browser has none (every cycle then runs). */
  locks: LockManagerLike | null;
  now?: () => number;
  jitter?: Jitter;
  setTimer?: (run: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  /** Where `online` is heard (window). */
  online?: EventTarget | null;
  /** Where `visibilitychange` is heard, and whether it is visible (document). */
  visibility?: (EventTarget & { visibilityState: DocumentVisibilityState }) | null;
}

/** Runs the engine when the schedule and the events say. */
export class SyncRunner {
  private readonly schedule = new SyncSchedule();
  private readonly listeners = new Set<() => void>();
  private status: RunnerStatus = { syncing: false, lastReport: null };
  private deadline: number | null = null;
  private timer: unknown = null;
  private running = false;
  private again = false;
  /** The earliest delay an event asked for while a cycle ran, applied when it ends. */
  private pendingDelay: number | null = null;
  private stopped = true;
  private readonly now: () => number;
  private readonly setTimer: (run: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;

  constructor(private readonly options: RunnerOptions) {
    this.now = options.now ?? Date.now;
    this.setTimer = options.setTimer ?? ((run, ms) => setTimeout(run, ms));
    this.clearTimer = options.clearTimer ?? ((handle) => { clearTimeout(handle as ReturnType<typeof setTimeout>); });
  }

  /** Starts syncing (at once) and listening to the browser's events. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.options.online?.addEventListener('online', this.onOnline);
    this.options.visibility?.addEventListener('visibilitychange', this.onVisibility);
    this.notify('reconnect');
  }

  /** Stops every timer and listener; a cycle under way finishes. */
  stop(): void {
    this.stopped = true;
    this.options.online?.removeEventListener('online', this.onOnline);
    this.options.visibility?.removeEventListener('visibilitychange', this.onVisibility);
    this.disarm();
  }

  /** Takes in an event: the next cycle comes no later than the schedule says. */
  notify(event: Extract<SyncEvent, 'local-write' | 'poke' | 'reconnect'>): void {
    this.arm(this.schedule.nextAttemptAfter(event, this.options.jitter), false);
  }

  /** The current status. */
  getStatus = (): RunnerStatus => this.status;

  /** Calls `listener` when the status changes; returns the function that stops it. */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /**
   * Runs one cycle now, if no other tab is syncing; a call during a cycle runs another after
   * it. Returns the cycle's report, or null when it did not run.
   */
  async syncNow(): Promise<SyncReport | null> {
    if (this.running) {
      this.again = true;
      return null;
    }
    this.running = true;
    this.disarm();
    let next: number;
    let report: SyncReport | null = null;
    try {
      report = await this.underLock(async () => {
        this.setStatus({ syncing: true });
        try {
          return await this.options.engine.syncOnce();
        } finally {
          this.setStatus({ syncing: false });
        }
      });
      // Null: another tab is syncing; look again a minute later.
      next = report === null ? ONLINE_INTERVAL_MS : this.schedule.nextAttemptAfter(report.failure ? 'failed' : 'succeeded', this.options.jitter);
      if (report) this.setStatus({ lastReport: report });
    } catch (error) {
      if (error instanceof AlreadySyncing) next = ONLINE_INTERVAL_MS;
      else next = this.schedule.nextAttemptAfter('failed', this.options.jitter);
    } finally {
      this.running = false;
    }
    const asked = this.again ? 0 : this.pendingDelay;
    this.again = false;
    this.pendingDelay = null;
    this.arm(asked === null ? next : Math.min(next, asked), true);
    return report;
  }

  private underLock(cycle: () => Promise<SyncReport>): Promise<SyncReport | null> {
    const { locks, lockName } = this.options;
    if (!locks) return cycle();
    return locks.request(lockName, { ifAvailable: true }, async (lock) => (lock ? cycle() : null));
  }

  private readonly onOnline = () => {
    this.notify('reconnect');
  };

  private readonly onVisibility = () => {
    if (this.options.visibility?.visibilityState === 'visible') this.notify('reconnect');
  };

  /** Sets the deadline `delay` ms from now: always when `replace`, else only if earlier. */
  private arm(delay: number, replace: boolean): void {
    if (this.stopped) return;
    if (this.running && !replace) {
      // A cycle is under way: the event's delay counts from its end.
      this.pendingDelay = Math.min(this.pendingDelay ?? delay, delay);
      return;
    }
    const at = this.now() + delay;
    if (!replace && this.deadline !== null && this.deadline <= at) return;
    this.disarm();
    this.deadline = at;
    this.timer = this.setTimer(() => {
      this.timer = null;
      this.deadline = null;
      void this.syncNow();
    }, delay);
  }

  private disarm(): void {
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
    this.deadline = null;
  }

  private setStatus(change: Partial<RunnerStatus>): void {
    this.status = { ...this.status, ...change };
    for (const listener of this.listeners) listener();
  }
}

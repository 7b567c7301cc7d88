import { SyncEngine, type SyncReport } from './engine';
import type { LockManagerLike } from './runner';
import { SyncRunner } from './runner';
import { ScriptedTransport, freshDatabase, page } from './test-support';

/** Web Locks as the browser keeps them: one holder per name; `ifAvailable` gets null when held. */
class FakeLocks implements LockManagerLike {
  private readonly held = new Set<string>();

  async request<T>(name: string, options: { ifAvailable: boolean }, callback: (lock: unknown) => Promise<T>): Promise<T> {
    if (this.held.has(name)) {
      if (options.ifAvailable) return callback(null);
      throw new Error('the fake only grants ifAvailable requests');
    }
    this.held.add(name);
    try {
      return await callback({ name });
    } finally {
      this.held.delete(name);
    }
  }
}

/** A deferred promise, to hold a cycle open. */
function deferred<T>() {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const ok = (): SyncReport => ({
  pushed: 0, applied: 0, skipped: 0, rejected: 0, pages: 1, changes: 0, acknowledged: 0, staleAnswers: 0,
  cookieResets: 0, mismatched: 0, scopeResets: 0, updateRequired: false, failure: null,
});
const failed = (): SyncReport => ({ ...ok(), failure: { kind: 'pull', failure: { kind: 'link', detail: 'down', delivered: false } } });

/** A clock and timers the test moves by hand. */
class ManualTime {
  now = 0;
  private timers: { at: number; run: () => void; handle: number }[] = [];
  private next = 1;
  set = (run: () => void, ms: number) => {
    const handle = this.next++;
    this.timers.push({ at: this.now + ms, run, handle });
    return handle;
  };
  clear = (handle: unknown) => {
    this.timers = this.timers.filter((t) => t.handle !== handle);
  };
  /** When the one timer armed fires, ms from now; null when none is. */
  due(): number | null {
    const [first] = [...this.timers].sort((a, b) => a.at - b.at);
    return first ? first.at - this.now : null;
  }
  /** Moves to the first timer and runs it. */
  fire(): void {
    const [first] = [...this.timers].sort((a, b) => a.at - b.at);
    if (!first) throw new Error('no timer armed');
    this.timers = this.timers.filter((t) => t !== first);
    this.now = first.at;
    first.run();
  }
}

function runnerWith(engine: { syncOnce: () => Promise<SyncReport> }, time: ManualTime, locks: LockManagerLike | null = null) {
  return new SyncRunner({
    engine,
    lockName: 'bosun-sync:test',
    locks,
    now: () => time.now,
    setTimer: time.set,
    clearTimer: time.clear,
    online: null,
    visibility: null,
  });
}

describe('the sync runner', () => {
  test('syncs at once on start, then every minute online, backing off after failures', async () => {
    const time = new ManualTime();
    const results = [ok(), failed(), failed(), ok()];
    const syncOnce = vi.fn(() => Promise.resolve(results.shift() ?? ok()));
    const runner = runnerWith({ syncOnce }, time);
    runner.start();
    expect(time.due()).toBe(0);
    const delays: (number | null)[] = [];
    for (let i = 0; i < 4; i++) {
      time.fire();
      await vi.waitFor(() => {
        expect(syncOnce).toHaveBeenCalledTimes(i + 1);
        expect(runner.getStatus().syncing).toBe(false);
        expect(time.due()).not.toBeNull();
      });
      delays.push(time.due());
    }
    expect(delays).toEqual([60_000, 5_000, 10_000, 60_000]);
    runner.stop();
    expect(time.due()).toBeNull();
  });

  test('a local write brings the next cycle to a second away, a poke to now', async () => {
    const time = new ManualTime();
    const runner = runnerWith({ syncOnce: () => Promise.resolve(ok()) }, time);
    runner.start();
    time.fire();
    await vi.waitFor(() => {
      expect(time.due()).toBe(60_000);
    });
    runner.notify('local-write');
    expect(time.due()).toBe(1_000);
    runner.notify('local-write');
    expect(time.due()).toBe(1_000);
    runner.notify('poke');
    expect(time.due()).toBe(0);
    runner.stop();
  });

  test('a write during a cycle is synced a second after it ends', async () => {
    const time = new ManualTime();
    const hold = deferred<SyncReport>();
    const runner = runnerWith({ syncOnce: () => hold.promise }, time);
    runner.start();
    time.fire();
    await vi.waitFor(() => {
      expect(runner.getStatus().syncing).toBe(true);
    });
    runner.notify('local-write');
    hold.resolve(ok());
    await vi.waitFor(() => {
      expect(time.due()).toBe(1_000);
    });
    runner.stop();
  });

  test('only one tab syncs at a time: the other skips its turn under the Web Lock', async () => {
    const locks = new FakeLocks();
    const db = freshDatabase();
    const transport = new ScriptedTransport();
    const hold = deferred<undefined>();
    const pull = transport.pull.bind(transport);
    // The first tab's pull waits until the test lets it go.
    transport.pull = async (body) => {
      await hold.promise;
      return pull(body);
    };
    transport.answerPull(page('c1', {}, false));
    const time = new ManualTime();
    const first = runnerWith(new SyncEngine(db, transport), time, locks);
    const second = runnerWith(new SyncEngine(db, transport), time, locks);
    const one = first.syncNow();
    await vi.waitFor(() => {
      expect(first.getStatus().syncing).toBe(true);
    });
    expect(await second.syncNow()).toBeNull();
    hold.resolve(undefined);
    expect((await one)?.failure).toBeNull();
    expect(transport.pulls).toHaveLength(1);
    // The lock is free again: the second tab's next turn runs.
    transport.answerPull(page('c2', {}, false));
    expect((await second.syncNow())?.failure).toBeNull();
    expect(transport.pulls.map((p) => p.cookie)).toEqual([null, 'c1']);
  });

  test('the online event and the page shown again sync at once', async () => {
    const time = new ManualTime();
    const win = new EventTarget();
    const shown: { visibilityState: DocumentVisibilityState } = { visibilityState: 'hidden' };
    const doc = Object.assign(new EventTarget(), shown);
    const runner = new SyncRunner({
      engine: { syncOnce: () => Promise.resolve(ok()) },
      lockName: 'x',
      locks: null,
      now: () => time.now,
      setTimer: time.set,
      clearTimer: time.clear,
      online: win,
      visibility: doc,
    });
    runner.start();
    const settle = async () => {
      time.fire();
      await vi.waitFor(() => {
        expect(time.due()).toBe(60_000);
      });
    };
    await settle();
    win.dispatchEvent(new Event('online'));
    expect(time.due()).toBe(0);
    await settle();
    doc.dispatchEvent(new Event('visibilitychange'));
    expect(time.due()).toBe(60_000);
    doc.visibilityState = 'visible';
    doc.dispatchEvent(new Event('visibilitychange'));
    expect(time.due()).toBe(0);
    runner.stop();
  });
});

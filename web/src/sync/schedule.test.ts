import { FIRST_RETRY_MS, LOCAL_WRITE_DELAY_MS, ONLINE_INTERVAL_MS, SyncSchedule } from './schedule';

describe('the sync schedule (as crates/sync/src/client/schedule.rs)', () => {
  test('failures wait five seconds, doubling to five minutes', () => {
    const schedule = new SyncSchedule();
    const delays = Array.from({ length: 9 }, () => schedule.nextAttemptAfter('failed') / 1000);
    expect(delays).toEqual([5, 10, 20, 40, 80, 160, 300, 300, 300]);
    expect(schedule.failures).toBe(9);
  });

  test('a success resets the backoff', () => {
    const schedule = new SyncSchedule();
    for (let i = 0; i < 4; i++) schedule.nextAttemptAfter('failed');
    expect(schedule.nextAttemptAfter('succeeded')).toBe(ONLINE_INTERVAL_MS);
    expect(schedule.failures).toBe(0);
    expect(schedule.nextAttemptAfter('failed')).toBe(FIRST_RETRY_MS);
  });

  test('jitter takes off at most a fifth', () => {
    const schedule = new SyncSchedule();
    expect(schedule.nextAttemptAfter('failed', (bound) => bound)).toBe(4_000);
    expect(schedule.nextAttemptAfter('failed', () => Number.MAX_SAFE_INTEGER)).toBe(8_000);
    expect(schedule.nextAttemptAfter('failed', () => 250)).toBe(19_750);
  });

  test('writes, pokes and reconnects while online', () => {
    const schedule = new SyncSchedule();
    expect(schedule.nextAttemptAfter('local-write')).toBe(LOCAL_WRITE_DELAY_MS);
    expect(schedule.nextAttemptAfter('poke')).toBe(0);
    expect(schedule.nextAttemptAfter('reconnect')).toBe(0);
  });

  test('a write during a backoff does not bring the retry forward', () => {
    const schedule = new SyncSchedule();
    schedule.nextAttemptAfter('failed');
    const pending = schedule.nextAttemptAfter('failed', (bound) => bound);
    const onWrite = schedule.nextAttemptAfter('local-write');
    expect([pending, onWrite]).toEqual([8_000, 10_000]);
    expect(schedule.failures).toBe(2);
    expect(schedule.nextAttemptAfter('reconnect')).toBe(0);
  });
});

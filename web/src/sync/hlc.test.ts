import { HLC_ZERO, hlcParts, mergeHlc, tickHlc } from './hlc';

describe('the hybrid logical clock (as crates/sync/src/hlc.rs)', () => {
  test('ticks follow the wall clock with a zero counter', () => {
    const first = tickHlc(HLC_ZERO, 1_720_000_000_123);
    expect(hlcParts(first)).toEqual({ millis: 1_720_000_000_123, counter: 0 });
    expect(hlcParts(tickHlc(first, 1_720_000_000_200))).toEqual({ millis: 1_720_000_000_200, counter: 0 });
  });

  test('a clock going backwards still ticks forward, and text order is time order', () => {
    const first = tickHlc(HLC_ZERO, 10_000);
    const second = tickHlc(first, 10_000);
    const third = tickHlc(second, 4_000);
    expect(hlcParts(second)).toEqual({ millis: 10_000, counter: 1 });
    expect(hlcParts(third)).toEqual({ millis: 10_000, counter: 2 });
    expect(first < second && second < third).toBe(true);
  });

  test('a full counter carries into the milliseconds', () => {
    const full = ((10_000n << 16n) | 0xffffn).toString(16).padStart(16, '0');
    expect(hlcParts(tickHlc(full, 10_000))).toEqual({ millis: 10_001, counter: 0 });
  });

  test('merging takes the later reading', () => {
    const mine = tickHlc(HLC_ZERO, 5_000);
    const server = tickHlc(HLC_ZERO, 9_000);
    expect(mergeHlc(mine, server)).toBe(server);
    expect(mergeHlc(server, mine)).toBe(server);
    expect(hlcParts(tickHlc(mergeHlc(mine, server), 6_000))).toEqual({ millis: 9_000, counter: 1 });
  });
});

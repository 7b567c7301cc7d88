/**
 * The hybrid logical clock that stamps every queued mutation, as `crates/sync/src/hlc.rs`:
 * 48 bits of milliseconds since the Unix epoch, then a 16-bit counter, written as 16 lowercase
 * hex digits so that text order is time order. A clock never goes backwards: when the wall
 * clock stalls or steps back the counter moves on, and a full counter carries into the
 * milliseconds. The time is always passed in; nothing here reads the wall clock.
 */

const COUNTER_BITS = 16n;
/** The largest millisecond count an HLC holds (about the year 10889). */
export const MAX_MILLIS = (1n << 48n) - 1n;
const MAX = (1n << 64n) - 1n;

/** The earliest reading, before any tick. */
export const HLC_ZERO = '0000000000000000';

/** Reads 16 hex digits, either case; null when the text is not one. */
export function parseHlc(text: string): bigint | null {
  return /^[0-9a-fA-F]{16}$/.test(text) ? BigInt(`0x${text}`) : null;
}

/** Writes a reading as 16 lowercase hex digits. */
export function formatHlc(value: bigint): string {
  return value.toString(16).padStart(16, '0');
}

/** The reading `last` ticked at wall time `nowMs`: later than `last` even when the clock went back. */
export function tickHlc(last: string, nowMs: number): string {
  const previous = parseHlc(last) ?? 0n;
  const millis = BigInt(Math.max(0, Math.floor(nowMs)));
  const wall = (millis < MAX_MILLIS ? millis : MAX_MILLIS) << COUNTER_BITS;
  // Saturates only at the end of year 10889.
  const next = wall > previous ? wall : previous < MAX ? previous + 1n : previous;
  return formatHlc(next);
}

/** Takes in a reading from elsewhere (the server's), so every later tick follows it. */
export function mergeHlc(last: string, remote: string): string {
  const mine = parseHlc(last) ?? 0n;
  const theirs = parseHlc(remote);
  return formatHlc(theirs !== null && theirs > mine ? theirs : mine);
}

/** The milliseconds and counter of a reading. */
export function hlcParts(text: string): { millis: number; counter: number } {
  const value = parseHlc(text) ?? 0n;
  return { millis: Number(value >> COUNTER_BITS), counter: Number(value & 0xffffn) };
}

/**
 * How often a session opened offline tries to reach the server again, besides the browser's
 * `online` event and the page becoming visible: soon at first, then less and less often, so a
 * phone with no signal for hours does not spend its battery on it.
 */

/** The first wait, and the longest. */
const FIRST_DELAY_MS = 2_000;
const LONGEST_DELAY_MS = 60_000;

/** Milliseconds to wait before try number `attempt` (0-based): 2 s, 4 s, 8 s … at most 60 s. */
export function reconnectDelayMs(attempt: number): number {
  return Math.min(LONGEST_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.min(attempt, 10));
}

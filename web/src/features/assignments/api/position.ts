/**
 * "Add my position" on a daily report: an opt-in the device remembers (`localStorage`, no person
 * in it: it is the device's choice), and the browser's geolocation asked only while it is on —
 * never otherwise. The position is rounded to 5 decimals (about a metre): where the machine
 * worked, not more.
 */
import type { Position } from './report-form';

const KEY = 'bosun.report-position';

/** Whether the person chose to add their position on this device. */
export function positionWanted(storage: Pick<Storage, 'getItem'> | null = safeStorage()): boolean {
  try {
    return storage?.getItem(KEY) === 'on';
  } catch {
    return false;
  }
}

/** Remembers the choice on this device. */
export function rememberPositionWanted(on: boolean, storage: Pick<Storage, 'setItem' | 'removeItem'> | null = safeStorage()): void {
  try {
    if (on) storage?.setItem(KEY, 'on');
    else storage?.removeItem(KEY);
  } catch {
    // A browser that keeps nothing asks again next time; the report goes on.
  }
}

function safeStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

/** The browser's geolocation, null where it has none (or in an insecure page). */
const browserGeolocation = (): Geolocation | null => ('geolocation' in navigator ? navigator.geolocation : null);

const round5 = (n: number) => Math.round(n * 100_000) / 100_000;

/** Why no position came. */
export class PositionError extends Error {}

/** Asks the browser where the device is (it asks the person the first time). */
export function currentPosition(geolocation: Pick<Geolocation, 'getCurrentPosition'> | null = browserGeolocation()): Promise<Position & { accuracy: number }> {
  return new Promise((resolve, reject) => {
    if (geolocation === null) {
      reject(new PositionError('This browser cannot tell the position.'));
      return;
    }
    geolocation.getCurrentPosition(
      (p) => {
        resolve({ latitude: round5(p.coords.latitude), longitude: round5(p.coords.longitude), accuracy: p.coords.accuracy });
      },
      (e) => {
        reject(
          new PositionError(
            e.code === e.PERMISSION_DENIED
              ? 'The browser was not allowed to tell the position: the report goes without it (allow it in the browser’s site settings to add it).'
              : 'The position could not be found just now: the report goes without it.',
          ),
        );
      },
      { enableHighAccuracy: true, timeout: 20_000, maximumAge: 60_000 },
    );
  });
}

/** "59.91390° N, 10.75220° E". */
export function formatPosition(latitude: number, longitude: number): string {
  const ns = latitude >= 0 ? 'N' : 'S';
  const ew = longitude >= 0 ? 'E' : 'W';
  return `${Math.abs(latitude).toFixed(5)}° ${ns}, ${Math.abs(longitude).toFixed(5)}° ${ew}`;
}

/**
 * Asking the browser to keep this site's storage through storage pressure
 * (`navigator.storage.persist()`), so unsent work and documents kept for offline use are not
 * evicted. The answer changes nothing the app does, so it is not awaited; browsers without the
 * call, or that refuse it, keep the data as "best effort".
 */

/** Asks once per call; the browser remembers a grant, so asking again is harmless. */
export function askPersistentStorage(): void {
  if ('storage' in navigator && 'persist' in navigator.storage) void navigator.storage.persist().catch(() => false);
}

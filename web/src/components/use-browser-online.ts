/**
 * Whether the browser believes it has a network (`navigator.onLine` and its `online` and
 * `offline` events). "Online" is only a hint — a captive portal or a dead uplink still count —
 * but "offline" is certain.
 */
import { useSyncExternalStore } from 'react';

function subscribe(listener: () => void): () => void {
  window.addEventListener('online', listener);
  window.addEventListener('offline', listener);
  return () => {
    window.removeEventListener('online', listener);
    window.removeEventListener('offline', listener);
  };
}

/** `false` while the browser knows it has no network. */
export function useBrowserOnline(): boolean {
  return useSyncExternalStore(subscribe, () => navigator.onLine);
}

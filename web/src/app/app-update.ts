/**
 * Whether a newer version of the app is waiting in the service worker, and the way to start it.
 * `main.tsx` registers the worker and reports here; the shell offers the reload. Kept apart from
 * the registration (`virtual:pwa-register`) so that components and their tests need no worker.
 */
import { useSyncExternalStore } from 'react';

let waiting: (() => Promise<void>) | null = null;
const listeners = new Set<() => void>();

/** The worker has a new version ready; `activate` switches to it and reloads the page. */
export function reportUpdateWaiting(activate: () => Promise<void>): void {
  waiting = activate;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The function that starts the waiting version, or null while there is none. */
export function useWaitingUpdate(): (() => Promise<void>) | null {
  return useSyncExternalStore(subscribe, () => waiting);
}

/** Forgets a waiting version (tests). */
export function forgetWaitingUpdate(): void {
  waiting = null;
  for (const listener of listeners) listener();
}

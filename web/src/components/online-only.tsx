/**
 * For screens that read and write through the server only (dashboard, administration, audit,
 * import): while Bosun has no link they say so instead of waiting without a word.
 */
import type { ReactNode } from 'react';
import { useSessionOffline } from '../session/session-context';
import { useBrowserOnline } from './use-browser-online';

/** Whether the server is out of reach (the browser is offline, or the session opened offline). */
export function useServerUnreachable(): boolean {
  const browserOnline = useBrowserOnline();
  const sessionOffline = useSessionOffline();
  return sessionOffline || !browserOnline;
}

/** Its children while the server can be reached; otherwise a notice naming what waits. */
export function OnlineOnly({ what, children }: { what: string; children: ReactNode }) {
  if (useServerUnreachable()) {
    return (
      <p className="notice notice--warning" role="status">
        {what} needs a connection to the server. It opens by itself when the connection returns.
      </p>
    );
  }
  return children;
}

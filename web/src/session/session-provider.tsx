/**
 * Holds the session: restores it from the refresh cookie on load, follows renewals and expiry
 * reported by the API client, and signs in and out.
 */
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api as defaultClient, type ApiClient } from '../api/client';
import type { AuthSession } from '../api/types';
import { rememberLastCompany } from './last-company';
import { SessionContext, type SessionState, type SessionValue } from './session-context';

/** Provides the session to the app. */
export function SessionProvider({
  children,
  client = defaultClient,
}: {
  children: ReactNode;
  client?: ApiClient;
}) {
  // The access token is never stored, so every page load starts by trying the refresh cookie.
  const [state, setState] = useState<SessionState>({ status: 'restoring' });

  useEffect(() => {
    const unsubscribe = client.subscribe((event) => {
      if (event.type === 'refreshed') {
        setState({ status: 'signed-in', user: event.session.user });
      } else {
        setState({ status: 'signed-out' });
      }
    });
    // Concurrent refreshes share one request, so React's double effects in development do not
    // spend the refresh token twice.
    client.refresh().catch(() => {
      setState({ status: 'signed-out' });
    });
    return unsubscribe;
  }, [client]);

  const signIn = useCallback(
    (session: AuthSession) => {
      client.adoptSession(session);
      rememberLastCompany(session.user.company.slug);
      setState({ status: 'signed-in', user: session.user });
    },
    [client],
  );

  const signOut = useCallback(async () => {
    try {
      await client.logout();
    } catch {
      // The server may already have ended the session; locally it ends either way.
    }
    setState({ status: 'signed-out' });
  }, [client]);

  const value = useMemo<SessionValue>(() => ({ state, signIn, signOut }), [state, signIn, signOut]);
  return <SessionContext value={value}>{children}</SessionContext>;
}

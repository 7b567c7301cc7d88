/**
 * Holds the session: restores it from the refresh cookie on load, follows renewals, expiry and
 * second-factor enrolment demands reported by the API client, and signs in and out.
 */
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api as defaultClient, type ApiClient } from '../api/client';
import type { AuthSession, OwnCompanyView } from '../api/types';
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
      switch (event.type) {
        case 'refreshed':
          setState(signedIn(event.session));
          break;
        case 'expired':
          setState({ status: 'signed-out' });
          break;
        case 'mfa-enrollment-required':
          setState((s) => (s.status === 'signed-in' ? { ...s, mfaEnrollmentRequired: true } : s));
          break;
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
      setState(signedIn(session));
    },
    [client],
  );

  const markMfaEnrolled = useCallback(() => {
    setState((s) => (s.status === 'signed-in' ? { ...s, mfaEnrollmentRequired: false } : s));
  }, []);

  const updateCompany = useCallback((company: OwnCompanyView) => {
    setState((s) => (s.status === 'signed-in' ? { ...s, user: { ...s.user, company } } : s));
  }, []);

  const signOut = useCallback(async () => {
    try {
      await client.logout();
    } catch {
      // The server may already have ended the session; locally it ends either way.
    }
    setState({ status: 'signed-out', byRequest: true });
  }, [client]);

  const value = useMemo<SessionValue>(
    () => ({ state, signIn, signOut, markMfaEnrolled, updateCompany }),
    [state, signIn, signOut, markMfaEnrolled, updateCompany],
  );
  return <SessionContext value={value}>{children}</SessionContext>;
}

function signedIn(session: AuthSession): SessionState {
  return {
    status: 'signed-in',
    user: session.user,
    mfaEnrollmentRequired: session.mfa_enrollment_required,
  };
}

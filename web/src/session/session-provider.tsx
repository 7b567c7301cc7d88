/**
 * Holds the session: restores it on load, follows renewals, expiry and second-factor enrolment
 * demands reported by the API client, and signs in and out.
 *
 * On load the refresh cookie is tried; the sign-in page waits for it only when a session is
 * kept on this device (without one, it shows at once). When the server cannot be reached (no network, or it
 * answers with a server error), the session kept on this device opens "offline" and the refresh
 * is tried again when the browser comes back online, when the page is shown again, and on a
 * timer that waits longer each time. Only the server refusing the refresh token (401 or 403:
 * revoked, expired) ends the session and forgets the kept one; signing out forgets it too, and
 * a sign-out the server could not be told of is sent as soon as it can be.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { ApiError, api as defaultClient, type ApiClient } from '../api/client';
import type { AuthSession, OwnCompanyView } from '../api/types';
import { rememberLastCompany } from './last-company';
import { reconnectDelayMs } from './reconnect';
import { SessionContext, type SessionState, type SessionValue } from './session-context';
import {
  forgetStoredSession,
  hasPendingLogout,
  readStoredSession,
  setPendingLogout,
  storeSession,
} from './stored-session';

/** Whether the server answered the refresh with a refusal (rather than not at all). */
function isRefusal(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 401 || error.status === 403);
}

/** Whether a request failed because the server could not be reached or could not answer. */
function isUnreachable(error: unknown): boolean {
  return error instanceof ApiError && (error.isNetworkError || error.status >= 500);
}

/** Provides the session to the app; `onSignedOut` runs whenever a session ends. */
export function SessionProvider({
  children,
  client = defaultClient,
  onSignedOut,
}: {
  children: ReactNode;
  client?: ApiClient;
  onSignedOut?: () => void;
}) {
  // Signed out while offline: the cookie's session is ended on the server before anything
  // else, and is never restored from it.
  const [logoutPendingAtLoad] = useState(hasPendingLogout);
  const [logoutPending, setLogoutPending] = useState(logoutPendingAtLoad);
  // The access token is never stored, so every page load starts by trying the refresh cookie.
  // Only a device that kept a session waits for it ("Opening Bosun…"); on one that kept none
  // the refresh is most likely refused, so the sign-in page shows at once (the guards), and a
  // cookie that does bring a session back takes the person on from there.
  const [state, setState] = useState<SessionState>(() =>
    logoutPendingAtLoad
      ? { status: 'signed-out', byRequest: true }
      : { status: 'restoring', sessionKept: readStoredSession() !== null },
  );

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
    if (logoutPendingAtLoad) return unsubscribe;
    // Concurrent refreshes share one request, so React's double effects in development do not
    // spend the refresh token twice.
    client.refresh().catch((error: unknown) => {
      const stored = isRefusal(error) ? null : readStoredSession();
      // Only a restore still waiting is settled here: a person signed in meanwhile (on the
      // sign-in page shown while the refresh ran) stays signed in.
      setState((current) => {
        if (current.status !== 'restoring') return current;
        return stored === null
          ? { status: 'signed-out' }
          : { status: 'signed-in', user: stored.user, mfaEnrollmentRequired: stored.mfaEnrollmentRequired, offline: true };
      });
    });
    return unsubscribe;
  }, [client, logoutPendingAtLoad]);

  // A sign-out the server has not heard of is sent now, and again whenever the browser comes
  // back online, until the server answers.
  useEffect(() => {
    if (!logoutPending) return;
    let stopped = false;
    const settle = () => {
      if (stopped) return;
      setPendingLogout(false);
      setLogoutPending(false);
    };
    const send = () => {
      client.logout().then(settle, (error: unknown) => {
        if (!isUnreachable(error)) settle();
      });
    };
    send();
    window.addEventListener('online', send);
    return () => {
      stopped = true;
      window.removeEventListener('online', send);
    };
  }, [logoutPending, client]);

  // What is kept on the device follows the session. `onSignedOut` runs when a session ends,
  // not when a load finds none: pages open without one (an invitation) are loading already.
  const wasSignedIn = useRef(false);
  useEffect(() => {
    if (state.status === 'signed-in') {
      storeSession({ user: state.user, mfaEnrollmentRequired: state.mfaEnrollmentRequired });
      wasSignedIn.current = true;
    } else if (state.status === 'signed-out') {
      forgetStoredSession();
      if (wasSignedIn.current) onSignedOut?.();
      wasSignedIn.current = false;
    }
  }, [state, onSignedOut]);

  const offline = state.status === 'signed-in' && state.offline;
  useEffect(() => {
    if (!offline) return;
    let attempt = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const schedule = () => {
      timer = setTimeout(tryNow, reconnectDelayMs(attempt));
      attempt += 1;
    };
    // A success or a refusal changes the session (through the client's events), which ends
    // this effect; anything else waits for the next chance.
    function tryNow() {
      clearTimeout(timer);
      client.refresh().catch((error: unknown) => {
        if (!stopped && !isRefusal(error)) schedule();
      });
    }
    const onVisible = () => {
      if (document.visibilityState === 'visible') tryNow();
    };
    window.addEventListener('online', tryNow);
    document.addEventListener('visibilitychange', onVisible);
    schedule();
    return () => {
      stopped = true;
      clearTimeout(timer);
      window.removeEventListener('online', tryNow);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [offline, client]);

  const signIn = useCallback(
    (session: AuthSession) => {
      client.adoptSession(session);
      rememberLastCompany(session.user.company.slug);
      // The new session's cookie replaced the one a pending sign-out was about.
      setPendingLogout(false);
      setLogoutPending(false);
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
    } catch (error) {
      // Not heard by the server: sent again on the next load. Any answer from it (such as a
      // session that had already ended) is as good as done.
      if (isUnreachable(error)) {
        setPendingLogout(true);
        setLogoutPending(true);
      }
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
    offline: false,
  };
}

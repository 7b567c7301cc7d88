/**
 * The session the whole app shares: who is signed in, and the ways to change that.
 */
import { createContext, useContext } from 'react';
import type { AuthSession, OwnCompanyView, Role, UserView } from '../api/types';

/**
 * Where the session stands; `restoring` while the refresh cookie is being tried on load,
 * `sessionKept` when this device kept a session (see `stored-session.ts`): only then do the
 * pages for the signed-out wait for it, since without one the refresh is most likely refused.
 * `mfaEnrollmentRequired`: the company requires a second factor the person has not set up
 * yet, and until they do the server answers nothing but their own account. `offline`: the
 * session was opened from the one kept on this device because the server could not be reached;
 * there is no access token until the link returns and the refresh succeeds. `byRequest`: the
 * person signed out (rather than the session running out), so nothing is kept to return to.
 */
export type SessionState =
  | { status: 'restoring'; sessionKept: boolean }
  | { status: 'signed-out'; byRequest?: boolean }
  | { status: 'signed-in'; user: UserView; mfaEnrollmentRequired: boolean; offline: boolean };

/** The session and its actions. */
export interface SessionValue {
  state: SessionState;
  /** Starts the session that login (or accepting an invitation) returned. */
  signIn: (session: AuthSession) => void;
  /** Ends the session on the server and here. */
  signOut: () => Promise<void>;
  /** The person has set up a second factor: the rest of the app opens up. */
  markMfaEnrolled: () => void;
  /** The company changed (e.g. its security settings), as the server answered it. */
  updateCompany: (company: OwnCompanyView) => void;
}

export const SessionContext = createContext<SessionValue | null>(null);

/** The current session; only inside `<SessionProvider>`. */
export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (value === null) throw new Error('useSession is used outside <SessionProvider>');
  return value;
}

/** The signed-in person; only under a route that requires a session. */
export function useSignedInUser(): UserView {
  const { state } = useSession();
  if (state.status !== 'signed-in') throw new Error('useSignedInUser is used without a session');
  return state.user;
}

/** Whether the person must set up a second factor before anything else. */
export function useMfaEnrollmentRequired(): boolean {
  const { state } = useSession();
  return state.status === 'signed-in' && state.mfaEnrollmentRequired;
}

/** Whether the session was opened offline and waits for the server. */
export function useSessionOffline(): boolean {
  const { state } = useSession();
  return state.status === 'signed-in' && state.offline;
}

/** The signed-in person's role, or `null` without a session (or outside `<SessionProvider>`). */
export function useSignedInRole(): Role | null {
  const value = useContext(SessionContext);
  return value?.state.status === 'signed-in' ? value.state.user.role : null;
}

/**
 * The session the whole app shares: who is signed in, and the two ways to change that.
 */
import { createContext, useContext } from 'react';
import type { AuthSession, UserView } from '../api/types';

/** Where the session stands; `restoring` while the refresh cookie is being tried on load. */
export type SessionState =
  | { status: 'restoring' }
  | { status: 'signed-out' }
  | { status: 'signed-in'; user: UserView };

/** The session and its actions. */
export interface SessionValue {
  state: SessionState;
  /** Starts the session that login returned. */
  signIn: (session: AuthSession) => void;
  /** Ends the session on the server and here. */
  signOut: () => Promise<void>;
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

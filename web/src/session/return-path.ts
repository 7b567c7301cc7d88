/**
 * Where a person goes once signed in: back to the page the sign-in guard sent them away from
 * (kept in the router's location state as `from`), else the vessels. A scanned equipment label
 * (`/q/{code}`) opened without a session comes back this way.
 */

/** The start page of a signed-in person. */
export const SIGNED_IN_HOME = '/vessels';

/** The fleet dashboard: home (`/`) for roles that read analytics. */
export const DASHBOARD_PATH = '/dashboard';

/** The person's own account, where a second factor is set up. */
export const ACCOUNT_PATH = '/account';

/** The location state the guard leaves on `/login`. */
export interface ReturnState {
  from: string;
}

/** The path to return to from `state`; only paths inside the app, never back to `/login`. */
export function returnPathFrom(state: unknown): string {
  if (typeof state === 'object' && state !== null && 'from' in state) {
    const from = state.from;
    if (typeof from === 'string' && from.startsWith('/') && !from.startsWith('//') && !from.startsWith('/login')) {
      return from;
    }
  }
  return SIGNED_IN_HOME;
}

/**
 * Where a session just opened goes: to set up a second factor when the company requires one
 * the person lacks (nothing else would answer), else back as `returnPathFrom(state)` says.
 */
export function pathAfterSignIn(session: { mfa_enrollment_required: boolean }, state: unknown): string {
  return session.mfa_enrollment_required ? ACCOUNT_PATH : returnPathFrom(state);
}

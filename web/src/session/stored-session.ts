/**
 * The last signed-in person on this device, kept so that the app opens signed in when a reload
 * finds no network: who they are, their company and its branding, and whether the company
 * waits for them to set up a second factor. Nothing secret is kept — never the access token
 * (memory only) nor the refresh token (an HttpOnly cookie scripts cannot read).
 *
 * Also kept: that the person signed out while the server could not be told, so the refresh
 * cookie still held by the browser is ended on the server as soon as it can be, and never
 * brings the session back.
 */
import type { UserView } from '../api/types';

const SESSION_KEY = 'bosun.session';
const PENDING_LOGOUT_KEY = 'bosun.pending-logout';
/** Bumped when the stored shape changes; an older shape is ignored. */
const FORMAT = 1;

/** What is kept of a session. */
export interface StoredSession {
  user: UserView;
  mfaEnrollmentRequired: boolean;
}

interface Stored extends StoredSession {
  format: number;
}

/** The stored session, if there is one this version can read. */
export function readStoredSession(): StoredSession | null {
  let text: string | null;
  try {
    text = localStorage.getItem(SESSION_KEY);
  } catch {
    return null;
  }
  if (text === null) return null;
  try {
    const parsed: unknown = JSON.parse(text);
    return isStored(parsed) ? { user: parsed.user, mfaEnrollmentRequired: parsed.mfaEnrollmentRequired } : null;
  } catch {
    return null;
  }
}

/** Keeps the session for the next load. */
export function storeSession(session: StoredSession): void {
  const stored: Stored = { format: FORMAT, user: session.user, mfaEnrollmentRequired: session.mfaEnrollmentRequired };
  try {
    localStorage.setItem(SESSION_KEY, JSON.stringify(stored));
  } catch {
    // Storage full or blocked: the app still works online, it only cannot open offline.
  }
}

/** Forgets the stored session (signed out, or the server ended it). */
export function forgetStoredSession(): void {
  try {
    localStorage.removeItem(SESSION_KEY);
  } catch {
    // Nothing stored that we could remove.
  }
}

/** Whether a sign-out still has to reach the server. */
export function hasPendingLogout(): boolean {
  try {
    return localStorage.getItem(PENDING_LOGOUT_KEY) !== null;
  } catch {
    return false;
  }
}

/** Records (or, with `false`, clears) a sign-out the server has not heard of yet. */
export function setPendingLogout(pending: boolean): void {
  try {
    if (pending) localStorage.setItem(PENDING_LOGOUT_KEY, '1');
    else localStorage.removeItem(PENDING_LOGOUT_KEY);
  } catch {
    // Blocked storage: the server-side session then ends when its refresh token expires.
  }
}

/** Enough of the shape to rely on: the fields the shell and the guards read. */
function isStored(value: unknown): value is Stored {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  if (record.format !== FORMAT || typeof record.mfaEnrollmentRequired !== 'boolean') return false;
  const user = record.user;
  if (typeof user !== 'object' || user === null) return false;
  const u = user as Record<string, unknown>;
  const company = u.company;
  return (
    typeof u.id === 'string' &&
    typeof u.name === 'string' &&
    typeof u.role === 'string' &&
    typeof company === 'object' &&
    company !== null &&
    typeof (company as Record<string, unknown>).branding === 'object'
  );
}

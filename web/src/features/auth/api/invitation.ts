/**
 * An invitation link (`{public_url}/invite#<token>`): what it invites to, and accepting it —
 * with the password of the email's Bosun login, or the password of a new one.
 */
import { api } from '../../../api/client';
import type { AuthSession, InvitationPreview } from '../../../api/types';

/** `POST /api/v1/invitations/lookup`: `409 invitation_invalid` when used, withdrawn or expired. */
export function lookupInvitation(token: string, signal?: AbortSignal): Promise<InvitationPreview> {
  return api.post<InvitationPreview>('/api/v1/invitations/lookup', {
    body: { token },
    auth: false,
    ...(signal ? { signal } : {}),
  });
}

/** What accepting sends. */
export interface Acceptance {
  token: string;
  password: string;
  /** A new login's name; the company's name for the person when left out. */
  name?: string | undefined;
  /** The existing login's second-factor code, once the server asked for it. */
  mfaCode?: string | undefined;
}

/** `POST /api/v1/invitations/accept`: answers a session, like login. */
export function acceptInvitation(acceptance: Acceptance): Promise<AuthSession> {
  const body: Record<string, string> = { token: acceptance.token, password: acceptance.password };
  if (acceptance.name) body.name = acceptance.name;
  if (acceptance.mfaCode) body.mfa_code = acceptance.mfaCode;
  return api.post<AuthSession>('/api/v1/invitations/accept', { body, auth: false });
}


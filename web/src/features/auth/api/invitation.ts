/**
 * An invitation link (`{public_url}/invite#<token>`): what it invites to, and accepting it —
 * with the password of the email's Bosun login, or the password of a new one.
 */
import { useQuery } from '@tanstack/react-query';
import { answer, api } from '../../../api/client';
import { load } from '../../../api/query';
import type { AuthSession, InvitationPreview } from '../../../api/types';

/** `POST /api/v1/invitations/lookup`: `409 invitation_invalid` when used, withdrawn or expired. */
export function lookupInvitation(token: string, signal?: AbortSignal): Promise<InvitationPreview> {
  return answer(api.public.POST('/api/v1/invitations/lookup', { body: { token }, ...(signal ? { signal } : {}) }));
}

/** What the link invites to; nothing is asked without a token. */
export function useInvitationPreview(token: string | null) {
  return useQuery({
    queryKey: ['invitation', token],
    queryFn: load('Could not open the invitation', (signal) => lookupInvitation(token ?? '', signal)),
    enabled: token !== null,
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
  return answer(
    api.public.POST('/api/v1/invitations/accept', {
      body: {
        token: acceptance.token,
        password: acceptance.password,
        ...(acceptance.name ? { name: acceptance.name } : {}),
        ...(acceptance.mfaCode ? { mfa_code: acceptance.mfaCode } : {}),
      },
    }),
  );
}

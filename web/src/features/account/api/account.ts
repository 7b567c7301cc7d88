/**
 * The signed-in person's own account: password, sessions and second factor (`/me/...`). These
 * routes answer even while the company waits for the person to set up a second factor.
 */
import { useQuery } from '@tanstack/react-query';
import { answer, api, noAnswer } from '../../../api/client';
import { load } from '../../../api/query';
import type { MfaStatusView, SessionView, TotpEnrolmentView } from '../../../api/types';

const signalOf = (signal?: AbortSignal) => (signal ? { signal } : {});

/** `PUT /api/v1/me/password`: every other session of the login ends. */
export function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  return noAnswer(
    api.PUT('/api/v1/me/password', { body: { current_password: currentPassword, new_password: newPassword } }),
  );
}

/** `GET /api/v1/me/sessions`: most recently used first. */
export async function listSessions(signal?: AbortSignal): Promise<SessionView[]> {
  const list = await answer(api.GET('/api/v1/me/sessions', signalOf(signal)));
  return list.items;
}

/** The query key of the person's sessions. */
export const SESSIONS_KEY = ['me', 'sessions'] as const;

/** The person's sessions in the query cache. */
export function useSessions() {
  return useQuery({
    queryKey: SESSIONS_KEY,
    queryFn: load('Could not load your sessions', listSessions),
  });
}

/** `DELETE /api/v1/me/sessions/{id}`: signs that device out. */
export function endSession(id: string): Promise<void> {
  return noAnswer(api.DELETE('/api/v1/me/sessions/{id}', { params: { path: { id } } }));
}

/** `GET /api/v1/me/mfa`. */
export function getSecondFactor(signal?: AbortSignal): Promise<MfaStatusView> {
  return answer(api.GET('/api/v1/me/mfa', signalOf(signal)));
}

/** The query key of the person's second factor. */
export const SECOND_FACTOR_KEY = ['me', 'mfa'] as const;

/** Where the person's second factor stands, in the query cache. */
export function useSecondFactor() {
  return useQuery({
    queryKey: SECOND_FACTOR_KEY,
    queryFn: load('Could not load your second factor', getSecondFactor),
  });
}

/** `POST /api/v1/me/mfa/totp`: a new seed (starting over an unfinished set-up). */
export function beginTotp(): Promise<TotpEnrolmentView> {
  return answer(api.POST('/api/v1/me/mfa/totp'));
}

/** `POST /api/v1/me/mfa/totp/confirm`: the factor is on; the recovery codes come this once. */
export async function confirmTotp(code: string): Promise<string[]> {
  const codes = await answer(api.POST('/api/v1/me/mfa/totp/confirm', { body: { code } }));
  return codes.recovery_codes;
}

/** `DELETE /api/v1/me/mfa`: needs the password and a code; other sessions end. */
export function turnOffSecondFactor(password: string, code: string): Promise<void> {
  return noAnswer(api.DELETE('/api/v1/me/mfa', { body: { password, code } }));
}

/** `POST /api/v1/me/mfa/recovery-codes`: new codes; the old ones stop working. */
export async function renewRecoveryCodes(password: string): Promise<string[]> {
  const codes = await answer(api.POST('/api/v1/me/mfa/recovery-codes', { body: { password } }));
  return codes.recovery_codes;
}

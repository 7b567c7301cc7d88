/**
 * The signed-in person's own account: password, sessions and second factor (`/me/...`). These
 * routes answer even while the company waits for the person to set up a second factor.
 */
import { api } from '../../../api/client';
import type { MfaStatusView, RecoveryCodesView, SessionView, TotpEnrolmentView } from '../../../api/types';

const signalOf = (signal?: AbortSignal) => (signal ? { signal } : {});

/** `PUT /api/v1/me/password`: every other session of the login ends. */
export function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  return api.put<undefined>('/api/v1/me/password', {
    body: { current_password: currentPassword, new_password: newPassword },
  });
}

/** `GET /api/v1/me/sessions`: most recently used first. */
export async function listSessions(signal?: AbortSignal): Promise<SessionView[]> {
  const list = await api.get<{ items: SessionView[] }>('/api/v1/me/sessions', signalOf(signal));
  return list.items;
}

/** `DELETE /api/v1/me/sessions/{id}`: signs that device out. */
export function endSession(id: string): Promise<void> {
  return api.delete<undefined>(`/api/v1/me/sessions/${encodeURIComponent(id)}`);
}

/** `GET /api/v1/me/mfa`. */
export function getSecondFactor(signal?: AbortSignal): Promise<MfaStatusView> {
  return api.get<MfaStatusView>('/api/v1/me/mfa', signalOf(signal));
}

/** `POST /api/v1/me/mfa/totp`: a new seed (starting over an unfinished set-up). */
export function beginTotp(): Promise<TotpEnrolmentView> {
  return api.post<TotpEnrolmentView>('/api/v1/me/mfa/totp');
}

/** `POST /api/v1/me/mfa/totp/confirm`: the factor is on; the recovery codes come this once. */
export async function confirmTotp(code: string): Promise<string[]> {
  const answer = await api.post<RecoveryCodesView>('/api/v1/me/mfa/totp/confirm', { body: { code } });
  return answer.recovery_codes;
}

/** `DELETE /api/v1/me/mfa`: needs the password and a code; other sessions end. */
export function turnOffSecondFactor(password: string, code: string): Promise<void> {
  return api.delete<undefined>('/api/v1/me/mfa', { body: { password, code } });
}

/** `POST /api/v1/me/mfa/recovery-codes`: new codes; the old ones stop working. */
export async function renewRecoveryCodes(password: string): Promise<string[]> {
  const answer = await api.post<RecoveryCodesView>('/api/v1/me/mfa/recovery-codes', { body: { password } });
  return answer.recovery_codes;
}

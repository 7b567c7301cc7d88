/**
 * A forgotten password: asking for a reset link by e-mail, and setting a new password with it.
 */
import { api, noAnswer } from '../../../api/client';

/** `POST /api/v1/auth/password-reset`: answered alike whether or not the email has a login. */
export function requestPasswordReset(email: string): Promise<void> {
  return noAnswer(api.public.POST('/api/v1/auth/password-reset', { body: { email } }));
}

/** `POST /api/v1/auth/password-reset/confirm`: `409 reset_invalid` when the link was used or expired. */
export function resetPassword(token: string, password: string): Promise<void> {
  return noAnswer(api.public.POST('/api/v1/auth/password-reset/confirm', { body: { token, password } }));
}

/**
 * Signing in with email and password, and saying why it failed in words a person can act on.
 */
import { ApiError, api } from '../../../api/client';
import type { AuthSession } from '../../../api/types';

/** What the login form sends. */
export interface Credentials {
  email: string;
  password: string;
  /** Company slug; needed when the email belongs to more than one company. */
  company?: string | undefined;
}

/** `POST /api/v1/auth/login`. */
export function login(credentials: Credentials): Promise<AuthSession> {
  const body: Record<string, string> = { email: credentials.email, password: credentials.password };
  if (credentials.company) body.company = credentials.company;
  return api.post<AuthSession>('/api/v1/auth/login', { body, auth: false });
}

/** Why login failed, for the alert under the form. */
export interface LoginFailure {
  message: string;
  /** The person must name the company they mean. */
  needsCompany: boolean;
}

/** Turns a login error into a message for the person at the form. */
export function describeLoginFailure(error: unknown): LoginFailure {
  if (!(error instanceof ApiError)) {
    return { message: 'Something went wrong. Please try again.', needsCompany: false };
  }
  if (error.status === 401 || error.code === 'invalid_credentials') {
    return { message: 'Email or password is wrong.', needsCompany: false };
  }
  if (error.status === 429 || error.code === 'too_many_attempts') {
    const wait = error.retryAfterSeconds;
    return {
      message:
        wait === undefined
          ? 'Too many attempts, try again in a minute.'
          : `Too many attempts, try again in ${wait} s.`,
      needsCompany: false,
    };
  }
  if (error.code === 'company_required') {
    return {
      message: 'This email belongs to more than one company. Enter the company code to sign in.',
      needsCompany: true,
    };
  }
  const fields = error.problem.errors?.map((violation) => violation.message) ?? [];
  const parts = [error.problem.title, error.problem.detail, ...fields].filter(Boolean);
  return { message: parts.join(' — '), needsCompany: false };
}

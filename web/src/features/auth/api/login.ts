/**
 * Signing in with email and password (and a second-factor code when the login has one), and
 * saying why it failed in words a person can act on.
 */
import { ApiError, answer, api } from '../../../api/client';
import type { AuthSession } from '../../../api/types';

/** What the login form sends. */
export interface Credentials {
  email: string;
  password: string;
  /** Company slug; needed when the email belongs to more than one company. */
  company?: string | undefined;
  /** A code from the authenticator app or a recovery code, once the server asked for one. */
  mfaCode?: string | undefined;
}

/** `POST /api/v1/auth/login`. */
export function login(credentials: Credentials): Promise<AuthSession> {
  return answer(
    api.public.POST('/api/v1/auth/login', {
      body: {
        email: credentials.email,
        password: credentials.password,
        ...(credentials.company ? { company: credentials.company } : {}),
        ...(credentials.mfaCode ? { mfa_code: credentials.mfaCode } : {}),
      },
    }),
  );
}

/** Why login failed, for the alert under the form. */
export interface LoginFailure {
  message: string;
  /** The person must name the company they mean. */
  needsCompany: boolean;
  /** The password was right; the login has a second factor whose code is needed. */
  needsCode: boolean;
}

/** Turns a login error into a message for the person at the form. */
export function describeLoginFailure(error: unknown): LoginFailure {
  const failure = (message: string, more: Partial<LoginFailure> = {}): LoginFailure => ({
    message,
    needsCompany: false,
    needsCode: false,
    ...more,
  });
  if (!(error instanceof ApiError)) return failure('Something went wrong. Please try again.');
  if (error.code === 'mfa_required') {
    return failure('Your login has a second factor: enter the code from your authenticator app.', {
      needsCode: true,
    });
  }
  if (error.code === 'invalid_mfa_code') {
    return failure('That code is wrong or was already used. Enter the code the app shows now.', {
      needsCode: true,
    });
  }
  if (error.status === 401 || error.code === 'invalid_credentials') {
    return failure('Email or password is wrong.');
  }
  if (error.status === 429 || error.code === 'too_many_attempts') {
    const wait = error.retryAfterSeconds;
    return failure(
      wait === undefined ? 'Too many attempts, try again in a minute.' : `Too many attempts, try again in ${wait} s.`,
    );
  }
  if (error.code === 'company_required') {
    return failure('This email belongs to more than one company. Enter the company code to sign in.', {
      needsCompany: true,
    });
  }
  const fields = error.problem.errors?.map((violation) => violation.message) ?? [];
  const parts = [error.problem.title, error.problem.detail, ...fields].filter(Boolean);
  return failure(parts.join(' — '));
}

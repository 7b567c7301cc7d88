import { describe, expect, it } from 'vitest';
import { userOf } from '../test/mock-api';
import { reconnectDelayMs } from './reconnect';
import { forgetStoredSession, readStoredSession, storeSession } from './stored-session';

describe('stored session', () => {
  it('keeps who signed in and reads it back', () => {
    storeSession({ user: userOf('admin', 'Lars Eide'), mfaEnrollmentRequired: true });
    expect(readStoredSession()).toEqual({ user: userOf('admin', 'Lars Eide'), mfaEnrollmentRequired: true });
    forgetStoredSession();
    expect(readStoredSession()).toBeNull();
  });

  it('ignores what it cannot read: malformed, another format, a shape without a company', () => {
    for (const text of [
      '{',
      'null',
      JSON.stringify({ format: 99, user: userOf('crew'), mfaEnrollmentRequired: false }),
      JSON.stringify({ format: 1, user: { ...userOf('crew'), company: null }, mfaEnrollmentRequired: false }),
      JSON.stringify({ format: 1, user: userOf('crew') }),
    ]) {
      localStorage.setItem('bosun.session', text);
      expect(readStoredSession()).toBeNull();
    }
  });
});

describe('reconnect delay', () => {
  it('doubles from 2 s up to a minute', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 50].map(reconnectDelayMs)).toEqual([
      2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000,
    ]);
  });
});

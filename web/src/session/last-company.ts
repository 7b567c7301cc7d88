/**
 * The company a person last signed in to on this device, so that `/login` shows its branding
 * without the `?company=` link. Only the public slug is stored, never a token.
 */
const KEY = 'bosun.last-company';

/** The remembered company slug, if any (storage may be unavailable, e.g. in private mode). */
export function readLastCompany(): string | null {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

/** Remembers the company slug for the next visit. */
export function rememberLastCompany(slug: string): void {
  try {
    localStorage.setItem(KEY, slug);
  } catch {
    // Storage full or blocked: the person types the link again next time.
  }
}

/** Forgets the company slug, e.g. when the server no longer knows it. */
export function forgetLastCompany(): void {
  try {
    localStorage.removeItem(KEY);
  } catch {
    // Nothing stored that we could remove.
  }
}

/**
 * The token of an e-mailed link. Invitation and password-reset links carry it after `#`, which
 * the browser never sends to a server (nor in a `Referer`).
 */

/** The token in a location's hash (`#<token>`), or null when there is none. */
export function tokenFromHash(hash: string): string | null {
  let token = hash.replace(/^#/, '');
  try {
    token = decodeURIComponent(token);
  } catch {
    // Not percent-encoded after all: use it as it is.
  }
  token = token.trim();
  return token === '' ? null : token;
}

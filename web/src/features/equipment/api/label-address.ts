/**
 * What a scanned or typed label says: Bosun labels encode `{public_url}/q/{code}`, the code ten
 * characters of Crockford's base32 (`parse_qr_code` in crates/domain/src/equipment.rs, whose
 * reading rules are repeated here: case ignored, hyphens and spaces dropped, I and L read as 1,
 * O as 0).
 */

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Characters in an equipment QR code. */
const CODE_LENGTH = 10;

/** The code as the server stores it, or null when `text` cannot be one. */
export function parseQrCode(text: string): string | null {
  let code = '';
  for (const raw of text.replace(/[-\s]/g, '')) {
    const c = raw.toUpperCase();
    const read = c === 'I' || c === 'L' ? '1' : c === 'O' ? '0' : c;
    if (!CROCKFORD.includes(read)) return null;
    code += read;
  }
  return code.length === CODE_LENGTH ? code : null;
}

/**
 * The label code in what a scanner decoded or a person typed: a label address (any host: the
 * server's public URL is its own setting) whose path is `/q/{code}`, or the code alone.
 * Null for anything else — not a Bosun label.
 */
export function labelCode(text: string): string | null {
  const trimmed = text.trim();
  if (/^https?:\/\//i.test(trimmed)) {
    let url: URL;
    try {
      url = new URL(trimmed);
    } catch {
      return null;
    }
    const match = /^(?:\/.*)?\/q\/([^/]+)\/?$/.exec(url.pathname);
    return match?.[1] ? parseQrCode(decodeURIComponent(match[1])) : null;
  }
  return parseQrCode(trimmed);
}

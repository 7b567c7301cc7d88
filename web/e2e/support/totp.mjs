// @ts-check
/**
 * RFC 6238 time-based one-time codes (SHA-1, six digits, 30-second steps), what an
 * authenticator app would show: for the browser tests that set up and use a second factor.
 */
import { createHmac } from 'node:crypto';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/**
 * The bytes of an RFC 4648 base32 text (spaces and padding ignored).
 * @param {string} text
 */
export function base32Decode(text) {
  const clean = text.replace(/[\s=]/g, '').toUpperCase();
  /** @type {number[]} */
  const bytes = [];
  let buffer = 0;
  let bits = 0;
  for (const char of clean) {
    const value = BASE32.indexOf(char);
    if (value < 0) throw new Error(`not base32: ${char}`);
    buffer = ((buffer << 5) | value) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((buffer >> bits) & 0xff);
    }
  }
  return Buffer.from(bytes);
}

/**
 * The 30-second step a moment falls in.
 * @param {number} [now] milliseconds since the epoch
 */
export function totpStep(now = Date.now()) {
  return Math.floor(now / 1000 / 30);
}

/**
 * The six-digit code of `secret` (base32) for a time step (RFC 4226 dynamic truncation).
 * @param {string} secret
 * @param {number} step
 */
export function totpCode(secret, step) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  const number = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(number).padStart(6, '0');
}

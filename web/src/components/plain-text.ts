/**
 * Text as the server counts and checks it (crates/domain `check_text`, `check_long_text`):
 * characters are Unicode scalar values, not UTF-16 units, counted once trimmed; a one-line text
 * holds no control character, a long one none but line breaks and tabs. Shared by the forms
 * that send titles and descriptions (work orders, procedures).
 */

/** Characters as the server counts them (Unicode scalar values, not UTF-16 units), trimmed. */
export const charCount = (v: string) => Array.from(v.trim()).length;

/** Whether `v` holds a control character (Rust's `char::is_control`), but those `allowed`. */
export function hasControl(v: string, allowed: readonly string[] = []): boolean {
  return Array.from(v.trim()).some((c) => {
    const code = c.codePointAt(0) ?? 0;
    return (code <= 0x1f || (code >= 0x7f && code <= 0x9f)) && !allowed.includes(c);
  });
}

/** The line breaks and tabs a description may hold. */
export const LONG_TEXT_ALLOWED = ['\n', '\r', '\t'] as const;

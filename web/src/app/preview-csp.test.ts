/**
 * `vite preview` sends the server's Content-Security-Policy (vite.config.ts) so the browser tests
 * of a preview build run under the rules the embedded app gets; this keeps the copy from
 * drifting from crates/http/src/lib.rs.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const web = path.resolve(import.meta.dirname, '..', '..');

/** The server's policy: a Rust string literal, `\` line continuations and all. */
function serverPolicy(): string {
  const source = readFileSync(path.join(web, '..', 'crates', 'http', 'src', 'lib.rs'), 'utf8');
  const literal = /const CONTENT_SECURITY_POLICY: &str = "((?:[^"\\]|\\[\s\S])*)";/.exec(source)?.[1];
  if (literal === undefined) throw new Error('no CONTENT_SECURITY_POLICY in crates/http/src/lib.rs');
  return literal.replace(/\\\n\s*/g, '');
}

/** The preview's policy: string literals joined with `+`. */
function previewPolicy(): string {
  const source = readFileSync(path.join(web, 'vite.config.ts'), 'utf8');
  const expression = /const CONTENT_SECURITY_POLICY =([\s\S]*?);\n/.exec(source)?.[1];
  if (expression === undefined) throw new Error('no CONTENT_SECURITY_POLICY in vite.config.ts');
  return Array.from(expression.matchAll(/"([^"]*)"/g), (match) => match[1]).join('');
}

describe('the preview server', () => {
  it('sends the same Content-Security-Policy as the server, which lets the service worker and manifest load', () => {
    expect(previewPolicy()).toBe(serverPolicy());
    // Workers and manifests fall back to these (CSP 3: worker-src → script-src, manifest-src → default-src).
    expect(serverPolicy()).toMatch(/(^|; )default-src 'self'(;|$)/);
    // Scripts from the app's origin only; WebAssembly (the QR decoder) may be compiled, JavaScript not evaluated.
    expect(serverPolicy()).toMatch(/(^|; )script-src 'self' 'wasm-unsafe-eval'(;|$)/);
  });
});

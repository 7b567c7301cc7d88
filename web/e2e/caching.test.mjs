// @ts-check
/**
 * How the embedded web app is cached, against the release binary (`bosun serve --demo`) with
 * the built app inside: Vite's content-hashed `assets/` are kept for a year, every file whose
 * name outlives a release (index.html, the favicon) is revalidated and answers 304 when its
 * ETag still matches. Text-like files go gzipped to a client that takes gzip, and as they are to
 * one that does not, each with its own ETag.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BASE_URL } from './support/browser.mjs';

test('hashed assets are immutable; named files revalidate with their ETag', async () => {
  const index = await fetch(`${BASE_URL}/`);
  assert.equal(index.status, 200);
  assert.equal(index.headers.get('cache-control'), 'no-cache');
  const html = await index.text();
  const asset = html.match(/\/assets\/[^"']+\.js/)?.[0];
  assert.ok(asset, `index.html loads a hashed script: ${html.slice(0, 300)}`);

  const script = await fetch(`${BASE_URL}${asset}`);
  assert.equal(script.status, 200);
  assert.equal(script.headers.get('cache-control'), 'public, max-age=31536000, immutable');

  const icon = await fetch(`${BASE_URL}/favicon.svg`);
  assert.equal(icon.status, 200);
  assert.equal(icon.headers.get('cache-control'), 'no-cache', 'the favicon keeps its name across releases');
  const etag = icon.headers.get('etag');
  assert.ok(etag, 'a named file carries an ETag');
  await icon.arrayBuffer();

  const again = await fetch(`${BASE_URL}/favicon.svg`, { headers: { 'If-None-Match': etag } });
  assert.equal(again.status, 304);
  assert.equal(await again.text(), '');
  const changed = await fetch(`${BASE_URL}/favicon.svg`, { headers: { 'If-None-Match': '"another"' } });
  assert.equal(changed.status, 200);
});

test('scripts and the page go gzipped when the client takes gzip, and as they are otherwise', async () => {
  const html = await (await fetch(`${BASE_URL}/`)).text();
  const asset = html.match(/\/assets\/[^"']+\.js/)?.[0];
  assert.ok(asset, 'index.html loads a hashed script');

  // Node's fetch asks for gzip, deflate and br, and unpacks what comes.
  const packed = await fetch(`${BASE_URL}${asset}`);
  assert.equal(packed.headers.get('content-encoding'), 'gzip');
  assert.match(packed.headers.get('vary') ?? '', /accept-encoding/i);
  const packedTag = packed.headers.get('etag');
  const text = await packed.text();

  const plain = await fetch(`${BASE_URL}${asset}`, { headers: { 'Accept-Encoding': 'identity' } });
  assert.equal(plain.headers.get('content-encoding'), null);
  assert.equal(await plain.text(), text, 'both encodings carry the same script');
  const plainTag = plain.headers.get('etag');
  assert.ok(packedTag && plainTag && packedTag !== plainTag, `one ETag per encoding: ${packedTag} ${plainTag}`);
  const compressedLength = Number(
    (await fetch(`${BASE_URL}${asset}`, { headers: { 'Accept-Encoding': 'gzip' } })).headers.get('content-length'),
  );
  assert.ok(compressedLength > 0 && compressedLength * 2 < text.length, `${compressedLength} B gzipped of ${text.length}`);

  const revalidated = await fetch(`${BASE_URL}/`, { headers: { 'Accept-Encoding': 'gzip' } });
  const pageTag = revalidated.headers.get('etag');
  await revalidated.arrayBuffer();
  assert.ok(pageTag);
  const again = await fetch(`${BASE_URL}/`, { headers: { 'Accept-Encoding': 'gzip', 'If-None-Match': pageTag } });
  assert.equal(again.status, 304);
});

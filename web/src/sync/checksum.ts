/**
 * Replica checksums (docs/SYNC.md "Checksums and repair"), computed exactly as
 * `crates/sync/src/checksum.rs` computes them, so that the web client can prove its replica of a
 * scope whole against the checksums a pull answers.
 *
 * A row's hash is the first 8 bytes (big-endian) of SHA-256 over `entity ‖ 0x00 ‖ id (16 bytes) ‖
 * canonical JSON of its fields`; its bucket is the first 4 bits of SHA-256(`entity ‖ 0x00 ‖ id`);
 * a scope's checksum is the sum of its rows' hashes mod 2⁶⁴ as 16 lowercase hex digits.
 *
 * The canonical JSON is what serde_json writes for the fields with every object's keys sorted:
 * keys in code point order (Rust sorts `String`s by their UTF-8 bytes, which is code point order;
 * JavaScript's default sort compares UTF-16 units, which differs past U+FFFF), no whitespace,
 * strings escaped as serde_json escapes them, numbers as serde_json writes them.
 *
 * Numbers are the one thing JSON does not carry through: Rust writes an `f64` holding 1200 as
 * `1200.0`, and `JSON.parse` reads that as the number 1200, the same as the integer `1200`. So an
 * integral number is written as an integer unless its field is named in the entity's float fields
 * (top-level fields that Rust holds as `f64`, such as a reading's `hours`); a number that is not
 * integral, or is -0, or is too large for `i64`/`u64`, is a float whatever the field (serde_json
 * reads such literals as `f64` too). Integers beyond 2⁵³ cannot arrive exactly in JavaScript.
 */

/** A JSON value as `JSON.parse` gives it. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** How many buckets a scope's rows fall into for repair. */
export const BUCKETS = 16;

const MOD = 1n << 64n;
const I64_MIN = -(2 ** 63);
const U64_END = 2 ** 64;

/** The fields of a row that Rust holds as `f64`, by path (see `canonicalJson`): an integral value there is `1.0`. */
export type FloatFields = ReadonlySet<string>;

const noFloats: FloatFields = new Set();

/** The hash of one row as a person holds it, as an unsigned 64-bit integer. */
export async function rowHash(
  entity: string,
  id: string,
  fields: JsonValue,
  floats: FloatFields = noFloats,
): Promise<bigint> {
  const digest = await sha256(concat(rowKey(entity, id), utf8(canonicalJson(fields, floats))));
  return new DataView(digest).getBigUint64(0, false);
}

/** A row's bucket, fixed for its life: the first 4 bits of SHA-256(`entity ‖ 0x00 ‖ id`). */
export async function bucketOf(entity: string, id: string): Promise<number> {
  const digest = new Uint8Array(await sha256(rowKey(entity, id)));
  return (digest[0] ?? 0) >> 4;
}

/** A scope's checksum, built row by row in any order. */
export class ScopeSum {
  private sum = 0n;

  /** Adds a row's hash. */
  addHash(hash: bigint): void {
    this.sum = (this.sum + hash) % MOD;
  }

  /** The sum as an unsigned 64-bit integer. */
  get value(): bigint {
    return this.sum;
  }

  /** The checksum as sent: 16 lowercase hex digits. */
  hex(): string {
    return toHex(this.sum);
  }
}

/** A scope's checksum per bucket, as a replica that fails its scope's checksum sends it. */
export class BucketSums {
  private readonly sums: bigint[] = Array.from({ length: BUCKETS }, () => 0n);

  /** Adds a row to its bucket. */
  async add(entity: string, id: string, fields: JsonValue, floats: FloatFields = noFloats): Promise<void> {
    const [bucket, hash] = await Promise.all([bucketOf(entity, id), rowHash(entity, id, fields, floats)]);
    this.addHash(bucket, hash);
  }

  /** Adds a row whose bucket and hash are known. */
  addHash(bucket: number, hash: bigint): void {
    this.sums[bucket] = ((this.sums[bucket] ?? 0n) + hash) % MOD;
  }

  /** The scope's checksum: the sum of the buckets'. */
  total(): ScopeSum {
    const total = new ScopeSum();
    for (const sum of this.sums) total.addHash(sum);
    return total;
  }

  /** The sums as sent: 16 lowercase hex digits each, bucket 0 first. */
  hex(): string[] {
    return this.sums.map(toHex);
  }

  /** The buckets whose sums differ from `other` (as sent); every bucket unless `other` has 16. */
  differing(other: readonly string[]): number[] {
    const mine = this.hex();
    return mine.flatMap((sum, i) => (other.length !== BUCKETS || other[i] !== sum ? [i] : []));
  }
}

/**
 * `value` as canonical JSON: keys sorted in code point order at every depth, no whitespace,
 * strings and numbers as serde_json writes them; `floats` names the fields whose integral
 * numbers are floats (`1.0`), by path: a top-level field by its name, a nested one by the names
 * leading to it joined with dots, arrays being passed through (`snapshot.running_hours.last_hours`
 * is `last_hours` in each element of the array `running_hours` of the object `snapshot`).
 */
export function canonicalJson(value: JsonValue, floats: FloatFields = noFloats): string {
  return canonical(value, floats, '');
}

function canonical(value: JsonValue, floats: FloatFields, path: string): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return path !== '' && floats.has(path) ? rustFloat(value) : jsonNumber(value);
  if (typeof value === 'string') return jsonString(value);
  if (Array.isArray(value)) return `[${value.map((v) => canonical(v, floats, path)).join(',')}]`;
  const keys = Object.keys(value).sort(compareCodePoints);
  const members = keys.map((key) => {
    const inner = path === '' ? key : `${path}.${key}`;
    return `${jsonString(key)}:${canonical(value[key] as JsonValue, floats, inner)}`;
  });
  return `{${members.join(',')}}`;
}

/**
 * A number as serde_json writes the value it reads from the same JSON text: integers within
 * `i64`/`u64` as integers, -0 and everything else as `f64`.
 */
function jsonNumber(n: number): string {
  if (Number.isInteger(n) && !Object.is(n, -0) && n >= I64_MIN && n < U64_END) return BigInt(n).toString();
  return rustFloat(n);
}

/**
 * An `f64` as serde_json writes it (the `zmij` crate): the shortest digits that read back as `n`
 * (what `toExponential()` gives), in fixed notation when the first digit's power of ten is within
 * -5..=15 (an integral value ends in `.0`), otherwise `d.ddde+N` or `de-N`.
 */
export function rustFloat(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`JSON has no ${String(n)}`);
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  const sign = n < 0 ? '-' : '';
  const [mantissa = '', exponent = '0'] = Math.abs(n).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const e = Number(exponent);
  if (e >= -5 && e <= 15) {
    if (digits.length - 1 <= e) return `${sign}${digits}${'0'.repeat(e - digits.length + 1)}.0`;
    if (e >= 0) return `${sign}${digits.slice(0, e + 1)}.${digits.slice(e + 1)}`;
    return `${sign}0.${'0'.repeat(-e - 1)}${digits}`;
  }
  const fraction = digits.length > 1 ? `.${digits.slice(1)}` : '';
  return `${sign}${digits.slice(0, 1)}${fraction}e${e >= 0 ? '+' : '-'}${Math.abs(e)}`;
}

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/**
 * A string as serde_json writes it: `"`, `\` and the controls with a short form escaped so, other
 * characters below U+0020 as `\u00xx` (lowercase hex); `/`, DEL and non-ASCII as they are.
 */
function jsonString(s: string): string {
  // eslint-disable-next-line no-control-regex -- the control characters are what is escaped
  const escaped = s.replace(/["\\\u0000-\u001f]/g, (ch) => {
    return SHORT_ESCAPES[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
  return `"${escaped}"`;
}

/**
 * Orders strings by code point, as Rust orders `String`s (by UTF-8 bytes). UTF-16 units order the
 * same except surrogates (U+D800–DFFF), which stand for code points above U+FFFF and so must sort
 * after U+E000–FFFF: shifting them up by 0x2000 and those down by 0x800 does that.
 */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

function codePointRank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}

function rowKey(entity: string, id: string): Uint8Array<ArrayBuffer> {
  return concat(utf8(entity), new Uint8Array([0]), uuidBytes(id));
}

/** A UUID's 16 bytes, in the order of its text (as Rust's `Uuid::as_bytes`). */
export function uuidBytes(id: string): Uint8Array<ArrayBuffer> {
  const hex = id.replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new RangeError(`not a UUID: ${id}`);
  return Uint8Array.from({ length: 16 }, (_, i) => parseInt(hex.slice(2 * i, 2 * i + 2), 16));
}

function utf8(s: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(s);
}

function concat(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<ArrayBuffer> {
  return crypto.subtle.digest('SHA-256', bytes);
}

function toHex(n: bigint): string {
  return n.toString(16).padStart(16, '0');
}

import {
  BUCKETS,
  BucketSums,
  ScopeSum,
  bucketOf,
  canonicalJson,
  compareCodePoints,
  rowHash,
  rustFloat,
  uuidBytes,
  type JsonValue,
} from './checksum';
// Read as text and parsed here, as the app parses a pull answer: Vite's JSON import writes the
// data out as JavaScript, which loses -0.
import vectorsText from './checksum-vectors.json?raw';

interface Vectors {
  rows: Vector[];
  sum: string;
  buckets: string[];
}

interface Vector {
  name: string;
  entity: string;
  id: string;
  fields: JsonValue;
  floats: string[];
  canonical: string;
  hash: string;
  bucket: number;
}

// The shape scripts/checksum-vectors.py writes.
const vectors = JSON.parse(vectorsText) as Vectors;
const rows = vectors.rows;

const id = (n: number) => `0190f3c2-a1b4-7000-8000-${n.toString(16).padStart(12, '0')}`;

describe('the golden vectors shared with crates/sync/src/checksum.rs', () => {
  test.each(rows.map((row) => [row.name, row] as const))('%s: canonical JSON, hash and bucket', async (_, row) => {
    const floats = new Set(row.floats);
    expect(canonicalJson(row.fields, floats)).toBe(row.canonical);
    expect((await rowHash(row.entity, row.id, row.fields, floats)).toString(16).padStart(16, '0')).toBe(row.hash);
    expect(await bucketOf(row.entity, row.id)).toBe(row.bucket);
  });

  test('the scope sum and the bucket sums', async () => {
    const sums = new BucketSums();
    for (const row of rows) await sums.add(row.entity, row.id, row.fields, new Set(row.floats));
    expect(sums.hex()).toEqual(vectors.buckets);
    expect(sums.total().hex()).toBe(vectors.sum);
  });
});

describe('canonical JSON', () => {
  test('sorts keys at every depth in code point order, not UTF-16 order', () => {
    const value = { b: { d: 1, c: [{ z: 0, y: 1 }] }, a: null, '\u{1F600}': 1, '\uE000': 2 };
    expect(canonicalJson(value)).toBe('{"a":null,"b":{"c":[{"y":1,"z":0}],"d":1},"\uE000":2,"\u{1F600}":1}');
    expect(['\u{1F600}', '\uE000', 'é', 'z'].sort(compareCodePoints)).toEqual(['z', 'é', '\uE000', '\u{1F600}']);
    expect(compareCodePoints('ab', 'abc')).toBeLessThan(0);
  });

  test('escapes strings as serde_json does', () => {
    expect(canonicalJson('a"b\\c/d\n\t\r\b\f\u0000\u001f\u007f é 🚢')).toBe(
      '"a\\"b\\\\c/d\\n\\t\\r\\b\\f\\u0000\\u001f\u007f é 🚢"',
    );
  });

  test('writes integers as integers and everything else as Rust writes an f64', () => {
    expect(canonicalJson([0, -42, 9007199254740991, 2.5, -0.25, 0.1, 1e-7, 1e21, -0])).toBe(
      '[0,-42,9007199254740991,2.5,-0.25,0.1,1e-7,1e+21,-0.0]',
    );
  });

  test('writes integral numbers in the float fields named as floats, by their path', () => {
    const reading = { hours: 1200, meter: 3, nested: { hours: 5 } };
    expect(canonicalJson(reading, new Set(['hours']))).toBe('{"hours":1200.0,"meter":3,"nested":{"hours":5}}');
    expect(canonicalJson(reading)).toBe('{"hours":1200,"meter":3,"nested":{"hours":5}}');
    // A handover's snapshot: the float fields of every element of an array inside an object.
    const handover = { snapshot: { running_hours: [{ last_hours: 1119, readings: 4 }, { last_hours: 9.5, readings: 2 }] } };
    expect(canonicalJson(handover, new Set(['snapshot.running_hours.last_hours']))).toBe(
      '{"snapshot":{"running_hours":[{"last_hours":1119.0,"readings":4},{"last_hours":9.5,"readings":2}]}}',
    );
  });

  test.each([
    [1, '1.0'],
    [100, '100.0'],
    [1e15, '1000000000000000.0'],
    [1e16, '1e+16'],
    [123456789012345680, '1.2345678901234568e+17'],
    [0.00001, '0.00001'],
    [0.00001234, '0.00001234'],
    [0.000001, '1e-6'],
    [1.5e-6, '1.5e-6'],
    [5e-324, '5e-324'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [-2.5, '-2.5'],
    [0, '0.0'],
  ])('%s is written %s, as zmij writes it', (n, text) => {
    expect(rustFloat(n)).toBe(text);
  });

  test('has no text for numbers JSON cannot hold', () => {
    expect(() => rustFloat(Number.NaN)).toThrow(RangeError);
    expect(() => canonicalJson(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

describe('checksums', () => {
  test('a UUID is its 16 bytes in text order', () => {
    expect(Array.from(uuidBytes('00010203-0405-0607-0809-0a0b0c0d0e0f'))).toEqual(
      Array.from({ length: 16 }, (_, i) => i),
    );
    expect(() => uuidBytes('not-a-uuid')).toThrow(RangeError);
  });

  test('a row hashes the same whatever the order of its keys, and differs by entity, id and value', async () => {
    const a = { title: 'Pump', specs: { rpm: 1800, kw: 55 }, tags: [1, 2] };
    const b = JSON.parse('{"tags":[1,2],"specs":{"kw":55,"rpm":1800},"title":"Pump"}') as JsonValue;
    const hash = await rowHash('equipment', id(1), a);
    expect(await rowHash('equipment', id(1), b)).toBe(hash);
    expect(await rowHash('fault', id(1), a)).not.toBe(hash);
    expect(await rowHash('equipment', id(2), a)).not.toBe(hash);
    expect(await rowHash('equipment', id(1), { ...a, specs: { rpm: 1801, kw: 55 } })).not.toBe(hash);
  });

  test('a scope sum is order-free, wraps at 2^64 and counts a row held twice', async () => {
    const [x, y] = await Promise.all([rowHash('fault', id(1), { a: 1 }), rowHash('fault', id(2), { b: 2 })]);
    const one = new ScopeSum();
    one.addHash(x);
    one.addHash(y);
    const other = new ScopeSum();
    other.addHash(y);
    other.addHash(x);
    expect(one.hex()).toBe(other.hex());
    expect(one.hex()).toMatch(/^[0-9a-f]{16}$/);
    const twice = new ScopeSum();
    twice.addHash(one.value);
    twice.addHash(x);
    expect(twice.hex()).not.toBe(one.hex());
    const wrapped = new ScopeSum();
    wrapped.addHash(0xffffffffffffffffn);
    wrapped.addHash(2n);
    expect(wrapped.hex()).toBe('0000000000000001');
    expect(new ScopeSum().hex()).toBe('0000000000000000');
  });

  test('bucket sums add up to the scope and name the buckets that differ', async () => {
    const rows = Array.from({ length: 40 }, (_, i) => ({ id: id(i), fields: { n: i } }));
    const scope = new ScopeSum();
    const buckets = new BucketSums();
    const damaged = new BucketSums();
    for (const [i, row] of rows.entries()) {
      scope.addHash(await rowHash('fault', row.id, row.fields));
      await buckets.add('fault', row.id, row.fields);
      if (i > 0) await damaged.add('fault', row.id, row.fields);
    }
    expect(buckets.total().hex()).toBe(scope.hex());
    expect(damaged.differing(buckets.hex())).toEqual([await bucketOf('fault', id(0))]);
    expect(buckets.differing([])).toHaveLength(BUCKETS);
  });
});

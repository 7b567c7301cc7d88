/**
 * The company's parts catalogue as the device knows it: the replica's `part` rows (scope
 * `company:{id}`), parts created here and still in the outbox (`create_part.v1`, shown at once),
 * and edits still in the outbox (`update_part.v1`, which replaces the fields whole) laid over the
 * part they edit. A refused edit changes nothing shown, and a refused creation shows as refused;
 * both stay listed with the refusal until dismissed. Shared by the stock pages and the work orders
 * that take parts from stock.
 */
import { useMemo } from 'react';

import type { JsonValue } from '../sync/checksum';
import type { StoredRow } from '../sync/database';
import { ENTITY } from '../sync/entities';
import { fieldsOf, textOf, useEntityRows, usePendingWrites, type PendingWrite } from './local-writes';

/** The mutator that adds a part to the catalogue. */
export const CREATE_PART = 'create_part.v1';
/** The mutator that replaces a part's fields. */
export const UPDATE_PART = 'update_part.v1';

/** One part of the catalogue, confirmed or only on this device. */
export interface PartItem {
  /** Lowercase. */
  id: string;
  number: string;
  name: string;
  maker: string | null;
  unit: string;
  /** A critical spare: one the vessel must not run out of. */
  critical: boolean;
  /** Parts that can stand in for it (ids, lowercase). */
  equivalents: string[];
  /** The replica's version (an edit's base version); null while only its creation is queued. */
  version: number | null;
  /** Writes on this part not yet accepted, oldest first (its own creation included). */
  pending: PendingWrite[];
  /** Only on this device, and the server refused to create it: shown with the refusal, never chosen. */
  refused: boolean;
}

/**
 * A part number as the server compares them: case, spaces, `-`, `.` and `/` do not count, so
 * "HF-6553" and "hf 6553" are the same part.
 */
export function partNumberKey(number: string): string {
  return number.toLowerCase().replace(/[\s\-./]/g, '');
}

const isPartWrite = (w: PendingWrite) => w.name === CREATE_PART || w.name === UPDATE_PART;

/** The part a write is about (lowercase), if it is a catalogue write. */
export function partIdOf(write: PendingWrite): string | null {
  const v = write.name === CREATE_PART ? write.args.id : write.name === UPDATE_PART ? write.args.part_id : undefined;
  return typeof v === 'string' ? v.toLowerCase() : null;
}

function fromFields(id: string, f: Record<string, JsonValue>, version: number | null): PartItem {
  const equivalents = f.equivalents;
  return {
    id,
    number: textOf(f, 'number') ?? '',
    name: textOf(f, 'name') ?? '',
    maker: textOf(f, 'maker'),
    unit: textOf(f, 'unit') ?? '',
    critical: f.critical === true,
    equivalents: Array.isArray(equivalents)
      ? equivalents.flatMap((e) => (typeof e === 'string' ? [e.toLowerCase()] : []))
      : [],
    version,
    pending: [],
    refused: false,
  };
}

/** The catalogue from replica rows and the writes waiting, by part number. */
export function catalogue(rows: readonly StoredRow[], writes: readonly PendingWrite[]): PartItem[] {
  const byId = new Map<string, PartItem>();
  for (const row of rows) byId.set(row.id, fromFields(row.id, fieldsOf(row), row.version));
  for (const w of writes.filter(isPartWrite)) {
    const id = partIdOf(w);
    if (id === null) continue;
    const known = byId.get(id);
    if (w.name === CREATE_PART && !known) {
      // A refused creation still shows, with its refusal, until the person dismisses it.
      byId.set(id, { ...fromFields(id, { critical: false, ...w.args }, null), refused: w.state === 'rejected' });
    } else if (w.name === UPDATE_PART && known && w.state !== 'rejected') {
      // The edit replaces the fields whole: what it names is what the part will be.
      byId.set(id, { ...fromFields(id, w.args, known.version), pending: known.pending, refused: known.refused });
    }
    byId.get(id)?.pending.push(w);
  }
  return [...byId.values()].sort(
    (a, b) => a.number.localeCompare(b.number, undefined, { numeric: true, sensitivity: 'base' }) || a.id.localeCompare(b.id),
  );
}

/** Every part of the company's catalogue, by number; undefined while loading. */
export function useParts(): PartItem[] | undefined {
  const rows = useEntityRows(ENTITY.part);
  const writes = usePendingWrites();
  return useMemo(() => (rows && writes ? catalogue(rows, writes) : undefined), [rows, writes]);
}

/** One part; null when the device knows no such part, undefined while loading. */
export function usePart(id: string): PartItem | null | undefined {
  const parts = useParts();
  return parts === undefined ? undefined : (parts.find((p) => p.id === id.toLowerCase()) ?? null);
}

/** The part already holding `number` (as the server compares numbers), other than `except`. */
export function partWithNumber(parts: readonly PartItem[], number: string, except: string | null = null): PartItem | null {
  const key = partNumberKey(number);
  if (key === '') return null;
  return parts.find((p) => p.id !== except && !p.refused && partNumberKey(p.number) === key) ?? null;
}

/** Whether a part matches every word of a search (number, name, maker). */
export function partMatches(part: Pick<PartItem, 'number' | 'name' | 'maker'>, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter((w) => w !== '');
  const text = `${part.number} ${part.name} ${part.maker ?? ''}`.toLowerCase();
  const numberKey = partNumberKey(part.number);
  return words.every((w) => text.includes(w) || (partNumberKey(w) !== '' && numberKey.includes(partNumberKey(w))));
}

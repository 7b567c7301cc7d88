/**
 * Every field that can conflict has a label people read, checked against the server's own list:
 * the fields `loser_mutation` in crates/app/src/conflicts.rs writes back (an item's edit: every
 * field of `WRITABLE` in crates/app/src/fleet/equipment/mod.rs), and a second resolution's texts
 * (crates/app/src/maintenance/faults.rs), which are recorded but written back with the resolve.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

import { CONFLICT_ENTITIES, ENTITY_LABEL, entityLabel, FIELD_LABEL, fieldLabel } from './field-labels';

const crates = path.resolve(import.meta.dirname, '..', '..', '..', 'crates');
const read = (...parts: string[]) => readFileSync(path.join(crates, ...parts), 'utf8');

/** A Rust list of string literals, `"a", "b"` or `"a" | "b"`, as its strings. */
const strings = (list: string) => Array.from(list.matchAll(/"(\w+)"/g), (m) => m[1] ?? '');

/** `entity.field` for every field the server keeps a conflict on. */
function serverConflictFields(): string[] {
  const conflicts = read('app', 'src', 'conflicts.rs');
  const start = conflicts.indexOf('fn loser_mutation');
  const body = conflicts.slice(start, conflicts.indexOf('\n}\n', start));
  if (start < 0 || body.length < 100) throw new Error('no loser_mutation in crates/app/src/conflicts.rs');
  const fields = new Set<string>();
  // `("fault", "assignee_id")`: one field.
  for (const [, entity, field] of body.matchAll(/\("(\w+)", "(\w+)"\)/g)) fields.add(`${entity}.${field}`);
  // `("membership", field @ ("name" | "role"))`: the fields listed.
  for (const [, entity, list] of body.matchAll(/\("(\w+)", field @ \(([^)]*)\)\)/g)) {
    for (const field of strings(list ?? '')) fields.add(`${entity}.${field}`);
  }
  // `("vessel", field) => { let mut fields = kept(row, &["kind", …]);`: the fields kept.
  for (const [, entity, list] of body.matchAll(/\("(\w+)", field\) => \{\s*let mut \w+ = kept\(row, &\[([^\]]*)\]\)/g)) {
    for (const field of strings(list ?? '')) fields.add(`${entity}.${field}`);
  }
  // `("equipment", field) => { … kept(row, crate::fleet::equipment::WRITABLE)`.
  if (!body.includes('("equipment", field)') || !body.includes('equipment::WRITABLE')) throw new Error('the item edit is not written back from WRITABLE');
  const writable = /pub\(crate\) const WRITABLE: &\[&str\] = &\[([^\]]*)\]/.exec(read('app', 'src', 'fleet', 'equipment', 'mod.rs'))?.[1];
  if (writable === undefined) throw new Error('no WRITABLE in crates/app/src/fleet/equipment/mod.rs');
  for (const field of strings(writable)) fields.add(`equipment.${field}`);
  // A second resolution: its texts go by clock, the other kept as a conflict.
  const faults = read('app', 'src', 'maintenance', 'faults.rs');
  for (const [, field] of faults.matchAll(/\("(root_cause|resolution)", \w+\)/g)) fields.add(`fault.${field}`);
  return [...fields].sort();
}

const ours = () => CONFLICT_ENTITIES.flatMap((e) => Object.keys(FIELD_LABEL[e]).map((f) => `${e}.${f}`)).sort();

describe('field labels', () => {
  it('name every field the server can keep a conflict on, and no other', () => {
    const server = serverConflictFields();
    // The parse found the fields of every kind of row that can conflict.
    expect(new Set(server.map((f) => f.split('.')[0]))).toEqual(new Set(CONFLICT_ENTITIES));
    expect(server.length).toBeGreaterThanOrEqual(29);
    expect(ours()).toEqual(server);
  });

  it('are words people read, never the raw name', () => {
    for (const entity of CONFLICT_ENTITIES) {
      expect(ENTITY_LABEL[entity]).toMatch(/^[A-Z][a-z ]+$/);
      for (const [field, label] of Object.entries(FIELD_LABEL[entity])) {
        expect(label, `${entity}.${field}`).toMatch(/^[A-Z][A-Za-z ]+$/);
        expect(label, `${entity}.${field}`).not.toBe(field);
        expect(fieldLabel(entity, field)).toBe(label);
      }
    }
    expect(fieldLabel('fault', 'assignee_id')).toBe('Assigned to');
    expect(fieldLabel('equipment', 'serial_number')).toBe('Serial number');
    expect(fieldLabel('membership', 'specialisation')).toBe('Trade');
  });

  it('say a field or kind of row a newer server adds in words', () => {
    expect(fieldLabel('fault', 'spare_part_id')).toBe('Spare part');
    expect(fieldLabel('work_order', 'due_on')).toBe('Due on');
    expect(entityLabel('work_order')).toBe('Work order');
  });
});

/**
 * Synced entities and their fields in the words the pages use for them ("Assigned to", not
 * `assignee_id`): one place, so the conflict inbox names a field as the form that edits it does.
 * Every field that can conflict is here (docs/SYNC.md "Conflicts"; the fields each mutator
 * decides by clock or by status rank in `crates/app/src`).
 */

/**
 * The entities whose rows can hold a conflict, as `sync_conflict.entity` names them. No
 * `parts_order` row is written any more (they became requisitions, ADR 0007 §7), but a conflict
 * recorded on one before can still be open, so it keeps its words.
 */
export const CONFLICT_ENTITIES = ['fault', 'parts_order', 'equipment', 'vessel', 'company', 'membership', 'handover_draft'] as const;
export type ConflictEntity = (typeof CONFLICT_ENTITIES)[number];

/** An entity in words. */
export const ENTITY_LABEL: Record<ConflictEntity, string> = {
  fault: 'Fault',
  parts_order: 'Parts order',
  equipment: 'Equipment',
  vessel: 'Vessel',
  company: 'Company branding',
  membership: 'Person',
  handover_draft: 'Handover draft',
};

/**
 * The fields of each entity that a pushed edit can lose to another device's, in words:
 * `assign_fault.v1`, the status moves, a second resolution's texts (crates/app/src/maintenance);
 * `update_equipment.v1` (`WRITABLE` in crates/app/src/fleet/equipment), `update_vessel.v1`,
 * `update_branding.v1`, `update_person.v1` and `save_handover_notes.v1`.
 */
export const FIELD_LABEL = {
  fault: {
    status: 'Status',
    assignee_id: 'Assigned to',
    root_cause: 'Root cause',
    resolution: 'Resolution',
  },
  parts_order: {
    status: 'Status',
  },
  equipment: {
    parent_id: 'Part of',
    level: 'Level',
    area: 'Area',
    name: 'Name',
    equipment_type: 'Type',
    maker: 'Maker',
    model: 'Model',
    serial_number: 'Serial number',
    criticality: 'Criticality',
    status: 'Status',
    specs: 'Specifications',
  },
  vessel: {
    kind: 'Kind',
    name: 'Name',
    vessel_type: 'Type',
    imo: 'IMO number',
    specs: 'Specifications',
  },
  company: {
    display_name: 'Display name',
    logo_url: 'Logo address',
    primary_color: 'Colour',
  },
  membership: {
    name: 'Name',
    role: 'Role',
    specialisation: 'Trade',
    active: 'May sign in',
  },
  handover_draft: {
    notes: 'Notes for your relief',
    item_notes: 'Notes on items',
  },
} as const satisfies { [E in ConflictEntity]: Record<string, string> };

/** Whether `entity` is a kind of row that can hold a conflict. */
export const isConflictEntity = (entity: string): entity is ConflictEntity => (CONFLICT_ENTITIES as readonly string[]).includes(entity);

/** An entity in words; one this app does not know yet, as its name in words. */
export function entityLabel(entity: string): string {
  return isConflictEntity(entity) ? ENTITY_LABEL[entity] : sentenceCase(entity);
}

/**
 * A field in words; one this app does not know yet (a newer server's) as its name in words,
 * "spare_part" → "Spare part", never the raw name.
 */
export function fieldLabel(entity: string, field: string): string {
  const labels: Readonly<Record<string, string>> = isConflictEntity(entity) ? FIELD_LABEL[entity] : {};
  return labels[field] ?? sentenceCase(field);
}

function sentenceCase(name: string): string {
  const words = name.replace(/_id$/, '').replace(/_/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

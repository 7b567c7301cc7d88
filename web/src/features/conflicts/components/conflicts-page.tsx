/**
 * `/conflicts`: the open conflicts the replica holds (`sync_conflict` rows: a field two devices
 * changed at once, the value stored and the other one, whose change and when), each settled by
 * keeping one side (`resolve_conflict.v1`) for roles holding the write permission of the
 * conflict's row (docs/PERMISSIONS.md, `POST /sync/conflicts/{id}/resolve`).
 */
import '../../../components/maintenance.css';
import { useId, useMemo, useState } from 'react';

import type { Role } from '../../../api/types';
import { formatDateTime } from '../../../components/date-time';
import { entityLabel, fieldLabel, isConflictEntity, type ConflictEntity } from '../../../components/field-labels';
import { fieldsOf, textOf, useEnqueue, useEntityRows, usePendingWrites } from '../../../components/local-writes';
import { may, type Action } from '../../../components/permissions';
import { useDocumentTitle } from '../../../components/use-document-title';
import { useSignedInUser } from '../../../session/session-context';
import type { JsonValue } from '../../../sync/checksum';

/** The permission that writes a row of each entity, which deciding its conflicts takes too. */
const WRITE: Record<ConflictEntity, Action> = {
  fault: 'fault.manage',
  parts_order: 'parts.manage',
  equipment: 'equipment.write',
  vessel: 'vessel.update',
  handover_draft: 'handover.prepare',
  company: 'company.branding.update',
  membership: 'user.update',
};

/** Whether `role` may settle a conflict on `entity`. */
export const mayResolve = (role: Role, entity: string) => isConflictEntity(entity) && may(role, WRITE[entity]);

/** Fields whose values are people's ids: shown as the person (a fault's assignee). */
const PERSON_FIELDS = new Set(['assignee_id']);

/** Names a person by id: the signed-in person, a name from the people directory, or a shipmate. */
export type PersonName = (id: string) => string;

/** A value as a person reads it; a person's id (in `PERSON_FIELDS`) through `person`. */
export function showValue(v: JsonValue | undefined, field = '', person?: PersonName): string {
  if (v === null || v === undefined || v === '') return '(empty)';
  if (typeof v === 'string' && person !== undefined && PERSON_FIELDS.has(field)) return person(v);
  if (typeof v === 'string') return v.replace(/_/g, ' ');
  return JSON.stringify(v);
}

/** A conflict's heading: the row's kind and the field as the pages name it ("Fault: Assigned to"). */
export const conflictHeading = (entity: string, field: string) => `${entityLabel(entity)}: ${fieldLabel(entity, field)}`;

interface OpenConflict {
  id: string;
  entity: string;
  rowId: string;
  field: string;
  winner: JsonValue | undefined;
  loser: JsonValue | undefined;
  byUser: string | null;
  createdAt: string | null;
  mutationSide: string | null;
  version: number;
}

/** The page. */
export function ConflictsPage() {
  useDocumentTitle('Conflicts');
  const user = useSignedInUser();
  const rows = useEntityRows('sync_conflict');
  const people = useEntityRows('membership');
  const pending = usePendingWrites();
  const enqueue = useEnqueue();
  const titleId = useId();
  const [failure, setFailure] = useState<string | null>(null);
  const names = useMemo(
    () => new Map((people ?? []).map((r) => [textOf(fieldsOf(r), 'user_id')?.toLowerCase() ?? r.id, textOf(fieldsOf(r), 'name') ?? 'Someone'])),
    [people],
  );
  const open: OpenConflict[] | undefined = rows
    ?.map((r) => ({ r, f: fieldsOf(r) }))
    .filter(({ f }) => textOf(f, 'state') === 'open')
    .map(({ r, f }) => ({
      id: r.id,
      entity: textOf(f, 'entity') ?? '',
      rowId: textOf(f, 'row_id') ?? '',
      field: textOf(f, 'field') ?? '',
      winner: f.winner,
      loser: f.loser,
      byUser: textOf(f, 'by_user'),
      createdAt: textOf(f, 'created_at'),
      mutationSide: textOf(f, 'mutation_side'),
      version: r.version,
    }))
    .sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? ''));
  const who = (id: string | null) =>
    id === null ? 'Someone' : id.toLowerCase() === user.id.toLowerCase() ? 'You' : (names.get(id.toLowerCase()) ?? 'A shipmate');
  // The people directory is only on devices whose role lists people; others name a shipmate by
  // the end of their id, so that two of them still read apart.
  const person: PersonName = (id) => {
    const key = id.toLowerCase();
    if (key === user.id.toLowerCase()) return `${user.name} (you)`;
    return names.get(key) ?? `A shipmate (…${key.slice(-4)})`;
  };
  const decision = (conflictId: string) =>
    pending?.find((w) => w.name === 'resolve_conflict.v1' && typeof w.args.conflict_id === 'string' && w.args.conflict_id.toLowerCase() === conflictId);

  async function keep(c: OpenConflict, side: 'winner' | 'loser') {
    setFailure(null);
    try {
      await enqueue('resolve_conflict.v1', { conflict_id: c.id, keep: side }, c.version);
    } catch (e) {
      setFailure(e instanceof Error ? e.message : 'The decision could not be kept on this device.');
    }
  }

  return (
    <section className="conflicts" aria-labelledby={titleId}>
      <h1 id={titleId} className="page-title">
        Conflicts
      </h1>
      <p className="notice">
        When two devices change the same thing while apart, Bosun keeps the later change and lists the other here, so
        nothing typed is lost.
      </p>
      {failure ? <p role="alert">{failure}</p> : null}
      {open === undefined ? (
        <p className="notice" role="status">
          Loading conflicts…
        </p>
      ) : open.length === 0 ? (
        <p className="notice">No open conflicts.</p>
      ) : (
        <ul className="conflict-list" aria-label="Open conflicts">
          {open.map((c) => {
            const decided = decision(c.id);
            const label = conflictHeading(c.entity, c.field);
            return (
              <li key={c.id} className="conflict" aria-label={label}>
                <h2 className="card__subtitle">{label}</h2>
                <dl className="facts">
                  <div>
                    <dt>Stored value</dt>
                    <dd>{showValue(c.winner, c.field, person)}</dd>
                  </div>
                  <div>
                    <dt>Other value</dt>
                    <dd>{showValue(c.loser, c.field, person)}</dd>
                  </div>
                  <div>
                    <dt>Changed by</dt>
                    <dd>
                      {who(c.byUser)}
                      {c.mutationSide === 'winner' ? ' (the stored value)' : c.mutationSide === 'loser' ? ' (the other value)' : ''}
                    </dd>
                  </div>
                  {c.createdAt ? (
                    <div>
                      <dt>When</dt>
                      <dd>{formatDateTime(c.createdAt)}</dd>
                    </div>
                  ) : null}
                </dl>
                {decided ? (
                  <p>
                    Decided: <span className={`pending pending--${decided.state}`}>{decided.label}</span>
                  </p>
                ) : mayResolve(user.role, c.entity) ? (
                  <div className="button-row">
                    <button className="button" type="button" onClick={() => void keep(c, 'winner')}>
                      Keep stored value
                    </button>
                    <button className="button" type="button" onClick={() => void keep(c, 'loser')}>
                      Keep other value
                    </button>
                  </div>
                ) : (
                  <p className="field__hint">Someone whose role edits this decides it.</p>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

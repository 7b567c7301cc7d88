/**
 * One audit entry, readable: what was done (or refused), by whom, when, on what, and each field
 * before and after.
 */
import { formatDateTime } from '../../../components/date-time';
import type { AuditEntry } from '../api/audit';

/** A field's value as text: strings as they are, the rest as JSON. */
function valueText(value: unknown): string {
  if (value === undefined) return '—';
  if (value === null) return 'none';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The fields of before and after, changed ones first marked, in the order they came. */
function fieldRows(before: Record<string, unknown> | null, after: Record<string, unknown> | null) {
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  return keys.map((key) => {
    const was = before ? before[key] : undefined;
    const is = after ? after[key] : undefined;
    return { key, was, is, changed: JSON.stringify(was) !== JSON.stringify(is) };
  });
}

/** The entry. `actorName` names its actor when the person is known. */
export function AuditEntryCard({ entry, actorName }: { entry: AuditEntry; actorName: string | undefined }) {
  const before = (entry.before ?? null) as Record<string, unknown> | null;
  const after = (entry.after ?? null) as Record<string, unknown> | null;
  const rows = fieldRows(before, after);
  const who = actorName ?? (entry.actor_id ? `Someone no longer listed (${entry.actor_id})` : 'Bosun itself');
  return (
    <li className="row audit-entry" aria-label={`${entry.action} by ${who}`}>
      <div className="row__text">
        <p className="row__title">
          <code>{entry.action}</code>
          {entry.outcome === 'failure' ? <span className="badge badge--decommissioned">Refused</span> : null}
        </p>
        <p className="row__details">
          {who} · <time dateTime={entry.at}>{formatDateTime(entry.at)}</time> · {entry.entity}
          {entry.entity_id ? ` ${entry.entity_id}` : ''}
        </p>
        {rows.length > 0 ? (
          <table className="figures audit-entry__fields">
            <caption className="visually-hidden">Fields before and after</caption>
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">Before</th>
                <th scope="col">After</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.key} className={row.changed ? 'audit-entry__changed' : undefined}>
                  <th scope="row">
                    {row.key}
                    {row.changed && before && after ? <span className="visually-hidden"> (changed)</span> : null}
                  </th>
                  <td>{before ? valueText(row.was) : '—'}</td>
                  <td>{after ? valueText(row.is) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        <details className="audit-entry__more">
          <summary>Request</summary>
          <dl>
            <dt>From</dt>
            <dd>{entry.ip ?? 'unknown'}</dd>
            <dt>With</dt>
            <dd>{entry.user_agent ?? 'unknown'}</dd>
            <dt>Request id</dt>
            <dd>{entry.request_id ?? 'none'}</dd>
            <dt>Position in the chain</dt>
            <dd>{entry.seq}</dd>
          </dl>
        </details>
      </div>
    </li>
  );
}

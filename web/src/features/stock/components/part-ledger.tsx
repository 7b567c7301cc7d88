/**
 * A part's movements on a vessel, newest first: what moved (received, issued, adjusted,
 * transferred), the signed change with the unit, where, why, who and when; movements still on
 * this device are marked, and a refused one says why until dismissed.
 */
import { useId } from 'react';

import { formatDateTime } from '../../../components/date-time';
import { PendingMark } from '../../../components/pending-mark';
import { useSignedInUser } from '../../../session/session-context';
import type { StockLocation } from '../../../components/stock-levels';
import { usePeopleNames, type LedgerEntry } from '../api/stock';
import { MOVEMENT_LABEL, Refusal, signedWithUnit } from './stock-labels';

/** The section of the part's page. */
export function PartLedger({
  entries,
  unit,
  locations,
}: {
  entries: readonly LedgerEntry[];
  unit: string;
  locations: readonly StockLocation[];
}) {
  const titleId = useId();
  const user = useSignedInUser();
  const people = usePeopleNames();
  const pathOf = new Map(locations.map((l) => [l.id, l.path]));
  const who = (entry: LedgerEntry) => {
    if (entry.pending || entry.recordedBy === user.id.toLowerCase()) return `${user.name} (you)`;
    return entry.recordedBy === null ? 'Someone' : (people.get(entry.recordedBy) ?? 'A shipmate');
  };
  return (
    <section className="card" aria-labelledby={titleId}>
      <h2 id={titleId} className="card__title">
        Movements
      </h2>
      {entries.length === 0 ? (
        <p className="notice">No movements of this part on this vessel yet.</p>
      ) : (
        <ol className="stock-ledger" aria-labelledby={titleId}>
          {entries.map((e) => (
            <li key={e.id} className={`stock-ledger__entry${e.pending?.state === 'rejected' ? ' stock-ledger__entry--refused' : ''}`}>
              <p className="stock-ledger__what">
                <span>{MOVEMENT_LABEL[e.movement]}</span>{' '}
                <strong className="stock-quantity">{signedWithUnit(e.delta, unit)}</strong>
                <span className="stock-ledger__where"> · {pathOf.get(e.locationId) ?? 'a location not yet on this device'}</span>
              </p>
              {e.reason ? <p className="stock-ledger__reason">{e.reason}</p> : null}
              <p className="stock-ledger__meta">
                {who(e)}
                {e.recordedAt ? (
                  <>
                    {' '}
                    · <time dateTime={e.recordedAt}>{formatDateTime(e.recordedAt)}</time>
                  </>
                ) : null}
                {e.pending ? (
                  <>
                    {' '}
                    · <PendingMark write={e.pending} />
                    <Refusal write={e.pending} />
                  </>
                ) : null}
              </p>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

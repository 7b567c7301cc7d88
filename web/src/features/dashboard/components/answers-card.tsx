/**
 * The dashboard's "Waiting for your answer" card: how many equipment assignments wait for the
 * person's accept or decline, the first few (item and first day), and a link to answer them on
 * "My assignments". Read live from the replica and the outbox, so a proposal shows as soon as
 * it syncs in and goes as soon as it is answered, offline too; shown to a person who operates
 * equipment (a proposal waiting, or any assignment of theirs on the device), no one else.
 */
import { useId } from 'react';
import { Link } from 'react-router';

import { formatDate } from '../../../components/date-time';
import { useAnswersWaiting } from '../../../components/equipment-assignments';
import { fieldsOf, textOf, useEntityRows } from '../../../components/local-writes';
import { ENTITY } from '../../../sync/entities';
import { useReplicaRow } from '../../../sync/replica-queries';

/** Proposals listed on the card at most. */
const LISTED = 3;

/** The card for `userId`; nothing for someone who operates nothing. */
export function AnswersCard({ userId }: { userId: string }) {
  const titleId = useId();
  const waiting = useAnswersWaiting(userId);
  const rows = useEntityRows(ENTITY.assignment);
  const me = userId.toLowerCase();
  const operates = rows?.some((r) => textOf(fieldsOf(r), 'operator_id')?.toLowerCase() === me) ?? false;
  if (waiting === undefined || (waiting.length === 0 && !operates)) return null;
  const n = waiting.length;
  return (
    <section className="card chart-card dashboard-answers" aria-labelledby={titleId}>
      <h2 id={titleId} className="card__title">
        Waiting for your answer
      </h2>
      <p className="dashboard-answers__count" role="status">
        {n === 0 ? 'Nothing waits for your answer.' : `${n} ${n === 1 ? 'assignment waits' : 'assignments wait'} for your answer.`}
      </p>
      {n > 0 ? (
        <ul className="dashboard-answers__list">
          {waiting.slice(0, LISTED).map((a) => (
            <li key={a.id}>
              <ItemName id={a.equipmentId} />, from {formatDate(a.startsAt)}
            </li>
          ))}
          {n > LISTED ? <li>and {n - LISTED} more</li> : null}
        </ul>
      ) : null}
      <p>
        <Link className={n > 0 ? 'button button--primary' : undefined} to="/assignments">
          {n > 0 ? 'Accept or decline' : 'My assignments'}
        </Link>
      </p>
    </section>
  );
}

function ItemName({ id }: { id: string }) {
  const row = useReplicaRow(ENTITY.equipment, id);
  return <>{(row ? textOf(fieldsOf(row), 'name') : null) ?? 'An item'}</>;
}

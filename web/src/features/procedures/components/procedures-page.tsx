/**
 * `/procedures` (linked from the Work page; `workorder.read`): the company's procedures, its
 * reusable checklists, by title — each with its description and steps, and how far its writes
 * still on this device have got (a refusal with its reason until dismissed). From the replica's
 * `procedure` rows plus those created or edited here still in the outbox, so it opens offline.
 * `procedure.write` roles get "New procedure" and "Edit". A new work order or plan starts from
 * one with "Start from a procedure", which copies its steps.
 */
import '../../../components/maintenance.css';
import './procedures.css';
import { useId } from 'react';
import { Link } from 'react-router';

import { STEP_KIND_LABEL } from '../../../components/checklist-steps';
import { PendingMark } from '../../../components/pending-mark';
import { may } from '../../../components/permissions';
import { useProcedures, type ProcedureItem } from '../../../components/procedures';
import { useDocumentTitle } from '../../../components/use-document-title';
import { useSignedInUser } from '../../../session/session-context';
import { Refusal } from './procedure-labels';

/** The page. */
export function ProceduresPage() {
  useDocumentTitle('Procedures');
  const user = useSignedInUser();
  const procedures = useProcedures();
  const titleId = useId();
  const mayWrite = may(user.role, 'procedure.write');

  let body;
  if (!may(user.role, 'workorder.read')) {
    body = <p className="notice">Your role does not read procedures.</p>;
  } else if (procedures === undefined) {
    body = (
      <p className="notice" role="status">
        Loading the procedures…
      </p>
    );
  } else if (procedures.length === 0) {
    body = (
      <p className="notice">
        No procedures yet.{' '}
        {mayWrite
          ? 'Write the checklists the crew runs again and again here once, with “New procedure”, and start work orders and plans from them.'
          : 'An engineer, a manager or an admin writes the company’s reusable checklists.'}
      </p>
    );
  } else {
    body = (
      <ul className="procedure-list" aria-label="Procedures">
        {procedures.map((p) => (
          <ProcedureEntry key={p.id} procedure={p} mayWrite={mayWrite} />
        ))}
      </ul>
    );
  }
  return (
    <section className="procedures" aria-labelledby={titleId}>
      <p className="back-link">
        <Link to="/work-orders">Work</Link>
      </p>
      <h1 id={titleId} className="page-title">
        Procedures
      </h1>
      <p className="field__hint">
        The company’s reusable checklists. A work order or maintenance plan started from one gets its own copy of the steps: changing a procedure changes no work
        order or plan.
      </p>
      {mayWrite ? (
        <p className="button-row">
          <Link className="button button--primary" to="/procedures/new">
            New procedure
          </Link>
        </p>
      ) : null}
      {body}
    </section>
  );
}

function ProcedureEntry({ procedure: p, mayWrite }: { procedure: ProcedureItem; mayWrite: boolean }) {
  const titleId = useId();
  const latest = p.pending.at(-1);
  const count = p.steps.length === 1 ? '1 step' : `${p.steps.length} steps`;
  return (
    <li className="procedure-item" aria-labelledby={titleId}>
      <h2 id={titleId} className="procedure-item__title">
        {p.title}
      </h2>
      <p className="procedure-item__meta">
        {count}
        {latest ? (
          <>
            {' · '}
            <PendingMark write={latest} />
            <Refusal write={latest} />
          </>
        ) : null}
      </p>
      {p.description ? <p className="procedure-item__description">{p.description}</p> : null}
      {p.steps.length > 0 ? (
        <details>
          <summary>
            Its steps<span className="visually-hidden"> of {p.title}</span>
          </summary>
          <ol aria-label={`Steps of ${p.title}`}>
            {p.steps.map((s) => (
              <li key={s.id}>
                {s.title}{' '}
                <span className="field__hint">
                  ({STEP_KIND_LABEL[s.kind]}
                  {s.required ? ', required' : ''})
                </span>
              </li>
            ))}
          </ol>
        </details>
      ) : null}
      {mayWrite && !p.refused && p.version !== null ? (
        <p className="procedure-item__links">
          <Link to={`/procedures/${encodeURIComponent(p.id)}/edit`}>
            Edit<span className="visually-hidden"> {p.title}</span>
          </Link>
        </p>
      ) : null}
    </li>
  );
}

/**
 * `/audit` (owners and admins): the company's audit trail, newest first, fifty at a time, narrowed
 * by action, kind of record, record, person, outcome and days. Read from the server only:
 * offline it says it needs the link.
 */
import { useId, useState, type SubmitEvent } from 'react';
import type { MemberView } from '../../../api/types';
import { OnlineOnly } from '../../../components/online-only';
import { may } from '../../../components/permissions';
import { ProblemAlert } from '../../../components/problem-alert';
import { useDocumentTitle } from '../../../components/use-document-title';
import { useSignedInUser } from '../../../session/session-context';
import { NO_FILTER, useAuditPages, useAuditPeople, type AuditFilter } from '../api/audit';
import { AuditEntryCard } from './audit-entry';

/** The page. */
export function AuditPage() {
  useDocumentTitle('Audit log');
  const user = useSignedInUser();
  return (
    <section className="audit" aria-labelledby="audit-title">
      <div className="page-heading">
        <h1 id="audit-title" className="page-title">
          Audit log
        </h1>
        <p className="page-heading__sub">Who did what, and when</p>
      </div>
      {may(user.role, 'audit.read') ? (
        <OnlineOnly what="The audit log">
          <AuditTrail />
        </OnlineOnly>
      ) : (
        <p className="notice">Only owners and admins read the audit log.</p>
      )}
    </section>
  );
}

function AuditTrail() {
  const [filter, setFilter] = useState<AuditFilter>(NO_FILTER);
  const people = useAuditPeople();
  const pages = useAuditPages(filter);
  const names = new Map((people.data ?? []).map((person) => [person.id, person.name]));

  return (
    <>
      <FilterForm people={people.data ?? []} onApply={setFilter} />
      {pages.isPending ? (
        <p className="notice" role="status">
          Loading the audit log…
        </p>
      ) : pages.isError ? (
        <ProblemAlert error={pages.error} onRetry={() => void pages.refetch()} />
      ) : (
        <>
          {pages.data.pages[0]?.items.length === 0 ? (
            <p className="notice">No entry matches.</p>
          ) : (
            <ol className="row-list audit__entries" aria-label="Audit entries">
              {pages.data.pages.flatMap((page) =>
                page.items.map((entry) => (
                  <AuditEntryCard
                    key={entry.id}
                    entry={entry}
                    actorName={entry.actor_id ? names.get(entry.actor_id) : undefined}
                  />
                )),
              )}
            </ol>
          )}
          {pages.hasNextPage ? (
            <button
              className="button"
              type="button"
              disabled={pages.isFetchingNextPage}
              onClick={() => void pages.fetchNextPage()}
            >
              {pages.isFetchingNextPage ? 'Loading…' : 'Show older entries'}
            </button>
          ) : null}
        </>
      )}
    </>
  );
}

function FilterForm({ people, onApply }: { people: readonly MemberView[]; onApply: (filter: AuditFilter) => void }) {
  const id = useId();
  const [draft, setDraft] = useState<AuditFilter>(NO_FILTER);
  const set = (key: keyof AuditFilter) => (e: { target: { value: string } }) => {
    setDraft((d) => ({ ...d, [key]: e.target.value }));
  };

  function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    onApply(draft);
  }

  return (
    <form className="card audit__filter" aria-label="Filter the audit log" onSubmit={submit}>
      <div className="audit__filter-fields">
        <div className="field">
          <label htmlFor={`${id}-action`}>Action</label>
          <input id={`${id}-action`} value={draft.action} onChange={set('action')} placeholder="e.g. company.branding.update" />
        </div>
        <div className="field">
          <label htmlFor={`${id}-entity`}>Kind of record</label>
          <input id={`${id}-entity`} value={draft.entity} onChange={set('entity')} placeholder="e.g. vessel" />
        </div>
        <div className="field">
          <label htmlFor={`${id}-entity-id`}>Record id</label>
          <input id={`${id}-entity-id`} value={draft.entityId} onChange={set('entityId')} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-actor`}>Person</label>
          <select id={`${id}-actor`} value={draft.actor} onChange={set('actor')}>
            <option value="">Anyone</option>
            {people.map((person) => (
              <option key={person.id} value={person.id}>
                {person.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-outcome`}>Outcome</label>
          <select id={`${id}-outcome`} value={draft.outcome} onChange={set('outcome')}>
            <option value="">Done or refused</option>
            <option value="success">Done</option>
            <option value="failure">Refused</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-since`}>From</label>
          <input id={`${id}-since`} type="date" value={draft.since} onChange={set('since')} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-until`}>To</label>
          <input id={`${id}-until`} type="date" value={draft.until} onChange={set('until')} />
        </div>
      </div>
      <div className="audit__filter-actions">
        <button className="button" type="submit">
          Show
        </button>
        <button
          className="button"
          type="button"
          onClick={() => {
            setDraft(NO_FILTER);
            onApply(NO_FILTER);
          }}
        >
          Clear
        </button>
      </div>
    </form>
  );
}

/**
 * `/vessels/:id/equipment`: a vessel's equipment as one flat list, searchable by name or serial
 * number. The search is kept in the address (`?q=`), so "back" from an item returns to it.
 */
import { useCallback, useEffect, useId, useMemo, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import type { EquipmentView } from '../../../api/types';
import { may } from '../../../components/permissions';
import { ProblemAlert } from '../../../components/problem-alert';
import { useDocumentTitle } from '../../../components/use-document-title';
import { useSignedInRole } from '../../../session/session-context';
import { useVesselEquipment, useVesselName } from '../api/list-vessel-equipment';
import { wordFor } from './equipment-labels';
import { StatusBadge } from './status-badge';

/** How long typing may pause before the search runs. */
const SEARCH_DELAY_MS = 300;

/** The vessel's equipment list. */
export function VesselEquipmentPage() {
  const { id: vesselId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const q = params.get('q')?.trim() ?? '';
  const vesselName = useVesselName(vesselId);
  const role = useSignedInRole();
  const mayImport = role !== null && may(role, 'equipment.write');
  const { state, showMore, reload } = useVesselEquipment(vesselId, q);
  // Components often share names ("Jacket water pump" on each engine); the parent tells them
  // apart when it is among the items loaded (the flat list names only its id).
  const namesById = useMemo(() => new Map(state.items.map((item) => [item.id, item.name])), [state.items]);
  useDocumentTitle(vesselName ? `Equipment · ${vesselName}` : 'Equipment');

  const search = useCallback(
    (text: string) => {
      const trimmed = text.trim();
      if (trimmed === q) return;
      setParams(trimmed ? { q: trimmed } : {}, { replace: true });
    },
    [q, setParams],
  );

  return (
    <section className="equipment-list" aria-labelledby="equipment-list-title">
      <p className="back-link">
        <Link to="/vessels">All vessels</Link>
      </p>
      <div className="page-heading">
        <h1 id="equipment-list-title" className="page-title">
          Equipment
        </h1>
        {vesselName ? <p className="page-heading__sub">{vesselName}</p> : null}
      </div>
      {mayImport ? (
        <p className="back-link">
          <Link to={`/vessels/${vesselId}/import`}>Import equipment from a CSV file</Link>
        </p>
      ) : null}

      <SearchBox initial={q} onSearch={search} />

      {state.status === 'loading' ? (
        <p className="notice" role="status">
          {q ? `Searching for “${q}”…` : 'Loading equipment…'}
        </p>
      ) : null}
      {state.status === 'failed' && state.error ? <ProblemAlert error={state.error} onRetry={reload} /> : null}

      {state.status !== 'loading' && state.status !== 'failed' ? (
        <>
          {state.items.length === 0 ? (
            <p className="notice">
              {q ? `No equipment matches “${q}”.` : 'No equipment is registered on this vessel yet.'}
            </p>
          ) : (
            <ul className="equipment-items" aria-label="Equipment">
              {state.items.map((item) => (
                <EquipmentRow
                  key={item.id}
                  item={item}
                  parentName={item.parent_id ? namesById.get(item.parent_id) : undefined}
                />
              ))}
            </ul>
          )}
          <div className="equipment-list__footer">
            <p className="equipment-list__count" role="status">
              {countText(state.items.length, state.nextCursor !== null, q)}
            </p>
            {state.error ? <ProblemAlert error={state.error} onRetry={showMore} /> : null}
            {state.nextCursor !== null && !state.error ? (
              <button className="button" type="button" disabled={state.status === 'more'} onClick={showMore}>
                {state.status === 'more' ? 'Loading more…' : 'Show more'}
              </button>
            ) : null}
          </div>
        </>
      ) : null}
    </section>
  );
}

function countText(shown: number, hasMore: boolean, q: string): string {
  if (shown === 0) return '';
  const items = shown === 1 ? '1 item' : `${shown} items`;
  if (hasMore) return `Showing the first ${items}`;
  return q ? `${items} found` : items;
}

/** The search field: searches as the person types (after a pause) and on Enter. */
function SearchBox({ initial, onSearch }: { initial: string; onSearch: (text: string) => void }) {
  const id = useId();
  const [text, setText] = useState(initial);

  useEffect(() => {
    const timer = setTimeout(() => {
      onSearch(text);
    }, SEARCH_DELAY_MS);
    return () => {
      clearTimeout(timer);
    };
  }, [text, onSearch]);

  return (
    <form
      className="search"
      role="search"
      onSubmit={(event) => {
        event.preventDefault();
        onSearch(text);
      }}
    >
      <div className="field">
        <label htmlFor={`${id}-q`}>Search equipment</label>
        <input
          id={`${id}-q`}
          type="search"
          name="q"
          enterKeyHint="search"
          autoComplete="off"
          placeholder="Name or serial number"
          value={text}
          onChange={(event) => {
            setText(event.target.value);
          }}
        />
      </div>
    </form>
  );
}

function EquipmentRow({ item, parentName }: { item: EquipmentView; parentName: string | undefined }) {
  const details = [
    parentName ? `in ${parentName}` : wordFor(item.level),
    wordFor(item.area),
    [item.maker, item.model].filter(Boolean).join(' '),
    item.serial_number ? `S/N ${item.serial_number}` : null,
  ]
    .filter(Boolean)
    .join(' · ');
  return (
    <li className="equipment-item">
      <div className="equipment-item__text">
        {/* The link names the item only; its ::after stretches it over the whole row. */}
        <Link className="equipment-item__link" to={`/equipment/${encodeURIComponent(item.id)}`}>
          {item.name}
        </Link>
        <span className="equipment-item__details">{details}</span>
      </div>
      {item.effective_status !== 'operational' ? <StatusBadge item={item} /> : null}
    </li>
  );
}

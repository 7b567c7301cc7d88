/**
 * `/catalogue`: the company's parts, from the replica and the parts created or edited here and
 * still in the outbox, searched by number, name and maker (`?q=`, every word). Roles with
 * `catalogue.write` add parts ("New part"), edit them and "Import CSV" (`/catalogue/import`, online);
 * everyone may "Download CSV" of it (online). Reached from a vessel's stock
 * (`?vessel=`), or on a device that holds one vessel, each part opens its stock on that vessel.
 */
import '../../../components/maintenance.css';
import './stock.css';
import { useId } from 'react';
import { Link, useSearchParams } from 'react-router';

import { fieldsOf, textOf } from '../../../components/local-writes';
import { PendingMark } from '../../../components/pending-mark';
import { may } from '../../../components/permissions';
import { useDocumentTitle } from '../../../components/use-document-title';
import { useSignedInUser } from '../../../session/session-context';
import { ENTITY } from '../../../sync/entities';
import { useReplicaRow } from '../../../sync/replica-queries';
import { partMatches, useParts, type PartItem } from '../../../components/parts-catalogue';
import { fetchCatalogueCsv } from '../api/exports';
import { useReplicaVesselList } from '../api/stock';
import { CsvDownload } from './csv-download';
import { PartMarks, PartName, Refusal } from './stock-labels';

/** The page. */
export function CataloguePage() {
  useDocumentTitle('Catalogue');
  const user = useSignedInUser();
  const [params, setParams] = useSearchParams();
  const query = params.get('q') ?? '';
  const vessels = useReplicaVesselList();
  const onlyVessel = vessels?.length === 1 ? (vessels[0]?.id ?? null) : null;
  const vesselId = params.get('vessel')?.toLowerCase() ?? onlyVessel;
  const vessel = useReplicaRow(ENTITY.vessel, vesselId ?? '');
  const vesselName = vessel ? textOf(fieldsOf(vessel), 'name') : null;
  const parts = useParts();
  const titleId = useId();
  const searchId = useId();
  const mayWrite = may(user.role, 'catalogue.write');
  const carry = params.get('vessel') ? `?vessel=${encodeURIComponent(params.get('vessel') ?? '')}` : '';
  const shown = parts?.filter((p) => query.trim() === '' || partMatches(p, query));

  return (
    <section className="stock" aria-labelledby={titleId}>
      {vesselId !== null && params.get('vessel') ? (
        <p className="back-link">
          <Link to={`/vessels/${encodeURIComponent(vesselId)}/stock`}>Stock on {vesselName ?? 'the vessel'}</Link>
        </p>
      ) : null}
      <h1 id={titleId} className="page-title">
        Catalogue
      </h1>
      <p className="button-row">
        {mayWrite ? (
          <>
            <Link className="button button--primary" to={`/catalogue/new${carry}`}>
              New part
            </Link>
            <Link className="button" to={`/catalogue/import${carry}`}>
              Import CSV<span className="visually-hidden"> into the catalogue</span>
            </Link>
          </>
        ) : null}
        <CsvDownload fileName="parts.csv" fetchCsv={fetchCatalogueCsv} what="the catalogue" />
      </p>
      <div className="card filters stock-filters" role="search" aria-label="Search the catalogue">
        <div className="field">
          <label htmlFor={searchId}>Search parts</label>
          <input
            id={searchId}
            type="search"
            enterKeyHint="search"
            autoComplete="off"
            placeholder="Number, name or maker"
            value={query}
            onChange={(e) => {
              const next = new URLSearchParams(params);
              if (e.target.value === '') next.delete('q');
              else next.set('q', e.target.value);
              setParams(next, { replace: true });
            }}
          />
        </div>
      </div>
      {shown === undefined || parts === undefined ? (
        <p className="notice" role="status">
          Loading the catalogue…
        </p>
      ) : parts.length === 0 ? (
        <p className="notice">
          The catalogue is empty.{' '}
          {mayWrite ? 'Add the first part with “New part”.' : 'An owner, admin or manager adds the company’s parts.'}
        </p>
      ) : shown.length === 0 ? (
        <p className="notice">No parts match.</p>
      ) : (
        <ul className="stock-list" aria-label="Parts">
          {shown.map((p) => (
            <CatalogueItem key={p.id} part={p} vesselId={vesselId} mayWrite={mayWrite} carry={carry} />
          ))}
        </ul>
      )}
    </section>
  );
}

function CatalogueItem({ part, vesselId, mayWrite, carry }: { part: PartItem; vesselId: string | null; mayWrite: boolean; carry: string }) {
  const titleId = useId();
  const latest = part.pending.at(-1);
  return (
    <li className="stock-item" aria-labelledby={titleId}>
      <h2 id={titleId} className="stock-item__title">
        {vesselId !== null ? (
          <Link to={`/vessels/${encodeURIComponent(vesselId)}/stock/parts/${encodeURIComponent(part.id)}`}>
            <PartName part={part} />
          </Link>
        ) : (
          <PartName part={part} />
        )}
      </h2>
      <PartMarks critical={part.critical} low={false} />
      <dl className="stock-item__facts">
        <div>
          <dt>Maker</dt>
          <dd>{part.maker ?? '—'}</dd>
        </div>
        <div>
          <dt>Unit</dt>
          <dd>{part.unit}</dd>
        </div>
        {latest ? (
          <div>
            <dt>Sync</dt>
            <dd>
              <PendingMark write={latest} />
              <Refusal write={latest} />
            </dd>
          </div>
        ) : null}
      </dl>
      {mayWrite ? (
        <p className="stock-item__links">
          <Link to={`/catalogue/${encodeURIComponent(part.id)}/edit${carry}`}>
            Edit<span className="visually-hidden"> {part.number}</span>
          </Link>
        </p>
      ) : null}
    </li>
  );
}

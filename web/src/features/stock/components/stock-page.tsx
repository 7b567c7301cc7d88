/**
 * `/vessels/:id/stock`: the parts held on a vessel, from the replica and this person's movements
 * still in the outbox — number, name, on hand per location and in all with the unit, "Low"
 * (below the rule's minimum, with the quantity to order) and "Critical spare" — filtered by text
 * (`?q=`: number, name, maker; every word) and "Low only" (`?low=1`); a search also finds the
 * catalogue's parts with none on board. Under it, the vessel's stock locations, added there by
 * the roles that write the catalogue. Links to the vessel's transfers, "Download CSV" of its
 * stock (online) and, for roles that move stock, "Import count" (the export counted, imported
 * back: `/vessels/:id/stock/import`). `/stock` goes to the person's vessel (or lets them pick
 * one). Everything works with the network off.
 */
import '../../../components/maintenance.css';
import './stock.css';
import { useId, useState } from 'react';
import { Link, Navigate, useParams, useSearchParams } from 'react-router';

import { fieldsOf, textOf } from '../../../components/local-writes';
import { PendingMark } from '../../../components/pending-mark';
import { may } from '../../../components/permissions';
import { useDocumentTitle } from '../../../components/use-document-title';
import { useSignedInUser } from '../../../session/session-context';
import { ENTITY } from '../../../sync/entities';
import { useReplicaRow } from '../../../sync/replica-queries';
import { partMatches, useParts, type PartItem } from '../../../components/parts-catalogue';
import { hasRule, useVesselStock, type PartStock, type StockLocation } from '../../../components/stock-levels';
import { fetchVesselStockCsv, stockFileName } from '../api/exports';
import { useReplicaVesselList } from '../api/stock';
import { CsvDownload } from './csv-download';
import { PartMarks, PartName, withUnit } from './stock-labels';
import { ZERO } from '../../../components/quantity';
import { useReorders, type ReorderLine } from '../../../components/reorders';
import { StockLocations } from './stock-locations';

/** The page: a vessel's stock, or the choice of vessel. */
export function StockPage() {
  const { id } = useParams();
  const user = useSignedInUser();
  if (!may(user.role, 'stock.read')) {
    return (
      <section className="card">
        <h1 className="page-title">Stock</h1>
        <p className="notice">Your role does not read stock.</p>
      </section>
    );
  }
  return id === undefined ? <ChooseVessel /> : <VesselStock vesselId={id.toLowerCase()} />;
}

function ChooseVessel() {
  useDocumentTitle('Stock');
  const vessels = useReplicaVesselList();
  if (vessels === undefined) {
    return (
      <p className="notice" role="status">
        Loading…
      </p>
    );
  }
  const [only] = vessels;
  if (vessels.length === 1 && only) return <Navigate to={`/vessels/${encodeURIComponent(only.id)}/stock`} replace />;
  return (
    <section className="stock card" aria-labelledby="stock-title">
      <h1 id="stock-title" className="page-title">
        Stock
      </h1>
      {vessels.length === 0 ? (
        <p className="notice">No vessels on this device yet: they arrive with the first sync, once there is a connection.</p>
      ) : (
        <ul className="stock-vessels" aria-label="Vessels">
          {vessels.map((v) => (
            <li key={v.id}>
              <Link to={`/vessels/${encodeURIComponent(v.id)}/stock`}>{v.name}</Link>
            </li>
          ))}
        </ul>
      )}
      <p>
        <Link to="/catalogue">The parts catalogue</Link>
      </p>
    </section>
  );
}

function VesselStock({ vesselId }: { vesselId: string }) {
  const user = useSignedInUser();
  const [params, setParams] = useSearchParams();
  const query = params.get('q') ?? '';
  const lowOnly = params.get('low') === '1';
  const vessel = useReplicaRow(ENTITY.vessel, vesselId);
  const vesselName = vessel ? textOf(fieldsOf(vessel), 'name') : null;
  useDocumentTitle(vesselName ? `Stock on ${vesselName}` : 'Stock');
  const titleId = useId();
  const filterId = useId();
  const data = useVesselStock(vesselId);
  const parts = useParts();

  function setFilter(name: string, value: string) {
    const next = new URLSearchParams(params);
    if (value === '') next.delete(name);
    else next.set(name, value);
    setParams(next, { replace: true });
  }

  const partById = new Map((parts ?? []).map((p) => [p.id, p]));
  const held =
    data &&
    [...data.stock.values()]
      .map((stock) => ({ stock, part: partById.get(stock.partId) ?? null }))
      .sort((a, b) => (a.part?.number ?? '').localeCompare(b.part?.number ?? '', undefined, { numeric: true, sensitivity: 'base' }));
  const shown = held
    ?.filter(({ part }) => query.trim() === '' || (part !== null && partMatches(part, query)))
    .filter(({ stock }) => !lowOnly || stock.low);
  const notOnBoard =
    query.trim() === '' || !data ? [] : (parts ?? []).filter((p) => !data.stock.has(p.id) && partMatches(p, query));
  const catalogueLink = `/catalogue?vessel=${encodeURIComponent(vesselId)}`;
  const reorders = useReorders();
  const toReorder: ReorderLine[] = reorders
    ? (held ?? []).flatMap(({ stock }) =>
        stock.low && stock.suggestedOrder !== null && !reorders.requested(stock.partId)
          ? [{ partId: stock.partId, quantity: stock.suggestedOrder }]
          : [],
      )
    : [];

  return (
    <section className="stock" aria-labelledby={titleId}>
      <h1 id={titleId} className="page-title">
        Stock{vesselName ? ` on ${vesselName}` : ''}
      </h1>
      <p className="button-row">
        <Link className="button" to={catalogueLink}>
          Catalogue
        </Link>
        <Link className="button" to={`/vessels/${encodeURIComponent(vesselId)}/equipment`}>
          Equipment
        </Link>
        <Link className="button" to={`/vessels/${encodeURIComponent(vesselId)}/stock/transfers`}>
          Transfers
        </Link>
        <CsvDownload
          fileName={stockFileName(vesselName, vesselId)}
          fetchCsv={(client) => fetchVesselStockCsv(client, vesselId)}
          what={`the stock on ${vesselName ?? 'this vessel'}`}
        />
        {may(user.role, 'stock.move') ? (
          <Link className="button" to={`/vessels/${encodeURIComponent(vesselId)}/stock/import`}>
            Import count<span className="visually-hidden"> into the stock on {vesselName ?? 'this vessel'}</span>
          </Link>
        ) : null}
      </p>
      {data === undefined || parts === undefined ? (
        <p className="notice" role="status">
          Loading stock…
        </p>
      ) : (
        <>
          {data.locations.length === 0 ? (
            <p className="notice notice--warning">
              No stock locations on this vessel yet.{' '}
              {may(user.role, 'catalogue.write')
                ? 'Add the first one under “Stock locations” below: a store, a locker or a shelf.'
                : 'An owner, admin or manager adds them; stock is received into them.'}
            </p>
          ) : null}
          <div className="card filters stock-filters" role="search" aria-label="Filter stock">
            <div className="field">
              <label htmlFor={`${filterId}-q`}>Search parts</label>
              <input
                id={`${filterId}-q`}
                type="search"
                enterKeyHint="search"
                autoComplete="off"
                placeholder="Number, name or maker"
                value={query}
                onChange={(e) => {
                  setFilter('q', e.target.value);
                }}
              />
            </div>
            <label className="checkbox">
              <input
                type="checkbox"
                checked={lowOnly}
                onChange={(e) => {
                  setFilter('low', e.target.checked ? '1' : '');
                }}
              />
              Low only
            </label>
          </div>
          {held?.length === 0 ? (
            <p className="notice">
              No parts are held on this vessel yet.{' '}
              {may(user.role, 'stock.move') ? (
                <>
                  Find a part in the <Link to={catalogueLink}>catalogue</Link> and receive it from its page.
                </>
              ) : null}
            </p>
          ) : shown?.length === 0 ? (
            <p className="notice">{lowOnly ? 'No parts held here match, or none is low.' : 'No parts held here match.'}</p>
          ) : (
            <>
              {reorders && toReorder.length > 0 ? <RequestAllReorders lines={toReorder} /> : null}
              <ul className="stock-list" aria-label="Stock">
              {shown?.map(({ stock, part }) => (
                  <StockItem key={stock.partId} vesselId={vesselId} stock={stock} part={part} locations={data.locations} />
                ))}
              </ul>
            </>
          )}
          {notOnBoard.length > 0 ? (
            <section className="card" aria-labelledby={`${titleId}-catalogue`}>
              <h2 id={`${titleId}-catalogue`} className="card__title">
                In the catalogue, none on board
              </h2>
              <ul className="stock-catalogue-matches" aria-labelledby={`${titleId}-catalogue`}>
                {notOnBoard.map((p) => (
                  <li key={p.id}>
                    <Link to={`/vessels/${encodeURIComponent(vesselId)}/stock/parts/${encodeURIComponent(p.id)}`}>
                      <PartName part={p} />
                    </Link>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          <StockLocations vesselId={vesselId} locations={data.locations} />
        </>
      )}
    </section>
  );
}

function StockItem({
  vesselId,
  stock,
  part,
  locations,
}: {
  vesselId: string;
  stock: PartStock;
  part: PartItem | null;
  locations: readonly StockLocation[];
}) {
  const titleId = useId();
  const unit = part?.unit ?? '';
  const pathOf = new Map(locations.map((l) => [l.id, l.path]));
  const latest = stock.pending.at(-1);
  return (
    <li className={`stock-item${stock.low ? ' stock-item--low' : ''}`} aria-labelledby={titleId}>
      <h2 id={titleId} className="stock-item__title">
        <Link to={`/vessels/${encodeURIComponent(vesselId)}/stock/parts/${encodeURIComponent(stock.partId)}`}>
          {part ? <PartName part={part} /> : 'A part not yet on this device'}
        </Link>
      </h2>
      <PartMarks critical={part?.critical ?? false} low={stock.low} />
      <dl className="stock-item__facts">
        <div>
          <dt>On hand</dt>
          <dd className="stock-quantity">{withUnit(stock.total, unit)}</dd>
        </div>
        {stock.incoming > ZERO ? (
          <div>
            <dt>On its way</dt>
            <dd className="stock-quantity">{withUnit(stock.incoming, unit)}</dd>
          </div>
        ) : null}
        {stock.low && stock.suggestedOrder !== null ? (
          <div>
            <dt>To order</dt>
            <dd className="stock-quantity">{withUnit(stock.suggestedOrder, unit)}</dd>
          </div>
        ) : null}
        {hasRule(stock.rule) ? (
          <div>
            <dt>Minimum</dt>
            <dd className="stock-quantity">{withUnit(stock.rule.minimum, unit)}</dd>
          </div>
        ) : null}
        {latest ? (
          <div>
            <dt>Sync</dt>
            <dd>
              <PendingMark write={latest} />
            </dd>
          </div>
        ) : null}
      </dl>
      {stock.low && stock.suggestedOrder !== null ? (
        <Reorder partId={stock.partId} quantity={stock.suggestedOrder} partName={part?.name ?? 'this part'} />
      ) : null}
      {stock.byLocation.size > 0 ? (
        <ul className="stock-item__locations" aria-label="By location">
          {[...stock.byLocation].map(([location, quantity]) => (
            <li key={location}>
              <span>{pathOf.get(location) ?? 'A location not yet on this device'}</span>{' '}
              <span className="stock-quantity">{withUnit(quantity, unit)}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </li>
  );
}

/** Raising requisitions from the page, with what failed (the outbox refuses only before a sign-in). */
function useReorderRequest(): { run: (lines: readonly ReorderLine[]) => Promise<void>; busy: boolean; failure: string | null } {
  const reorders = useReorders();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  async function run(lines: readonly ReorderLine[]) {
    if (!reorders) return;
    setBusy(true);
    setFailure(null);
    try {
      await reorders.request(lines);
    } catch (e) {
      setFailure(e instanceof Error ? e.message : 'The reorder could not be saved on this device.');
    } finally {
      setBusy(false);
    }
  }
  return { run, busy, failure };
}

/** "Request all reorders": one requisition per low part not yet asked for. */
function RequestAllReorders({ lines }: { lines: readonly ReorderLine[] }) {
  const { run, busy, failure } = useReorderRequest();
  return (
    <div className="stock-reorder-all">
      <button
        type="button"
        className="button button--primary"
        disabled={busy}
        onClick={() => {
          void run(lines);
        }}
      >
        Request all reorders ({lines.length})
      </button>
      {failure ? (
        <p role="alert">
          {failure}
        </p>
      ) : null}
    </div>
  );
}

/** A low line's "Request reorder", or "Requested" once its part has an open requisition. */
function Reorder({ partId, quantity, partName }: { partId: string; quantity: bigint; partName: string }) {
  const reorders = useReorders();
  const { run, busy, failure } = useReorderRequest();
  if (!reorders) return null;
  if (reorders.requested(partId)) {
    return (
      <p className="stock-item__reorder">
        <span className="stock-requested">Requested</span>
      </p>
    );
  }
  return (
    <div className="stock-item__reorder">
      <button
        type="button"
        className="button"
        disabled={busy}
        onClick={() => {
          void run([{ partId, quantity }]);
        }}
      >
        Request reorder<span className="visually-hidden"> of {partName}</span>
      </button>
      {failure ? (
        <p role="alert">
          {failure}
        </p>
      ) : null}
    </div>
  );
}

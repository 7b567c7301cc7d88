/**
 * `/vessels/:id/stock/parts/:partId`: one part of the catalogue on one vessel — its fields, what
 * each location holds and the total ("Low" below the rule's minimum, with the quantity to
 * order), "Receive" and "Adjust" for roles with `stock.move` (and on each location's line "Send to
 * another location", `transfer-forms.tsx`), the stock rule (set by roles with
 * `catalogue.write`, who also get "Edit part"), and the ledger, newest first. Read from the
 * replica and the outbox: a movement recorded offline shows at once, "on this device".
 */
import '../../../components/maintenance.css';
import './stock.css';
import { useId, useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';

import { fieldsOf, textOf } from '../../../components/local-writes';
import { may } from '../../../components/permissions';
import { useDocumentTitle } from '../../../components/use-document-title';
import { useSignedInUser } from '../../../session/session-context';
import { ENTITY } from '../../../sync/entities';
import { useReplicaRow } from '../../../sync/replica-queries';
import { useParts, type PartItem } from '../../../components/parts-catalogue';
import { ZERO, type Thousandths } from '../../../components/quantity';
import type { PartStock, StockLocation } from '../../../components/stock-levels';
import { usePartStock, type LedgerEntry } from '../api/stock';
import { PartLedger } from './part-ledger';
import { AdjustForm, ReceiveForm } from './stock-movement-forms';
import { TransferForm } from './transfer-forms';
import { StockRuleSection } from './stock-rule-form';
import { PartMarks, PartName, PendingWrites, withUnit } from './stock-labels';

/** The page. */
export function PartStockPage() {
  const { id = '', partId = '' } = useParams();
  const vesselId = id.toLowerCase();
  const parts = useParts();
  const part = parts?.find((p) => p.id === partId.toLowerCase());
  const data = usePartStock(vesselId, partId);
  useDocumentTitle(part ? `${part.number} ${part.name}` : 'Part');
  if (parts === undefined || data === undefined) {
    return (
      <p className="notice" role="status">
        Loading the part…
      </p>
    );
  }
  if (!part) {
    return (
      <section className="card">
        <h1 className="page-title">Part not found</h1>
        <p className="notice">
          It is not in the catalogue on this device: it may have been removed, or not synced yet.{' '}
          <Link to={`/vessels/${encodeURIComponent(vesselId)}/stock`}>Back to the vessel’s stock</Link>
        </p>
      </section>
    );
  }
  return <PartOnVessel vesselId={vesselId} part={part} parts={parts} stock={data.stock} locations={data.locations} ledger={data.ledger} />;
}

function PartOnVessel({
  vesselId,
  part,
  parts,
  stock,
  locations,
  ledger,
}: {
  vesselId: string;
  part: PartItem;
  parts: readonly PartItem[];
  stock: PartStock | null;
  locations: StockLocation[];
  ledger: LedgerEntry[];
}) {
  const titleId = useId();
  const user = useSignedInUser();
  const vessel = useReplicaRow(ENTITY.vessel, vesselId);
  const vesselName = vessel ? textOf(fieldsOf(vessel), 'name') : null;
  const partById = new Map(parts.map((p) => [p.id, p]));
  const facts: [string, ReactNode][] = [
    ['Part number', part.number],
    ['Maker', part.maker ?? '—'],
    ['Unit', part.unit],
    ['Critical spare', part.critical ? 'Yes' : 'No'],
  ];
  if (part.equivalents.length > 0) {
    facts.push([
      'Equivalents',
      <ul className="stock-equivalents">
        {part.equivalents.map((e) => {
          const other = partById.get(e);
          return (
            <li key={e}>
              {other ? (
                <Link to={`/vessels/${encodeURIComponent(vesselId)}/stock/parts/${encodeURIComponent(e)}`}>
                  <PartName part={other} />
                </Link>
              ) : (
                'A part not yet on this device'
              )}
            </li>
          );
        })}
      </ul>,
    ]);
  }
  return (
    <article className="stock" aria-labelledby={titleId}>
      <p className="back-link">
        <Link to={`/vessels/${encodeURIComponent(vesselId)}/stock`}>Stock on {vesselName ?? 'this vessel'}</Link>
      </p>
      <div className="card">
        <p className="stock-kicker">{part.number}</p>
        <h1 id={titleId} className="page-title">
          {part.name}
        </h1>
        <PartMarks critical={part.critical} low={stock?.low ?? false} />
        <dl className="facts">
          {facts.map(([term, value]) => (
            <div key={term}>
              <dt>{term}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
        <PendingWrites writes={part.pending} label="Changes to the part not yet accepted" />
        {may(user.role, 'catalogue.write') ? (
          <p className="button-row stock-actions">
            <Link className="button" to={`/catalogue/${encodeURIComponent(part.id)}/edit?vessel=${encodeURIComponent(vesselId)}`}>
              Edit part
            </Link>
          </p>
        ) : null}
      </div>
      <OnHand part={part} stock={stock} locations={locations} />
      <StockRuleSection vesselId={vesselId} partId={part.id} unit={part.unit} rule={stock?.rule ?? null} />
      <PartLedger entries={ledger} unit={part.unit} locations={locations} />
    </article>
  );
}

/** What each location holds, the total, and the movements for those who make them. */
function OnHand({ part, stock, locations }: { part: PartItem; stock: PartStock | null; locations: StockLocation[] }) {
  const titleId = useId();
  const formId = useId();
  const user = useSignedInUser();
  const [open, setOpen] = useState<'receive' | 'adjust' | null>(null);
  const [sendFrom, setSendFrom] = useState<string | null>(null);
  const byLocation = stock?.byLocation ?? new Map<string, Thousandths>();
  const pathOf = new Map(locations.map((l) => [l.id, l.path]));
  // A part the server refused to create takes no stock either.
  const mayMove = may(user.role, 'stock.move') && !part.refused;
  // A location the server refused to create takes no stock.
  const usable = locations.filter((l) => l.pending?.state !== 'rejected');
  const source = sendFrom === null ? undefined : usable.find((l) => l.id === sendFrom);
  return (
    <section className="card" aria-labelledby={titleId}>
      <h2 id={titleId} className="card__title">
        On hand
      </h2>
      {byLocation.size === 0 ? (
        <p className="notice">None on board.</p>
      ) : (
        <table className="stock-table">
          <caption className="visually-hidden">On hand by location</caption>
          <thead>
            <tr>
              <th scope="col">Location</th>
              <th scope="col" className="stock-table__number">
                On hand
              </th>
              {mayMove ? (
                <th scope="col">
                  <span className="visually-hidden">Send</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {[...byLocation].map(([location, quantity]) => (
              <tr key={location}>
                <th scope="row">{pathOf.get(location) ?? 'A location not yet on this device'}</th>
                <td className="stock-table__number">{withUnit(quantity, part.unit)}</td>
                {mayMove ? (
                  <td>
                    {quantity > ZERO && usable.some((l) => l.id === location) ? (
                      <button
                        className="link-button"
                        type="button"
                        aria-expanded={sendFrom === location}
                        aria-controls={`${formId}-send`}
                        onClick={() => {
                          setSendFrom(sendFrom === location ? null : location);
                        }}
                      >
                        Send to another location<span className="visually-hidden"> from {pathOf.get(location)}</span>
                      </button>
                    ) : null}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Total</th>
              <td className="stock-table__number">{withUnit(stock?.total ?? ZERO, part.unit)}</td>
              {mayMove ? <td /> : null}
            </tr>
          </tfoot>
        </table>
      )}
      {mayMove ? (
        <div id={`${formId}-send`} hidden={source === undefined}>
          {source ? (
            <TransferForm key={source.id} partId={part.id} unit={part.unit} from={source} onHand={byLocation.get(source.id) ?? ZERO} />
          ) : null}
        </div>
      ) : null}
      {stock?.low && stock.suggestedOrder !== null ? (
        <p className="notice notice--warning">
          Low: below the minimum of {withUnit(stock.rule?.minimum ?? ZERO, part.unit)}. Order {withUnit(stock.suggestedOrder, part.unit)}.
        </p>
      ) : null}
      {mayMove ? (
        usable.length === 0 ? (
          <p className="notice">No stock locations on this vessel yet: stock is received into a location, which an owner, admin or manager adds on the vessel’s stock page.</p>
        ) : (
          <>
            <div className="button-row stock-actions">
              {(['receive', 'adjust'] as const).map((which) => (
                <button
                  key={which}
                  className="button"
                  type="button"
                  aria-expanded={open === which}
                  aria-controls={`${formId}-${which}`}
                  onClick={() => {
                    setOpen(open === which ? null : which);
                  }}
                >
                  {which === 'receive' ? 'Receive' : 'Adjust'}
                </button>
              ))}
            </div>
            <div id={`${formId}-receive`} hidden={open !== 'receive'}>
              {open === 'receive' ? <ReceiveForm partId={part.id} unit={part.unit} locations={usable} /> : null}
            </div>
            <div id={`${formId}-adjust`} hidden={open !== 'adjust'}>
              {open === 'adjust' ? <AdjustForm partId={part.id} unit={part.unit} locations={usable} onHand={byLocation} /> : null}
            </div>
          </>
        )
      ) : null}
    </section>
  );
}

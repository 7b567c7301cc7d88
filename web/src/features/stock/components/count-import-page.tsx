/**
 * `/vessels/:id/stock/import` (roles with `stock.move`): a stock count, or the vessel's opening
 * stock, from a CSV file — the vessel's stock export with `on_hand` changed to what was counted.
 * The server checks the file first (a dry run: how many on-hands it sets, leaves as they are and
 * skips, each set row's part and location with its on hand before → after, or every problem by
 * line) and imports it only once it is clean, all or nothing: each set row an adjustment of the
 * difference, so the same file twice changes nothing. Online only; the adjustments reach this
 * device by sync, which is asked to run at once.
 */
import '../../../components/maintenance.css';
import './stock.css';
import { useId } from 'react';
import { Link, useParams } from 'react-router';

import { api } from '../../../api/client';
import { CsvImport, rowCount } from '../../../components/csv-import';
import { fieldsOf, textOf } from '../../../components/local-writes';
import { OnlineOnly } from '../../../components/online-only';
import { useParts } from '../../../components/parts-catalogue';
import { may } from '../../../components/permissions';
import { quantityOf } from '../../../components/quantity';
import { useVesselStock } from '../../../components/stock-levels';
import { useDocumentTitle } from '../../../components/use-document-title';
import { useSignedInUser } from '../../../session/session-context';
import { ENTITY } from '../../../sync/entities';
import { useReplicaRow } from '../../../sync/replica-queries';
import { useSyncClient } from '../../../sync/sync-context';
import { importCount, settingRows, type CountedRow, type CountImportReport } from '../api/count-import';
import { displayQuantity, withUnit } from './stock-labels';

/** The most rows the report lists; the counts cover every row. */
const LISTED_ROWS = 500;

/** The page. */
export function CountImportPage() {
  const { id = '' } = useParams();
  const vesselId = id.toLowerCase();
  const user = useSignedInUser();
  const sync = useSyncClient();
  const vessel = useReplicaRow(ENTITY.vessel, vesselId);
  const vesselName = vessel ? textOf(fieldsOf(vessel), 'name') : null;
  useDocumentTitle(vesselName ? `Import a stock count on ${vesselName}` : 'Import a stock count');
  const titleId = useId();
  const stockLink = `/vessels/${encodeURIComponent(vesselId)}/stock`;
  return (
    <section className="stock import" aria-labelledby={titleId}>
      <p className="back-link">
        <Link to={stockLink}>Stock{vesselName ? ` on ${vesselName}` : ''}</Link>
      </p>
      <h1 id={titleId} className="page-title">
        Import a stock count
      </h1>
      {may(user.role, 'stock.move') ? (
        <>
          <p>
            The file is this vessel’s stock export (“Download CSV” on its stock page) with each <code>on_hand</code> changed
            to what you counted there.
          </p>
          <OnlineOnly what="Importing a stock count">
            <CsvImport
              hint={
                <>
                  The columns of the stock’s “Download CSV”, named in a header row in any order; only number (the part’s),
                  location (its name on this vessel) and on_hand are read. Each row sets the part’s on hand at that location,
                  as an adjustment of the difference, so importing the same file again changes nothing. A row with no
                  location and no count is skipped. At most 10,000 rows.
                </>
              }
              send={(csv, dryRun) => importCount(api, vesselId, csv, dryRun)}
              summary={countImportSummary}
              details={(report) => <CountedRows vesselId={vesselId} report={report} />}
              importLabel={(report) =>
                report.set === 0 ? null : `Import ${report.set.toLocaleString()} ${report.set === 1 ? 'count' : 'counts'}`
              }
              nothingToImport="Every count in the file agrees with the stock on hand: there is nothing to import."
              onImported={() => sync?.runner.notify('poke')}
            />
          </OnlineOnly>
        </>
      ) : (
        <p className="notice">Your role does not move stock.</p>
      )}
    </section>
  );
}

/** "1 to set, 40 unchanged, 2 skipped" (a dry run), "1 set, …" (an import). */
function counts(report: CountImportReport): string {
  const set = `${report.set.toLocaleString()} ${report.dry_run ? 'to set' : 'set'}`;
  return `${set}, ${report.unchanged.toLocaleString()} unchanged, ${report.skipped.toLocaleString()} skipped`;
}

/** A clean check, or an import done, in a sentence. */
export function countImportSummary(report: CountImportReport): string {
  if (!report.dry_run) return `${rowCount(report.rows)} imported: ${counts(report)}.`;
  return `All ${rowCount(report.rows)} are right: ${counts(report)}. Nothing is written yet.`;
}

/** An on hand as the server gives it, with the part's unit: "12.5 pcs". */
function onHand(quantity: CountedRow['before'], unit: string): string {
  const exact = quantityOf(quantity.value);
  return exact === null ? `${displayQuantity(quantity.value)} ${unit}`.trim() : withUnit(exact, unit);
}

/** The counts, then the rows that set an on hand, by line: part, location, before → after. */
function CountedRows({ vesselId, report }: { vesselId: string; report: CountImportReport }) {
  const parts = useParts();
  const stock = useVesselStock(vesselId);
  const partById = new Map((parts ?? []).map((p) => [p.id, p]));
  const pathOf = new Map((stock?.locations ?? []).map((l) => [l.id, l.path]));
  const setting = settingRows(report);
  const listed = setting.slice(0, LISTED_ROWS);
  return (
    <>
      <dl className="figures-list import__counts">
        <div>
          <dt>{report.dry_run ? 'To set' : 'Set'}</dt>
          <dd>{report.set.toLocaleString()}</dd>
        </div>
        <div>
          <dt>Unchanged</dt>
          <dd>{report.unchanged.toLocaleString()}</dd>
        </div>
        <div>
          <dt>Skipped</dt>
          <dd>{report.skipped.toLocaleString()}</dd>
        </div>
      </dl>
      {listed.length > 0 ? (
        <table className="figures import__rows">
          <caption className="visually-hidden">{report.dry_run ? 'On-hand figures the import sets' : 'On-hand figures set'}</caption>
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">Part and location</th>
              <th scope="col">On hand</th>
            </tr>
          </thead>
          <tbody>
            {listed.map((row) => {
              const part = row.part_id ? partById.get(row.part_id.toLowerCase()) : undefined;
              const where = row.location_id ? pathOf.get(row.location_id.toLowerCase()) : undefined;
              const unit = part?.unit ?? '';
              return (
                <tr key={row.row}>
                  <th scope="row">{row.row}</th>
                  <td className="import__number">
                    {row.part_id && !report.dry_run ? (
                      <Link to={`/vessels/${encodeURIComponent(vesselId)}/stock/parts/${encodeURIComponent(row.part_id.toLowerCase())}`}>
                        {row.number}
                      </Link>
                    ) : (
                      row.number
                    )}
                    {part ? ` ${part.name}` : ''}
                    {stock ? (
                      <>
                        <br />
                        <span className="field__hint">{where ?? 'A location not yet on this device'}</span>
                      </>
                    ) : null}
                  </td>
                  <td className="stock-quantity">
                    {onHand(row.before, unit)} → {onHand(row.after, unit)}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
      {setting.length > listed.length ? (
        <p className="notice">
          The first {listed.length.toLocaleString()} of {setting.length.toLocaleString()} are listed, by line.
        </p>
      ) : null}
      {report.dry_run ? null : (
        <p className="notice">
          Each change is in the parts’ ledgers as “Stock count (CSV import)”. The new figures reach this device’s{' '}
          <Link to={`/vessels/${encodeURIComponent(vesselId)}/stock`}>stock page</Link> with its next sync.
        </p>
      )}
    </>
  );
}

/**
 * `/catalogue/import` (roles with `catalogue.write`): the parts catalogue from a CSV file with
 * the columns of its "Download CSV". The server checks the file first (a dry run: how many
 * parts it adds, changes and leaves as they are, row by row, or every problem by line) and
 * imports it only once it is clean, all or nothing. Online only; the parts it writes reach
 * this device by sync, which is asked to run at once.
 */
import '../../../components/maintenance.css';
import './stock.css';
import { useId } from 'react';
import { Link, useSearchParams } from 'react-router';

import { api } from '../../../api/client';
import { CsvImport, rowCount } from '../../../components/csv-import';
import { OnlineOnly } from '../../../components/online-only';
import { may } from '../../../components/permissions';
import { useDocumentTitle } from '../../../components/use-document-title';
import { useSignedInUser } from '../../../session/session-context';
import { useSyncClient } from '../../../sync/sync-context';
import { changingRows, importCatalogue, type PartImportReport } from '../api/catalogue-import';

/** The most rows the report lists; the counts cover every row. */
const LISTED_ROWS = 500;

/** The page. */
export function CatalogueImportPage() {
  useDocumentTitle('Import parts');
  const user = useSignedInUser();
  const sync = useSyncClient();
  const [params] = useSearchParams();
  const titleId = useId();
  const vessel = params.get('vessel');
  const back = `/catalogue${vessel ? `?vessel=${encodeURIComponent(vessel)}` : ''}`;
  return (
    <section className="stock import" aria-labelledby={titleId}>
      <p className="back-link">
        <Link to={back}>Catalogue</Link>
      </p>
      <h1 id={titleId} className="page-title">
        Import parts
      </h1>
      {may(user.role, 'catalogue.write') ? (
        <OnlineOnly what="Importing the catalogue">
          <CsvImport
            hint={
              <>
                The columns of the catalogue’s “Download CSV”, named in a header row in any order: number, name, maker,
                unit, critical (yes or no) and equivalents (part numbers separated by “;”). Number, name and unit are
                needed. A row whose number is in the catalogue (case, spaces, “-”, “.” and “/” aside) changes that part;
                any other adds one. At most 10,000 rows.
              </>
            }
            send={(csv, dryRun) => importCatalogue(api, csv, dryRun)}
            summary={catalogueImportSummary}
            details={(report) => <CatalogueImportRows report={report} />}
            importLabel={(report) => {
              const parts = report.created + report.updated;
              return parts === 0 ? null : `Import ${parts.toLocaleString()} ${parts === 1 ? 'part' : 'parts'}`;
            }}
            nothingToImport="Every part in the file is in the catalogue as the file has it: there is nothing to import."
            onImported={() => sync?.runner.notify('poke')}
          />
        </OnlineOnly>
      ) : (
        <p className="notice">Your role does not change the parts catalogue.</p>
      )}
    </section>
  );
}

/** "1 new part, 2 changed, 40 unchanged". */
function counts(report: PartImportReport): string {
  return `${report.created.toLocaleString()} new ${report.created === 1 ? 'part' : 'parts'}, ${report.updated.toLocaleString()} changed, ${report.unchanged.toLocaleString()} unchanged`;
}

/** A clean check, or an import done, in a sentence. */
export function catalogueImportSummary(report: PartImportReport): string {
  if (!report.dry_run) return `${rowCount(report.rows)} imported: ${counts(report)}.`;
  return `All ${rowCount(report.rows)} are right: ${counts(report)}. Nothing is written yet.`;
}

/** The counts, then the rows that add or change a part, by line (those left as they are only counted). */
function CatalogueImportRows({ report }: { report: PartImportReport }) {
  const changing = changingRows(report);
  const listed = changing.slice(0, LISTED_ROWS);
  return (
    <>
      <dl className="figures-list import__counts">
        <div>
          <dt>New</dt>
          <dd>{report.created.toLocaleString()}</dd>
        </div>
        <div>
          <dt>Changed</dt>
          <dd>{report.updated.toLocaleString()}</dd>
        </div>
        <div>
          <dt>Unchanged</dt>
          <dd>{report.unchanged.toLocaleString()}</dd>
        </div>
      </dl>
      {listed.length > 0 ? (
        <table className="figures import__rows">
          <caption className="visually-hidden">{report.dry_run ? 'Parts the import adds or changes' : 'Parts added or changed'}</caption>
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">Part number</th>
              <th scope="col">Change</th>
            </tr>
          </thead>
          <tbody>
            {listed.map((part) => (
              <tr key={part.row}>
                <th scope="row">{part.row}</th>
                <td className="import__number">
                  {report.dry_run ? part.number : <Link to={`/catalogue?q=${encodeURIComponent(part.number)}`}>{part.number}</Link>}
                </td>
                <td>{part.action === 'create' ? 'New part' : 'Changed'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {changing.length > listed.length ? (
        <p className="notice">
          The first {listed.length.toLocaleString()} of {changing.length.toLocaleString()} are listed, by line.
        </p>
      ) : null}
      {report.dry_run ? null : (
        <p className="notice">The parts reach this device and the crew’s with their next sync.</p>
      )}
    </>
  );
}

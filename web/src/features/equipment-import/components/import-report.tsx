/**
 * What the server said of a file: on a dry run every problem row by row (the line of the file,
 * what it reads, and each column's problem); after the import, each row's new item and its
 * label code.
 */
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { ImportReport } from '../api/import';

/** The report; `csv` is the file it is about, to quote each bad row. */
export function ImportReportView({ report, csv, children }: { report: ImportReport; csv: string; children?: ReactNode }) {
  const lines = csv.replace(/^\uFEFF/, '').split(/\r?\n/);
  const byRow = new Map<number, ImportReport['errors']>();
  for (const error of report.errors) byRow.set(error.row, [...(byRow.get(error.row) ?? []), error]);
  const rows = [...byRow.entries()].sort(([a], [b]) => a - b);

  return (
    <section className="card import__report" aria-labelledby="import-report-title">
      <h2 id="import-report-title" className="card__title">
        {report.dry_run ? 'Check of the file' : 'Imported'}
      </h2>
      <p role="status">{summary(report)}</p>
      {rows.length > 0 ? (
        <table className="figures import__problems">
          <caption className="visually-hidden">Problems, row by row</caption>
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">Row</th>
              <th scope="col">Problems</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([row, errors]) => (
              <tr key={row}>
                <th scope="row">{row}</th>
                <td>
                  <code className="import__line">{lines[row - 1] ?? ''}</code>
                </td>
                <td>
                  <ul className="import__errors">
                    {errors.map((error) => (
                      <li key={`${error.field}-${error.code}`}>
                        <strong>{error.field === 'row' ? 'Row' : error.field}</strong>: {error.message}
                      </li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {!report.dry_run && report.items.length > 0 ? (
        <table className="figures">
          <caption className="visually-hidden">Items imported</caption>
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">Ref</th>
              <th scope="col">Label code</th>
            </tr>
          </thead>
          <tbody>
            {report.items.map((item) => (
              <tr key={item.id}>
                <th scope="row">{item.row}</th>
                <td>{item.ref ?? '—'}</td>
                <td>
                  <Link to={`/equipment/${item.id}`}>{item.qr_code}</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {children}
    </section>
  );
}

function summary(report: ImportReport): string {
  const rows = `${report.rows.toLocaleString()} ${report.rows === 1 ? 'row' : 'rows'}`;
  if (!report.dry_run) return `${report.imported.toLocaleString()} items imported from ${rows}.`;
  if (report.valid) return `All ${rows} are right. Nothing is written yet.`;
  const bad = new Set(report.errors.map((e) => e.row)).size;
  const stopped = report.truncated && report.stopped_at_row ? ` Checking stopped at line ${report.stopped_at_row}.` : '';
  return `${bad.toLocaleString()} of ${rows} ${bad === 1 ? 'has' : 'have'} problems; nothing was written.${stopped}`;
}

/**
 * What the server said of a clean equipment file: on a dry run that every row is right; after
 * the import, how many items it wrote and each row's new item with its label code. Problems,
 * row by row, are the shared CSV import's (`components/csv-import.tsx`).
 */
import { Link } from 'react-router';
import { rowCount } from '../../../components/csv-import';
import type { ImportReport } from '../api/import';

/** A clean report in a sentence. */
export function equipmentImportSummary(report: ImportReport): string {
  if (!report.dry_run) return `${report.imported.toLocaleString()} items imported from ${rowCount(report.rows)}.`;
  return `All ${rowCount(report.rows)} are right. Nothing is written yet.`;
}

/** After the import: each row's new item, linked by its label code. */
export function ImportedItems({ report }: { report: ImportReport }) {
  if (report.dry_run || report.items.length === 0) return null;
  return (
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
  );
}

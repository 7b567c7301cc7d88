/**
 * A stock count, or a vessel's opening stock, from a CSV file with the columns of the vessel's
 * stock export (`POST /api/v1/vessels/{id}/stock/import`): each row sets the on-hand of one part
 * at one of the vessel's locations, the server posting the difference as an adjustment ("Stock
 * count (CSV import)"), so the same file imported twice changes nothing. A dry run says what
 * each row would do (set, unchanged, skipped) or every problem by line, writing nothing; the
 * import itself is all or nothing. Online only: a bulk import is not an outbox write, and the
 * adjustments it posts reach devices by sync like any other change.
 */
import { answer, type ApiClient } from '../../../api/client';
import type { components } from '../../../api/schema.gen';

/** What a count import did, or (dry run) would do. */
export type CountImportReport = components['schemas']['CountImportView'];

/** One row's outcome: its part and location, on hand before and after. */
export type CountedRow = components['schemas']['CountedRowView'];

/** The columns the server reads; the export's others may stay in the file. */
export const COUNT_COLUMNS = ['number', 'location', 'on_hand'] as const;

/** `POST /api/v1/vessels/{id}/stock/import`: a dry run (`200`) or the import (`201`, or a `422` having written nothing). */
export function importCount(
  client: Pick<ApiClient, 'POST'>,
  vesselId: string,
  csv: string,
  dryRun: boolean,
): Promise<CountImportReport> {
  return answer(
    client.POST('/api/v1/vessels/{id}/stock/import', {
      params: { path: { id: vesselId }, query: { dry_run: dryRun } },
      body: csv,
      // The file goes as it is, not as a JSON string.
      bodySerializer: (body: string) => body,
      headers: { 'Content-Type': 'text/csv' },
    }),
  );
}

/** The rows that change an on-hand, by line (those that agree or are skipped are only counted). */
export function settingRows(report: CountImportReport): CountedRow[] {
  return report.counted.filter((row) => row.action === 'set').sort((a, b) => a.row - b.row);
}

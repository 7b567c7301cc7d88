/**
 * Importing the parts catalogue from a CSV file with the export's columns
 * (`POST /api/v1/parts/import`): a dry run that says what each row would do (add a part, change
 * one, or nothing) or reports every problem row by row, writing nothing; then the import
 * itself, all or nothing. Online only: a bulk import is not an outbox write, and the parts it
 * writes reach devices by sync like any other change.
 */
import { answer, type ApiClient } from '../../../api/client';
import type { components } from '../../../api/schema.gen';

/** What a catalogue import did, or (dry run) would do. */
export type PartImportReport = components['schemas']['PartImportView'];

/** One row's outcome. */
export type ImportedPart = components['schemas']['ImportedPartView'];

/** The columns of the file, the export's, in its order. */
export const CATALOGUE_COLUMNS = ['number', 'name', 'maker', 'unit', 'critical', 'equivalents'] as const;

/** `POST /api/v1/parts/import`: a dry run (`200`) or the import (`201`, or a `422` having written nothing). */
export function importCatalogue(client: Pick<ApiClient, 'POST'>, csv: string, dryRun: boolean): Promise<PartImportReport> {
  return answer(
    client.POST('/api/v1/parts/import', {
      params: { query: { dry_run: dryRun } },
      body: csv,
      // The file goes as it is, not as a JSON string.
      bodySerializer: (body: string) => body,
      headers: { 'Content-Type': 'text/csv' },
    }),
  );
}

/** The rows that add or change a part, by line (those that leave their part as it is are only counted). */
export function changingRows(report: PartImportReport): ImportedPart[] {
  return report.parts.filter((p) => p.action !== 'unchanged').sort((a, b) => a.row - b.row);
}

/**
 * Importing a vessel's equipment from a CSV file: a dry run that reports every problem row by
 * row and writes nothing, then the import itself, all or nothing.
 */
import { useQuery } from '@tanstack/react-query';
import { answer, api } from '../../../api/client';
import { load } from '../../../api/query';
import type { components } from '../../../api/schema.gen';

/** What an import did, or (dry run) would do. */
export type ImportReport = components['schemas']['ImportReportView'];

/** The vessel the file is for. */
export function useImportVessel(id: string) {
  return useQuery({
    queryKey: ['equipment-import', 'vessel', id],
    queryFn: load('Could not load the vessel', (signal) =>
      answer(api.GET('/api/v1/vessels/{id}', { params: { path: { id } }, signal })),
    ),
  });
}

/** `POST /api/v1/vessels/{id}/equipment/import`: a dry run (`200`) or the import (`201`). */
export function importEquipment(vesselId: string, csv: string, dryRun: boolean): Promise<ImportReport> {
  return answer(
    api.POST('/api/v1/vessels/{id}/equipment/import', {
      params: { path: { id: vesselId }, query: { dry_run: dryRun } },
      body: csv,
      // The file goes as it is, not as a JSON string.
      bodySerializer: (body: string) => body,
      headers: { 'Content-Type': 'text/csv' },
    }),
  );
}

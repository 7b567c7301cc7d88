/**
 * The stock CSV exports, fetched with the session's token (online only: the server writes them
 * from its own database): the parts catalogue (`GET /api/v1/parts/export`) and a vessel's stock
 * (`GET /api/v1/vessels/{id}/stock/export`), each as a Blob the page saves under a file name.
 */
import { answer, type ApiClient } from '../../../api/client';

/** The catalogue as CSV. */
export function fetchCatalogueCsv(client: Pick<ApiClient, 'GET'>): Promise<Blob> {
  return answer(client.GET('/api/v1/parts/export', { parseAs: 'blob' }));
}

/** A vessel's stock as CSV. */
export function fetchVesselStockCsv(client: Pick<ApiClient, 'GET'>, vesselId: string): Promise<Blob> {
  return answer(client.GET('/api/v1/vessels/{id}/stock/export', { params: { path: { id: vesselId } }, parseAs: 'blob' }));
}

/** "stock-northwind-spirit.csv": the vessel's name in lowercase words joined by `-` (its id when it has none). */
export function stockFileName(vesselName: string | null, vesselId: string): string {
  const words = (vesselName ?? '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `stock-${words === '' ? vesselId.toLowerCase() : words}.csv`;
}

/**
 * The printed purchase order (`GET /api/v1/purchase-orders/{id}/pdf`, an A4 PDF the server
 * writes with supplier prices, so only for roles that read them): fetched with the session's
 * token, since the route needs it, and saved through a Blob object URL as `PO-000042.pdf`.
 * Online only.
 */
import { answer, type ApiClient } from '../../../api/client';

/** The order's PDF. */
export function fetchOrderPdf(client: Pick<ApiClient, 'GET'>, orderId: string): Promise<Blob> {
  return answer(client.GET('/api/v1/purchase-orders/{id}/pdf', { params: { path: { id: orderId } }, parseAs: 'blob' }));
}

/** "PO-000042.pdf" (the number's characters a file name may hold). */
export const pdfFileName = (number: string) => `${number.replace(/[^A-Za-z0-9._-]+/g, '-')}.pdf`;

/** Saves `blob` as `fileName` through a temporary link. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // After the click has handed the bytes to the browser's download.
  setTimeout(() => {
    URL.revokeObjectURL(url);
  }, 10_000);
}

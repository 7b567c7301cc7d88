/**
 * The item a scanned QR label names. Labels encode `{public_url}/q/{qr_code}`.
 */
import { useQuery } from '@tanstack/react-query';
import { ApiError, answer, api } from '../../../api/client';
import { load } from '../../../api/query';
import type { EquipmentView } from '../../../api/types';

/** `GET /api/v1/equipment/by-qr/{code}`: the item, or `null` when no item the caller may see has the code. */
export async function findEquipmentByQrCode(code: string, signal?: AbortSignal): Promise<EquipmentView | null> {
  try {
    return await answer(
      api.GET('/api/v1/equipment/by-qr/{code}', { params: { path: { code } }, ...(signal ? { signal } : {}) }),
    );
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

/** Looks the code up whenever it changes. */
export function useQrCodeLookup(code: string) {
  return useQuery({
    queryKey: ['equipment-by-qr', code],
    queryFn: load('Could not look up the code', (signal) => findEquipmentByQrCode(code, signal)),
  });
}

/**
 * The item a scanned QR label names. Labels encode `{public_url}/q/{qr_code}`.
 */
import { ApiError, api } from '../../../api/client';
import type { EquipmentView } from '../../../api/types';
import { asApiError, useResource } from '../../../components/use-resource';

/** `GET /api/v1/equipment/by-qr/{code}`: the item, or `null` when no item the caller may see has the code. */
export async function findEquipmentByQrCode(code: string, signal?: AbortSignal): Promise<EquipmentView | null> {
  try {
    return await api.get<EquipmentView>(`/api/v1/equipment/by-qr/${encodeURIComponent(code)}`, {
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw asApiError(error, 'Could not look up the code');
  }
}

/** Looks the code up whenever it changes. */
export function useQrCodeLookup(code: string) {
  return useResource(code, (signal) => findEquipmentByQrCode(code, signal), 'Could not look up the code');
}

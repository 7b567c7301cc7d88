/**
 * Parts orders as the device knows them: the replica's `parts_order` rows (with only the prices
 * the server let this person see: it leaves out the fields a role may not read) and orders still
 * in the outbox, made from their `order_parts.v1` arguments.
 */
import { useMemo } from 'react';

import { fieldsOf, textOf, useEntityRows, usePendingWrites, type PendingWrite } from '../../../components/local-writes';
import type { JsonValue } from '../../../sync/checksum';

export const ORDER_STATUSES = ['requested', 'approved', 'ordered', 'shipped', 'received', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** One order. Prices are null when the replica does not hold them. */
export interface PartsOrderItem {
  id: string;
  faultId: string;
  vesselId: string | null;
  partName: string;
  partNumber: string | null;
  quantity: number;
  supplier: string;
  currency: string;
  status: OrderStatus;
  supplierUnitPriceMinor: number | null;
  customerUnitPriceMinor: number | null;
  statusChangedAt: string | null;
  version: number | null;
  pending: PendingWrite[];
}

/** The moves `set_parts_order_status.v1` takes from `from` (crates/domain/src/parts.rs). */
export function orderMoves(from: OrderStatus): OrderStatus[] {
  const forward: Partial<Record<OrderStatus, OrderStatus>> = {
    requested: 'approved',
    approved: 'ordered',
    ordered: 'shipped',
    shipped: 'received',
  };
  const next = forward[from];
  const cancel = from === 'requested' || from === 'approved' || from === 'ordered';
  return [...(next ? [next] : []), ...(cancel ? (['cancelled'] as const) : [])];
}

const num = (f: Record<string, JsonValue>, k: string) => (typeof f[k] === 'number' ? f[k] : null);

function fromFields(f: Record<string, JsonValue>, version: number | null): PartsOrderItem {
  const status = textOf(f, 'status') ?? 'requested';
  return {
    id: (textOf(f, 'id') ?? '').toLowerCase(),
    faultId: (textOf(f, 'fault_id') ?? '').toLowerCase(),
    vesselId: textOf(f, 'vessel_id')?.toLowerCase() ?? null,
    partName: textOf(f, 'part_name') ?? '',
    partNumber: textOf(f, 'part_number'),
    quantity: num(f, 'quantity') ?? 0,
    supplier: textOf(f, 'supplier') ?? '',
    currency: textOf(f, 'currency') ?? '',
    status: (ORDER_STATUSES as readonly string[]).includes(status) ? (status as OrderStatus) : 'requested',
    supplierUnitPriceMinor: num(f, 'supplier_unit_price_minor'),
    customerUnitPriceMinor: num(f, 'customer_unit_price_minor'),
    statusChangedAt: textOf(f, 'status_changed_at'),
    version,
    pending: [],
  };
}

/**
 * Every order the device knows of, newest first. An order queued here shows no price: the
 * supplier price typed in is the server's to keep, and shown back only to roles that read it.
 */
export function usePartsOrders(): PartsOrderItem[] | undefined {
  const rows = useEntityRows('parts_order');
  const pending = usePendingWrites();
  return useMemo(() => {
    if (!rows || !pending) return undefined;
    const byId = new Map<string, PartsOrderItem>();
    for (const row of rows) byId.set(row.id, fromFields({ ...fieldsOf(row), id: row.id }, row.version));
    for (const w of pending) {
      if (w.name === 'order_parts.v1') {
        const id = typeof w.args.id === 'string' ? w.args.id.toLowerCase() : '';
        if (!byId.has(id)) {
          const args = { ...w.args };
          delete args.supplier_unit_price_minor;
          byId.set(id, fromFields({ ...args, status: 'requested', status_changed_at: new Date(w.queuedAt).toISOString() }, null));
        }
        byId.get(id)?.pending.push(w);
      } else if (w.name === 'set_parts_order_status.v1' && typeof w.args.order_id === 'string') {
        byId.get(w.args.order_id.toLowerCase())?.pending.push(w);
      }
    }
    return [...byId.values()].sort((a, b) => (b.statusChangedAt ?? '').localeCompare(a.statusChangedAt ?? ''));
  }, [rows, pending]);
}

/** An amount in minor units as money, e.g. `EUR 12.50`. */
export function formatMoney(minor: number, currency: string): string {
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(minor / 100);
  } catch {
    return `${currency} ${(minor / 100).toFixed(2)}`;
  }
}

/**
 * Stock transfers as the device knows them: the company's `stock_transfer` rows (scope
 * `company:{id}`) with this person's `transfer_stock.v1` and `receive_transfer.v1` still in the
 * outbox laid over them (a transfer sent offline shows at once in transit, a receipt offline
 * shows it received, with its shortfall), and where a transfer may go: the company's vessels
 * and their stock locations as far as the replica holds them.
 *
 * The checks a transfer and a receipt get before they are queued are the server's
 * (`crates/app/src/stock/transfers.rs`): a quantity above 0 with at most 3 decimals; a transfer
 * not more than the source holds on this device's count (waiting writes included:
 * `insufficient_stock`) nor to the location it leaves (`same_location`); a receipt at most what
 * was sent (`over_receipt`). Every quantity is exact (`quantity.ts`), never a float.
 */
import { useMemo } from 'react';
import { z } from 'zod';

import { fieldsOf, textOf, useEntityRows, usePendingWrites, type PendingWrite } from '../../../components/local-writes';
import { formatQuantity, quantityOf, quantityText, parseQuantity, ZERO, type Thousandths } from '../../../components/quantity';
import { RECEIVE_TRANSFER, TRANSFER_STOCK, vesselLocations, type StockLocation } from '../../../components/stock-levels';
import type { StoredRow } from '../../../sync/database';
import { ENTITY } from '../../../sync/entities';

/** Where a transfer stands. */
export type TransferStatus = 'in_transit' | 'received';

/** One transfer, confirmed or only on this device. */
export interface TransferLine {
  /** Lowercase. */
  id: string;
  partId: string;
  fromVesselId: string | null;
  fromLocationId: string;
  toVesselId: string | null;
  toLocationId: string;
  sent: Thousandths;
  /** Once received (a waiting receipt counts). */
  received: Thousandths | null;
  /** What did not arrive, once received. */
  shortfall: Thousandths | null;
  status: TransferStatus;
  /** A user id; null for one sent from this device and not yet accepted. */
  dispatchedBy: string | null;
  dispatchedAt: string;
  receivedBy: string | null;
  receivedAt: string | null;
  /** Its dispatch and receipt writes not yet accepted, oldest first, refused ones included. */
  pending: PendingWrite[];
  /** Its dispatch is only on this device and the server refused it: it goes nowhere. */
  refused: boolean;
  /** A receipt of it waits on this device (not refused): it is not received again. */
  receiving: boolean;
}

/** "3 pcs". */
const amount = (q: Thousandths, unit: string) => `${formatQuantity(q)} ${unit}`.trim();
const lower = (v: string | null) => v?.toLowerCase() ?? null;
const argText = (w: PendingWrite, name: string): string | null => {
  const v = w.args[name];
  return typeof v === 'string' ? v : null;
};

/**
 * Every transfer the device knows, with the waiting writes over them: in transit first, then
 * the newest sent first. `vesselOf` names a location's vessel (for transfers sent here).
 */
export function allTransfers(rows: readonly StoredRow[], writes: readonly PendingWrite[], vesselOf: ReadonlyMap<string, string>): TransferLine[] {
  const byId = new Map<string, TransferLine>();
  for (const row of rows) {
    const f = fieldsOf(row);
    const received = quantityOf(f.received);
    byId.set(row.id, {
      id: row.id,
      partId: lower(textOf(f, 'part_id')) ?? '',
      fromVesselId: lower(textOf(f, 'from_vessel_id')),
      fromLocationId: lower(textOf(f, 'from_location_id')) ?? '',
      toVesselId: lower(textOf(f, 'to_vessel_id')),
      toLocationId: lower(textOf(f, 'to_location_id')) ?? '',
      sent: quantityOf(f.sent) ?? ZERO,
      received,
      shortfall: quantityOf(f.shortfall),
      status: textOf(f, 'status') === 'received' || received !== null ? 'received' : 'in_transit',
      dispatchedBy: lower(textOf(f, 'dispatched_by')),
      dispatchedAt: textOf(f, 'dispatched_at') ?? '',
      receivedBy: lower(textOf(f, 'received_by')),
      receivedAt: textOf(f, 'received_at'),
      pending: [],
      refused: false,
      receiving: false,
    });
  }
  for (const w of writes) {
    if (w.name === TRANSFER_STOCK) {
      const id = lower(argText(w, 'id'));
      if (id === null) continue;
      const known = byId.get(id);
      if (known) {
        known.pending.push(w);
        continue;
      }
      const from = lower(argText(w, 'from_location_id')) ?? '';
      const to = lower(argText(w, 'to_location_id')) ?? '';
      byId.set(id, {
        id,
        partId: lower(argText(w, 'part_id')) ?? '',
        fromVesselId: vesselOf.get(from) ?? null,
        fromLocationId: from,
        toVesselId: vesselOf.get(to) ?? null,
        toLocationId: to,
        sent: quantityOf(w.args.quantity) ?? ZERO,
        received: null,
        shortfall: null,
        status: 'in_transit',
        dispatchedBy: null,
        dispatchedAt: new Date(w.queuedAt).toISOString(),
        receivedBy: null,
        receivedAt: null,
        pending: [w],
        refused: w.state === 'rejected',
        receiving: false,
      });
    } else if (w.name === RECEIVE_TRANSFER) {
      const line = byId.get(lower(argText(w, 'transfer_id')) ?? '');
      if (!line) continue;
      line.pending.push(w);
      const quantity = quantityOf(w.args.quantity);
      // A refused receipt changes nothing; one the server holds already is in the row.
      if (w.state === 'rejected' || line.status === 'received' || quantity === null) continue;
      line.receiving = true;
      line.status = 'received';
      line.received = quantity;
      line.shortfall = line.sent - quantity;
      line.receivedAt = new Date(w.queuedAt).toISOString();
    }
  }
  const time = (t: TransferLine) => Date.parse(t.dispatchedAt) || 0;
  return [...byId.values()].sort(
    (a, b) =>
      (a.status === 'in_transit' ? 0 : 1) - (b.status === 'in_transit' ? 0 : 1) || time(b) - time(a) || b.id.localeCompare(a.id),
  );
}

/** A vessel's transfers: those reaching it and those leaving it (one within the vessel is both). */
export function vesselTransfers(vesselId: string, transfers: readonly TransferLine[]): { incoming: TransferLine[]; outgoing: TransferLine[] } {
  const vessel = vesselId.toLowerCase();
  return {
    incoming: transfers.filter((t) => t.toVesselId === vessel),
    outgoing: transfers.filter((t) => t.fromVesselId === vessel),
  };
}

/** A vessel a transfer may go to, with its locations on this device. */
export interface Destination {
  /** Lowercase. */
  id: string;
  /** Null when the replica holds the vessel's locations but not the vessel itself. */
  name: string | null;
  /** Those it may receive into (a location the server refused to create takes nothing). */
  locations: StockLocation[];
}

/** Every location the device knows, by id: its path and vessel. */
export type LocationIndex = ReadonlyMap<string, StockLocation>;

/**
 * The company's vessels a transfer may go to from this device: those whose locations it knows,
 * by name; and how many other vessels it has heard of (in transfers) without knowing their
 * locations — someone who sees them picks those.
 */
export function destinations(
  vesselRows: readonly StoredRow[],
  locationRows: readonly StoredRow[],
  transferRows: readonly StoredRow[],
  writes: readonly PendingWrite[],
): { vessels: Destination[]; unseen: number; index: LocationIndex } {
  const names = new Map(vesselRows.map((r) => [r.id, textOf(fieldsOf(r), 'name')]));
  const ids = new Set<string>(names.keys());
  for (const row of locationRows) {
    const v = lower(textOf(fieldsOf(row), 'vessel_id'));
    if (v !== null) ids.add(v);
  }
  const index = new Map<string, StockLocation>();
  const vessels: Destination[] = [];
  for (const id of ids) {
    const all = vesselLocations(id, locationRows, writes);
    for (const l of all) index.set(l.id, l);
    const locations = all.filter((l) => l.pending?.state !== 'rejected');
    if (locations.length > 0) vessels.push({ id, name: names.get(id) ?? null, locations });
  }
  const heard = new Set<string>();
  for (const row of transferRows) {
    const f = fieldsOf(row);
    for (const v of [lower(textOf(f, 'from_vessel_id')), lower(textOf(f, 'to_vessel_id'))]) if (v !== null && !ids.has(v)) heard.add(v);
  }
  vessels.sort((a, b) => (a.name ?? '\uffff').localeCompare(b.name ?? '\uffff') || a.id.localeCompare(b.id));
  return { vessels, unseen: heard.size, index };
}

/** Where transfers may go and every known location; undefined while loading. */
export function useDestinations(): ReturnType<typeof destinations> | undefined {
  const vesselRows = useEntityRows(ENTITY.vessel);
  const locationRows = useEntityRows(ENTITY.stockLocation);
  const transferRows = useEntityRows(ENTITY.stockTransfer);
  const writes = usePendingWrites();
  return useMemo(
    () =>
      vesselRows && locationRows && transferRows && writes ? destinations(vesselRows, locationRows, transferRows, writes) : undefined,
    [vesselRows, locationRows, transferRows, writes],
  );
}

/** Every transfer the device knows, and every known location; undefined while loading. */
export function useTransfers(): { transfers: TransferLine[]; index: LocationIndex; names: ReadonlyMap<string, string | null> } | undefined {
  const places = useDestinations();
  const vesselRows = useEntityRows(ENTITY.vessel);
  const rows = useEntityRows(ENTITY.stockTransfer);
  const writes = usePendingWrites();
  return useMemo(() => {
    if (!places || !vesselRows || !rows || !writes) return undefined;
    const vesselOf = new Map([...places.index.values()].map((l) => [l.id, l.vesselId]));
    return {
      transfers: allTransfers(rows, writes, vesselOf),
      index: places.index,
      names: new Map(vesselRows.map((r) => [r.id, textOf(fieldsOf(r), 'name')])),
    };
  }, [places, vesselRows, rows, writes]);
}

/** The transfer form's fields, checked as the server checks them against what this device counts. */
export function transferSchema(fromLocationId: string, onHand: Thousandths, unit: string) {
  return z
    .object({
      to_vessel_id: z.string().min(1, 'Choose the vessel it goes to.'),
      to_location_id: z.string().min(1, 'Choose the location it goes to.'),
      quantity: quantityText('positive', 'Enter the quantity to send.'),
    })
    .superRefine((v, ctx) => {
      if (v.to_location_id.toLowerCase() === fromLocationId.toLowerCase()) {
        ctx.addIssue({ code: 'custom', path: ['to_location_id'], message: 'Send the parts to another location than the one they leave.' });
      }
      const quantity = parseQuantity(v.quantity);
      if (quantity !== null && quantity > onHand) {
        ctx.addIssue({
          code: 'custom',
          path: ['quantity'],
          message: `Only ${amount(onHand, unit)} here on this device’s count, waiting changes included.`,
        });
      }
    });
}

/** The receipt form's fields: above 0, at most what was sent. */
export function receiptSchema(sent: Thousandths, unit: string) {
  return z
    .object({ quantity: quantityText('positive', 'Enter the quantity that arrived.') })
    .superRefine((v, ctx) => {
      const quantity = parseQuantity(v.quantity);
      if (quantity !== null && quantity > sent) {
        ctx.addIssue({
          code: 'custom',
          path: ['quantity'],
          message: `At most the ${amount(sent, unit)} sent; what did not arrive is the shortfall.`,
        });
      }
    });
}

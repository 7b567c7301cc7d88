/**
 * What a vessel holds, as the device knows it, all from the replica and the outbox so it works
 * with the network off; shared by the stock pages and the work orders that take parts from stock:
 *
 * - locations: the vessel's `stock_location` rows and those created here (`create_stock_location.v1`);
 * - on hand: the server's `stock_balance` rows (one per location × part) plus this person's
 *   movements still in the outbox (`receive_stock.v1`, `adjust_stock.v1`, and `issue_part.v1`
 *   for a work order, taken away; `transfer_stock.v1` taken from its source, and
 *   `receive_transfer.v1` added at its transfer's destination; queued or sent), so a receipt or
 *   a part used offline counts at once; a purchase order's receipt into a location
 *   (`receive_purchase_order.v1`) adds each catalogue line's quantity there, the line's part read
 *   from the replica's `purchase_order_line` rows. A write whose ledger row the replica already holds (the
 *   entry's id is the write's `id`, a transfer's `entry_id`) is in the balance already and is not
 *   added twice; a refused one counts for nothing;
 * - rules: `stock_rule` rows (minimum "0" is no rule), or the person's own `set_stock_rule.v1`
 *   still waiting; a part is low when its total is below the minimum.
 *
 * Every quantity is exact (`quantity.ts`): thousandths in a BigInt, never a float.
 */
import { useMemo } from 'react';

import type { StoredRow } from '../sync/database';
import { ENTITY } from '../sync/entities';
import { fieldsOf, textOf, useEntityRows, usePendingWrites, type PendingWrite } from './local-writes';
import { maxQuantity, quantityOf, ZERO, type Thousandths } from './quantity';

/** The mutator that adds a stock location to a vessel. */
export const CREATE_STOCK_LOCATION = 'create_stock_location.v1';
/** The mutator that sets a part's minimum and reorder quantity on a vessel. */
export const SET_STOCK_RULE = 'set_stock_rule.v1';
/** The mutator that records parts received into a location. */
export const RECEIVE_STOCK = 'receive_stock.v1';
/** The mutator that corrects what a location holds, with a reason. */
export const ADJUST_STOCK = 'adjust_stock.v1';
/** The mutator that takes parts from a location for a work order. */
export const ISSUE_PART = 'issue_part.v1';
/** The mutator that sends parts from a location to another (`stock_transfer`, in transit). */
export const TRANSFER_STOCK = 'transfer_stock.v1';
/** The mutator that receives a transfer at its destination. */
export const RECEIVE_TRANSFER = 'receive_transfer.v1';
/** The mutator that receives goods of a purchase order (into a location, or straight to the job). */
export const RECEIVE_PURCHASE_ORDER = 'receive_purchase_order.v1';

/** One stock location, confirmed or only on this device. */
export interface StockLocation {
  /** Lowercase. */
  id: string;
  vesselId: string;
  name: string;
  parentId: string | null;
  /** Its name under its parents': "Engine room › Workshop store". */
  path: string;
  /** Its `create_stock_location.v1`, while the server has not accepted it. */
  pending: PendingWrite | null;
}

/** A vessel's rule for one part. */
export interface StockRule {
  minimum: Thousandths;
  reorder: Thousandths;
  /** The replica's version (the next rule's base); null when there is none yet. */
  version: number | null;
  /** Its waiting `set_stock_rule.v1` writes, refused ones included. */
  pending: PendingWrite[];
}

/** One part's stock on a vessel. */
export interface PartStock {
  /** Lowercase. */
  partId: string;
  /** On hand per location id, balances and waiting movements added. */
  byLocation: Map<string, Thousandths>;
  total: Thousandths;
  /** Sent to the vessel from elsewhere and not yet received (the replica's transfers in transit). */
  incoming: Thousandths;
  /** The rule, when the minimum is above zero. */
  rule: StockRule | null;
  /** The total and what is incoming together are below the rule's minimum. */
  low: boolean;
  /**
   * What to order when low: the rule's reorder quantity, or more when that would not bring the
   * total and what is incoming back to the minimum; null when not low.
   */
  suggestedOrder: Thousandths | null;
  /** The movements and rule writes on it still on this device, oldest first, refused ones included. */
  pending: PendingWrite[];
}

const lower = (v: string | null) => v?.toLowerCase() ?? null;
const argText = (w: PendingWrite, name: string): string | null => {
  const v = w.args[name];
  return typeof v === 'string' ? v : null;
};
const isMovement = (w: PendingWrite) =>
  w.name === RECEIVE_STOCK ||
  w.name === ADJUST_STOCK ||
  w.name === ISSUE_PART ||
  w.name === TRANSFER_STOCK ||
  w.name === RECEIVE_TRANSFER ||
  w.name === RECEIVE_PURCHASE_ORDER;
/** A write that still counts towards what is shown: not refused. */
const counts = (w: PendingWrite) => w.state !== 'rejected';

/** The vessel's locations, confirmed and waiting, by path. */
export function vesselLocations(vesselId: string, rows: readonly StoredRow[], writes: readonly PendingWrite[]): StockLocation[] {
  const vessel = vesselId.toLowerCase();
  const byId = new Map<string, Omit<StockLocation, 'path'>>();
  for (const row of rows) {
    const f = fieldsOf(row);
    if (lower(textOf(f, 'vessel_id')) !== vessel) continue;
    byId.set(row.id, { id: row.id, vesselId: vessel, name: textOf(f, 'name') ?? '', parentId: lower(textOf(f, 'parent_id')), pending: null });
  }
  for (const w of writes) {
    if (w.name !== CREATE_STOCK_LOCATION || lower(argText(w, 'vessel_id')) !== vessel) continue;
    const id = lower(argText(w, 'id'));
    if (id === null || byId.has(id)) continue;
    byId.set(id, { id, vesselId: vessel, name: argText(w, 'name') ?? '', parentId: lower(argText(w, 'parent_id')), pending: w });
  }
  const pathOf = (id: string): string => {
    const names: string[] = [];
    const seen = new Set<string>();
    for (let at = byId.get(id); at && !seen.has(at.id); at = at.parentId === null ? undefined : byId.get(at.parentId)) {
      seen.add(at.id);
      names.unshift(at.name);
    }
    return names.join(' › ');
  };
  return [...byId.values()]
    .map((l) => ({ ...l, path: pathOf(l.id) }))
    .sort((a, b) => a.path.localeCompare(b.path, undefined, { numeric: true, sensitivity: 'base' }));
}

/** What the stock computations read: the replica's rows and the writes waiting. */
export interface StockSources {
  locations: StockLocation[];
  balances: readonly StoredRow[];
  entries: readonly StoredRow[];
  rules: readonly StoredRow[];
  writes: readonly PendingWrite[];
  /** The company's `stock_transfer` rows (where a waiting receipt of one lands); none when left out. */
  transfers?: readonly StoredRow[];
  /** The `purchase_order_line` rows (the part a waiting order receipt adds); none when left out. */
  orderLines?: readonly StoredRow[];
}

/** How a waiting movement moves stock. */
export type WaitingMovement = 'receive' | 'issue' | 'adjust' | 'transfer_out' | 'transfer_in';

/** A waiting movement read: its ledger entry's id, where, what and by how much. */
export interface WaitingMove {
  write: PendingWrite;
  movement: WaitingMovement;
  /** The id its ledger entry will keep (lowercase); null when the write does not name one. */
  entryId: string | null;
  locationId: string | null;
  partId: string | null;
  delta: Thousandths | null;
}

/** A transfer's destination and part, from its row or its own waiting `transfer_stock.v1`. */
function transferDestinations(sources: StockSources): Map<string, { locationId: string | null; partId: string | null }> {
  const byId = new Map<string, { locationId: string | null; partId: string | null }>();
  for (const row of sources.transfers ?? []) {
    const f = fieldsOf(row);
    byId.set(row.id, { locationId: lower(textOf(f, 'to_location_id')), partId: lower(textOf(f, 'part_id')) });
  }
  for (const w of sources.writes) {
    const id = lower(argText(w, 'id'));
    if (w.name !== TRANSFER_STOCK || id === null || byId.has(id)) continue;
    byId.set(id, { locationId: lower(argText(w, 'to_location_id')), partId: lower(argText(w, 'part_id')) });
  }
  return byId;
}

/** Reads a movement write; a transfer's receipt lands where its transfer goes. */
function readMove(w: PendingWrite, destinations: ReturnType<typeof transferDestinations>): WaitingMove {
  switch (w.name) {
    case TRANSFER_STOCK: {
      const sent = quantityOf(w.args.quantity);
      return {
        write: w,
        movement: 'transfer_out',
        entryId: lower(argText(w, 'entry_id')),
        locationId: lower(argText(w, 'from_location_id')),
        partId: lower(argText(w, 'part_id')),
        delta: sent === null ? null : -sent,
      };
    }
    case RECEIVE_TRANSFER: {
      const to = destinations.get(lower(argText(w, 'transfer_id')) ?? '');
      return {
        write: w,
        movement: 'transfer_in',
        entryId: lower(argText(w, 'entry_id')),
        locationId: to?.locationId ?? null,
        partId: to?.partId ?? null,
        delta: quantityOf(w.args.quantity),
      };
    }
    default:
      return {
        write: w,
        movement: w.name === RECEIVE_STOCK ? 'receive' : w.name === ISSUE_PART ? 'issue' : 'adjust',
        entryId: lower(argText(w, 'id')),
        locationId: lower(argText(w, 'location_id')),
        partId: lower(argText(w, 'part_id')),
        delta: deltaOf(w),
      };
  }
}

/**
 * A purchase order receipt into a location: one receive per line of a catalogue part, each with
 * its ledger entry's id (`entry_id`); nothing for goods straight to the job.
 */
function readOrderReceipt(w: PendingWrite, lineParts: ReadonlyMap<string, string | null>): WaitingMove[] {
  const locationId = lower(argText(w, 'location_id'));
  const lines = w.args.lines;
  if (locationId === null || !Array.isArray(lines)) return [];
  return lines.flatMap((l): WaitingMove[] => {
    if (l === null || typeof l !== 'object' || Array.isArray(l)) return [];
    const lineId = typeof l.line_id === 'string' ? l.line_id.toLowerCase() : null;
    const partId = lineId === null ? null : (lineParts.get(lineId) ?? null);
    if (partId === null) return [];
    return [
      {
        write: w,
        movement: 'receive',
        entryId: typeof l.entry_id === 'string' ? l.entry_id.toLowerCase() : null,
        locationId,
        partId,
        delta: quantityOf(l.quantity),
      },
    ];
  });
}

/** The vessel's waiting movements read: those at its locations whose ledger row has not arrived. */
export function waitingMoves(sources: StockSources): WaitingMove[] {
  const here = new Set(sources.locations.map((l) => l.id));
  const held = new Set(sources.entries.map((e) => e.id));
  const destinations = transferDestinations(sources);
  const lineParts = new Map((sources.orderLines ?? []).map((r) => [r.id, lower(textOf(fieldsOf(r), 'part_id'))]));
  return sources.writes
    .filter(isMovement)
    .flatMap((w) => (w.name === RECEIVE_PURCHASE_ORDER ? readOrderReceipt(w, lineParts) : [readMove(w, destinations)]))
    .filter((m) => m.locationId !== null && here.has(m.locationId) && (m.entryId === null || !held.has(m.entryId)));
}

/** The vessel's waiting movement writes: those at its locations whose ledger row has not arrived. */
export function waitingMovements(sources: StockSources): PendingWrite[] {
  return waitingMoves(sources).map((m) => m.write);
}

/** The signed change a waiting movement makes; null when its arguments do not say. */
export function deltaOf(w: PendingWrite): Thousandths | null {
  if (w.name === ISSUE_PART) {
    const used = quantityOf(w.args.quantity);
    return used === null ? null : -used;
  }
  return quantityOf(w.name === RECEIVE_STOCK ? w.args.quantity : w.args.delta);
}

/** The vessel's stock by part id: every part with a balance, a waiting movement or a rule. */
export function vesselStock(vesselId: string, sources: StockSources): Map<string, PartStock> {
  const vessel = vesselId.toLowerCase();
  const parts = new Map<string, PartStock>();
  const partStock = (partId: string): PartStock => {
    let stock = parts.get(partId);
    if (!stock) {
      stock = { partId, byLocation: new Map(), total: ZERO, incoming: ZERO, rule: null, low: false, suggestedOrder: null, pending: [] };
      parts.set(partId, stock);
    }
    return stock;
  };
  const add = (stock: PartStock, location: string, delta: Thousandths) => {
    stock.byLocation.set(location, (stock.byLocation.get(location) ?? ZERO) + delta);
    stock.total += delta;
  };

  for (const row of sources.balances) {
    const f = fieldsOf(row);
    const part = lower(textOf(f, 'part_id'));
    const location = lower(textOf(f, 'location_id'));
    if (lower(textOf(f, 'vessel_id')) !== vessel || part === null || location === null) continue;
    add(partStock(part), location, quantityOf(f.on_hand) ?? ZERO);
  }
  for (const { write: w, partId: part, locationId: location, delta } of waitingMoves(sources)) {
    if (part === null || location === null) continue;
    const stock = partStock(part);
    stock.pending.push(w);
    if (counts(w) && delta !== null) add(stock, location, delta);
  }

  const rules = new Map<string, StockRule>();
  for (const row of sources.rules) {
    const f = fieldsOf(row);
    const part = lower(textOf(f, 'part_id'));
    if (lower(textOf(f, 'vessel_id')) !== vessel || part === null) continue;
    rules.set(part, { minimum: quantityOf(f.minimum) ?? ZERO, reorder: quantityOf(f.reorder) ?? ZERO, version: row.version, pending: [] });
  }
  for (const w of sources.writes) {
    const part = lower(argText(w, 'part_id'));
    if (w.name !== SET_STOCK_RULE || lower(argText(w, 'vessel_id')) !== vessel || part === null) continue;
    const known = rules.get(part) ?? { minimum: ZERO, reorder: ZERO, version: null, pending: [] };
    const rule = counts(w)
      ? { ...known, minimum: quantityOf(w.args.minimum) ?? known.minimum, reorder: quantityOf(w.args.reorder) ?? known.reorder }
      : known;
    rule.pending = [...known.pending, w];
    rules.set(part, rule);
    partStock(part).pending.push(w);
  }
  for (const [part, rule] of rules) {
    if (rule.minimum > ZERO || rule.pending.length > 0) partStock(part).rule = rule;
  }

  // Parts on their way to the vessel count towards its minimum, as the server counts them.
  const incoming = new Map<string, Thousandths>();
  for (const row of sources.transfers ?? []) {
    const f = fieldsOf(row);
    const part = lower(textOf(f, 'part_id'));
    if (lower(textOf(f, 'to_vessel_id')) !== vessel || textOf(f, 'status') !== 'in_transit' || part === null) continue;
    incoming.set(part, (incoming.get(part) ?? ZERO) + (quantityOf(f.sent) ?? ZERO));
  }
  for (const stock of parts.values()) {
    const rule = stock.rule;
    stock.pending.sort((a, b) => a.id - b.id);
    stock.incoming = incoming.get(stock.partId) ?? ZERO;
    const available = stock.total + stock.incoming;
    if (rule && rule.minimum > ZERO && available < rule.minimum) {
      stock.low = true;
      stock.suggestedOrder = maxQuantity(rule.reorder, rule.minimum - available);
    }
  }
  return parts;
}

/** A rule that sets anything (a minimum above zero). */
export const hasRule = (rule: StockRule | null): rule is StockRule => rule !== null && rule.minimum > ZERO;

/** The rows and writes a vessel's stock is computed from; undefined while loading. */
export function useStockSources(vesselId: string): StockSources | undefined {
  const locationRows = useEntityRows(ENTITY.stockLocation);
  const balances = useEntityRows(ENTITY.stockBalance);
  const entries = useEntityRows(ENTITY.stockEntry);
  const rules = useEntityRows(ENTITY.stockRule);
  const transfers = useEntityRows(ENTITY.stockTransfer);
  const orderLines = useEntityRows(ENTITY.purchaseOrderLine);
  const writes = usePendingWrites();
  return useMemo(() => {
    if (!locationRows || !balances || !entries || !rules || !transfers || !orderLines || !writes) return undefined;
    return { locations: vesselLocations(vesselId, locationRows, writes), balances, entries, rules, writes, transfers, orderLines };
  }, [vesselId, locationRows, balances, entries, rules, transfers, orderLines, writes]);
}

/** The vessel's locations and stock by part; undefined while loading. */
export function useVesselStock(vesselId: string): { locations: StockLocation[]; stock: Map<string, PartStock> } | undefined {
  const sources = useStockSources(vesselId);
  return useMemo(
    () => (sources ? { locations: sources.locations, stock: vesselStock(vesselId, sources) } : undefined),
    [vesselId, sources],
  );
}

/**
 * A part's ledger on a vessel as the device knows it: the waiting movements (last queued first),
 * then the `stock_entry` rows newest first; and the stock pages' reads. What the vessel holds
 * (locations, on hand with the waiting movements, rules) is computed in
 * `components/stock-levels.ts`, which the work orders read too.
 *
 * Every quantity is exact (`quantity.ts`): thousandths in a BigInt, never a float.
 */
import { useMemo } from 'react';

import { fieldsOf, textOf, useEntityRows, type PendingWrite } from '../../../components/local-writes';
import { quantityOf, ZERO, type Thousandths } from '../../../components/quantity';
import {
  useStockSources,
  vesselStock,
  waitingMoves,
  type PartStock,
  type StockLocation,
  type StockSources,
} from '../../../components/stock-levels';
import { ENTITY } from '../../../sync/entities';

export const MOVEMENTS = ['receive', 'issue', 'adjust', 'transfer_out', 'transfer_in'] as const;
/** How a ledger entry moved stock. */
export type Movement = (typeof MOVEMENTS)[number];

/** One line of a part's ledger. */
export interface LedgerEntry {
  /** Lowercase; a waiting movement's is the id it will keep. */
  id: string;
  locationId: string;
  movement: Movement;
  delta: Thousandths;
  reason: string | null;
  /** A user id; null for a movement made on this device (the person signed in). */
  recordedBy: string | null;
  recordedAt: string;
  /** The write, while the server has not accepted it. */
  pending: PendingWrite | null;
}

const lower = (v: string | null) => v?.toLowerCase() ?? null;
const argText = (w: PendingWrite, name: string): string | null => {
  const v = w.args[name];
  return typeof v === 'string' ? v : null;
};

const asMovement = (v: string | null): Movement => ((MOVEMENTS as readonly string[]).includes(v ?? '') ? (v as Movement) : 'adjust');

/** A part's ledger on the vessel, newest first, waiting movements included. */
export function partLedger(vesselId: string, partId: string, sources: StockSources): LedgerEntry[] {
  const vessel = vesselId.toLowerCase();
  const part = partId.toLowerCase();
  const confirmed = sources.entries.flatMap((row): LedgerEntry[] => {
    const f = fieldsOf(row);
    if (lower(textOf(f, 'vessel_id')) !== vessel || lower(textOf(f, 'part_id')) !== part) return [];
    return [
      {
        id: row.id,
        locationId: lower(textOf(f, 'location_id')) ?? '',
        movement: asMovement(textOf(f, 'movement')),
        delta: quantityOf(f.delta) ?? ZERO,
        reason: textOf(f, 'reason'),
        recordedBy: lower(textOf(f, 'recorded_by')),
        recordedAt: textOf(f, 'recorded_at') ?? '',
        pending: null,
      },
    ];
  });
  const waiting = waitingMoves(sources)
    .filter((m) => m.partId === part)
    .map(
      (m): LedgerEntry => ({
        id: m.entryId ?? `outbox-${m.write.id}`,
        locationId: m.locationId ?? '',
        movement: m.movement,
        delta: m.delta ?? ZERO,
        reason: argText(m.write, 'reason'),
        recordedBy: null,
        recordedAt: new Date(m.write.queuedAt).toISOString(),
        pending: m.write,
      }),
    );
  // Waiting movements come first, the last queued on top: the server records them when it
  // accepts them, after everything it holds, whatever this device's clock said. UUIDv7 ids
  // settle a tie between confirmed ones in the order they were made.
  const time = (e: LedgerEntry) => Date.parse(e.recordedAt) || 0;
  confirmed.sort((a, b) => time(b) - time(a) || b.id.localeCompare(a.id));
  return [...waiting.reverse(), ...confirmed];
}

/** A part's stock on the vessel, its ledger and the vessel's locations; undefined while loading. */
export function usePartStock(
  vesselId: string,
  partId: string,
): { locations: StockLocation[]; stock: PartStock | null; ledger: LedgerEntry[] } | undefined {
  const sources = useStockSources(vesselId);
  return useMemo(() => {
    if (!sources) return undefined;
    return {
      locations: sources.locations,
      stock: vesselStock(vesselId, sources).get(partId.toLowerCase()) ?? null,
      ledger: partLedger(vesselId, partId, sources),
    };
  }, [vesselId, partId, sources]);
}

/** People's names by user id (lowercase), from the people directory when the replica holds it. */
export function usePeopleNames(): Map<string, string> {
  const rows = useEntityRows(ENTITY.membership);
  return useMemo(
    () =>
      new Map(
        (rows ?? []).map((r) => [textOf(fieldsOf(r), 'user_id')?.toLowerCase() ?? r.id, textOf(fieldsOf(r), 'name') ?? 'Someone']),
      ),
    [rows],
  );
}

/** The vessels the replica holds, by name. */
export function useReplicaVesselList(): { id: string; name: string }[] | undefined {
  const rows = useEntityRows(ENTITY.vessel);
  return useMemo(
    () =>
      rows
        ?.map((r) => ({ id: r.id, name: textOf(fieldsOf(r), 'name') ?? 'Unnamed vessel' }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    [rows],
  );
}

/**
 * The handover as the device can assemble it from the replica, for the outgoing person on one
 * vessel: the vessel's open faults (those the person reported or holds first), its parts still
 * on order, the person's own draft notes (a `handover_draft` row, or the latest
 * `save_handover_notes.v1` still in the outbox), and the vessel's completed handovers.
 */
import { useMemo } from 'react';

import { fieldsOf, textOf, useEntityRows, usePendingWrites, type PendingWrite } from '../../../components/local-writes';
import type { JsonValue } from '../../../sync/checksum';

/** An open fault as the handover lists it. */
export interface HandoverFault {
  key: string;
  id: string;
  title: string;
  severity: string;
  status: string;
  mine: boolean;
}

/** A parts order still on its way. */
export interface HandoverOrder {
  key: string;
  id: string;
  partName: string;
  quantity: number;
  status: string;
}

/** The person's notes: free text and per item (`fault:{id}`, `parts_order:{id}`). */
export interface HandoverNotes {
  notes: string;
  itemNotes: Record<string, string>;
  /** The draft row's version (the base of the next save); null with no draft on the server. */
  version: number | null;
  /** A save still on this device. */
  pending: PendingWrite | null;
}

/** A completed handover. */
export interface CompletedHandover {
  id: string;
  outgoingUserId: string;
  rotationEnd: string;
  completedAt: string | null;
  acknowledgedBy: string | null;
  acknowledgedAt: string | null;
  version: number;
  pending: PendingWrite | null;
}

/** What the handover page shows. */
export interface AssembledHandover {
  faults: HandoverFault[];
  orders: HandoverOrder[];
  draft: HandoverNotes;
  completed: CompletedHandover[];
  /** The person's rotation on the vessel: whether they may hand over, and its last day. */
  onRotation: boolean;
  rotationEnd: string | null;
  /** A completion still on this device. */
  completing: PendingWrite | null;
}

const OPEN_FAULT = new Set(['open', 'acknowledged', 'in_progress', 'awaiting_parts']);
const ON_ORDER = new Set(['requested', 'approved', 'ordered', 'shipped']);

const lower = (v: string | null) => v?.toLowerCase() ?? null;

function itemNotesOf(v: JsonValue | undefined): Record<string, string> {
  if (v === null || v === undefined || typeof v !== 'object' || Array.isArray(v)) return {};
  return Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** The handover of `userId` on `vesselId`; undefined while loading. */
export function useAssembledHandover(vesselId: string, userId: string): AssembledHandover | undefined {
  const faults = useEntityRows('fault');
  const orders = useEntityRows('parts_order');
  const drafts = useEntityRows('handover_draft');
  const handovers = useEntityRows('handover');
  const members = useEntityRows('vessel_member');
  const pending = usePendingWrites();
  return useMemo(() => {
    if (!faults || !orders || !drafts || !handovers || !members || !pending) return undefined;
    const vessel = vesselId.toLowerCase();
    const me = userId.toLowerCase();
    const onVessel = (f: Record<string, JsonValue>) => lower(textOf(f, 'vessel_id')) === vessel;

    const open: HandoverFault[] = faults
      .map((r) => ({ r, f: fieldsOf(r) }))
      .filter(({ f }) => onVessel(f) && OPEN_FAULT.has(textOf(f, 'status') ?? ''))
      .map(({ r, f }) => ({
        key: `fault:${r.id}`,
        id: r.id,
        title: textOf(f, 'title') ?? '',
        severity: textOf(f, 'severity') ?? 'medium',
        status: textOf(f, 'status') ?? 'open',
        mine: lower(textOf(f, 'reported_by')) === me || lower(textOf(f, 'assignee_id')) === me,
      }))
      .sort((a, b) => Number(b.mine) - Number(a.mine) || a.title.localeCompare(b.title));

    const onOrder: HandoverOrder[] = orders
      .map((r) => ({ r, f: fieldsOf(r) }))
      .filter(({ f }) => onVessel(f) && ON_ORDER.has(textOf(f, 'status') ?? ''))
      .map(({ r, f }) => ({
        key: `parts_order:${r.id}`,
        id: r.id,
        partName: textOf(f, 'part_name') ?? '',
        quantity: typeof f.quantity === 'number' ? f.quantity : 0,
        status: textOf(f, 'status') ?? 'requested',
      }));

    const row = drafts.find((r) => {
      const f = fieldsOf(r);
      return onVessel(f) && lower(textOf(f, 'user_id')) === me;
    });
    const saves = pending.filter((w) => w.name === 'save_handover_notes.v1' && lower(typeof w.args.vessel_id === 'string' ? w.args.vessel_id : null) === vessel);
    const latest = saves.at(-1) ?? null;
    const source = latest ? latest.args : row ? fieldsOf(row) : {};
    const draft: HandoverNotes = {
      notes: textOf(source, 'notes') ?? '',
      itemNotes: itemNotesOf(source.item_notes),
      version: row?.version ?? null,
      pending: latest,
    };

    const acks = pending.filter((w) => w.name === 'acknowledge_handover.v1');
    const completed: CompletedHandover[] = handovers
      .map((r) => ({ r, f: fieldsOf(r) }))
      .filter(({ f }) => onVessel(f))
      .map(({ r, f }) => ({
        id: r.id,
        outgoingUserId: lower(textOf(f, 'outgoing_user_id')) ?? '',
        rotationEnd: textOf(f, 'rotation_end') ?? '',
        completedAt: textOf(f, 'completed_at'),
        acknowledgedBy: textOf(f, 'acknowledged_by'),
        acknowledgedAt: textOf(f, 'acknowledged_at'),
        version: r.version,
        pending: acks.find((w) => lower(typeof w.args.handover_id === 'string' ? w.args.handover_id : null) === r.id) ?? null,
      }))
      .sort((a, b) => (b.completedAt ?? '').localeCompare(a.completedAt ?? ''));

    const member = members.map((r) => fieldsOf(r)).find((f) => onVessel(f) && lower(textOf(f, 'user_id')) === me);
    const completing =
      pending.find((w) => w.name === 'complete_handover.v1' && lower(typeof w.args.vessel_id === 'string' ? w.args.vessel_id : null) === vessel) ?? null;
    return {
      faults: open,
      orders: onOrder,
      draft,
      completed,
      onRotation: member !== undefined,
      rotationEnd: member ? textOf(member, 'rotation_end') : null,
      completing,
    };
  }, [faults, orders, drafts, handovers, members, pending, vesselId, userId]);
}

/** The vessels the person is on (their `vessel_member` rows), with names when the replica has them. */
export function useMyVessels(userId: string): { id: string; name: string }[] | undefined {
  const members = useEntityRows('vessel_member');
  const vessels = useEntityRows('vessel');
  return useMemo(() => {
    if (!members || !vessels) return undefined;
    const me = userId.toLowerCase();
    const names = new Map(vessels.map((v) => [v.id, textOf(fieldsOf(v), 'name') ?? 'A vessel']));
    return members
      .map((r) => fieldsOf(r))
      .filter((f) => lower(textOf(f, 'user_id')) === me)
      .map((f) => lower(textOf(f, 'vessel_id')) ?? '')
      .filter((id) => id !== '')
      .map((id) => ({ id, name: names.get(id) ?? 'A vessel' }));
  }, [members, vessels, userId]);
}

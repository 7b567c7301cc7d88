/**
 * The handover as the device can assemble it from the replica, for the outgoing person on one
 * vessel: the vessel's open faults (those the person reported or holds first), the parts still
 * to come for its faults (open `requisition` rows with a `fault_id`: the parts orders of old
 * became requisitions with the same ids, ADR 0007 §7), the person's own draft notes (a
 * `handover_draft` row, or the latest `save_handover_notes.v1` still in the outbox), and the
 * vessel's completed handovers.
 */
import { useMemo } from 'react';

import { fieldsOf, textOf, useEntityRows, usePendingWrites, type PendingWrite } from '../../../components/local-writes';
import { quantityOf, quantityWithUnit } from '../../../components/quantity';
import type { JsonValue } from '../../../sync/checksum';
import { ENTITY } from '../../../sync/entities';

/** An open fault as the handover lists it. */
export interface HandoverFault {
  key: string;
  id: string;
  title: string;
  severity: string;
  status: string;
  mine: boolean;
}

/** A part asked for a fault and still to come: a requisition requested, approved, ordered or partly received. */
export interface HandoverOrder {
  /** `parts_order:{requisition id}`: the key the server takes for a requisition's note. */
  key: string;
  /** The requisition's id (lowercase). */
  id: string;
  faultId: string;
  partName: string;
  partNumber: string | null;
  /** With its unit: "2 pcs", "2.5 m". */
  quantity: string;
  status: OpenRequisitionStatus;
}

/**
 * The person's notes: free text and per item (`fault:{id}`, and `parts_order:{id}` for a fault's
 * requisition, the key parts orders had, which the server takes for a requisition's id).
 */
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
/** A requisition's statuses while its part is still to come (received, rejected and cancelled ones are done). */
export const OPEN_REQUISITION_STATUSES = ['requested', 'approved', 'ordered', 'partially_received'] as const;
export type OpenRequisitionStatus = (typeof OPEN_REQUISITION_STATUSES)[number];
const isOpenRequisition = (s: string | null): s is OpenRequisitionStatus => (OPEN_REQUISITION_STATUSES as readonly (string | null)[]).includes(s);

const lower = (v: string | null) => v?.toLowerCase() ?? null;

function itemNotesOf(v: JsonValue | undefined): Record<string, string> {
  if (v === null || v === undefined || typeof v !== 'object' || Array.isArray(v)) return {};
  return Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** The handover of `userId` on `vesselId`; undefined while loading. */
export function useAssembledHandover(vesselId: string, userId: string): AssembledHandover | undefined {
  const faults = useEntityRows('fault');
  const requisitions = useEntityRows(ENTITY.requisition);
  const drafts = useEntityRows('handover_draft');
  const handovers = useEntityRows('handover');
  const members = useEntityRows('vessel_member');
  const pending = usePendingWrites();
  return useMemo(() => {
    if (!faults || !requisitions || !drafts || !handovers || !members || !pending) return undefined;
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

    const onOrder: HandoverOrder[] = requisitions.flatMap((r) => {
      const f = fieldsOf(r);
      const faultId = lower(textOf(f, 'fault_id'));
      const status = textOf(f, 'status');
      if (!onVessel(f) || faultId === null || !isOpenRequisition(status)) return [];
      const quantity = quantityOf(f.quantity);
      return [
        {
          key: `parts_order:${r.id}`,
          id: r.id,
          faultId,
          partName: textOf(f, 'part_name') ?? '',
          partNumber: textOf(f, 'part_number'),
          quantity: quantity === null ? '' : quantityWithUnit(quantity, textOf(f, 'unit') ?? ''),
          status,
        },
      ];
    });

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
  }, [faults, requisitions, drafts, handovers, members, pending, vesselId, userId]);
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

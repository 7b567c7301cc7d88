/**
 * What the assignment pages read and check beside the assignments themselves
 * (`components/equipment-assignments.ts`): periods (half-open, `[starts_at, ends_at)`; whole
 * days by default, from the device's midnight to the midnight after the last day), the checks a
 * booking gets before it is queued — the item held by another booking for part of the period is
 * refused as the server refuses it (`double_booked`), the operator's other bookings in that
 * period are only a warning (one operator may mind two machines) —, the items of a site, and
 * who may operate them: the company's people who reach the site (owners, admins and managers
 * reach every site; engineers and crew the sites on whose rotation they are; viewers answer
 * nothing, so they are not offered).
 */
import { useMemo } from 'react';

import { fieldsOf, textOf, useEntityRows } from '../../../components/local-writes';
import { isHeld, type Assignment } from '../../../components/equipment-assignments';
import type { StoredRow } from '../../../sync/database';
import { ENTITY, vesselScope } from '../../../sync/entities';
import { useReplicaRow, useReplicaRows } from '../../../sync/replica-queries';

export {
  ANSWER_ASSIGNMENT,
  ASSIGN_EQUIPMENT,
  CANCEL_ASSIGNMENT,
  holdsItem,
  isHeld,
  useAnswersWaiting,
  useAssignments,
  waitingForAnswer,
  type Assignment,
  type AssignmentStatus,
} from '../../../components/equipment-assignments';

const lower = (v: string | null | undefined) => v?.toLowerCase() ?? null;
const MS_PER_DAY = 86_400_000;

/** An instant as RFC 3339 in UTC, whole seconds: `2026-05-04T06:00:00Z`. */
export const rfc3339 = (at: Date): string => at.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The device's midnight starting `day` (`YYYY-MM-DD`); null when it is not a day. */
export function localMidnight(day: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  const at = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Number.isNaN(at.getTime()) || at.getDate() !== Number(m[3]) ? null : at;
}

/** `YYYY-MM-DD` of a moment on the device's calendar. */
export function localDay(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}

/** Today on the device's calendar. */
export const localToday = (now: Date = new Date()) => localDay(now);

/** The day after `day` on the device's calendar. */
export function nextDay(day: string): string | null {
  const at = localMidnight(day);
  return at ? localDay(new Date(at.getFullYear(), at.getMonth(), at.getDate() + 1)) : null;
}

/** A period of whole days, `first` to `last` included: midnight to the midnight after `last`. */
export function wholeDays(first: string, last: string): { startsAt: string; endsAt: string } | null {
  const start = localMidnight(first);
  const after = nextDay(last);
  const end = after === null ? null : localMidnight(after);
  return start && end ? { startsAt: rfc3339(start), endsAt: rfc3339(end) } : null;
}

/** A period typed as local date-times (`YYYY-MM-DDTHH:mm`, a `datetime-local` field's value). */
export function timedPeriod(start: string, end: string): { startsAt: string; endsAt: string } | null {
  const s = new Date(start);
  const e = new Date(end);
  return /T\d{2}:\d{2}/.test(start) && /T\d{2}:\d{2}/.test(end) && !Number.isNaN(s.getTime()) && !Number.isNaN(e.getTime())
    ? { startsAt: rfc3339(s), endsAt: rfc3339(e) }
    : null;
}

/** Whether two half-open periods share an instant (touching ends do not). */
export function overlaps(a: { startsAt: string; endsAt: string }, b: { startsAt: string; endsAt: string }): boolean {
  return Date.parse(a.startsAt) < Date.parse(b.endsAt) && Date.parse(b.startsAt) < Date.parse(a.endsAt);
}

/** Whether a period covers part of the UTC day `day` (the server's rule for a daily report). */
export function coversUtcDay(period: { startsAt: string; endsAt: string }, day: string): boolean {
  const start = Date.parse(`${day}T00:00:00Z`);
  if (Number.isNaN(start)) return false;
  return Date.parse(period.startsAt) < start + MS_PER_DAY && start < Date.parse(period.endsAt);
}

/** Whether a period is the device's whole days (midnight to midnight). */
export function isWholeDays(period: { startsAt: string; endsAt: string }): boolean {
  const s = new Date(period.startsAt);
  const e = new Date(period.endsAt);
  const midnight = (d: Date) => d.getHours() === 0 && d.getMinutes() === 0 && d.getSeconds() === 0;
  return !Number.isNaN(s.getTime()) && !Number.isNaN(e.getTime()) && midnight(s) && midnight(e);
}

/** The last day of a whole-day period (the day before its end). */
export function lastDayOf(endsAt: string): string {
  const e = new Date(endsAt);
  return localDay(new Date(e.getFullYear(), e.getMonth(), e.getDate() - 1));
}

/** The assignment's length in days, rounded up (a year is at most 366). */
export const periodDays = (p: { startsAt: string; endsAt: string }) => (Date.parse(p.endsAt) - Date.parse(p.startsAt)) / MS_PER_DAY;

/** What a new booking runs into on this device. */
export interface BookingCheck {
  /** The booking holding the item for part of the period, if any: refused (`double_booked`). */
  clash: Assignment | null;
  /** The operator's other held bookings in the period: a warning only. */
  operatorBusy: Assignment[];
}

/** Checks a booking against every assignment the device knows (waiting ones included). */
export function checkBooking(
  candidate: { equipmentId: string; operatorId: string; startsAt: string; endsAt: string },
  assignments: readonly Assignment[],
): BookingCheck {
  const item = candidate.equipmentId.toLowerCase();
  const operator = candidate.operatorId.toLowerCase();
  const held = assignments
    .filter((a) => isHeld(a) && overlaps(a, candidate))
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  return {
    clash: held.find((a) => a.equipmentId === item) ?? null,
    operatorBusy: held.filter((a) => a.operatorId === operator && a.equipmentId !== item),
  };
}

/** An item of a site. */
export interface SiteItem {
  /** Lowercase. */
  id: string;
  name: string;
  decommissioned: boolean;
}

/** The items of a site by name (every item the replica holds in its scope); undefined while loading. */
export function useSiteItems(vesselId: string | null): SiteItem[] | undefined {
  const rows = useReplicaRows(ENTITY.equipment, vesselId === null ? 'none' : vesselScope(vesselId));
  return useMemo(
    () =>
      rows
        ?.map((r) => {
          const f = fieldsOf(r);
          return { id: r.id, name: textOf(f, 'name') ?? 'Unnamed item', decommissioned: textOf(f, 'status') === 'decommissioned' };
        })
        .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id)),
    [rows],
  );
}

/** Every item the device knows, by id: its name and site. */
export function useItemIndex(): Map<string, { name: string; vesselId: string | null }> | undefined {
  const rows = useEntityRows(ENTITY.equipment);
  return useMemo(
    () =>
      rows &&
      new Map(rows.map((r) => [r.id, { name: textOf(fieldsOf(r), 'name') ?? 'Unnamed item', vesselId: lower(textOf(fieldsOf(r), 'vessel_id')) }])),
    [rows],
  );
}

/** The sites the device knows (the replica's vessels, of any kind), by name. */
export function useSites(): { id: string; name: string; kind: string }[] | undefined {
  const rows = useEntityRows(ENTITY.vessel);
  return useMemo(
    () =>
      rows
        ?.map((r) => ({ id: r.id, name: textOf(fieldsOf(r), 'name') ?? 'Unnamed site', kind: textOf(fieldsOf(r), 'kind') ?? 'vessel' }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    [rows],
  );
}

/** A site's name from the replica; null while unknown. */
export function useSiteName(vesselId: string | null): string | null {
  const row = useReplicaRow(ENTITY.vessel, vesselId ?? '');
  return row ? textOf(fieldsOf(row), 'name') : null;
}

/** Someone who may be given an item at a site. */
export interface Operator {
  /** Lowercase user id. */
  id: string;
  name: string;
  role: string;
  /** On the site's rotation (else a role that reaches every site). */
  onSite: boolean;
}

const EVERY_SITE = ['owner', 'admin', 'manager'];
const ON_ROTATION = ['engineer', 'crew'];

/**
 * The people who reach a site and answer assignments, from the company's people directory
 * (`membership` rows: those who may plan have it) and the site's rotation (`vessel_member`):
 * active, and either of a role that reaches every site or on the site's rotation. On the site
 * first, then by name.
 */
export function siteOperators(vesselId: string, memberships: readonly StoredRow[], members: readonly StoredRow[]): Operator[] {
  const site = vesselId.toLowerCase();
  const onSite = new Set(
    members.flatMap((r) => {
      const f = fieldsOf(r);
      const user = lower(textOf(f, 'user_id'));
      return user !== null && lower(textOf(f, 'vessel_id')) === site ? [user] : [];
    }),
  );
  return memberships
    .flatMap((r): Operator[] => {
      const f = fieldsOf(r);
      const id = lower(textOf(f, 'user_id'));
      const role = textOf(f, 'role') ?? '';
      if (id === null || f.active === false) return [];
      const here = onSite.has(id);
      if (!EVERY_SITE.includes(role) && !(here && ON_ROTATION.includes(role))) return [];
      return [{ id, name: textOf(f, 'name') ?? 'Someone', role, onSite: here }];
    })
    .sort((a, b) => Number(b.onSite) - Number(a.onSite) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

/** The people who may operate a site's items; undefined while loading. */
export function useSiteOperators(vesselId: string): Operator[] | undefined {
  const memberships = useEntityRows(ENTITY.membership);
  const members = useEntityRows(ENTITY.vesselMember);
  return useMemo(
    () => (memberships && members ? siteOperators(vesselId, memberships, members) : undefined),
    [vesselId, memberships, members],
  );
}

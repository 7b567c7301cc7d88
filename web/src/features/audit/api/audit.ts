/**
 * The company's audit trail (owners and admins), newest first, page by page, filtered as the
 * server allows; and the people, to name who did what.
 */
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { answer, api } from '../../../api/client';
import { fetchAllPages } from '../../../api/pages';
import { load } from '../../../api/query';
import type { components } from '../../../api/schema.gen';
import type { MemberView } from '../../../api/types';

/** One audit entry. */
export type AuditEntry = components['schemas']['AuditEntryView'];

/** A page of them. */
type AuditPage = components['schemas']['AuditPage'];

/** What the list is narrowed to; empty strings are no filter. */
export interface AuditFilter {
  action: string;
  entity: string;
  entityId: string;
  actor: string;
  outcome: '' | 'success' | 'failure';
  /** `YYYY-MM-DD`, the first day (local midnight). */
  since: string;
  /** `YYYY-MM-DD`, the last day (included). */
  until: string;
}

/** No filter. */
export const NO_FILTER: AuditFilter = { action: '', entity: '', entityId: '', actor: '', outcome: '', since: '', until: '' };

/** Rows per page. */
export const AUDIT_PAGE_SIZE = 50;

/** The filter as the query string `GET /api/v1/audit` takes. */
function auditQuery(filter: AuditFilter) {
  const trimmed = (value: string) => (value.trim() === '' ? undefined : value.trim());
  const outcome = filter.outcome === '' ? undefined : filter.outcome;
  const since = filter.since === '' ? undefined : new Date(`${filter.since}T00:00:00`).toISOString();
  // Until the end of the day asked for: the server's `until` is exclusive.
  const until =
    filter.until === ''
      ? undefined
      : new Date(new Date(`${filter.until}T00:00:00`).getTime() + 86_400_000).toISOString();
  const query = {
    action: trimmed(filter.action),
    entity: trimmed(filter.entity),
    entity_id: trimmed(filter.entityId),
    actor: trimmed(filter.actor),
    outcome,
    since,
    until,
  };
  return Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined)) as {
    [K in keyof typeof query]?: NonNullable<(typeof query)[K]>;
  };
}

/** `GET /api/v1/audit`: one page of the entries matching `filter`, from `cursor`. */
export function fetchAuditPage(filter: AuditFilter, cursor: string | undefined, signal?: AbortSignal): Promise<AuditPage> {
  return answer(
    api.GET('/api/v1/audit', {
      params: {
        query: { ...auditQuery(filter), limit: AUDIT_PAGE_SIZE, ...(cursor === undefined ? {} : { cursor }) },
      },
      ...(signal ? { signal } : {}),
    }),
  );
}

/** The entries matching `filter`, a page at a time. */
export function useAuditPages(filter: AuditFilter) {
  return useInfiniteQuery({
    queryKey: ['audit', 'entries', filter],
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page: AuditPage) => page.next_cursor ?? undefined,
    queryFn: ({ pageParam, signal }) =>
      load('Could not load the audit log', (s) => fetchAuditPage(filter, pageParam, s))({ signal }),
  });
}

/** The company's people, to name actors. */
export function useAuditPeople() {
  return useQuery({
    queryKey: ['audit', 'people'],
    queryFn: load('Could not load the people', (signal) =>
      fetchAllPages<MemberView>((cursor) =>
        answer(
          api.GET('/api/v1/users', {
            params: { query: { limit: 200, ...(cursor === undefined ? {} : { cursor }) } },
            signal,
          }),
        ),
      ),
    ),
  });
}

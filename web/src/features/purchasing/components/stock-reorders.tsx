/**
 * The reorder actions of a vessel's stock page ("Request reorder" on a low line, "Request all
 * reorders"), for roles with `parts.request`: each raises one requisition for the part with the
 * quantity the page suggests and the note "Reorder: below minimum", queued as
 * `raise_requisition.v1` so it works offline. A part with an open requisition on the vessel (or
 * one waiting on this device) is "Requested" instead. Placed by the routes around the stock page.
 */
import { useCallback, useMemo, type ReactNode } from 'react';
import { useParams } from 'react-router';

import { newRowId, useEnqueue } from '../../../components/local-writes';
import { may } from '../../../components/permissions';
import { ReordersContext, type ReorderLine, type Reorders } from '../../../components/reorders';
import { useSignedInUser } from '../../../session/session-context';
import { RAISE_REQUISITION, useRequisitions } from '../api/purchasing';
import { reorderArgs, requestedParts } from '../api/reorders';

/** Provides the reorders of the route's vessel (`:id`) to the stock page inside it. */
export function StockReorders({ children }: { children: ReactNode }) {
  const { id } = useParams();
  const user = useSignedInUser();
  const allowed = may(user.role, 'parts.request');
  const vesselId = id?.toLowerCase() ?? null;
  const requisitions = useRequisitions();
  const enqueue = useEnqueue();
  const requested = useMemo(
    () => (requisitions && vesselId !== null ? requestedParts(requisitions, vesselId) : null),
    [requisitions, vesselId],
  );
  const request = useCallback(
    async (lines: readonly ReorderLine[]) => {
      if (vesselId === null || requested === null) return;
      const asked = new Set(requested);
      for (const line of lines) {
        const part = line.partId.toLowerCase();
        if (asked.has(part)) continue;
        asked.add(part);
        await enqueue(RAISE_REQUISITION, reorderArgs(newRowId(), vesselId, part, line.quantity), null);
      }
    },
    [enqueue, requested, vesselId],
  );
  const reorders = useMemo<Reorders | null>(
    () => (allowed && requested !== null ? { requested: (partId) => requested.has(partId.toLowerCase()), request } : null),
    [allowed, requested, request],
  );
  return <ReordersContext.Provider value={reorders}>{children}</ReordersContext.Provider>;
}

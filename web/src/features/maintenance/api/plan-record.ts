/**
 * A plan's record of occurrences: how each past occurrence ended, from the server's
 * `GET /api/v1/maintenance-plans/{id}` (its `completions`), online only — the replica holds the
 * plan but not this judgement. Done (by its work order) inside its tolerance window or late;
 * skipped (its work order was cancelled); or missed (passed over when a later occurrence was
 * done). Newest first.
 */
import { useQuery } from '@tanstack/react-query';

import { answer, api } from '../../../api/client';
import { load } from '../../../api/query';
import type { components } from '../../../api/schema.gen';

/** How one occurrence ended, as the server says it. */
export type Completion = components['schemas']['CompletionView'];

/** How an occurrence ended, in the words the record uses. */
export type RecordOutcome = 'done_in_window' | 'done_late' | 'skipped' | 'missed';

/** An occurrence's outcome: a done one is judged by its window. */
export function outcomeOf(c: Pick<Completion, 'outcome' | 'in_window'>): RecordOutcome {
  if (c.outcome === 'skipped') return 'skipped';
  if (c.outcome === 'missed') return 'missed';
  return c.in_window ? 'done_in_window' : 'done_late';
}

/** The record newest first: the latest occurrence, then by the day it ended. */
export function newestFirst(list: readonly Completion[]): Completion[] {
  return [...list].sort((a, b) => b.occurrence - a.occurrence || b.done_on.localeCompare(a.done_on));
}

/** The plan's record from the server, newest first (only asked for while `enabled`). */
export function usePlanRecord(planId: string, enabled: boolean) {
  return useQuery({
    queryKey: ['maintenance-plan', planId, 'record'],
    queryFn: load('Could not load the plan’s record', async (signal) => {
      const detail = await answer(api.GET('/api/v1/maintenance-plans/{id}', { params: { path: { id: planId } }, signal }));
      return newestFirst(detail.completions);
    }),
    enabled,
  });
}

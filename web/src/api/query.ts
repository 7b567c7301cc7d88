/**
 * The query cache (TanStack Query) the pages read through, and how its loads fail.
 *
 * Every query function runs through `load`, so a failed read is always an `ApiError` (the
 * server's problem, or one headed by the page's own words), which is what `query.error` is
 * typed as. Reads are not retried by themselves: a page shows the problem and a "Try again".
 */
import { QueryClient } from '@tanstack/react-query';
import { asApiError, type ApiError } from './client';

declare module '@tanstack/react-query' {
  interface Register {
    defaultError: ApiError;
  }
}

/** A query function's context, as far as our loads use it. */
interface LoadContext {
  signal: AbortSignal;
}

/** Wraps a load so that anything it throws is an `ApiError`, headed `failureTitle` when not the server's. */
export function load<T>(failureTitle: string, run: (signal: AbortSignal) => Promise<T>) {
  return async ({ signal }: LoadContext): Promise<T> => {
    try {
      return await run(signal);
    } catch (error) {
      throw asApiError(error, failureTitle);
    }
  };
}

/** A cache for one app (or one test). */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry: false,
        // Coming back to a window does not reload every page behind the person's back; the
        // sync engine will keep data fresh.
        refetchOnWindowFocus: false,
      },
      mutations: { retry: false },
    },
  });
}

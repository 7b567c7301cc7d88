/**
 * Loads one thing from the API for a page: the request is made again when its key changes or
 * on `reload`, aborted when the page no longer needs it, and an answer for an earlier key is
 * never shown for the current one.
 */
import { useEffect, useState } from 'react';
import { ApiError } from '../api/client';

/** Where a load stands. */
export type Resource<T> =
  | { status: 'loading' }
  | { status: 'loaded'; value: T }
  | { status: 'failed'; error: ApiError };

type Settled<T> = { key: string; attempt: number } & (
  | { status: 'loaded'; value: T }
  | { status: 'failed'; error: ApiError }
);

/** The error as an `ApiError`, so pages have one shape to show. */
export function asApiError(error: unknown, title: string): ApiError {
  return error instanceof ApiError ? error : new ApiError({ type: 'about:blank', title, status: 0 });
}

/**
 * Runs `load` for `key` (`null`: nothing to load, stays `loading`). `load` must depend on
 * nothing but what `key` names; `failureTitle` heads errors that are not the server's.
 */
export function useResource<T>(
  key: string | null,
  load: (signal: AbortSignal) => Promise<T>,
  failureTitle: string,
): { state: Resource<T>; reload: () => void } {
  const [settled, setSettled] = useState<Settled<T> | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (key === null) return;
    const controller = new AbortController();
    load(controller.signal).then(
      (value) => {
        setSettled({ key, attempt, status: 'loaded', value });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setSettled({ key, attempt, status: 'failed', error: asApiError(error, failureTitle) });
      },
    );
    return () => {
      controller.abort();
    };
    // `load` is keyed by `key`: a new function for the same key must not load again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, attempt]);

  const reload = () => {
    setAttempt((n) => n + 1);
  };
  if (key === null || settled?.key !== key || settled.attempt !== attempt) {
    return { state: { status: 'loading' }, reload };
  }
  return {
    state:
      settled.status === 'loaded'
        ? { status: 'loaded', value: settled.value }
        : { status: 'failed', error: settled.error },
    reload,
  };
}

/**
 * One thing a form asks of the server: whether it is on its way, and how it failed.
 */
import { useCallback, useState } from 'react';
import type { ApiError } from '../api/client';
import { asApiError } from '../api/client';

/** What `run` ends with. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/**
 * Runs `action` on request: `pending` while it runs, `error` when it failed (as an `ApiError`,
 * headed `failureTitle` when it is not the server's). `run` never throws.
 */
export function useAction<A extends unknown[], T>(
  action: (...args: A) => Promise<T>,
  failureTitle: string,
): {
  run: (...args: A) => Promise<Outcome<T>>;
  pending: boolean;
  error: ApiError | null;
  clearError: () => void;
} {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const run = useCallback(
    async (...args: A): Promise<Outcome<T>> => {
      setPending(true);
      setError(null);
      try {
        const value = await action(...args);
        return { ok: true, value };
      } catch (thrown) {
        const failure = asApiError(thrown, failureTitle);
        setError(failure);
        return { ok: false, error: failure };
      } finally {
        setPending(false);
      }
    },
    [action, failureTitle],
  );
  const clearError = useCallback(() => {
    setError(null);
  }, []);
  return { run, pending, error, clearError };
}

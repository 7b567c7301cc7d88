/**
 * A failed request, said the way the server put it, with a way to try again.
 */
import type { ApiError } from '../api/client';

/** The problem's title and detail in an alert; "Try again" calls `onRetry`. */
export function ProblemAlert({ error, onRetry }: { error: ApiError; onRetry?: () => void }) {
  return (
    <div className="alert" role="alert">
      <p>
        <strong>{error.problem.title}</strong>
        {error.problem.detail ? ` — ${error.problem.detail}` : null}
      </p>
      {onRetry ? (
        <button className="button" type="button" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

/**
 * A failed request, said the way the server put it, with a way to try again.
 */
import type { ApiError } from '../api/client';

/**
 * The problem's title and detail in an alert, and each rejected field (named by
 * `fieldLabels`, else as the server named it); "Try again" calls `onRetry`.
 */
export function ProblemAlert({
  error,
  onRetry,
  fieldLabels = {},
}: {
  error: ApiError;
  onRetry?: () => void;
  fieldLabels?: Record<string, string>;
}) {
  const violations = error.problem.errors ?? [];
  return (
    <div className="alert" role="alert">
      <p>
        <strong>{error.problem.title}</strong>
        {error.problem.detail ? ` — ${error.problem.detail}` : null}
      </p>
      {violations.length > 0 ? (
        <ul className="alert__fields">
          {violations.map((violation) => (
            <li key={`${violation.field}-${violation.code}`}>
              {fieldLabels[violation.field] ?? violation.field}: {violation.message}
            </li>
          ))}
        </ul>
      ) : null}
      {onRetry ? (
        <button className="button" type="button" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

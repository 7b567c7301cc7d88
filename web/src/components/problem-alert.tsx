/**
 * A failed request, said the way the server put it, with a way to try again.
 */
import type { ApiError } from '../api/client';
import { problemMessage } from '../api/problem-messages';

/**
 * The problem's title and detail in an alert, what it means for the person (by its code, see
 * `problem-messages.ts`), and each rejected field (named by `fieldLabels`, else as the server
 * named it); "Try again" calls `onRetry`.
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
  const meaning = problemMessage(error.problem.code);
  return (
    <div className="alert" role="alert">
      <p>
        <strong>{error.problem.title}</strong>
        {error.problem.detail ? ` — ${error.problem.detail}` : null}
      </p>
      {meaning && meaning !== error.problem.title ? <p className="alert__meaning">{meaning}</p> : null}
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

/**
 * A server's `422 validation_failed` said on the form's own fields: each violation of a field
 * the form has becomes that field's error; what is left is for the problem alert.
 */
import type { FieldPath, FieldValues, UseFormSetError } from 'react-hook-form';
import { ApiError } from '../api/client';

/**
 * Puts each violation naming one of `fields` (the server's name → the form's) on that field.
 * Returns the problem still to show above the form: the error without those violations, or
 * `null` when every violation found its field.
 */
export function setServerFieldErrors<T extends FieldValues>(
  error: ApiError,
  setError: UseFormSetError<T>,
  fields: Partial<Record<string, FieldPath<T>>>,
): ApiError | null {
  const violations = error.problem.errors ?? [];
  if (violations.length === 0) return error;
  const left = violations.filter((violation) => {
    const field = fields[violation.field];
    if (field === undefined) return true;
    setError(field, { type: 'server', message: sentence(violation.message) });
    return false;
  });
  if (left.length === 0) return null;
  return new ApiError({ ...error.problem, errors: left }, error.retryAfterSeconds);
}

/** "must be …" → "Must be …". */
function sentence(message: string): string {
  return message.charAt(0).toUpperCase() + message.slice(1);
}

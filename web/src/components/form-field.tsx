/**
 * A labelled form field for React Hook Form: its hint, and its error (the form's own check or
 * the server's 422) said under it and tied to the input for screen readers.
 */
import { useId, type InputHTMLAttributes, type ReactNode } from 'react';
import type { UseFormRegisterReturn } from 'react-hook-form';

/** Ids a custom control needs to be labelled and described like a text field. */
export interface FieldIds {
  id: string;
  'aria-invalid': boolean;
  'aria-describedby': string | undefined;
}

/** The frame around any control: label, hint and error. `children` receives the ids to put on it. */
export function FieldFrame({
  label,
  hint,
  error,
  children,
}: {
  label: string;
  hint?: ReactNode;
  error?: string | undefined;
  children: (ids: FieldIds) => ReactNode;
}) {
  const id = useId();
  const described = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': error !== undefined, 'aria-describedby': described || undefined })}
      {hint ? (
        <p id={`${id}-hint`} className="field__hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="field__error">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** A text input registered with a form. */
export function TextField({
  label,
  hint,
  error,
  registration,
  ...input
}: {
  label: string;
  hint?: ReactNode;
  error?: string | undefined;
  registration: UseFormRegisterReturn;
} & Omit<InputHTMLAttributes<HTMLInputElement>, keyof UseFormRegisterReturn | 'id'>) {
  return (
    <FieldFrame label={label} hint={hint} error={error}>
      {(ids) => <input {...input} {...ids} {...registration} />}
    </FieldFrame>
  );
}

/**
 * Choosing a password: typed twice, 8 to 128 characters (the server's rule; it checks again).
 */
import { useId } from 'react';

/** Shortest and longest password the server takes. */
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

/** Why the two fields cannot be sent yet, or null when they can. */
export function newPasswordProblem(password: string, repeated: string): string | null {
  // Counted in code points, as the server counts (Rust's `chars()`), not UTF-16 units.
  const length = Array.from(password).length;
  if (length < PASSWORD_MIN) return `The password needs at least ${PASSWORD_MIN} characters.`;
  if (length > PASSWORD_MAX) return `The password can have at most ${PASSWORD_MAX} characters.`;
  if (password !== repeated) return 'The two passwords are not the same.';
  return null;
}

/** The two fields. */
export function NewPasswordFields({
  password,
  repeated,
  onPassword,
  onRepeated,
}: {
  password: string;
  repeated: string;
  onPassword: (value: string) => void;
  onRepeated: (value: string) => void;
}) {
  const id = useId();
  return (
    <>
      <div className="field">
        <label htmlFor={`${id}-new`}>New password</label>
        <input
          id={`${id}-new`}
          name="new-password"
          type="password"
          autoComplete="new-password"
          required
          minLength={PASSWORD_MIN}
          maxLength={PASSWORD_MAX}
          aria-describedby={`${id}-hint`}
          value={password}
          onChange={(e) => {
            onPassword(e.target.value);
          }}
        />
        <p id={`${id}-hint`} className="field__hint">
          At least {PASSWORD_MIN} characters. A few words strung together are easy to remember and hard to guess.
        </p>
      </div>
      <div className="field">
        <label htmlFor={`${id}-again`}>New password again</label>
        <input
          id={`${id}-again`}
          name="new-password-again"
          type="password"
          autoComplete="new-password"
          required
          value={repeated}
          onChange={(e) => {
            onRepeated(e.target.value);
          }}
        />
      </div>
    </>
  );
}

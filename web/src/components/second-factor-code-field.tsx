/**
 * The field for a second-factor code: six digits from an authenticator app (a number pad on
 * phones), or, where allowed, one of the person's recovery codes.
 */
import { useId, useState } from 'react';

/** A code as typed, without spaces (apps show "123 456"); recovery codes keep their dash. */
export function normaliseCode(code: string): string {
  return code.replace(/\s+/g, '');
}

/** The code field; `allowRecoveryCode` adds a switch to type a recovery code instead. */
export function SecondFactorCodeField({
  value,
  onChange,
  allowRecoveryCode = false,
  autoFocus = false,
}: {
  value: string;
  onChange: (value: string) => void;
  allowRecoveryCode?: boolean;
  autoFocus?: boolean;
}) {
  const id = useId();
  const [recovery, setRecovery] = useState(false);
  return (
    <div className="field">
      <label htmlFor={`${id}-code`}>{recovery ? 'Recovery code' : 'Code from your authenticator app'}</label>
      <input
        id={`${id}-code`}
        name={recovery ? 'recovery-code' : 'code'}
        type="text"
        inputMode={recovery ? 'text' : 'numeric'}
        autoComplete="one-time-code"
        autoCapitalize={recovery ? 'characters' : 'none'}
        spellCheck={false}
        // Focus moves here when the step appears, so the person can type at once.
        autoFocus={autoFocus}
        required
        maxLength={recovery ? 16 : 8}
        aria-describedby={`${id}-hint`}
        value={value}
        onChange={(e) => {
          onChange(e.target.value);
        }}
      />
      <p id={`${id}-hint`} className="field__hint">
        {recovery
          ? 'One of the recovery codes you saved, such as ABCDE-FGHJK. Each works once.'
          : 'The 6 digits your authenticator app shows for Bosun now.'}
      </p>
      {allowRecoveryCode ? (
        <button
          className="link-button"
          type="button"
          onClick={() => {
            setRecovery((r) => !r);
            onChange('');
          }}
        >
          {recovery ? 'Use a code from the app instead' : 'Lost your phone? Use a recovery code'}
        </button>
      ) : null}
    </div>
  );
}

/**
 * Something shown once that the person must take with them (an invitation link, an API key's
 * secret, recovery codes): the text, selectable, and a button that copies it.
 */
import { useId, useRef, useState } from 'react';

/** Copies `text` to the clipboard; false when the browser will not (e.g. plain http). */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (typeof navigator === 'undefined' || !('clipboard' in navigator)) return false;
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * The value in a read-only field labelled `label`, and a Copy button. When the clipboard is not
 * available the text is selected for the person to copy by hand.
 */
export function CopyField({
  label,
  value,
  multiline = false,
  hint,
}: {
  label: string;
  value: string;
  multiline?: boolean;
  hint?: string;
}) {
  const id = useId();
  const field = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);

  async function copy() {
    const ok = await copyText(value);
    setCopied(ok ? 'yes' : 'no');
    if (!ok) field.current?.select();
  }

  const common = {
    id: `${id}-value`,
    ref: field,
    readOnly: true,
    value,
    spellCheck: false,
    'aria-describedby': hint ? `${id}-hint` : undefined,
    onFocus: () => field.current?.select(),
  };
  return (
    <div className="field copy-field">
      <label htmlFor={`${id}-value`}>{label}</label>
      <div className="copy-field__row">
        {multiline ? (
          <textarea className="copy-field__value" rows={value.split('\n').length} {...common} />
        ) : (
          <input className="copy-field__value" type="text" {...common} />
        )}
        <button className="button" type="button" onClick={() => void copy()}>
          Copy<span className="visually-hidden"> {label.toLowerCase()}</span>
        </button>
      </div>
      {hint ? (
        <p id={`${id}-hint`} className="field__hint">
          {hint}
        </p>
      ) : null}
      <p className="field__hint copy-field__status" role="status">
        {copied === 'yes' ? 'Copied.' : copied === 'no' ? 'Selected — copy it with your device’s copy command.' : ''}
      </p>
    </div>
  );
}

/**
 * Recovery codes, shown once: the codes, ways to keep them (copy, download), and a step the
 * person must take ("I have saved them") before the page moves on.
 */
import { useId, useMemo, useState } from 'react';
import { copyText } from '../../../components/copy-field';

/** The codes and the "saved them" step; `onDone` runs once the person says they are kept. */
export function RecoveryCodes({ codes, account, onDone }: { codes: string[]; account: string; onDone: () => void }) {
  const id = useId();
  const [saved, setSaved] = useState(false);
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const text = useMemo(
    () =>
      [
        `Bosun recovery codes for ${account}`,
        'Each code signs you in once in place of a code from your authenticator app.',
        '',
        ...codes,
        '',
      ].join('\n'),
    [codes, account],
  );
  const download = useMemo(() => `data:text/plain;charset=utf-8,${encodeURIComponent(text)}`, [text]);

  return (
    <div className="recovery-codes" role="group" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} className="recovery-codes__title">
        Save your recovery codes
      </h3>
      <p>
        If you lose your phone, each of these codes signs you in once instead of a code from the app.
        <strong> They are shown only now.</strong> Keep them somewhere safe away from your phone — a
        password manager, or printed in your cabin.
      </p>
      <ol className="recovery-codes__list" aria-label="Recovery codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <div className="button-row">
        <button
          className="button"
          type="button"
          onClick={() =>
            void copyText(codes.join('\n')).then((ok) => {
              setCopied(ok ? 'yes' : 'no');
            })
          }
        >
          Copy codes
        </button>
        <a className="button" href={download} download="bosun-recovery-codes.txt">
          Download codes
        </a>
      </div>
      <p className="field__hint" role="status">
        {copied === 'yes' ? 'Copied.' : copied === 'no' ? 'Copying is not available here: download them or write them down.' : ''}
      </p>
      <div className="checkbox">
        <input
          id={`${id}-saved`}
          type="checkbox"
          checked={saved}
          onChange={(e) => {
            setSaved(e.target.checked);
          }}
        />
        <label htmlFor={`${id}-saved`}>I have saved these codes somewhere safe</label>
      </div>
      <button className="button button--primary" type="button" disabled={!saved} onClick={onDone}>
        Done
      </button>
    </div>
  );
}

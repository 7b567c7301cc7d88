/**
 * The header's sync state as it is now (src/sync/sync-status.tsx loads it once there is a sync
 * client): the sentence of `statusParts`, written again every 30 s for "2 min ago". With changes
 * on the device it opens on their list: under the header, full width on a phone, scrolling
 * within a bounded height (styles.css); "Close" or Escape puts it away.
 */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';

import { useChangeLines } from './change-list';
import { statusParts } from './sync-status';
import { useSyncState } from './use-sync-state';

/** How often "2 min ago" is written again. */
const TICK_MS = 30_000;

/** The header's sync state, shown while there is a sync client. */
export function LiveSyncStatus() {
  const state = useSyncState();
  const lines = useChangeLines();
  const [now, setNow] = useState(() => Date.now());
  const details = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    const timer = setInterval(() => {
      setNow(Date.now());
    }, TICK_MS);
    return () => {
      clearInterval(timer);
    };
  }, []);
  const parts = statusParts(state, Math.max(now, state.lastSyncedAt ?? 0));
  const settled =
    state.online && !state.syncing && state.waiting + state.photosWaiting === 0 && state.lastSyncedAt !== null;
  const synced = settled ? 'true' : 'false';
  function close() {
    const element = details.current;
    if (!element) return;
    element.open = false;
    element.querySelector('summary')?.focus();
  }
  function closeOnEscape(event: KeyboardEvent<HTMLDetailsElement>) {
    if (event.key === 'Escape' && details.current?.open) close();
  }
  if (lines.length === 0) {
    return (
      <p className="sync-status" aria-live="polite" data-synced={synced}>
        {parts.join(' · ')}
      </p>
    );
  }
  return (
    <details ref={details} className="sync-status sync-status--changes" data-synced={synced} onKeyDown={closeOnEscape}>
      <summary>
        <span aria-live="polite">{parts.join(' · ')}</span>
        <span className="visually-hidden"> — show the changes on this device</span>
      </summary>
      <div className="sync-status__panel">
        <div className="sync-status__top">
          <p className="sync-status__heading">Changes on this device</p>
          <button className="button sync-status__close" type="button" onClick={close}>
            Close
          </button>
        </div>
        <ul className="sync-status__changes" aria-label="Changes on this device">
          {lines.map((line) => (
            <li key={line.key}>
              {line.what}: <span className={`sync-change sync-change--${line.tone}`}>{line.label}</span>
              {line.tone === 'refused' && line.detail ? <span className="sync-status__detail"> {line.detail}</span> : null}
            </li>
          ))}
        </ul>
      </div>
    </details>
  );
}

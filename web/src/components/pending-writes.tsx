/**
 * A feature's writes not yet accepted, as a short list: each says what it does and where it
 * stands; a refused one gives the server's sentence, the feature's own meaning of its code when
 * it has one, and a Dismiss button (the person has read it).
 */
import './maintenance.css';

import type { PendingWrite } from './local-writes';
import { PendingMark } from './pending-mark';
import { useSyncClient } from '../sync/sync-context';

/** What a feature says a refusal code means for its records. */
export type RefusalMeanings = Readonly<Record<string, string>>;

/**
 * The meanings for a write: one table for all, or one per write where a code means different
 * things for different mutators (`not_found` for an edit is a person chosen out of reach).
 */
export type RefusalMeaningsOf = RefusalMeanings | ((write: PendingWrite) => RefusalMeanings);

/** A refused write's reason and its Dismiss button; nothing for a write still on its way. */
export function Refusal({ write, meanings = {} }: { write: PendingWrite; meanings?: RefusalMeaningsOf | undefined }) {
  const sync = useSyncClient();
  if (write.state !== 'rejected') return null;
  const table = typeof meanings === 'function' ? meanings(write) : meanings;
  const meaning = write.code === undefined ? undefined : table[write.code];
  return (
    <>
      {write.detail ? <span> {write.detail}</span> : null}
      {meaning ? <span className="pending-refusal"> {meaning}</span> : null}{' '}
      <button className="link-button" type="button" onClick={() => void sync?.engine.dismissRejection(write.id)}>
        Dismiss
      </button>
    </>
  );
}

/** Writes not yet accepted, each described by `describe`, refusals with their reason. */
export function PendingWrites({
  writes,
  describe,
  meanings,
  label = 'Changes not yet accepted',
}: {
  writes: readonly PendingWrite[];
  describe: (write: PendingWrite) => string;
  meanings?: RefusalMeaningsOf | undefined;
  label?: string | undefined;
}) {
  if (writes.length === 0) return null;
  return (
    <ul className="pending-list" aria-label={label}>
      {writes.map((w) => (
        <li key={w.id}>
          {describe(w)}: <PendingMark write={w} />
          <Refusal write={w} meanings={meanings} />
        </li>
      ))}
    </ul>
  );
}

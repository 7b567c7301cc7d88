/**
 * An item's link to its parent's meter, in its "Running hours" card (issue 12 §2): whether it
 * counts its parent's running hours, "Link to parent's meter" and "Unlink" (asked again before
 * it goes) for `equipment.write` roles, both queued through the outbox so they work offline; in
 * place of "Record a reading" while linked, where its readings are recorded instead; and on a
 * parent's page, the items counting its hours.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { Link } from 'react-router';

import type { EquipmentDetailView } from '../../../api/types';
import { useEnqueue } from '../../../components/local-writes';
import { PendingMark } from '../../../components/pending-mark';
import { PendingWrites } from '../../../components/pending-writes';
import { useEquipment } from '../api/get-equipment';
import { LINK_METER, linkedChildHours, UNLINK_METER, useLinkedChildren, type MeterLinkState } from '../api/meter-links';
import { useShownReadings } from '../api/readings';
import { formatDate, formatHours } from './equipment-labels';

const itemPath = (id: string) => `/equipment/${encodeURIComponent(id)}`;

/** What the item's parent is known to be: its name and running hours, the readings waiting here counted. */
interface ParentMeter {
  name: string;
  /** Null while it has no readings; undefined while it is not known (loading, or out of reach). */
  hours: number | null | undefined;
  /** Its hours as the server holds them, readings waiting here left out. */
  confirmedHours: number | null | undefined;
}

function useParentMeter(parentId: string): ParentMeter {
  const parent = useEquipment(parentId);
  const item = parent.status === 'success' ? parent.data : undefined;
  const readings = useShownReadings(parentId, item?.readings ?? []);
  if (!item) return { name: 'its parent', hours: undefined, confirmedHours: undefined };
  const counted = readings.filter((r) => !Number.isNaN(r.total));
  return { name: item.name, hours: counted.at(-1)?.total ?? null, confirmedHours: item.running_hours ?? null };
}

/** The server's refusals of a link or an unlink, in the page's words. */
function refusalMeanings(parent: string): Record<string, string> {
  return {
    parent_has_no_meter: `${parent} has no running hours yet, so there is nothing to count: record a reading on ${parent} first, then link again.`,
    no_parent: 'This item sits under no other item, so there is no parent’s meter to count.',
    decommissioned: 'A decommissioned item is not linked.',
  };
}

/**
 * Whether the item (which sits under another) counts its parent's running hours, and the
 * buttons that change it. `hours` is the item's total now.
 */
export function MeterLinkStatus({
  item,
  state,
  hours,
  mayWrite,
}: {
  item: EquipmentDetailView;
  state: MeterLinkState;
  hours: number | null;
  mayWrite: boolean;
}) {
  const parentId = item.parent_id ?? '';
  const parent = useParentMeter(parentId);
  const enqueue = useEnqueue();
  const [failure, setFailure] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  // The question gone, the focus goes to the button in its place: "Keep linked" hands it back
  // to "Unlink", an unlink to "Link to parent's meter".
  const refocusUnlink = useRef(false);
  const refocusLink = useRef(false);
  const { link } = state;
  const parentLink = <Link to={itemPath(parentId)}>{parent.name}</Link>;

  async function queue(name: string): Promise<void> {
    setFailure(null);
    try {
      await enqueue(name, { equipment_id: item.id }, null);
      setConfirming(false);
    } catch (e) {
      refocusLink.current = false;
      setFailure(e instanceof Error ? e.message : 'The change could not be kept on this device.');
    }
  }

  // The parent's readings still on this device move the child once the server has them.
  const waiting =
    link !== null && typeof parent.hours === 'number' && parent.hours !== parent.confirmedHours ? linkedChildHours(link, parent.hours) : null;
  const mayLink = mayWrite && link === null && item.status !== 'decommissioned';
  const parentUnmetered = parent.hours === null;

  return (
    <div className="meter-link">
      {link === null ? (
        <p>
          Keeps a meter of its own: it does not count {parentLink}’s running hours.
          {mayLink && !parentUnmetered ? ' If it runs only while its parent runs, link it to the parent’s meter and its hours will follow.' : null}
        </p>
      ) : link.pending ? (
        <p>
          Counts {parentLink}’s running hours from when the server takes the link — it runs only while its parent runs.
        </p>
      ) : (
        <p>
          Counts {parentLink}’s running hours since <time dateTime={link.linkedAt}>{formatDate(link.linkedAt)}</time> — it runs only
          while its parent runs.
        </p>
      )}
      {waiting !== null && waiting > (hours ?? 0) ? (
        <p className="notice">
          {parent.name} has readings waiting on this device: once the server has them, this item counts about {formatHours(waiting)}.
        </p>
      ) : null}
      {mayLink && parentUnmetered ? (
        <p className="notice">
          {parent.name} has no running hours yet, so there is nothing to count: record a reading on {parentLink} first, then link this
          item to it.
        </p>
      ) : null}
      {mayLink && !parentUnmetered ? (
        <div className="button-row">
          <button
            ref={(button) => {
              if (button && refocusLink.current) {
                refocusLink.current = false;
                button.focus();
              }
            }}
            className="button"
            type="button"
            onClick={() => void queue(LINK_METER)}
          >
            Link to parent’s meter
          </button>
        </div>
      ) : null}
      {mayWrite && link !== null && !confirming ? (
        <div className="button-row">
          <button
            ref={(button) => {
              if (button && refocusUnlink.current) {
                refocusUnlink.current = false;
                button.focus();
              }
            }}
            className="button"
            type="button"
            onClick={() => {
              setConfirming(true);
            }}
          >
            Unlink
          </button>
        </div>
      ) : null}
      {mayWrite && link !== null && confirming ? (
        <ConfirmUnlink
          question={`Unlink ${item.name} from ${parent.name}’s meter? It keeps the ${hours === null ? 'hours' : formatHours(hours)} it has and takes readings of its own again; it no longer follows ${parent.name}.`}
          onUnlink={() => {
            refocusLink.current = true;
            void queue(UNLINK_METER);
          }}
          onKeep={() => {
            refocusUnlink.current = true;
            setConfirming(false);
          }}
        />
      ) : null}
      {failure ? <p role="alert">{failure}</p> : null}
      <PendingWrites
        writes={state.writes}
        describe={(w) => (w.name === LINK_METER ? 'Link to parent’s meter' : 'Unlink from parent’s meter')}
        meanings={refusalMeanings(parent.name)}
        label="Meter link changes not yet accepted"
      />
    </div>
  );
}

/** The question before an unlink, focused when it opens so a screen reader hears it. */
function ConfirmUnlink({ question, onUnlink, onKeep }: { question: string; onUnlink: () => void; onKeep: () => void }) {
  const questionId = useId();
  const group = useRef<HTMLDivElement>(null);
  useEffect(() => {
    group.current?.focus();
  }, []);
  return (
    <div ref={group} className="meter-link__confirm" role="group" aria-labelledby={questionId} tabIndex={-1}>
      <p id={questionId}>{question}</p>
      <div className="button-row">
        <button className="button button--danger" type="button" onClick={onUnlink}>
          Yes, unlink
        </button>
        <button className="button" type="button" onClick={onKeep}>
          Keep linked
        </button>
      </div>
    </div>
  );
}

/** In place of "Record a reading" while the item counts its parent's hours. */
export function ReadingsFromParent({ parentId }: { parentId: string }) {
  const parent = useParentMeter(parentId);
  return (
    <div className="record-reading">
      <h3 className="card__subtitle">Record a reading</h3>
      <p>
        Its hours follow its parent’s meter, so it takes no reading of its own:{' '}
        <Link to={itemPath(parentId)}>record the reading on {parent.name}</Link>. To give it a meter of its own again, unlink it.
      </p>
    </div>
  );
}

/** On a parent's page: the items counting its running hours (nothing when there are none). */
export function LinkedChildren({ item }: { item: EquipmentDetailView }) {
  const titleId = useId();
  const children = useLinkedChildren(item);
  if (!children || children.length === 0) return null;
  return (
    <div className="meter-link">
      <h3 id={titleId} className="card__subtitle">
        Items counting these hours
      </h3>
      <p>They run only while {item.name} runs: each new reading recorded here gives them theirs.</p>
      <ul className="meter-link__children" aria-labelledby={titleId}>
        {children.map((child) => (
          <li key={child.id}>
            <Link to={itemPath(child.id)}>{child.name}</Link>
            {child.link.pending ? (
              <>
                {' '}
                · linked <PendingMark write={child.link.pending} />
              </>
            ) : (
              <>
                {' '}
                · since <time dateTime={child.link.linkedAt}>{formatDate(child.link.linkedAt)}</time>
              </>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

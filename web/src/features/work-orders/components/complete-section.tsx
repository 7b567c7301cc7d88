/**
 * Completing a work order in progress (`workorder.execute`): what is still missing (the
 * required steps without an answer, in checklist order) and, when the order must be signed, the
 * signer's name and a signature pad. "Complete work order" stays disabled until nothing is
 * missing, as the server refuses `steps_incomplete` and `signature_required`.
 *
 * The signature is kept as a PNG photo of the order's item (uploaded like any photo, offline
 * too) and `complete_work_order.v1` names its attachment id: `{ work_order_id, signature:
 * { name, image_id } }`, on the order's replica version.
 */
import { useId, useRef, useState } from 'react';

import { useEnqueue } from '../../../components/local-writes';
import { prepareDrawing } from '../../../photos/photo-queue';
import { useSignedInUser } from '../../../session/session-context';
import type { JsonValue } from '../../../sync/checksum';
import { COMPLETE_WORK_ORDER, type Step, type WorkOrderItem } from '../api/work-orders';
import { useKeepOnItem } from './attachments';
import { SignaturePad, type SignaturePadHandle } from './signature-pad';

/** The section. */
export function CompleteSection({ order, missing }: { order: WorkOrderItem; missing: readonly Step[] }) {
  const titleId = useId();
  const nameId = useId();
  const missingId = useId();
  const user = useSignedInUser();
  const enqueue = useEnqueue();
  const keep = useKeepOnItem(order);
  const pad = useRef<SignaturePadHandle>(null);
  const [name, setName] = useState(user.name);
  const [signed, setSigned] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const needsSignature = order.signatureRequired;
  const trimmed = name.trim();
  const unsigned = needsSignature && (!signed || trimmed === '');
  const ready = missing.length === 0 && !unsigned;
  const number = new Map(order.steps.map((s, i) => [s.id, i + 1]));

  async function complete() {
    if (!ready) return;
    setFailure(null);
    setBusy(true);
    try {
      const args: Record<string, JsonValue> = { work_order_id: order.id };
      if (needsSignature) {
        if (!pad.current) return;
        const { png, thumbnail } = await pad.current.toPng();
        const imageId = await keep(await prepareDrawing(png, thumbnail, 'signature.png'));
        args.signature = { name: trimmed, image_id: imageId };
      }
      await enqueue(COMPLETE_WORK_ORDER, args, order.version);
    } catch (e) {
      setFailure(e instanceof Error ? e.message : 'The completion could not be kept on this device.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby={titleId}>
      <h2 id={titleId} className="card__title">
        Complete
      </h2>
      {missing.length > 0 ? (
        <div className="notice notice--warning" id={missingId}>
          <p>Answer these required steps first:</p>
          <ul className="wo-missing" aria-label="Required steps without an answer">
            {missing.map((s) => (
              <li key={s.id}>
                {number.get(s.id)}. {s.title}
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <p className="notice">Every required step is answered.</p>
      )}
      {needsSignature ? (
        <div className="wo-form" role="group" aria-label="Signature for completion">
          <p>This work order must be signed to be completed.</p>
          <div className="field">
            <label htmlFor={nameId}>Name of the signer</label>
            <input
              id={nameId}
              autoComplete="name"
              value={name}
              maxLength={200}
              onChange={(e) => {
                setName(e.target.value);
              }}
            />
          </div>
          <SignaturePad ref={pad} label="Signature" onSignedChange={setSigned} />
        </div>
      ) : null}
      {missing.length === 0 && unsigned ? <p className="wo-summary">Sign above to complete.</p> : null}
      <button
        className="button button--primary"
        type="button"
        disabled={!ready || busy}
        aria-describedby={missing.length > 0 ? missingId : undefined}
        onClick={() => void complete()}
      >
        Complete work order
      </button>
      {failure ? <p role="alert">{failure}</p> : null}
    </section>
  );
}

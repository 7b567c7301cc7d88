/**
 * The operator's answer to a proposed assignment: "Accept", or "Decline" with an optional reason
 * (up to 500 characters), each queued as `answer_assignment.v1` on the assignment's replica
 * version and shown at once; the list then moves it to where it stands.
 */
import { useId, useState, type SyntheticEvent } from 'react';

import { FieldFrame } from '../../../components/form-field';
import { useEnqueue } from '../../../components/local-writes';
import { charCount } from '../../../components/plain-text';
import { ANSWER_ASSIGNMENT, type Assignment } from '../api/assignments';

const REASON_MAX = 500;

/** The buttons (and the decline form) for one proposal; `what` names it for screen readers. */
export function AnswerControls({ assignment, what }: { assignment: Assignment; what: string }) {
  const enqueue = useEnqueue();
  const formId = useId();
  const [declining, setDeclining] = useState(false);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function answer(accept: boolean, why: string) {
    setFailure(null);
    setBusy(true);
    try {
      await enqueue(
        ANSWER_ASSIGNMENT,
        { assignment_id: assignment.id, accept, ...(accept || why.trim() === '' ? {} : { reason: why.trim() }) },
        assignment.version,
      );
    } catch (e) {
      setFailure(e instanceof Error ? e.message : 'The answer could not be kept on this device.');
    } finally {
      setBusy(false);
    }
  }

  function decline(e: SyntheticEvent) {
    e.preventDefault();
    if (charCount(reason) > REASON_MAX) {
      setProblem(`At most ${REASON_MAX} characters.`);
      return;
    }
    setProblem(null);
    void answer(false, reason);
  }

  return (
    <>
      <div className="booking__actions">
        <button className="button button--primary" type="button" disabled={busy} onClick={() => void answer(true, '')}>
          Accept<span className="visually-hidden"> {what}</span>
        </button>
        <button
          className="button"
          type="button"
          aria-expanded={declining}
          aria-controls={formId}
          onClick={() => {
            setDeclining(!declining);
          }}
        >
          Decline<span className="visually-hidden"> {what}</span>
        </button>
      </div>
      <div id={formId} hidden={!declining}>
        {declining ? (
          <form className="review-form" aria-label={`Decline ${what}`} noValidate onSubmit={decline}>
            <FieldFrame label="Reason (optional)" hint="The planner reads it." error={problem ?? undefined}>
              {(ids) => (
                <input
                  {...ids}
                  autoComplete="off"
                  value={reason}
                  onChange={(e) => {
                    setReason(e.target.value);
                  }}
                />
              )}
            </FieldFrame>
            <button className="button button--danger" type="submit" disabled={busy}>
              Decline the assignment
            </button>
          </form>
        ) : null}
      </div>
      {failure ? <p role="alert">{failure}</p> : null}
    </>
  );
}

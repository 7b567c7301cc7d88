/**
 * "Start from a procedure", in the new work order form and the maintenance plan form: one of the
 * company's procedures on this device (those created here and not yet accepted too; a refused
 * one never) chosen, and its steps copied into the form's checklist after any steps already
 * there, each with a new id (`copiedSteps`): the copy is the order's or plan's own, and editing
 * the procedure later changes nothing in it. A copy that would pass the checklist's 200 steps is
 * refused with words.
 */
import './checklist-builder.css';
import { useId, useState } from 'react';

import { MAX_STEPS, type StepFields } from './checklist-steps';
import { copiedSteps, useProcedures } from './procedures';

/** The picker; `onCopy` appends the copied steps to the form's checklist. */
export function ProcedurePicker({ stepCount, onCopy, target }: { stepCount: number; onCopy: (steps: StepFields[]) => void; target: string }) {
  const procedures = useProcedures()?.filter((p) => !p.refused);
  const [chosen, setChosen] = useState('');
  const [said, setSaid] = useState<{ text: string; error: boolean } | null>(null);
  const titleId = useId();
  const selectId = useId();
  if (procedures === undefined) return null;
  if (procedures.length === 0) {
    return (
      <section className="wo-builder procedure-picker" aria-labelledby={titleId}>
        <h2 id={titleId} className="card__subtitle">
          Start from a procedure
        </h2>
        <p className="field__hint">No procedures on this device yet: the company’s reusable checklists are kept under Work → Procedures.</p>
      </section>
    );
  }
  const procedure = procedures.find((p) => p.id === chosen) ?? null;
  const copy = () => {
    if (!procedure) {
      setSaid({ text: 'Choose a procedure first.', error: true });
      return;
    }
    if (stepCount + procedure.steps.length > MAX_STEPS) {
      setSaid({ text: `That would make more than ${MAX_STEPS} steps: remove some first.`, error: true });
      return;
    }
    onCopy(copiedSteps(procedure));
    const n = procedure.steps.length;
    setSaid({
      text:
        n === 0
          ? `“${procedure.title}” has no steps to copy.`
          : `${n === 1 ? '1 step' : `${n} steps`} copied from “${procedure.title}”: they are this ${target}’s own, so changing the procedure later changes nothing here.`,
      error: false,
    });
  };
  return (
    <section className="wo-builder procedure-picker" aria-labelledby={titleId}>
      <h2 id={titleId} className="card__subtitle">
        Start from a procedure
      </h2>
      <div className="field">
        <label htmlFor={selectId}>Procedure</label>
        <select
          id={selectId}
          value={chosen}
          onChange={(e) => {
            setChosen(e.target.value);
            setSaid(null);
          }}
        >
          <option value="">Choose a procedure</option>
          {procedures.map((p) => (
            <option key={p.id} value={p.id}>
              {p.title} ({p.steps.length === 1 ? '1 step' : `${p.steps.length} steps`})
            </option>
          ))}
        </select>
      </div>
      <p>
        <button className="button" type="button" onClick={copy}>
          Copy its steps
        </button>
      </p>
      {said ? (
        <p className={said.error ? 'field__error' : 'field__hint'} role={said.error ? 'alert' : 'status'}>
          {said.text}
        </p>
      ) : null}
    </section>
  );
}

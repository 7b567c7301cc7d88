/**
 * A work order's checklist: each step with what it asks (kind, limits and unit, whether
 * required, what a failure opens), its current answer (the latest, the person's own waiting ones
 * included) with its outcome — failed, below or above the limit in the error style — and, while
 * the order is in progress or on hold and the role records work (`workorder.execute`), the
 * controls to answer it: Pass/Fail, a number with its unit and limits, the meter's hours, text,
 * one of the choices, a photo, a signature. Answering again replaces the shown answer.
 *
 * Each answer is queued as `record_step_result.v1` with a client-made id and a fresh
 * `follow_up_id` (the id the server gives the fault or follow-up work order a failed step's
 * rule opens, so a retried push opens nothing twice), and judged here at once as the server
 * will judge it.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useId, useRef, useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';

import { formatDateTime } from '../../../components/date-time';
import { FieldFrame } from '../../../components/form-field';
import { newRowId, useEnqueue, type PendingWrite } from '../../../components/local-writes';
import { PendingMark } from '../../../components/pending-mark';
import { may } from '../../../components/permissions';
import { formatQuantity, parseQuantity, quantityText } from '../../../components/quantity';
import { PhotoInput } from '../../../photos/photo-gallery';
import { prepareDrawing, prepareInBrowser } from '../../../photos/photo-queue';
import { PhotoError } from '../../../photos/resize';
import { useSignedInUser } from '../../../session/session-context';
import { answerArgs, isFailure, type Answer, type Checklist, type StepResultItem } from '../api/checklist';
import { isWorkable, RECORD_STEP_RESULT, type Step, type WorkOrderItem, type WorkOrderStatus } from '../api/work-orders';
import { AttachmentPreview, useKeepOnItem } from './attachments';
import { SignaturePad, type SignaturePadHandle } from './signature-pad';
import { OutcomeBadge, PRIORITY_LABEL, Refusal, SEVERITY_LABEL, STEP_KIND_LABEL } from './work-order-labels';

/** A decimal as shown: exact, as sent when it is not one. */
const shown = (text: string) => {
  const q = parseQuantity(text);
  return q === null ? text : formatQuantity(q);
};

/** "Limits: 3.5 to 5 bar", "At least 3.5 bar", "At most 5 bar"; null without limits. */
export function limitsText(step: Pick<Step, 'min' | 'max' | 'unit'>): string | null {
  const unit = step.unit ? ` ${step.unit}` : '';
  if (step.min !== null && step.max !== null) return `Limits: ${shown(step.min)} to ${shown(step.max)}${unit}`;
  if (step.min !== null) return `At least ${shown(step.min)}${unit}`;
  if (step.max !== null) return `At most ${shown(step.max)}${unit}`;
  return null;
}

/** What a failure of the step opens, in words; `failed` when the current answer fails it. */
function ruleText(step: Step, failed: boolean, waiting: boolean): string | null {
  if (!step.rule) return null;
  const what =
    step.rule.kind === 'open_fault'
      ? `a ${SEVERITY_LABEL[step.rule.severity].toLowerCase()} fault is reported on the item`
      : `a ${PRIORITY_LABEL[step.rule.priority].toLowerCase()} follow-up work order is opened`;
  if (!failed) return `If it fails, ${what}.`;
  return waiting ? `This answer fails the step: ${what} once the server has it.` : `This answer failed the step: ${what}.`;
}

/** The section; `people` names who recorded the answers, by user id. */
export function ChecklistSection({
  order,
  status,
  checklist,
  people,
}: {
  order: WorkOrderItem;
  status: WorkOrderStatus;
  checklist: Checklist;
  people: ReadonlyMap<string, string>;
}) {
  const titleId = useId();
  const user = useSignedInUser();
  const mayWork = may(user.role, 'workorder.execute');
  const canAnswer = mayWork && isWorkable(status);
  const answered = order.steps.filter((s) => checklist.current.has(s.id)).length;
  const failed = order.steps.filter((s) => {
    const r = checklist.current.get(s.id);
    return r !== undefined && isFailure(r.outcome);
  }).length;

  let why: string | null = null;
  if (!mayWork) why = 'Your role reads work orders but does not record work on them.';
  else if (status === 'open') why = 'Start the work order to answer its checklist.';
  else if (!isWorkable(status)) why = null;

  return (
    <section className="card" aria-labelledby={titleId}>
      <h2 id={titleId} className="card__title">
        Checklist
      </h2>
      {order.steps.length === 0 ? (
        <p className="notice">This work order has no checklist: its description says what to do.</p>
      ) : (
        <>
          <p className="wo-summary">
            {answered} of {order.steps.length} answered{failed > 0 ? ` · ${failed} failed` : ''}
          </p>
          {why ? <p className="notice">{why}</p> : null}
          <ol className="wo-steps" aria-labelledby={titleId}>
            {order.steps.map((step, index) => (
              <StepItem
                key={step.id}
                order={order}
                step={step}
                number={index + 1}
                current={checklist.current.get(step.id) ?? null}
                refused={checklist.refused.filter((w) => typeof w.args.step_id === 'string' && w.args.step_id.toLowerCase() === step.id)}
                people={people}
                canAnswer={canAnswer}
              />
            ))}
          </ol>
        </>
      )}
    </section>
  );
}

function StepItem({
  order,
  step,
  number,
  current,
  refused,
  people,
  canAnswer,
}: {
  order: WorkOrderItem;
  step: Step;
  number: number;
  current: StepResultItem | null;
  refused: readonly PendingWrite[];
  people: ReadonlyMap<string, string>;
  canAnswer: boolean;
}) {
  const titleId = useId();
  const user = useSignedInUser();
  const enqueue = useEnqueue();
  const [failure, setFailure] = useState<string | null>(null);
  const failedNow = current !== null && isFailure(current.outcome);
  const limits = step.kind === 'number' ? limitsText(step) : null;
  const rule = ruleText(step, failedNow, (current?.pending ?? null) !== null);
  const who =
    current === null
      ? ''
      : current.pending || current.recordedBy === user.id.toLowerCase()
        ? `${user.name} (you)`
        : current.recordedBy === null
          ? 'Someone'
          : (people.get(current.recordedBy) ?? 'A shipmate');

  async function answer(a: Answer): Promise<boolean> {
    setFailure(null);
    try {
      await enqueue(
        RECORD_STEP_RESULT,
        { id: newRowId(), work_order_id: order.id, step_id: step.id, answer: answerArgs(a), follow_up_id: newRowId() },
        null,
      );
      return true;
    } catch (e) {
      setFailure(e instanceof Error ? e.message : 'The answer could not be kept on this device.');
      return false;
    }
  }

  return (
    <li className={`wo-step${failedNow ? ' wo-step--failed' : ''}`} aria-labelledby={titleId}>
      <h3 id={titleId} className="wo-step__title">
        <span className="wo-step__number">{number}.</span> {step.title}
      </h3>
      <p className="wo-step__meta">
        {STEP_KIND_LABEL[step.kind]} · {step.required ? <strong className="wo-required">Required</strong> : 'Optional'}
        {limits ? <> · {limits}</> : null}
      </p>
      {rule ? <p className="wo-step__rule">{rule}</p> : null}
      {current ? (
        <div className="wo-answer">
          <p className="wo-answer__value">
            <AnswerText step={step} answer={current.answer} /> <OutcomeBadge outcome={current.outcome} />
          </p>
          <p className="wo-answer__meta">
            {who}
            {current.recordedAt ? (
              <>
                {' '}
                · <time dateTime={current.recordedAt}>{formatDateTime(current.recordedAt)}</time>
              </>
            ) : null}
            {current.pending ? (
              <>
                {' '}
                · <PendingMark write={current.pending} />
              </>
            ) : null}
          </p>
        </div>
      ) : (
        <p className="wo-answer wo-answer--none">Not answered yet.</p>
      )}
      {refused.length > 0 ? (
        <ul className="pending-list" aria-label="Answers refused">
          {refused.map((w) => (
            <li key={w.id}>
              Answer: <PendingMark write={w} />
              <Refusal write={w} />
            </li>
          ))}
        </ul>
      ) : null}
      {canAnswer ? <AnswerControls order={order} step={step} current={current} onAnswer={answer} /> : null}
      {failure ? <p role="alert">{failure}</p> : null}
    </li>
  );
}

/** An answer in words (a picture for a photo or a signature). */
function AnswerText({ step, answer }: { step: Step; answer: Answer }) {
  const unit = step.unit ? ` ${step.unit}` : '';
  switch (answer.kind) {
    case 'pass_fail':
      return <strong>{answer.passed ? 'Pass' : 'Fail'}</strong>;
    case 'number':
      return <strong className="wo-number">{`${shown(answer.value)}${unit}`}</strong>;
    case 'meter_reading':
      return <strong className="wo-number">{`${shown(answer.hours)} h`}</strong>;
    case 'text':
      return <span className="wo-answer__text">{answer.text}</span>;
    case 'choice':
      return <strong>{answer.label}</strong>;
    case 'photo':
      return <AttachmentPreview id={answer.attachmentId} alt={`Photo for: ${step.title}`} />;
    case 'signature':
      return (
        <span className="wo-signature">
          <AttachmentPreview id={answer.imageId} alt={`Signature of ${answer.name}`} />
          <span>Signed by {answer.name}</span>
        </span>
      );
  }
}

type OnAnswer = (answer: Answer) => Promise<boolean>;

function AnswerControls({ order, step, current, onAnswer }: { order: WorkOrderItem; step: Step; current: StepResultItem | null; onAnswer: OnAnswer }) {
  const pressed = (match: (a: Answer) => boolean) => current !== null && match(current.answer);
  switch (step.kind) {
    case 'pass_fail':
      return (
        <div className="button-row wo-choices" role="group" aria-label={`Answer: ${step.title}`}>
          <button
            className="button wo-choice wo-choice--pass"
            type="button"
            aria-pressed={pressed((a) => a.kind === 'pass_fail' && a.passed)}
            onClick={() => void onAnswer({ kind: 'pass_fail', passed: true })}
          >
            Pass
          </button>
          <button
            className="button wo-choice wo-choice--fail"
            type="button"
            aria-pressed={pressed((a) => a.kind === 'pass_fail' && !a.passed)}
            onClick={() => void onAnswer({ kind: 'pass_fail', passed: false })}
          >
            Fail
          </button>
        </div>
      );
    case 'choice':
      return (
        <div className="button-row wo-choices" role="group" aria-label={`Answer: ${step.title}`}>
          {step.options.map((o) => (
            <button
              key={o.label}
              className={`button wo-choice${o.fails ? ' wo-choice--fail' : ''}`}
              type="button"
              aria-pressed={pressed((a) => a.kind === 'choice' && a.label === o.label)}
              onClick={() => void onAnswer({ kind: 'choice', label: o.label })}
            >
              {o.label}
            </button>
          ))}
        </div>
      );
    case 'number':
      return <DecimalAnswer step={step} kind="number" onAnswer={onAnswer} />;
    case 'meter_reading':
      return <DecimalAnswer step={step} kind="meter_reading" onAnswer={onAnswer} />;
    case 'text':
      return <TextAnswer step={step} onAnswer={onAnswer} />;
    case 'photo':
      return <PhotoAnswer order={order} step={step} answered={current !== null} onAnswer={onAnswer} />;
    case 'signature':
      return <SignatureAnswer order={order} step={step} onAnswer={onAnswer} />;
  }
}

const numberSchema = z.object({ value: quantityText('any', 'Enter the value you measured.') });
const hoursSchema = z.object({ value: quantityText('nonnegative', 'Enter the hours the meter shows.') });
type DecimalForm = z.input<typeof numberSchema>;
type Decimal = z.output<typeof numberSchema>;

/** A measured number (with its unit and limits) or the meter's running hours. */
function DecimalAnswer({ step, kind, onAnswer }: { step: Step; kind: 'number' | 'meter_reading'; onAnswer: OnAnswer }) {
  const { register, handleSubmit, formState, reset } = useForm<DecimalForm, unknown, Decimal>({
    resolver: zodResolver(kind === 'number' ? numberSchema : hoursSchema),
    defaultValues: { value: '' },
  });
  const limits = limitsText(step);
  const submit = handleSubmit(async ({ value }) => {
    const answer: Answer = kind === 'number' ? { kind, value } : { kind, hours: value };
    if (await onAnswer(answer)) reset({ value: '' });
  });
  const label = kind === 'number' ? `Value${step.unit ? ` (${step.unit})` : ''}` : 'Running hours (h)';
  return (
    <form className="wo-form wo-inline-form" aria-label={`Answer: ${step.title}`} noValidate onSubmit={(e) => void submit(e)}>
      <FieldFrame label={label} hint={`${limits ? `${limits}. ` : ''}Up to 3 decimals, with a point.`} error={formState.errors.value?.message}>
        {(ids) => <input {...ids} inputMode="decimal" autoComplete="off" {...register('value')} />}
      </FieldFrame>
      <button className="button" type="submit" disabled={formState.isSubmitting}>
        Save
      </button>
    </form>
  );
}

const textSchema = z.object({
  text: z.string().trim().min(1, 'Write the answer.').max(4000, 'Keep the answer to 4,000 characters.'),
});
type TextForm = z.infer<typeof textSchema>;

function TextAnswer({ step, onAnswer }: { step: Step; onAnswer: OnAnswer }) {
  const { register, handleSubmit, formState, reset } = useForm<TextForm>({ resolver: zodResolver(textSchema), defaultValues: { text: '' } });
  const submit = handleSubmit(async ({ text }) => {
    if (await onAnswer({ kind: 'text', text: text.trim() })) reset({ text: '' });
  });
  return (
    <form className="wo-form" aria-label={`Answer: ${step.title}`} noValidate onSubmit={(e) => void submit(e)}>
      <FieldFrame label="Answer" error={formState.errors.text?.message}>
        {(ids) => <textarea {...ids} rows={3} {...register('text')} />}
      </FieldFrame>
      <button className="button" type="submit" disabled={formState.isSubmitting}>
        Save
      </button>
    </form>
  );
}

function PhotoAnswer({ order, step, answered, onAnswer }: { order: WorkOrderItem; step: Step; answered: boolean; onAnswer: OnAnswer }) {
  const keep = useKeepOnItem(order);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  async function take(files: File[]) {
    const [file] = files;
    if (!file) return;
    setFailure(null);
    setBusy(true);
    try {
      const attachmentId = await keep(await prepareInBrowser(file));
      await onAnswer({ kind: 'photo', attachmentId });
    } catch (e) {
      setFailure(e instanceof PhotoError || e instanceof Error ? e.message : 'The photo could not be kept on this device.');
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="wo-form" role="group" aria-label={`Photo for: ${step.title}`}>
      <PhotoInput label={answered ? 'Take another photo' : 'Take a photo'} busy={busy} onFiles={(files) => void take(files)} />
      {failure ? <p role="alert">{failure}</p> : null}
    </div>
  );
}

function SignatureAnswer({ order, step, onAnswer }: { order: WorkOrderItem; step: Step; onAnswer: OnAnswer }) {
  const user = useSignedInUser();
  const keep = useKeepOnItem(order);
  const pad = useRef<SignaturePadHandle>(null);
  const nameId = useId();
  const [name, setName] = useState(user.name);
  const [signed, setSigned] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const trimmed = name.trim();
  async function save() {
    if (!pad.current || trimmed === '') return;
    setFailure(null);
    setBusy(true);
    try {
      const { png, thumbnail } = await pad.current.toPng();
      const imageId = await keep(await prepareDrawing(png, thumbnail, 'signature.png'));
      if (await onAnswer({ kind: 'signature', name: trimmed, imageId })) pad.current.clear();
    } catch (e) {
      setFailure(e instanceof Error ? e.message : 'The signature could not be kept on this device.');
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="wo-form" role="group" aria-label={`Sign: ${step.title}`}>
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
      <button className="button" type="button" disabled={!signed || trimmed === '' || busy} onClick={() => void save()}>
        Save signature
      </button>
      {failure ? <p role="alert">{failure}</p> : null}
    </div>
  );
}

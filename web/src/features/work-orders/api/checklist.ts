/**
 * A work order's checklist as the device knows it: the replica's `step_result` rows (insert-only;
 * answering a step again adds a row) and the person's `record_step_result.v1` still in the
 * outbox. The answer that counts for a step is the latest recorded, ties broken by the larger
 * id (`current_results` in crates/domain/src/procedure.rs), so a waiting answer replaces the
 * shown one at once. A waiting answer is judged here as the server will judge it
 * (`procedure::evaluate`): a number below its lower limit is `below_limit`, above its upper
 * `above_limit`, a failed check or a failing choice `failed`; decimals are compared exactly
 * (`quantity.ts`), never as floats. A refused answer counts for nothing and is listed with its
 * refusal until dismissed.
 */
import { fieldsOf, textOf, type PendingWrite } from '../../../components/local-writes';
import { parseQuantity } from '../../../components/quantity';
import type { JsonValue } from '../../../sync/checksum';
import type { StoredRow } from '../../../sync/database';
import { RECORD_STEP_RESULT, type Step } from './work-orders';

export const OUTCOMES = ['passed', 'failed', 'below_limit', 'above_limit', 'recorded'] as const;
/** What an answer means for its step. */
export type Outcome = (typeof OUTCOMES)[number];

/** An answer to a step. */
export type Answer =
  | { kind: 'pass_fail'; passed: boolean }
  | { kind: 'number'; value: string }
  | { kind: 'meter_reading'; hours: string }
  | { kind: 'text'; text: string }
  | { kind: 'choice'; label: string }
  | { kind: 'photo'; attachmentId: string }
  | { kind: 'signature'; name: string; imageId: string };

/** One recorded answer, confirmed or still on this device. */
export interface StepResultItem {
  /** Lowercase; a waiting answer's is the id it will keep. */
  id: string;
  stepId: string;
  answer: Answer;
  outcome: Outcome;
  /** A user id; null for an answer made on this device (the person signed in). */
  recordedBy: string | null;
  recordedAt: string;
  /** The write, while the server has not accepted it. */
  pending: PendingWrite | null;
}

const isObject = (v: JsonValue | undefined): v is Record<string, JsonValue> => v !== null && typeof v === 'object' && !Array.isArray(v);
const text = (v: Record<string, JsonValue>, name: string): string | null => (typeof v[name] === 'string' ? v[name] : null);
const decimal = (v: Record<string, JsonValue>, name: string): string | null => {
  const d = v[name];
  return typeof d === 'string' ? d : typeof d === 'number' && Number.isSafeInteger(d) ? String(d) : null;
};

/** An answer as the server (or a queued write) holds it; null when it is not one. */
export function answerOf(v: JsonValue | undefined): Answer | null {
  if (!isObject(v)) return null;
  switch (v.kind) {
    case 'pass_fail':
      return typeof v.passed === 'boolean' ? { kind: 'pass_fail', passed: v.passed } : null;
    case 'number': {
      const value = decimal(v, 'value');
      return value === null ? null : { kind: 'number', value };
    }
    case 'meter_reading': {
      const hours = decimal(v, 'hours');
      return hours === null ? null : { kind: 'meter_reading', hours };
    }
    case 'text': {
      const t = text(v, 'text');
      return t === null ? null : { kind: 'text', text: t };
    }
    case 'choice': {
      const label = text(v, 'label');
      return label === null ? null : { kind: 'choice', label };
    }
    case 'photo': {
      const id = text(v, 'attachment_id');
      return id === null ? null : { kind: 'photo', attachmentId: id.toLowerCase() };
    }
    case 'signature': {
      const name = text(v, 'name');
      const imageId = text(v, 'image_id');
      return name === null || imageId === null ? null : { kind: 'signature', name, imageId: imageId.toLowerCase() };
    }
    default:
      return null;
  }
}

/** An answer as `record_step_result.v1` sends it. */
export function answerArgs(answer: Answer): Record<string, JsonValue> {
  switch (answer.kind) {
    case 'photo':
      return { kind: 'photo', attachment_id: answer.attachmentId };
    case 'signature':
      return { kind: 'signature', name: answer.name, image_id: answer.imageId };
    default:
      return { ...answer };
  }
}

/** Whether the outcome fails the step (and so may open its follow-up). */
export const isFailure = (outcome: Outcome) => outcome === 'failed' || outcome === 'below_limit' || outcome === 'above_limit';

/** Judges an answer against its step, as the server does. */
export function judge(step: Pick<Step, 'min' | 'max' | 'options'>, answer: Answer): Outcome {
  switch (answer.kind) {
    case 'pass_fail':
      return answer.passed ? 'passed' : 'failed';
    case 'number': {
      const value = parseQuantity(answer.value);
      const min = step.min === null ? null : parseQuantity(step.min);
      const max = step.max === null ? null : parseQuantity(step.max);
      if (value === null) return 'recorded';
      if (min !== null && value < min) return 'below_limit';
      if (max !== null && value > max) return 'above_limit';
      return 'passed';
    }
    case 'choice': {
      const option = step.options.find((o) => o.label === answer.label);
      if (!option) return 'recorded';
      return option.fails ? 'failed' : 'passed';
    }
    default:
      return 'recorded';
  }
}

const asOutcome = (v: string | null): Outcome | null => ((OUTCOMES as readonly string[]).includes(v ?? '') ? (v as Outcome) : null);

/** Whether `a` was recorded after `b` (the latest counts; the larger id settles a tie). */
export function isLater(a: Pick<StepResultItem, 'recordedAt' | 'id'>, b: Pick<StepResultItem, 'recordedAt' | 'id'>): boolean {
  const ta = Date.parse(a.recordedAt) || 0;
  const tb = Date.parse(b.recordedAt) || 0;
  return ta !== tb ? ta > tb : a.id > b.id;
}

/** A checklist's answers and the answers refused. */
export interface StepResults {
  /** Confirmed answers and those still waiting (not refused), in no particular order. */
  results: StepResultItem[];
  /** Answers the server refused, to be seen and dismissed. */
  refused: PendingWrite[];
}

/**
 * The order's answers: its `step_result` rows, and its `record_step_result.v1` writes still on
 * this device whose row has not arrived (judged here, as recorded when queued).
 */
export function stepResultsOf(workOrderId: string, steps: readonly Step[], rows: readonly StoredRow[], writes: readonly PendingWrite[]): StepResults {
  const order = workOrderId.toLowerCase();
  const stepById = new Map(steps.map((s) => [s.id, s]));
  const results: StepResultItem[] = [];
  const held = new Set<string>();
  for (const row of rows) {
    const f = fieldsOf(row);
    if (textOf(f, 'work_order_id')?.toLowerCase() !== order) continue;
    const answer = answerOf(f.answer);
    const stepId = textOf(f, 'step_id')?.toLowerCase();
    if (!answer || !stepId) continue;
    held.add(row.id);
    const step = stepById.get(stepId);
    results.push({
      id: row.id,
      stepId,
      answer,
      outcome: asOutcome(textOf(f, 'outcome')) ?? (step ? judge(step, answer) : 'recorded'),
      recordedBy: textOf(f, 'recorded_by')?.toLowerCase() ?? null,
      recordedAt: textOf(f, 'recorded_at') ?? '',
      pending: null,
    });
  }
  const refused: PendingWrite[] = [];
  for (const w of writes) {
    if (w.name !== RECORD_STEP_RESULT || typeof w.args.work_order_id !== 'string' || w.args.work_order_id.toLowerCase() !== order) continue;
    const id = typeof w.args.id === 'string' ? w.args.id.toLowerCase() : `outbox-${w.id}`;
    if (held.has(id)) continue;
    if (w.state === 'rejected') {
      refused.push(w);
      continue;
    }
    const answer = answerOf(w.args.answer);
    const stepId = typeof w.args.step_id === 'string' ? w.args.step_id.toLowerCase() : null;
    if (!answer || stepId === null) continue;
    const step = stepById.get(stepId);
    results.push({
      id,
      stepId,
      answer,
      outcome: step ? judge(step, answer) : 'recorded',
      recordedBy: null,
      recordedAt: new Date(w.queuedAt).toISOString(),
      pending: w,
    });
  }
  return { results, refused };
}

/** The answer that counts for each step: the latest recorded, ties to the larger id. */
export function currentResults(results: readonly StepResultItem[]): Map<string, StepResultItem> {
  const current = new Map<string, StepResultItem>();
  for (const r of results) {
    const shown = current.get(r.stepId);
    if (!shown || isLater(r, shown)) current.set(r.stepId, r);
  }
  return current;
}

/** The required steps with no answer yet, in checklist order. */
export function unansweredRequired(steps: readonly Step[], current: ReadonlyMap<string, StepResultItem>): Step[] {
  return steps.filter((s) => s.required && !current.has(s.id));
}

/** A work order's checklist as the page shows it. */
export interface Checklist extends StepResults {
  /** The answer that counts, by step id. */
  current: Map<string, StepResultItem>;
  /** The required steps without an answer, in order. */
  missing: Step[];
}

/** The checklist of the order `workOrderId` with `steps`, from its `step_result` rows and the writes waiting. */
export function checklistOf(workOrderId: string, steps: readonly Step[], rows: readonly StoredRow[], writes: readonly PendingWrite[]): Checklist {
  const results = stepResultsOf(workOrderId, steps, rows, writes);
  const current = currentResults(results.results);
  return { ...results, current, missing: unansweredRequired(steps, current) };
}

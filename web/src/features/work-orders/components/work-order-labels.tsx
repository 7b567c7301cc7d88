/**
 * Words for work orders: statuses, priorities, step kinds and outcomes; the marks an order or
 * an answer carries (priority, status, "Overdue", an outcome badge, failures in the error
 * style); and the writes still on this device with how far they got. A refused one says why —
 * the server's sentence, and the app's for the work order refusals, which the API's problem
 * catalogue does not list yet (an edit's refusals have their own words: its `not_found` is a
 * person or department chosen out of reach) — until dismissed.
 */
import { problemMessage } from '../../../api/problem-messages';
import type { PendingWrite } from '../../../components/local-writes';
import { PendingWrites as SharedPendingWrites, Refusal as SharedRefusal } from '../../../components/pending-writes';
import { ISSUE_PART } from '../../../components/stock-levels';
import { isFailure, type Outcome } from '../api/checklist';
import {
  CANCEL_WORK_ORDER,
  COMPLETE_WORK_ORDER,
  CREATE_WORK_ORDER,
  HOLD_WORK_ORDER,
  LOG_LABOUR,
  RECORD_STEP_RESULT,
  START_WORK_ORDER,
  UPDATE_WORK_ORDER,
  VERIFY_WORK_ORDER,
  type Priority,
  type WorkOrderStatus,
} from '../api/work-orders';
import { PRIORITY_LABEL } from '../../../components/checklist-steps';

export { PRIORITY_LABEL, SEVERITY_LABEL, STEP_KIND_LABEL } from '../../../components/checklist-steps';

export const STATUS_LABEL: Record<WorkOrderStatus, string> = {
  open: 'Open',
  in_progress: 'In progress',
  on_hold: 'On hold',
  done: 'Done',
  verified: 'Verified',
  cancelled: 'Cancelled',
};

export const OUTCOME_LABEL: Record<Outcome, string> = {
  passed: 'Passed',
  failed: 'Failed',
  below_limit: 'Below limit',
  above_limit: 'Above limit',
  recorded: 'Recorded',
};

/** The outcome of an answer; failures in the error style. */
export function OutcomeBadge({ outcome }: { outcome: Outcome }) {
  return <span className={`wo-badge wo-badge--${isFailure(outcome) ? 'failed' : outcome}`}>{OUTCOME_LABEL[outcome]}</span>;
}

/** The priority, the word carrying the meaning. */
export function PriorityMark({ priority }: { priority: Priority }) {
  return <span className={`wo-priority wo-priority--${priority}`}>{PRIORITY_LABEL[priority]}</span>;
}

/** The status, and where this device's waiting moves take it. */
export function StatusText({ status, expected }: { status: WorkOrderStatus; expected: WorkOrderStatus }) {
  return expected === status ? (
    <>{STATUS_LABEL[status]}</>
  ) : (
    <>
      {STATUS_LABEL[status]} → {STATUS_LABEL[expected]} (on this device)
    </>
  );
}

/**
 * What the work order refusals mean for the person (the server's own sentence is shown beside
 * it); the codes are the work order mutators' own, so they live with the feature until the
 * problem catalogue lists them.
 */
const REFUSAL: Record<string, string> = {
  work_order_not_workable: 'Work is recorded only while the work order is in progress or on hold.',
  steps_incomplete: 'Some required steps have no answer yet: answer them, then complete again.',
  signature_required: 'This work order must be signed to be completed.',
  own_work: 'Someone other than the person who completed the work verifies it.',
  unknown_step: 'That step is not on this work order any more.',
  invalid_transition: 'The work order had already moved on; see where it stands now.',
  insufficient_stock: 'There is not that much at this location on the server’s count; the part was not taken.',
};

/** What an edit's refusals mean (`update_work_order.v1`). */
export const EDIT_REFUSAL: Record<string, string> = {
  work_order_closed: problemMessage('work_order_closed') ?? 'This work order is done, verified or cancelled, so it cannot be edited.',
  version_conflict: 'Someone changed this work order since you opened it: open the edit again and make your change there.',
  not_found: 'Someone chosen to do it is out of reach (not on the vessel, or not shared with you): edit it again and choose others.',
  validation_failed: 'The server did not take the values (the title, description, estimate or who does it): edit it again.',
};

/** What a work order write's refusal means, by the write. */
export const refusalMeanings = (write: PendingWrite): Record<string, string> => (write.name === UPDATE_WORK_ORDER ? EDIT_REFUSAL : REFUSAL);

/** What a waiting write does, in words. */
export function describeWorkOrderWrite(write: PendingWrite): string {
  switch (write.name) {
    case CREATE_WORK_ORDER:
      return 'Created';
    case UPDATE_WORK_ORDER:
      return 'Edited';
    case START_WORK_ORDER:
      return 'Started';
    case HOLD_WORK_ORDER:
      return 'Put on hold';
    case COMPLETE_WORK_ORDER:
      return 'Completed';
    case VERIFY_WORK_ORDER:
      return 'Verified';
    case CANCEL_WORK_ORDER:
      return 'Cancelled';
    case RECORD_STEP_RESULT:
      return 'Answer';
    case LOG_LABOUR:
      return 'Time logged';
    case ISSUE_PART:
      return 'Part used';
    default:
      return write.name;
  }
}

/** A refused write's reason, with what it means for work orders, and its Dismiss button. */
export function Refusal({ write }: { write: PendingWrite }) {
  return <SharedRefusal write={write} meanings={refusalMeanings} />;
}

/** A work order's writes not yet accepted, as a short list, refusals with their reason. */
export function PendingWrites({ writes, label }: { writes: readonly PendingWrite[]; label?: string }) {
  return <SharedPendingWrites writes={writes} describe={describeWorkOrderWrite} meanings={refusalMeanings} label={label} />;
}

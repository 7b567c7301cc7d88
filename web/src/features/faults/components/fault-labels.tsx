/**
 * Words for faults and for the writes on them still on this device (the mark itself is
 * `components/pending-mark.tsx`, which the equipment pages show too).
 */
import type { PendingWrite } from '../../../components/local-writes';
import { PendingWrites as SharedPendingWrites } from '../../../components/pending-writes';
import type { FaultStatus, Severity } from '../api/faults';

export const SEVERITY_LABEL: Record<Severity, string> = {
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  critical: 'Critical',
};

export const STATUS_LABEL: Record<FaultStatus, string> = {
  open: 'Open',
  acknowledged: 'Acknowledged',
  in_progress: 'In progress',
  awaiting_parts: 'Awaiting parts',
  resolved: 'Resolved',
  closed: 'Closed',
};

/** What a pending write does, in words. */
export function describeWrite(write: PendingWrite): string {
  const status = write.args.status;
  switch (write.name) {
    case 'report_fault.v1':
      return 'Reported';
    case 'acknowledge_fault.v1':
      return 'Acknowledged';
    case 'set_fault_status.v1':
      return typeof status === 'string' && status in STATUS_LABEL ? `Status to ${STATUS_LABEL[status as FaultStatus]}` : 'Status changed';
    case 'assign_fault.v1':
      return 'Assigned';
    case 'resolve_fault.v1':
      return 'Resolved';
    case 'comment_fault.v1':
      return 'Comment';
    // Queued before parts orders became requisitions; the server makes a requisition of it.
    case 'order_parts.v1':
      return 'Parts ordered';
    case 'raise_requisition.v1':
      return 'Part requested';
    default:
      return write.name;
  }
}

/**
 * A fault's writes not yet accepted, as a short list; a refused one says why, and goes once the
 * person has read it.
 */
export function PendingWrites({ writes }: { writes: PendingWrite[] }) {
  return <SharedPendingWrites writes={writes} describe={describeWrite} />;
}
